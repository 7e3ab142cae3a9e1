"""Check a gradient derived by hand: one answer (:func:`check`) or a whole derivation line by
line (:func:`check_derivation`), with diagnoses from the mistake engine and partial credit.

Modules: ``evaluation`` (reading answers, check points, 40-digit values), ``verdict``
(:class:`CheckResult`, :func:`check`), ``slips`` (the registered detectors, one per kind of
slip), ``engine`` (slips alone and in pairs, credit), ``wording`` (the student's own names),
``steps`` (:func:`check_derivation`).

>>> from symnet.network import Network
>>> from symnet.checking import check
>>> check(Network("2-2-1"), "w5", "2*(yhat - y)*N1").correct
True
"""

from .layers import LayerCheck, LayerSteps, check_layer_steps, check_layers
from .steps import DerivationCheck, Step, check_derivation
from .verdict import CheckResult, check

__all__ = ["CheckResult", "DerivationCheck", "LayerCheck", "LayerSteps", "Step", "check",
           "check_derivation", "check_layer_steps", "check_layers"]
