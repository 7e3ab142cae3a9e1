"""A whitelist parser for math typed by users: numbers, operators, parentheses, names, and a
fixed set of functions.

SymPy's ``sympify`` and ``parse_expr`` run Python's ``eval`` on their input, so text typed by a
user must never reach them.  This parser reads the text token by token and builds SymPy objects
itself; anything outside the grammar is rejected with a :class:`~symnet.errors.ParseError` that
names the offending token and what is allowed.

>>> parse_expression("2x(1 - x)")
2*x*(1 - x)
>>> parse_definitions("m = x**2; z = m**2")
{m: x**2, z: m**2}
"""

import keyword
import math
import re

import sympy as sp

from .activations import REGISTRY
from .errors import ParseError

MAX_LENGTH = 2000
MAX_DEPTH = 100
MAX_EXPONENT = 1000  # |n| in x**n; also caps the digits of number**number
MAX_EXP_ARGUMENT = 1000  # exp(1000) is fine; exp(exp(100)) would need 10⁴³ digits

_ELEMENTARY = {
    "exp": (sp.exp, 1), "log": (sp.log, 1), "ln": (sp.log, 1), "sqrt": (sp.sqrt, 1),
    "sin": (sp.sin, 1), "cos": (sp.cos, 1), "tan": (sp.tan, 1), "sinh": (sp.sinh, 1),
    "cosh": (sp.cosh, 1), "tanh": (sp.tanh, 1), "abs": (sp.Abs, 1),
}


def known_functions():
    """The functions a user may call: ``{name: (SymPy function, arity)}``, elementary ones and
    every registered activation under its name and spellings (read from the registry on each
    call, so that later registrations count).

    >>> known_functions()["sigma"]
    (sigmoid, 1)
    """
    table = dict(_ELEMENTARY)
    for e in REGISTRY.values():
        if e.function is not None:
            for spelling in (e.name, *e.spellings):
                if spelling.isidentifier():
                    table.setdefault(spelling, (e.function, 1 + len(e.options)))
    return table

# Unicode a student may type, mapped to the plain spelling before tokenising.
_UNICODE = {"ŷ": "yhat", "σ": "sigma", "·": "*", "⋅": "*", "×": "*", "−": "-", "–": "-",
            "÷": "/", "²": "**2", "³": "**3"}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
