"""What training watches besides the loss: accuracy, a seeded validation split, gradient sizes.

Arrays are laid out as inside a compiled model: one sample per column, (outputs, n).

>>> import numpy as np
>>> accuracy("bce", np.array([[0.2, 0.7, 0.6]]), np.array([[0.0, 1.0, 0.0]]))
0.6666666666666666
>>> accuracy("cross_entropy", np.array([[0.1, 0.8], [0.9, 0.2]]), np.array([[1, 1], [0, 0]]))
0.5
"""

from .errors import SymnetError
from .lazy import numpy as np

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


def accuracy(loss_name, Yhat, Y):
    """The fraction of samples classified as their targets say (each output for bce; the
    largest target for cross-entropy)."""
    Y = np.asarray(Y)
    if loss_name == "bce":
        return float(np.mean(classes(loss_name, Yhat) == (Y > 0.5)))
    return float(np.mean(classes(loss_name, Yhat) == np.argmax(Y, axis=0)))


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


def mean_abs(arrays):
    """The mean |a| of each array (one number per layer's ∂L/∂W)."""
    return [float(np.abs(a).sum()) / a.size for a in arrays]  # np.mean costs 3x more here
