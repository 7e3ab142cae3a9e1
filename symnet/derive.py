"""The chain rule on a graph of named definitions: paths, local factors, reverse mode (δ).

For a parameter w, ∂L/∂w is the sum over every path from L down to w of the product of the
local partials along the path (the seed lecture's formula for ∂L/∂w1).  The efficient form is
reverse mode: one δ per node, δ_L = 1 and δ_node = Σ_children δ_child · ∂child/∂node, so every
gradient costs time linear in the number of edges.  Paths are for display.

>>> d = chain(["m = x**2", "z = m**2", "y = z**2"], wrt="x")
>>> print(d)
∂y/∂x = ∂y/∂z · ∂z/∂m · ∂m/∂x
  ∂y/∂z = 2*z
  ∂z/∂m = 2*m
  ∂m/∂x = 2*x
∂y/∂x = 2*z · 2*m · 2*x
      = 8*x**7
"""

from functools import cached_property

import sympy as sp

from .bounds import check_definitions
from .canonical import add, mul
from .collector import paused
from .errors import SymnetError, TooLargeError
from .functions import softmax
from .graph import Graph
from .parse import parse_definitions
from .paths import Chain, Path
from .printing import Rendered, aligned, divides, latex, path_sum, printed_as, text
from .sums import collect, family_sum, general_factors
from .sweep import Sweep
from .symbols import Delta, Partial

MAX_PATHS = 10_000
MAX_PATHS_SHOWN = 16
_ONE = sp.S.One


def without_division(expr, inverse=None):
    """``expr`` with its symbolic denominators cancelled, if they cancel; else ``expr``.

    ``inverse`` maps definitions back to their names first (σ(N1) → ŷ), so that a sigmoid
    output with binary cross-entropy gives δ = ŷ − y instead of a quotient by ŷ(1 − ŷ).

    >>> y, yhat = sp.symbols("y yhat")
    >>> without_division((-y / yhat + (1 - y) / (1 - yhat)) * yhat * (1 - yhat))
    -y + yhat
    """
    if not divides(expr):
        return expr
    cancelled = sp.cancel(expr.xreplace(inverse or {}))
    if divides(cancelled):
        return expr
    # factor only a small polynomial: SymPy's multivariate factoring (Wang's algorithm) draws
    # random evaluation points, and on a batch norm's δ some draws take minutes
    return sp.factor(cancelled) if len(cancelled.free_symbols) <= 4 else \
        sp.factor_terms(cancelled)


@paused
def _deltas(graph, of):
    """δ_node = ∂of/∂node for every defined node, in one reverse sweep (cached on the graph)."""
    cache = graph.__dict__.setdefault("_delta_cache", {})
    if of not in cache:
        delta = {of: sp.S.One}
        dividing = graph.__dict__.setdefault("_dividing", {})[of] = set()  # δ keeps a denominator
        for node in reversed(list(graph.definitions)[:graph.order[of]]):  # those before of
            closed = _softmax_delta(graph, node, of)
            if closed is not None:
                delta[node] = closed
                continue
            delta[node], enters = _backprop(graph, node, delta, dividing)
            if enters:
                delta[node] = without_division(delta[node], _inverse(graph))
                if graph.divides(delta[node]):
                    dividing.add(node)
        cache[of] = delta
    return cache[of]


def _inverse(graph):
    """Definitions back to their names (σ(N1) → ŷ): what a division may cancel against
    (made where one enters a δ, once per graph)."""
    known = graph.__dict__.get("_inverse")
    if known is None:
        known = graph.__dict__["_inverse"] = {v: k for k, v in graph.definitions.items()
                                              if not v.is_Add}
    return known


def _softmax_delta(graph, node, of):
    """δ = ŷ_i − y_i for the i-th input of a softmax output under cross-entropy, else None.

    The assumption is the graph's ``distribution``: the targets sum to 1 (one-hot by default),
    so Σ_k y_k ŷ_i − y_i, the chain rule's sum, is ŷ_i − y_i.
    """
    if graph.distribution is None or of != graph.output:
        return None
    outputs, targets = graph.distribution
    children = graph.children.get(node, ())
    if not children or any(c not in outputs or not isinstance(graph.definitions[c], softmax)
                           for c in children):
        return None
    inputs = graph.definitions[children[0]].args[1:]
    own = [c for c in children if graph.definitions[c].args[0] == inputs.index(node) + 1]
    if len(own) != 1 or len(outputs) != len(targets):
        return None
    return own[0] - targets[outputs.index(own[0])]


