"""Compiling and fitting a circuit: its output is the loss of one row of X (one column per
input, in circuit.inputs order), and fit minimises the mean over the rows by gradient descent
on its parameters.  Against oracles that share no code with symnet: a gradient-descent loop
written by hand on plain Python floats, and central differences of a loss written by hand."""

import math

import numpy as np
import pytest

import symnet as sn

REGRESSION = "p = w*x + b; r = p - y; L = r**2"  # linear regression, one row's squared error
ROWS = [(0.0, 1.2), (1.0, 2.9), (2.0, 5.1), (3.0, 7.2)]  # (x, y), about y = 2x + 1


def hand_written_descent(w, b, rows, lr, epochs):
    """Gradient descent on mean (w x + b − y)², in plain floats: (w, b, each epoch's loss)."""
    history = []
    for _ in range(epochs):
        residuals = [(w * x + b - y, x) for x, y in rows]
        history.append(sum(r * r for r, _ in residuals) / len(rows))
        grad_w = sum(2 * r * x for r, x in residuals) / len(rows)
        grad_b = sum(2 * r for r, _ in residuals) / len(rows)
        w, b = w - lr * grad_w, b - lr * grad_b
    return w, b, history


def central_differences(loss, point, h=1e-6):
    out = {}
    for name in point:
        up, down = dict(point), dict(point)
        up[name] += h
        down[name] -= h
        out[name] = (loss(**up) - loss(**down)) / (2 * h)
    return out


def test_linear_regression_as_a_circuit_fits_as_the_hand_written_loop():
    c = sn.circuit(REGRESSION, params="w,b")
    assert [str(s) for s in c.inputs] == ["x", "y"]  # the columns of X, in this order
    result = c.fit(np.array(ROWS), lr=0.05, epochs=300, params={"w": 0.5, "b": -0.25},
                   progress=False)
    w, b, history = hand_written_descent(0.5, -0.25, ROWS, lr=0.05, epochs=300)
    assert result.params["w"] == pytest.approx(w, abs=1e-12)
    assert result.params["b"] == pytest.approx(b, abs=1e-12)
    assert result.history == pytest.approx(history, rel=1e-12, abs=1e-12)
    assert list(result.params) == ["w", "b"] and result.epochs == 300


def test_the_fit_reaches_the_least_squares_line():
    c = sn.circuit(REGRESSION, params="w,b")
    result = c.fit(np.array(ROWS), lr=0.05, epochs=3000, progress=False)  # seeded N(0, 1) start
    slope, intercept = np.polyfit([x for x, _ in ROWS], [y for _, y in ROWS], 1)
    assert result.params["w"] == pytest.approx(slope, abs=1e-9)
    assert result.params["b"] == pytest.approx(intercept, abs=1e-9)
    assert result.history[-1] < result.history[0]


def test_the_compiled_gradient_is_the_mean_over_the_rows_and_agrees_with_central_differences():
    c = sn.circuit("p = w*x + b; r = p - y; s = w**2; L = r**2 + s/10", params="w,b")  # ridge
    model = c.compile("scalar")
    point = {"w": 0.7, "b": -0.3}

    def loss(w, b):  # by hand: the penalty w²/10 is in every row's loss, so once in the mean
        return sum((w * x + b - y) ** 2 + w * w / 10 for x, y in ROWS) / len(ROWS)
    assert model.loss(point, ROWS) == pytest.approx(loss(**point), rel=1e-14)
    oracle = central_differences(loss, point)
    for name, value in model.gradient(point, ROWS).items():
        assert value == pytest.approx(oracle[name], rel=1e-8)
    assert model.predict(point, ROWS) == pytest.approx(
        [(0.7 * x - 0.3 - y) ** 2 + 0.049 for x, y in ROWS], rel=1e-14)


def test_a_nonlinear_circuit_gradient_against_central_differences():
    # CS231n's sigmoid neuron gate by gate, its inputs the columns of X
    neuron = "a = w0*x0; b = w1*x1; c = a + b; d = c + w2; e = -d; g = exp(e); h = g + 1; f = 1/h"
    model = sn.circuit(neuron, params="w0,w1,w2").compile()
    X = [(-1.0, -2.0), (0.5, 1.5), (2.0, -0.25)]
    point = {"w0": 2.0, "w1": -3.0, "w2": -3.0}

    def loss(w0, w1, w2):
        return sum(1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2))) for x0, x1 in X) / len(X)
    oracle = central_differences(loss, point)
    for name, value in model.gradient(point, X).items():
        assert value == pytest.approx(oracle[name], rel=1e-8)
    # one row: the published numbers
    assert model.gradient(point, [X[0]]) == pytest.approx(
        {"w0": -0.196612, "w1": -0.393224, "w2": 0.196612}, abs=5e-7)


