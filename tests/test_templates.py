"""The layers courses assign, as circuits (issue 20): the registry, by name in Python and with
``--template`` on the command line, each template's graph in the lecture's order, and the
published numbers against oracles that share no code with symnet."""

import pytest

import symnet as sn
from symnet.cli import main


def test_every_template_is_a_circuit_by_name():
    for name in sn.TEMPLATES:
        assert isinstance(sn.template(name), sn.Circuit)


def test_batch_norm_names_its_steps_in_the_order_of_the_staged_graph():
    bn = sn.template("batchnorm", m=4)
    names = [str(s) for s in bn.definitions]
    assert names[:6] == ["mu", "d1", "d2", "d3", "d4", "var"]
    assert names[6:8] == ["std", "xhat1"] and names[-1] == "L"
    assert sn.text(bn.definitions[bn.symbol("var")]) == "(d1**2 + d2**2 + d3**2 + d4**2)/4"
    bessel = sn.template("batchnorm", m=4, bessel=True)
    assert sn.text(bessel.definitions[bessel.symbol("var")]) == "(d1**2 + d2**2 + d3**2 + d4**2)/3"
    assert sn.template("batchnorm", m=2, eps="eps").symbol("eps") in sn.template(
        "batchnorm", m=2, eps="eps").inputs


def test_an_unknown_template_or_option_is_one_clear_line():
    with pytest.raises(sn.UnknownNameError, match="unknown template 'batchnrom'.*batchnorm"):
        sn.template("batchnrom")
    with pytest.raises(sn.SymnetError, match="template 'batchnorm' has no option 'n'.*m, bessel"):
        sn.template("batchnorm", n=4)
    with pytest.raises(sn.SymnetError, match="m \\(the batch\\) is 99; at most 8"):
        sn.template("batchnorm", m=99)
    with pytest.raises(sn.SymnetError, match="eps must be 0 or more"):
        sn.template("layernorm", eps=-1)


def test_the_command_line_takes_a_template_with_options(capsys):
    assert main(["check", "--template", "softmax_ce:k=3,target=3", "--wrt", "z3", "p3 - 1"]) == 0
    assert capsys.readouterr().out.startswith("correct: p3 - 1 equals ∂L/∂z3")
    assert main(["check", "--template", "batchnorm:m=4,bessel=yes", "--wrt", "x1", "1"]) == 2
    assert "bessel must be true or false, got 'yes'" in capsys.readouterr().err
    assert main(["check", "--template", "affine", "--circuit", "q = x", "--wrt", "x", "1"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["check", "2-1", "--template", "affine", "--wrt", "x1", "1"]) == 2
