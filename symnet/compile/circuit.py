"""A circuit's output and its gradient as generated code (the scalar form).

A circuit is compiled as a loss: its output is the loss of one sample, a row of X with one
column per input (``circuit.inputs``, in that order), and the model's loss is the mean of the
output over the rows.  A circuit without inputs takes no X: its output is the loss.
"""

import numpy as np
import sympy as sp

from ..errors import SymnetError, TooLargeError, listed
from ..generics import require_formulas
from .codegen import lambdify
from .model import Model, _array
from .scalar import scalar_program

# a name's δ (or gradient) sums one term per use, and Python's compiler nests a sum of n terms
# n deep: about 3,000 overflow its stack
MAX_USES = 1000


def _check_uses(circuit):
    node, uses = max(circuit.children.items(), key=lambda item: len(item[1]), default=(None, ()))
    if len(uses) > MAX_USES:
        raise TooLargeError(f"{node} is used by {len(uses):,} definitions; a circuit compiles "
                            f"with at most {MAX_USES:,} uses of one name")


class CircuitModel(Model):
    """A circuit compiled to NumPy (float64, batched): :meth:`loss` is the mean of its output
    over the rows of X, :meth:`gradient` the gradient of that mean by the parameters
    (``circuit.params``), :meth:`predict` the output at each row.  Parameters are a dict by
    name or a vector in ``circuit.params`` order; results come back the same way.

    >>> import symnet as sn
    >>> c = sn.circuit("p = w*x + b; r = p - y; L = r**2", params="w,b")  # inputs x, y
    >>> model = c.compile("scalar")
    >>> X = [[1.0, 3.0], [2.0, 4.0]]                      # rows (x, y)
    >>> model.predict({"w": 2, "b": 0}, X), model.loss({"w": 2, "b": 0}, X)
    (array([1., 0.]), 0.5)
    >>> model.gradient({"w": 2, "b": 0}, X)               # mean of 2r·x and of 2r
    {'w': -1.0, 'b': -1.0}
    >>> sn.circuit("q = x + y; f = q*z").compile().gradient({"x": -2, "y": 5, "z": -4})
    {'x': -4.0, 'y': -4.0, 'z': 3.0}
    """

    def __init__(self, circuit, form="scalar", backend="numpy"):
        if form != "scalar":
            raise SymnetError(f"a circuit compiles to the scalar form, node by node (it has no "
                              f"layers); got form={form!r}")
        require_formulas(circuit.generic_functions, "compile")
        _check_uses(circuit)
        self.net, self.form, self.backend = circuit, form, backend
        self.names = list(circuit.param_names)
        self._index = {name: i for i, name in enumerate(self.names)}
        self._shapes = []
        forward, backward, outputs, args = scalar_program(circuit)
        # a circuit's own names (total, sign, e) may be the generated code's functions and
        # constants: the code names every value _0, _1, …
        safe = {s: sp.Symbol(f"_{i}") for i, s in enumerate([*args, *(k for k, _ in forward),
                                                             *(k for k, _ in backward)])}
        rename = lambda program: [(safe[k], v.xreplace(safe)) for k, v in program]
        forward, backward = rename(forward), rename(backward)
        args = [safe[a] for a in args]
        self._fn = lambdify(args, [o.xreplace(safe) for o in outputs], forward + backward,
                            backend)
        self._fn_predict = lambdify(args[:-1], circuit.definitions[circuit.output].xreplace(safe),
                                    forward, backend)

    def __repr__(self):
        return f"<Model circuit {self.net.output} ({self.form} form, {self.backend})>"

    def theta(self, params):
        """The parameters (a dict by name, or a vector in ``circuit.params`` order) as a new
        float64 vector, checked."""
        if isinstance(params, dict):
            return self._from_dict(params)
        if not (isinstance(params, np.ndarray) and params.shape == (len(self.names),)):
            raise SymnetError("params must be a dict from parameter name to number, or a "
                              f"vector of {len(self.names)} numbers in circuit.params order")
        theta = np.array(params, dtype=float)
        self._check_finite(theta)
        return theta

    def data(self, X=None, Y=None):
        """X as (inputs, n), float64, checked, and an empty Y: a circuit's targets, if it has
        any, are inputs like the others."""
        inputs = self.net.inputs
        if Y is not None:
            raise SymnetError("a circuit takes no Y: its targets are inputs, columns of X "
                              f"({listed(inputs) or 'it has none'})")
        if X is None:
            if inputs:
                raise SymnetError(f"X is missing: one column per input of the circuit, "
                                  f"{listed(inputs)}")
            X = np.empty((1, 0))  # one sample of nothing: the output is the loss
        X = _array(X, "X")
        if X.ndim == 1 and len(inputs) == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != len(inputs) or X.shape[0] == 0:
            raise SymnetError(f"X must have shape (n, {len(inputs)}) with n ≥ 1, one column per "
                              f"input ({listed(inputs) or 'none'}); got {X.shape}")
        return X.T, np.empty((0, X.shape[0]))

    def predict(self, params, X=None):
        """The circuit's output at each row of X: shape (n,)."""
        Xt, _ = self.data(X)
        out = self._fn_predict(*self.theta(params), *Xt)
        return np.broadcast_to(np.asarray(out, dtype=float), Xt.shape[1:]).copy()

    def loss(self, params, X=None, Y=None):
        """The mean of the output over the rows of X."""
        return super().loss(params, X, Y)

    def gradient(self, params, X=None, Y=None):
        """The gradient of :meth:`loss` by the parameters: ``{name: float}`` for a dict, a
        vector for a vector."""
        return super().gradient(params, X, Y)

    def loss_and_gradient(self, params, X=None, Y=None):
        """(loss, gradient vector in ``circuit.params`` order), from one forward and backward
        pass."""
        return super().loss_and_gradient(params, X, Y)
