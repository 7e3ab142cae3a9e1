"""Grading a class: each row as sn.check says, numeric answers traced to their slip, bad rows
invalid with their reason while the others are graded."""

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest

import symnet as sn
from symnet.cli import main
from symnet.quizzes.variants import plain_number

NET = sn.Network("2-2-1", activation="sigmoid")

ROWS = [
    {"student": "ann", "wrt": "w5", "answer": "2*(yhat - y)*h1"},
    {"student": "bob", "wrt": "w5", "answer": "(yhat - y)*h1"},
    {"student": "cy", "wrt": "w1", "answer": r"2(\hat{y}-y) w_5 \sigma(N_1)(1-\sigma(N_1)) x_1"},
    {"student": "dee", "wrt": "w1", "answer": "2*(yhat - y)*w5*sigma(N1)*x1"},
]


def test_grades_agree_with_sn_check():
    graded = sn.grade(NET, ROWS)
    for row, g in zip(ROWS, graded):
        expected = sn.check(NET, row["wrt"], row["answer"])
        assert g.correct == expected.correct
        assert g.verdict == ("correct" if expected.correct else "incorrect")
        assert g.diagnosis == expected.diagnosis
        assert g.credit_given == getattr(expected, "credit", None) or \
            g.credit_given == (1.0 if expected.correct else 0.0)
    assert [g.verdict for g in graded] == ["correct", "incorrect", "correct", "incorrect"]


@pytest.mark.parametrize("row, reason", [
    ({"student": "eve", "wrt": "w1", "answer": "__import__('os').system('ls')"},
     "unexpected character"),
    ({"student": "fay", "wrt": "w9", "answer": "1"}, "unknown parameter 'w9'"),
    ({"student": "", "wrt": "w1", "answer": "1"}, "the student column is empty"),
    ({"student": "gil", "wrt": "w1", "answer": "x" * 5000}, "the answer column is 5000 characters"),
    ({"student": "hal", "wrt": "w1", "answer": "0.5"},
     "a numeric answer needs its point: an at, variant or seed column"),
    ({"student": "ivy", "wrt": "w1", "answer": "0.5", "seed": "abc"},
     "seed must be a whole number, got 'abc'"),
    ({"student": "jo", "wrt": "w1", "answer": "0.5", "at": "x1=1,x2"}, "'x2' is not name=value"),
])
def test_a_bad_row_is_invalid_with_its_reason_and_the_others_are_graded(row, reason):
    graded = sn.grade(NET, [ROWS[0], row, ROWS[1]])
    assert [g.verdict for g in graded] == ["correct", "invalid", "incorrect"]
    assert graded[1].diagnosis[0].startswith(reason), graded[1].diagnosis
    assert graded[1].credit_given == 0


def test_numeric_answers_of_a_quiz_variant_are_graded_and_slips_named():
    q = sn.quiz(NET, variants=2, seed=7, picture=False)
    dw1 = next(x for x in q.variants[1].questions if x.name == "dL/dw1")
    rows = [{"student": "ann", "wrt": "w1", "variant": "2", "answer": dw1.shown},
            {"student": "bob", "wrt": "w1", "variant": "2", "answer": str(-dw1.value)},
            {"student": "cy", "wrt": "w1", "variant": "2", "answer": str(2 * dw1.value)}]
    graded = sn.grade(NET, rows, seed=7)
    assert [g.verdict for g in graded] == ["correct", "incorrect", "incorrect"]
    # named as symnet check names the same slip, and as the quiz's feedback names its number
    assert graded[1].diagnosis[0] == sn.check(NET, "w1", "-2*(yhat - y)*w5*h1*(1 - h1)*x1").diagnosis[0] \
        == "sign error: your answer is −∂L/∂w1; check the sign of ∂L/∂ŷ (the derivative of " \
           "(y − ŷ)² with respect to ŷ is −2(y − ŷ) = 2(ŷ − y))"
    assert graded[2].diagnosis[0] == "your answer is 2 times ∂L/∂w1: a constant factor is off"
    assert graded[1].slips == graded[2].slips == ["constant factor"]
    # the same answer at the variant's point, given as at=, is graded the same way
    point = {**q.variants[1].sheet.values[0]}
    at = ",".join(f"{k}={point[k]}" for k in ["x1", "x2", "y"] + [str(p) for p in NET.params])
    assert sn.grade(NET, [dict(rows[0], variant="", at=at)])[0].verdict == "correct"
    expected = sn.check(NET, "w1", float(dw1.shown), at={k: point[k] for k in at_names()},
                        tolerance=1e-3)
    assert expected.correct


