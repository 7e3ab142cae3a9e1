"""Networks as graphs of named SymPy definitions; the activation and loss catalogues.

Every intermediate quantity of a network is a Symbol with a short definition in terms of its
immediate parents (``N1 = w1*x1 + w2*x2 + b1``, ``h1 = sigmoid(N1)``, ``L = (y - yhat)**2``).
Derivatives are taken of these short definitions, never of one nested expression.

>>> net = Network("2-2-1")
>>> for name, expr in net.definitions.items(): print(name, "=", expr)
N1 = b1 + w1*x1 + w2*x2
N2 = b2 + w3*x1 + w4*x2
yhat = N1*w5 + N2*w6 + b3
L = (y - yhat)**2
"""

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Callable

import numpy as np
import sympy as sp

from .errors import ArchitectureError, SymnetError, UnknownNameError
from .parse import exact_number
from .functions import elu, leaky_relu, relu, sigmoid, silu, softmax, softplus, stable_logs

MAX_PARAMS = 20_000


# ---------------------------------------------------------------- activations

@dataclass(frozen=True)
class Activation:
    """A named activation: ``apply(z)`` gives its SymPy expression of the pre-activation ``z``.

    >>> Activation.get("sigmoid").apply(sp.Symbol("N1"))
    sigmoid(N1)
    >>> Activation.get("leaky_relu", slope=0.2).apply(sp.Symbol("N1"))
    leaky_relu(N1, 1/5)
    """

    name: str
    apply: Callable = field(compare=False)
    options: tuple = ()

    def __str__(self):
        opts = ", ".join(f"{k}={v}" for k, v in self.options)
        return f"{self.name}({opts})" if opts else self.name

    @property
    def is_linear(self):
        return self.name == "linear"

    @staticmethod
    def get(spec, **options):
        """The activation named ``spec`` (or ``spec`` itself if it is an Activation).

        Names: linear, sigmoid, tanh, relu, leaky_relu (option ``slope``, default 0.01),
        softplus, elu (option ``alpha``, default 1), silu; and softmax for outputs.
        """
        if isinstance(spec, Activation):
            return spec
        if not isinstance(spec, str) or spec.strip().lower() not in _ACTIVATIONS:
            raise UnknownNameError(
                f"unknown activation {spec!r}; valid: {', '.join(_ACTIVATIONS)}")
        name = spec.strip().lower()
        make, defaults = _ACTIVATIONS[name]
        unknown = set(options) - set(defaults)
        if unknown:
            raise UnknownNameError(
                f"activation {name} takes no option {sorted(unknown)[0]!r}; "
                f"options: {', '.join(defaults) or 'none'}")
        values = {k: exact_number(options.get(k, v), k) for k, v in defaults.items()}
        return Activation(name, lambda z: make(z, **values), tuple(values.items()))


_ACTIVATIONS = {
    "linear": (lambda z: z, {}),
    "sigmoid": (sigmoid, {}),
    "tanh": (sp.tanh, {}),
    "relu": (relu, {}),
    "leaky_relu": (lambda z, slope: leaky_relu(z, slope), {"slope": sp.Rational(1, 100)}),
    "softplus": (softplus, {}),
    "elu": (lambda z, alpha: elu(z, alpha), {"alpha": sp.Integer(1)}),
    "silu": (silu, {}),
    "softmax": (None, {}),  # output layer only; applied across the layer in Network
}
ACTIVATIONS = tuple(_ACTIVATIONS)


# ---------------------------------------------------------------------- losses

@dataclass(frozen=True)
class Loss:
    """A per-sample loss and how samples combine (``"mean"`` or ``"sum"``).

    >>> y, yhat = sp.symbols("y yhat")
    >>> Loss.get("half_sse").per_sample([y], [yhat])
    (y - yhat)**2/2
    """

    name: str
    per_sample: Callable = field(compare=False)
    reduction: str
    description: str

    @staticmethod
    def get(spec):
        """The loss named ``spec``: mse, half_sse, bce or cross_entropy."""
        if isinstance(spec, Loss):
            return spec
        if not isinstance(spec, str) or spec.strip().lower() not in _LOSSES:
            raise UnknownNameError(f"unknown loss {spec!r}; valid: {', '.join(_LOSSES)}")
        return _LOSSES[spec.strip().lower()]


