"""Compile a network's symbolic derivation into NumPy code with ``lambdify``.

Two forms, both generated from the symbolic derivation (never a hand-written backprop):

* the **layer form** groups each layer's per-neuron results into matrix equations — Nielsen's
  BP1–BP4: Z = W·A + b, A = f(Z); δ of the output layer; δ = (Wᵀ δ_next) ⊙ f'(Z);
  ∂L/∂W = δ·Aᵀ; ∂L/∂b = δ·1 — and lambdifies them: a few NumPy calls per layer;
* the **scalar form** lambdifies the reverse-mode program itself, one assignment per node and
  per δ, passed to lambdify's ``cse`` hook as the common subexpressions: the reference.

Data are laid out as (features, samples) inside; users pass X of shape (n, inputs) and Y of
shape (n, outputs) or (n,).  Generated code uses stable forms: σ as ½(1 + tanh(x/2)), softplus
as logaddexp(0, x), binary and softmax cross-entropy in terms of the pre-activation, the output
δ simplified symbolically (σ output with bce gives ŷ − y, with no division by ŷ), and the
unused branch of a piecewise derivative clipped so that it cannot overflow.

>>> import numpy as np
>>> from symnet.network import Network
>>> model = Network("2-2-1").compile()
>>> params = {"w1": 1, "w2": 0, "w3": 0, "w4": 1, "w5": 1, "w6": 1, "b1": 0, "b2": 0, "b3": 0}
>>> model.predict(params, [[1.0, 2.0]])
array([[3.]])
>>> model.loss(params, [[1.0, 2.0]], [1.0])
4.0
"""

import functools
import math

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE

from .activations import REGISTRY
from .derive import Delta, Partial, gradients
from .errors import SymnetError
from .functions import Activated, sigmoid, softmax, stable_logs
from .printing import Rendered, latex, text

FORMS = ("layer", "scalar")
BACKENDS = ("numpy", "torch", "jax")


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
        "total": xp.sum,
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
        return self.torch.heaviside(x, self.torch.tensor(float(h), dtype=x.dtype))

    def select(self, conditions, values, default=math.nan):
        shape = next(c.shape for c in conditions if self.torch.is_tensor(c))
        full = lambda v: v if self.torch.is_tensor(v) else \
            self.torch.full(shape, float(v), dtype=self.torch.float64)  # not float32
        out = full(default)
        for cond, value in reversed(list(zip(conditions, values))):
            out = full(value) if cond is True else self.torch.where(cond, full(value), out)
        return out


def _backend(name):
    """(lambdify modules, array conversion in, conversion out) for a backend name."""
    if name == "numpy":
        return [_numeric(np), "numpy"], None, None
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
        return [_numeric(jnp), "jax"], jnp.asarray, np.asarray
    raise SymnetError(f"unknown backend {name!r}; valid: {', '.join(BACKENDS)}")


class _Printer(NumPyPrinter):
    """NumPy code: ``1/x`` not ``x**(-1.0)``, two-argument min/max, NumPy's heaviside, and
    array methods (``A.T``, ``D.sum(axis=1, keepdims=True)``) instead of function calls."""

    def _print_transpose(self, expr):
        return "%s.T" % self.parenthesize(expr.args[0], 1000)

    def _print_rowsum(self, expr):
        return "%s.sum(axis=1, keepdims=True)" % self.parenthesize(expr.args[0], 1000)

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


def _lambdify(args, outputs, program, backend="numpy"):
    """lambdify ``outputs`` with ``program`` (a list of assignments) as its common subexpressions.

    The function runs with overflow ignored: the forms above overflow only to harmless
    infinities (σ's e^{−x} for x < −709 gives σ = 0), and a real divergence still shows as a
    non-finite loss.  Divide and invalid operations keep the caller's setting.
    """
    printer = _Printer({"fully_qualified_modules": False, "inline": True,
                        "allow_unknown_functions": True, "user_functions": {}})
    modules, to, back = _backend(backend)
    outputs = _without_unknown(outputs, modules[0])
    program = [(lhs, _without_unknown(rhs, modules[0])) for lhs, rhs in program]
    fn = sp.lambdify(args, outputs, modules=modules, printer=printer,
                     cse=lambda exprs: (program, exprs), docstring_limit=0)

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


# --------------------------------------------------------------- symbolic rewrites

