"""Checking hand-derived gradients: many spellings of right answers, diagnoses of wrong ones,
and hostile input that must be refused without running anything."""

import json
import os
import subprocess
import sys

import pytest
from workbound import bounded_work

import symnet as sn
from symnet.cli import main

SEED = sn.Network("2-2-1")
SIGMOID = sn.Network("2-2-1", activation="sigmoid")
DEEP = sn.Network("2-2-2-1", activation="sigmoid")


@pytest.mark.parametrize("net, wrt, answer", [
    (SEED, "w5", "2*(yhat - y)*N1"),
    (SEED, "w5", "2(yhat - y)N1"),
    (SEED, "w5", "2(ŷ − y)·N1"),
    (SEED, "w5", "2 × (ŷ − y) × N_1"),
    (SEED, "w5", r"2(\hat{y}-y)N_{1}"),
    (SEED, "w5", r"2\left(\hat{y} - y\right) \cdot N_{1}"),
    (SEED, "w5", "-2*(y - yhat)*N1"),
    (SEED, "w5", "2*yhat*N1 - 2*y*N1"),
    (SEED, "w5", "2*(w5*N1 + w6*N2 + b3 - y)*(w1*x1 + w2*x2 + b1)"),
    (SEED, "w5", "2*(w5*(w1*x1+w2*x2+b1) + w6*(w3*x1+w4*x2+b2) + b3 - y)*(w1*x1+w2*x2+b1)"),
    (SEED, "w1", "2*(y_hat - y)*w_5*x_1"),
    (SEED, "x1", "2*(yhat - y)*(w5*w1 + w6*w3)"),
    (SEED, "b3", r"\frac{4}{2}(\hat{y}-y)"),
    (sn.Network("2-2-1", loss="half_sse"), "w5", r"\frac{1}{2} \cdot 2(\hat{y}-y) N_1"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*sigma(N1)*(1 - sigma(N1))*x1"),
    (SIGMOID, "w1", r"2(\hat{y}-y) w_5 \sigma(N_1)\left(1-\sigma(N_1)\right) x_1"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*h1*(1 - h1)*x1"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*exp(-N1)/(1 + exp(-N1))^2*x1"),
    (sn.logistic_regression(2), "w1", "(yhat - y)*x1"),
    (sn.logistic_regression(2), "w1", "(sigmoid(w1*x1 + w2*x2 + b1) - y)*x1"),
])
def test_right_answers_in_many_spellings(net, wrt, answer):
    result = sn.check(net, wrt, answer)
    assert result.correct, result.message
    assert result.message.startswith("correct: ")


@pytest.mark.parametrize("net, wrt, answer, diagnosis", [
    (SEED, "x1", "2*(yhat - y)*w5*w1",
     "x1 is used by N1 and N2, and its gradient adds the paths through each: your answer misses "
     "the path through N2"),
    (DEEP, "w1", "2*(yhat - y)*w10*sigma(N4)*(1-sigma(N4))*w7*sigma(N1)*(1-sigma(N1))*x1",
     "h1 is used by N3 and N4, and its gradient adds the paths through each: your answer misses "
     "the path through N3"),
    (SEED, "w5", "2*(y - yhat)*N1", "sign error: your answer is −∂L/∂w5"),
    (SEED, "w5", "(yhat - y)*N1",
     "your answer is 1/2 of ∂L/∂w5: did you differentiate ½(y − ŷ)² instead of (y − ŷ)²?"),
    (sn.Network("2-2-1", loss="half_sse"), "w5", "2*(yhat - y)*N1",
     "your answer is twice ∂L/∂w5: did you differentiate (y − ŷ)² instead of ½(y − ŷ)²?"),
    (SEED, "w5", "6*(yhat - y)*N1", "your answer is 3 times ∂L/∂w5: a constant factor is off"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*sigma(N1)*x1",
     "you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) belongs"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*x1",
     "you left out the factor ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1))"),
    (SEED, "w1", "2*(yhat - y)*w6*x1", "you used w6 where w5 belongs"),
    (SEED, "w5", "2*(yhat - y)*N2", "you used N2 where N1 belongs"),
    (SEED, "w1", "2*(yhat - y)*w5*x1 + x2", "your answer has an extra term x2"),
    (SEED, "x1", "0", "your answer is 0, but ∂L/∂x1 is not"),
    (sn.Network("1-1", output_activation="sigmoid"), "w1", "2*yhat*x1*sigma(N1)*(1 - sigma(N1))",
     "your answer misses the term -2*x1*y*sigmoid(N1)*(1 - sigmoid(N1))"),
    (sn.logistic_regression(1), "w1", "(y - yhat)*x1", "sign error: your answer is −∂L/∂w1"),
])
def test_wrong_answers_are_diagnosed(net, wrt, answer, diagnosis):
    result = sn.check(net, wrt, answer)
    assert not result.correct
    assert result.diagnosis and result.diagnosis[0].startswith(diagnosis), result.diagnosis
    assert result.counterexample["answer"] != pytest.approx(result.counterexample["expected"])
    assert f"diagnosis: {result.diagnosis[0]}" in result.message


def test_counterexample_holds_at_its_point():
    result = sn.check(SEED, "w5", "(yhat - y)*N1")
    p = result.counterexample["point"]
    n1 = p["w1"] * p["x1"] + p["w2"] * p["x2"] + p["b1"]
    n2 = p["w3"] * p["x1"] + p["w4"] * p["x2"] + p["b2"]
    yhat = p["w5"] * n1 + p["w6"] * n2 + p["b3"]
    assert result.counterexample["expected"] == pytest.approx(2 * (yhat - p["y"]) * n1)
    assert result.counterexample["answer"] == pytest.approx((yhat - p["y"]) * n1)


AT = "x1=1,x2=0,y=1,w1=.15,w2=.2,w3=.25,w4=.3,w5=.4,w6=.45,b1=.35,b2=.35,b3=.6"


def test_a_number_at_a_point_is_checked_within_the_tolerance(capsys):
    # N1 = 0.5, N2 = 0.6, ŷ = 1.07: ∂L/∂w5 = 2(ŷ − y)N1 = 0.07
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT, "0.07"]) == 0
    assert capsys.readouterr().out.startswith("correct: 0.07 matches ∂L/∂w5 = 0.07 within 0.1%")
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT, "0.0701"]) == 1
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT, "--tolerance", "0.01", "0.0701"]) == 0
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT, "2*(yhat-y)*N1"]) == 0


