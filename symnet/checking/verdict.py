"""The verdict on one answer: equal or not to ∂L/∂w, a counterexample, a diagnosis, a credit.

The answer is read by symnet's whitelist parser (plain math or LaTeX, never ``sympify``).  It is
compared with the derivation first symbolically, when both sides are small, then by exact
evaluation to 40 digits at 20 random points.  A wrong answer gets a counterexample, the mistake
engine's diagnosis (:mod:`symnet.checking.engine`) and a partial credit.

>>> from symnet.network import Network
>>> net = Network("2-2-1")
>>> check(net, "w5", "2*(yhat - y)*N1").correct
True
>>> print(check(net, "w5", "(yhat - y)*N1").diagnosis[0])
your answer is 1/2 of ∂L/∂w5: did you differentiate ½(y − ŷ)² instead of (y − ŷ)²?
"""

from dataclasses import asdict, dataclass, field
from decimal import Decimal

import sympy as sp

from ..bounds import check_expansion
from ..derive import MAX_PATHS_SHOWN
from ..errors import SymnetError, listed
from ..printing import text
from ..values import MAX_EXPONENT, MAX_TEXT, NUMBER, TYPED, exact_number, tolerance_text, within_shown
from ..values import tolerance as shown_tolerance
from . import engine
from .evaluation import (
    PRECISION,
    counterexample,
    number,
    points,
    programs,
    read_answer,
    same,
    show_point,
    symbolically_equal,
    truth,
    value,
)
from .feedback import check_markdown


@dataclass
class CheckResult:
    """The verdict on an answer: ``correct``, a ``message`` to show, a ``credit`` in [0, 1]
    (the share of the chain's paths and factors that are right, an extra factor or term of the
    answer counting as one more wrong item, see :mod:`symnet.checking.engine`: 1 only for a
    right answer; None beyond 64 paths), and for a wrong answer a
    ``counterexample`` (``{"point": {...}, "answer": float, "expected": float}``), a
    ``diagnosis`` (sentences in
    chain-rule terms) and the kinds of the ``slips`` that explain it (empty when none does).
    It is true when the answer is correct.

    >>> from symnet.network import Network
    >>> result = check(Network("2-2-1"), "w5", "2*(y - yhat)*N1")
    >>> bool(result), result.diagnosis[0][:11], result.credit
    (False, 'sign error:', 0.6667)
    """

    correct: bool
    message: str
    expected: sp.Expr
    answer: sp.Expr
    counterexample: dict = None
    diagnosis: list = field(default_factory=list)
    credit: float = 1.0
    slips: list = field(default_factory=list)

    def __bool__(self):
        return self.correct

    def __str__(self):
        return self.message

    def _repr_markdown_(self):
        return check_markdown(self)

    def as_dict(self):
        """The verdict as plain data (what ``symnet check --json`` prints)."""
        out = asdict(self)
        out["expected"], out["answer"] = text(self.expected), text(self.answer)
        return out


def check(net, wrt, answer, at=None, tolerance=1e-3, seed=0, digits=None):
    """Compare ``answer`` (text, or a SymPy expression, or a number) with ∂L/∂``wrt``.

    With ``at`` (values for the inputs, targets and parameters), the answer may be a number:
    it is correct within a relative ``tolerance`` (default 0.1%) of the exact value there, or
    with ``digits`` within half a unit of the last of that many significant digits of the
    exact value as shown (what the quiz exports accept: 0.01944 ± 0.000005).

    >>> import symnet as sn
    >>> net = sn.Network("2-2-1", activation="sigmoid")
    >>> sn.check(net, "w1", r"2(\\hat{y}-y) w_5 \\sigma(N_1)(1-\\sigma(N_1)) x_1").correct
    True
    >>> print(sn.check(net, "w1", "2*(yhat - y)*w5*sigma(N1)*x1").diagnosis[0])
    you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) belongs
    """
    require_model(net, "check")
    target = net.symbol(wrt)
    derivation = net.derive(target)
    typed = _half_unit(answer)
    answer = read_answer(net, answer, target)
    check_expansion(answer, derivation.result, net.definitions,  # before anything expands it
                    known=getattr(net, "graph", net).costs)
    name = f"∂{net.output}/∂{target}"
    if at is not None:
        return check_at(net, name, derivation, answer, at, tolerance, digits, typed)
    expected = derivation.result
    shown = f"{name} = {text(expected)}" if derivation.n_paths <= MAX_PATHS_SHOWN else name
    if symbolically_equal(net, answer, expected):
        return CheckResult(True, f"correct: {text(answer)} equals {shown}", expected, answer)
    pts = points(net, seed)
    wrong = None
    for values in pts:
        a, e = value(answer, values), truth(derivation, values)
        if not same(a, e):
            wrong = wrong or (values, a, e)
            if not same(e, sp.S.Zero):  # a point where the derivative is 0 shows less
                wrong = values, a, e
                break
    if wrong is not None:
        values, a, e = wrong
        return _wrong(net, name, derivation, answer, pts, counterexample(
            net, values, answer, derivation, a, e), a, e)
    return CheckResult(True, f"correct: {text(answer)} equals {shown} "
                             f"(equal at {len(pts)} random points to {PRECISION} digits)",
                       expected, answer)


