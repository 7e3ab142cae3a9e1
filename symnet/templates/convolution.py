"""Convolution layers as circuits, in 1-D and 2-D: every output is the shared filter's weights
times the inputs under it, plus the filter's bias (CS231n's ``conv_forward_naive``: a
cross-correlation, with ``stride`` and zero ``pad``), and L = Σ g · y, where g = ∂L/∂y is the
gradient arriving from above (CS231n's dout).  Padding adds no nodes: a product with a zero
is left out.  The input gradient is then a full convolution of g with the filter turned by
180°, the filter gradient a correlation of the input with g, the bias gradient Σ g.
"""

from itertools import product
from math import prod

import sympy as sp

from ..errors import SymnetError
from .affine import upstream
from .layout import LayerCircuit, bounded_terms, indexed, size


def conv1d(length=4, kernel=2, channels=1, filters=1, stride=1, pad=0, bias=True):
    """A 1-D convolution of an input of ``length`` positions (and ``channels``) with
    ``filters`` filters of ``kernel`` taps (a :class:`~symnet.templates.layout.LayerCircuit`).
    Names as :func:`conv2d`'s, with one position index: ``x1, …``, ``w1, …``, ``y1, …``.

    >>> from symnet.templates.convolution import conv1d
    >>> c = conv1d(length=3)
    >>> [f"{k} = {v}" for k, v in c.definitions.items()]
    ['y1 = b + w1*x1 + w2*x2', 'y2 = b + w1*x2 + w2*x3', 'L = g1*y1 + g2*y2']
    """
    return _convolution((length,), kernel, channels, filters, stride, pad, bias)


def conv2d(height=3, width=3, kernel=2, channels=1, filters=1, stride=1, pad=0, bias=True):
    """A 2-D convolution of a ``height`` × ``width`` input (and ``channels``) with ``filters``
    filters of ``kernel`` × ``kernel`` taps (a :class:`~symnet.templates.layout.LayerCircuit`).

    Names, with a filter's and a channel's index only when there is more than one: inputs
    ``x1_1, …`` (``x2_1_3``: channel 2, row 1, column 3), weights ``w1_1, …`` (filter,
    channel, row, column), biases ``b`` (``b1, …``), outputs ``y1_1, …`` and the upstream
    gradients ``g1_1, …``.  The parameters are x, w and b (CS231n asks dx, dw, db); the g are
    inputs.

    >>> from symnet.templates.convolution import conv2d
    >>> c = conv2d()                                 # a 3×3 input, a 2×2 filter
    >>> c.definitions[c.symbol("y1_2")]
    b + w1_1*x1_2 + w1_2*x1_3 + w2_1*x2_2 + w2_2*x2_3
    >>> c.derive("x2_2").result
    g1_1*w2_2 + g1_2*w2_1 + g2_1*w1_2 + g2_2*w1_1
    """
    return _convolution((height, width), kernel, channels, filters, stride, pad, bias)


def _convolution(shape, kernel, channels, filters, stride, pad, bias):
    shape = tuple(size(n, "an input's size") for n in shape)
    stride, pad = size(stride, "stride"), size(pad, "pad", low=0)
    kernel = (size(kernel, "kernel"),) * len(shape)
    if not isinstance(bias, bool):
        raise SymnetError(f"bias must be true or false, got {bias!r}")
    channels, filters = size(channels, "channels"), size(filters, "filters")
    out = []
    for n, k in zip(shape, kernel):
        if k > n + 2 * pad or (n + 2 * pad - k) % stride:
            raise SymnetError(f"a filter of {k} taps does not fit {n} inputs padded by {pad} "
                              f"in whole strides of {stride}: (n + 2·pad − kernel)/stride = "
                              f"({n} + 2·{pad} − {k})/{stride} must be a whole number ≥ 0")
        out.append((n + 2 * pad - k) // stride + 1)
    bounded_terms(filters * channels * prod(out) * kernel[0] ** len(shape), "this convolution")
    f_ix = lambda f: (f,) if filters > 1 else ()
    c_ix = lambda c: (c,) if channels > 1 else ()
    w = {(f, c, *tap): indexed("w", *f_ix(f), *c_ix(c), *(i + 1 for i in tap))
         for f in range(1, filters + 1) for c in range(1, channels + 1)
         for tap in product(*map(range, kernel))}
    mirrors = {s: w[(f, c, *(k - 1 - i for i, k in zip(tap, kernel)))]
               for (f, c, *tap), s in w.items()}
    definitions = {}
    for f in range(1, filters + 1):
        for at in product(*map(range, out)):
            terms = []
            for c in range(1, channels + 1):
                for tap in product(*map(range, kernel)):
                    pos = [o * stride + i - pad for o, i in zip(at, tap)]
                    if all(0 <= p < n for p, n in zip(pos, shape)):  # else a padded zero
                        terms.append(w[(f, c, *tap)] * indexed("x", *c_ix(c), *(p + 1 for p in pos)))
            if bias:
                terms.append(indexed("b", *f_ix(f)))
            y = indexed("y", *f_ix(f), *(o + 1 for o in at))
            definitions[y] = sp.Add(*terms)
    definitions[sp.Symbol("L")] = upstream(list(definitions))
    xs = [indexed("x", *c_ix(c), *(p + 1 for p in pos))
          for c in range(1, channels + 1) for pos in product(*map(range, shape))]
    params = [*xs, *w.values(), *([indexed("b", *f_ix(f)) for f in range(1, filters + 1)] * bias)]
    read = {s for e in definitions.values() for s in e.free_symbols}  # a stride may skip some
    # Σ over the output's positions: p along a line; i (rows) and j (columns) in an image
    position = "f" * (filters > 1) + ("p" if len(shape) == 1 else "ij")
    letters = {"y": position, "g": position}
    return LayerCircuit(definitions, [p for p in params if p in read], mirrors=mirrors,
                        letters=letters)