def _without_unknown(expr, known):
    """Activations without a NumPy form of their own (registered by a formula) written in
    elementary functions, which lambdify knows."""
    if isinstance(expr, (list, tuple)):
        return type(expr)(_without_unknown(e, known) for e in expr)
    return expr.replace(lambda e: isinstance(e, Activated) and type(e).__name__ not in known,
                        lambda e: e._elementary())


def _clip_branches(expr):
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


def _stable_log(expr):
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


def _numeric_local(expr, applied):
    """A local partial for numeric code: 1 − σ(N) as σ(−N), then act(N) by its node (σ(N1) → h1)."""
    expr = expr.replace(lambda e: e.is_Add and len(e.args) == 2 and 1 in e.args
                        and isinstance(1 - e, sigmoid),
                        lambda e: sigmoid(-(1 - e).args[0]))
    return _clip_branches(expr.xreplace(applied))


# ------------------------------------------------------------------------ the model

class Model:
    """A network's loss, gradient and prediction compiled to NumPy (float64, batched).

    ``params`` is a dict from parameter name to float everywhere.  ``form`` is ``"layer"``
    (matrix equations per layer, the fast path) or ``"scalar"`` (the reverse-mode program node
    by node, the reference).  ``backend`` runs the same generated code on ``"numpy"`` (the
    default), ``"torch"`` or ``"jax"`` arrays when those are installed; inputs and results are
    NumPy either way.
    """

    def __init__(self, net, form="layer", backend="numpy"):
        if form not in FORMS:
            raise SymnetError(f"unknown form {form!r}; valid: {', '.join(FORMS)}")
        self.net = net
        self.form = form
        self.backend = backend
        self.names = [str(p) for p in net.params]
        if self.form == "layer":
            self._build_layer()
        else:
            self._build_scalar()

    def __repr__(self):
        return f"<Model {self.net.arch} ({self.form} form, {self.backend})>"

    # -- inputs

    def theta(self, params):
        """The parameters as a float64 vector in ``net.params`` order, checked."""
        if isinstance(params, np.ndarray) and params.shape == (len(self.names),):
            return params.astype(float)
        if not isinstance(params, dict):
            raise SymnetError("params must be a dict from parameter name to number, "
                              "e.g. {'w1': 0.5, …}")
        missing = [n for n in self.names if n not in params]
        unknown = [str(k) for k in params if str(k) not in self.names]
        if missing or unknown:
            what = (f"missing {', '.join(missing)}" if missing else "") + \
                   ("; " if missing and unknown else "") + \
                   (f"unknown {', '.join(unknown)}" if unknown else "")
            raise SymnetError(f"params: {what}; expected exactly {', '.join(self.names)}")
        try:
            theta = np.array([float(params[n]) for n in self.names])
        except (TypeError, ValueError):
            raise SymnetError("params values must be numbers") from None
        if not np.all(np.isfinite(theta)):
            bad = [n for n, v in zip(self.names, theta) if not np.isfinite(v)]
            raise SymnetError(f"params must be finite; {', '.join(bad)} is not")
        return theta

    def data(self, X, Y=None):
        """X as (inputs, n) and Y as (outputs, n), float64, contiguous, checked."""
        n_in, n_out = self.net.sizes[0], self.net.sizes[-1]
        X = _array(X, "X")
        if X.ndim == 1 and n_in == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != n_in or X.shape[0] == 0:
            raise SymnetError(f"X must have shape (n, {n_in}) with n ≥ 1; got {X.shape}")
        Xt = np.ascontiguousarray(X.T)
        if Y is None:
            return Xt, None
        Y = _array(Y, "Y")
        if Y.ndim == 1 and n_out == 1:
            Y = Y[:, None]
        if Y.ndim != 2 or Y.shape != (X.shape[0], n_out):
            raise SymnetError(f"Y must have shape ({X.shape[0]}, {n_out})"
                              + (f" or ({X.shape[0]},)" if n_out == 1 else "") + f"; got {Y.shape}")
        return Xt, np.ascontiguousarray(Y.T)

    # -- public evaluation

    def predict(self, params, X):
        """Outputs ŷ for each row of X: shape (n, outputs)."""
        Xt, _ = self.data(X)
        return np.asarray(self._predict(self.theta(params), Xt)).T

    def loss(self, params, X, Y):
        """The batch loss (mean or sum over samples, as the loss defines)."""
        return float(self.loss_and_gradient(params, X, Y)[0])

    def gradient(self, params, X, Y):
        """``{name: ∂L/∂name}`` of the batch loss, in ``net.params`` order."""
        return dict(zip(self.names, self.loss_and_gradient(params, X, Y)[1].tolist()))

    def loss_and_gradient(self, params, X, Y):
        """(loss, gradient vector in ``net.params`` order), from one forward and backward pass.

        Overflow is harmless in the generated forms and ignored (σ's e^{−x} for x < −709 gives
        exactly σ = 0, so at b1 = −1000 the loss is finite); a division by zero or an invalid
        operation raises ``FloatingPointError``."""
        Xt, Yt = self.data(X, Y)
        with np.errstate(divide="raise", invalid="raise"):
            return self._loss_grad(self.theta(params), Xt, Yt)

    # -- layer form

    def _build_layer(self):
        forward, backward, outputs, args, a_out, _ = _layer_program(self.net)
        self._shapes = _layer_shapes(self.net.sizes)
        X, Y, n = sp.symbols("X Y n_samples")
        self._fn = _lambdify([*args, X, Y, n], outputs, forward + backward, self.backend)
        self._fn_predict = _lambdify([*args, X], a_out, forward, self.backend)

    def _views(self, theta):
        """Views of theta as [W1, b1, W2, b2, …] (updating a view updates theta)."""
        return [theta[a:b].reshape(shape) for a, b, shape in self._shapes]

    def _predict(self, theta, Xt):
        if self.form == "layer":
            return self._fn_predict(*self._views(theta), Xt)
        return np.array(self._fn_predict(*theta, *Xt))

    def _loss_grad(self, theta, Xt, Yt):
        n = Xt.shape[1]
        if self.form == "layer":
            loss, *grads = self._fn(*self._views(theta), Xt, Yt, n)
            flat = np.empty_like(theta)
            for (a, b, _), g in zip(self._shapes, grads):
                flat[a:b] = np.ravel(g)
            return float(loss), flat
        loss, *grads = self._fn(*theta, *Xt, *Yt, n)
        return float(loss), np.array(grads, dtype=float)

    def stepper(self, theta, lr):
        """``step(Xt, Yt)``: one gradient-descent step on ``theta`` in place, w ← w − lr·∂L/∂w;
        it returns the loss before the step.  Data as laid out by :meth:`data`.

        For NumPy the step calls the generated code directly, without the wrapper that quiets
        overflow on every call: the caller (``fit``) runs it with overflow ignored."""
        fn = self._fn.generated if self.backend == "numpy" else self._fn
        if self.form == "layer":
            views = self._views(theta)

            def step(Xt, Yt):
                loss, *grads = fn(*views, Xt, Yt, Xt.shape[1])
                for v, g in zip(views, grads):
                    v -= lr * g
                return loss
        else:
            def step(Xt, Yt):
                loss, *grads = fn(*theta, *Xt, *Yt, Xt.shape[1])
                theta[:] -= lr * np.array(grads)
                return loss
        return step

    # -- scalar form

    def _build_scalar(self):
        forward, backward, outputs, args = _scalar_program(self.net)
        self._fn = _lambdify(args, outputs, forward + backward, self.backend)
        n_inputs = len(self.net.params) + len(self.net.inputs)
        self._fn_predict = _lambdify(args[:n_inputs], list(self.net.outputs), forward,
                                     self.backend)


