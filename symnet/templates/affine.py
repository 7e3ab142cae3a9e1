"""An affine (fully connected) layer, y = Wx + b, under upstream gradients g: L = Σ_j g_j y_j.

>>> c = affine(n=2, k=2)
>>> print(c.derive("x1").result)
g1*w1_1 + g2*w2_1
"""

import sympy as sp

from ..circuits import Circuit
from ..values import count

MAX_SIZE = 8  # inputs or outputs of a layer a page holds


def affine(n=3, k=2):
    """``n`` inputs x_i, ``k`` outputs y_j = Σ_i w_{j,i} x_i + b_j (weights ``wj_i``), and
    L = Σ_j g_j y_j; parameters W, b and x (∂L/∂x is what the layer below receives).

    >>> affine(n=1, k=1).gradients()
    {w1_1: g1*x1, b1: g1, x1: g1*w1_1}
    """
    n, k = count(n, "n (inputs)", 1, MAX_SIZE), count(k, "k (outputs)", 1, MAX_SIZE)
    x = [sp.Symbol(f"x{i}") for i in range(1, n + 1)]
    definitions, params = {}, []
    for j in range(1, k + 1):
        w = [sp.Symbol(f"w{j}_{i}") for i in range(1, n + 1)]
        definitions[sp.Symbol(f"y{j}")] = sp.Add(*[wi * xi for wi, xi in zip(w, x)]) + \
            sp.Symbol(f"b{j}")
        params += w + [sp.Symbol(f"b{j}")]
    definitions[sp.Symbol("L")] = upstream(list(definitions))
    return Circuit(definitions, params=[str(p) for p in params + x], sums=True)


def upstream(outputs, prefix="g"):
    """L = Σ g·y over ``outputs``, the upstream gradient of ``yj`` (or ``oi_j``) named by the
    same index (``gj``, ``gi_j``): a one-hot g picks one output."""
    return sp.Add(*[sp.Symbol(prefix + _index(y)) * y for y in outputs])


def _index(symbol):
    name = symbol.name
    return name[len(name.rstrip("0123456789_")):]
