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
    return expr.replace(lambda e: isinstance(e, (Activated, softmax)), lambda e: e._elementary())
