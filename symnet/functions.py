"""Activation functions as SymPy functions whose derivatives print in textbook closed form.

SymPy has no sigmoid, ReLU or softplus; these classes add them.  Each one

* differentiates to the closed form a textbook writes (σ' = σ(1−σ), softplus' = σ, ReLU' = θ),
* evaluates numerically (``evalf``), and rewrites to elementary functions (``rewrite(exp)``),
* prints as LaTeX (``\\sigma``, ``\\operatorname{ReLU}``) through SymPy's own printer.

ReLU's derivative is the Heaviside step with its value at 0 pinned to 0: ``Heaviside(x, 0)``
(so ReLU'(0) = 0, the convention of PyTorch and NumPy code). Leaky ReLU and ELU are
pinned the same way: at 0 they take the slope of the negative side.

>>> from sympy import Symbol, diff
>>> x = Symbol("x")
>>> diff(sigmoid(x), x)
(1 - sigmoid(x))*sigmoid(x)
>>> diff(relu(x), x)
Heaviside(x, 0)
"""

import sympy as sp
from sympy import Function, Heaviside, Piecewise, S, exp, log
from sympy.core.parameters import global_parameters

from .canonical import plain_symbol

_ONE_ARGUMENT = sp.FiniteSet(1)  # an activation's nargs


def _arg_latex(printer, arg, exp=None, name=r"\sigma"):
    tex = r"%s\left(%s\right)" % (name, printer._print(arg))
    return tex if exp is None else r"%s^{%s}" % (tex, exp)


class Activated(Function):
    """An activation as a SymPy function of one argument: numeric evaluation by rewriting to
    elementary functions, LaTeX by ``_latex_name``.  A subclass defines ``fdiff`` and
    ``_elementary``, or (as :func:`symnet.activations.register_activation` does) the static
    ``_formula(arg)`` and ``_slope(arg)``."""

    nargs = 1
    _latex_name = None

    @classmethod
    def _new_(cls, *args, **options):
        # σ(N1) of a neuron: SymPy's Application.__new__ would build a FiniteSet for this one
        # object's nargs, a tenth of a small network's derivation; where eval leaves act(x) as
        # it is, it is made here as Application makes it, with one shared FiniteSet(1)
        x = args[0] if len(args) == 1 and not options else None
        if x is not None and plain_symbol(x) and global_parameters.evaluate and \
                (cls.eval.__func__ in _READS_ASSUMPTIONS or cls.eval(x) is None):
            made = sp.Expr.__new__(cls, x)
            made.nargs = _ONE_ARGUMENT
            return made
        return super()._new_(*args, **options)

    def fdiff(self, argindex=1):
        return self._slope(self.args[0])

    def _elementary(self):
        return self._formula(self.args[0])

    def _eval_evalf(self, prec):
        if all(a.is_number for a in self.args):
            return self._elementary()._eval_evalf(prec)
        return None

    def _eval_is_real(self):
        return self.args[0].is_real

    def _latex(self, printer, exp=None):
        return _arg_latex(printer, self.args[0], exp, self._latex_name)


class sigmoid(Activated):
    r"""The logistic sigmoid σ(x) = 1 / (1 + e^{−x}); σ'(x) = σ(x)(1 − σ(x)).

    >>> sigmoid(0)
    1/2
    >>> sigmoid(2.0).evalf(5)
    0.88080
    """

    _latex_name = r"\sigma"

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Half
        if x.is_Float:
            return 1 / (1 + exp(-x))
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _elementary(self):
        return 1 / (1 + exp(-self.args[0]))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + exp(-x))


class relu(Activated):
    r"""ReLU(x) = max(0, x); ReLU'(x) = θ(x) = ``Heaviside(x, 0)`` (0 at x = 0).

    >>> relu(-3), relu(2)
    (0, 2)
    """

    _latex_name = r"\operatorname{ReLU}"

    @classmethod
    def eval(cls, x):
        if x.is_extended_nonnegative:
            return x
        if x.is_extended_negative:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        return Heaviside(self.args[0], 0)

    def _elementary(self):
        return sp.Max(0, self.args[0])

    def _eval_rewrite_as_Max(self, x, **kwargs):
        return sp.Max(0, x)


