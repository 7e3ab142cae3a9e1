"""Gradient descent on a compiled network: ``w(t+1) = w(t) − α ∂L/∂w`` for every parameter.

>>> import numpy as np
>>> from symnet.network import linear_regression
>>> X = np.array([[0.0], [1.0], [2.0]]); Y = 2 * X[:, 0] + 1
>>> result = linear_regression(1).fit(X, Y, lr=0.3, epochs=500, progress=False)
>>> round(result.params["w1"], 6), round(result.params["b1"], 6)
(2.0, 1.0)
"""

import json
import math
import sys
from dataclasses import dataclass, field

import numpy as np

from .errors import SymnetError
from .figures import Picture, figure
from .files import write_atomic
from .values import positive as _positive
from .values import seed as _seed

FORMAT = "symnet-model"


class DivergenceError(SymnetError):
    """Training stopped because the loss stopped being finite.

    ``params`` holds the last parameters whose loss was finite, ``history`` the losses so far.
    """

    def __init__(self, message, epoch, lr, params, history):
        super().__init__(message)
        self.epoch, self.lr, self.params, self.history = epoch, lr, params, history


def init_params(net, seed=0):
    """Random starting parameters, by name: biases 0; weights by the activation they feed.

    Weights into a relu, leaky_relu, elu or silu layer are He-normal, N(0, 2/fan_in); all others
    (linear, sigmoid, tanh, softplus, softmax) are Glorot-uniform, U(±√(6/(fan_in + fan_out))).

    >>> from symnet.network import Network
    >>> p = init_params(Network("2-2-1"), seed=0)
    >>> list(p)[:3], p["b1"]
    (['w1', 'w2', 'w3'], 0.0)
    """
    inits = [a.entry.init for a in net.activations + [net.output_activation]]
    weights = init_weights(net.sizes, inits, seed)
    values = [w.ravel() for w in weights] + [np.zeros(sum(net.sizes[1:]))]
    return dict(zip((str(p) for p in net.params), np.concatenate(values).tolist()))


def init_weights(sizes, inits, seed=0):
    """One weight matrix (fan_out × fan_in) per layer, by each layer's rule: ``"he"`` is
    N(0, 2/fan_in), ``"glorot"`` U(±√(6/(fan_in + fan_out))).

    >>> [w.shape for w in init_weights([2, 3, 1], ["he", "glorot"])]
    [(3, 2), (1, 3)]
    """
    rng = np.random.default_rng(_seed(seed))
    out = []
    for (fan_in, fan_out), init in zip(zip(sizes, sizes[1:]), inits):
        if init == "he":
            w = rng.normal(0.0, math.sqrt(2.0 / fan_in), fan_in * fan_out)
        else:
            a = math.sqrt(6.0 / (fan_in + fan_out))
            w = rng.uniform(-a, a, fan_in * fan_out)
        out.append(w.reshape(fan_out, fan_in))
    return out


@dataclass
class TrainResult:
    """What ``fit`` returns: the network, the final ``params`` (by name) and the loss per epoch.

    >>> from symnet.network import Network
    >>> result = Network("1-1").fit([[0.0], [1.0]], [1.0, 3.0], lr=0.5, epochs=200, progress=False)
    >>> round(result.params["w1"], 4), round(result.params["b1"], 4), result.loss < 1e-8
    (2.0, 1.0, True)
    """

    network: object
    params: dict
    history: list = field(default_factory=list)

    @property
    def loss(self):
        """The loss of the last epoch."""
        return self.history[-1] if self.history else None

    def __repr__(self):
        return (f"<TrainResult {self.network.arch}: {len(self.history)} epochs, "
                f"loss {self.loss:.6g}>" if self.history else f"<TrainResult {self.network.arch}>")

    def plot(self):
        """The loss per epoch as a :class:`~symnet.figures.Picture` (log scale when it spans
        decades); ``result.plot().save("loss.png")``.  Needs matplotlib."""
        fig = figure(6, 3.5, "plotting the loss")
        ax = fig.add_subplot()
        h = self.history
        ax.plot(range(1, len(h) + 1), h)
        if h and min(h) > 0 and max(h) / min(h) > 100:
            ax.set_yscale("log")
        ax.set(xlabel="epoch", ylabel="loss",
               title=f"{self.network.arch}, {self.network.loss.name}")
        fig.tight_layout()
        return Picture(fig, "loss curve")

    def save(self, path):
        """Write the network, the parameters and the history as JSON, atomically."""
        net = self.network
        doc = {
            "format": FORMAT, "version": 1, "arch": net.arch,
            "activation": [_activation_doc(a) for a in net.activations],
            "output_activation": _activation_doc(net.output_activation),
            "loss": net.loss.name,
            "params": {k: float(v) for k, v in self.params.items()},
            "history": [float(v) for v in self.history],
        }
        write_atomic(path, json.dumps(doc, indent=1) + "\n")


