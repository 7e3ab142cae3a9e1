"""Generated code: lambdify with symnet's printer, on NumPy, PyTorch or JAX arrays."""

import functools
import math

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from ..activations import REGISTRY
from ..errors import SymnetError
from .ops import without_unknown


def _numeric(xp):
    """The generated code's functions, written once for any NumPy-like array module ``xp``:
    each registered activation's NumPy form, and the array operations above."""
    def logsumexp(*zs):
        if len(zs) == 1:  # layer form: one array, outputs along axis 0
            z = zs[0]
            m = xp.amax(z, axis=0, keepdims=True)
            return m + xp.log(xp.exp(z - m).sum(axis=0, keepdims=True))
        m = functools.reduce(xp.maximum, zs)
        return m + xp.log(sum(xp.exp(z - m) for z in zs))

    def softmax_cols(z):
        e = xp.exp(z - xp.amax(z, axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    return {
        **{e.name: e.numpy(xp) for e in REGISTRY.values() if e.numpy is not None},
        "softmax": lambda k, *zs: xp.exp(zs[int(k) - 1] - logsumexp(*zs)),
        "logsumexp": logsumexp,
        "softmax_cols": softmax_cols,
        "matmul": xp.dot,
        "colsum": lambda d: d.sum(axis=0, keepdims=True),
        "rowsum": lambda d: d.sum(axis=1, keepdims=True),
        "total": xp.sum,
        "sumsq": lambda r: (r * r).sum(),
    }


class _Torch:
    """The NumPy names the generated code uses, in PyTorch (float64 tensors)."""

    def __init__(self):
        import torch
        self.torch = torch
        for name in ("exp", "log", "tanh", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "expm1",
                     "sum", "where", "abs"):
            setattr(self, name, getattr(torch, name))
        self.dot, self.greater, self.less_equal, self.nan = torch.matmul, torch.gt, torch.le, math.nan

    def _t(self, like, value):
        return value if self.torch.is_tensor(value) else self.torch.full_like(like, value)

    def maximum(self, a, b):
        return self.torch.maximum(*(self._t(b if not self.torch.is_tensor(a) else a, v) for v in (a, b)))

    def minimum(self, a, b):
        return self.torch.minimum(*(self._t(b if not self.torch.is_tensor(a) else a, v) for v in (a, b)))

    def logaddexp(self, a, b):
        return self.torch.logaddexp(*(self._t(b if not self.torch.is_tensor(a) else a, v) for v in (a, b)))

    def amax(self, z, axis, keepdims):
        return self.torch.amax(z, dim=axis, keepdim=keepdims)

    def heaviside(self, x, h):
        return self.torch.heaviside(x, self.torch.tensor(float(h), dtype=x.dtype, device=x.device))

    def select(self, conditions, values, default=math.nan):
        like = next(c for c in conditions if self.torch.is_tensor(c))
        full = lambda v: v if self.torch.is_tensor(v) else self.torch.full(
            like.shape, float(v), dtype=self.torch.float64, device=like.device)  # not float32
        out = full(default)
        for cond, value in reversed(list(zip(conditions, values))):
            out = full(value) if cond is True else self.torch.where(cond, full(value), out)
        return out


BACKENDS = ("numpy", "torch", "jax")


@functools.lru_cache(maxsize=None)
def _numpy_namespace():
    # a dict, not lambdify's "numpy" module string, which builds SymPy's whole translation
    # table (≈ 150 ms and 14 MiB on first use) for the few names the generated code calls
    # a small net's step is a few dozen NumPy calls: the ufunc's own reduce skips ndarray.sum's
    # Python layer, and BLAS's dot product makes no temporary for Σ R²
    return {**{k: v for k, v in vars(np).items() if not k.startswith("_")}, **_numeric(np),
            "rowsum": functools.partial(np.add.reduce, axis=1, keepdims=True),
            "sumsq": lambda r: np.vdot(r, r)}


def _backend(name):
    """(lambdify modules, array conversion in, conversion out) for a backend name."""
    if name == "numpy":
        return [_numpy_namespace()], None, None
    if name == "torch":
        try:
            torch = _Torch()
        except ImportError:
            raise SymnetError("backend 'torch' needs PyTorch: pip install torch") from None
        names = {k: getattr(torch, k) for k in vars(torch) if k != "torch"}
        names.update({k: getattr(torch, k) for k in dir(_Torch) if not k.startswith("_")})
        to = lambda a: torch.torch.from_numpy(a) if isinstance(a, np.ndarray) else a
        back = lambda t: t.detach().numpy() if torch.torch.is_tensor(t) else t
        return [{**_numeric(torch), **names}], to, back
    if name == "jax":
        try:
            import jax
            import jax.numpy as jnp
        except ImportError:
            raise SymnetError("backend 'jax' needs JAX: pip install jax") from None
        jax.config.update("jax_enable_x64", True)  # symnet computes in float64; JAX's default is 32
        names = {k: v for k, v in vars(jnp).items() if not k.startswith("_")}
        # σ as XLA's own logistic: one fused operation instead of exp, add and divide
        return [{**names, **_numeric(jnp), "sigmoid": jax.nn.sigmoid}], jnp.asarray, np.asarray
    raise SymnetError(f"unknown backend {name!r}; valid: {', '.join(BACKENDS)}")


class _Printer(NumPyPrinter):
    """NumPy code: ``1/x`` not ``x**(-1.0)``, two-argument min/max, NumPy's heaviside, ``A.T``
    and ``sumsq(R)`` for Σ R²."""

    def _print_transpose(self, expr):
        return "%s.T" % self.parenthesize(expr.args[0], 1000)

    def _print_total(self, expr):
        arg = expr.args[0]
        if arg.is_Pow and arg.exp == 2:
            return "sumsq(%s)" % self._print(arg.base)
        return "total(%s)" % self._print(arg)

    def _print_outer(self, expr):
        return self._print_hadamard(expr)

    def _print_hadamard(self, expr):
        return "%s*%s" % tuple(self.parenthesize(a, 1000) for a in expr.args)

    def _print_Pow(self, expr, rational=False):
        if expr.exp == -1:
            return "1/(%s)" % self._print(expr.base)
        if expr.exp == 2:  # parenthesised: it may stand in a denominator, a/(b*b)
            base = self.parenthesize(expr.base, 1000)
            return f"({base}*{base})"
        return super()._print_Pow(expr, rational=rational)

    def _print_Min(self, expr):
        return self._reduce("numpy.minimum", expr.args)

    def _print_Max(self, expr):
        return self._reduce("numpy.maximum", expr.args)

    def _reduce(self, fn, args):
        fn = self._module_format(fn)
        out = self._print(args[0])
        for a in args[1:]:
            out = f"{fn}({out}, {self._print(a)})"
        return out

    def _print_Heaviside(self, expr):
        return "%s(%s, %s)" % (self._module_format("numpy.heaviside"),
                               self._print(expr.args[0]), self._print(expr.args[1]))


_ARGS = 255  # arguments lambdify takes as they are


def lambdify(args, outputs, program, backend="numpy"):
    """lambdify ``outputs`` with ``program`` (a list of assignments) as its common subexpressions.

    The function runs with overflow ignored: the forms above overflow only to harmless
    infinities (σ's e^{−x} for x < −709 gives σ = 0), and a real divergence still shows as a
    non-finite loss.  Divide and invalid operations keep the caller's setting.
    """
    printer = _Printer({"fully_qualified_modules": False, "inline": True,
                        "allow_unknown_functions": True, "user_functions": {}})
    modules, to, back = _backend(backend)
    outputs = without_unknown(outputs, modules[0])
    program = [(lhs, without_unknown(rhs, modules[0])) for lhs, rhs in program]
    # lambdify renames every argument of a function of over 255 (and rewrites every output
    # once per argument: 1.9 s at 4-16-16-1's 375); arguments in groups of 255 it unpacks
    grouped = len(args) > _ARGS
    groups = [args[i:i + _ARGS] for i in range(0, len(args), _ARGS)] if grouped else args
    fn = sp.lambdify(groups, outputs, modules=modules, printer=printer,
                     cse=lambda exprs: (program, exprs), docstring_limit=0)
    if grouped:
        lambdified = fn
        fn = lambda *a: lambdified(*[a[i:i + _ARGS] for i in range(0, len(a), _ARGS)])

    if to is None:
        def run(*a):
            with np.errstate(over="ignore"):
                return fn(*a)
    else:  # another array library: NumPy arrays in, NumPy arrays out
        def run(*a):
            out = fn(*map(to, a))
            return [back(o) for o in out] if isinstance(out, (list, tuple)) else back(out)
    run.generated = fn
    return run


