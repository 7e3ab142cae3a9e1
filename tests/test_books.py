"""Networks as the seed lecture and the books write them: a neuron with a generic
nonlinearity, y = NL(w1 x1 + w2 x2 + w3 x3 + b), and networks without biases (d2l, Goodfellow).

Oracles share no code with symnet: gradient descent written by hand in float64 NumPy, central
differences, and the chain rule worked by hand.
"""

import json

import numpy as np
import pytest

import symnet as sn

NL = sn.generic("NL")


# ---------------------------------------------------------------- a generic activation

def test_the_seed_lectures_neuron_as_a_network():
    """y = NL(w1 x1 + w2 x2 + w3 x3 + b): ∂ŷ/∂w1 = NL'(N1)·x1, and through the loss
    ∂L/∂w1 = 2(ŷ − y)·NL'(N1)·x1."""
    net = sn.Network("3-1", output_activation=NL)
    assert [f"{k} = {sn.text(v)}" for k, v in net.definitions.items()] == [
        "N1 = w1*x1 + w2*x2 + w3*x3 + b1", "yhat = NL(N1)", "L = (y - yhat)**2"]
    assert sn.text(net.derive("w1", of="yhat").result) == "x1*NL'(N1)"
    d = net.derive("w1")
    assert [sn.text(v) for v in d.factors.values()] == ["2*(yhat - y)", "NL'(N1)", "x1"]
    assert r"\operatorname{NL}'\left(N_{1}\right)" in d.latex()
    assert repr(net) == "Network('3-1', output_activation=generic('NL'), loss='mse')"


def test_a_generic_activation_checks_answers():
    net = sn.Network("3-1", output_activation=NL)
    for right in ("2(ŷ − y)·NL'(N₁)·x₁", "2*(yhat - y)*NL'(N1)*x1", "2(ŷ − y) f'(N1) x1",
                  r"2\left(\hat{y} - y\right) \operatorname{NL}'\left(N_{1}\right) x_{1}"):
        assert sn.check(net, "w1", right).correct, right
    wrong = sn.check(net, "w1", "2(ŷ − y)·NL(N₁)·x₁")
    assert not wrong.correct
    assert wrong.diagnosis == ["you used NL(N1) where its derivative ∂yhat/∂N1 = NL'(N1) belongs"]
    assert not sn.check(net, "w1", "2(ŷ − y)·NL'(N₁)·x₂").correct
    with pytest.raises(sn.ParseError, match="unknown function 'NL' at position 1"):
        sn.check(sn.Network("3-1"), "w1", "NL(N1)")  # NL is read only where the network has it
    with pytest.raises(sn.ParseError, match="unknown function 'f' at position 1"):
        sn.check(net, "w1", "f(N1)")


def test_a_hidden_layer_of_generic_neurons():
    net = sn.Network("2-2-1", activation=sn.generic("φ"))
    assert net.definitions[net.symbol("h1")] == sn.generic("phi").apply(net.symbol("N1"))
    assert "∂h1/∂N1 = phi'(N1)" in net.derive("w1").text()
    assert sn.check(net, "w1", "2(ŷ − y) w5 φ'(N1) x1").correct
    assert "A1 = phi(Z1)" in str(net.derive_layers())  # the layer form is symbolic too


def test_a_generic_activation_has_no_numbers_to_compute_with():
    net = sn.Network("3-1", output_activation=NL)
    refusals = [lambda: net.compile(), lambda: sn.Model(net, "scalar"),
                lambda: net.fit([[1.0, 2.0, 3.0]], [1.0], progress=False),
                lambda: sn.worksheet(net, seed=1), lambda: sn.quiz(net)]
    for refuse in refusals:
        with pytest.raises(sn.SymnetError) as info:
            refuse()
        message = str(info.value)
        assert "NL is a generic function (a name without a formula)" in message
        assert "sn.register_activation('NL'" in message and "\n" not in message
    sheet = sn.worksheet(net).markdown()  # the symbolic sheet is fine
    assert r"\operatorname{NL}'\left(N_{1}\right)" in sheet


@pytest.mark.parametrize("make, message", [
    (lambda: sn.Network("3-1", output_activation="NL"),
     "unknown activation 'NL'; valid: linear, sigmoid"),
    (lambda: sn.Network("3-1", output_activation="NL"),
     "for a function known by its name only, as a lecture's NL(·), use sn.generic('NL')"),
    (lambda: sn.Network("3-1", output_activation="sigmiod"), "did you mean 'sigmoid'?"),
    (lambda: sn.generic("sigmoid"), "'sigmoid' is a registered activation, with a formula"),
    (lambda: sn.generic("tanh"), "'tanh' is a registered activation"),
    (lambda: sn.generic("exp"), "'exp' is one of symnet's functions"),
    (lambda: sn.generic("max"), "'max' is one of symnet's functions"),
    (lambda: sn.generic("2x"), "a generic activation's name is a plain identifier"),
    (lambda: sn.Network("2-2-1", activation=sn.generic("h1")), "has the name of one of the network's symbols"),
    (lambda: sn.Network("2-1", loss="bce", output_activation=NL), "bce needs outputs in (0, 1)"),
])
def test_bad_generic_activations_get_one_clear_line(make, message):
    with pytest.raises(sn.SymnetError) as info:
        make()
    assert message in str(info.value) and "\n" not in str(info.value)


