"""A worksheet's numbers: reading the user's, showing them rounded, and computing every value
(forward pass, gradients, the step) exactly or to 30 digits; a circuit's by its
:class:`~symnet.sweep.Sweep`, the same numbers ``circuit.at(point)`` gives."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import sympy as sp

from ..derive import gradients
from ..errors import SymnetError, UnknownNameError, listed
from ..generics import require_formulas
from ..parse import parse_assignments
from ..values import exact_number

PRECISION = 30          # decimal digits every number is computed with
DIGITS = 4              # significant digits shown, by default
MAX_SAMPLES = 10        # rows of data a worksheet walks through


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


def float_text(value):
    """A number as Python source: the shortest float that rounds to it."""
    return repr(float(value))


def parse_samples(texts):
    """``--at`` values (each ``"x1=1,x2=0,y=1"``, several separated by ``;``) → list of dicts.

    >>> parse_samples("x1=1,y=0; x1=2,y=1")
    [{'x1': 1.0, 'y': 0.0}, {'x1': 2.0, 'y': 1.0}]
    """
    out = []
    for text in [texts] if isinstance(texts, str) else texts:
        for part in text.split(";"):
            if part.strip():
                out.append(parse_assignments(part.strip()))
    if not out:
        raise SymnetError("--at is empty; expected name=value pairs like x1=1,x2=0,y=1")
    return out


def _as_list(at):
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
    return at


def samples(net, at):
    """``at`` (a dict, a list of dicts, or a dict of lists) → a list of {Symbol: Rational}."""
    at = _as_list(at)
    wanted = list(net.inputs) + list(net.targets)
    names = listed(wanted)
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
            raise SymnetError(f"{where} is missing {listed(missing)}; give every input and "
                              f"target: {names}")
        out.append({s: given[s] for s in wanted})
    return out


def parameters(net, params):
    """``{"w1": 0.15, …}`` → ``{Symbol: Rational}`` for every parameter, in the network's order."""
    if not isinstance(params, dict):
        raise SymnetError("params= must be a dict from parameter name to number, e.g. "
                          "{'w1': 0.15, …}")
    given = {}
    for name, value in params.items():
        given[net.param(name)] = exact_number(value, f"parameter {name}")
    missing = [p.name for p in net.params if p not in given]
    if missing:
        raise SymnetError(f"the parameters are missing {listed(missing)}; give every "
                          f"parameter: {listed(net.params)}")
    return {p: given[p] for p in net.params}


def circuit_point(circuit, at, params):
    """A circuit's one point from ``at`` (a dict by name, or a list of one) and ``params`` (more
    leaves' values, the parameters'): ``([{leaf: value}], {parameter: value})``, every leaf
    given exactly once; ``(None, None)`` without numbers."""
    if at is None and params is None:
        return None, None
    given = {}
    for values, option in ((at, "at="), (params, "params=")):
        if isinstance(values, (list, tuple)) and len(values) == 1:
            values = values[0]
        if values is None:
            continue
        if not isinstance(values, dict):
            raise SymnetError(f"{option} of a circuit must be one point, a dict from each leaf's "
                              "name to its value, e.g. {'x': -2, 'y': 5}")
        for name, value in values.items():
            leaf = circuit.leaf(name)
            if leaf in given:
                raise SymnetError(f"{leaf} is given twice (in at= and params=); give each "
                                  "leaf once")
            given[leaf] = exact_number(value, f"the value of {leaf}")
    missing = [s for s in circuit.leaves if s not in given]
    if missing:
        raise SymnetError(f"the point is missing {listed(missing)}; give every leaf of the "
                          f"circuit: {listed(circuit.leaves)}")
    return [{s: given[s] for s in circuit.leaves}], {p: given[p] for p in circuit.params}


