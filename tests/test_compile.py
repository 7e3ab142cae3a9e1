"""Compiled NumPy models: equal to the exact symbolic derivatives, and numerically stable."""

import inspect
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symnet as sn
from symnet.testing import check_grads

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "silu"]
HEADS = [("mse", None), ("half_sse", None), ("mse", "sigmoid"), ("mse", "tanh"),
         ("bce", "sigmoid"), ("cross_entropy", "softmax"), ("half_sse", "softplus")]


def random_problem(net, rng, n=5):
    params = {str(p): float(rng.normal()) for p in net.params}
    X = rng.normal(size=(n, net.sizes[0]))
    if net.loss.name == "bce":
        Y = rng.uniform(size=(n, net.sizes[-1]))
    elif net.loss.name == "cross_entropy":
        Y = rng.dirichlet(np.ones(net.sizes[-1]), size=n)
    else:
        Y = rng.normal(size=(n, net.sizes[-1]))
    return params, X, Y


def exact_loss_and_gradient(net, params, X, Y):
    """Σ over samples of L and of every ∂L/∂p, evaluated from the symbolic derivation to 30 digits."""
    grads = net.gradients()
    loss, total = 0, {p: 0 for p in net.params}
    for x, y in zip(X, Y):
        values = dict(params)
        values.update({str(s): v for s, v in zip(net.inputs, x)})
        values.update({str(s): v for s, v in zip(net.targets, y)})
        at = net.forward(values, precision=30)
        loss += at[net.output]
        for p in net.params:
            total[p] += grads[p].xreplace(at).evalf(30)
    scale = 1 / len(X) if net.loss.reduction == "mean" else 1
    return float(loss * scale), np.array([float(total[p] * scale) for p in net.params])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10 ** 6), depth=st.integers(1, 2), width=st.integers(1, 3),
       hidden=st.sampled_from(HIDDEN), head=st.sampled_from(HEADS))
def test_both_forms_equal_the_symbolic_derivatives(seed, depth, width, hidden, head):
    loss, out = head
    n_out = 2 if loss == "cross_entropy" else 1
    net = sn.Network([2] + [width] * depth + [n_out], activation=hidden,
                     output_activation=out, loss=loss)
    params, X, Y = random_problem(net, np.random.default_rng(seed))
    exact_loss, exact_grad = exact_loss_and_gradient(net, params, X, Y)
    for form in ("layer", "scalar"):
        value, grad = net.compile(form).loss_and_gradient(params, X, Y)
        assert value == pytest.approx(exact_loss, rel=1e-10, abs=1e-12)
        assert grad == pytest.approx(exact_grad, rel=1e-9, abs=1e-11)


def test_gradient_matches_central_finite_differences():
    net = sn.Network("3-4-3-2", activation=["tanh", "silu"], loss="cross_entropy")
    params, X, Y = random_problem(net, np.random.default_rng(7), n=11)
    assert max(check_grads(net, params, X, Y).values()) < 1e-6


@pytest.mark.parametrize("form", ["layer", "scalar"])
@pytest.mark.parametrize("head", HEADS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_activation_and_loss_agrees_with_central_differences(hidden, head, form):
    loss, out = head
    net = sn.Network([2, 3, 2 if loss == "cross_entropy" else 1], activation=hidden,
                     output_activation=out, loss=loss)
    params, X, Y = random_problem(net, np.random.default_rng(len(hidden) * 7 + len(loss)), n=6)
    check_grads(net, params, X, Y, form=form, rtol=1e-5, atol=1e-7)  # raises on a mismatch


def test_layer_form_is_a_few_numpy_calls_per_layer():
    net = sn.Network("2-8-8-1", activation="sigmoid")
    source = inspect.getsource(net.compile("layer")._fn.generated)
    # forward 3, backward 1 (Wᵀδ of the one-output layer broadcasts instead), ∂L/∂W 3
    assert source.count("matmul(") == 3 + 1 + 3
    assert source.count("sigmoid(") == 2 and "exp(" not in source


def test_layer_form_prints_as_matrix_equations():
    d = sn.Network("2-3-1", activation="sigmoid", loss="bce").derive_layers()
    assert str(d).splitlines() == [
        "Z1 = W1 @ X + b1",
        "A1 = sigmoid(Z1)",
        "Z2 = W2 @ A1 + b2",
        "A2 = sigmoid(Z2)",
        "delta2 = (A2 - Y)/n",
        "delta1 = W2ᵀ @ delta2 ⊙ (A1*(1 - A1))",
        "∂L/∂W2 = delta2 @ A1ᵀ",
        "∂L/∂b2 = delta2 @ 1",
        "∂L/∂W1 = delta1 @ Xᵀ",
        "∂L/∂b1 = delta1 @ 1",
    ]
    assert d.latex().splitlines()[6] == \
        r"\delta^{(1)} &= {W^{(2)}}^{T} \delta^{(2)} \odot \left(A^{(1)} \left(1 - A^{(1)}\right)\right) \\"


def test_predict_has_one_row_per_sample():
    net = sn.Network("2-2-1")
    params = dict(w1=1, w2=0, w3=0, w4=1, w5=1, w6=1, b1=0, b2=0, b3=0.5)
    for form in ("layer", "scalar"):
        assert net.compile(form).predict(params, [[1.0, 2.0], [0.0, 0.0]]).tolist() == [[3.5], [0.5]]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "silu"])
