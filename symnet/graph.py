"""Graphs of named SymPy definitions: parents, children, local partials, forward, expand.

Every intermediate quantity is a Symbol with a short definition in terms of its immediate
parents (``N1 = w1*x1 + w2*x2 + b1``, ``h1 = sigmoid(N1)``, ``L = (y - yhat)**2``).  Derivatives
are taken of these short definitions, never of one nested expression.

>>> import sympy as sp
>>> m, x, z = sp.symbols("m x z")
>>> g = Graph({m: x**2, z: m**2})
>>> g.local(z, m), g.forward({"x": 3})[z]
(2*m, 81)
"""

import functools
import operator
from functools import cached_property

import sympy as sp

from .bounds import MAX_DEPTH, cost
from .canonical import add, mul, plain_symbol, power
from .collector import paused
from .errors import SymnetError, TooLargeError, UnknownNameError, did_you_mean, listed
from .functions import softmax, stable_logs
from .generics import generics_in
from .values import sympy_number

EXPAND_LIMIT = 20_000  # nodes of an expanded expression
_NAME = operator.attrgetter("name")
_ONE = sp.S.One


class Graph:
    """Named definitions in topological order; the last one is the output (``of``).

    ``distribution``, a pair ``(outputs, targets)`` of equal-length lists of symbols, states
    that the targets sum to 1, one per output (one-hot labels under a cross-entropy loss): the
    assumption under which δ of a softmax input is ŷ_i − y_i (see :mod:`symnet.derive`).

    >>> m, x, z = sp.symbols("m x z")
    >>> g = Graph({m: x**2, z: m**2})
    >>> g.children[m], g.leaves
    ([z], [x])
    """

    @paused
    def __init__(self, definitions, output=None, distribution=None):
        self.definitions = dict(definitions)
        if not self.definitions:
            raise SymnetError("no definitions given; expected at least one 'name = expression'")
        self.output = output if output is not None else list(self.definitions)[-1]
        self.order = {s: i for i, s in enumerate(self.definitions)}
        self._keys = {}  # each symbol's sort key once: a symbol is in many definitions
        self._locals, self._term_index = {}, {}  # {child: {parent: ∂child/∂parent}}, …
        self._divisions = {}  # what divides(): {id(part): (part, answer)}
        self.sort_keys = {}  # for symnet.canonical: the parts of δ's are ranked once per graph
        # each definition's symbols: a sum's in the order of its terms (sorted when parents is
        # first read: the reverse sweep reads children only), another's sorted
        self._written_in = {s: self._indexed(s, e) if e.is_Add else
                            _sorted(_symbols(e), self._keys) for s, e in self.definitions.items()}
        self.children = {}
        for node, held in self._written_in.items():
            for p in held:
                self.children.setdefault(p, []).append(node)
        self.distribution = distribution

    @cached_property
    def leaves(self):
        """The symbols without a definition (inputs, targets, parameters), in SymPy's order."""
        return _sorted(self.children.keys() - self.definitions.keys(), self._keys)

    @cached_property
    def parents(self):
        """The symbols each definition is written in, in SymPy's default order."""
        return {s: held if isinstance(held, list) else _sorted(held, self._keys)
                for s, held in self._written_in.items()}

    @cached_property
    def generic_functions(self):
        """The generic functions the definitions apply, by name (:mod:`symnet.generics`)."""
        return generics_in(self.definitions.values())

    @cached_property
    def symbols(self):
        """Every symbol of the graph by name."""
        names = {str(s): s for s in self.leaves}
        names.update({str(s): s for s in self.definitions})
        return names

    def symbol(self, name):
        """The symbol called ``name`` (a string or a Symbol); a clear error if there is none."""
        found = self.symbols.get(str(name))
        if found is None:
            raise UnknownNameError(f"unknown name {str(name)!r}{did_you_mean(name, self.symbols)}; "
                                   f"known names: {listed(self.symbols)}")
        return found

    def local(self, child, parent):
        """The local partial ∂child/∂parent of the child's own definition (cached).

        A function of an unnamed expression is written by the child's name in its own
        derivative: with ``h2 = tanh(h1*u + w*x2)``, ∂h2/∂u is ``h1*(1 - h2**2)``.

        A sum is differentiated through the terms that hold ``parent`` only, looked up in an
        index of its terms made once per node (a neuron's sum has a term per incoming edge), and
        an activation through its derivative taken once per kind and renamed per neuron.
        """
        known = self._locals.get(child)
        value = None if known is None else known.get(parent)
        if value is None:
            expr = self.definitions[child]
            value, divides = _activation_local(expr, parent)  # factored once per kind
            if divides is not None:  # as its template: renaming a symbol keeps a division
                self._divisions[id(value)] = (value, divides)
            if value is None:
                value = _shaped_local(self._held(child, expr, parent), parent)  # once per shape
            if value is None:
                value = self._local(child, parent)
                if not value.is_Atom:
                    value = sp.factor_terms(value)
            self._locals.setdefault(child, {})[parent] = value
        return value

    def divides(self, expr):
        """Whether ``expr`` divides by something symbolic (:func:`symnet.printing.divides`),
        each shared part looked at once, remembered by the graph: δ trees share their parts,
        and written out as a tree they grow a factor per layer.

        >>> m, x = sp.symbols("m x")
        >>> g = Graph({m: 1 / x})
        >>> g.divides(g.local(m, x)), g.divides(x / 2)
        (True, False)
        """
        if expr.is_Atom:  # mostly: a weight's local partial is an input
            return False
        found = self._divisions.get(id(expr))
        return found[1] if found is not None else _divides(expr, self._divisions)

    def _held(self, child, expr, parent):
        """The one term of ``child``'s definition that holds ``parent`` (a loss's (y − ŷ)²),
        or the definition itself where it is a product or a power; else None."""
        if expr.is_Add:
            held = self._term_index[child].get(parent, ())
            return held[0] if len(held) == 1 else None
        return expr if expr.is_Pow or expr.is_Mul else None

    def _local(self, child, parent):
        """∂child/∂parent, not yet factored."""
        expr = self.definitions[child]
        if expr.is_Add:
            return add(*[_partial(t, parent) for t in self._term_index[child].get(parent, ())])
        value = _applied_partial(expr, parent)
        if isinstance(expr, sp.Function) and not all(a.is_Atom for a in expr.args):
            # h2 = tanh(h1*u + w*x2): ∂h2/∂u = h1*(1 - h2**2), the node by its name
            return value.xreplace({expr: child})
        if isinstance(expr, softmax):  # ∂p1/∂z2 = -p1*p2: the softmaxes by their names
            return value.xreplace(self._softmax_names)
        return value

    @cached_property
    def _softmax_names(self):
        return {e: s for s, e in self.definitions.items() if isinstance(e, softmax)}

    def _indexed(self, node, expr):
        """The symbols of the sum ``expr``, each with the terms that hold it (kept as the
        node's term index).  Where a symbol is in one term only, as the term (a bias) or as
        one of a product of two symbols (w*x), its local partial (1, or the other symbol) is
        kept at once: a neuron's sum has a term per incoming edge, a network thousands."""
        by_symbol, local = {}, self._locals.setdefault(node, {})
        for t in expr.args:
            if t.is_Symbol:
                held = (t,)
                local[t] = _ONE
            else:
                held = t.args
                if t.is_Mul and len(held) == 2 and held[0].is_Symbol and held[1].is_Symbol:
                    a, b = held  # x*x, unevaluated, is held twice by x: not read off
                    local[a], local[b] = b, a
                else:
                    held = _symbols(t)
            for s in held:
                by_symbol.setdefault(s, []).append(t)
        for s, found in by_symbol.items():
            if len(found) > 1:  # in several terms: its partial is their sum, taken when asked
                local.pop(s, None)
        self._term_index[node] = by_symbol
        return by_symbol

    def forward(self, values, precision=None):
        """Every symbol's value, given the leaves' values (a dict by name or Symbol).

        Values stay exact for exact input; with ``precision`` (decimal digits) each step is
        evaluated to that many digits.

        >>> x, m = sp.symbols("x m")
        >>> Graph({m: x / 3}).forward({"x": 1}, precision=5)[m]
        0.33333
        """
        given = {self.symbol(k): sympy_number(v, k) for k, v in values.items()}
        missing = [str(s) for s in self.leaves if s not in given]
        if missing:
            raise SymnetError(f"missing values for {listed(missing)}")
        for node, expr in self.evaluated.items():
            value = expr.xreplace(given)
            if precision is not None:
                value = value.evalf(precision)
            given[node] = value
        return given

    @cached_property
    def evaluated(self):
        """Each node's definition as :meth:`forward` evaluates it, in order (the loss's logs
        written stably)."""
        out = dict(self.definitions)
        expr = out[self.output]
        if expr.has(sp.log):
            # log(1 − σ(N)) rounds to log 0 once σ(N) saturates: write it as −softplus(N)
            inline = {p: self.definitions[p] for p in self.parents[self.output]
                      if p in self.definitions and not self.definitions[p].is_Add}
            out[self.output] = stable_logs(expr.xreplace(inline))
        return out

    def expand(self, expr, limit=EXPAND_LIMIT):
        """``expr`` with every intermediate replaced by its definition, down to the leaves.

        Refuses with :class:`TooLargeError` when the result would exceed ``limit`` nodes.
        """
        size = _tree_size(expr, self._sizes)
        depth = cost(expr, self.costs).depth
        if depth > MAX_DEPTH:  # SymPy's printers and substitution recurse once per level
            raise TooLargeError(f"the expanded form would nest {depth:,} levels deep (limit "
                                f"{MAX_DEPTH}); use the compact .result instead")
        if size > limit:
            raise TooLargeError(
                f"the expanded form would have about {size:,} terms (limit {limit:,}); "
                "use the compact .result or the .delta form instead, or a smaller network")
        return expr.xreplace(self._expanded)

    @cached_property
    def _sizes(self):
        """Each definition's size written out as a tree (and, memoised, their parts')."""
        sizes = {}
        for node, definition in self.definitions.items():
            sizes[node] = _tree_size(definition, sizes)
        return sizes

    @cached_property
    def costs(self):
        """Each definition's :class:`~symnet.bounds.Cost` written out in the leaves."""
        known = {}
        for node, definition in self.definitions.items():
            known[node] = cost(definition, known)
        return known

    @cached_property
    def _expanded(self):
        full = {}
        for node, definition in self.definitions.items():
            full[node] = definition.xreplace(full)
        return full


