"""Layer sizes, activations and a loss → the network's named definitions (docs/architecture.md, Naming).

The sizes, activations, neurons and parameter names are known at once; the scalar definitions
(one per neuron, one product per weight) are built on first use, since the layer form that
compiling and training use does not need them.

>>> a = Architecture("2-2-1")
>>> a.param_names
['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2', 'b3']
>>> for name, expr in a.definitions.items(): print(name, "=", expr)
N1 = b1 + w1*x1 + w2*x2
N2 = b2 + w3*x1 + w4*x2
yhat = N1*w5 + N2*w6 + b3
L = (y - yhat)**2
"""

import itertools
import re
from functools import cached_property

import sympy as sp

from .activations import Activation, names
from .bounds import check_derivation_time
from .canonical import symbol, weighted_sum
from .collector import paused
from .errors import ArchitectureError, SymnetError, TooLargeError
from .functions import softmax
from .losses import Loss
from .values import exact_number

# Arrays of this many float64 parameters take 800 MB: the bound on compiling and training.
MAX_PARAMS = 100_000_000
# Per-weight symbolic work (the scalar graph, derivations, worksheets, checks) costs about
# SCALAR_SECONDS_PER_PARAM each (measured building 784-16-16-10 and deriving every gradient),
# and is refused beyond MAX_SCALAR_SECONDS.
SCALAR_SECONDS_PER_PARAM = 3e-4
MAX_SCALAR_SECONDS = 30

_ARCH_RE = re.compile(r"^\s*[0-9]+(\s*-\s*[0-9]+)+\s*$", re.ASCII)  # one number syntax (values)
MAX_ARCH_TEXT = 4000  # characters: a 1,000-layer 1-1-…-1 is 1,999


def parse_architecture(arch):
    """Layer sizes from ``"2-2-1"`` or ``[2, 2, 1]``.

    >>> parse_architecture("2-3-1")
    [2, 3, 1]
    """
    accepted = "expected layer sizes like '2-2-1' or [2, 2, 1]: at least two positive integers"
    if isinstance(arch, str):
        if len(arch) > MAX_ARCH_TEXT:
            raise ArchitectureError(f"architecture of {len(arch):,} characters; at most "
                                    f"{MAX_ARCH_TEXT:,} are accepted")
        if not _ARCH_RE.match(arch):
            raise ArchitectureError(f"malformed architecture {arch[:60]!r}; {accepted} "
                                    "(digits 0-9)")
        # int() of 5,000 digits would itself fail; a size of 31 digits is far past the cap
        sizes = [int(p) if len(p.strip()) <= 30 else 10**30 for p in arch.split("-")]
    elif isinstance(arch, (list, tuple)) and all(
            isinstance(n, int) and not isinstance(n, bool) for n in arch):
        sizes = list(arch)
    else:
        raise ArchitectureError(f"malformed architecture {_short(arch)}; {accepted}")
    if len(sizes) < 2 or any(n < 1 for n in sizes):
        raise ArchitectureError(f"malformed architecture {_short(arch)}; {accepted}")
    n_params = count_params(sizes)
    if n_params > MAX_PARAMS:
        raise ArchitectureError(
            f"architecture {_short(arch)} has {_count(n_params)} parameters; symnet compiles networks "
            f"of up to {MAX_PARAMS:,} ({8 * MAX_PARAMS // 10**6:,} MB of float64)")
    return sizes


def count_params(sizes, bias=True):
    """Weights and biases of a fully connected network with these layer sizes (``bias``: as
    :func:`layer_biases` reads it).

    >>> count_params([784, 30, 10]), count_params([784, 30, 10], bias=False)
    (23860, 23820)
    """
    has = layer_biases(bias, len(sizes) - 1)
    return sum((a + has[l]) * b for l, (a, b) in enumerate(zip(sizes, sizes[1:])))


def layer_biases(bias, n_layers):
    """One flag per layer after the input, from ``True``/``False`` (every layer) or a list of
    flags, one per layer.

    >>> layer_biases(False, 2), layer_biases([True, False], 2)
    ((False, False), (True, False))
    """
    flags = [bias] * n_layers if isinstance(bias, bool) else \
        list(bias) if isinstance(bias, (list, tuple)) else None
    if flags is None or len(flags) != n_layers or not all(isinstance(f, bool) for f in flags):
        raise ArchitectureError(f"bias is True, False, or a list of {n_layers} flags, one per layer "
                                f"after the input (like [True, False]); got {_short(bias)}")
    return tuple(flags)


