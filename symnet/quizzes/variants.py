"""A quiz's variants: per variant the worksheet of its seed, the questions asked of it, each
with its answer, its tolerance, and the numbers the slips give.

A gradient's wrong numbers are those of the slip catalogue (:mod:`symnet.checking.slips`):
each slipped chain evaluated at the variant's point, named by the slip's own sentence, as
``symnet check`` and ``symnet grade`` name it.  Where two slips give the same number at the
digits shown, the first in the catalogue's order keeps it.  A variant is drawn again (from the
next derived seed) until the slips that any point shows give numbers apart from the answer:
a constant factor off (so the gradient is not 0), the forward pass's and the update's slips.
A slip of one factor or one path that gives the answer's own number at this point (θ(N1) left
out where N1 > 0) cannot be told apart there, and is left out of the question.  A question
names at most :data:`MAX_SLIPS` slips: the first of each kind, then the second of each, … so
that every kind of slip the catalogue finds is offered.

A circuit's quiz asks for its output's value and ∂output/∂leaf (its gate slips among the wrong
numbers); it has no update question, for its output need not be a loss.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..checking.engine import slips_at
from ..checking.slips import forward_slips, update_slips
from ..circuits import Circuit
from ..derive import Partial
from ..errors import SymnetError
from ..nice import variant_seed
from ..printing import latex, text
from ..sheets import worksheet
from ..values import names, plain_number, tolerance, tolerance_text

PARTS = ("forward", "gradient", "update")
CIRCUIT_PARTS = ("forward", "gradient")  # a circuit's output need not be a loss to step on
LR = 0.5                # the learning rate of the update question, by default
DIGITS = 4              # significant digits of an answer
MAX_VARIANTS = 500
MAX_DRAWS = 200         # seeds tried for one variant before giving up
MAX_SLIPS = 40          # wrong numbers named per question (Moodle's feedback, the exam key)


@dataclass
class Question:
    """One numeric question of a variant: ``label`` (text) and ``tex`` (LaTeX) name what is
    asked, ``value`` is the exact answer, ``shown`` the answer at the digits shown, and
    ``tolerance`` half a unit of its last digit.  ``slips`` maps a slip's sentence to the
    number it gives, each number apart from the answer and the others at the digits shown;
    ``clash`` is true when a slip that any point shows gives the answer's number."""

    part: str
    name: str            # "yhat", "dL/dw1", "w1(t+1)": the question's key in reports
    label: str
    tex: str
    value: float
    shown: str
    tolerance: float
    slips: dict = field(default_factory=dict)
    clash: bool = False


@dataclass
class Variant:
    """Variant ``number`` (1-based), drawn from ``seed``: its worksheet and its questions."""

    number: int
    seed: int
    sheet: object
    questions: list


def _question(part, name, label, tex, value, slips):
    """``slips``: ``(sentence, number, kind)`` triples in the catalogue's order; a slip of the
    forward pass or the update has no kind, and shows at any point as a constant factor does.
    A slip is kept when the number written for it (4 significant digits of its own) is apart
    from the answer's and from each kept slip's by more than twice the answer's tolerance: a
    platform matches a typed number to the first answer within the tolerance of it."""
    value = float(value)
    gap, kept, clash = 2 * tolerance(value), [], False
    apart, written = 2 * Decimal(repr(tolerance(value))), [Decimal(plain_number(value))]
    for sentence, number, kind in slips:
        number = float(number)
        if abs(number - value) <= gap:
            clash = clash or kind in (None, "constant factor")
        elif all(abs(Decimal(plain_number(number)) - w) > apart for w in written):
            kept.append((sentence, number, kind))
            written.append(Decimal(plain_number(number)))
    rank, seen = [], Counter()  # the first of each kind, then the second of each, …
    for i, (_, _, kind) in enumerate(kept):
        rank.append((seen[kind], i))
        seen[kind] += 1
    chosen = sorted(i for _, i in sorted(rank)[:MAX_SLIPS])
    numbers = {kept[i][0]: kept[i][1] for i in chosen}
    return Question(part, name, label, tex, value, plain_number(value), tolerance(value),
                    numbers, clash)


def gradient_slips(net, sheet, p):
    """``[(sentence, number, kind)]``: what each slip of the catalogue gives for ∂L/∂p (a
    circuit's ∂output/∂p) at the sheet's (single) data point, in the catalogue's order."""
    return [(slip.sentence, x, slip.kind)
            for slip, x in slips_at(net, sheet.derivations[p], sheet.numbers.values[0])]


