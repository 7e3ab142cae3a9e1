"""The activation atlas: every activation of the registry with its derivative in closed form
and the derivative's range, as text, LaTeX, Markdown or a picture.

>>> e = atlas_entry("sigmoid")
>>> e.derivative, e.range
((1 - sigmoid(x))*sigmoid(x), '(0, 1/4]')
"""

import math
import re
from dataclasses import dataclass

import numpy as np
import sympy as sp

from ..activations import Activation
from ..activations import names as activation_names
from ..errors import SymnetError
from ..figures import Picture, figure
from ..functions import to_elementary
from ..printing import Renderable, Table
from ..printing import latex as _latex
from ..printing import text as _text
from ..values import names as checked_names


@dataclass(frozen=True)
class AtlasEntry:
    """One activation: its formula, its derivative in closed form and the derivative's range.

    ``function`` is symnet's form (``sigmoid(x)``), ``elementary`` the same in elementary
    functions (``1/(1 + exp(-x))``), ``derivative`` what ``diff`` gives (``σ(x)(1 − σ(x))``).
    ``low`` and ``high`` are the infimum and supremum of the derivative over the real line,
    ``range`` says the same as text, ``peak`` where (or how) the largest slope is reached.
    """

    name: str
    activation: Activation
    function: sp.Expr
    elementary: sp.Expr
    derivative: sp.Expr
    range: str
    low: sp.Number
    high: sp.Number
    peak: str

    @property
    def bound(self):
        """The largest |f'(x)| (exact where it can be): one layer multiplies a gradient by
        at most this much, times its weight."""
        return max(abs(self.low), abs(self.high))


X = sp.Symbol("x")


def atlas_entry(activation):
    """The :class:`AtlasEntry` of one activation (a name or an :class:`Activation`).

    >>> e = atlas_entry("sigmoid")
    >>> e.derivative, e.range
    ((1 - sigmoid(x))*sigmoid(x), '(0, 1/4]')
    """
    act = Activation.get(activation)
    if act.entry.output_only:
        raise SymnetError("softmax acts on a whole output layer, not one number; "
                          "the atlas shows it as a note (see Atlas.softmax_note)")
    f = act.apply(X)
    derivative = sp.diff(f, X)
    rng, low, high, peak = act.entry.ranges(dict(act.options))
    return AtlasEntry(act.name, act, f, to_elementary(f), derivative, rng, low, high, peak)


class Atlas(Renderable):
    """Every element-wise activation of the catalogue with its derivative and the range of it.

    >>> atlas = activation_atlas()
    >>> [e.name for e in atlas]
    ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'softplus', 'elu', 'silu']
    >>> atlas["tanh"].derivative
    1 - tanh(x)**2
    """

    softmax_note = ("softmax (output layers only) acts on a whole layer: "
                    "yhat_k = exp(N_k) / Σ_j exp(N_j), ∂yhat_k/∂N_j = yhat_k (δ_kj − yhat_j), "
                    "in (0, 1/4] for j = k and in [−1/4, 0) for j ≠ k")
    softmax_latex = (r"\operatorname{softmax}:\; \hat{y}_k = \frac{e^{N_k}}{\sum_j e^{N_j}},"
                     r"\quad \frac{\partial \hat{y}_k}{\partial N_j} = \hat{y}_k "
                     r"\left(\delta_{kj} - \hat{y}_j\right) \in "
                     r"\begin{cases} (0, \frac{1}{4}] & j = k \\ [-\frac{1}{4}, 0) & j \ne k"
                     r"\end{cases}")

    def __init__(self, entries):
        self.entries = list(entries)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, name):
        for e in self.entries:
            if e.name == name:
                return e
        raise SymnetError(f"no activation {name!r} in the atlas; it has: "
                          f"{', '.join(e.name for e in self.entries)}")

    def text(self):
        blocks = []
        for e in self.entries:
            f, el = _text(e.function), _text(e.elementary)
            formula = f if f == el else f"{f} = {_piecewise_text(e.elementary)}"
            blocks.append("\n".join([
                e.name,
                f"  f(x)  = {formula}",
                f"  f'(x) = {_piecewise_text(e.derivative)}",
                f"  f' ranges over {e.range}" + (f", largest {e.peak}" if e.peak else ""),
            ]))
        blocks.append(self.softmax_note)
        return "\n\n".join(blocks)

    def _latex_rows(self):
        rows = []
        for e in self.entries:
            f, el = _latex(e.function), _latex(e.elementary)
            formula = f if f == el else f"{f} = {el}"
            rows.append((e.name.replace("_", r"\_"), formula, _latex(e.derivative),
                         latex_range(e.range)))
        return rows

    def _table(self):
        rows = [(n, f"${f}$", f"${d}$", f"${r}$") for n, f, d, r in self._latex_rows()]
        return Table(["activation", "$f(x)$", "$f'(x)$", "range of $f'$"], rows, align="llll")

    def markdown(self):
        table = self._table()
        table.rows = [[r[0].replace("\\", ""), *r[1:]] for r in table.rows]
        return table.markdown() + "\n\n" + self.softmax_note.replace("yhat", "ŷ")

    def latex(self):
        return self._table().latex(cell=str) + "\n\n$" + self.softmax_latex + "$"

    def plot(self, path=None, lo=-4.0, hi=4.0):
        """Each activation (solid) beside its derivative (dashed), one panel each; a Picture."""
        return plot_atlas(self, path, lo, hi)

    def _repr_markdown_(self):
        return self.markdown()


