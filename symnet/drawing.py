"""Drawing a network: layers left to right, every neuron and every weight named (a circuit is
drawn by :mod:`symnet.circuit_drawing`).

Each neuron is a circle with its names (``N1`` for the weighted sum, ``h1`` for its activation,
``ŷ`` for the output); each edge carries its weight's name (``w1`` … ``w6``), and each neuron
its bias (``b1``).  With ``params`` the labels show values too, edges are drawn thicker for
larger |w| and coloured by sign.

Edge labels sit on their edges, in one column per layer gap: the label of the edge from source
i to target j goes at the fraction t = n/(n + 1) of the way (n sources), where the edges cross
that column n + 1 label-heights apart, in the order w1, w2, … from top to bottom.
"""

from .circuit_drawing import draw_circuit
from .circuits import Circuit
from .errors import SymnetError, listed
from .figures import Picture, figure
from .network import Network
from .values import finite

NODE_R = 0.27          # node radius, inches
GAP = 2.5              # least distance between layers, inches
CHAR = 0.068           # width of one character of an edge label, inches
MAX_LABELLED = 6       # edge labels are drawn by default when no layer has more neurons
MAX_WEIGHTS = 400      # a drawing of more edges is unreadable (and 2,000 took minutes)
POSITIVE, NEGATIVE, PLAIN = "#2166ac", "#b2182b", "#8c8c8c"


def _name(symbol):
    name = str(symbol)
    return name.replace("yhat", "ŷ")


def _layout(sizes, spacing, gaps):
    """Node centres (x, y) in inches, per layer, top to bottom."""
    xs = [0.0]
    for g in gaps:
        xs.append(xs[-1] + g)
    return [[(x, ((n - 1) / 2 - k) * spacing) for k in range(n)] for x, n in zip(xs, sizes)]


def _gaps(net, values, labelled):
    """The distance between each pair of layers: wide enough that the label column, at
    1/(n + 1) of the gap before the targets, clears the target nodes."""
    if not labelled:
        return [GAP] * (len(net.sizes) - 1)
    gaps, start = [], 0
    for a, b in zip(net.sizes, net.sizes[1:]):
        names = [str(w) for w in net.params[start:start + a * b]]
        start += a * b
        longest = max(len(_edge_text(n, values)) for n in names)
        half = 0.5 * CHAR * longest + 0.1
        gaps.append(max(GAP, (a + 1) * (NODE_R + half)))
    return gaps


def _number(v):
    return f"{v:.3g}"


def draw(net, params=None, path=None, edge_labels=None, title=None, at=None):
    """Draw a network layer by layer, or a circuit gate by gate; return a
    :class:`~symnet.figures.Picture` (saved to ``path`` when given: .png, .svg or .pdf).

    For a :class:`~symnet.network.Network`, ``params`` (a dict by name, all or some of the
    parameters) adds values to the labels; ``edge_labels`` defaults to on when no layer has
    more than 6 neurons.  For a :class:`~symnet.circuits.Circuit`, ``at`` (every leaf's value
    by name) puts the value above each wire and the gradient below it, as CS231n draws them
    (see :mod:`symnet.circuit_drawing`).

    >>> import symnet as sn
    >>> picture = sn.draw(sn.Network("2-2-1"))
    >>> svg = picture.to_bytes("svg").decode()
    >>> all(f">w{i}<" in svg for i in range(1, 7))
    True
    >>> svg = sn.draw(sn.circuit("q = x + y; f = q*z"), at={"x": -2, "y": 5, "z": -4}).to_bytes("svg")
    >>> all(f">{n}<".encode() in svg for n in ["-12", "-4", "3"])
    True
    """
    if isinstance(net, Circuit):
        if params is not None or edge_labels is not None:
            raise SymnetError("a circuit is drawn at a point, at={'x': -2, ...}: params= and "
                              "edge_labels= are for a network")
        return draw_circuit(net, at, path, title)
    if not isinstance(net, Network):
        raise SymnetError(f"draw takes a Network or a Circuit, got {type(net).__name__}")
    if at is not None:
        raise SymnetError("at= is a circuit's point; a network's drawing takes params=")
    values = _values(net, params)
    sizes = net.sizes
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if n_weights > MAX_WEIGHTS:  # refused before matplotlib starts: 1-1000-1 took minutes
        raise SymnetError(f"a drawing of {net.arch} would have {n_weights:,} edges, too many to "
                          f"read; symnet draws networks of up to {MAX_WEIGHTS} weights")
    if edge_labels is None:
        edge_labels = max(sizes[:-1]) <= MAX_LABELLED
    widest = max(sizes)
    # room for n + 1 label rows per source neuron spacing; text is about 0.19 in high
    spacing = max(1.0, 0.2 * (max(sizes[:-1]) + 1)) if edge_labels else 0.9
    spacing = min(spacing, 1.6)
    gaps = _gaps(net, values, edge_labels)
    nodes = _layout(sizes, spacing, gaps)
    width = sum(gaps) + 2 * 0.9
    height = (widest - 1) * spacing + 2 * NODE_R + 1.35 + (0.35 if title else 0)
    fig = figure(width, height, "drawing a network")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.9, width - 0.9)
    top = (widest - 1) * spacing / 2 + NODE_R + 0.45 + (0.35 if title else 0)
    ax.set_ylim(top - height, top)
    ax.set_aspect("equal")
    ax.axis("off")

    weights = iter(net.params[:sum(a * b for a, b in zip(sizes, sizes[1:]))])
    for l in range(1, len(sizes)):
        sources, targets = nodes[l - 1], nodes[l]
        t = len(sources) / (len(sources) + 1)
        for (xt, yt) in targets:
            for (xs, ys) in sources:
                w = next(weights)
                _edge(ax, (xs, ys), (xt, yt), t, str(w), values, edge_labels)
    for (x, y), name in zip(nodes[0], net.inputs):
        _node(ax, x, y, [_name(name)], "#f2f2f2", str(name))
    acts = net.activations + [net.output_activation]
    for l, (layer, biases) in enumerate(zip(net.layers, net.biases), start=1):
        for (x, y), (pre, post), bias in zip(nodes[l], layer, biases):
            shown = net.printed_names  # the network's notation: net_h1 and out_h1 (Mazur)
            names = [_name(shown.get(pre, pre))] + \
                ([_name(shown.get(post, post))] if post is not None else [])
            colour = "#fde9c9" if l == len(sizes) - 1 else "#dbe9f6"
            _node(ax, x, y, names, colour, str(post if post is not None else pre))
            if bias is not None:  # a layer without biases (bias=False) draws none
                _bias(ax, x, y, bias, values)
    bottom = -(widest - 1) * spacing / 2 - NODE_R - 0.3
    ax.text(0, bottom, "inputs", ha="center", va="top", fontsize=9, color="0.3")
    for l in range(1, len(sizes)):
        act = acts[l - 1]
        what = "output" if l == len(sizes) - 1 else f"hidden {l}"
        caption = f"{what} ({act})" + (f"\nloss {net.loss.name}" if l == len(sizes) - 1 else "")
        ax.text(nodes[l][0][0], bottom, caption, ha="center", va="top", fontsize=9, color="0.3",
                linespacing=1.4)
    if title:
        ax.text(sum(gaps) / 2, top - 0.12, title, ha="center", va="top",
                fontsize=12, parse_math=False)  # a title is text, not mathtext
    picture = Picture(fig, f"network {net.arch}")
    if path is not None:
        picture.save(path)
    return picture


