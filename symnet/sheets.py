r"""Worksheets: a network walked through the seed lecture, with numbers, exercises and keys.

A worksheet has up to four sections, in order:

1. the network: every definition (``N1 = w1 x1 + w2 x2 + b1``, …, ``L``) and a table of the
   parameters (which quantity each weight connects, and its value);
2. with a data point (or a few samples) and parameters: the forward pass, each quantity with
   the numbers substituted (``N1 = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775``), and the loss;
3. for each requested parameter: the chain rule's path formula, the local factors, the compact
   result, and with numbers each factor's value and the product;
4. with a learning rate: one step of gradient descent for every parameter, and the new loss.

Numbers are shown to ``digits`` significant digits but computed to 30, so the values agree
with the compiled model (``net.compile()``) and with exact evaluation.  A worksheet is written
as ``.tex`` (a standalone document), ``.pdf`` (through pdflatex), ``.md`` (GitHub and Jupyter
math) or ``.ipynb`` (markdown cells and code cells that rebuild the numbers with symnet).
With ``exercises=True`` the results are blanks and an answer key is written beside the sheet.

>>> import symnet as sn
>>> net = sn.Network("2-2-1", loss="half_sse")
>>> ws = sn.worksheet(net, at={"x1": 0.05, "x2": 0.1, "y": 0.01},
...                   params={"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4,
...                           "w6": 0.45, "b1": 0.35, "b2": 0.35, "b3": 0.6}, lr=0.5)
>>> ws.values[0]["N1"], round(ws.loss, 6), round(ws.gradient["w5"], 6)
(0.3775, 0.421018, 0.346403)
>>> print(ws.markdown().splitlines()[0])
# Worksheet: the 2-2-1 network
"""

import copy
import os
import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sympy as sp
from sympy.core.function import _coeff_isneg

from .derive import MAX_PATHS_SHOWN, Partial, gradients
from .document import (
    Code,
    DisplayMath,
    Formula,
    Heading,
    InlineMath,
    Line,
    Mono,
    NumberPrinter,
    Paragraph,
    Table,
    Terms,
    compile_latex,
    inline_partial,
    render_markdown,
    render_notebook,
    render_tex,
)
from .errors import SymnetError, UnknownNameError
from .files import check_writable, write_atomic
from .network import Network
from .parse import parse_assignments
from .printing import latex
from .values import exact_number
from .values import seed as check_seed

PRECISION = 30          # decimal digits every number is computed with
DIGITS = 4              # significant digits shown, by default
MAX_SAMPLES = 10        # rows of data a worksheet walks through
SUFFIXES = (".tex", ".pdf", ".md", ".ipynb")

_BLANK = r"\boxed{\vphantom{\Big|}\hspace{3em}}"
_WIDE_BLANK = r"\boxed{\vphantom{\Big|}\hspace{7em}}"

# ------------------------------------------------------------------ numbers: parse, show, draw

def format_number(value, digits=DIGITS):
    r"""``value`` rounded to ``digits`` significant digits, as LaTeX; trailing zeros dropped.

    >>> format_number(sp.Rational(3775, 10000)), format_number(0.7513650695523157)
    ('0.3775', '0.7514')
    >>> format_number(sp.Rational("-0.000012345")), format_number(2), format_number(1234567)
    ('-1.235 \\times 10^{-5}', '2', '1.235 \\times 10^{6}')
    """
    d = Decimal(str(sp.Float(value, PRECISION)))
    if d.is_zero():
        return "0"
    d = d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_UP)
    exp = d.adjusted()
    if -4 <= exp < 6:
        s = format(d.normalize(), "f")
    else:
        s = f"{format(d.scaleb(-exp).normalize(), 'f')} \\times 10^{{{exp}}}"
    return "0" if s in ("-0", "0") else s


def _float_text(value):
    """A number as Python source: the shortest float that rounds to it."""
    return repr(float(value))


