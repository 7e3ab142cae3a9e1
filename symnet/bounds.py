"""What work would cost, estimated before it is done: the digits of the numbers an expression
can reach, the terms it has once multiplied out, and how deep it nests.

A node count does not see that ``(w1+w2+w3+w4+w5)**1000`` multiplies out into 4·10¹⁰ terms, or
that ``exp(exp(exp(1000*w5)))`` is a number no computer can hold: a power counts once.  The
cost model here follows each operation's growth instead (a power multiplies digits, a power of
a sum multiplies out by the multinomial count, an exponential raises ten to its argument's size)
so that such input is refused at once, with one line naming the limit.

>>> import sympy as sp
>>> w1, w2 = sp.symbols("w1 w2")
>>> cost((w1 + w2)**3).terms
4.0
>>> check_cost(sp.Integer(9)**1000 * sp.Integer(9)**1000)
Traceback (most recent call last):
...
symnet.errors.TooLargeError: the expression is a number of about 1,908 digits; symnet computes with at most 1,000 (a smaller exponent or fewer factors)
"""

import math
from dataclasses import dataclass

import sympy as sp

from .errors import TooLargeError

MAX_DIGITS = 1000     # of any exact number symnet computes or prints (Python stops at 4,300)
MAX_MAGNITUDE = 10**6  # digits a value may reach when evaluated numerically (mpmath holds them)
MAX_TERMS = 10_000    # of an expression multiplied out (sp.expand): about a second of SymPy's work
MAX_DEFINITIONS = 5000  # in one chain: 1,000 take about 2 s
MAX_DEPTH = 200       # nesting of an expression tree (SymPy's printers recurse)
LEAF_DIGITS = math.log10(2)  # a symbol is assumed to take values up to 2 in size (as the
                              # random points of sn.check; a chain's oracle uses [-1, 1])
TERMS_PER_SECOND = 2_000  # SymPy multiplies out about this many terms a second (N1**130 in
                         # 2-2-1: 8,646 terms in 4.5 s, 2026-12)

# functions that grow like e^x (everything else is assumed to grow at most linearly)
_EXPONENTIAL = (sp.exp, sp.sinh, sp.cosh)
_LOG10_E = math.log10(math.e)


@dataclass(frozen=True)
class Cost:
    """The estimate for one expression.

    ``magnitude``: log10 of the largest size its value can reach when every symbol is at most
    2 in size, and ``largest`` the most of any part; ``exact``: the digits of the exact
    numbers it holds once multiplied out, and ``digits`` the most of any part; ``terms``: its
    terms multiplied out, and ``most_terms`` the most of any part; ``depth``: its nesting.
    """

    magnitude: float = LEAF_DIGITS
    largest: float = LEAF_DIGITS
    exact: float = 0.0
    digits: float = 0.0
    terms: float = 1.0
    most_terms: float = 1.0
    depth: int = 0


def _number_digits(x):
    if x.is_Rational:  # math.log10 takes integers of any size
        return max(math.log10(abs(x.p)) if x.p else 0.0, math.log10(x.q))
    if x.is_Float:
        _sign, man, exp, bc = x._mpf_
        return abs(exp + bc) * math.log10(2) if man else 0.0
    return 1.0


def _combinations(n, k):
    """C(n + k - 1, k - 1): the terms of a k-term sum raised to the n-th power, multiplied out."""
    if k <= 1 or n <= 0:
        return 1.0
    log = (math.lgamma(n + k) - math.lgamma(k) - math.lgamma(n + 1)) / math.log(10)
    return math.inf if log > 300 else float(math.comb(n + k - 1, k - 1)) if log < 15 else 10.0 ** log


def _ten_to(digits):
    return math.inf if digits > 300 else 10.0 ** digits


