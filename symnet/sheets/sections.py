"""The sections of a worksheet, one function each, over a :class:`~symnet.sheets.Worksheet`
and its computed numbers: title, the network, the forward pass, the gradient step.  (The
chain-rule section is in :mod:`symnet.sheets.chain`, a circuit's own sections in
:mod:`symnet.sheets.circuit`.)  Each returns document blocks.  A circuit's sheet reads its
output where a network's reads the loss ``L``."""

import sympy as sp

from ..document import DisplayMath, Heading, InlineMath, Mono, Paragraph, Table
from ..linebreak import Formula, Line, NumberPrinter
from ..printing import latex
from .numbers import format_number

# answer boxes are at least 2.5 cm wide: room for a handwritten number of four digits
BLANK = r"\boxed{\vphantom{\Big|}\hspace{2.5cm}}"
WIDE_BLANK = r"\boxed{\vphantom{\Big|}\hspace{4.5cm}}"


def answer(ws, tex, wide=False):
    """``tex`` on a key or a worksheet, a box on an exercise sheet."""
    if ws.student:
        return WIDE_BLANK if wide else BLANK
    return tex


def num(ws, value):
    return format_number(value, ws.digits)


def shown(ws, values, leaves_only=False):
    keep = set(ws.net.leaves) if leaves_only else None
    return {k: num(ws, v) for k, v in values.items() if keep is None or k in keep}


def names(symbols):
    """``$w_1$, $w_2$ and $b_1$`` as paragraph parts."""
    parts = []
    for i, p in enumerate(symbols):
        parts += [", " if 0 < i < len(symbols) - 1 else " and " if i else "", InlineMath(latex(p))]
    return parts


def title_section(ws):
    net = ws.net
    kind = "Exercises" if ws.student else "Answer key" if ws.is_key else "Worksheet"
    if ws.circuit:
        title = [ws.title] if ws.title else ["the circuit of ", InlineMath(latex(net.output))]
        parts = ["Output: ", InlineMath(latex(net.output)), ". Parameters: ",
                 *(names(net.params) or ["none"]), "."]
        parts += [" Inputs: ", *names(net.inputs), "."] if net.inputs else []
        return _title(ws, [f"{kind}: ", *title], parts)
    title = ws.title or f"the {net.arch} network"
    acts = [a.name for a in net.activations]
    parts = []
    if acts:
        parts += ["Hidden activation" + ("s" if len(set(acts)) > 1 else "") + ": "]
        for i, a in enumerate(acts if len(set(acts)) > 1 else acts[:1]):
            parts += [", " if i else "", Mono(a)]
        parts += [". "]
    parts += ["Output activation: ", Mono(net.output_activation.name), ". Loss: ",
              Mono(net.loss.name), "."]
    return _title(ws, [f"{kind}: {title}"], parts)


def _title(ws, heading, parts):
    blocks = [Heading(1, heading), Paragraph(parts)]
    if ws.student:
        blocks.append(Paragraph(["Fill in every box. Numbers to ", str(ws.digits),
                                 " significant digits; keep full precision in between."]))
    return blocks


def network_section(ws):
    net = ws.net
    lines = [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()]
    blocks = [Heading(2, ["The network"]),
              Paragraph(["Every quantity has its own name, defined from its immediate parents:"]),
              DisplayMath(lines)]
    if net.output_activation.name == "softmax":
        blocks += softmax_definition(net)
    reduction = net.loss.reduction
    loss = latex(net.output)  # L, or the notation's C, J, E_total
    blocks.append(Paragraph([InlineMath(loss), " is the loss of one sample. Over ",
                             InlineMath("n"), f" samples the loss is the {reduction} of the "
                             "samples' losses:"]))
    blocks.append(DisplayMath([Line(loss, [loss_sum(net)])]))
    blocks += [Heading(3, ["Parameters"]), parameter_table(ws)]
    return blocks


