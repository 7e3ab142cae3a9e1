"""The mistake engine: which slip of the chain rule turns the right derivative into the answer.

Every slip that a registered detector proposes (:mod:`symnet.checking.slips`) is applied to
the true chain, alone and in pairs (up to :data:`MAX_PAIRS`); a slip is named only when the
slipped chain equals the answer at every check point to 40 digits.  When none does, the
answer's difference is described as algebra, and the diagnosis says which paths and factors
of the chain do agree with the answer.

When no slip explains the answer, the algebra is described in factors when the answer is the
derivative times extra factors, or the derivative with factors missing ("your answer has an
extra factor x2"), in terms when the difference is a term the answer adds or leaves out ("an
extra term 1"), and as factors replaced otherwise, when some factor is shared.  An answer that
applies an activation the network's layer does not have (σ'(N1) in a linear net) gets a hint
naming the option (:mod:`symnet.checking.hints`).

Credit (:func:`credit`): the chain's items are its paths and its distinct local factors.  A
named slip makes wrong the items it touches (a factor replaced, dropped or doubled; a path
dropped, rerouted or added, with the factors only that path has; ∂L/∂ŷ for a constant factor or
a sign); for an answer no slip explains, a factor is right when it divides the answer (or one
of its terms) and a path when all its factors are; each factor or term the answer has on top
of the derivative (an extra factor, beyond those it replaces; an extra term added to all of the
derivative's) is one more item, a wrong one.  Credit is the share of right items, and a wrong
answer always scores below 1 (one extra item at least): ``2(ŷ − y)·w5·x1·x2`` for ∂L/∂w1 in
2-2-1 has its 3 factors and its path right and one extra factor, 4/5.
"""

import functools
import math
from dataclasses import dataclass, field
from itertools import combinations

import sympy as sp

from ..errors import TooLargeError
from ..paths import Chain
from ..printing import text
from . import arithmetic
from .context import Context
from .evaluation import memo, same, truth, value
from .hints import activation_hints
from .slips import DETECTORS, Slip, scale
from .wording import Names, and_list, constant_sentence

MAX_DIAGNOSED_PATHS = 64  # beyond this, the chain is too wide to enumerate slips on
MAX_PAIRS = 4000
_SMALL_FACTOR = 12  # operations in a factor the algebra names (a longer one is no help)
_CANCELLED = 200  # operations in a derivative up to which a constant factor is worked out
_SHORT_SUM = 12  # sums up to this many terms are searched for a factor with one term left out
_CHEAP = 1e-9  # float agreement at the first point before the 40-digit comparison


@dataclass
class Diagnosis:
    sentences: list
    credit: float
    slips: list = field(default_factory=list)
    extra: int = 0  # extra factors and terms the algebra found (each a wrong item of credit)


def diagnose(net, derivation, answer, points):
    """A :class:`Diagnosis` of ``answer``, wrong at some of ``points``."""
    name = f"∂{derivation.of}/∂{derivation.wrt}"
    show = Names(net, answer)
    a = [value(answer, p) for p in points]
    matcher = _Matcher(points, a)
    ctx = _context(net, derivation, show)
    for slip, edited in _proposed(ctx, layer=True) if ctx is not None else ():
        if matcher.matches(edited):  # a layer's own slip before a constant: see slips.detector
            return Diagnosis([slip.sentence], None, [slip])
    ratio = _constant_ratio(a[:3], [truth(derivation, p) for p in points[:3]])
    if ratio is not None:  # constant at three points: then look at all of them
        ratio = _constant_ratio(a, [truth(derivation, p) for p in points])
    if ratio is not None:
        sentence = constant_sentence(getattr(net, "loss", None), name, ratio)
        return Diagnosis([sentence], 0.0 if ratio == 0 else None,
                         [Slip("constant factor", sentence, scale(ratio), frozenset(["scale"]))])
    if ctx is None:
        return Diagnosis([], None)
    proposed = _proposed(ctx)
    for slip, edited in proposed:
        if matcher.matches(edited):
            return Diagnosis([slip.sentence], None, [slip])
    singles = [slip for slip, _ in proposed]
    slipped = {id(slip): edited for slip, edited in proposed}
    for s1, s2 in _pairs(singles):
        if matcher.matches(s2.edit(slipped[id(s1)])):
            return Diagnosis([f"two slips: {s1.sentence}; and {s2.sentence}"], None, [s1, s2])
    algebra, extra = _algebra(net, answer, derivation.result, show)
    return Diagnosis(activation_hints(net, answer) + algebra + [_agreement(ctx, answer)], None,
                     extra=extra)


