"""Checks at the edges a new user met: a slip that gives the typed number exactly, a true
value past floating point, a point where the derivative is undefined, leaves that must be
positive at the random points, and a class's key whose slip sentences are long."""

import json
import math

import pytest

import symnet as sn
from symnet.cli import main
from symnet.printing import Table

EXP = "y = exp(x)"


@pytest.mark.parametrize("x", [1, 2, 100, 1000])
def test_one_for_the_derivative_of_exp_is_the_factor_left_out(x):
    # ½·e = 1.36 rounds to 1 as typed, but exp(x) left out gives 1 exactly (e**1000 is past
    # floats: no multiple of it is a number a student types)
    result = sn.check(sn.circuit(EXP), "x", "1", at={"x": x})
    assert not result.correct
    assert result.diagnosis == ["you left out the factor ∂y/∂x = exp(x)"]


def test_the_published_softmax_answer_is_still_minus_p():
    net = sn.template("softmax_ce", k=3, target=3)
    result = sn.check(net, "z3", "-0.67", at={"z1": 1, "z2": 2, "z3": 3})
    assert result.diagnosis == ["z3 is the target class's logit: ∂L/∂z3 = p3 − 1, not −p3"]


@pytest.mark.parametrize("circuit, at", [
    ("f = 1/x", {"x": 0}),
    ("f = sqrt(x)", {"x": -1}),
])
def test_a_point_where_the_derivative_is_undefined_is_refused(circuit, at):
    with pytest.raises(sn.SymnetError, match=r"^∂f/∂x is undefined or not a real number at x = "):
        sn.check(sn.circuit(circuit), "x", "-1", at=at)


