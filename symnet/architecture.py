"""Layer sizes, activations and a loss → the network's named definitions (DESIGN.md, Naming).

>>> a = Architecture("2-2-1")
>>> for name, expr in a.definitions.items(): print(name, "=", expr)
N1 = b1 + w1*x1 + w2*x2
N2 = b2 + w3*x1 + w4*x2
yhat = N1*w5 + N2*w6 + b3
L = (y - yhat)**2
"""

import re

import sympy as sp

from .activations import Activation, names
from .errors import ArchitectureError, SymnetError
from .functions import softmax
from .losses import Loss
from .values import exact_number

MAX_PARAMS = 20_000

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


def hidden_activations(activation, n_hidden):
    """One :class:`Activation` per hidden layer from one name, a comma list or a list."""
    if isinstance(activation, str) and "," in activation:
        activation = activation.split(",")
    hidden = list(activation) if isinstance(activation, (list, tuple)) else [activation] * n_hidden
    if len(hidden) != n_hidden:
        raise ArchitectureError(
            f"{len(hidden)} activations given for {n_hidden} hidden layers; "
            "give one activation, or one per hidden layer")
    acts = [Activation.get(a) for a in hidden]
    if any(a.entry.output_only for a in acts):
        raise SymnetError("softmax is an output activation; hidden layers accept: "
                          + ", ".join(names(hidden=True)))
    return acts


class Architecture:
    """The named definitions of a fully connected network.

    Attributes: ``sizes``, ``loss``, ``activations`` (hidden), ``output_activation``,
    ``definitions`` (in topological order, ``L`` last), ``params`` (weights then biases),
    ``layers`` (per layer, per neuron: (weighted sum, activated node or None)), ``outputs``.

    ``l2 = λ > 0`` adds weight decay to the loss through a node of its own,
    ``R = (λ/2) Σ w²`` over the weights (the biases are not penalised), and ``L = … + R``:
    every derivation of a weight then shows the extra path L → R → w, whose product is λw.
    ``penalty`` is R (None without it).  A batch's loss counts R once, not once per sample.

    >>> a = Architecture("1-1", l2="0.1")
    >>> a.definitions[sp.Symbol("R")], a.definitions[sp.Symbol("L")]
    (w1**2/20, R + (y - yhat)**2)
    """

    def __init__(self, arch, activation="linear", output_activation=None, loss="mse", l2=0):
        self.sizes = parse_architecture(arch)
        self.l2 = exact_number(l2, "l2")
        if self.l2 < 0:
            raise SymnetError(f"l2 must be a number ≥ 0, got {l2!r}")
        self.loss = Loss.get(loss)
        self.activations = hidden_activations(activation, len(self.sizes) - 2)
        out = output_activation if output_activation is not None else self.loss.default_output
        self.output_activation = Activation.get(out)
        self.loss.check(self.output_activation.name, self.sizes[-1])
        if self.output_activation.name == "softmax" and self.sizes[-1] < 2:
            raise SymnetError("a softmax output needs at least 2 outputs; use 'sigmoid' for one")
        self.definitions, self.params = self._build()

    def _build(self):
        sizes = self.sizes
        sym = sp.Symbol
        one_out = sizes[-1] == 1
        targets = [sym("y")] if one_out else [sym(f"y{k}") for k in range(1, sizes[-1] + 1)]
        prev = [sym(f"x{i}") for i in range(1, sizes[0] + 1)]
        defs, weights, biases = {}, [], []
        self.layers = []
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
        loss = self.loss.per_sample(targets, prev)
        self.penalty = None
        if self.l2:
            self.penalty = sym("R")
            defs[self.penalty] = self.l2 / 2 * sp.Add(*[w ** 2 for w in weights])
            loss = loss + self.penalty
        defs[sym("L")] = loss
        self.outputs = prev
        return defs, weights + biases
