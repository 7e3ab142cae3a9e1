"""What fit does besides gradient descent: frozen parameters, L2, accuracy, validation, early
stopping, gradients watched per epoch, warnings, and the pictures of a run."""

import json
import warnings

import numpy as np
import pytest
import sympy as sp

import symnet as sn
from symnet.cli import main
from symnet.metrics import split

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)


def central_differences(f, p, h=1e-6):
    """∂f/∂p by (f(p + h) − f(p − h)) / 2h, one parameter at a time (float64)."""
    out = {}
    for k in p:
        up, down = dict(p), dict(p)
        up[k] += h
        down[k] -= h
        out[k] = (f(up) - f(down)) / (2 * h)
    return out


def mse(net, p, X, Y):
    """The 2-3-1 tanh network's mean squared error, written out in NumPy (no symnet)."""
    W1 = np.array([p[f"w{i}"] for i in range(1, 7)]).reshape(3, 2)
    W2 = np.array([p[f"w{i}"] for i in range(7, 10)])
    b1 = np.array([p["b1"], p["b2"], p["b3"]])
    yhat = np.tanh(X @ W1.T + b1) @ W2 + p["b4"]
    return float(np.mean((Y - yhat) ** 2))


# ------------------------------------------------------------------------------ freezing

def test_frozen_parameters_keep_their_values_and_the_others_train():
    net = sn.Network("2-3-1", activation="tanh")
    p0 = net.init_params(seed=2)
    for optimizer in ("sgd", "adam"):
        r = net.fit(XOR_X, XOR_Y, optimizer=optimizer, epochs=50, params=p0, progress=False,
                    freeze=["b1", "w9"])
        assert r.params["b1"] == p0["b1"] and r.params["w9"] == p0["w9"]
        assert all(r.params[k] != p0[k] for k in ("w1", "w8", "b2", "b4"))


def test_one_frozen_step_is_the_lectures_update_for_the_others():
    net = sn.Network("2-3-1", activation="tanh")
    p0 = net.init_params(seed=2)
    grad = central_differences(lambda p: mse(net, p, XOR_X, XOR_Y), p0)
    r = net.fit(XOR_X, XOR_Y, lr=0.1, epochs=1, params=p0, freeze="b1,b2,b3,b4", progress=False)
    for k in p0:
        expected = p0[k] if k.startswith("b") else p0[k] - 0.1 * grad[k]
        assert r.params[k] == pytest.approx(expected, abs=1e-9)


def test_freezing_an_unknown_parameter_names_the_parameters():
    with pytest.raises(sn.SymnetError, match=r"cannot freeze 'w9': no such parameter; this network has: w1, w2, b1$"):
        sn.Network("2-1").fit(XOR_X, XOR_Y, freeze=["w9"], progress=False)


# ------------------------------------------------------------------------------------ L2

def test_l2_is_a_node_whose_path_adds_lambda_w_to_every_weight():
    net = sn.Network("2-2-1", l2="0.01")
    R, L, w1, b1 = sp.symbols("R L w1 b1")
    assert net.definitions[R] == sum(sp.Symbol(f"w{i}") ** 2 for i in range(1, 7)) / 200
    assert net.definitions[L] == (sp.Symbol("y") - sp.Symbol("yhat")) ** 2 + R
    d = net.derive("w1")
    assert (L, R, w1) in d.paths
    assert str(d).splitlines()[-1] == "∂L/∂w1 = 1 · w1/100 + 2*(yhat - y) · w5 · x1"
    assert net.derive("b1").result == sn.Network("2-2-1").derive("b1").result  # biases: no penalty
    assert "∂L/∂W2 = delta2 @ A1ᵀ + W2/100" in str(sn.Network("2-2-1", activation="tanh",
                                                                l2="0.01").derive_layers())