def test_the_command_line_refuses_it_in_one_line(capsys):
    assert main(["check", "--circuit", "f = 1/x", "--wrt", "x", "--at", "x=0", "--", "-1"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("error: ∂f/∂x is undefined or not a real number at x = 0;")


def test_batch_norm_with_a_named_epsilon_is_checked_where_the_variance_is_defined():
    # ε is a leaf drawn at random: a point with σ² + ε < 0 has no real σ, so it is drawn again
    net = sn.template("batchnorm", m=4, eps="epsilon")
    result = sn.check(net, "x1", "1")
    assert not result.correct
    point = result.counterexample["point"]
    assert point["var"] + point["epsilon"] > 0
    assert math.isclose(point["std"], math.sqrt(point["var"] + point["epsilon"]), rel_tol=1e-5)
    assert sn.check(net, "beta", "g1 + g2 + g3 + g4").correct


def test_a_sentence_column_wraps_in_latex_and_reads_as_left_aligned_text():
    t = Table(["Slip", "Gives"], [["you left out the factor exp(x)", "1"]], "pr")
    assert t.latex().startswith(r"\begin{tabular}{>{\raggedright\arraybackslash}p{0.55\linewidth}r}")
    assert t.text().splitlines()[1] == "you left out the factor exp(x)      1"


@pytest.mark.parametrize("arch, count", [
    ("1000000000-2-1", "2,000,000,005 parameters"),
    ("2-99999999999999999999-1", "more than 10¹⁵ parameters"),
])
def test_a_network_too_large_is_refused_with_its_true_size(capsys, arch, count):
    assert main(["derive", arch]) == 2
    assert count in capsys.readouterr().err


def test_a_point_copied_with_printed_minus_signs_and_a_tolerance_in_percent(capsys):
    # the README and the exams print −2 (U+2212); the verdicts print the tolerance as 0.1%
    argv = ["check", "--circuit", "f = x*y", "--wrt", "x", "--at", "x=\u22122,y=5", "--tolerance"]
    assert main([*argv, "5%", "5.1"]) == 0
    assert capsys.readouterr().out == "correct: 5.1 matches ∂f/∂x = 5 within 5% at x = -2, y = 5\n"
    assert main([*argv, "1%", "5.1"]) == 1


@pytest.mark.parametrize("argv, message", [
    (["check", "--tempalte", "batchnorm", "--wrt", "x1", "1"],
     "error: unknown option --tempalte; did you mean --template?"),
    (["derive", "2-2-1", "--zzz"], "error: unknown option --zzz (see symnet derive --help)"),
    (["check", "--template", "batchnorm", "m=4", "--wrt", "x1", "1"],
     "error: a template's options follow its name and a colon: --template batchnorm:m=4"),
    (["page", "2-2-1", "--wrtt", "w1", "-o", "site"],  # before "--wrt is required"
     "error: unknown option --wrtt; did you mean --wrt?"),
    (["derive", "--template", "rnn:steps=3,steps=4", "--wrt", "W_hh"],
     "error: --template option steps is given twice"),
    (["derive", "--template", "conv1d:pad=\u22121", "--wrt", "w1"],  # read as -1
     "error: pad must be at least 0; got -1"),
])
def test_a_misspelled_option_is_named_with_the_one_meant(capsys, argv, message):
    assert main(argv) == 2
    assert capsys.readouterr().err == message + "\n"


def test_a_folder_given_as_the_output_is_named_as_a_folder(capsys, tmp_path):
    assert main(["quiz", "2-2-1", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {tmp_path} is a folder; give a file in it, e.g. {tmp_path}/out.xml\n"


def test_a_gradient_whose_paths_cancel_is_zero_not_rounding_noise():
    # batch norm with Bessel's n − 1 at x = [1, 4, 1, 4]: ∂L/∂x2 is exactly 0 (SymPy by hand
    # below); the 30-digit sweep gave 5.9e-31, which a quiz asked for and graded 0 wrong against
    import sympy as sp

    x = sp.symbols("x1:5")
    mu = sum(x) / 4
    std = sp.sqrt(sum((xi - mu) ** 2 for xi in x) / 3)
    g, gamma, beta = [4, -4, 2, -4], 3, -5
    L = sum(gi * (gamma * (xi - mu) / std + beta) for gi, xi in zip(g, x))
    point = dict(zip(x, [1, 4, 1, 4]))
    assert sp.simplify(sp.diff(L, x[1]).subs(point)) == 0
    net = sn.template("batchnorm", m=4, bessel=True)
    at = {"x1": 1, "x2": 4, "x3": 1, "x4": 4, "g1": 4, "g2": -4, "g3": 2, "g4": -4,
          "gamma": 3, "beta": -5}
    gradients = net.at(at).gradients
    assert gradients[net.symbol("x2")] == 0
    assert float(gradients[net.symbol("x1")]) == pytest.approx(
        float(sp.diff(L, x[0]).subs(point)), rel=1e-12)


def test_check_json_prints_a_misspelled_option_as_json_too(capsys):
    assert main(["check", "--tempalte", "rnn", "--wrt", "W_hh", "0", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == '{"error": "unknown option --tempalte; did you mean --template?", "status": 2}\n'
    assert err == "error: unknown option --tempalte; did you mean --template?\n"


def test_an_rnn_is_checked_at_points_its_tanh_does_not_flatten():
    # its seed draws ±½ and ±1: the check points' leaves go up to 1, not 2
    net = sn.template("rnn", steps=3)
    result = sn.check(net, "W_hh", "g3*W_hy*(1 - h3**2)*h2")
    leaves = {str(s) for s in net.leaves}
    point = result.counterexample["point"]
    assert leaves <= set(point) and max(abs(point[k]) for k in leaves) <= 1


def test_a_large_layer_shows_forty_values_of_its_point_and_json_all(capsys):
    argv = ["check", "--template", "conv2d:height=8,width=8,kernel=3", "--wrt", "w1_1", "0"]
    assert main(argv) == 1
    at = capsys.readouterr().out.splitlines()[1]
    assert at.count(" = ") == 40 and at.endswith(" more (--json gives them all):")
    assert main([*argv, "--json"]) == 1
    assert len(json.loads(capsys.readouterr().out)["counterexample"]["point"]) > 100
