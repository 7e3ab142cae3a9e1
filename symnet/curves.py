"""Pictures of a training run: loss, accuracy and gradient curves per epoch, and the decision
boundary of a 2-input classifier.  Plain numbers in, a :class:`~symnet.figures.Picture` out;
needs matplotlib (``pip install matplotlib``)."""

import numpy as np

from .errors import SymnetError
from .figures import Picture, figure

KINDS = ("loss", "accuracy", "gradients")


def _log_if_wide(ax, series):
    values = [v for s in series for v in s if v is not None]
    if values and min(values) > 0 and max(values) / min(values) > 100:
        ax.set_yscale("log")


def plot_curves(kind, history, metrics, title):
    """``kind`` of a run per epoch: ``"loss"`` (with the validation loss if any),
    ``"accuracy"`` (training and validation) or ``"gradients"`` (mean |∂L/∂W| per layer)."""
    if kind not in KINDS:
        raise SymnetError(f"unknown plot {kind!r}; valid: {', '.join(KINDS)}")
    if kind == "loss":
        series = [("training", history)] + ([("validation", metrics["val_loss"])]
                                            if metrics.get("val_loss") else [])
        ylabel = "loss"
    elif kind == "accuracy":
        series = [(label, metrics[k]) for label, k in (("training", "accuracy"),
                                                       ("validation", "val_accuracy"))
                  if metrics.get(k)]
        if not series:
            raise SymnetError("accuracy is recorded for classifiers only (loss bce or "
                              "cross_entropy)")
        ylabel = "accuracy"
    else:
        keys = sorted((k for k in metrics if k.startswith("grad_W")), key=lambda k: int(k[6:]))
        series = [(f"layer {k[6:]}: mean |∂L/∂W{k[6:]}|", metrics[k]) for k in keys]
        ylabel = "mean |∂L/∂W|"
    fig = figure(6, 3.5, f"plotting the {kind}")
    ax = fig.add_subplot()
    for label, s in series:
        ax.plot(range(1, len(s) + 1), s, label=label)
    if kind != "accuracy":
        _log_if_wide(ax, [s for _, s in series])
    if len(series) > 1:
        ax.legend(fontsize=8)
    ax.set(xlabel="epoch", ylabel=ylabel, title=title)
    fig.tight_layout()
    return Picture(fig, f"{kind} curve")


def plot_boundary(predict, X, Y, loss_name, title, resolution=200):
    """The decision regions of a 2-input classifier over the data's range, with the samples.

    ``predict(grid)`` takes an (m, 2) array and returns the class of each row."""
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise SymnetError("a decision boundary is drawn for networks with 2 inputs; "
                          f"this data has {X.shape[1] if X.ndim == 2 else 1}")
    fig = figure(5, 4.5, "plotting the decision boundary")
    ax = fig.add_subplot()
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * np.where(hi > lo, hi - lo, 1.0)
    g1, g2 = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
                         np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution))
    grid = np.c_[g1.ravel(), g2.ravel()]
    regions = np.asarray(predict(grid)).reshape(g1.shape)
    n_classes = max(2, int(regions.max()) + 1)
    ax.contourf(g1, g2, regions, levels=np.arange(n_classes + 1) - 0.5, cmap="coolwarm",
                alpha=0.35)
    targets = (Y.reshape(len(X), -1)[:, 0] > 0.5).astype(int) if loss_name == "bce" \
        else np.argmax(Y.reshape(len(X), -1), axis=1)
    ax.scatter(X[:, 0], X[:, 1], c=targets, cmap="coolwarm", vmin=0, vmax=n_classes - 1,
               edgecolors="black", linewidths=0.6, s=36)
    ax.set(xlabel="x1", ylabel="x2", title=title)
    fig.tight_layout()
    return Picture(fig, "decision boundary")
