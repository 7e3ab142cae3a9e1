"""∂of/∂wrt as a value: a sum over paths of products of named local factors (:class:`Chain`).

The chain rule for a derivative on a graph is the sum, over every path from ``of`` down to
``wrt``, of the product of the local partials along the path.  A :class:`Chain` keeps that sum
with its parts named: each path's nodes and its factors ∂A/∂B with their expressions.  It is
evaluated exactly or in floats at a point, and a slip of the chain rule is a small function
from a chain to a chain (:meth:`Chain.with_factor`, :meth:`Chain.keeping`,
:meth:`Chain.rerouted`, :meth:`Chain.scaled`).

>>> import sympy as sp
>>> from symnet.symbols import Partial
>>> L, yhat, w5, y, N1 = sp.symbols("L yhat w5 y N1")
>>> c = Chain((Path((L, yhat, w5), ((Partial(L, yhat), 2*(yhat - y)), (Partial(yhat, w5), N1))),))
>>> c.expr
N1*(-2*y + 2*yhat)
>>> c.at({yhat: 3, y: 1, N1: 5})
20
>>> c.scaled(-1).with_factor(Partial(yhat, w5), 1).at({yhat: 3, y: 1})
-4
"""

from dataclasses import dataclass
from functools import cached_property

import sympy as sp


@dataclass(frozen=True)
class Path:
    """One path of a chain: its ``nodes`` from ``of`` down to ``wrt``, and its ``factors``,
    ``((Partial, expression), …)`` in chain order."""

    nodes: tuple
    factors: tuple

    @cached_property
    def term(self):
        return sp.Mul(*[v for _, v in self.factors])

    @cached_property
    def keys(self):
        """The path's factors (the Partials), as a set."""
        return frozenset(f for f, _ in self.factors)


@dataclass(frozen=True)
class Chain:
    """A sum of :class:`Path` s times a constant ``scale`` (1 for the chain rule's own sum)."""

    paths: tuple
    scale: sp.Expr = sp.S.One

    @cached_property
    def expr(self):
        """The chain as one expression (not simplified)."""
        return self.scale * sp.Add(*[p.term for p in self.paths])

    @cached_property
    def factors(self):
        """``{Partial: expression}`` of every distinct factor, in chain order."""
        return dict(f for p in self.paths for f in p.factors)

    def evaluate(self, value_of):
        """The chain's value, ``value_of(expression)`` giving each factor's: exact numbers or
        floats, as ``value_of`` gives them (a cache there makes shared factors cost once)."""
        total = 0
        for path in self.paths:
            term = 1
            for _, v in path.factors:
                term *= value_of(v)
            total += term
        scale = self.scale if isinstance(total, sp.Basic) else float(self.scale)
        return scale * total

    def at(self, values, precision=None):
        """The value at a point: ``values`` maps symbols to numbers (a graph's ``forward``);
        exact for exact values, or to ``precision`` digits."""
        def value_of(expr):
            v = sp.sympify(expr).xreplace(values)  # safe: a number or an expression, never text
            return v if precision is None else v.evalf(precision)
        return self.evaluate(value_of)

    # ------------------------------------------------------------------ edits (slips)

    def with_factor(self, factor, new):
        """The chain with ``factor`` worth ``new`` on every path that has it."""
        key = hash(factor)  # SymPy's == is slow; hashes are cached
        return Chain(tuple(Path(p.nodes, tuple(
            (f, new if hash(f) == key and f == factor else v) for f, v in p.factors))
            if factor in p.keys else p for p in self.paths), self.scale)  # others: shared

    def keeping(self, kept):
        """The chain with only the paths whose node tuples are in ``kept``."""
        return Chain(tuple(p for p in self.paths if p.nodes in kept), self.scale)

    def rerouted(self, old, path, add=False):
        """The chain with the path through nodes ``old`` replaced by ``path`` (with ``add``,
        ``path`` added beside it)."""
        paths = tuple(p for p in self.paths if add or p.nodes != old)
        return Chain(paths + (path,), self.scale)

    def scaled(self, c):
        """The chain times the constant ``c``."""
        return Chain(self.paths, self.scale * c)
