"""The mistake engine: every kind of slip, with an answer that triggers it and a near miss that
must not, the student's own names in the sentences, partial credit, and softmax with
cross-entropy judged as textbooks write it."""

import json

import pytest
import sympy as sp

import symnet as sn
from symnet.checking.engine import _divides, diagnose
from symnet.checking.evaluation import points
from symnet.checking.slips import DETECTORS
from symnet.cli import main

SEED = sn.Network("2-2-1")
SIGMOID = sn.Network("2-2-1", activation="sigmoid")
TANH = sn.Network("2-2-1", activation="tanh")
BCE = sn.Network("2-1", output_activation="sigmoid", loss="bce")
TWO_OUT = sn.Network("2-2-2")
SOFTMAX = sn.Network("2-2-2", loss="cross_entropy")
DEEP_LINEAR = sn.Network("1-2-2-1")
RNN = sn.template("rnn", steps=3)
CONV = sn.template("conv2d")  # a 3×3 input, a 2×2 filter
POOL = sn.template("maxpool", height=2, width=2)
# BPTT for RNN's W_hh: δ_t = ∂L/∂a_t, from the last step back
D3 = "g3*W_hy*(1 - h3**2)"
D2 = f"(g2*W_hy + {D3}*W_hh)*(1 - h2**2)"
D1 = f"(g1*W_hy + {D2}*W_hh)*(1 - h1**2)"

