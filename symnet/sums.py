"""Sums collected: paths of a chain that differ only in an index, written once as Σ_i.

A layer's graph repeats one step per batch member, position or time step, with the index in
its names (``y1 … y4``, ``xhat1 … xhat4``; ``s1_2``; ``h1 … h3``).  The chain rule's paths
then come in families that differ only in that index: ∂L/∂γ = Σ_i ∂L/∂y_i · ∂y_i/∂γ.  A
:class:`Family` is such a set of paths with its general term, each index running over a range
(an index may be offset in a name, h_{t−1} beside h_t), found by :func:`collect`, which
checks that each path is its general term at its own index values, so a family is exact.

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


def collect(paths, local):
    """The :class:`Family` s of ``paths`` (node tuples from ``of`` down to ``wrt``), in the
    order of their first path; ``local(a, b)`` is the value of the local factor ∂a/∂b.  Paths
    that no index relates stay families of one."""
    groups = {}
    for path in paths:
        groups.setdefault(tuple((split(n)[0], len(split(n)[1])) for n in path), []).append(path)
    families = []
    for members in groups.values():
        families += _family(members, local, LETTERS) or [_single(p, local) for p in members]
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
    if len(classes) > len(letters):
        return None
    ranges = [sorted({row[c[0][0]] for row in table}) for c in classes]
    if any(r != list(range(r[0], r[-1] + 1)) for r in ranges) or \
            len(members) != len(set(combinations(*ranges))) or \
            {tuple(row[c[0][0]] for c in classes) for row in table} != set(combinations(*ranges)):
        return None  # not every combination of the indices: no one Σ
    variables = [sp.Symbol(letters[k]) for k in range(len(classes))]
    offsets = [{o for _, o in c} for c in classes]
    # the general term from the member whose index values collide least with the fixed ones
    fixed = {table[0][s] for s in range(len(slots)) if s not in varying}

    def collisions(m):
        used = [table[m][c[0][0]] + o for c, os in zip(classes, offsets) for o in os]
        return sum(u in fixed for u in used) + len(used) - len(set(used))
    best = min(range(len(members)), key=collisions)
    at = [table[best][c[0][0]] for c in classes]
    # a factor may read a neighbour of the path's index (h_{t−1} in ∂a_t/∂W_hh; x_{i,j+1} in
    # ∂y_{i,j}/∂w_{1,2}): tried only when the path's own indices do not give every member
    for reach in (0, NEIGHBOURS):
        general = _general(members[best], local, variables, at, offsets, reach)
        if all(_instance(general, dict(zip(variables, [row[c[0][0]] for c in classes]))) ==
               (path, tuple(local(a, b) for a, b in zip(path, path[1:])))
               for row, path in zip(table, members)):  # each member is the general term
            break
    else:
        return _by_one_index(members, table, classes, local, letters)
    indices = tuple((v, r[0], r[-1]) for v, r in zip(variables, ranges))
    return [Family(indices, general[0], general[1], tuple(members))]


def _by_one_index(members, table, classes, local, letters):
    """Families over one index each, the others held (∂p_j/∂z_k differs on and off the
    diagonal: Σ over the third index only), or None."""
    if len(classes) < 2:
        return None
    for keep in range(len(classes)):
        parts = {}
        for row, path in zip(table, members):
            held = tuple(row[c[0][0]] for k, c in enumerate(classes) if k != keep)
            parts.setdefault(held, []).append(path)
        found = [_family(part, local, letters) for part in parts.values()]
        if all(found):
            return [f for fs in found for f in fs]
    return None


def _general(path, local, variables, at, offsets, reach=0):
    """The path and its factors' values with each index value of ``at`` (plus an offset)
    written as its variable; in the values, also the index values up to ``reach`` away."""
    where = {}
    for v, a, os in zip(variables, at, offsets):
        for o in sorted(os, key=abs):
            where.setdefault(a + o, v + o)
    near = dict(where)
    for d in sorted(range(-reach, reach + 1), key=abs):
        for v, a in zip(variables, at):
            near.setdefault(a + d, v + d)

    def general(symbol, where=where):
        stem, indices = split(symbol)
        if not indices or not any(k in where for k in indices):
            return symbol
        return indexed(stem, tuple(where.get(k, k) for k in indices))

    def rewrite(expr):
        return expr.xreplace({s: general(s, near) for s in expr.free_symbols
                              if isinstance(s, sp.Symbol)})
    values = tuple(rewrite(local(a, b)) for a, b in zip(path, path[1:]))
    return tuple(general(n) for n in path), values


def _instance(general, values):
    """The general path and factors with the variables at ``values``: concrete names again."""
    def concrete(expr):
        found = {e: indexed(str(e.base), tuple(k.xreplace(values) for k in e.indices))
                 for e in expr.atoms(sp.Indexed)}
        return expr.xreplace(found)
    nodes, factors = general
    return tuple(concrete(n) for n in nodes), tuple(concrete(v) for v in factors)


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
