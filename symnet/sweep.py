"""Numbers on every node: a graph's forward values at a point, the gradient of its output on
every node, and one sentence per gate saying how it routes the gradient.

The gradients are the reverse sweep evaluated at the point: ∂f/∂f = 1, and each node passes
on to each of its inputs its own gradient times the local derivative there.  The sentences are
CS231n's "Backpropagation, intuitions": an add gate passes the gradient on to its inputs, a
multiply gate gives each input the gradient times the other input, a max gate gives all of it
to the larger input, and gradients add up at forks (a node used twice).

Values stay exact (rational) while every step is, as for exact inputs through sums, products
and integer powers; a step such as exp gives 30-digit numbers from there on.  The size of each
step is estimated from the numbers it reads before it is computed (:mod:`symnet.bounds`), so
``a = x**1000; b = a**1000`` at x = 10 is refused, not started.

>>> import sympy as sp
>>> from symnet.graph import Graph
>>> q, f, x, y, z = sp.symbols("q f x y z")
>>> s = Sweep(Graph({q: x + y, f: q*z}), {"x": -2, "y": 5, "z": -4})
>>> s.values[f], s.gradients[x], s.gradients[y], s.gradients[z]
(-12, -4, -4, 3)
>>> print(s.routes[1])
q = x + y is an add gate: it passes its gradient -4 on to both inputs: x gets -4 and y gets -4
"""

import sympy as sp

from .bounds import MAX_DIGITS, MAX_MAGNITUDE, cost, value_cost
from .errors import SymnetError, TooLargeError, UnknownNameError, did_you_mean, listed
from .gates import gate
from .generics import require_formulas
from .printing import Renderable, Table, latex, text
from .symbols import Partial
from .values import show_number, sympy_number

DIGITS = 30  # of a value that is not rational
MAX_PATHS_SHOWN = 16  # a chain of more paths is shown by its value only


