r"""The worksheet's one step of an optimizer (:mod:`symnet.optimizers`): its rule as a formula,
and its first step from the optimizer's initial state, exactly.

At ``t = 1`` every state starts at zero, so each rule has a closed first step in ``g`` (the
gradient, after ``weight_decay`` and ``maximize``): SGD with momentum sets ``v = g`` (PyTorch
does not dampen the first step), Nesterov moves by ``(1 + μ) g``, RMSprop has
``s = (1 − ρ) g²``, and Adam's bias corrections give ``m̂ = g`` and ``v̂ = g²``.

>>> import sympy as sp
>>> step = Step("adam", sp.Rational(1, 100), {})
>>> step.new_value(sp.Rational(1), sp.Rational(1, 2))  # 1 − 0.01 · 0.5 / (0.5 + 1e-8)
49500001/50000001
"""

import sympy as sp

from ..document import DisplayMath, Heading, InlineMath, Mono, Paragraph
from ..errors import SymnetError
from ..linebreak import Line
from ..optimizers import entry, update_rule
from ..values import exact_number
from .sections import num, update_display, update_intro, value_tex

TITLES = {"sgd": "gradient descent", "momentum": "SGD with momentum",
          "nesterov": "SGD with Nesterov momentum", "rmsprop": "RMSprop", "adam": "Adam"}


class Step:
    """One step of ``optimizer`` with learning rate ``lr`` (a Rational) and ``options`` (by
    PyTorch's names, checked as :mod:`symnet.optimizers` checks them), in exact numbers."""

    def __init__(self, optimizer, lr, options):
        self.optimizer = entry(optimizer)
        self.lr = lr
        self.options = self.optimizer.options(options)
        o = self.options
        if o.get("nesterov") and (o["momentum"] <= 0 or o["dampening"] != 0):
            raise SymnetError("nesterov needs a momentum above 0 and zero dampening (as in "
                              "PyTorch)")
        # the rule the options make: sgd with momentum=0.9 is the momentum rule
        name = self.optimizer.name
        if name in ("sgd", "momentum", "nesterov"):
            name = "nesterov" if o["nesterov"] else "momentum" if o["momentum"] else "sgd"
        self.kind = name
        self.exact = {k: _exact(k, v) for k, v in o.items() if not isinstance(v, bool)}

    @property
    def plain(self):
        """Plain gradient descent, ``w − α ∂L/∂w``: the sheet's classic update section."""
        return self.kind == "sgd" and not self.exact["weight_decay"] and \
            not self.options["maximize"]

    @property
    def title(self):
        return TITLES[self.kind]

    @property
    def torch(self):
        """The PyTorch call of this rule: ``torch.optim.SGD(params, lr=0.1, momentum=0.5)``."""
        cls = self.optimizer.torch.split("(")[0]
        plain = entry("sgd" if cls.endswith(".SGD") else self.optimizer.name).defaults
        # the options that choose the rule; the numbers (betas, eps, …) are listed below it
        given = [f"{k}={v!r}" for k, v in self.options.items() if v != plain[k] and k in
                 ("momentum", "dampening", "nesterov", "centered", "amsgrad")]
        return f"{cls}(params, lr={float(self.lr)!r}" + "".join(", " + g for g in given) + ")"

    def rule_lines(self):
        """The rule from :func:`symnet.optimizers.update_rule`, one display row a line."""
        tex = update_rule(self.kind, float(self.lr)).latex
        rows = tex.removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}")
        return [RuleLine(*row.split(r" &\leftarrow ", 1)) for row in rows.split(" \\\\\n")]

    def gradient(self, w, g):
        """The gradient the rule uses: ``−g`` when maximizing, plus ``weight_decay · w``."""
        g = -g if self.options["maximize"] else g
        return g + self.exact["weight_decay"] * w

    def square(self, g):
        """RMSprop's ``s`` after its first step (centered: ``s − m²``, what is under the root)."""
        rho = self.exact["alpha"]
        s = (1 - rho) * g ** 2
        return s - ((1 - rho) * g) ** 2 if self.options["centered"] else s

    def new_value(self, w, g):
        """``w`` after the first step, given ``g = ∂L/∂w`` (SymPy numbers in, out)."""
        g, lr = self.gradient(w, g), self.lr
        if self.kind in ("sgd", "momentum"):
            return w - lr * g
        if self.kind == "nesterov":
            return w - lr * (1 + self.exact["momentum"]) * g
        eps = self.exact["eps"]
        # adam: m̂ = g, √v̂ = |g|
        denominator = sp.sqrt(self.square(g)) + eps if self.kind == "rmsprop" else sp.Abs(g) + eps
        if denominator == 0:
            raise SymnetError(f"{self.optimizer.name}'s step divides by zero: a gradient is 0 "
                              "and eps is 0; give eps a positive value (default 1e-8)")
        return w - lr * g / denominator


def _exact(key, value):
    if isinstance(value, tuple):
        return tuple(exact_number(v, key) for v in value)
    return exact_number(value, key)


class RuleLine(Line):
    """``lhs ← rhs``: a display row of an update rule (a :class:`~symnet.document.Line`)."""

    def rows(self, budget):
        return [self.lhs + r" &\leftarrow " + self.sides]


def check_options(optimizer, lr, options):
    """The :class:`Step` a worksheet takes; ``None`` without a learning rate (no step), where
    asking for another optimizer or its options is an error rather than silently ignored."""
    if lr is None:
        if optimizer != "sgd" or options:
            entry(optimizer)
            raise SymnetError(f"optimizer {optimizer!r} and its options take effect in the "
                              "worksheet's step, which needs a learning rate (lr=, --lr)")
        return None
    return Step(optimizer, lr, options)


