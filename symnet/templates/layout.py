"""What the layer templates share: names indexed by time step, unit or position, and the
circuit a template returns, with the facts of its layout that the slips of these layers read
(each node's time step; each filter weight's mirror image)."""

import sympy as sp

from ..circuits import Circuit
from ..errors import SymnetError


def indexed(stem, *indices):
    """The Symbol ``stem`` with ``indices`` appended: digits run together while each index is
    one digit (``h21``, printed h₂₁), separated by '_' once one is not (``x3_10``).

    >>> indexed("h", 2, 1), indexed("W_xh", 1, 2), indexed("x", 3, 10), indexed("b")
    (h21, W_xh12, x3_10, b)
    """
    short = all(0 <= i <= 9 for i in indices)
    return sp.Symbol(stem + ("" if short else "_").join(str(i) for i in indices))


def size(value, what, low=1, high=16):
    """``value`` checked as a whole number from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SymnetError(f"{what} must be a whole number from {low} to {high}; got {value!r}")
    return value


class LayerCircuit(Circuit):
    """A circuit made by a layer template (:mod:`symnet.templates`): a :class:`Circuit` with
    ``steps``, each node's time step (an RNN unrolled in time), and ``mirrors``, each filter
    weight's image in the filter turned by 180° (a convolution), for the slips of these
    layers; both empty where they mean nothing."""

    def __init__(self, definitions, params, steps=None, mirrors=None):
        super().__init__(definitions, params=[str(p) for p in params])
        self.steps = dict(steps or {})
        self.mirrors = dict(mirrors or {})
