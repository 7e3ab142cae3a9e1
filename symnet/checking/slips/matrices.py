"""Slips of a vectorized backward pass: one detector each, registered in :data:`MATRIX_DETECTORS`.

A matrix-form answer (dW1 = X.T @ dZ1) is a tree, not a chain (symnet.parse.matrices).  Its
detectors propose repairs of the answer: the slip is named when the repaired answer has the
right shape and value (symnet.checking.layers).  ``ctx`` is a LayerContext: the answer's
``tree``, the ``arrays`` it may use, each layer's activation ``derivatives``, the
``convention`` and its ``batch_axis``, and ``show`` (a tree as text).
"""

from ...parse.matrices import replaced, subtrees
from .slip import Detector, Slip

MATRIX_DETECTORS = []


def matrix_detector(kind):
    """Register the decorated ``propose(ctx)`` as the detector of matrix slips of ``kind``."""
    def register(propose):
        MATRIX_DETECTORS.append(Detector(kind, propose))
        return propose
    return register


def _repair(kind, sentence, tree):
    return Slip(kind, sentence, lambda _: tree, frozenset())


@matrix_detector("transposed factor")
def _transposed(ctx):
    yield _repair("transposed factor", "your answer is the transpose of the gradient: "
                  f"{ctx.show(('T', ctx.tree))} has the right shape", ("T", ctx.tree))
    for path, sub in subtrees(ctx.tree):
        if sub[0] == "name":
            yield _repair("transposed factor", f"{sub[1]} belongs transposed here: "
                          f"{sub[1]}.T, not {sub[1]}", replaced(ctx.tree, path, ("T", sub)))
        elif sub[0] == "T" and sub[1][0] == "name":
            yield _repair("transposed factor", f"{sub[1][1]} belongs untransposed here: "
                          f"{sub[1][1]}, not {sub[1][1]}.T", replaced(ctx.tree, path, sub[1]))
        elif sub[0] == "matmul":
            yield _repair("transposed factor", "the factors of the matrix product belong the "
                          f"other way round: {ctx.show(sub[2])} @ {ctx.show(sub[1])}",
                          replaced(ctx.tree, path, ("matmul", sub[2], sub[1])))


@matrix_detector("missing 1/m")
def _missing_mean(ctx):
    yield _repair("missing 1/m", "the loss is a mean over the batch: the gradient has a 1/m "
                  "your answer misses", ("div", ctx.tree, ("name", "m")))


@matrix_detector("extra 1/m")
def _extra_mean(ctx):
    yield _repair("extra 1/m", "your answer divides by m once too often (the 1/m is in dZ "
                  "already, or the loss is a sum)", ("mul", ctx.tree, ("name", "m")))


def _products_as(ctx, kind, old, new, what, fits=lambda sub: True):
    """A repair for each ``old`` product of the tree (``mul`` or ``matmul``) that ``fits``: the
    ``new`` product of the same factors, ``what`` it is."""
    for path, sub in subtrees(ctx.tree):
        if sub[0] == old and fits(sub):
            yield _repair(kind, f"{ctx.show(sub)} is {what}: {ctx.show((new, *sub[1:]))}",
                          replaced(ctx.tree, path, (new, *sub[1:])))


@matrix_detector("elementwise for matrix product")
def _elementwise_for_product(ctx):
    yield from _products_as(ctx, "elementwise for matrix product", "mul", "matmul",
                            "a matrix product")


@matrix_detector("matrix product for elementwise")
def _product_for_elementwise(ctx):
    yield from _products_as(ctx, "matrix product for elementwise", "matmul", "mul",
                            "an elementwise product", lambda sub: "num" not in (sub[1][0], sub[2][0]))


@matrix_detector("wrong layer's array")
def _wrong_layer(ctx):
    for path, sub in subtrees(ctx.tree):
        name = sub[1] if sub[0] == "name" else ""
        letter, layer = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")):]
        if (letter not in ("A", "Z") or not layer) and name != "X":
            continue
        for other in ctx.arrays:
            if other != name:
                what = {"A": "activation", "Z": "weighted sum", "X": "input"}[other[0]]
                yield _repair("wrong layer's array", f"{name} belongs to another layer or "
                              f"stage: the {what} {other} goes here",
                              replaced(ctx.tree, path, ("name", other)))


@matrix_detector("activation's derivative")
def _derivative(ctx):
    # ctx.derivatives: {layer: (activation, its derivative as written)}; a part of the answer
    # in that layer's A and Z only (1 - A1, sigmoid'(Z1)) may be the wrong derivative
    for path, sub in subtrees(ctx.tree):
        used = {t[1] for _, t in subtrees(sub) if t[0] == "name"}
        layers = {u[1:] for u in used if u[:1] in ("A", "Z")}
        if sub[0] == "name" or len(layers) != 1 or len(used) > 2 or \
                any(u[:1] not in ("A", "Z") for u in used):
            continue
        layer = layers.pop()
        if layer in ctx.derivatives:
            act, written = ctx.derivatives[layer]
            yield _repair("activation's derivative", f"{ctx.show(sub)} is not the derivative of "
                          f"layer {layer}'s {act}: {act}'(Z{layer}) = {written}",
                          replaced(ctx.tree, path, ("fn", act + "'", ("name", "Z" + layer))))


@matrix_detector("activation's derivative missing")
def _derivative_missing(ctx):
    for layer, (act, written) in ctx.derivatives.items():
        yield _repair("activation's derivative missing", f"backpropagating through layer "
                      f"{layer}'s {act} multiplies elementwise by {act}'(Z{layer}) = {written}",
                      ("mul", ctx.tree, ("fn", act + "'", ("name", "Z" + layer))))


@matrix_detector("bias gradient not summed over the batch")
def _not_summed(ctx):
    yield _repair("bias gradient not summed over the batch", "a bias is shared by every "
                  f"sample: its gradient sums over the batch, np.sum(…, axis={ctx.batch_axis}, "
                  "keepdims=True)", ("sum", ctx.tree, ctx.batch_axis, True))


@matrix_detector("summed over the wrong axis")
def _wrong_axis(ctx):
    for path, sub in subtrees(ctx.tree):
        if sub[0] == "sum" and sub[2] not in (ctx.batch_axis, "batch"):
            yield _repair("summed over the wrong axis", f"the batch runs along axis "
                          f"{ctx.batch_axis}: np.sum(…, axis={ctx.batch_axis}), not axis={sub[2]}",
                          replaced(ctx.tree, path, ("sum", sub[1], ctx.batch_axis, sub[3])))