def nice_numbers(net, seed, samples=1):
    """Inputs, targets and parameters with one or two decimals, drawn from ``seed``.

    Inputs have one decimal in [−1, 1]; weights are non-zero multiples of 0.05 in [−1, 1];
    biases multiples of 0.05 in [−0.5, 0.5]; targets suit the output (0 or 1 for bce, one-hot
    for cross_entropy, one decimal in (0, 1) for sigmoid outputs).  Returns ``(at, params)``.

    >>> import symnet as sn
    >>> at, params = nice_numbers(sn.Network("2-1"), seed=1)
    >>> at, params
    ([{'x1': -0.2, 'x2': -0.7, 'y': 0.7}], {'w1': -0.6, 'w2': 0.8, 'b1': -0.4})
    """
    rng = random.Random(seed)

    def step(lo, hi, unit, nonzero=False):
        k = 0
        while k == 0:
            k = rng.randint(lo, hi)
            if not nonzero:
                break
        return float(sp.Rational(k) * unit)

    params = {}
    for p in net.params:
        bias = p.name.startswith("b")
        params[p.name] = step(-10, 10, sp.Rational(1, 20)) if bias else \
            step(-20, 20, sp.Rational(1, 20), nonzero=True)
    out, loss = net.output_activation.name, net.loss.name
    at = []
    for _ in range(samples):
        sample = {x.name: step(-10, 10, sp.Rational(1, 10)) for x in net.inputs}
        if loss == "cross_entropy":
            hot = rng.randrange(len(net.targets))
            sample.update({t.name: float(k == hot) for k, t in enumerate(net.targets)})
        for t in net.targets:
            if loss == "cross_entropy":
                continue
            if loss == "bce":
                sample[t.name] = float(rng.randint(0, 1))
            elif out in ("sigmoid", "softmax"):
                sample[t.name] = step(1, 9, sp.Rational(1, 10))
            elif out == "tanh":
                sample[t.name] = step(-9, 9, sp.Rational(1, 10))
            else:
                sample[t.name] = step(0, 10, sp.Rational(1, 10))
        at.append(sample)
    return at, params


def parse_samples(texts):
    """``--at`` values (each ``"x1=1,x2=0,y=1"``, several separated by ``;``) → list of dicts."""
    out = []
    for text in [texts] if isinstance(texts, str) else texts:
        for part in text.split(";"):
            if part.strip():
                out.append(parse_assignments(part.strip()))
    if not out:
        raise SymnetError("--at is empty; expected name=value pairs like x1=1,x2=0,y=1")
    return out


def _samples(net, at):
    """``at`` (a dict, a list of dicts, or a dict of lists) → a list of {Symbol: Rational}."""
    if isinstance(at, dict) and at and all(isinstance(v, (list, tuple)) for v in at.values()):
        lengths = {len(v) for v in at.values()}
        if len(lengths) != 1:
            raise SymnetError("at= as a dict of lists needs lists of one length, one value per "
                              "sample; got lengths " + ", ".join(str(len(v)) for v in at.values()))
        at = [dict(zip(at, row)) for row in zip(*at.values())]
    elif isinstance(at, dict):
        at = [at]
    if not isinstance(at, (list, tuple)) or not at or not all(isinstance(s, dict) for s in at):
        raise SymnetError("at= must be a dict like {'x1': 1, 'x2': 0, 'y': 1}, a list of such "
                          "dicts, or a dict of lists (one value per sample)")
    if len(at) > MAX_SAMPLES:
        raise SymnetError(f"a worksheet walks through at most {MAX_SAMPLES} samples; got {len(at)}")
    wanted = list(net.inputs) + list(net.targets)
    names = ", ".join(map(str, wanted))
    out = []
    for i, sample in enumerate(at, 1):
        where = "the data point" if len(at) == 1 else f"sample {i}"
        given = {}
        for name, value in sample.items():
            symbol = next((s for s in wanted if s.name == str(name)), None)
            if symbol is None:
                hint = (" (parameters go in --params, params=)"
                        if str(name) in map(str, net.params) else "")
                raise UnknownNameError(f"unknown name {str(name)!r} in {where}; it takes "
                                       f"{names}{hint}")
            given[symbol] = exact_number(value, f"{name} in {where}")
        missing = [s.name for s in wanted if s not in given]
        if missing:
            raise SymnetError(f"{where} is missing {', '.join(missing)}; give every input and "
                              f"target: {names}")
        out.append({s: given[s] for s in wanted})
    return out


def _params(net, params):
    if not isinstance(params, dict):
        raise SymnetError("params= must be a dict from parameter name to number, e.g. "
                          "{'w1': 0.15, …}")
    given = {}
    for name, value in params.items():
        given[net.param(name)] = exact_number(value, f"parameter {name}")
    missing = [p.name for p in net.params if p not in given]
    if missing:
        raise SymnetError(f"the parameters are missing {', '.join(missing)}; give every "
                          f"parameter: {', '.join(map(str, net.params))}")
    return {p: given[p] for p in net.params}