def _questions(net, sheet, wrt, parts):
    """The questions asked of ``sheet`` (its learning rate ``sheet.lr`` that of the update)."""
    questions = []
    values = sheet.numbers.values[0]
    out = net.output  # a network's loss L
    if "forward" in parts and isinstance(net, Circuit):
        questions.append(_question("forward", text(out), "the output", latex(out), values[out],
                                   []))
    elif "forward" in parts:
        for o in net.outputs:
            questions.append(_question("forward", text(o), "the output", latex(o), values[o],
                                       _kindless(forward_slips(net, o, values))))
        questions.append(_question("forward", "L", "the loss", latex(out), values[out],
                                   _kindless(forward_slips(net, out, values))))
    if "gradient" in parts:
        for p in wrt:
            dp = Partial(out, p)
            questions.append(_question("gradient", f"d{out}/d{p}", "the gradient", latex(dp),
                                       sheet.numbers.grad[p], gradient_slips(net, sheet, p)))
    if "update" in parts:
        p = wrt[0]
        w, g = sheet.params[p], sheet.numbers.grad[p]
        questions.append(_question(
            "update", f"{p}(t+1)", "after one step of gradient descent (learning rate "
            f"{tolerance_text(float(sheet.lr))}), the weight", latex(p) + r"(t+1)",
            sheet.numbers.new_params[p], _kindless(update_slips(w, g, sheet.lr))))
    return questions


def _kindless(slips):
    """Slips of the forward pass or the update: no kind of the chain's."""
    return [(sentence, number, None) for sentence, number in slips]


def distinct(question, net):
    """Whether the slips that any point shows all give numbers apart from the answer.  A
    circuit's gradient may be 0 (max gives nothing to its smaller input), where a constant
    factor off gives 0 too: that is its answer, not a clash."""
    return not question.clash or isinstance(net, Circuit) and question.value == 0


def draw_variant(net, number, seed, wrt, parts, taken=(), lr=LR):
    """Variant ``number``: the first derived seed where no slip that any point shows gives a
    question's answer, and whose numbers are not those of a variant in ``taken``."""
    for attempt in range(MAX_DRAWS):
        s = variant_seed(seed, number) if attempt == 0 else \
            variant_seed(seed, number + 100_000 * attempt)
        sheet = worksheet(net, seed=s, lr=None if isinstance(net, Circuit) else lr, wrt=wrt)
        questions = _questions(net, sheet, sheet.wrt, parts)
        answers = tuple(q.shown for q in questions)
        if all(distinct(q, net) for q in questions) and answers not in taken:
            return Variant(number, s, sheet, questions)
    raise SymnetError(f"no seed among {MAX_DRAWS} tried gives variant {number} answers that all "
                      "differ from their slips; ask for fewer parts or other parameters")


def default_wrt(net):
    """The parameters a quiz asks about by default: the first weight of the first layer (its
    chain crosses every layer) and the first weight of the last layer; a circuit's every
    parameter (every leaf, when it names none)."""
    if isinstance(net, Circuit):
        return list(net.params or net.leaves)
    first = net.params[0]
    last = net.params[sum(a * b for a, b in zip(net.sizes[:-2], net.sizes[1:-1]))]
    return [first] if first == last else [first, last]


def draw_variants(net, count, seed, wrt, parts, lr=LR):
    variants, taken = [], set()
    for number in range(1, count + 1):
        v = draw_variant(net, number, seed, wrt, parts, taken, lr)
        taken.add(tuple(q.shown for q in v.questions))
        variants.append(v)
    return variants


def default_parts(net):
    """What a quiz asks by default: :data:`PARTS`, a circuit's :data:`CIRCUIT_PARTS`."""
    return CIRCUIT_PARTS if isinstance(net, Circuit) else PARTS


def check_parts(parts, net=None):
    """``parts`` as a tuple (default: ``net``'s), each one that ``net`` can be asked."""
    parts = default_parts(net) if parts is None else \
        (parts,) if isinstance(parts, str) else tuple(names(parts, "parts", "['gradient']"))
    valid = default_parts(net)
    unknown = [p for p in parts if p not in valid]
    if unknown or not parts:
        wrong = unknown[0] if unknown else "(none)"
        why = "; a circuit's output need not be a loss to step on" if wrong in PARTS else ""
        raise SymnetError(f"unknown quiz part {wrong!r}; valid: {', '.join(valid)}{why}")
    return parts
