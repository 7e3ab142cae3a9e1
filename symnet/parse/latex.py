r"""LaTeX as students type it, translated to symnet's plain syntax; other commands are refused.

>>> latex_to_plain(r"\sigma^{\prime}(z_1) \cdot \hat{y}_1")
" sigma'(z_1) * yhat_1"
"""

import re

from ..activations import REGISTRY
from ..errors import ParseError, listed, near_names
from ..generics import GREEK
from .tokens import MAX_LENGTH

MAX_DEPTH = 100

_WORDS = {
    "cdot": "*", "times": "*", "ast": "*", "sigma": " sigma", "theta": " theta",
    "delta": " delta", "partial": " ∂ ", "exp": " exp ", "log": " log ", "ln": " ln ",
    "tanh": " tanh ", "sinh": " sinh ", "cosh": " cosh ", "sin": " sin ", "cos": " cos ",
    "tan": " tan ", "sech": " sech ", "sqrt": None, "prime": "'", "max": " max", "min": " min",
    "geq": ">=", "ge": ">=", "leq": "<=", "le": "<=", "gt": ">", "lt": "<",
    "lbrack": "[", "rbrack": "]", "lvert": " abs(", "rvert": ")", "lbrace": "(", "rbrace": ")",
    ",": " ", ";": " ", "!": "", " ": " ", ":": " ", "quad": " ", "qquad": " ",
    "left": "", "right": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "", "big": "", "Big": "",
}
# Greek letters are names (\phi → phi, \lambda → lamda, as SymPy spells them); σ, θ and δ above
_GREEK_WORDS = {("lambda" if n == "lamda" else "Lambda" if n == "Lamda" else n): " " + n
                for n in GREEK.values()}
_GREEK_WORDS.update({"varphi": " phi", "vartheta": " theta", "varepsilon": " epsilon"})
_SIZES = ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big")
_WRAPPERS = ("operatorname", "mathrm", "text", "mathit", "textrm", "mathbb", "mathbf", "mathbbm",
             "boldsymbol", "mathnormal")
_CONDITION_WORDS = {"for": "", "if": "", "when": "", "otherwise": "True", "else": "True"}


def _one_group(text):
    """Whether ``text`` is one parenthesised group, ``(…)``."""
    depth = 0
    for i, c in enumerate(text):
        depth += (c == "(") - (c == ")")
        if depth == 0 and i < len(text) - 1:
            return False
    return text.startswith("(") and depth == 0


def _latex_names():
    """\\operatorname{…} words (lower case, without _ or -) → the function's plain name."""
    return {s.lower().replace("_", ""): e.name for e in REGISTRY.values() if e.function
            for s in (e.name, *e.spellings)}


LATEX_ALLOWED = ("\\frac, \\dfrac, \\tfrac, \\sqrt, \\hat, \\prime, \\partial, \\left, \\right, "
                 "\\cdot, \\times, \\operatorname{…}, \\mathrm{…}, \\mathbb{1}, \\begin{cases}, "
                 + ", ".join("\\" + w for w in sorted(_WORDS) if w.isalpha() and w not in
                             (*_SIZES, "cdot", "times", "prime", "partial", "sqrt"))
                 + ", Greek letters (\\phi, \\lambda, …)")


