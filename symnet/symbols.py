"""The symbols of derivations: the unevaluated partial ∂A/∂B and a node's δ = ∂L/∂node.

They sit low in the layers so that both the parser (which reads ``∂L/∂N1`` and ``δ1`` in a
student's answer) and the derivations (which print them) use the same classes;
:mod:`symnet.derive` re-exports them.
"""

import sympy as sp


class Partial(sp.Expr):
    """The unevaluated local partial ∂num/∂den, printed with ∂ in both LaTeX and text.

    >>> Partial(sp.Symbol("L"), sp.Symbol("yhat"))
    ∂L/∂yhat
    """

    def __new__(cls, num, den):
        return sp.Expr.__new__(cls, num, den)

    num = property(lambda self: self.args[0])
    den = property(lambda self: self.args[1])

    def _latex(self, printer, exp=None):
        return r"\frac{\partial %s}{\partial %s}" % (printer._print(self.num), printer._print(self.den))

    def _sympystr(self, printer):
        return f"∂{printer._print(self.num)}/∂{printer._print(self.den)}"

    __repr__ = __str__ = lambda self: self._sympystr(sp.StrPrinter())


class Delta(sp.Symbol):
    """δ of a node, ∂L/∂node, as a symbol: ``delta_N1`` printed δ_{N_1}.

    >>> from symnet.printing import latex
    >>> latex(Delta(sp.Symbol("N1")))
    '\\\\delta_{N_{1}}'
    """

    is_delta = True

    def __new__(cls, node):
        return super().__new__(cls, f"delta_{node}")

    @property
    def node(self):
        return sp.Symbol(self.name[len("delta_"):])

    def _latex(self, printer, exp=None):
        tex = r"\delta_{%s}" % printer._print(self.node)
        return tex if exp is None else r"%s^{%s}" % (tex, exp)
