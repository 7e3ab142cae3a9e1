"""``Mul(*args)`` and ``Add(*args)`` of parts already in SymPy's canonical form, built without
re-flattening them where the result is known to be the same object.

SymPy's ``Mul.flatten`` re-examines every factor of every argument (numbers, powers of equal
bases, infinities, orders) and was over half of a reverse sweep.  A δ times a local partial is
mostly a product of factors with distinct bases and at most a rational coefficient: its
canonical form is then the factors sorted as ``Mul`` sorts them, with the coefficient first.
:func:`mul` and :func:`add` build that form directly where every part is of a kind whose
treatment by ``flatten`` is exactly this, and call ``Mul`` or ``Add`` otherwise, so the result
always equals (``==``, and prints as) ``sympy.Mul(*args)`` or ``sympy.Add(*args)``.

Both sort as SymPy does, by ``Basic.compare``; given a dict ``keys`` they sort by a key that
orders as ``Basic.compare`` does (:func:`sort_key`), remembered per part there, so that parts
shared by many products (a δ) are ranked once rather than compared anew each time.

>>> import sympy as sp
>>> x, y, w = sp.symbols("x y w")
>>> mul(2*w*(y - x), x), sp.Mul(2*w*(y - x), x)
(2*w*x*(-x + y), 2*w*x*(-x + y))
>>> mul(2*x, x) == sp.Mul(2*x, x)  # equal bases: Mul combines them
True
"""

import bisect
import operator
from typing import NamedTuple

import sympy as sp
from sympy.core.basic import Basic, _args_sortkey, _get_postprocessors, ordering_of_classes
from sympy.core.parameters import global_parameters
from sympy.core.sympify import _sympify

_ONE, _ZERO = sp.S.One, sp.S.Zero
_SYMBOL = sp.Symbol
_PARTS = "parts"  # where in ``keys`` the parts of products are remembered (by id: ints)
_QUIET = {sp.Mul: set(), sp.Add: set(), sp.Pow: set()}  # argument classes without constructor
# postprocessors for each operation
_MUL, _QUIET_MUL = sp.Mul, _QUIET[sp.Mul]


def mul(*args, keys=None):
    """``sympy.Mul(*args)``, the same expression, without ``flatten`` where it would only sort
    (by the sort keys remembered in the dict ``keys``, where given).

    >>> x, y = sp.symbols("x y")
    >>> mul(3*x, sp.Function("f")(y), y + 1)
    3*x*(y + 1)*f(y)
    """
    if keys is not None and len(args) == 2:  # δ times a local partial: the sweep's product
        made = _pair(*args, keys)
        if made is not None:
            return made
    return _built(args, _ONE, _product, sp.Mul, keys)


def _pair(a, b, keys):
    """The canonical product of two parts from what is remembered of each in ``keys`` (its
    coefficient, its factors in order and their bases), or None where :func:`_product` would
    give up: a δ's parts are looked at once, not once per parameter it multiplies."""
    if not (global_parameters.evaluate and global_parameters.distribute):
        return None
    if type(a) is _SYMBOL and type(b) is _SYMBOL and a.is_commutative and b.is_commutative:
        ka, kb = sort_key(a, keys), sort_key(b, keys)  # w*x (weighted_sum's general way)
        if ka == kb:
            return None
        made = _made(sp.Mul, [a, b] if ka < kb else [b, a])
        keys[id(made)] = (made, (_MUL_RANK, 2, (ka, kb) if ka < kb else (kb, ka)))  # to be summed
        return made
    if type(b) is _SYMBOL and b.is_commutative:  # δ times an input or a weight
        return _with_symbol(a, b, keys)
    if type(a) is _SYMBOL and a.is_commutative:
        return _with_symbol(b, a, keys)
    pa, pb = _parts(a, keys), _parts(b, keys)
    if pa is None or pb is None or not pa.bases.isdisjoint(pb.bases):
        return None
    coeff = pa.coeff if pb.coeff is _ONE else pb.coeff if pa.coeff is _ONE else pa.coeff * pb.coeff
    if len(pb.factors) > len(pa.factors):
        pa, pb = pb, pa
    factors, ranks = list(pa.factors), list(pa.ranks)
    for f, rank in zip(pb.factors, pb.ranks):  # few: a local partial is a factor or two
        at = bisect.bisect(ranks, rank)
        factors.insert(at, f)
        ranks.insert(at, rank)
    if coeff is not _ONE and len(factors) == 1 and factors[0].is_Add:  # 2*(x + y): distributed
        return None
    args = (coeff, *factors) if coeff is not _ONE else tuple(factors)
    made = _made(sp.Mul, args)
    if made.args == args:  # as made (no postprocessor changed it): a δ, to be multiplied by
        keys[_PARTS][id(made)] = (made, _Parts(  # each weight and input below it
            coeff, tuple(factors), ranks, pa.bases | pb.bases, args, pa.quiet and pb.quiet))
    return made