def at_names():
    return ["x1", "x2", "y"] + [str(p) for p in NET.params]


def test_the_grade_command_writes_a_report_and_a_summary(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    with open(answers, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "wrt", "answer", "seed"])
        w.writerows([["ann", "w5", "2*(yhat - y)*h1", ""], ["bob", "w5", "(yhat - y)*h1", ""],
                     ["cy", "w5", "=HYPERLINK(1)", ""], ["dee", "w5", "eval(1)", ""]])
    report, summary = tmp_path / "report.csv", tmp_path / "summary.html"
    assert main(["grade", "2-2-1", "--activation", "sigmoid", "--answers", str(answers),
                 "-o", str(report), "--summary", str(summary)]) == 0
    assert capsys.readouterr().out == ("graded 4 answers: 1 correct, 1 incorrect, 2 invalid\n"
                                       f"wrote {report}\nwrote {summary}\n")
    rows = list(csv.DictReader(io.StringIO(report.read_text())))
    assert [r["verdict"] for r in rows] == ["correct", "incorrect", "invalid", "invalid"]
    assert rows[1]["diagnosis"].startswith("your answer is 1/2 of ∂L/∂w5")
    assert rows[2]["answer"] == "'=HYPERLINK(1)"  # a spreadsheet shows it, never runs it
    html = ET.fromstring(summary.read_text().split("\n", 1)[1])
    cells = [[c.text for c in tr] for tr in html.iter("tr")]
    assert cells[0] == ["question", "answers", "right", "mean credit", "invalid",
                        "most common diagnoses"]
    credit = (1 + sn.check(NET, "w5", "(yhat - y)*h1").credit) / 4
    assert cells[1][:5] == ["dL/dw5", "4", "25%", f"{credit:.2f}", "2"]
    assert cells[1][5].startswith("your answer is 1/2 of ∂L/∂w5 (1)")


