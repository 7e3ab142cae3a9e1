"""Checks for tests and for users' own experiments, in the manner of HIPS autograd's
``check_grads``: a compiled gradient against central finite differences of the loss in float64;
and :func:`assert_gradient`, a gradient derived by hand checked as a course's test checks it.

>>> import symnet as sn
>>> net = sn.Network("2-2-1", activation="tanh")
>>> errors = check_grads(net, net.init_params(seed=1), [[0.5, -1.0], [2.0, 0.25]], [1.0, -0.5])
>>> max(errors.values()) < 1e-6
True
"""

from .checking.scoring import judge
from .compile import Model


def assert_gradient(net, wrt, answer, **options):
    """Assert that ``answer`` is ∂L/∂``wrt`` (as :func:`symnet.check` judges it; ``options``
    go to it): return the :class:`~symnet.CheckResult` when it is, else raise
    ``AssertionError`` whose message is the verdict and the diagnosis in plain text, what a
    test framework (pytest, Otter, nbgrader) shows the student.  An answer that cannot be read
    fails with the reason; a ``wrt`` the model lacks raises :class:`~symnet.SymnetError`.

    >>> import symnet as sn
    >>> from symnet.testing import assert_gradient
    >>> net = sn.Network("2-2-1", activation="sigmoid")
    >>> assert_gradient(net, "w1", "2*(yhat - y)*w5*sigma(N1)*(1 - sigma(N1))*x1").correct
    True
    >>> try:
    ...     assert_gradient(net, "w1", "2*(yhat - y)*w5*sigma(N1)*x1")
    ... except AssertionError as failed:
    ...     print(str(failed).splitlines()[0])
    ...     print(str(failed).splitlines()[3])
    incorrect: your answer is not ∂L/∂w1.
      diagnosis: you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) belongs
    """
    result = judge(net, wrt, answer, **options)
    if not result.correct:
        raise AssertionError(result.message)
    return result


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