# kind, net, wrt, an answer with exactly that slip, the start of its diagnosis, a near miss
SLIPS = [
    ("activation for its derivative", SIGMOID, "w1", "2*(yhat - y)*w5*h1*x1",
     "you used h1 where its derivative ∂h1/∂N1 = h1*(1 - h1) belongs",
     "2*(yhat - y)*w5*h2*x1"),
    ("cancelled factor kept", BCE, "w1", "(yhat - y)*sigma(N1)*(1 - sigma(N1))*x1",
     "you kept the factor ∂yhat/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)), which bce cancels: "
     "∂L/∂yhat · ∂yhat/∂N1 = yhat - y",
     "(yhat - y)*sigma(N1)*x1"),
    ("dropped factor", SIGMOID, "w1", "2*(yhat - y)*w5*x1",
     "you left out the factor ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1))",
     "2*(yhat - y)*w5*x1*x2"),
    ("neighbouring symbol", SEED, "w1", "2*(yhat - y)*w6*x1",
     "you used w6 where w5 belongs: ∂yhat/∂N1 = w5",
     "2*(yhat - y)*w3*x1"),
    ("neighbouring symbol", SEED, "w5", "2*(yhat - y)*N2",
     "you used N2 where N1 belongs: ∂yhat/∂w5 = N1",
     "2*(yhat - y)*N2*x2"),
    ("weighted sum for output", SIGMOID, "w5", "2*(yhat - y)*N1",
     "you used N1 where h1 belongs: ∂yhat/∂w5 = h1, the neuron's output",
     "2*(yhat - y)*N1*h1"),
    ("another activation's derivative", TANH, "w1",
     "2*(yhat - y)*w5*sigma(N1)*(1 - sigma(N1))*x1",
     "you used sigmoid's derivative sigmoid(N1)*(1 - sigmoid(N1)) for ∂h1/∂N1, but h1 = tanh(N1), "
     "whose derivative is 1 - tanh(N1)**2",
     "2*(yhat - y)*w5*sigma(N1)*(1 - sigma(N2))*x1"),
    ("another activation's derivative", TANH, "w1", "2*(yhat - y)*w5*h1*(1 - h1)*x1",
     "you used sigmoid's derivative h1*(1 - h1) for ∂h1/∂N1, but h1 = tanh(N1), whose "
     "derivative is 1 - h1**2",
     "2*(yhat - y)*w5*h1*(1 - h2)*x1"),
    ("doubled factor", SIGMOID, "w1", "2*(yhat - y)*w5*(h1*(1 - h1))**2*x1",
     "you used the factor ∂h1/∂N1 = h1*(1 - h1) twice",
     "2*(yhat - y)*w5*(h1*(1 - h1))**3*x1"),
    ("sign of the loss's derivative", TWO_OUT, "w1", "2*(y1 - yhat1)*w5*x1 + 2*(yhat2 - y2)*w7*x1",
     "the sign of ∂L/∂yhat1 is off: it is 2*(yhat1 - y1)",
     "2*(y1 - yhat1)*w5*x1 + 2*(yhat2 - y2)*w8*x1*x2"),
    ("input factor on a bias", SIGMOID, "b1", "2*(yhat - y)*w5*h1*(1 - h1)*x1",
     "a bias has no input: ∂N1/∂b1 = 1, but your answer has the extra factor x1",
     "2*(yhat - y)*w5*h1*(1 - h1)*w1"),
    ("fork's gradients not added", SEED, "x1", "2*(yhat - y)*w5*w1",
     "x1 is used by N1 and N2, and its gradient adds the paths through each: your answer misses "
     "the path through N2",
     "2*(yhat - y)*w5*w1*x1"),
    ("dropped path", DEEP_LINEAR, "x1", "2*(yhat - y)*(w7*w4*w2 + w8*w5*w1)",
     "your answer has the paths through N3 then N2, N4 then N1 but misses the paths through "
     "N3 then N1, N4 then N2",
     "2*(yhat - y)*(w7*w4*w2 + w8*w5*w1*x1)"),
    ("path through the wrong neuron", SIGMOID, "w1", "2*(yhat - y)*w6*h2*(1 - h2)*x1",
     "you took the path through N2 instead of the path through N1",
     "2*(yhat - y)*w6*h2*(1 - h1)*x1"),
    ("added path", SEED, "w1", "2*(yhat - y)*(w5 + w6)*x1",
     "your answer adds a path through N2, which does not lead to w1",
     "2*(yhat - y)*(w5 + w6)*x1*x2"),
    ("cancelled factor kept", SOFTMAX, "w5", "(yhat1 - y1)*yhat1*(1 - yhat1)*N1",
     "you kept the factor ∂yhat1/∂N3 = yhat1*(1 - yhat1), which cross_entropy cancels: "
     "∂L/∂yhat1 · ∂yhat1/∂N3 = yhat1 - y1",
     "(yhat1 - y1)*yhat1*N1"),
    ("sign in the activation's derivative", SIGMOID, "w1", "2*(yhat - y)*w5*h1*(1 + h1)*x1",
     "a sign in the activation's derivative is off: ∂h1/∂N1 = h1*(1 - h1), not h1*(h1 + 1)",
     "2*(yhat - y)*w5*h1*(2 + h1)*x1"),
    ("square dropped from the activation's derivative", TANH, "w1", "2*(yhat - y)*w5*(1 - h1)*x1",
     "the activation's derivative has a square: ∂h1/∂N1 = 1 - h1**2, not 1 - h1",
     "2*(yhat - y)*w5*(1 - h1**3)*x1"),
    ("weighted sum inside the activation's derivative", SIGMOID, "w1",
     "2*(yhat - y)*w5*N1*(1 - N1)*x1",
     "the derivative takes the activation's value, not the sum: "
     "∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)), not N1*(1 - N1)",
     "2*(yhat - y)*w5*N2*(1 - N1)*x1"),
    ("time step missing in BPTT", RNN, "W_hh", f"{D3}*h2 + {D1}*h0",
     "W_hh is shared by the 3 time steps, and its gradient sums over them: your answer misses "
     "step 2 (through a2)", f"{D3}*h2 + {D1}*h0*x1"),
    ("filter not flipped", CONV, "x2_2", "g1_1*w1_1 + g1_2*w1_2 + g2_1*w2_1 + g2_2*w2_2",
     "the input's gradient is the upstream gradient convolved with the filter turned by 180°, "
     "and your answer turns it not once (not at all, or twice): it has w1_1 where w2_2 belongs, "
     "w1_2 where w2_1 belongs, w2_1 where w1_2 belongs and w2_2 where w1_1 belongs",
     "g1_1*w1_1 + g1_2*w1_2 + g2_1*w2_1 + g2_2*w2_1"),
    ("max gradient sent to every input", POOL, "x1_2", "g1_1",
     "max gives all of the gradient to its largest input only, not to every input: ∂p1_1/∂x1_2 "
     "= Heaviside(x1_2 - x1_1, 0)*Heaviside(x1_2 - x2_1, 1)*Heaviside(x1_2 - x2_2, 1), not 1",
     "g1_1*x1_2"),
    ("constant factor", SEED, "w5", "(yhat - y)*N1",
     "your answer is 1/2 of ∂L/∂w5: did you differentiate ½(y − ŷ)² instead of (y − ŷ)²?",
     "(yhat - y)*N1 + N1"),
]


