"""The teacher's side on a circuit (issue 19): worksheets, quizzes and grading of any
computational graph, checked against the published numbers of CS231n and micrograd and against
float64 central differences of hand-written functions (oracles that share no code with symnet)."""

import csv
import io
import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

import symnet as sn
from symnet.cli import main
from symnet.nice import nice_numbers

CS231N = "q = x + y; f = q*z"
CS231N_AT = {"x": -2, "y": 5, "z": -4}
NEURON = "a = w0*x0; b = w1*x1; c = a + b; d = c + w2; e = -d; g = exp(e); h = g + 1; f = 1/h"
NEURON_AT = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}
DAG = "c = a + b; d = a*b; e = c + d; f = c*d; y = e + f"


# ------------------------------------------------------------------------------ oracles

def neuron(w0, x0, w1, x1, w2):
    """CS231n's sigmoid neuron, written by hand."""
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


def neuron_tail(w0, x0, w1, x1, w2):
    """1 − the neuron, σ(−d): small, and so differenced without cancellation, where the neuron
    saturates at 1."""
    return 1 / (1 + math.exp(w0 * x0 + w1 * x1 + w2))


def neuron_gradient(point, name):
    """∂neuron/∂name by central differences of whichever of f and 1 − f is the smaller."""
    if neuron(**point) > 0.5:
        return -central(neuron_tail, point, name)
    return central(neuron, point, name)


def cs231n(x, y, z):
    return (x + y) * z


def central(f, point, name, h=1e-6):
    """∂f/∂name by float64 central differences."""
    up, down = dict(point), dict(point)
    up[name] += h
    down[name] -= h
    return (f(**up) - f(**down)) / (2 * h)


# ---------------------------------------------------------------------------- worksheets

def test_cs231n_worksheet_shows_the_forward_value_and_every_gradient():
    ws = sn.worksheet(sn.circuit(CS231N), at=CS231N_AT)
    assert ws.loss == -12 == cs231n(**CS231N_AT)
    assert ws.gradient == {"x": -4, "y": -4, "z": 3}
    assert ws.gradient == {k: pytest.approx(central(cs231n, CS231N_AT, k)) for k in "xyz"}
    md = ws.markdown()
    assert md.startswith("# Worksheet: the circuit of $f$\n\nOutput: $f$. Parameters: $x$, $y$ "
                         "and $z$.")
    assert r"f &= q z = 3 \cdot \left(-4\right) = -12" in md
    # the backward pass: every node's value and ∂f/∂node, and how each gate routes it
    for row in ["| $x$ | $-2$ | $-4$ |", "| $y$ | $5$ | $-4$ |", "| $z$ | $-4$ | $3$ |",
                "| $q$ | $3$ | $-4$ |", "| $f$ | $-12$ | $1$ |"]:
        assert row in md
    assert ("$q = x + y$ is an add gate: it passes its gradient $-4$ on to both inputs: $x$ gets "
            "$-4$ and $y$ gets $-4$") in md
    # the chain rule for each leaf, each factor with its value
    assert (r"\frac{\partial f}{\partial x} &= \left(-4\right) \cdot 1 = -4") in md
    assert (r"\frac{\partial f}{\partial z} &= 3") in md
    assert "One step of gradient descent" not in md  # no lr: a circuit's output is no loss


def test_cs231n_worksheet_as_latex_compiles(tmp_path):
    ws = sn.worksheet(sn.circuit(CS231N), at=CS231N_AT, lr=0.1)
    tex = ws.latex()
    assert r"\section*{\boldmath Backward pass: the gradient on every node}" in tex
    assert r"z(t+1) &= -4 - 0.1 \cdot 3 = -4.3" in tex
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    pdf = ws.pdf()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "sheet.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Worksheet: the circuit of f" in text and "−12" in text


