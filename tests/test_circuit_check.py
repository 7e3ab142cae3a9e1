"""Checking a derivative worked out by hand on a circuit: CS231n's (x + y) z and micrograd's DAG,
in Python and with `symnet check --circuit`, with the same exit statuses and the same report
as on a network, in the circuit's own names (∂y/∂a, not ∂L/∂a)."""

import json

import pytest

import symnet as sn
from symnet.cli import main

XYZ = "q = x + y; f = q*z"
DAG = "c = a + b; d = a*b; e = c + d; f = c*d; y = e + f"  # micrograd: a feeds c and d
MISSES_D = ("a is used by c and d, and its gradient adds the paths through each: your answer "
            "misses the paths through d")


def test_a_right_answer_on_cs231n_circuit_is_correct():
    result = sn.check(sn.circuit(XYZ), "x", "z")
    assert result.correct and result.message == "correct: z equals ∂f/∂x = z"


def test_the_dropped_fork_on_micrograd_dag_is_named():
    # ∂y/∂a = (1 + d)·1 + (1 + c)·b: the answer 1 + d keeps the paths through c only
    result = sn.check(sn.circuit(DAG), "a", "1 + d")
    assert not result.correct
    assert result.message.splitlines()[0] == "incorrect: your answer is not ∂y/∂a."
    assert result.diagnosis == [MISSES_D]
    assert result.slips == ["fork's gradients not added"]


def test_a_number_at_a_point_is_diagnosed_too():
    # at a = 2, b = 3 the paths through c give 1 + d = 7 and those through d (1 + c)·b = 18
    c = sn.circuit(DAG)
    result = sn.check(c, "a", 7, at={"a": 2, "b": 3})
    assert result.message.splitlines() == [
        "incorrect: your answer is 7, but ∂y/∂a = 25 at a = 2, b = 3 (tolerance 0.1%)",
        f"  diagnosis: {MISSES_D}"]
    assert result.slips == ["fork's gradients not added"] and result.credit == 0.0
    assert sn.check(c, "a", 25, at={"a": 2, "b": 3}).correct
    assert sn.check(c, "a", 1234, at={"a": 2, "b": 3}).diagnosis == []  # no slip gives 1234


def test_a_network_number_gets_its_slip_named():
    net = sn.Network("2-2-1")
    at = dict(x1=1, x2=2, y=1, w1=1, w2=1, w3=1, w4=1, w5=2, w6=1, b1=0, b2=0, b3=0)
    result = sn.check(net, "w5", -48, at=at)  # ∂L/∂w5 = 2(ŷ − y)·N1 = 2·8·3 = 48
    assert result.diagnosis[0].startswith("sign error: your answer is −∂L/∂w5")


def test_a_generic_function_of_the_circuit_reads_in_an_answer():
    c = sn.circuit("a = w*x; y = f(a)")
    assert sn.check(c, "w", "f'(a)*x").correct
    assert not sn.check(c, "w", "f(a)*x").correct


def test_a_derivation_on_a_circuit_is_judged_line_by_line():
    report = sn.check_derivation(sn.circuit(DAG), "a", "∂y/∂a = ∂y/∂e·∂e/∂c·∂c/∂a + ∂y/∂f·∂f/∂c·∂c/∂a\n"
                                                         "∂y/∂a = 1 + d\n∂y/∂a = 7", at={"a": 2, "b": 3})
    assert [(s.kind, s.correct, s.follows) for s in report.steps] == [
        ("chain formula", False, None), ("result", False, 1), ("numeric", False, 1)]
    assert report.steps[0].diagnosis == "your chain rule for ∂y/∂a misses the paths through d"
    report = sn.check_derivation(sn.circuit(DAG), "a", "∂y/∂c = 1 + d\n∂y/∂d = 1 + c\n"
                                 "∂y/∂a = ∂y/∂c·∂c/∂a + ∂y/∂d·∂d/∂a\n∂y/∂a = δc + δd·b\n"
                                 "∂y/∂a = 25", at={"a": 2, "b": 3})
    assert report.correct and [s.kind for s in report.steps] == [
        "intermediate", "intermediate", "chain formula", "result", "numeric"]