@pytest.mark.parametrize("form", ["layer", "scalar"])
@pytest.mark.parametrize("loss", ["mse", "half_sse"])
def test_l2_training_follows_the_penalised_loss(form, loss):
    """The batch loss is the data loss plus (λ/2) Σ w², once (not once per sample)."""
    X = np.random.default_rng(0).normal(size=(6, 2))
    Y = X[:, 0] - X[:, 1]
    net = sn.Network("2-3-1", activation="tanh", loss=loss, l2=0.3)
    p = net.init_params(seed=1)
    data = sn.Network("2-3-1", activation="tanh", loss=loss).compile()

    def f(q):
        return data.loss(q, X, Y) + 0.15 * sum(v * v for k, v in q.items() if k[0] == "w")
    model = net.compile(form)
    assert model.loss(p, X, Y) == pytest.approx(f(p), rel=1e-14)
    fd = central_differences(f, p)
    assert all(abs(model.gradient(p, X, Y)[k] - fd[k]) < 1e-8 for k in p)


def test_l2_shrinks_the_weights_and_is_saved(tmp_path):
    X = np.random.default_rng(3).normal(size=(20, 2))
    Y = 3 * X[:, 0]
    plain = sn.linear_regression(2).fit(X, Y, epochs=500, progress=False)
    net = sn.Network([2, 1], loss="mse", l2=1)
    decayed = net.fit(X, Y, epochs=500, progress=False)
    assert abs(decayed.params["w1"]) < abs(plain.params["w1"]) - 0.5
    decayed.save(tmp_path / "m.json")
    assert json.loads((tmp_path / "m.json").read_text())["l2"] == "1"
    net2, _ = sn.load(tmp_path / "m.json")
    assert net2.l2 == 1 and repr(net2) == repr(net)


def test_a_negative_l2_is_refused():
    with pytest.raises(sn.SymnetError, match="l2 must be a number ≥ 0, got -1"):
        sn.Network("2-1", l2=-1)


# ------------------------------------------------------------------------------- metrics

def test_accuracy_and_gradients_are_recorded_every_epoch():
    net = sn.Network("2-3-1", activation="tanh", loss="bce")
    r = net.fit(XOR_X, XOR_Y, optimizer="adam", epochs=300, lr=0.05, progress=False)
    assert sorted(r.metrics) == ["accuracy", "grad_W1", "grad_W2"]
    assert all(len(v) == 300 for v in r.metrics.values())
    assert r.metrics["accuracy"][-1] == 1.0
    # epoch 1's gradients are those at the starting parameters: the oracle is an independent
    # float64 evaluation of the bce loss
    p0 = net.init_params(seed=0)

    def bce(p):
        W1 = np.array([p[f"w{i}"] for i in range(1, 7)]).reshape(3, 2)
        z = np.tanh(XOR_X @ W1.T + [p["b1"], p["b2"], p["b3"]]) @ [p["w7"], p["w8"], p["w9"]] + p["b4"]
        yhat = 1 / (1 + np.exp(-z))
        return float(np.mean(-XOR_Y * np.log(yhat) - (1 - XOR_Y) * np.log(1 - yhat)))
    g = central_differences(bce, p0)
    assert r.metrics["grad_W1"][0] == pytest.approx(np.mean([abs(g[f"w{i}"]) for i in range(1, 7)]), rel=1e-7)
    assert r.metrics["grad_W2"][0] == pytest.approx(np.mean([abs(g[f"w{i}"]) for i in (7, 8, 9)]), rel=1e-7)
    assert r.metrics["accuracy"][0] == np.mean((net.compile().predict(p0, XOR_X).ravel() > 0.5) == XOR_Y)


_LX, _LY = np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.5, 5.5, 7.0])


