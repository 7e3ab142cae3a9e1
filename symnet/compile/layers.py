"""The layer form: each layer's matrix equations, generalised from one neuron's template."""

import sympy as sp

from ..architecture import Architecture
from ..derive import Partial, gradients
from ..errors import SymnetError
from ..graph import Graph
from ..printing import Rendered, latex, text
from .ops import (
    clip_branches,
    colsum,
    hadamard,
    matmul,
    outer,
    rowsum,
    softmax_cols,
    stable_log,
    total,
    transpose,
)

# ------------------------------------------------------------ building the layer form

class LayerSymbol(sp.Symbol):
    """A layer's array (W1, Z2, delta3, …): a code name, printed W^{(1)} in LaTeX."""

    def __new__(cls, letter, layer, tex=None):
        obj = super().__new__(cls, f"{letter}{layer}")
        obj.letter, obj.layer, obj.tex = letter, layer, tex or letter
        return obj

    def __getnewargs_ex__(self):
        return (self.letter, self.layer, self.tex), {}

    def _latex(self, printer, exp=None):
        tex = r"%s^{(%d)}" % (self.tex, self.layer)
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)


def _elementwise(act, Z, A):
    """f(Z) and f'(Z) of a layer, generalised from one neuron's definition and local partial.

    In f'(Z), f(Z) itself is replaced by the layer's output A (σ(Z)(1 − σ(Z)) → A(1 − A)).
    """
    if act.is_linear:
        return Z, sp.S.One
    node, activated = sp.symbols("N1 h1")
    neuron = Graph({activated: act.apply(node)})
    f = neuron.definitions[activated].xreplace({node: Z})
    fprime = neuron.local(activated, node).xreplace({node: Z})
    return f, clip_branches(fprime.xreplace({f: A}) if A is not None else fprime)


def _output_neuron(net):
    """The output layer's template: a network of one input and one output (two for softmax)
    with the output activation and loss, as (graph, architecture); its δ generalises."""
    k = 2 if net.output_activation.name == "softmax" else 1
    a = Architecture([1, k], output_activation=net.output_activation, loss=net.loss)
    return Graph(a.definitions), a


def layer_program(net):
    """The layer form: (forward, backward, outputs [loss, dW1, db1, …], args [W1, b1, …],
    output array, helpers); a layer without a bias has no b in args nor db in outputs."""
    L = len(net.sizes) - 1
    X, Y, n = sp.symbols("X Y n_samples")
    Ws = [LayerSymbol("W", l) for l in range(1, L + 1)]
    bs = [LayerSymbol("b", l) if has else None for l, has in enumerate(net.bias, start=1)]
    args = [s for pair in zip(Ws, bs) for s in pair if s is not None]
    softmax_out = net.output_activation.name == "softmax"
    forward, A, arrays = [], X, [(None, X)]
    acts = net.activations + [net.output_activation]
    for l, act in enumerate(acts, start=1):
        Z = LayerSymbol("Z", l)
        forward.append((Z, matmul(Ws[l - 1], A) + (bs[l - 1] if bs[l - 1] is not None else 0)))
        if l == L and softmax_out:
            f = softmax_cols(Z)
        else:
            f, _ = _elementwise(act, Z, None)
        A = Z if f == Z else LayerSymbol("A", l)
        if A != Z:
            forward.append((A, f))
        arrays.append((Z, A))
    scale = 1 / n if net.loss.reduction == "mean" else sp.S.One

    # the loss: the per-output term of the per-sample loss, elementwise, summed, scaled
    Z_L, A_L = arrays[L]
    applied = dict(forward)[A_L] if A_L != Z_L else Z_L
    loss = scale * total(stable_log(net.loss.per_sample([Y], [applied])))
    if A_L != Z_L:  # what stable_log left of f(Z) is the array A already computed
        loss = loss.xreplace({applied: A_L})

    # δ of the output layer, generalised from the symbolic derivation of output neuron 1
    neuron, a = _output_neuron(net)
    yhat1, y1 = a.outputs[0], a.targets[0]
    dL_dyhat = neuron.local(neuron.output, yhat1)
    G = dL_dyhat.xreplace({yhat1: A_L, y1: Y})
    node, activated = a.layers[-1][0]
    if softmax_out:  # Σ_j δ_ŷj ∂ŷj/∂N_k with ∂ŷj/∂N_k = ŷj(δ_jk − ŷk)
        delta_out = sp.expand(A_L * (G - colsum(G * A_L)))
    elif activated is None:
        delta_out = G
    else:  # the engine's δ of the neuron, division already cancelled (σ + bce: ŷ − y)
        delta_out = gradients(neuron, [node])[node].xreplace(
            {neuron.definitions[activated]: activated}).xreplace({yhat1: A_L, y1: Y, node: Z_L})
    if delta_out.free_symbols - {A_L, Y, Z_L}:
        raise SymnetError("the output δ does not reduce to an elementwise form; use form='scalar'")

    # numeric shortcuts, kept out of the printed equations: the residual R = A − Y where it
    # makes the loss or δ shorter ((Y − Z)² → R², 2(Z − Y) → 2R), and δ's scalar factor
    # (2/n) computed once as a number instead of once per array element
    helpers, R = {}, LayerSymbol("R", L)
    with_residual = [e.xreplace({Y: A_L - R}) for e in (loss, delta_out)]
    if any(sp.count_ops(r) < sp.count_ops(e) for r, e in zip(with_residual, (loss, delta_out))):
        helpers[R] = A_L - Y
        loss, delta_out = [r if sp.count_ops(r) < sp.count_ops(e) else e
                           for r, e in zip(with_residual, (loss, delta_out))]
    coeff, rest = (scale * clip_branches(delta_out)).as_independent(A_L, Y, Z_L, R, as_Add=False)
    if coeff != 1:
        helpers[sp.Symbol("c_delta")] = coeff
        coeff = sp.Symbol("c_delta")
    D = LayerSymbol("delta", L, r"\delta")
    backward = [*helpers.items(), (D, coeff * rest)]
    grads = {}
    l2 = getattr(net, "l2", 0)  # R = (λ/2) Σ W², once per batch: + λW in ∂L/∂W
    if l2:
        loss = loss + l2 / 2 * sp.Add(*[total(W * W) for W in Ws])
    for l in range(L, 0, -1):
        A_prev = arrays[l - 1][1]
        grads[Ws[l - 1]] = matmul(D, transpose(A_prev)) + l2 * Ws[l - 1]
        if bs[l - 1] is not None:
            grads[bs[l - 1]] = rowsum(D)
        if l > 1:
            Z, A = arrays[l - 1]
            _, fprime = _elementwise(acts[l - 2], Z, A)
            product = outer if net.sizes[l] == 1 else matmul
            back = product(transpose(Ws[l - 1]), D)
            D = LayerSymbol("delta", l - 1, r"\delta")
            backward.append((D, back if fprime == 1 else hadamard(back, fprime)))
    return forward, backward, [loss] + [grads[a] for a in args], args, A_L, helpers


