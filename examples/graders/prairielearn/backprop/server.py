"""A PrairieLearn question graded by symnet: ∂L/∂w for one weight of a small network, its
activation and weight drawn from the variant's seed; partial credit and a diagnosis for a slip.

PrairieLearn runs this file in its Python runtime (SymPy 1.14, as symnet needs): copy symnet's
package folder into the course's ``serverFilesCourse/``, which PrairieLearn puts on the path of
``server.py`` (symnet needs no NumPy to check an answer).
"""

import random

import symnet as sn
from symnet.printing import definitions_latex

ARCH = "2-2-1"
ACTIVATIONS = ["sigmoid", "tanh", "relu"]


def _network(params):
    return sn.Network(params["arch"], activation=params["activation"])


def generate(data):
    # the variant's own generator: the same seed draws the same question, whatever else ran
    rng = random.Random(data["variant_seed"])
    params = {"arch": ARCH, "activation": rng.choice(ACTIVATIONS)}
    net = _network(params)
    weights = [str(p) for p in net.params if str(p).startswith("w")]
    params["wrt"] = wrt = rng.choice(weights)
    answer = net.derive(wrt).result
    params.update(definitions=definitions_latex(net.definitions), answer_latex=sn.latex(answer),
                  asked=sn.latex(sn.Partial(net.output, net.symbol(wrt))),
                  names=", ".join(str(s) for s in net.symbols.values() if s != net.output))
    data["params"].update(params)
    data["correct_answers"]["dLdw"] = sn.text(answer)


def parse(data):
    # an answer symnet cannot read is a format error: the student fixes it without losing a try
    params = data["params"]
    try:
        sn.check(_network(params), params["wrt"], data["submitted_answers"].get("dLdw", ""))
    except sn.SymnetError as exc:
        data["format_errors"]["dLdw"] = str(exc).splitlines()[0]


def grade(data):
    params = data["params"]
    scored = sn.score(_network(params), params["wrt"], data["submitted_answers"]["dLdw"])
    result = scored.result
    feedback = " ".join([result.message.splitlines()[0], *result.diagnosis] +
                        ([f"Credit {result.credit:g}."] if not result.correct else []))
    data["partial_scores"]["dLdw"] = {"score": scored.earned, "weight": 1, "feedback": feedback}
    data["score"] = scored.earned
    data["feedback"]["dLdw"] = feedback
