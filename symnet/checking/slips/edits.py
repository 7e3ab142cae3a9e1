"""The edits a slip makes of a derivation's chain (a :class:`~symnet.paths.Chain`): a factor
given another value, paths kept or rerouted, the whole scaled, a node computed otherwise."""

import sympy as sp

from ...paths import Chain, Path


def set_factor(factor, new):
    """The edit that gives ``factor`` the value ``new`` on every path that has it."""
    return lambda chain: chain.with_factor(factor, new)


def set_factors(new):
    """The edit that gives each factor of ``new`` its value there."""
    def edit(chain):
        for factor, value in new.items():
            chain = chain.with_factor(factor, value)
        return chain
    return edit


def keep_paths(kept):
    return lambda chain: chain.keeping(kept)


def reroute(old, path, add=False):
    """Replace the path through ``old`` nodes by ``path`` (or, with ``add``, add it)."""
    return lambda chain: chain.rerouted(old, path, add)


def scale(c):
    return lambda chain: chain.scaled(c)


def recomputed(net, node, new):
    """``{node: new, every node computed from it: its definition from new}``: the forward pass
    with ``node`` computed as ``new``, for the nodes it changes."""
    later = {node: new}
    for n, definition in net.definitions.items():
        if net.order[n] > net.order[node] and definition.free_symbols & later.keys():
            later[n] = definition.xreplace(later)
    return later


def redefine(net, node, new):
    """The edit of a forward-pass slip: ``node`` computed as ``new`` (its own local factors
    re-derived), and every node after it, in the factors that name it, computed from it."""
    later = recomputed(net, node, new)

    def edit(chain):
        def value(factor, v):
            if factor.num == node:
                v = sp.diff(new, factor.den)
            return v.xreplace(later)
        return Chain(tuple(Path(p.nodes, tuple((f, value(f, v)) for f, v in p.factors))
                           for p in chain.paths), chain.scale)
    return edit
