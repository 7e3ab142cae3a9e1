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


def did_you_mean(name, known):
    """`` (did you mean 'sigmoid'?)`` for the known name nearest ``name``: the same name in
    another case first, else the closest spelling (difflib); ``""`` when none is near."""
    import difflib  # here, not at the top: only a mistake needs it (start-up)
    name, known = str(name), [str(k) for k in known]
    same = [k for k in known if k.lower() == name.lower() and k != name]
    near = same or difflib.get_close_matches(name, known, n=1, cutoff=0.6) or \
        difflib.get_close_matches(name.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
    if near and near[0] not in known:  # a lower-cased match: give the name as it is spelled
        near = [k for k in known if k.lower() == near[0]]
    return f" (did you mean {near[0]!r}?)" if near and near[0] != name else ""


def listed(names, most=12):
    """Names for a message, the first ``most`` of them: ``"x, y, z"``, ``"a1, a2, …"``."""
    names = [str(n) for n in names]
    return ", ".join(names if len(names) <= most else names[:most] + ["…"])


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during long work; the message says where it stopped and what was kept."""