def _sq(ys, yhats):
    return sp.Add(*[(y - p) ** 2 for y, p in zip(ys, yhats)])


_LOSSES = {
    "mse": Loss("mse", _sq, "mean", "mean over samples of the sum over outputs of (y − ŷ)²"),
    "half_sse": Loss("half_sse", lambda ys, ps: _sq(ys, ps) / 2, "sum",
                     "sum over samples and outputs of ½(y − ŷ)²"),
    "bce": Loss("bce", lambda ys, ps: -sp.Add(*[y * sp.log(p) + (1 - y) * sp.log(1 - p)
                                               for y, p in zip(ys, ps)]), "mean",
                "binary cross-entropy −[y log ŷ + (1 − y) log(1 − ŷ)], mean over samples"),
    "cross_entropy": Loss("cross_entropy",
                          lambda ys, ps: -sp.Add(*[y * sp.log(p) for y, p in zip(ys, ps)]),
                          "mean", "−Σ_k y_k log ŷ_k over softmax outputs, mean over samples"),
}
LOSSES = tuple(_LOSSES)
_DEFAULT_OUTPUT = {"mse": "linear", "half_sse": "linear", "bce": "sigmoid",
                   "cross_entropy": "softmax"}


# ----------------------------------------------------------------------- graph

class Graph:
    """Named definitions in topological order; the last one is the output (``of``).

    >>> m, x, z = sp.symbols("m x z")
    >>> g = Graph({m: x**2, z: m**2})
    >>> g.children[m], g.leaves
    ([z], [x])
    """

    def __init__(self, definitions, output=None):
        self.definitions = dict(definitions)
        if not self.definitions:
            raise SymnetError("no definitions given; expected at least one 'name = expression'")
        self.output = output if output is not None else list(self.definitions)[-1]
        self.order = {s: i for i, s in enumerate(self.definitions)}
        self.parents = {s: _sorted(e.free_symbols) for s, e in self.definitions.items()}
        self.children = {}
        for node, parents in self.parents.items():
            for p in parents:
                self.children.setdefault(p, []).append(node)
        seen = set(self.definitions)
        self.leaves = _sorted({p for ps in self.parents.values() for p in ps} - seen)
        self._locals = {}

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
            raise UnknownNameError(
                f"unknown name {str(name)!r}; known names: {', '.join(self.symbols)}")
        return found

    def local(self, child, parent):
        """The local partial ∂child/∂parent of the child's own definition (cached)."""
        key = (child, parent)
        if key not in self._locals:
            self._locals[key] = sp.factor_terms(_partial(self.definitions[child], parent))
        return self._locals[key]

    def forward(self, values, precision=None):
        """Every symbol's value, given the leaves' values (a dict by name or Symbol).

        Values stay exact for exact input; with ``precision`` (decimal digits) each step is
        evaluated to that many digits.

        >>> net = Network("2-2-1")
        >>> v = net.forward({"x1": 1, "x2": 0, "y": 1, "w1": 1, "w2": 1, "w3": 2, "w4": 1,
        ...                  "w5": 1, "w6": 1, "b1": 0, "b2": 0, "b3": 0})
        >>> v[net.symbols["yhat"]], v[net.symbols["L"]]
        (3, 4)
        """
        given = {self.symbol(k): _number(v, k) for k, v in values.items()}
        missing = [str(s) for s in self.leaves if s not in given]
        if missing:
            raise SymnetError(f"missing values for {', '.join(missing)}")
        for node, expr in self.definitions.items():
            if node == self.output and expr.has(sp.log):
                # log(1 − σ(N)) rounds to log 0 once σ(N) saturates: write it as −softplus(N)
                inline = {p: self.definitions[p] for p in self.parents[node]
                          if p in self.definitions and not self.definitions[p].is_Add}
                expr = stable_logs(expr.xreplace(inline))
            value = expr.xreplace(given)
            if precision is not None:
                value = value.evalf(precision)
            given[node] = value
        return given

    def expand(self, expr, limit=20_000):
        """``expr`` with every intermediate replaced by its definition, down to the leaves.

        Refuses with :class:`TooLargeError` when the result would exceed ``limit`` nodes.
        """
        from .errors import TooLargeError
        sizes = {}
        for node, definition in self.definitions.items():
            sizes[node] = _tree_size(definition, sizes)
        size = _tree_size(expr, sizes)
        if size > limit:
            raise TooLargeError(
                f"the expanded form would have about {size:,} terms (limit {limit:,}); "
                "use the compact .result or the .delta form instead, or a smaller network")
        full = {}
        for node, definition in self.definitions.items():
            full[node] = definition.xreplace(full)
        return expr.xreplace(full)