""", re.VERBOSE)

def _allowed():
    return ("numbers, names, + - * / ** ^, parentheses and the functions "
            + ", ".join(sorted(known_functions())))


def tokenize(text):
    """The tokens of ``text`` as ``(kind, value, position)``; rejects any other character."""
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    for char, plain in _UNICODE.items():
        text = text.replace(char, f" {plain} " if plain.isalpha() else plain)
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            char = text[pos]
            code = f" (U+{ord(char):04X})" if not char.isascii() else ""
            raise ParseError(f"unexpected character {char!r}{code} at position {pos + 1}; "
                             f"allowed: {_allowed()}")
        kind = m.lastgroup
        if kind != "space":
            tokens.append((kind, m.group(), pos + 1))
        pos = m.end()
    return tokens


def check_name(name):
    """``name`` if it is a plain name usable as a symbol, else a ParseError."""
    if name.startswith("_") or keyword.iskeyword(name) or len(name) > 30:
        raise ParseError(f"{name!r} is not accepted as a name; names are letters and digits "
                         "(at most 30, not starting with '_' and not a Python keyword)")
    return name


class _Parser:
    def __init__(self, text, names):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.names = names

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "", 0)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise ParseError(f"expected {value!r} but found {_describe(tok)}")
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            raise ParseError(f"empty expression; expected {_allowed()}")
        expr = self.expr()
        if self.peek()[0] != "end":
            raise ParseError(f"unexpected {_describe(self.peek())}")
        return expr

    def nest(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ParseError(f"expression nested deeper than {MAX_DEPTH} levels")

    def expr(self):
        self.nest()
        terms = [self.term()]
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            t = self.term()
            terms.append(t if op == "+" else -t)
        self.depth -= 1
        return sp.Add(*terms)

    def term(self):
        factors = [self.unary()]
        while True:
            kind, value, _ = self.peek()
            if value in ("*", "/"):
                self.take()
                f = self.unary()
                factors.append(f if value == "*" else 1 / _nonzero(f))
            elif kind in ("number", "name") or value == "(":
                factors.append(self.unary())  # implicit multiplication: 2x, 2(x + 1)
            else:
                return sp.Mul(*factors)

    def unary(self):
        if self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            self.nest()
            operand = self.unary()
            self.depth -= 1
            return -operand if op == "-" else operand
        return self.power()

    def power(self):
        base = self.primary()
        if self.peek()[1] in ("**", "^"):
            self.take()
            self.nest()
            exponent = self.unary()
            self.depth -= 1
            return _power(base, exponent)
        return base

    def primary(self):
        kind, value, pos = tok = self.take()
        if kind == "number":
            exponent = re.search(r"[eE]([+-]?\d+)$", value)
            if exponent and abs(int(exponent.group(1))) > MAX_EXPONENT:
                raise ParseError(f"number {value} at position {pos} is too large or too small; "
                                 f"exponents up to ±{MAX_EXPONENT} are accepted")
            return sp.Rational(value) if re.search(r"[.eE]", value) else sp.Integer(value)
        if value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "name":
            functions = known_functions()
            if self.peek()[1] == "(" and value in functions:
                return self.call(value, functions[value])
            if value in functions:
                raise ParseError(f"function {value!r} at position {pos} needs parentheses: {value}(…)")
            return self.symbol(value, pos)
        raise ParseError(f"unexpected {_describe(tok)}; expected a number, a name or '('")

    def call(self, name, function):
        func, arity = function
        self.take("(")
        args = [self.expr()]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.expr())
        self.take(")")
        if len(args) != arity:
            raise ParseError(f"{name} takes {arity} argument{'s' * (arity > 1)}, got {len(args)}")
        if name in ("exp", "sinh", "cosh") and args[0].is_number \
                and abs(complex(args[0].evalf(15))) > MAX_EXP_ARGUMENT:
            raise ParseError(f"{name} of a number larger than {MAX_EXP_ARGUMENT} is not accepted")
        return func(*args)

    def symbol(self, name, pos):
        check_name(name)
        if self.names is None:
            return sp.Symbol(name)
        if name not in self.names:
            known = dict.fromkeys(str(s) for s in self.names.values())
            raise ParseError(f"unknown name {name!r} at position {pos}; known names: "
                             f"{', '.join(known)}; functions: {', '.join(sorted(known_functions()))}")
        return self.names[name]


def _describe(tok):
    kind, value, pos = tok
    return "end of input" if kind == "end" else f"{value!r} at position {pos}"


def _nonzero(expr):
    if expr.is_zero:
        raise ParseError("division by zero")
    return expr


def _power(base, exponent):
    if not exponent.is_Number and any(not p.exp.is_Number for p in exponent.atoms(sp.Pow)):
        raise ParseError("a tower of powers with symbols in the exponents (like x**y**z) is not "
                         "accepted: it cannot be evaluated in reasonable time")
    if exponent.is_Number:
        if abs(exponent) > MAX_EXPONENT:
            raise ParseError(f"exponent {exponent} is too large; |exponent| ≤ {MAX_EXPONENT}")
        if base.is_Rational and exponent.is_Integer and base != 0:
            digits = abs(int(exponent)) * math.log10(max(abs(base.p), abs(base.q)) + 1)
            if digits > MAX_EXPONENT:
                raise ParseError(f"{base}**{exponent} has about {digits:.0f} digits; "
                                 f"at most {MAX_EXPONENT} are accepted")
        if base.is_zero and exponent.is_negative:
            raise ParseError("division by zero")
    return sp.Pow(base, exponent)


def parse_expression(text, names=None):
    """Parse ``text`` into a SymPy expression without ever evaluating it as Python.

    ``names`` maps the accepted names to their Symbols; when omitted, any plain name becomes a
    Symbol.

    >>> parse_expression("sigma(N1)*(1 - sigma(N1))")
    (1 - sigmoid(N1))*sigmoid(N1)
    >>> parse_expression("__import__(os)")
    Traceback (most recent call last):
    ...
    symnet.errors.ParseError: '__import__' is not accepted as a name; names are letters and digits (at most 30, not starting with '_' and not a Python keyword)
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    return _Parser(text, names).parse()


