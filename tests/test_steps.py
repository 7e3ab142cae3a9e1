"""A whole derivation checked line by line: each line judged as what it is, the first error
named, and later lines that follow from it marked instead of counted again."""

import io
import json

import pytest

import symnet as sn
from symnet.cli import main
from symnet.parse.derivation import split_steps

SEED = sn.Network("2-2-1")
SIGMOID = sn.Network("2-2-1", activation="sigmoid")
AT = dict(x1=1, x2=0, y=1, w1=.15, w2=.2, w3=.25, w4=.3, w5=.4, w6=.45, b1=.35, b2=.35, b3=.6)

SIX_LINES = """\
∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1
∂L/∂ŷ = 2(ŷ − y)
∂ŷ/∂h1 = w5
∂h1/∂N1 = σ(N1)(1 − σ(N1))
∂N1/∂w1 = x1
∂L/∂w1 = 2(ŷ − y) · w5 · σ(N1)(1 − σ(N1)) · x1
"""

ALIGNED = r"""
\begin{aligned}
\frac{\partial L}{\partial w_1} &= \frac{\partial L}{\partial \hat{y}} \cdot
  \frac{\partial \hat{y}}{\partial h_1} \cdot \frac{\partial h_1}{\partial N_1} \cdot
  \frac{\partial N_1}{\partial w_1} \\
\frac{\partial h_1}{\partial N_1} &= \sigma(N_1)\left(1 - \sigma(N_1)\right) \\
\frac{\partial L}{\partial w_1} &= 2(\hat{y} - y) \, w_5 \, h_1 (1 - h_1) \, x_1
\end{aligned}
"""


def kinds(report):
    return [(s.kind, s.correct, s.follows) for s in report.steps]


def test_a_right_derivation_is_right_line_by_line():
    report = sn.check_derivation(SIGMOID, "w1", SIX_LINES)
    assert report.correct and report.first_error is None
    assert kinds(report) == [("chain formula", True, None)] + [("local factor", True, None)] * 4 \
        + [("result", True, None)]
    assert str(report).endswith("every line is right")


def test_latex_aligned_block():
    report = sn.check_derivation(SIGMOID, "w1", ALIGNED)
    assert kinds(report) == [("chain formula", True, None), ("local factor", True, None),
                             ("result", True, None)]


@pytest.mark.parametrize("text, expected", [
    ("a = b = c", [("a", "b"), ("a", "c")]),
    ("a = b\n= c\n\n", [("a", "b"), ("a", "c")]),
    (r"\begin{align*} a &= b \\ &= c \end{align*}", [("a", "b"), ("a", "c")]),
    (r"\begin{eqnarray} a &=& b \\ &=& c \end{eqnarray}", [("a", "b"), ("a", "c")]),
    ("$$a = b$$", [("a", "b")]),
])
def test_lines_and_equalities_are_split(text, expected):
    assert [(s.lhs, s.rhs) for s in split_steps(text)] == expected


@pytest.mark.parametrize("text", [
    "∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5",
    "∂L/∂w5 = dL/dyhat · dyhat/dw5",
    r"\frac{\partial L}{\partial w_5} = \frac{dL}{d\hat y} \frac{\partial \hat y}{\partial w_5}",
])
def test_a_chain_formula_reads_the_same_in_each_notation_of_partials(text):
    assert kinds(sn.check_derivation(SEED, "w5", text)) == [("chain formula", True, None)]


def test_a_wrong_factor_is_the_first_error_and_the_result_follows_from_it():
    text = SIX_LINES.replace("σ(N1)(1 − σ(N1))\n∂N1", "σ(N1)\n∂N1").replace(
        "· σ(N1)(1 − σ(N1)) ·", "· σ(N1) ·")
    report = sn.check_derivation(SIGMOID, "w1", text)
    assert not report.correct and report.first_error == 4
    assert report.steps[3].diagnosis == "∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)), not sigmoid(N1)"
    assert (report.steps[5].correct, report.steps[5].follows) == (False, 4)
    assert report.steps[5].diagnosis == "follows from line 4"


