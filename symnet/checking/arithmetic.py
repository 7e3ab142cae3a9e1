"""40-digit arithmetic without SymPy's object layer: expressions compiled once to mpmath code.

A check evaluates the network, the derivative and the answer at 20 points.  Done through SymPy
objects (``xreplace`` then ``evalf``), every operation builds an expression and asks the
assumptions system about it; here each expression is translated once into a Python function of
the point's values, straight-line code on mpmath numbers at :data:`DIGITS` digits (one private
mpmath context, so nobody's ``mpmath.mp.dps`` is touched), every shared subexpression computed
once.  The translation knows SymPy's arithmetic, its elementary functions, ``Max``/``Min``,
``Abs``, ``Heaviside``, ``Piecewise`` and every function with an ``_elementary`` form (symnet's
activations, registered ones included); anything else (a generic ``f(x)``) is refused with
:class:`Unsupported`, and the caller evaluates it through SymPy as before.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> f = compile_program({x: 0}, [(y, sp.exp(x) / 3)], [y + 1])
>>> print(number(f([MP.mpf(0)])[0]))
1.333333333333333333333333333333333333333
"""

import functools
import itertools

import mpmath
import sympy as sp

DIGITS = 40
MP = mpmath.MPContext()
MP.dps = DIGITS

_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
              sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh", sp.atan: "atan",
              sp.asinh: "asinh", sp.erf: "erf", sp.sign: "sign"}


class Unsupported(Exception):
    """An expression this translation does not know (the caller falls back to SymPy)."""


def number(x):
    """An mpmath value as a SymPy Float of :data:`DIGITS` digits."""
    return sp.Float._new(x._mpf_, MP.prec)


def mpf(v):
    """A SymPy number (exact or Float) as a 40-digit mpmath number."""
    if isinstance(v, sp.Rational):
        return MP.mpf(int(v.p)) / int(v.q) if v.q != 1 else MP.mpf(int(v.p))
    if isinstance(v, sp.Float):
        return MP.mpf(v._mpf_)
    raise Unsupported(str(v))


def _heaviside(x, at_zero):
    return MP.one if x > 0 else MP.zero if x < 0 else at_zero


def _piecewise(*pairs):
    for value, condition in pairs:
        if condition:
            return value
    return MP.nan


class _Writer:
    def __init__(self, index):
        self.index, self.lines, self.names, self.namespace = index, [], {}, {
            "max": max, "min": min, "abs": abs, "heaviside": _heaviside,
            "piecewise": _piecewise, "power": MP.power, "sqrt": MP.sqrt,
            **{name: getattr(MP, name) for name in _FUNCTIONS.values()}}
        self.count = itertools.count()

    def assign(self, symbol, expr):
        self.names[symbol] = self.emit(expr)

    def _const(self, value):
        name = f"c{next(self.count)}"
        self.namespace[name] = value
        return name

    def _temp(self, code):
        name = f"t{next(self.count)}"
        self.lines.append(f"{name} = {code}")
        return name

    def emit(self, e):
        name = self.names.get(e)
        if name is None:
            name = self.names[e] = self._emit(e)
        return name

    def _emit(self, e):
        if e.is_Symbol:
            if e not in self.index:
                raise Unsupported(f"no value for {e}")
            return self._temp(f"v[{self.index[e]}]")
        if e.is_Number:
            return self._const(mpf(e))
        if e.is_NumberSymbol:
            return self._const(mpf(e.evalf(DIGITS + 5)))
        if e is sp.true or e is sp.false:
            return str(bool(e))
        args = [self.emit(a) for a in e.args] if not e.is_Piecewise else None
        if e.is_Add:
            return self._temp(" + ".join(args))
        if e.is_Mul:
            return self._temp(" * ".join(args))
        if e.is_Pow:
            base, exponent = args
            if e.exp.is_Integer:
                return self._temp(f"{base} ** {int(e.exp)}")
            if e.exp == sp.S.Half:
                return self._temp(f"sqrt({base})")
            return self._temp(f"power({base}, {exponent})")
        if e.is_Relational:
            return self._temp(f"{args[0]} {e.rel_op} {args[1]}")  # <, <=, ==, != …
        if isinstance(e, (sp.And, sp.Or)):
            return self._temp(f" {'and' if isinstance(e, sp.And) else 'or'} ".join(args))
        if isinstance(e, sp.Not):
            return self._temp(f"not {args[0]}")
        if e.is_Piecewise:  # every branch computed: SymPy's branches here are total functions
            pairs = [f"({self.emit(v)}, {self.emit(c)})" for v, c in e.args]
            return self._temp(f"piecewise({', '.join(pairs)})")
        if e.func in _FUNCTIONS:
            return self._temp(f"{_FUNCTIONS[e.func]}({args[0]})")
        if isinstance(e, (sp.Max, sp.Min)):
            return self._temp(f"{'max' if isinstance(e, sp.Max) else 'min'}({', '.join(args)})")
        if isinstance(e, sp.Abs):
            return self._temp(f"abs({args[0]})")
        if isinstance(e, sp.Heaviside):
            at_zero = args[1] if len(args) > 1 else self._const(MP.mpf(0.5))
            return self._temp(f"heaviside({args[0]}, {at_zero})")
        if hasattr(e, "_elementary"):  # symnet's activations, max and min, softmax
            template, dummies = _elementary(e.func, tuple(a if a.is_number else None
                                                          for a in e.args))
            names = [n for a, n in zip(e.args, args) if not a.is_number]
            outer, self.names = self.names, dict(zip(dummies, names))
            try:
                return self.emit(template)
            finally:
                self.names = outer
        raise Unsupported(f"no 40-digit translation of {e.func}")


@functools.lru_cache(maxsize=None)
def _elementary(func, numbers):
    """``func``'s elementary form, built once, on Dummies for its arguments that are not
    numbers (a softmax's index, a leaky ReLU's slope stay as they are)."""
    dummies = [sp.Dummy() if a is None else a for a in numbers]
    return func(*dummies)._elementary(), [d for d in dummies if isinstance(d, sp.Dummy)]


def compile_program(index, assignments, outputs):
    """A function of a list of values (``index`` gives each symbol's position) that runs the
    ``assignments`` (``(symbol, expression)`` in order, each using the inputs and the symbols
    assigned before it) and returns the list of the ``outputs`` (expressions) as mpmath
    numbers; :class:`Unsupported` for what it cannot translate."""
    writer = _Writer(index)
    for symbol, expr in assignments:
        writer.assign(symbol, expr)
    results = [writer.emit(e) for e in outputs]
    body = "\n    ".join(writer.lines + [f"return [{', '.join(results)}]"])
    exec(compile(f"def program(v):\n    {body}\n", "<symnet 40-digit program>", "exec"),
         writer.namespace)  # code from SymPy trees only: names are v, t1, c2, never user text
    return writer.namespace["program"]


def real(x):
    """``x`` when it is a finite real number, else None (undefined: complex, infinite, nan)."""
    if isinstance(x, MP.mpc) and not x.imag:
        x = x.real
    return x if isinstance(x, MP.mpf) and MP.isfinite(x) else None
