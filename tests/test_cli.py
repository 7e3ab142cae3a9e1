"""The command line, called as ``main([...])``: output, exit status, one-line errors."""

import os
import subprocess
import sys

import pytest

import symnet as sn
from symnet.cli import main


def test_derive_one_weight(capsys):
    assert main(["derive", "2-2-1", "--wrt", "w4"]) == 0
    assert capsys.readouterr().out == (
        "∂L/∂w4 = ∂L/∂yhat · ∂yhat/∂N2 · ∂N2/∂w4\n"
        "  ∂L/∂yhat = 2*(yhat - y)\n"
        "  ∂yhat/∂N2 = w6\n"
        "  ∂N2/∂w4 = x2\n"
        "∂L/∂w4 = 2*(yhat - y) · w6 · x2\n")


def test_derive_every_parameter_starts_with_the_network(capsys):
    assert main(["derive", "2-2-1", "--loss", "half_sse"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Network('2-2-1', activation='linear', output_activation='linear', "
                          "loss='half_sse')\n  N1 = w1*x1 + w2*x2 + b1\n")
    assert out.count("∂L/∂b3 = ") == 2 and "∂L/∂w1 = yhat - y · w5 · x1" not in out
    assert "∂L/∂w1 = (yhat - y) · w5 · x1" in out


def test_derive_expanded_and_latex(capsys):
    assert main(["derive", "2-1", "--wrt", "w1", "--expanded", "--format", "latex"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        r"\begin{aligned}",
        r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial w_{1}} \\",
        r"\frac{\partial L}{\partial \hat{y}} &= 2 \left(\hat{y} - y\right) \\",
        r"\frac{\partial \hat{y}}{\partial w_{1}} &= x_{1} \\",
        r"\frac{\partial L}{\partial w_{1}} &= 2 \left(\hat{y} - y\right) \cdot x_{1} \\",
        r" &= 2 x_{1} \left(w_{1} x_{1} + w_{2} x_{2} + b_{1} - y\right)",
        r"\end{aligned}",
    ]


def test_derive_markdown(capsys):
    assert main(["derive", "2-2-1", "--activation", "sigmoid", "--wrt", "w1,b1",
                 "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### ∂L/∂w1\n\n$$\n\\begin{aligned}")
    assert "### ∂L/∂b1" in out


def test_derive_a_template_collects_the_batch_as_one_sum(capsys):
    assert main(["derive", "--template", "batchnorm", "--wrt", "gamma"]) == 0
    assert capsys.readouterr().out == (
        "∂L/∂gamma = Σ_{i=1..4} ∂L/∂y[i] · ∂y[i]/∂gamma\n"
        "  ∂L/∂y[i] = g[i]\n"
        "  ∂y[i]/∂gamma = xhat[i]\n"
        "∂L/∂gamma = Σ_{i=1..4} g[i] · xhat[i]\n"
        "          = g1*xhat1 + g2*xhat2 + g3*xhat3 + g4*xhat4\n")


def test_derive_a_circuit_names_its_own_output(capsys):
    assert main(["derive", "--circuit", "q = x + y; f = q*z", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## circuit\n\n$$\n")
    assert [line for line in out.splitlines() if line.startswith("###")] == [
        "### ∂f/∂x", "### ∂f/∂y", "### ∂f/∂z"]


def test_chain(capsys):
    assert main(["chain", "m = x**2; z = m**2; y = z**2", "--wrt", "x"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "      = 8*x**7"


@pytest.mark.parametrize("argv, message", [
    (["derive", "--template", "rnn", "--layers"],
     "error: --layers and --convention derive a network's arrays; a circuit is derived node by "
     "node (leave them out)"),
    (["derive", "2--1"], "error: malformed architecture '2--1'; expected layer sizes like '2-2-1'"),
    (["derive", "0-1"], "error: malformed architecture '0-1'"),
    (["derive", "2-x-1"], "error: malformed architecture '2-x-1'"),
    (["derive", "3"], "error: malformed architecture '3'"),
    (["derive", "2-2-1", "--activation", "swish"],
     "error: unknown activation 'swish'; valid: linear, sigmoid, tanh, relu"),
    (["derive", "2-2-2-1", "--activation", "relu,tanh,relu"],
     "error: 3 activations given for 2 hidden layers"),
    (["derive", "2-2-1", "--loss", "hinge"], "error: unknown loss 'hinge'; valid: mse, half_sse, bce, cross_entropy"),
    (["derive", "2-2-1", "--loss", "cross_entropy"], "error: cross_entropy takes softmax outputs"),
    (["derive", "2-2-1", "--wrt", "w7"], "error: unknown name 'w7'; known names:"),
    (["derive", "2-2-1", "--format", "pdf"], "error: argument --format: invalid choice: 'pdf'"),
    (["derive", "2-2-1", "--bogus"], "error: unknown option --bogus (see symnet derive --help)"),
    (["derive"], "error: give a network's layer sizes like 2-2-1, or a circuit: --circuit \"q = x + y; f = q*z\""),
    ([], "error: choose a command: derive, train, check, chain"),
    (["chain", "m x**2", "--wrt", "x"], "error: 'm x**2' is not a definition; expected 'name = expression'"),
    (["chain", "m = x**2", "--wrt", "q"], "error: unknown name 'q'; known names: x, m"),
    (["chain", r"m = x^2; z = \sin(m)", "--wrt", "x"],
     "error: chain takes plain definitions like \"m = x**2; z = m**2\", not LaTeX (found "
     "'\\sin(m)')\n"),
    (["chain", r"z = \frac{x}{2}", "--wrt", "x"], "error: chain takes plain definitions like"),
    (["derive", "2-2-1", "--activation", "sigmod"],
     "error: unknown activation 'sigmod' (did you mean 'sigmoid'?); valid: linear, sigmoid"),
    (["derive", "2-2-1", "--activation", "RelU,tanh"], "error: 2 activations given for 1 hidden "
     "layer; give one activation"),
    (["derive", "2-2-1", "--loss", "mes"], "error: unknown loss 'mes' (did you mean 'mse'?); valid"),
    (["derive", "2-2-1", "--wrt", "W1"], "error: unknown name 'W1' (did you mean 'w1'?); known"),
    (["derive", "2-2-1", "--wrt", "YHAT"], "error: unknown name 'YHAT' (did you mean 'yhat'?)"),
    (["check", "2-2-1", "--wrt", "w1", "--activation", "tanhh", "1"],
     "error: unknown activation 'tanhh' (did you mean 'tanh'?)"),
    (["chain", "m = __import__(os)", "--wrt", "x"], "error: '__import__' is not accepted as a name"),
    (["derive", "2-2-1", "--wrt", ","], "error: --wrt names no parameter"),
    (["flow", "2-4-1", "--activation", ","], "error: give at least one activation to compare"),
    (["draw", "2-2-1", "-o", "net.png", "--seed", "-1"], "error: seed must be an integer from 0 to 2**63 - 1"),
])
def test_bad_input_gives_one_error_line_and_status_2(argv, message, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)
    assert captured.err.count("\n") == 1


def test_python_dash_m_is_the_same_program():
    done = subprocess.run([sys.executable, "-m", "symnet", "derive", "2--1"],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith("error: malformed architecture") and "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_one_error_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "symnet", "derive", "2-2-1"], stdout=full,
                              stderr=subprocess.PIPE, text=True)
    assert done.returncode == 2
    assert done.stderr == "error: cannot write the output: No space left on device\n"


def test_a_drawing_title_is_text_not_mathtext(tmp_path):
    assert main(["draw", "2-2-1", "-o", str(tmp_path / "net.svg"), "--title", "$x^$"]) == 0
    assert "$x^$" in (tmp_path / "net.svg").read_text()


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "derive" in capsys.readouterr().out


@pytest.mark.parametrize("name, known, hint", [
    ("sigmod", ["linear", "sigmoid", "tanh"], " (did you mean 'sigmoid'?)"),
    ("W1", ["w1", "w2", "W10"], " (did you mean 'w1'?)"),      # the other case before spelling
    ("Sigmoidd", ["linear", "sigmoid"], " (did you mean 'sigmoid'?)"),
    ("w9", ["w1", "b1"], ""),                                   # nothing near: no guess
    ("hinge", ["mse", "half_sse", "bce", "cross_entropy"], ""),
])
def test_an_unknown_name_suggests_the_nearest_known_one(name, known, hint):
    from symnet.errors import did_you_mean
    assert did_you_mean(name, known) == hint


def test_a_network_parameter_suggests_its_nearest_name():
    with pytest.raises(sn.SymnetError, match=r"^unknown parameter 'W5' \(did you mean 'w5'\?\); "
                                             "this network has: w1"):
        sn.Network("2-2-1").param("W5")


@pytest.mark.parametrize("command, option, words", [
    ("chain", "--wrt", "the variable to differentiate with respect to"),
    ("chain", "DEFINITIONS", "plain definitions (not LaTeX)"),
    ("quiz", "--variants", "at most 500"),
])
def test_help_explains_the_option(command, option, words, capsys):
    assert main([command, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert words in out[out.rindex(option):]


_COMMANDS = ["derive", "train", "check", "chain", "worksheet", "flow", "activations", "draw",
             "predict", "quiz", "grade"]


@pytest.mark.parametrize("argv", [["-h", "derive"], ["--help", "check"], ["--debug", "-h", "train"],
                                  ["-h"], ["--help", "grade", "x.csv"]])
def test_help_before_a_command_lists_every_command(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert all(f"    {name}" in out for name in _COMMANDS), out


@pytest.mark.parametrize("argv", [["--", "derive", "2-2-1"], ["dervie", "2-2-1"]])
def test_an_unknown_command_lists_every_command(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert all(repr(name) in err for name in _COMMANDS), err