def test_a_chain_formula_that_misses_a_path():
    report = sn.check_derivation(SEED, "x1", "∂L/∂x1 = ∂L/∂ŷ · ∂ŷ/∂N1 · ∂N1/∂x1\n"
                                             "∂L/∂x1 = 2(ŷ − y)·w5·w1")
    assert report.steps[0].diagnosis == "your chain rule for ∂L/∂x1 misses the path through N2"
    assert (report.steps[1].follows, report.first_error) == (1, 1)


def test_a_product_that_is_not_a_path():
    report = sn.check_derivation(SEED, "w1", "∂L/∂w1 = ∂L/∂ŷ · ∂N1/∂w1")
    assert report.steps[0].diagnosis.startswith("∂L/∂yhat · ∂N1/∂w1 is not a path from L down to w1")


def test_an_algebra_step_that_breaks_equality_and_the_step_after_it():
    report = sn.check_derivation(SEED, "w5", "∂L/∂w5 = 2(ŷ - y) N1\n= 2(ŷ + y) N1\n"
                                             "= 2*yhat*N1 + 2*y*N1")
    assert kinds(report) == [("result", True, None), ("algebra", False, None),
                             ("result", False, 2)]
    assert report.steps[1].diagnosis == "not equal to line 1: your answer has an extra term 4*N1*y"
    assert report.first_error == 2


def test_the_mistake_engine_names_a_wrong_result():
    report = sn.check_derivation(SEED, "w5", "∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5\n∂L/∂w5 = 2(ŷ - y) N2")
    assert report.steps[1].diagnosis == "you used N2 where N1 belongs: ∂yhat/∂w5 = N1"


def test_numeric_lines_within_the_digits_shown():
    text = "∂L/∂w5 = 2(ŷ - y) N1\n= 2(1.07 - 1)(0.5)\n= 0.07"
    report = sn.check_derivation(SEED, "w5", text, at=AT)
    assert report.correct and [s.kind for s in report.steps] == ["result", "numeric", "numeric"]
    wrong = sn.check_derivation(SEED, "w5", "∂L/∂w5 = 0.08", at=AT)
    assert wrong.steps[0].diagnosis == "∂L/∂w5 = 0.07 at this point"
    unjudged = sn.check_derivation(SEED, "w5", "∂L/∂w5 = 0.07")
    assert unjudged.steps[0].correct is None and unjudged.correct


def test_a_line_that_cannot_be_read_is_reported_not_raised():
    report = sn.check_derivation(SEED, "w5", "∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5\n∂L/∂w5 = foo(N1)")
    assert report.steps[1].kind == "unread" and report.first_error == 2
    assert report.steps[1].diagnosis.startswith("cannot read this line: unknown function 'foo'")


