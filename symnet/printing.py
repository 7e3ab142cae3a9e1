r"""symnet's printers: SymPy's LaTeX and string printers with textbook ordering.

SymPy orders the factors of a product and the terms of a sum by its own canonical key, so
σ'(N1) prints as ``(1 - σ(N1)) σ(N1)`` and a neuron as ``b1 + w1 x1 + w2 x2``.  These printers
put numbers, then weights, then other factors, then parenthesised sums (``σ(N1) (1 − σ(N1))``,
``w1 x1``), and in a sum products before lone symbols and a positive term first
(``w1 x1 + w2 x2 + b1``, ``ŷ − y``).  Chains of partials are printed from symnet's own lists,
never through a SymPy product, so they keep chain order.

>>> import sympy as sp
>>> y, yhat = sp.symbols("y yhat")
>>> print(latex(sp.factor_terms(2 * (yhat - y))))
2 \left(\hat{y} - y\right)
>>> text(sp.Symbol("w1") * sp.Symbol("x1") + sp.Symbol("b1"))
'w1*x1 + b1'
"""

import contextvars
import re
from contextlib import contextmanager

import sympy as sp
from sympy.core.function import _coeff_isneg
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from .errors import SymnetError

FORMATS = ("text", "latex", "markdown")  # what every printed derivation, table or atlas offers

_WEIGHT = re.compile(r"^w\d+$")
# the names normalization layers print as lectures write them (symnet.templates)
LAYER_NAMES = {"var": r"\sigma^{2}", "std": r"\sigma", "eps": r"\varepsilon"}
# a name with several indices, joined by '_' as the layer templates join them (x1_2, W_hh1_2)
_INDICES = re.compile(r"(.*?[^\d_])(\d+(?:_\d+)+)")


def _factor_rank(factor):
    if factor.is_Number:
        return 0
    if getattr(factor, "is_delta", False):  # δ first: δ_N1·x1, as textbooks write it
        return 0.5
    if isinstance(factor, sp.Symbol) and _WEIGHT.match(factor.name):
        return 1
    base = factor.base if factor.is_Pow else factor
    if base.is_Add:  # (1 − y) log(1 − ŷ), but σ(N1) (1 − σ(N1)): a sum of functions goes last
        return 3 if base.atoms(sp.Function) else 2.5
    return 2 if base.is_Symbol else 2.7


def _natural(expr):
    """Sort key that puts w7 before w16 (names compared as text, then number)."""
    if isinstance(expr, sp.Symbol):
        stem, digits = re.fullmatch(r"(.*?)(\d*)", expr.name).groups()
        return (0, stem, int(digits) if digits else -1, expr.name)
    return (1, sp.default_sort_key(expr))


def ordered_factors(args):
    """The factors of a product in textbook order: numbers, δ, weights, symbols, plain sums,
    functions, sums of functions.

    >>> x1, w5, N1 = sp.symbols("x1 w5 N1")
    >>> ordered_factors([x1, sp.Integer(2), w5])
    [2, w5, x1]
    """
    return sorted(args, key=lambda a: (_factor_rank(a), _natural(a)))


def ordered_terms(expr):
    """The terms of a sum in textbook order: products before lone symbols, a positive term first.

    >>> b1, w1, x1 = sp.symbols("b1 w1 x1")
    >>> ordered_terms(b1 + w1 * x1)
    [w1*x1, b1]
    """
    def is_product(term):
        rest = term.as_coeff_Mul()[1]
        return (rest.is_Mul or (rest.is_Pow and not rest.base.is_Atom)
                or getattr(rest, "is_product_like", False) or isinstance(rest, sp.Sum))

    def sums(term):  # a term with a Σ after those without, the shorter first: n g_i − Σ g_j − x̂_i Σ …
        return sp.count_ops(term) if term.has(sp.Sum) else 0
    terms = sorted(expr.as_ordered_terms(), key=lambda t: (not is_product(t), sums(t)))
    if _coeff_isneg(terms[0]):
        for i, t in enumerate(terms):
            if not _coeff_isneg(t):
                terms.insert(0, terms.pop(i))
                break
    return terms


