r"""Beamer slides of a worksheet's chain rule: one frame per parameter, built up factor by
factor with overlays (``\only<n->``), the numbers on the last overlay."""

import sympy as sp

from ..derive import Partial
from ..document import Formula, Line, NumberPrinter, inline_partial
from ..printing import aligned, latex
from .chain import factor_tex, path_tokens, product_tokens
from .sections import forward_lines, num, shown

BUDGET = 44   # the width of a Beamer frame's text, in widths of a digit (tex_width)

_PREAMBLE = r"""\documentclass[11pt]{beamer}
\usepackage{amsmath,amssymb}
\setbeamertemplate{navigation symbols}{}
\ifdefined\pdftrailerid \pdftrailerid{}\fi
\ifdefined\pdfinfoomitdate \pdfinfoomitdate=1\fi
"""


def _display(lines):
    rows = []
    for line in lines:
        rows += line.rows(BUDGET)
    return "\\[\n" + aligned(rows) + "\n\\]"


def _frame(title, body):
    return "\\begin{frame}{%s}\n\\small\n%s\n\\end{frame}\n" % (title, "\n".join(body))


def parameter_frame(ws, p, d):
    """The frame of ∂L/∂p: overlay 1 the chain rule, overlay k+1 the k-th local derivative,
    then the result, and the numbers on the last overlay."""
    L = ws.net.symbols["L"]
    dp = latex(Partial(L, p))
    body = [_display([Line(dp, [path_tokens(d.chain, latex)])])]
    printer = NumberPrinter(shown(ws, ws.numbers.values[0])) if ws.numbers else None
    inverse = {v: k for k, v in ws.net.definitions.items() if not v.is_Add}
    factors = list(d.factors.items())
    last = len(factors) + 2 + (1 if ws.numbers else 0)
    for k, (f, expr) in enumerate(factors, start=2):
        sides = [Formula(expr)]
        if printer is not None:
            substituted = expr.xreplace(inverse)
            if not (substituted.is_Symbol or substituted.is_Number):
                sides.append(Formula(substituted, printer, "."))
        values = [num(ws, ws.numbers.factors[p][0][f])] if ws.numbers else []
        line = _display([Line(latex(f), sides[:1])])
        body.append("\\only<%d-%d>{%s}" % (k, last - 1, line) if values else
                    "\\only<%d->{%s}" % (k, line))
        if values:
            body.append("\\only<%d>{%s}" % (last, _display([Line(latex(f), sides + values)])))
    together = [path_tokens([[d.factors[f] for f in prod] for prod in d.chain], factor_tex)]
    if sp.Add(*[sp.Mul(*[d.factors[f] for f in prod]) for prod in d.chain]) != d.result:
        together.append(Formula(d.result))
    result = len(factors) + 2
    body.append("\\only<%d->{%s}" % (result, _display([Line(dp, together)])))
    if ws.numbers:
        fv = ws.numbers.factors[p][0]
        body.append("\\only<%d>{%s}" % (last, _display(
            [Line(dp, [product_tokens(ws, d, fv), num(ws, ws.numbers.grad[p])])])))
    return _frame("$%s$" % inline_partial(Partial(L, p)), body)


def beamer(ws):
    """The slides of worksheet ``ws`` as a Beamer document: the network (and its forward pass,
    with numbers), then one frame per derived parameter.  With several samples the numbers are
    those of the first."""
    net = ws.net
    frames = [_frame(f"The {net.arch} network", [_display(
        [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()])])]
    if ws.numbers:
        frames.append(_frame("Forward pass", [_display(forward_lines(ws, ws.numbers.values[0]))]))
    frames += [parameter_frame(ws, p, d) for p, d in ws.derivations.items()]
    return _PREAMBLE + "\\begin{document}\n\n" + "\n".join(frames) + "\n\\end{document}\n"