def test_sigmoid_neuron_worksheet_has_cs231n_numbers():
    c = sn.circuit(NEURON, params="w0,w1,w2")
    ws = sn.worksheet(c, at=NEURON_AT, wrt="w0,x0,w1,x1,w2")
    assert round(ws.loss, 6) == 0.731059 and ws.loss == pytest.approx(neuron(**NEURON_AT), rel=1e-14)
    published = {"w0": -0.196612, "x0": 0.393224, "w1": -0.393224, "x1": -0.589836, "w2": 0.196612}
    assert {k: round(v, 6) for k, v in ws.gradient.items()} == published
    for name, value in ws.gradient.items():
        assert value == pytest.approx(central(neuron, NEURON_AT, name), rel=1e-8)
    md = ws.markdown()
    assert "Output: $f$. Parameters: $w_{0}$, $w_{1}$ and $w_{2}$. Inputs: $x_{0}$ and $x_{1}$." in md
    assert "| $f$ | $0.7311$ | $1$ |" in md and "| $x_{1}$ | $-2$ | $-0.5898$ |" in md
    assert (r"\frac{\partial f}{\partial w_{0}} &= \left(-0.5344\right) \cdot 1 \cdot 0.3679 "
            r"\cdot \left(-1\right) \cdot 1 \cdot 1 \cdot \left(-1\right) = -0.1966") in md


def test_micrograd_dag_worksheet_adds_the_gradients_at_forks():
    ws = sn.worksheet(sn.circuit(DAG), at={"a": 2, "b": 3})
    assert ws.loss == 41 and ws.gradient == {"a": 25, "b": 19}
    md = ws.markdown()
    assert ("$a$ is used twice (by $c$ and $d$): the gradients add up at the fork: "
            r"$\frac{\partial y}{\partial a} = 7 + 18 = 25$") in md


def test_a_step_moves_the_parameters_and_the_output_after_it_is_right():
    c = sn.circuit(NEURON, params="w0,w1,w2")
    ws = sn.worksheet(c, at=NEURON_AT, lr=0.5)
    moved = {k: NEURON_AT[k] - 0.5 * central(neuron, NEURON_AT, k) for k in ("w0", "w1", "w2")}
    assert ws.new_params == {k: pytest.approx(v, rel=1e-8) for k, v in moved.items()}
    assert ws.new_loss == pytest.approx(neuron(**{**NEURON_AT, **moved}), rel=1e-8)
    assert "The last line is $f$ after the step (before it: 0.7311):" in ws.markdown()


def test_an_exercise_sheet_boxes_the_backward_pass_and_its_key_routes_it():
    sheet = sn.worksheet(sn.circuit(CS231N), at=CS231N_AT, exercises=True)
    md, key = sheet.markdown(), sheet.key.markdown()
    assert "| $x$ | $-2$ | $\\boxed{" in md and "| $q$ | $\\boxed{" in md
    assert "is an add gate" not in md and "-12" not in md
    assert "| $q$ | $3$ | $-4$ |" in key and "is an add gate" in key


def test_numbers_from_a_seed_are_whole_and_give_every_node_a_value():
    at, params = nice_numbers(sn.circuit(CS231N), seed=1)
    assert (at, params) == ([{}], {"x": -3, "y": 5, "z": -4})
    logs = sn.circuit("d = x - y; f = log(d)")
    for seed in range(10):
        at, params = nice_numbers(logs, seed)
        assert params["x"] > params["y"] and all(v == int(v) and v for v in params.values())
    ws = sn.worksheet(sn.circuit(CS231N), seed=1)
    assert ws.loss == -8 and ws.gradient == {"x": -4, "y": -4, "z": 2}


def test_a_notebook_rebuilds_the_numbers():
    nbformat = pytest.importorskip("nbformat")
    c = sn.circuit(NEURON, params="w0,w1,w2")
    ws = sn.worksheet(c, at=NEURON_AT, lr=0.5)
    nb = nbformat.reads(ws.notebook(), as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)  # noqa: S102 -- our own generated code
    assert namespace["gradient"] == pytest.approx({k: ws.gradient[k] for k in ("w0", "w1", "w2")})
    assert float(namespace["circuit"].at(namespace["new_point"]).values[c.output]) == \
        pytest.approx(ws.new_loss)


def test_slides_show_the_backward_pass():
    ws = sn.worksheet(sn.circuit(DAG), at={"a": 2, "b": 3})
    titles = re.findall(r"\\begin\{frame\}\{([^}]*)\}", ws.slides())
    assert titles[:3] == ["The circuit", "Forward pass", "Backward pass"]