@pytest.mark.parametrize("loss, out", [("bce", "sigmoid"), ("cross_entropy", "softmax"),
                                       ("mse", "softplus"), ("mse", "sigmoid")])
@pytest.mark.parametrize("form", ["layer", "scalar"])
@pytest.mark.parametrize("z", [1000.0, -1000.0])
def test_pre_activations_of_a_thousand_stay_finite_without_warnings(hidden, loss, out, form, z):
    n_out = 2 if loss == "cross_entropy" else 1
    net = sn.Network([1, 1, n_out], activation=hidden, output_activation=out, loss=loss)
    params = {str(p): 0.0 for p in net.params}
    params.update(w1=1.0, b1=z, b2=z)
    if n_out == 2:
        params["b3"] = -z
    Y = [[1.0, 0.0]] if n_out == 2 else [[1.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = net.compile(form).loss_and_gradient(params, [[0.0]], Y)
    assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_bce_at_saturated_outputs_is_finite_and_exact():
    net = sn.logistic_regression(1)
    model = net.compile()
    params = {"w1": 0.0, "b1": 800.0}
    assert model.loss(params, [[0.0]], [0.0]) == 800.0  # −log(1 − σ(800)) = softplus(800)
    assert model.gradient(params, [[0.0]], [0.0])["b1"] == 1.0  # ŷ − y


@pytest.mark.parametrize("call, message", [
    (lambda m: m.loss({"w1": 1}, [[1.0, 2.0]], [1.0]), "params: missing w2, b1; expected exactly w1, w2, b1"),
    (lambda m: m.loss({"w1": 1, "w2": 1, "b1": 0, "w9": 2}, [[1.0, 2.0]], [1.0]), "unknown w9"),
    (lambda m: m.loss({"w1": "a", "w2": 1, "b1": 0}, [[1.0, 2.0]], [1.0]), "params: w1 must be a number, got str"),
    (lambda m: m.loss({"w1": float("nan"), "w2": 1, "b1": 0}, [[1.0, 2.0]], [1.0]), "w1 is not"),
    (lambda m: m.loss([1, 2, 0], [[1.0, 2.0]], [1.0]), "params must be a dict"),
    (lambda m: m.loss({"w1": 1, "w2": 1, "b1": 0}, [[1.0, 2.0, 3.0]], [1.0]), "X must have shape (n, 2)"),
    (lambda m: m.loss({"w1": 1, "w2": 1, "b1": 0}, [[1.0, 2.0]], [1.0, 2.0]), "Y must have shape (1, 1) or (1,)"),
    (lambda m: m.loss({"w1": 1, "w2": 1, "b1": 0}, [[1.0, np.inf]], [1.0]), "X contains NaN or infinite"),
    (lambda m: m.loss({"w1": 1, "w2": 1, "b1": 0}, [["a", 1]], [1.0]), "X must be numeric"),
])
def test_bad_arguments_raise_value_errors(call, message):
    with pytest.raises(ValueError) as info:
        call(sn.Network("2-1").compile())
    assert message in str(info.value)


def test_unknown_form():
    with pytest.raises(sn.SymnetError, match="unknown form 'fast'; valid: layer, scalar"):
        sn.Network("2-1").compile("fast")


def test_arrays_used_once_are_inlined_but_a_squared_one_stays_named():
    from symnet.compile.layers import LayerSymbol, inline_single_use
    X = sp.Symbol("X")
    Z, A, D = LayerSymbol("Z", 1), LayerSymbol("A", 1), LayerSymbol("delta", 1)
    program, outputs = inline_single_use([(Z, X + 1), (A, sp.tanh(Z)), (D, A ** 2)], [D + 1])
    # Z is used once and goes into tanh(…); A is squared (printed A*A) and keeps its name
    assert program == [(A, sp.tanh(X + 1))]
    assert outputs == [A ** 2 + 1]


def test_a_scalar_form_of_over_255_arguments_equals_the_symbolic_derivatives():
    # 3-16-14-1: 305 parameters, 3 inputs, 1 target and n (lambdify takes them in groups)
    net = sn.Network("3-16-14-1", activation="tanh")
    params, X, Y = random_problem(net, np.random.default_rng(3), n=2)
    exact_loss, exact_grad = exact_loss_and_gradient(net, params, X, Y)
    value, grad = net.compile("scalar").loss_and_gradient(params, X, Y)
    assert value == pytest.approx(exact_loss, rel=1e-10)
    assert grad == pytest.approx(exact_grad, rel=1e-9, abs=1e-11)
