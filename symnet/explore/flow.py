r"""Seeing gradients: vanishing and exploding products, gradient flow per layer, activations.

The seed lecture ends with a warning: a product of many factors a little below 1 vanishes
(0.99³⁶⁵ ≈ 0.026) and one of factors a little above 1 explodes (1.01³⁶⁵ ≈ 37.8).  By the chain
rule, ∂L/∂w1 of a deep network is such a product, one factor per layer, and a sigmoid layer
contributes σ'(N) ≤ ¼.

>>> print(compound(n=(1, 365)))
  n  0.99^n  1.01^n     0.25^n
  1    0.99    1.01       0.25
365  0.0255    37.8  1.77e-220

>>> flow = gradient_flow(Network("1-1-1-1-1", activation="sigmoid"))
>>> for group in flow.groups: print(group)
loss: ∂L/∂yhat = 2*(yhat - y)
layer 4: ∂yhat/∂h3 = w4
layer 3: ∂h3/∂N3 · ∂N3/∂h2 = sigmoid(N3)*(1 - sigmoid(N3)) · w3   (sigmoid' ∈ (0, 1/4])
layer 2: ∂h2/∂N2 · ∂N2/∂h1 = sigmoid(N2)*(1 - sigmoid(N2)) · w2   (sigmoid' ∈ (0, 1/4])
layer 1: ∂h1/∂N1 · ∂N1/∂w1 = sigmoid(N1)*(1 - sigmoid(N1)) · x1   (sigmoid' ∈ (0, 1/4])
"""

import math
from functools import cached_property

import numpy as np
import sympy as sp

from ..derive import Derivation, Partial
from ..errors import SymnetError
from ..network import Network
from ..printing import Table, aligned, check_format, product
from ..printing import latex as _latex
from ..printing import text as _text
from ..values import MAX_FLOW_SAMPLES, MAX_FLOW_SEEDS, bounded, count
from .atlas import atlas_entry, latex_range
from .magnitudes import flow_table, plot_flow

SEEDS = (0, 1, 2, 3, 4)
SAMPLES = 64


# ------------------------------------------------------------------ compound interest

def compound(n=(1, 10, 30, 100, 365), rates=(0.99, 1.01, 0.25)):
    """The seed's compound-interest table: ``rate**n`` for each rate and each ``n``.

    A factor a little below 1 vanishes over many steps, one a little above 1 explodes; 0.25 is
    the steepest slope of the sigmoid, σ'(0) = ¼, so a sigmoid layer multiplies ∂L/∂w by at
    most that (times its weight).

    >>> table = compound(n=(365,), rates=(0.99, 1.01))
    >>> table.rows
    [['365', '0.0255', '37.8']]
    """
    headers = ["n"] + [f"{r:g}^n" for r in rates]
    latex_headers = ["$n$"] + [f"${r:g}^n$" for r in rates]
    rows = [[str(k)] + [f"{r ** k:.3g}" for r in rates] for k in n]
    return Table(headers, rows, latex_headers=latex_headers)


# --------------------------------------------------------------------- gradient flow

def default_data(net, samples=SAMPLES, seed=0):
    """Seeded random data for ``net``: X ~ N(0, 1); Y as the loss expects.

    Y is as the loss's targets are: N(0, 1) for real targets (mse, half_sse), 0 or 1 for
    probabilities (bce), one-hot classes for distributions (cross_entropy).

    >>> X, Y = default_data(Network("2-2-1"), samples=3)
    >>> X.shape, Y.shape
    ((3, 2), (3, 1))
    """
    rng = np.random.default_rng(seed)
    n_in, n_out = net.sizes[0], net.sizes[-1]
    X = rng.normal(size=(samples, n_in))
    targets = net.loss.targets  # what the loss registry says a target is
    if targets == "probability":
        Y = rng.integers(0, 2, size=(samples, n_out)).astype(float)
    elif targets == "distribution":
        Y = np.eye(n_out)[rng.integers(0, n_out, size=samples)]
    else:
        Y = rng.normal(size=(samples, n_out))
    return X, Y


class Group:
    """The chain-rule factors of one layer along a path: ``caption``, ``partials``, ``values``,
    and the :class:`AtlasEntry` of the layer's activation (None for a linear layer)."""

    def __init__(self, caption, partials, values, entry=None):
        self.caption, self.partials, self.values, self.entry = caption, partials, values, entry

    @property
    def bound(self):
        """The largest slope of the layer's activation (σ' ≤ ¼), or None for a linear layer."""
        return None if self.entry is None else self.entry.bound

    @property
    def note(self):
        e = self.entry
        return "" if e is None else f"{e.name}' ∈ {e.range}"

    def __repr__(self):
        return f"<Group {self}>"

    def __str__(self):
        line = (f"{self.caption}: {product(self.partials, 'text')} = "
                f"{product(self.values, 'text')}")
        return line + (f"   ({self.note})" if self.entry is not None else "")

    def latex(self):
        row = r"\text{%s:}\quad %s &= %s" % (self.caption, product(self.partials),
                                             product(self.values))
        if self.entry is not None:
            row += r" &&%s' \in %s" % (_act_latex(self.entry.name), latex_range(self.entry.range))
        return row