def latex_to_plain(text):
    r"""Translate the LaTeX a student types into symnet's plain syntax; refuse other commands.

    >>> latex_to_plain(r"2(\hat{y}-y)N_{1}")
    '2( yhat-y)N_1'
    >>> latex_to_plain(r"\frac{1}{2}\sigma(N_1)\left(1-\sigma(N_1)\right)")
    '((1)/(2)) sigma(N_1)(1- sigma(N_1))'
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    return re.sub(r"(\w)\s+'", r"\1'", _Latex(text).translate(0))  # \tanh' → tanh'


class _Latex:
    def __init__(self, text, conditions=False):
        self.text, self.i, self.conditions = text, 0, conditions

    def translate(self, depth, stop=None):
        if depth > MAX_DEPTH:
            raise ParseError(f"expression nested deeper than {MAX_DEPTH} levels")
        out, text = [], self.text
        while self.i < len(text):
            c = text[self.i]
            if c == stop:
                self.i += 1
                return "".join(out)
            if c == "\\":
                out.append(self.command(depth))
            elif c == "{":
                self.i += 1
                out.append("(" + self.translate(depth + 1, "}") + ")")
            elif c == "}":
                raise ParseError(f"unbalanced '}}' at position {self.i + 1}")
            elif c == "_" and "".join(out).rstrip().endswith("1") and self.condition_follows():
                self.i += 1  # the indicator \mathbb{1}_{x > 0} is the Iverson bracket [x > 0]
                condition = self.group(depth).strip()
                if _one_group(condition):  # \mathbb{1}_{\{x > 0\}}
                    condition = condition[1:-1]
                out.append("[" + condition + "]")
            elif c == "_":
                self.i += 1
                out.append("_" + self.subscript(depth))
            elif c == "^" and (m := re.compile(r"\^\s*(\{\s*((?:\\prime\s*)+)\}|\\prime)").match(text, self.i)):
                self.i = m.end()
                out.append("'" * max(1, m.group(0).count("prime")))
            elif c == "&":
                raise ParseError("'&' belongs in an aligned block; give one expression, or use "
                                 "check_derivation for a derivation line by line")
            else:
                out.append(c)
                self.i += 1
        if stop is not None:
            raise ParseError("unbalanced '{': missing '}'")
        return "".join(out)

    def condition_follows(self):
        m = re.compile(r"_\s*\{([^{}]|\{[^{}]*\})*\}").match(self.text, self.i)
        return bool(m) and re.search(r"[<>]|\\[lg]e|\\[lg]eq|\\[lg]t", m.group()) is not None

    def subscript(self, depth):
        sub = self.group(depth) if self.peek() in ("{", " ") else self.take_char()
        flat = re.sub(r"[\s_]", "", sub)  # \delta_{N_1} → delta_N1
        if not re.fullmatch(r"[A-Za-z0-9]+", flat):
            raise ParseError(f"subscript {sub.strip()!r} is not accepted; subscripts are letters "
                             "and digits, e.g. w_{5} or \\delta_{N_1}")
        return flat

    def peek(self):
        return self.text[self.i] if self.i < len(self.text) else ""

    def take_char(self):
        c = self.peek()
        if not c:
            raise ParseError("unexpected end of input after '_' or a command")
        self.i += 1
        return c

    def group(self, depth):
        """The raw translation of the next {…} group (or single character, or command)."""
        while self.peek() == " ":
            self.i += 1
        if self.peek() == "\\":
            return self.command(depth)
        if self.peek() != "{":
            return self.take_char()
        self.i += 1
        return self.translate(depth + 1, "}")

    def command(self, depth):
        m = re.compile(r"\\([A-Za-z]+|.)").match(self.text, self.i)
        if not m:
            raise ParseError("a lone '\\' at the end of the input")
        name = m.group(1)
        self.i = m.end()
        if name in ("frac", "dfrac", "tfrac"):
            return f"(({self.group(depth)})/({self.group(depth)}))"
        if name == "sqrt":
            return f" sqrt({self.group(depth)})"
        if name in ("hat", "widehat"):
            inner = self.group(depth).strip()
            stem = re.fullmatch(r"([A-Za-z]+)(_?[A-Za-z0-9]*)", inner)  # \hat{y_1} → yhat_1
            return f" {stem.group(1)}hat{stem.group(2)}" if stem else f" ({inner})hat"
        if name == "begin":
            return self.cases(depth)
        if name in _WRAPPERS:
            return self.wrapped(depth)
        if name in _GREEK_WORDS and name not in _WORDS:
            return _GREEK_WORDS[name]
        if name in _WORDS and _WORDS[name] is not None:
            if name in _SIZES and self.peek() == ".":
                self.i += 1
            elif name in _SIZES and self.peek() == "|":  # \left| x \right| is abs(x)
                self.i += 1
                return " abs(" if name in ("left", "bigl", "Bigl") else ")"
            return _WORDS[name]
        if name in ("{", "}"):
            return "(" if name == "{" else ")"
        close = near_names(name, [w for w in _WORDS if w.isalpha()] + [
            "frac", "sqrt", "hat", "operatorname", "mathrm", "mathbb", "begin"])
        hint = f"; did you mean \\{close[0]}?" if close else ""
        raise ParseError(f"LaTeX command \\{name} is not allowed{hint}; allowed: "
                         f"{listed(LATEX_ALLOWED.split(', '), 180)}")

    def wrapped(self, depth):
        word = self.group(depth).replace(" ", "")
        if self.conditions and word in _CONDITION_WORDS:
            return f" {_CONDITION_WORDS[word]} "
        key = word.lower().replace("_", "").replace("-", "")
        known = _latex_names()
        word = known.get(key, word)
        if self.peek() == "_" and word != "1":  # \operatorname{softmax}_{1}(…) → softmax_1(…)
            self.i += 1
            return f" {word}_{self.subscript(depth)}"
        return f" {word} " if word != "1" else " 1"

    def cases(self, depth):
        r"""\begin{cases} a & \text{for } x > 0 \\ b & \text{otherwise} \end{cases} → Piecewise."""
        m = re.compile(r"\s*\{cases\}(.*?)\\end\s*\{cases\}", re.S).match(self.text, self.i)
        if not m:
            raise ParseError("only \\begin{cases} … \\end{cases} is accepted inside an answer")
        self.i = m.end()
        pieces = []
        for row in re.split(r"\\\\", m.group(1)):
            if not row.strip():
                continue
            value, amp, condition = row.partition("&")
            if not amp:
                raise ParseError("each row of cases is 'value & condition', e.g. 1 & x > 0")
            value = _Latex(value).translate(depth + 1)
            condition = _Latex(condition, conditions=True).translate(depth + 1).strip() or "True"
            pieces.append(f"({value}, {condition})")
        return " Piecewise(" + ", ".join(pieces) + ")"