class softplus(Activated):
    r"""softplus(x) = log(1 + e^{x}); softplus'(x) = σ(x).

    >>> softplus(0)
    log(2)
    """

    _latex_name = r"\operatorname{softplus}"

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return log(2)
        if x.is_Float:
            return log(1 + exp(x))
        return None

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _elementary(self):
        return log(1 + exp(self.args[0]))

    def _eval_rewrite_as_log(self, x, **kwargs):
        return log(1 + exp(x))


class silu(Activated):
    r"""SiLU (swish) silu(x) = x σ(x); silu'(x) = σ(x)(1 + x(1 − σ(x))).

    >>> silu(0)
    0
    """

    _latex_name = r"\operatorname{SiLU}"

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        x = self.args[0]
        s = sigmoid(x)
        return s * (1 + x * (1 - s))

    def _elementary(self):
        x = self.args[0]
        return x / (1 + exp(-x))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return x / (1 + exp(-x))


# evals that read only the argument's assumptions and kind, which a symbol without assumptions
# leaves unknown: act(N1) is made without asking them (a neuron's N is new, and SymPy deduced
# every related fact: 3% of a small network); a subclass with an eval of its own is asked
_READS_ASSUMPTIONS = frozenset(c.eval.__func__ for c in (sigmoid, relu, softplus, silu))


class leaky_relu(Activated):
    r"""Leaky ReLU with slope a for x < 0: x for x > 0, a·x otherwise.

    Its derivative is 1 for x > 0 and a for x ≤ 0 (at 0 the slope of the negative side, like ReLU).

    >>> from sympy import Rational
    >>> leaky_relu(-2, Rational(1, 100))
    -1/50
    """

    nargs = 2

    @classmethod
    def eval(cls, x, slope):
        if x.is_extended_nonnegative:
            return x
        if x.is_extended_negative:
            return slope * x
        return None

    def fdiff(self, argindex=1):
        x, slope = self.args
        if argindex == 1:
            return Piecewise((1, x > 0), (slope, True))
        return Piecewise((0, x > 0), (x, True))

    def _elementary(self):
        x, slope = self.args
        return Piecewise((x, x > 0), (slope * x, True))

    def _eval_rewrite_as_Piecewise(self, x, slope, **kwargs):
        return Piecewise((x, x > 0), (slope * x, True))

    def _latex(self, printer, exp=None):
        name = r"\operatorname{LeakyReLU}_{%s}" % printer._print(self.args[1])
        return _arg_latex(printer, self.args[0], exp, name)


class elu(Activated):
    r"""ELU with scale α: x for x > 0, α(e^{x} − 1) otherwise; elu'(x) = 1 or α e^{x}.

    >>> elu(0, 1)
    0
    """

    nargs = 2

    @classmethod
    def eval(cls, x, alpha):
        if x.is_zero:
            return S.Zero
        if x.is_extended_positive:
            return x
        if x.is_extended_negative and x.is_number:
            return alpha * (exp(x) - 1)
        return None

    def fdiff(self, argindex=1):
        x, alpha = self.args
        if argindex == 1:
            return Piecewise((1, x > 0), (alpha * exp(x), True))
        return Piecewise((0, x > 0), (exp(x) - 1, True))

    def _elementary(self):
        x, alpha = self.args
        return Piecewise((x, x > 0), (alpha * (exp(x) - 1), True))

    def _eval_rewrite_as_Piecewise(self, x, alpha, **kwargs):
        return Piecewise((x, x > 0), (alpha * (exp(x) - 1), True))

    def _latex(self, printer, exp=None):
        name = r"\operatorname{ELU}_{%s}" % printer._print(self.args[1])
        return _arg_latex(printer, self.args[0], exp, name)


class softmax(Function):
    r"""Component k of the softmax of (z_1, …, z_m): e^{z_k} / Σ_j e^{z_j}.

    Called as ``softmax(k, z1, …, zm)`` with k counted from 1.  Its partial derivative with
    respect to z_j is softmax_k (δ_kj − softmax_j).

    >>> from sympy import symbols
    >>> a, b = symbols("a b")
    >>> softmax(1, a, b).diff(b)
    -softmax(1, a, b)*softmax(2, a, b)
    """

    def fdiff(self, argindex=1):
        k, *zs = self.args
        if argindex == 1:
            raise sp.ArgumentIndexError(self, argindex)
        j = argindex - 1
        own = softmax(k, *zs)
        other = softmax(j, *zs)
        return own * (1 - own) if j == int(k) else -own * other

    def _elementary(self):
        k, *zs = self.args
        return exp(zs[int(k) - 1]) / sp.Add(*[exp(z) for z in zs])

    def _eval_evalf(self, prec):
        if all(a.is_number for a in self.args):
            return self._elementary()._eval_evalf(prec)
        return None

    def _eval_rewrite_as_exp(self, k, *zs, **kwargs):
        return self._elementary()

    def _latex(self, printer, exp=None):
        k, *zs = self.args
        tex = r"\operatorname{softmax}_{%s}\left(%s\right)" % (
            printer._print(k), ", ".join(printer._print(z) for z in zs))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


