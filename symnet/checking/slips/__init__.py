"""The slips of the mistake engine: one small detector each, registered in :data:`DETECTORS`.

This is the one slip catalogue: ``symnet check``, ``check_derivation``, the quiz's wrong
numbers with their Moodle, GIFT and exam-key feedback, and ``symnet grade`` all read it, so a
slip has one name (its kind) and one sentence everywhere.  A derivation's chain is a sum of
paths, each a product of local factors (``Derivation.chain_value``, a
:class:`~symnet.paths.Chain`).  A detector looks at the true chain and proposes :class:`Slip` s,
each an edit of the chain (a factor dropped, doubled or replaced; a path dropped, added or
rerouted; a constant) with one sentence in the chain rule's words.  The engine
(:mod:`symnet.checking.engine`) keeps a slip only when the edited chain equals the answer
exactly, or for a number, when the edited chain's value is the number.

The detectors live with their family (:mod:`.scalar`: a chain's local factors; :mod:`.paths`:
its paths; :mod:`.gates`: a circuit's gates; :mod:`.layers`: a template's layer), and
:data:`DETECTORS` puts them in the one order that decides between slips.  To teach it a new
slip, write its detector there and give it its line in :data:`DETECTORS`; :func:`detector`
appends one at run time:

>>> @detector("halved factor")
... def _halved(ctx):
...     for factor, value in ctx.factors.items():
...         yield Slip("halved factor", f"you halved {ctx.show(factor)}",
...                    set_factor(factor, value / 2), frozenset([factor]))
>>> DETECTORS[-1].kind
'halved factor'
>>> del DETECTORS[-1]
"""

from . import gates, layers, paths, scalar
from .edits import keep_paths, recomputed, redefine, reroute, scale, set_factor, set_factors
from .forward import forward_slips, update_slips
from .matrices import MATRIX_DETECTORS, matrix_detector
from .paths import MAX_PATH_SUBSETS
from .slip import Detector, Slip

__all__ = ["DETECTORS", "MATRIX_DETECTORS", "MAX_PATH_SUBSETS", "Detector", "Slip", "detector",
           "forward_slips", "keep_paths", "matrix_detector", "recomputed", "redefine", "reroute",
           "scale", "set_factor", "set_factors", "update_slips"]

DETECTORS = [  # the order in which the engine prefers explanations
    Detector("activation for its derivative", scalar.activation_for_derivative),
    Detector("cancelled factor kept", scalar.cancelled_factor_kept),
    Detector("max gradient sent to every input", gates.max_to_every_input),
    Detector("dropped factor", scalar.dropped_factor),
    Detector("neighbouring symbol", scalar.neighbour),
    Detector("weighted sum for output", scalar.sum_for_output),
    Detector("another activation's derivative", scalar.other_activation),
    Detector("sign in the activation's derivative", scalar.sign_inside),
    Detector("square dropped from the activation's derivative", scalar.square_dropped),
    Detector("weighted sum inside the activation's derivative", scalar.sum_inside),
    Detector("doubled factor", scalar.doubled),
    Detector("sign of the loss's derivative", scalar.sign),
    Detector("input factor on a bias", scalar.bias_input),
    Detector("max routed to the smaller input", gates.max_to_smaller),
    Detector("multiply gate not swapped", gates.multiply_unswapped),
    Detector("filter not flipped", layers.unflipped),
    Detector("add gate splitting", gates.add_splitting),
    Detector("time step missing in BPTT", layers.missing_step),
    Detector("fork's gradients not added", paths.fork),
    Detector("dropped path", paths.dropped_paths),
    Detector("path through the wrong neuron", paths.wrong_neuron),
    Detector("added path", paths.added_path),
    Detector("n for n − 1 in the variance", layers.bessel, layer=True),
    Detector("−p instead of p − 1 for the target class", layers.target_class, layer=True),
    Detector("constant factor", scalar.constant),
]


def detector(kind, layer=False):
    """Register the decorated ``propose(ctx)`` as the detector of slips of ``kind``, after those
    of :data:`DETECTORS` (the engine prefers the explanations of earlier ones).  A ``layer`` slip
    (batch norm's n for n − 1, softmax-CE's −p) names a mistake taught with the layer: where
    its number is also a constant times the derivative (−p₃ ≈ 2(p₃ − 1) at p₃ ≈ ⅔), it is
    the explanation given."""
    def register(propose):
        DETECTORS.append(Detector(kind, propose, layer))
        return propose
    return register
