"""Display math that fits the page: the printed width of LaTeX, and formulas broken into
rows (``aligned``'s ``&=`` and ``&\\quad +`` continuation rows) at sums and products.

>>> tex_width(r"\\frac{1}{2}") < tex_width("12")
True
>>> Line("L", ["(y - y_0)^{2}"]).rows(60)
['L &= (y - y_0)^{2}']
"""

import re
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import _coeff_isneg
from sympy.printing.precedence import PRECEDENCE

from .printing import SymnetLatexPrinter, divides, ordered_factors, ordered_terms

WIDTH = 70              # usable width of a display line, in digit widths (see tex_width)


_CMD = re.compile(r"\\([A-Za-z]+|.)")
_SILENT = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "displaystyle",
           "limits", "nolimits"}
_WRAPS = {"hat", "bar", "tilde", "vec", "mathbf", "mathit", "mathcal", "underline", "overline",
          "phantom"}


def _group(s, i):
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth, j = 0, i
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1:j], j + 1
            j += 1
        return s[i + 1:], len(s)
    if s[i] == "\\":
        m = _CMD.match(s, i)
        return m.group(0), m.end()
    return s[i], i + 1


def tex_width(tex):
    r"""The printed width of a LaTeX math string, roughly, in widths of a digit.

    Fractions count their wider part, sub- and superscripts 0.7, ``\left`` nothing.

    >>> tex_width(r"N_{1}"), tex_width(r"\frac{\partial L}{\partial w_{1}}")
    (1.7, 3.1)
    """
    w, i = 0.0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = _CMD.match(tex, i)
            name, i = m.group(1), m.end()
            if name in ("frac", "dfrac", "tfrac"):
                a, i = _group(tex, i)
                b, i = _group(tex, i)
                w += max(tex_width(a), tex_width(b)) + 0.4
            elif name in _WRAPS:
                a, i = _group(tex, i)
                w += tex_width(a)
            elif name == "boxed":
                a, i = _group(tex, i)
                w += tex_width(a) + 1.2
            elif name in ("text", "operatorname", "mathrm", "texttt"):
                a, i = _group(tex, i)
                w += 0.95 * len(a)
            elif name == "hspace":
                a, i = _group(tex, i)
                m = re.match(r"([\d.]+)em", a)
                w += 2 * float(m.group(1)) if m else 2
            elif name == "vphantom":
                _, i = _group(tex, i)
            elif name in _SILENT:
                pass
            elif name in ("quad", "sum", "prod", "to", "times"):
                w += 2
            elif name == "qquad":
                w += 4
            elif name == "cdot":
                w += 1.3
            elif name in (",", ":", ";", " ", "!"):
                w += 0.4
            else:
                w += 1
        elif c in "_^":
            a, i = _group(tex, i + 1)
            w += 0.7 * tex_width(a)
        elif c in "{} &":
            i += 1
        elif c in "+-=<>":
            w, i = w + 2.2, i + 1
        elif c in ".,;":
            w, i = w + 0.5, i + 1
        else:
            w, i = w + 1, i + 1
    return round(w, 6)


# Tokens of a display line are (op, tex): op joins the token to the one before it.
_INLINE = {"": "", "=": " = ", "+": " + ", "-": " - ", "*": " ", ".": r" \cdot "}
_ROW_START = {"": r"&\quad ", "=": "&= ", "+": r"&\quad {}+ ", "-": r"&\quad {}- ",
              "*": r"&\quad {}\cdot ", ".": r"&\quad {}\cdot "}
_OP_WIDTH = {"": 0, "=": 2.2, "+": 2.2, "-": 2.2, "*": 0.3, ".": 1.3}


