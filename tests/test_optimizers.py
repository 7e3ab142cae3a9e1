"""Optimizers as torch.optim defines them: 50-step trajectories against an independent
implementation written here from PyTorch's documented algorithms, and against PyTorch itself."""

import math

import numpy as np
import pytest

import symnet as sn
from symnet.optimizers import REGISTRY, entry, names

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)


# ---------------------------------------- an independent implementation, in plain Python floats

def reference(name, grad, w, lr, steps, **o):
    """torch.optim's documented algorithms, one float at a time (PyTorch's docs, 'Algorithm')."""
    w = list(w)
    n = len(w)
    if name in ("momentum", "nesterov"):  # torch.optim.SGD(momentum=0.9[, nesterov=True])
        o = {"momentum": 0.9, "nesterov": name == "nesterov", **o}
    b, s, m, v, vmax, gavg = [None] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g = grad(w)
        for i in range(n):
            gi = g[i] + o.get("weight_decay", 0.0) * w[i]
            if name in ("sgd", "momentum", "nesterov"):
                mu, tau = o.get("momentum", 0.0), o.get("dampening", 0.0)
                if mu:
                    b[i] = gi if t == 1 else mu * b[i] + (1 - tau) * gi
                    gi = gi + mu * b[i] if o.get("nesterov") else b[i]
                w[i] -= lr * gi
            elif name == "rmsprop":
                a, eps = o.get("alpha", 0.99), o.get("eps", 1e-8)
                s[i] = a * s[i] + (1 - a) * gi * gi
                if o.get("centered"):
                    gavg[i] = a * gavg[i] + (1 - a) * gi
                    denom = math.sqrt(s[i] - gavg[i] ** 2) + eps
                else:
                    denom = math.sqrt(s[i]) + eps
                if o.get("momentum", 0.0):
                    m[i] = o["momentum"] * m[i] + gi / denom
                    w[i] -= lr * m[i]
                else:
                    w[i] -= lr * gi / denom
            else:  # adam
                b1, b2 = o.get("betas", (0.9, 0.999))
                eps = o.get("eps", 1e-8)
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                vmax[i] = max(vmax[i], v[i])
                vv = vmax[i] if o.get("amsgrad") else v[i]
                mhat = m[i] / (1 - b1 ** t)
                w[i] -= lr * mhat / (math.sqrt(vv) / math.sqrt(1 - b2 ** t) + eps)
    return w


def rosenbrock_grad(w):
    x, y = w
    return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]


def run_symnet(name, grad, w, lr, steps, **o):
    opt = entry(name)
    options = opt.options(o)
    params = [np.array(w, dtype=float)]
    state = opt.init(params)
    for t in range(1, steps + 1):
        params, state = opt.update(params, [np.array(grad(params[0].tolist()))], state, lr, t,
                                   **options)
    return params[0].tolist()


