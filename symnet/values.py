"""Every check of a value a user gives: numbers, seeds, sizes.  One message per kind of mistake,
the same from Python and from the command line.

Numbers typed as text have one syntax everywhere (command line, CSV files, ``--at``, answers,
architectures): an optional sign, the ASCII digits 0-9, an optional decimal point and an
optional exponent (``-1.5e-3``).  Unicode digits (``２``, ``٢``) and ``1_000`` are refused
everywhere, with the same message, although Python's ``int`` and ``float`` would take them.

>>> exact_number("1/100", "slope")
1/100
>>> positive(0, "lr", float)
Traceback (most recent call last):
...
symnet.errors.SymnetError: lr must be a positive number, got 0
"""

import itertools
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .errors import SymnetError

# SymPy is imported where it is needed: the command line checks its options with this module
# before anything heavy is loaded.

NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
NUMBER_SYNTAX = "written with the digits 0-9, like 3, -0.25 or 1e-3"
MAX_TEXT = 40          # characters of one number typed as text
# What students type for a minus (U+2212 as printed on exams, dashes) and for spaces (thin,
# no-break): read as "-" and as nothing in a typed answer; its minus signs in any number
TYPED = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-", "\ufe63": "-", "\uff0d": "-",
                       " ": None, "\u00a0": None, "\u2009": None, "\u202f": None, "\u2007": None,
                       "\u200a": None, "\t": None})
MINUS = {k: v for k, v in TYPED.items() if v == "-"}  # every minus sign and dash as "-"
MAX_EXPONENT = 300     # |e| in 1e±300: a float's range, and exact work stays small
MAX_SEED = 2**63 - 1
MAX_NAMES = 100_000    # names in one list (students, wrt); more are refused unread
MAX_EPOCHS = 1_000_000  # a million epochs of the 2-2-1 network take about a minute
MAX_FLOW_SEEDS = 1000       # initialisations averaged by flow (100,000 took over a minute)
MAX_FLOW_SAMPLES = 100_000  # samples of flow's random data (100,000,000 ran out of memory)


def _is_numpy_scalar(value):
    # NumPy's scalar types, recognised without importing NumPy (the command line starts faster)
    return type(value).__module__ == "numpy" and hasattr(value, "item") and \
        getattr(value, "ndim", 0) == 0


def exact_number(value, what):
    """A number given by a user as an exact Rational: 0.15 is 3/20, not the nearest double.

    Text (``"0.25"``, ``"1/100"``, ``"2e-3"``) is read as a fraction, never evaluated.

    >>> exact_number(0.15, "w1"), exact_number("1/100", "slope")
    (3/20, 1/100)
    """
    if isinstance(value, bool):
        raise SymnetError(f"{what} must be a number, got {value!r}")
    import sympy as sp
    if isinstance(value, (int, Fraction, sp.Rational)):
        return sp.Rational(_not_huge(value, what))
    if isinstance(value, str):
        text = value.strip()
        fraction = re.fullmatch(r"([^/]+)/([^/]+)", text)
        if fraction:
            num, den = (number_text(t, what, exact=True) for t in fraction.groups())
            if den == 0:
                raise SymnetError(f"{what} divides by zero: {value!r}")
            return sp.Rational(num / den)
        return sp.Rational(number_text(text, what, exact=True))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SymnetError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise SymnetError(f"{what} must be a finite number, got {value!r}")
    return sp.Rational(repr(number))


def number_text(text, what, exact=False):
    """A number typed as text, in symnet's one syntax (see the module): a float, or with
    ``exact`` a :class:`~fractions.Fraction` (``"0.1"`` is 1/10).

    >>> number_text("-2.5e-1", "lr"), number_text("0.1", "w1", exact=True), number_text("\u22122", "x")
    (-0.25, Fraction(1, 10), -2.0)
    >>> number_text("1_000", "--epochs")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: --epochs must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got '1_000'
    """
    if not isinstance(text, str):
        raise SymnetError(f"{what} must be a number {NUMBER_SYNTAX}; got {type(text).__name__}")
    shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "..."
    text = text.strip().translate(MINUS)  # −2 as printed by symnet, the README and exams
    if len(text) > MAX_TEXT:
        raise SymnetError(f"{what} must be a number of at most {MAX_TEXT} characters; got "
                          f"{len(text):,} characters ({shown!r})")
    if not NUMBER.fullmatch(text):
        raise SymnetError(f"{what} must be a number {NUMBER_SYNTAX}; got {shown!r}")
    exponent = re.search(r"[eE]([+-]?[0-9]+)$", text)
    if exponent and abs(int(exponent.group(1))) > MAX_EXPONENT:
        raise SymnetError(f"{what} must have an exponent within ±{MAX_EXPONENT}; got {text!r}")
    if exact:
        return Fraction(text)
    number = float(text)
    if not math.isfinite(number):  # 9e300 is fine, 1e308 × 10 would not be: refused
        raise SymnetError(f"{what} must be a finite number; got {text!r}")
    return number


