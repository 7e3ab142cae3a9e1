"""MNIST-size networks: compiled without the scalar graph, parameters as arrays, fused steps on
JAX and PyTorch, and the MNIST IDX files.  Gradients are checked against a NumPy forward pass
written here and central differences (an oracle that shares no code with symnet)."""

import gzip

import numpy as np
import pytest
import sympy as sp

import symnet as sn
from symnet.cli import main


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def oracle_loss(sizes, theta, X, Y):
    """mse of a sigmoid network (every layer sigmoid), weights layer by layer, by target then
    source, then one bias per neuron (docs/architecture.md, Naming)."""
    A, w, b = X.T, 0, sum(a * c for a, c in zip(sizes, sizes[1:]))
    for n_in, n_out in zip(sizes, sizes[1:]):
        W = theta[w:w + n_in * n_out].reshape(n_out, n_in)
        A = sigmoid(W @ A + theta[b:b + n_out, None])
        w, b = w + n_in * n_out, b + n_out
    return float(np.sum((Y.T - A) ** 2)) / X.shape[0]


def central(f, theta, i, h=1e-6):
    up, down = theta.copy(), theta.copy()
    up[i] += h
    down[i] -= h
    return (f(up) - f(down)) / (2 * h)


def mnist_like(sizes, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, sizes[0]))
    return X, np.eye(sizes[-1])[rng.integers(0, sizes[-1], n)]


def sigmoid_net(arch):
    return sn.Network(arch, activation="sigmoid", output_activation="sigmoid")


def test_784_30_10_compiles_and_its_gradient_matches_central_differences():
    net = sigmoid_net("784-30-10")
    assert len(net.param_names) == 23_860
    X, Y = mnist_like(net.sizes, 20)
    theta = net.compile().theta(net.init_params(0))
    grad = net.compile().gradient(theta, X, Y)
    f = lambda t: oracle_loss(net.sizes, t, X, Y)
    # the first weight, one from the middle of layer 1, the first of layer 2, a bias per layer
    for i in [0, 11_000, 23_520, 23_550, 23_850]:
        assert grad[i] == pytest.approx(central(f, theta, i), rel=1e-5, abs=1e-9), net.param_names[i]


def test_a_large_network_trains_without_its_scalar_graph():
    net = sigmoid_net("784-128-64-10")
    X, Y = mnist_like(net.sizes, 64)
    result = net.fit(X, Y, lr=0.5, epochs=2, batch_size=32, progress=False)
    assert len(result.params) == 109_386 and len(result.history) == 2
    assert "definitions" not in vars(net)  # no derivation was asked for


def test_per_weight_symbolic_work_has_a_bound_phrased_in_time():
    net = sigmoid_net("784-128-64-10")
    with pytest.raises(sn.TooLargeError, match=r"784-128-64-10 has 109,386 parameters: deriving "
                       r"them one weight at a time .* would take about 33 s"):
        net.derive("w1")
    assert str(net.derive_layers()).splitlines()[0] == "Z1 = W1 @ X + b1"


def test_the_scalar_graph_is_built_when_a_derivation_asks_for_it():
    net = sn.Network("2-2-1")
    assert "definitions" not in vars(net)
    N1, y, yhat = sp.symbols("N1 y yhat")
    assert net.derive("w5").result == 2*N1*(yhat - y)
    assert len(net.definitions) == 4


@pytest.mark.parametrize("form", ["dict", "vector", "arrays"])
def test_gradient_comes_back_in_the_form_the_params_came_in(form):
    net = sigmoid_net("3-2-2")
    model = net.compile()
    X, Y = mnist_like(net.sizes, 5)
    theta = model.theta(net.init_params(1))
    given = {"dict": model.as_dict(theta), "vector": theta, "arrays": model.arrays(theta)}[form]
    grad = model.gradient(given, X, Y)
    flat = {"dict": lambda g: np.array(list(g.values())), "vector": lambda g: g,
            "arrays": lambda g: np.concatenate([a.ravel() for a in g[0::2] + g[1::2]])}[form](grad)
    f = lambda t: oracle_loss(net.sizes, t, X, Y)
    assert flat == pytest.approx([central(f, theta, i) for i in range(len(theta))], rel=1e-6)


