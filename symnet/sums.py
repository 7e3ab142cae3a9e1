"""Sums collected: paths of a chain that differ only in an index, written once as Σ_i.

A layer's graph repeats one step per batch member, position or time step, with the index in
its names (``y1 … y4``, ``xhat1 … xhat4``; ``s1_2``; ``h1 … h3``).  The chain rule's paths
then come in families that differ only in that index: ∂L/∂γ = Σ_i ∂L/∂y_i · ∂y_i/∂γ.  A
:class:`Family` is such a set of paths with its general term, each index running over a range
(an index may be offset in a name, h_{t−1} beside h_t), found by :func:`collect`, which
checks that each path is its general term at its own index values, so a family is exact.
A factor's index is read by its place in the path's nodes, not by its value: a number, a
variable plus a small offset (x_{i+1,j}), a number minus a variable (a filter turned by 180°,
w_{3−i}), or a multiple of one (a stride, x_{2i−1}); a factor that differs on a diagonal (a
softmax's ∂a_{i,j}/∂s_{i,l}) is written once with Kronecker's δ_{j,l}.

A name's index is its trailing whole numbers, several joined by ``_`` (``w2_1``: w, (2, 1));
names without one (``gamma``, ``var``, ``L``) are the same in every member of a family.

>>> import sympy as sp
>>> L, gamma = sp.symbols("L gamma")
>>> paths = [(L, sp.Symbol(f"y{i}"), gamma) for i in (1, 2, 3)]
>>> values = {}
>>> for i in (1, 2, 3):
...     values[(L, sp.Symbol(f"y{i}"))] = sp.Symbol(f"g{i}")
...     values[(sp.Symbol(f"y{i}"), gamma)] = sp.Symbol(f"xhat{i}")
>>> [family] = collect(paths, lambda a, b: values[a, b])
>>> family.indices, family.nodes, family.values
(((i, 1, 3),), (L, y[i], gamma), (g[i], xhat[i]))
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from itertools import product as combinations

import sympy as sp

from .printing import product
from .symbols import Partial

_NAME = re.compile(r"(.*?[^\d_])(\d+(?:_\d+)*)")
LETTERS = "ijklmnpqrtuv"  # the summation indices, in order
NEIGHBOURS = 2  # how far from a path's index a factor's index may be (h_{t−1}, x_{i,j+1})


@dataclass(frozen=True)
class Family:
    """Paths collected under one general term: ``indices`` ``((symbol, first, last), …)``,
    outermost first (none for a single path); ``nodes`` the general path and ``values`` its
    local factors' general values, in chain order; ``paths`` the node tuples it stands for."""

    indices: tuple
    nodes: tuple
    values: tuple
    paths: tuple


@lru_cache(maxsize=1 << 16)
def split(symbol):
    """``(stem, indices)`` of a name: ``w2_1`` → ``("w", (2, 1))``; ``gamma`` → ``("gamma", ())``."""
    found = _NAME.fullmatch(symbol.name) if isinstance(symbol, sp.Symbol) else None
    if found is None:
        return str(symbol), ()
    return found.group(1), tuple(int(k) for k in found.group(2).split("_"))


def indexed(stem, indices):
    """The general node ``stem`` at index expressions (``xhat[i]``, ``h[t - 1]``), or the
    concrete name when every index is a number."""
    if all(isinstance(k, int) or k.is_Integer for k in indices):
        return sp.Symbol(stem + "_".join(str(int(k)) for k in indices))
    return sp.Indexed(sp.IndexedBase(sp.Symbol(stem)), *indices)


