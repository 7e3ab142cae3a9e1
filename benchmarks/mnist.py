"""MNIST-size part of benchmarks/train.py (imported by it; ``python benchmarks/train.py --mnist``
runs this part alone).

Nets ``sn.Network(arch, activation="sigmoid", output_activation="sigmoid", loss="mse")`` for
784-30-10 (Nielsen's) and 784-16-16-10 (3Blue1Brown's), N = 10,000 seeded MNIST-shaped samples
(pixels uniform in [0, 1), one-hot targets), float64, lr 0.5, all from ``net.init_params(0)``:
full batch for 10 epochs and mini-batches of 32 for 5 epochs (the same seeded order for every
method).  Methods, interleaved, best of k (compile and jit excluded: each runs once first):

* numpy: the loop written by hand below (data transposed once, columns gathered per batch);
* symnet numpy: ``net.fit(X, Y, ...)``, which also checks X, Y and the params;
* symnet jax / torch: ``net.fit(..., backend=...)``, the fused step (where installed);
* jax: ``jit`` of a step doing ``value_and_grad`` and the update, rows gathered inside it;
* torch: the same loop with autograd (``loss.backward()``), one thread.

Then build + compile: a fresh process per net imports symnet.network (SymPy, NumPy), then
times ``Network(arch, ...).compile()``, first use of everything included.
"""

import math
import os
import subprocess
import sys
import time

import numpy as np

import symnet as sn

NETS = ["784-30-10", "784-16-16-10"]
N, LR = 10_000, 0.5
# (batch size, epochs); fit's checks of X, Y and the params (≈ 7 ms here) are a fixed cost
# that more epochs spread: at 2 epochs they are 6 % of a JAX mini-batch run
CASES = [(None, 10), (32, 5)]
COMPILE_NETS = ["784-30-10", "784-100-10", "784-128-64-10"]
TARGETS = {None: 1.05, 32: 1.2}  # symnet numpy / hand numpy
TARGET_JAX, TARGET_COMPILE = 1.1, 1.0

try:
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
except ImportError:
    jax = None
try:
    import torch
except ImportError:
    torch = None


def network(arch):
    return sn.Network(arch, activation="sigmoid", output_activation="sigmoid", loss="mse")