def _split(expr, printer, budget, times="*"):
    """``expr`` as tokens, split at its sums and products only where it is wider than budget."""
    tex = printer.doprint(expr)
    if tex_width(tex) <= budget or not isinstance(expr, sp.Basic):
        return [("", tex)]
    if expr.is_Add:
        out = []
        for i, term in enumerate(ordered_terms(expr)):
            neg = i > 0 and _coeff_isneg(term)
            sub = _split(-term if neg else term, printer, budget, times)
            out.append(("" if i == 0 else "-" if neg else "+", sub[0][1]))
            out += sub[1:]
        return out
    if expr.is_Mul and not divides(expr):
        coeff, rest = expr.as_coeff_Mul()
        factors = ordered_factors(sp.Mul.make_args(rest))
        if abs(coeff) != 1:
            factors.insert(0, abs(coeff))
        out = []
        for i, f in enumerate(factors):
            if f.is_Add:
                inner = _split(f, printer, budget - 2, times)
                if len(inner) == 1:
                    toks = [("", r"\left(%s\right)" % inner[0][1])]
                else:
                    toks = [("", r"\Bigl(" + inner[0][1])] + inner[1:-1] + \
                           [(inner[-1][0], inner[-1][1] + r"\Bigr)")]
            else:
                toks = [("", printer.parenthesize(f, PRECEDENCE["Mul"]))]
            out += [(times if i else "", toks[0][1])] + toks[1:]
        if coeff < 0:
            out[0] = ("", "-" + out[0][1])
        return out
    return [("", tex)]


@dataclass
class Formula:
    """A side of an equation given as a SymPy expression, split when too wide."""

    expr: object
    printer: object = None
    times: str = "*"

    def tokens(self, budget):
        printer = self.printer or SymnetLatexPrinter()
        toks = _split(self.expr, printer, budget, self.times)
        if isinstance(printer, NumberPrinter):
            toks = [(op, printer.tidy(t)) for op, t in toks]
        return toks


@dataclass
class Terms:
    """A sum of terms (chain products) that, when it does not fit, puts one term per row."""

    tokens: list


@dataclass
class Line:
    """``lhs = side = side …``; a side is tokens [(op, tex)], a Terms, a Formula, or a string."""

    lhs: str
    sides: list

    def rows(self, budget):
        """The line as ``align`` rows no wider than ``budget``: breaks go before a term (+, −,
        =) where they can, inside a term only when it is wider than a row, and a side that
        follows a broken side starts a row of its own."""
        rows, cur, width, broke = [], self.lhs + " &= ", 0.0, False
        for k, side in enumerate(self.sides):
            one_per_row = isinstance(side, Terms)
            if isinstance(side, str):
                side = [("", side)]
            elif isinstance(side, Formula):
                side = side.tokens(budget)
            elif one_per_row:
                side = side.tokens
            side = [("=" if k else "", side[0][1])] + list(side[1:])
            groups = []
            for op, tex in side:
                if not groups or op in ("+", "-", "="):
                    groups.append([])
                groups[-1].append((op, tex, tex_width(tex) + _OP_WIDTH[op]))
            one_per_row = one_per_row and width + sum(t[2] for g in groups for t in g) > budget
            first_row = None
            for g, group in enumerate(groups):
                fits = width + sum(t[2] for t in group) <= budget
                new_row = width > 0 and (not fits or (g == 0 and broke) or (g and one_per_row))
                for j, (op, tex, w) in enumerate(group):
                    if width > 0 and (new_row if j == 0 else width + w > budget):
                        rows.append(cur)
                        cur = _ROW_START[op] + tex
                        width = w + (0 if op == "=" else 2)
                    else:
                        cur += _INLINE[op] + tex
                        width += w
                    if first_row is None:
                        first_row = len(rows)
            broke = len(rows) > first_row
        rows.append(cur)
        return rows


class NumberPrinter(SymnetLatexPrinter):
    """Prints the symbols it is given as numbers, products with ``\\cdot``."""

    def __init__(self, shown):
        super().__init__({"mul_symbol": "dot"})
        self.shown = shown

    def _print_Symbol(self, expr, style="plain"):
        s = self.shown.get(expr)
        if s is None:
            return super()._print_Symbol(expr, style)
        return r"\left(%s\right)" % s if s.startswith("-") else s

    def _print_Add(self, expr, order=None):
        # a negative number opening a sum needs no parentheses: −0.3 + 0.5, not (−0.3) + 0.5
        tex = super()._print_Add(expr, order)
        return re.sub(r"^\\left\((-[^()]*?)\\right\)(?= [+-] )", r"\1", tex)

    def doprint(self, expr):
        if expr in self.shown:
            return self.shown[expr]
        return super().doprint(expr)

    @staticmethod
    def tidy(tex):
        """σ((−0.3)) → σ(−0.3): a negative number as a whole argument needs one pair."""
        return re.sub(r"\\left\(\\left\((-[^()]*?)\\right\)\\right\)", r"\\left(\1\\right)", tex)
