"""The mistake engine: which slip of the chain rule turns the right derivative into the answer.

Every slip that a registered detector proposes (:mod:`symnet.checking.slips`) is applied to
the true chain, alone and in pairs (up to :data:`MAX_PAIRS`); a slip is named only when the
slipped chain equals the answer at every check point to 40 digits.  When none does, the
answer's difference is described as algebra, and the diagnosis says which paths and factors
of the chain do agree with the answer.

Credit (:func:`credit`): the chain's items are its paths and its distinct local factors.  A
named slip makes wrong the items it touches (a factor replaced, dropped or doubled; a path
dropped, rerouted or added, with the factors only that path has; ∂L/∂ŷ for a constant factor or
a sign); for an answer no slip explains, a factor is right when it divides the answer (or one
of its terms) and a path when all its factors are.  Credit is the share of right items.
"""

from dataclasses import dataclass, field
from itertools import combinations

import sympy as sp

from ..errors import TooLargeError
from ..printing import text
from .evaluation import same, value
from .slips import DETECTORS, Context, Slip, constant_sentence, scale, true_chain
from .wording import Names

MAX_DIAGNOSED_PATHS = 64  # beyond this, the chain is too wide to enumerate slips on
MAX_PAIRS = 4000
_CHEAP = 1e-9  # float agreement at the first point before the 40-digit comparison


@dataclass
class Diagnosis:
    sentences: list
    credit: float
    slips: list = field(default_factory=list)


def diagnose(net, derivation, answer, points):
    """A :class:`Diagnosis` of ``answer``, wrong at some of ``points``."""
    name = f"∂{derivation.of}/∂{derivation.wrt}"
    show = Names(net, answer)
    a = [value(answer, p) for p in points]
    ratio = _constant_ratio(a[:3], [derivation.value(p).evalf(40) for p in points[:3]])
    if ratio is not None:  # constant at three points: then look at all of them
        ratio = _constant_ratio(a, [derivation.value(p).evalf(40) for p in points])
    if ratio is not None:
        sentence = constant_sentence(net, name, ratio)
        return Diagnosis([sentence], 0.0 if ratio == 0 else None,
                         [Slip("constant factor", sentence, scale(ratio), frozenset(["scale"]))])
    if derivation.n_paths > MAX_DIAGNOSED_PATHS:
        return Diagnosis([], None)
    try:
        chain = true_chain(derivation)
    except TooLargeError:
        return Diagnosis([], None)
    ctx = Context(net, derivation, chain, show)
    matcher = _Matcher(points, a)
    singles = [s for d in DETECTORS for s in d.propose(ctx)]
    slipped = {}
    for slip in singles:
        slipped[id(slip)] = slip.edit(chain)
        if matcher.matches(slipped[id(slip)]):
            return Diagnosis([slip.sentence], None, [slip])
    for s1, s2 in _pairs(singles):
        if matcher.matches(s2.edit(slipped[id(s1)])):
            return Diagnosis([f"two slips: {s1.sentence}; and {s2.sentence}"], None, [s1, s2])
    return Diagnosis(_algebra(answer, derivation.result, show) + [_agreement(ctx, answer)], None)


def _constant_ratio(a, e):
    if not all(x is not sp.nan and y is not sp.nan and y != 0 for x, y in zip(a, e)):
        return None
    ratios = [x / y for x, y in zip(a, e)]
    if all(same(r, ratios[0]) for r in ratios):
        r = ratios[0]
        if r != 0 and not sp.Rational(1, 10**300) < abs(r) < 10**15:
            return sp.Float(r, 6)  # 1e-400 times the derivative is not 0 times it
        return sp.Rational(str(float(r))).limit_denominator(1000)
    return None


def _pairs(singles):
    count = 0
    for s1, s2 in combinations(singles, 2):
        if s1.touched & s2.touched:
            continue
        yield s1, s2
        count += 1
        if count >= MAX_PAIRS:
            return


