"""Check a gradient derived by hand: safe parsing, equivalence, and a diagnosis in chain-rule terms.

The answer is read by symnet's whitelist parser (plain math or LaTeX, never ``sympify``).  It is
compared with the derivation first symbolically, when both sides are small, then by exact
evaluation to 40 digits at 20 random points.  A wrong answer gets a counterexample and, where
one slip explains it, a diagnosis: a missing path, a sign error, a constant factor, the
activation where its derivative belongs, a left-out factor, a swapped weight, an extra term.

>>> from symnet.network import Network
>>> net = Network("2-2-1")
>>> check(net, "w5", "2*(yhat - y)*N1").correct
True
>>> print(check(net, "w5", "(yhat - y)*N1").diagnosis[0])
your answer is 1/2 of ∂L/∂w5: did you differentiate ½(y − ŷ)² instead of (y − ŷ)²?
"""

import random
from dataclasses import dataclass, field
from itertools import combinations

import sympy as sp

from .derive import MAX_PATHS_SHOWN
from .errors import SymnetError, TooLargeError
from .parse import parse_answer, spellings
from .printing import text

N_POINTS = 20
PRECISION = 40
_SAME = sp.Float(10) ** -25  # relative agreement that counts as equal at 40 digits
_SYMBOLIC_LIMIT = 300  # expanded sizes up to which the symbolic comparison is tried
MAX_DIAGNOSED_PATHS = 64  # beyond this, candidates would be as slow as the net is wide


@dataclass
class CheckResult:
    """The verdict on an answer: ``correct``, a ``message`` to show, and for a wrong answer a
    ``counterexample`` (``{"point": {...}, "answer": float, "expected": float}``) and a
    ``diagnosis`` (sentences in chain-rule terms).  It is true when the answer is correct.

    >>> from symnet.network import Network
    >>> result = check(Network("2-2-1"), "w5", "2*(y - yhat)*N1")
    >>> bool(result), result.diagnosis[0][:11]
    (False, 'sign error:')
    """

    correct: bool
    message: str
    expected: sp.Expr
    answer: sp.Expr
    counterexample: dict = None
    diagnosis: list = field(default_factory=list)

    def __bool__(self):
        return self.correct

    def __str__(self):
        return self.message


def check(net, wrt, answer, at=None, tolerance=1e-3, seed=0):
    """Compare ``answer`` (text, or a SymPy expression, or a number) with ∂L/∂``wrt``.

    With ``at`` (values for the inputs, targets and parameters), the answer may be a number:
    it is correct within a relative ``tolerance`` (default 0.1%) of the exact value there.

    >>> from symnet.network import Network
    >>> net = Network("2-2-1", activation="sigmoid")
    >>> check(net, "w1", r"2(\\hat{y}-y) w_5 \\sigma(N_1)(1-\\sigma(N_1)) x_1").correct
    True
    >>> print(check(net, "w1", "2*(yhat - y)*w5*sigma(N1)*x1").diagnosis[0])
    you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) belongs
    """
    target = net.symbol(wrt)
    derivation = net.derive(target)
    expected = derivation.result
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = sp.Float(answer) if isinstance(answer, float) else sp.Integer(answer)
    elif not isinstance(answer, sp.Basic):
        answer = parse_answer(answer, spellings(net.symbols.values()))
    name = f"∂{net.output}/∂{target}"
    if at is not None:
        return _check_at(net, name, derivation, answer, at, tolerance)
    shown = f"{name} = {text(expected)}" if derivation.n_paths <= MAX_PATHS_SHOWN else name
    if _symbolically_equal(net, answer, expected):
        return CheckResult(True, f"correct: {text(answer)} equals {shown}", expected, answer)
    points = _points(net, seed)
    for values in points:
        a, e = _value(answer, values), _evalf(derivation.value(values))
        if not _same(a, e):
            counter = _counterexample(net, values, answer, derivation, a, e)
            diagnosis = _diagnose(net, derivation, answer, points[:6]) \
                if derivation.n_paths <= MAX_DIAGNOSED_PATHS else []
            lines = [f"incorrect: your answer is not {name}.",
                     f"  at {_show_point(counter['point'])}:",
                     f"  your answer = {_num(a)}, but {name} = {_num(e)}"]
            lines += [f"  diagnosis: {d}" for d in diagnosis] or [
                f"  the chain rule here: {name} = {_chain_text(derivation)}"
                if derivation.n_paths <= MAX_PATHS_SHOWN else
                f"  the chain rule here is a sum over {derivation.n_paths:,} paths; "
                f"net.derive({str(derivation.wrt)!r}).delta gives it by reverse mode"]
            return CheckResult(False, "\n".join(lines), expected, answer, counter, diagnosis)
    return CheckResult(True, f"correct: {text(answer)} equals {shown} "
                             f"(equal at {len(points)} random points to {PRECISION} digits)",
                       expected, answer)


