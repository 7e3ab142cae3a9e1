"""What a slip is: its kind, its sentence and the edit of the chain it makes; and a detector,
which proposes slips of one kind."""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Slip:
    """One slip: its kind, the sentence that names it, the edit of the chain it makes, and the
    items of the chain it touches (factors and path node tuples; two slips that touch the same
    item are not combined)."""

    kind: str
    sentence: str
    edit: Callable
    touched: frozenset


@dataclass(frozen=True)
class Detector:
    kind: str
    propose: Callable  # ctx -> iterable of Slip
    layer: bool = False  # a known slip of one layer: it explains a number before a constant does
