"""Reading an answer and evaluating it exactly: random check points, 40-digit values, agreement.

Check points draw every input, target and parameter as a small exact rational; targets of a
``"probability"`` loss lie in (0, 1), and those of a ``"distribution"`` loss (softmax with
cross-entropy) are positive and sum to 1, the assumption the derivation rests on.
"""

import random
import weakref
from collections.abc import Mapping

import sympy as sp

from ..derive import Partial
from ..errors import ParseError, TooLargeError
from ..parse import notation, parse_answer, spellings
from ..parse.profiles import layer_indexed, readable
from ..symbols import Delta
from ..values import exact_number, finite, show_number
from . import arithmetic
from .hints import unknown_name_hint

N_POINTS = 20
PRECISION = arithmetic.DIGITS
SAME = arithmetic.MP.mpf(10) ** -25  # relative agreement that counts as equal at 40 digits
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


class Point(Mapping):
    """A check point: the leaves' exact values and every node's value to 40 digits, read as
    SymPy numbers by symbol (``point[N1]``); :func:`value` and :func:`truth` evaluate on its
    mpmath values (``point.numbers``), or through SymPy where the net's functions have no
    40-digit translation (then ``numbers`` is None)."""

    def __init__(self, programs, exact, numbers=None, sympy=None):
        self.programs, self.exact, self.numbers = programs, exact, numbers
        self._sympy = sympy
        self.values = {}  # expression → its value here (answers and factors come back)

    @property
    def sympy(self):
        if self._sympy is None:
            nodes = self.programs.symbols[len(self.exact):]
            self._sympy = dict(self.exact)
            self._sympy.update({s: arithmetic.number(x)
                                for s, x in zip(nodes, self.numbers[len(self.exact):])})
        return self._sympy

    def __getitem__(self, symbol):
        return self.exact[symbol] if symbol in self.exact else self.sympy[symbol]

    def __iter__(self):
        return iter(self.programs.symbols)

    def __len__(self):
        return len(self.programs.symbols)


class _Programs:
    """A net's 40-digit programs, compiled once: its forward pass, its derivatives' δ
    programs and the expressions evaluated on it (answers, chain factors)."""

    def __init__(self, graph):
        self.leaves = list(graph.leaves)
        self.symbols = self.leaves + list(graph.definitions)
        self.index = {s: i for i, s in enumerate(self.symbols)}
        self.graph, self.compiled = graph, {}
        self.memo = {}  # what several checks on the net share (see memo())
        try:
            self.forward = arithmetic.compile_program(
                {s: i for i, s in enumerate(self.leaves)}, list(graph.evaluated.items()),
                list(graph.definitions))
        except arithmetic.Unsupported:
            self.forward = None

    def point(self, exact):
        """The :class:`Point` of the leaves' ``exact`` values (a dict by Symbol)."""
        exact = {s: exact[s] for s in self.leaves}
        if self.forward is not None:
            numbers = [arithmetic.mpf(exact[s]) for s in self.leaves]
            try:
                nodes = [arithmetic.real(x) for x in self.forward(numbers)]
            except _UNDEFINED:
                nodes = [None]
            if None not in nodes:  # else SymPy says what an undefined node is (zoo, nan, I)
                return Point(self, exact, numbers + nodes)
        return Point(self, exact, sympy=self.graph.forward(exact, precision=PRECISION))

    def function(self, key, assignments, output):
        if len(self.compiled) > _COMPILED:  # a class's answers, each compiled once: bounded
            self.compiled.clear()
        if key not in self.compiled:
            try:
                self.compiled[key] = arithmetic.compile_program(self.index, assignments,
                                                                [output])
            except arithmetic.Unsupported:
                self.compiled[key] = None
        return self.compiled[key]


_UNDEFINED = (ArithmeticError, ValueError, TypeError)  # 1/0, a complex compared
_COMPILED = 4096  # programs kept per net
_PROGRAMS = weakref.WeakKeyDictionary()


def programs(net):
    """The net's :class:`_Programs` (compiled on first use, kept while the net lives)."""
    graph = getattr(net, "graph", net)  # a Network, a Circuit or a Graph itself
    if graph not in _PROGRAMS:
        _PROGRAMS[graph] = _Programs(graph)
    return _PROGRAMS[graph]