def _backprop(graph, node, delta, dividing):
    """Σ over the node's children of δ_child · ∂child/∂node, and whether a division can enter
    it: through a child's δ (``dividing``: the children whose δ keeps one) or its local
    partial.  Only there is a derivative looked at for one: δ trees are shared, not small."""
    keys = graph.sort_keys
    terms, enters = [], False
    for child in graph.children.get(node, ()):
        d = delta.get(child)
        if d is not None:
            local = graph.local(child, node)
            terms.append(local if d is _ONE else d if local is _ONE else mul(d, local, keys=keys))
            enters = enters or bool(dividing) and child in dividing or \
                not local.is_Atom and graph.divides(local)
    return (terms[0] if len(terms) == 1 else add(*terms, keys=keys)), enters


@paused
def gradients(graph, wrt, of=None):
    """``{symbol: ∂of/∂symbol}`` for each symbol in ``wrt``, from one reverse-mode sweep.

    >>> from symnet.network import Network
    >>> gradients(Network("2-2-1").graph, [sp.Symbol("w5")])
    {w5: 2*N1*(-y + yhat)}
    """
    of = graph.output if of is None else of
    delta = _deltas(graph, of)
    dividing = graph.__dict__["_dividing"][of]
    out = {}
    for w in wrt:
        if w in delta:
            out[w] = delta[w]
            continue
        out[w], enters = _backprop(graph, w, delta, dividing)
        if enters:  # a logit under −log p_t: p_t − 1, not a quotient
            out[w] = without_division(out[w], _inverse(graph))
    return out


