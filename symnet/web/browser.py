"""What a page in the browser asks of symnet (``symnet page``): an answer's preview, its
verdict, a derivation's lines; JSON in and out, as Pyodide passes text between JavaScript and
Python.  It imports no NumPy (Pyodide's NumPy is not loaded) and nothing of the page's writing.

The student's text is only ever read by symnet's whitelist parser; a bad input is a reply with
an ``error``, never an exception across to JavaScript.  The reply on a wrong answer leaves out
the expected expression (the page shows the verdict, the diagnosis, the credit and the numbers
of a counterexample, none at a quiz variant's own point).

>>> session = Session('{"arch": "2-2-1", "activation": "sigmoid"}', "w5")
>>> import json
>>> json.loads(session.reply("verdict", "2*(yhat - y)*h1"))["correct"]
True
>>> reply = json.loads(session.reply("verdict", "(yhat - y)*h1"))
>>> reply["correct"], reply["credit"], reply["diagnosis"][0][:20]
(False, 0.6667, 'your answer is 1/2 o')
>>> print(json.loads(session.reply("preview", r"\\frac{\\partial L}{\\partial \\hat y} h_1"))["latex"])
h_{1} \\frac{\\partial L}{\\partial \\hat{y}}
>>> json.loads(session.reply("verdict", "2*(yhat"))["error"]
"expected ')' but found end of input"

At a quiz variant's point, the answer may be a number:

>>> at = {"x1": 0.5, "x2": -0.3, "y": 1, "w1": 0.1, "w2": 0.2, "w3": -0.4, "w4": 0.3,
...       "w5": 0.6, "w6": -0.2, "b1": 0, "b2": 0.1, "b3": -0.1}
>>> json.loads(session.reply("verdict", "-1.1", json.dumps(at)))
{'correct': False, 'diagnosis': [], 'credit': 0.0}
"""

import json

from ..checking import check, check_derivation
from ..checking.evaluation import read_answer
from ..circuits import Circuit
from ..errors import SymnetError
from ..network import Network
from ..parse import parse_answer
from ..printing import latex
from ..templates import from_spec

MAX_CHARS = 20_000  # a derivation of a page or two; more is not a student's text


NETWORK = ("arch", "activation", "output_activation", "loss", "l2", "bias")


def model(spec):
    """The model of ``spec``: a network's keyword arguments (``{"arch": "2-2-1", …}``) or
    ``{"circuit": definitions}``."""
    valid = isinstance(spec, dict) and (set(spec) in ({"circuit"}, {"template"}) or
                                        "arch" in spec and set(spec) <= set(NETWORK))
    if not valid:
        raise SymnetError(f"a page's model is a network's {', '.join(NETWORK)}, a circuit's "
                          f"definitions ({{'circuit': …}}) or a template ({{'template': "
                          f"'batchnorm:m=4'}}); got {spec!r:.60}")
    if "template" in spec:
        return from_spec(spec["template"])
    return Circuit(spec["circuit"]) if "circuit" in spec else Network(**spec)


class Session:
    """One exercise: the model of ``spec`` (JSON: a network's keyword arguments, or
    ``{"circuit": "q = x + y; f = q*z"}``) and the name ``wrt``; :meth:`reply` answers the
    page's requests."""

    def __init__(self, spec, wrt, digits=4):
        self.net = model(json.loads(spec))
        self.wrt = self.net.symbol(wrt)
        self.digits = digits  # a number is right as shown to this many digits, as grade says

    def reply(self, kind, text, at=None):
        """The JSON reply to a request: ``kind`` is "preview", "verdict" or "derivation";
        ``at`` (JSON: every leaf's value, a quiz variant's point) lets the answer be a number."""
        try:
            if len(text) > MAX_CHARS:
                raise SymnetError(f"your text has {len(text)} characters; at most {MAX_CHARS} "
                                  "are read")
            out = getattr(self, "_" + kind)(text, json.loads(at) if at else None)
        except (SymnetError, RecursionError) as exc:  # RecursionError: the parser's depth
            out = {"error": str(exc) or "your answer is nested too deeply"}
        return json.dumps(out, ensure_ascii=False)

    def warm(self):
        """Answer one request of each kind on a made-up answer, so that what a reply needs is
        imported and cached before the student's first (a page's snapshot keeps it).

        >>> Session('{"arch": "2-1"}', "w1").warm()
        """
        chain = f"d{self.net.output}/d{self.wrt} = 0"
        for kind, text in (("preview", "0"), ("verdict", "0"), ("derivation", chain)):
            self.reply(kind, text)

    def _preview(self, text, at):
        expr = parse_answer(text, net=self.net, wrt=self.wrt, keep_partials=True)
        return {"latex": latex(expr)}

    def _verdict(self, text, at):
        read_answer(self.net, text, self.wrt)  # a parse error before any work
        result = check(self.net, self.wrt, text, at=at, digits=self.digits)
        # at the variant's own point, the counterexample's number would be the answer
        keep = ("correct", "credit", "diagnosis") + (() if at else ("counterexample",))
        return {k: v for k, v in result.as_dict().items() if k in keep}

    def _derivation(self, text, at):
        return check_derivation(self.net, self.wrt, text, at=at).as_dict()