def test_a_multiply_gate_not_swapped_in_a_derivation():
    report = sn.check_derivation(sn.circuit(XYZ), "x", "∂f/∂x = ∂f/∂q · ∂q/∂x\n∂f/∂q = q\n∂f/∂x = q")
    assert str(report).splitlines() == [
        "line 1  right  chain formula  ∂f/∂x = ∂f/∂q · ∂q/∂x",
        "line 2  wrong  local factor   ∂f/∂q = q",
        "        ∂f/∂q = z, not q",
        "line 3  carry  result         ∂f/∂x = q",
        "        follows from line 2",
        "first error: line 2"]


# ------------------------------------------------------------- symnet check --circuit

def test_symnet_check_circuit_exits_0_when_right_and_1_when_wrong(capsys):
    assert main(["check", "--circuit", XYZ, "--wrt", "x", "z"]) == 0
    assert capsys.readouterr().out == "correct: z equals ∂f/∂x = z\n"
    assert main(["check", "--circuit", DAG, "--wrt", "a", "1 + d"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("incorrect: your answer is not ∂y/∂a.\n")
    assert f"  diagnosis: {MISSES_D}\n" in out


def test_symnet_check_circuit_at_a_point(capsys):
    assert main(["check", "--circuit", DAG, "--wrt", "a", "7", "--at", "a=2,b=3"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "incorrect: your answer is 7, but ∂y/∂a = 25 at a = 2, b = 3 (tolerance 0.1%)",
        f"  diagnosis: {MISSES_D}"]
    assert main(["check", "--circuit", DAG, "--wrt", "a", "25", "--at", "a=2,b=3"]) == 0


def test_symnet_check_circuit_json(capsys):
    assert main(["check", "--circuit", XYZ, "--wrt", "x", "--json", "q"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert (verdict["correct"], verdict["expected"], verdict["answer"]) == (False, "z", "q")
    assert verdict["slips"] == ["multiply gate not swapped"]


def test_symnet_check_circuit_steps_from_a_file(tmp_path, capsys):
    circuit, steps = tmp_path / "dag.txt", tmp_path / "mine.txt"
    circuit.write_text(DAG.replace("; ", "\n"), encoding="utf-8")
    steps.write_text("∂y/∂a = ∂y/∂c·∂c/∂a + ∂y/∂d·∂d/∂a\n∂y/∂a = 1 + d + (1 + c)·b\n",
                     encoding="utf-8")
    assert main(["check", "--circuit", str(circuit), "--wrt", "a", "--steps", str(steps)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "every line is right"


@pytest.mark.parametrize("argv, message", [
    (["check", "2-2-1", "--circuit", XYZ, "--wrt", "x", "z"],
     "give a network (2-2-1) or a circuit (--circuit), not both"),
    (["check", "--wrt", "x"], "give a network's layer sizes like 2-2-1, or a circuit"),
    (["check", "--circuit", XYZ, "--wrt", "x"], "give either an answer EXPR or --steps FILE"),
    (["check", "--circuit", XYZ, "--loss", "bce", "--wrt", "x", "z"], "--loss is a network's option"),
    (["check", "--circuit", XYZ, "--no-bias", "--wrt", "x", "z"], "--no-bias is a network's option"),
    (["check", "--circuit", XYZ, "--wrt", "x", "1", "--at", "x=1"], "at= is missing values for y, z"),
])
def test_symnet_check_circuit_refuses_bad_input_with_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1


@pytest.mark.parametrize("answer", ["∂L/∂q * 1", "L*z"])
def test_a_loss_named_on_a_circuit_is_pointed_to_its_output(answer):
    with pytest.raises(sn.ParseError, match=r"unknown name 'L'.*; the output here is f: write "
                                            r"∂f/∂… for its derivatives$"):
        sn.check(sn.circuit("q = x + y; f = q*z"), "x", answer)
