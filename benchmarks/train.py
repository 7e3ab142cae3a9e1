"""Benchmark: symnet training against hand-written NumPy, PyTorch and scalar autograd.

    python benchmarks/train.py            # full run (a few minutes)
    python benchmarks/train.py --quick    # smoke run: fewer epochs, one repetition
    python benchmarks/train.py --mnist    # only the MNIST-size nets (see benchmarks/mnist.py)
    python benchmarks/train.py --mnist --jax-default-threads  # JAX on XLA's threads, labelled

Nets ``sn.Network(arch, activation="sigmoid", output_activation="linear", loss="mse")`` for
2-8-8-1 and 4-16-16-1, on seeded data (X standard normal, Y a smooth function of X plus noise)
at N = 256 (400 epochs) and N = 4096 (60 epochs), full-batch gradient descent, lr = 0.1, all
methods starting from ``net.init_params(0)``.  For each case the table gives:

* fit: a whole training run, best of 15 rounds in which the methods take turns (compile
  excluded: ``net.compile(form)`` runs first), and per epoch; ratios are to the hand-written
  NumPy loop;
* symnet ``net.fit(..., form="layer")`` and ``form="scalar"``;
* numpy: the same loop written by hand below (the practical limit): data as (features, N),
  weights as matrices, np.dot, σ = 1/(1 + exp(−z)), backprop by hand, the loss recorded every epoch as
  symnet's fit does, in-place updates; its final parameters are checked against symnet's;
* torch: PyTorch CPU autograd in float64 with the same loop (when importable);
* micrograd: a tiny scalar autograd (``Value`` below), 2-8-8-1 at N = 256 only, a few epochs,
  extrapolated per epoch;
* loss+grad: one loss and gradient evaluation, best of many repetitions; for symnet this is
  ``model.loss_and_gradient(theta, X, Y)``, which also checks and transposes X and Y (timed
  apart in the notes).

Then compile times: ``Model(net, form)`` on a fresh network, SymPy cache cleared, best of 3.
glibc's allocator is told to keep its memory (MALLOC_* variables) and every method runs on one
thread (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, torch.set_num_threads): the script re-executes
itself with them set, since without that times swing 2-5x on a small shared machine.  Set
OPENBLAS_NUM_THREADS yourself to measure with more threads.
"""

import argparse
import ctypes
import gc
import glob
import math
import os
import platform
import sys
import time
import timeit

# XLA ignores the BLAS variables: JAX (benchmarks/mnist.py) is pinned by its own flags, unless
# --jax-default-threads asks for XLA's thread pool (the tables label which)
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import mnist  # noqa: E402  (benchmarks/mnist.py, beside this script)
import numpy as np  # noqa: E402
import steady  # noqa: E402  (benchmarks/steady.py, beside this script)
import sympy as sp  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

import symnet as sn  # noqa: E402
from symnet.compile import Model  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

NETS = ["2-8-8-1", "4-16-16-1"]
CASES = [(256, 400), (4096, 60)]  # (N, epochs)
LR = 0.1
MICRO_EPOCHS = 4
TARGET_LAYER, TARGET_SCALAR, TARGET_COMPILE = 1.1, 6.0, 0.1


def network(arch):
    return sn.Network(arch, activation="sigmoid", output_activation="linear", loss="mse")


def make_data(n_in, n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_in))
    Y = np.sin(X[:, 0]) + 0.5 * np.cos(X.sum(axis=1)) + 0.1 * rng.standard_normal(n)
    return X, Y[:, None]


def race(fns, k):
    """Best time of each of ``fns`` (by name) over k interleaved rounds; and their results."""
    times, out = {name: math.inf for name in fns}, {}
    for _ in range(k):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            out[name] = fn()
            times[name] = min(times[name], time.perf_counter() - start)
    return times, out


def race_calls(fns, k):
    """Best time of one call of each of ``fns``, from k interleaved blocks of ≥ 0.2 s each."""
    timers = {name: timeit.Timer(fn) for name, fn in fns.items()}
    numbers = {name: t.autorange()[0] for name, t in timers.items()}
    best = {name: math.inf for name in fns}
    for _ in range(k):
        for name, t in timers.items():
            best[name] = min(best[name], t.timeit(numbers[name]) / numbers[name])
    return best


def blas_threads():
    """Threads of NumPy's OpenBLAS (what torch is set to), else the CPU count."""
    for lib in glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*")):
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
            fn = getattr(ctypes.CDLL(lib), name, None)
            if fn is not None:
                return fn()
    return os.cpu_count()