def _act_latex(name):
    return {"sigmoid": r"\sigma", "tanh": r"\tanh"}.get(name, r"\operatorname{%s}"
                                                         % name.replace("_", r"\_"))


class GradientFlow:
    """How large ∂L/∂W is in each layer of ``network`` at initialisation, and why.

    ``magnitudes[l]`` is the mean |∂L/∂w| over the weights of layer l + 1 (first layer first),
    averaged over the ``seeds`` of :func:`symnet.train.init_params` (or at the given params);
    ``per_seed`` holds one row per seed.  ``groups`` is ∂L/∂wrt along one path written with one
    factor per layer, ``paths`` how many paths there are in all.
    """

    def __init__(self, network, magnitudes, per_seed, seeds, samples, wrt):
        self.network = network
        self.magnitudes = [float(m) for m in magnitudes]
        self.per_seed = per_seed
        self.seeds = seeds
        self.samples = samples
        self.wrt = wrt

    def __repr__(self):
        mags = ", ".join(f"{m:.3g}" for m in self.magnitudes)
        return f"<GradientFlow {self.label} {self.network.arch}: mean |∂L/∂W| by layer {mags}>"

    @property
    def label(self):
        """The hidden activations, e.g. ``sigmoid`` or ``sigmoid,relu``."""
        names = [a.name for a in self.network.activations] or [self.network.output_activation.name]
        return names[0] if len(set(names)) == 1 else ",".join(names)

    @property
    def ratio(self):
        """First layer's magnitude over the last layer's: ≪ 1 means the gradient vanishes."""
        last = self.magnitudes[-1]
        return self.magnitudes[0] / last if last else math.nan

    @cached_property
    def path(self):
        """One path from L down to ``wrt``: through the first neuron of every layer."""
        net, node, path = self.network, self.wrt, [self.wrt]
        while node != net.output:
            node = min(net.children[node], key=net.order.get)
            path.append(node)
        return tuple(reversed(path))

    @cached_property
    def paths(self):
        """How many paths lead from L down to ``wrt`` (∂L/∂wrt is the sum over all of them)."""
        return Derivation(self.network.graph, self.wrt).n_paths

    @cached_property
    def groups(self):
        """∂L/∂wrt along :attr:`path`, one :class:`Group` of factors per layer (loss first)."""
        net = self.network
        acts = net.activations + [net.output_activation]
        groups = []  # (layer number, or 0 for the loss; partials)
        for a, b in zip(self.path, self.path[1:]):
            layer = 0 if a == net.output else net.layer_of[a]
            if not groups or groups[-1][0] != layer:
                groups.append((layer, []))
            groups[-1][1].append(Partial(a, b))
        out = []
        for layer, partials in groups:
            values = [net.local(p.num, p.den) for p in partials]
            activation = acts[layer - 1] if layer else None
            entry = atlas_entry(activation) if activation is not None and \
                not activation.is_linear and activation.name != "softmax" else None
            out.append(Group(f"layer {layer}" if layer else "loss", partials, values, entry))
        return out

    @property
    def slope_bound(self):
        """``(k, bound)``: the path has k activation slopes bounded below 1 (σ' ≤ ¼), and
        their product is at most ``bound``; None when no slope is bounded below 1."""
        small = [g.bound for g in self.groups if g.bound is not None and g.bound < 1]
        return (len(small), sp.Mul(*small)) if small else None

    # -- rendering

    def product(self, fmt="text"):
        """∂L/∂wrt along one path, one factor per layer, as lines of text or LaTeX."""
        check_format(fmt)
        d = Partial(self.network.output, self.wrt)
        n = self.paths
        where = ("its only path" if n == 1 else f"one of its {n:,} paths") + \
            ", through the first neuron of each layer"
        if fmt == "text":
            lines = [f"∂L/∂{self.wrt} along {where}, one factor per layer:",
                     f"{_text(d)} = " + " · ".join(
                         f"({product(g.partials, 'text')})" if len(g.partials) > 1
                         else product(g.partials, "text") for g in self.groups)]
            cells = [(g.caption, product(g.partials, "text"), product(g.values, "text"), g.note)
                     for g in self.groups]
            widths = [max(len(c[i]) for c in cells) for i in range(3)]
            for c in cells:
                line = f"  {c[0]:<{widths[0]}}  {c[1]:<{widths[1]}} = {c[2]:<{widths[2]}}"
                lines.append((line + "   " + c[3]).rstrip())
            lines += self._bound_lines()
            return "\n".join(lines)
        rows = [r"%s &= %s" % (_latex(d), r" \cdot ".join(
            r"\left(%s\right)" % product(g.partials) if len(g.partials) > 1
            else product(g.partials) for g in self.groups))]
        rows += [g.latex() for g in self.groups]
        block = aligned(rows)
        extra = self._bound_lines()
        if fmt == "latex":
            return block + ("\n% " + "\n% ".join(extra) if extra else "")
        return (f"∂L/∂{self.wrt} along {where}, one factor per layer:\n\n$$\n{block}\n$$"
                + ("\n\n" + " ".join(extra) if extra else ""))

    def _bound_lines(self):
        if self.slope_bound is None:
            return []
        k, bound = self.slope_bound
        slopes = sorted({f"{g.entry.name}' ≤ {g.bound}" for g in self.groups
                         if g.bound is not None and g.bound < 1})
        return [f"{k} activation slope{'s' if k > 1 else ''} on this path ({', '.join(slopes)}): "
                f"together at most {bound} ≈ {float(bound):.2g}, times the weights, "
                f"the input and {_text(self.groups[0].partials[0])}"]

    def table(self, fmt="text"):
        """The magnitudes per layer as a table (see :func:`flow_table`)."""
        return flow_table([self], fmt)

    def __str__(self):
        return self.report("text")

    def report(self, fmt="text"):
        """The symbolic product and the table of magnitudes."""
        return self.product(fmt) + "\n\n" + self.table(fmt)

    def plot(self, path=None):
        """A bar chart of the magnitudes per layer on a log scale; a Picture."""
        return plot_flow([self], path)

    def _repr_markdown_(self):
        return self.report("markdown")