def softmax_definition(net):
    """The softmax written out, and the assumption its derivation with cross-entropy makes."""
    pre = [n for n, _ in net.layers[-1]]
    args = ", ".join(latex(n) for n in pre)
    total = " + ".join(r"e^{%s}" % latex(n) for n in pre)
    blocks = [Paragraph(["The softmax turns the output layer's pre-activations into probabilities "
                         "that sum to 1:"]),
              DisplayMath([Line(r"\operatorname{softmax}_{k}\left(%s\right)" % args,
                                [r"\frac{e^{N_{k}}}{%s}" % total])])]
    if net.loss.targets == "distribution":
        blocks.append(Paragraph([
            "The targets of each sample are a probability distribution (one-hot for a class): ",
            InlineMath(" + ".join(latex(t) for t in net.targets) + " = 1"),
            ". With it the chain through the softmax cancels to ",
            InlineMath(r"\frac{\partial L}{\partial N_{k}} = \hat{y}_{k} - y_{k}"), "."]))
    return blocks


def parameter_table(ws):
    net = ws.net
    header = ["Layer", "Parameter", "Connects"] + (["Value"] if ws.params else [])
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
        if ws.params:
            row.append([InlineMath(num(ws, ws.params[p]))])
        rows.append(row)
    return Table(header, rows, "cllr"[:len(header)])


def one_sample(loss, index="i"):
    """One sample's loss in LaTeX: ``L_{i}``; ``{E_{total}}_{i}`` (no double subscript)."""
    return ("{%s}_{%s}" if "_" in loss else "%s_{%s}") % (loss, index)


def loss_sum(net):
    per = net.definitions[net.symbols["L"]]
    if len(net.targets) == 1:
        per = per.xreplace({net.targets[0]: sp.Symbol("y_i"),
                            net.outputs[0]: sp.Symbol("yhat_i")})
        body = latex(per)
        if per.is_Add:
            body = r"\left(%s\right)" % body
    else:
        body = one_sample(latex(net.output))
    return loss_sum_of_samples(net) + body


def loss_sum_of_samples(net, body=""):
    scale = r"\frac{1}{n} " if net.loss.reduction == "mean" else ""
    return scale + r"\sum_{i=1}^{n} " + body


def scaled(net, numbers):
    """``1/n (a + b + c)`` (or the plain sum) as tokens, negative terms subtracted."""
    toks = []
    for i, s in enumerate(numbers):
        op = "" if i == 0 else "-" if s.startswith("-") else "+"
        toks.append((op, s[1:] if op == "-" else s))
    if net.loss.reduction == "mean":
        toks[0] = ("", r"\frac{1}{%d} \Bigl(%s" % (len(numbers), toks[0][1]))
        toks[-1] = (toks[-1][0], toks[-1][1] + r"\Bigr)")
    return toks


def forward_section(ws):
    net, nums = ws.net, ws.numbers
    n = len(ws.samples)
    inputs = list(net.inputs) + ([] if ws.circuit else list(net.targets))
    blocks = [Heading(2, ["Forward pass"])]
    if not ws.circuit:  # a circuit's leaves have their values in its table of leaves
        data = [[[InlineMath(num(ws, s[k]))] for k in inputs] for s in ws.samples]
        blocks.append(Paragraph(["The data point:" if n == 1 else f"The {n} samples:"]))
        blocks.append(Table([[InlineMath(latex(k))] for k in inputs], data, "r" * len(inputs)))
    what = "the leaves' values from the table above, each node" if ws.circuit else \
        "the parameters from the table above, each quantity"
    blocks.append(Paragraph([
        f"With {what} in turn, with the "
        f"numbers substituted. Numbers are shown to {ws.digits} significant digits; "
        "they are computed " + (f"to {nums.precision} digits" if nums.precision else
                                "exactly") + ", so nothing drifts through rounding."]))
    for i, vals in enumerate(nums.values, 1):
        if n > 1:
            blocks.append(Heading(3, [f"Sample {i}"]))
        blocks.append(DisplayMath(forward_lines(ws, vals, i if n > 1 else None)))
    if n > 1:
        blocks += _sample_table(ws, inputs)
    return blocks


def forward_lines(ws, vals, sample=None):
    """``N1 = w1 x1 + … = 0.15·0.05 + … = 0.3775``, one line per definition."""
    net = ws.net
    lines = []
    known = shown(ws, vals, leaves_only=ws.student)
    for node, definition in net.definitions.items():
        if node not in vals:  # a circuit's definition that its output does not read
            continue
        lhs = one_sample(latex(node), sample) if node == net.output and sample else latex(node)
        sides = [Formula(definition)]
        numbered = Formula(definition, NumberPrinter(known), ".")
        tex = numbered.tokens(10**6)[0][1]
        if tex != latex(definition):
            sides.append(numbered)
        value = num(ws, vals[node])
        if tex != value:
            sides.append(answer(ws, value))
        lines.append(Line(lhs, sides))
    return lines


