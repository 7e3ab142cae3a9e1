"""Slips taught with the layers courses assign (symnet.templates): a convolution's filter not
flipped, an RNN's time step missing, batch norm's n for n − 1, softmax-CE's −p for the target."""

from itertools import combinations

import sympy as sp

from ...derive import Partial
from ...functions import softmax
from ...paths import Chain, Path
from ..wording import and_list
from .edits import keep_paths, recomputed, redefine, set_factors
from .slip import Slip


def unflipped(ctx):
    # ∂y/∂x of a convolution is a filter weight; dx is g convolved with the filter turned by
    # 180°, and an answer that does not turn it (or turns it twice) reads the mirror weights
    mirrored = {f: ctx.mirrors[v] for f, v in ctx.factors.items()
                if v in ctx.mirrors and f.den not in ctx.mirrors and ctx.mirrors[v] != v}
    if mirrored:
        shown = [f"{ctx.show(ctx.mirrors[w])} where {ctx.show(w)} belongs" for w in
                 dict.fromkeys(ctx.factors[f] for f in mirrored)]
        yield Slip("filter not flipped",
                   "the input's gradient is the upstream gradient convolved with the filter "
                   "turned by 180°, and your answer turns it not once (not at all, or twice): "
                   f"it has {and_list(shown)}", set_factors(mirrored), frozenset(mirrored))


def missing_step(ctx):
    # a weight shared by the time steps of an RNN: its gradient sums one term per step
    by_step = {}
    for p in ctx.chain.paths:
        by_step.setdefault(ctx.steps.get(p.nodes[-2]), []).append(p)
    if None in by_step or len(by_step) < 2:
        return
    steps = sorted(by_step)
    # one step left out, or several (all but one, at most): of a short sequence, every choice
    most = len(steps) - 1 if len(steps) <= MAX_STEPS_LEFT_OUT else 1
    for k in range(1, most + 1):
        for left in combinations(steps, k):
            missed = [p for step in left for p in by_step[step]]
            kept = [p for p in ctx.chain.paths if p not in missed]
            lost = {f for p in missed for f, _ in p.factors} - \
                {f for p in kept for f, _ in p.factors}
            uses = and_list(sorted({str(p.nodes[-2]) for p in missed}))
            which = f"step {left[0]}" if k == 1 else f"steps {and_list(map(str, left))}"
            yield Slip("time step missing in BPTT",
                       f"{ctx.wrt} is shared by the {len(steps)} time steps, and its gradient "
                       f"sums over them: your answer misses {which} (through {uses})",
                       keep_paths({p.nodes for p in kept}),
                       frozenset(p.nodes for p in missed) | lost)


MAX_STEPS_LEFT_OUT = 6  # time steps up to which any set of them left out is tried (63 sets)


def _variance(net, node):
    """``(k, divisor)`` when ``node`` is a variance, a sum of k squares divided by k or k − 1."""
    if not net.definitions[node].has(sp.Pow):  # a neuron's weighted sum: no work spent
        return None
    c, rest = sp.factor_terms(net.definitions[node]).as_coeff_Mul()
    if not rest.is_Add or not c.is_Rational or c.p != 1:
        return None
    squared = lambda t: t.is_Pow and t.exp == 2 or \
        t in net.definitions and net.definitions[t].is_Pow and net.definitions[t].exp == 2
    k = len(rest.args)
    return (k, c.q) if all(squared(t) for t in rest.args) and c.q in (k, k - 1) else None


def bessel(ctx):
    # batch norm's σ² = Σ d_i²/m; with Bessel's correction /(m − 1): a student uses the other
    for node in ctx.net.definitions:
        found = _variance(ctx.net, node)
        if found is None:
            continue
        k, q = found
        used = k if q == k - 1 else k - 1
        new = ctx.net.definitions[node] * sp.Rational(q, used)
        changed = recomputed(ctx.net, node, new).keys()
        touched = frozenset(f for f, v in ctx.factors.items()
                            if f.num == node or v.free_symbols & changed)
        if not touched:  # ∂L/∂β does not read the variance
            continue
        sentence = (f"you divided {node} by n = {k} where Bessel's n − 1 = {k - 1} belongs"
                    if q == k - 1 else
                    f"you divided {node} by n − 1 = {k - 1} (Bessel's correction) where this "
                    f"variance divides by n = {k}")
        yield Slip("n for n − 1 in the variance", sentence, redefine(ctx.net, node, new), touched)


def target_class(ctx):
    # L = −log p_t, p_t = softmax_t(z): ∂L/∂z_t = p_t − 1, written −p_t (∂L/∂z_j = p_j elsewhere)
    loss = ctx.net.definitions.get(ctx.of)
    if loss is None or (-loss).func != sp.log or (-loss).args[0] not in ctx.net.definitions:
        return
    p = (-loss).args[0]
    prob = ctx.net.definitions[p]
    if not isinstance(prob, softmax) or prob.args[prob.args[0]] != ctx.wrt:
        return
    path = Path((ctx.of, ctx.wrt), ((Partial(ctx.of, ctx.wrt), -p),))
    yield Slip("−p instead of p − 1 for the target class",
               f"{ctx.wrt} is the target class's logit: ∂{ctx.of}/∂{ctx.wrt} = {p} − 1, not −{p}",
               lambda chain: Chain((path,)), frozenset(ctx.factors))
