"""A quiz's variants: per variant the worksheet of its seed, the questions asked of it, each
with its answer, its tolerance, and the numbers the common slips give.

A slip's number is computed from the derivation's local factors: a sign error gives −g, a
missing or an extra factor 2 (the ½ of ½(y − ŷ)²) g/2 and 2g, an activation where its
derivative belongs replaces every ∂h/∂N by h, a dropped path leaves out one path's product.
A variant is drawn again (from the next derived seed) until every question's answer and its
slips differ at the digits shown, so a wrong number can be traced to its slip.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sympy as sp

from ..derive import Partial
from ..errors import SymnetError
from ..nice import variant_seed
from ..printing import latex, text
from ..sheets import worksheet

PARTS = ("forward", "gradient", "update")
LR = 0.5                # the learning rate of the update question
DIGITS = 4              # significant digits of an answer
MAX_VARIANTS = 500
SQUARED = ("mse", "half_sse")   # losses whose derivative has the factor 2 (or ½·2)
MAX_DRAWS = 200         # seeds tried for one variant before giving up


@dataclass
class Question:
    """One numeric question of a variant: ``label`` (text) and ``tex`` (LaTeX) name what is
    asked, ``value`` is the exact answer, ``shown`` the answer at the digits shown, and
    ``tolerance`` half a unit of its last digit.  ``slips`` maps a slip's description to the
    number it gives."""

    part: str
    name: str            # "yhat", "dL/dw1", "w1(t+1)": the question's key in reports
    label: str
    tex: str
    value: float
    shown: str
    tolerance: float
    slips: dict = field(default_factory=dict)


@dataclass
class Variant:
    """Variant ``number`` (1-based), drawn from ``seed``: its worksheet and its questions."""

    number: int
    seed: int
    sheet: object
    questions: list


def plain_number(value, digits=DIGITS):
    """``value`` to ``digits`` significant digits as a plain decimal (no exponent).

    >>> plain_number(0.000123456), plain_number(-12.345), plain_number(0)
    ('0.0001235', '-12.35', '0')
    """
    d = Decimal(repr(float(value)))
    if d.is_zero():
        return "0"
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_UP)
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def tolerance(value, digits=DIGITS):
    """Half a unit of the last digit shown: an answer rounded as shown is accepted."""
    if value == 0:
        return 0.5 * 10.0 ** (-digits)
    exponent = Decimal(repr(float(value))).adjusted()
    return float(Decimal(5).scaleb(exponent - digits))


def _question(part, name, label, tex, value, slips):
    value = float(value)
    return Question(part, name, label, tex, value, plain_number(value), tolerance(value),
                    {k: float(v) for k, v in slips.items()})


def _activation_factors(net, d):
    """The local factors ∂h/∂N of a non-linear activation, with h."""
    out = {}
    for f in d.factors:
        definition = net.definitions.get(f.num)
        if definition is not None and not definition.is_Add and f.den in definition.args \
                and not definition.is_polynomial():
            out[f] = f.num
    return out


def gradient_slips(net, sheet, p):
    """The numbers the common slips give for ∂L/∂p, at the sheet's (single) data point."""
    d = sheet.derivations[p]
    fv = sheet.numbers.factors[p][0]
    values = sheet.numbers.values[0]
    g = sheet.numbers.grad[p]
    products = [sp.Mul(*[fv[f] for f in prod]) for prod in d.chain]
    slips = {"sign error": -g}  # the slips' names are ASCII: they go into TeX, XML and CSV
    if net.loss.name in SQUARED:
        slips.update({"a factor 2 missing (the 2 of the square's derivative)": g / 2,
                      "a factor 2 too many (the 1/2 dropped)": 2 * g})
    acts = _activation_factors(net, d)
    if acts:
        swapped = sp.Add(*[sp.Mul(*[values[acts[f]] if f in acts else fv[f] for f in prod])
                           for prod in d.chain])
        slips["the activation instead of its derivative (sigma for sigma')"] = swapped
    if len(d.chain) > 1:
        for i, prod in enumerate(d.chain):
            if products[i] == 0:  # a path that is 0 (∂L/∂ŷ2 when y2 = 0): leaving it out is no slip
                continue
            via = ", ".join(text(f.num) for f in prod[1:])
            slips[f"a dropped path (the one through {via})"] = g - products[i]
    return slips


