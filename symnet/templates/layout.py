"""What the layer templates share: names indexed by time step, unit or position, and the
circuit a template returns, with the facts of its layout that the slips of these layers read
(each node's time step; each filter weight's mirror image)."""

import sympy as sp

from ..circuits import Circuit
from ..errors import TooLargeError
from ..values import count

MAX_SIZE = 16  # of one dimension: CS231n's RNN step reads 10 inputs
MAX_TERMS = 20_000  # terms of a layer's definitions (CS231n's convolution has 576 per image)


def indexed(stem, *indices):
    """The Symbol ``stem`` with ``indices`` appended, separated by '_' as the affine template's
    weights ``w1_2`` are.

    >>> indexed("h", 2, 1), indexed("W_hh", 1, 2), indexed("x", 3), indexed("b")
    (h2_1, W_hh1_2, x3, b)
    """
    return sp.Symbol(stem + "_".join(str(i) for i in indices))


def size(value, what, low=1):
    """``value`` checked as a whole number from ``low`` to :data:`MAX_SIZE`."""
    return count(value, what, low, MAX_SIZE)


def bounded_terms(n, what):
    """Refuse, before building it, a layer whose definitions have more than
    :data:`MAX_TERMS` terms."""
    if n > MAX_TERMS:
        raise TooLargeError(f"{what} would have {n:,} terms in its definitions; a layer "
                            f"template builds at most {MAX_TERMS:,} (smaller sizes)")


class LayerCircuit(Circuit):
    """A circuit made by a layer template (:mod:`symnet.templates`): a :class:`Circuit` with
    ``steps``, each node's time step (an RNN unrolled in time), and ``mirrors``, each filter
    weight's image in the filter turned by 180° (a convolution), for the slips of these
    layers; both empty where they mean nothing.  ``nice_values``, if given, are the numbers
    a seed draws its leaves from (:func:`symnet.nice.nice_numbers`) instead of −5 … 5;
    ``letters`` (``{stem: letters}``) name the Σ over each index of a stem's names
    (:func:`symnet.sums.collect`): Σ_t over time steps, Σ_i, Σ_j over positions;
    ``closed_forms`` (``{leaf: expr}``) are the forms of ∂output/∂leaf lectures teach, each
    equal to the chain rule's result, which derivations print in its place."""

    def __init__(self, definitions, params, steps=None, mirrors=None, nice_values=None,
                 letters=None, closed_forms=None):
        super().__init__(definitions, params=[str(p) for p in params],
                         sums=dict(letters or {}) or True)
        self.steps = dict(steps or {})
        self.mirrors = dict(mirrors or {})
        self.nice_values = nice_values
        self.closed_forms = dict(closed_forms or {})

    def derive(self, wrt, of=None):
        """As :meth:`Circuit.derive`, with the closed form of ∂output/∂``wrt`` where the
        layer has one (:attr:`~symnet.derive.Derivation.closed_form`).

        >>> import symnet as sn
        >>> d = sn.template("batchnorm", m=2).derive("x2")
        >>> print(sn.text(d.closed_form))
        gamma*(2*g2 - Σ_{j=1..2} g[j] - xhat2*Σ_{j=1..2} (g[j]*xhat[j]))/(2*std)
        """
        d = super().derive(wrt, of)
        if d.of == self.output:
            d.closed_form = self.closed_forms.get(d.wrt)
        return d
