"""Training by gradient descent, w(t+1) = w(t) − α ∂L/∂w; saving, loading and the train command."""

import json
import os

import numpy as np
import pytest

import symnet as sn
from symnet.cli import main
from symnet.train import init_weights

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)


def test_linear_regression_converges_to_least_squares():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    Y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.normal(size=50)
    result = sn.linear_regression(3).fit(X, Y, lr=0.2, epochs=2000, progress=False)
    coef, *_ = np.linalg.lstsq(np.c_[X, np.ones(50)], Y, rcond=None)
    fitted = [result.params[k] for k in ("w1", "w2", "w3", "b1")]
    assert np.max(np.abs(np.array(fitted) - coef)) < 1e-6
    assert result.history[0] > result.history[-1]


def test_one_step_is_the_lectures_update():
    """w(1) = w(0) − α ∂L/∂w(0) for every parameter."""
    net = sn.Network("2-2-1", activation="tanh")
    p0 = net.init_params(seed=3)
    grad = net.compile().gradient(p0, XOR_X, XOR_Y)
    result = net.fit(XOR_X, XOR_Y, lr=0.1, epochs=1, params=p0, progress=False)
    for name in p0:
        assert result.params[name] == pytest.approx(p0[name] - 0.1 * grad[name], rel=1e-14, abs=1e-15)
    assert result.history == [pytest.approx(net.compile().loss(p0, XOR_X, XOR_Y), rel=1e-14)]


@pytest.mark.parametrize("form", ["layer", "scalar"])
def test_a_sigmoid_net_learns_xor(form):
    net = sn.Network("2-3-1", activation="sigmoid", loss="bce")
    result = net.fit(XOR_X, XOR_Y, lr=1.0, epochs=3000, seed=0, progress=False, form=form)
    assert result.loss < 0.01
    assert (net.compile(form).predict(result.params, XOR_X).ravel() > 0.5).tolist() == \
        [False, True, True, False]


def test_both_forms_train_to_the_same_parameters():
    net = sn.Network("2-3-1", activation="sigmoid")
    a = net.fit(XOR_X, XOR_Y, lr=0.5, epochs=200, progress=False, form="layer")
    b = net.fit(XOR_X, XOR_Y, lr=0.5, epochs=200, progress=False, form="scalar")
    assert np.allclose(list(a.params.values()), list(b.params.values()), rtol=1e-10, atol=1e-12)


def test_minibatches_are_seeded():
    net = sn.Network("2-4-1", activation="tanh")
    X = np.random.default_rng(1).normal(size=(20, 2))
    Y = X[:, 0] * X[:, 1]
    run = lambda seed: net.fit(X, Y, lr=0.1, epochs=20, batch_size=3, seed=seed, progress=False)
    assert run(5).params == run(5).params
    assert run(5).params != run(6).params
    sgd = net.fit(X, Y, lr=0.05, epochs=30, batch_size=1, progress=False)
    assert sgd.history[-1] < sgd.history[0]


def test_divergence_names_the_epoch_and_keeps_finite_params():
    net = sn.Network("2-3-1")
    with pytest.raises(sn.DivergenceError) as info:
        net.fit(XOR_X, XOR_Y, lr=100.0, epochs=100, progress=False)
    err = info.value
    assert f"training diverged at epoch {err.epoch}" in str(err)
    assert "learning rate 100; try a smaller learning rate (e.g. 10)" in str(err)
    assert len(err.history) == err.epoch - 1
    assert all(np.isfinite(list(err.params.values())))
    assert np.isfinite(net.compile().loss(err.params, XOR_X, XOR_Y))


def test_callback_sees_every_epoch_and_can_stop():
    seen = []
    result = sn.Network("2-2-1").fit(XOR_X, XOR_Y, lr=0.1, epochs=50, progress=False,
                                     callback=lambda e, loss, p: seen.append(e) or e < 10)
    assert seen == list(range(1, 11)) and len(result.history) == 10