def _grow(expr, costs):
    """(magnitude, exact digits, terms) of ``expr`` from its arguments' costs."""
    if expr.is_Add:
        spread = math.log10(len(costs))
        return (max(c.magnitude for c in costs) + spread, max(c.exact for c in costs) + spread,
                sum(c.terms for c in costs))
    if expr.is_Mul:
        return (sum(c.magnitude for c in costs), sum(c.exact for c in costs),
                math.prod(c.terms for c in costs))
    if expr.is_Pow:
        base, exponent = costs
        if expr.exp.is_Number:
            n = abs(float(expr.exp))
            terms = _combinations(int(n), int(min(base.terms, 1e9))) \
                if expr.exp.is_Integer else base.terms
            # a sum's exact digits already count its coefficients' growth (log10 of its terms)
            return n * max(base.magnitude, 0.0), n * base.exact, terms
        if expr.base == sp.E:
            return _ten_to(exponent.magnitude) * _LOG10_E, 0.0, 1.0
        return _ten_to(exponent.magnitude) * max(base.magnitude, 0.0), 0.0, base.terms
    if isinstance(expr, _EXPONENTIAL):
        return _ten_to(costs[0].magnitude) * _LOG10_E, 0.0, 1.0
    if isinstance(expr, sp.log):
        return math.log10(max(costs[0].magnitude, 1.0) * math.log(10) + 1), 0.0, 1.0
    # any other function: assumed to grow at most as fast as its largest argument
    return max((c.magnitude for c in costs), default=0.0), 0.0, 1.0


def _node(expr, costs):
    magnitude, exact, terms = _grow(expr, costs)
    if all(c.magnitude == c.exact for c in costs if c.depth or c.exact) and not expr.free_symbols:
        exact = magnitude  # a constant: SymPy computes it exactly
    return Cost(magnitude, max(magnitude, *(c.largest for c in costs)),
                exact, max(exact, *(c.digits for c in costs)),
                terms, max(terms, *(c.most_terms for c in costs)),
                1 + max(c.depth for c in costs))


def cost(expr, known=None):
    """The :class:`Cost` of a SymPy expression; ``known`` maps symbols to the cost of what they
    stand for (a definition's name carries its definition's size into later definitions).

    The walk is iterative: an expression of any depth is measured without recursion.

    >>> x = sp.Symbol("x")
    >>> c = cost(sp.exp(1000 * x))
    >>> round(c.magnitude), round(cost(sp.Integer(9)**1000).digits)
    (869, 954)
    """
    known = known or {}
    done = {}
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in done:
            continue
        if node.is_Symbol:
            done[node] = known.get(node, Cost())
        elif node.is_Number:
            digits = _number_digits(node)
            done[node] = Cost(digits, digits, digits, digits, 1.0, 1.0, 0)
        elif not node.args:  # pi, E, oo, zoo, nan and other constants
            done[node] = Cost(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0)
        elif ready:
            done[node] = _node(node, [done[a] for a in node.args])
        else:
            stack.append((node, True))
            stack.extend((a, False) for a in node.args if a not in done)
    return done[expr]


def value_cost(value):
    """The :class:`Cost` of a number already computed (a SymPy Rational or Float): its size,
    log10 |value| (at least 0), and, if exact, its digits (a float's digits do not grow).

    >>> value_cost(sp.Rational(1, 10**300)).digits, value_cost(sp.Float("1e-300")).magnitude
    (300.0, 0.0)
    """
    if value.is_Rational:
        size = (abs(value.p).bit_length() - value.q.bit_length()) * math.log10(2)
        exact = _number_digits(value)
    else:
        _sign, man, exp, bits = value._mpf_
        size, exact = ((exp + bits) * math.log10(2) if man else 0.0), 0.0
    size = max(size, 0.0)
    return Cost(size, size, exact, exact, 1.0, 1.0, 0)


