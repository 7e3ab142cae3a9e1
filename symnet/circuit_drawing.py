"""Drawing a circuit as CS231n draws one: gates as nodes, inputs on the left, and at a point
the forward value above each wire (green) and the gradient below it (red).

Each gate is a circle with what it does (``+``, ``×``, ``max``, ``exp``, ``1/x``, ``×-1``,
``+1``) and its node's name above it; a definition that is not one gate shows itself, or its
name when that is long.  Gates stand in columns by depth (one more than their deepest input),
each near the mean height of its inputs.  The gradient on a wire is the part of its source's
gradient that comes back along it; where a node is used more than once, the sum (gradients
add up at forks) is written under the node.
"""

from .errors import SymnetError
from .figures import Picture, figure
from .gates import gate
from .sweep import number, reads

GAP = 1.7            # between columns, inches
ROW = 1.2            # least distance between two nodes of a column, inches
RADIUS = 0.22        # of a gate, inches
MAX_NODES = 40       # a drawing of more is unreadable
VALUE, GRADIENT = "#2e7d32", "#c62828"  # CS231n's green and red
DIGITS = 3           # significant digits of a drawn number
CHAR = 0.075         # width of one character of a number, inches
PLACES = (0.5, 0.35, 0.65, 0.25, 0.75)  # where along a wire its numbers may go, the middle first


def draw_circuit(circuit, at=None, path=None, title=None):
    """Draw ``circuit``; with ``at`` (every leaf's value by name) the values and gradients on
    its wires.  Returns a :class:`~symnet.figures.Picture`, saved to ``path`` when given."""
    sweep = circuit.at(at) if at is not None else None
    nodes = reads(circuit.graph, circuit.output)
    if len(nodes) > MAX_NODES:  # refused before matplotlib starts
        raise SymnetError(f"a drawing of {len(nodes):,} nodes would be too crowded to read; "
                          f"symnet draws circuits of up to {MAX_NODES}")
    place = _layout(circuit, nodes)
    right = max(x for x, _ in place.values()) + GAP * 0.8
    top, bottom = max(y for _, y in place.values()), min(y for _, y in place.values())
    width, height = right + 1.2, top - bottom + 1.4 + (0.35 if title else 0)
    fig = figure(width, height, "drawing a circuit")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.8, width - 0.8)
    ax.set_ylim(bottom - 0.6, bottom - 0.6 + height)
    ax.set_aspect("equal")
    ax.axis("off")

    out = circuit.output
    wires = [(p, node) for node in nodes for p in circuit.parents.get(node, ())]
    ends = {(p, node): (place[p], place[node]) for p, node in wires}
    ends[out, None] = (place[out], (right, place[out][1]))
    labels = {n: gate(n, circuit.definitions[n]).label for n in nodes if n in circuit.definitions}
    taken = [_box(*place[n], _half_width(labels.get(n, "")), RADIUS) for n in nodes]  # off gates
    for (p, node), (start, end) in ends.items():
        numbers = sweep and (sweep.values[p], sweep.shares[node, p] if node is not None
                             else sweep.gradients[out])
        others = [e for w, e in ends.items() if w != (p, node)]
        hidden = [xy for n, xy in place.items() if n not in (p, node)]
        _wire(ax, start, end, str(p), str(node or ""), numbers, taken, others, hidden)
    ax.text(right + 0.08, place[out][1], str(out), ha="left", va="center", fontsize=12,
            style="italic", gid=f"node-{out}")
    for node in nodes:
        x, y = place[node]
        if node in circuit.definitions:
            _gate(ax, x, y, labels[node], str(node))
        else:
            ax.text(x - 0.08, y, str(node), ha="right", va="center", fontsize=12,
                    style="italic", gid=f"node-{node}")
        uses = [c for c in circuit.children.get(node, ()) if c in place]
        if sweep is not None and len(uses) > 1:
            ax.text(x, y - RADIUS - 0.08, f"Σ {number(sweep.gradients[node], DIGITS)}",
                    ha="center", va="top", fontsize=8, color=GRADIENT, zorder=6,
                    gid=f"sum-{node}")
    if title:
        ax.text(right / 2, bottom - 0.6 + height - 0.12, title, ha="center", va="top",
                fontsize=12, parse_math=False)
    picture = Picture(fig, f"circuit of {len(circuit.definitions)} definitions")
    if path is not None:
        picture.save(path)
    return picture