def test_steps_from_a_file_and_from_standard_input(tmp_path, capsys, monkeypatch):
    path = tmp_path / "derivation.txt"
    path.write_text(SIX_LINES, encoding="utf-8")
    args = ["check", "2-2-1", "--activation", "sigmoid", "--wrt", "w1", "--steps"]
    assert main(args + [str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "line 1  right  chain formula  ∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1")
    monkeypatch.setattr("sys.stdin", io.StringIO(SIX_LINES.replace("w5", "w6")))
    assert main(args + ["-", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["first_error"] == 3 and report["steps"][5]["follows"] == 3


@pytest.mark.parametrize("argv, message", [
    (["check", "2-2-1", "--wrt", "w5"], "error: give either an answer EXPR or --steps FILE"),
    (["check", "2-2-1", "--wrt", "w5", "--steps", "-", "N1"], "error: give either an answer"),
    (["check", "2-2-1", "--wrt", "w5", "--steps", "/nonexistent/d.txt"],
     "error: cannot read /nonexistent/d.txt: No such file or directory"),
])
def test_steps_refusals(argv, message, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith(message)


@pytest.mark.parametrize("text, message", [
    ("∂L/∂w5 = 2(ŷ - y) N1\n" * 61, "61 steps; at most 60 are checked"),
    ("x" * 20_001, "the derivation is 20,001 characters long; at most 20,000 are checked"),
    ("\n\n", "no steps found"),
    ("∂L/∂w5 = ", "an empty side of '='"),
])
def test_derivations_too_long_or_empty_are_refused(text, message):
    with pytest.raises(sn.ParseError, match=message):
        sn.check_derivation(SEED, "w5", text)


SIGMA_FOR_SIGMA_PRIME = ("you used sigmoid(N1) where its derivative ∂h1/∂N1 = "
                         "sigmoid(N1)*(1 - sigmoid(N1)) belongs")


@pytest.mark.parametrize("delta", ["δ1", "δ_1", r"\delta_1", "∂L/∂N1", r"\delta_{N_1}"])
def test_a_wrong_delta_is_an_intermediate_step_and_a_line_using_it_follows(delta):
    report = sn.check_derivation(SIGMOID, "w1", f"{delta} = 2(ŷ-y) w5 σ(N1)\n∂L/∂w1 = δ1 x1")
    assert kinds(report) == [("intermediate", False, None), ("result", False, 1)]
    assert report.steps[0].diagnosis == SIGMA_FOR_SIGMA_PRIME
    assert report.steps[1].diagnosis == "follows from line 1" and report.first_error == 1


@pytest.mark.parametrize("text, expected, diagnosis", [
    # the right δ, used: every line right
    ("δ1 = 2(ŷ-y) w5 σ(N1)(1-σ(N1))\n∂L/∂w1 = δ1 x1",
     [("intermediate", True, None), ("result", True, None)], None),
    # the wrong δ, then a line that is wrong even with it: flagged, named with the true δ
    ("δ1 = 2(ŷ-y) w5 σ(N1)\n∂L/∂w1 = δ1 x2",
     [("intermediate", False, None), ("result", False, None)],
     "you used x2 where x1 belongs: ∂N1/∂w1 = x1"),
    # the wrong δ, then the result multiplied out with it: follows
    ("δ1 = 2(ŷ-y) w5 σ(N1)\n∂L/∂w1 = 2(ŷ-y) w5 σ(N1) x1",
     [("intermediate", False, None), ("result", False, 1)], "follows from line 1"),
    # a chain formula through ∂L/∂N1 is the chain rule too, and the δ's error carries
    ("∂L/∂w1 = ∂L/∂N1 · ∂N1/∂w1\nδ1 = 2(ŷ-y) w5 σ(N1)\n∂L/∂w1 = δ1 x1",
     [("chain formula", True, None), ("intermediate", False, None), ("result", False, 2)],
     "follows from line 2"),
])
def test_lines_after_a_delta_are_judged_with_the_students_own_delta(text, expected, diagnosis):
    report = sn.check_derivation(SIGMOID, "w1", text)
    assert kinds(report) == expected
    assert report.steps[-1].diagnosis == diagnosis


def test_a_chain_formula_through_a_delta_that_misses_a_path():
    report = sn.check_derivation(SEED, "x1", "∂L/∂x1 = ∂L/∂N1 · ∂N1/∂x1")
    assert report.steps[0].diagnosis == "your chain rule for ∂L/∂x1 misses the path through N2"
    right = sn.check_derivation(SEED, "x1", "∂L/∂x1 = ∂L/∂N1 · ∂N1/∂x1 + ∂L/∂N2 · ∂N2/∂x1")
    assert right.correct


def test_the_delta_example_on_the_command_line(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("δ1 = 2(ŷ-y) w5 σ(N1)\n∂L/∂w1 = δ1 x1\n"))
    assert main(["check", "2-2-1", "--activation", "sigmoid", "--wrt", "w1", "--steps", "-"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "line 1  wrong  intermediate  δ1 = 2(ŷ-y) w5 σ(N1)",
        f"        {SIGMA_FOR_SIGMA_PRIME}",
        "line 2  carry  result        ∂L/∂w1 = δ1 x1",
        "        follows from line 1",
        "first error: line 1"]


@pytest.mark.parametrize("net, rhs, hinted", [
    (SEED, "2(ŷ-y) w5 h1(1-h1) x1", True),  # no h1 in a linear net: the hint says why
    (SEED, "2(ŷ-y) w5 foo(N1) x1", False),
    (SIGMOID, "2(ŷ-y) w5 h3(1-h3) x1", False),
])
def test_an_unread_line_with_h1_in_a_linear_net_gets_the_hint(net, rhs, hinted):
    step = sn.check_derivation(net, "w1", f"∂L/∂w1 = {rhs}").steps[0]
    assert step.kind == "unread" and step.diagnosis.startswith("cannot read this line: unknown")
    assert step.diagnosis.endswith("so it has no h1: did you mean activation='sigmoid'?") == hinted