def _array(a, what):
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        raise SymnetError(f"{what} must be numeric") from None
    if not np.all(np.isfinite(arr)):
        raise SymnetError(f"{what} contains NaN or infinite values")
    return arr


def _layer_shapes(sizes):
    shapes, w_off = [], 0
    b_off = sum(a * b for a, b in zip(sizes, sizes[1:]))
    for a, b in zip(sizes, sizes[1:]):
        shapes.append((w_off, w_off + a * b, (b, a)))
        shapes.append((b_off, b_off + b, (b, 1)))
        w_off, b_off = w_off + a * b, b_off + b
    return shapes


# ------------------------------------------------------------ building the layer form

class LayerSymbol(sp.Symbol):
    """A layer's array (W1, Z2, delta3, …): a code name, printed W^{(1)} in LaTeX."""

    def __new__(cls, letter, layer, tex=None):
        obj = super().__new__(cls, f"{letter}{layer}")
        obj.letter, obj.layer, obj.tex = letter, layer, tex or letter
        return obj

    def __getnewargs_ex__(self):
        return (self.letter, self.layer, self.tex), {}

    def _latex(self, printer, exp=None):
        tex = r"%s^{(%d)}" % (self.tex, self.layer)
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)


def _elementwise(net, neuron, Z, A):
    """f(Z) and f'(Z) of a layer, generalised from one neuron's definition and local partial.

    In f'(Z), f(Z) itself is replaced by the layer's output A (σ(Z)(1 − σ(Z)) → A(1 − A)).
    """
    node, activated = neuron
    if activated is None:
        return Z, sp.S.One
    f = net.definitions[activated].xreplace({node: Z})
    fprime = net.local(activated, node).xreplace({node: Z})
    return f, _clip_branches(fprime.xreplace({f: A}) if A is not None else fprime)