class _Ordering:
    """Mixin: textbook order of terms and factors for a SymPy printer."""

    def _as_ordered_terms(self, expr, order=None):
        return ordered_terms(expr)

    def _print_Mul(self, expr):
        if not expr.is_Mul:  # SymPy's LaTeX printer sends 1/x here as a Pow: not a product
            return super()._print_Mul(expr)
        return super()._print_Mul(sp.Mul(*ordered_factors(expr.args), evaluate=False))


_NAMES = contextvars.ContextVar("printed_names", default=None)


@contextmanager
def printed_as(names):
    """Within the block, print each Symbol of ``names`` (a dict) as the Symbol it maps to: a
    notation profile's names (N1 as z^[1]_1), without rebuilding the expressions printed.

    >>> with printed_as({sp.Symbol("N1"): sp.Symbol("net_h1")}):
    ...     print(text(2 * sp.Symbol("N1")), latex(sp.Symbol("N1")))
    2*net_h1 net_{h1}
    """
    token = _NAMES.set(names or None)
    try:
        yield
    finally:
        _NAMES.reset(token)


class _Named:
    def _print_Symbol(self, expr, *args, **kwargs):
        names = _NAMES.get()
        return super()._print_Symbol(names.get(expr, expr) if names else expr, *args, **kwargs)


class SymnetLatexPrinter(_Named, _Ordering, LatexPrinter):
    """LaTeX in textbook order; ReLU's step prints as θ(x) (its value at 0 is 0), the step
    that is 1 at 0 as the Iverson bracket [a ≥ b] (max's gradient at a tie)."""

    printmethod = "_latex"
    _default_settings = dict(LatexPrinter._default_settings, order="none")

    def _print_Symbol(self, expr, style="plain"):
        named = LAYER_NAMES.get(expr.name)
        if named is not None:
            return named
        several = _INDICES.fullmatch(expr.name)
        if several is None or expr in (_NAMES.get() or {}):
            return super()._print_Symbol(expr, style)
        # x_{1,2} as the general term's x_{i,j} prints, not SymPy's x_{1 2}
        stem = super()._print_Symbol(sp.Symbol(several[1]), style)
        if "_" in stem or "^" in stem:
            stem = "{%s}" % stem  # {W_{hh}}_{1,2}
        return "%s_{%s}" % (stem, several[2].replace("_", ","))

    def _print_KroneckerDelta(self, expr, exp=None):
        tex = r"\delta_{%s,%s}" % tuple(map(self._print, expr.args))  # δ_{j,l}, as x_{1,2}
        return tex if exp is None else r"%s^{%s}" % (tex, exp)

    def _print_Heaviside(self, expr, exp=None):
        x, at_zero = expr.args
        if at_zero == 0:
            tex = r"\theta\left(%s\right)" % self._print(x)
        elif at_zero == 1:
            tex = r"\left[%s \geq %s\right]" % tuple(map(self._print, _sides(x)))
        else:
            tex = r"\operatorname{Heaviside}\left(%s, %s\right)" % (self._print(x), self._print(at_zero))
        return tex if exp is None else r"%s^{%s}" % (tex, exp)


def _sides(x):
    """``x`` as ``(lhs, rhs)`` with ``x = lhs − rhs`` and no negative term on either side."""
    terms = x.args if x.is_Add else (x,)
    lhs = sp.Add(*[t for t in terms if not _coeff_isneg(t)])
    return lhs, sp.Add(*[-t for t in terms if _coeff_isneg(t)])