@pytest.mark.parametrize("kind, net, wrt, answer, sentence, near", SLIPS,
                         ids=[f"{row[0]}-{row[2]}" for row in SLIPS])
def test_each_slip_is_named_and_a_near_miss_is_not(kind, net, wrt, answer, sentence, near):
    hit = sn.check(net, wrt, answer)
    assert not hit.correct and hit.slips == [kind], hit.diagnosis
    assert hit.diagnosis == [sentence]
    miss = sn.check(net, wrt, near)
    assert not miss.correct
    assert kind not in miss.slips and sentence not in miss.diagnosis, miss.diagnosis


# the slips of a computational graph's gates: kind, definitions, wrt, an answer with the slip,
# its diagnosis, a near miss
GATE_SLIPS = [
    ("max routed to the smaller input", "a = x*y; m = max(z, w); s = a + m; f = 2*s", "z",
     "2*[w >= z]",
     "max gives all of the gradient to the larger input: ∂m/∂z = Heaviside(z - w, 1), "
     "not Heaviside(w - z, 1)", "2*[w >= z]*z"),
    ("multiply gate not swapped", "q = x + y; f = q*z", "x", "q",
     "a multiply gate gives each input the gradient times the other input: ∂f/∂q = z, not q",
     "q*x"),
    ("add gate splitting", "q = x + y; r = x*y; f = q*r", "x", "r/2 + q*y",
     "an add gate passes the whole gradient on to each input, it does not split it: "
     "∂q/∂x = 1, not 1/2", "r/3 + q*y"),
    ("fork's gradients not added", "c = a + b; d = a*b; e = c + d; f = c*d; y = e + f", "a",
     "1 + d", "a is used by c and d, and its gradient adds the paths through each: your answer "
     "misses the paths through d", "2 + d + b"),
]


def diagnosis_on_graph(definitions, wrt, answer):
    """The engine's diagnosis of ``answer`` for ∂/∂wrt of the graph's last definition."""
    graph = sn.Graph(sn.parse_definitions(definitions))
    derivation = sn.Derivation(graph, graph.symbol(wrt))
    expr = sn.parse_expression(answer, names=graph.symbols)
    return diagnose(graph, derivation, expr, points(graph, 0))


@pytest.mark.parametrize("kind, definitions, wrt, answer, sentence, near", GATE_SLIPS,
                         ids=[row[0] for row in GATE_SLIPS])
def test_each_gate_slip_is_named_and_a_near_miss_is_not(kind, definitions, wrt, answer, sentence,
                                                        near):
    hit = diagnosis_on_graph(definitions, wrt, answer)
    assert [s.kind for s in hit.slips] == [kind] and hit.sentences == [sentence]
    miss = diagnosis_on_graph(definitions, wrt, near)
    assert kind not in [s.kind for s in miss.slips] and sentence not in miss.sentences


# the slips of the layers courses assign (issue 20): kind, template, wrt, an answer with the
# slip, its diagnosis, a near miss
LAYER_SLIPS = [
    # ∂L/∂γ = Σ g_i x̂_i; with n − 1 = 1 for n = 2, x̂_i = d_i/√(d1² + d2²)
    ("n for n − 1 in the variance", sn.template("batchnorm", m=2), "gamma",
     "(g1*d1 + g2*d2)/sqrt(d1**2 + d2**2)",
     "you divided var by n − 1 = 1 (Bessel's correction) where this variance divides by n = 2",
     "(g1*d1 + g2*d2)/sqrt(d1**2 + d2**2 + 1)"),
    ("n for n − 1 in the variance", sn.template("batchnorm", m=3, bessel=True), "gamma",
     "(g1*d1 + g2*d2 + g3*d3)/sqrt((d1**2 + d2**2 + d3**2)/3)",
     "you divided var by n = 3 where Bessel's n − 1 = 2 belongs",
     "(g1*d1 + g2*d2 + g3*d3)/sqrt((d1**2 + d2**2 + d3**2)/4)"),
    ("−p instead of p − 1 for the target class", sn.template("softmax_ce", k=3, target=2), "z2",
     "-p2", "z2 is the target class's logit: ∂L/∂z2 = p2 − 1, not −p2", "-p1"),
]