class GraphModel:
    """A model read through its :attr:`graph` (composition): a network or a circuit offers
    its graph's definitions, names and passes as its own."""

    graph: Graph

    @property
    def definitions(self):
        """``{symbol: definition}`` in topological order."""
        return self.graph.definitions

    @property
    def output(self):
        """The symbol derivatives are of by default (a network's loss ``L``)."""
        return self.graph.output

    @property
    def order(self):
        """Each defined symbol's position in :attr:`definitions`."""
        return self.graph.order

    @property
    def parents(self):
        """The symbols each definition is written in."""
        return self.graph.parents

    @property
    def children(self):
        """The definitions each symbol appears in."""
        return self.graph.children

    @property
    def leaves(self):
        """The symbols without a definition: inputs, targets, parameters."""
        return self.graph.leaves

    @property
    def symbols(self):
        """Every symbol by name."""
        return self.graph.symbols

    def symbol(self, name):
        """The symbol called ``name``; a clear error if there is none."""
        return self.graph.symbol(name)

    def local(self, child, parent):
        """The local partial ∂child/∂parent (see :meth:`Graph.local`)."""
        return self.graph.local(child, parent)

    def forward(self, values, precision=None):
        """Every symbol's value, given the leaves' (see :meth:`Graph.forward`)."""
        return self.graph.forward(values, precision)

    def expand(self, expr, limit=EXPAND_LIMIT):
        """``expr`` in terms of the leaves (see :meth:`Graph.expand`)."""
        return self.graph.expand(expr, limit)


