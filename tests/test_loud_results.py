"""Results that were silently wrong, made loud or right: targets a classifier's loss is not
defined on are refused, the train summary gives the loss of the parameters it returns, classes
are numbered from 1 in the API as on the command line."""

import csv
import io

import numpy as np
import pytest

import symnet as sn
from symnet.cli import main


def one_error(capsys):
    """The one ``error:`` line a refused command printed (and nothing on standard output)."""
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    return err


# ---------------------------------------------------------------- targets of a classifier

@pytest.mark.parametrize("Y, sample, has", [
    ([1, 2], 2, "y = 2"),  # the learner's classes {1, 2}: bce trained to a loss of -0.19 before
    ([0, -1], 2, "y = -1"),
    ([1.5, 0], 1, "y = 1.5"),
    ([[0], [1.0000001]], 2, "y = 1"),
])
def test_bce_targets_outside_0_1_are_refused(Y, sample, has):
    with pytest.raises(sn.SymnetError, match=rf"^bce's targets are probabilities in \[0, 1\] "
                       rf"\(a class is 0 or 1\); sample {sample} has {has}"):
        sn.Network("2-1", loss="bce").fit([[0, 0], [1, 1]], Y, epochs=1, progress=False)


@pytest.mark.parametrize("Y", [[0, 1], [0.0, 0.25], [[1.0], [0.0]]])
def test_bce_targets_in_0_1_train(Y):
    r = sn.Network("2-1", loss="bce").fit([[0, 0], [1, 1]], Y, epochs=2, progress=False)
    assert r.epochs == 2


@pytest.mark.parametrize("Y, has", [
    ([[2, 0], [0, 1]], "y1 = 2, y2 = 0"),
    ([[0.5, 0.4], [0, 1]], "y1 = 0.5, y2 = 0.4"),
    ([[1.5, -0.5], [0, 1]], "y1 = 1.5, y2 = -0.5"),
    ([[0, 0], [0, 1]], "y1 = 0, y2 = 0"),
])
def test_cross_entropy_targets_that_are_no_distribution_are_refused(Y, has):
    with pytest.raises(sn.SymnetError, match=r"^cross_entropy's targets are a distribution over "
                       rf"the 2 outputs, non-negative and summing to 1 \(one-hot for a class\); "
                       rf"sample 1 has {has}$"):
        sn.Network("2-2", loss="cross_entropy").fit([[0, 0], [1, 1]], Y, epochs=1, progress=False)


@pytest.mark.parametrize("labels", [[1, 2, 3, 1], np.array([0, 1, 2, 0]), [[1], [2], [3], [1]]])
def test_integer_class_labels_for_cross_entropy_get_the_one_hot_hint(labels):
    with pytest.raises(sn.SymnetError, match=r"classes are numbered 1 to 3, as yhat1 to yhat3\); "
                       r"these are one number per sample: write class labels 1 to 3 one-hot, "
                       r"e\.g\. np\.eye\(3\)\[labels - 1\]$"):
        sn.Network("2-3", loss="cross_entropy").fit(np.eye(4)[:, :2], labels, epochs=1,
                                                     progress=False)


def test_the_hint_works_and_classes_come_back_numbered_from_1():
    X = np.array([[1.0, 0], [0, 1], [1, 1], [-1, 0]])
    labels = np.array([1, 2, 3, 1])
    r = sn.Network("2-4-3", activation="tanh", loss="cross_entropy").fit(
        X, np.eye(3)[labels - 1], optimizer="adam", lr=0.05, epochs=400, progress=False)
    assert r.predict_class(X).tolist() == labels.tolist()


def test_soft_distributions_still_train():
    Y = [[0.25, 0.75], [0.1 + 0.2, 0.7]]  # 0.1 + 0.2 + 0.7 is 1 up to rounding
    assert sn.Network("2-2", loss="cross_entropy").fit([[0, 0], [1, 1]], Y, epochs=1,
                                                        progress=False).epochs == 1


@pytest.mark.parametrize("rows, line", [
    ("x1,x2,y\n0,0,0\n1,1,2\n", "bce's targets are probabilities in [0, 1] (a class is 0 or 1); sample 2 has y = 2"),
    ("x1,x2,y\n0,0,-1\n1,1,1\n", "sample 1 has y = -1"),
])
def test_train_refuses_bce_targets_outside_0_1(tmp_path, capsys, rows, line):
    data = tmp_path / "d.csv"
    data.write_text(rows)
    model = tmp_path / "m.json"
    assert main(["train", "2-1", "--loss", "bce", "--data", str(data), "--save", str(model)]) == 2
    assert line in one_error(capsys) and not model.exists()