class _Extremum(Function):
    """max or min of two or more arguments, written in the order given (SymPy's ``Max`` sorts
    its arguments, and splits the gradient at a tie); a number when every argument is one."""

    _word = None

    @classmethod
    def eval(cls, *args):
        if len(args) < 2:
            raise TypeError(f"{cls._word} takes at least 2 arguments ({len(args)} given)")
        if all(a.is_number and a.is_extended_real for a in args):
            return cls._sympy(*args)
        return None

    def fdiff(self, argindex=1):
        # the gradient goes to the first argument that attains the extremum: strict step
        # before it, θ with value 1 at 0 after it
        i = argindex - 1
        x = self.args[i]
        return sp.Mul(*[Heaviside(self._gap(x, a), 0 if j < i else 1)
                        for j, a in enumerate(self.args) if j != i])

    def _elementary(self):
        return self._sympy(*self.args)

    def _eval_evalf(self, prec):
        if all(a.is_number for a in self.args):
            return self._sympy(*[a.evalf(prec) for a in self.args])
        return None

    def _sympystr(self, printer):
        return "%s(%s)" % (self._word, ", ".join(printer._print(a) for a in self.args))

    def _latex(self, printer, exp=None):
        tex = r"\%s\left(%s\right)" % (self._word, ", ".join(printer._print(a) for a in self.args))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


class maximum(_Extremum):
    r"""max(a, b, …), written in the order given.

    Its partial derivative in an argument is 1 where that argument is the largest and 0
    elsewhere, a step function: d max(a, b)/da = θ(a − b).  At a tie the gradient goes to the
    first of the largest arguments (CS231n's max gate routes all of it to one input):
    d max(a, b)/da = [a ≥ b] (``Heaviside(a - b, 1)``) and d max(a, b)/db = [b > a]
    (``Heaviside(b - a, 0)``), so the two always add up to 1.

    >>> from sympy import symbols
    >>> a, b = symbols("a b")
    >>> maximum(a, b).diff(a), maximum(a, b).diff(b), maximum(2, -1)
    (Heaviside(a - b, 1), Heaviside(-a + b, 0), 2)
    """

    _word = "max"
    _sympy = staticmethod(sp.Max)

    @staticmethod
    def _gap(x, other):
        return x - other


class minimum(_Extremum):
    r"""min(a, b, …), written in the order given; the gradient goes to the smallest argument,
    at a tie to the first: d min(a, b)/da = [a ≤ b] (``Heaviside(b - a, 1)``) and
    d min(a, b)/db = [b < a] (``Heaviside(a - b, 0)``).

    >>> from sympy import symbols
    >>> a, b = symbols("a b")
    >>> minimum(a, b).diff(a), minimum(3, 5)
    (Heaviside(-a + b, 1), 3)
    """

    _word = "min"
    _sympy = staticmethod(sp.Min)

    @staticmethod
    def _gap(x, other):
        return other - x


def stable_logs(expr):
    """log σ(a) → −softplus(−a) and log(1 − σ(a)) → −softplus(a): no cancellation when σ saturates.

    >>> from sympy import Symbol
    >>> stable_logs(log(1 - sigmoid(Symbol("N"))))
    -softplus(N)
    """
    def fix(e):
        arg = e.args[0]
        if isinstance(arg, sigmoid):
            return -softplus(-arg.args[0])
        if arg.is_Add and len(arg.args) == 2 and isinstance(1 - arg, sigmoid):
            return -softplus((1 - arg).args[0])
        return e
    return expr.replace(lambda e: isinstance(e, log), fix)


def to_elementary(expr):
    """Replace symnet's activation functions by elementary SymPy expressions (exp, log, Max, Piecewise).

    >>> from sympy import Symbol
    >>> to_elementary(sigmoid(Symbol("x")))
    1/(1 + exp(-x))
    """
    return expr.replace(lambda e: isinstance(e, (Activated, softmax, _Extremum)),
                        lambda e: e._elementary())