def collect(paths, local, letters=None):
    """The :class:`Family` s of ``paths`` (node tuples from ``of`` down to ``wrt``), in the
    order of their first path; ``local(a, b)`` is the value of the local factor ∂a/∂b.  Paths
    that no index relates stay families of one.  ``letters`` (``{stem: letters}``) names the
    index of each position of a stem's names, as its layer's lecture does (``{"h": "t"}``: Σ_t
    over an RNN's time steps); other indices take the first free of :data:`LETTERS`."""
    groups = {}
    for path in paths:
        groups.setdefault(tuple((split(n)[0], len(split(n)[1])) for n in path), []).append(path)
    families = []
    for members in groups.values():
        families += _family(members, local, letters or {}) or [_single(p, local) for p in members]
    order = {p: k for k, p in enumerate(paths)}
    return sorted(families, key=lambda f: order[f.paths[0]])


def _single(path, local):
    return Family((), path, tuple(local(a, b) for a, b in zip(path, path[1:])), (path,))


def _family(members, local, letters):
    """One family for ``members`` (paths of the same shape), or None."""
    if len(members) < 2:
        return None
    slots = [(i, k) for i, n in enumerate(members[0]) for k in range(len(split(n)[1]))]
    table = [[split(p[i])[1][k] for i, k in slots] for p in members]
    varying = [s for s in range(len(slots)) if len({row[s] for row in table}) > 1]
    classes = []  # slots whose values move together, each with its offset from the first
    for s in varying:
        for c in classes:
            if len({row[s] - row[c[0][0]] for row in table}) == 1:
                c.append((s, table[0][s] - table[0][c[0][0]]))
                break
        else:
            classes.append([(s, 0)])
    if len(classes) > len(LETTERS):
        return None
    ranges = [sorted({row[c[0][0]] for row in table}) for c in classes]
    at = [tuple(row[c[0][0]] for c in classes) for row in table]  # each member's index values
    if any(r != list(range(r[0], r[-1] + 1)) for r in ranges) or \
            len(members) != len(set(combinations(*ranges))) or \
            set(at) != set(combinations(*ranges)):
        return None  # not every combination of the indices: no one Σ
    factors = [tuple(local(a, b) for a, b in zip(p, p[1:])) for p in members]
    variables = _variables(members[0], factors[0], slots, classes, letters)
    nodes = _general_nodes(members[0], slots, classes, variables)
    # the general term read off a member whose index values collide least with each other
    # and with the fixed ones (y_{1,1} says less than y_{1,2} of which index is which)
    fixed = {table[0][s] for s in range(len(slots)) if s not in varying}

    def collisions(m):
        return sum(u in fixed for u in at[m]) + len(at[m]) - len(set(at[m]))
    for ref in sorted(range(len(members)), key=collisions)[:TRIES]:
        values = []
        for k in range(len(factors[0])):
            scope = _Scope(variables, at, fixed, _roles(nodes[k:k + 2] + nodes),
                           _free(nodes[k]) | _free(nodes[k + 1]))
            values.append(_general_value([f[k] for f in factors], ref, scope))
        if all(v is not None for v in values):
            indices = tuple((v, r[0], r[-1]) for v, r in zip(variables, ranges))
            return [Family(indices, nodes, tuple(values), tuple(members))]
    return _by_one_index(members, at, local, letters)


TRIES = 3  # members tried as the one the general term is read off


def _variables(path, factors, slots, classes, letters):
    """A summation letter per class of slots: the first its stems ask for that is still
    free, else the first free of :data:`LETTERS`; never a one-letter name of the path's
    nodes or factors (an attention's k)."""
    taken = {str(s) for s in path} | {split(s)[0] for s in path} | \
        {n for f in factors for s in f.free_symbols for n in (str(s), split(s)[0])}
    chosen = []
    for c in classes:
        asked = []
        for s, _ in c:
            node, k = slots[s]
            asked += letters.get(split(path[node])[0], "")[k:k + 1]
        free = [x for x in asked + list(LETTERS) if x not in chosen and x not in taken]
        if not free:
            free = [x for x in LETTERS if x not in chosen]
        chosen.append(free[0])
    return [sp.Symbol(x) for x in chosen]