def _evaluate(expr, values, precision=PRECISION):
    """``expr`` at ``values``: exact when it is rational, else to ``precision`` digits."""
    # expr is symnet's own (a gradient, a factor, a sum of them) or a Python number
    value = expr.xreplace(values) if isinstance(expr, sp.Basic) else sp.Number(expr)
    if not value.is_Rational:
        value = value.evalf(precision or PRECISION)
    return value


class _Overflow(Exception):
    """A number came out infinite or undefined at this precision (σ(100) rounds to 1)."""


# ---------------------------------------------------------------------------- worksheets

def _suffix(path):
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if suffix not in SUFFIXES:
        raise SymnetError(f"unknown output type {suffix or '(none)'!r} for {os.fspath(path)}; "
                          "expected a file ending in .tex, .pdf, .md or .ipynb")
    return suffix


def key_path(path):
    """Where the answer key of the sheet at ``path`` goes: ``sheet.pdf`` → ``sheet-key.pdf``."""
    base, ext = os.path.splitext(os.fspath(path))
    return f"{base}-key{ext}"


def check_output(path):
    """Refuse, before any work, an output path with an unknown suffix or an unwritable folder."""
    _suffix(path)
    check_writable(path)


@dataclass
class _Numbers:
    """Every number of a worksheet, exact or to 30 digits (or more): per sample, totals, and
    after the step."""

    values: list                      # per sample {Symbol: value}, leaves and intermediates
    loss: object                      # the loss over all samples
    grads: list                       # per sample {param: ∂L_i/∂param}
    grad: dict                        # {param: ∂L/∂param} over all samples
    factors: dict                     # {param: per sample {local partial: value}}
    precision: object = PRECISION     # digits, or None when every number is exact
    new_params: dict = field(default_factory=dict)
    new_loss: object = None


