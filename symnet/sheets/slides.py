r"""Beamer slides of a worksheet's chain rule: one frame per parameter, built up factor by
factor with overlays (``\only<n->``), the numbers on the last overlay."""

import sympy as sp

from ..derive import Partial
from ..document import inline_partial
from ..linebreak import Formula, Line, NumberPrinter
from ..printing import Table, aligned, latex
from .chain import factor_tex, path_tokens, product_tokens
from .sections import forward_lines, num, shown

BUDGET = 44   # the width of a Beamer frame's text, in widths of a digit (tex_width)
FORWARD_ROWS = 7  # definitions with their numbers on one frame
BACKWARD_ROWS = 12  # a circuit's nodes in one frame's table of values and gradients

_PREAMBLE = r"""\documentclass[11pt]{beamer}
\usepackage{amsmath,amssymb}
\setbeamertemplate{navigation symbols}{}
\setlength{\jot}{1pt}
\AtBeginDocument{\setlength{\abovedisplayskip}{2pt}\setlength{\belowdisplayskip}{2pt}}
\ifdefined\pdftrailerid \pdftrailerid{}\fi
\ifdefined\pdfinfoomitdate \pdfinfoomitdate=1\fi
"""


def _display(lines):
    rows = []
    for line in lines:
        rows += line.rows(BUDGET)
    return "\\[\n" + aligned(rows) + "\n\\]"


def _frame(title, body, rows=0):
    # a deep network's frame has many rows: a smaller type, the same on every overlay
    size = "\\small" if rows <= 10 else "\\footnotesize" if rows <= 16 else "\\scriptsize"
    return "\\begin{frame}{%s}\n%s\n%s\n\\end{frame}\n" % (title, size, "\n".join(body))


def _shown_from(k, row, until=None):
    r"""An ``aligned`` row that appears on overlay ``k`` (``\uncover`` keeps its room, so the
    frame does not jump)."""
    spec = f"{k}-{until or ''}"
    left, _, right = row.partition("&")
    return "\\uncover<%s>{%s}&\\uncover<%s>{%s}" % (spec, left, spec, right)


def parameter_frame(ws, p, d):
    """The frame of ∂L/∂p: overlay 1 the chain rule, overlay k+1 the k-th local derivative,
    then the result, and with numbers a last overlay where every factor has its value."""
    L = d.of
    factors = list(d.factors.items())
    # many factors: ∂h1/∂N1 on one line instead of a fraction, so the frame holds them all
    compact = len(factors) > 5
    name, budget = (inline_partial, int(BUDGET * 1.3)) if compact else (latex, BUDGET)
    dp = name(Partial(L, p))
    result = len(factors) + 2
    last = result + 1 if ws.numbers else result
    rows = Line(dp, [path_tokens(d.chain, name)]).rows(budget)
    printer = NumberPrinter(shown(ws, ws.numbers.values[0])) if ws.numbers else None
    inverse = {v: k for k, v in ws.net.definitions.items() if not v.is_Add}
    for k, (f, expr) in enumerate(factors, start=2):
        symbolic = latex(expr)
        right = symbolic
        if printer is not None:
            substituted = expr.xreplace(inverse)
            numeric = symbolic
            if not (substituted.is_Symbol or substituted.is_Number):
                numeric += " = " + Formula(substituted, printer, ".").tokens(10**6)[0][1]
            value = num(ws, ws.numbers.factors[p][0][f])
            if value != symbolic:
                numeric += " = " + value
            right = "\\alt<%d>{%s}{%s}" % (last, numeric, symbolic)
        rows.append(_shown_from(k, f"{name(f)} &= {right}"))
    together = [path_tokens([[d.factors[f] for f in prod] for prod in d.chain], factor_tex)]
    if sp.Add(*[sp.Mul(*[d.factors[f] for f in prod]) for prod in d.chain]) != d.result:
        together.append(Formula(d.shown_result))
    if not compact:  # a deep chain's product would not fit: its factors and numbers say it
        rows += [_shown_from(result, r) for r in Line(dp, together).rows(budget)]
    if ws.numbers:
        fv = ws.numbers.factors[p][0]
        numbers = Line(dp, [product_tokens(ws, d, fv), num(ws, ws.numbers.grad[p])])
        rows += [_shown_from(last, r, last) for r in numbers.rows(budget)]
    body = ["\\[\n" + aligned(rows) + "\n\\]"]
    return _frame("$%s$" % inline_partial(Partial(L, p)), body, 20 if compact else len(rows))


def backward_frames(ws):
    """A circuit's value and gradient on every node, :data:`BACKWARD_ROWS` nodes a frame."""
    sweep, out = ws.numbers.sweep, ws.net.output
    rows = [[f"${latex(n)}$", f"${num(ws, sweep.values[n])}$", f"${num(ws, sweep.gradients[n])}$"]
            for n in sweep.nodes]
    size = -(-len(rows) // -(-len(rows) // BACKWARD_ROWS))  # frames of even size: 7 + 6, not 12 + 1
    parts = [rows[k:k + size] for k in range(0, len(rows), size)]
    head = ["node", "value", r"$\partial %s / \partial \mathrm{node}$" % latex(out)]
    return [_frame("Backward pass" + (f" ({k}/{len(parts)})" if len(parts) > 1 else ""),
                   ["\\begin{center}", Table(head, part, "lrr").latex(cell=str), "\\end{center}"],
                   len(part))
            for k, part in enumerate(parts, 1)]


def beamer(ws):
    """The slides of worksheet ``ws`` as a Beamer document: the network (and its forward pass,
    with numbers), then one frame per derived parameter.  With several samples the numbers are
    those of the first."""
    net = ws.net
    definitions = [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()]
    title = "The circuit" if ws.circuit else f"The {net.arch} network"
    frames = [_frame(title, [_display(definitions)], len(definitions))]
    if ws.numbers:
        forward = forward_lines(ws, ws.numbers.values[0])
        parts = [forward[k:k + FORWARD_ROWS] for k in range(0, len(forward), FORWARD_ROWS)]
        for k, part in enumerate(parts, 1):
            title = "Forward pass" + (f" ({k}/{len(parts)})" if len(parts) > 1 else "")
            frames.append(_frame(title, [_display(part)], len(part)))
    if ws.circuit and ws.numbers:
        frames += backward_frames(ws)
    frames += [parameter_frame(ws, p, d) for p, d in ws.derivations.items()]
    return _PREAMBLE + "\\begin{document}\n\n" + "\n".join(frames) + "\n\\end{document}\n"