def evaluate(expr, values, precision=PRECISION):
    """``expr`` at ``values``: exact when it is rational, else to ``precision`` digits."""
    # expr is symnet's own (a gradient, a factor, a sum of them) or a Python number
    value = expr.xreplace(values) if isinstance(expr, sp.Basic) else sp.Number(expr)
    if not value.is_Rational:
        value = value.evalf(precision or PRECISION)
    return value


class _Overflow(Exception):
    """A number came out infinite or undefined at this precision (σ(100) rounds to 1)."""


@dataclass
class Numbers:
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
    sweep: object = None              # a circuit's numbers on every node (a Sweep)


def reduce(net, xs):
    """The samples' losses (or gradients) combined as the loss says: their sum or their mean."""
    total = sp.Add(*xs)
    return total / len(xs) if net.loss.reduction == "mean" else total


def compute(net, derivations, sample_list, params, step=None):
    """The :class:`Numbers` of a worksheet.

    A network of sums and products stays exact; anything else is evaluated to 30 digits, or
    more where 30 are not enough (σ(100) rounds to 1, and ∂L/∂ŷ of bce divides by 1 − ŷ).
    ``step`` (a :class:`~symnet.sheets.steps.Step`, or ``None``) gives the parameters after
    one step and the loss there.
    """
    require_formulas(net.generic_functions, "show a worksheet's numbers")
    if all(d.is_polynomial() for d in net.definitions.values()):
        return _compute_at(net, derivations, sample_list, params, step, None)
    for precision in (PRECISION, 120, 600):
        try:
            return _compute_at(net, derivations, sample_list, params, step, precision)
        except _Overflow:
            pass
    raise SymnetError("the numbers overflow even when computed to 600 digits; use smaller "
                      "inputs or parameters")


def _compute_at(net, derivations, sample_list, params, step, precision):
    L = net.symbols["L"]

    def ev(expr, values=None):
        value = evaluate(expr, values or {}, precision)
        if value.is_finite is not True:
            raise _Overflow
        return value

    values = [net.forward({**params, **s}, precision=precision) for s in sample_list]
    compact = gradients(net.graph, net.params)
    grads = [{p: ev(compact[p], v) for p in net.params} for v in values]
    factors = {p: [{f: ev(e, v) for f, e in d.factors.items()} for v in values]
               for p, d in derivations.items()}
    nums = Numbers(values, ev(reduce(net, [v[L] for v in values])), grads,
                   {p: ev(reduce(net, [g[p] for g in grads])) for p in net.params},
                   factors, precision)
    if step is not None:
        nums.new_params = {p: ev(step.new_value(v, nums.grad[p])) for p, v in params.items()}
        after = [net.forward({**nums.new_params, **s}, precision=precision)[L]
                 for s in sample_list]
        nums.new_loss = ev(reduce(net, after))
    return nums


def circuit_numbers(circuit, derivations, point, step=None):
    """The :class:`Numbers` of a circuit's worksheet at ``point`` (``{leaf: value}``): its
    :class:`~symnet.sweep.Sweep`'s values and gradients (∂output/∂leaf for every leaf, 0 for a
    leaf the output does not read), each derivation's factors; with ``step`` the parameters
    after it and the output there.  ``loss`` is the output's value."""
    require_formulas(circuit.graph.generic_functions, "show a worksheet's numbers")
    sweep = circuit.at(point)
    values = {**sweep.point, **sweep.values}
    grad = {s: sweep.gradients.get(s, sp.S.Zero) for s in circuit.leaves}
    factors = {p: [{f: evaluate(e, values) for f, e in d.factors.items()}]
               for p, d in derivations.items()}
    exact = all(v.is_Rational for v in values.values())
    nums = Numbers([values], values[circuit.output], [grad], grad, factors,
                   None if exact else PRECISION, sweep=sweep)
    if step is not None:
        nums.new_params = {p: step.new_value(point[p], grad[p]) for p in circuit.params}
        nums.new_loss = circuit.at({**point, **nums.new_params}).values[circuit.output]
    return nums