def _with_symbol(a, symbol, keys):
    """:func:`_pair` of ``a`` and a symbol: the symbol put in its place among a's factors."""
    pa = _parts(a, keys)
    if pa is None or symbol in pa[3]:
        return None
    coeff, _, ranks, _, args, quiet = pa
    args = list(args)
    args.insert(bisect.bisect(ranks, sort_key(symbol, keys)) + (coeff is not _ONE), symbol)
    if quiet and _SYMBOL in _QUIET_MUL:  # no class here has constructor postprocessors
        return _MUL._from_args(args, True)
    return _made(_MUL, args)


def _parts(e, keys):
    """The :class:`_Parts` of ``e`` as :func:`_product` reads it, the factors in ``Mul``'s
    order; None where it would give up.  Remembered in ``keys`` (by identity, ``e`` kept
    there)."""
    memo = keys.get(_PARTS)
    if memo is None:
        memo = keys[_PARTS] = {}
    known = memo.get(id(e))
    if known is not None:
        return known[1]
    memo[id(e)] = (e, _split(e, keys))
    return memo[id(e)][1]


def _split(e, keys):
    if not isinstance(e, Basic) or e.is_Number:  # a number times a sum is distributed
        return None
    factors, coeff = e.args if e.is_Mul else (e,), _ONE
    if factors[0].is_Number:
        if not factors[0].is_Rational or factors[0] is _ZERO:  # 0*x, unevaluated: Mul makes 0
            return None
        coeff, factors = factors[0], factors[1:]
    bases = set()
    for f in factors:
        base = None if f.is_Number else _base(f)
        if base is None or base in bases:
            return None
        bases.add(base)
    try:
        ranks = [sort_key(f, keys) for f in factors]
    except (TypeError, RecursionError):
        return None
    if any(a >= b for a, b in zip(ranks, ranks[1:])):  # not in Mul's order: an unevaluated one
        ranked = sorted(zip(ranks, factors), key=_FIRST)
        ranks, factors = [k for k, _ in ranked], tuple(f for _, f in ranked)
    args = (coeff, *factors) if coeff is not _ONE else factors
    return _Parts(coeff, factors, ranks, frozenset(bases), args,
                  _QUIET_MUL.issuperset(map(type, factors)))


class _Parts(NamedTuple):
    """What :func:`_pair` reads of a product: its coefficient (1 where it has none), its
    other factors in ``Mul``'s order, their sort keys, the bases ``flatten`` collects them
    under, the product's args (the coefficient first where it has one), and whether every
    factor's class is known to have no constructor postprocessors."""
    coeff: Basic
    factors: tuple
    ranks: list
    bases: frozenset
    args: tuple
    quiet: bool


def _made(cls, args):
    """``cls`` (Mul or Add) of ``args`` already in canonical order, with SymPy's constructor
    postprocessors where an argument's class has any (a matrix expression's)."""
    obj = cls._from_args(args, True)
    quiet = _QUIET[cls]
    for a in args:
        if type(a) not in quiet and not _quiet(cls, type(a)):
            return cls._exec_constructor_postprocessors(obj)
    return obj


