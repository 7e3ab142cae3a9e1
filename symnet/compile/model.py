"""Model: a network's loss, gradient and prediction as generated array code."""

import numpy as np
import sympy as sp

from ..errors import SymnetError, listed
from ..generics import require_formulas
from ..values import NUMBER_SYNTAX, finite, number_text
from .codegen import lambdify
from .layers import inline_single_use, layer_program
from .scalar import scalar_program

FORMS = ("layer", "scalar")


class Model:
    """A network's loss, gradient and prediction compiled to NumPy (float64, batched).

    Parameters are accepted three ways, and results come back the same way:

    * a dict from parameter name to number, ``{"w1": 0.5, …}`` (what users see);
    * one flat float64 vector in ``net.params`` order (weights, then biases);
    * a list of per-layer arrays ``[W1, b1, W2, b2, …]``, W_l of shape (size_l, size_{l−1}) and
      b_l of shape (size_l, 1) (see :meth:`arrays`), what the generated code takes; a layer
      without a bias has no b_l.

    ``form`` is ``"layer"`` (matrix equations per layer, the fast path) or ``"scalar"`` (the
    reverse-mode program node by node, the reference).  ``backend`` runs the same generated
    code on ``"numpy"`` (the default), ``"torch"`` or ``"jax"`` arrays when those are installed;
    inputs and results are NumPy either way (see :meth:`fused_step` for keeping the parameters
    on the backend's device).
    """

    def __init__(self, net, form="layer", backend="numpy"):
        if form not in FORMS:
            raise SymnetError(f"unknown form {form!r}; valid: {', '.join(FORMS)}")
        require_formulas(net.generic_functions, "compile")
        self.net = net
        self.form = form
        self.backend = backend
        self.names = list(net.param_names)
        self._index = {name: i for i, name in enumerate(self.names)}
        self._shapes = _layer_shapes(net.sizes, net.bias)
        if self.form == "layer":
            self._build_layer()
        else:
            self._build_scalar()

    def __repr__(self):
        return f"<Model {self.net.arch} ({self.form} form, {self.backend})>"

    # -- inputs

    def theta(self, params):
        """The parameters (a dict, a flat vector or per-layer arrays) as a new float64 vector
        in ``net.params`` order, checked."""
        if isinstance(params, dict):
            return self._from_dict(params)
        if isinstance(params, (list, tuple)) and len(params) == len(self._shapes) and \
                all(hasattr(p, "shape") for p in params):
            shapes = [shape for _, _, shape in self._shapes]
            if [tuple(p.shape) for p in params] != shapes:
                raise SymnetError(f"per-layer params must have shapes {shapes}; got "
                                  f"{[tuple(p.shape) for p in params]}")
            theta = self.flatten(params)
        elif isinstance(params, np.ndarray) and params.shape == (len(self.names),):
            theta = params
        else:
            raise SymnetError(
                "params must be a dict from parameter name to number (e.g. {'w1': 0.5, …}), "
                f"a vector of {len(self.names)} numbers in net.params order, or per-layer "
                "arrays [W1, b1, W2, b2, …]")
        theta = np.array(theta, dtype=float)
        self._check_finite(theta)
        return theta

    def _from_dict(self, params):
        if params.keys() != self._index.keys():  # a set comparison; then names as text
            if len(params) != len(self.names) or not all(str(k) in self._index for k in params):
                missing = [n for n in self.names if n not in params]
                unknown = [str(k) for k in params if str(k) not in self._index]
                what = "; ".join(([f"missing {listed(missing, 60)}"] if missing else []) +
                                 ([f"unknown {listed(unknown, 60)}"] if unknown else []))
                raise SymnetError(f"params: {what}; expected exactly {listed(self.names, 80)}")
            params = {str(k): v for k, v in params.items()}
        try:
            theta = np.fromiter(map(float, map(params.__getitem__, self.names)), float,
                                len(self.names))
        except (TypeError, ValueError, OverflowError):  # one message per value (values)
            for n in self.names:
                finite(params[n], f"params: {n}")
            raise SymnetError("params values must be numbers") from None
        self._check_finite(theta)
        return theta

    def _check_finite(self, theta):
        if not np.all(np.isfinite(theta)):
            bad = [n for n, v in zip(self.names, theta) if not np.isfinite(v)]
            raise SymnetError(f"params must be finite; {listed(bad)} is not")

    def arrays(self, theta):
        """Views of the flat vector ``theta`` as per-layer arrays ``[W1, b1, W2, b2, …]``
        (updating a view updates ``theta``).

        >>> from symnet.network import Network
        >>> model = Network("2-3-1").compile()
        >>> [a.shape for a in model.arrays(np.zeros(13))]
        [(3, 2), (3, 1), (1, 3), (1, 1)]
        """
        return [theta[a:b].reshape(shape) for a, b, shape in self._shapes]


    def flatten(self, arrays):
        """One flat float64 vector in ``net.params`` order from per-layer arrays (the inverse
        of :meth:`arrays`)."""
        theta = np.empty(len(self.names))
        for (a, b, _), p in zip(self._shapes, arrays):
            theta[a:b] = np.ravel(p)
        return theta

    def as_dict(self, theta):
        """``{name: float}`` of a flat vector, in ``net.params`` order."""
        return dict(zip(self.names, np.asarray(theta, dtype=float).tolist()))

    def data(self, X, Y=None):
        """X as (inputs, n) and Y as (outputs, n), float64, checked.

        These are transposed views where the input is already a float64 array in rows (the
        generated code's matrix products take either memory order), copies otherwise."""
        n_in, n_out = self.net.sizes[0], self.net.sizes[-1]
        X = _array(X, "X")
        if X.ndim == 1 and n_in == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != n_in or X.shape[0] == 0:
            raise SymnetError(f"X must have shape (n, {n_in}) with n ≥ 1; got {X.shape}")
        if Y is None:
            return X.T, None
        Y = _array(Y, "Y")
        if Y.ndim == 1 and n_out == 1:
            Y = Y[:, None]
        if Y.ndim != 2 or Y.shape != (X.shape[0], n_out):
            raise SymnetError(f"Y must have shape ({X.shape[0]}, {n_out})"
                              + (f" or ({X.shape[0]},)" if n_out == 1 else "") + f"; got {Y.shape}")
        return X.T, Y.T

    # -- public evaluation

    def predict(self, params, X):
        """Outputs ŷ for each row of X: shape (n, outputs)."""
        Xt, _ = self.data(X)
        return np.asarray(self._predict(self.theta(params), Xt)).T

    def loss(self, params, X, Y):
        """The batch loss (mean or sum over samples, as the loss defines)."""
        return float(self.loss_and_gradient(params, X, Y)[0])

    def gradient(self, params, X, Y):
        """∂L/∂θ of the batch loss, in the form ``params`` came in: ``{name: float}`` for a
        dict (in ``net.params`` order), a flat vector for a vector, ``[dW1, db1, …]`` for
        per-layer arrays.

        >>> from symnet.network import Network
        >>> model = Network("1-1").compile()
        >>> model.gradient({"w1": 1.0, "b1": 0.0}, [[2.0]], [1.0])
        {'w1': 4.0, 'b1': 2.0}
        >>> model.gradient(np.array([1.0, 0.0]), [[2.0]], [1.0])
        array([4., 2.])
        """
        grad = self.loss_and_gradient(params, X, Y)[1]
        if isinstance(params, dict):
            return self.as_dict(grad)
        if isinstance(params, (list, tuple)):
            return self.arrays(grad)
        return grad

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
        forward, backward, outputs, args, a_out, _ = layer_program(self.net)
        X, Y, n = sp.symbols("X Y n_samples")
        program, outputs = inline_single_use(forward + backward, outputs)
        self._fn = lambdify([*args, X, Y, n], outputs, program, self.backend)
        forward, (a_out,) = inline_single_use(forward, [a_out])
        self._fn_predict = lambdify([*args, X], a_out, forward, self.backend)

    def _predict(self, theta, Xt):
        if self.form == "layer":
            return self._fn_predict(*self.arrays(theta), Xt)
        return np.array(self._fn_predict(*theta, *Xt))

    def _loss_grad(self, theta, Xt, Yt):
        n = Xt.shape[1]
        if self.form == "layer":
            loss, *grads = self._fn(*self.arrays(theta), Xt, Yt, n)
            flat = np.empty_like(theta)
            for (a, b, _), g in zip(self._shapes, grads):
                flat[a:b] = np.ravel(g)
            return float(loss), flat
        loss, *grads = self._fn(*theta, *Xt, *Yt, n)
        return float(loss), np.array(grads, dtype=float)

    # -- scalar form

    def _build_scalar(self):
        forward, backward, outputs, args = scalar_program(self.net)
        self._fn = lambdify(args, outputs, forward + backward, self.backend)
        n_inputs = len(self.net.params) + len(self.net.inputs)
        self._fn_predict = lambdify(args[:n_inputs], list(self.net.outputs), forward,
                                    self.backend)