def _general_nodes(path, slots, classes, variables):
    """The path with each varying index written as its class's variable (plus its offset)."""
    where = {s: v + o for c, v in zip(classes, variables) for s, o in c}
    out, s = [], 0
    for node in path:
        stem, indices = split(node)
        general = []
        for k in indices:
            general.append(where.get(s, k))
            s += 1
        out.append(indexed(stem, tuple(general)) if indices else node)
    return tuple(out)


def _free(node):
    return node.free_symbols if isinstance(node, sp.Indexed) else set()


def _roles(nodes):
    """``{(stem, position): variable}``: the variable each index of a stem's general nodes
    reads, the first node's first (a factor's own nodes come first)."""
    roles = {}
    for node in nodes:
        if isinstance(node, sp.Indexed):
            for k, index in enumerate(node.indices):
                if index.free_symbols:
                    roles.setdefault((str(node.base), k), next(iter(index.free_symbols)))
    return roles


@dataclass(frozen=True)
class _Scope:
    """What a factor's general term is written in: the ``variables``, each member's values of
    them (``at``), the path's ``fixed`` index values, the variable of each stem's index in the
    path's general nodes (``roles``), and the variables of the factor's two nodes (``own``)."""

    variables: list
    at: list
    fixed: set
    roles: dict
    own: set


def _general_value(column, ref, scope):
    """The general term of one factor whose value at member m is ``column[m]``, read off the
    member ``ref``, or None.  Where the factor differs on a diagonal (∂a_{i,j}/∂s_{i,l} of a
    softmax: a_{i,j}(1 − a_{i,j}) at j = l, −a_{i,j} a_{i,l} elsewhere) it is written with
    Kronecker's δ_{j,l}."""
    every = range(len(column))
    found = _by_symbols(column, ref, scope, every)
    if found is not None:
        return found
    variables, at = scope.variables, scope.at
    for a, v in enumerate(variables):
        for b, other in [(b, w) for b, w in enumerate(variables) if b > a] + \
                [(None, c) for c in sorted(scope.fixed)]:
            on = [m for m in every if at[m][a] == (at[m][b] if b is not None else other)]
            off = [m for m in every if m not in on]
            if not on or not off:
                continue
            base = _by_symbols(column, ref if ref in off else off[0], scope, off)
            if base is None:
                continue
            rest = {m: column[m] - _instance(base, variables, at[m]) for m in on}
            extra = _by_symbols(rest, on[0], scope, on)
            if extra is not None:
                return sp.factor_terms(base + sp.KroneckerDelta(v, other) * extra)
    return None


COMBINATIONS = 64  # general terms tried per factor, when a symbol's index could be read two ways


def _by_symbols(column, ref, scope, subset):
    """The factor ``column[ref]`` with each indexed symbol's indices written as a variable
    plus an offset (x_{i+1}), a number, or a number minus a variable (a filter turned, w_{3−i}),
    the first combination that gives ``column[m]`` at every member m of ``subset``, or None."""
    expr, variables, at = column[ref], scope.variables, scope.at
    symbols = sorted((s for s in expr.free_symbols if split(s)[1]), key=str)
    present = {m: {split(s) for s in column[m].free_symbols} for m in subset}
    places = {m: {(stem, len(ix), n, k) for stem, ix in present[m] for n, k in enumerate(ix)}
              for m in subset}
    choices = []
    for s in symbols:
        stem, indices = split(s)
        ways = []
        for n, k in enumerate(indices):  # each index alone first: cheap, and most ways fail
            ways.append([w for w in _ways(k, at[ref], scope, scope.roles.get((stem, n)))
                         if all((stem, len(indices), n, _value(w, at[m])) in places[m]
                                for m in subset)])
        kept = [ws for ws in combinations(*ways)
                if all((stem, tuple(_value(w, at[m]) for w in ws)) in present[m] for m in subset)]
        if not kept:
            return None
        choices.append([indexed(stem, tuple(_written(w, variables) for w in ws)) for ws in kept])
    for chosen in islice(combinations(*choices), COMBINATIONS):
        general = expr.xreplace(dict(zip(symbols, chosen)))
        if all(_instance(general, variables, at[m]) == column[m] for m in subset):
            return general
    return None