def _layer_program(net):
    """The layer form: (forward, backward, outputs [loss, dW1, db1, …], args, output array)."""
    L = len(net.sizes) - 1
    X, Y, n = sp.symbols("X Y n_samples")
    args = [s for l in range(1, L + 1) for s in (LayerSymbol("W", l), LayerSymbol("b", l))]
    softmax_out = net.output_activation.name == "softmax"
    forward, A, arrays = [], X, [(None, X)]
    for l, layer in enumerate(net.layers, start=1):
        Z = LayerSymbol("Z", l)
        forward.append((Z, matmul(args[2 * l - 2], A) + args[2 * l - 1]))
        if l == L and softmax_out:
            f = softmax_cols(Z)
        else:
            f, _ = _elementwise(net, layer[0], Z, None)
        A = Z if f == Z else LayerSymbol("A", l)
        if A != Z:
            forward.append((A, f))
        arrays.append((Z, A))
    scale = 1 / n if net.loss.reduction == "mean" else sp.S.One

    # the loss: the per-output term of the per-sample loss, elementwise, summed, scaled
    Z_L, A_L = arrays[L]
    applied = dict(forward)[A_L] if A_L != Z_L else Z_L
    loss = scale * total(_stable_log(net.loss.per_sample([Y], [applied])))

    # δ of the output layer, generalised from the symbolic derivation of output neuron 1
    yhat1, y1 = net.outputs[0], net.targets[0]
    dL_dyhat = net.local(net.output, yhat1)
    G = dL_dyhat.xreplace({yhat1: A_L, y1: Y})
    node, activated = net.layers[-1][0]
    if softmax_out:  # Σ_j δ_ŷj ∂ŷj/∂N_k with ∂ŷj/∂N_k = ŷj(δ_jk − ŷk)
        delta_out = sp.expand(A_L * (G - colsum(G * A_L)))
    elif activated is None:
        delta_out = G
    else:  # the engine's δ of the neuron, division already cancelled (σ + bce: ŷ − y)
        delta_out = gradients(net, [node])[node].xreplace(
            {net.definitions[activated]: activated}).xreplace({yhat1: A_L, y1: Y, node: Z_L})
    if delta_out.free_symbols - {A_L, Y, Z_L}:
        raise SymnetError("the output δ does not reduce to an elementwise form; use form='scalar'")

    # numeric shortcuts, kept out of the printed equations: the residual R = A − Y where it
    # makes the loss or δ shorter ((Y − Z)² → R², 2(Z − Y) → 2R), and δ's scalar factor
    # (2/n) computed once as a number instead of once per array element
    helpers, R = {}, LayerSymbol("R", L)
    with_residual = [e.xreplace({Y: A_L - R}) for e in (loss, delta_out)]
    if any(sp.count_ops(r) < sp.count_ops(e) for r, e in zip(with_residual, (loss, delta_out))):
        helpers[R] = A_L - Y
        loss, delta_out = [r if sp.count_ops(r) < sp.count_ops(e) else e
                           for r, e in zip(with_residual, (loss, delta_out))]
    coeff, rest = (scale * _clip_branches(delta_out)).as_independent(A_L, Y, Z_L, R, as_Add=False)
    if coeff != 1:
        helpers[sp.Symbol("c_delta")] = coeff
        coeff = sp.Symbol("c_delta")
    D = LayerSymbol("delta", L, r"\delta")
    backward = [*helpers.items(), (D, coeff * rest)]
    grads = [None] * (2 * L)
    l2 = getattr(net, "l2", 0)  # R = (λ/2) Σ W², once per batch: + λW in ∂L/∂W
    if l2:
        loss = loss + l2 / 2 * sp.Add(*[total(W * W) for W in args[0::2]])
    for l in range(L, 0, -1):
        A_prev = arrays[l - 1][1]
        grads[2 * l - 2] = matmul(D, transpose(A_prev)) + l2 * args[2 * l - 2]
        grads[2 * l - 1] = rowsum(D)
        if l > 1:
            Z, A = arrays[l - 1]
            _, fprime = _elementwise(net, net.layers[l - 2][0], Z, A)
            product = outer if net.sizes[l] == 1 else matmul
            back = product(transpose(args[2 * l - 2]), D)
            D = LayerSymbol("delta", l - 1, r"\delta")
            backward.append((D, back if fprime == 1 else hadamard(back, fprime)))
    return forward, backward, [loss] + grads, args, A_L, helpers


