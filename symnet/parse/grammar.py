"""The expression grammar: a recursive-descent parser that builds SymPy objects itself.

>>> parse_expression("2x(1 - x)")
2*x*(1 - x)
>>> parse_expression("tanh^2(x) + θ(x)")
tanh(x)**2 + Heaviside(x, 0)
>>> parse_expression("max(z, w) + φ(z)", new_generics=True)
max(z, w) + phi(z)
"""

import math
import re

import sympy as sp

from ..activations import REGISTRY
from ..bounds import check_cost
from ..errors import ParseError, listed
from ..functions import maximum, minimum, softmax
from ..generics import generic_function
from . import notation
from .tokens import ALLOWED, MAX_LENGTH, check_name, tokenize

MAX_DEPTH = 100
MAX_EXPONENT = 1000  # |n| in x**n; also caps the digits of number**number
MAX_EXP_ARGUMENT = 1000  # exp(1000) is fine; exp(exp(100)) would need 10⁴³ digits
MAX_PIECES = 10

_ELEMENTARY = {
    "exp": (sp.exp, 1), "log": (sp.log, 1), "ln": (sp.log, 1), "sqrt": (sp.sqrt, 1),
    "sin": (sp.sin, 1), "cos": (sp.cos, 1), "tan": (sp.tan, 1), "sinh": (sp.sinh, 1),
    "cosh": (sp.cosh, 1), "tanh": (sp.tanh, 1), "sech": (sp.sech, 1), "abs": (sp.Abs, 1),
    "Abs": (sp.Abs, 1), "sign": (sp.sign, 1),
    # two or more arguments; Max and Min as SymPy spells them
    "max": (maximum, None), "min": (minimum, None), "Max": (maximum, None), "Min": (minimum, None),
}
_STEPS = ("Heaviside", "theta", "H")  # θ(x) and H(x): functions only when followed by '('
_COMPARE = (">", "<", ">=", "<=")