def unpack(theta, sizes):
    """Views of a flat vector in symnet's parameter order as [W1, W2, …], [b1, b2, …]."""
    Ws, bs, off = [], [], 0
    for a, b in zip(sizes, sizes[1:]):
        Ws.append(theta[off:off + a * b].reshape(b, a))
        off += a * b
    for b in sizes[1:]:
        bs.append(theta[off:off + b].reshape(b, 1))
        off += b
    return Ws, bs


# ------------------------------------------------------------- hand-written NumPy

def numpy_loss_grad(W1, b1, W2, b2, W3, b3, X, Y):
    """Loss and (dW1, db1, dW2, db2, dW3, db3) for two sigmoid layers and a linear output."""
    dot, n = np.dot, X.shape[1]  # np.dot: 5-8 % faster than @ at these shapes
    A1 = 1 / (1 + np.exp(-(dot(W1, X) + b1)))
    A2 = 1 / (1 + np.exp(-(dot(W2, A1) + b2)))
    E = dot(W3, A2) + b3 - Y
    loss = float(np.sum(E * E)) / n
    d3 = (2 / n) * E
    d2 = dot(W3.T, d3) * (A2 * (1 - A2))
    d1 = dot(W2.T, d2) * (A1 * (1 - A1))
    return loss, (dot(d1, X.T), d1.sum(axis=1, keepdims=True), dot(d2, A1.T),
                  d2.sum(axis=1, keepdims=True), dot(d3, A2.T), d3.sum(axis=1, keepdims=True))


def numpy_fit(theta0, sizes, X, Y, epochs):
    theta = theta0.copy()
    Ws, bs = unpack(theta, sizes)
    params = [p for Wb in zip(Ws, bs) for p in Wb]
    Xt, Yt = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    history = []
    for _ in range(epochs):
        loss, grads = numpy_loss_grad(*params, Xt, Yt)
        history.append(loss)
        for p, g in zip(params, grads):
            p -= LR * g
    return theta, history


# ------------------------------------------------------------------------ PyTorch

def torch_params(theta0, sizes):
    Ws, bs = unpack(theta0.copy(), sizes)
    return [torch.tensor(p, requires_grad=True) for Wb in zip(Ws, bs) for p in Wb]


def torch_loss(params, X, Y):
    W1, b1, W2, b2, W3, b3 = params
    A1 = torch.sigmoid(W1 @ X + b1)
    A2 = torch.sigmoid(W2 @ A1 + b2)
    E = W3 @ A2 + b3 - Y
    return (E * E).sum() / X.shape[1]


def torch_loss_grad(params, X, Y):
    for p in params:
        p.grad = None
    loss = torch_loss(params, X, Y)
    loss.backward()
    return loss.item()


def torch_fit(theta0, sizes, X, Y, epochs):
    params = torch_params(theta0, sizes)
    Xt, Yt = torch.tensor(X.T.copy()), torch.tensor(Y.T.copy())
    history = []
    for _ in range(epochs):
        history.append(torch_loss_grad(params, Xt, Yt))
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
    return np.concatenate([p.detach().numpy().ravel() for p in params[::2] + params[1::2]])


# ------------------------------------------------------------ micrograd-style scalars

class Value:
    """A scalar with its gradient; each operation records its local chain-rule step."""

    __slots__ = ("data", "grad", "_prev", "_backward")

    def __init__(self, data, prev=()):
        self.data, self.grad, self._prev, self._backward = data, 0.0, prev, None

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    __radd__, __rmul__ = __add__, __mul__

    def sigmoid(self):
        s = 1 / (1 + math.exp(-self.data))
        out = Value(s, (self,))

        def _backward():
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, seen = [], set()
        stack = [(self, False)]
        while stack:  # iterative topological sort (the graph is deep)
            v, done = stack.pop()
            if done:
                topo.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((c, False) for c in v._prev)
        self.grad = 1.0
        for v in reversed(topo):
            if v._backward is not None:
                v._backward()


def micro_loss(Ws, bs, X, Y):
    """Ws, bs: nested lists of Values; the mse over the rows of X."""
    total = Value(0.0)
    for x, y in zip(X.tolist(), Y[:, 0].tolist()):
        a = x
        for l, (W, b) in enumerate(zip(Ws, bs)):
            z = [sum((w * ai for w, ai in zip(row, a)), bj) for row, bj in zip(W, b)]
            a = z if l == len(Ws) - 1 else [zj.sigmoid() for zj in z]
        e = a[0] + (-y)
        total = total + e * e
    return total * (1 / len(X))


def micro_params(theta0, sizes):
    Ws, bs = unpack(theta0, sizes)
    return ([[[Value(w) for w in row] for row in W.tolist()] for W in Ws],
            [[Value(v) for v in b[:, 0].tolist()] for b in bs])


