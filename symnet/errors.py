"""The exceptions symnet raises for bad input, all ``ValueError`` subclasses, and what keeps
their messages one short line: the nearest known name, a long list shortened."""


class SymnetError(ValueError):
    """Base class: bad input to symnet. The message says what was wrong and what is accepted,
    in one line (a value it quotes whose repr spans lines, a NumPy array, is joined)."""

    def __init__(self, *args):
        if len(args) == 1 and isinstance(args[0], str) and "\n" in args[0]:
            args = (" ".join(line.strip() for line in args[0].splitlines()),)
        super().__init__(*args)


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


def listed(names, width=100):
    """``names`` as one comma list of at most about ``width`` characters, so that an error line
    stays one short line: a longer list keeps its first names and its last, and says how many
    it leaves out.

    >>> listed(["w1", "w2", "b1"])
    'w1, w2, b1'
    >>> listed([f"w{i}" for i in range(1, 23_521)], width=40)
    'w1, w2, w3, … (23,516 more), w23520'
    """
    names = [str(n) for n in names]
    text = ", ".join(names)
    if len(text) <= width:
        return text
    head, size = [], len(names[-1]) + 20  # the last name and "… (n more), "
    for name in names[:-1]:
        size += len(name) + 2
        if size > width:
            break
        head.append(name)
    return ", ".join([*head, f"… ({len(names) - len(head) - 1:,} more)", names[-1]])


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during long work; the message says where it stopped and what was kept."""
