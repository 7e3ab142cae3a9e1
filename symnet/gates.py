"""Gates: what one definition of a circuit does, in the words of CS231n's "Backpropagation,
intuitions": an add gate, a multiply gate, a max (or min) gate, a power, a function.

A definition is classified by its structure only: ``q = x + y`` is an add gate, ``f = q*z`` a
multiply gate, ``e = -d`` a multiply gate with the constant -1, ``f = 1/h`` a 1/x gate,
``g = exp(e)`` an exp gate.  Anything else (``d = a*b + b**3``, ``h2 = tanh(h1*u + w*x2)``)
is not one gate: it routes the gradient by its local derivatives, which is said as such.

>>> import sympy as sp
>>> q, x, y = sp.symbols("q x y")
>>> g = gate(q, x + y)
>>> g.kind, g.label, g.inputs
('add', '+', (x, y))
>>> gate(q, -x).label, gate(q, 1 / x).noun
('×-1', 'a 1/x gate')
"""

import functools
from dataclasses import dataclass

import sympy as sp

from .functions import maximum, minimum
from .printing import ordered_factors, ordered_terms, text

_MAX_LABEL = 12  # characters of a definition written inside a drawn gate
_SYMBOLS = {"sigmoid": "σ"}  # a drawn gate's name where the book writes a letter


@dataclass(frozen=True)
class Gate:
    """One definition as a gate: its ``kind`` (``"add"``, ``"multiply"``, ``"max"``,
    ``"min"``, ``"power"``, ``"function"``, ``"constant"`` or ``"other"``), the ``label`` a
    drawing writes in it (``+``, ``×``, ``max``, ``exp``, ``+1``, ``1/x``), its ``inputs`` in
    the order the definition prints them, and ``constant``: the number a one-input add or
    multiply gate adds or multiplies by (else None)."""

    node: sp.Symbol
    expr: sp.Expr
    kind: str
    label: str
    inputs: tuple
    constant: sp.Expr = None

    @property
    def noun(self):
        """The gate in words: ``"an add gate"``, ``"a max gate"``, ``"an exp gate"``."""
        if self.kind == "power":
            name = "1/x" if self.expr.exp == -1 else f"power (**{text(self.expr.exp)})"
        elif self.kind == "function":
            name = type(self.expr).__name__
        else:
            name = self.kind
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name} gate"


_EXTREMA = {maximum: "max", minimum: "min", sp.Max: "max", sp.Min: "min"}


@functools.lru_cache(maxsize=4096)  # the slip detectors ask for every factor's gate
def gate(node, expr):
    """The :class:`Gate` that ``node = expr`` is."""
    added = _add(node, expr) if expr.is_Add else None
    if added is not None:
        return added
    if expr.is_Mul:
        c, factors = expr.as_coeff_mul()
        if all(f.is_Symbol for f in factors) and len(set(factors)) == len(factors):
            one = len(factors) == 1 and c != 1
            label = "×" + text(c) if one else "×"
            return Gate(node, expr, "multiply", label, tuple(ordered_factors(factors)),
                        c if one else None)
    kind = _EXTREMA.get(type(expr))
    if kind is not None and all(a.is_Symbol or a.is_Number for a in expr.args):
        return Gate(node, expr, kind, kind, tuple(a for a in expr.args if a.is_Symbol))
    if expr.is_Pow and expr.base.is_Symbol and expr.exp.is_Number:
        label = "1/x" if expr.exp == -1 else "√" if expr.exp == sp.S.Half else "**" + text(expr.exp)
        return Gate(node, expr, "power", label, (expr.base,))
    if isinstance(expr, sp.Function) and expr.args and expr.args[0].is_Symbol and \
            all(a.is_Number for a in expr.args[1:]):
        name = type(expr).__name__
        return Gate(node, expr, "function", _SYMBOLS.get(name, name), (expr.args[0],))
    if expr.is_Number:
        return Gate(node, expr, "constant", text(expr), ())
    label = text(expr)
    return Gate(node, expr, "other", label if len(label) <= _MAX_LABEL else str(node),
                tuple(sorted(expr.free_symbols, key=sp.default_sort_key)))


def _add(node, expr):
    """An add gate if every term is a name, a negated name or a number, else None."""
    terms = ordered_terms(expr)
    numbers = [t for t in terms if t.is_Number]
    signed = [t for t in terms if not t.is_Number]
    inputs = tuple(t if t.is_Symbol else -t for t in signed)
    if not all(s.is_Symbol for s in inputs) or len(set(inputs)) != len(inputs):
        return None  # 2*c + 1, a*b + b**3: not one gate
    c = sp.Add(*numbers)
    if len(inputs) == 1 and numbers:  # CS231n's "+1" gate
        label = ("+" if c > 0 else "") + text(c)
    elif len(inputs) == 2 and signed[1] != inputs[1]:  # c - d
        label = "−"
    else:
        label = "+"
    return Gate(node, expr, "add", label, inputs, c if len(inputs) == 1 and numbers else None)
