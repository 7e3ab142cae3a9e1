"""Mean |∂L/∂W| per layer, of one gradient flow or of several side by side: a table, a
caption saying what was measured, and a bar chart on a log scale.

>>> from symnet.explore import compare_flow
>>> print(flow_caption(compare_flow("2-3-3-1", ["tanh"], seeds=(0, 1))))
mean |∂L/∂W| per layer at initialisation, 2-3-3-1 network, loss mse, 64 samples, mean over init seeds 0, 1
"""

import math

from ..errors import SymnetError
from ..figures import Picture, figure
from ..printing import Table


def _num(value, digits=3):
    return f"{value:.{digits}g}"


def _sci(value):
    return "nan" if math.isnan(value) else f"{value:.2e}"


def _layer_names(n):
    return [f"{l}" + (" (first)" if l == 1 else " (output)" if l == n else "")
            for l in range(1, n + 1)]


def flow_table(flows, fmt="text"):
    """Mean |∂L/∂W| per layer, one column per flow, then layer 1 ÷ last layer and the mean
    shrink factor per layer (that ratio to the power 1/(layers − 1)).

    >>> from symnet.explore import compare_flow
    >>> table = flow_table(compare_flow("2-4-4-1", ["sigmoid", "tanh"]))
    >>> [line.split("  ")[0] for line in table.splitlines()]
    ['layer', '1 (first)', '2', '3 (output)', 'layer 1 ÷ layer 3', 'per layer (geom. mean)']
    """
    flows = list(flows)
    sizes = {len(f.magnitudes) for f in flows}
    if len(sizes) != 1:
        raise SymnetError("flows to compare must have the same number of layers")
    n = sizes.pop()
    labels = [f.label for f in flows]
    if len(set(labels)) < len(labels):
        labels = [f"{f.label} {f.network.arch}" for f in flows]
    rows = [[name] + [_sci(f.magnitudes[i]) for f in flows]
            for i, name in enumerate(_layer_names(n))]
    if n > 1:
        rows.append([f"layer 1 ÷ layer {n}"] + [_sci(f.ratio) for f in flows])
        rows.append(["per layer (geom. mean)"] + [
            _num(f.ratio ** (1 / (n - 1)), 2) if f.ratio > 0 else "0" for f in flows])
    table = Table(["layer"] + labels, rows)
    return table.render(fmt)


def flow_caption(flows):
    """One line saying what the numbers are: data, seeds, architecture and loss."""
    f = flows[0]
    net = f.network
    what = (f"mean over init seeds {', '.join(map(str, f.seeds))}" if f.seeds is not None
            else "at the given parameters")
    return (f"mean |∂L/∂W| per layer at initialisation, {net.arch} network, loss {net.loss.name}, "
            f"{f.samples} samples, {what}")


def plot_flow(flows, path=None, title=None):
    """Grouped bars of mean |∂L/∂W| per layer, one colour per flow, on a log scale; a Picture."""
    flows = list(flows)
    n = len(flows[0].magnitudes)
    fig = figure(max(5.5, 1.0 + 0.55 * n * max(1, len(flows)) ** 0.5 * 1.4), 3.6,
                 "plotting the gradient flow")
    ax = fig.subplots()
    width = 0.8 / len(flows)
    xs = range(1, n + 1)
    for k, f in enumerate(flows):
        shown = [m if m > 0 else math.nan for m in f.magnitudes]  # log scale: no bar for 0
        ax.bar([x - 0.4 + width * (k + 0.5) for x in xs], shown, width * 0.92, label=f.label,
               color=f"C{k}")
    ax.set_yscale("log")
    positive = [m for f in flows for m in f.magnitudes if m > 0]
    if positive:
        ax.set_ylim(bottom=10 ** math.floor(math.log10(min(positive))) / 2)
    ax.set_xticks(xs)
    ax.set_xticklabels([str(l) for l in xs])
    ax.set_xlabel("layer (1 = first, nearest the inputs)")
    ax.set_ylabel("mean |∂L/∂W|")
    net = flows[0].network
    seeds = flows[0].seeds
    runs = f"mean over {len(seeds)} init seeds" if seeds is not None else "given params"
    ax.set_title(title or f"gradient per layer at initialisation: {net.arch}, loss "
                 f"{net.loss.name}, {flows[0].samples} samples, {runs}", fontsize=10.5)
    ax.grid(axis="y", which="major", color="0.9")
    ax.set_axisbelow(True)
    if len(flows) > 1:
        ax.legend(fontsize=9, frameon=False, loc="best")
    fig.tight_layout()
    picture = Picture(fig, "gradient flow")
    if path is not None:
        picture.save(path)
    return picture