def duration(seconds):
    """A rough duration in words: ``duration(90)`` → ``'about 2 minutes'``.

    >>> duration(90), duration(4e6)
    ('about 2 minutes', 'about 46 days')
    """
    for unit, size in (("year", 3.15e7), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds / size
            text = f"{n:.1e}" if n >= 1e6 else f"{round(n):,}"
            return f"about {text} {unit}{'s' * (text != '1')}"
    return f"about {max(round(seconds), 1)} second{'s' * (round(seconds) > 1)}"


def _size(digits):
    if digits < 1e15:
        return f"about {digits:,.0f}"
    return "more than 10¹⁵" if math.isfinite(digits) else "more than 10³⁰⁰"


def _shown(expr):
    # a number of more than 4,300 digits cannot even be printed (Python's int → str limit)
    small = all(_number_digits(n) < MAX_DIGITS for n in expr.atoms(sp.Number))
    text = sp.sstr(expr, order="none") if small else "the expression"
    return text if len(text) <= 60 else text[:57] + "..."


def check_cost(expr, what=None, known=None, terms=True, magnitude=True):
    """``expr``'s :class:`Cost`, or a :class:`TooLargeError` naming the limit it would break:
    digits (:data:`MAX_DIGITS`), terms multiplied out (:data:`MAX_TERMS`, unless ``terms`` is
    false), depth (:data:`MAX_DEPTH`) and, unless ``magnitude`` is false, the size its value
    can reach when evaluated (:data:`MAX_MAGNITUDE`).

    >>> w = sp.symbols("w1:6")
    >>> check_cost(sp.Add(*w)**1000)
    Traceback (most recent call last):
    ...
    symnet.errors.TooLargeError: (w1 + w2 + w3 + w4 + w5)**1000 multiplied out has about 4.2e+10 terms (about 244 days of work); symnet accepts at most 10,000 (a lower power, or fewer terms in the sum)
    """
    c = cost(expr, known)
    if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):  # 0*log(0), 1/0 through a power, ...
        raise TooLargeError(f"{what or _shown(expr)} is undefined or infinite (it divides by "
                            "zero or takes log(0)); write it so that every part is finite")
    if c.depth > MAX_DEPTH:
        raise TooLargeError(f"{what or 'the expression'} is nested {c.depth} levels deep; "
                            f"symnet accepts at most {MAX_DEPTH}")
    if terms and c.most_terms > MAX_TERMS:
        work = duration(c.most_terms / TERMS_PER_SECOND) if math.isfinite(c.most_terms) \
            else "forever"
        raise TooLargeError(f"{what or _shown(expr)} multiplied out has about "
                            f"{c.most_terms:.2g} terms ({work} of work); symnet accepts at most "
                            f"{MAX_TERMS:,} (a lower power, or fewer terms in the sum)")
    if c.digits > MAX_DIGITS:
        raise TooLargeError(f"{what or _shown(expr)} is a number of {_size(c.digits)} "
                            f"digits; symnet computes with at most {MAX_DIGITS:,} (a smaller "
                            "exponent or fewer factors)")
    if magnitude and c.largest > MAX_MAGNITUDE:
        raise TooLargeError(f"{what or _shown(expr)} can reach a number of {_size(c.largest)} "
                            f"digits (for values up to 2 in size); symnet evaluates numbers of "
                            f"at most {MAX_MAGNITUDE:,} digits (an exp of a huge number is beyond any "
                            "computer)")
    return c


def check_count(definitions):
    """Refuse more than :data:`MAX_DEFINITIONS` definitions (blank ones do not count)."""
    n = sum(1 for d in definitions if not isinstance(d, str) or d.strip())
    if n > MAX_DEFINITIONS:
        raise TooLargeError(f"{n:,} definitions given; symnet derives chains of at most "
                            f"{MAX_DEFINITIONS:,}")


def check_definitions(definitions):
    """Refuse definitions whose values, once each name is replaced by its definition, would be
    too large: ``a = 9**1000; b = a**1000`` makes ``b`` a number of 954,000 digits.

    Each definition's own expansion is bounded in terms; the digits carry through the names.

    >>> a, b, x = sp.symbols("a b x")
    >>> check_definitions({a: x**2, b: a**3})
    >>> check_definitions({a: sp.Integer(9)**900, b: a**1000})
    Traceback (most recent call last):
    ...
    symnet.errors.TooLargeError: b = a**1000 is a number of about 858,818 digits; symnet computes with at most 1,000 (a smaller exponent or fewer factors)
    """
    check_count(definitions)
    known = {}
    for name, expr in definitions.items():
        # a chain is derived symbolically, never evaluated: exp(exp(exp(x))) through names is
        # fine there, but exact numbers are computed (9**1000**1000 would be)
        c = check_cost(expr, f"{name} = {_shown(expr)}", known, magnitude=False)
        # later definitions see the name's size, but not its terms: they are not multiplied out
        known[name] = Cost(c.magnitude, c.largest, c.exact, c.digits, 1.0, 1.0, 0)


MAX_SECONDS = 60  # work symnet starts on a user's request; beyond, it refuses and says how long
# measured on one core (2026-12): a 1-6666-1 network's derivation is linear in its parameters
# (2 s for 20,000); a deep one is quadratic in its layers (δ products grow one factor a layer:
# 1,000 layers take 2.3 s linear, 24 s with sigmoids)
_SECONDS_PER_PARAM = 1.5e-4
_SECONDS_PER_LAYER2 = {False: 3e-6, True: 3e-5}


def derivation_seconds(n_params, n_layers, nonlinear):
    """A rough estimate of the seconds a network's derivation (derive, check, compile) takes.

    >>> derivation_seconds(20_000, 3, False) < 5 < derivation_seconds(4_000, 2_000, True)
    True
    """
    return _SECONDS_PER_PARAM * n_params + _SECONDS_PER_LAYER2[bool(nonlinear)] * n_layers**2