def test_check_command_exit_status(capsys):
    assert main(["check", "2-2-1", "--wrt", "w5", "2*(yhat - y)*N1"]) == 0
    assert main(["check", "2-2-1", "--wrt", "w5", "(yhat - y)*N1"]) == 1
    out = capsys.readouterr().out
    assert "diagnosis: your answer is 1/2 of ∂L/∂w5" in out
    assert main(["check", "2-2-1", "--wrt", "w9", "x1"]) == 2
    assert capsys.readouterr().err.startswith("error: unknown name 'w9'; known names: b1")
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", "x1=1", "0.1"]) == 2
    assert capsys.readouterr().err.startswith("error: at= is missing values for b1, b2, b3")
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", "x1=one", "0.1"]) == 2
    assert capsys.readouterr().err == "error: x1 must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'one'\n"
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT + ",N1=5", "0.07"]) == 2
    assert capsys.readouterr().err.startswith("error: at= takes inputs, targets and parameters; N1")
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT, "--tolerance", "nan", "0.07"]) == 2
    assert capsys.readouterr().err.startswith("error: --tolerance must be a number written with")
    assert main(["check", "2-2-1", "--wrt", "w5", "--at", AT, "--tolerance", "2", "0.07"]) == 2
    assert capsys.readouterr().err.startswith("error: tolerance must be a number from 0 up to 1")


CANARY = "symnet-canary"

HOSTILE = [
    f"__import__('os').system('touch {CANARY}')",
    "__import__(os)",
    "exec('x')",
    "eval(1)",
    f"open('{CANARY}', 'w')",
    "lambda: 1",
    "(lambda: 1)()",
    "x1.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "N1.func",
    "globals()",
    "9**9**9",
    "2**100000",
    "10**999",
    "factorial(100000)",
    "100000!",
    "(" * 10000 + "x1" + ")" * 10000,
    "(" * 150 + "x1" + ")" * 150,
    "-" * 500 + "x1",
    "",
    "   ",
    "+",
    "*N1",
    "N1 +",
    "(N1",
    "N1)",
    r"\frac{1}{2",
    "foo(N1)",
    "q * N1",
    "w5; import os",
    "N1 # comment",
    "уhat - y",  # Cyrillic у
    "Ｎ1",  # fullwidth N
    r"\input{/etc/passwd}",
    r"\def\x{1}",
    rf"\write18{{touch {CANARY}}}",
    r"\catcode`\^=7",
    "exp(exp(100))",
    "1e99999",
    "w5 = 2",
    '"string"',
    "N1[0]",
    "{}",
    "sigmoid",
    "N1**N1**N1**N1**N1**N1**99",
]


@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_input_is_refused_quickly_without_side_effects(answer, capsys, tmp_path,
                                                               monkeypatch):
    monkeypatch.chdir(tmp_path)
    with bounded_work():
        assert main(["check", "2-2-1", "--wrt", "w5", answer]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: ")
    assert captured.err.count("\n") == 1
    assert not os.path.exists(CANARY)


def test_a_payload_does_not_run_in_a_separate_process(tmp_path):
    payload = f"__import__('os').system('touch {CANARY}')"
    done = subprocess.run([sys.executable, "-m", "symnet", "check", "2-2-1", "--wrt", "w5",
                           payload], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("answer, message", [
    ("__import__(os)", "'__import__' is not accepted as a name"),
    ("foo(N1)", "unknown function 'foo' at position 1; known: "),
    ("уhat - y", "unexpected character 'у' (U+0443) at position 1"),
    (r"\input{x}", r"LaTeX command \input is not allowed; allowed: \frac"),
    ("9**9**9", "exponent 387420489 is too large"),
    ("exp(exp(100))", "exp of a number larger than 1000 is not accepted"),
    ("N1**N1**N1**N1**99", "a tower of powers with symbols in the exponents"),
    ("1e99999", "number 1e99999 at position 1 is too large or too small"),
])
def test_rejections_name_the_offending_token(answer, message):
    with pytest.raises(sn.ParseError) as info:
        sn.check(SEED, "w5", answer)
    assert message in str(info.value)


@pytest.mark.parametrize("argv, error", [
    (["check", "2-2-1", "--wrt", "w5", "--json", "foo(N1)"], "unknown function 'foo' at position 1"),
    (["check", "2-2-1", "--wrt", "w9", "--json", "x1"], "unknown name 'w9'"),
    (["check", "2-2-1", "--wrt", "w5", "--json", "--steps", "/nonexistent/d.txt"],
     "cannot read /nonexistent/d.txt"),
])
def test_json_errors_are_json_too(argv, error, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    verdict = json.loads(captured.out)
    assert verdict["status"] == 2 and verdict["error"].startswith(error)
    assert captured.err == f"error: {verdict['error']}\n"
    assert main([a for a in argv if a != "--json"]) == 2  # the near miss: no --json, no stdout
    assert capsys.readouterr().out == ""
