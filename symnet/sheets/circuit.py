"""A circuit's own worksheet sections: the circuit with its table of leaves, and the backward
pass, CS231n's gradient on every node with one sentence per gate saying how it routes the
gradient (the numbers of ``circuit.at(point)``, :class:`~symnet.sweep.Sweep`)."""

from ..document import DisplayMath, Heading, InlineMath, Paragraph, Table
from ..linebreak import Formula, Line
from ..printing import latex
from ..symbols import Partial
from .sections import answer, num


def circuit_section(ws):
    """The definitions, and each leaf: a parameter or an input, and its value."""
    net = ws.net
    lines = [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()]
    header = ["Leaf", "Kind"] + (["Value"] if ws.samples else [])
    rows = []
    for leaf in net.leaves:
        row = [[InlineMath(latex(leaf))], ["parameter" if leaf in net.params else "input"]]
        rows.append(row + ([[InlineMath(num(ws, ws.samples[0][leaf]))]] if ws.samples else []))
    return [Heading(2, ["The circuit"]),
            Paragraph(["Every node has its own name, defined from its inputs; the output is ",
                       InlineMath(latex(net.output)), ":"]),
            DisplayMath(lines),
            Heading(3, ["Leaves"]),
            Table(header, rows, "llr"[:len(header)])]


def backward_section(ws):
    """Every node's value and gradient, from the output back, and how each gate routes it (on
    an exercise sheet, boxes and no sentences)."""
    sweep, out = ws.numbers.sweep, ws.net.output
    d = InlineMath(latex(Partial(out, out)) + " = 1")
    blocks = [Heading(2, ["Backward pass: the gradient on every node"]),
              Paragraph(["From ", d, " back, each gate gives each of its inputs its own gradient "
                         "times its local derivative there, and a node used more than once adds "
                         "the gradients of its uses. Every node's value and gradient:"])]
    rows = []
    for node in sweep.nodes:
        value = num(ws, sweep.values[node])
        rows.append([[InlineMath(latex(node))],
                     [InlineMath(value if node in sweep.point else answer(ws, value))],
                     [InlineMath(answer(ws, num(ws, sweep.gradients[node])))]])
    gradient = InlineMath(r"\partial %s / \partial \mathrm{node}" % latex(out))
    blocks.append(Table(["Node", "Value", [gradient]], rows, "lrr"))
    if ws.student:
        return blocks
    blocks.append(Paragraph(["Gate by gate, from the output back:"]))
    for sentence in sweep.sentence_pieces(ws.digits):
        blocks.append(Paragraph([p if isinstance(p, str) else InlineMath(p[0]) for p in sentence]))
    return blocks