class Derivation(Rendered):
    """∂of/∂wrt on a graph, shown by the chain rule.

    Attributes (computed on first use):

    * ``paths``: every path from ``of`` down to ``wrt``, as tuples of symbols;
    * ``chain``: the same as products of unevaluated :class:`Partial` factors, in chain order;
    * ``factors``: each local partial and its value;
    * ``result``: the derivative in compact form, in terms of the named intermediates;
    * ``delta``: the reverse-mode form, ``{δ_node: Σ_children δ_child · ∂child/∂node}``;
    * ``expanded``: in terms of the leaves only (refused when it would be huge).

    >>> from symnet.network import Network
    >>> d = Network("2-2-1").derive("w1")
    >>> d.paths
    [(L, yhat, N1, w1)]
    >>> d.factors
    {∂L/∂yhat: 2*(-y + yhat), ∂yhat/∂N1: w5, ∂N1/∂w1: x1}
    """

    def __init__(self, graph, wrt, of=None, show_expanded=False, names=None, sums=False):
        self.graph = graph
        self.wrt = wrt
        self.of = graph.output if of is None else of
        self.show_expanded = show_expanded
        self.names = names or {}  # {node: the Symbol it prints as} (a notation profile)
        self.sums = sums
        # a form equal to the result that lectures teach, shown in its place (a template's:
        # batch norm's dx in one line); None: the compact result
        self.closed_form = None

    def __repr__(self):
        if self.n_paths > MAX_PATHS_SHOWN:
            return f"<Derivation ∂{self.of}/∂{self.wrt}: {self.n_paths:,} paths>"
        return f"<Derivation ∂{self.of}/∂{self.wrt}: {text(self.result)}>"

    @cached_property
    def nodes(self):
        """The symbols on some path from ``of`` down to ``wrt``."""
        up, stack = {self.wrt}, [self.wrt]
        while stack:
            for c in self.graph.children.get(stack.pop(), ()):
                if c not in up and self.graph.order[c] <= self.graph.order[self.of]:
                    up.add(c)
                    stack.append(c)
        down, stack = {self.of}, [self.of]
        while stack:
            for p in self.graph.parents.get(stack.pop(), ()):
                if p not in down:
                    down.add(p)
                    stack.append(p)
        return up & down

    @cached_property
    def n_paths(self):
        """How many paths lead from ``of`` down to ``wrt``."""
        count = {self.wrt: 1}
        nodes = sorted(self.nodes - {self.wrt}, key=self.graph.order.get)
        for node in nodes:
            count[node] = sum(count.get(p, 0) for p in self.graph.parents[node])
        return count.get(self.of, 0)

    @cached_property
    def paths(self):
        if self.n_paths > MAX_PATHS:
            raise TooLargeError(f"∂{self.of}/∂{self.wrt} has {self.n_paths:,} paths (limit "
                                f"{MAX_PATHS:,}); use .result or the reverse-mode .delta form")
        # an explicit stack, not recursion: a 1,000-layer network has paths 1,000 long
        found, stack = [], [(self.of, (self.of,))]
        while stack:
            node, path = stack.pop()
            if node == self.wrt:
                found.append(path)
                continue
            parents = [p for p in self.graph.parents.get(node, ()) if p in self.nodes]
            stack.extend((p, path + (p,)) for p in reversed(parents))
        return found

    @cached_property
    def families(self):
        """With ``sums``, the paths collected into Σ families (:mod:`symnet.sums`) when that
        writes fewer terms, at most :data:`MAX_PATHS_SHOWN`; else None.

        >>> import symnet as sn
        >>> d = sn.template("batchnorm", m=4).derive("gamma")
        >>> d.families[0].indices
        ((i, 1, 4),)
        >>> print(d.text())
        ∂L/∂gamma = Σ_{i=1..4} ∂L/∂y[i] · ∂y[i]/∂gamma
          ∂L/∂y[i] = g[i]
          ∂y[i]/∂gamma = xhat[i]
        ∂L/∂gamma = Σ_{i=1..4} g[i] · xhat[i]
                  = g1*xhat1 + g2*xhat2 + g3*xhat3 + g4*xhat4
        """
        if not self.sums or self.n_paths > MAX_PATHS:
            return None
        letters = self.sums if isinstance(self.sums, dict) else None  # {stem: letters}
        found = collect(self.paths, self.graph.local, letters)
        return found if len(found) < self.n_paths and len(found) <= MAX_PATHS_SHOWN else None

    @cached_property
    def chain(self):
        """The path sum: a list of chain products, each a list of :class:`Partial`."""
        return [[Partial(a, b) for a, b in zip(path, path[1:])] for path in self.paths]

    @cached_property
    def factors(self):
        out = {}
        for factor in (f for prod in self.chain for f in prod):
            if factor not in out:
                out[factor] = self.graph.local(factor.num, factor.den)
        return out

    @cached_property
    def chain_value(self):
        """The path sum as a :class:`~symnet.paths.Chain`: the value that slips edit and that
        is evaluated at a point.  A node whose δ has a closed form (a softmax input under
        cross-entropy, δ = ŷ_i − y_i) is one factor ∂of/∂node there, as lectures write it,
        and the paths above it merge.

        >>> from symnet.network import Network
        >>> c = Network("2-2-2", loss="cross_entropy").derive("w1").chain_value
        >>> [p.nodes for p in c.paths]
        [(L, N3, N1, w1), (L, N4, N1, w1)]
        >>> c.factors
        {∂L/∂N3: -y1 + yhat1, ∂N3/∂N1: w5, ∂N1/∂w1: x1, ∂L/∂N4: -y2 + yhat2, ∂N4/∂N1: w7}
        """
        paths = {}
        for nodes, product in zip(self.paths, self.chain):
            factors = tuple((f, self.factors[f]) for f in product)
            for i, node in enumerate(nodes[1:-1], start=1):
                closed = _softmax_delta(self.graph, node, self.of)
                if closed is not None:
                    nodes = (self.of,) + nodes[i:]
                    factors = ((Partial(self.of, node), closed),) + factors[i:]
                    break
            paths.setdefault(nodes, Path(nodes, factors))
        return Chain(tuple(paths.values()))

    @cached_property
    def result(self):
        if self.wrt == self.of:
            return sp.S.One
        return gradients(self.graph, [self.wrt], self.of)[self.wrt]

    @property
    def shown_result(self):
        """The result as derivations print it: the closed form lectures teach where the model
        gives one (:attr:`closed_form`), else :attr:`result`."""
        return self.result if self.closed_form is None else self.closed_form

    @cached_property
    def delta(self):
        out = {}
        nodes = sorted(self.nodes - {self.of}, key=lambda n: self.graph.order.get(n, -1),
                       reverse=True)
        for node in nodes:
            terms = []
            for child in self.graph.children.get(node, ()):
                if child in self.nodes:
                    local = self.graph.local(child, node)
                    terms.append(local if child == self.of else Delta(child) * local)
            out[Delta(node)] = sp.Add(*terms)
        return out

    def value(self, values):
        """The derivative's value from a forward pass's ``values`` (``graph.forward``), by the
        δ program one node at a time: linear in the edges, however many paths there are.

        >>> from symnet.network import Network
        >>> net = Network("2-2-1")
        >>> at = net.forward(dict(x1=1, x2=0, y=1, w1=1, w2=1, w3=1, w4=1, w5=1, w6=1,
        ...                       b1=0, b2=0, b3=0))
        >>> net.derive("x1").value(at)  # 2(ŷ − y)(w5 w1 + w6 w3) at ŷ = 2
        4
        """
        known = dict(values)
        for d, expr in self.delta.items():
            known[d] = expr.xreplace(known)
        return known[Delta(self.wrt)] if self.wrt != self.of else sp.S.One

    def at(self, values):
        """Numbers on every node at a point (the leaves' values by name): each node's value
        and ∂of/∂node, how each gate routes the gradient, and this chain factor by factor
        (a :class:`~symnet.sweep.Sweep`).

        >>> import symnet as sn
        >>> s = sn.chain("q = x + y; f = q*z", wrt="x").at({"x": -2, "y": 5, "z": -4})
        >>> print(s.text().splitlines()[-1])
        ∂f/∂x = z · 1 = (-4) · 1 = -4
        """
        return Sweep(self.graph, values, self.of, derivation=self)

    @cached_property
    def expanded(self):
        return self.graph.expand(self.result)

    def _lines(self, fmt):
        with printed_as(self.names):
            return self._named_lines(fmt)

    def _named_lines(self, fmt):
        show = latex if fmt == "latex" else text
        partial = show(Partial(self.of, self.wrt))
        lines = []
        if self.families is not None:
            return self._sum_lines(fmt, show, partial)
        if self.n_paths > MAX_PATHS_SHOWN:
            lines.append((partial, f"(a sum over {self.n_paths:,} paths; by reverse mode:)"
                          if fmt != "latex" else r"\text{a sum over %s paths; by reverse mode:}"
                          % f"{self.n_paths:,}"))
            # the compact result, written out, would repeat shared factors once per path
            for d, expr in self.delta.items():
                lines.append((show(d), show(expr)))
            return lines
        lines.append((partial, path_sum(self.chain, fmt)))
        for factor, value in self.factors.items():
            rhs = show(value)
            # written by its own name: its definition beside (a softmax's is a definition of
            # the model, named as ŷ1 and p1 are: the lecture's ŷ1(1 − ŷ1) needs none)
            if factor.num in value.free_symbols and \
                    not isinstance(self.graph.definitions[factor.num], softmax):
                where = f"{show(factor.num)} = {show(self.graph.definitions[factor.num])}"
                rhs += rf" \quad \text{{where }} {where}" if fmt == "latex" else f", where {where}"
            lines.append((show(factor), rhs, "factor"))
        values = [[self.factors[f] for f in prod] for prod in self.chain]
        chained = path_sum(values, fmt)
        lines.append((partial, chained))
        compact = show(self.shown_result)
        if sp.Add(*[sp.Mul(*v) for v in values]) != self.result:  # not a mere reordering
            lines.append(("", compact))
        if self.show_expanded:
            try:
                full = show(self.expanded)
            except TooLargeError:
                full = None
            if full is not None and full not in (compact, chained):
                lines.append(("", full))
        return lines

    def _sum_lines(self, fmt, show, partial):
        """The chain rule with the paths collected: Σ families, each general factor once."""
        lines = [(partial, family_sum(self.families, fmt))]
        lines += [(show(f), show(v), "factor") for f, v in general_factors(self.families).items()]
        lines.append((partial, family_sum(self.families, fmt, values=True)))
        lines.append(("", show(self.shown_result)))
        return lines

    @cached_property
    def assumption(self):
        """The assumption the result rests on, in words, or None: for softmax with
        cross-entropy, that the targets sum to 1 (δ of a softmax input is then ŷ_i − y_i)."""
        if not any(_softmax_delta(self.graph, n, self.of) is not None for n in self.nodes):
            return None
        return f"the targets sum to 1: {' + '.join(map(str, self.graph.distribution[1]))} = 1"

    def rows(self, fmt):
        """(lhs, rhs) per line of the derivation, in ``fmt`` (``"text"`` or ``"latex"``)."""
        return [line[:2] for line in self._lines(fmt)]

    def text(self):
        out = []
        lines = self._lines("text")
        width = len(lines[0][0])
        for line in lines:
            lhs, rhs = line[0], line[1]
            if len(line) == 3:
                out.append(f"  {lhs} = {rhs}")
            else:
                out.append(f"{lhs or ' ' * width} = {rhs}")
        if self.assumption and self.n_paths <= MAX_PATHS_SHOWN:
            out.append(f"  (assuming {self.assumption})")
        return "\n".join(out)

    def latex(self):
        r"""The derivation as a LaTeX ``aligned`` block, one line per step.

        >>> from symnet.network import Network
        >>> print(Network("2-2-1").derive("w5").latex())
        \begin{aligned}
        \frac{\partial L}{\partial w_{5}} &= \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial w_{5}} \\
        \frac{\partial L}{\partial \hat{y}} &= 2 \left(\hat{y} - y\right) \\
        \frac{\partial \hat{y}}{\partial w_{5}} &= N_{1} \\
        \frac{\partial L}{\partial w_{5}} &= 2 \left(\hat{y} - y\right) \cdot N_{1}
        \end{aligned}
        """
        rows = self.rows("latex")
        if self.assumption and self.n_paths <= MAX_PATHS_SHOWN:  # as the text says it
            targets = " + ".join(map(latex, self.graph.distribution[1]))
            rows.append(r"&\text{(assuming the targets sum to 1: } %s = 1\text{)}" % targets)
        return aligned(rows)