def test_init_weights_follow_he_and_glorot():
    he, _ = init_weights([100, 150, 1], ["he", "glorot"], seed=0)
    assert he.shape == (150, 100)
    assert np.std(he) == pytest.approx(np.sqrt(2 / 100), rel=0.03)  # He: N(0, 2/fan_in)
    glorot, _ = init_weights([100, 150, 1], ["glorot", "glorot"], seed=0)
    assert np.sqrt(6 / 250) * 0.99 < np.max(np.abs(glorot)) <= np.sqrt(6 / 250)  # U(±√(6/250))
    assert np.array_equal(he, init_weights([100, 150, 1], ["he", "glorot"], seed=0)[0])


@pytest.mark.parametrize("activation, init", [("relu", "he"), ("elu", "he"), ("silu", "he"),
                                              ("sigmoid", "glorot"), ("tanh", "glorot")])
def test_init_params_names_each_layers_rule_in_parameter_order(activation, init):
    net = sn.Network("3-4-1", activation=activation)
    params = net.init_params(seed=5)
    hidden, out = init_weights([3, 4, 1], [init, "glorot"], seed=5)
    assert [params[f"w{i}"] for i in range(1, 13)] == hidden.ravel().tolist()  # N1 takes w1…w3
    assert [params[f"w{i}"] for i in range(13, 17)] == out.ravel().tolist()
    assert [params[f"b{i}"] for i in range(1, 6)] == [0.0] * 5


@pytest.mark.parametrize("kwargs, message", [
    (dict(lr=0), "lr must be a positive number, got 0"),
    (dict(lr=float("nan")), "lr must be a positive number"),
    (dict(epochs=2.5), "epochs must be a positive integer, got 2.5"),
    (dict(batch_size=9), "batch_size 9 is larger than the 4 samples"),
])
def test_bad_training_arguments(kwargs, message):
    with pytest.raises(sn.SymnetError) as info:
        sn.Network("2-1").fit(XOR_X, XOR_Y, progress=False, **kwargs)
    assert message in str(info.value)


def test_save_and_load_round_trip_bit_exactly(tmp_path):
    net = sn.Network("2-3-2", activation=["leaky_relu"], loss="cross_entropy")
    X = np.random.default_rng(2).normal(size=(8, 2))
    Y = np.eye(2)[(X[:, 0] > 0).astype(int)]
    result = net.fit(X, Y, lr=0.3, epochs=30, progress=False)
    path = tmp_path / "model.json"
    result.save(path)
    net2, params2 = sn.load(path)
    assert repr(net2) == repr(net) and net2.definitions == net.definitions
    assert params2 == result.params
    assert json.loads(path.read_text())["history"] == result.history
    assert [f for f in os.listdir(tmp_path)] == ["model.json"]


def test_load_rejects_other_files(tmp_path):
    (tmp_path / "a.json").write_text('{"format": "other"}')
    (tmp_path / "b.json").write_text("not json")
    with pytest.raises(sn.SymnetError, match="is not a symnet model file"):
        sn.load(tmp_path / "a.json")
    with pytest.raises(sn.SymnetError, match="not JSON"):
        sn.load(tmp_path / "b.json")
    with pytest.raises(sn.SymnetError, match="cannot read"):
        sn.load(tmp_path / "missing.json")