def test_an_answers_file_without_the_columns_is_one_error(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    answers.write_text("name,reply\nann,1\n")
    assert main(["grade", "2-2-1", "--answers", str(answers), "-o",
                 str(tmp_path / "r.csv")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {answers} has no column student, wrt, "
                                              "answer;")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv"]


def test_a_steps_column_is_graded_line_by_line_by_check_derivation(monkeypatch):
    """The contract's sn.check_derivation(net, wrt, text) -> .steps (each .correct, .diagnosis);
    a stand-in here, so the wiring is tested apart from the checker's own judgement."""
    import symnet.checking
    seen = []

    def check_derivation(net, wrt, text):
        seen.append((str(wrt), text))
        return SimpleNamespace(steps=[
            SimpleNamespace(place="line 1", correct=True, diagnosis=None, follows=None),
            SimpleNamespace(place="line 2", correct=False, diagnosis="a factor lost", follows=None),
            SimpleNamespace(place="line 3", correct=False, diagnosis="carries line 2", follows=2)])

    monkeypatch.setattr(symnet.checking, "check_derivation", check_derivation, raising=False)
    graded = sn.grade(NET, [dict(ROWS[0], steps="dL/dw5 = dL/dyhat * dyhat/dw5\n= 2*(yhat-y)")])
    assert seen == [("w5", "dL/dw5 = dL/dyhat * dyhat/dw5\n= 2*(yhat-y)")]
    assert graded[0].verdict == "correct" and graded[0].diagnosis == ["line 2: a factor lost"]


def test_a_written_derivation_is_graded_by_the_real_check_derivation():
    steps = "\n".join([
        r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat y} \cdot "
        r"\frac{\partial \hat y}{\partial h_1} \cdot \frac{\partial h_1}{\partial N_1} \cdot "
        r"\frac{\partial N_1}{\partial w_1}",
        r"\frac{\partial h_1}{\partial N_1} = \sigma(N_1)",
        r"\frac{\partial L}{\partial w_1} = 2(\hat y - y) w_5 \sigma(N_1) x_1"])
    graded = sn.grade(NET, [{"student": "ann", "wrt": "w1", "answer": "2*(yhat - y)*w5*sigma(N1)*x1",
                             "steps": steps}])[0]
    report = sn.check_derivation(NET, "w1", steps)
    assert report.first_error == 2
    assert graded.diagnosis[-1] == f"line 2: {report.steps[1].diagnosis}"


DERIVATION_W5 = "∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5\n∂L/∂ŷ = 2(ŷ - y)\n∂L/∂w5 = 2(ŷ - y) h1"


@pytest.mark.parametrize("answer", [None, "", "  "])
def test_steps_without_an_answer_are_the_answer(answer):
    row = {"student": "ann", "wrt": "w5", "steps": DERIVATION_W5}
    if answer is not None:
        row["answer"] = answer
    wrong = dict(row, steps=DERIVATION_W5.replace(" h1", " h2"))
    right, slipped = sn.grade(NET, [row, wrong])
    assert (right.verdict, right.credit_given, right.diagnosis) == ("correct", 1.0, [])
    assert right.given == DERIVATION_W5
    report = sn.check_derivation(NET, "w5", wrong["steps"])
    assert report.first_error == 3
    assert slipped.verdict == "incorrect"
    assert slipped.diagnosis == [f"line 3: {report.steps[2].diagnosis}"]
    assert slipped.credit_given == 0.6667  # lines 1 and 2 of 3 are right (4 digits, as check)


def test_a_row_with_neither_answer_nor_steps_is_invalid():
    graded = sn.grade(NET, [{"student": "ann", "wrt": "w5", "answer": "", "steps": ""}])[0]
    assert graded.verdict == "invalid"
    assert graded.diagnosis == ["the answer column is empty (and there are no steps)"]


@pytest.mark.parametrize("variant, variants, reason", [
    ("99", 30, "variant 99 is not in the quiz: its variants are 1 to 30"),
    ("31", 30, "variant 31 is not in the quiz: its variants are 1 to 30"),
    ("0", 30, "variant 0 is not in the quiz: its variants are 1 to 30"),
    ("4", 3, "variant 4 is not in the quiz: its variants are 1 to 3"),
])
def test_a_variant_beyond_the_quiz_is_invalid(variant, variants, reason):
    row = {"student": "ann", "wrt": "w1", "answer": "0.5", "variant": variant}
    graded = sn.grade(NET, [row], variants=variants)[0]
    assert (graded.verdict, graded.given, graded.variant) == ("invalid", "0.5", variant)
    assert graded.diagnosis[0].startswith(reason)


def test_an_invalid_row_of_steps_alone_reports_its_steps():
    graded = sn.grade(NET, [{"student": "ann", "wrt": "W5", "steps": DERIVATION_W5}])[0]
    assert (graded.verdict, graded.given) == ("invalid", DERIVATION_W5)
    assert graded.diagnosis == ["unknown parameter 'W5' (did you mean 'w5'?); this network "
                                "has: w1, w2, w3, w4, w5, w6, b1, b2, b3"]


def test_a_variant_within_a_larger_quiz_is_graded():
    q = sn.quiz(NET, variants=40, seed=0)
    dw1 = next(x for x in q.variants[34].questions if x.name == "dL/dw1")
    row = {"student": "ann", "wrt": "w1", "answer": dw1.shown, "variant": "35"}
    assert sn.grade(NET, [row])[0].verdict == "invalid"
    assert sn.grade(NET, [row], variants=40)[0].verdict == "correct"


@pytest.mark.parametrize("variants", [0, 501, True, "30"])
def test_the_count_of_variants_is_bounded(variants):
    with pytest.raises(sn.SymnetError, match="variants must be a whole number from 1 to 500"):
        sn.grade(NET, ROWS, variants=variants)


def test_the_grade_command_reads_steps_alone_and_writes_to_standard_output(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    with open(answers, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "wrt", "steps"])
        w.writerow(["ann", "w5", DERIVATION_W5])
    assert main(["grade", "2-2-1", "--activation", "sigmoid", "--answers", str(answers)]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["student"], r["verdict"], r["credit"]) for r in rows] == [("ann", "correct", "1")]
    assert err == "graded 1 answer: 1 correct, 0 incorrect, 0 invalid\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv"]


