"""The checker page in a real headless Chromium, with a local Pyodide (its npm package, served by
``python -m http.server``): a right answer, a slip and garbage typed into the page, a derivation
judged line by line, and what the page shows.  Skips, saying why, where Chromium, chromedriver,
npm or the packages are missing."""

import shutil

import browser
import pytest

VERDICT = """
const v = document.getElementById("verdict");
if (!v.dataset.state || v.dataset.state === "pending") return null;
return {state: v.dataset.state, verdict: v.textContent,
        diagnosis: [...document.querySelectorAll("#diagnosis li")].map((li) => li.textContent),
        credit: document.getElementById("credit").textContent};
"""
TYPE = """
const [id, text] = arguments;
const box = document.getElementById(id);
box.value = text;
box.dispatchEvent(new Event("input"));
box.form.requestSubmit();
"""
STEPS = """
const s = document.getElementById("steps-summary");
if (!s.dataset.state || s.dataset.state === "pending") return null;
return {summary: s.textContent, rows: [...document.querySelectorAll("#steps-result tr")].map(
    (tr) => [...tr.cells].map((td) => td.textContent))};
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    reason = browser.available()
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("web")
    try:
        browser.local_site(root)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    server = browser.Server(root)
    chromium = browser.Browser()
    try:
        chromium.open(server.url + "site/index.html")
        yield chromium
    finally:
        chromium.close()
        server.close()


def check(page, answer):
    page.run("document.getElementById('verdict').dataset.state = 'pending'")
    page.run(TYPE, "answer", answer)
    return page.wait(VERDICT)


def test_the_exercise_is_typeset(page):
    assert page.run("return document.querySelectorAll('#exercise-text .katex').length") >= 2
    assert page.run("return document.querySelector('figure img').naturalWidth") > 0


def test_a_right_answer_a_slip_and_garbage(page):
    right = check(page, r"2(\hat{y} - y) w_5 \sigma(N_1)(1 - \sigma(N_1)) x_1")
    assert right == {"state": "correct", "verdict": "Correct.", "diagnosis": [], "credit":
                     "Credit: 1.00 (the share of the chain's paths and factors that are right)"}
    slip = check(page, "2*(yhat - y)*w5*sigmoid(N1)*x1")
    assert slip["state"] == "incorrect"
    assert slip["diagnosis"][0] == ("you used sigmoid(N1) where its derivative ∂h1/∂N1 = "
                                    "sigmoid(N1)*(1 - sigmoid(N1)) belongs")
    assert slip["credit"].startswith("Credit: 0.80 ")
    garbage = check(page, "2*(yhat - y))")
    assert garbage == {"state": "error", "diagnosis": [], "credit": "", "verdict":
                       "symnet cannot read your answer: unexpected ')' at position 13"}


def test_the_preview_shows_symnet_reading(page):
    """The preview is typeset from symnet's own LaTeX of the answer (KaTeX keeps the source in
    an annotation): Unicode read as the names it means."""
    page.run(TYPE, "answer", "2(ŷ − y)·w₅·h₁(1 − h₁)·x₁")
    assert page.wait("return document.querySelector('#preview annotation')?.textContent === "
                     "arguments[0]",
                     r"2 w_{5} h_{1} x_{1} \left(1 - h_{1}\right) \left(\hat{y} - y\right)")


def test_an_unreadable_answer_leaves_no_preview_of_the_one_before(page):
    page.run(TYPE, "answer", "h1")
    page.wait("return document.querySelector('#preview annotation')?.textContent === 'h_{1}'")
    page.run(TYPE, "answer", "h3")
    note = page.wait("const n = document.getElementById('preview-note').textContent; "
                     "return n ? n : null;")
    assert note.startswith("unknown name 'h3'")
    assert page.run("return document.getElementById('preview').textContent") == ""


def test_an_edited_answer_keeps_no_verdict_of_the_one_before(page):
    assert check(page, "2*(yhat - y)*w5*sigmoid(N1)*(1 - sigmoid(N1))*x1")["state"] == "correct"
    page.run("const b = document.getElementById('answer'); b.value = '2*(yhat - y)*w5*h1*x1';"
             "b.dispatchEvent(new Event('input'));")
    assert page.run("const v = document.getElementById('verdict');"
                    "return [v.dataset.state, v.textContent, "
                    "document.getElementById('credit').textContent];") == ["", "", ""]


def test_a_derivation_judged_line_by_line(page):
    page.run(TYPE, "steps", "∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1\n"
                            "∂h1/∂N1 = σ(N1)\n"
                            "∂L/∂w1 = 2(ŷ − y) w5 σ(N1) x1")
    out = page.wait(STEPS)
    assert out["summary"] == "The first error is on line 2."
    assert [row[:3] for row in out["rows"]] == [
        ["line 1", "right", "chain formula"], ["line 2", "wrong", "local factor"],
        ["line 3", "carried", "result"]]
    assert out["rows"][2][4] == "follows from line 2"


def test_a_quiz_variant_by_its_number(page):
    """Variant 1 of ``symnet quiz --seed 7`` asks ∂L/∂w1 = -0.1119 (as README's grading shows);
    its number is right there, the wrong sign is diagnosed, and no counterexample gives the
    number away."""
    page.run(TYPE, "variant", "99")
    assert page.wait("return document.getElementById('variant-numbers').textContent") == (
        "There is no variant 99: the variants are 1 to 3.")
    page.run(TYPE, "variant", "1")
    numbers = page.wait("const p = document.getElementById('variant-numbers'); "
                        "return p.dataset.state === 'chosen' && p.textContent")
    assert numbers.startswith("Variant 1: at ")
    assert check(page, "-0.1119")["state"] == "correct"
    wrong = check(page, "0.1119")
    assert wrong["state"] == "incorrect" and wrong["diagnosis"][0].startswith("sign error")
    assert not any("at one point" in d for d in wrong["diagnosis"])


def test_the_snapshot_page_and_its_fallback(tmp_path):
    """``--bytecode``: the page restores Python's memory from its snapshot (SymPy imported, the
    session warm) and answers as the page from source does; without the snapshot it starts
    Python afresh from the wheels, with the same answers."""
    reason = browser.available() or (None if shutil.which("node") else "no Node.js")
    if reason:
        pytest.skip(reason)
    try:
        site = browser.local_site(tmp_path, bytecode=True)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    server = browser.Server(tmp_path)
    chromium = browser.Browser()
    try:
        for snapshot in (True, False):
            if not snapshot:
                (site / "python.snapshot.gz").unlink()
            chromium.open(server.url + "site/index.html")
            slip = check(chromium, "2*(yhat - y)*w5*sigmoid(N1)*x1")
            assert slip["diagnosis"][0].startswith("you used sigmoid(N1) where its derivative")
            assert slip["credit"].startswith("Credit: 0.80 ")
            assert chromium.run("return window.symnetTimes.snapshot") is snapshot
    finally:
        chromium.close()
        server.close()