def check_scalar_size(sizes, bias=True):
    """Refuse per-weight symbolic work that would take longer than :data:`MAX_SCALAR_SECONDS`,
    saying how long it would take and what works at any size.

    >>> check_scalar_size([784, 128, 64, 10])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symnet.errors.TooLargeError: 784-128-64-10 has 109,386 parameters: ...
    """
    n = count_params(sizes, bias)
    seconds = n * SCALAR_SECONDS_PER_PARAM
    if seconds > MAX_SCALAR_SECONDS:
        arch = "-".join(map(str, sizes))
        raise TooLargeError(
            f"{arch} has {n:,} parameters: deriving them one weight at a time (scalar "
            f"definitions, derivations, worksheets, checks) would take about {seconds:.0f} s; "
            f"symnet does that work up to about {MAX_SCALAR_SECONDS} s "
            f"({int(MAX_SCALAR_SECONDS / SCALAR_SECONDS_PER_PARAM):,} parameters). compile(), "
            "fit() and derive_layers() work at any size, from the layer form")


def _short(arch):
    try:
        text = repr(arch)
    except ValueError:  # an integer too long to print
        text = f"[{len(arch)} sizes, one of them thousands of digits long]"
    return text if len(text) <= 60 else text[:57] + "..."


def _count(n):
    return f"{n:,}" if n < 10**15 else "more than 10¹⁵"


def hidden_activations(activation, n_hidden):
    """One :class:`Activation` per hidden layer from one name, a comma list or a list."""
    if isinstance(activation, str) and "," in activation:
        activation = activation.split(",")
    hidden = list(activation) if isinstance(activation, (list, tuple)) else [activation] * n_hidden
    if len(hidden) != n_hidden:
        raise ArchitectureError(
            f"{len(hidden)} activation{'s' * (len(hidden) != 1)} given for {n_hidden} hidden "
            f"layer{'s' * (n_hidden != 1)}; "
            "give one activation, or one per hidden layer")
    named, acts = {}, []  # each name read once, in the order given
    for a in hidden:
        if not isinstance(a, str):
            acts.append(Activation.get(a))
            continue
        if a not in named:
            named[a] = Activation.get(a)
        acts.append(named[a])
    if any(a.entry.output_only for a in acts):
        raise SymnetError("softmax is an output activation; hidden layers accept: "
                          + ", ".join(names(hidden=True)))
    return acts


