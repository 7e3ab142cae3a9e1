"""Check a gradient derived by hand: one answer (:func:`check`) or a whole derivation line by
line (:func:`check_derivation`), with diagnoses from the mistake engine and partial credit.

Modules: ``evaluation`` (reading answers, check points, 40-digit values), ``verdict``
(:class:`CheckResult`, :func:`check`), ``slips`` (the registered detectors, one per kind of
slip), ``engine`` (slips alone and in pairs, credit), ``wording`` (the student's own names),
``steps`` (:func:`check_derivation`).

The names are re-exported on first use: ``symnet check`` of one answer loads neither the
line-by-line checker nor, for a right answer, the mistake engine.

>>> from symnet.network import Network
>>> from symnet.checking import check
>>> check(Network("2-2-1"), "w5", "2*(yhat - y)*N1").correct
True
"""

from ..lazy import lazy_exports

_WHERE = {"CheckResult": "verdict", "check": "verdict",
          "DerivationCheck": "steps", "Step": "steps", "check_derivation": "steps"}

__all__ = sorted(_WHERE)
__getattr__ = lazy_exports(__name__, _WHERE)


def __dir__():
    return sorted({*__all__, *globals()})