def _symbols(expr):
    """``expr.free_symbols``, read straight off a symbol, a product of symbols and numbers
    (a weighted input) or a sum of them (a neuron's): a network has thousands."""
    if expr.is_Symbol:
        return {expr}
    if expr.is_Pow and expr.exp.is_Number:  # a loss's (y − ŷ)²
        return _symbols(expr.base)
    if expr.is_Add or expr.is_Mul:
        found = set()
        for t in expr.args:
            if t.is_Symbol:
                found.add(t)
            elif t.is_Mul and all(a.is_Symbol or a.is_Number for a in t.args):
                found.update(a for a in t.args if a.is_Symbol)
            elif not t.is_Number:
                found |= t.free_symbols
        return found
    if type(expr).free_symbols is _FREE_SYMBOLS and all(type(a) is sp.Symbol for a in expr.args):
        return set(expr.args)  # Basic's rule, its arguments' free symbols: σ(N1)'s is {N1}
    return expr.free_symbols


_FREE_SYMBOLS = sp.Basic.free_symbols


def _sorted(symbols, keys):
    """``symbols`` in SymPy's default order, their keys remembered in ``keys``."""
    if all(type(s) is sp.Symbol for s in symbols):  # by name: a Symbol's key is its name's
        return sorted(symbols, key=_NAME)

    def key(s):
        if s not in keys:
            keys[s] = sp.default_sort_key(s)
        return keys[s]
    return sorted(symbols, key=key)