def _context(net, derivation, show):
    """What the detectors read, or None where the paths are too many to diagnose."""
    if derivation.n_paths > MAX_DIAGNOSED_PATHS:
        return None
    try:
        return Context(net, derivation, derivation.chain_value, show)
    except TooLargeError:
        return None


def _proposed(ctx, layer=False):
    """``[(slip, slipped chain)]`` of every detector (with ``layer``, of the layers' own), in
    the catalogue's order: made once per net, derivation and way of naming (a class's answers
    share them)."""
    key = ("slips", layer, ctx.of, ctx.wrt, ctx.show.key, tuple(DETECTORS))
    return memo(ctx.net, key, lambda: [(slip, slip.edit(ctx.chain)) for d in DETECTORS
                                       if d.layer or not layer for slip in d.propose(ctx)])


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
        self.cache, self.floats, self.products = {}, {}, {}

    def _at(self, expr, k, exact=True):
        values = self.cache.setdefault(expr, {})
        if k not in values:
            x = value(expr, self.points[k])
            values[k] = x, (float("nan") if x is sp.nan else float(x))
        return values[k][0 if exact else 1]

    def _chain_at(self, chain, k):
        try:  # the scale apart: Chain.evaluate takes it as a float for numbers not SymPy's
            total = Chain(chain.paths).evaluate(lambda v: _defined(self._at(v, k)))
        except _Undefined:
            return sp.nan
        return total * arithmetic.mpf(chain.scale)

    def _guess(self, chain):
        """The chain at the first point in floats (nan where a factor is undefined): the
        cheap test every slipped chain takes, so one loop with a dict of floats."""
        floats, products, total = self.floats, self.products, 0.0
        for path in chain.paths:
            known = products.get(id(path))  # slipped chains share the paths they leave alone
            if known is not None and known[0] is path:
                total += known[1]
                continue
            term = 1.0
            for _, v in path.factors:
                x = floats.get(v)
                if x is None:
                    x = floats[v] = self._at(v, 0, exact=False)
                term *= x
            products[id(path)] = path, term  # the path kept: its id is not reused meanwhile
            total += term
        return total * float(chain.scale)

    def matches(self, chain):
        if self.first is None:
            return False
        guess = self._guess(chain)
        if guess != guess or abs(guess - self.first) > _CHEAP * max(1.0, abs(self.first)):
            return False
        return all(same(self.a[k], self._chain_at(chain, k))
                   for k in range(len(self.points)))


class _Undefined(Exception):
    """A factor has no value at the point (nan): so has the chain."""


def _defined(x):
    if x is sp.nan or x != x:
        raise _Undefined
    return x


def slips_at(net, derivation, values):
    """``[(slip, number)]``: every single slip of the catalogue whose chain has a value at the
    point ``values`` (a forward pass's, exact or to some digits), in the catalogue's order, as
    a float — the numbers a quiz offers as wrong answers, and that grading traces back.

    >>> from symnet.network import Network
    >>> net = Network("2-2-1")
    >>> at = net.forward(dict(x1=1, x2=2, y=1, w1=1, w2=1, w3=1, w4=1, w5=2, w6=1,
    ...                       b1=0, b2=0, b3=0))
    >>> [(s.kind, x) for s, x in slips_at(net, net.derive("w5"), at)][2:5]
    [('constant factor', -48.0), ('dropped factor', 3.0), ('dropped factor', 16.0)]
    """
    if derivation.n_paths > MAX_DIAGNOSED_PATHS:
        return []
    leaves = tuple(values[s] for s in net.leaves)
    key = ("slips at", derivation.of, derivation.wrt, leaves, tuple(DETECTORS))
    return memo(net, key, lambda: _slips_at(net, derivation, values))