def parse_definitions(text):
    """Parse ``"m = x**2; z = m**2"`` (or a list of such strings) into ``{m: x**2, z: m**2}``.

    Definitions are separated by ';' or new lines; each is ``name = expression``, and a name is
    defined once, before any use.

    >>> parse_definitions(["a = x + 1", "b = a*x"])
    {a: x + 1, b: a*x}
    """
    parts = text if isinstance(text, (list, tuple)) else re.split(r"[;\n]", text)
    definitions = {}
    used = set()
    for part in parts:
        if not isinstance(part, str):
            raise ParseError(f"expected a definition 'name = expression', got {part!r}")
        if not part.strip():
            continue
        lhs, eq, rhs = part.partition("=")
        name = lhs.strip()
        if not eq or "=" in rhs or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ParseError(f"{part.strip()!r} is not a definition; expected 'name = expression', "
                             "e.g. 'm = x**2'")
        symbol = sp.Symbol(check_name(name))
        if symbol in definitions:
            raise ParseError(f"{name} is defined twice")
        if symbol in used:
            raise ParseError(f"{name} is used before it is defined")
        expr = parse_expression(rhs)
        if symbol in expr.free_symbols:
            raise ParseError(f"{name} is defined in terms of itself")
        used |= expr.free_symbols
        definitions[symbol] = expr
    if not definitions:
        raise ParseError("no definitions given; expected 'name = expression', e.g. 'm = x**2'")
    return definitions


# ------------------------------------------------------------------------- LaTeX

_LATEX_WORDS = {
    "cdot": "*", "times": "*", "sigma": " sigma ", "exp": " exp ", "log": " log ", "ln": " ln ",
    "tanh": " tanh ", "sinh": " sinh ", "cosh": " cosh ", "sin": " sin ", "cos": " cos ",
    "tan": " tan ", ",": " ", ";": " ", "!": "", " ": " ", ":": " ", "quad": " ",
    "left": "", "right": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "",
}
def _latex_names():
    """\\operatorname{…} words (lower case, without _ or -) → the function's plain name."""
    return {s.lower().replace("_", ""): e.name for e in REGISTRY.values() if e.function
            for s in (e.name, *e.spellings)}
LATEX_ALLOWED = ("\\frac, \\dfrac, \\tfrac, \\sqrt, \\hat, \\left, \\right, \\cdot, \\times, "
                 "\\operatorname{…}, \\mathrm{…}, " + ", ".join(
                     "\\" + w for w in sorted(_LATEX_WORDS) if w.isalpha() and w not in
                     ("left", "right", "cdot", "times")))


