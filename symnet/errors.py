"""The exceptions symnet raises for bad input: all are ``ValueError`` subclasses."""


class SymnetError(ValueError):
    """Base class: bad input to symnet. The message says what was wrong and what is accepted."""


class ArchitectureError(SymnetError):
    """A malformed architecture such as ``"2--1"`` or ``[2, 0, 1]``."""


class UnknownNameError(SymnetError):
    """A name (activation, loss, parameter, symbol) that symnet does not know."""


class ParseError(SymnetError):
    """Text that the whitelist parser rejects."""


class TooLargeError(SymnetError):
    """A request whose result would be too large to build (expanded forms, path lists)."""