def chain(definitions, wrt, of=None):
    """Derive the last of ``definitions`` (or ``of``) with respect to ``wrt`` by the chain rule.

    ``definitions`` is text (``"m = x**2; z = m**2"``), a list of such strings, a dict
    ``{Symbol: expr}``, or a list of SymPy ``Eq(symbol, expr)``.  Text is read by symnet's
    whitelist parser, never by ``sympify`` (:func:`~symnet.parse.parse_definitions`): max, min
    and the activations are known, and any other name applied to arguments, ``y = f(x)``, is a
    generic function whose derivative is f'(x) (:mod:`symnet.generics`).

    >>> import symnet as sn
    >>> d = sn.chain("a = x**2; b = x + a; c = a*b", wrt="x")
    >>> len(d.paths), d.expanded.expand()
    (3, 4*x**3 + 3*x**2)
    """
    graph = Graph(as_definitions(definitions))
    target = graph.output if of is None else graph.symbol(of)
    return Derivation(graph, graph.symbol(wrt), target, show_expanded=True)


def _refuse_latex(definitions):
    # the parser reads LaTeX answers, but a definition's left side and ';' have no LaTeX form
    text = definitions if isinstance(definitions, str) else "; ".join(definitions)
    if "\\" in text:
        at = text.index("\\")
        raise SymnetError(f"chain takes plain definitions like \"m = x**2; z = m**2\", not LaTeX "
                          f"(found '{text[at:at + 12]}')")