@pytest.mark.parametrize("kind, net, wrt, answer, sentence, near", LAYER_SLIPS,
                         ids=[f"{row[0]}-{row[2]}" for row in LAYER_SLIPS])
def test_each_layer_slip_is_named_and_a_near_miss_is_not(kind, net, wrt, answer, sentence, near):
    test_each_slip_is_named_and_a_near_miss_is_not(kind, net, wrt, answer, sentence, near)


def test_every_registered_detector_has_a_case():
    assert {d.kind for d in DETECTORS} == {row[0] for row in SLIPS + GATE_SLIPS + LAYER_SLIPS}


def test_two_slips_at_once_are_named_together():
    result = sn.check(SEED, "w1", "(yhat - y)*w6*x1")
    assert result.slips == ["neighbouring symbol", "constant factor"]
    assert result.diagnosis == ["two slips: you used w6 where w5 belongs: ∂yhat/∂N1 = w5; and your "
                                "answer is 1/2 of ∂L/∂w1: did you differentiate ½(y − ŷ)² instead "
                                "of (y − ŷ)²?"]


@pytest.mark.parametrize("answer, sentence", [
    ("2*(yhat - y)*w5*h1*x1", "you used h1 where its derivative ∂h1/∂N1 = h1*(1 - h1) belongs"),
    ("2*(yhat - y)*w5*sigmoid(N1)*x1",
     "you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) belongs"),
    ("2*(yhat - y)*w5*sigmoid(N1)**2*(1 - sigmoid(N1))**2*x1",
     "you used the factor ∂h1/∂N1 = sigmoid(N1)*(1 - sigmoid(N1)) twice"),
])
def test_diagnoses_use_the_students_own_names(answer, sentence):
    assert sn.check(SIGMOID, "w1", answer).diagnosis == [sentence]


def test_an_unknown_slip_says_so_and_which_factors_agree():
    result = sn.check(SIGMOID, "w1", "2*yhat*w5*x1*h1")
    assert result.slips == []
    assert result.diagnosis[-1] == (
        "it is not one of the known slips; these factors agree with the chain rule: "
        "∂yhat/∂h1 = w5, ∂N1/∂w1 = x1; these do not appear in your answer: "
        "∂L/∂yhat = 2*(yhat - y), ∂h1/∂N1 = h1*(1 - h1)")
    assert result.credit == pytest.approx(2 / 5, abs=1e-4)


@pytest.mark.parametrize("net, wrt, answer, credit", [
    (SEED, "w5", "2*(yhat - y)*N1", 1),
    (SEED, "w5", "(yhat - y)*N1", 2 / 3),  # 1 path, 2 factors: ∂L/∂ŷ is off by ½
    (SEED, "x1", "0", 0),
    (SEED, "x1", "2*(yhat - y)*w5*w1", 4 / 7),  # 2 paths, 5 factors: one path and its 2 own factors
    (SIGMOID, "w1", "2*(yhat - y)*w5*x1", 4 / 5),
    (SIGMOID, "w1", "2*(yhat - y)*w6*h2*(1 - h2)*x1", 2 / 5),  # the path, ∂ŷ/∂h and ∂h/∂N
])
def test_partial_credit_is_the_share_of_right_paths_and_factors(net, wrt, answer, credit):
    assert sn.check(net, wrt, answer).credit == pytest.approx(credit, abs=1e-4)


