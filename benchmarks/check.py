"""Benchmark: how long a student waits for a verdict, diagnoses included.

    python benchmarks/check.py            # best of 5 per case (about a minute)
    python benchmarks/check.py --repeat 2 # quicker

Each case builds a fresh ``sn.Network`` and checks one answer (``sn.check``) or one written
derivation (``sn.check_derivation``), with SymPy's cache cleared first: what one
``symnet check`` process does after its imports.  Cases run interleaved, round after round.
The baseline of each net is the verdict on a right answer (no diagnosis needed), measured in
the same rounds; the ratio says what the mistake engine adds.  Targets (issue 10): a verdict on
2-2-1 ≤ 0.3 s and on 2-3-3-1 ≤ 1 s, diagnoses included; a 6-line derivation ≤ 1 s.
"""

import argparse
import gc
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import steady  # noqa: E402  (benchmarks/steady.py, beside this script)
from sympy.core.cache import clear_cache  # noqa: E402

import symnet as sn  # noqa: E402

SIX_LINES = """\
∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1
∂L/∂ŷ = 2(ŷ − y)
∂ŷ/∂h1 = w5
∂h1/∂N1 = σ(N1)
∂N1/∂w1 = x1
∂L/∂w1 = 2(ŷ − y) · w6 · σ(N1) · x1
"""

SMALL, DEEP = "2-2-1", "2-3-3-1"
RIGHT = {SMALL: "2*(yhat - y)*w5*h1*(1 - h1)*x1",
         DEEP: "2*(yhat - y)*(w16*h4*(1 - h4)*w7 + w17*h5*(1 - h5)*w10 + w18*h6*(1 - h6)*w13)"
               "*h1*(1 - h1)*x1"}
# (label, net, answer or None for the derivation, target in seconds)
CASES = [
    ("2-2-1 right answer (baseline)", SMALL, RIGHT[SMALL], 0.3),
    ("2-2-1 one slip (σ for σ')", SMALL, "2*(yhat - y)*w5*h1*x1", 0.3),
    ("2-2-1 two slips", SMALL, "(yhat - y)*w6*h1*(1 - h1)*x1", 0.3),
    ("2-2-1 no known slip", SMALL, "2*yhat*w5*x1*h1", 0.3),
    ("2-3-3-1 right answer (baseline)", DEEP, RIGHT[DEEP], 1.0),
    ("2-3-3-1 one slip (a path dropped)", DEEP, "2*(yhat - y)*(w16*h4*(1 - h4)*w7 + "
     "w17*h5*(1 - h5)*w10)*h1*(1 - h1)*x1", 1.0),
    ("2-3-3-1 no known slip", DEEP, "2*(yhat - y)*x1", 1.0),
    ("2-2-1 6-line derivation", SMALL, None, 1.0),
]


def run(arch, answer):
    clear_cache()
    gc.collect()
    start = time.perf_counter()
    net = sn.Network(arch, activation="sigmoid")
    if answer is None:
        result = sn.check_derivation(net, "w1", SIX_LINES)
    else:
        result = sn.check(net, "w1", answer)
    return time.perf_counter() - start, result


def main():
    steady.rerun_with(__file__)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times = {label: [] for label, *_ in CASES}
    verdicts = {}
    for _ in range(args.repeat):
        for label, arch, answer, _ in CASES:
            seconds, verdicts[label] = run(arch, answer)
            times[label].append(seconds)
    baseline = {SMALL: min(times[CASES[0][0]]), DEEP: min(times[CASES[4][0]])}
    print(f"{'case':<36} {'best':>8} {'median':>8} {'target':>7} {'met':>4} {'× right':>8}  verdict")
    met_all = True
    for label, arch, answer, target in CASES:
        best, median = min(times[label]), statistics.median(times[label])
        met = best <= target
        met_all &= met
        v = verdicts[label]
        if answer is None:
            said = f"first error line {v.first_error}; line 6: {v.steps[5].diagnosis[:40]}"
        else:
            said = "correct" if v.correct else (v.diagnosis or ["-"])[0][:60]
        print(f"{label:<36} {best:>7.3f}s {median:>7.3f}s {target:>6.1f}s {'yes' if met else 'NO':>4} "
              f"{best / baseline[arch]:>7.2f}×  {said}")
    print("all targets met" if met_all else "some targets missed")


if __name__ == "__main__":
    main()