class Sweep(Renderable):
    """``of`` (default the graph's output) and its gradient on every node at the point ``at``
    (the leaves' values by name or Symbol).

    * ``values``: every node's value, the leaves' and the definitions' that ``of`` reads;
    * ``gradients``: ∂of/∂node on each of those nodes;
    * ``shares``: ``{(node, input): the part of the input's gradient that comes through node}``;
    * ``locals``: ``{(node, input): the local derivative ∂node/∂input at the point}``;
    * ``gates``: each definition's :class:`~symnet.gates.Gate`;
    * ``routes``: one sentence per gate (from ``of`` back) and per fork.

    With a ``derivation`` (:meth:`symnet.derive.Derivation.at`) the rendering ends with its
    chain evaluated at the point, factor by factor.
    """

    def __init__(self, graph, at, of=None, derivation=None):
        # a generic function evaluates to a stand-in formula (for checking at random points):
        # its numbers would mean nothing here
        require_formulas(graph.generic_functions, "put numbers on the nodes")
        self.graph = graph
        self.of = graph.output if of is None else of
        self.derivation = derivation
        self.nodes = reads(graph, self.of)
        self.point = self._point(at)
        self.values = self._forward()
        self.gradients, self.shares, self.locals = self._backward()
        self.gates = {n: gate(n, graph.definitions[n]) for n in self.nodes
                      if n in graph.definitions}

    def _point(self, at):
        if not isinstance(at, dict):
            raise SymnetError("the point must be a dict from each leaf's name to its value, "
                              "e.g. {'x': -2, 'y': 5}")
        leaves = [s for s in self.nodes if s not in self.graph.definitions]
        point = {}
        for name, value in at.items():
            symbol = self.graph.symbols.get(str(name))
            if symbol is None:
                raise UnknownNameError(f"unknown name {str(name)!r} in the point"
                                       f"{did_you_mean(name, self.graph.symbols)}; give values "
                                       f"of the leaves: {listed(self.graph.leaves)}")
            if symbol in self.graph.definitions:
                raise SymnetError(f"{symbol} is defined ({symbol} = "
                                  f"{text(self.graph.definitions[symbol])}); give values of "
                                  f"the leaves only: {listed(self.graph.leaves)}")
            point[symbol] = sympy_number(value, str(symbol))
        missing = [s for s in leaves if s not in point]
        if missing:
            raise SymnetError(f"missing values for {listed(missing)}")
        return point

    def _forward(self):
        values = {s: self.point[s] for s in self.nodes if s in self.point}
        for node in self.nodes:
            if node not in values:
                what = f"{node} = {text(self.graph.definitions[node])}"
                values[node] = _evaluate(self.graph.definitions[node], values, what)
        return values

    def _backward(self):
        gradients = {s: sp.S.Zero for s in self.nodes}
        gradients[self.of] = sp.S.One
        sizes = {s: sp.S.Zero for s in self.nodes}  # Σ |share|: what a gradient's sum cancels
        shares, local_values = {}, {}
        for node in reversed(self.nodes):  # a node's gradient is whole once its uses are in
            gradients[node] = _cancelled(gradients[node], sizes[node])
            if node not in self.graph.definitions:
                continue
            for p in self.graph.parents[node]:
                expr = self.graph.local(node, p)
                self._sibling_values(expr)
                local = _evaluate(expr, self.values, text(Partial(node, p)))
                local_values[node, p] = local
                shares[node, p] = _checked(gradients[node] * local, f"∂{self.of}/∂{p}")
                gradients[p] = _checked(gradients[p] + shares[node, p], f"∂{self.of}/∂{p}")
                sizes[p] += abs(shares[node, p])
        return gradients, shares, local_values

    def _sibling_values(self, expr):
        """The values of nodes ``expr`` names that ``of`` does not read: a softmax's local
        derivative, ∂p3/∂z2 = −p3·p2, names p2 under L = −log p3."""
        for s in sorted(expr.free_symbols - self.values.keys(), key=self.graph.order.get):
            definition = self.graph.definitions[s]
            self._sibling_values(definition)
            self.values[s] = _evaluate(definition, self.values, f"{s} = {text(definition)}")

    # ------------------------------------------------------------------ words

    @property
    def routes(self):
        """One sentence per gate, from ``of`` back, and one per fork (plain text)."""
        return [_render(s, "text") for s in self._sentences()]

    def sentence_pieces(self, digits=6):
        """Each routing sentence (:attr:`routes`) as pieces for a document: plain text (a
        str) and LaTeX math (a 1-tuple ``(tex,)``), numbers to ``digits`` significant digits."""
        return [[p if isinstance(p, str) else (_render([p], "latex", digits)[1:-1],) for p in s]
                for s in self._sentences()]

    def _sentences(self):
        out = []
        for node in reversed(self.nodes):  # a node's fork, once all its uses have routed
            if node in self.gates:
                out += [s for s in (self._fork(node), self._route(self.gates[node])) if s]
        leaves = [self._fork(s) for s in self.nodes if s not in self.gates]
        return out + [s for s in leaves if s]

    def _fork(self, node):
        uses = [c for c in self.graph.children.get(node, ()) if (c, node) in self.shares]
        if len(uses) < 2:
            return None
        times = "twice" if len(uses) == 2 else f"{len(uses)} times"
        shares = [self.shares[c, node] for c in uses]
        total = _math(Partial(self.of, node), "=", *_joined(shares, "+"), "=",
                      self.gradients[node])
        return [_math(node), f" is used {times} (by ", *_and([_math(c) for c in uses]),
                "): the gradients add up at the fork: ", total]

    def _route(self, g):
        """How gate ``g`` routes its gradient, in words (None for a constant)."""
        if not g.inputs:
            return None
        node, d, inputs = g.node, self.gradients[g.node], g.inputs
        head = [_math(node, "=", g.expr), f" is {g.noun}: "]
        if g.kind == "add":
            to = {1: "its input", 2: "both inputs"}.get(len(inputs), "every input")
            rule = ["it passes its gradient ", _math(d), f" on to {to}"]
            negated = [x for x in inputs if self.locals[node, x] == -1]
            if negated:
                rule += [", negated for ", _math(*_joined(negated, ","))]
        elif g.kind == "multiply" and g.constant is not None:
            rule = ["it gives ", _math(inputs[0]), " its gradient ", _math(d), " times ",
                    _math(g.constant)]
        elif g.kind == "multiply":
            other = "the other input" if len(inputs) == 2 and g.expr.as_coeff_mul()[0] == 1 \
                else "the other factors"
            rule = ["it gives each input its gradient ", _math(d), f" times {other}"]
        elif g.kind in ("max", "min"):
            at = [self.values[x] for x in inputs]
            chosen = max(at) if g.kind == "max" else min(at)
            rule = ["its inputs tie at ", _math(chosen), ", so its gradient ", _math(d),
                    " is split as its local derivatives say"] if at.count(chosen) > 1 else \
                ["it gives all of its gradient ", _math(d),
                 f" to the {'larger' if g.kind == 'max' else 'smaller'} input"]
        elif g.kind in ("power", "function"):
            rule = ["it multiplies its gradient ", _math(d), " by its local derivative ",
                    self._local(node, inputs[0])]
        else:
            head = [_math(node, "=", g.expr), " is not a single gate; its local derivatives are "]
            rule = _and([self._local(node, x) for x in inputs])
        passed = g.kind in ("add", "max", "min")  # a share as it is, not as a product
        gets = [[_math(x), " gets ", _math(self.shares[node, x]) if passed else
                 _math(d, "·", self.locals[node, x], "=", self.shares[node, x])] for x in inputs]
        return head + rule + [": "] + _and(gets)

    def _local(self, node, x):
        """∂node/∂x = its expression = its value here (the expression left out if a number)."""
        local = self.graph.local(node, x)
        shown = (local,) if local.is_Number else (local, "=", self.locals[node, x])
        return _math(Partial(node, x), "=", *shown)

    # ------------------------------------------------------------------ rendering

    def _table(self, fmt):
        cell = lambda *p: _render([_math(*p)], fmt)
        rows = []
        for node in self.nodes:
            definition = self.graph.definitions.get(node)
            rows.append([cell(node), cell(self.values[node]), cell(self.gradients[node]),
                         cell(node, "=", definition) if definition is not None else ""])
        headers = ["node", "value", _render([_math(Partial(self.of, sp.Symbol("node")))], fmt),
                   "definition"]
        return Table(headers, rows, align="lrrl")

    def _point_line(self, fmt):
        at = [_math(s, "=", self.point[s]) for s in self.nodes if s in self.point]
        return _render(["at " if fmt == "text" else "At "] + _and(at) + [":"], fmt)

    def _chain(self, fmt):
        """∂of/∂wrt as the derivation's chain, then its factors' values, then the value."""
        d = self.derivation
        if d is None or d.wrt not in self.gradients:
            return None
        partial = Partial(d.of, d.wrt)
        if d.n_paths > MAX_PATHS_SHOWN:
            return _render([_math(partial, "=", self.gradients[d.wrt]),
                            f" (a sum over {d.n_paths:,} paths)"], fmt)
        exprs, numbers = [], []
        for path in d.chain_value.paths:
            exprs.append([v for _, v in path.factors])
            numbers.append([_evaluate(v, self.values, text(f)) for f, v in path.factors])
        steps, previous = [partial], None
        for stage in (_sum_of_products(exprs), _sum_of_products(numbers), [self.gradients[d.wrt]]):
            shown = _render([_math(*stage)], "text")
            if shown != previous:  # ∂f/∂q = z = 3, not z = 3 = 3
                steps += ["=", *stage]
            previous = shown
        return _render([_math(*steps)], fmt)

    def _blocks(self, fmt):
        point, table = self._point_line(fmt), self._table(fmt)
        sentences = [_render(s, fmt) for s in self._sentences()]
        if fmt == "text":
            blocks = [point + "\n" + table.text(), "\n".join(sentences)]
        elif fmt == "markdown":
            blocks = [point, table.markdown(), "\n".join("- " + s for s in sentences)]
        else:
            blocks = [point, table.latex(cell=str), "\n\n".join(sentences)]
        chain = self._chain(fmt)
        return "\n\n".join(blocks + ([chain] if chain else []))

    def text(self):
        return self._blocks("text")

    def markdown(self):
        return self._blocks("markdown")

    def latex(self):
        return self._blocks("latex")

    def _repr_markdown_(self):
        return self.markdown()