def gradient_flow(net, params=None, X=None, Y=None, *, seeds=SEEDS, samples=SAMPLES,
                  wrt="w1", data_seed=0):
    """The gradient flow of ``net``: mean |∂L/∂W| per layer and ∂L/∂w1 one factor per layer.

    Without ``params`` the magnitudes are means over the ``seeds`` of ``net.init_params``
    (Glorot-uniform before sigmoid and tanh layers, He-normal before relu-like ones); without
    ``X`` and ``Y``, :func:`default_data` gives ``samples`` seeded random samples.

    >>> import symnet as sn
    >>> flow = sn.gradient_flow(sn.Network("2-4-4-4-4-1", activation="sigmoid"))
    >>> len(flow.magnitudes), flow.ratio < 0.01
    (5, True)
    """
    if not isinstance(net, Network):
        raise SymnetError(f"gradient_flow takes a Network (it compares layers), got "
                          f"{type(net).__name__}; a circuit's gradient on every node is "
                          "circuit.at(point)")
    if len(net.sizes) < 3:
        raise SymnetError(f"gradient flow is about hidden layers; {net.arch} has none "
                          "(try e.g. 2-8-8-8-1)")
    wrt = str(net.param(wrt))
    if not wrt.startswith("w"):
        raise SymnetError(f"wrt must be a weight (w1, w2, …), got {wrt}")
    if X is None and Y is not None:
        raise SymnetError("Y given without X; give both, or neither for random data")
    if X is None:
        samples = count(samples, "samples", 1, MAX_FLOW_SAMPLES, "the mean settles long before")
        X, Y = default_data(net, samples, data_seed)
    elif Y is None:
        Y = default_data(net, len(np.asarray(X)), data_seed)[1]
    model = net.compile()
    if params is not None:
        runs, seeds = [params], None
    else:
        if hasattr(seeds, "__len__"):  # range(10**9) is refused before it is listed
            bounded(len(seeds), "the number of seeds", None, MAX_FLOW_SEEDS,
                    "average over fewer initialisations")
        seeds = tuple(seeds)
        if not seeds:
            raise SymnetError("seeds must name at least one seed")
        runs = [net.init_params(s) for s in seeds]
    bounds = np.cumsum([0] + [a * b for a, b in zip(net.sizes, net.sizes[1:])])
    per_seed = []
    for p in runs:
        try:
            _, grad = model.loss_and_gradient(p, X, Y)
        except FloatingPointError:
            raise SymnetError("the loss or gradient overflows at these parameters; "
                              "try smaller weights") from None
        per_seed.append([float(np.mean(np.abs(grad[a:b]))) for a, b in zip(bounds, bounds[1:])])
    per_seed = np.array(per_seed)
    return GradientFlow(net, per_seed.mean(axis=0), per_seed, seeds, len(np.asarray(X)),
                        net.symbol(wrt))


def compare_flow(arch, activations=("sigmoid", "tanh", "relu"), output_activation=None,
                 loss="mse", **options):
    """One :class:`GradientFlow` per activation for the same architecture, data and seeds.

    >>> flows = compare_flow("2-4-4-4-1", ["sigmoid", "relu"])
    >>> [f.label for f in flows]
    ['sigmoid', 'relu']
    """
    if isinstance(activations, str):
        activations = [a.strip() for a in activations.split(",") if a.strip()]
    if not activations:
        raise SymnetError("give at least one activation to compare, e.g. sigmoid,tanh,relu")
    return [gradient_flow(Network(arch, activation=a, output_activation=output_activation,
                                  loss=loss), **options) for a in activations]