def test_save_to_an_unwritable_place_fails_cleanly(tmp_path):
    result = sn.TrainResult(sn.Network("2-1"), {"w1": 0.0, "w2": 0.0, "b1": 0.0}, [1.0])
    with pytest.raises(sn.SymnetError, match="cannot write"):
        result.save(tmp_path / "no" / "such" / "dir" / "m.json")


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_train_command(tmp_path, capsys):
    data = write(tmp_path, "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    model = str(tmp_path / "m.json")
    assert main(["train", "2-3-1", "--activation", "sigmoid", "--loss", "bce", "--data", data,
                 "--lr", "1", "--epochs", "2000", "--save", model]) == 0
    out = capsys.readouterr().out
    # a summary, not every parameter (those with --verbose, and in the saved file)
    assert out == ("trained Network('2-3-1', activation='sigmoid', output_activation='sigmoid', "
                   "loss='bce') on 4 samples for 2000 epochs (sgd, lr 1)\n"
                   "loss: 0.715023 -> 0.00659042\n"
                   "accuracy: 50% -> 100%\n"
                   f"saved {model}\n")
    net, params = sn.load(model)
    assert (net.compile().predict(params, XOR_X).ravel() > 0.5).tolist() == [False, True, True, False]


def test_train_command_with_named_columns(tmp_path, capsys):
    data = write(tmp_path, "target,a,noise,b\n1,0,9,1\n3,1,9,1\n5,2,9,1\n")
    assert main(["train", "2-1", "--data", data, "--inputs", "a,b", "--targets", "target",
                 "--lr", "0.1", "--epochs", "3000", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "  w1 =  2\n" in out


def test_unused_columns_are_not_read_and_lines_are_counted_as_in_the_file(tmp_path, capsys):
    data = write(tmp_path, "id,a,b,t\nfirst,0,1,1\n\nsecond,1,1,three\n")
    assert main(["train", "2-1", "--data", data, "--inputs", "a,b", "--targets", "t"]) == 2
    assert capsys.readouterr().err == f"error: {data} line 4, column 't' must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'three'\n"


def test_train_plot(tmp_path):
    pytest.importorskip("matplotlib")
    data = write(tmp_path, "x1,y\n0,1\n1,3\n")
    png = tmp_path / "loss.png"
    assert main(["train", "1-1", "--data", data, "--epochs", "20", "--lr", "0.1",
                 "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_save_to_a_missing_folder_fails_before_training(tmp_path, capsys):
    data = write(tmp_path, "x1,y\n0,1\n1,3\n")
    assert main(["train", "1-1", "--data", data, "--save", str(tmp_path / "no" / "m.json")]) == 2
    assert capsys.readouterr() == ("", f"error: cannot write {tmp_path}/no/m.json: no folder "
                                       f"{tmp_path}/no\n")


def test_train_plot_with_an_unknown_image_suffix_fails_before_training(tmp_path, capsys):
    data = write(tmp_path, "x1,y\n0,1\n1,3\n")
    assert main(["train", "1-1", "--data", data, "--plot", str(tmp_path / "loss.gif")]) == 2
    assert capsys.readouterr().err.startswith("error: cannot tell the image format of")
    assert not (tmp_path / "loss.gif").exists()


@pytest.mark.parametrize("content, extra, message", [
    (None, [], "error: data file {dir}/missing.csv does not exist"),
    ("", [], "error: {path} is empty; expected a header row"),
    ("x1,x2,y\n", [], "error: {path} has a header but no data rows"),
    ("x1,y\n1,2\n", [], "error: {path} has 2 columns but the network needs 2 inputs + 1 targets = 3"),
    ("x1,x2,y\n1,2\n", [], "error: {path} line 2 has 2 cells; the header has 3"),
    ("x1,x2,y\n1,two,3\n", [], "error: {path} line 2, column 'x2' must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'two'"),
    ("x1,x2,y\n1,nan,3\n", [], "error: {path} line 2, column 'x2' must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'nan'"),
    ("x1,x2,y\n1,,3\n", [], "error: {path} line 2, column 'x2' must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got ''"),
    ("a,b,c\n1,2,3\n", ["--inputs", "a,z", "--targets", "c"], "error: {path} has no column 'z'"),
    ("a,b,c\n1,2,3\n", ["--inputs", "a,b"], "error: give both --inputs and --targets"),
    ("x1,x2,y\n1,2,3\n", ["--lr", "-1"], "error: --lr must be a positive number, got -1.0"),
    ("x1,x2,y\n1,2,3\n", ["--epochs", "x"], "error: --epochs must be a whole number written with the digits 0-9, like 3 or 1000; got 'x'"),
    ("x1,x2,y\n0,0,0\n0,1,1\n", ["--lr", "1e6", "--epochs", "50"], "error: training diverged at epoch"),
])
def test_train_command_bad_input(tmp_path, capsys, content, extra, message):
    path = str(tmp_path / "missing.csv") if content is None else write(tmp_path, content)
    assert main(["train", "2-3-1", "--data", path, *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message.format(path=path, dir=tmp_path))
    assert err.count("\n") == 1