class Worksheet:
    """A derivation document for one network, made by :func:`worksheet`.

    ``.latex()``, ``.markdown()``, ``.notebook()`` and ``.pdf()`` give the document; ``.save(path)``
    writes it by suffix (and the answer key beside an exercise sheet).  With numbers,
    ``.values`` (per sample, by name), ``.loss``, ``.gradient``, ``.new_params`` and
    ``.new_loss`` are the computed numbers as floats.  ``.key`` is the answer key of an
    exercise sheet (``None`` otherwise).
    """

    def __init__(self, net, samples=None, params=None, lr=None, wrt=None, digits=DIGITS,
                 title=None):
        self.net = net
        self.samples = samples
        self.params = params
        self.lr = lr
        self.wrt = list(wrt) if wrt else list(net.params)
        self.digits = digits
        self.title = title
        self.student = False
        self.key = None
        self.derivations = {p: net.derive(p) for p in self.wrt}
        for p, d in self.derivations.items():
            if d.n_paths > MAX_PATHS_SHOWN:
                raise SymnetError(
                    f"a worksheet shows every chain-rule path, and ∂L/∂{p} has {d.n_paths} "
                    f"(at most {MAX_PATHS_SHOWN}); use a smaller network, or fewer --wrt")
        self.numbers = self._compute() if samples else None

    # -- numbers

    def _reduce(self, xs):
        total = sp.Add(*xs)
        return total / len(xs) if self.net.loss.reduction == "mean" else total

    def _compute(self):
        # A network of sums and products stays exact; anything else is evaluated to 30 digits,
        # or more where 30 are not enough (σ(100) rounds to 1, and ∂L/∂ŷ of bce divides by 1 − ŷ).
        if all(d.is_polynomial() for d in self.net.definitions.values()):
            return self._compute_at(None)
        for precision in (PRECISION, 120, 600):
            try:
                return self._compute_at(precision)
            except _Overflow:
                pass
        raise SymnetError("the numbers overflow even when computed to 600 digits; use smaller "
                          "inputs or parameters")

    def _compute_at(self, precision):
        net = self.net
        L = net.symbols["L"]

        def ev(expr, values=None):
            value = _evaluate(expr, values or {}, precision)
            if value.is_finite is not True:
                raise _Overflow
            return value

        values = [net.forward({**self.params, **s}, precision=precision) for s in self.samples]
        compact = gradients(net, net.params)
        grads = [{p: ev(compact[p], v) for p in net.params} for v in values]
        factors = {p: [{f: ev(e, v) for f, e in d.factors.items()} for v in values]
                   for p, d in self.derivations.items()}
        nums = _Numbers(values, ev(self._reduce([v[L] for v in values])), grads,
                        {p: ev(self._reduce([g[p] for g in grads])) for p in net.params},
                        factors, precision)
        if self.lr is not None:
            nums.new_params = {p: ev(v - self.lr * nums.grad[p]) for p, v in self.params.items()}
            after = [net.forward({**nums.new_params, **s}, precision=precision)[L]
                     for s in self.samples]
            nums.new_loss = ev(self._reduce(after))
        return nums

    @property
    def values(self):
        """Per sample, every quantity's value by name (floats)."""
        if not self.numbers:
            return None
        return [{str(k): float(v) for k, v in vals.items()} for vals in self.numbers.values]

    @property
    def loss(self):
        return float(self.numbers.loss) if self.numbers else None

    @property
    def gradient(self):
        """``{name: ∂L/∂name}`` of the loss over all samples, for every parameter."""
        if not self.numbers:
            return None
        return {str(p): float(v) for p, v in self.numbers.grad.items()}

    @property
    def new_params(self):
        if not self.numbers or self.lr is None:
            return None
        return {str(p): float(v) for p, v in self.numbers.new_params.items()}

    @property
    def new_loss(self):
        if not self.numbers or self.lr is None:
            return None
        return float(self.numbers.new_loss)

    def __repr__(self):
        n = len(self.samples) if self.samples else 0
        kind = " (exercises)" if self.student else " (answer key)" if self._is_key else ""
        return (f"<Worksheet {self.net.arch}{kind}: {n} sample{'s' * (n != 1)}, "
                f"{len(self.wrt)} of {len(self.net.params)} parameters derived>")

    _is_key = False

    # -- output

    def latex(self):
        """The worksheet as a standalone LaTeX document (compiles with pdflatex)."""
        return render_tex(self._blocks())

    def markdown(self):
        """The worksheet as Markdown with ``$…$`` / ``$$…$$`` math."""
        return render_markdown(self._blocks())

    def notebook(self):
        """The worksheet as an nbformat-4 notebook (JSON text): markdown and code cells."""
        return render_notebook(self._blocks(code=True))

    def pdf(self):
        """The worksheet compiled to PDF (bytes); needs pdflatex."""
        return compile_latex(self.latex())[0]

    def render(self, suffix):
        """The document for a file suffix: ``.tex``, ``.md``, ``.ipynb`` (text) or ``.pdf``."""
        suffix = _suffix("x" + suffix)
        return {".tex": self.latex, ".md": self.markdown, ".ipynb": self.notebook,
                ".pdf": self.pdf}[suffix]()

    def save(self, path):
        """Write the worksheet to ``path`` by its suffix; an exercise sheet's key goes beside it
        (``sheet.pdf`` and ``sheet-key.pdf``).  Every file is written completely or not at all.
        Returns the paths written."""
        path = os.fspath(path)
        check_output(path)
        suffix = _suffix(path)
        jobs = [(path, self)] + ([(key_path(path), self.key)] if self.key is not None else [])
        documents = [(p, ws.render(suffix)) for p, ws in jobs]
        written = []
        try:
            for p, doc in documents:
                write_atomic(p, doc)
                written.append(p)
        except BaseException:
            for p in written:
                os.unlink(p)
            raise
        return written

    def _repr_markdown_(self):
        return self.markdown()

    # -- the document

    def _answer(self, tex, wide=False):
        if self.student:
            return _WIDE_BLANK if wide else _BLANK
        return tex

    def _num(self, value):
        return format_number(value, self.digits)

    def _shown(self, values, leaves_only=False):
        keep = set(self.net.leaves) if leaves_only else None
        return {k: self._num(v) for k, v in values.items() if keep is None or k in keep}

    def _blocks(self, code=False):
        blocks = self._title()
        if code and self.student:
            blocks.append(Paragraph(["The code cells compute the answers with symnet: run them "
                                 "after filling in the boxes, to check your work."]))
        if code:
            blocks.append(Code(self._code_network()))
        blocks += self._network_section()
        if self.numbers and code:
            blocks.append(Code(self._code_data()))
        if self.numbers:
            blocks += self._forward_section()
            if code:
                blocks.append(Code("model.predict(params, X), model.loss(params, X, Y)"))
        blocks += self._gradient_section()
        if code:
            if self.numbers:
                blocks.append(Code("gradient = model.gradient(params, X, Y)\ngradient"))
            else:
                names = ", ".join(f'"{p}"' for p in self.wrt)
                blocks.append(Code(f"{{name: sn.text(net.derive(name).result) "
                                    f"for name in [{names}]}}"))
        if self.lr is not None:
            blocks += self._update_section()
            if code and self.numbers:
                blocks.append(Code(
                    f"lr = {_float_text(self.lr)}\nnew_params = {{name: value - lr * "
                    "gradient[name] for name, value in params.items()}\n"
                    "new_params, model.loss(new_params, X, Y)"))
        return blocks

    def _title(self):
        net = self.net
        kind = "Exercises" if self.student else "Answer key" if self._is_key else "Worksheet"
        title = self.title or f"the {net.arch} network"
        acts = [a.name for a in net.activations]
        parts = []
        if acts:
            parts += ["Hidden activation" + ("s" if len(set(acts)) > 1 else "") + ": "]
            for i, a in enumerate(acts if len(set(acts)) > 1 else acts[:1]):
                parts += [", " if i else "", Mono(a)]
            parts += [". "]
        parts += ["Output activation: ", Mono(net.output_activation.name), ". Loss: ",
                  Mono(net.loss.name), "."]
        blocks = [Heading(1, [f"{kind}: {title}"]), Paragraph(parts)]
        if self.student:
            blocks.append(Paragraph(["Fill in every box. Numbers to ", str(self.digits),
                                 " significant digits; keep full precision in between."]))
        return blocks

    def _network_section(self):
        net = self.net
        lines = [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()]
        blocks = [Heading(2, ["The network"]),
                  Paragraph(["Every quantity has its own name, defined from its immediate parents:"]),
                  DisplayMath(lines)]
        reduction = net.loss.reduction
        blocks.append(Paragraph([InlineMath("L"), " is the loss of one sample. Over ", InlineMath("n"),
                             f" samples the loss is the {reduction} of the samples' losses:"]))
        blocks.append(DisplayMath([Line("L", [self._loss_sum()])]))
        header = ["Layer", "Parameter", "Connects"] + (["Value"] if self.params else [])
        rows = []
        layer_of = net.layer_of
        by_layer = sorted(net.params, key=lambda p: (layer_of[net.children[p][0]],
                                                     p.name.startswith("b")))
        for p in by_layer:
            child = net.children[p][0]
            if p.name.startswith("b"):
                connects = ["bias of ", InlineMath(latex(child))]
            else:
                connects = [InlineMath(r"%s \to %s" % (latex(net.local(child, p)), latex(child)))]
            row = [[str(layer_of[child])], [InlineMath(latex(p))], connects]
            if self.params:
                row.append([InlineMath(self._num(self.params[p]))])
            rows.append(row)
        blocks += [Heading(3, ["Parameters"]), Table(header, rows, "cllr"[:len(header)])]
        return blocks

    def _loss_sum(self):
        net = self.net
        per = net.definitions[net.symbols["L"]]
        if len(net.targets) == 1:
            per = per.xreplace({net.targets[0]: sp.Symbol("y_i"),
                                net.outputs[0]: sp.Symbol("yhat_i")})
            body = latex(per)
            if per.is_Add:
                body = r"\left(%s\right)" % body
        else:
            body = "L_{i}"
        scale = r"\frac{1}{n} " if net.loss.reduction == "mean" else ""
        return scale + r"\sum_{i=1}^{n} " + body

    def _forward_section(self):
        net = self.net
        nums = self.numbers
        n = len(self.samples)
        names = list(net.inputs) + list(net.targets)
        blocks = [Heading(2, ["Forward pass"])]
        data = [[[InlineMath(self._num(s[k]))] for k in names] for s in self.samples]
        blocks.append(Paragraph(["The data point:" if n == 1 else f"The {n} samples:"]))
        blocks.append(Table([[InlineMath(latex(k))] for k in names], data, "r" * len(names)))
        blocks.append(Paragraph([
            "With the parameters from the table above, each quantity in turn, with the "
            f"numbers substituted. Numbers are shown to {self.digits} significant digits; "
            "they are computed " + (f"to {nums.precision} digits" if nums.precision else
                                    "exactly") + ", so nothing drifts through rounding."]))
        L = net.symbols["L"]
        for i, vals in enumerate(nums.values, 1):
            if n > 1:
                blocks.append(Heading(3, [f"Sample {i}"]))
            lines = []
            known = self._shown(vals, leaves_only=self.student)
            for node, definition in net.definitions.items():
                lhs = "L_{%d}" % i if node == L and n > 1 else latex(node)
                sides = [Formula(definition)]
                numbered = Formula(definition, NumberPrinter(known), ".")
                tex = numbered.tokens(10**6)[0][1]
                if tex != latex(definition):
                    sides.append(numbered)
                value = self._num(vals[node])
                if tex != value:
                    sides.append(self._answer(value))
                lines.append(Line(lhs, sides))
            blocks.append(DisplayMath(lines))
        if n > 1:
            outs = list(net.outputs)
            header = [[InlineMath(latex(k))] for k in names + outs] + [[InlineMath("L_{i}")]]
            rows = [[[InlineMath(self._num(vals[k]))] for k in names] +
                    [[InlineMath(self._answer(self._num(vals[k])))] for k in outs + [L]]
                    for vals in nums.values]
            blocks.append(Paragraph(["In a table, as in the lecture:"]))
            blocks.append(Table(header, rows, "r" * len(header)))
            losses = [self._num(v[L]) for v in nums.values]
            sides = [self._loss_sum_of_samples()]
            if not self.student:
                sides.append(self._scaled(losses))
            sides.append(self._answer(self._num(nums.loss)))
            blocks.append(Paragraph(["The loss over the samples:"]))
            blocks.append(DisplayMath([Line("L", sides)]))
        return blocks

    def _loss_sum_of_samples(self):
        scale = r"\frac{1}{n} " if self.net.loss.reduction == "mean" else ""
        return scale + r"\sum_{i=1}^{n} L_{i}"

    def _scaled(self, numbers):
        """``1/n (a + b + c)`` (or the plain sum) as tokens, negative terms subtracted."""
        toks = []
        for i, s in enumerate(numbers):
            op = "" if i == 0 else "-" if s.startswith("-") else "+"
            toks.append((op, s[1:] if op == "-" else s))
        if self.net.loss.reduction == "mean":
            toks[0] = ("", r"\frac{1}{%d} \Bigl(%s" % (len(numbers), toks[0][1]))
            toks[-1] = (toks[-1][0], toks[-1][1] + r"\Bigr)")
        return toks

    def _gradient_section(self):
        net = self.net
        n = len(self.samples) if self.samples else 0
        inverse = {v: k for k, v in net.definitions.items() if not v.is_Add}
        blocks = [Heading(2, ["Gradients by the chain rule"]),
                  Paragraph(["The derivative of ", InlineMath("L"), " with respect to a parameter is the "
                         "sum, over every path from ", InlineMath("L"), " down to the parameter, of the "
                         "product of the local derivatives along the path."])]
        if n > 1:
            blocks.append(Paragraph(["The derivatives are those of one sample's loss ", InlineMath("L_{i}"),
                                 "; over the samples,"]))
            blocks.append(DisplayMath([Line(r"\frac{\partial L}{\partial w}", [
                self._loss_sum_of_samples().replace("L_{i}", r"\frac{\partial L_{i}}{\partial w}")
            ])]))
        for p, d in self.derivations.items():
            dp = latex(Partial(net.symbols["L"], p))
            blocks.append(Heading(3, [InlineMath(inline_partial(Partial(net.symbols["L"], p)))]))
            blocks.append(Paragraph([
                "The chain rule, one product of local derivatives per path; each local "
                "derivative; and together:" if len(d.paths) > 1 else
                "The chain rule along the one path; each local derivative; and together:"]))
            lines = [Line(dp, [self._path_tokens(d.chain, latex)])]
            lines += [Line(latex(f), [self._answer(latex(v), wide=True)
                                       if self.student else Formula(v)])
                      for f, v in d.factors.items()]
            if self.student:
                lines.append(Line(dp, [_WIDE_BLANK]))
            else:
                values = [[d.factors[f] for f in prod] for prod in d.chain]
                sides = [self._path_tokens(values, self._factor_tex)]
                if sp.Add(*[sp.Mul(*v) for v in values]) != d.result:
                    sides.append(Formula(d.result))
                lines.append(Line(dp, sides))
            blocks.append(DisplayMath(lines))
            if self.numbers:
                blocks += self._gradient_numbers(p, d, dp, inverse)
        return blocks

    @staticmethod
    def _factor_tex(f):
        s = latex(f)
        if isinstance(f, sp.Basic) and (f.is_Add or _coeff_isneg(f)):
            s = r"\left(%s\right)" % s
        return s

    @staticmethod
    def _path_tokens(products, show):
        toks = []
        for i, prod in enumerate(products):
            for j, f in enumerate(prod):
                toks.append(("." if j else "+" if i else "", show(f)))
        return Terms(toks or [("", "0")])

    def _value_tex(self, v, paren):
        s = self._num(v)
        return r"\left(%s\right)" % s if paren and s.startswith("-") else s

    def _gradient_numbers(self, p, d, dp, inverse):
        nums = self.numbers
        n = len(self.samples)
        blocks = []
        factor_values = nums.factors[p]

        def product_tokens(fv):
            toks = []
            for i, prod in enumerate(d.chain):
                for j, f in enumerate(prod):
                    toks.append(("." if j else "+" if i else "",
                                 self._value_tex(fv[f], paren=len(prod) > 1 or i > 0)))
            return Terms(toks)

        if n == 1:
            vals, fv = nums.values[0], factor_values[0]
            printer = NumberPrinter(self._shown(vals))
            lines = []
            for f, expr in d.factors.items():
                sides = []
                shown = expr.xreplace(inverse)
                if not self.student and not (shown.is_Symbol or shown.is_Number):
                    sides.append(Formula(shown, printer, "."))
                sides.append(self._answer(self._num(fv[f])))
                lines.append(Line(latex(f), sides))
            total = [self._answer(self._num(nums.grad[p]))]
            if not self.student and (len(d.chain) > 1 or len(d.chain[0]) > 1):
                total.insert(0, product_tokens(fv))
            lines.append(Line(dp, total))
            blocks += [Paragraph(["With the numbers:"]), DisplayMath(lines)]
            return blocks
        header = [[""]] + [[f"sample {i}"] for i in range(1, n + 1)]
        rows = [[[InlineMath(inline_partial(f))]]
                + [[InlineMath(self._answer(self._num(fv[f])))] for fv in factor_values]
                for f in d.factors]
        blocks += [Paragraph(["With the numbers, sample by sample:"]),
                   Table(header, rows, "l" + "r" * n)]
        lines = []
        for i, (fv, g) in enumerate(zip(factor_values, nums.grads), 1):
            sides = [] if self.student else [product_tokens(fv)]
            sides.append(self._answer(self._num(g[p])))
            lines.append(Line(latex(Partial(sp.Symbol(f"L_{i}"), p)), sides))
        sides = [] if self.student else [self._scaled([self._num(g[p]) for g in nums.grads])]
        sides.append(self._answer(self._num(nums.grad[p])))
        lines.append(Line(dp, sides))
        blocks.append(DisplayMath(lines))
        return blocks

    def _update_section(self):
        net, nums = self.net, self.numbers
        alpha = self._num(self.lr)
        blocks = [Heading(2, ["One step of gradient descent"]),
                  Paragraph(["Every parameter moves against its gradient, with learning rate ",
                         InlineMath(r"\alpha = " + alpha), ":"]),
                  DisplayMath([Line("w(t+1)", [r"w(t) - \alpha \frac{\partial L}{\partial w}"])])]
        if not nums:
            return blocks
        if self.student:
            # only the parameters asked about: the others' gradients would give answers away
            blocks.append(Paragraph(["Update ", *self._names(self.wrt), ":"]))
            blocks.append(DisplayMath([Line(latex(p) + "(t+1)", [_BLANK]) for p in self.wrt]))
            if len(self.wrt) == len(net.params):
                blocks += [Paragraph(["The loss after the step:"]), DisplayMath([Line("L", [_BLANK])])]
            return blocks
        lines = []
        for p in net.params:
            g = self._value_tex(nums.grad[p], paren=True)
            sides = [[("", self._num(self.params[p])), ("-", alpha), (".", g)],
                     self._num(nums.new_params[p])]
            lines.append(Line(latex(p) + "(t+1)", sides))
        blocks.append(DisplayMath(lines))
        blocks.append(Paragraph([f"The loss after the step (before it: {self._num(nums.loss)}):"]))
        blocks.append(DisplayMath([Line("L", [self._num(nums.new_loss)])]))
        return blocks

    @staticmethod
    def _names(symbols):
        parts = []
        for i, p in enumerate(symbols):
            parts += [", " if 0 < i < len(symbols) - 1 else " and " if i else "", InlineMath(latex(p))]
        return parts

    # -- notebook code

    def _code_network(self):
        net = self.net
        acts = net.activations + [net.output_activation]
        if all(a.options == type(a).get(a.name).options for a in acts):
            make = "sn." + repr(net)
        else:
            def spec(a):
                if a.options == type(a).get(a.name).options:
                    return repr(a.name)
                opts = ", ".join(f"{k}={str(v)!r}" for k, v in a.options)
                return f"sn.Activation.get({a.name!r}, {opts})"
            hidden = ", ".join(map(spec, net.activations))
            make = (f"sn.Network({net.arch!r}, activation=[{hidden}], "
                    f"output_activation={spec(net.output_activation)}, loss={net.loss.name!r})")
        return f"import symnet as sn\n\nnet = {make}\nnet"

    def _code_data(self):
        net = self.net
        params = ", ".join(f'"{p}": {_float_text(v)}' for p, v in self.params.items())
        X = ", ".join("[" + ", ".join(_float_text(s[x]) for x in net.inputs) + "]"
                      for s in self.samples)
        Y = ", ".join("[" + ", ".join(_float_text(s[t]) for t in net.targets) + "]"
                      for s in self.samples)
        return (f"params = {{{params}}}\n"
                f"X = [{X}]  # one row per sample: {', '.join(map(str, net.inputs))}\n"
                f"Y = [{Y}]  # {', '.join(map(str, net.targets))}\n"
                "model = net.compile()")