def typed_number(text, what):
    """A number a student typed: any minus sign or dash they type read as ``-``, spaces (thin,
    no-break) dropped, then :func:`number_text`.

    >>> typed_number("\u22121.254", "answer"), typed_number("\u2013 0.5", "answer"), typed_number("1\u2009254", "answer")
    (-1.254, -0.5, 1254.0)
    """
    return number_text(text.translate(TYPED) if isinstance(text, str) else text, what)


def plain_number(value, digits=4):
    """``value`` to ``digits`` significant digits as a plain decimal (no exponent).

    >>> plain_number(0.000123456), plain_number(-12.345), plain_number(0)
    ('0.0001235', '-12.35', '0')
    """
    d = Decimal(repr(float(value)))
    if d.is_zero():
        return "0"
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_UP)
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def tolerance(value, digits=4):
    """Half a unit of the last digit shown: an answer rounded as shown is accepted.

    >>> tolerance(0.9276), tolerance(-12.35), tolerance(0)
    (5e-05, 0.005, 5e-05)
    """
    if value == 0:
        return 0.5 * 10.0 ** (-digits)
    exponent = Decimal(repr(float(value))).adjusted()
    return float(Decimal(5).scaleb(exponent - digits))


def tolerance_text(tol):
    """A tolerance as a plain decimal: ``5e-05`` → ``0.00005``."""
    return format(Decimal(repr(tol)), "f")


def within_shown(given, value, digits=4):
    """Whether ``given`` is ``value`` as shown to ``digits`` significant digits, within half a
    unit of the last (as the quiz exports accept), compared in decimals.

    >>> within_shown(0.0194, 0.01944), within_shown(0.01944, 0.019436), within_shown(0.92755, 0.92761)
    (False, True, True)
    """
    gap = abs(Decimal(repr(float(given))) - Decimal(plain_number(value, digits)))
    return gap <= Decimal(repr(tolerance(value, digits)))


def integer_text(text, what, low=None, high=None, how=""):
    """A whole number typed as text, checked against ``low`` and ``high`` (see :func:`bounded`).

    >>> integer_text("64", "--samples", 1, 100_000)
    64
    >>> integer_text("２", "--seeds", 1, 1000)
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: --seeds must be a whole number written with the digits 0-9, like 3 or 1000; got '２'
    """
    shown = text if not isinstance(text, str) or len(text) <= MAX_TEXT \
        else text[:MAX_TEXT] + "..."
    text = text.strip().translate(MINUS) if isinstance(text, str) else text  # −2 as printed
    if not isinstance(text, str) or len(text) > MAX_TEXT or not INTEGER.fullmatch(text):
        raise SymnetError(f"{what} must be a whole number written with the digits 0-9, like 3 or "
                          f"1000; got {shown!r}")
    return bounded(int(text), what, low, high, how)


def bounded(value, what, low=None, high=None, how_to_go_below=""):
    """``value`` if ``low ≤ value ≤ high``, else one line naming the limit and, for a value
    above it, how to go below (``how_to_go_below``).

    >>> bounded(5, "--seeds", 1, 1000)
    5
    >>> bounded(100_000, "--seeds", 1, 1000, "average over fewer initialisations")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: --seeds is 100,000; at most 1,000 are accepted (average over fewer initialisations)
    """
    if low is not None and value < low:
        raise SymnetError(f"{what} must be at least {low:,}; got {shown(value)}")
    if high is not None and value > high:
        tail = f" ({how_to_go_below})" if how_to_go_below else ""
        raise SymnetError(f"{what} is {shown(value)}; at most {high:,} are accepted{tail}")
    return value


def count(value, what, low=1, high=None, how=""):
    """A whole number of things (epochs, samples, seeds) from Python: an int within bounds.

    >>> count(3, "epochs", high=10)
    3
    >>> count(2.5, "epochs")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: epochs must be a whole number, got 2.5
    """
    if isinstance(value, bool) or not (isinstance(value, int) or _is_numpy_scalar(value)) \
            or (_is_numpy_scalar(value) and not float(value).is_integer()):
        raise SymnetError(f"{what} must be a whole number, got {shown(value)}")
    return bounded(int(value), what, low, high, how)


def finite(value, what):
    """A finite real number from Python (int, float, Fraction, NumPy scalar) as a float;
    nan, inf, huge integers, booleans and other types are refused with one line.

    >>> finite(2, "x1"), finite(10**5000, "x1")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: x1 must be a finite number, got an integer of about 5,001 digits
    """
    if isinstance(value, bool) or not (isinstance(value, (int, float, Fraction))
                                       or _is_numpy_scalar(value)):
        raise SymnetError(f"{what} must be a number, got {type(value).__name__} {shown(value)}")
    try:
        number = float(value)
    except (OverflowError, TypeError, ValueError):
        number = math.inf
    if not math.isfinite(number):
        raise SymnetError(f"{what} must be a finite number, got {shown(value)}")
    return number


