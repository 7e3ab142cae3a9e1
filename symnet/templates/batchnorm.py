"""Batch normalization of one feature over a batch of m values, in the step-by-step graph
lectures draw (CS231n, Kratzert's staged graph): the mean μ, the deviations d_i = x_i − μ,
the variance σ² (biased, or Bessel's n − 1), σ = √(σ² + ε), x̂_i = d_i/σ and
y_i = γ x̂_i + β, under upstream gradients g: L = Σ_i g_i y_i.

>>> bn = batchnorm(m=2)
>>> print(bn)
mu = (x1 + x2)/2
d1 = x1 - mu
d2 = x2 - mu
var = (d1**2 + d2**2)/2
std = sqrt(var)
xhat1 = d1/std
xhat2 = d2/std
y1 = gamma*xhat1 + beta
y2 = gamma*xhat2 + beta
L = g1*y1 + g2*y2
(output L; parameters beta, gamma, x1, x2; inputs g1, g2)
"""

import sympy as sp

from ..errors import SymnetError
from ..values import count, exact_number
from .affine import upstream
from .layout import LayerCircuit

MAX_BATCH = 8  # a batch a page holds


def batchnorm(m=4, bessel=False, eps=0):
    """One feature over a batch of ``m``: parameters γ (``gamma``), β (``beta``) and the
    inputs x_i; the variance divides by m, or by m − 1 with ``bessel``; ``eps`` is a number
    written into σ = √(σ² + ε) (default 0), or a name, ε as a leaf of its own."""
    m = count(m, "m (the batch)", 2, MAX_BATCH)
    if not isinstance(bessel, bool):
        raise SymnetError(f"bessel must be true or false, got {bessel!r}")
    x = [sp.Symbol(f"x{i}") for i in range(1, m + 1)]
    definitions = normalized(x, bessel, eps)
    gamma, beta = sp.Symbol("gamma"), sp.Symbol("beta")
    ys = []
    for i in range(1, m + 1):
        ys.append(sp.Symbol(f"y{i}"))
        definitions[ys[-1]] = gamma * sp.Symbol(f"xhat{i}") + beta
    definitions[sp.Symbol("L")] = upstream(ys)
    return LayerCircuit(definitions, ["beta", "gamma"] + x,
                        closed_forms=closed_dx(m, bessel))


def closed_dx(n, bessel=False, per_feature=False):
    """``{x_i: ∂L/∂x_i}`` in the one line lectures derive (CS231n; Karpathy's backprop
    ninja): with dx̂_j = γ g_j, ∂L/∂x_i = γ/(nσ) (n g_i − Σ_j g_j − x̂_i Σ_j g_j x̂_j), the last
    sum times n/(n − 1) with Bessel's n − 1; with a γ_j ``per_feature`` (layer norm),
    1/(nσ) (n γ_i g_i − Σ_j γ_j g_j − x̂_i Σ_j γ_j g_j x̂_j).

    >>> import symnet as sn
    >>> print(sn.text(closed_dx(2)[sp.Symbol("x1")]))
    gamma*(2*g1 - Σ_{j=1..2} g[j] - xhat1*Σ_{j=1..2} (g[j]*xhat[j]))/(2*std)
    """
    j, std, gamma = sp.Symbol("j"), sp.Symbol("std"), sp.Symbol("gamma")
    g, xhat, gammas = (sp.IndexedBase(sp.Symbol(s)) for s in ("g", "xhat", "gamma"))
    dxhat = (lambda k: gammas[k] * g[k]) if per_feature else (lambda k: g[k])
    scale = sp.Rational(n, n - 1) if bessel else 1
    out = {}
    for i in range(1, n + 1):
        mine = sp.Symbol(f"g{i}") * (sp.Symbol(f"gamma{i}") if per_feature else 1)
        inner = n * mine - sp.Sum(dxhat(j), (j, 1, n)) - \
            scale * sp.Symbol(f"xhat{i}") * sp.Sum(dxhat(j) * xhat[j], (j, 1, n))
        out[sp.Symbol(f"x{i}")] = (1 if per_feature else gamma) * inner / (n * std)
    return out


def normalized(x, bessel, eps):
    """The definitions of μ, d_i, σ², σ and x̂_i over the values ``x`` (shared by batch and
    layer normalization)."""
    n = len(x)
    mu = sp.Symbol("mu")
    d = [sp.Symbol(f"d{i}") for i in range(1, n + 1)]
    var, std = sp.Symbol("var"), sp.Symbol("std")
    definitions = {mu: _mean(x, n)}
    definitions.update({di: xi - mu for di, xi in zip(d, x)})
    definitions[var] = _mean([di**2 for di in d], n - 1 if bessel else n)
    definitions[std] = sp.sqrt(var + _epsilon(eps))
    definitions.update({sp.Symbol(f"xhat{i}"): di / std for i, di in enumerate(d, 1)})
    return definitions


def _mean(terms, n):
    """(t1 + … + tn)/n as lectures write it (SymPy would distribute the 1/n over the terms)."""
    return sp.Mul(sp.Rational(1, n), sp.Add(*terms), evaluate=False)


def _epsilon(eps):
    if isinstance(eps, str) and eps.isidentifier():
        return sp.Symbol(eps)
    value = exact_number(eps, "eps")
    if value < 0:
        raise SymnetError(f"eps must be 0 or more (it keeps σ² + ε positive), got {eps}")
    return value
