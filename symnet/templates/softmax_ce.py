"""Softmax with cross-entropy over K classes: p_j = softmax_j(z), L = −log p_t for the target
class t; ∂L/∂z_j = p_j − y_j (ŷ − y with a one-hot y).

>>> c = softmax_ce(k=3, target=1)
>>> print(c)
p1 = softmax(1, z1, z2, z3)
p2 = softmax(2, z1, z2, z3)
p3 = softmax(3, z1, z2, z3)
L = -log(p1)
(output L; parameters z1, z2, z3; inputs none)
>>> c.derive("z1").result, c.derive("z2").result
(p1 - 1, p2)
"""

import sympy as sp

from ..functions import softmax
from ..values import count
from .layout import LayerCircuit

MAX_CLASSES = 8
NICE = (-2, -1, 1, 2)  # a seed's logits: −5 … 5 gives probabilities of 0.0003


def softmax_ce(k=3, target=1):
    """Logits ``z1 … zk``, probabilities ``p1 … pk`` and the cross-entropy of class
    ``target`` (counted from 1)."""
    k = count(k, "k (classes)", 2, MAX_CLASSES)
    target = count(target, "target (a class from 1 to k)", 1, k)
    z = [sp.Symbol(f"z{j}") for j in range(1, k + 1)]
    definitions = {sp.Symbol(f"p{j}"): softmax(j, *z) for j in range(1, k + 1)}
    definitions[sp.Symbol("L")] = -sp.log(sp.Symbol(f"p{target}"))
    return LayerCircuit(definitions, z, nice_values=NICE)
