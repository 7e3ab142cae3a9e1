"""Fused training steps: forward, the generated gradient and the update in one function that
keeps the parameters on the backend's device (jitted on JAX).

An update rule is a pure function ``update(params, grads, state, lr, t) -> (params, state)`` on
lists of per-layer arrays ``[W1, b1, W2, b2, …]``, written with the operators of the arrays it
is given (so one rule serves NumPy, PyTorch and JAX); ``t`` counts steps from 1.

>>> import numpy as np
>>> from symnet.network import Network
>>> model = Network("1-1").compile()
>>> step = fused_step(model)
>>> params, state, loss = step(model.arrays(np.array([1.0, 0.0])), None,
...                            np.array([[2.0]]), np.array([[1.0]]), None, 0.1, 1)
>>> float(loss), [p.tolist() for p in params]
(1.0, [[[0.6]], [[-0.2]]])
"""

import functools

import numpy as np


def sgd(params, grads, state, lr, t):
    """Gradient descent as an update rule: w ← w − lr·∂L/∂w (no state)."""
    return [p - lr * g for p, g in zip(params, grads)], state


def fused_step(model, update=sgd):
    """``step(params, state, X, Y, index, lr, t, total=0) -> (params, state, total + loss)``
    for a layer-form ``model``: one training step on the samples ``index`` (rows of X, shape
    (n, inputs), and of Y, shape (n, outputs); None for all), in the backend's arrays; the
    epoch's loss is summed on the device, batch by batch, each batch's share of a mean loss
    weighted by its size (batch / n).  On JAX the
    whole step is one jitted function (the batch is taken inside it, so a step is one
    dispatch); on NumPy and PyTorch it is a plain function."""
    if model.form != "layer":
        raise ValueError("fused steps use the layer form")
    cache = model.__dict__.setdefault("_fused", {})  # a jitted step compiles once per rule
    key = _rule_key(update)
    if key not in cache:
        cache[key] = _fused(model, update)
    return cache[key]


def _rule_key(update):
    # fit binds an optimizer's options anew each call (functools.partial): the same rule
    if isinstance(update, functools.partial):
        return update.func, update.args, repr(sorted(update.keywords.items()))
    return update


def _fused(model, update):
    fn, mean = model._fn.generated, model.net.loss.reduction == "mean"

    def step(params, state, X, Y, index, lr, t, total=0.0):
        # rows are gathered, then transposed: 3x faster than gathering columns on JAX
        Xt, Yt = (X.T, Y.T) if index is None else (X[index].T, Y[index].T)
        loss, *grads = fn(*params, Xt, Yt, Xt.shape[1])
        params, state = update(list(params), grads, state, lr, t)
        share = Xt.shape[1] / X.shape[0] if mean else 1  # shapes: constants under jit
        return params, state, total + share * loss

    if model.backend == "jax":
        import jax
        return jax.jit(step)
    return step


def device(model, theta):
    """``(params, to, back)``: per-layer arrays of ``theta`` on the model's backend, the
    conversion of a NumPy array there, and the way back to one flat NumPy vector."""
    if model.backend == "jax":
        import jax.numpy as jnp
        to = jnp.asarray
    elif model.backend == "torch":
        import torch
        where = "cuda" if torch.cuda.is_available() else "cpu"
        to = lambda a: torch.from_numpy(np.ascontiguousarray(a)).to(where)
    else:
        to = np.array

    def back(params):
        return model.flatten([np.asarray(p.detach().cpu() if hasattr(p, "detach") else p)
                              for p in params])
    return [to(a) for a in model.arrays(theta)], to, back


def fused_epochs(model, theta, Xt, Yt, lr, batch_size=None, rng=None, update=sgd, init=None):
    """Train on the backend, one epoch per iteration: yields ``(loss, params)`` after each
    epoch, the loss combined over its batches as the loss defines (mean or sum) and
    ``params()`` the current parameters as a flat NumPy vector.  The parameters stay on the
    device between steps, and so does the update rule's state, ``init(params)``; the data go
    there once."""
    params, to, back = device(model, theta)
    state = None if init is None else init(params)
    X, Y, n = to(Xt.T), to(Yt.T), Xt.shape[1]
    step = fused_step(model, update)
    t = 0
    if batch_size is None:
        while True:
            t += 1
            params, state, loss = step(params, state, X, Y, None, lr, t)
            yield float(loss), functools.partial(back, params)
    starts = range(0, n, batch_size)
    # JAX takes NumPy indices as they are; PyTorch slices its own tensors without a copy
    index = to if model.backend == "torch" else np.asarray
    while True:
        order = index(rng.permutation(n))
        total = 0.0
        for s in starts:
            t += 1
            params, state, total = step(params, state, X, Y, order[s:s + batch_size], lr, t,
                                        total)
        yield float(total), functools.partial(back, params)