def _tree_size(expr, sizes):
    """Nodes of ``expr`` written out as a tree; ``sizes`` memoises shared subexpressions."""
    if expr not in sizes:
        sizes[expr] = 1 + sum(_tree_size(a, sizes) for a in expr.args)
    return sizes[expr]


_TEMPLATE_VAR = sp.Dummy("x")


@functools.lru_cache(maxsize=None)
def _template(func, rest):
    """d/dx func(x, *rest), taken once per activation (and its options)."""
    return _diff(func(_TEMPLATE_VAR, *rest), _TEMPLATE_VAR)


_NAMED_VAR, _PROBE = sp.symbols("x p")  # Symbols, as the nodes are: SymPy orders classes apart


@functools.lru_cache(maxsize=None)
def _factored_template(func, rest):
    """``factor_terms`` of :func:`_template` written in :data:`_NAMED_VAR`, taken once per
    activation (and its options), how to rename it, and whether it divides: ``(template, plan,
    divides)``, ``plan`` the :func:`_plan` that rebuilds it node by node where that gives what
    ``xreplace`` gives, else None; None where a renaming changes its form (SymPy's evaluation
    would undo a factored 2*(1 - x))."""
    factored = sp.factor_terms(_template(func, rest).xreplace({_TEMPLATE_VAR: _NAMED_VAR}))
    probed = factored.xreplace({_NAMED_VAR: _PROBE})
    if probed.xreplace({_PROBE: _NAMED_VAR}) != factored:
        return None
    plan = None
    if factored.free_symbols <= {_NAMED_VAR}:  # another symbol would order against N
        plan = _plan(factored, func(_NAMED_VAR, *rest))
        try:
            if sp.srepr(_rebuilt(plan, _PROBE, func(_PROBE, *rest))) != sp.srepr(probed):
                plan = None
        except (TypeError, ValueError):  # a class that takes no evaluate=False
            plan = None
    return factored, plan, _divides(factored, {})


_VAR, _APPLIED = object(), object()  # in a plan: the neuron's N and its own act(N)


def _plan(template, applied):
    """How to build ``template`` with :data:`_NAMED_VAR` renamed, node by node, without
    evaluating anew: ``(steps, top)``, a step ``(make, args)`` for each node that holds the
    placeholder (children first), an argument :data:`_VAR`, :data:`_APPLIED` (the template's
    act(x), written as the neuron's own act(N)), an earlier step's index or a node kept as it
    is; ``top`` the template's own."""
    steps, done = [], {}

    def spec(e):
        if e == applied:
            return _APPLIED
        if e == _NAMED_VAR:
            return _VAR
        if not e.has(_NAMED_VAR):
            return e
        if id(e) not in done:
            args = [spec(a) for a in e.args]
            steps.append((_maker(e), args))
            done[id(e)] = len(steps) - 1
        return done[id(e)]
    return steps, spec(template)