def _slips_at(net, derivation, values):
    chain = derivation.chain_value
    ctx = Context(net, derivation, chain, Names(net, sp.S.Zero))
    floats = {}

    def value_of(expr):
        if expr not in floats:  # floats are all a number's tolerance needs: 15 digits, not 40
            x = expr.xreplace(values).evalf(15)
            floats[expr] = float(x) if x.is_real and x.is_finite else _defined(sp.nan)
        return floats[expr]

    out = []
    layer = {d.kind for d in DETECTORS if d.layer}
    # a constant factor first, as diagnose tries it first: −g is "sign error" everywhere; but
    # a layer's own slip before it (see slips.detector)
    for slip, edited in sorted(_proposed(ctx), key=lambda s: (s[0].kind not in layer,
                                                             s[0].kind != "constant factor")):
        try:
            number = float(edited.evaluate(value_of))
        except _Undefined:
            continue
        if math.isfinite(number):  # e**1000 is past floats: no number a student types
            out.append((slip, number))
    return out


def diagnose_number(net, derivation, number, values, tolerance, typed=0.0):
    """A :class:`Diagnosis` of a wrong ``number`` at the point ``values``: the slip whose
    number is exactly it, else the first slip of the catalogue whose number is within the
    relative ``tolerance`` of it, or that rounds to it as typed (``typed``: half a unit of the
    typed number's last digit), else none.

    An exact match comes first: 1 for ∂e^x/∂x at x = 1 is e^x left out, not ½·e = 1.36
    rounded to one digit.
    """
    near = [(slip, x) for slip, x in slips_at(net, derivation, values)
            if abs(number - x) <= max(tolerance * max(abs(x), 1e-12), typed)]
    exact = [slip for slip, x in near if abs(number - x) <= _EXACT * max(abs(x), 1e-300)]
    found = exact[:1] or [slip for slip, _ in near[:1]]
    return Diagnosis([s.sentence for s in found], None, found)


_EXACT = 1e-12  # relative: a typed number equal to a slip's as floats hold it


def _algebra(net, answer, expected, show):
    """(sentences, count of extra factors and terms) describing ``answer − expected``."""
    difference = sp.factor_terms(answer - expected)  # common factors out: one term, or a sum
    if difference == 0:
        return [], 0
    plain = _plain(net)
    change = _factor_change(plain(answer), plain(expected))
    if change is not None and change.shared and not (change.extra and change.missing):
        if change.extra:
            return [f"your answer has {change.words(show)}"], len(change.extra)
        return [f"your answer {change.words(show)}"], 0
    if not difference.is_Add and _additive(plain(difference), plain(answer), plain(expected)):
        terms = set(sp.Add.make_args(sp.expand(expected)))
        if set(sp.Add.make_args(sp.expand(-difference))) <= terms:
            return [f"your answer misses the term {show(-difference)}"], 0
        # on top of every term of the derivative, it is one more item; else it replaces a factor
        on_top = terms <= set(sp.Add.make_args(sp.expand(answer)))
        return [f"your answer has an extra term {show(difference)}"], int(on_top)
    if change is not None and change.shared:  # factors replaced: only a surplus is extra
        return [f"your answer has {change.words(show)}"], \
            max(0, len(change.extra) - len(change.missing))
    return [], 0


def _plain(net):
    """Replaces each activated node by its formula (h1 → sigmoid(N1)), as the derivation has it."""
    formulas = {n: d for n, d in net.definitions.items() if not d.is_Add and n != net.output}
    return lambda x: x.xreplace(formulas)


@functools.lru_cache(maxsize=512)  # the derivative's, asked for again and again (not changed)
def _factors(expr):
    """{factor: power} of ``expr`` up to sign and constants (negative powers from its
    denominator): the common factors that ``factor_terms`` takes out, cheap on long sums."""
    out = {}
    numerator, denominator = sp.fraction(sp.together(expr))
    for part, sign in ((numerator, 1), (denominator, -1)):
        for f in sp.Mul.make_args(sp.factor_terms(part)):
            base, power = f.as_base_exp()
            if not (power.is_Integer and (base.is_Add or base.is_Symbol or base.is_Function)):
                base, power = f, sp.S.One
            if base.is_number:
                continue
            base = -base if base.could_extract_minus_sign() else base
            out[base] = out.get(base, 0) + sign * int(power)
    return out


@dataclass
class _Change:
    extra: list  # factors of the answer the derivative does not have, as the answer writes them
    missing: list
    shared: bool  # some non-constant factor is in both
    constant: sp.Expr

    def words(self, show):
        parts = []
        if self.extra:
            parts.append(_listed("an extra factor", "the extra factors", self.extra, show))
        if self.missing:
            parts.append("misses " + _listed("the factor", "the factors", self.missing, show))
        out = " and ".join(parts)
        return out + (f"; a constant factor {self.constant} is off too" if self.constant != 1 else "")