def _questions(net, sheet, wrt, parts):
    questions = []
    values = sheet.numbers.values[0]
    L = net.symbols["L"]
    if "forward" in parts:
        for o in net.outputs:
            pre = next(pre for pre, post in net.layers[-1]
                       if (post if post is not None else pre) == o)
            slips = {} if pre == o else {"the output activation left out": values[pre]}
            questions.append(_question("forward", text(o), "the output", latex(o),
                                       values[o], slips))
        slips = {}
        if net.loss.name in SQUARED:
            slips = {"the 1/2 of the loss left out, or put in where it is not": values[L] * 2
                     if net.loss.name == "half_sse" else values[L] / 2}
        questions.append(_question("forward", "L", "the loss", "L", values[L], slips))
    if "gradient" in parts:
        for p in wrt:
            dp = Partial(L, p)
            questions.append(_question("gradient", f"dL/d{p}", "the gradient", latex(dp),
                                       sheet.numbers.grad[p], gradient_slips(net, sheet, p)))
    if "update" in parts:
        p = wrt[0]
        w, g = sheet.params[p], sheet.numbers.grad[p]
        questions.append(_question(
            "update", f"{p}(t+1)", f"after one step of gradient descent (learning rate {LR}), "
            "the weight",
            latex(p) + r"(t+1)", sheet.numbers.new_params[p],
            {"the step taken uphill (w + lr*g)": w + sp.Rational(str(LR)) * g,
             "the learning rate left out (w - g)": w - g}))
    return questions


def distinct(question):
    """Whether the answer and every slip differ by more than the tolerance, pairwise."""
    numbers = [question.value, *question.slips.values()]
    gap = 2 * question.tolerance
    return all(abs(a - b) > gap for i, a in enumerate(numbers) for b in numbers[i + 1:])


def draw_variant(net, number, seed, wrt, parts, taken=()):
    """Variant ``number``: the first derived seed whose questions' slips all differ and whose
    numbers are not those of a variant in ``taken``."""
    for attempt in range(MAX_DRAWS):
        s = variant_seed(seed, number) if attempt == 0 else \
            variant_seed(seed, number + 100_000 * attempt)
        sheet = worksheet(net, seed=s, lr=LR, wrt=wrt)
        questions = _questions(net, sheet, sheet.wrt, parts)
        answers = tuple(q.shown for q in questions)
        if all(distinct(q) for q in questions) and answers not in taken:
            return Variant(number, s, sheet, questions)
    raise SymnetError(f"no seed among {MAX_DRAWS} tried gives variant {number} answers that all "
                      "differ from their slips; ask for fewer parts or other parameters")


def default_wrt(net):
    """The parameters a quiz asks about by default: the first weight of the first layer (its
    chain crosses every layer) and the first weight of the last layer."""
    first = net.params[0]
    last = net.params[sum(a * b for a, b in zip(net.sizes[:-2], net.sizes[1:-1]))]
    return [first] if first == last else [first, last]


def draw_variants(net, count, seed, wrt, parts):
    variants, taken = [], set()
    for number in range(1, count + 1):
        v = draw_variant(net, number, seed, wrt, parts, taken)
        taken.add(tuple(q.shown for q in v.questions))
        variants.append(v)
    return variants


def check_parts(parts):
    parts = (parts,) if isinstance(parts, str) else tuple(parts)
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise SymnetError(f"unknown quiz part {unknown[0] if unknown else '(none)'!r}; "
                          f"valid: {', '.join(PARTS)}")
    return parts
