"""Benchmark: how long a student waits for a verdict, in-process and as a fresh ``symnet check``.

    python benchmarks/check.py            # 7 rounds (a few minutes on a quiet machine)
    python benchmarks/check.py --repeat 3 # quicker

In-process: each case builds a fresh ``sn.Network`` and checks one answer (``sn.check``) or
one written derivation (``sn.check_derivation``), with SymPy's cache cleared first: what one
``symnet check`` process does after its imports.  Fresh processes: ``python -m symnet check``
against ``python -c "import sympy"``, the floor no SymPy program goes below.  Cases run
interleaved, round after round (the first round only warms up); each table gives wall and CPU
time, best and median, and the ratio of each case to its baseline in the same round (best and
median of the per-round ratios).  Goals (issue 25): a right answer's verdict ≤ 20 ms on 2-2-1
and ≤ 100 ms on 4-8-8-1, a wrong answer no slip explains ≤ 300 ms on 4-8-8-1 (in-process CPU,
median); a fresh ``symnet check`` ≤ 1.15× ``import sympy`` on 2-2-1 and ≤ 1.5× on 4-8-8-1
(median of per-round CPU ratios).  Earlier goals (issue 10) are kept: a verdict on 2-2-1
≤ 0.3 s, on 2-3-3-1 ≤ 1 s, a 6-line derivation ≤ 1 s.
"""

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import steady  # noqa: E402  (benchmarks/steady.py, beside this script)
from sympy.core.cache import clear_cache  # noqa: E402

import symnet as sn  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIX_LINES = """\
∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1
∂L/∂ŷ = 2(ŷ − y)
∂ŷ/∂h1 = w5
∂h1/∂N1 = σ(N1)
∂N1/∂w1 = x1
∂L/∂w1 = 2(ŷ − y) · w6 · σ(N1) · x1
"""

SMALL, DEEP, WIDE = "2-2-1", "2-3-3-1", "4-8-8-1"
RIGHT = {SMALL: "2*(yhat - y)*w5*h1*(1 - h1)*x1",
         DEEP: "2*(yhat - y)*(w16*h4*(1 - h4)*w7 + w17*h5*(1 - h5)*w10 + w18*h6*(1 - h6)*w13)"
               "*h1*(1 - h1)*x1",
         WIDE: "2*(yhat - y)*(" + " + ".join(f"w{96 + j}*h{8 + j}*(1 - h{8 + j})*w{25 + 8 * j}"
                                             for j in range(1, 9)) + ")*h1*(1 - h1)*x1"}
# (label, net, answer or None for the derivation, goal in seconds of CPU)
CASES = [
    ("2-2-1 right answer (baseline)", SMALL, RIGHT[SMALL], 0.020),
    ("2-2-1 one slip (σ for σ')", SMALL, "2*(yhat - y)*w5*h1*x1", 0.3),
    ("2-2-1 two slips", SMALL, "(yhat - y)*w6*h1*(1 - h1)*x1", 0.3),
    ("2-2-1 no known slip", SMALL, "2*yhat*w5*x1*h1", 0.3),
    ("2-3-3-1 right answer (baseline)", DEEP, RIGHT[DEEP], 1.0),
    ("2-3-3-1 one slip (a path dropped)", DEEP, "2*(yhat - y)*(w16*h4*(1 - h4)*w7 + "
     "w17*h5*(1 - h5)*w10)*h1*(1 - h1)*x1", 1.0),
    ("2-3-3-1 no known slip", DEEP, "2*(yhat - y)*x1", 1.0),
    ("4-8-8-1 right answer (baseline)", WIDE, RIGHT[WIDE], 0.100),
    ("4-8-8-1 no known slip", WIDE, "2*(yhat - y)*x1", 0.300),
    ("2-2-1 6-line derivation", SMALL, None, 1.0),
]
BASELINE = {arch: label for label, arch, _, _ in CASES if label.endswith("(baseline)")}
PY = [sys.executable, "-m", "symnet", "check"]
FLOOR = 'python -c "import sympy"'
PROCESSES = {  # label: (command, goal as a multiple of the floor)
    FLOOR: ([sys.executable, "-c", "import sympy"], None),
    "symnet check 2-2-1 (right)": (PY + [SMALL, "--activation", "sigmoid", "--wrt", "w1",
                                         RIGHT[SMALL]], 1.15),
    "symnet check 2-2-1 (no known slip)": (PY + [SMALL, "--activation", "sigmoid", "--wrt",
                                                 "w1", "2*yhat*w5*x1*h1"], None),
    "symnet check 4-8-8-1 (right)": (PY + [WIDE, "--activation", "sigmoid", "--wrt", "w1",
                                           RIGHT[WIDE]], 1.5),
    "symnet check 4-8-8-1 (no known slip)": (PY + [WIDE, "--activation", "sigmoid", "--wrt",
                                                   "w1", "2*(yhat - y)*x1"], None),
}
# bytecode written (the warm-up round writes it), as an installed symnet has it
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "PYTHONPATH": ROOT}


