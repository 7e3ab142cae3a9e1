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

import sympy as sp
from sympy.core.basic import Basic, _args_sortkey, ordering_of_classes
from sympy.core.parameters import global_parameters
from sympy.core.sympify import _sympify

_ONE, _ZERO = sp.S.One, sp.S.Zero


def mul(*args, keys=None):
    """``sympy.Mul(*args)``, the same expression, without ``flatten`` where it would only sort
    (by the sort keys remembered in the dict ``keys``, where given).

    >>> x, y = sp.symbols("x y")
    >>> mul(3*x, sp.Function("f")(y), y + 1)
    3*x*(y + 1)*f(y)
    """
    return _built(args, _ONE, _product, sp.Mul, keys)


def _built(args, identity, canonical, operation, keys):
    """``operation(*args)``: ``canonical(args, keys)`` where it gives the result, the
    ``identity`` elements left out first."""
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
    if len(factors) == 1:
        return factors[0]
    return sp.Mul._exec_constructor_postprocessors(sp.Mul._from_args(factors, True))


def _base(f):
    """The base ``flatten`` collects ``f`` under, where it leaves ``f`` itself; else None."""
    if not f.is_commutative:
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


def add(*args, keys=None):
    """``sympy.Add(*args)``, the same expression, without ``flatten`` where it would only sort
    (by the sort keys remembered in the dict ``keys``, where given).

    >>> x, y = sp.symbols("x y")
    >>> add(2*x*y, -y, x), add(x, -x)
    (2*x*y + x - y, 0)
    """
    return _built(args, _ZERO, _sum, sp.Add, keys)


def _sum(args, keys):
    """The canonical sum of ``args`` (none of them 0), or None where ``flatten`` might do
    more than sort: a number, a sum to flatten, a term of another kind than a symbol, a
    function, a power or a product, or two terms equal up to their coefficients (collected)."""
    if not global_parameters.evaluate:
        return None
    seen = set()
    for t in args:
        if not t.is_commutative or t.is_Number or t.is_Add or t.is_Order:
            return None
        if t.is_Mul:
            coeff, rest = t.as_coeff_Mul()
            # flatten rebuilds c*rest: the term itself where rest is a product or a sum (raw)
            # or where t is c·(a symbol, function or power), as Mul would write it
            if coeff is not _ONE and not (coeff.is_Rational and coeff is not _ZERO and (
                    rest.is_Mul or rest.is_Add or _plain(rest))):
                return None
            if coeff is _ONE and t.args[0].is_Number:  # 1*x written out: flatten drops the 1
                return None
        elif _plain(t):  # kept as it is (a power only where Pow gives it back: not 2**3)
            rest = t
        else:
            return None
        if rest in seen:
            return None
        seen.add(rest)
    terms = list(args)
    _sort(terms, keys)
    return sp.Add._exec_constructor_postprocessors(sp.Add._from_args(terms, True))


def _plain(t):
    """A symbol, a function or a power that ``Mul`` leaves as it is, times a number."""
    return not t.is_Add and _base(t) is not None


def _sort(parts, keys):
    """``parts`` sorted in place as Mul and Add sort their arguments (``Basic.compare``)."""
    if keys is not None:
        try:
            parts.sort(key=lambda e: sort_key(e, keys))
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
    if cls.compare is not _COMPARE:
        raise TypeError(f"{cls.__name__} has its own compare")
    content = expr._hashable_content()
    key = (_class_rank(cls), len(content), tuple(
        sort_key(v, keys) if isinstance(v, Basic) else _plain_item(v) for v in content))
    keys[id(expr)] = (expr, key)
    return key


_COMPARE = Basic.compare
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