def as_definitions(definitions):
    """``{Symbol: expression}`` from text, a list of strings, a dict or a list of ``Eq``
    (see :func:`chain`), checked and bounded as the parser checks text."""
    if isinstance(definitions, dict):
        items = list(definitions.items())
    elif isinstance(definitions, str) or (
            isinstance(definitions, (list, tuple)) and all(isinstance(d, str) for d in definitions)):
        _refuse_latex(definitions)
        return parse_definitions(definitions)
    elif isinstance(definitions, (list, tuple)) and all(isinstance(d, sp.Eq) for d in definitions):
        items = [(d.lhs, d.rhs) for d in definitions]
    else:
        raise SymnetError("definitions must be text like 'm = x**2; z = m**2', a list of such "
                          "strings, a list of sympy Eq(symbol, expr), or a dict {symbol: expr}")
    for lhs, rhs in items:
        if not isinstance(lhs, sp.Symbol):
            raise SymnetError(f"the left side of a definition must be a symbol, got {lhs!r}")
        if not isinstance(rhs, sp.Expr):
            raise SymnetError(f"the definition of {lhs} must be a SymPy expression, got "
                              f"{type(rhs).__name__} {rhs!r:.40}; for text, pass 'name = expression' strings")
    check_definitions(dict(items))  # as the parser does for text
    return dict(items)