def micro_flat(Ws, bs):
    return [w for W in Ws for row in W for w in row] + [v for b in bs for v in b]


def micro_loss_grad(Ws, bs, X, Y):
    for p in micro_flat(Ws, bs):
        p.grad = 0.0
    loss = micro_loss(Ws, bs, X, Y)
    loss.backward()
    return loss.data


def micro_fit(theta0, sizes, X, Y, epochs):
    Ws, bs = micro_params(theta0, sizes)
    history = []
    for _ in range(epochs):
        history.append(micro_loss_grad(Ws, bs, X, Y))
        for p in micro_flat(Ws, bs):
            p.data -= LR * p.grad
    return history


# -------------------------------------------------------------------------- a case

def run_case(arch, n, epochs, k, micro_epochs):
    """Rows {method: (fit s, loss+grad s) or None} and notes for one net and data size."""
    net = network(arch)
    sizes, names = net.sizes, [str(p) for p in net.params]
    X, Y = make_data(sizes[0], n)
    p0 = net.init_params(0)
    theta0 = np.array([p0[name] for name in names])
    Xt, Yt = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    views = [p for Wb in zip(*unpack(theta0.copy(), sizes)) for p in Wb]
    layer, scalar = net.compile("layer"), net.compile("scalar")  # compile outside the timings
    theta = layer.theta(p0)

    fits = {"numpy": lambda: numpy_fit(theta0, sizes, X, Y, epochs)[0]}
    calls = {"numpy": lambda: numpy_loss_grad(*views, Xt, Yt)}
    for form, model in (("layer", layer), ("scalar", scalar)):
        fits[form] = lambda form=form: net.fit(X, Y, lr=LR, epochs=epochs, progress=False,
                                               form=form, params=p0)
        calls[form] = lambda model=model: model.loss_and_gradient(theta, X, Y)
    if torch is not None:
        params = torch_params(theta0, sizes)
        Xtt, Ytt = torch.tensor(Xt), torch.tensor(Yt)
        fits["torch"] = lambda: torch_fit(theta0, sizes, X, Y, epochs)
        calls["torch"] = lambda: torch_loss_grad(params, Xtt, Ytt)
    fit_s, out = race(fits, k)
    call_s = race_calls(calls, k)
    rows = {"numpy (hand-written)": (fit_s["numpy"], call_s["numpy"]),
            "symnet layer": (fit_s["layer"], call_s["layer"]),
            "symnet scalar": (fit_s["scalar"], call_s["scalar"]),
            "torch (autograd)": (fit_s["torch"], call_s["torch"]) if torch else None}

    theta_layer = np.array([out["layer"].params[name] for name in names])
    notes = [f"max |params numpy - symnet layer| after {epochs} epochs: "
             f"{np.max(np.abs(theta_layer - out['numpy'])):.1e}"]
    if torch is not None:
        notes.append(f"max |params numpy - torch| after {epochs} epochs: "
                     f"{np.max(np.abs(out['torch'] - out['numpy'])):.1e}")
    checks = race_calls({"c": lambda: (layer.theta(theta), layer.data(X, Y))}, k)["c"]
    notes.append(f"symnet loss+grad includes checking theta, X and Y: {1e3 * checks:.3f} ms")

    if micro_epochs:
        fit_m, _ = race({"m": lambda: micro_fit(theta0, sizes, X, Y, micro_epochs)}, 1)
        Ws, bs = micro_params(theta0, sizes)
        call_m, _ = race({"m": lambda: micro_loss_grad(Ws, bs, X, Y)}, min(k, 3))
        grad_m = np.array([p.grad for p in micro_flat(Ws, bs)])
        _, grads = numpy_loss_grad(*views, Xt, Yt)
        grad_np = np.concatenate([g.ravel() for g in grads[::2] + grads[1::2]])
        notes.append(f"max |gradient numpy - micrograd| at p0: {np.max(np.abs(grad_m - grad_np)):.1e}")
        rows[f"micrograd ({micro_epochs} ep. x {epochs // micro_epochs})"] = (
            fit_m["m"] * epochs / micro_epochs, call_m["m"])
    return rows, notes


def compile_time(arch, form):
    net = network(arch)
    clear_cache()
    start = time.perf_counter()
    Model(net, form)
    return time.perf_counter() - start