def reads(graph, of):
    """``of`` and every node it reads: the leaves (in the graph's order), then the definitions
    in order."""
    seen, stack = {of}, [of]
    while stack:
        for p in graph.parents.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return [s for s in graph.leaves if s in seen] + [s for s in graph.definitions if s in seen]


# ---------------------------------------------------------------------- numbers


def _evaluate(expr, values, what):
    """``expr`` at ``values``: exact if rational, else to :data:`DIGITS` digits; refused
    before the work when the result would be too large, and when it is not a finite real."""
    known = {s: value_cost(values[s]) for s in expr.free_symbols}
    c = cost(expr, known)
    if c.largest > MAX_MAGNITUDE or c.digits > MAX_DIGITS:
        size = c.largest if c.largest > MAX_MAGNITUDE else c.digits
        limit = MAX_MAGNITUDE if c.largest > MAX_MAGNITUDE else MAX_DIGITS
        raise TooLargeError(f"{what} at this point would be a number of about {size:,.0f} "
                            f"digits; symnet computes with at most {limit:,} (smaller values)")
    value = expr.xreplace(values)
    if not value.is_Rational:
        value = value.evalf(DIGITS)
    if not (value.is_Rational or value.is_Float):
        reason = "not a real number" if value.is_finite else "undefined or infinite"
        raise SymnetError(f"{what} is {reason} at this point ({text(value)[:40]})")
    return _checked(value, what)


