"""Reading an answer and evaluating it exactly: random check points, 40-digit values, agreement.

Check points draw every input, target and parameter as a small exact rational; targets of a
``"probability"`` loss lie in (0, 1), and those of a ``"distribution"`` loss (softmax with
cross-entropy) are positive and sum to 1, the assumption the derivation rests on.
"""

import random

import sympy as sp

from ..derive import Partial
from ..errors import ParseError, TooLargeError
from ..parse import notation, parse_answer, spellings
from ..parse.profiles import layer_indexed, readable
from ..values import finite, show_number
from .hints import unknown_name_hint

N_POINTS = 20
PRECISION = 40
SAME = sp.Float(10) ** -25  # relative agreement that counts as equal at 40 digits
SYMBOLIC_LIMIT = 300  # expanded sizes up to which the symbolic comparison is tried


def read_answer(net, answer, wrt=None):
    """``answer`` (text, a SymPy expression or a number) as an expression in the net's names;
    δ symbols (``delta_N1``, ``delta_1``) and ∂A/∂B partials are replaced by their values.
    The parser gets the net (for f'(z)) and ``wrt`` (a left side ∂L/∂… must name it)."""
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        finite(answer, "your answer")  # nan, inf and 10**5000 are refused
        return sp.Float(answer) if isinstance(answer, float) else sp.Integer(answer)
    if not isinstance(answer, sp.Basic):
        if getattr(net, "layers", None) and isinstance(answer, str):
            answer = layer_indexed(answer)  # Ng's z^{[1]}_2, Nielsen's a^2_1
        try:
            answer = parse_answer(answer, readable(net, spellings(net.symbols.values())), net=net,
                                  wrt=wrt)
        except ParseError as exc:
            raise unknown_name_hint(net, exc) from None
    return resolve(net, answer)


def resolve(net, expr):
    """``expr`` with δ symbols and :class:`~symnet.derive.Partial` objects replaced by values."""
    found = {}
    for s in expr.free_symbols:
        node = delta_node(net, s)
        if node is not None:
            found[s] = net.derive(node).result
    for p in expr.atoms(Partial):
        found[p] = partial_value(net, p.num, p.den)
    return expr.xreplace(found) if found else expr


def delta_node(net, symbol):
    """The node whose δ ``symbol`` names (``delta_N1`` → N1, ``delta_1`` → N1), or None."""
    if str(symbol) in net.symbols:
        return None
    node = notation.delta_node(str(symbol), net.symbols)
    return node if node in net.definitions else None


def partial_value(net, num, den):
    """∂num/∂den on the net: a local partial of a definition, or a derivation."""
    if num in net.definitions and den in net.parents.get(num, ()):
        return net.local(num, den)
    return net.derive(den, of=num).result


def points(net, seed, n=N_POINTS):
    """Random exact points (inputs, targets and parameters), with every node's value to 40 digits."""
    rng = random.Random(seed)
    targets = set(getattr(net, "targets", ()))
    kind = getattr(getattr(net, "loss", None), "targets", "real")  # a circuit has no loss
    out = []
    for _ in range(n):
        values = {}
        for leaf in net.leaves:
            if leaf in targets and kind != "real":
                values[leaf] = sp.Rational(rng.randint(1, 9), 10)
            else:
                values[leaf] = sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 16), 8)
        if kind == "distribution":
            total = sum(values[t] for t in targets)
            values.update({t: values[t] / total for t in targets})
        out.append(net.forward(values, precision=PRECISION))
    return out


def value(expr, values):
    """``expr`` at a point, to 40 digits; nan where it is undefined."""
    return evalf(expr.xreplace(values))


def evalf(number):
    v = number.evalf(PRECISION)
    return v if v.is_real and v.is_finite else sp.nan


def same(a, b):
    """Equal to 40 digits (relative, or absolute near 0); nan only equals nan."""
    if a is sp.nan or b is sp.nan:
        return a is b
    return abs(a - b) <= SAME * max(1, abs(b))


def symbolically_equal(net, a, b):
    try:
        a_full, b_full = net.expand(a, SYMBOLIC_LIMIT), net.expand(b, SYMBOLIC_LIMIT)
    except TooLargeError:
        return False
    return sp.expand(a_full - b_full) == 0


def number(v):
    return "undefined" if v is sp.nan else show_number(v)  # 1e-400 is not shown as 0


def counterexample(net, values, answer, derivation, a, e):
    involved = answer.free_symbols | derivation.nodes
    used = ancestry(net, involved)
    point = {str(s): float(values[s]) for s in net.leaves if s in used}
    point.update({str(s): float(values[s]) for s in net.definitions
                  if s in involved and s != derivation.of})
    return {"point": point, "answer": None if a is sp.nan else float(a),
            "expected": None if e is sp.nan else float(e)}


def ancestry(net, symbols):
    seen, stack = set(), list(symbols)
    while stack:
        s = stack.pop()
        if s not in seen:
            seen.add(s)
            stack.extend(net.parents.get(s, ()))
    return seen


def show_point(point):
    return ", ".join(f"{k} = {v:.6g}" for k, v in point.items())