def test_per_layer_params_of_the_wrong_shapes_are_refused():
    model = sn.Network("2-2-1").compile()
    with pytest.raises(sn.SymnetError, match=r"per-layer params must have shapes \[\(2, 2\), \(2, 1\), "
                       r"\(1, 2\), \(1, 1\)\]"):
        model.gradient([np.zeros((2, 2)), np.zeros((2, 1)), np.zeros((2, 1)), np.zeros((1, 1))],
                       [[0.0, 0.0]], [0.0])


def test_a_dict_missing_names_says_which():
    model = sigmoid_net("784-30-10").compile()
    params = model.as_dict(np.zeros(23_860))
    del params["w7"]
    with pytest.raises(sn.SymnetError, match=r"^params: missing w7; expected exactly w1, w2, .*more"):
        model.theta(params)


BIG = sn.Network("100-50-10")  # 5,560 parameters and 5,730 names; its scalar graph is built once
ZEROS = np.zeros((2, 100)), np.zeros((2, 10))
POINT = {**{f"x{i}": 0 for i in range(1, 101)}, **{f"y{i}": 0 for i in range(1, 11)}}


@pytest.mark.parametrize("call", [
    lambda: BIG.symbol("nope"),
    lambda: BIG.param("nope"),
    lambda: BIG.derive("nope"),
    lambda: BIG.derive("w1", of="nope"),
    lambda: BIG.forward({"x1": 1}),
    lambda: sn.check(BIG, "nope", "1"),
    lambda: sn.check(BIG, "w1", "2*(yhat1 - y1)*q"),
    lambda: sn.check(BIG, "w1", "1", at={"x1": 1}),
    lambda: sn.check(BIG, "w1", "eval(1)"),
    lambda: sn.check(BIG, "w1", r"\input{x}"),
    lambda: BIG.compile().loss({"w1": 1.0, "q": 2.0}, *ZEROS),
    lambda: BIG.compile().loss(dict.fromkeys(BIG.param_names, np.nan), *ZEROS),
    lambda: BIG.fit(*ZEROS, epochs=1, freeze=["nope"], progress=False),
    lambda: sn.draw(sn.Network("10-30-1"), params={"nope": 1}),  # a drawing has ≤ 400 weights
    lambda: sn.worksheet(BIG, params={"w1": 1}, at={"x1": 1}),
    lambda: sn.worksheet(BIG, params={"w1": 1}, at=POINT),
], ids=["symbol", "param", "derive-wrt", "derive-of", "forward-missing", "check-wrt",
        "check-unknown-name", "check-at-missing", "check-unknown-function", "check-latex",
        "params-missing-and-unknown", "params-nan", "fit-freeze", "draw-params",
        "worksheet-point-missing", "worksheet-params-missing"])
