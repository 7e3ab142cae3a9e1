"""A whitelist parser for math typed by users: numbers, operators, parentheses, names, a fixed
set of functions, and the notations of textbooks (σ'(z), θ(z), tanh²(z), ŷ₁, δ1, ∂L/∂N1, LaTeX).

SymPy's ``sympify`` and ``parse_expr`` run Python's ``eval`` on their input, so text typed by a
user must never reach them.  This parser reads the text token by token and builds SymPy objects
itself; anything outside the grammar is rejected with a :class:`~symnet.errors.ParseError` that
names the offending token, what is allowed, and the nearest accepted spelling.

>>> parse_expression("2x(1 - x)")
2*x*(1 - x)
>>> parse_definitions("m = x**2; z = m**2")
{m: x**2, z: m**2}
"""

from .answers import parse_answer, parse_assignments, parse_definitions, spellings
from .grammar import MAX_DEPTH, MAX_EXP_ARGUMENT, MAX_EXPONENT, known_functions, parse_expression
from .latex import LATEX_ALLOWED, latex_to_plain
from .tokens import MAX_LENGTH, check_name, tokenize

__all__ = ["LATEX_ALLOWED", "MAX_DEPTH", "MAX_EXPONENT", "MAX_EXP_ARGUMENT", "MAX_LENGTH",
           "check_name", "known_functions", "latex_to_plain", "parse_answer", "parse_assignments",
           "parse_definitions", "parse_expression", "spellings", "tokenize"]