def _replay(epochs, batch_size, lr=0.01):
    """|∂L/∂w| of each epoch's last step for ŷ = w x + b, L = mean((ŷ − y)²), in closed form,
    replaying fit's seeded batch order."""
    rng, w, b, out = np.random.default_rng(0), 0.0, 0.0, []
    for _ in range(epochs):
        order = np.arange(4) if batch_size is None else rng.permutation(4)
        for start in range(0, 4, batch_size or 4):
            i = order[start:start + (batch_size or 4)]
            e = w * _LX[i] + b - _LY[i]
            gw, gb = np.mean(2 * e * _LX[i]), np.mean(2 * e)
            w, b = w - lr * gw, b - lr * gb
        out.append(abs(gw))
    return out


@pytest.mark.parametrize("batch_size", [None, 2])
def test_every_epochs_gradient_size_is_recorded_across_blocks(batch_size):
    # 600 epochs cross two of GradientSizes' blocks of 256 epochs
    r = sn.linear_regression(1).fit(_LX[:, None], _LY, lr=0.01, epochs=600, progress=False,
                                    batch_size=batch_size, params={"w1": 0.0, "b1": 0.0})
    assert r.metrics["grad_W1"] == pytest.approx(_replay(600, batch_size), rel=1e-9)


def test_history_stays_a_list_of_losses():
    r = sn.Network("2-2-1").fit(XOR_X, XOR_Y, epochs=5, progress=False)
    assert isinstance(r.history, list) and len(r.history) == 5 and all(isinstance(v, float) for v in r.history)
    assert "accuracy" not in r.metrics  # not a classifier


def test_cross_entropy_accuracy_is_the_argmax():
    X = np.array([[1.0, 0], [0, 1], [1, 1], [-1, 0]])
    Y = np.eye(3)[[0, 1, 2, 0]]
    r = sn.Network("2-4-3", activation="tanh", loss="cross_entropy").fit(
        X, Y, optimizer="adam", lr=0.05, epochs=400, progress=False)
    assert r.metrics["accuracy"][-1] == 1.0
    assert r.predict_class(X).tolist() == [1, 2, 3, 1]  # numbered as yhat1, yhat2, …


# ------------------------------------------------------------------- validation, patience

def test_validation_is_a_seeded_split_scored_every_epoch():
    X = np.random.default_rng(0).normal(size=(10, 2))
    Y = (X[:, 0] > 0).astype(float)
    net = sn.Network("2-2-1", activation="tanh", loss="bce")
    r = net.fit(X, Y, epochs=30, validation=0.2, progress=False)
    assert sorted(r.metrics) == ["accuracy", "grad_W1", "grad_W2", "val_accuracy", "val_loss"]
    held = split(10, 0.2, 0)[1]
    assert held.size == 2
    # epoch 1's validation loss is the starting parameters' loss on the held-out rows
    assert r.metrics["val_loss"][0] == pytest.approx(
        net.compile().loss(net.init_params(0), X[held], Y[held]), rel=1e-13)
    assert net.fit(X, Y, epochs=30, validation=0.2, progress=False).metrics == r.metrics
    assert net.fit(X, Y, epochs=30, validation=0.2, seed=1, progress=False).metrics != r.metrics


@pytest.mark.parametrize("validation, message", [
    (1.5, "validation must be a fraction between 0 and 1 (e.g. 0.2), got 1.5"),
    (0.9, "validation=0.9 leaves no sample to train on (4 samples)"),
])
def test_bad_validation(validation, message):
    with pytest.raises(sn.SymnetError) as info:
        sn.Network("2-1").fit(XOR_X, XOR_Y, validation=validation, progress=False)
    assert str(info.value) == message


def test_patience_stops_and_keeps_the_best_parameters():
    net = sn.Network("2-3-1")
    # a learning rate that overshoots: the loss falls, then climbs
    r = net.fit(XOR_X, XOR_Y, lr=0.4, epochs=500, patience=3, progress=False, seed=0)
    best = int(np.argmin(r.history)) + 1
    assert r.best_epoch == best and len(r.history) == best + 3
    # the kept parameters are those whose loss was the best
    assert net.compile().loss(r.params, XOR_X, XOR_Y) == pytest.approx(min(r.history), rel=1e-13)


