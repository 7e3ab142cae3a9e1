"""The scalar form: the reverse-mode program node by node, the reference.

A network's output is its loss, whose samples combine as the loss says; a circuit's output is
its loss per sample (a row of X), averaged over the samples.  Each δ and each gradient is one
expression per sample, summed over the samples; a quantity that depends on no sample (a
circuit's penalty ``r = w**2``, a circuit without inputs) is the same for each of the n.
"""

import sympy as sp

from ..derive import Delta, gradients
from .ops import clip_branches, numeric_local, stable_log, total

# ----------------------------------------------------------- building the scalar form

def scalar_program(net):
    """The reverse-mode program node by node: (forward, backward, outputs, args)."""
    defs = net.definitions
    n = sp.Dummy("n_samples")  # a circuit may name a node n_samples
    loss_entry = getattr(net, "loss", None)  # a network's; a circuit's output is its loss
    scale = 1 / n if loss_entry is None or loss_entry.reduction == "mean" else sp.S.One
    outputs = set(getattr(net, "outputs", ()))
    targets = list(getattr(net, "targets", ()))
    per_sample = _per_sample(defs, [*net.inputs, *targets])
    summed = lambda e: total(e) if e.free_symbols & per_sample else n * e
    # act(N) → its node, so that local partials reuse the forward values (σ(N1) → h1)
    applied = {v: k for k, v in defs.items() if not v.is_Add and k != net.output}
    forward = [(k, v) for k, v in defs.items() if k != net.output]
    # the loss in pre-activations where that is stabler (log σ(N) = −softplus(−N))
    activated_out = {o: defs[o] for o in outputs if not defs[o].is_Add}
    R = getattr(net, "penalty", None)  # the L2 term: once per batch, outside the sample sum
    data_loss = defs[net.output] - R if R is not None else defs[net.output]
    loss = scale * summed(stable_log(data_loss.xreplace(activated_out))) + (R or 0)
    delta = lambda c: scale if c == net.output else Delta(c)  # a circuit's nodes under its output

    backward = []
    for node in reversed(list(defs)):
        if node == net.output or node in activated_out or node == R:
            continue
        children = net.children.get(node, ())
        if node in outputs:  # linear output: δ_ŷ = ∂L/∂ŷ
            expr = scale * net.local(net.output, node)
        elif activated_out and set(children) <= set(activated_out):
            # through the output activation: the engine's δ, whose division it already
            # cancelled (σ output with bce gives ŷ − y)
            expr = scale * numeric_local(gradients(net.graph, [node])[node], applied)
        else:
            expr = sp.Add(*[delta(c) * numeric_local(net.local(c, node), applied)
                            for c in children])
        backward.append((Delta(node), clip_branches(expr)))
        if expr.free_symbols & per_sample:
            per_sample.add(Delta(node))
    grads = [summed(sp.Add(*[delta(c) * numeric_local(net.local(c, p), applied)
                             for c in net.children.get(p, ()) if c != R]))
             + (net.local(R, p) if R in net.children.get(p, ()) else 0) for p in net.params]
    args = [*net.params, *net.inputs, *targets, n]
    return forward, backward, [loss] + grads, args


def _per_sample(definitions, data):
    """The data and every node computed from them: what has a value per sample."""
    out = set(data)
    for node, expr in definitions.items():
        if expr.free_symbols & out:
            out.add(node)
    return out
