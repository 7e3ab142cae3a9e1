"""Checks for tests and for users' own experiments, in the manner of HIPS autograd's
``check_grads``: a compiled gradient against central finite differences of the loss in float64.

>>> import symnet as sn
>>> net = sn.Network("2-2-1", activation="tanh")
>>> errors = check_grads(net, net.init_params(seed=1), [[0.5, -1.0], [2.0, 0.25]], [1.0, -0.5])
>>> max(errors.values()) < 1e-6
True
"""

from .compile import Model


def check_grads(net, params, X, Y, *, form="layer", eps=1e-6, rtol=1e-5, atol=1e-8):
    """Compare ``net``'s compiled gradient at ``params`` with central differences of its loss,
    (L(p + ε) − L(p − ε)) / 2ε for each parameter in turn, in float64.

    Returns ``{name: relative error}``; raises ``AssertionError`` naming the worst parameter
    when one differs by more than ``atol + rtol·|numeric|`` (after autograd's check_grads).
    The loss comes from the forward code alone, so a wrong backward pass cannot agree with it.
    """
    model = Model(net, form)
    analytic = model.gradient(params, X, Y)
    errors, worst = {}, None
    for name, value in analytic.items():
        up, down = dict(params), dict(params)
        step = eps * max(1.0, abs(float(params[name])))
        up[name], down[name] = params[name] + step, params[name] - step
        numeric = (model.loss(up, X, Y) - model.loss(down, X, Y)) / (2 * step)
        errors[name] = abs(value - numeric) / max(abs(numeric), atol)
        if abs(value - numeric) > atol + rtol * abs(numeric) and (
                worst is None or errors[name] > errors[worst[0]]):
            worst = (name, value, numeric)
    if worst is not None:
        name, value, numeric = worst
        raise AssertionError(f"∂L/∂{name}: the compiled gradient is {value!r}, central "
                             f"differences give {numeric!r} (eps {eps:g})")
    return errors