def inline_single_use(program, outputs):
    """``(program, outputs)`` with each layer array that is used once written where it is
    used (Z1 into σ(Z1)): NumPy then frees that temporary as soon as it is consumed, and the
    next array reuses memory still in the cache.  Scalar helpers (2/n) stay named, so they
    are computed once and not folded into a product of arrays."""
    program, outputs = list(program), list(outputs)
    i = 0
    while i < len(program):
        lhs, rhs = program[i]
        later = [r for _, r in program[i + 1:]] + outputs
        squared = any(p.base == lhs and p.exp == 2 for e in later for p in e.atoms(sp.Pow))
        # a square is printed x*x: an inlined x would be computed twice
        if isinstance(lhs, LayerSymbol) and sum(e.count(lhs) for e in later) == 1 and not squared:
            program = program[:i] + [(l, r.xreplace({lhs: rhs})) for l, r in program[i + 1:]]
            outputs = [o.xreplace({lhs: rhs}) for o in outputs]
        else:
            i += 1
    return program, outputs


class LayerDerivation(Rendered):
    r"""The layer (matrix) form of backpropagation, as equations one can print.

    Forward: Z = W A + b, A = f(Z); backward: δ of the output layer, δ = Wᵀδ_next ⊙ f'(Z);
    gradients: ∂L/∂W = δ Aᵀ, ∂L/∂b = δ 1.  Arrays hold one sample per column; n is their number.

    >>> from symnet.network import Network
    >>> print(Network("2-2-1", activation="sigmoid").derive_layers())
    Z1 = W1 @ X + b1
    A1 = sigmoid(Z1)
    Z2 = W2 @ A1 + b2
    delta2 = 2*(Z2 - Y)/n
    delta1 = W2ᵀ @ delta2 ⊙ (A1*(1 - A1))
    ∂L/∂W2 = delta2 @ A1ᵀ
    ∂L/∂b2 = delta2 @ 1
    ∂L/∂W1 = delta1 @ Xᵀ
    ∂L/∂b1 = delta1 @ 1
    """

    def __init__(self, net):
        forward, backward, outputs, args, _, helpers = layer_program(net)
        n, L = sp.Symbol("n_samples"), sp.Symbol("L")
        grads = [(Partial(L, a), g) for a, g in sorted(zip(args, outputs[1:]), key=lambda ag: -ag[0].layer)]
        self.equations = [(lhs, sp.factor_terms(rhs.xreplace(helpers)).xreplace({n: sp.Symbol("n")}))
                          for lhs, rhs in forward + backward + grads if lhs not in helpers]

    def rows(self, fmt):
        show = latex if fmt == "latex" else text
        return [(show(lhs), show(rhs)) for lhs, rhs in self.equations]


