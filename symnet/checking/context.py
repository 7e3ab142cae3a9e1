"""What the slip detectors read (:class:`Context`): the model's graph, the derivation, its true
chain, the student's names, and a network's facts (layers, outputs, targets, parameters), empty
for a circuit."""

from functools import cached_property

from ..derive import Partial
from ..functions import softmax
from ..paths import Path


class Context:
    """What the detectors read: the graph (a network's, or any), the derivation, its true
    chain, and the student's names.  A network's facts (loss, outputs, targets, parameters,
    layers) are empty for a graph that has none."""

    def __init__(self, net, derivation, chain, show):
        self.net, self.derivation, self.chain, self.show = net, derivation, chain, show
        self.of, self.wrt = derivation.of, derivation.wrt
        self.factors = chain.factors
        self.name = f"∂{self.of}/∂{self.wrt}"
        self.loss = getattr(net, "loss", None)
        self.outputs, self.targets = getattr(net, "outputs", ()), getattr(net, "targets", ())
        self.params = getattr(net, "params", ())
        self.layers = getattr(net, "layers", ())
        # a layer template's layout (symnet.templates): each node's time step, each filter
        # weight's image in the filter turned by 180°
        self.steps, self.mirrors = getattr(net, "steps", {}), getattr(net, "mirrors", {})
        self.outputs_of = {h: n for layer in self.layers for n, h in layer if h is not None
                           and h not in self.outputs}
        self.sums_of = {n: h for h, n in self.outputs_of.items()}
        self.softmax_of = {}  # the i-th input of a softmax output → that output
        for o in self.outputs:
            d = net.definitions.get(o)
            if isinstance(d, softmax):
                self.softmax_of[d.args[d.args[0]]] = o  # softmax(i, N3, N4): args[i] is N_i

    @cached_property
    def groups(self):
        """Symbols that can stand in for each other: same letter, same layer."""
        out, layer_of, params = {}, getattr(self.net, "layer_of", {}), set(self.params)
        for s in self.net.symbols.values():
            stem = s.name.rstrip("0123456789")
            node = self.net.children[s][0] if s in params else s
            out.setdefault((stem, layer_of.get(node)), []).append(s)
        return {s: g for g in out.values() for s in g}

    def neighbours(self, s):
        return [t for t in self.groups.get(s, ()) if t != s]

    def other_side(self, s):
        """N1 for h1 and h1 for N1 (hidden neurons with an activation), else None."""
        return self.outputs_of.get(s, self.sums_of.get(s))

    def rerouted(self, path):
        """(neuron, sibling, path) for each hidden neuron of ``path`` moved to a sibling."""
        layers = self.layers[:-1]
        for node in path.nodes[1:-1]:
            for layer in layers:
                own = next((n for n in layer if node in n), None)
                if own is None or own[0] != node:
                    continue
                for other in layer:
                    if other != own:
                        yield own[0], other[0], self._moved(path, dict(zip(own, other)))

    def _moved(self, path, swap):
        swap = {a: b for a, b in swap.items() if a is not None}
        nodes = tuple(swap.get(n, n) for n in path.nodes)
        factors = []
        for f, v in path.factors:
            num, den = swap.get(f.num, f.num), swap.get(f.den, f.den)
            if (num, den) == (f.num, f.den):
                factors.append((f, v))
            elif den in self.net.parents.get(num, ()):
                factors.append((Partial(num, den), self.net.local(num, den)))
            else:
                factors.append((Partial(num, den), v.xreplace(swap)))
        return Path(nodes, tuple(factors))