def fmt_s(s):
    return f"{s:.4f}" if s < 10 else f"{s:.1f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: epochs / 10, one repetition, one micrograd epoch")
    ap.add_argument("--mnist", action="store_true",
                    help="only the MNIST-size nets (benchmarks/mnist.py)")
    ap.add_argument("--no-mnist", action="store_true", help="only the small nets")
    ap.add_argument("--jax-default-threads", action="store_true",
                    help="JAX on XLA's own thread pool (default: one thread, as the others)")
    args = ap.parse_args(argv)
    k = 1 if args.quick else 5
    if args.mnist:
        return report(mnist.main(k, args.quick))
    cases = [(n, max(e // 10, 2) if args.quick else e) for n, e in CASES]
    threads = blas_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    torch_txt = f"torch {torch.__version__}, {torch.get_num_threads()} threads" if torch else \
        "torch not installed"
    print(f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}, NumPy {np.__version__} (OpenBLAS {threads} threads), "
          f"SymPy {sp.__version__}, {torch_txt}; load average {os.getloadavg()[0]:.2f}")
    if os.getloadavg()[0] > 0.5 and threads > 1:
        print("note: the machine is busy; multi-threaded BLAS then swings up to 20x "
              "(try OPENBLAS_NUM_THREADS=1)")
    print(f"nets: sigmoid hidden, linear output, mse; full batch, lr {LR}; best of {3 * k}\n")

    header = (f"{'method':<34}{'fit s':>10}{'ms/epoch':>10}{'x numpy':>9}"
              f"{'loss+grad ms':>14}{'x numpy':>9}   target")
    checks = []
    for arch in NETS:
        for n, epochs in cases:
            micro = (1 if args.quick else MICRO_EPOCHS) if (arch, n) == ("2-8-8-1", 256) else 0
            # a run is 20-70 ms: 15 rounds, so that the best of each is its own floor, not
            # the machine's noise (±10 % between single runs here)
            rows, notes = run_case(arch, n, epochs, 3 * k, micro)
            print(f"{arch}, N = {n}, {epochs} epochs")
            print(header)
            print("-" * len(header))
            ref_fit, ref_lg = rows["numpy (hand-written)"]
            torch_fit_s = rows["torch (autograd)"][0] if rows["torch (autograd)"] else None
            for method, row in rows.items():
                if row is None:
                    print(f"{method:<34}{'not installed':>10}")
                    continue
                fit_s, lg = row
                target = ""
                if method == "symnet layer":
                    target = f"<= {TARGET_LAYER}x numpy, < torch"
                    checks.append((f"layer fit {arch} N={n} <= {TARGET_LAYER}x numpy",
                                   fit_s / ref_fit, fit_s / ref_fit <= TARGET_LAYER))
                    if torch_fit_s is not None:
                        checks.append((f"layer fit {arch} N={n} faster than torch",
                                       fit_s / torch_fit_s, fit_s < torch_fit_s))
                if method == "symnet scalar" and n == 4096:
                    target = f"<= {TARGET_SCALAR:g}x numpy"
                    checks.append((f"scalar fit {arch} N={n} <= {TARGET_SCALAR:g}x numpy",
                                   fit_s / ref_fit, fit_s / ref_fit <= TARGET_SCALAR))
                print(f"{method:<34}{fmt_s(fit_s):>10}{1e3 * fit_s / epochs:>10.3f}"
                      f"{fit_s / ref_fit:>9.2f}{1e3 * lg:>14.3f}{lg / ref_lg:>9.2f}   {target}")
            for note in notes:
                print(f"  {note}")
            print(flush=True)

    repeat = 1 if args.quick else 3
    print(f"compile: Model(fresh network, form), SymPy cache cleared, best of {repeat}")
    for arch in NETS:
        times = {form: min(compile_time(arch, form) for _ in range(repeat))
                 for form in ("layer", "scalar")}
        print(f"  {arch:<12}" + "".join(f"{form} {s:.3f} s   " for form, s in times.items()),
              flush=True)
        if arch == "4-16-16-1":  # the target is for net.compile(), the layer form
            s = times["layer"]
            checks.append((f"compile {arch} (net.compile(), layer) <= {TARGET_COMPILE} s", s,
                           s <= TARGET_COMPILE))

    if not args.no_mnist:
        print()
        checks += mnist.main(k, args.quick)
    if torch is None:
        print("  layer fit faster than torch                  (torch not installed)")
    return report(checks)


def report(checks):
    print("\ntargets:")
    for what, value, ok in checks:
        unit = " s" if "compile" in what else "x"
        print(f"  {what:<50}{value:>8.3f}{unit}  {'ok' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    steady.rerun_with(__file__, {k: v for k, v in ONE_THREAD.items()
                                 if k != "XLA_FLAGS" or "--jax-default-threads" not in sys.argv})
    sys.exit(main())
