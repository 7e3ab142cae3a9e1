"""The chain-rule section of a worksheet: per parameter the path formula, the local factors,
the compact result, and with numbers each factor's value and the product."""

import sympy as sp
from sympy.core.function import _coeff_isneg

from ..derive import Partial
from ..document import DisplayMath, Heading, InlineMath, Paragraph, Table, inline_partial
from ..linebreak import Formula, Line, NumberPrinter, Terms
from ..printing import latex
from ..sums import general_factors, sigma
from .sections import WIDE_BLANK, answer, loss_sum_of_samples, num, one_sample, scaled, shown, value_tex


def gradient_section(ws):
    net = ws.net
    n = len(ws.samples) if ws.samples else 0
    out, what = InlineMath(latex(net.output)), "leaf" if ws.circuit else "parameter"
    blocks = [Heading(2, ["Gradients by the chain rule"]),
              Paragraph(["The derivative of ", out, f" with respect to a {what} is "
                         "the sum, over every path from ", out, f" down to the {what}, of the "
                         "product of the local derivatives along the path."])]
    if n > 1:
        loss = latex(net.output)  # L, or the notation's C, J, E_total
        blocks.append(Paragraph(["The derivatives are those of one sample's loss ",
                                 InlineMath(one_sample(loss)), "; over the samples,"]))
        blocks.append(DisplayMath([Line(r"\frac{\partial %s}{\partial w}" % loss, [
            loss_sum_of_samples(net, r"\frac{\partial %s}{\partial w}" % one_sample(loss))])]))
    for p, d in ws.derivations.items():
        blocks += parameter_blocks(ws, p, d)
    return blocks


def parameter_blocks(ws, p, d):
    """∂L/∂p (a circuit's ∂out/∂p): its heading, the chain rule with its factors, and the
    numbers."""
    dp = latex(Partial(d.of, p))
    direct = _direct(d)
    blocks = [Heading(3, [InlineMath(inline_partial(Partial(d.of, p)))]),
              Paragraph(["The chain rule, one product of local derivatives per path; each local "
                         "derivative; and together:" if len(d.paths) > 1 else
                         "One path of one local derivative:" if direct else
                         "The chain rule along the one path; each local derivative; and "
                         "together:"])]
    if d.families is not None:  # paths that differ in an index, written once as Σ
        blocks[-1] = Paragraph(["The chain rule, the paths that differ only in an index written "
                                "once as a sum; each local derivative in general; and together:"])
        lines = [Line(dp, [family_tokens(d.families, latex)])]
        factors = general_factors(d.families)
    else:
        lines = [] if direct else [Line(dp, [path_tokens(d.chain, latex)])]
        factors = d.factors
    lines += [Line(latex(f), [answer(ws, latex(v), wide=True) if ws.student else Formula(v)])
              for f, v in factors.items()]
    if not direct:
        lines.append(Line(dp, [WIDE_BLANK] if ws.student else _together(d)))
    blocks.append(DisplayMath(lines))
    if ws.numbers:
        blocks += gradient_numbers(ws, p, d, dp)
    return blocks


def _together(d):
    """The chain with each factor's formula in, and the compact result if it differs."""
    if d.families is not None:
        return [family_tokens(d.families, factor_tex, values=True), Formula(d.shown_result)]
    values = [[d.factors[f] for f in prod] for prod in d.chain]
    sides = [path_tokens(values, factor_tex)]
    if sp.Add(*[sp.Mul(*v) for v in values]) != d.result:
        sides.append(Formula(d.shown_result))
    return sides


def _direct(d):
    """Whether ∂of/∂wrt is one local derivative (∂f/∂z of a circuit's f = q z): no chain to
    write out."""
    return d.chain == [[Partial(d.of, d.wrt)]]


def factor_tex(f):
    s = latex(f)
    if isinstance(f, sp.Basic) and (f.is_Add or _coeff_isneg(f)):
        s = r"\left(%s\right)" % s
    return s


def path_tokens(products, show):
    toks = []
    for i, prod in enumerate(products):
        for j, f in enumerate(prod):
            toks.append(("." if j else "+" if i else "", show(f)))
    return Terms(toks or [("", "0")])


def family_tokens(families, show, values=False):
    """The Σ families (:mod:`symnet.sums`) as terms: each family's Σ, then its product of
    partials (or of the factors' ``values``)."""
    products = []
    for f in families:
        factors = [show(v) for v in f.values] if values else \
            [latex(Partial(a, b)) for a, b in zip(f.nodes, f.nodes[1:])]
        products.append([sigma(f, "latex") + factors[0]] + factors[1:])
    return path_tokens(products, str)


def product_tokens(ws, d, fv):
    """The chain with each factor's value: ``0.9176 · 0.4 · 0.05``."""
    toks = []
    for i, prod in enumerate(d.chain):
        for j, f in enumerate(prod):
            toks.append(("." if j else "+" if i else "",
                         value_tex(ws, fv[f], paren=len(prod) > 1 or i > 0)))
    return Terms(toks)


def gradient_numbers(ws, p, d, dp):
    nums = ws.numbers
    if len(ws.samples) == 1:
        return _one_sample(ws, p, d, dp)
    n = len(ws.samples)
    factor_values = nums.factors[p]
    header = [[""]] + [[f"sample {i}"] for i in range(1, n + 1)]
    rows = [[[InlineMath(inline_partial(f))]]
            + [[InlineMath(answer(ws, num(ws, fv[f])))] for fv in factor_values]
            for f in d.factors]
    blocks = [Paragraph(["With the numbers, sample by sample:"]),
              Table(header, rows, "l" + "r" * n)]
    lines = []
    for i, (fv, g) in enumerate(zip(factor_values, nums.grads), 1):
        sides = [] if ws.student else [product_tokens(ws, d, fv)]
        sides.append(answer(ws, num(ws, g[p])))
        lines.append(Line(r"\frac{\partial %s}{\partial %s}" % (
            one_sample(latex(ws.net.output), i), latex(p)), sides))
    sides = [] if ws.student else [scaled(ws.net, [num(ws, g[p]) for g in nums.grads])]
    sides.append(answer(ws, num(ws, nums.grad[p])))
    lines.append(Line(dp, sides))
    blocks.append(DisplayMath(lines))
    return blocks


def _one_sample(ws, p, d, dp):
    nums = ws.numbers
    if d.families is not None:  # a line per factor and path would fill pages: the sum's value
        return [Paragraph(["With the numbers (every node's are in the backward pass):"]),
                DisplayMath([Line(dp, [answer(ws, num(ws, nums.grad[p]))])])]
    inverse = {v: k for k, v in ws.net.definitions.items() if not v.is_Add}
    vals, fv = nums.values[0], nums.factors[p][0]
    printer = NumberPrinter(shown(ws, vals))
    lines = []
    for f, expr in d.factors.items():
        sides = []
        substituted = expr.xreplace(inverse)
        if not ws.student and not (substituted.is_Symbol or substituted.is_Number):
            sides.append(Formula(substituted, printer, "."))
        sides.append(answer(ws, num(ws, fv[f])))
        lines.append(Line(latex(f), sides))
    total = [answer(ws, num(ws, nums.grad[p]))]
    if not ws.student and (len(d.chain) > 1 or len(d.chain) == 1 and len(d.chain[0]) > 1):
        total.insert(0, product_tokens(ws, d, fv))
    if not _direct(d):  # else its one factor's line has the number
        lines.append(Line(dp, total))
    return [Paragraph(["With the numbers:"]), DisplayMath(lines)]
