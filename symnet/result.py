"""What training returns: :class:`TrainResult` — parameters, loss history, metrics, pictures,
and the model file it saves."""

import json
from dataclasses import dataclass, field

from .curves import plot_boundary, plot_curves
from .errors import SymnetError
from .files import MODEL_FORMAT, write_atomic
from .metrics import class_numbers, classes, is_classifier


@dataclass
class TrainResult:
    """What ``fit`` returns: the network (or the circuit), the final ``params`` (by name) and
    the loss per epoch.

    ``history`` is the list of the training losses, one per epoch (each before the epoch's
    update).  ``metrics`` holds the other per-epoch lists: ``accuracy`` (classifiers),
    ``val_loss`` and ``val_accuracy`` (with ``validation=``), and ``grad_W1``, ``grad_W2``, …,
    the mean |∂L/∂W| of each layer's weights (at the epoch's last step).  ``best_epoch`` is the
    epoch whose parameters were kept (the last, unless early stopping kept an earlier one).

    >>> from symnet.network import Network
    >>> result = Network("1-1").fit([[0.0], [1.0]], [1.0, 3.0], lr=0.5, epochs=200, progress=False)
    >>> round(result.params["w1"], 4), round(result.params["b1"], 4), result.loss < 1e-8
    (2.0, 1.0, True)
    >>> sorted(result.metrics)
    ['grad_W1']
    """

    network: object
    params: dict
    history: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    best_epoch: int = None
    optimizer: str = "sgd"

    @classmethod
    def of_vector(cls, network, names, theta, history, metrics=None, best_epoch=None,
                  optimizer="sgd"):
        """What ``fit`` returns: the parameters as one vector (``names`` in its order), whose
        ``params`` dict is built when first read (784-30-10 has 23,860 names)."""
        result = cls(network, None, history, metrics or {}, best_epoch, optimizer)
        result._names, result._theta = names, theta
        return result

    @property
    def theta(self):
        """The parameters as one float64 vector in ``network.params`` order (a copy).

        >>> from symnet.network import Network
        >>> TrainResult(Network("1-1"), {"w1": 2.0, "b1": 1.0}).theta.tolist()
        [2.0, 1.0]
        """
        import numpy as np  # a model file is read (sn.load) where NumPy may be missing
        if self._theta is not None:
            return self._theta.copy()
        return np.array([float(self.params[str(p)]) for p in self.network.param_names])

    @property
    def loss(self):
        """The loss of the last epoch."""
        return self.history[-1] if self.history else None

    @property
    def epochs(self):
        """How many epochs ran."""
        return len(self.history)

    def __repr__(self):
        name = _name(self.network)
        return (f"<TrainResult {name}: {len(self.history)} epochs, loss {self.loss:.6g}>"
                if self.history else f"<TrainResult {name}>")

    def plot(self, kind="loss"):
        """A :class:`~symnet.figures.Picture` per epoch of ``"loss"`` (log scale when it spans
        decades), ``"accuracy"`` or ``"gradients"`` (mean |∂L/∂W| per layer: vanishing
        gradients show as a lower curve for the first layer); ``result.plot().save("loss.png")``.
        Needs matplotlib."""
        net = self.network
        return plot_curves(kind, self.history, self.metrics,
                           f"{net.arch}, {net.loss.name}" if _is_network(net) else _name(net))

    def predict_class(self, X):
        """The class of each row of ``X``: 0 or 1 for bce (ŷ > ½), the number k of the largest
        output ŷk for cross-entropy, numbered from 1 as the outputs are (as ``symnet predict``
        numbers them)."""
        return self._classes(X, class_numbers)

    def _classes(self, X, numbering=classes):
        _check_network(self.network, "predicting classes")
        Yhat = self.network.compile().predict(self.params, X)
        c = numbering(self.network.loss.name, Yhat.T)
        return c[0] if c.ndim == 2 else c

    def plot_boundary(self, X, Y):
        """The decision regions of a 2-input classifier with the samples ``X``, ``Y`` on top.

        Needs matplotlib."""
        net = self.network
        _check_classifier(net)
        return plot_boundary(self._classes, X, Y, net.loss.name,
                             f"{net.arch}, {net.loss.name}: decision boundary")

    def save(self, path):
        """Write the network, the parameters, the history and metrics as JSON, atomically."""
        write_atomic(path, self.dumps())

    def dumps(self):
        """The JSON text :meth:`save` writes (strict JSON: every number finite)."""
        net = self.network
        _check_network(net, "a model file")
        doc = {
            "format": MODEL_FORMAT, "version": 1, "arch": net.arch,
            "activation": [_activation_doc(a) for a in net.activations],
            "output_activation": _activation_doc(net.output_activation),
            "loss": net.loss.name,
            **({"l2": str(net.l2)} if getattr(net, "l2", 0) else {}),
            **({"bias": list(net.bias)} if not all(net.bias) else {}),
            "params": {k: float(v) for k, v in self.params.items()},
            "history": [float(v) for v in self.history],
            **({"metrics": {k: [float(v) for v in s] for k, s in self.metrics.items()}}
               if self.metrics else {}),
        }
        return json.dumps(doc, indent=1, allow_nan=False) + "\n"


def _params(self):
    if self._params is None and self._theta is not None:
        self._params = dict(zip(self._names, self._theta.tolist()))
    return self._params


def _set_params(self, params):
    self._params, self._theta = params, None


# set after @dataclass made __init__: ``params`` is read through the property, built on first use
TrainResult.params = property(_params, _set_params, doc="The parameters by name.")


def _is_network(net):
    return getattr(net, "loss", None) is not None  # a circuit's output is its own loss


def _name(net):
    return net.arch if _is_network(net) else f"circuit {net.output}"


def _check_network(net, what):
    if not _is_network(net):
        raise SymnetError(f"{what} is a network's; a circuit's trained parameters are "
                          "result.params")


def _check_classifier(net):
    _check_network(net, "a decision boundary")
    if not is_classifier(net.loss.name):
        raise SymnetError(f"a decision boundary needs a classifier (loss bce or cross_entropy); "
                          f"this network's loss is {net.loss.name}")


def _activation_doc(act):
    return {"name": act.name, **{k: str(v) for k, v in act.options}}