def latex_to_plain(text):
    r"""Translate the LaTeX a student types into symnet's plain syntax; refuse other commands.

    >>> latex_to_plain(r"2(\hat{y}-y)N_{1}")
    '2( yhat-y)N_1'
    >>> latex_to_plain(r"\frac{1}{2}\sigma(N_1)\left(1-\sigma(N_1)\right)")
    '((1)/(2)) sigma (N_1)(1- sigma (N_1))'
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    return _Latex(text).translate(0)


class _Latex:
    def __init__(self, text):
        self.text, self.i = text, 0

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
            elif c == "_":
                self.i += 1
                sub = self.group(depth) if self.peek() == "{" else self.take_char()
                if not re.fullmatch(r"[A-Za-z0-9]+", sub):
                    raise ParseError(f"subscript {sub!r} is not accepted; subscripts are "
                                     "letters and digits, e.g. w_{5}")
                out.append("_" + sub)
            else:
                out.append(c)
                self.i += 1
        if stop is not None:
            raise ParseError("unbalanced '{': missing '}'")
        return "".join(out)

    def peek(self):
        return self.text[self.i] if self.i < len(self.text) else ""

    def take_char(self):
        c = self.peek()
        if not c:
            raise ParseError("unexpected end of input after '_' or a command")
        self.i += 1
        return c

    def group(self, depth):
        """The raw translation of the next {…} group (or single character)."""
        while self.peek() == " ":
            self.i += 1
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
        if name == "hat":
            return f" {self.group(depth)}hat"
        if name in ("operatorname", "mathrm", "text", "mathit"):
            word = self.group(depth).replace(" ", "")
            key = word.lower().replace("_", "").replace("-", "")
            known = _latex_names()
            if key in known:
                return f" {known[key]} "
            return f" {word} "
        if name in _LATEX_WORDS:
            if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr") and self.peek() == ".":
                self.i += 1
            return _LATEX_WORDS[name]
        if name in ("{", "}"):
            return "(" if name == "{" else ")"
        raise ParseError(f"LaTeX command \\{name} is not allowed; allowed: {LATEX_ALLOWED}")


def parse_answer(text, names):
    """Parse a student's answer, plain (``2*(yhat - y)*N1``) or LaTeX (``2(\\hat{y}-y)N_{1}``).

    ``names`` maps every accepted spelling of a name to its Symbol (see :func:`spellings`).

    >>> import sympy as sp
    >>> N1, y, yhat = sp.symbols("N1 y yhat")
    >>> parse_answer(r"2(\\hat{y}-y)N_{1}", spellings([N1, y, yhat]))
    2*N1*(-y + yhat)
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    if "\\" in text or "{" in text or "}" in text:
        text = latex_to_plain(text)
    return parse_expression(text, {"e": sp.E, **names})


def spellings(symbols):
    """Every accepted spelling of each symbol: w5, w_5 (w_{5} in LaTeX); yhat1, yhat_1, y_hat1.

    >>> sorted(spellings([sp.Symbol("yhat1")]))
    ['y_hat1', 'y_hat_1', 'yhat1', 'yhat_1']
    """
    out = {}
    for s in symbols:
        name = s.name
        m = re.fullmatch(r"([A-Za-z]+)(\d*)", name)
        variants = {name}
        if m:
            stem, digits = m.groups()
            stems = {stem} | ({stem[:-3] + "_hat"} if stem.endswith("hat") and len(stem) > 3 else set())
            for st in stems:
                variants |= {st + digits} | ({f"{st}_{digits}"} if digits else set())
        for v in variants:
            out[v] = s
    return out


def parse_assignments(text):
    """``"x1=1,x2=0,y=0.5"`` → ``{"x1": 1.0, "x2": 0.0, "y": 0.5}``: plain floats, never eval.

    >>> parse_assignments("x1=1, w1=.15,y=-2e-1")
    {'x1': 1.0, 'w1': 0.15, 'y': -0.2}
    """
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    out = {}
    for part in text.split(","):
        name, eq, value = (s.strip() for s in part.partition("="))
        if not eq or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
            raise ParseError(f"{part.strip()!r} is not name=value; expected a list like "
                             "x1=1,x2=0,y=1")
        try:
            number = float(value)
        except ValueError:
            raise ParseError(f"{name}={value!r}: {value!r} is not a number") from None
        if not math.isfinite(number):
            raise ParseError(f"{name}={value}: the value must be a finite number")
        if name in out:
            raise ParseError(f"{name} is given twice")
        out[name] = number
    return out