# the first step of each rule, in the rule's own letters (g after decay and maximize)
_W = "w(t+1)"
_RMS = [("s", [r"(1 - \rho) g^{2}"]), (_W, [r"w(t) - \frac{\alpha g}{\sqrt{s} + \epsilon}"])]
FIRST = {
    "sgd": [(_W, [r"w(t) - \alpha g"])],
    "momentum": [("v", ["g"]), (_W, [r"w(t) - \alpha v", r"w(t) - \alpha g"])],
    "nesterov": [("v", ["g"]), (_W, [r"w(t) - \alpha \left(g + \mu v\right)",
                                     r"w(t) - \alpha \left(1 + \mu\right) g"])],
    "rmsprop": _RMS,
    "centered": [_RMS[0], (r"\bar{g}", [r"(1 - \rho) g"]),
                 (_W, [r"w(t) - \frac{\alpha g}{\sqrt{s - \bar{g}^{2}} + \epsilon}"])],
    "adam": [(r"\hat{m}", [r"\frac{m}{1 - \beta_{1}}", r"\frac{(1 - \beta_{1}) g}{1 - \beta_{1}}",
                           "g"]),
             (r"\hat{v}", [r"\frac{v}{1 - \beta_{2}}", r"\frac{(1 - \beta_{2}) g^{2}}{1 - \beta_{2}}",
                           "g^{2}"]),
             (_W, [r"w(t) - \frac{\alpha \hat{m}}{\sqrt{\hat{v}} + \epsilon}",
                   r"w(t) - \frac{\alpha g}{|g| + \epsilon}"])],
}
START = {"momentum": "v = 0", "nesterov": "v = 0", "rmsprop": "s = 0",
         "centered": r"s = \bar{g} = 0", "adam": "m = v = 0"}


def _constants(ws, step):
    """``α = 0.01, β₁ = 0.9, …``: the numbers the rule uses."""
    e = step.exact
    pairs = [(r"\alpha", step.lr)]
    if step.kind in ("momentum", "nesterov") or (step.kind == "rmsprop" and e["momentum"]):
        pairs.append((r"\mu", e["momentum"]))
    if step.kind == "rmsprop":
        pairs.append((r"\rho", e["alpha"]))
    if step.kind == "adam":
        pairs += [(r"\beta_{1}", e["betas"][0]), (r"\beta_{2}", e["betas"][1])]
    if step.kind in ("rmsprop", "adam"):
        pairs.append((r"\epsilon", e["eps"]))
    if e["weight_decay"]:
        pairs.append((r"\lambda", e["weight_decay"]))
    return r",\ ".join(f"{k} = {num(ws, v)}" for k, v in pairs)


def _first(step):
    """The first step's rows, as display lines."""
    return [Line(lhs, sides) for lhs, sides in FIRST[_kind(step)]]


def _kind(step):
    return "centered" if step.kind == "rmsprop" and step.options["centered"] else step.kind


def _gradient_words(step):
    sign = "-" if step.options["maximize"] else ""
    decay = r" + \lambda w" if step.exact["weight_decay"] else ""
    if not sign and not decay:
        return []
    return [InlineMath(r"g = %s\partial L/\partial w%s" % (sign, decay))]


def _substituted(ws, step, p):
    """``w − α · …`` with the numbers in, as line tokens."""
    w, g = ws.params[p], step.gradient(ws.params[p], ws.numbers.grad[p])
    toks = [("", num(ws, w)), ("-", num(ws, step.lr))]
    gt = value_tex(ws, g, paren=True)
    if step.kind == "nesterov":
        toks.append((".", r"\left(1 + %s\right)" % num(ws, step.exact["momentum"])))
    if step.kind == "rmsprop":
        gt = r"\frac{%s}{\sqrt{%s} + %s}" % (num(ws, g), num(ws, step.square(g)),
                                             num(ws, step.exact["eps"]))
    elif step.kind == "adam":
        gt = r"\frac{%s}{%s + %s}" % (num(ws, g), num(ws, abs(g)), num(ws, step.exact["eps"]))
    return toks + [(".", gt)]


def step_section(ws):
    """One step of the chosen optimizer: its rule (as :func:`symnet.optimizers.update_rule`
    prints it), its first step from the initial state in letters, then each parameter's line
    with the numbers substituted, and the loss after the step."""
    step, nums = ws.step, ws.numbers
    blocks = [Heading(2, [f"One step of {step.title}"]),
              Paragraph(["The update rule, with ", InlineMath(r"g = \partial L / \partial w"),
                         ":"]),
              DisplayMath(step.rule_lines()),
              Paragraph(["In PyTorch: ", Mono(step.torch), "."]),
              Paragraph(["With ", InlineMath(_constants(ws, step)), ". "] + (
                  ["Its first step (", InlineMath("t = 1"), ") starts from ",
                   InlineMath(START[_kind(step)]), ":"] if step.kind in START else ["One step:"])),
              DisplayMath(_first(step))]
    if _gradient_words(step):
        blocks.append(Paragraph(["Here ", *_gradient_words(step), "."]))
    if not nums:
        return blocks
    asked, whole, intro = update_intro(ws)
    return blocks + intro + [update_display(ws, asked, whole,
                                            lambda p: _substituted(ws, step, p))]