def _values(net, params):
    if params is None:
        return {}
    if not isinstance(params, dict):
        raise SymnetError("params must be a dict from parameter name to number, e.g. {'w1': 0.5}")
    names = [str(p) for p in net.params]
    out = {}
    for k, v in params.items():
        if str(k) not in names:
            raise SymnetError(f"params: unknown parameter {str(k)!r}; this network has: "
                              f"{listed(names)}")
        out[str(k)] = finite(v, f"params: {k}")  # nan, inf, 10**5000 and text refused
    return out


def _edge_text(name, values):
    value = values.get(name)
    return name if value is None else f"{name} = {_number(value)}"


def _edge(ax, start, end, t, name, values, labelled):
    (xs, ys), (xt, yt) = start, end
    value = values.get(name)
    colour = PLAIN if value is None else (POSITIVE if value >= 0 else NEGATIVE)
    width = 1.0 if value is None else 0.6 + 2.4 * min(1.0, abs(value))
    ax.plot([xs, xt], [ys, yt], color=colour, lw=width, alpha=0.75, zorder=1,
            solid_capstyle="butt", gid=f"edge-{name}")
    if labelled:
        x, y = xs + t * (xt - xs), ys + t * (yt - ys)
        ax.text(x, y, _edge_text(name, values), ha="center", va="center", fontsize=8.5, style="italic",
                color="0.1" if value is None else colour, zorder=3, gid=f"label-{name}",
                bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.9))


def _node(ax, x, y, names, colour, gid):
    from matplotlib.patches import Circle
    ax.add_patch(Circle((x, y), NODE_R, fc=colour, ec="0.25", lw=1.1, zorder=4))
    if len(names) == 1:
        ax.text(x, y, names[0], ha="center", va="center", fontsize=11, style="italic",
                zorder=5, gid=f"node-{gid}")
        return
    # weighted sum | activation, split by a vertical line
    size = 8.5 if max(len(n) for n in names) <= 2 else 7
    ax.plot([x, x], [y - NODE_R * 0.8, y + NODE_R * 0.8], color="0.45", lw=0.8, zorder=5)
    ax.text(x - NODE_R * 0.5, y, names[0], ha="center", va="center", fontsize=size,
            style="italic", zorder=5, gid=f"node-{names[0]}")
    ax.text(x + NODE_R * 0.5, y, names[1], ha="center", va="center", fontsize=size,
            style="italic", zorder=5, gid=f"node-{gid}")


def _bias(ax, x, y, name, values):
    value = values.get(name)
    text = f"+{name}" if value is None else f"+{name} = {_number(value)}"
    ax.text(x, y + NODE_R + 0.05, text, ha="center", va="bottom", fontsize=8, style="italic",
            color="0.35", zorder=3, gid=f"label-{name}",
            bbox=dict(boxstyle="round,pad=0.08", fc="white", ec="none", alpha=0.85))
