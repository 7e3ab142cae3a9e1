"""The recipes of examples/graders, each run by its own platform's entry point: Gradescope's
run_autograder, PrairieLearn's server.py as its Python runtime calls it, nbgrader's autograde and
Otter's run.  Their scores are those of sn.grade (and sn.score) for the same answers."""

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import symnet as sn

ROOT = Path(__file__).resolve().parent.parent
RECIPES = ROOT / "examples" / "graders"
NET = sn.Network("2-2-1", activation="sigmoid")
RIGHT = "2*(yhat - y)*w5*sigma(N1)*(1 - sigma(N1))*x1"
SLIP = "2*(yhat - y)*w5*sigma(N1)*x1"  # σ where σ' belongs: credit 0.8
DIAGNOSIS = "you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) belongs"


def _env():
    # the platform's tools find this symnet, and the Python running the tests first on PATH
    return dict(os.environ, PYTHONPATH=str(ROOT),
                PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))


def _points(rows, points):
    return [round(g.credit_given * points, 2) for g in sn.grade(NET, rows)]


# ------------------------------------------------------------------ Gradescope


def test_the_gradescope_autograder_writes_results_json_with_sn_grade_s_scores(tmp_path):
    shutil.copytree(RECIPES / "gradescope", tmp_path / "source")
    (tmp_path / "submission").mkdir()
    answers = {"w1": SLIP, "w5": "2*(yhat - y)*h1", "w2": "2*(yhat - y"}
    (tmp_path / "submission" / "answers.txt").write_text(
        "# my answers\n" + "".join(f"{w}: {a}\n" for w, a in answers.items()))
    done = subprocess.run(["bash", str(tmp_path / "source" / "run_autograder")], cwd=tmp_path,
                          env=dict(_env(), AUTOGRADER_ROOT=str(tmp_path)), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    expected = _points([{"student": "s", "wrt": w, "answer": a} for w, a in answers.items()], 5)
    assert [t["score"] for t in results["tests"]] == expected == [4.0, 5.0, 0.0]
    assert results["score"] == 9.0
    assert [t["name"] for t in results["tests"]] == ["∂L/∂w1", "∂L/∂w5", "∂L/∂w2"]
    assert {(t["max_score"], t["visibility"], t["output_format"]) for t in results["tests"]} == {
        (5.0, "visible", "md")}
    slip = results["tests"][0]["output"]
    assert slip.startswith(r"**incorrect**: your answer $2 w_{5} x_{1}")
    assert DIAGNOSIS.replace("*", r"\*") in slip


def test_symnet_grade_refuses_a_gradescope_report_that_is_not_json(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    answers.write_text(f"student,wrt,answer\nann,w1,{SLIP}\n")
    from symnet.cli import VISIBILITIES, main
    from symnet.grading import VISIBILITIES as GRADESCOPE_S
    assert VISIBILITIES == GRADESCOPE_S
    assert main(["grade", "2-2-1", "--answers", str(answers), "--format", "gradescope",
                 "-o", str(tmp_path / "r.csv")]) == 2
    assert "expected a file ending in .json" in capsys.readouterr().err
    assert main(["grade", "2-2-1", "--activation", "sigmoid", "--answers", str(answers),
                 "--format", "gradescope", "--visibility", "after_published"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert results["tests"][0]["max_score"] == 1 and results["tests"][0]["score"] == 0.8
    assert results["tests"][0]["visibility"] == "after_published"


# ------------------------------------------------------------------ PrairieLearn

QUESTION = RECIPES / "prairielearn" / "backprop"


def _server():
    # as PrairieLearn's zygote loads a question's server.py: compiled and run into a dict
    path = QUESTION / "server.py"
    module = {"__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), module)
    return module


def _call(server, phase, data):
    # as the zygote calls a phase: the PRNGs seeded from the variant's seed, data passed as JSON
    random.seed(data["variant_seed"])
    server[phase](data)
    return json.loads(json.dumps(data, allow_nan=False))


def _variant(server, seed):
    return _call(server, "generate", {"params": {}, "correct_answers": {}, "variant_seed": seed,
                                      "options": {}})


def _submit(server, data, answer):
    data = dict(data, submitted_answers={"dLdw": answer}, raw_submitted_answers={"dLdw": answer},
                format_errors={}, partial_scores={}, score=0, feedback={})
    data = _call(server, "parse", data)
    return data if data["format_errors"] else _call(server, "grade", data)


def test_the_prairielearn_question_draws_its_variant_from_the_seed():
    server = _server()
    variants = [_variant(server, seed)["params"] for seed in range(1, 9)]
    assert variants[0] == _variant(server, 1)["params"]  # the same seed, the same question
    assert len({(v["activation"], v["wrt"]) for v in variants}) > 1
    info = json.loads((QUESTION / "info.json").read_text())
    assert info["type"] == "v3" and len(info["uuid"]) == 36
    assert 'answers-name="dLdw"' in (QUESTION / "question.html").read_text()


def test_the_prairielearn_question_grades_a_right_answer_a_slip_and_garbage():
    server = _server()
    data = _variant(server, 7)
    net = sn.Network("2-2-1", activation=data["params"]["activation"])
    right = data["correct_answers"]["dLdw"]
    assert _submit(server, data, right)["score"] == 1
    half = _submit(server, data, f"({right})/2")  # the ½(y − ŷ)² slip
    assert half["score"] == sn.score(net, data["params"]["wrt"], f"({right})/2").earned == 0.8
    assert half["partial_scores"]["dLdw"]["score"] == 0.8
    assert "your answer is 1/2 of ∂L/∂" in half["feedback"]["dLdw"]
    garbage = _submit(server, data, "2*(yhat - y")
    assert "dLdw" in garbage["format_errors"] and garbage["score"] == 0


# ------------------------------------------------------------------ nbgrader


def test_nbgrader_autograde_gives_sn_grade_s_scores_as_partial_credit(tmp_path):
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install nbgrader)")
    import nbformat
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    shutil.copytree(RECIPES / "nbgrader", course)
    run = lambda *args: subprocess.run(["nbgrader", *args], cwd=course, env=_env(),
                                       capture_output=True, text=True, timeout=600)
    done = run("generate_assignment", "backprop")
    assert done.returncode == 0, done.stderr
    answers = {"ann": RIGHT, "bob": SLIP, "cy": "2*(yhat - y"}
    notebook = nbformat.read(course / "release" / "backprop" / "backprop.ipynb", 4)
    for student, answer in answers.items():
        notebook.cells[2].source = f"dL_dw1 = {answer!r}"
        (course / "submitted" / student / "backprop").mkdir(parents=True)
        nbformat.write(notebook, course / "submitted" / student / "backprop" / "backprop.ipynb")
    done = run("autograde", "backprop")
    assert done.returncode == 0, done.stderr
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = [gradebook.find_submission("backprop", s).score for s in answers]
    assert scores == _points([{"student": s, "wrt": "w1", "answer": a}
                              for s, a in answers.items()], 5) == [5.0, 4.0, 0.0]
    graded = nbformat.read(course / "autograded" / "bob" / "backprop" / "backprop.ipynb", 4)
    shown = [o["data"]["text/markdown"] for o in graded.cells[3].outputs
             if o["output_type"] == "display_data"]
    assert shown and DIAGNOSIS.replace("*", r"\*") in shown[0]  # the feedback, as math


# ------------------------------------------------------------------ Otter


def test_otter_run_keeps_the_credit_of_a_slip_as_fractional_points(tmp_path):
    pytest.importorskip("otter", reason="otter-grader is not installed (pip install otter-grader)")
    import nbformat

    assignment = tmp_path / "otter"
    shutil.copytree(RECIPES / "otter", assignment)
    notebook = nbformat.read(assignment / "backprop.ipynb", 4)
    notebook.cells[2].source = f"dL_dw1 = {SLIP!r}"
    nbformat.write(notebook, assignment / "submission.ipynb")
    run = lambda *args: subprocess.run(["otter", *args], cwd=assignment, env=_env(),
                                       capture_output=True, text=True, timeout=600)
    done = run("generate", "--no-requirements")
    assert done.returncode == 0, done.stderr
    done = run("run", "-a", "autograder.zip", "-o", ".", "submission.ipynb")
    assert done.returncode == 0, done.stderr
    results = json.loads((assignment / "results.json").read_text())
    q1 = next(t for t in results["tests"] if t["name"] == "q1")
    assert (q1["score"], q1["max_score"]) == (4.0, 5.0)  # credit 0.8 of 5 points
    assert sn.score(NET, "w1", SLIP, points=5).earned == 4.0
    # the first case missed shows the verdict and the diagnosis, once
    assert q1["output"].count("diagnosis: " + DIAGNOSIS) == 1
    # and in the student's notebook, sn.score's feedback is Markdown: math a notebook renders
    from nbclient import NotebookClient
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(assignment)}}).execute()
    shown = notebook.cells[4].outputs[0]["data"]["text/markdown"]
    assert shown.startswith(r"**4 / 5 points** for $\frac{\partial L}{\partial w_{1}}$")
    assert DIAGNOSIS.replace("*", r"\*") in shown