CASES = [
    ("sgd", 1e-3, {}),
    ("sgd", 1e-3, {"weight_decay": 0.1}),
    ("sgd", 1e-3, {"momentum": 0.5, "dampening": 0.3}),
    ("momentum", 1e-3, {}),
    ("momentum", 1e-3, {"momentum": 0.8, "weight_decay": 0.01}),
    ("nesterov", 1e-3, {}),
    ("rmsprop", 1e-3, {}),
    ("rmsprop", 1e-3, {"alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.01}),
    ("adam", 0.05, {}),
    ("adam", 0.05, {"betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.01}),
    ("adam", 0.05, {"amsgrad": True}),
]


@pytest.mark.parametrize("name, lr, options", CASES)
def test_fifty_steps_on_rosenbrock_match_the_reference(name, lr, options):
    start = [-1.2, 1.0]
    ours = run_symnet(name, rosenbrock_grad, start, lr, 50, **options)
    ref = reference(name, rosenbrock_grad, start, lr, 50, **options)
    assert ours != start
    assert max(abs(a - b) for a, b in zip(ours, ref)) <= 1e-12


def test_defaults_are_pytorchs():
    assert entry("sgd").defaults == dict(momentum=0.0, dampening=0.0, weight_decay=0.0,
                                         nesterov=False, maximize=False)
    assert entry("momentum").defaults["momentum"] == 0.9
    assert entry("nesterov").defaults["nesterov"] is True
    assert entry("rmsprop").defaults == dict(alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                                             centered=False, maximize=False)
    assert entry("adam").defaults == dict(betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                                          amsgrad=False, maximize=False)
    assert names() == ["sgd", "momentum", "nesterov", "rmsprop", "adam"]


@pytest.mark.parametrize("call, message", [
    (lambda: entry("adagrad"), "unknown optimizer 'adagrad'; valid: sgd, momentum, nesterov, rmsprop, adam"),
    (lambda: entry("adam").options({"momentum": 0.9}), "optimizer 'adam' has no option 'momentum'; its options: betas, eps, weight_decay, amsgrad, maximize"),
    (lambda: entry("adam").options({"betas": (0.9, 1.5)}), "betas must be two numbers in [0, 1), e.g. (0.9, 0.999); got (0.9, 1.5)"),
    (lambda: entry("sgd").options({"momentum": -1}), "momentum must be a number in [0, 1), got -1"),
    (lambda: entry("rmsprop").options({"eps": "x"}), "eps must be a number ≥ 0, got 'x'"),
    (lambda: sn.Network("2-1").fit(XOR_X, XOR_Y, optimizer="adam", momentum=0.9, progress=False),
     "optimizer 'adam' has no option 'momentum'"),
])
def test_bad_optimizer_options(call, message):
    with pytest.raises(sn.SymnetError) as info:
        call()
    assert str(info.value).startswith(message)


def test_the_update_rules_print_in_text_and_latex():
    rule = sn.update_rule("adam")
    assert str(rule) == ("m ← β₁ m + (1 − β₁) g\nv ← β₂ v + (1 − β₂) g²\n"
                         "w ← w − α (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)")
    assert rule.latex == (
        "\\begin{aligned}\n"
        "m &\\leftarrow \\beta_{1} m + (1 - \\beta_{1}) g \\\\\n"
        "v &\\leftarrow \\beta_{2} v + (1 - \\beta_{2}) g^{2} \\\\\n"
        "w &\\leftarrow w - \\alpha \\frac{m / (1 - \\beta_{1}^{t})}{\\sqrt{v / (1 - \\beta_{2}^{t})} + \\epsilon}\n"
        "\\end{aligned}")
    assert rule.numbers == "α = lr = 0.01; betas = (0.9, 0.999), eps = 1e-08, weight_decay = 0.0"
    assert sn.update_rule("nesterov", lr=0.5, momentum=0.5).numbers == \
        "α = lr = 0.5; momentum = 0.5, dampening = 0.0, weight_decay = 0.0, nesterov = True"
    assert str(sn.update_rule("sgd")) == "w ← w − α g"
    assert rule._repr_latex_().startswith("$$\\begin{aligned}")


# ------------------------------------------------------------------ fit against the reference

def test_fit_with_adam_follows_the_reference_on_a_linear_regression():
    """ŷ = w1 x1 + b1 with mse: ∂L/∂w1 = (2/n) Σ (ŷ − y) x, ∂L/∂b1 = (2/n) Σ (ŷ − y)."""
    X, Y = np.array([0.0, 1.0, 2.0, 3.0]), np.array([1.0, 2.5, 5.5, 7.0])

    def grad(w):
        r = [w[0] * x + w[1] - y for x, y in zip(X, Y)]
        return [2 / 4 * sum(ri * x for ri, x in zip(r, X)), 2 / 4 * sum(r)]
    ref = reference("adam", grad, [0.3, -0.2], 0.05, 50)
    result = sn.linear_regression(1).fit(X[:, None], Y, optimizer="adam", lr=0.05, epochs=50,
                                         params={"w1": 0.3, "b1": -0.2}, progress=False)
    assert abs(result.params["w1"] - ref[0]) <= 1e-12 and abs(result.params["b1"] - ref[1]) <= 1e-12


# ------------------------------------------------------------------------------- PyTorch

def torch_trajectory(torch, net, p0, optimizer, lr, epochs, **options):
    """The same network built in PyTorch from the same parameters, trained full-batch."""
    sizes = net.sizes
    ws = [p0[f"w{i}"] for i in range(1, sum(a * b for a, b in zip(sizes, sizes[1:])) + 1)]
    bs = [p0[f"b{i}"] for i in range(1, sum(sizes[1:]) + 1)]
    Ws, Bs, wo, bo = [], [], 0, 0
    for a, b in zip(sizes, sizes[1:]):
        Ws.append(torch.tensor(ws[wo:wo + a * b], dtype=torch.float64).reshape(b, a).requires_grad_())
        Bs.append(torch.tensor(bs[bo:bo + b], dtype=torch.float64).requires_grad_())
        wo, bo = wo + a * b, bo + b
    cls = {"sgd": torch.optim.SGD, "momentum": torch.optim.SGD, "nesterov": torch.optim.SGD,
           "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}[optimizer]
    extra = {"momentum": {"momentum": 0.9}, "nesterov": {"momentum": 0.9, "nesterov": True}}
    opt = cls(Ws + Bs, lr=lr, **{**extra.get(optimizer, {}), **options}, foreach=False)
    X, Y = torch.tensor(XOR_X), torch.tensor(XOR_Y)[:, None]
    for _ in range(epochs):
        opt.zero_grad()
        A = X
        for l, (W, B) in enumerate(zip(Ws, Bs)):
            A = A @ W.T + B
            if l < len(Ws) - 1:
                A = torch.tanh(A)
        loss = torch.mean((Y - A) ** 2)
        loss.backward()
        opt.step()
    return [float(v) for W in Ws for v in W.detach().reshape(-1)] + \
        [float(v) for B in Bs for v in B.detach()]


@pytest.mark.parametrize("optimizer, lr, options", [
    ("sgd", 0.1, {}), ("sgd", 0.1, {"weight_decay": 0.01}), ("momentum", 0.05, {}),
    ("nesterov", 0.05, {}), ("rmsprop", 0.01, {}), ("rmsprop", 0.01, {"centered": True}),
    ("adam", 0.02, {}), ("adam", 0.02, {"weight_decay": 0.01, "amsgrad": True}),
])
def test_fifty_epochs_match_pytorch(optimizer, lr, options):
    torch = pytest.importorskip("torch")
    net = sn.Network("2-3-1", activation="tanh")
    p0 = net.init_params(seed=1)
    theirs = torch_trajectory(torch, net, p0, optimizer, lr, 50, **options)
    ours = net.fit(XOR_X, XOR_Y, optimizer=optimizer, lr=lr, epochs=50, params=p0,
                   progress=False, **options)
    assert max(abs(a - b) for a, b in zip(ours.params.values(), theirs)) <= 1e-12
    assert ours.params != p0


def test_the_update_functions_run_on_torch_tensors():
    torch = pytest.importorskip("torch")
    opt = REGISTRY["adam"]
    w = [torch.tensor([1.0, -2.0], dtype=torch.float64)]
    state = opt.init(w)
    for t in range(1, 4):
        w, state = opt.update(w, [2 * w[0]], state, 0.1, t, **opt.defaults)
    ref = reference("adam", lambda v: [2 * x for x in v], [1.0, -2.0], 0.1, 3)
    assert torch.is_tensor(w[0])
    assert max(abs(a - b) for a, b in zip(w[0].tolist(), ref)) <= 1e-15


def test_the_command_line_offers_every_optimizer():
    from symnet.cli import OPTIMIZERS  # kept apart so that the command line starts without NumPy
    assert list(OPTIMIZERS) == names()
