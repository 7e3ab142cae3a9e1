r"""Generic functions: a name applied to arguments without a formula, as lectures write them —
the seed's neuron ``y = NL(w1 x1 + w2 x2 + w3 x3 + b)``, Goodfellow's ``z = f(f(f(w)))``, d2l's φ.

A generic function differentiates to its derivative, printed the way a lecture writes it and
read back by symnet's parser: ``f'(x)`` (``f''(x)`` for the second), and with several arguments
the partial derivative in the i-th as ``∂_i f(a, b)`` (LaTeX ``\partial_{1} f\left(a, b\right)``).
Greek names are spelled as SymPy spells them (φ is ``phi``, printed ``\phi``; λ is ``lamda``).

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> f = generic_function("f")
>>> f(x).diff(x), f(x * y).diff(x)
(f'(x), y*f'(x*y))
>>> from symnet.printing import latex
>>> print(latex(generic_function("NL")(x).diff(x)), latex(generic_function("phi", 2)(x, y).diff(y)))
\operatorname{NL}'\left(x\right) \partial_{2} \phi\left(x, y\right)

A generic function has no values.  So that the checker can still compare expressions that
hold one at its random points (as it compares every answer), ``evalf`` evaluates each generic
function as a fixed smooth stand-in of its own, ``a·tanh(b·u + c) + d·u`` with constants drawn
from its name, and its derivatives as the stand-in's: equal expressions agree at every point and
different ones almost surely do not.  The stand-in's numbers mean nothing to a reader, so what
shows numbers (compiling, fitting, a worksheet's values) refuses a generic function
(:func:`require_formulas`).
"""

import functools
import random
import threading
import unicodedata
import zlib

import sympy as sp
from sympy.printing.latex import translate

from .errors import SymnetError


# A Greek letter typed as a name is its name as SymPy spells it (φ → phi, printed \phi; λ → lamda,
# since lambda is a keyword); π is left out, as it would read as a name, not the number
def _greek_name(char):
    words = unicodedata.name(char).split()  # GREEK SMALL LETTER PHI
    return words[-1].capitalize() if "CAPITAL" in words else words[-1].lower()


GREEK = {chr(c): _greek_name(chr(c)) for c in (*range(0x391, 0x3AA), *range(0x3B1, 0x3CA))
         if c not in (0x3A2, 0x3C0, 0x3C2)}  # unassigned, π, final ς
GREEK.update({"ϕ": "phi", "ϑ": "theta", "ϵ": "epsilon"})


# the names symnet's parser reads as its own functions or notations (symnet.parse.grammar;
# tests/test_language.py checks that the two agree): a generic function may not take one
RESERVED = frozenset({"exp", "log", "ln", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh",
                      "sech", "abs", "Abs", "sign", "max", "min", "Max", "Min", "theta", "H",
                      "Heaviside", "softmax", "Piecewise", "delta"})


class Generic(sp.Function):
    """A function known by its name only.  ``stem`` is the name as written (``NL``),
    ``orders`` the arguments differentiated, sorted (``()`` for f, ``(1,)`` for f',
    ``(1, 1)`` for f'', ``(1, 2)`` for ∂_1 ∂_2 f)."""

    stem = None
    orders = ()
    arity = 1

    def fdiff(self, argindex=1):
        orders = tuple(sorted(self.orders + (argindex,)))
        return generic_function(self.stem, len(self.args), orders)(*self.args)

    def _eval_evalf(self, prec):
        if all(a.is_number for a in self.args):
            u, expr = _standin(self.stem, len(self.args), self.orders)
            return expr.xreplace(dict(zip(u, self.args)))._eval_evalf(prec)
        return None

    def _eval_is_real(self):
        return True if all(a.is_real for a in self.args) else None

    def _sympystr(self, printer):
        args = ", ".join(printer._print(a) for a in self.args)
        if len(self.args) == 1:
            return f"{self.stem}{_primes(self.orders)}({args})"
        return "".join(f"∂_{i} " for i in self.orders) + f"{self.stem}({args})"

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(a) for a in self.args)
        name = latex_name(self.stem)
        if len(self.args) == 1:
            tex = r"%s%s\left(%s\right)" % (name, _primes(self.orders), args)
        else:
            tex = "".join(r"\partial_{%d} " % i for i in self.orders) + r"%s\left(%s\right)" % (name, args)
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)


def _primes(orders):
    return "'" * len(orders)


def latex_name(name):
    r"""A function's name in LaTeX: Greek names as letters (``phi`` → ``\phi``), one letter as
    it is, longer names upright (``\operatorname{NL}``)."""
    tex = translate(name)
    return tex if tex != name or len(name) == 1 else r"\operatorname{%s}" % name.replace("_", r"\_")


_CLASSES = {}
_LOCK = threading.Lock()  # one class per function: two would make f(x) unequal to f(x)


def generic_function(name, nargs=1, orders=()):
    """The generic function called ``name`` of ``nargs`` arguments (its derivative with
    ``orders``, see :class:`Generic`): one class per name, so that ``f(x) == f(x)``.

    >>> generic_function("f")(sp.Symbol("x"))
    f(x)
    """
    key = (name, nargs, orders)
    with _LOCK:
        if key not in _CLASSES:
            _CLASSES[key] = type(f"{name}_d{''.join(map(str, orders))}" if orders else name,
                                 (Generic,), {"stem": name, "orders": orders, "nargs": nargs,
                                             "arity": nargs})
        return _CLASSES[key]


def generics_in(exprs):
    """``{name: class}`` of the generic functions (not their derivatives) that ``exprs`` apply.

    >>> x = sp.Symbol("x")
    >>> generics_in([generic_function("f")(x).diff(x) + generic_function("g")(x)])
    {'f': f, 'g': g}
    """
    found = {}
    for e in exprs:
        for g in e.atoms(Generic):
            found.setdefault(g.stem, generic_function(g.stem, len(g.args)))
    return dict(sorted(found.items()))


def require_formulas(functions, what):
    """Refuse to ``what`` (``"fit"``) when ``functions`` (names of generic functions, as
    ``Graph.generic_functions`` gives them) is not empty: a generic function has no numbers.

    >>> require_formulas({"NL": generic_function("NL")}, "fit")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot fit: NL is a generic function (a name without a formula), ...
    """
    names = list(functions)
    if names:
        raise SymnetError(f"cannot {what}: {', '.join(names)} "
                          f"{'is a generic function' if len(names) == 1 else 'are generic functions'}"
                          " (a name without a formula), which symnet derives, prints and checks "
                          "with but cannot compute; give it a formula: a registered activation "
                          f"such as 'sigmoid', or sn.register_activation('{names[0]}', lambda x: ...)")


@functools.lru_cache(maxsize=None)
def _standin(name, nargs, orders):
    """(dummies, the stand-in's derivative ``orders`` in them) for the function ``name``."""
    rng = random.Random(zlib.crc32(f"{name}/{nargs}".encode()))
    draw = lambda lo, hi: sp.Rational(rng.randint(lo, hi), 8)
    u = sp.symbols(f"u1:{nargs + 1}", cls=sp.Dummy, real=True)
    inner = sp.Add(*[draw(4, 12) * rng.choice([-1, 1]) * v for v in u], draw(-4, 4))
    expr = draw(4, 12) * sp.tanh(inner) + sp.Add(*[draw(1, 4) * v for v in u]) + draw(-4, 4)
    for i in orders:
        expr = sp.diff(expr, u[i - 1])
    return u, expr