# ---------------------------------------------------------------- networks without biases

def test_a_2_2_1_without_biases_has_no_b_anywhere():
    net = sn.Network("2-2-1", activation="sigmoid", bias=False)
    assert net.param_names == ["w1", "w2", "w3", "w4", "w5", "w6"]
    assert [str(p) for p in net.params] == net.param_names
    assert not any(str(s).startswith("b") for s in net.symbols)
    for p in net.params:
        d = net.derive(p)
        assert not any(str(s).startswith("b") for s in d.result.free_symbols | set(d.nodes))
    assert list(net.init_params()) == net.param_names
    assert list(net.compile().gradient(net.init_params(), [[1.0, 2.0]], [0.5])) == net.param_names
    layers = str(net.derive_layers())
    assert "b1" not in layers and "b2" not in layers and "Z1 = W1 @ X\n" in layers
    sheet = sn.worksheet(net, seed=3, lr=0.5)
    assert set(sheet.new_params) == set(net.param_names)
    assert "b_{" not in sheet.markdown() and "bias" not in sheet.markdown()
    assert repr(net) == ("Network('2-2-1', activation='sigmoid', output_activation='linear', "
                         "loss='mse', bias=False)")


def test_fit_without_biases_matches_gradient_descent_written_by_hand():
    net = sn.Network("2-2-1", activation="sigmoid", bias=False)
    X = np.array([[0.5, -1.0], [1.0, 2.0], [-0.3, 0.8], [1.5, -0.2]])
    Y = np.array([0.2, 0.7, 0.4, -0.1])
    start = net.init_params(seed=4)
    lr, epochs = 0.3, 40
    W1 = np.array([[start["w1"], start["w2"]], [start["w3"], start["w4"]]])
    w2 = np.array([start["w5"], start["w6"]])
    for _ in range(epochs):  # L = mean (y − ŷ)², ŷ = w2·σ(W1 x)
        h = 1 / (1 + np.exp(-(X @ W1.T)))
        g = 2 * (h @ w2 - Y) / len(Y)
        grad_w2 = h.T @ g
        grad_W1 = (np.outer(g, w2) * h * (1 - h)).T @ X
        W1, w2 = W1 - lr * grad_W1, w2 - lr * grad_w2
    for form in ("layer", "scalar"):
        fitted = net.fit(X, Y, lr=lr, epochs=epochs, params=start, form=form, progress=False).params
        assert np.allclose([fitted[f"w{i}"] for i in range(1, 7)], [*W1.ravel(), *w2],
                           rtol=1e-12, atol=1e-14)


def test_biases_in_some_layers_only():
    """bias=[False, True]: the output neuron N3 keeps its bias, b3; the gradient of every
    parameter, compiled in either form, equals a central difference of the loss."""
    net = sn.Network("2-2-1", activation="tanh", bias=[False, True])
    assert net.param_names == ["w1", "w2", "w3", "w4", "w5", "w6", "b3"]
    assert sn.text(net.definitions[net.symbol("yhat")]) == "w5*h1 + w6*h2 + b3"
    assert sn.text(net.definitions[net.symbol("N1")]) == "w1*x1 + w2*x2"
    params = dict(zip(net.param_names, [0.3, -0.2, 0.5, 0.1, -0.7, 0.9, 0.05]))
    X, Y = [[0.4, -1.1]], [0.3]

    def loss(p):
        h = np.tanh([p["w1"] * 0.4 - p["w2"] * 1.1, p["w3"] * 0.4 - p["w4"] * 1.1])
        return (0.3 - (p["w5"] * h[0] + p["w6"] * h[1] + p["b3"])) ** 2
    for form in ("layer", "scalar"):
        grad = net.compile(form).gradient(params, X, Y)
        for name in net.param_names:
            up, down = dict(params), dict(params)
            up[name] += 1e-6
            down[name] -= 1e-6
            assert grad[name] == pytest.approx((loss(up) - loss(down)) / 2e-6, rel=1e-7), name
    arrays = net.compile().arrays(net.compile().theta(params))
    assert [a.shape for a in arrays] == [(2, 2), (1, 2), (1, 1)]


def test_a_model_without_biases_saves_and_loads(tmp_path):
    net = sn.Network("2-2-1", bias=[True, False])
    path = tmp_path / "model.json"
    sn.TrainResult(net, net.init_params()).save(path)
    assert json.loads(path.read_text())["bias"] == [True, False]
    loaded, params = sn.load(path)
    assert loaded.bias == (True, False) and list(params) == net.param_names


def test_the_command_line_leaves_out_biases(capsys):
    from symnet.cli import main
    assert main(["derive", "2-1", "--no-bias"]) == 0
    out = capsys.readouterr().out
    assert "∂L/∂w1" in out and "b1" not in out


@pytest.mark.parametrize("bias, message", [
    ([True], "bias is True, False, or a list of 2 flags, one per layer after the input"),
    ("no", "got 'no'"),
    ([1, 0], "got [1, 0]"),
])
def test_bad_bias_flags_get_one_clear_line(bias, message):
    with pytest.raises(sn.ArchitectureError) as info:
        sn.Network("2-2-1", bias=bias)
    assert message in str(info.value) and "\n" not in str(info.value)