def run(arch, answer):
    clear_cache()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    net = sn.Network(arch, activation="sigmoid")
    if answer is None:
        result = sn.check_derivation(net, "w1", SIX_LINES)
    else:
        result = sn.check(net, "w1", answer)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def spawn(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV,
                   check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def ratios(times, base):
    """Best and median of the per-round ratios of ``times`` to ``base`` (same rounds)."""
    r = [t / b for t, b in zip(times, base)]
    return min(r), statistics.median(r)


def shown(xs, unit):
    if unit == "×":  # seconds
        return f"{min(xs):>9.3f} {statistics.median(xs):>7.3f}"
    return f"{min(xs) * 1000:>9.0f} {statistics.median(xs) * 1000:>7.0f}"


def table(title, labels, wall, cpu, base_of, goal_of, unit):
    print(f"\n{title}")
    print(f"{'case':<40} {'wall best':>9} {'median':>7} {'CPU best':>9} {'median':>7} "
          f"{'× base CPU best':>15} {'median':>7} {'goal':>7} {'met':>4}")
    met_all = True
    for label in labels:
        base = base_of(label)
        rb, rm = ratios(cpu[label], cpu[base]) if base else (None, None)
        goal = goal_of(label)
        judged = rm if unit == "×" else statistics.median(cpu[label])
        met = None if goal is None else judged <= goal
        met_all &= met is not False
        print(f"{label:<40} {shown(wall[label], unit)} {shown(cpu[label], unit)} "
              f"{'' if rb is None else f'{rb:.2f}×':>15} {'' if rm is None else f'{rm:.2f}×':>7} "
              f"{'' if goal is None else (f'{goal:.2f}×' if unit == '×' else f'{goal * 1000:.0f}'):>7} "
              f"{'' if met is None else ('yes' if met else 'NO'):>4}")
    return met_all


def main():
    steady.rerun_with(__file__)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    wall = {label: [] for label, *_ in CASES}
    cpu = {label: [] for label, *_ in CASES}
    pwall = {label: [] for label in PROCESSES}
    pcpu = {label: [] for label in PROCESSES}
    verdicts = {}
    for round_ in range(args.repeat + 1):
        for label, arch, answer, _ in CASES:
            w, c, verdicts[label] = run(arch, answer)
            if round_:
                wall[label].append(w)
                cpu[label].append(c)
        for label, (cmd, _) in PROCESSES.items():
            w, c = spawn(cmd)
            if round_:
                pwall[label].append(w)
                pcpu[label].append(c)
    print(f"{args.repeat} interleaved rounds after a warm-up; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    arch_of = {label: arch for label, arch, _, _ in CASES}
    goal = {label: g for label, _, _, g in CASES}
    ok = table("in-process verdicts (ms; × base: the same net's right answer, per round)",
               [label for label, *_ in CASES], wall, cpu,
               lambda label: BASELINE[arch_of[label]], goal.get, "ms")
    ok &= table(f"fresh processes (s; × base: {FLOOR}, per round)", list(PROCESSES), pwall, pcpu,
                lambda label: FLOOR if label != FLOOR else None,
                lambda label: PROCESSES[label][1], "×")
    print("\nverdicts:")
    for label, _, answer, _ in CASES:
        v = verdicts[label]
        if answer is None:
            said = f"first error line {v.first_error}; line 6: {v.steps[5].diagnosis[:50]}"
        else:
            said = "correct" if v.correct else (v.diagnosis or ["-"])[0][:70]
        print(f"  {label:<38} {said}")
    print("all goals met" if ok else "some goals missed")


if __name__ == "__main__":
    main()