def test_an_error_on_a_large_network_is_one_short_line(call):
    with pytest.raises(sn.SymnetError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message and len(message) <= 300, f"{len(message):,} characters"


@pytest.mark.parametrize("argv", [
    ["derive", "100-50-10", "--wrt", "nope"],
    ["check", "100-50-10", "--wrt", "w1", "2*q"],
    ["check", "100-50-10", "--wrt", "w1", "--at", "x1=1", "1"],
    ["worksheet", "100-50-10", "--wrt", "nope", "-o", "x.md"],
    ["train", "100-1", "--data", "wide.csv", "--inputs", "nope", "--targets", "label"],
], ids=["derive", "check-unknown-name", "check-at-missing", "worksheet-wrt", "train-column"])
def test_an_error_of_the_command_line_on_a_large_network_is_one_short_line(argv, capsys,
                                                                          tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wide.csv").write_text(",".join(f"pixel{i}" for i in range(784)) + ",label\n")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) <= 301, f"{len(err):,} characters"


@pytest.mark.parametrize("backend", ["jax", "torch"])
@pytest.mark.parametrize("batch_size", [None, 4])
def test_a_fused_step_is_gradient_descent_on_the_oracle_gradient(backend, batch_size):
    pytest.importorskip(backend)
    net = sigmoid_net("3-4-2")
    X, Y = mnist_like(net.sizes, 4)
    p0 = net.init_params(2)
    theta = np.array(list(p0.values()))
    f = lambda t: oracle_loss(net.sizes, t, X, Y)
    expected = theta - 0.5 * np.array([central(f, theta, i) for i in range(len(theta))])
    result = net.fit(X, Y, lr=0.5, epochs=1, batch_size=batch_size, params=p0, progress=False,
                     backend=backend)
    assert np.array(list(result.params.values())) == pytest.approx(expected, rel=1e-6, abs=1e-10)
    assert result.history == [pytest.approx(f(theta), rel=1e-12)]


def _gpu(backend):
    if backend == "jax":
        jax = pytest.importorskip("jax")
        try:
            return bool(jax.devices("gpu"))
        except RuntimeError:
            return False
    return pytest.importorskip("torch").cuda.is_available()


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_on_a_gpu_the_fused_step_is_the_same_gradient_descent(backend):
    if not _gpu(backend):
        pytest.skip(f"no GPU for {backend} here")
    test_a_fused_step_is_gradient_descent_on_the_oracle_gradient(backend, 4)


def test_a_fused_run_that_diverges_says_so():
    pytest.importorskip("jax")
    net = sn.Network("1-1")
    with pytest.raises(sn.DivergenceError, match="training diverged at epoch"):
        net.fit([[1.0], [2.0]], [1.0, 2.0], lr=1e3, epochs=200, progress=False, backend="jax")


# ------------------------------------------------------------------------ IDX files

def idx_bytes(type_code, shape, payload):
    header = bytes([0, 0, type_code, len(shape)]) + b"".join(n.to_bytes(4, "big") for n in shape)
    return header + payload


@pytest.mark.parametrize("gzipped", [False, True])
def test_read_idx_reads_images_and_labels(tmp_path, gzipped):
    images = idx_bytes(0x08, (2, 2, 3), bytes(range(12)))
    labels = idx_bytes(0x08, (2,), bytes([5, 0]))
    opener = gzip.open if gzipped else open
    for name, data in (("images", images), ("labels", labels)):
        with opener(tmp_path / name, "wb") as f:
            f.write(data)
    X = sn.read_idx(tmp_path / "images")
    assert X.dtype == np.uint8 and X.shape == (2, 2, 3)
    assert X[1].tolist() == [[6, 7, 8], [9, 10, 11]]
    assert sn.read_idx(tmp_path / "labels").tolist() == [5, 0]


def test_read_idx_reads_big_endian_floats(tmp_path):
    (tmp_path / "f").write_bytes(idx_bytes(0x0E, (2,), np.array([1.5, -2.0], ">f8").tobytes()))
    assert sn.read_idx(tmp_path / "f").tolist() == [1.5, -2.0]


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04", "is not an IDX file"),
    (bytes([0, 0, 0x08, 2, 0, 0]), "is a truncated IDX file"),
    (idx_bytes(0x08, (2, 3), bytes(5)), r"an IDX file of shape \(2, 3\) has 18 bytes, this one 17"),
])
def test_read_idx_refuses_what_is_not_an_idx_file(tmp_path, data, message):
    (tmp_path / "bad").write_bytes(data)
    with pytest.raises(sn.SymnetError, match=message):
        sn.read_idx(tmp_path / "bad")


def test_read_idx_of_a_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(sn.SymnetError, match="does not exist"):
        sn.read_idx(tmp_path / "train-images-idx3-ubyte.gz")
