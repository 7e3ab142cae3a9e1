"""Diagnoses in words: in the student's own names (h1 if they wrote h1, sigmoid(N1) if they wrote
that), and the sentences of a constant factor off and of dropped paths."""

import sympy as sp

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
        self.to_name, self.to_formula, self.shown = {}, {}, {}
        for node, formula in net.definitions.items():
            if formula.is_Add or node == net.output:
                continue
            named, written = node in answer.free_symbols, answer.has(formula)
            if isinstance(formula, softmax) or (named and not written):
                self.to_name[formula] = node
            elif written and not named:
                self.to_formula[node] = formula

    @property
    def key(self):
        """What decides how this names things (two answers with one key are named alike)."""
        return frozenset(self.to_name.items()), frozenset(self.to_formula.items())

    def __call__(self, expr):
        if expr not in self.shown:  # the detectors name the same factors again and again
            self.shown[expr] = text(self.expr(expr))
        return self.shown[expr]

    def expr(self, expr):
        if isinstance(expr, Partial):  # ∂h1/∂N1 names nodes, whatever the answer wrote
            return expr
        return expr.xreplace(self.to_formula).xreplace(self.to_name)


def constant_sentence(loss, name, c):
    """The sentence for an answer that is ``c`` times the derivative (``loss`` the graph's
    loss, or None)."""
    loss = getattr(loss, "name", None)
    if c == 0:
        return f"your answer is 0, but {name} is not"
    if c == -1 and loss in ("mse", "half_sse"):
        return (f"sign error: your answer is −{name}; check the sign of ∂L/∂ŷ "
                "(the derivative of (y − ŷ)² with respect to ŷ is −2(y − ŷ) = 2(ŷ − y))")
    if c == -1:
        return f"sign error: your answer is −{name}"
    if c == sp.Rational(1, 2) and loss == "mse":
        return f"your answer is 1/2 of {name}: did you differentiate ½(y − ŷ)² instead of (y − ŷ)²?"
    if c == 2 and loss == "half_sse":
        return f"your answer is twice {name}: did you differentiate (y − ŷ)² instead of ½(y − ŷ)²?"
    return f"your answer is {c} times {name}: a constant factor is off"


def path_sentence(paths, keep):
    """"your answer has the path through N1 but misses the path through N2"."""
    inner = lambda p: list(p[1:-1])
    kept = {s for i in keep for s in inner(paths[i])}
    missed = [i for i in range(len(paths)) if i not in keep]
    through = lambda i, other: next((s for s in reversed(inner(paths[i])) if s not in other),
                                    inner(paths[i])[-1] if inner(paths[i]) else paths[i][-1])
    missed_nodes = {s for i in missed for s in inner(paths[i])}
    has = sorted({_name(through(i, missed_nodes)) for i in keep})
    misses = sorted({_name(through(i, kept)) for i in missed})
    if set(has) & set(misses):  # crossing paths: no one node tells them apart, so name them all
        common = set.intersection(*[set(inner(p)) for p in paths])
        whole = lambda i: " then ".join(_name(s) for s in inner(paths[i]) if s not in common)
        has, misses = [whole(i) for i in keep], [whole(i) for i in missed]
    return (f"your answer has the path{'s' * (len(has) > 1)} through {', '.join(has)} but misses "
            f"the path{'s' * (len(misses) > 1)} through {', '.join(misses)}")


def _name(node):
    """A node's name: a plain Symbol's ``name`` is its ``str`` (without the printer's cost)."""
    return node.name if type(node) is sp.Symbol else str(node)


def and_list(items):
    """``"a"``, ``"a and b"``, ``"a, b and c"``.

    >>> and_list(["c", "d", "e"])
    'c, d and e'
    """
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