class SymnetStrPrinter(_Named, _Ordering, StrPrinter):
    """Plain text in textbook order, with the names a user types back (``yhat``, ``sigmoid``,
    ``abs``)."""

    printmethod = "_sympystr"
    _default_settings = dict(StrPrinter._default_settings, order="none")

    def _print_Abs(self, expr):
        return "abs(%s)" % self._print(expr.args[0])

    def _print_KroneckerDelta(self, expr):
        return "δ_{%s,%s}" % tuple(map(self._print, expr.args))  # 1 where j = l, else 0

    def _print_Sum(self, expr):
        # as symnet.sums writes a Σ family: Σ_{j=1..4} g[j], a product's summand in brackets
        limits = "".join("Σ_{%s=%s..%s} " % tuple(map(self._print, lim)) for lim in expr.limits)
        body = self._print(expr.function)
        return limits + (f"({body})" if expr.function.is_Add or expr.function.is_Mul else body)

    def _print_Heaviside(self, expr):
        # always with its value at 0, which the parser otherwise reads as 0
        return "Heaviside(%s, %s)" % (self._print(expr.args[0]), self._print(expr.args[1]))


def latex(expr, **settings):
    r"""LaTeX of ``expr`` in textbook order.

    >>> from symnet.functions import sigmoid
    >>> print(latex(sigmoid(sp.Symbol("N1")).diff(sp.Symbol("N1"))))
    \sigma\left(N_{1}\right) \left(1 - \sigma\left(N_{1}\right)\right)
    """
    return SymnetLatexPrinter(settings).doprint(expr)


def text(expr, **settings):
    """Plain text of ``expr`` in textbook order, in the syntax symnet's parser reads back.

    >>> text(sp.Symbol("yhat") - sp.Symbol("y"))
    'yhat - y'
    """
    return SymnetStrPrinter(settings).doprint(expr)


def product(factors, fmt="latex"):
    """Factors joined in the given order with ``·`` (``\\cdot``), sums parenthesised."""
    out = []
    for f in factors:
        s = latex(f) if fmt == "latex" else text(f)
        if isinstance(f, sp.Basic) and (f.is_Add or _coeff_isneg(f)) and len(factors) > 1:
            s = r"\left(%s\right)" % s if fmt == "latex" else f"({s})"
        out.append(s)
    if not out:
        return "1"
    return (r" \cdot " if fmt == "latex" else " · ").join(out)


def path_sum(products, fmt="latex"):
    """A sum of chain products, each a list of factors printed in order."""
    return " + ".join(product(p, fmt) for p in products) if products else "0"


def divides(expr):
    """Whether ``expr`` divides by something symbolic.

    >>> divides(1 / sp.Symbol("x")), divides(sp.Symbol("x") / 2)
    (True, False)
    """
    return any(p.exp.is_negative and p.base.free_symbols for p in expr.atoms(sp.Pow))


def definitions_latex(definitions, inline=False):
    """An ``aligned`` block with one ``name = definition`` line each."""
    return aligned([(latex(k), latex(v)) for k, v in definitions.items()], inline)


# ----------------------------------------------------------------- one way to render

def check_format(fmt):
    """``fmt`` if it is one of :data:`FORMATS`, else one clear error."""
    if fmt not in FORMATS:
        raise SymnetError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    return fmt


def aligned(rows, inline=False):
    r"""An ``aligned`` block: each row a ``(lhs, rhs)`` pair of LaTeX joined by ``&=``, or a
    string that carries its own ``&``; ``inline=True`` writes it on one line.

    >>> print(aligned([("a", "b"), "&= c"]))
    \begin{aligned}
    a &= b \\
    &= c
    \end{aligned}
    """
    lines = [row if isinstance(row, str) else f"{row[0]} &= {row[1]}" for row in rows]
    if inline:
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"


class Renderable:
    """Anything symnet prints offers ``text()``, ``latex()`` and ``markdown()``;
    ``render(fmt)`` and ``str`` follow."""

    def render(self, fmt="text"):
        """The object as ``fmt``: one of :data:`FORMATS`."""
        return getattr(self, check_format(fmt))()

    def __str__(self):
        return self.text()