def test_the_grade_command_takes_the_quiz_count_of_variants(tmp_path, capsys):
    answers = tmp_path / "answers.csv"
    answers.write_text("student,wrt,answer,variant\nann,w1,0.5,31\n")
    assert main(["grade", "2-2-1", "--answers", str(answers), "--variants", "30"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["verdict"] == "invalid"
    assert rows[0]["diagnosis"].startswith("variant 31 is not in the quiz: its variants are 1 to 30")
    assert main(["grade", "2-2-1", "--answers", str(answers), "--variants", "501"]) == 2
    assert "variants must be a whole number from 1 to 500" in capsys.readouterr().err


def test_grade_help_says_the_report_goes_to_standard_output_without_o(capsys):
    assert main(["grade", "--help"]) == 0
    assert "(default: standard output" in " ".join(capsys.readouterr().out.split())


def test_grade_reads_typed_minus_signs_and_agrees_with_the_export_it_grades():
    # Moodle's numerical answer is the number shown ± half a unit of its last digit; grade
    # accepts exactly that, however the minus sign and spaces are typed
    q = sn.quiz(NET, variants=3, seed=7, picture=False)
    variant, dw1 = next((str(v.number), x) for v in q.variants for x in v.questions
                        if x.part == "gradient" and x.value < 0)  # a minus sign is typed
    wrt = dw1.name.split("/d")[1]
    digits = dw1.shown.lstrip("-")
    last = Decimal(str(dw1.tolerance)) * 2  # one unit of the last digit shown
    typed = {"\u2212" + digits: True, "\u2013" + digits: True, "- " + digits: True,
             "\u2212\u2009" + digits: True, "-" + digits + "\u00a0": True,
             str(Decimal(dw1.shown) + last): False,           # one unit off: Moodle says wrong
             str(Decimal(dw1.shown) + last / 2): True,        # half a unit: Moodle says right
             dw1.shown[:-1]: abs(float(dw1.shown[:-1]) - float(dw1.shown)) <= dw1.tolerance}
    rows = [{"student": f"s{i}", "wrt": wrt, "variant": variant, "answer": a}
            for i, a in enumerate(typed)]
    graded = sn.grade(NET, rows, seed=7, variants=3)
    assert [g.verdict == "correct" for g in graded] == list(typed.values())
    # each slip's number, typed with U+2212, is named by the sentence the quiz's feedback gives
    rows = [{"student": f"s{i}", "wrt": wrt, "variant": variant,
             "answer": plain_number(number).replace("-", "\u2212")}
            for i, number in enumerate(dw1.slips.values())]
    assert [g.diagnosis[0] for g in sn.grade(NET, rows, seed=7, variants=3)] == list(dw1.slips)
