"""Layer normalization of one sample's n features: the statistics of batch normalization
taken over the features, with a γ_i and β_i per feature: y_i = γ_i x̂_i + β_i, L = Σ_i g_i y_i.

>>> ln = layernorm(n=3)
>>> ln.params
[beta1, beta2, beta3, gamma1, gamma2, gamma3, x1, x2, x3]
"""

import sympy as sp

from ..values import count
from .affine import upstream
from .batchnorm import MAX_BATCH, closed_dx, normalized
from .layout import LayerCircuit


def layernorm(n=4, eps=0):
    """``n`` features x_i normalized by their own mean and (biased) variance, then scaled and
    shifted per feature (``gammai``, ``betai``); ``eps`` as in batch normalization."""
    n = count(n, "n (features)", 2, MAX_BATCH)
    x = [sp.Symbol(f"x{i}") for i in range(1, n + 1)]
    definitions = normalized(x, False, eps)
    ys = []
    for i in range(1, n + 1):
        ys.append(sp.Symbol(f"y{i}"))
        definitions[ys[-1]] = sp.Symbol(f"gamma{i}") * sp.Symbol(f"xhat{i}") + sp.Symbol(f"beta{i}")
    definitions[sp.Symbol("L")] = upstream(ys)
    params = [f"{p}{i}" for p in ("beta", "gamma") for i in range(1, n + 1)]
    return LayerCircuit(definitions, params + x, closed_forms=closed_dx(n, per_feature=True))
