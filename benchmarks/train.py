"""Benchmark: symnet training against hand-written NumPy, PyTorch and scalar autograd.

    python benchmarks/train.py            # full run (a few minutes)
    python benchmarks/train.py --quick    # smoke run: fewer epochs, one repetition
    python benchmarks/train.py --mnist    # only the MNIST-size nets (see benchmarks/mnist.py)
    python benchmarks/train.py --mnist --jax-default-threads  # JAX on XLA's threads, labelled

Nets ``sn.Network(arch, activation="sigmoid", output_activation="linear", loss="mse")`` for
2-8-8-1 and 4-16-16-1, on seeded data (X standard normal, Y a smooth function of X plus noise)
at N = 256 (400 epochs) and N = 4096 (60 epochs), full-batch gradient descent, lr = 0.1, all
methods starting from ``net.init_params(0)``.  For each case the table gives:

* fit: a whole training run in 15 rounds in which the methods take turns (compile excluded:
  ``net.compile(form)`` runs first): wall time best and median, CPU time beside it, per epoch,
  and the best and the median of the per-round ratios to the hand-written NumPy loop (the
  load average heads each table);
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
import statistics
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
    """Each of ``fns`` (by name) once per round, k interleaved rounds: ``({name: (wall list,
    CPU list)}, results)``."""
    times, out = {name: ([], []) for name in fns}, {}
    for _ in range(k):
        for name, fn in fns.items():
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            out[name] = fn()
            times[name][0].append(time.perf_counter() - wall)
            times[name][1].append(time.process_time() - cpu)
    return times, out


def race_calls(fns, k):
    """One call of each of ``fns``: its wall time in each of k interleaved blocks of ≥ 0.2 s."""
    timers = {name: timeit.Timer(fn) for name, fn in fns.items()}
    numbers = {name: t.autorange()[0] for name, t in timers.items()}
    times = {name: [] for name in fns}
    for _ in range(k):
        for name, t in timers.items():
            times[name].append(t.timeit(numbers[name]) / numbers[name])
    return times


def ratios(times, base):
    """Best and median of the per-round ratios of ``times`` to ``base``."""
    r = [t / b for t, b in zip(times, base)]
    return min(r), statistics.median(r)


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
                                               form=form, params=theta0)
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
    checks = min(race_calls({"c": lambda: (layer.theta(theta), layer.data(X, Y))}, k)["c"])
    notes.append(f"symnet loss+grad includes checking theta, X and Y: {1e3 * checks:.3f} ms")

    if micro_epochs:
        fit_m, _ = race({"m": lambda: micro_fit(theta0, sizes, X, Y, micro_epochs)}, 1)
        Ws, bs = micro_params(theta0, sizes)
        call_m, _ = race({"m": lambda: micro_loss_grad(Ws, bs, X, Y)}, min(k, 3))
        scale = epochs / micro_epochs  # one round, extrapolated: its ratios are to numpy's best
        fit_m = {"m": ([fit_m["m"][0][0] * scale], [fit_m["m"][1][0] * scale])}
        call_m = {"m": call_m["m"][0][0]}
        grad_m = np.array([p.grad for p in micro_flat(Ws, bs)])
        _, grads = numpy_loss_grad(*views, Xt, Yt)
        grad_np = np.concatenate([g.ravel() for g in grads[::2] + grads[1::2]])
        notes.append(f"max |gradient numpy - micrograd| at p0: {np.max(np.abs(grad_m - grad_np)):.1e}")
        rows[f"micrograd ({micro_epochs} ep. x {epochs // micro_epochs})"] = (
            fit_m["m"], call_m["m"])
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
    print(f"nets: sigmoid hidden, linear output, mse; full batch, lr {LR}\n")

    header = (f"{'method':<34}{'fit s best':>11}{'median':>8}{'CPU best':>9}{'median':>8}"
              f"{'ms/epoch':>9}{'x numpy best':>13}{'median':>7}{'loss+grad ms':>13}"
              f"{'x numpy best':>13}{'median':>7}   target")
    checks = []
    for arch in NETS:
        for n, epochs in cases:
            micro = (1 if args.quick else MICRO_EPOCHS) if (arch, n) == ("2-8-8-1", 256) else 0
            # a run is 20-70 ms: 15 rounds, so that the best of each is its own floor, not
            # the machine's noise (±10 % between single runs here)
            rows, notes = run_case(arch, n, epochs, 3 * k, micro)
            print(f"{arch}, N = {n}, {epochs} epochs; {3 * k} interleaved rounds; load average "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            print(header)
            print("-" * len(header))
            (ref_fit, _), ref_lg = rows["numpy (hand-written)"]
            torch_fit = rows["torch (autograd)"][0][0] if rows["torch (autograd)"] else None
            for method, row in rows.items():
                if row is None:
                    print(f"{method:<34}{'not installed':>11}")
                    continue
                (fit_s, fit_cpu), lg = row
                if len(fit_s) == len(ref_fit):
                    fb, fm = ratios(fit_s, ref_fit)
                    lb, lm = ratios(lg, ref_lg)
                else:  # micrograd: one round, against numpy's best and median
                    fb, fm = fit_s[0] / min(ref_fit), fit_s[0] / statistics.median(ref_fit)
                    lb, lm = lg / min(ref_lg), lg / statistics.median(ref_lg)
                    lg = [lg]
                target = ""
                if method == "symnet layer":
                    target = f"<= {TARGET_LAYER}x numpy, < torch (medians)"
                    checks.append((f"layer fit {arch} N={n} <= {TARGET_LAYER}x numpy", fm,
                                   fm <= TARGET_LAYER))
                    if torch_fit is not None:
                        rt = ratios(fit_s, torch_fit)[1]
                        checks.append((f"layer fit {arch} N={n} faster than torch", rt, rt < 1))
                if method == "symnet scalar" and n == 4096:
                    target = f"<= {TARGET_SCALAR:g}x numpy (median)"
                    checks.append((f"scalar fit {arch} N={n} <= {TARGET_SCALAR:g}x numpy",
                                   fm, fm <= TARGET_SCALAR))
                print(f"{method:<34}{fmt_s(min(fit_s)):>11}{fmt_s(statistics.median(fit_s)):>8}"
                      f"{fmt_s(min(fit_cpu)):>9}{fmt_s(statistics.median(fit_cpu)):>8}"
                      f"{1e3 * statistics.median(fit_s) / epochs:>9.3f}{fb:>13.2f}{fm:>7.2f}"
                      f"{1e3 * min(lg):>13.3f}{lb:>13.2f}{lm:>7.2f}   {target}")
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