class _Matcher:
    """Compares chains with the answer: floats at the first point, then 40 digits at all."""

    def __init__(self, points, answer_values):
        self.points, self.a = points, answer_values
        self.first = float(answer_values[0]) if answer_values[0] is not sp.nan else None
        self.cache = {}

    def _at(self, expr, k, exact=True):
        values = self.cache.setdefault(expr, {})
        if k not in values:
            x = value(expr, self.points[k])
            values[k] = x, (float("nan") if x is sp.nan else float(x))
        return values[k][0 if exact else 1]

    def _chain_at(self, chain, k, exact):
        total = 0
        for path in chain.paths:
            term = 1
            for _, v in path.factors:
                x = self._at(v, k, exact)
                if x is sp.nan:
                    return sp.nan
                term *= x
            total += term
        return chain.scale * total if exact else float(chain.scale) * total

    def matches(self, chain):
        if self.first is None:
            return False
        guess = self._chain_at(chain, 0, exact=False)
        if guess != guess or abs(guess - self.first) > _CHEAP * max(1.0, abs(self.first)):
            return False
        return all(same(self.a[k], sp.Float(self._chain_at(chain, k, exact=True), 40))
                   for k in range(len(self.points)))


def _algebra(answer, expected, show):
    difference = sp.factor_terms(answer - expected)  # common factors out: one term, or a sum
    if difference == 0 or difference.is_Add:
        return []
    terms = set(sp.Add.make_args(sp.expand(expected)))
    if set(sp.Add.make_args(sp.expand(-difference))) <= terms:
        return [f"your answer misses the term {show(-difference)}"]
    return [f"your answer has an extra term {show(difference)}"]


def agreeing(ctx, answer):
    """(factors that divide the answer, paths all of whose factors do), in the net's terms."""
    formulas = {n: d for n, d in ctx.net.definitions.items() if not d.is_Add and n != ctx.of}
    plain = lambda x: x.xreplace(formulas)
    target = plain(answer)
    parts = [target] + list(sp.Add.make_args(sp.expand(target)))[:50]
    right = set()
    for factor, v in ctx.factors.items():
        if v.is_number or any(_divides(plain(v), part) for part in parts):
            right.add(factor)
    paths = [p for p in ctx.chain.paths if all(f in right for f, _ in p.factors)]
    return right, paths


def _divides(factor, expr):
    if expr == 0 or not factor.free_symbols <= expr.free_symbols:
        return False
    numerator, denominator = sp.fraction(sp.cancel(expr / factor))
    return not (denominator.free_symbols & factor.free_symbols)


def _agreement(ctx, answer):
    right, paths = agreeing(ctx, answer)
    ctx.agreeing = right, paths
    listed = lambda fs: ", ".join([f"{ctx.show(f)} = {ctx.show(ctx.factors[f])}" for f in fs[:6]]
                                  + ["…"] * (len(fs) > 6))
    good = [f for f in ctx.factors if f in right and not ctx.factors[f].is_number]
    bad = [f for f in ctx.factors if f not in right]
    out = "it is not one of the known slips"
    if good:
        out += f"; these factors agree with the chain rule: {listed(good)}"
    if bad:
        out += f"; these do not appear in your answer: {listed(bad)}"
    if len(ctx.chain.paths) > 1:
        out += f"; {len(paths)} of the {len(ctx.chain.paths)} paths agree"
    return out


def credit(net, derivation, answer, diagnosis):
    """The share of the chain's paths and factors that are right (see the module's rule)."""
    if diagnosis.credit is not None:
        return diagnosis.credit
    try:
        chain = true_chain(derivation)
    except TooLargeError:
        return 0.0
    factors = {f for p in chain.paths for f, _ in p.factors}
    total = len(factors) + len(chain.paths)
    if diagnosis.slips:
        wrong = set()
        for slip in diagnosis.slips:
            for item in slip.touched:
                wrong |= _items(item, chain)
        return round(max(0.0, 1 - len(wrong) / total), 4)
    ctx = Context(net, derivation, chain, text)
    right, paths = agreeing(ctx, answer)
    return round((len(right) + len(paths)) / total, 4)


def _items(item, chain):
    """The chain's items a touched item makes wrong (a constant: the first factor, ∂L/∂ŷ)."""
    if item == "scale":
        first = chain.paths[0].factors[0][0]
        return {first}
    return {item}
