"""The layers courses assign, written as lectures write them (issue 20): names with several
indices printed x_{1,2}; the shared filter's, the attention's and BPTT's gradients collected as
Σ over positions, tokens and time steps with the general term once; batch norm's dx in the one
line students are taught."""

import symnet as sn


def test_a_name_with_two_indices_prints_them_separated_and_reads_back():
    conv = sn.template("conv2d")
    assert sn.latex(conv.symbol("x1_2")) == "x_{1,2}"
    assert sn.latex(sn.template("rnn", hidden=2).symbol("W_hh1_2")) == "{W_{hh}}_{1,2}"
    assert sn.latex(sn.template("conv2d", channels=2).symbol("x2_1_3")) == "x_{2,1,3}"
    # one index, or an underscore before it, prints as before
    assert sn.latex(conv.symbol("b")) == "b" and sn.latex(sn.parse_expression("x1")) == "x_{1}"
    # what the text prints is what a student types back
    d = conv.derive("x2_2")
    assert sn.text(d.result) == "g1_1*w2_2 + g1_2*w2_1 + g2_1*w1_2 + g2_2*w1_1"
    assert sn.check(conv, "x2_2", sn.text(d.result)).correct
    assert sn.latex(d.result).startswith("g_{1,1} w_{2,2} + g_{1,2} w_{2,1}")