def test_a_circuit_without_inputs_is_its_own_loss():
    dag = sn.circuit("c = a + b; d = a*b; e = c + d; f = c*d; y = e + f")  # micrograd
    model = dag.compile()
    assert model.loss({"a": 2, "b": 3}) == 41.0
    assert model.gradient({"a": 2, "b": 3}) == {"a": 25.0, "b": 19.0}
    result = sn.circuit("f = (w - 3)**2").fit(lr=0.1, epochs=50, params={"w": 0.0}, progress=False)
    w = 0.0
    for _ in range(50):  # w ← w − 0.1 · 2(w − 3)
        w -= 0.1 * 2 * (w - 3)
    assert result.params["w"] == pytest.approx(w, abs=1e-12)


def test_names_the_generated_code_uses_are_fine_circuit_names():
    c = sn.circuit("total = w*x; n_samples = total**2; e = n_samples + select", params="w")
    X = [(1.0, 2.0), (3.0, -1.0)]  # columns select, x
    assert [str(s) for s in c.inputs] == ["select", "x"]
    assert c.compile().loss({"w": 0.5}, X) == pytest.approx(((0.5 * 2) ** 2 + 1 + (0.5 * -1) ** 2 + 3) / 2)
    assert c.compile().gradient({"w": 0.5}, X)["w"] == pytest.approx((2 * 0.5 * 4 + 2 * 0.5 * 1) / 2)


def test_the_network_training_loop_options_work_on_a_circuit():
    c = sn.circuit(REGRESSION, params="w,b")
    frozen = c.fit(np.array(ROWS), lr=0.05, epochs=20, params={"w": 0.5, "b": 1.0},
                   freeze="b", progress=False)
    assert frozen.params["b"] == 1.0 and frozen.params["w"] != 0.5
    adam = c.fit(np.array(ROWS), optimizer="adam", lr=0.1, epochs=400, batch_size=2,
                 progress=False)
    assert adam.history[-1] < 0.05 and adam.optimizer == "adam"
    held = c.fit(np.array(ROWS), lr=0.05, epochs=30, validation=0.25, progress=False)
    assert list(held.metrics) == ["val_loss"] and len(held.metrics["val_loss"]) == 30
    assert repr(held) == f"<TrainResult circuit L: 30 epochs, loss {held.loss:.6g}>"


def test_init_params_is_seeded_and_standard_normal():
    c = sn.circuit(REGRESSION, params="w,b")
    assert c.init_params(3) == c.init_params(3) != c.init_params(4)
    assert list(c.init_params()) == ["w", "b"]


def test_a_name_used_too_often_to_compile_is_refused_before_the_work(monkeypatch):
    import symnet.compile.circuit as compiled
    monkeypatch.setattr(compiled, "MAX_USES", 2)  # 1,000 really: its sum overflows Python's compiler
    with pytest.raises(sn.TooLargeError, match="^w is used by 3 definitions; a circuit compiles "
                       "with at most 2 uses of one name$"):
        sn.circuit("a = w*x; b = a + w; f = b*w").compile()


@pytest.mark.parametrize("call, message", [
    (lambda: sn.circuit("y = f(w*x)").compile(), "cannot compile: f is a generic function"),
    (lambda: sn.circuit("y = f(w)").fit(), "cannot fit: f is a generic function"),
    (lambda: sn.circuit(REGRESSION).compile("layer"),
     r"a circuit compiles to the scalar form, node by node \(it has no layers\)"),
    (lambda: sn.circuit(REGRESSION, params="w,b").fit(progress=False),
     "X is missing: one column per input of the circuit, x, y"),
    (lambda: sn.circuit(REGRESSION, params="w,b").fit([[1.0, 2.0, 3.0]], progress=False),
     r"X must have shape \(n, 2\) with n ≥ 1, one column per input \(x, y\); got \(1, 3\)"),
    (lambda: sn.circuit(REGRESSION, params="w,b").compile().loss({"w": 1, "b": 0}, ROWS, [1.0]),
     "a circuit takes no Y: its targets are inputs, columns of X"),
    (lambda: sn.circuit(REGRESSION, params="w,b").compile().loss({"w": 1}, ROWS),
     "params: missing b; expected exactly w, b"),
    (lambda: sn.circuit(REGRESSION, params=[]).fit(ROWS),
     "this circuit has no parameters to fit"),
    (lambda: sn.circuit(REGRESSION, params="w,b").fit(ROWS, freeze="z", progress=False),
     "cannot freeze 'z': no such parameter; this circuit has: w, b"),
    (lambda: sn.circuit("f = (w - 3)**2").fit(epochs=2, progress=False).save("m.json"),
     "a model file is a network's; a circuit's trained parameters are result.params"),
])
def test_bad_input_is_one_clear_line(call, message):
    with pytest.raises(sn.SymnetError, match=message):
        call()