def _layout(circuit, nodes):
    """``{node: (x, y)}`` in inches: a column per depth; leaves in the order their first use
    is defined, each later node near the mean height of its inputs, the rows ``ROW`` apart."""
    depth = {}
    for node in nodes:
        depth[node] = 1 + max((depth[p] for p in circuit.parents.get(node, ())), default=-1)
    order = {n: i for i, n in enumerate(nodes)}
    first_use = {n: min((order[c] for c in circuit.children.get(n, ()) if c in order),
                        default=len(nodes)) for n in nodes}
    place = {}
    for column in range(max(depth.values()) + 1):
        members = [n for n in nodes if depth[n] == column]
        if column == 0:
            members.sort(key=lambda n: (first_use[n], order[n]))
            wanted = [-ROW * i for i in range(len(members))]
        else:
            mean = {n: sum(place[p][1] for p in circuit.parents[n]) / len(circuit.parents[n])
                    for n in members}
            members.sort(key=lambda n: -mean[n])
            wanted = [mean[n] for n in members]
        ys = _spread(wanted)
        for n, y in zip(members, ys):
            place[n] = (column * GAP, y)
    return place


def _spread(wanted):
    """Heights near ``wanted`` (from the top down), at least ``ROW`` apart, the block kept
    centred where the wanted heights are."""
    ys = []
    for y in wanted:
        ys.append(min(y, ys[-1] - ROW) if ys else y)
    shift = (sum(wanted) - sum(ys)) / len(ys) if ys else 0
    return [y + shift for y in ys]


def _wire(ax, start, end, source, target, numbers, taken, others, nodes):
    """A wire, bent where a straight one would pass behind one of ``nodes``, and its value
    above and gradient below where they overlap least the labels and gates in ``taken`` (to
    which they are added) and the ``others`` wires."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path
    (xs, ys), (xt, yt) = start, end
    bend = 0.0
    if any(_distance(xy, start, end) < RADIUS + 0.15 for xy in nodes):
        bend = 0.55 * ROW  # e.g. g = g1 + 10/f beside g1 = f/2: f's wire to g passes over g1
    cx, cy = (xs + xt) / 2, (ys + yt) / 2 + bend
    ax.add_patch(PathPatch(Path([start, (cx, cy), end], [Path.MOVETO, Path.CURVE3, Path.CURVE3]),
                           fc="none", ec="0.35", lw=1.1, zorder=1, gid=f"wire-{source}-{target}"))
    if not numbers:
        return
    texts = [number(v, DIGITS) for v in numbers]
    half = CHAR * max(len(t) for t in texts) / 2 + 0.05
    spots = [((1 - t) ** 2 * xs + 2 * t * (1 - t) * cx + t * t * xt,
              (1 - t) ** 2 * ys + 2 * t * (1 - t) * cy + t * t * yt) for t in PLACES]
    x, y = min(spots, key=lambda xy: 10 * sum(_overlap(_box(*xy, half, 0.2), b) for b in taken)
               + sum(_distance(xy, *e) < 0.18 for e in others))
    taken.append(_box(x, y, half, 0.2))
    box = dict(boxstyle="round,pad=0.08", fc="white", ec="none", alpha=0.85)
    ax.text(x, y + 0.05, texts[0], ha="center", va="bottom", fontsize=9, color=VALUE, zorder=3,
            gid=f"value-{source}-{target}", bbox=box)
    ax.text(x, y - 0.05, texts[1], ha="center", va="top", fontsize=9, color=GRADIENT, zorder=3,
            gid=f"gradient-{source}-{target}", bbox=box)


def _half_width(label):
    """Half the width of a gate: a circle, or a box as wide as a long label."""
    return RADIUS if len(label) <= 4 else 0.045 * len(label) + 0.08


def _box(x, y, half_width, half_height):
    return (x - half_width, y - half_height, x + half_width, y + half_height)


def _distance(point, start, end):
    """From ``point`` to the segment from ``start`` to ``end``."""
    (px, py), (ax_, ay), (bx, by) = point, start, end
    dx, dy = bx - ax_, by - ay
    t = max(0.0, min(1.0, ((px - ax_) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1.0)))
    return ((px - ax_ - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def _overlap(a, b):
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _gate(ax, x, y, label, name):
    from matplotlib.patches import Circle, FancyBboxPatch
    half = _half_width(label)
    if half > RADIUS:  # a definition that is not one gate: a box as wide as its text
        ax.add_patch(FancyBboxPatch((x - half, y - RADIUS * 0.8), 2 * half, 1.6 * RADIUS,
                                    boxstyle="round,pad=0.02,rounding_size=0.1", fc="#f7f7f7",
                                    ec="0.25", lw=1.1, zorder=4))
    else:
        ax.add_patch(Circle((x, y), RADIUS, fc="#f7f7f7", ec="0.25", lw=1.1, zorder=4))
    size = 13 if len(label) <= 1 else 10 if len(label) <= 3 else 8
    ax.text(x, y, label, ha="center", va="center", fontsize=size, zorder=5,
            gid=f"gate-{name}", parse_math=False)
    ax.text(x, y + RADIUS + 0.05, name, ha="center", va="bottom", fontsize=8, style="italic",
            color="0.4", zorder=5, gid=f"node-{name}")
