"""The scalar form: the reverse-mode program node by node, the reference."""

import sympy as sp

from ..derive import Delta, gradients
from .ops import clip_branches, numeric_local, stable_log, total

# ----------------------------------------------------------- building the scalar form

def scalar_program(net):
    """The reverse-mode program node by node: (forward, backward, outputs, args)."""
    defs = net.definitions
    n = sp.Symbol("n_samples")
    scale = 1 / n if net.loss.reduction == "mean" else sp.S.One
    outputs = set(net.outputs)
    # act(N) → its node, so that local partials reuse the forward values (σ(N1) → h1)
    applied = {v: k for k, v in defs.items() if not v.is_Add and k != net.output}
    forward = [(k, v) for k, v in defs.items() if k != net.output]
    # the loss in pre-activations where that is stabler (log σ(N) = −softplus(−N))
    activated_out = {o: defs[o] for o in outputs if not defs[o].is_Add}
    R = getattr(net, "penalty", None)  # the L2 term: once per batch, outside the sample sum
    data_loss = defs[net.output] - R if R is not None else defs[net.output]
    loss = scale * total(stable_log(data_loss.xreplace(activated_out))) + (R or 0)

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
            expr = sp.Add(*[Delta(c) * numeric_local(net.local(c, node), applied)
                            for c in children])
        backward.append((Delta(node), clip_branches(expr)))
    grads = [total(sp.Add(*[Delta(c) * numeric_local(net.local(c, p), applied)
                            for c in net.children.get(p, ()) if c != R]))
             + (net.local(R, p) if R in net.children.get(p, ()) else 0) for p in net.params]
    args = [*net.params, *net.inputs, *net.targets, n]
    return forward, backward, [loss] + grads, args