class Rendered(Renderable):
    """The rendering protocol for equations: an object gives its ``rows(fmt)``, ``(lhs, rhs)``
    pairs of text or LaTeX, and text, LaTeX, Markdown and Jupyter's ``_repr_latex_`` follow.
    Classes whose text is not one equation per line override ``text``."""

    def rows(self, fmt):
        raise NotImplementedError

    def text(self):
        return "\n".join(f"{lhs} = {rhs}" for lhs, rhs in self.rows("text"))

    def latex(self):
        return aligned(self.rows("latex"))

    def markdown(self):
        return "$$\n" + self.latex() + "\n$$"

    def _repr_latex_(self):
        return "$$" + self.latex() + "$$"


class Table(Renderable):
    """Rows of cells under a header row, as aligned text, Markdown or LaTeX.

    ``align`` has one letter per column (``l``, ``c``, ``r``, or ``p`` for sentences wrapped
    to the page in LaTeX; default: the first left, the rest right).  Cells are strings, or
    anything the ``cell`` function given to a renderer turns into one (the document blocks
    pass their own).

    >>> t = Table(["n", "2^n"], [[1, 2], [10, 1024]])
    >>> print(t)
     n   2^n
     1     2
    10  1024
    >>> print(t.markdown())
    | n | 2^n |
    | ---: | ---: |
    | 1 | 2 |
    | 10 | 1024 |
    """

    def __init__(self, headers, rows, align=None, latex_headers=None):
        self.headers, self.rows = list(headers), [list(r) for r in rows]
        self.align = align or ("l" if not self.rows or not _is_number(self.rows[0][0])
                               else "r") + "r" * (len(self.headers) - 1)
        self.latex_headers = latex_headers

    def text(self, cell=str):
        table = [[cell(c) for c in r] for r in [self.headers] + self.rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(self.headers))]
        pad = lambda c, w, a: c.ljust(w) if a in "lp" else c.center(w) if a == "c" else c.rjust(w)
        return "\n".join("  ".join(pad(c, w, a) for c, w, a in zip(r, widths, self.align)).rstrip()
                         for r in table)

    def markdown(self, cell=str):
        rule = ["---:" if a == "r" else ":---:" if a == "c" else "---" for a in self.align]
        lines = ["| " + " | ".join(cell(h) for h in self.headers) + " |", "| " + " | ".join(rule) + " |"]
        lines += ["| " + " | ".join(cell(c).replace("|", r"\|") for c in r) + " |" for r in self.rows]
        return "\n".join(lines)

    def latex(self, cell=None, long=False):
        """A ``tabular`` (``long=True``: a ``longtable`` with booktabs rules, which breaks across
        pages); ``cell`` turns a cell into LaTeX (default: numbers like ``1e-05`` as powers of ten)."""
        cell = cell or _latex_cell
        head = self.latex_headers or [cell(h) for h in self.headers]
        body = [" & ".join(cell(c) for c in r) + r" \\" for r in self.rows]
        if long:
            return "\n".join([r"\begin{longtable}{%s}" % self._columns(), r"\toprule",
                              " & ".join(head) + r" \\", r"\midrule", r"\endhead", *body,
                              r"\bottomrule", r"\end{longtable}"])
        return "\\begin{tabular}{%s}\n%s\n\\end{tabular}" % (
            self._columns(), "\n".join([" & ".join(head) + r" \\ \hline", *body]))

    def _columns(self):
        # "p": a column of sentences, wrapped to what the page leaves (plain text: "l")
        return "".join(r">{\raggedright\arraybackslash}p{0.55\linewidth}" if a == "p" else a
                       for a in self.align)

    def _repr_markdown_(self):
        return self.markdown()


def _is_number(cell):
    try:
        float(str(cell))
        return True
    except ValueError:
        return False


def _latex_cell(cell):
    cell = str(cell)
    mantissa, e, exponent = cell.partition("e")
    if e and _is_number(mantissa) and exponent.lstrip("+-").isdigit():
        return r"$%s \times 10^{%d}$" % (mantissa, int(exponent))
    return cell.replace("÷", r"$\div$").replace("×", r"$\times$")
