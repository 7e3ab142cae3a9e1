"""A worksheet of the layer form: each matrix equation of backpropagation with the numbers of
a small batch (2 or 3 samples, whole-number inputs and parameters).

The numbers come from the network's scalar graph, sample by sample
(:func:`symnet.checking.matrices.batch_arrays`), not from the equations they stand under, so
a sheet shows what the equations must give.
"""

import os

import sympy as sp

from ..checking.matrices import batch_arrays
from ..document import DisplayMath, Heading, Mono, Paragraph, render_markdown, render_tex
from ..errors import SymnetError
from ..linebreak import Line
from ..network import Network
from ..pdf import compile_latex
from ..printing import Rendered, latex, text
from ..symbols import Partial
from ..values import seed as check_seed
from .saving import check_output, save_all, suffix_of

SAMPLES = (2, 3)
SUFFIXES = (".tex", ".pdf", ".md")


class LayerSheet(Rendered):
    """The layer form's equations (:meth:`~symnet.network.Network.derive_layers`), each with
    its shape and its value on a batch of ``samples`` samples drawn from ``seed``.

    >>> from symnet.network import Network
    >>> sheet = LayerSheet(Network("2-2-1", activation="tanh", loss="bce"), notation="ng", seed=1)
    >>> print(sheet.text().splitlines()[0])
    X = [[-1, 1, 1], [1, 1, 0.5]]    (2×3)
    """

    def __init__(self, net, convention=None, notation=None, samples=3, seed=0):
        if not isinstance(net, Network):
            raise SymnetError("a layer worksheet is a network's (layer sizes like 2-4-1), not a "
                              "circuit's")
        if any(a.generic for a in net.activations + [net.output_activation]):
            raise SymnetError("a layer worksheet shows numbers, and a generic activation has "
                              "none; give a registered activation")
        if samples not in SAMPLES:
            raise SymnetError(f"a layer worksheet's batch has 2 or 3 samples, not {samples!r}")
        self.net = net
        self.layers = net.derive_layers(convention, notation, shapes=True)
        convention = self.layers.convention
        env, right = batch_arrays(net, convention, check_seed(seed), samples, small=True)
        self.samples = samples
        self.given = [(sp.Symbol(n), env[n]) for n in env if n in ("X", "Y") or
                      n[:1] in "Wb" and n[1:].isdigit()]
        self.rows_ = []
        for lhs, rhs, _ in self.layers.equations:
            name = "d" + str(lhs.den) if isinstance(lhs, Partial) else str(lhs)
            value = env[name] if name in env else right[name][0]
            self.rows_.append((lhs, rhs, value))

    def rows(self, fmt):
        show = latex if fmt == "latex" else text
        styled = {str(a): a for _, rhs, _ in self.layers.equations for a in rhs.atoms(sp.Symbol)}
        out = [(show(styled.get(str(s), s)), _matrix(v, fmt)) for s, v in self.given]
        return out + [(show(lhs), f"{show(rhs)} = {_matrix(v, fmt)}") for lhs, rhs, v in self.rows_]

    def text(self):
        return "\n".join(f"{lhs} = {rhs}    ({'×'.join(map(str, _shape(v)))})"
                         for (lhs, rhs), v in zip(self.rows("text"),
                                                  [v for _, v in self.given] +
                                                  [v for _, _, v in self.rows_]))

    def _blocks(self):
        lines = [Line(lhs, [rhs]) for lhs, rhs in self.rows("latex")]
        given = len(self.given)
        parts = [f"The {self.net.arch} network's backpropagation in matrix form ("
                 f"{self.layers.convention} convention), on a batch of {self.samples} samples. "
                 "Output activation: ", Mono(self.net.output_activation.name), ". Loss: ",
                 Mono(self.net.loss.name), "."]
        blocks = [Heading(1, [f"Worksheet: the {self.net.arch} network in matrix form"]),
                  Paragraph(parts), Heading(2, ["The batch and the parameters"]),
                  DisplayMath(lines[:given]), Heading(2, ["Forward and backward, with numbers"]),
                  DisplayMath(lines[given:])]
        if self.layers.assumption:
            blocks.append(Paragraph([f"(assuming {self.layers.assumption})"]))
        return blocks

    def latex(self):
        """The sheet as a standalone LaTeX document."""
        return render_tex(self._blocks())

    def markdown(self):
        return render_markdown(self._blocks())

    def save(self, path):
        """Write the sheet to ``path`` (.tex, .pdf or .md), completely or not at all."""
        path = os.fspath(path)
        check_output(path, SUFFIXES)
        suffix = suffix_of(path, SUFFIXES)
        data = {".tex": self.latex, ".md": self.markdown,
                ".pdf": lambda: compile_latex(self.latex())[0]}[suffix]()
        return save_all([(path, data)])


def _shape(value):
    return value.shape or (1,)


def _number(v, fmt):
    if v.is_Integer:
        return str(v)
    s = f"{float(v):.4g}"
    if fmt == "latex" and "e" in s:
        mantissa, exp = s.split("e")
        return r"%s \cdot 10^{%d}" % (mantissa, int(exp))
    return s


def _matrix(value, fmt):
    rows = [[_number(v, fmt) for v in value.m.row(i)] for i in range(value.m.rows)]
    if fmt == "latex":
        return r"\begin{pmatrix}" + r" \\ ".join(" & ".join(r) for r in rows) + r"\end{pmatrix}"
    if not value.shape:
        return rows[0][0]
    return "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
