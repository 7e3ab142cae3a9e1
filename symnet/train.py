"""Training a compiled network: gradient descent ``w(t+1) = w(t) − α ∂L/∂w`` (the lecture's),
or another optimizer of :mod:`symnet.optimizers`; frozen parameters, validation, early stopping.

>>> import numpy as np
>>> from symnet.network import linear_regression
>>> X = np.array([[0.0], [1.0], [2.0]]); Y = 2 * X[:, 0] + 1
>>> result = linear_regression(1).fit(X, Y, lr=0.3, epochs=500, progress=False)
>>> round(result.params["w1"], 6), round(result.params["b1"], 6)
(2.0, 1.0)
"""

import functools
import math
import sys
import warnings

import numpy as np

from .compile.fused import fused_epochs
from .errors import SymnetError, listed
from .generics import require_formulas
from .metrics import GradientSizes, accuracy, check_targets, is_classifier, split
from .optimizers import entry as optimizer_entry
from .result import TrainResult
from .values import MAX_EPOCHS, bounded, names
from .values import positive as _positive
from .values import seed as _seed

__all__ = ["DivergenceError", "TrainResult", "TrainingWarning", "fit", "init_params"]


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
    A circuit's parameters, which no layer sizes scale, are each N(0, 1).

    >>> from symnet.network import Network
    >>> p = init_params(Network("2-2-1"), seed=0)
    >>> list(p)[:3], p["b1"]
    (['w1', 'w2', 'w3'], 0.0)
    """
    return dict(zip(net.param_names, initial(net, seed).tolist()))


def initial(net, seed=0):
    """:func:`init_params` as one float64 vector in ``net.params`` order (no names).

    >>> from symnet.network import Network
    >>> net = Network("2-2-1")
    >>> list(initial(net, seed=0)) == list(init_params(net, seed=0).values())
    True
    """
    if getattr(net, "loss", None) is None:  # a circuit
        rng = np.random.default_rng(_seed(seed))
        return rng.normal(0.0, 1.0, len(net.param_names))
    inits = [a.entry.init for a in net.activations + [net.output_activation]]
    weights = init_weights(net.sizes, inits, seed)
    values = [w.ravel() for w in weights] + [np.zeros(len(net.param_names) - net.n_weights)]
    return np.concatenate(values)


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


class TrainingWarning(UserWarning):
    """Training ended at a higher loss than it began (a learning rate too large, usually)."""


class _Program:
    """A compiled model's loss and gradient at the parameter vector ``theta`` (which training
    updates in place): the gradient is written into ``gradient``, in θ's order (weights, then
    biases), so that one update moves all of θ."""

    def __init__(self, model, theta):
        fn = model._fn.generated  # NumPy: the other backends train by fused steps
        self.gradient = g = np.empty_like(theta)
        if model.form == "layer":
            arrays, into = model.arrays(theta), model.arrays(g)

            def grad(Xt, Yt):
                loss, *parts = fn(*arrays, Xt, Yt, Xt.shape[1])
                for view, part in zip(into, parts):
                    view[...] = part
                return loss
            self.predict = lambda Xt: model._fn_predict(*arrays, Xt)
        else:
            def grad(Xt, Yt):
                loss, *g[:] = fn(*theta, *Xt, *Yt, Xt.shape[1])
                return loss
            self.predict = lambda Xt: np.array(model._fn_predict(*theta, *Xt))
        self.grad = grad


def _frozen(model, freeze):
    """The indices (into the parameter vector) of the parameters named in ``freeze``."""
    freeze = names(() if freeze is None else freeze, "freeze", "['b1', 'b2']")
    idx = []
    for name in freeze or ():
        name = str(name).strip()
        if name not in model.names:
            what = "network" if getattr(model.net, "loss", None) else "circuit"
            raise SymnetError(f"cannot freeze {name!r}: no such parameter; this {what} has: "
                              f"{listed(model.names)}")
        idx.append(model.names.index(name))
    return np.array(sorted(set(idx)), dtype=int) if idx else None


def _diverged(epoch, lr, what, names, good, history):
    return DivergenceError(
        f"training diverged at epoch {epoch}: the {what} stopped being finite with learning "
        f"rate {lr:g}; try a smaller learning rate (e.g. {lr / 10:g})",
        epoch, lr, dict(zip(names, good.tolist())), history)


def fit(net, X, Y, lr=None, epochs=1000, batch_size=None, params=None, seed=0, callback=None,
        progress=True, form="layer", optimizer="sgd", freeze=(), validation=None, patience=None,
        backend="numpy", **options):
    """Train ``net``; return a :class:`TrainResult`.  A circuit's output is the loss of a row
    of ``X`` (see :meth:`symnet.circuits.Circuit.fit`), and its ``Y`` is None.

    ``optimizer`` is ``"sgd"`` (the lecture's w ← w − α ∂L/∂w), ``"momentum"``, ``"nesterov"``,
    ``"rmsprop"`` or ``"adam"``, each exactly as ``torch.optim`` defines it; ``options`` are its
    options by PyTorch's names and defaults (``momentum``, ``betas``, ``eps``, ``alpha``,
    ``weight_decay``, …; see :func:`symnet.optimizers.update_rule`).  ``lr`` defaults to the
    optimizer's (0.1 for the SGD family, 0.01 for RMSprop and Adam).

    Full-batch unless ``batch_size`` is set: then each epoch visits the samples in a seeded
    random order in batches (``batch_size=1`` is SGD).  Starts from ``params`` when given, else
    ``init_params(seed)``.  ``freeze`` names parameters that keep their values.
    ``validation=0.2`` holds out a seeded fifth of the samples, scored every epoch;
    ``patience=k`` stops after k epochs without a better loss (validation loss if any) and keeps
    the best parameters.  ``history`` holds each epoch's loss before its update (for
    mini-batches, the epoch's batches combined as the loss defines), ``metrics`` the rest.
    ``callback(epoch, loss, params)`` is called after every epoch; returning ``False`` stops.
    A loss that stops being finite raises :class:`DivergenceError` naming the epoch and the
    learning rate; it keeps the last parameters whose loss was finite.  A run that ends above
    its first loss warns (:class:`TrainingWarning`).

    ``backend="jax"`` or ``"torch"`` runs each whole step (forward, generated gradient, update)
    on that library, jitted on JAX, with the parameters kept on its device between steps
    (without freeze, validation, patience or the per-epoch metrics).

    >>> from symnet.network import Network
    >>> r = Network("2-3-1", activation="tanh", loss="bce").fit(
    ...     [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], optimizer="adam", lr=0.05,
    ...     epochs=300, progress=False)
    >>> r.metrics["accuracy"][-1], r.optimizer
    (1.0, 'adam')
    """
    require_formulas(net.generic_functions, "fit")
    model = net.compile(form, backend)
    opt = optimizer_entry(optimizer)
    opts = opt.options(options)
    theta = initial(net, seed) if params is None else model.theta(params)
    if Y is None and getattr(net, "loss", None) is not None:
        raise SymnetError("fit needs the targets Y of a network, one row per row of X")
    Xt, Yt = model.data(X, _not_labels(net, Y))
    if getattr(net, "loss", None) is not None:
        check_targets(net.loss.name, [str(t) for t in net.targets], Yt)
    lr = opt.lr if lr is None else _positive(lr, "lr", float)
    epochs = bounded(_positive(epochs, "epochs", int), "epochs", high=MAX_EPOCHS,
                     how_to_go_below="train in several runs, each from the last params")
    patience = None if patience is None else _positive(patience, "patience", int)
    frozen = _frozen(model, freeze)
    Xt, Yt, held = _held_out(Xt, Yt, validation, seed)
    n = Xt.shape[1]
    if batch_size is not None:
        batch_size = _positive(batch_size, "batch_size", int)
        if batch_size > n:
            raise SymnetError(f"batch_size {batch_size} is larger than the {n} samples"
                              + (" left for training" if held else ""))
    rng = np.random.default_rng(_seed(seed))
    if backend != "numpy":
        if frozen is not None or held is not None or patience is not None:
            raise SymnetError(f"backend {backend!r} trains without freeze, validation and "
                              "patience; use backend='numpy' for those")
        return _fit_fused(net, model, opt, opts, theta, Xt, Yt, lr, epochs, batch_size, rng,
                          callback)
    run = _Run(net, model, opt, opts, lr, theta, frozen, held)
    epochs_iter = range(epochs)
    if progress and epochs >= 100 and sys.stderr.isatty():
        from tqdm import tqdm
        epochs_iter = tqdm(epochs_iter, desc="training", unit="epoch", leave=False)
    _loop(run, epochs_iter, Xt, Yt, batch_size, rng, patience, callback)
    return run.result()


def _not_labels(net, Y):
    """``Y``, unless it is one class label per sample for a cross-entropy network: refused
    with the one-hot form its targets take."""
    if getattr(net, "loss", None) is None or net.loss.name != "cross_entropy":
        return Y
    k = net.sizes[-1]
    shape = np.shape(Y) if isinstance(Y, (list, tuple, np.ndarray)) else None
    if shape and (len(shape) == 1 or shape[1:] == (1,)):
        raise SymnetError(
            f"cross_entropy's targets are one-hot, {k} per sample (a 1 in the class's column; "
            f"classes are numbered 1 to {k}, as yhat1 to yhat{k}); these are one number per "
            f"sample: write class labels 1 to {k} one-hot, e.g. np.eye({k})[labels - 1]")
    return Y


def _held_out(Xt, Yt, validation, seed):
    """(training X, Y, held-out (X, Y) or None): a seeded split of the columns."""
    if validation is None:
        return Xt, Yt, None
    train_idx, val_idx = split(Xt.shape[1], validation, _seed(seed))
    held = (np.ascontiguousarray(Xt[:, val_idx]), np.ascontiguousarray(Yt[:, val_idx]))
    return np.ascontiguousarray(Xt[:, train_idx]), np.ascontiguousarray(Yt[:, train_idx]), held


def _loop(run, epochs_iter, Xt, Yt, batch_size, rng, patience, callback):
    n = Xt.shape[1]
    # Overflow is ignored (σ's e^{−x} overflows harmlessly to give exactly 0); an update that
    # overflows makes the next loss non-finite, which is caught in the epoch, as are invalid results.
    with np.errstate(over="ignore", divide="raise", invalid="raise"):
        for epoch in epochs_iter:
            order = None if batch_size is None else rng.permutation(n)
            loss = run.epoch(Xt, Yt, order, batch_size)
            if patience is not None and run.stalled(patience):
                break
            if callback is not None and callback(
                    epoch + 1, loss, dict(zip(run.model.names, run.theta.tolist()))) is False:
                break


class _Run:
    """One training run's state: the parameter vector, the optimizer's state, what was
    recorded."""

    def __init__(self, net, model, opt, opts, lr, theta, frozen, held):
        self.net, self.model, self.opt, self.opts, self.lr = net, model, opt, opts, lr
        self.theta, self.frozen, self.held = theta, frozen, held
        self.fixed = None if frozen is None else theta[frozen].copy()
        self.program = _Program(model, theta)
        self.state = opt.init([theta])  # every rule is elementwise: one vector for all of θ
        self.plain = opt.name == "sgd" and not opts["momentum"] and not opts["weight_decay"] \
            and not opts["maximize"]
        self.t = 0
        loss = getattr(net, "loss", None)  # None: a circuit, its output a mean over the rows
        self.mean = loss is None or loss.reduction == "mean"
        self.classifier = loss is not None and is_classifier(loss.name)
        self.history = []
        # a network's mean |∂L/∂W| per layer; a circuit has no layers
        self.gradients = GradientSizes([a * b for a, b in zip(net.sizes, net.sizes[1:])]) \
            if loss is not None else None
        self.scored = {}
        if self.classifier:
            self.scored["accuracy"] = []
        if held is not None:
            self.scored["val_loss"] = []
            if self.classifier:
                self.scored["val_accuracy"] = []
        self.good, self.before = theta.copy(), np.empty_like(theta)
        self.best, self.best_value, self.best_epoch, self.wait = None, math.inf, None, 0

    def step(self, Xt, Yt):
        """One update on a batch; the loss before it (the gradient is ``program.gradient``)."""
        loss, g = self.program.grad(Xt, Yt), self.program.gradient
        self.t += 1
        if self.plain:  # the lecture's rule, in place
            self.theta -= self.lr * g
        else:
            new, self.state = self.opt.update([self.theta], [g], self.state, self.lr, self.t,
                                              **self.opts)
            np.copyto(self.theta, new[0])
        if self.frozen is not None:
            self.theta[self.frozen] = self.fixed
        return loss

    def scores(self, Xt, Yt):
        """Accuracy and validation scores of the parameters before this epoch's updates."""
        out, program = {}, self.program
        if self.classifier:
            out["accuracy"] = accuracy(self.net.loss.name, program.predict(Xt), Yt)
        if self.held is not None:
            Xv, Yv = self.held
            out["val_loss"] = float(program.grad(Xv, Yv))
            if self.classifier:
                out["val_accuracy"] = accuracy(self.net.loss.name, program.predict(Xv), Yv)
        return out

    def epoch(self, Xt, Yt, order, batch_size):
        """Score, then update (one step full-batch, or one per batch); record; return the loss."""
        np.copyto(self.before, self.theta)
        try:
            scores = self.scores(Xt, Yt) if self.scored else None
            if order is None:
                loss = self.step(Xt, Yt)
            else:
                loss, n, mean = 0.0, Xt.shape[1], self.mean
                for start in range(0, n, batch_size):
                    b = order[start:start + batch_size]
                    part = self.step(Xt[:, b], Yt[:, b])
                    loss += part * len(b) / n if mean else part
            # an update that overflows raises; a finite loss means finite parameters before
            finite = math.isfinite(loss) and (scores is None or
                                              math.isfinite(scores.get("val_loss", 0.0)))
        except FloatingPointError:
            finite = False
        if not finite:
            raise _diverged(len(self.history) + 1, self.lr, "loss", self.model.names, self.good,
                            self.history)
        self.good, self.before = self.before, self.good  # good: the parameters just scored
        loss = float(loss)
        self.history.append(loss)
        if self.gradients is not None:
            self.gradients.add(self.program.gradient)  # mean |∂L/∂W| of the epoch's last step
        if scores:
            for k, v in scores.items():
                self.scored[k].append(v)
        return loss

    def stalled(self, patience):
        """Early stopping: keep the best parameters scored; True after ``patience`` epochs
        without improvement."""
        value = self.scored["val_loss"][-1] if self.held is not None else self.history[-1]
        if value < self.best_value:
            self.best_value, self.best, self.wait = value, self.good.copy(), 0
            self.best_epoch = len(self.history)
            return False
        self.wait += 1
        return self.wait >= patience

    def result(self):
        names, h = self.model.names, self.history
        if not np.isfinite(self.theta).all():  # the very last update overflowed silently
            raise _diverged(len(h), self.lr, "parameters", names, self.good, h)
        if self.best is not None:
            np.copyto(self.theta, self.best)
        if len(h) > 1 and h[-1] > h[0]:
            warnings.warn(f"the loss rose during training, from {h[0]:.6g} to {h[-1]:.6g}; try a "
                          f"smaller learning rate (e.g. {self.lr / 10:g})", TrainingWarning,
                          stacklevel=3)
        metrics = {f"grad_W{l}": v for l, v in enumerate(self.gradients.lists(), start=1)} \
            if self.gradients is not None else {}
        return TrainResult.of_vector(self.net, names, self.theta.copy(), h,
                                     {**metrics, **self.scored}, self.best_epoch or len(h),
                                     self.opt.name)


# ---- backend="jax" | "torch": the fused step of symnet.compile.fused (kept apart from the loop above)

def _fit_fused(net, model, opt, opts, theta, Xt, Yt, lr, epochs, batch_size, rng, callback):
    update = functools.partial(opt.update, **opts)
    history, good = [], theta
    epochs_run = fused_epochs(model, theta, Xt, Yt, lr, batch_size, rng, update=update,
                              init=opt.init)
    for epoch, (loss, current) in zip(range(1, epochs + 1), epochs_run):
        if not math.isfinite(loss):
            raise _diverged(epoch, lr, "loss", model.names, good, history)
        history.append(loss)
        theta = current()
        if not np.isfinite(theta).all():
            raise _diverged(epoch, lr, "parameters", model.names, good, history)
        good = theta
        if callback is not None and callback(epoch, loss, model.as_dict(theta)) is False:
            break
    return TrainResult.of_vector(net, model.names, np.array(good, dtype=float), history,
                                 optimizer=opt.name)
