"""Benchmark: symnet's derivation engine against naive ``sympy.diff`` of the nested loss.

    python benchmarks/derive.py              # full run (several minutes)
    python benchmarks/derive.py --quick      # smoke run: two small nets, 10 s naive cap
    python benchmarks/derive.py --cap 600    # naive time cap per net, in seconds (default 300)

Every net is ``sn.Network(arch, activation="sigmoid", output_activation="linear", loss="mse")``.
For each one the table gives:

* params, and edges: the (child, parent) pairs of ``net.parents``;
* build + ``net.gradients()``: a fresh Network each repetition, best of 3, and that time per
  parameter in ms;
* ``net.derive(p).result`` alone on a fresh network, in ms, averaged over a first-layer weight,
  a last-layer weight and a bias;
* naive: every definition substituted into L (one nested expression), then
  ``sympy.diff(nested_loss, p)`` for every parameter, in a subprocess killed at the cap; its
  total time (or "> cap" and how many parameters were done) and the ratio naive / symnet.

SymPy's global cache is cleared before every timed symnet run (a warm cache would mostly time
cache hits); the naive run starts in a fresh interpreter.  glibc's allocator is told to keep its
memory (MALLOC_* variables; the script re-executes itself with them set) to reduce noise.
"""

import argparse
import gc
import multiprocessing as mp
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import steady  # noqa: E402  (benchmarks/steady.py, beside this script)
import sympy as sp  # noqa: E402
from sympy.core.cache import clear_cache  # noqa: E402

import symnet as sn  # noqa: E402

NETS = ["2-8-8-1", "2-8-8-8-1", "4-16-16-1", "2-16-16-16-1", "2-4-4-4-4-4-1"]
QUICK_NETS = ["2-8-8-1", "2-4-4-4-4-4-1"]
TARGETS = {"2-8-8-8-1": 0.2, "2-16-16-16-1": 1.2}  # seconds for build + all gradients
TARGET_MS_PER_PARAM = 2.0
TARGET_SPEEDUP = ("2-4-4-4-4-4-1", 100)


def network(arch):
    return sn.Network(arch, activation="sigmoid", output_activation="linear", loss="mse")


def timed(fn):
    clear_cache()
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def symnet_gradients(arch, repeat):
    return min(timed(lambda: network(arch).gradients()) for _ in range(repeat))


def symnet_derive(arch):
    """Mean time of one ``derive(p).result`` on a fresh network, for three kinds of parameter."""
    sizes = [int(n) for n in arch.split("-")]
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    names = ["w1", f"w{n_weights}", f"b{sizes[1]}"]  # first layer, last layer, a bias
    times = []
    for name in names:
        net = network(arch)
        times.append(timed(lambda net=net, name=name: net.derive(name).result))
    return sum(times) / len(times)


def naive_worker(arch, started, done, elapsed):
    net = network(arch)
    started.set()
    start = time.perf_counter()
    nested = net.expand(net.definitions[net.symbols["L"]], limit=10**9)
    for p in net.params:
        sp.diff(nested, p)
        done.value += 1
        elapsed.value = time.perf_counter() - start


def naive(arch, cap):
    """(seconds, parameters done, capped) for the naive approach, killed after ``cap`` seconds."""
    ctx = mp.get_context("spawn")
    started, done, elapsed = ctx.Event(), ctx.Value("i", 0), ctx.Value("d", 0.0)
    proc = ctx.Process(target=naive_worker, args=(arch, started, done, elapsed), daemon=True)
    proc.start()
    started.wait()
    start = time.perf_counter()
    proc.join(cap)
    capped = proc.is_alive()
    if capped:  # killed: the time it ran is a lower bound on the naive total
        proc.kill()
        proc.join()
        return time.perf_counter() - start, done.value, True
    if proc.exitcode != 0:
        raise RuntimeError(f"naive run for {arch} failed (exit code {proc.exitcode})")
    return elapsed.value, done.value, False


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="two small nets, 1 repetition, 10 s cap")
    ap.add_argument("--cap", type=float, default=None,
                    help="naive time cap per net in seconds (default 300, --quick 10)")
    args = ap.parse_args(argv)
    nets = QUICK_NETS if args.quick else NETS
    repeat = 1 if args.quick else 3
    cap = args.cap if args.cap is not None else (10.0 if args.quick else 300.0)

    print(f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
          f"Python {platform.python_version()}, SymPy {sp.__version__}")
    print(f"nets: sigmoid hidden, linear output, mse; symnet best of {repeat}, "
          f"SymPy cache cleared; naive cap {cap:g} s per net\n")
    header = (f"{'net':<15}{'params':>7}{'edges':>7}{'build+grads s':>15}{'ms/param':>10}"
              f"{'derive(p) ms':>14}{'naive s':>27}{'naive/symnet':>14}")
    print(header)
    print("-" * len(header))
    rows = {}
    for arch in nets:
        net = network(arch)
        n_params = len(net.params)
        edges = sum(len(net.parents[node]) for node in net.definitions)
        grads = symnet_gradients(arch, repeat)
        derive = symnet_derive(arch)
        naive_s, done, capped = naive(arch, cap)
        ratio = naive_s / grads
        naive_txt = f"> {cap:g} s ({done}/{n_params} done)" if capped else f"{naive_s:.1f}"
        ratio_txt = f">= {ratio:.0f}×" if capped else f"{ratio:.0f}×"
        rows[arch] = (n_params, grads, ratio, capped)
        print(f"{arch:<15}{n_params:>7}{edges:>7}{grads:>15.3f}{1000 * grads / n_params:>10.2f}"
              f"{1000 * derive:>14.1f}{naive_txt:>27}{ratio_txt:>14}", flush=True)

    print("\ntargets:")
    for arch, limit in TARGETS.items():
        if arch in rows:
            s = rows[arch][1]
            print(f"  all gradients of {arch} <= {limit} s: {s:.3f} s "
                  f"{'ok' if s <= limit else 'MISSED'}")
    worst = max(rows, key=lambda a: rows[a][1] / rows[a][0])
    ms = 1000 * rows[worst][1] / rows[worst][0]
    print(f"  <= ~{TARGET_MS_PER_PARAM:g} ms per parameter: worst {ms:.2f} ms ({worst}) "
          f"{'ok' if ms <= TARGET_MS_PER_PARAM else 'MISSED'}")
    arch, factor = TARGET_SPEEDUP
    if arch in rows:
        ratio, capped = rows[arch][2], rows[arch][3]
        print(f"  >= {factor}× faster than naive on {arch}: {'>= ' if capped else ''}"
              f"{ratio:.0f}× {'ok' if ratio >= factor else 'MISSED' if not capped else 'unknown'}")
    return 0


if __name__ == "__main__":
    steady.rerun_with(__file__)
    sys.exit(main())