def latex_range(text):
    r"""A range as the atlas writes it, in LaTeX: ``(0, 1/4]`` → ``(0, \tfrac{1}{4}]``."""
    out = text.replace("…", r"\ldots").replace("∪", r"\cup")
    out = out.replace("{", r"\{").replace("}", r"\}")
    return re.sub(r"(-?\d+)/(\d+)", r"\\tfrac{\1}{\2}", out)


def _piecewise_text(expr):
    """Text with ``Piecewise((a, c), (b, True))`` written as ``a if c else b``."""
    if isinstance(expr, sp.Piecewise):
        parts = []
        for value, cond in expr.args[:-1]:
            parts.append(f"{_text(value)} if {_text(cond)} else")
        return " ".join(parts + [_text(expr.args[-1][0])])
    return _text(expr)


def activation_atlas(names=None):
    """The :class:`Atlas` of the named activations (default: every element-wise one).

    >>> import symnet as sn
    >>> [entry.name for entry in sn.activation_atlas(["sigmoid", "relu"])]
    ['sigmoid', 'relu']
    """
    names = activation_names(hidden=True) if names is None else \
        checked_names(names, "names", "['sigmoid', 'relu']") or activation_names(hidden=True)
    return Atlas(atlas_entry(n) for n in names)


def _numpy(expr):
    """A NumPy function of x for ``expr`` (symnet's activations rewritten first)."""
    fn = sp.lambdify(X, to_elementary(expr), "numpy")
    return lambda xs: np.broadcast_to(np.asarray(fn(xs), dtype=float), np.shape(xs))


def plot_atlas(atlas, path=None, lo=-4.0, hi=4.0):
    """Each activation beside its derivative on [lo, hi], one panel each; a Picture (saved to
    ``path`` when given)."""
    entries = list(atlas)
    cols = 4
    rows = math.ceil(len(entries) / cols)
    fig = figure(3.0 * cols, 2.6 * rows, "plotting the atlas")
    xs = np.linspace(lo, hi, 801)
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat[len(entries):]:
        ax.set_visible(False)
    for ax, e in zip(axes.flat, entries):
        f = _numpy(e.function)(xs)
        d = _numpy(e.derivative)(xs)
        if e.name in ("relu", "leaky_relu"):  # a jump: no vertical line drawn across it
            d = np.where(np.isclose(xs, 0.0), np.nan, d)
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(xs, f, color="C0", lw=2, label="f(x)")
        ax.plot(xs, d, color="C3", lw=2, ls="--", label="f'(x)")
        ax.set_title(e.name, fontsize=11)
        ax.text(0.03, 0.96, f"f' ∈ {e.range}", transform=ax.transAxes, fontsize=8.5,
                va="top", color="C3")
        ax.set_ylim(max(-1.6, min(np.nanmin(f), np.nanmin(d)) - 0.3),
                    min(4.2, max(np.nanmax(f), np.nanmax(d)) + 0.3))
        ax.tick_params(labelsize=8)
    axes.flat[0].legend(loc="lower right", fontsize=8, frameon=False)
    fig.suptitle("activations f (solid) and their derivatives f' (dashed)", fontsize=12)
    fig.tight_layout()
    picture = Picture(fig, "activation atlas")
    if path is not None:
        picture.save(path)
    return picture