def known_functions():
    """The functions a user may call: ``{name: (SymPy function, arity)}``, elementary ones
    (max and min take two or more arguments: arity None) and every registered activation under
    its name and spellings (read from the registry on each call, so that later registrations
    count; an activation's options may be left out, as in ``leaky_relu(x)``).

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


def _function_list(width):
    names = [n for n in _ELEMENTARY if n not in ("Abs", "ln", "Max", "Min")]
    names += [e.name for e in REGISTRY.values() if e.function is not None]
    return listed([*sorted(set(names)), "Heaviside (θ, H)", "softmax", "Piecewise"], width)


class Parser:
    """One parse of ``text``.  ``names`` maps accepted names to Symbols (None: any plain name
    is a Symbol); ``net`` (optional) gives the layers for f'(z) and the output for ∂L/∂…;
    ``plain_names`` are names known to be symbols even before '(' (``x(1 - x)``);
    ``keep_partials``: ∂L/∂N1 stays a Partial (a written chain rule) instead of becoming δ;
    ``generics`` the generic functions that may be applied, by name, and with ``new_generics``
    any other name applied to arguments is a new one (see :mod:`symnet.generics`)."""

    def __init__(self, text, names=None, net=None, plain_names=(), keep_partials=False,
                 generics=None, new_generics=False):
        self.text = text
        self.keep_partials = keep_partials
        tokens = notation.partial_tokens(tokenize(text, glued=True), names)
        self.tokens = [t[:3] for t in tokens]
        self.glued = [len(t) > 3 and t[3] for t in tokens]
        self.i = 0
        self.depth = 0
        self.bars = 0  # inside |…|, a '|' closes instead of opening
        self.names = names
        self.net = net
        self.generics = dict(generics or {})
        self.new_generics = new_generics
        self.output = getattr(net, "output", None) or (names or {}).get("L") or sp.Symbol("L")
        self.plain = set(plain_names) | {  # names used as a symbol somewhere: x in x(1 - x)
            tok[1] for tok, nxt in zip(self.tokens, self.tokens[1:] + [("end", "", 0)])
            if tok[0] == "name" and nxt[1] not in ("(", "'")}

    def peek(self, ahead=0):
        i = self.i + ahead
        return self.tokens[i] if i < len(self.tokens) else ("end", "", 0)

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
            tok = self.peek()
            hint = "; an answer is one expression, or ∂L/∂w = expression" if tok[1] == "=" else ""
            raise ParseError(f"unexpected {_describe(tok)}{hint}")
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
            elif kind in ("number", "name", "partial") or value in ("(", "[") or (
                    value == "|" and not self.bars):
                factors.append(self.unary())  # implicit multiplication: 2x, 2(x + 1), 1[x > 0]
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
            return _number(value, pos)
        if kind == "partial":
            num, den = value
            as_delta = not self.keep_partials and \
                (self.net is None or den in getattr(self.net, "definitions", {}))
            return notation.partial(num, den, self.output, as_delta)
        if value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if value == "[":
            return self.bracket()
        if value == "∂" and re.fullmatch(r"_\d+", self.peek()[1]):
            return self.generic_partial()
        if value == "|":
            self.bars += 1
            inner = self.expr()
            self.take("|")
            self.bars -= 1
            return sp.Abs(inner)
        if kind == "name":
            return self.name(value, pos)
        raise ParseError(f"unexpected {_describe(tok)}; expected a number, a name or '('")

    def bracket(self):
        inner = self.expr()
        if self.peek()[1] in _COMPARE:
            op = self.take()[1]
            inner = notation.iverson(inner, op, self.expr())
        self.take("]")
        return inner

    def name(self, value, pos):
        check_name(value)
        nxt = self.peek()[1]
        if nxt == "'":
            return self.derivative(value, pos)
        functions = known_functions()
        if value in functions and nxt == "(":
            return self.call(value, functions[value])
        if value in functions and nxt in ("**", "^") and self.function_power():
            return _power(self.call(value, functions[value]), self.pending_exponent)
        if value in functions:
            raise ParseError(f"function {value!r} at position {pos} needs parentheses: {value}(…)")
        if nxt == "(" and value in _STEPS and not self.is_symbol(value):
            return self.step(value)
        if nxt == "(" and value in ("softmax", "Piecewise") or re.fullmatch(r"softmax_?\d+", value):
            return self.softmax(value) if value != "Piecewise" else self.piecewise()
        if nxt == "(" and not self.is_symbol(value) and (
                value in self.generics or self.new_generics and self.adjacent()):
            return self.apply_generic(value, self.arguments())
        delta = None if self.is_symbol(value) else notation.delta(value, self.names, self.output)
        if delta is not None:
            return delta
        if nxt == "(" and self.adjacent() and not self.is_symbol(value):
            error = ParseError(f"unknown function {value!r} at position {pos}"
                               f"{notation.nearest(value, functions)}; known: {_function_list(150)}; "
                               f"for a product write {value}*(…)")
            error.unknown = value  # the name, for callers that know why it is missing (h1)
            raise error
        if nxt == "[" and self.adjacent():
            raise ParseError(f"{value}[ at position {pos}: indexing is not accepted; for a "
                             f"product write {value}*[…], for a subscript {value}_1")
        return self.symbol(value, pos)

    def is_symbol(self, name):
        return name in self.names if self.names is not None else name in self.plain

    def adjacent(self):
        return self.i < len(self.glued) and self.glued[self.i]

    def function_power(self):
        """tanh²(x), tanh^2(x), tanh^{2}(x): an integer power of a function written before its
        argument; sets ``pending_exponent`` and leaves the argument's '(' next."""
        ahead = [self.peek(k) for k in range(1, 5)]
        if ahead[0][0] == "number" and ahead[1][1] == "(":
            self.i += 2
            self.pending_exponent = _number(ahead[0][1], ahead[0][2])
            return True
        if ahead[0][1] == "(" and ahead[1][0] == "number" and ahead[2][1] == ")" and ahead[3][1] == "(":
            self.i += 4
            self.pending_exponent = _number(ahead[1][1], ahead[1][2])
            return True
        if ahead[0][1] == "-" or (ahead[0][1] == "(" and ahead[1][1] == "-"):
            raise ParseError("a function to a negative power before its argument (like tanh^-1(x)) "
                             "is not accepted: write 1/tanh(x) or (tanh(x))**-1")
        return False

    def arguments(self):
        self.take("(")
        args = [self.expr()]
        while self.peek()[1] == ",":
            self.take()
            args.append(self.expr())
        self.take(")")
        return args

    def call(self, name, function):
        func, arity = function
        args = self.arguments()
        if arity is None:  # max, min
            if len(args) < 2:
                raise ParseError(f"{name} takes two or more arguments, got {len(args)}; write "
                                 f"{name}(a, b)")
            return func(*args)
        options = notation.activation_spellings().get(name)
        options = list(options.options.values()) if options is not None else []
        if not arity - len(options) <= len(args) <= arity:
            count = f"{arity - len(options)} to {arity}" if options else str(arity)
            raise ParseError(f"{name} takes {count} argument{'s' * (arity > 1)}, got {len(args)}")
        args += options[len(args) - 1:]  # leaky_relu(x): the default slope
        if name in ("exp", "sinh", "cosh") and args[0].is_number \
                and abs(complex(args[0].evalf(15))) > MAX_EXP_ARGUMENT:
            raise ParseError(f"{name} of a number larger than {MAX_EXP_ARGUMENT} is not accepted")
        return func(*args)

    def derivative(self, name, pos):
        self.take("'")
        known = notation.activation_spellings()
        if name in self.generics or (self.new_generics and name not in known and not self.is_symbol(name)):
            primes = "'"
            while self.peek()[1] == "'":
                primes += self.take()[1]
            if self.peek()[1] != "(":
                raise ParseError(f"{name}{primes} at position {pos} needs an argument: write "
                                 f"{name}{primes}(x)")
            return self.apply_generic(name, self.arguments(), (1,) * len(primes))
        if name not in known and name.lower() not in known and name not in notation.LAYER_DERIVATIVES:
            raise ParseError(f"{name}' at position {pos}: {name!r} is not an activation"
                             f"{notation.nearest(name, known)}; the derivative notation is "
                             f"σ'(z), tanh'(z), relu'(z) … or f'(z) for z's layer")
        if self.peek()[1] == "'":
            raise ParseError(f"{name}'' at position {pos}: second derivatives are not accepted")
        if self.peek()[1] != "(":
            shown = "σ" if name == "sigma" and "σ" in self.text else name
            raise ParseError(f"{shown}' at position {pos} needs an argument: write {shown}'(N1)")
        return notation.activation_derivative(name, self.arguments(), self.net)

    def apply_generic(self, name, args, orders=()):
        """The generic function ``name`` (or its derivative ``orders``) applied to ``args``."""
        known = self.generics.setdefault(name, generic_function(name, len(args)))
        if len(args) != known.arity:
            raise ParseError(f"{name} takes {known.arity} argument{'s' * (known.arity > 1)} "
                             f"(as where it is first used), got {len(args)}")
        if orders and known.arity > 1:
            raise ParseError(f"{name} has {known.arity} arguments: write its partial derivative in "
                             f"the first as ∂_1 {name}(…), not {name}'(…)")
        return generic_function(name, known.arity, orders)(*args)

    def generic_partial(self):
        """∂_1 f(a, b), ∂_1 ∂_2 f(a, b): partial derivatives of a generic function."""
        orders = [int(self.take()[1][1:])]
        while self.peek()[1] == "∂" and re.fullmatch(r"_\d+", self.peek(1)[1]):
            self.take()
            orders.append(int(self.take()[1][1:]))
        kind, name, pos = self.take()
        if kind != "name" or self.peek()[1] != "(" or not (name in self.generics or self.new_generics):
            raise ParseError(f"∂_{orders[0]} at position {pos} is a partial derivative of a generic "
                             "function of several arguments, written ∂_1 f(a, b)")
        args = self.arguments()
        if not all(1 <= i <= len(args) for i in orders):
            raise ParseError(f"∂_{max(orders)} {name}: {name} has {len(args)} "
                             f"argument{'s' * (len(args) > 1)}")
        self.apply_generic(name, args)  # the arity, as for f(a, b)
        return generic_function(name, len(args), tuple(sorted(orders)))(*args)

    def step(self, name):
        args = self.arguments()
        if len(args) == 2 and name == "Heaviside":
            return notation.step(*args)
        if len(args) != 1:
            raise ParseError(f"{name} takes one argument (Heaviside also a second, its value at 0), "
                             f"got {len(args)}")
        return notation.step(args[0])

    def softmax(self, name):
        k = re.sub(r"\D", "", name)
        args = self.arguments()
        if k:
            args = [sp.Integer(k), *args]
        if len(args) < 3 or not (args[0].is_Integer and 1 <= args[0] <= len(args) - 1):
            raise ParseError("softmax is written softmax(k, z1, …, zm) (or softmax_k(z1, …, zm)) "
                             "with k from 1 to m, e.g. softmax(1, N3, N4)")
        return softmax(*args)

    def piecewise(self):
        self.take("(")
        pieces = []
        while True:
            self.take("(")
            value = self.expr()
            self.take(",")
            if self.peek()[1] == "True":
                self.take()
                condition = sp.true
            else:
                lhs = self.expr()
                op = self.take()[1]
                if op not in _COMPARE:
                    raise ParseError("a Piecewise condition is a comparison (x > 0) or True")
                condition = {">": sp.Gt, "<": sp.Lt, ">=": sp.Ge, "<=": sp.Le}[op](lhs, self.expr())
            self.take(")")
            pieces.append((value, condition))
            if len(pieces) > MAX_PIECES:
                raise ParseError(f"a Piecewise has at most {MAX_PIECES} pieces")
            if self.take()[1] == ")":
                return sp.Piecewise(*pieces)

    def symbol(self, name, pos):
        check_name(name)
        if self.names is None:
            return sp.Symbol(name)
        if name not in self.names:
            known = dict.fromkeys(str(s) for s in self.names.values() if s.is_Symbol)
            hint = notation.nearest(name, list(self.names) + list(known_functions()))
            if name in ("theta", "H", "Heaviside"):
                hint = "; θ is the step function: write θ(N1)"
            elif name in self.generics:
                hint = f"; {name} is a function: write {name}(…)"
            elif name in notation.activation_spellings() or name == "delta":
                hint = f"; write {name}(N1)" if name != "delta" else "; write δ1 or δ_N1"
            error = ParseError(f"unknown name {name!r} at position {pos}{hint}; known names: "
                               f"{listed(known, 80)}; functions: {_function_list(80)}")
            error.unknown = name
            raise error
        return self.names[name]


def _describe(tok):
    kind, value, pos = tok
    if kind == "partial":
        return f"{notation.partial_text(*value)} at position {pos}"
    return "end of input" if kind == "end" else f"{value!r} at position {pos}"


def _number(value, pos):
    exponent = re.search(r"[eE]([+-]?\d+)$", value)
    if exponent and abs(int(exponent.group(1))) > MAX_EXPONENT:
        raise ParseError(f"number {value} at position {pos} is too large or too small; "
                         f"exponents up to ±{MAX_EXPONENT} are accepted")
    return sp.Rational(value) if re.search(r"[.eE]", value) else sp.Integer(value)


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


def parse_expression(text, names=None, net=None, plain_names=(), keep_partials=False,
                     generics=None, new_generics=False):
    """Parse ``text`` into a SymPy expression without ever evaluating it as Python.

    ``names`` maps the accepted names to their Symbols; when omitted, any plain name becomes a
    Symbol (and a name written directly before '(' that is not used as a symbol elsewhere is
    refused as an unknown function: ``f(x)`` is not read as f·x).  ``generics`` maps names to
    the generic functions (:mod:`symnet.generics`) that may be applied, ``f(x)`` and ``f'(x)``;
    with ``new_generics``, a name before '(' that is neither a function nor a symbol is a new
    generic function (definitions read it so: ``y = NL(N1)``).

    >>> parse_expression("sigma(N1)*(1 - sigma(N1))")
    (1 - sigmoid(N1))*sigmoid(N1)
    >>> parse_expression("__import__(os)")
    Traceback (most recent call last):
    ...
    symnet.errors.ParseError: '__import__' is not accepted as a name; names are letters and digits (at most 30, not starting with '_' and not a Python keyword)
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError(f"input is {len(text)} characters long; at most {MAX_LENGTH} are accepted")
    expr = Parser(text, names, net, plain_names, keep_partials, generics, new_generics).parse()
    check_cost(expr, _quoted(text))  # before anyone multiplies it out or evaluates it
    return expr


def _quoted(text):
    text = " ".join(text.split())
    return repr(text if len(text) <= 60 else text[:57] + "...")