def _factor_change(answer, expected):
    """The :class:`_Change` from ``expected`` to ``answer``, or None."""
    a, e = _factors(answer), _factors(expected)
    change = {f: a.get(f, 0) - e.get(f, 0) for f in dict.fromkeys([*a, *e])}
    extra = _grouped([f ** m for f, m in change.items() if m > 0], answer)
    missing = _grouped([f ** -m for f, m in change.items() if m < 0], expected)
    if any(sp.count_ops(f) > _SMALL_FACTOR for f in extra + missing):
        return None  # a long sum is no factor to point at
    shared = any(min(a.get(f, 0), m) > 0 for f, m in e.items())
    constant = sp.cancel(answer * sp.Mul(*missing) / (expected * sp.Mul(*extra))) \
        if sp.count_ops(expected) <= _CANCELLED else sp.S.One
    return _Change(extra, missing, shared, constant if constant.is_number else sp.S.One)


def _written(factor, source):
    """``factor`` as ``source`` writes it, up to sign (ŷ − y, not −(y − ŷ); 1 − tanh²(N1))."""
    plus, minus = sp.expand(factor), sp.expand(-factor)
    for arg in sp.Mul.make_args(source):
        if sp.expand(arg) in (plus, minus):
            return arg
    return factor


def _grouped(factors, source):
    """Factors with the same activation calls multiplied into one (σ(N1) and 1 − σ(N1)), each
    as ``source`` writes it."""
    groups = {}
    for f in factors:
        key = frozenset(f.atoms(sp.Function)) or f
        groups[key] = groups.get(key, sp.S.One) * _written(f, source)
    return [_written(g, source) for g in groups.values()]


def _additive(difference, answer, expected):
    """True when ``difference`` is a term of its own: each sum in it is a factor of a side."""
    sides = set(_factors(answer)) | set(_factors(expected))
    return all(not f.is_Add or f in sides for f in _factors(difference))


def _listed(one, many, factors, show):
    shown = [f"({show(f)})" if f.is_Add else show(f) for f in factors]
    return f"{one if len(shown) == 1 else many} {and_list(shown)}"


def agreeing(ctx, answer):
    """(factors that divide the answer, paths all of whose factors do), in the net's terms."""
    plain = _plain(ctx.net)
    target = plain(answer)
    # the terms as written, (a)(b) + c, and multiplied out, a*b + c: a factor divides either;
    # in a short sum, the sum without one term too (2ŷ·x1 − 2y·x1 + 1 has 2(ŷ − y) in it)
    expanded = sp.Add.make_args(sp.expand(target))
    parts = [target] + list(sp.Add.make_args(target))[:50] + list(expanded)[:50]
    if 2 < len(expanded) <= _SHORT_SUM:
        parts += [sp.factor_terms(sp.Add(*expanded) - t) for t in expanded]
    right = set()
    for factor, v in ctx.factors.items():
        if v.is_number or any(_divides(plain(v), part) for part in parts):
            right.add(factor)
    paths = [p for p in ctx.chain.paths if all(f in right for f, _ in p.factors)]
    return right, paths


def _divides(factor, expr):
    """True when ``expr`` is ``factor`` times something with none of its symbols below the
    line; a factor with a denominator (−y1/ŷ1) divides only what has that denominator."""
    if expr == 0 or not factor.free_symbols <= expr.free_symbols:
        return False
    numerator, denominator = sp.fraction(sp.cancel(expr / factor))
    if denominator.free_symbols & factor.free_symbols:
        return False
    below = sp.fraction(sp.cancel(factor))[1]
    return below.is_number or sp.fraction(sp.cancel(expr))[1].free_symbols >= below.free_symbols


def _agreement(ctx, answer):
    right, paths = agreeing(ctx, answer)
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
        chain = derivation.chain_value
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
    score = len(right) + len(paths)
    extra = diagnosis.extra or (score == total)  # wrong, so something is extra: one item at least
    return round(score / (total + extra), 4)


def _items(item, chain):
    """The chain's items a touched item makes wrong (a constant: the first factor, ∂L/∂ŷ)."""
    if item == "scale":
        first = chain.paths[0].factors[0][0]
        return {first}
    return {item}
