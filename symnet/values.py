"""Every check of a value a user gives: numbers, seeds, sizes.  One message per kind of mistake,
the same from Python and from the command line.

>>> exact_number("1/100", "slope")
1/100
>>> positive(0, "lr", float)
Traceback (most recent call last):
...
symnet.errors.SymnetError: lr must be a positive number, got 0
"""

import math
import re
from fractions import Fraction

import sympy as sp

from .errors import SymnetError


def _is_numpy_scalar(value):
    # NumPy's scalar types, recognised without importing NumPy (the command line starts faster)
    return type(value).__module__ == "numpy" and hasattr(value, "item")


def exact_number(value, what):
    """A number given by a user as an exact Rational: 0.15 is 3/20, not the nearest double.

    Text (``"0.25"``, ``"1/100"``, ``"2e-3"``) is read as a fraction, never evaluated.

    >>> exact_number(0.15, "w1"), exact_number("1/100", "slope")
    (3/20, 1/100)
    """
    if isinstance(value, bool):
        raise SymnetError(f"{what} must be a number, got {value!r}")
    if isinstance(value, (int, Fraction, sp.Rational)):
        return sp.Rational(value)
    if isinstance(value, str):
        text = value.strip()
        exponent = re.search(r"[eE]([+-]?\d+)$", text)
        if len(text) > 40 or (exponent and abs(int(exponent.group(1))) > 300):
            raise SymnetError(f"{what} must be a number of at most 40 characters and exponent "
                              f"±300, got {value!r:.50}")
        try:
            return sp.Rational(Fraction(text))
        except (ValueError, ZeroDivisionError):
            raise SymnetError(f"{what} must be a number, got {value!r}") from None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SymnetError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise SymnetError(f"{what} must be a finite number, got {value!r}")
    return sp.Rational(repr(number))


def sympy_number(value, name):
    """``value`` as a SymPy number for exact work (floats to 30 digits); never parses text.

    >>> sympy_number(0.5, "x1"), sympy_number(3, "x2")
    (0.500000000000000000000000000000, 3)
    """
    if isinstance(value, bool):
        raise SymnetError(f"the value of {name} must be a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SymnetError(f"the value of {name} must be finite, got {value!r}")
        return sp.Float(value, 30)
    if isinstance(value, (int, Fraction)):
        return sp.Rational(value)
    if isinstance(value, sp.Basic) and value.is_number and value.is_finite:
        return value
    if _is_numpy_scalar(value):
        return sympy_number(value.item(), name)
    raise SymnetError(f"the value of {name} must be a number (int, float, Fraction or a SymPy "
                      f"number), got {type(value).__name__} {value!r:.40}")


def seed(value):
    """A seed: a non-negative integer.

    >>> seed(3)
    3
    """
    if isinstance(value, bool) or not (isinstance(value, int) or _is_numpy_scalar(value)) \
            or not float(value).is_integer() or value < 0:
        raise SymnetError(f"seed must be a non-negative integer, got {value!r}")
    return int(value)


def positive(value, what, kind):
    """``value`` as a positive ``kind`` (int or float), else one clear error.

    >>> positive(2.0, "epochs", int)
    2
    """
    ok = (isinstance(value, (int, float)) or _is_numpy_scalar(value)) and not isinstance(value, bool)
    if ok and kind is int:
        ok = float(value).is_integer()
    if not ok or not math.isfinite(value) or value <= 0:
        raise SymnetError(f"{what} must be a positive {'integer' if kind is int else 'number'}, "
                          f"got {value!r}")
    return kind(value)
