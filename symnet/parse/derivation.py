"""Reading a written derivation: its lines and equalities, and each side with its partials.

A derivation is plain text or LaTeX, one step a line, or a LaTeX ``aligned``/``align``/
``eqnarray`` block (rows split at ``\\\\``, ``&`` ignored), and a line may chain equalities,
``a = b = c``.  A side is read by the answer parser, its partials ``∂L/∂w5``,
``\\partial L/\\partial w_5`` or ``\\frac{\\partial L}{\\partial w_5}`` kept as
:class:`~symnet.symbols.Partial` objects (a chain rule is written with them), δ1 read as δ.

>>> [(s.lhs, s.rhs) for s in split_steps("∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5 = 2(ŷ - y) N1")]
[('∂L/∂w5', '∂L/∂ŷ · ∂ŷ/∂w5'), ('∂L/∂w5', '2(ŷ - y) N1')]
"""

import re
from dataclasses import dataclass

from ..errors import ParseError
from ..symbols import Delta, Partial
from .answers import parse_answer, spellings
from .profiles import layer_indexed, readable

MAX_STEPS = 60
MAX_TEXT = 20_000

# a pattern, not a compiled one: re compiles (and caches) it on first use, and a check of one
# answer never uses it
_BLOCK = r"\\begin\{(aligned|align\*?|eqnarray\*?|split|gathered)\}(.*?)\\end\{\1\}"


@dataclass(frozen=True)
class WrittenStep:
    """One equality of a written derivation: its left side (None: the one before goes on),
    its right side, the line it came from, that line's number in the text (from 1) and, on a
    line that chains equalities (``a = b = c``), which of them it is (from 1; else None)."""

    lhs: str
    rhs: str
    line: str
    continued: bool = False  # written "= rhs", the left side carried from before
    number: int = None
    equality: int = None


def split_steps(text):
    """The equalities of ``text``, in order (see the module's docstring for the forms)."""
    if not isinstance(text, str):
        raise ParseError(f"a derivation is text, one step a line; got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise ParseError(f"the derivation is {len(text):,} characters long; at most {MAX_TEXT:,} "
                         "are checked")
    steps, lhs = [], None
    for number, row in _numbered_rows(text):
        row = re.sub(r"\\(nonumber|notag)|\\label\{[^}]*\}", "", row).replace("&", " ")
        row = row.strip().strip("$").strip()
        row = re.sub(r"^\\\[|\\\]$", "", row).strip().rstrip(",.;").strip()
        if not row:
            continue
        parts = [p.strip() for p in row.split("=")]
        own = len(parts) > 1 and bool(parts[0])
        if own:
            lhs = parts[0]
        parts = parts[1:] if len(parts) > 1 else parts
        for i, part in enumerate(parts):
            if not part:
                raise ParseError(f"an empty side of '=' in {row!r}")
            steps.append(WrittenStep(lhs, part, row, not (own and i == 0), number,
                                     i + 1 if len(parts) > 1 else None))
    if not steps:
        raise ParseError("no steps found; write one equality a line, e.g. ∂L/∂w5 = 2(ŷ − y)·N1")
    if len(steps) > MAX_STEPS:
        raise ParseError(f"{len(steps)} steps; at most {MAX_STEPS} are checked")
    return steps


def _numbered_rows(text):
    """``(line number, row)`` of each row of ``text``: its lines, or the rows of its LaTeX
    block, each numbered by the line of the text where it begins."""
    block = re.search(_BLOCK, text, re.S)
    if not block:
        return enumerate(text.splitlines(), start=1)
    out, at = [], block.start(2)
    for row in re.split(r"\\\\", block.group(2)):
        first = at + len(row) - len(row.lstrip())
        out.append((text.count("\n", 0, first) + 1, row))
        at += len(row) + 2
    return out


def read_side(net, text):
    """An expression that may hold ∂A/∂B partials (kept as :class:`Partial` objects)."""
    if getattr(net, "layers", None):  # a network's answers may use the books' names
        text = layer_indexed(text)
        names = readable(net, spellings(net.symbols.values()))
        return parse_answer(text, names, net=net, keep_partials=True)
    return parse_answer(text, net=net, keep_partials=True)


def read_target(net, text):
    """The left side ``∂A/∂B`` (or ``δ1``, ``δ_1``, ``\\delta_1``: ∂L/∂N1) as a Partial; a
    ParseError for any other left side.

    >>> from symnet.network import Network
    >>> read_target(Network("2-2-1"), "δ1")
    ∂L/∂N1
    """
    side = read_side(net, text)
    if isinstance(side, Delta):
        return Partial(net.output, side.node)
    if not isinstance(side, Partial):
        raise ParseError(f"the left side {text!r} is not a partial ∂A/∂B (or δ1 for ∂L/∂N1), "
                         "e.g. ∂L/∂w5")
    return side
