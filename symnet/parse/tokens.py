"""Reading text into tokens: the Unicode a student types mapped to plain spellings, strict numbers.

>>> [t[1] for t in tokenize("ŷ₁ − σ′(N₁)·x²")]
['yhat_1', '-', 'sigma', "'", '(', 'N_1', ')', '*', 'x', '**', '2']
"""

import keyword
import re
import unicodedata

from ..errors import ParseError
from ..generics import GREEK

MAX_LENGTH = 2000

# Unicode a student may type, mapped to the plain spelling before tokenising.  Letters get a
# space before them (2σ is 2·σ) but none after, so that σ₁ and ŷ1 stay one name.
_UNICODE = {"σ": " sigma", "θ": " theta", "δ": " delta", "∂": " ∂ ", "·": "*", "⋅": "*",
            "×": "*", "∗": "*", "−": "-", "–": "-", "÷": "/", "′": "'", "’": "'", "″": "''",
            "≥": ">=", "≤": "<=", "⩾": ">=", "⩽": "<=", "𝟙": " 1", "√": " sqrt", "\u200b": ""}
# every other Greek letter is its name, as SymPy spells it (φ → phi)
_UNICODE = {**{c: " " + name for c, name in GREEK.items()}, **_UNICODE}
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)  # ASCII digits only (values)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|>=|<=|[-+*/^(),\[\]'<>=∂|])
""", re.VERBOSE | re.ASCII)

ALLOWED = ("numbers, names, + - * / ** ^, ( ) and [ ], the functions below, σ'(z) for an "
           "activation's derivative, θ(z) or [z > 0] for the step, δ1 and ∂L/∂N1 for a δ")


def normalize(text):
    """``text`` with the Unicode notations replaced by plain ones (ŷ → yhat, N₁ → N_1, x² → x**2),
    and for each character of the result the 1-based position it came from.

    >>> normalize("ŷ₁")
    (' yhat_1', [1, 1, 1, 1, 1, 2, 2])
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    text = unicodedata.normalize("NFC", text)  # y + U+0302 becomes ŷ
    out, origin, i = [], [], 0
    while i < len(text):
        c, nxt = text[i], text[i + 1:i + 2]
        if c.isascii() and c.isalpha() and nxt == "\u0302":  # x + combining circumflex: xhat
            plain, used = f" {c}hat", 2
        elif c == "ŷ":
            plain, used = " yhat", 1
        elif c in _SUB:
            plain, used = ("" if out and out[-1].endswith(tuple("_0123456789")) and text[i - 1] in _SUB
                           else "_") + _SUB[c], 1
        elif c in _SUPER:
            plain, used = ("" if i and text[i - 1] in _SUPER else "**") + _SUPER[c], 1
        else:
            plain, used = _UNICODE.get(c, c), 1
        out.append(plain)
        origin += [i + 1] * len(plain)
        i += used
    return "".join(out), origin


def tokenize(text, glued=False):
    """The tokens of ``text`` as ``(kind, value, position)``; rejects any other character and
    any malformed number (``1.2.3``, ``N1.5``), naming it.  Positions count in ``text``;
    ``glued=True`` adds a fourth item, whether the token follows the one before without a space."""
    text, origin = normalize(text)
    at = lambda i: origin[i] if i < len(origin) else len(origin) + 1
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            char = text[pos]
            code = f" (U+{ord(char):04X})" if not char.isascii() else ""
            raise ParseError(f"unexpected character {char!r}{code} at position {at(pos)}; "
                             f"allowed: {ALLOWED}")
        kind, value = m.lastgroup, m.group()
        if value == "'" and not (tokens and tokens[-1][0] == "name" and
                                 tokens[-1][3] == pos or tokens and tokens[-1][1] == "'"):
            raise ParseError(f"unexpected character \"'\" at position {at(pos)}; a prime "
                             "follows an activation's name directly, as in σ'(N1)")
        if kind == "number":
            _check_number(text, m, at(pos))
        if kind == "name" and re.match(r"\.\d", text[m.end():]):
            bad = re.match(r"[\w.]+", text[m.start():]).group()
            raise ParseError(f"malformed name or number {bad!r} at position {at(pos)}; names are "
                             "letters and digits and numbers have one decimal point; for a "
                             f"product write {value}*{re.match(r'[.0-9]+', text[m.end():]).group()}")
        if kind != "space":
            tokens.append((kind, value, at(pos), m.end(), bool(tokens) and tokens[-1][3] == pos))
        pos = m.end()
    return [(t[0], t[1], t[2], t[4]) if glued else t[:3] for t in tokens]


def _check_number(text, m, position):
    if text[m.end():m.end() + 1] == ".":  # 1.2.3 and 1..2 are typos, not the product 1.2·0.3
        bad = re.match(r"[\w.]+", text[m.start():]).group()
        raise ParseError(f"malformed number {bad!r} at position {position}; a number has at "
                         "most one decimal point, e.g. 1.25 or .5")


def check_name(name):
    """``name`` if it is a plain name usable as a symbol, else a ParseError."""
    if name.startswith("_") or keyword.iskeyword(name) or len(name) > 30:
        raise ParseError(f"{name!r} is not accepted as a name; names are letters and digits "
                         "(at most 30, not starting with '_' and not a Python keyword)")
    return name