def power(base, exp):
    """``sympy.Pow(base, exp, evaluate=False)``, the same expression, made without looking in
    SymPy's cache first (a loss's square is new, and the looking hashed it whole).

    >>> y, p = sp.symbols("y yhat")
    >>> power(y - p, sp.Integer(2)) == sp.Pow(y - p, 2, evaluate=False)
    True
    """
    if not (isinstance(base, sp.Expr) and isinstance(exp, sp.Expr)) or base.is_Relational or \
            exp.is_Relational or not (_quiet(sp.Pow, type(base)) and _quiet(sp.Pow, type(exp))):
        return sp.Pow(base, exp, evaluate=False)
    made = sp.Expr.__new__(sp.Pow, base, exp)
    made.is_commutative = base.is_commutative and exp.is_commutative
    return made


def _quiet(cls, kind):
    """Whether SymPy has no constructor postprocessors for ``cls`` (Mul, Add or Pow) of a
    ``kind`` (remembered)."""
    quiet = _QUIET[cls]
    if kind not in quiet:
        if _get_postprocessors(cls.__name__, kind):
            return False
        quiet.add(kind)
    return True


def _built(args, identity, canonical, operation, keys):
    """``operation(*args)``: ``canonical(args, keys)`` where it gives the result, the
    ``identity`` elements left out first (as evaluation would leave them out)."""
    if not global_parameters.evaluate:
        return operation(*args)
    if not all(isinstance(a, Basic) for a in args):
        args = map(_sympify, args)
    args = [a for a in args if a is not identity]
    if len(args) < 2:
        return args[0] if args else identity
    made = canonical(args, keys)
    return operation(*args) if made is None else made


def _product(args, keys):
    """The canonical product of ``args`` (none of them 1), or None where ``flatten`` might do
    more than sort: a number argument (the two-argument rule distributes it), a factor of
    another kind than a symbol, a sum, a function or a rational power, equal bases, a zero
    coefficient, or a number times a sum alone (which ``Mul`` distributes)."""
    if not (global_parameters.evaluate and global_parameters.distribute):
        return None
    coeff, factors, bases = _ONE, [], set()
    for a in args:
        if a.is_Number:
            return None
        parts = a.args if a.is_Mul else (a,)
        for i, f in enumerate(parts):
            if f.is_Number:
                if i or not f.is_Rational:  # a coefficient only where Mul keeps it: first
                    return None
                coeff *= f
                continue
            base = _base(f)
            if base is None or base in bases:
                return None
            bases.add(base)
            factors.append(f)
    if coeff is _ZERO or not factors:
        return None
    _sort(factors, keys)
    if coeff is not _ONE:
        if len(factors) == 1 and factors[0].is_Add:  # 2*(x + y) is distributed
            return None
        factors.insert(0, coeff)
    return _made(sp.Mul, factors)


def _base(f):
    """The base ``flatten`` collects ``f`` under, where it leaves ``f`` itself; else None."""
    if not _commutative(f):
        return None
    if f.is_Symbol or f.is_Add:
        return f
    if f.is_Function:
        base, exp = f.as_base_exp()  # exp(x) is E**x: collected with E and other exps
        return f if exp is _ONE and base is f else None
    if f.is_Pow:
        base, exp = f.args
        # a power is rebuilt by Pow(base, exp) there: keep it only where that gives it back
        if not base.is_Number and exp.is_Rational and sp.Pow(base, exp) == f:
            return base
    return None


def _commutative(f):
    """``f.is_commutative``.  Of a function applied, read off its arguments by ``Function``'s
    own rule where its class keeps that rule: asking the application itself runs SymPy's
    deduction over every related fact, for each neuron's σ(N) (3% of a small network)."""
    cls = type(f)
    if f.is_Function and cls._eval_is_commutative is _FUNCTION_COMMUTATIVE and \
            cls.is_commutative is _ASKED_COMMUTATIVE and "commutative" not in cls.default_assumptions:
        return all(a.is_commutative for a in f.args)
    return f.is_commutative


_FUNCTION_COMMUTATIVE = sp.Function._eval_is_commutative
_ASKED_COMMUTATIVE = sp.Function.is_commutative  # the property that asks _eval_is_commutative


