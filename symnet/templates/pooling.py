"""Max pooling as a circuit: each output the max of the inputs in its window (CS231n's
``max_pool_forward_naive``), and L = Σ g · p, where g = ∂L/∂p is the gradient arriving from
above.  Each window is one max gate: it gives all of its gradient to its largest input.
"""

from itertools import product

import sympy as sp

from ..errors import SymnetError
from ..functions import maximum
from .affine import upstream
from .layout import LayerCircuit, bounded_terms, indexed, size


def maxpool(height=4, width=4, pool=2, stride=None, channels=1):
    """Max pooling of a ``height`` × ``width`` input (and ``channels``) over ``pool`` × ``pool``
    windows moved by ``stride`` (default ``pool``: windows that do not overlap), a
    :class:`~symnet.templates.layout.LayerCircuit`.  Names: inputs ``x1_1, …`` (``x2_1_3``:
    channel 2, row 1, column 3), outputs ``p1_1, …``, upstream gradients ``g1_1, …``; the x are
    the parameters, the g inputs.

    >>> from symnet.templates.pooling import maxpool
    >>> c = maxpool(height=2, width=4)
    >>> c.definitions[c.symbol("p1_2")]
    max(x1_3, x1_4, x2_3, x2_4)
    >>> c.at({**{f"x{i}_{j}": i * j for i in (1, 2) for j in range(1, 5)}, "g1_1": 1, "g1_2": 1}
    ...      ).gradients[c.symbol("x2_4")]
    1
    """
    height, width = size(height, "height"), size(width, "width")
    pool, channels = size(pool, "pool"), size(channels, "channels")
    stride = pool if stride is None else size(stride, "stride")
    out = []
    for n in (height, width):
        if pool > n or (n - pool) % stride:
            raise SymnetError(f"{pool} × {pool} windows do not cover {height} × {width} inputs "
                              f"in whole strides of {stride}")
        out.append((n - pool) // stride + 1)
    bounded_terms(channels * out[0] * out[1] * pool**2, "this max pooling")
    c_ix = lambda c: (c,) if channels > 1 else ()
    definitions = {}
    for c in range(1, channels + 1):
        for i, j in product(range(out[0]), range(out[1])):
            window = [indexed("x", *c_ix(c), i * stride + a + 1, j * stride + b + 1)
                      for a, b in product(range(pool), repeat=2)]
            p = indexed("p", *c_ix(c), i + 1, j + 1)
            definitions[p] = maximum(*window)
    definitions[sp.Symbol("L")] = upstream(list(definitions))
    xs = [indexed("x", *c_ix(c), i, j) for c in range(1, channels + 1)
          for i in range(1, height + 1) for j in range(1, width + 1)]
    read = {s for e in definitions.values() for s in e.free_symbols}  # a stride may skip some
    return LayerCircuit(definitions, [x for x in xs if x in read])
