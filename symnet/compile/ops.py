"""The array operations the generated code is written in (matmul, hadamard, rowsum, …), with
their LaTeX and text forms, and the symbolic rewrites that make the generated code stable."""

import sympy as sp
from sympy.printing.precedence import PRECEDENCE

from ..functions import Activated, sigmoid, softmax, stable_logs

# ------------------------------------------------- array operations in the generated code

class _ArrayOp(sp.Function):
    """An array operation of the generated code, with its LaTeX and text templates."""

    _tex = _text = None
    is_product_like = False  # the printers put W A before b in a sum

    def _latex(self, printer, exp=None):
        return self._tex.format(*[printer.parenthesize(a, PRECEDENCE["Mul"])
                                  for a in self.args])

    def _sympystr(self, printer):
        return self._text.format(*[printer.parenthesize(a, PRECEDENCE["Mul"])
                                   for a in self.args])


class matmul(_ArrayOp):
    """Matrix product."""
    nargs = 2
    _tex, _text = "{} {}", "{} @ {}"
    is_product_like = True


class outer(matmul):
    """A matrix product of a column by a row (Wᵀ δ for a one-neuron layer): broadcast, not BLAS."""


class transpose(_ArrayOp):
    nargs = 1
    _tex, _text = "{}^{{T}}", "{}ᵀ"

    def _latex(self, printer, exp=None):
        return "{%s}^{T}" % printer.parenthesize(self.args[0], PRECEDENCE["Atom"], strict=True)


class hadamard(_ArrayOp):
    """Elementwise product ⊙ (kept apart from the matrix product for printing)."""
    nargs = 2
    _tex, _text = r"{} \odot {}", "{} ⊙ {}"
    is_product_like = True


class rowsum(_ArrayOp):
    """Sum over the samples (each row), keeping a column: δ·1."""
    nargs = 1
    _tex, _text = r"{} \mathbf{{1}}", "{} @ 1"


class colsum(_ArrayOp):
    """Sum over the outputs (each column), kept as a row; linear in numeric factors."""
    nargs = 1
    _tex, _text = r"\mathbf{{1}}^{{T}} {}", "1ᵀ @ {}"

    @classmethod
    def eval(cls, a):
        coeff, rest = a.as_coeff_Mul()
        if coeff != 1:
            return coeff * cls(rest)
        return None


class total(_ArrayOp):
    """Sum of every element."""
    nargs = 1
    _tex, _text = r"\sum {}", "sum({})"


class logsumexp(_ArrayOp):
    """log Σ_j e^{z_j}, computed without overflow (scalar form: one argument per output)."""

    def _latex(self, printer, exp=None):
        return r"\operatorname{logsumexp}\left(%s\right)" % ", ".join(map(printer._print, self.args))

    def _sympystr(self, printer):
        return "logsumexp(%s)" % ", ".join(map(printer._print, self.args))


class softmax_cols(_ArrayOp):
    """Softmax over the outputs of each sample (layer form)."""
    nargs = 1
    _tex, _text = r"\operatorname{{softmax}}\left({}\right)", "softmax({})"


# --------------------------------------------------------------- symbolic rewrites

def without_unknown(expr, known):
    """Activations without a NumPy form of their own (registered by a formula) written in
    elementary functions, which lambdify knows."""
    if isinstance(expr, (list, tuple)):
        return type(expr)(without_unknown(e, known) for e in expr)
    return expr.replace(lambda e: isinstance(e, Activated) and type(e).__name__ not in known,
                        lambda e: e._elementary())


def clip_branches(expr):
    """In Piecewise((a, x > 0), (b, True)) evaluate b at min(x, 0) and a at max(x, 0).

    NumPy evaluates both branches; e^x in ELU's derivative would overflow at x = 1000.
    """
    def clip(pw):
        (a, cond), (b, _) = pw.args
        if isinstance(cond, sp.StrictGreaterThan) and cond.rhs == 0 and len(pw.args) == 2:
            x = cond.lhs
            return sp.Piecewise((a.xreplace({x: sp.Max(x, 0)}), cond),
                                (b.xreplace({x: sp.Min(x, 0)}), True))
        return pw
    return expr.replace(lambda e: isinstance(e, sp.Piecewise), clip)


def stable_log(expr):
    """log σ(a) = −softplus(−a), log(1 − σ(a)) = −softplus(a), log softmax_k = z_k − logsumexp."""
    def fix(e):
        arg = e.args[0]
        if isinstance(arg, softmax):
            k, *zs = arg.args
            return zs[int(k) - 1] - logsumexp(*zs)
        if isinstance(arg, softmax_cols):
            return arg.args[0] - logsumexp(arg.args[0])
        return e
    return stable_logs(expr).replace(lambda e: isinstance(e, sp.log), fix)


def numeric_local(expr, applied):
    """A local partial for numeric code: 1 − σ(N) as σ(−N), then act(N) by its node (σ(N1) → h1)."""
    expr = expr.replace(lambda e: e.is_Add and len(e.args) == 2 and 1 in e.args
                        and isinstance(1 - e, sigmoid),
                        lambda e: sigmoid(-(1 - e).args[0]))
    return clip_branches(expr.xreplace(applied))

