"""Single-head attention over n tokens of width d: scores s_ij = q_i·k_j/√d, weights
a_ij = softmax_j(s_i), outputs o_ic = Σ_j a_ij v_jc, under upstream gradients g:
L = Σ_ic g_ic o_ic (softmax(QKᵀ/√d)V ⊙ G summed; G = I gives the trace).

>>> c = attention(n=2, d=1)
>>> print(c.definitions[c.symbol("s1_2")], c.definitions[c.symbol("a1_2")])
k2_1*q1_1 softmax(2, s1_1, s1_2)
"""

import sympy as sp

from ..functions import softmax
from ..values import count
from .affine import upstream
from .layout import LayerCircuit

MAX_TOKENS = 4
MAX_WIDTH = 4
NICE = (-1.5, -1, -0.5, 0.5, 1, 1.5)  # a seed's numbers: whole numbers up to 5 saturate the softmax


def attention(n=2, d=2):
    """Queries ``qi_c``, keys ``kj_c`` and values ``vj_c`` of ``n`` tokens of width ``d`` (all
    parameters), scores ``si_j``, weights ``ai_j``, outputs ``oi_c`` and upstream ``gi_c``."""
    n, d = count(n, "n (tokens)", 1, MAX_TOKENS), count(d, "d (width)", 1, MAX_WIDTH)
    sym = lambda stem, i, c: sp.Symbol(f"{stem}{i}_{c}")
    tokens, width = range(1, n + 1), range(1, d + 1)
    definitions = {}
    for i in tokens:
        for j in tokens:
            definitions[sym("s", i, j)] = sp.Add(*[sym("q", i, c) * sym("k", j, c)
                                                   for c in width]) / sp.sqrt(d)
    for i in tokens:
        scores = [sym("s", i, j) for j in tokens]
        for j in tokens:
            definitions[sym("a", i, j)] = softmax(j, *scores)
    outputs = []
    for i in tokens:
        for c in width:
            outputs.append(sym("o", i, c))
            definitions[outputs[-1]] = sp.Add(*[sym("a", i, j) * sym("v", j, c) for j in tokens])
    definitions[sp.Symbol("L")] = upstream(outputs)
    params = [sym(stem, i, c) for stem in "qkv" for i in tokens for c in width]
    # Σ_i over queries, Σ_j over keys, Σ_c over the width; Σ_l over a softmax's other scores
    letters = {"o": "ic", "g": "ic", "a": "ij", "s": "il"}
    return LayerCircuit(definitions, params, nice_values=NICE, letters=letters)