def _checked(value, what):
    if value.is_Rational and value_cost(value).digits > MAX_DIGITS:
        raise TooLargeError(f"{what} at this point is a number of about "
                            f"{value_cost(value).digits:,.0f} digits; symnet computes with at "
                            f"most {MAX_DIGITS:,} (smaller values)")
    return value


def _cancelled(value, size):
    """0 where ``value``, a sum of shares of total size ``size`` computed to :data:`DIGITS`
    digits, is below what those digits resolve: the shares cancel (batch norm's ∂L/∂x_i with
    Bessel's n − 1 at some points; attention's ∂L/∂q where two keys are equal), and its digits
    would be rounding noise (5.9e-31 for 0, which a quiz would ask for)."""
    if value.is_Float and abs(value) <= size * _RESOLVED:
        return sp.S.Zero
    return value


_RESOLVED = sp.Float(10) ** (5 - DIGITS)  # 5 digits of margin under the 30 computed


def number(value, digits=6):
    """A value as a reader wants it: an integer or a short decimal exactly, else ``digits``
    significant digits.

    >>> number(sp.Integer(-12)), number(sp.Rational(-1, 4)), number(sp.Rational(1, 3))
    ('-12', '-0.25', '0.333333')
    """
    if value.is_Integer:
        return str(value)
    if value.is_Rational:
        shown = _decimal(value)
        if shown is not None and len(shown.lstrip("-0.").replace(".", "")) <= digits:
            return shown
    return show_number(value, digits)


def _decimal(value):
    """The exact decimal of a rational whose denominator is 2^a 5^b, else None."""
    q, twos, fives = value.q, 0, 0
    while q % 2 == 0:
        q, twos = q // 2, twos + 1
    while q % 5 == 0:
        q, fives = q // 5, fives + 1
    if q != 1:
        return None
    places = max(twos, fives)
    scaled = abs(value.p) * 10**places // value.q
    digits = str(scaled).rjust(places + 1, "0")
    shown = (digits[:-places] + "." + digits[-places:]).rstrip("0").rstrip(".") if places \
        else digits
    return ("-" if value.p < 0 else "") + shown


# ---------------------------------------------------------------------- words in three formats

_OPERATORS = {"·": (" · ", r" \cdot "), "=": (" = ", " = "), "+": (" + ", " + "),
              ",": (", ", ", ")}


def _math(*parts):
    """A span of mathematics: expressions, numbers and the operators ·, =, + and ','."""
    return ("math", parts)


def _joined(items, operator):
    out = []
    for item in items:
        out += [operator, item] if out else [item]
    return out


def _sum_of_products(products):
    out = []
    for product in products:
        if out:
            out.append("+")
        out += _joined(product, "·") if product else [sp.S.One]
    return out


def _and(items):
    """Pieces of a sentence listing ``items`` (pieces, or lists of them): ``a``, ``a and b``,
    ``a, b and c``."""
    out = []
    for i, item in enumerate(items):
        if i:
            out.append(", " if i < len(items) - 1 else " and ")
        out += item if isinstance(item, list) else [item]
    return out


def _render(pieces, fmt, digits=6):
    """A sentence of strings and math spans in ``fmt``: math as symnet's text, or as $LaTeX$;
    numbers to ``digits`` significant digits."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        parts = piece[1]
        shown = []
        for i, part in enumerate(parts):
            if isinstance(part, str):
                shown.append(_OPERATORS[part][fmt != "text"])
                continue
            # a negative number in a product, or after '+', in parentheses: 1 · (-4), 7 + (-2)
            beside = [parts[j] for j in (i - 1, i + 1) if 0 <= j < len(parts)]
            shown.append(_show(part, fmt, "·" in beside or (i > 0 and parts[i - 1] == "+"),
                               digits))
        span = "".join(shown)
        out.append(span if fmt == "text" else f"${span}$")
    return "".join(out)


def _show(value, fmt, bracket, digits):
    if value.is_Number:
        s = number(value, digits)
        if fmt != "text":
            mantissa, e, exponent = s.partition("e")
            s = rf"{mantissa} \times 10^{{{int(exponent)}}}" if e else s
        if bracket and value < 0:
            s = f"({s})" if fmt == "text" else rf"\left({s}\right)"
        return s
    s = text(value) if fmt == "text" else latex(value)
    if bracket and (value.is_Add or (value.is_Mul and value.as_coeff_mul()[0] < 0)):
        s = f"({s})" if fmt == "text" else rf"\left({s}\right)"
    return s

