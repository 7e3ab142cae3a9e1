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


def near_names(name, known, n=1):
    """Up to ``n`` of the ``known`` names nearest ``name``, nearest first: the same name in
    another case, then the closest spellings (difflib), as written and in lower case; ``[]``
    when none is near (or ``name`` is known).

    >>> near_names("sigmod", ["linear", "sigmoid"]), near_names("W1", ["w1", "W10"])
    (['sigmoid'], ['w1'])
    """
    import difflib  # only after a mistake: no start-up pays for it

    name, known = str(name), list(dict.fromkeys(str(k) for k in known))
    if name in known:
        return []
    lower = {}
    for k in known:
        lower.setdefault(k.lower(), k)
    same = [k for k in known if k.lower() == name.lower()]
    close = difflib.get_close_matches(name, known, n=n, cutoff=0.6)
    close_lower = difflib.get_close_matches(name.lower(), list(lower), n=n, cutoff=0.6)
    return list(dict.fromkeys(same + close + [lower[k] for k in close_lower]))[:n]


def did_you_mean(name, known):
    """`` (did you mean 'sigmoid'?)`` for the known name nearest ``name`` (:func:`near_names`);
    ``""`` when none is near.

    >>> did_you_mean("sigmod", ["linear", "sigmoid"])
    " (did you mean 'sigmoid'?)"
    """
    near = near_names(name, known)
    return f" (did you mean {near[0]!r}?)" if near else ""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during long work; the message says where it stopped and what was kept."""