def check_derivation_time(n_params, n_layers, nonlinear, what="the network"):
    """Refuse, before the work, a network whose derivation would take over :data:`MAX_SECONDS`.

    >>> check_derivation_time(4_000, 2_000, True, "'1-1-…-1'")
    Traceback (most recent call last):
    ...
    symnet.errors.TooLargeError: deriving '1-1-…-1' would take about 2 minutes (2,000 layers); symnet starts work of at most a minute: use fewer layers
    """
    seconds = derivation_seconds(n_params, n_layers, nonlinear)
    if seconds > MAX_SECONDS:
        raise TooLargeError(f"deriving {what} would take {duration(seconds)} ({n_layers:,} "
                            f"layers); symnet starts work of at most a minute: use fewer layers")


def check_expansion(expr, reference, definitions, what="your answer", known=None):
    """Refuse ``expr`` when, written out in the leaves of ``definitions`` (a network's inputs,
    targets and parameters), it would have far more terms than ``reference`` (the true
    derivative) has: at most :data:`MAX_TERMS`, or ten times the reference's.

    >>> x, a = sp.symbols("x a")
    >>> check_expansion(a**2, a, {a: x + 1})
    >>> check_expansion(a**300, a, {a: sp.Add(*sp.symbols("x1:4"))})
    Traceback (most recent call last):
    ...
    symnet.errors.TooLargeError: your answer written out in the inputs and parameters has about 4.5e+04 terms (about 23 seconds of work to compare); symnet compares answers of at most 10,000 (fewer or lower powers of the named quantities)
    """
    check_cost(expr, what)
    if known is None:  # the definitions' costs (a graph keeps them: Graph.costs)
        known = {}
        for name, definition in definitions.items():
            known[name] = cost(definition, known)
    terms = cost(expr, known).most_terms
    limit = max(MAX_TERMS, 10 * cost(reference, known).most_terms)
    if terms > limit:
        work = duration(terms / TERMS_PER_SECOND) if math.isfinite(terms) else "forever"
        raise TooLargeError(f"{what} written out in the inputs and parameters has about "
                            f"{terms:.2g} terms ({work} of work to compare); symnet compares "
                            f"answers of at most {limit:,.0f} (fewer or lower powers of the "
                            "named quantities)")


SECONDS_PER_DERIVATION_SHOWN = 5e-3  # derive 1-2000-1 prints 6,001 derivations in 30 s


def check_seconds(seconds, what, how, limit=MAX_SECONDS):
    """Refuse work estimated at more than ``limit`` seconds (:data:`MAX_SECONDS`), saying how
    long and ``how`` to do less.

    >>> check_seconds(600, "printing 120,000 derivations", "name some with --wrt")
    Traceback (most recent call last):
    ...
    symnet.errors.TooLargeError: printing 120,000 derivations would take about 10 minutes; symnet starts work of at most a minute: name some with --wrt
    """
    if seconds > limit:
        most = "a minute" if limit == MAX_SECONDS else duration(limit).removeprefix("about ")
        raise TooLargeError(f"{what} would take {duration(seconds)}; symnet starts work of at "
                            f"most {most}: {how}")


# measured on one core (2026-12) for a wrong answer, the costliest kind (its slips are searched):
# its values at the check points grow with the graph (2-16-16-1's ∂L/∂b, 0.9 s: 2·10⁻³ s a
# node), the slip search with the factors of the chain's paths, each slip evaluated on them all,
# as if at most 64 slips a factor (2-16-16-1's ∂L/∂w1: 16 paths of 6 factors, 3.4 s; 2-8-8-1's,
# 0.9 s; deep narrow networks are overestimated: 2-3-3-3-3-1's, 1.4 s for 5.4)
_SECONDS_PER_NODE = 2e-3
_SECONDS_PER_FACTOR_SLIP = 3.5e-4
MAX_GRADE_SECONDS = 600  # a class's answers are graded in one run of at most ten minutes


def answer_seconds(nodes, factors):
    """A rough estimate of the seconds checking one wrong answer takes, on a graph of ``nodes``
    nodes, for a derivative whose paths hold ``factors`` local factors in all (0: its slips are
    not searched).

    >>> round(answer_seconds(406, 96), 1)  # 2-16-16-1, ∂L/∂w1
    3.0
    """
    return _SECONDS_PER_NODE * nodes + _SECONDS_PER_FACTOR_SLIP * factors * min(factors, 64)