def _number(value, name):
    """``value`` as an exact SymPy number (floats to 30 digits); never parses text."""
    if isinstance(value, bool):
        raise SymnetError(f"the value of {name} must be a number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SymnetError(f"the value of {name} must be finite, got {value!r}")
        return sp.Float(value, 30)
    if isinstance(value, (int, Fraction)):
        return sp.Rational(value)
    if isinstance(value, sp.Basic) and value.is_number and value.is_finite:
        return value
    if isinstance(value, (np.integer, np.floating)):
        return _number(value.item(), name)
    raise SymnetError(f"the value of {name} must be a number (int, float, Fraction or a SymPy "
                      f"number), got {type(value).__name__} {value!r:.40}")


def _sorted(symbols):
    return sorted(symbols, key=sp.default_sort_key)


def _tree_size(expr, sizes):
    """Nodes of ``expr`` written out as a tree; ``sizes`` memoises shared subexpressions."""
    if expr not in sizes:
        sizes[expr] = 1 + sum(_tree_size(a, sizes) for a in expr.args)
    return sizes[expr]


def _partial(expr, var):
    # A neuron's weighted sum is differentiated term by term, only where the variable occurs,
    # and a product that holds the variable once, to the first power, by dropping it: this
    # is diff's answer, and much faster for the thousands of edges of a network.
    if expr.is_Add:
        return sp.Add(*[_partial(t, var) for t in expr.args if t.has(var)])
    if expr.is_Mul and expr.args.count(var) == 1 and \
            not any(a.has(var) for a in expr.args if a != var):
        return sp.Mul(*[a for a in expr.args if a != var])
    return sp.diff(expr, var)


# --------------------------------------------------------------------- network

_ARCH_RE = re.compile(r"^\s*\d+(\s*-\s*\d+)+\s*$")


def parse_architecture(arch):
    """Layer sizes from ``"2-2-1"`` or ``[2, 2, 1]``.

    >>> parse_architecture("2-3-1")
    [2, 3, 1]
    """
    accepted = "expected layer sizes like '2-2-1' or [2, 2, 1]: at least two positive integers"
    if isinstance(arch, str):
        if not _ARCH_RE.match(arch):
            raise ArchitectureError(f"malformed architecture {arch!r}; {accepted}")
        sizes = [int(p) for p in arch.split("-")]
    elif isinstance(arch, (list, tuple)) and all(
            isinstance(n, int) and not isinstance(n, bool) for n in arch):
        sizes = list(arch)
    else:
        raise ArchitectureError(f"malformed architecture {arch!r}; {accepted}")
    if len(sizes) < 2 or any(n < 1 for n in sizes):
        raise ArchitectureError(f"malformed architecture {arch!r}; {accepted}")
    n_params = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
    if n_params > MAX_PARAMS:
        raise ArchitectureError(
            f"architecture {arch!r} has {n_params:,} parameters; symnet derives networks "
            f"of up to {MAX_PARAMS:,}")
    return sizes


class Network(Graph):
    """A fully connected network whose every quantity is a named SymPy definition.

    ``arch`` is ``"2-2-1"`` or ``[2, 2, 1]``.  ``activation`` is one activation for every hidden
    layer, or a list with one per hidden layer (names or :class:`Activation`); the default,
    ``"linear"``, is the seed lecture's network.  ``output_activation`` defaults to what the loss
    expects (linear for mse and half_sse, sigmoid for bce, softmax for cross_entropy).

    >>> net = Network("2-2-1", activation="sigmoid")
    >>> net.definitions[net.symbols["h1"]]
    sigmoid(N1)
    >>> [str(p) for p in net.params]
    ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2', 'b3']
    """

    def __init__(self, arch, activation="linear", output_activation=None, loss="mse"):
        self.sizes = parse_architecture(arch)
        self.loss = Loss.get(loss)
        n_hidden = len(self.sizes) - 2
        if isinstance(activation, str) and "," in activation:
            activation = activation.split(",")
        hidden = list(activation) if isinstance(activation, (list, tuple)) else [activation] * n_hidden
        if len(hidden) != n_hidden:
            raise ArchitectureError(
                f"{len(hidden)} activations given for {n_hidden} hidden layers; "
                "give one activation, or one per hidden layer")
        self.activations = [Activation.get(a) for a in hidden]
        if any(a.name == "softmax" for a in self.activations):
            raise SymnetError("softmax is an output activation; hidden layers accept: "
                              + ", ".join(a for a in ACTIVATIONS if a != "softmax"))
        out = output_activation if output_activation is not None else _DEFAULT_OUTPUT[self.loss.name]
        self.output_activation = Activation.get(out)
        self._check_loss()
        definitions, self.params = self._build()
        super().__init__(definitions)
        self.inputs = self.leaves_named("x")
        self.targets = self.leaves_named("y")

    def _check_loss(self):
        loss, out, n_out = self.loss.name, self.output_activation.name, self.sizes[-1]
        if loss == "cross_entropy" and (out != "softmax" or n_out < 2):
            raise SymnetError("cross_entropy takes softmax outputs and at least 2 of them; "
                              "for one sigmoid output use loss='bce'")
        if loss == "bce" and out not in ("sigmoid", "softmax"):
            raise SymnetError(f"bce needs outputs in (0, 1): output_activation 'sigmoid' "
                              f"(or 'softmax'), not {out!r}")
        if out == "softmax" and n_out < 2:
            raise SymnetError("a softmax output needs at least 2 outputs; use 'sigmoid' for one")

    def _build(self):
        sizes = self.sizes
        sym = sp.Symbol
        one_out = sizes[-1] == 1
        targets = [sym("y")] if one_out else [sym(f"y{k}") for k in range(1, sizes[-1] + 1)]
        prev = [sym(f"x{i}") for i in range(1, sizes[0] + 1)]
        defs, weights, biases = {}, [], []
        self.layers = []  # per layer, per neuron: (weighted sum, activated node or None)
        n = 0
        acts = self.activations + [self.output_activation]
        for layer, size in enumerate(sizes[1:]):
            act, last = acts[layer], layer == len(sizes) - 2
            outs, pre = [], []
            self.layers.append([])
            for _ in range(size):
                n += 1
                ws = [sym(f"w{len(weights) + i + 1}") for i in range(len(prev))]
                weights += ws
                b = sym(f"b{n}")
                biases.append(b)
                z = sp.Add(*[w * s for w, s in zip(ws, prev)], b)
                if last and act.is_linear:
                    yhat = sym("yhat" if one_out else f"yhat{len(outs) + 1}")
                    defs[yhat] = z
                    outs.append(yhat)
                    self.layers[-1].append((yhat, None))
                    continue
                node = sym(f"N{n}")
                defs[node] = z
                pre.append(node)
                if act.is_linear:
                    outs.append(node)
                    self.layers[-1].append((node, None))
                elif last and act.name == "softmax":
                    continue
                else:
                    h = sym(("yhat" if one_out else f"yhat{len(outs) + 1}") if last else f"h{n}")
                    defs[h] = act.apply(node)
                    outs.append(h)
                    self.layers[-1].append((node, h))
            if last and act.name == "softmax":
                for k in range(1, size + 1):
                    yhat = sym(f"yhat{k}")
                    defs[yhat] = softmax(k, *pre)
                    outs.append(yhat)
                    self.layers[-1].append((pre[k - 1], yhat))
            prev = outs
        defs[sym("L")] = self.loss.per_sample(targets, prev)
        self.outputs = prev
        return defs, weights + biases

    @cached_property
    def layer_of(self):
        """The layer (1 = first hidden) of every neuron's weighted sum and activated output.

        >>> Network("2-2-1", activation="sigmoid").layer_of[sp.Symbol("h2")]
        1
        """
        return {node: l for l, layer in enumerate(self.layers, start=1)
                for neuron in layer for node in neuron if node is not None}

    def leaves_named(self, letter):
        """The leaves whose names are ``letter`` or ``letter`` followed by digits, in order."""
        pat = re.compile(rf"^{letter}\d*$")
        return sorted((s for s in self.leaves if pat.match(s.name)),
                      key=lambda s: int(s.name[1:] or 0))

    def param(self, name):
        """The parameter called ``name``; a clear error naming the parameters if there is none."""
        p = self.symbols.get(str(name))
        if p is None or p not in self.params:
            raise UnknownNameError(
                f"unknown parameter {str(name)!r}; this network has: "
                f"{', '.join(map(str, self.params))}")
        return p

    @property
    def arch(self):
        return "-".join(map(str, self.sizes))

    def __repr__(self):
        acts = [str(a) for a in self.activations]
        act = acts[0] if len(set(acts)) == 1 else acts
        args = [repr(self.arch)]
        if acts:
            args.append(f"activation={act!r}")
        args += [f"output_activation={str(self.output_activation)!r}", f"loss={self.loss.name!r}"]
        return f"Network({', '.join(args)})"

    def __str__(self):
        from .printing import text
        lines = [repr(self)]
        lines += [f"  {text(k)} = {text(v)}" for k, v in self.definitions.items()]
        lines.append(f"  (loss: {self.loss.description})")
        return "\n".join(lines)

    def _repr_latex_(self):
        from .printing import definitions_latex
        return "$$" + definitions_latex(self.definitions) + "$$"

    def derive(self, wrt, of="L"):
        """The derivation of ``of`` (default the loss) with respect to ``wrt``.

        >>> Network("2-2-1").derive("w5").paths
        [(L, yhat, w5)]
        """
        from .derive import Derivation
        return Derivation(self, self.symbol(wrt), self.symbol(of))

    def compile(self, form="auto", backend="numpy"):
        """The network compiled to NumPy (see :class:`symnet.compile.Model`); cached per form
        and backend (``"numpy"``, or ``"torch"``/``"jax"`` where installed).

        >>> model = Network("2-1").compile()
        >>> model.gradient({"w1": 1, "w2": 1, "b1": 0}, [[1.0, 2.0]], [1.0])
        {'w1': 4.0, 'w2': 8.0, 'b1': 4.0}
        """
        from .compile import Model
        models = self.__dict__.setdefault("_models", {})
        key = ("layer" if form == "auto" else form, backend)
        if key not in models:
            models[key] = Model(self, form, backend)
        return models[key]

    def derive_layers(self):
        """Backpropagation in layer (matrix) form: Z = WA + b, δ = Wᵀδ_next ⊙ f'(Z), ∂L/∂W = δAᵀ."""
        from .compile import LayerDerivation
        return LayerDerivation(self)

    def init_params(self, seed=0):
        """Random starting parameters by name (see :func:`symnet.train.init_params`)."""
        from .train import init_params
        return init_params(self, seed)

    def fit(self, X, Y, lr=0.5, epochs=1000, batch_size=None, params=None, seed=0,
            callback=None, progress=True, form="auto"):
        """Train by gradient descent (see :func:`symnet.train.fit`); returns a TrainResult."""
        from .train import fit
        return fit(self, X, Y, lr=lr, epochs=epochs, batch_size=batch_size, params=params,
                   seed=seed, callback=callback, progress=progress, form=form)

    def gradients(self):
        """``{param: ∂L/∂param}`` for every parameter, from one reverse-mode sweep.

        >>> g = Network("2-2-1").gradients()
        >>> g[sp.Symbol("b3")]
        2*(-y + yhat)
        """
        from .derive import gradients
        return gradients(self, self.params)


def linear_regression(n_inputs):
    """One linear neuron with mean squared error: ``ŷ = w1 x1 + … + b1`` (the seed's Linear Reg).

    >>> linear_regression(2).definitions[sp.Symbol("yhat")]
    b1 + w1*x1 + w2*x2
    """
    return Network([n_inputs, 1], output_activation="linear", loss="mse")


def logistic_regression(n_inputs):
    """One sigmoid neuron with binary cross-entropy (the seed's Log Reg).

    >>> logistic_regression(1).definitions[sp.Symbol("yhat")]
    sigmoid(N1)
    """
    return Network([n_inputs, 1], output_activation="sigmoid", loss="bce")