class Architecture:
    """The named definitions of a fully connected network.

    Attributes: ``sizes``, ``loss``, ``activations`` (hidden), ``output_activation``,
    ``bias`` (a flag per layer after the input), ``layers`` (per layer, per neuron: (weighted
    sum, activated node or None)), ``biases`` (per layer, per neuron: its bias's name, or None),
    ``outputs``, ``inputs``, ``targets``, ``param_names`` (weights then biases, a bias named
    after its neuron: b3 is N3's); built on first use: ``definitions`` (in topological order,
    ``L`` last) and ``params`` (the Symbols).

    ``l2 = λ > 0`` adds weight decay to the loss through a node of its own,
    ``R = (λ/2) Σ w²`` over the weights (the biases are not penalised), and ``L = … + R``:
    every derivation of a weight then shows the extra path L → R → w, whose product is λw.
    ``penalty`` is R (None without it).  A batch's loss counts R once, not once per sample.

    >>> a = Architecture("1-1", l2="0.1")
    >>> a.definitions[sp.Symbol("R")], a.definitions[sp.Symbol("L")]
    (w1**2/20, R + (y - yhat)**2)
    >>> Architecture("2-2-1", bias=[False, True]).param_names
    ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b3']
    """

    def __init__(self, arch, activation="linear", output_activation=None, loss="mse", l2=0,
                 bias=True):
        self.sizes = parse_architecture(arch)
        self.bias = layer_biases(bias, len(self.sizes) - 1)
        # the default, no weight decay, without SymPy's number machinery (fresh, 30 µs)
        self.l2 = sp.S.Zero if type(l2) is int and l2 == 0 else exact_number(l2, "l2")
        if self.l2.is_negative:
            raise SymnetError(f"l2 must be a number ≥ 0, got {l2!r}")
        self.loss = Loss.get(loss)
        self.activations = hidden_activations(activation, len(self.sizes) - 2)
        out = output_activation if output_activation is not None else self.loss.default_output
        self.output_activation = Activation.get(out)
        self.loss.check(self.output_activation.name, self.sizes[-1])
        if self.output_activation.name == "softmax" and self.sizes[-1] < 2:
            raise SymnetError("a softmax output needs at least 2 outputs; use 'sigmoid' for one")
        self.penalty = sp.Symbol("R") if self.l2 else None
        self._neurons()
        self._check_generic_names()

    @property
    def arch(self):
        return "-".join(map(str, self.sizes))

    def _neurons(self):
        """Each neuron's weighted-sum node and activated node, the inputs, outputs and targets."""
        sizes, sym = self.sizes, symbol
        one_out = sizes[-1] == 1
        out_name = lambda k: "yhat" if one_out else f"yhat{k}"
        self.inputs = [sym(f"x{i}") for i in range(1, sizes[0] + 1)]
        self.targets = [sym("y")] if one_out else [sym(f"y{k}") for k in range(1, sizes[-1] + 1)]
        acts = self.activations + [self.output_activation]
        self.layers, n = [], 0
        for layer, size in enumerate(sizes[1:]):
            act, last = acts[layer], layer == len(sizes) - 2
            neurons = []
            for j in range(1, size + 1):
                n += 1
                if last and act.is_linear:
                    neurons.append((sym(out_name(j)), None))
                elif act.is_linear:
                    neurons.append((sym(f"N{n}"), None))
                else:
                    neurons.append((sym(f"N{n}"), sym(out_name(j) if last else f"h{n}")))
            self.layers.append(neurons)
        self.outputs = [a if a is not None else z for z, a in self.layers[-1]]
        self.n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
        first = [1 + sum(sizes[1:l]) for l in range(1, len(sizes))]  # each layer's first neuron
        self.biases = [[f"b{first[l] + j}" if has else None for j in range(size)]
                       for l, (size, has) in enumerate(zip(sizes[1:], self.bias))]
        self.param_names = [f"w{i}" for i in range(1, self.n_weights + 1)] + \
            [b for layer in self.biases for b in layer if b is not None]

    def _check_generic_names(self):
        generic = [act for act in self.activations + [self.output_activation] if act.generic]
        if not generic:
            return
        names = {*self.param_names, *(s.name for s in self.inputs + self.targets), "L", "R"}
        names |= {s.name for layer in self.layers for neuron in layer for s in neuron if s is not None}
        for act in generic:
            if act.name in names:
                raise SymnetError(f"the generic activation {act.name!r} has the name of one of "
                                  "the network's symbols; call it something else, like 'NL'")

    @cached_property
    def params(self):
        """The parameters as SymPy Symbols, weights then biases."""
        return [symbol(name) for name in self.param_names]

    def check_scalar_work(self):
        """Refuse, before any of it, per-weight symbolic work that would take too long: by the
        parameters (:func:`check_scalar_size`) and by the depth (δ products grow a factor a
        layer, :func:`symnet.bounds.check_derivation_time`)."""
        check_scalar_size(self.sizes, self.bias)
        check_derivation_time(count_params(self.sizes, self.bias), len(self.sizes),
                              not all(a.is_linear for a in self.activations), _short(self.arch))

    @cached_property
    @paused
    def definitions(self):
        """Every neuron's definition and the loss's, in topological order (checked for size)."""
        self.check_scalar_work()
        weights, bias_symbols = iter(self.params), iter(self.params[self.n_weights:])
        acts = self.activations + [self.output_activation]
        defs, prev = {}, self.inputs
        keys = {}  # the symbols' sort keys, shared by the neurons' sums
        for neurons, act, biases in zip(self.layers, acts, self.biases):
            pre = []
            for (node, activated), b in zip(neurons, biases):
                z = weighted_sum(itertools.islice(weights, len(prev)), prev,
                                 next(bias_symbols) if b else sp.S.Zero, keys=keys)
                defs[node] = z
                pre.append(node)
                if activated is not None and act.name != "softmax":
                    defs[activated] = act.apply(node)
            if act.name == "softmax":
                for k, (_, yhat) in enumerate(neurons, start=1):
                    defs[yhat] = softmax(k, *pre)
            prev = [a if a is not None else z for z, a in neurons]
        loss = self.loss.per_sample(self.targets, prev)
        if self.penalty is not None:
            defs[self.penalty] = self.l2 / 2 * sp.Add(*[w ** 2 for w in self.params[:self.n_weights]])
            loss = loss + self.penalty
        defs[symbol("L")] = loss
        return defs
