"""One slip catalogue drives check, the quiz, its Moodle feedback and grading: every detector's
slip is offered as a wrong number with the sentence `symnet check` gives, Moodle reads that
sentence back as the number's feedback, and grading that number names the same slip."""

import html
import re
import xml.etree.ElementTree as ET

import pytest

import symnet as sn
from symnet.checking.engine import slips_at
from symnet.checking.slips import DETECTORS
from symnet.quizzes import moodle
from symnet.quizzes.variants import plain_number

SIGMOID = sn.Network("2-2-1", activation="sigmoid")
TANH = sn.Network("2-2-1", activation="tanh")
# CS231n's circuits and micrograd's DAG, whose gates the catalogue's gate slips are about
CS231N = sn.circuit("q = x + y; f = q*z")
MAX = sn.circuit("a = x*y; m = max(z, w); s = a + m; f = 2*s")
DAG = sn.circuit("c = a + b; d = a*b; e = c + d; f = c*d; y = e + f")

# kind, the network (or circuit) and parameter of a quiz question where the slip shows
CASES = [
    ("activation for its derivative", SIGMOID, "w1"),
    ("cancelled factor kept", sn.Network("2-1", output_activation="sigmoid", loss="bce"), "w1"),
    ("cancelled factor kept", sn.Network("2-2-2", activation="tanh", loss="cross_entropy"), "w1"),
    ("dropped factor", SIGMOID, "w1"),
    ("neighbouring symbol", SIGMOID, "w1"),
    ("weighted sum for output", SIGMOID, "w5"),
    ("another activation's derivative", TANH, "w1"),
    ("sign in the activation's derivative", SIGMOID, "w1"),
    ("square dropped from the activation's derivative", TANH, "w1"),
    ("weighted sum inside the activation's derivative", SIGMOID, "w1"),
    ("doubled factor", SIGMOID, "w1"),
    ("sign of the loss's derivative", sn.Network("2-2-2"), "w1"),
    ("input factor on a bias", SIGMOID, "b1"),
    ("fork's gradients not added", sn.Network("2-2-2", activation="tanh"), "w1"),
    ("dropped path", sn.Network("2-2-2-2", activation="tanh"), "w1"),
    ("path through the wrong neuron", SIGMOID, "w1"),
    ("added path", SIGMOID, "w1"),
    ("constant factor", SIGMOID, "w5"),
    ("max routed to the smaller input", MAX, "z"),
    ("multiply gate not swapped", CS231N, "x"),
    ("multiply gate not swapped", MAX, "y"),
    # ∂q/∂x halved on CS231n's one path is a constant factor; on the DAG's four, it is not
    ("add gate splitting", DAG, "a"),
    ("fork's gradients not added", DAG, "a"),
    ("dropped path", DAG, "b"),
    ("constant factor", CS231N, "z"),
    ("n for n − 1 in the variance", sn.template("batchnorm", m=3, bessel=True), "x1"),
    ("n for n − 1 in the variance", sn.template("batchnorm", m=3), "gamma"),
    ("−p instead of p − 1 for the target class", sn.template("softmax_ce", k=3, target=3), "z3"),
    # the layers courses assign (symnet.templates), at a size a page holds
    ("time step missing in BPTT", sn.template("rnn", steps=3), "W_hh"),
    ("filter not flipped", sn.template("conv2d"), "x2_2"),
    ("max gradient sent to every input", sn.template("maxpool", height=2, width=2), "x1_2"),
]


def test_every_detector_has_a_case():
    assert {d.kind for d in DETECTORS} == {kind for kind, _, _ in CASES}


def moodle_feedback(xml, name):
    """{number: feedback} of the wrong answers of the cloze part that asks for ``name``, read
    as Moodle's qtype_multianswer reads a feedback: up to the next ~ or } that no backslash
    escapes, HTML-decoded, with only \\} and \\# unescaped."""
    text = ET.fromstring(xml).find("question[@type='cloze']/questiontext/text").text
    item = next(li for li in text.split("<li>") if f"{name}\\)" in li)
    found = re.findall(r"~%0%([^:~}]+):[^#~}]+#(.*?(?<!\\)(?=[~}]|$))", item)
    return {number: html.unescape(t).replace("\\}", "}").replace("\\#", "#") for number, t in found}


@pytest.mark.parametrize("kind, net, wrt", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_each_slip_is_moodle_feedback_and_the_grade_of_its_number(kind, net, wrt):
    for seed in range(20):  # the first variant where a slip of this kind keeps its own number
        q = sn.quiz(net, variants=1, seed=seed, wrt=[wrt], parts=["gradient"], picture=False)
        variant, question = q.variants[0], q.variants[0].questions[0]
        ws = variant.sheet
        kinds = {s.sentence: s.kind for s, _ in slips_at(net, ws.derivations[net.param(wrt)],
                                                        ws.numbers.values[0])}
        mine = [(sentence, x) for sentence, x in question.slips.items() if kinds[sentence] == kind]
        if mine:
            break
    else:
        pytest.fail(f"no variant among 20 offers a {kind} slip")
    sentence, number = mine[0]
    tex = question.tex
    assert moodle_feedback(moodle.render(q), tex)[plain_number(number)] == sentence
    graded = sn.grade(net, [{"student": "ann", "wrt": wrt, "seed": str(variant.seed),
                             "answer": repr(number)}])[0]
    assert graded.verdict == "incorrect"
    assert graded.diagnosis[0] == sentence and graded.slips == [kind]
