"""Benchmark: how long a student waits on the checker page (``symnet page``) in a real browser.

    python benchmarks/page.py             # 3 rounds (about 4 minutes on 2 loaded cores)
    python benchmarks/page.py --rounds 5

Needs Chromium, chromedriver, npm and Node.js (the page, Pyodide and KaTeX from their npm
packages, served locally by ``python -m http.server``).  Each round opens a fresh headless
Chromium (an empty cache) for each of, interleaved:

* **bare Pyodide** (the baseline): a page whose worker only loads Pyodide, as the checker's does;
* **first verdict, cold**: the page of ``symnet page`` (where Node.js is installed: bytecode and
  Python's memory snapshot) opened and a wrong answer submitted at once; the time from the
  page's opening to the verdict shown.  Target (issue 23): ≤ 5 s.  Its phases (when the worker
  started, the snapshot arrived, Python was up, the wheels were in place, the session was
  ready) are printed below the table;
* **later checks**: a right answer, a slip, garbage and a 3-line derivation, each from the click
  to the verdict shown.  Target ≤ 0.5 s; the ratio is against ``sn.check`` in this CPython;
* **first verdict, warm**: the page opened again in the same browser (HTTP and compiled-code
  caches warm), as a student's second visit;
* **the fallbacks**: the same page without its snapshot (bytecode only: what a page does when
  its Pyodide is another build than the snapshot's), and ``symnet page --no-bytecode``
  (from source: where Node.js is missing).

Times are best and median over the rounds; the ratio of the cold first verdict to the bare
Pyodide of the same round says what symnet adds; CPU is the browser's (every Chromium process,
summed) per round, beside the wall time, with the load average before and after.
"""

import argparse
import os
import resource
import shutil
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
from symnet.web.site import SNAPSHOT  # noqa: E402

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
    """Open the page, submit a slip at once; seconds from the opening to the verdict shown,
    and the page's times (``window.symnetTimes``)."""
    chromium.open(url)
    chromium.run(SUBMIT, "answer", SLIP)
    times = chromium.wait(SHOWN, 0, timeout=300)
    return times["verdicts"][0]["shown"] / 1000, times


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


def fresh(url, then=None):
    """The first verdict in a new Chromium, and ``then(chromium)`` after it."""
    chromium = browser.Browser()
    try:
        out = first_verdict(chromium, url)
        return out, then(chromium) if then else None
    finally:
        chromium.close()


COLD, WARM = "first verdict, cold (symnet page)", "first verdict, warm (second visit)"
FALLBACK, SOURCE = "fallback: no snapshot", "from source (--no-bytecode)"
BARE = "bare Pyodide (baseline)"


def main():
    steady.rerun_with(__file__)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    reason = browser.available() or (None if shutil.which("node") else "no Node.js (node)")
    if reason:
        sys.exit(f"cannot run: {reason}")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        browser.local_site(root, bytecode=True)
        shutil.copytree(root / "site", root / "fallback")
        (root / "fallback" / SNAPSHOT).unlink()
        browser.local_site(root, "source", bytecode=False)
        (root / "bare").mkdir()
        (root / "bare" / "index.html").write_text(BARE_HTML)
        (root / "bare" / "bare.js").write_text(BARE_JS)
        server = browser.Server(root)
        rows = {k: [] for k in (BARE, COLD, WARM, FALLBACK, SOURCE,
                                *(label for label, *_ in LATER))}
        phases, ratios, cpu, wall = {}, [], [], []
        url = server.url + "site/index.html"
        try:
            for _ in range(args.rounds):
                cpu0, wall0 = browser_cpu(), time.perf_counter()
                chromium = browser.Browser()
                try:
                    chromium.open(server.url + "bare/index.html")
                    rows[BARE].append(chromium.wait("return window.bareReady", timeout=300) / 1000)
                finally:
                    chromium.close()
                (cold, times), (later, (warm, _)) = fresh(url, lambda c: (
                    later_checks(c), first_verdict(c, url)))
                if not times["snapshot"]:
                    sys.exit("the page did not restore its snapshot; see the browser's console")
                rows[COLD].append(cold)
                rows[WARM].append(warm)
                for label, seconds in later.items():
                    rows[label].append(seconds)
                for name, ms in {**times["phases"], "verdict shown": cold * 1000}.items():
                    phases.setdefault(name, []).append(ms / 1000)
                rows[FALLBACK].append(fresh(server.url + "fallback/index.html")[0][0])
                rows[SOURCE].append(fresh(server.url + "source/index.html")[0][0])
                cpu.append(browser_cpu() - cpu0)
                wall.append(time.perf_counter() - wall0)
                ratios.append(cold / rows[BARE][-1])
        finally:
            server.close()
    targets = {COLD: 5.0, **{label: 0.5 for label, *_ in LATER}}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    print(f"{'measure':<36} {'best':>8} {'median':>8} {'goal':>7} {'met':>4} {'× native':>9}")
    for label, times in rows.items():
        best, median = min(times), statistics.median(times)
        target = targets.get(label)
        met = "" if target is None else ("yes" if median <= target else
                                         "best" if best <= target else "NO")
        answer = next((text for name, box, text in LATER if name == label and box == "answer"),
                      None)
        ratio = f"{best / native(answer):>8.0f}×" if answer else ""
        print(f"{label:<36} {best:>7.2f}s {median:>7.2f}s "
              f"{'' if target is None else f'≤{target:.1f}s':>7} {met:>4} {ratio:>9}")
    print("phases of the cold first verdict, seconds from the page's opening (median): " +
          ", ".join(f"{name} {statistics.median(t):.2f}" for name, t in
                    sorted(phases.items(), key=lambda item: statistics.median(item[1]))))
    print(f"first verdict (cold) ÷ bare Pyodide, per round: best {min(ratios):.2f}×, median "
          f"{statistics.median(ratios):.2f}×")
    print(f"per round: wall {statistics.median(wall):.1f} s, browser CPU "
          f"{statistics.median(cpu):.1f} s (medians)")


if __name__ == "__main__":
    main()
