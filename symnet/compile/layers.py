"""The layer form: each layer's matrix equations, generalised from one neuron's template."""

import sympy as sp

from ..architecture import Architecture
from ..derive import Partial, gradients
from ..errors import SymnetError
from ..graph import Graph
from ..parse.profiles import PROFILES
from ..printing import Rendered, aligned, latex, text
from .ops import (
    _ArrayOp,
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


# ------------------------------------------------------------ printing the layer form

#: the layer form per notation: δ's name, the gradients' names (∂L/∂W or dW), how a layer's
#: index is written in LaTeX, and the convention (column: Z = WX + b, one sample per column,
#: Ng; row: Z = XW + b, one sample per row, CS231n); the loss's and the batch size's names are
#: the profile's (symnet.parse.profiles.PROFILES)
LAYER_NOTATIONS = {
    "seed": dict(delta="delta", grad="partial", fence="()", convention="column"),
    "ng": dict(delta="dZ", grad="d", fence="[]", convention="column"),
    "cs231n": dict(delta="dZ", grad="d", fence="_", convention="row"),
    "nielsen": dict(delta="delta", grad="partial", fence="()", convention="column"),
    "mazur": dict(delta="delta", grad="partial", fence="()", convention="column"),
}
CONVENTIONS = ("column", "row")


class _Fenced(LayerSymbol):
    """A layer's array printed W^{[1]} (Ng) or W_{1} (CS231n) in LaTeX."""

    fence = "[]"

    def _latex(self, printer, exp=None):
        tex = r"%s_{%d}" % (self.tex, self.layer) if self.fence == "_" else \
            r"%s^{%s%d%s}" % (self.tex, self.fence[0], self.layer, self.fence[1])
        return tex if exp is None else r"\left(%s\right)^{%s}" % (tex, exp)


class _Subscripted(_Fenced):
    fence = "_"


class per(_ArrayOp):
    """(1/m) a: the batch's mean factor written in front, as Ng writes it."""
    nargs = 2
    _tex, _text = r"\frac{{1}}{{{}}} {}", "(1/{}) {}"


class batch_sum(_ArrayOp):
    """np.sum(a, axis=…, keepdims=True): a bias gradient, summed over the batch."""
    nargs = 2

    def _latex(self, printer, exp=None):
        return r"\sum_{\text{axis } %s} %s" % (self.args[1], printer._print(self.args[0]))

    def _sympystr(self, printer):
        return "np.sum(%s, axis=%s, keepdims=True)" % (printer._print(self.args[0]), self.args[1])


class LayerDerivation(Rendered):
    r"""The layer (matrix) form of backpropagation, as equations one can print.

    Forward: Z = W A + b, A = f(Z); backward: δ of the output layer, δ = Wᵀδ_next ⊙ f'(Z);
    gradients: ∂L/∂W = δ Aᵀ, ∂L/∂b = δ 1.  Arrays hold one sample per column; n is their number.
    ``convention="row"`` writes one sample per row (Z = X W + b, ∂L/∂W = Aᵀ δ, CS231n);
    ``notation`` names the arrays as a book does: ``"seed"`` (δ including the batch's 1/n),
    ``"ng"`` (dZ per sample, dW = (1/m) dZ Aᵀ, J) or ``"cs231n"`` (row convention, dZ including
    1/N); ``shapes=True`` writes each array's shape after its equation (``equations`` holds
    ``(lhs, rhs, shape)``).  Softmax with cross-entropy assumes each sample's targets sum to 1
    (δ = A − Y), and says so.

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
    >>> ng = Network("2-4-1", activation="tanh", loss="bce").derive_layers(notation="ng", shapes=True)
    >>> print("\n".join(ng.text().splitlines()[4:]))
    dZ2 = A2 - Y                                           (1×m)
    dW2 = (1/m) dZ2 @ A1ᵀ                                  (1×4)
    db2 = (1/m) np.sum(dZ2, axis=1, keepdims=True)         (1×1)
    dZ1 = W2ᵀ @ dZ2 ⊙ (1 - A1**2)                          (4×m)
    dW1 = (1/m) dZ1 @ Xᵀ                                   (4×2)
    db1 = (1/m) np.sum(dZ1, axis=1, keepdims=True)         (4×1)
    """

    def __init__(self, net, convention=None, notation="seed", shapes=False):
        if notation not in LAYER_NOTATIONS:
            raise SymnetError(f"unknown notation {notation!r} for the layer form; valid: "
                              f"{', '.join(LAYER_NOTATIONS)}")
        names = {**PROFILES[notation], **LAYER_NOTATIONS[notation]}  # loss, batch: the profile's
        convention = convention or names["convention"]
        if convention not in CONVENTIONS:
            raise SymnetError(f"unknown convention {convention!r}; valid: column (Z = W X + b, "
                              "one sample per column) or row (Z = X W + b, one sample per row)")
        self.net, self.notation, self.convention, self.shapes = net, notation, convention, shapes
        forward, backward, outputs, args, _, helpers = layer_program(net)
        n, m = sp.Symbol("n_samples"), sp.Symbol(names["batch"])
        mean = net.loss.reduction == "mean"
        row = convention == "row"
        sizes = net.sizes
        L = len(sizes) - 1
        self.assumption = None
        delta_out = sp.factor_terms(backward[len(helpers)][1].xreplace(helpers))
        if net.output_activation.name == "softmax" and net.loss.targets == "distribution":
            delta_out = sp.factor_terms(delta_out.xreplace({colsum(sp.Symbol("Y")): 1}))
            self.assumption = "the targets of each sample sum to 1"
        per_sample = names["delta"] == "dZ" and not row  # Ng's dZ: the 1/m goes to dW and db
        if per_sample and mean:
            c, rest = sp.factor_terms(delta_out * n).as_content_primitive()
            delta_out = rest if c == 1 else c * sp.UnevaluatedExpr(rest)  # 2(Z − Y), kept

        def shape(rows, cols="batch"):
            cols = m if cols == "batch" else cols
            return (cols, rows) if row else (rows, cols)

        def mean_of(e):
            return per(m, e) if per_sample and mean else e

        X = sp.Symbol("X")
        Ws = [a for a in args if a.letter == "W"]
        bs = {a.layer: a for a in args if a.letter == "b"}
        fwd = [(lhs, rhs, shape(sizes[lhs.layer])) for lhs, rhs in forward]
        if row:
            fwd = [(lhs, rhs.replace(lambda e: isinstance(e, matmul),
                                     lambda e: matmul(e.args[1], e.args[0])), s)
                   for lhs, rhs, s in fwd]
        A = {0: X, **{lhs.layer: lhs for lhs, _, _ in fwd}}  # each layer's output, A or Z
        Zs = {lhs.layer: lhs for lhs, _, _ in fwd if lhs.letter == "Z"}
        delta = lambda l: LayerSymbol(names["delta"], l, r"\delta" if names["delta"] == "delta" else "dZ")
        grad = lambda p: Partial(sp.Symbol(names["loss"]), p) if names["grad"] == "partial" \
            else LayerSymbol("d" + p.letter, p.layer)
        D, deltas, grads = delta(L), [(delta(L), delta_out, shape(sizes[L]))], []
        l2 = getattr(net, "l2", 0)
        for l in range(L, 0, -1):
            W = Ws[l - 1]
            dW = matmul(transpose(A[l - 1]), D) if row else matmul(D, transpose(A[l - 1]))
            layer = [(grad(W), mean_of(dW) + l2 * W, shape(sizes[l], sizes[l - 1]))]
            if l in bs:
                db = batch_sum(D, 0 if row else 1) if names["delta"] == "dZ" else \
                    (colsum(D) if row else rowsum(D))
                layer.append((grad(bs[l]), mean_of(db), shape(sizes[l], 1)))
            grads.append(layer)
            if l > 1:
                _, fprime = _elementwise(net.activations[l - 2], Zs[l - 1],
                                         A[l - 1] if A[l - 1] != Zs[l - 1] else None)
                back = matmul(D, transpose(W)) if row else matmul(transpose(W), D)
                D = delta(l - 1)
                deltas.append((D, back if fprime == 1 else hadamard(back, fprime),
                               shape(sizes[l - 1])))
        if notation == "seed":  # every δ, then every gradient
            backward = deltas + [g for layer in grads for g in layer]
        else:  # each layer's dZ, then its dW and db (Ng's six equations)
            backward = [e for d, layer in zip(deltas, grads) for e in (d, *layer)]
        self.equations = [(lhs, rhs.xreplace({n: m}), s) for lhs, rhs, s in fwd + backward]
        if names["fence"] != "()":
            cls = _Subscripted if names["fence"] == "_" else _Fenced
            styled = lambda e: e.replace(lambda a: type(a) is LayerSymbol,
                                         lambda a: cls(a.letter, a.layer, a.tex))
            self.equations = [(styled(lhs), styled(rhs), s) for lhs, rhs, s in self.equations]

    def rows(self, fmt):
        show = latex if fmt == "latex" else text
        rows = [(show(lhs), show(rhs)) for lhs, rhs, _ in self.equations]
        if self.shapes:
            times = r" \times " if fmt == "latex" else "×"
            sizes = [times.join(map(show, s)) for _, _, s in self.equations]
            if fmt == "latex":
                rows = [(lhs, rf"{rhs} \quad ({size})") for (lhs, rhs), size in zip(rows, sizes)]
            else:
                width = max(len(lhs) + len(rhs) for lhs, rhs in rows) + 5
                rows = [(lhs, f"{rhs:<{width - len(lhs)}}({size})")
                        for (lhs, rhs), size in zip(rows, sizes)]
        return rows

    def text(self):
        out = super().text()
        return out + f"\n  (assuming {self.assumption})" if self.assumption else out

    def latex(self):
        rows = self.rows("latex")
        if self.assumption:
            rows.append(r"&\text{(assuming %s)}" % self.assumption)
        return aligned(rows)