def _activation_doc(act):
    return {"name": act.name, **{k: str(v) for k, v in act.options}}


def fit(net, X, Y, lr=0.5, epochs=1000, batch_size=None, params=None, seed=0, callback=None,
        progress=True, form="layer"):
    """Train ``net`` by gradient descent; return a :class:`TrainResult`.

    Full-batch gradient descent (the lecture's) unless ``batch_size`` is set: then each epoch
    visits the samples in a seeded random order in batches (``batch_size=1`` is SGD).  Starts
    from ``params`` when given, else ``init_params(seed)``.  ``history`` holds each epoch's loss
    before its update (for mini-batches, the epoch's batches combined as the loss defines).
    ``callback(epoch, loss, params)`` is called after every epoch; returning ``False`` stops.
    A loss that stops being finite raises :class:`DivergenceError` naming the epoch and the
    learning rate; it keeps the last parameters whose loss was finite.
    """
    model = net.compile(form)
    theta = model.theta(net.init_params(seed) if params is None else params)
    Xt, Yt = model.data(X, Y)
    n = Xt.shape[1]
    lr = _positive(lr, "lr", float)
    epochs = _positive(epochs, "epochs", int)
    if batch_size is not None:
        batch_size = _positive(batch_size, "batch_size", int)
        if batch_size > n:
            raise SymnetError(f"batch_size {batch_size} is larger than the {n} samples")
    rng = np.random.default_rng(_seed(seed))
    history = []
    step = model.stepper(theta, lr)
    good, before = theta.copy(), np.empty_like(theta)
    epochs_iter = range(epochs)
    if progress and epochs >= 100 and sys.stderr.isatty():
        from tqdm import tqdm
        epochs_iter = tqdm(epochs_iter, desc="training", unit="epoch", leave=False)
    names = model.names
    mean = net.loss.reduction == "mean"
    # Overflow is ignored (σ's e^{−x} overflows harmlessly to give exactly 0); an update that
    # overflows makes the next loss non-finite, which is caught below, as are invalid results.
    with np.errstate(over="ignore", divide="raise", invalid="raise"):
        for epoch in epochs_iter:
            np.copyto(before, theta)
            try:
                if batch_size is None:
                    loss = step(Xt, Yt)
                else:
                    loss, order = 0.0, rng.permutation(n)
                    for start in range(0, n, batch_size):
                        b = order[start:start + batch_size]
                        part = step(Xt[:, b], Yt[:, b])
                        loss += part * len(b) / n if mean else part
                # an update that overflows raises; a finite loss means finite parameters before
                finite = math.isfinite(loss)
            except FloatingPointError:
                finite = False
            if not finite:
                raise DivergenceError(
                    f"training diverged at epoch {epoch + 1}: the loss stopped being finite "
                    f"with learning rate {lr:g}; try a smaller learning rate (e.g. {lr / 10:g})",
                    epoch + 1, lr, dict(zip(names, good.tolist())), history)
            good, before = before, good
            history.append(float(loss))
            if callback is not None and callback(epoch + 1, float(loss),
                                                 dict(zip(names, theta.tolist()))) is False:
                break
    if not np.isfinite(theta).all():  # the very last update overflowed silently (inf − inf aside)
        raise DivergenceError(
            f"training diverged at epoch {len(history)}: the parameters stopped being finite "
            f"with learning rate {lr:g}; try a smaller learning rate (e.g. {lr / 10:g})",
            len(history), lr, dict(zip(names, good.tolist())), history)
    return TrainResult(net, dict(zip(names, theta.tolist())), history)