def _array(a, what):
    try:
        arr = np.asarray(a)
        if arr.dtype.kind in "USO":  # text in the one number syntax (NumPy would take ٣, 1_000)
            cells = [_text_cell(v, what) if isinstance(v, (str, bytes)) else v
                     for v in arr.ravel().tolist()]
            arr = np.array(cells, dtype=float).reshape(arr.shape)
        arr = np.asarray(arr, dtype=float)
    except SymnetError:
        raise
    except (TypeError, ValueError, OverflowError):
        raise SymnetError(f"{what} must be numeric") from None
    # one sum finds a NaN or an infinity without a mask of every element; a sum that
    # overflows from finite values is checked element by element
    if not np.isfinite(arr.sum()) and not np.all(np.isfinite(arr)):
        raise SymnetError(f"{what} contains NaN or infinite values")
    return arr


def _text_cell(cell, what):
    try:
        return number_text(cell, what)
    except SymnetError:
        raise SymnetError(f"{what} must be numeric (text: a number {NUMBER_SYNTAX}); got "
                          f"{cell!r:.40}") from None


def _layer_shapes(sizes, bias):
    """(start, end, shape) in the flat vector of each per-layer array, W1, b1, W2, …"""
    shapes, w_off = [], 0
    b_off = sum(a * b for a, b in zip(sizes, sizes[1:]))
    for (a, b), has in zip(zip(sizes, sizes[1:]), bias):
        shapes.append((w_off, w_off + a * b, (b, a)))
        if has:
            shapes.append((b_off, b_off + b, (b, 1)))
            b_off += b
        w_off += a * b
    return shapes
