"""Benchmark: how long a student waits on the checker page (``symnet page``) in a real browser.

    python benchmarks/page.py             # 3 rounds (about 6 minutes on 2 loaded cores)
    python benchmarks/page.py --rounds 5

Needs Chromium, chromedriver and npm (the page, Pyodide and KaTeX from their npm packages,
served locally by ``python -m http.server``).  Each round opens a fresh headless Chromium (an
empty cache) and, interleaved:

* **bare Pyodide** (the baseline): a page whose worker only loads Pyodide, as the checker's does;
* **first verdict, cold**: the checker page opened and a wrong answer submitted at once; the
  time from the page's opening to the verdict shown (Pyodide, the wheels, ``import symnet``,
  the check).  Target (issue 23): ≤ 5 s.  Twice: the page of ``symnet page`` and of
  ``symnet page --bytecode`` (SymPy and symnet compiled; its first build compiles them, about
  a minute, then cached);
* **later checks**: a right answer, a slip, garbage and a 3-line derivation, each from the click
  to the verdict shown.  Target ≤ 0.5 s; the ratio is against ``sn.check`` in this CPython;
* **first verdict, warm**: the page opened again in the same browser (HTTP and compiled-code
  caches warm), as a student's second visit.

Times are best and median over the rounds; the ratio of the cold first verdict to the bare
Pyodide of the same round says what symnet adds; CPU is the browser's (every Chromium process,
summed) per round, beside the wall time, with the load average before and after.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

import browser  # noqa: E402  (tests/browser.py: Chromium by WebDriver, http.server)
import steady  # noqa: E402  (benchmarks/steady.py, beside this script)

import symnet as sn  # noqa: E402

SLIP = "2*(yhat - y)*w5*sigmoid(N1)*x1"
LATER = [("right answer", "answer", "2*(yhat - y)*w5*h1*(1 - h1)*x1"),
         ("one slip (σ for σ')", "answer", SLIP),
         ("garbage", "answer", "2*(yhat - y))"),
         ("3-line derivation", "steps", "∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1\n"
                                        "∂h1/∂N1 = σ(N1)\n∂L/∂w1 = 2(ŷ − y) w5 σ(N1) x1")]
SUBMIT = """
const [id, text] = arguments;
const box = document.getElementById(id);
box.value = text;
box.form.requestSubmit();
"""
SHOWN = "return window.symnetTimes && window.symnetTimes.verdicts.length > arguments[0] && " \
        "window.symnetTimes"
STEPS_SHOWN = "const s = document.getElementById('steps-summary').dataset.state; " \
              "return s && s !== 'pending'"
BARE_HTML = """<!doctype html><script type="module">
const worker = new Worker("bare.js", { type: "module" });
worker.onmessage = () => { window.bareReady = performance.now(); };
</script>"""
BARE_JS = """const base = new URL("../pyodide/package/", self.location.href).href;
const { loadPyodide } = await import(base + "pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: base });
pyodide.runPython("1 + 1");
self.postMessage("ready");"""


def browser_cpu():
    """CPU seconds of the processes this one has waited for (chromedriver and, through it,
    every Chromium process)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def first_verdict(chromium, url):
    """Open the page, submit a slip at once; ms from the opening to the verdict shown."""
    chromium.open(url)
    chromium.run(SUBMIT, "answer", SLIP)
    times = chromium.wait(SHOWN, 0, timeout=300)
    return times["verdicts"][0]["shown"] / 1000, times["ready"] / 1000


def later_checks(chromium):
    out = {}
    for label, box, text in LATER:
        if box == "steps":
            chromium.run("document.getElementById('steps-summary').dataset.state = ''")
            start = chromium.run("return performance.now()")
            chromium.run(SUBMIT, box, text)
            chromium.wait(STEPS_SHOWN)
            out[label] = (chromium.run("return performance.now()") - start) / 1000
        else:
            n = len(chromium.run("return window.symnetTimes.verdicts"))
            chromium.run(SUBMIT, box, text)
            v = chromium.wait(SHOWN, n)["verdicts"][n]
            out[label] = (v["shown"] - v["asked"]) / 1000
    return out


def native(answer):
    net = sn.Network("2-2-1", activation="sigmoid")
    sn.check(net, "w1", "0")  # as the page's worker has its network built and warm
    start = time.perf_counter()
    try:
        sn.check(net, "w1", answer)
    except sn.SymnetError:
        pass
    return time.perf_counter() - start


def main():
    steady.rerun_with(__file__)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    reason = browser.available()
    if reason:
        sys.exit(f"cannot run: {reason}")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        browser.local_site(root)
        browser.local_site(root, "bytecode", bytecode=True)
        (root / "bare").mkdir()
        (root / "bare" / "index.html").write_text(BARE_HTML)
        (root / "bare" / "bare.js").write_text(BARE_JS)
        server = browser.Server(root)
        rows = {k: [] for k in ("bare Pyodide (baseline)", "Python ready", "first verdict, cold",
                                "first verdict, warm", "bytecode: first verdict, cold",
                                "bytecode: first verdict, warm",
                                *(label for label, *_ in LATER))}
        ratios, cpu, wall = {"source": [], "bytecode": []}, [], []
        try:
            for _ in range(args.rounds):
                cpu0, wall0 = browser_cpu(), time.perf_counter()
                chromium = browser.Browser()
                try:
                    chromium.open(server.url + "bare/index.html")
                    bare = chromium.wait("return window.bareReady", timeout=300) / 1000
                finally:
                    chromium.close()
                chromium = browser.Browser()
                try:
                    cold, ready = first_verdict(chromium, server.url + "site/index.html")
                    for label, seconds in later_checks(chromium).items():
                        rows[label].append(seconds)
                    warm, _ = first_verdict(chromium, server.url + "site/index.html")
                finally:
                    chromium.close()
                chromium = browser.Browser()
                try:
                    url = server.url + "bytecode/index.html"
                    rows["bytecode: first verdict, cold"].append(first_verdict(chromium, url)[0])
                    rows["bytecode: first verdict, warm"].append(first_verdict(chromium, url)[0])
                finally:
                    chromium.close()
                cpu.append(browser_cpu() - cpu0)
                wall.append(time.perf_counter() - wall0)
                for label, seconds in (("bare Pyodide (baseline)", bare), ("Python ready", ready),
                                       ("first verdict, cold", cold), ("first verdict, warm", warm)):
                    rows[label].append(seconds)
                ratios["source"].append(cold / bare)
                ratios["bytecode"].append(rows["bytecode: first verdict, cold"][-1] / bare)
        finally:
            server.close()
    targets = {"first verdict, cold": 5.0, "bytecode: first verdict, cold": 5.0,
               **{label: 0.5 for label, *_ in LATER}}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'measure':<28} {'best':>8} {'median':>8} {'target':>7} {'met':>4} {'× native':>9}")
    for label, times in rows.items():
        best, median = min(times), statistics.median(times)
        target = targets.get(label)
        met = "" if target is None else ("yes" if best <= target else "NO")
        answer = next((text for name, box, text in LATER if name == label and box == "answer"),
                      None)
        ratio = f"{best / native(answer):>8.0f}×" if answer else ""
        print(f"{label:<28} {best:>7.2f}s {median:>7.2f}s "
              f"{'' if target is None else f'{target:.1f}s':>7} {met:>4} {ratio:>9}")
    for kind, r in ratios.items():
        print(f"first verdict ({kind}) ÷ bare Pyodide, per round: best {min(r):.2f}×, median "
              f"{statistics.median(r):.2f}×")
    print(f"per round: wall {statistics.median(wall):.1f} s, browser CPU "
          f"{statistics.median(cpu):.1f} s (medians)")


if __name__ == "__main__":
    main()