class LayerDerivation(Rendered):
    r"""The layer (matrix) form of backpropagation, as equations one can print.

    Forward: Z = W A + b, A = f(Z); backward: δ of the output layer, δ = Wᵀδ_next ⊙ f'(Z);
    gradients: ∂L/∂W = δ Aᵀ, ∂L/∂b = δ 1.  Arrays hold one sample per column; n is their number.

    >>> from symnet.network import Network
    >>> print(Network("2-2-1", activation="sigmoid").derive_layers())
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    delta2 = 2*(Z2 - Y)/n
    delta1 = W2ᵀ @ delta2 ⊙ (A1*(1 - A1))
    ∂L/∂W2 = delta2 @ A1ᵀ
    ∂L/∂b2 = delta2 @ 1
    ∂L/∂W1 = delta1 @ Xᵀ
    ∂L/∂b1 = delta1 @ 1
    """

    def __init__(self, net):
        forward, backward, outputs, args, _, helpers = _layer_program(net)
        n, L = sp.Symbol("n_samples"), sp.Symbol("L")
        grads = []
        for l in range(len(args) // 2, 0, -1):
            grads += [(Partial(L, args[2 * l - 2]), outputs[2 * l - 1]),
                      (Partial(L, args[2 * l - 1]), outputs[2 * l])]
        self.equations = [(lhs, sp.factor_terms(rhs.xreplace(helpers)).xreplace({n: sp.Symbol("n")}))
                          for lhs, rhs in forward + backward + grads if lhs not in helpers]

    def rows(self, fmt):
        show = latex if fmt == "latex" else text
        return [(show(lhs), show(rhs)) for lhs, rhs in self.equations]


# ----------------------------------------------------------- building the scalar form

def _scalar_program(net):
    """The reverse-mode program node by node: (forward, backward, outputs, args)."""
    defs = net.definitions
    n = sp.Symbol("n_samples")
    scale = 1 / n if net.loss.reduction == "mean" else sp.S.One
    outputs = set(net.outputs)
    # act(N) → its node, so that local partials reuse the forward values (σ(N1) → h1)
    applied = {v: k for k, v in defs.items() if not v.is_Add and k != net.output}
    forward = [(k, v) for k, v in defs.items() if k != net.output]
    # the loss in pre-activations where that is stabler (log σ(N) = −softplus(−N))
    activated_out = {o: defs[o] for o in outputs if not defs[o].is_Add}
    R = getattr(net, "penalty", None)  # the L2 term: once per batch, outside the sample sum
    data_loss = defs[net.output] - R if R is not None else defs[net.output]
    loss = scale * total(_stable_log(data_loss.xreplace(activated_out))) + (R or 0)

    backward = []
    for node in reversed(list(defs)):
        if node == net.output or node in activated_out or node == R:
            continue
        children = net.children.get(node, ())
        if node in outputs:  # linear output: δ_ŷ = ∂L/∂ŷ
            expr = scale * net.local(net.output, node)
        elif activated_out and set(children) <= set(activated_out):
            # through the output activation: the engine's δ, whose division it already
            # cancelled (σ output with bce gives ŷ − y)
            expr = scale * _numeric_local(gradients(net, [node])[node], applied)
        else:
            expr = sp.Add(*[Delta(c) * _numeric_local(net.local(c, node), applied)
                            for c in children])
        backward.append((Delta(node), _clip_branches(expr)))
    grads = [total(sp.Add(*[Delta(c) * _numeric_local(net.local(c, p), applied)
                            for c in net.children.get(p, ()) if c != R]))
             + (net.local(R, p) if R in net.children.get(p, ()) else 0) for p in net.params]
    args = [*net.params, *net.inputs, *net.targets, n]
    return forward, backward, [loss] + grads, args