# -------------------------------------------------------------------------- deciding

def _symbolically_equal(net, a, b):
    try:
        a_full, b_full = net.expand(a, _SYMBOLIC_LIMIT), net.expand(b, _SYMBOLIC_LIMIT)
    except TooLargeError:
        return False
    return sp.expand(a_full - b_full) == 0


def _points(net, seed):
    """Random exact points (inputs, targets and parameters), with every node's value to 40 digits."""
    rng = random.Random(seed)
    points = []
    for _ in range(N_POINTS):
        values = {}
        for leaf in net.leaves:
            if leaf.name.startswith("y") and net.loss.name in ("bce", "cross_entropy"):
                values[leaf] = sp.Rational(rng.randint(1, 9), 10)
            else:
                values[leaf] = sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 16), 8)
        points.append(net.forward(values, precision=PRECISION))
    return points


def _value(expr, values):
    return _evalf(expr.xreplace(values))


def _evalf(number):
    v = number.evalf(PRECISION)  # a SymPy number from the δ program or xreplace
    return v if v.is_real and v.is_finite else sp.nan


def _same(a, b):
    if a is sp.nan or b is sp.nan:
        return a is b
    return abs(a - b) <= _SAME * max(1, abs(b))


def _num(v):
    return "undefined" if v is sp.nan else f"{float(v):.6g}"


def _counterexample(net, values, answer, derivation, a, e):
    involved = answer.free_symbols | derivation.nodes
    used = _ancestry(net, involved)
    point = {str(s): float(values[s]) for s in net.leaves if s in used}
    point.update({str(s): float(values[s]) for s in net.definitions
                  if s in involved and s != derivation.of})
    return {"point": point, "answer": None if a is sp.nan else float(a),
            "expected": None if e is sp.nan else float(e)}


def _ancestry(net, symbols):
    seen, stack = set(), list(symbols)
    while stack:
        s = stack.pop()
        if s not in seen:
            seen.add(s)
            stack.extend(net.parents.get(s, ()))
    return seen


def _show_point(point):
    return ", ".join(f"{k} = {v:.6g}" for k, v in point.items())


def _percent(tolerance):
    return f"{tolerance * 100:.3g}%"


def _chain_text(derivation):
    return " + ".join(" · ".join(text(f) for f in prod) for prod in derivation.chain)


def _check_at(net, name, derivation, answer, at, tolerance):
    expected = derivation.result
    if not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 1 or tolerance != tolerance:
        raise SymnetError(f"tolerance must be a number from 0 up to 1, got {tolerance!r}")
    not_leaves = [str(k) for k in at if net.symbol(k) not in net.leaves]
    if not_leaves:
        raise SymnetError(f"at= takes inputs, targets and parameters; {', '.join(not_leaves)} "
                          "is computed from them")
    given = {}
    for k, v in at.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise SymnetError(f"at= values must be numbers; {k} is {v!r:.40}")
        given[net.symbol(k)] = sp.Rational(str(v))
    missing = [str(s) for s in net.leaves if s not in given]
    if missing:
        raise SymnetError(f"at= is missing values for {', '.join(missing)}; a numeric check "
                          "needs every input, target and parameter")
    values = net.forward(given, precision=PRECISION)
    a, e = _value(answer, values), _evalf(derivation.value(values))
    ok = a is not sp.nan and e is not sp.nan and abs(a - e) <= tolerance * max(abs(e), 1e-12)
    where = _show_point({str(k): float(v) for k, v in given.items()})
    if ok:
        return CheckResult(True, f"correct: {_num(a)} matches {name} = {_num(e)} within "
                                 f"{_percent(tolerance)} at {where}", expected, answer)
    counter = {"point": {str(k): float(v) for k, v in given.items()},
               "answer": None if a is sp.nan else float(a), "expected": None if e is sp.nan else float(e)}
    return CheckResult(False, f"incorrect: your answer is {_num(a)}, but {name} = {_num(e)} at "
                              f"{where} (tolerance {_percent(tolerance)})", expected, answer, counter)


# ------------------------------------------------------------------------- diagnosing