def add(*args, keys=None):
    """``sympy.Add(*args)``, the same expression, without ``flatten`` where it would only sort
    (by the sort keys remembered in the dict ``keys``, where given).

    >>> x, y = sp.symbols("x y")
    >>> add(2*x*y, -y, x), add(x, -x)
    (2*x*y + x - y, 0)
    """
    return _built(args, _ZERO, _sum, sp.Add, keys)


def weighted_sum(weights, inputs, bias=_ZERO, keys=None):
    """``add(*[mul(w, x) for w, x in zip(weights, inputs)], bias)``: a neuron's sum, the same
    expression.  Where every weight, input and the bias (or 0) is a symbol without assumptions,
    the weights distinct and none of them an input, no two products share their symbols, and
    SymPy orders such symbols by their names alone: each product is its two symbols in the
    order of their names and the sum its products in the order of their pairs of names, built
    at once (a network has a product per edge; a product and its term took 3.9 µs the general
    way, sorted by :func:`sort_key`).

    >>> w1, w2, x1, x2, b = sp.symbols("w1 w2 x1 x2 b1")
    >>> weighted_sum([w1, w2], [x2, x1], b)
    b1 + w1*x2 + w2*x1
    """
    pairs = list(zip(weights, inputs))
    weights = [w for w, _ in pairs]
    symbols = [*weights, *(x for _, x in pairs), *([] if bias is _ZERO else [bias])]
    at_once = global_parameters.evaluate and global_parameters.distribute and pairs and \
        all(map(plain_symbol, symbols))
    if at_once:
        names = {w.name for w in weights}  # such symbols are equal where their names are
        at_once = len(names) == len(weights) and \
            names.isdisjoint([s.name for s in symbols[len(pairs):]])
    if not at_once:
        return add(*[mul(w, x, keys=keys) for w, x in pairs], bias, keys=keys)
    ranked = sorted((w.name, x.name, w, x) if w.name < x.name else (x.name, w.name, x, w)
                    for w, x in pairs)  # the names differ: the symbols are never compared
    terms = [_MUL._from_args((a, b), True) for _, _, a, b in ranked]
    if not _quiet(_MUL, _SYMBOL):  # as _made would
        terms = [_MUL._exec_constructor_postprocessors(t) for t in terms]
    if bias is not _ZERO:
        terms.insert(0 if _SYMBOLS_FIRST else len(terms), bias)
    return terms[0] if len(terms) == 1 else _made(sp.Add, terms)


def _sum(args, keys):
    """The canonical sum of ``args`` (none of them 0), or None where ``flatten`` might do
    more than sort: a number, a sum to flatten, a term of another kind than a symbol, a
    function, a power or a product, or two terms equal up to their coefficients (collected)."""
    if not global_parameters.evaluate:
        return None
    seen, terms = set(), []
    for t in args:
        terms.append(t)
        if not _commutative(t) or t.is_Number or t.is_Add or t.is_Order:
            return None
        if t.is_Mul:
            coeff, rest = t.args[0], t.args[1:]
            if not coeff.is_Number:
                rest = t.args
            # flatten rebuilds c*rest: the term itself where rest is a product or a sum (raw)
            # or where t is c·(a symbol, function or power), as Mul would write it; a raw
            # 1*x or 0*x is rewritten
            elif coeff is _ONE or coeff is _ZERO or not coeff.is_Rational or (
                    len(rest) == 1 and not (rest[0].is_Add or _plain(rest[0]))):
                return None
        elif _plain(t):  # kept as it is (a power only where Pow gives it back: not 2**3)
            rest = (t,)
        else:
            return None
        seen.add(rest)  # hashed once: a δ's product has a factor per layer
        if len(seen) < len(terms):  # equal up to their coefficients: collected
            return None
    _sort(terms, keys)
    return _made(sp.Add, terms)


def _plain(t):
    """A symbol, a function or a power that ``Mul`` leaves as it is, times a number."""
    return not t.is_Add and _base(t) is not None


def _sort(parts, keys):
    """``parts`` sorted in place as Mul and Add sort their arguments (``Basic.compare``)."""
    if keys is not None:
        try:
            parts.sort(key=lambda e: keys[id(e)][1] if id(e) in keys else sort_key(e, keys))
            return
        except (TypeError, RecursionError):  # a part sort_key does not rank: compare them all
            pass
    parts.sort(key=_args_sortkey)


