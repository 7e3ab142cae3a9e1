"""Plots (matplotlib, an optional extra: ``pip install 'symnet[plot]'``)."""

import io

from .files import write_atomic


def plot_history(history, path, title="training loss"):
    """Write the loss per epoch as a PNG (or SVG, by suffix), on a log scale when it spans decades."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    ax.plot(range(1, len(history) + 1), history)
    if min(history) > 0 and max(history) / min(history) > 100:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="svg" if str(path).endswith(".svg") else "png")
    plt.close(fig)
    write_atomic(path, buf.getvalue())
