"""The loss registry: one entry per loss holds its definition, how samples combine, the output
activation it expects, what its targets are, and which outputs it accepts.

>>> import sympy as sp
>>> y, yhat = sp.symbols("y yhat")
>>> Loss.get("half_sse").per_sample([y], [yhat])
(y - yhat)**2/2
>>> Loss.get("bce").default_output
'sigmoid'
"""

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from .canonical import add, plain_symbol, power
from .errors import SymnetError, UnknownNameError, did_you_mean


@dataclass(frozen=True)
class Loss:
    """A per-sample loss and how samples combine (``"mean"`` or ``"sum"``).

    ``default_output`` is the output activation used when none is given; ``targets`` says what
    a target is: ``"real"``, ``"probability"`` (in (0, 1)) or ``"distribution"`` (each sample's
    targets sum to 1, one-hot by default); ``accepts(output_activation, n_outputs)`` returns
    None or the reason the combination is refused.
    """

    name: str
    per_sample: Callable = field(compare=False)
    reduction: str
    description: str
    default_output: str = "linear"
    targets: str = "real"
    accepts: Callable = field(default=lambda out, n: None, compare=False)

    @staticmethod
    def get(spec):
        """The loss named ``spec`` (see :data:`REGISTRY`)."""
        if isinstance(spec, Loss):
            return spec
        if not isinstance(spec, str) or spec.strip().lower() not in REGISTRY:
            hint = did_you_mean(spec, REGISTRY) if isinstance(spec, str) else ""
            raise UnknownNameError(f"unknown loss {spec!r}{hint}; valid: {', '.join(REGISTRY)}")
        return REGISTRY[spec.strip().lower()]

    def check(self, output_activation, n_outputs):
        """Refuse an output layer this loss cannot take, with the reason."""
        reason = self.accepts(output_activation, n_outputs)
        if reason:
            raise SymnetError(reason)


def _sq(ys, yhats):
    # add(y, -ŷ) is y − ŷ; SymPy's Add would build −ŷ anew through Mul's whole machinery, and
    # SymPy's Add of one square would hash it whole to look in its cache
    squares = [_square(add(y, -p)) for y, p in zip(ys, yhats)]
    return squares[0] if len(squares) == 1 else sp.Add(*squares)


def _square(base):
    """``base**2``.  Evaluating the square of a sum asks whether each term is infinite, which
    for fresh symbols takes longer than the rest of a small network's definitions; a sum of
    symbols without assumptions and their multiples is not, and its square is left as it is.

    >>> y, p = sp.symbols("y yhat")
    >>> _square(y - p) == (y - p)**2
    True
    """
    if base.is_Add and all(plain_symbol(t) or t.is_Mul and len(t.args) == 2 and
                           t.args[0].is_Number and t.args[0].is_finite and
                           plain_symbol(t.args[1]) for t in base.args):
        return power(base, _TWO)
    return base ** 2


_TWO = sp.Integer(2)


def _probabilities(out, n):
    if out not in ("sigmoid", "softmax"):
        return (f"bce needs outputs in (0, 1): output_activation 'sigmoid' (or 'softmax'), "
                f"not {out!r}")
    return None


def _softmax_outputs(out, n):
    if out != "softmax" or n < 2:
        return ("cross_entropy takes softmax outputs and at least 2 of them; "
                "for one sigmoid output use loss='bce'")
    return None


REGISTRY = {loss.name: loss for loss in [
    Loss("mse", _sq, "mean", "mean over samples of the sum over outputs of (y − ŷ)²"),
    Loss("half_sse", lambda ys, ps: _sq(ys, ps) / 2, "sum",
         "sum over samples and outputs of ½(y − ŷ)²"),
    Loss("bce", lambda ys, ps: -sp.Add(*[y * sp.log(p) + (1 - y) * sp.log(1 - p)
                                         for y, p in zip(ys, ps)]), "mean",
         "binary cross-entropy −[y log ŷ + (1 − y) log(1 − ŷ)], mean over samples",
         default_output="sigmoid", targets="probability", accepts=_probabilities),
    Loss("cross_entropy", lambda ys, ps: -sp.Add(*[y * sp.log(p) for y, p in zip(ys, ps)]),
         "mean", "−Σ_k y_k log ŷ_k over softmax outputs, mean over samples",
         default_output="softmax", targets="distribution", accepts=_softmax_outputs),
]}
LOSSES = tuple(REGISTRY)