def data(sizes, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((N, sizes[0])), np.eye(sizes[-1])[rng.integers(0, sizes[-1], N)]


def batches(batch_size, epochs, seed=0):
    rng = np.random.default_rng(seed)  # the order fit draws from seed 0
    for _ in range(epochs):
        if batch_size is None:
            yield [None]
        else:
            order = rng.permutation(N)
            yield [order[s:s + batch_size] for s in range(0, N, batch_size)]


def layer_arrays(net, p0, to=np.array):
    theta = np.array([p0[name] for name in net.param_names])
    model = net.compile()
    return [to(a.copy()) for a in model.arrays(theta)]


# ------------------------------------------------------------------ hand-written NumPy

def numpy_fit(net, p0, X, Y, batch_size, epochs):
    params = layer_arrays(net, p0)
    Ws, bs = params[0::2], params[1::2]
    Xt, Yt = X.T, Y.T
    history = []
    for epoch in batches(batch_size, epochs):
        total = 0.0
        for b in epoch:
            Xb, Yb = (Xt, Yt) if b is None else (Xt[:, b], Yt[:, b])
            n, As = Xb.shape[1], [Xb]
            for W, c in zip(Ws, bs):
                As.append(1 / (1 + np.exp(-(np.dot(W, As[-1]) + c))))
            E = As[-1] - Yb
            total += float(np.sum(E * E)) / N
            d = (2 / n) * E * As[-1] * (1 - As[-1])
            for l in range(len(Ws) - 1, -1, -1):
                gW, gb = np.dot(d, As[l].T), d.sum(axis=1, keepdims=True)
                if l:
                    d = np.dot(Ws[l].T, d) * (As[l] * (1 - As[l]))
                Ws[l] -= LR * gW
                bs[l] -= LR * gb
        history.append(total)
    return flat(params)


def flat(params):
    arrays = [np.asarray(p.detach() if hasattr(p, "detach") else p) for p in params]
    return np.concatenate([a.ravel() for a in arrays[0::2] + arrays[1::2]])


# ---------------------------------------------------------------------------- JAX

def jax_loss(params, Xb, Yb):
    A = Xb
    for W, b in zip(params[0::2], params[1::2]):
        A = jax.nn.sigmoid(W @ A + b)
    return jnp.sum((A - Yb) ** 2) / Xb.shape[1]


def jax_step():
    @jax.jit
    def step(params, X, Y, index):
        Xb, Yb = (X.T, Y.T) if index is None else (X[index].T, Y[index].T)
        loss, grads = jax.value_and_grad(jax_loss)(params, Xb, Yb)
        return [p - LR * g for p, g in zip(params, grads)], loss
    return step


def jax_fit(step, net, p0, X, Y, batch_size, epochs):
    params = layer_arrays(net, p0, jnp.asarray)
    Xd, Yd = jnp.asarray(X), jnp.asarray(Y)
    history = []
    for epoch in batches(batch_size, epochs):
        parts = []
        for b in epoch:
            params, loss = step(params, Xd, Yd, b)
            parts.append(loss)
        history.append(float(np.sum(np.asarray(jnp.stack(parts)))))
    return flat(params)


# -------------------------------------------------------------------------- PyTorch

def torch_fit(net, p0, X, Y, batch_size, epochs):
    params = [p.requires_grad_() for p in layer_arrays(net, p0, torch.from_numpy)]
    Xt, Yt = torch.from_numpy(np.ascontiguousarray(X.T)), torch.from_numpy(np.ascontiguousarray(Y.T))
    history = []
    for epoch in batches(batch_size, epochs):
        total = 0.0
        for b in epoch:
            Xb, Yb = (Xt, Yt) if b is None else (Xt[:, b], Yt[:, b])
            A = Xb
            for W, c in zip(params[0::2], params[1::2]):
                A = torch.sigmoid(W @ A + c)
            loss = ((A - Yb) ** 2).sum() / Xb.shape[1]
            for p in params:
                p.grad = None
            loss.backward()
            total += loss.item()
            with torch.no_grad():
                for p in params:
                    p -= LR * p.grad
        history.append(total)
    return flat(params)


# ------------------------------------------------------------------------------ run

def race(fns, k):
    times, out = {name: math.inf for name in fns}, {}
    for _ in range(k):
        for name, fn in fns.items():
            start = time.perf_counter()
            out[name] = fn()
            times[name] = min(times[name], time.perf_counter() - start)
    return times, out


def run_case(arch, batch_size, epochs, k):
    net = network(arch)
    X, Y = data(net.sizes)
    p0 = net.init_params(0)
    fit = lambda **kw: (lambda: np.array(list(net.fit(
        X, Y, lr=LR, epochs=epochs, batch_size=batch_size, params=p0, progress=False,
        **kw).params.values())))
    fns = {"numpy (hand-written)": lambda: numpy_fit(net, p0, X, Y, batch_size, epochs),
           "symnet numpy": fit()}
    if jax is not None:
        step = jax_step()
        fns["jax jit(value_and_grad)"] = lambda: jax_fit(step, net, p0, X, Y, batch_size, epochs)
        fns["symnet jax (fused)"] = fit(backend="jax")
    if torch is not None:
        fns["torch (autograd)"] = lambda: torch_fit(net, p0, X, Y, batch_size, epochs)
        fns["symnet torch (fused)"] = fit(backend="torch")
    for fn in fns.values():  # compile, jit and warm up outside the timings
        fn()
    times, out = race(fns, k)
    ref = out["numpy (hand-written)"]
    diffs = {name: float(np.max(np.abs(o - ref))) for name, o in out.items()}
    return times, diffs


def compile_seconds(arch):
    code = ("import time, symnet.network as sn; t = time.perf_counter(); "
            f"sn.Network({arch!r}, activation='sigmoid', output_activation='sigmoid').compile(); "
            "print(time.perf_counter() - t)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONPATH=root))
    return float(done.stdout)


def main(k=5, quick=False):
    """Print the MNIST-size tables; return [(what, value, ok)] for the targets."""
    if quick:
        k = 1
    print(f"MNIST-size nets: sigmoid hidden and output, mse, N = {N:,}, lr {LR}; best of {k}; "
          f"jax {'not installed' if jax is None else jax.__version__}, "
          f"torch {'not installed' if torch is None else torch.__version__}")
    if torch is not None:
        torch.set_num_threads(1)
    checks = []
    for arch in NETS:
        for batch_size, epochs in CASES:
            epochs = 1 if quick else epochs
            times, diffs = run_case(arch, batch_size, epochs, k)
            what = "full batch" if batch_size is None else f"mini-batch {batch_size}"
            print(f"\n{arch}, N = {N:,}, {what}, {epochs} epochs")
            header = f"{'method':<28}{'fit s':>9}{'ms/epoch':>10}{'x numpy':>9}{'x jax':>8}" \
                     f"{'x torch':>9}{'max |Δparams|':>15}"
            print(header)
            print("-" * len(header))
            ref = times["numpy (hand-written)"]
            jref = times.get("jax jit(value_and_grad)")
            tref = times.get("torch (autograd)")
            for name, s in times.items():
                rj = f"{s / jref:.2f}" if jref and "jax" in name else ""
                rt = f"{s / tref:.2f}" if tref and "torch" in name else ""
                print(f"{name:<28}{s:>9.3f}{1e3 * s / epochs:>10.2f}{s / ref:>9.2f}{rj:>8}{rt:>9}"
                      f"{diffs[name]:>15.1e}")
            r = times["symnet numpy"] / ref
            checks.append((f"fit {arch} {what} <= {TARGETS[batch_size]}x numpy", r,
                           r <= TARGETS[batch_size]))
            if jref and batch_size == 32:
                r = times["symnet jax (fused)"] / jref
                checks.append((f"jax fused {arch} {what} <= {TARGET_JAX}x jax", r, r <= TARGET_JAX))
    print("\nbuild + compile, a fresh process per net (after importing symnet.network):")
    for arch in COMPILE_NETS:
        s = compile_seconds(arch)
        print(f"  {arch:<16}{s:.3f} s")
        checks.append((f"build+compile {arch} <= {TARGET_COMPILE:g} s", s, s <= TARGET_COMPILE))
    return checks
