"""Diagnoses in the student's own names: h1 if they wrote h1, sigmoid(N1) if they wrote that."""

from ..derive import Partial
from ..functions import softmax
from ..printing import text


class Names:
    """Shows an expression the way the answer names things.

    An activated node (h1 = sigmoid(N1), ŷ = σ(N3)) is shown by its name when the answer uses
    the name and not the formula, by the formula when the answer uses the formula and not the
    name, and as the derivation has it otherwise.  A softmax output is always shown by its
    name (ŷ1, not the internal ``softmax(1, N3, N4)``).

    >>> import sympy as sp
    >>> from symnet.network import Network
    >>> from symnet.functions import sigmoid
    >>> net = Network("2-2-1", activation="sigmoid")
    >>> N1, h1 = sp.symbols("N1 h1")
    >>> Names(net, h1 * (1 - h1))(sigmoid(N1) * (1 - sigmoid(N1)))
    'h1*(1 - h1)'
    >>> Names(net, sigmoid(N1))(h1)
    'sigmoid(N1)'
    """

    def __init__(self, net, answer):
        self.to_name, self.to_formula = {}, {}
        for node, formula in net.definitions.items():
            if formula.is_Add or node == net.output:
                continue
            named, written = node in answer.free_symbols, answer.has(formula)
            if isinstance(formula, softmax) or (named and not written):
                self.to_name[formula] = node
            elif written and not named:
                self.to_formula[node] = formula

    def __call__(self, expr):
        return text(self.expr(expr))

    def expr(self, expr):
        if isinstance(expr, Partial):  # ∂h1/∂N1 names nodes, whatever the answer wrote
            return expr
        return expr.xreplace(self.to_formula).xreplace(self.to_name)
