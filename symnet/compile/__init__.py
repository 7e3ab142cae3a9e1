"""Compile a network's (or a circuit's) symbolic derivation into NumPy code with ``lambdify``.

Two forms, both generated from the symbolic derivation (never a hand-written backprop):

* the **layer form** groups each layer's per-neuron results into matrix equations — Nielsen's
  BP1–BP4: Z = W·A + b, A = f(Z); δ of the output layer; δ = (Wᵀ δ_next) ⊙ f'(Z);
  ∂L/∂W = δ·Aᵀ; ∂L/∂b = δ·1 — and lambdifies them: a few NumPy calls per layer;
* the **scalar form** lambdifies the reverse-mode program itself, one assignment per node and
  per δ, passed to lambdify's ``cse`` hook as the common subexpressions: the reference.

Data are laid out as (features, samples) inside; users pass X of shape (n, inputs) and Y of
shape (n, outputs) or (n,).  Generated code uses stable forms: σ as ½(1 + tanh(x/2)), softplus
as logaddexp(0, x), binary and softmax cross-entropy in terms of the pre-activation, the output
δ simplified symbolically (σ output with bce gives ŷ − y, with no division by ŷ), and the
unused branch of a piecewise derivative clipped so that it cannot overflow.

>>> import numpy as np
>>> from symnet.network import Network
>>> model = Network("2-2-1").compile()
>>> params = {"w1": 1, "w2": 0, "w3": 0, "w4": 1, "w5": 1, "w6": 1, "b1": 0, "b2": 0, "b3": 0}
>>> model.predict(params, [[1.0, 2.0]])
array([[3.]])
>>> model.loss(params, [[1.0, 2.0]], [1.0])
4.0
"""


from .circuit import CircuitModel
from .codegen import BACKENDS
from .layers import LayerDerivation, LayerSymbol
from .model import FORMS, Model

__all__ = ["BACKENDS", "FORMS", "CircuitModel", "LayerDerivation", "LayerSymbol", "Model"]