def test_the_worksheet_command_takes_a_circuit(tmp_path, capsys):
    out = tmp_path / "cs231n.md"
    assert main(["worksheet", "--circuit", CS231N, "--at", "x=-2,y=5,z=-4", "--wrt", "x",
                 "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    md = out.read_text()
    assert "| $f$ | $-12$ | $1$ |" in md and "### $\\partial f / \\partial x$" in md
    assert "### $\\partial f / \\partial y$" not in md


@pytest.mark.parametrize("kw, message", [
    (dict(samples=2, seed=1), "a circuit's worksheet has one point; samples (--samples) is for "
                              "a network's data"),
    (dict(at={"x": 1, "y": 2}), "the point is missing z; give every leaf of the circuit: x, y, z"),
    (dict(at={"x": 1, "y": 2, "q": 3}), "'q' is defined, not a leaf; the leaves are: x, y, z"),
    (dict(at={"x": 1, "y": 2}, params={"y": 1, "z": 2}), "y is given twice (in at= and params=)"),
    (dict(at=[{"x": 1}, {"x": 2}]), "at= of a circuit must be one point"),
    (dict(wrt="k"), "'k' is not a name of the circuit"),
    (dict(seed=1, lr=0.1, optimizer="adam"), "a circuit's worksheet steps by plain gradient "
                                             "descent"),
])
def test_bad_circuit_worksheets_are_one_line(kw, message):
    with pytest.raises(sn.SymnetError, match=re.escape(message)):
        sn.worksheet(sn.circuit(CS231N), **kw)


def test_a_generic_function_has_a_symbolic_worksheet_but_no_numbers():
    c = sn.circuit("h = f(x); y = h*w")
    assert r"f'\left(x\right)" in sn.worksheet(c).markdown()
    with pytest.raises(sn.SymnetError, match="f is a generic function"):
        sn.worksheet(c, seed=1)
    with pytest.raises(sn.SymnetError, match="f is a generic function"):
        sn.worksheet(c, at={"x": 1, "w": 2})
    with pytest.raises(sn.SymnetError, match="no parameters to take a step"):
        sn.worksheet(sn.circuit(CS231N, params=[]), at=CS231N_AT, lr=0.1)


# ------------------------------------------------------------------------------- quizzes

def test_a_quiz_of_the_sigmoid_neuron_asks_the_output_and_every_parameters_gradient():
    c = sn.circuit(NEURON, params="w0,w1,w2")
    q = sn.quiz(c, variants=4, seed=3, picture=False)
    for v in q.variants:
        point = {str(k): float(x) for k, x in v.sheet.samples[0].items()}
        names = [x.name for x in v.questions]
        assert names == ["f", "df/dw0", "df/dw1", "df/dw2"]
        assert v.questions[0].value == pytest.approx(neuron(**point), rel=1e-12)
        for x, p in zip(v.questions[1:], ("w0", "w1", "w2")):
            assert x.value == pytest.approx(neuron_gradient(point, p), rel=1e-6)
        assert all(value == int(value) and value for value in point.values())  # nice: whole


def test_the_gate_slips_are_moodle_feedback_and_the_statement_describes_the_circuit():
    q = sn.quiz(sn.circuit(CS231N), variants=2, seed=1, picture=False)
    v = q.variants[0]
    assert [(x.name, x.value) for x in v.questions] == [("f", -8), ("df/dx", -4), ("df/dy", -4),
                                                        ("df/dz", 2)]
    # x, y, z = -3, 5, -4: a multiply gate not swapped gives ∂f/∂q = q = 2 for ∂f/∂x = z = -4
    assert v.questions[1].slips["a multiply gate gives each input the gradient times the other "
                                "input: ∂f/∂q = z, not q"] == 2
    text = ET.fromstring(q.render(".xml")[0][1]).find(
        "question[@type='cloze']/questiontext/text").text
    assert "<p>The circuit with output f is defined by</p>" in text
    assert "At \\(x = -3, y = 5, z = -4\\), compute (to 4 significant digits):" in text
    assert "network" not in text
    assert "~%0%2:0.0005#a multiply gate gives each input the gradient times the other input" in text


def test_every_export_of_a_circuit_quiz_is_written(tmp_path):
    c = sn.circuit("a = x*y; m = max(z, w); s = a + m; f = 2*s")
    q = sn.quiz(c, variants=3, seed=2, picture=False)
    assert repr(q).startswith("<Quiz circuit-") and q.title.startswith("symnet circuit-")
    # max gives nothing to its smaller input: a gradient of 0 is an answer of the quiz
    assert any(x.value == 0 for v in q.variants for x in v.questions)
    for suffix in (".xml", ".gift", ".zip", ".tex"):
        assert q.save(tmp_path / f"quiz{suffix}")
    exam = (tmp_path / "quiz.tex").read_text()
    assert "The circuit with output f is defined by:" in exam
    gift_text = (tmp_path / "quiz.gift").read_text()
    assert "The circuit with output f is defined by" in gift_text


def test_the_quiz_command_takes_a_circuit(tmp_path, capsys):
    out = tmp_path / "dag.gift"
    assert main(["quiz", "--circuit", DAG, "--variants", "2", "--wrt", "a", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert "::v001 dy/da::" in out.read_text() and "::v001 dy/db::" not in out.read_text()


@pytest.mark.parametrize("kw, message", [
    (dict(parts=["update"]), "unknown quiz part 'update'; valid: forward, gradient; a circuit's "
                             "output need not be a loss to step on"),
    (dict(wrt="q"), "'q' is defined, not a leaf; the leaves are: x, y, z"),
])
def test_bad_circuit_quizzes_are_one_line(kw, message):
    with pytest.raises(sn.SymnetError, match=re.escape(message)):
        sn.quiz(sn.circuit(CS231N), **kw)


# ------------------------------------------------------------------------------- grading

def test_the_micrograd_dag_answer_7_misses_the_paths_through_d():
    graded = sn.grade(sn.circuit(DAG), [
        {"student": "ann", "wrt": "a", "answer": "7", "at": "a=2,b=3"},
        {"student": "bob", "wrt": "a", "answer": "25", "at": "a=2,b=3"},
        {"student": "cy", "wrt": "b", "answer": "1 + a + a*(a + b) + a*b"}])
    assert [(g.verdict, g.of, g.wrt) for g in graded] == [
        ("incorrect", "y", "a"), ("correct", "y", "a"), ("correct", "y", "b")]
    assert graded[0].diagnosis[0] == ("a is used by c and d, and its gradient adds the paths "
                                      "through each: your answer misses the paths through d")
    assert graded[0].slips == ["fork's gradients not added"]


def test_a_number_for_the_sigmoid_neuron_is_graded_and_its_slip_named():
    c = sn.circuit(NEURON, params="w0,w1,w2")
    at = ",".join(f"{k}={v}" for k, v in NEURON_AT.items())
    right, sign = sn.grade(c, [{"student": "ann", "wrt": "w0", "answer": "-0.196612", "at": at},
                               {"student": "bob", "wrt": "w0", "answer": "0.196612", "at": at}])
    assert right.verdict == "correct"
    assert sign.verdict == "incorrect" and sign.diagnosis[0] == "sign error: your answer is −∂f/∂w0"


def test_a_quiz_variants_number_is_graded_by_its_variant():
    c = sn.circuit(CS231N)
    q = sn.quiz(c, variants=3, seed=5, picture=False)
    v = q.variants[2]
    dx = next(x for x in v.questions if x.name == "df/dx")
    doubled = next(n for s, n in dx.slips.items() if s.startswith("your answer is 2 times"))
    graded = sn.grade(c, [{"student": "ann", "wrt": "x", "answer": repr(dx.value), "variant": "3"},
                          {"student": "bob", "wrt": "x", "answer": repr(doubled), "variant": "3"}],
                      seed=5, variants=3)
    assert [g.verdict for g in graded] == ["correct", "incorrect"]
    assert graded[1].diagnosis[0] == "your answer is 2 times ∂f/∂x: a constant factor is off"


def test_the_grade_command_takes_a_circuit(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    with open(answers, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "wrt", "answer", "at"])
        w.writerows([["ann", "a", "7", "a=2,b=3"], ["bob", "a", "25", "a=2,b=3"],
                     ["cy", "q", "1", ""]])
    summary = tmp_path / "summary.md"
    assert main(["grade", "--circuit", DAG, "--answers", str(answers), "--summary",
                 str(summary)]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert [r["verdict"] for r in rows] == ["incorrect", "correct", "invalid"]
    assert rows[2]["diagnosis"] == "'q' is not a name of the circuit; the leaves are: a, b"
    assert "| dy/da | 2 | 50% |" in summary.read_text()
