"""What training watches besides the loss: accuracy, a seeded validation split, gradient sizes.

Arrays are laid out as inside a compiled model: one sample per column, (outputs, n).

>>> import numpy as np
>>> accuracy("bce", np.array([[0.2, 0.7, 0.6]]), np.array([[0.0, 1.0, 0.0]]))
0.6666666666666666
>>> accuracy("cross_entropy", np.array([[0.1, 0.8], [0.9, 0.2]]), np.array([[1, 1], [0, 0]]))
0.5
"""

import numpy as np

from .errors import SymnetError

CLASSIFIERS = ("bce", "cross_entropy")


def is_classifier(loss_name):
    """True for the losses whose outputs are class probabilities (accuracy is defined)."""
    return loss_name in CLASSIFIERS


def classes(loss_name, Yhat):
    """The predicted class of each sample (column): ŷ > ½ for bce (per output), argmax for
    cross-entropy.  Shape (outputs, n) for bce, (n,) for cross-entropy."""
    Yhat = np.asarray(Yhat)
    if loss_name == "bce":
        return (Yhat > 0.5).astype(int)
    if loss_name == "cross_entropy":
        return np.argmax(Yhat, axis=0)
    raise SymnetError(f"classes are defined for {', '.join(CLASSIFIERS)}, not {loss_name!r}")


def class_numbers(loss_name, Yhat):
    """The class of each sample as symnet numbers it everywhere (API and command line): 0 or 1
    per output for bce, 1 to K for cross-entropy (class k is the output ŷk).

    >>> class_numbers("cross_entropy", np.array([[0.1, 0.8], [0.9, 0.2]])).tolist()
    [2, 1]
    """
    c = classes(loss_name, Yhat)
    return c + 1 if loss_name == "cross_entropy" else c


def accuracy(loss_name, Yhat, Y):
    """The fraction of samples classified as their targets say (each output for bce; the
    largest target for cross-entropy)."""
    Y = np.asarray(Y)
    if loss_name == "bce":
        return float(np.mean(classes(loss_name, Yhat) == (Y > 0.5)))
    return float(np.mean(classes(loss_name, Yhat) == np.argmax(Y, axis=0)))


def check_targets(loss, names, Y):
    """Refuse targets a classifier's loss is not defined on, naming the first sample (from 1)
    that has them: a bce target outside [0, 1]; cross-entropy targets of a sample that are not
    a distribution (non-negative, summing to 1).  ``names`` are the targets' names, ``Y`` is
    (outputs, n).

    >>> check_targets("bce", ["y"], np.array([[0.0, 1.0, 2.0]]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    symnet.errors.SymnetError: bce's targets are probabilities in [0, 1] ...; sample 3 has y = 2
    """
    if loss == "bce":
        bad = (Y < 0) | (Y > 1)
        what = "bce's targets are probabilities in [0, 1] (a class is 0 or 1)"
    elif loss == "cross_entropy":
        bad = (Y < 0) | (np.abs(Y.sum(axis=0) - 1) > 1e-6)
        what = (f"cross_entropy's targets are a distribution over the {len(names)} outputs, "
                "non-negative and summing to 1 (one-hot for a class)")
    else:
        return
    columns = np.flatnonzero(bad.any(axis=0))
    if columns.size:
        k = columns[0]
        has = ", ".join(f"{name} = {v:g}" for name, v in zip(names, Y[:, k].tolist()))
        raise SymnetError(f"{what}; sample {k + 1} has {has}")


def split(n, fraction, seed):
    """``(train, validation)`` sample indices: a seeded shuffle, ``round(fraction·n)`` (at
    least 1) held out; ``fraction`` in (0, 1) and at least one sample left to train on.

    >>> split(10, 0.2, seed=0)[1].size, split(10, 0.2, seed=0)[0].size
    (2, 8)
    """
    try:
        f = float(fraction)
    except (TypeError, ValueError):
        f = float("nan")
    if isinstance(fraction, bool) or not 0 < f < 1:
        raise SymnetError(f"validation must be a fraction between 0 and 1 (e.g. 0.2), got {fraction!r}")
    n_val = max(1, round(f * n))
    if n_val >= n:
        raise SymnetError(f"validation={fraction!r} leaves no sample to train on ({n} samples)")
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


class GradientSizes:
    """Each epoch's mean |∂L/∂W| per layer, from gradient vectors kept in blocks of epochs.

    On a small network an epoch is a few dozen NumPy calls, and two more per layer for this
    metric cost a tenth of it; so :meth:`add` copies the epoch's gradient vector (weights
    first, ``weights`` numbers per layer) into a block, and a block is reduced at once.

    >>> sizes = GradientSizes([2, 1])
    >>> sizes.add(np.array([1.0, -3.0, -0.5, 7.0]))  # the last number is a bias's
    >>> sizes.lists()
    [[2.0], [0.5]]
    """

    NUMBERS = 1 << 16  # the size of a block: at most 256 epochs, at least one

    def __init__(self, weights):
        self._sizes = np.array(weights, dtype=float)
        self._starts = np.cumsum([0, *weights[:-1]])
        self._values = [[] for _ in weights]
        self._weights = sum(weights)
        self._block = np.empty((min(256, max(1, self.NUMBERS // self._weights)), self._weights))
        self._row = 0

    def add(self, gradient):
        """Record one epoch's gradient vector."""
        self._block[self._row] = gradient[:self._weights]
        self._row += 1
        if self._row == len(self._block):
            self._reduce()

    def _reduce(self):
        if self._row:
            sums = np.add.reduceat(np.abs(self._block[:self._row]), self._starts, axis=1)
            for values, column in zip(self._values, (sums / self._sizes).T.tolist()):
                values.extend(column)
            self._row = 0

    def lists(self):
        """The mean |∂L/∂W| of each layer (a list per layer, a number per epoch)."""
        self._reduce()
        return self._values