def sort_key(expr, keys):
    """A key that orders as ``Basic.compare`` does, remembered in the dict ``keys`` (by the
    part's identity, the part kept there); a TypeError where ``expr`` holds something it does
    not rank (a class with its own ``compare``, a set, a tuple of expressions).

    ``Basic.compare`` ranks the classes (their place in SymPy's ``ordering_of_classes``, else
    their names), then the lengths of the hashable contents, then the contents item by item:
    expressions by ``compare``, other items as Python compares them.

    >>> x, y = sp.symbols("x y")
    >>> terms = [y, x*y, sp.Integer(2), x**2, x, sp.sin(x) + 1]
    >>> sorted(terms, key=lambda e: sort_key(e, {})) == sorted(terms, key=_args_sortkey)
    True
    """
    known = keys.get(id(expr))  # by identity (the part kept beside it): no SymPy hashing
    if known is not None:
        return known[1]
    cls = type(expr)
    if cls is _SYMBOL:  # its name and assumptions: strings and (name, bool) pairs
        content = expr._hashable_content()
        key = (_class_rank(cls), len(content), content)
        keys[id(expr)] = (expr, key)
        return key
    if cls.compare is not _COMPARE:
        raise TypeError(f"{cls.__name__} has its own compare")
    items = []
    for v in expr._hashable_content():
        if isinstance(v, Basic):
            known = keys.get(id(v))  # mostly: a δ's parts are ranked where they were made
            items.append(known[1] if known is not None else sort_key(v, keys))
        else:
            items.append(_plain_item(v))
    key = (_RANKS.get(cls) or _class_rank(cls), len(items), tuple(items))
    keys[id(expr)] = (expr, key)
    return key


_COMPARE = Basic.compare
_FIRST = operator.itemgetter(0)
_RANKS = {}


def _class_rank(cls):
    """Where ``Basic.compare`` puts ``cls``: by ``ordering_of_classes``, else by name."""
    if cls not in _RANKS:
        name = cls.__name__
        place = ordering_of_classes.index(name) if name in ordering_of_classes else \
            len(ordering_of_classes) + 1
        _RANKS[cls] = (place, name)
    return _RANKS[cls]


def _plain_item(v):
    """``v`` where Python orders it as ``Basic.compare`` does: a string, an integer, a tuple
    of them (a symbol's name and assumptions); else a TypeError."""
    if not _is_plain(v):
        raise TypeError(f"cannot rank {type(v).__name__}")
    return v


def _is_plain(v):
    return isinstance(v, (str, int)) or (isinstance(v, tuple) and all(map(_is_plain, v)))


_MUL_RANK = _class_rank(sp.Mul)
_SYMBOLS_FIRST = _class_rank(sp.Symbol) < _MUL_RANK  # where a bias goes among w*x terms
_PLAIN = sp.Symbol("x")._assumptions0  # a Symbol's without assumptions


def symbol(name):
    """``sympy.Symbol(name)``, the same symbol, made as SymPy makes a symbol it has not made
    yet, without looking in its cache first: a network makes its hundreds of symbols at once,
    each new, and the looking took half of the making.

    >>> symbol("w1") == sp.Symbol("w1"), plain_symbol(symbol("w1"))
    (True, True)
    """
    return sp.Symbol(name) if _NEW_SYMBOL is None else _NEW_SYMBOL(_SYMBOL, name)


_NEW_SYMBOL = getattr(_SYMBOL, "__xnew__", None)  # Symbol.__new__ past its cache


def plain_symbol(expr):
    """Whether ``expr`` is a ``Symbol`` without assumptions: SymPy orders such symbols by their
    names alone, and what it asks of them in evaluating (is it zero? infinite?) has no answer.

    >>> plain_symbol(sp.Symbol("w1")), plain_symbol(sp.Symbol("w1", positive=True))
    (True, False)
    """
    return type(expr) is _SYMBOL and expr._assumptions0 == _PLAIN