def _sample_table(ws, inputs):
    net, nums = ws.net, ws.numbers
    L = net.symbols["L"]
    loss = latex(L)  # L, or the notation's C, J, E_total
    outs = list(net.outputs)
    header = [[InlineMath(latex(k))] for k in inputs + outs] + [[InlineMath(one_sample(loss))]]
    rows = [[[InlineMath(num(ws, vals[k]))] for k in inputs] +
            [[InlineMath(answer(ws, num(ws, vals[k])))] for k in outs + [L]]
            for vals in nums.values]
    sides = [loss_sum_of_samples(net, one_sample(loss))]
    if not ws.student:
        sides.append(scaled(net, [num(ws, v[L]) for v in nums.values]))
    sides.append(answer(ws, num(ws, nums.loss)))
    return [Paragraph(["In a table, as in the lecture:"]), Table(header, rows, "r" * len(header)),
            Paragraph(["The loss over the samples:"]), DisplayMath([Line(loss, sides)])]


def value_tex(ws, v, paren):
    s = num(ws, v)
    return r"\left(%s\right)" % s if paren and s.startswith("-") else s


def update_intro(ws):
    """(the parameters an update shows, whether they are all of them, the sentence before
    them): an exercise sheet and its key show only the parameters asked about."""
    net = ws.net
    exercise = ws.student or ws.is_key
    asked = [p for p in ws.wrt if p in net.params] if exercise else list(net.params)
    whole = len(asked) == len(net.params)
    after = [InlineMath(latex(net.output)), " after the step"] if ws.circuit \
        else ["the loss after the step"]
    if exercise:
        end = [":"] if not whole else ["; the last line is ", *after, ":"]
        return asked, whole, [Paragraph(["Update ", *names(asked), *end])]
    if whole:
        return asked, whole, [Paragraph(["The last line is ", *after,
                                         f" (before it: {num(ws, ws.numbers.loss)}):"])]
    return asked, whole, []


def update_section(ws):
    """One step of gradient descent: on a worksheet for every parameter and the new loss; on an
    exercise sheet and its key only for the parameters asked about (the others' gradients would
    give answers away), and the new loss only when every parameter is asked about."""
    nums = ws.numbers
    alpha = num(ws, ws.lr)
    blocks = [Heading(2, ["One step of gradient descent"]),
              Paragraph(["Every parameter moves against its gradient, with learning rate ",
                         InlineMath(r"\alpha = " + alpha), ":"]),
              DisplayMath([Line("w(t+1)", [r"w(t) - \alpha \frac{\partial %s}{\partial w}"
                                           % latex(ws.net.output)])])]
    if not nums:
        return blocks
    asked, whole, intro = update_intro(ws)
    if not asked:  # a circuit's exercise that asks about inputs only
        return blocks
    substituted = lambda p: [("", num(ws, ws.params[p])), ("-", alpha),
                             (".", value_tex(ws, nums.grad[p], paren=True))]
    return blocks + intro + [update_display(ws, asked, whole, substituted)]


def update_display(ws, asked, whole, substituted):
    """``p(t+1) = substituted(p) = new value`` for each parameter asked (blank on a student's
    sheet), then the loss after the step when every parameter is updated."""
    nums = ws.numbers
    lines = [Line(latex(p) + "(t+1)", [BLANK] if ws.student
                  else [substituted(p), num(ws, nums.new_params[p])]) for p in asked]
    if whole:  # in the same display, so it never stands alone on a page
        lines.append(Line(latex(ws.net.output), [answer(ws, num(ws, nums.new_loss))]))
    return DisplayMath(lines)


def no_update_section(ws):
    """Without a learning rate there is no step to show; the sheet says so."""
    return [Heading(2, ["One step of gradient descent"]),
            Paragraph(["No update is shown: this sheet has no learning rate. Give one (",
                       Mono("--lr"), ", ", Mono("lr="), ") for a step of ",
                       InlineMath(r"w(t+1) = w(t) - \alpha \frac{\partial L}{\partial w}"), "."])]