def test_a_run_that_ends_above_its_first_loss_warns():
    net = sn.Network("2-3-1", activation="sigmoid", loss="bce")
    with pytest.warns(sn.TrainingWarning, match=r"the loss rose during training, from 0.715023 to "):
        net.fit(XOR_X, XOR_Y, lr=50, epochs=200, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.fit(XOR_X, XOR_Y, lr=1, epochs=50, progress=False)


# ------------------------------------------------------------------------------ pictures

def test_the_pictures_of_a_run(tmp_path):
    pytest.importorskip("matplotlib")
    net = sn.Network("2-3-1", activation="tanh", loss="bce")
    r = net.fit(XOR_X, XOR_Y, optimizer="adam", lr=0.05, epochs=100, validation=0.25,
                progress=False)
    for kind in ("loss", "accuracy", "gradients"):
        svg = r.plot(kind).to_bytes("svg").decode()
        assert "epoch" in svg
    assert "mean |∂L/∂W1|" in r.plot("gradients").to_bytes("svg").decode()
    assert "decision boundary" in r.plot_boundary(XOR_X, XOR_Y).to_bytes("svg").decode()
    with pytest.raises(sn.SymnetError, match="unknown plot 'weights'; valid: loss, accuracy, gradients"):
        r.plot("weights")
    regression = sn.Network("2-1").fit(XOR_X, XOR_Y, epochs=2, progress=False)
    with pytest.raises(sn.SymnetError, match="accuracy is recorded for classifiers only"):
        regression.plot("accuracy")
    with pytest.raises(sn.SymnetError, match="a decision boundary needs a classifier"):
        regression.plot_boundary(XOR_X, XOR_Y)


# ------------------------------------------------------------------------- the command line

def write(tmp_path, text, name="xor.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


XOR_CSV = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"


def test_the_readme_example_trains_with_the_defaults(tmp_path, capsys):
    """A linear 2-3-1 cannot learn XOR, but with the default lr (0.1) it must not diverge."""
    assert main(["train", "2-3-1", "--data", write(tmp_path, XOR_CSV)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].endswith("on 4 samples for 1000 epochs (sgd, lr 0.1)")
    assert out.splitlines()[1] == "loss: 1.43684 -> 0.25" and err == ""


def test_train_with_adam(tmp_path, capsys):
    data = write(tmp_path, XOR_CSV)
    assert main(["train", "2-3-1", "--activation", "tanh", "--loss", "bce", "--data", data,
                 "--optimizer", "adam", "--betas", "0.9,0.999"]) == 0
    assert capsys.readouterr().out == (
        "trained Network('2-3-1', activation='tanh', output_activation='sigmoid', loss='bce') "
        "on 4 samples for 1000 epochs (adam, lr 0.01)\n"
        "loss: 0.745446 -> 0.00774674\n"
        "accuracy: 50% -> 100%\n")


def test_train_from_given_weights_with_frozen_biases(tmp_path, capsys):
    """--params starts from the worked example's weights; --freeze keeps the biases."""
    data = write(tmp_path, "x1,x2,y\n0.05,0.1,0.01\n")
    model = str(tmp_path / "m.json")
    assert main(["train", "2-2-1", "--loss", "half_sse", "--data", data, "--lr", "0.5",
                 "--epochs", "2", "--params", "w1=.15,w2=.2,w3=.25,w4=.3,w5=.4,w6=.45,b1=.35,"
                 "b2=.35,b3=.6", "--freeze", "b1,b2,b3", "--save", model]) == 0
    out = capsys.readouterr().out
    assert "loss: 0.421018 -> 0.221678\n" in out and "frozen: b1,b2,b3\n" in out
    doc = json.loads(open(model).read())
    assert f"{doc['history'][1]:.10g}" == "0.3044664467"
    assert [doc["params"][b] for b in ("b1", "b2", "b3")] == [0.35, 0.35, 0.6]


def test_train_warns_when_the_loss_rises(tmp_path, capsys):
    assert main(["train", "2-3-1", "--activation", "sigmoid", "--loss", "bce", "--lr", "50",
                 "--epochs", "200", "--data", write(tmp_path, XOR_CSV)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: the loss rose during training, from 0.715023 to ")
    assert err.endswith("; try a smaller learning rate (e.g. 5)\n")


def test_train_validation_and_early_stopping(tmp_path, capsys):
    rows = "".join(f"{a},{b},{int(a > b)}\n" for a, b in np.random.default_rng(0).normal(size=(20, 2)))
    data = write(tmp_path, "x1,x2,y\n" + rows)
    assert main(["train", "2-2-1", "--activation", "tanh", "--loss", "bce", "--data", data,
                 "--optimizer", "adam", "--lr", "0.05", "--validation", "0.25",
                 "--patience", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("on 20 samples (5 held out for validation) for "
                             + lines[0].split(" for ")[-1])
    assert lines[3].startswith("validation loss: ") and ", accuracy " in lines[3]


@pytest.mark.parametrize("extra, message", [
    (["--optimizer", "adagrad"], "error: argument --optimizer: invalid choice: 'adagrad'"),
    (["--optimizer", "adam", "--momentum", "0.9"], "error: optimizer 'adam' has no option 'momentum'"),
    (["--betas", "0.9"], "error: optimizer 'sgd' has no option 'betas'"),
    (["--optimizer", "adam", "--betas", "a,b"], "error: --betas must be two numbers like 0.9,0.999, got 'a,b'"),
    (["--freeze", "w99"], "error: cannot freeze 'w99': no such parameter"),
    (["--params", "w99=1"], "error: unknown parameter 'w99' (did you mean 'w9'?); this network "
                            "has: w1"),
    (["--plot-boundary", "b.png"], "error: --plot-boundary draws 2-input classifiers (loss bce or cross_entropy); this is a 2-3-1 network with loss mse"),
    (["--l2", "-1"], "error: l2 must be a number ≥ 0, got '-1'"),
    (["--validation", "2"], "error: validation must be a fraction between 0 and 1"),
    (["--patience", "0"], "error: patience must be a positive integer, got 0"),
])
def test_train_bad_options(tmp_path, capsys, extra, message):
    assert main(["train", "2-3-1", "--data", write(tmp_path, XOR_CSV), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_a_csv_without_a_header_is_refused(tmp_path, capsys):
    data = write(tmp_path, "0,0,0\n0,1,1\n1,0,1\n")
    assert main(["train", "2-3-1", "--data", data]) == 2
    assert capsys.readouterr().err == (f"error: {data}: the first row is numbers, not column "
                                       "names; add a header row, e.g. x1,x2,y\n")


def test_train_plots_the_boundary_and_the_gradients(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png, grads = tmp_path / "b.png", tmp_path / "g.svg"
    assert main(["train", "2-3-1", "--activation", "tanh", "--loss", "bce", "--optimizer", "adam",
                 "--data", write(tmp_path, XOR_CSV), "--epochs", "50", "--plot-boundary",
                 str(png), "--plot-gradients", str(grads)]) == 0
    out = capsys.readouterr().out
    assert f"plotted {grads}\nplotted {png}\n" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "mean |∂L/∂W|" in grads.read_text()


def test_l2_on_the_command_line_shows_in_derive_and_trains(tmp_path, capsys):
    assert main(["derive", "2-1", "--l2", "0.1", "--wrt", "w1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "∂L/∂w1 = 1 · w1/10 + 2*(yhat - y) · x1"
    model = str(tmp_path / "m.json")
    assert main(["train", "2-1", "--l2", "0.5", "--data", write(tmp_path, XOR_CSV), "--save", model]) == 0
    assert "l2='1/2'" in capsys.readouterr().out
    assert sn.load(model)[0].l2 == sp.Rational(1, 2)
