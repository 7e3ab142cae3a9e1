"""Benchmark: the command line's start-up, end to end, against importing SymPy alone.

    python benchmarks/cli.py            # 15 rounds
    python benchmarks/cli.py --quick    # 3 rounds

Each round runs every command once as a fresh process (``python -m symnet …``), in turn, so
that the machine's load falls on all of them alike; the table gives the median and the best
wall time of each, and the ratio of medians to the floor, ``python -c "import sympy"``.  A
second floor adds SymPy's first sum (``sympy.Symbol('x') + 1``): SymPy's ``Add`` imports
``sympy.tensor`` on first use, a cost no program that builds an expression avoids.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = [sys.executable]
COMMANDS = {
    'python -c "import sympy"': PY + ["-c", "import sympy"],
    'python -c "import sympy; Symbol(x) + 1"': PY + ["-c", "import sympy; sympy.Symbol('x') + 1"],
    "symnet --help": PY + ["-m", "symnet", "--help"],
    "symnet derive 2-2-1 --wrt w1": PY + ["-m", "symnet", "derive", "2-2-1", "--wrt", "w1"],
    'symnet check 2-2-1 --wrt w5 "2*(yhat - y)*N1"':
        PY + ["-m", "symnet", "check", "2-2-1", "--wrt", "w5", "2*(yhat - y)*N1"],
    'symnet check 2-2-1 --activation sigmoid ... (wrong)':
        PY + ["-m", "symnet", "check", "2-2-1", "--activation", "sigmoid", "--wrt", "w5",
              "2*(yhat - y)*N1"],
}
# the source tree first; bytecode written (the warm-up round writes it): an installed symnet
# has its bytecode, as SymPy has, and without it every run would compile symnet anew (+40 ms)
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": ROOT}
FLOOR = 'python -c "import sympy"'
TARGET = 1.2
TARGETS = ["symnet derive 2-2-1 --wrt w1", 'symnet check 2-2-1 --wrt w5 "2*(yhat - y)*N1"']


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    return time.perf_counter() - start


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 rounds instead of 15")
    args = ap.parse_args(argv)
    rounds = 3 if args.quick else 15
    times = {name: [] for name in COMMANDS}
    for cmd in COMMANDS.values():  # warm the file cache
        run(cmd)
    for _ in range(rounds):
        for name, cmd in COMMANDS.items():
            times[name].append(run(cmd))
    print(f"{rounds} interleaved rounds; load average {os.getloadavg()[0]:.2f}\n")
    floor = statistics.median(times[FLOOR])
    header = f"{'command':<50}{'median s':>10}{'best s':>9}{'x floor':>9}"
    print(header)
    print("-" * len(header))
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"{name:<50}{m:>10.3f}{min(ts):>9.3f}{m / floor:>9.2f}")
    print("\ntargets:")
    for name in TARGETS:
        r = statistics.median(times[name]) / floor
        print(f"  {name:<50} {r:.2f}x import sympy (<= {TARGET}x)  {'ok' if r <= TARGET else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
