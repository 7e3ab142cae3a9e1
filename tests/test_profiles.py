"""Notation profiles: a derivation printed in Nielsen's, Ng's or Mazur's names, and answers
read in any of them where the name is unambiguous."""

import pytest

import symnet as sn
from symnet import cli
from symnet.parse.profiles import NOTATIONS

NET = sn.Network("2-2-1", activation="sigmoid")


@pytest.mark.parametrize("answer", [
    "2(yhat - y) w5 a1 (1 - a1) x1",                  # Nielsen's and Ng's a, counted as N is
    "2(ŷ − y) w5 σ(z1)(1 − σ(z_1)) x1",
    "2(o1 - y) w5 out_h1 (1 - out_h1) x1",            # Mazur's
    "2(out_o1 - y) w5 sigmoid(net_h1)(1 - sigmoid(net_h1)) x1",
    "∂E_total/∂w1 = 2(yhat - y) w5 h1 (1 - h1) x1",
])
def test_the_books_names_are_read(answer):
    assert sn.check(NET, "w1", answer).correct


def test_a_near_miss_in_the_books_names_is_judged_wrong():
    result = sn.check(NET, "w1", "2(o1 - y) w5 out_h1 (1 - out_h1) x2")
    assert not result.correct


def test_a_name_this_network_does_not_have_is_mapped_in_the_hint():
    with pytest.raises(sn.ParseError, match="z_5 would be number 5 of this network's weighted "
                                            "sums, which has 3"):
        sn.check(NET, "w1", "z_5 x1")


def test_the_seeds_2_over_n_is_told_that_L_is_one_samples_loss():
    with pytest.raises(sn.ParseError) as info:
        sn.check(NET, "w5", "(2/n)(yhat - y) h1")
    assert "L here is one sample's loss" in str(info.value)
    assert "did you mean ln" not in str(info.value)


def test_a_derivation_prints_in_each_books_names():
    assert str(sn.Network("2-2-1", activation="sigmoid", notation="nielsen").derive("w1")) \
        .splitlines()[0] == "∂C/∂w1 = ∂C/∂a^3_1 · ∂a^3_1/∂a^2_1 · ∂a^2_1/∂z^2_1 · ∂z^2_1/∂w1"
    mazur = sn.Network("2-2-1", activation="sigmoid", notation="mazur").derive("w1")
    assert str(mazur).splitlines()[-1] == \
        "∂E_total/∂w1 = 2*(out_o1 - y) · w5 · sigmoid(net_h1)*(1 - sigmoid(net_h1)) · x1"
    assert r"\frac{\partial E_{total}}{\partial net_{h1}}" not in mazur.latex()  # not on the path
    assert r"\frac{\partial out_{h1}}{\partial net_{h1}}" in mazur.latex()
    ng = sn.Network("2-2-1", activation="sigmoid", notation="ng")
    assert "∂a^[1]_1/∂z^[1]_1 = sigmoid(z^[1]_1)*(1 - sigmoid(z^[1]_1))" in str(ng.derive("w1"))
    assert str(ng.derive_layers()).splitlines()[3] == "dZ2 = 2*(Z2 - Y)"
    assert ng.derive("w1").result == NET.derive("w1").result  # only the printing differs


def test_an_unknown_notation_is_refused_and_a_known_one_is_in_the_repr():
    with pytest.raises(sn.SymnetError, match="unknown notation 'goodfellow'; valid: seed, "
                                             "nielsen, ng, cs231n, mazur"):
        sn.Network("2-2-1", notation="goodfellow")
    assert repr(sn.Network("2-2-1", notation="ng")).endswith("notation='ng')")


def test_notation_on_the_command_line(capsys):
    assert cli.NOTATIONS == NOTATIONS
    assert cli.main(["derive", "2-2-1", "--activation", "sigmoid", "--wrt", "w1",
                     "--notation", "mazur"]) == 0
    assert capsys.readouterr().out.startswith("∂E_total/∂w1 = ∂E_total/∂out_o1")
    assert cli.main(["check", "2-2-1", "--activation", "sigmoid", "--notation", "nielsen",
                     "--wrt", "w5", "2(a3 - y) a1"]) == 0


def test_worksheets_quizzes_and_drawings_print_the_books_names():
    net = sn.Network("2-2-1", activation="sigmoid", notation="mazur")
    sheet = sn.worksheet(net, seed=1, wrt=["w1"]).markdown()
    assert r"out_{h1} &= \sigma\left(net_{h1}\right)" in sheet and "N_{1}" not in sheet
    exam = sn.quiz(net, variants=1).render(".tex")[0][1]
    assert r"\frac{\partial E_{total}}{\partial w_{1}} &= \boxed" in exam and "N_{1}" not in exam
    assert r"E_{total} &= \boxed" in exam and r"L &= \boxed" not in exam
    svg = sn.draw(net).to_bytes("svg").decode()
    assert ">net_h1<" in svg and ">out_o1<" in svg


def test_a_worksheet_of_several_samples_names_each_samples_loss_in_the_books_names():
    net = sn.Network("2-2-1", activation="sigmoid", notation="mazur")
    sheet = sn.worksheet(net, seed=1, wrt=["w1"], at=[{"x1": 1, "x2": 2, "y": 1},
                                                     {"x1": 0, "x2": 1, "y": 0}]).markdown()
    assert r"E_{total} &= \frac{1}{n} \sum_{i=1}^{n} {E_{total}}_{i}" in sheet
    assert r"\frac{\partial {E_{total}}_{2}}{\partial w_{1}} &=" in sheet
    assert "L_{" not in sheet and "E_{total}_{" not in sheet  # no double subscript


@pytest.mark.parametrize("answer", [
    r"2(\hat{y}-y) w_5 a^{[1]}_{1}(1-a^{[1]}_{1}) x_1",      # Ng, LaTeX; a^{[2]} is the output
    r"2(a^{[2]}-y) w_5 \sigma(z^{[1]}_{1})(1-\sigma(z^{[1]}_{1})) x_1",
    "2(a^3_1 - y) w5 a^2_1 (1 - a^2_1) x1",                  # Nielsen: the input layer is 1
])
def test_the_books_layer_indexed_names_are_read(answer):
    assert sn.check(NET, "w1", answer).correct


def test_a_written_derivation_reads_the_books_names_too():
    report = sn.check_derivation(NET, "w5", "∂E_total/∂w5 = ∂E_total/∂yhat · ∂yhat/∂w5\n"
                                            "= 2(o1 - y) out_h1\n= 2(a^{[2]} - y) a^{[1]}_{1}")
    assert report.correct, str(report)
