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


def _frame(title, body, rows=0):
    # a deep network's frame has many rows: beamer shrinks it to fit, the same on every overlay
    option = "[shrink]" if rows > 9 else ""
    return "\\begin{frame}%s{%s}\n\\small\n%s\n\\end{frame}\n" % (option, title, "\n".join(body))


def _shown_from(k, row, until=None):
    r"""An ``aligned`` row that appears on overlay ``k`` (``\uncover`` keeps its room, so the
    frame does not jump)."""
    spec = f"{k}-{until or ''}"
    left, _, right = row.partition("&")
    return "\\uncover<%s>{%s}&\\uncover<%s>{%s}" % (spec, left, spec, right)


def parameter_frame(ws, p, d):
    """The frame of ∂L/∂p: overlay 1 the chain rule, overlay k+1 the k-th local derivative,
    then the result, and with numbers a last overlay where every factor has its value."""
    L = ws.net.symbols["L"]
    dp = latex(Partial(L, p))
    factors = list(d.factors.items())
    result = len(factors) + 2
    last = result + 1 if ws.numbers else result
    rows = Line(dp, [path_tokens(d.chain, latex)]).rows(BUDGET)
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
        rows.append(_shown_from(k, f"{latex(f)} &= {right}"))
    together = [path_tokens([[d.factors[f] for f in prod] for prod in d.chain], factor_tex)]
    if sp.Add(*[sp.Mul(*[d.factors[f] for f in prod]) for prod in d.chain]) != d.result:
        together.append(Formula(d.result))
    rows += [_shown_from(result, r) for r in Line(dp, together).rows(BUDGET)]
    if ws.numbers:
        fv = ws.numbers.factors[p][0]
        numbers = Line(dp, [product_tokens(ws, d, fv), num(ws, ws.numbers.grad[p])])
        rows += [_shown_from(last, r, last) for r in numbers.rows(BUDGET)]
    body = ["\\[\n" + aligned(rows) + "\n\\]"]
    return _frame("$%s$" % inline_partial(Partial(L, p)), body, len(rows))


def beamer(ws):
    """The slides of worksheet ``ws`` as a Beamer document: the network (and its forward pass,
    with numbers), then one frame per derived parameter.  With several samples the numbers are
    those of the first."""
    net = ws.net
    definitions = [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()]
    frames = [_frame(f"The {net.arch} network", [_display(definitions)], len(definitions))]
    if ws.numbers:
        forward = forward_lines(ws, ws.numbers.values[0])
        frames.append(_frame("Forward pass", [_display(forward)], len(forward)))
    frames += [parameter_frame(ws, p, d) for p, d in ws.derivations.items()]
    return _PREAMBLE + "\\begin{document}\n\n" + "\n".join(frames) + "\n\\end{document}\n"