def _maker(e):
    """How a node of ``e``'s kind is made from its arguments without evaluating anew."""
    if e.is_Add or e.is_Mul:
        return functools.partial(e.func._from_args, is_commutative=e.is_commutative)
    if e.is_Pow:
        return lambda args: power(*args)
    return lambda args: e.func(*args, evaluate=False)


def _rebuilt(plan, var, applied):
    """:func:`_plan`'s template built with ``var`` for the placeholder and ``applied`` for
    act(x): an activation's local partial, σ(N)(1 − σ(N)), three nodes a neuron."""
    steps, top = plan
    made = []
    for make, args in steps:
        made.append(make(tuple([var if a is _VAR else applied if a is _APPLIED else
                                made[a] if type(a) is int else a for a in args])))
    return var if top is _VAR else applied if top is _APPLIED else \
        made[top] if type(top) is int else top


_PLACES = tuple(sp.Symbol(f"_{i:02d}") for i in range(16))  # named in the order of their places


def _shaped_local(term, var):
    """∂term/∂var factored, from the derivative of the term's shape: the term with its symbols
    written as :data:`_PLACES` in the order of their names, differentiated and factored once
    per shape, and renamed back node by node.  SymPy orders plain symbols by their names
    alone, so the shape evaluates as the term does and renaming gives ``factor_terms`` of the
    partial.  A loss's (y − ŷ)² takes a millisecond to differentiate and factor afresh, more
    than a small network's whole sweep in SymEngine.  None where ``term`` is None or does not
    hold ``var``, or holds a symbol with assumptions, a symbol of another class, or more
    symbols than there are places.

    >>> y, p = sp.symbols("y yhat")
    >>> _shaped_local((y - p)**2, p)
    2*(-y + yhat)
    """
    symbols = () if term is None else _symbols(term)
    if var not in symbols or len(symbols) > len(_PLACES) or not all(map(plain_symbol, symbols)):
        return None
    ordered = sorted(symbols, key=_NAME)
    place = {s: i for i, s in enumerate(ordered)}
    key = (_signature(term, place), place[var])  # the shape, without building it
    template = _SHAPES.get(key, _UNSEEN)
    if template is _UNSEEN:
        try:
            shape = _renamed(term, dict(zip(ordered, _PLACES)), {})
        except (TypeError, ValueError):  # a class that takes no evaluate=False
            return None
        template = _shape_derivative(shape, _PLACES[place[var]])
        if len(_SHAPES) >= MAX_SHAPES:  # the oldest goes
            del _SHAPES[next(iter(_SHAPES))]
        _SHAPES[key] = template
    return None if template is None else _renamed(template, dict(zip(_PLACES, ordered)), {})


MAX_SHAPES = 1024  # derivatives of shapes remembered
_SHAPES, _UNSEEN = {}, object()


def _signature(expr, place):
    """The shape of ``expr`` as nested tuples: each node's class and its arguments', each
    symbol its place (an int), each other atom with its class (2 and 2.0 apart)."""
    args = expr.args
    if not args:
        return place[expr] if expr in place else (type(expr), expr)
    return (type(expr), *[_signature(a, place) for a in args])


def _shape_derivative(shape, var):
    """``factor_terms`` of ∂shape/∂var (see :func:`_shaped_local`); None where it binds a
    dummy variable (d/dx F(x*y) is a Subs in a Dummy numbered after the argument's hash,
    which the shape's placeholders would number otherwise)."""
    factored = sp.factor_terms(_partial(shape, var))
    return None if factored.atoms(sp.Dummy) else factored


