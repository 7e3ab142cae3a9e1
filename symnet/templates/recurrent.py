"""A vanilla RNN unrolled for T time steps, as a circuit: the same W_xh, W_hh, W_hy (and
biases) at every step, h_t = tanh(W_xh x_t + W_hh h_{t−1} + b_h), y_t = W_hy h_t + b_y, and
L = Σ_t g_t · y_t, where g_t = ∂L/∂y_t is the gradient arriving from above (CS231n's dout).
Backpropagation through time is the chain rule on this circuit: a shared weight's gradient
sums one term per time step.
"""

import sympy as sp

from ..errors import SymnetError
from .affine import upstream
from .layout import LayerCircuit, indexed, size

NICE = (-1, -0.5, 0.5, 1)  # a seed's numbers: whole numbers up to 5 would saturate tanh


def rnn(steps=3, inputs=1, hidden=1, outputs=1, bias=True):
    """An RNN of ``steps`` time steps, ``inputs`` numbers in each x_t, ``hidden`` units in each
    state h_t and ``outputs`` in each y_t (a :class:`~symnet.templates.layout.LayerCircuit`).

    Names, one index per size above 1: inputs ``x1, x2, …`` (``x2_1``: step 2, input 1), the
    first state ``h0``, sums ``a1, …``, states ``h1, …``, outputs ``y1, …``, the upstream
    gradients ``g1, …``; weights ``W_xh, W_hh, W_hy`` (``W_hh1_2``: row 1, column 2) and
    biases ``b_h, b_y``.  The parameters are the weights, biases, x and h0 (CS231n asks dx,
    dh0, dWx, dWh, db); the g are inputs.  A seed draws each leaf from ±½ and ±1.

    >>> from symnet.templates.recurrent import rnn
    >>> c = rnn(steps=2)
    >>> print(c.definitions[c.symbol("a2")], "|", c.definitions[c.output])
    W_hh*h1 + W_xh*x2 + b_h | g1*y1 + g2*y2
    >>> c.derive("W_hh").paths        # W_hh at step 1 reaches y1 and y2; at step 2, y2
    [(L, y1, h1, a1, W_hh), (L, y2, h2, a2, W_hh), (L, y2, h2, a2, h1, a1, W_hh)]
    """
    steps, inputs = size(steps, "steps"), size(inputs, "inputs")
    hidden, outputs = size(hidden, "hidden"), size(outputs, "outputs")
    if not isinstance(bias, bool):
        raise SymnetError(f"bias must be true or false, got {bias!r}")
    ix = lambda n, i: (i,) if n > 1 else ()  # an index only where a size is above 1
    x = lambda t, i: indexed("x", t, *ix(inputs, i))
    h = lambda t, j: indexed("h", t, *ix(hidden, j))
    w_xh = {(j, i): indexed("W_xh", *ix(hidden, j), *ix(inputs, i))
            for j in range(1, hidden + 1) for i in range(1, inputs + 1)}
    w_hh = {(j, k): indexed("W_hh", *ix(hidden, j), *ix(hidden, k))
            for j in range(1, hidden + 1) for k in range(1, hidden + 1)}
    w_hy = {(k, j): indexed("W_hy", *ix(outputs, k), *ix(hidden, j))
            for k in range(1, outputs + 1) for j in range(1, hidden + 1)}
    b_h = {j: indexed("b_h", *ix(hidden, j)) for j in range(1, hidden + 1)} if bias else {}
    b_y = {k: indexed("b_y", *ix(outputs, k)) for k in range(1, outputs + 1)} if bias else {}
    definitions, at_step, ys = {}, {}, []
    for t in range(1, steps + 1):
        for j in range(1, hidden + 1):
            a = indexed("a", t, *ix(hidden, j))
            definitions[a] = sp.Add(*[w_xh[j, i] * x(t, i) for i in range(1, inputs + 1)],
                                    *[w_hh[j, k] * h(t - 1, k) for k in range(1, hidden + 1)],
                                    b_h.get(j, 0))
            definitions[h(t, j)] = sp.tanh(a)
            at_step[a] = at_step[h(t, j)] = t
        for k in range(1, outputs + 1):
            y = indexed("y", t, *ix(outputs, k))
            definitions[y] = sp.Add(*[w_hy[k, j] * h(t, j) for j in range(1, hidden + 1)],
                                    b_y.get(k, 0))
            at_step[y] = t
            ys.append(y)
    definitions[sp.Symbol("L")] = upstream(ys)
    params = [*w_xh.values(), *w_hh.values(), *b_h.values(), *w_hy.values(), *b_y.values(),
              *[x(t, i) for t in range(1, steps + 1) for i in range(1, inputs + 1)],
              *[h(0, j) for j in range(1, hidden + 1)]]
    step = {stem: "t" for stem in ("x", "a", "h", "y", "g")}  # Σ_t over the time steps
    return LayerCircuit(definitions, params, steps=at_step, nice_values=NICE, letters=step)