def test_json_verdict(capsys):
    assert main(["check", "2-2-1", "--wrt", "w5", "--json", "(yhat - y)*N1"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["correct"] is False and verdict["credit"] == pytest.approx(2 / 3, abs=1e-4)
    assert verdict["diagnosis"][0].startswith("your answer is 1/2 of ∂L/∂w5")
    assert verdict["counterexample"]["expected"] == pytest.approx(
        2 * verdict["counterexample"]["answer"])
    assert main(["check", "2-2-1", "--wrt", "w5", "2*(yhat - y)*N1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["credit"] == 1


def test_the_cli_shows_the_credit(capsys):
    assert main(["check", "2-2-1", "--wrt", "w5", "(yhat - y)*N1"]) == 1
    assert "  credit: 0.67 (the share of the chain's paths and factors that are right)" in \
        capsys.readouterr().out


def test_delta_symbols_stand_for_their_derivatives():
    delta = sp.Symbol("delta_N1")  # what the notation parser gives for δ1, \delta_1, ∂L/∂N1
    assert sn.check(SIGMOID, "w1", delta * x1()).correct
    assert sn.check(SIGMOID, "w1", sp.Symbol("delta_1") * x1()).correct
    assert not sn.check(SIGMOID, "w1", delta * sp.Symbol("x2")).correct


def x1():
    return sp.Symbol("x1")


# ------------------------------------------------------------------ softmax and cross-entropy

def test_softmax_cross_entropy_delta_is_yhat_minus_y():
    yhat1, y1, N1 = sp.symbols("yhat1 y1 N1")
    assert SOFTMAX.derive("N3").result == yhat1 - y1
    assert SOFTMAX.derive("w5").result == N1 * (yhat1 - y1)
    assert SOFTMAX.derive("w5").assumption == "the targets sum to 1: y1 + y2 = 1"
    assert str(SOFTMAX.derive("w5")).endswith("  (assuming the targets sum to 1: y1 + y2 = 1)")
    assert SEED.derive("w5").assumption is None


def test_check_points_draw_targets_that_sum_to_one():
    for values in points(SOFTMAX, seed=3, n=5):
        assert values[sp.Symbol("y1")] + values[sp.Symbol("y2")] == 1
        assert values[sp.Symbol("y1")] > 0


@pytest.mark.parametrize("answer", [
    "(yhat1 - y1)*N1",
    "N1*(y1*yhat1 - y1 + y2*yhat1)",  # the chain rule's sum before Σy = 1 is used
    r"(\hat{y}_1 - y_1) N_1",
])
def test_the_textbook_softmax_answer_is_correct(answer):
    assert sn.check(SOFTMAX, "w5", answer).correct


def test_a_softmax_slip_is_still_caught():
    result = sn.check(SOFTMAX, "w5", "(y1 - yhat1)*N1")
    assert not result.correct and result.diagnosis[0].startswith("sign error")


def test_a_softmax_diagnosis_agrees_only_with_factors_the_answer_has_in_their_names():
    net = sn.Network("2-2-2", activation="sigmoid", loss="cross_entropy")
    result = sn.check(net, "w1", "(yhat1 - y1)*w5*x1*h1 + yhat2*w7*x1")
    assert result.slips == []
    assert result.diagnosis[-1] == (
        "it is not one of the known slips; these factors agree with the chain rule: "
        "∂L/∂N3 = yhat1 - y1, ∂N3/∂h1 = w5, ∂N1/∂w1 = x1, ∂N4/∂h1 = w7; these do not appear in "
        "your answer: ∂h1/∂N1 = h1*(1 - h1), ∂L/∂N4 = yhat2 - y2; 0 of the 2 paths agree")


def test_the_counterexample_is_a_point_where_the_derivative_is_not_zero():
    # ∂L/∂w1 = x1·σ'(N1)·(w5(ŷ1 − y1) + w7(ŷ2 − y2)) is exactly 0 where w5 = w7, as at the
    # first check point of seed 0 (ŷ1 + ŷ2 = y1 + y2 = 1)
    net = sn.Network("2-2-2", activation="sigmoid", loss="cross_entropy")
    w5, w7 = sp.symbols("w5 w7")
    first = points(net, 0)[0]
    assert first[w5] == first[w7]
    result = sn.check(net, "w1", "(yhat1 - y1)*w5*h1*(1 - h1)*x1")
    assert abs(result.counterexample["expected"]) > 0.1


def test_a_softmax_output_is_shown_by_its_name_never_by_the_internal_call():
    net = sn.Network("2-2-2", output_activation="softmax", loss="mse")
    diagnosis = " ".join(sn.check(net, "w1", "2*(yhat1 - y1)*w5*x1 + w7*x1").diagnosis)
    assert "∂yhat1/∂N4 = -yhat1*yhat2" in diagnosis and "softmax(" not in diagnosis


def test_a_factor_with_a_denominator_agrees_only_with_an_answer_that_has_it():
    # −y1/ŷ1 does not divide (ŷ1 − y1)·N1: a quotient agrees only where its denominator is
    y1, yhat1, N1 = sp.symbols("y1 yhat1 N1")
    assert not _divides(-y1 / yhat1, (yhat1 - y1) * N1)
    assert _divides(-y1 / yhat1, -y1 * N1 / yhat1)


def test_partials_in_an_answer_stand_for_their_values():
    L, yhat, N1 = sp.symbols("L yhat N1")
    assert sn.check(SEED, "w5", sn.Partial(L, yhat) * N1).correct  # ∂L/∂ŷ · N1
    assert not sn.check(SEED, "w5", sn.Partial(L, yhat) * sp.Symbol("N2")).correct


# ------------------------------------------------- extra factors and terms, activation hints

@pytest.mark.parametrize("answer, credit", [
    ("2*(yhat - y)*w5*x1*x2", 4 / 5),  # 3 factors and 1 path right, 1 extra factor
    ("2(ŷ-y) w5 x1 (1+x2)", 4 / 5),
    ("2(ŷ-y) w5 x1 + 1", 4 / 5),  # an extra term on top of the derivative
    ("2*(yhat - y)*w5*x1/x2", 4 / 5),  # a factor the derivative lacks, below the line
    ("2*(yhat - y)*w6*x1*x2", 2 / 5),  # w6 replaces w5 (its path goes too), x2 is extra
    ("2*(yhat - y)*w5*x1", 1),  # the near miss: right, full credit
])
def test_an_extra_factor_or_term_is_a_wrong_item(answer, credit):
    result = sn.check(SEED, "w1", answer)
    assert result.credit == pytest.approx(credit, abs=1e-4)
    assert result.correct == (credit == 1)


@pytest.mark.parametrize("net, wrt, answer", [(net, wrt, answer) for _, net, wrt, answer, _, near
                                              in SLIPS for answer in (answer, near)] + [
    (SEED, "w1", "2*(yhat - y)*w5*x1*(1 + x2)"), (SEED, "w1", "2*(yhat - y)*w5*x1 + 1"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*h1*(1 - h1)*x1*w5"), (SEED, "x1", "2*(yhat - y)*(w5*w1 + w6*w3)*x2"),
])
def test_every_wrong_answer_scores_below_one(net, wrt, answer):
    result = sn.check(net, wrt, answer)
    assert not result.correct and result.credit < 1, result.message


@pytest.mark.parametrize("net, wrt, answer, sentence", [
    (SEED, "w1", "2*(yhat - y)*w5*x1*x2", "your answer has an extra factor x2"),
    (SEED, "w1", "2(ŷ-y) w5 x1 (1+x2)", "your answer has an extra factor (x2 + 1)"),
    (SEED, "w5", "2*(yhat - y)*N1*N2", "your answer has an extra factor N2"),
    (SEED, "w1", "-2*(yhat - y)*w5*x1*x2", "your answer has an extra factor x2; a constant factor -1 "
     "is off too"),
    (SEED, "w1", "2*(yhat - y)*w5*x1/x2", "your answer misses the factor x2"),
    (SIGMOID, "w1", "2*(yhat - y)*w5*(1 - h1)*x1", "your answer misses the factor h1"),
    (SEED, "w5", "2|ŷ - y| N1",
     "your answer has an extra factor abs(y - yhat) and misses the factor (yhat - y)"),
    (SEED, "w1", "2*(yhat - y)*w6*x1*x2",
     "your answer has the extra factors w6 and x2 and misses the factor w5"),
    # near misses: differences that are terms are still called terms
    (SEED, "w1", "2(ŷ-y) w5 x1 + 1", "your answer has an extra term 1"),
    (SEED, "w1", "2*(yhat - y)*w5*(x1 + x2)", "your answer has an extra term 2*w5*x2*(yhat - y)"),
    (SEED, "w1", "2*(yhat - y)*w5*x1 + x2", "your answer has an extra term x2"),
])
def test_a_product_off_by_factors_is_described_in_factors(net, wrt, answer, sentence):
    result = sn.check(net, wrt, answer)
    assert result.slips == [] and result.diagnosis[0] == sentence, result.diagnosis


@pytest.mark.parametrize("answer, missing", [
    ("2(ŷ-y) w5 x1 + 1", ""),  # ∂L/∂ŷ = 2(ŷ − y) is there, in the first term as written
    ("2*yhat*w5*x1 - 2*y*w5*x1 + 1", ""),  # and multiplied out
    ("2(ŷ+y) w5 x1 + 1", "; these do not appear in your answer: ∂L/∂yhat = 2*(yhat - y)"),
])
def test_a_factor_in_one_term_of_a_sum_appears_in_the_answer(answer, missing):
    assert sn.check(SEED, "w1", answer).diagnosis[-1].endswith(
        ("∂N1/∂w1 = x1" + missing) if missing else "∂yhat/∂N1 = w5, ∂N1/∂w1 = x1")


@pytest.mark.parametrize("net, answer, hint", [
    (SEED, "2(ŷ-y) w5 σ'(N1) x1", "did you mean activation='sigmoid'?"),
    (SEED, "2(ŷ-y) w5 σ(N1) x1", "did you mean activation='sigmoid'?"),
    (SEED, "2(ŷ-y) w5 tanh'(N1) x1", "did you mean activation='tanh'?"),
    (SEED, "2(ŷ-y) w5 relu'(N1) x1", "did you mean activation='relu'?"),
    (SIGMOID, "2(ŷ-y) w5 tanh(N1) x1", None),  # sigmoid's net: says so, with what was written
    (SIGMOID, "2(ŷ-y) w5 σ(N1) x1", None),  # the near miss: its own activation, no hint
    (SEED, "2(ŷ-y) w6 x1", None),
])
def test_an_activation_the_layer_lacks_gets_a_hint(net, answer, hint):
    sentences = [d for d in sn.check(net, "w1", answer).diagnosis if "activation is" in d]
    if net is SIGMOID and "tanh" in answer:
        assert sentences == ["this network's hidden activation is sigmoid; did you mean "
                             "activation='tanh'?"]
    elif hint is None:
        assert sentences == []
    else:
        assert sentences == [f"this network's hidden activation is linear (the default); {hint}"]


def test_the_command_line_names_the_option(capsys):
    assert main(["check", "2-2-1", "--wrt", "w1", "2(ŷ-y) w5 σ'(N1) x1"]) == 1
    out = capsys.readouterr().out
    assert "  diagnosis: this network's hidden activation is linear (the default); did you mean " \
        "--activation sigmoid?\n" in out
    assert "  diagnosis: your answer has an extra factor sigmoid(N1)*(1 - sigmoid(N1))\n" in out
    assert "  credit: 0.80" in out
    assert main(["check", "2-2-1", "--activation", "sigmoid", "--wrt", "w1",
                 "2(ŷ-y) w5 σ'(N1) x1"]) == 0  # the near miss: the activation given, right
    assert "activation is" not in capsys.readouterr().out


@pytest.mark.parametrize("net, answer, hinted", [
    (SEED, "2(ŷ-y) w5 h1(1-h1) x1", True),  # h1 before '(': an unknown function
    (SEED, "2(ŷ-y) w5 h1 x1", True),  # h1 alone: an unknown name
    (SEED, "2(ŷ-y) w5 g1(1-g1) x1", False),  # not a neuron's output name
    (SIGMOID, "2(ŷ-y) w5 h3 x1", False),  # a net with h's: h3 is just not one of them
])
def test_h1_in_a_linear_net_is_refused_with_a_hint(net, answer, hinted):
    with pytest.raises(sn.ParseError) as info:
        sn.check(net, "w1", answer)
    message = str(info.value)
    assert message.startswith("unknown ")
    hint = "; this network's hidden activation is linear (the default), so it has no h1: did " \
        "you mean activation='sigmoid'?"
    assert message.endswith(hint) == hinted


def test_the_h1_hint_on_the_command_line(capsys):
    assert main(["check", "2-2-1", "--wrt", "w1", "2(ŷ-y) w5 h1(1-h1) x1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown function 'h1' at position 11")
    assert err.endswith("so it has no h1: did you mean --activation sigmoid?\n")
