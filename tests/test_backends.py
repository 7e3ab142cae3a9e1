"""The same generated code on other array libraries, where they are installed."""

import numpy as np
import pytest

import symnet as sn

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu", "silu"]
HEADS = [("mse", None), ("half_sse", None), ("mse", "sigmoid"), ("bce", "sigmoid"),
         ("cross_entropy", "softmax"), ("mse", "relu")]


@pytest.mark.parametrize("backend", ["torch", "jax"])
@pytest.mark.parametrize("form", ["layer", "scalar"])
@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("loss, out", HEADS)
def test_a_backend_gives_numpys_numbers(backend, form, hidden, loss, out):
    pytest.importorskip({"torch": "torch", "jax": "jax"}[backend])
    n_out = 2 if loss == "cross_entropy" else 1
    net = sn.Network([2, 3, n_out], activation=hidden, output_activation=out, loss=loss)
    rng = np.random.default_rng(len(hidden) + len(loss))
    params = {str(p): float(rng.normal()) for p in net.params}
    X = rng.normal(size=(5, 2))
    Y = rng.dirichlet(np.ones(n_out), size=5) if n_out > 1 else rng.uniform(size=(5, 1))
    reference, other = net.compile(form), net.compile(form, backend)
    loss_np, grad_np = reference.loss_and_gradient(params, X, Y)
    loss_b, grad_b = other.loss_and_gradient(params, X, Y)
    assert loss_b == pytest.approx(loss_np, rel=1e-12, abs=1e-14)
    assert grad_b == pytest.approx(grad_np, rel=1e-10, abs=1e-13)
    assert other.predict(params, X) == pytest.approx(reference.predict(params, X), rel=1e-12)


def test_an_unknown_or_missing_backend_is_a_clear_error():
    with pytest.raises(sn.SymnetError, match="unknown backend 'cupy'; valid: numpy, torch, jax"):
        sn.Network("2-1").compile(backend="cupy")
    try:
        import torch  # noqa: F401
    except ImportError:
        with pytest.raises(sn.SymnetError, match="backend 'torch' needs PyTorch: pip install torch"):
            sn.Network("2-1").compile(backend="torch")


def _adam_or_rmsprop(name, w, lr, steps, X, Y):
    """Plain-Python Adam / RMSprop (torch.optim's defaults) on ŷ = w1 x + b1, L = mean((ŷ − y)²)."""
    m, v = [0.0, 0.0], [0.0, 0.0]
    for t in range(1, steps + 1):
        r = [w[0] * x + w[1] - y for x, y in zip(X, Y)]
        g = [2 / len(X) * sum(ri * x for ri, x in zip(r, X)), 2 / len(X) * sum(r)]
        for i in range(2):
            if name == "adam":
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] ** 2
                denom = (v[i] / (1 - 0.999 ** t)) ** 0.5 + 1e-8
                w[i] -= lr / (1 - 0.9 ** t) * m[i] / denom
            else:
                v[i] = 0.99 * v[i] + 0.01 * g[i] ** 2
                w[i] -= lr * g[i] / (v[i] ** 0.5 + 1e-8)
    return w


@pytest.mark.parametrize("backend", ["torch", "jax"])
@pytest.mark.parametrize("optimizer", ["adam", "rmsprop"])
def test_a_fused_optimizer_with_state_follows_the_reference(backend, optimizer):
    pytest.importorskip(backend)
    X, Y = [0.0, 1.0, 2.0, 3.0], [1.0, 2.5, 5.5, 7.0]
    result = sn.linear_regression(1).fit(np.array(X)[:, None], Y, optimizer=optimizer, lr=0.05,
                                         epochs=20, params={"w1": 0.3, "b1": -0.2},
                                         progress=False, backend=backend)
    ref = _adam_or_rmsprop(optimizer, [0.3, -0.2], 0.05, 20, X, Y)
    assert [result.params["w1"], result.params["b1"]] == pytest.approx(ref, rel=1e-12, abs=1e-12)