def worksheet(net, at=None, params=None, lr=None, wrt=None, digits=DIGITS, exercises=False,
              seed=None, samples=1, title=None):
    """A worksheet walking ``net`` through the lecture: definitions, forward pass, chain rule,
    one gradient-descent step.

    * ``at``: a data point ``{"x1": 1, "x2": 0, "y": 1}``, a list of such dicts, or a dict of
      lists (a small table of samples); every input and target must be given.
    * ``params``: ``{"w1": 0.15, …}``, every parameter.
    * ``seed``: draw "nice" numbers (one or two decimals) for whatever of ``at`` and ``params``
      is not given (``samples`` data points); the same seed gives the same worksheet.
    * ``lr``: the learning rate α of the gradient-descent step.
    * ``wrt``: the parameters to derive (default: all of them).
    * ``digits``: significant digits shown (numbers are computed to 30).
    * ``exercises``: results become blanks; ``.key`` is the answer key, and ``save`` writes it
      beside the sheet.

    Numbers need both ``at`` and ``params`` (or ``seed``); without them the worksheet is
    symbolic.

    >>> from symnet.network import Network
    >>> ws = worksheet(Network("2-2-1", loss="half_sse"), at={"x1": 0.05, "x2": 0.1, "y": 0.01},
    ...                params=dict(w1=.15, w2=.2, w3=.25, w4=.3, w5=.4, w6=.45,
    ...                            b1=.35, b2=.35, b3=.6), lr=0.5)
    >>> round(ws.loss, 6), round(ws.gradient["w5"], 6), round(ws.new_params["w5"], 6)
    (0.421018, 0.346403, 0.226798)
    """
    if not isinstance(net, Network):
        raise SymnetError("worksheet() takes a symnet Network, e.g. sn.Network('2-2-1')")
    if not isinstance(digits, int) or isinstance(digits, bool) or not 1 <= digits <= 15:
        raise SymnetError(f"digits must be a whole number from 1 to 15, got {digits!r}")
    if samples != 1 and seed is None:
        raise SymnetError("samples (--samples) says how many data points a seed draws; "
                          "give a seed (--seed) too")
    if seed is not None:
        seed = check_seed(seed)
        if not isinstance(samples, int) or not 1 <= samples <= MAX_SAMPLES:
            raise SymnetError(f"samples must be from 1 to {MAX_SAMPLES}, got {samples!r}")
        drawn_at, drawn_params = nice_numbers(net, seed, samples)
        at = drawn_at if at is None else at
        params = drawn_params if params is None else params
    if (at is None) != (params is None):
        given = "a data point" if params is None else "parameters"
        raise SymnetError("numbers need both a data point (--at, at=) and parameters "
                          f"(--params, params=), and only {given} is given; give both, or a "
                          "seed (--seed) to draw the other")
    sample_list = _samples(net, at) if at is not None else None
    param_values = _params(net, params) if params is not None else None
    if lr is not None:
        lr = exact_number(lr, "the learning rate lr")
        if lr <= 0:
            raise SymnetError(f"the learning rate lr must be positive, got {float(lr):g}")
    if isinstance(wrt, str):
        wrt = [w for w in re.split(r"[,\s]+", wrt) if w]
    chosen = []
    for name in wrt or []:
        p = net.param(name)
        if p not in chosen:
            chosen.append(p)
    sheet = Worksheet(net, sample_list, param_values, lr, chosen or None, digits, title)
    if not exercises:
        return sheet
    key = copy.copy(sheet)
    key._is_key = True
    sheet.student = True
    sheet.key = key
    return sheet


__all__ = ["Worksheet", "worksheet", "check_output", "format_number", "key_path",
           "nice_numbers", "parse_samples"]