def _diagnose(net, derivation, answer, points):
    """Sentences naming the chain-rule slip that turns the right derivative into ``answer``."""
    name = f"∂{derivation.of}/∂{derivation.wrt}"
    a = [_value(answer, p) for p in points]

    def matches(candidate):
        return all(_same(x, _value(candidate, p)) for x, p in zip(a, points))

    expected = derivation.result
    e = [_value(expected, p) for p in points]
    if all(x is not sp.nan and y is not sp.nan and y != 0 for x, y in zip(a, e)):
        ratios = [x / y for x, y in zip(a, e)]
        if all(_same(r, ratios[0]) for r in ratios):
            return [_factor_message(net, name, sp.Rational(str(float(ratios[0]))).limit_denominator(1000))]
    found = []
    try:
        paths, chain = derivation.paths, derivation.chain
    except TooLargeError:
        paths, chain = [], []
    terms = [sp.Mul(*[derivation.factors[f] for f in prod]) for prod in chain]
    if 2 <= len(paths) <= 10:
        term_values = [[_value(t, p) for p in points] for t in terms]
        for size in range(len(paths) - 1, 0, -1):
            for keep in combinations(range(len(paths)), size):
                if all(_same(x, sum(term_values[i][k] for i in keep)) for k, x in enumerate(a)):
                    found.append(_path_message(derivation, keep))
                    break
            if found:
                return found
    for factor, value in derivation.factors.items():
        node = factor.num
        definition = net.definitions.get(node)
        if value == 1 or definition is None:
            continue
        replaced = [sp.Mul(*[(definition if f == factor else derivation.factors[f]) for f in prod])
                    for prod in chain]
        if not definition.is_Add and node != derivation.of and matches(sp.Add(*replaced)):
            found.append(f"you used {text(definition)} where its derivative "
                         f"{text(factor)} = {text(value)} belongs")
        dropped = [sp.Mul(*[derivation.factors[f] for f in prod if f != factor]) for prod in chain]
        if matches(sp.Add(*dropped)):
            found.append(f"you left out the factor {text(factor)} = {text(value)}")
    if found:
        return found
    for old, new in _swaps(net, expected):
        if matches(expected.xreplace({old: new})):
            return [f"you used {new} where {old} belongs"]
    difference = sp.factor_terms(answer - expected)  # common factors out: one term, or a sum
    if difference != 0 and not difference.is_Add:
        terms = set(sp.Add.make_args(sp.expand(expected)))
        if set(sp.Add.make_args(sp.expand(-difference))) <= terms:
            return [f"your answer misses the term {text(-difference)}"]
        return [f"your answer has an extra term {text(difference)}"]
    return []


def _factor_message(net, name, c):
    if c == 0:
        return f"your answer is 0, but {name} is not"
    if c == -1 and net.loss.name in ("mse", "half_sse"):
        return (f"sign error: your answer is −{name}; check the sign of ∂L/∂ŷ "
                "(the derivative of (y − ŷ)² with respect to ŷ is −2(y − ŷ) = 2(ŷ − y))")
    if c == -1:
        return f"sign error: your answer is −{name}"
    if c == sp.Rational(1, 2) and net.loss.name == "mse":
        return f"your answer is 1/2 of {name}: did you differentiate ½(y − ŷ)² instead of (y − ŷ)²?"
    if c == 2 and net.loss.name == "half_sse":
        return f"your answer is twice {name}: did you differentiate (y − ŷ)² instead of ½(y − ŷ)²?"
    return f"your answer is {c} times {name}: a constant factor is off"


def _path_message(derivation, keep):
    paths = derivation.paths
    inner = lambda p: [s for s in p[1:-1]]
    kept = {s for i in keep for s in inner(paths[i])}
    missed = [i for i in range(len(paths)) if i not in keep]
    through = lambda i, other: next((s for s in reversed(inner(paths[i])) if s not in other),
                                    inner(paths[i])[-1] if inner(paths[i]) else paths[i][-1])
    missed_nodes = {s for i in missed for s in inner(paths[i])}
    has = sorted({str(through(i, missed_nodes)) for i in keep})
    misses = sorted({str(through(i, kept)) for i in missed})
    return (f"your answer has the path{'s' * (len(has) > 1)} through {', '.join(has)} but misses "
            f"the path{'s' * (len(misses) > 1)} through {', '.join(misses)}")


def _swaps(net, expected):
    """Pairs (symbol in the derivative, another symbol of the same kind) to try, at most 400."""
    kind = lambda s: s.name.rstrip("0123456789")
    pool = {}
    for s in net.symbols.values():
        pool.setdefault(kind(s), []).append(s)
    pairs = [(old, new) for old in sorted(expected.free_symbols, key=sp.default_sort_key)
             for new in pool.get(kind(old), []) if new != old]
    return pairs[:400]