def _not_huge(value, what):
    number = value.numerator if hasattr(value, "numerator") else value
    if abs(int(number)).bit_length() > 3300 or (
            hasattr(value, "denominator") and int(value.denominator).bit_length() > 3300):
        raise SymnetError(f"{what} must be a number of at most 1,000 digits, got {shown(value)}")
    return value


def shown(value):
    """``repr(value)`` cut short for a message; a huge integer by its size (Python refuses to
    print more than 4,300 digits).

    >>> shown(10**5000), shown("x" * 80)
    ('an integer of about 5,001 digits', "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...")
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 200:
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
        return f"{value:,}"
    text = " ".join(repr(value).split())
    return text if len(text) <= 50 else text[:47] + "..."


def show_number(value, digits=6):
    """A number as text to ``digits`` significant digits, also beyond a float's range: a value
    of 2·10⁻⁴⁰⁰ is shown as such, never as 0 (nor 10⁴⁰⁰ as inf).

    >>> import sympy as sp
    >>> show_number(sp.Rational(2, 10**400)), show_number(0.25), show_number(sp.Integer(0))
    ('2.00000e-400', '0.25', '0')
    """
    import sympy as sp
    number = sp.sympify(value) if not isinstance(value, sp.Basic) else value
    if number.is_zero:
        return "0"
    if number.is_real and number.is_finite:
        size = abs(number)
        if sp.Rational(1, 10**300) < size < 10**300:
            return f"{float(number):.{digits}g}"
        return sp.sstr(sp.Float(number, digits))
    return sp.sstr(number)


def sympy_number(value, name):
    """``value`` as a SymPy number for exact work (floats to 30 digits); never parses text.

    >>> sympy_number(0.5, "x1"), sympy_number(3, "x2")
    (0.500000000000000000000000000000, 3)
    """
    import sympy as sp
    if isinstance(value, bool):
        raise SymnetError(f"the value of {name} must be a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SymnetError(f"the value of {name} must be finite, got {value!r}")
        return sp.Float(value, 30)
    if isinstance(value, (int, Fraction)):
        return sp.Rational(_not_huge(value, f"the value of {name}"))
    if isinstance(value, sp.Basic) and value.is_number and value.is_finite:
        return value
    if _is_numpy_scalar(value):
        return sympy_number(value.item(), name)
    raise SymnetError(f"the value of {name} must be a number (int, float, Fraction or a SymPy "
                      f"number), got {type(value).__name__} {value!r:.40}")


def names(value, what, example):
    """Names given as one string (comma-separated) or as a list of strings, as a list; else one
    clear error naming ``what`` and an ``example``.

    >>> names("w1, b1", "wrt", "['w1']"), names(("w5",), "wrt", "['w1']")
    (['w1', 'b1'], ['w5'])
    """
    if isinstance(value, str):
        return [n.strip() for n in value.split(",") if n.strip()]
    items = None
    if hasattr(value, "__iter__") and not isinstance(value, (bytes, dict)):
        items = list(itertools.islice(iter(value), MAX_NAMES + 1))  # a generator, once
    if items is not None and len(items) <= MAX_NAMES and all(isinstance(n, str) for n in items):
        return [n.strip() for n in items]
    raise SymnetError(f"{what} must be names, as a list of strings like {example} or one "
                      f"comma-separated string; got {shown(value)}")


def seed(value):
    """A seed: a non-negative integer.

    >>> seed(3)
    3
    """
    if isinstance(value, bool) or not (isinstance(value, int) or _is_numpy_scalar(value)) \
            or not (isinstance(value, int) or float(value).is_integer()) \
            or value < 0 or value > MAX_SEED:
        raise SymnetError(f"seed must be an integer from 0 to 2**63 - 1, got {shown(value)}")
    return int(value)


def positive(value, what, kind):
    """``value`` as a positive ``kind`` (int or float), else one clear error.

    >>> positive(2.0, "epochs", int)
    2
    """
    ok = (isinstance(value, (int, float)) or _is_numpy_scalar(value)) and not isinstance(value, bool)
    if ok and kind is int and not isinstance(value, int):
        ok = float(value).is_integer()
    if ok:
        try:
            ok = math.isfinite(value) and value > 0
        except OverflowError:  # an int too large for a float
            ok = False
    if not ok:
        raise SymnetError(f"{what} must be a positive {'integer' if kind is int else 'number'}, "
                          f"got {shown(value)}")
    return kind(value)