def test_train_refuses_cross_entropy_rows_that_are_no_distribution(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("x1,x2,y1,y2\n0,0,1,0\n1,1,1,1\n")
    assert main(["train", "2-2", "--loss", "cross_entropy", "--data", str(data)]) == 2
    assert one_error(capsys).endswith("sample 2 has y1 = 1, y2 = 1\n")


def test_predict_numbers_classes_as_predict_class_does(tmp_path, capsys):
    X = np.array([[1.0, 0], [0, 1], [1, 1], [-1, 0]])
    r = sn.Network("2-4-3", activation="tanh", loss="cross_entropy").fit(
        X, np.eye(3)[[0, 1, 2, 0]], optimizer="adam", lr=0.05, epochs=400, progress=False)
    r.save(tmp_path / "ce.json")
    (tmp_path / "x.csv").write_text("a,b\n1,0\n0,1\n1,1\n-1,0\n")
    assert main(["predict", str(tmp_path / "ce.json"), "--data", str(tmp_path / "x.csv")]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [int(row[-1]) for row in rows[1:]] == r.predict_class(X).tolist() == [1, 2, 3, 1]


# ---------------------------------------------------------------- the train summary

def summary(tmp_path, capsys, rows, *options):
    data = tmp_path / "d.csv"
    data.write_text(rows)
    assert main(["train", "1-1", "--data", str(data), "--params", "w1=0,b1=0", *options]) == 0
    return capsys.readouterr().out.splitlines()


def test_one_epoch_shows_the_loss_before_and_after_its_update(tmp_path, capsys):
    """x = 1, y = 3 from w1 = b1 = 0: the mse is 9, its gradient −6 on each, so lr 0.1 moves
    both to 0.6, ŷ = 1.2 and the loss is 1.8² = 3.24."""
    lines = summary(tmp_path, capsys, "x,y\n1,3\n", "--epochs", "1", "--lr", "0.1")
    assert lines[1] == "loss: 9 -> 3.24"


def test_the_after_loss_is_that_of_the_saved_parameters(tmp_path, capsys):
    model = tmp_path / "m.json"
    lines = summary(tmp_path, capsys, "x,y\n1,3\n2,5\n", "--epochs", "3", "--save", str(model))
    net, params = sn.load(model)
    w, b = params["w1"], params["b1"]
    by_hand = ((3 - (w + b)) ** 2 + (5 - (2 * w + b)) ** 2) / 2
    assert lines[1] == f"loss: 17 -> {by_hand:.6g}"


def test_with_batches_the_before_loss_is_the_initial_parameters_on_all_rows(tmp_path, capsys):
    """(3² + 5²)/2 = 17 at w1 = b1 = 0, not the first epoch's running mean over its batches."""
    lines = summary(tmp_path, capsys, "x,y\n1,3\n2,5\n", "--epochs", "1", "--batch-size", "1")
    before, after = lines[1].removeprefix("loss: ").split(" -> ")
    assert before == "17" and float(after) != 17


def test_early_stopping_reports_the_kept_parameters(tmp_path, capsys):
    model = tmp_path / "m.json"
    rows = "x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(6))
    lines = summary(tmp_path, capsys, rows, "--lr", "0.2", "--epochs", "50", "--patience", "1",
                    "--save", str(model))
    net, params = sn.load(model)
    w, b = params["w1"], params["b1"]
    by_hand = sum((2 * x + 1 - (w * x + b)) ** 2 for x in range(6)) / 6
    assert lines[1].endswith(f" -> {by_hand:.6g}")


# ---------------------------------------------------------------- check --steps, by the file's lines

STEPS = ("∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5 = 2(ŷ - y) N2\n"  # line 1: two equalities, the second wrong
         "\n"
         "∂L/∂ŷ = 2(ŷ - y)\n"
         "∂L/∂w5 = 2(ŷ - y) N1\n")


def test_steps_are_numbered_by_the_files_lines_and_a_chained_lines_equalities():
    report = sn.check_derivation(sn.Network("2-2-1"), "w5", STEPS)
    assert [(s.number, s.equality, s.correct) for s in report.steps] == [
        (1, 1, True), (1, 2, False), (3, None, True), (4, None, True)]
    assert report.first_error == 1
    assert [s.place for s in report.steps] == ["line 1, equality 1", "line 1, equality 2",
                                               "line 3", "line 4"]
    assert str(report).endswith("\nfirst error: line 1, equality 2")


def test_check_steps_prints_the_files_line_numbers(tmp_path, capsys):
    path = tmp_path / "steps.txt"
    path.write_text(STEPS)
    main(["check", "2-2-1", "--wrt", "w5", "--steps", str(path)])
    out = capsys.readouterr().out
    assert "\nline 3 " in out and "\nline 4 " in out and "\nline 2" not in out
    assert "first error: line 1, equality 2" in out


def test_a_latex_blocks_rows_are_numbered_by_the_line_they_begin_on():
    text = ("Here is my work.\n\\begin{aligned}\n"
            "\\frac{\\partial L}{\\partial w_5} &= \\frac{\\partial L}{\\partial \\hat y}\n"
            "  \\cdot \\frac{\\partial \\hat y}{\\partial w_5} \\\\\n"
            "\\frac{\\partial L}{\\partial w_5} &= 2(\\hat y - y) N_2\n\\end{aligned}")
    report = sn.check_derivation(sn.Network("2-2-1"), "w5", text)
    assert [s.number for s in report.steps] == [3, 5] and report.first_error == 5


def test_a_carried_error_names_the_equality_it_follows():
    text = "∂L/∂ŷ = 3(ŷ - y) = 3(ŷ - y)\n∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5\n∂L/∂w5 = 3(ŷ - y) N1\n"
    report = sn.check_derivation(sn.Network("2-2-1"), "w5", text)
    assert report.first_error == 1
    assert report.steps[-1].follows == 1 and report.steps[-1].diagnosis.startswith(
        "follows from line 1, equality ")


# ---------------------------------------------------------------- whole files of work, bounded

WRONG_LINES = "\n".join(f"∂L/∂w1 = 2*(yhat - y)*x1*{k}" for k in range(2, 62))  # 60 wrong lines


def test_check_steps_refuses_a_file_of_minutes_before_starting(tmp_path, capsys):
    """60 wrong lines on 2-16-16-1 ran about 4 minutes; each is about 3 s of slip search."""
    path = tmp_path / "steps.txt"
    path.write_text(WRONG_LINES)
    assert main(["check", "2-16-16-1", "--activation", "sigmoid", "--wrt", "w1",
                 "--steps", str(path)]) == 2
    err = one_error(capsys)
    assert err.startswith("error: checking 60 lines of ∂L/∂w1 on 2-16-16-1 would take about ")
    assert "symnet starts work of at most a minute: check at most " in err


@pytest.mark.parametrize("arch, wrt", [("2-16-16-1", "w1"), ("2-32-32-1", "w1")])
def test_check_derivation_raises_too_large(arch, wrt):
    with pytest.raises(sn.TooLargeError, match=r"lines at a time$"):
        sn.check_derivation(sn.Network(arch, activation="sigmoid"), wrt, WRONG_LINES)


@pytest.mark.parametrize("arch, wrt, lines", [("2-2-1", "w1", 60), ("2-16-16-1", "b33", 5)])
def test_files_of_seconds_are_checked(arch, wrt, lines):
    text = "\n".join([f"∂L/∂{wrt} = 2*(yhat - y)"] * lines)
    report = sn.check_derivation(sn.Network(arch, activation="sigmoid"), wrt, text)
    assert len(report.steps) == lines


def test_grade_refuses_a_class_of_more_than_ten_minutes(tmp_path, capsys):
    answers = tmp_path / "a.csv"
    answers.write_text("student,wrt,answer\n" + "".join(f"s{i},w1,2*(yhat - y)*x1\n"
                                                         for i in range(300)))
    report = tmp_path / "r.csv"
    assert main(["grade", "2-16-16-1", "--activation", "sigmoid", "--answers", str(answers),
                 "-o", str(report)]) == 2
    err = one_error(capsys)
    assert err.startswith("error: grading 300 answers on 2-16-16-1 would take about ")
    assert "at most 10 minutes: grade at most " in err and not report.exists()


def test_invalid_rows_cost_nothing():
    rows = [{"student": f"s{i}", "wrt": "w999", "answer": "1"} for i in range(2000)]
    graded = sn.grade(sn.Network("2-16-16-1", activation="sigmoid"), rows)
    assert {g.verdict for g in graded} == {"invalid"}