def memo(net, key, make):
    """``make()``, made once per net and ``key``: what a class's checks on one net share
    (check points, a chain's slips, a point's slip numbers)."""
    cache = programs(net).memo
    if key not in cache:
        cache[key] = make()
    return cache[key]


def points(net, seed, n=N_POINTS):
    """Random exact points (inputs, targets and parameters), with every node's value to 40
    digits (made once per net, seed and count)."""
    return memo(net, ("points", seed, n), lambda: _points(net, seed, n))


def _points(net, seed, n):
    rng = random.Random(seed)
    targets = set(getattr(net, "targets", ()))
    kind = getattr(getattr(net, "loss", None), "targets", "real")  # a circuit has no loss
    # ±1/16 … ±2; a layer whose seed draws smaller numbers (an RNN's tanh) up to its largest
    nice = getattr(net, "nice_values", None)
    bound = max(exact_number(abs(v), "a seed's number") for v in nice) if nice else 2
    compiled = programs(net)
    out = []
    for _ in range(n):
        for _ in range(_TRIES):  # a point where a node is undefined (√ of ε < 0) shows nothing
            point = compiled.point(_draw(rng, net.leaves, targets, kind, bound))
            if _defined(point):
                break
        out.append(point)
    return tuple(out)  # shared by every check on the net: not to be changed


_TRIES = 20  # draws per point before one where some node is undefined is kept


def _draw(rng, leaves, targets, kind, bound=2):
    values = {}
    for leaf in leaves:
        if leaf in targets and kind != "real":
            values[leaf] = sp.Rational(rng.randint(1, 9), 10)
        else:
            values[leaf] = sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 16), 16) * bound
    if kind == "distribution":
        total = sum(values[t] for t in targets)
        values.update({t: values[t] / total for t in targets})
    return values


def _defined(point):
    """Whether every node has a finite real value at the point."""
    if point.numbers is not None:
        return True  # the 40-digit forward pass ran: every node is a finite real
    if point.programs.forward is not None:
        return False  # it ran into an undefined node
    return all(v.is_real and v.is_finite for v in point.sympy.values())  # generic f(x)


def value(expr, point):
    """``expr`` at a :class:`Point`, to 40 digits (an mpmath number); nan where it is undefined."""
    if expr not in point.values:
        f = point.programs.function(expr, (), expr) if point.numbers is not None else None
        point.values[expr] = _run(f, point) if f is not None else \
            evalf(expr.xreplace(point.sympy))
    return point.values[expr]


def truth(derivation, point):
    """The derivative's value at a :class:`Point`, by its δ program, to 40 digits."""
    if derivation.wrt == derivation.of:
        return arithmetic.MP.one
    if point.numbers is not None:
        f = point.programs.function(("δ", derivation.of, derivation.wrt),
                                    list(derivation.delta.items()), Delta(derivation.wrt))
        if f is not None:
            return _run(f, point)
    return evalf(derivation.value(point.sympy))


def _run(f, point):
    try:
        x = arithmetic.real(f(point.numbers)[0])
    except _UNDEFINED:
        x = None
    return sp.nan if x is None else x


def evalf(number):
    v = number.evalf(PRECISION)
    return arithmetic.mpf(v) if v.is_real and v.is_finite else sp.nan


def same(a, b):
    """Equal to 40 digits (relative, or absolute near 0); nan only equals nan."""
    if a is sp.nan or b is sp.nan:
        return a is b
    return abs(a - b) <= SAME * max(1, abs(b))


def symbolically_equal(net, a, b):
    """Whether ``a`` and ``b`` (``b`` the true derivative) are equal written out in the
    leaves, when both are small; ``b`` is written out once per net."""
    try:
        b_full = memo(net, ("expanded", b), lambda: sp.expand(net.expand(b, SYMBOLIC_LIMIT)))
        a_full = net.expand(a, SYMBOLIC_LIMIT)
    except TooLargeError:
        return False
    return sp.expand(a_full) - b_full == 0


def number(v):
    return "undefined" if v is sp.nan else show_number(arithmetic.number(v))  # 1e-400 is not shown as 0


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
    """The point's values, at most :data:`SHOWN` of them (a large layer's run to thousands)."""
    shown = [f"{k} = {v:.6g}" for k, v in list(point.items())[:SHOWN]]
    more = len(point) - SHOWN
    return ", ".join(shown) + (f" and {more:,} more (--json gives them all)" if more > 0 else "")


SHOWN = 40  # values of a counterexample's point in its sentence
