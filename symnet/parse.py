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

from .errors import ParseError
from .functions import elu, leaky_relu, relu, sigmoid, silu, softplus

MAX_LENGTH = 2000
MAX_DEPTH = 100
MAX_EXPONENT = 1000  # |n| in x**n; also caps the digits of number**number

FUNCTIONS = {
    "exp": (sp.exp, 1), "log": (sp.log, 1), "ln": (sp.log, 1), "sqrt": (sp.sqrt, 1),
    "sin": (sp.sin, 1), "cos": (sp.cos, 1), "tan": (sp.tan, 1), "sinh": (sp.sinh, 1),
    "cosh": (sp.cosh, 1), "tanh": (sp.tanh, 1), "abs": (sp.Abs, 1),
    "sigmoid": (sigmoid, 1), "sigma": (sigmoid, 1), "relu": (relu, 1), "softplus": (softplus, 1),
    "silu": (silu, 1), "leaky_relu": (leaky_relu, 2), "elu": (elu, 2),
}

# Unicode a student may type, mapped to the plain spelling before tokenising.
_UNICODE = {"ŷ": "yhat", "σ": "sigma", "·": "*", "⋅": "*", "×": "*", "−": "-", "–": "-",
            "÷": "/", "²": "**2", "³": "**3"}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
""", re.VERBOSE)

ALLOWED = ("numbers, names, + - * / ** ^, parentheses and the functions "
           + ", ".join(sorted(FUNCTIONS)))


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
            raise ParseError(f"unexpected character {text[pos]!r} at position {pos + 1}; "
                             f"allowed: {ALLOWED}")
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
            raise ParseError(f"empty expression; expected {ALLOWED}")
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
            return sp.Rational(value) if re.search(r"[.eE]", value) else sp.Integer(value)
        if value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if kind == "name":
            if self.peek()[1] == "(" and value in FUNCTIONS:
                return self.call(value)
            if value in FUNCTIONS:
                raise ParseError(f"function {value!r} at position {pos} needs parentheses: {value}(…)")
            return self.symbol(value, pos)
        raise ParseError(f"unexpected {_describe(tok)}; expected a number, a name or '('")

    def call(self, name):
        func, arity = FUNCTIONS[name]
        self.take("(")
        args = [self.expr()]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.expr())
        self.take(")")
        if len(args) != arity:
            raise ParseError(f"{name} takes {arity} argument{'s' * (arity > 1)}, got {len(args)}")
        return func(*args)

    def symbol(self, name, pos):
        check_name(name)
        if self.names is None:
            return sp.Symbol(name)
        if name not in self.names:
            raise ParseError(f"unknown name {name!r} at position {pos}; known names: "
                             f"{', '.join(self.names)}; functions: {', '.join(sorted(FUNCTIONS))}")
        return self.names[name]


def _describe(tok):
    kind, value, pos = tok
    return "end of input" if kind == "end" else f"{value!r} at position {pos}"


def _nonzero(expr):
    if expr.is_zero:
        raise ParseError("division by zero")
    return expr


def _power(base, exponent):
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