def _wrong(net, name, derivation, answer, pts, counter, a, e):
    found = engine.diagnose(net, derivation, answer, pts)
    share = engine.credit(net, derivation, answer, found) \
        if derivation.n_paths <= engine.MAX_DIAGNOSED_PATHS \
        else None  # too many paths to weigh
    lines = [f"incorrect: your answer is not {name}.",
             f"  at {show_point(counter['point'])}:",
             f"  your answer = {number(a)}, but {name} = {number(e)}"]
    lines += [f"  diagnosis: {d}" for d in found.sentences] or [
        f"  the chain rule here: {name} = {chain_text(derivation)}"
        if derivation.n_paths <= MAX_PATHS_SHOWN else
        f"  the chain rule here is a sum over {derivation.n_paths:,} paths; "
        f"net.derive({str(derivation.wrt)!r}).delta gives it by reverse mode"]
    if share is not None:
        lines.append(f"  credit: {share:.2f} (the share of the chain's paths and factors that "
                     "are right)")
    return CheckResult(False, "\n".join(lines), derivation.result, answer, counter,
                       found.sentences, share, [slip.kind for slip in found.slips])


def chain_text(derivation):
    return " + ".join(" · ".join(text(f) for f in prod) for prod in derivation.chain)


def _percent(tolerance):
    return f"{tolerance * 100:.3g}%"


def check_at(net, name, derivation, answer, at, tolerance, digits=None, typed=0.0):
    """The verdict on ``answer`` at one point ``at``, within a relative ``tolerance`` (or as
    shown to ``digits`` significant digits)."""
    expected = derivation.result
    if not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 1 or tolerance != tolerance:
        raise SymnetError(f"tolerance must be a number from 0 up to 1, got {tolerance!r}")
    given, values = exact_point(net, at)
    a, e = value(answer, values), truth(derivation, values)
    where = show_point({str(k): float(v) for k, v in given.items()})
    if e is sp.nan:  # as `chain` says of such a point: no answer is right or wrong there
        raise SymnetError(f"{name} is undefined or not a real number at {where}; check the "
                          "answer at another point (--at, or none for random points)")
    if digits is not None:  # a rounding's own error is at most half a unit: 5e-4 relative
        tolerance, how = 5 * 10.0 ** -digits, f"± {tolerance_text(shown_tolerance(e, digits))}"
        ok = a is not sp.nan and within_shown(a, e, digits)
    else:
        how = _percent(tolerance)
        ok = a is not sp.nan and abs(a - e) <= tolerance * max(abs(e), 1e-12)
    if ok:
        return CheckResult(True, f"correct: {number(a)} matches {name} = {number(e)} within "
                                 f"{how} at {where}", expected, answer)
    counter = {"point": {str(k): float(v) for k, v in given.items()},
               "answer": None if a is sp.nan else float(a), "expected": float(e)}
    found = engine.diagnose_number(net, derivation, float(a), values, tolerance, typed) \
        if a is not sp.nan else engine.Diagnosis([], None)
    lines = [f"incorrect: your answer is {number(a)}, but {name} = {number(e)} at {where} "
             f"(tolerance {how})"] + [f"  diagnosis: {d}" for d in found.sentences]
    return CheckResult(False, "\n".join(lines), expected, answer, counter, found.sentences, 0.0,
                       [slip.kind for slip in found.slips])


def _half_unit(answer):
    """Half a unit of the last digit of a number typed in the one number syntax (``-0.67``:
    0.005), else 0: a slip's number that rounds to what the student wrote explains it (−0.67 is
    −p3 = −0.665 written to two digits, not 2·(p3 − 1) = −0.6695 by chance)."""
    text = answer.translate(TYPED).strip() if isinstance(answer, str) else ""
    if len(text) > MAX_TEXT or not NUMBER.fullmatch(text):
        return 0.0
    exponent = Decimal(text).as_tuple().exponent
    return 0.5 * 10.0 ** exponent if abs(exponent) <= MAX_EXPONENT else 0.0  # else refused


def require_model(net, what):
    """Refuse anything but a symnet Network or Circuit as the model ``what`` works on."""
    # by what checking reads of it: checking imports neither (it runs without NumPy)
    if not all(hasattr(net, a) for a in ("derive", "definitions", "leaves", "symbol", "output")):
        raise SymnetError(f"{what}() takes a symnet Network or Circuit, e.g. "
                          f"sn.Network('2-2-1') or sn.circuit('q = x + y; f = q*z'); got "
                          f"{type(net).__name__}")


def exact_point(net, at):
    """``(given, values)``: the point ``at`` as exact numbers, and every node's value there."""
    if not isinstance(at, dict):
        raise SymnetError(f"at= is a dict of every input, target and parameter's value, like "
                          f"{{'x1': 1, 'w1': 0.5, …}}; got {type(at).__name__}")
    not_leaves = [str(k) for k in at if net.symbol(k) not in net.leaves]
    if not_leaves:
        raise SymnetError(f"at= takes inputs, targets and parameters; {listed(not_leaves)} "
                          "is computed from them")
    given = {}
    for k, v in at.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise SymnetError(f"at= values must be numbers; {k} is {v!r:.40}")
        given[net.symbol(k)] = exact_number(v, f"at= value of {k}")  # finite, not huge
    missing = [str(s) for s in net.leaves if s not in given]
    if missing:
        raise SymnetError(f"at= is missing values for {listed(missing)}; a numeric check "
                          "needs every input, target and parameter")
    return given, programs(net).point(given)