def _ways(k, values, scope, role):
    """The ways to write the index ``k`` at the variables' ``values``, likeliest first, each
    ``(number, sign, variable's position)`` for number + sign·variable: the variable this index
    has in the path's nodes (``role``), a fixed index of the path, the factor's own variables,
    any variable; then each plus a small offset (h_{t−1}); the number; a number minus a
    variable (a filter turned by 180°); a number plus or minus a multiple of a variable
    (a stride)."""
    order = sorted(range(len(values)), key=lambda n: (scope.variables[n] != role,
                                                      scope.variables[n] not in scope.own))
    same = [(0, 1, n) for n in order if values[n] == k]
    ways = same[:1] if same and scope.variables[same[0][2]] == role else []
    if k in scope.fixed:
        ways.append((k, 0, None))
    ways += same
    ways += sorted(((k - values[n], 1, n) for n in order
                    if 0 < abs(k - values[n]) <= NEIGHBOURS), key=lambda w: abs(w[0]))
    ways += [(k, 0, None)] + [(k + values[n], -1, n) for n in order]
    ways += [(k - sign * values[n], sign, n) for stride in STRIDES for sign in (stride, -stride)
             for n in order]
    return list(dict.fromkeys(ways))


STRIDES = (2, 3)  # a variable's multiples an index may read: x[2i − 1], w[5 − 2i] (strides)


def _value(way, values):
    number, sign, n = way
    return number if n is None else number + sign * values[n]


def _written(way, variables):
    number, sign, n = way
    return sp.Integer(number) if n is None else number + sign * variables[n]


def _by_one_index(members, at, local, letters):
    """Families over one index each, the others held (∂p_j/∂z_k differs on and off the
    diagonal: Σ over the third index only), or None."""
    if len(at[0]) < 2:
        return None
    for keep in range(len(at[0])):
        parts = {}
        for row, path in zip(at, members):
            parts.setdefault(row[:keep] + row[keep + 1:], []).append(path)
        found = [_family(part, local, letters) for part in parts.values()]
        if all(found):
            return [f for fs in found for f in fs]
    return None


def _instance(general, variables, values):
    """``general`` (a general node or factor) with the variables at ``values``: concrete
    names again."""
    at = dict(zip(variables, values))
    found = {e: indexed(str(e.base), tuple(k.xreplace(at) for k in e.indices))
             for e in general.atoms(sp.Indexed)}
    return general.xreplace(found).xreplace(at)


def sigma(family, fmt):
    """``Σ_{i=1..4} `` (text) or ``\\sum_{i=1}^{4} `` (LaTeX) for each index of ``family``."""
    if fmt == "latex":
        return "".join(r"\sum_{%s=%d}^{%d} " % (v, lo, hi) for v, lo, hi in family.indices)
    return "".join(f"Σ_{{{v}={lo}..{hi}}} " for v, lo, hi in family.indices)


def family_sum(families, fmt, values=False):
    """The families as a sum of Σ-prefixed chain products: of the partials, or with
    ``values`` of the factors' values."""
    terms = []
    for f in families:
        factors = list(f.values) if values else \
            [Partial(a, b) for a, b in zip(f.nodes, f.nodes[1:])]
        terms.append(sigma(f, fmt) + product(factors, fmt))
    return " + ".join(terms) if terms else "0"


def general_factors(families):
    """``{Partial: value}`` of the families' general factors, each once, in chain order."""
    out = {}
    for f in families:
        for a, b, v in zip(f.nodes, f.nodes[1:], f.values):
            out.setdefault(Partial(a, b), v)
    return out