def _divides(expr, known):
    """Whether ``expr`` divides by something symbolic, each part looked at once: ``known``
    holds the answers by identity, ``{id(part): (part, answer)}``."""
    stack = [expr]
    while stack:  # a stack, not recursion: a δ nests a level per layer
        e = stack[-1]
        if id(e) in known:
            stack.pop()
            continue
        pending = [a for a in e.args if id(a) not in known]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        known[id(e)] = (e, (isinstance(e, sp.Pow) and bool(
            e.exp.is_negative and e.base.free_symbols)) or any(known[id(a)][1] for a in e.args))
    return known[id(expr)][1]


def _renamed(expr, names, done):
    """``expr`` with each symbol in ``names`` written as its value there, node by node as it
    is, without evaluating anew (``done``: the nodes renamed so far, by identity).  Where the
    renaming keeps SymPy's order (:func:`_shaped_local`'s places) this is ``xreplace``'s
    result, whose evaluation takes a hundred times as long."""
    args = expr.args
    if not args:
        return names.get(expr, expr) if expr.is_Symbol else expr
    made = done.get(id(expr))
    if made is None:
        made = done[id(expr)] = (expr, _maker(expr)(tuple([_renamed(a, names, done)
                                                          for a in args])))
    return made[1]


def _activation_local(expr, var):
    """``(∂act(var)/∂var factored, whether it divides)``, from the activation's factored
    template renamed; ``(None, None)`` where ``expr`` is not an activation of ``var`` alone
    (options are numbers), and whether it divides None where it is not renamed node by node.

    factor_terms and SymPy's evaluation commute with the renaming here: the template's only
    symbol is the placeholder, a Symbol without assumptions as ``var`` is, so SymPy's canonical
    order compares it only with itself and evaluates it alike, whatever its name.
    """
    if not (_activation_of(expr, var) and all(a.is_Atom for a in expr.args)) or \
            not plain_symbol(var):
        return None, None
    made = _factored_template(expr.func, expr.args[1:])
    if made is None:
        return None, None
    template, plan, divides = made
    if plan is None:
        return template.xreplace({_NAMED_VAR: var}), None
    return _rebuilt(plan, var, expr), divides


def _activation_of(expr, var):
    """Whether ``expr`` is act(var, *options): a function of ``var`` with fixed options."""
    return isinstance(expr, sp.Function) and bool(expr.args) and expr.args[0] == var and \
        not any(a.free_symbols for a in expr.args[1:])


def _applied_partial(expr, var):
    # act(N1) by N1: the activation's derivative, taken once with a placeholder and renamed
    if _activation_of(expr, var):
        return _template(expr.func, expr.args[1:]).xreplace({_TEMPLATE_VAR: var})
    return _partial(expr, var)


def _partial(expr, var):
    # A neuron's weighted sum is differentiated term by term, only where the variable occurs,
    # a product that holds the variable once, to the first power, by dropping it, and an
    # integer power by the power rule: this is diff's answer, and much faster for the
    # thousands of edges of a network (and for a loss's square, a sixth of `symnet check`).
    if expr == var:  # a bias's own term
        return sp.S.One
    if expr.is_Add:
        return add(*[_partial(t, var) for t in expr.args if _has(t, var)])
    if expr.is_Mul and expr.args.count(var) == 1 and \
            not any(a != var and _has(a, var) for a in expr.args):
        return mul(*[a for a in expr.args if a != var])
    if expr.is_Pow and expr.exp.is_Integer:  # (y − ŷ)² of a loss
        return expr.exp * expr.base ** (expr.exp - 1) * _partial(expr.base, var)
    return _diff(expr, var)


def _has(expr, var):
    # an atom holds var only by being it (a weighted sum's terms are mostly symbols)
    return expr == var if expr.is_Atom else expr.has(var)


def _diff(expr, var):
    if not expr.has(sp.Abs):
        return sp.diff(expr, var)
    # d|u| = sign(u) du for real u, as textbooks write it: SymPy's complex form (re, im) is not
    real = {s: sp.Dummy(s.name, real=True) for s in expr.free_symbols | {var}}
    return sp.diff(expr.xreplace(real), real[var]).xreplace({v: s for s, v in real.items()})
