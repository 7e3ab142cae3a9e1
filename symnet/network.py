"""Network: the facade over the architecture, the graph, derivation, compiling and training.

Deriving and checking run where NumPy is not installed (and start without the time to import
it), so this module imports only the symbolic side at its top.  The four methods on the array
side, :meth:`~Network.compile`, :meth:`~Network.derive_layers`, :meth:`~Network.init_params`
and :meth:`~Network.fit`, import :mod:`symnet.compile` or :mod:`symnet.train` when called:
plain import statements, which import-linter, type checkers and editors see as they see the
others (the layer contract puts this module above both).

>>> net = Network("2-2-1")
>>> for name, expr in net.definitions.items(): print(name, "=", expr)
N1 = b1 + w1*x1 + w2*x2
N2 = b2 + w3*x1 + w4*x2
yhat = N1*w5 + N2*w6 + b3
L = (y - yhat)**2
"""

from functools import cached_property

from .activations import Activation
from .architecture import Architecture, count_params, parse_architecture
from .collector import paused
from .derive import Derivation, gradients
from .errors import SymnetError, UnknownNameError, did_you_mean, listed
from .files import MODEL_FORMAT, read_json
from .graph import Graph, GraphModel
from .parse.profiles import NOTATIONS, display_names
from .printing import definitions_latex, text
from .values import finite


class Network(GraphModel):
    """A fully connected network whose every quantity is a named SymPy definition.

    ``arch`` is ``"2-2-1"`` or ``[2, 2, 1]``.  ``activation`` is one activation for every hidden
    layer, or a list with one per hidden layer (names or :class:`Activation`); the default,
    ``"linear"``, is the seed lecture's network.  ``output_activation`` defaults to what the loss
    expects (linear for mse and half_sse, sigmoid for bce, softmax for cross_entropy).
    ``l2 = λ`` adds L2 regularisation (weight decay) to the loss as a node ``R = (λ/2) Σ w²``
    over the weights — not the biases — with ``L = … + R``; derivations of a weight then show
    the extra term λw, and training minimises the penalised loss (R counted once per batch).
    ``bias=False`` leaves out every bias, as d2l and Goodfellow write some networks;
    ``bias=[True, False]`` has a flag per layer after the input.  An activation known by its
    name only, the seed lecture's ``NL``, is ``sn.generic("NL")``: the network derives, prints
    and checks, but does not compile or fit (:func:`~symnet.activations.generic`).

    >>> net = Network("2-2-1", activation="sigmoid")
    >>> net.definitions[net.symbols["h1"]]
    sigmoid(N1)
    >>> [str(p) for p in net.params]
    ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'b1', 'b2', 'b3']
    >>> Network("2-2-1", bias=False).definitions[net.symbols["N1"]]
    w1*x1 + w2*x2
    """

    def __init__(self, arch, activation="linear", output_activation=None, loss="mse", l2=0,
                 bias=True, notation="seed"):
        if not isinstance(notation, str) or notation not in NOTATIONS:
            raise SymnetError(f"unknown notation {notation!r}; valid: {', '.join(NOTATIONS)}")
        self.notation = notation  # how derivations print the nodes (symnet.parse.profiles)
        a = Architecture(arch, activation, output_activation, loss, l2, bias)
        self._architecture = a
        self.sizes, self.loss, self.layers, self.outputs = a.sizes, a.loss, a.layers, a.outputs
        self.l2, self.penalty, self.bias, self.biases = a.l2, a.penalty, a.bias, a.biases
        self.activations, self.output_activation = a.activations, a.output_activation
        self.inputs, self.targets, self.param_names = a.inputs, a.targets, a.param_names
        self.n_weights = a.n_weights

    def check_scalar_work(self):
        """Refuse, before any of it, per-weight symbolic work (derivations, checks, worksheets)
        this network would take too long for (see :mod:`symnet.bounds`)."""
        self._architecture.check_scalar_work()

    @cached_property
    @paused  # the definitions and the graph in one pause (see gradients)
    def graph(self):
        """The network's :class:`~symnet.graph.Graph`: one definition per neuron, then the loss.

        Built when first asked for (by a derivation, a worksheet, a check): compiling and
        training use the layer form and never ask.  Under a cross-entropy loss it records that
        the targets are a distribution over the outputs (their sum is 1).

        >>> Network("2-1").graph.output
        L
        """
        a = self._architecture
        distribution = (a.outputs, a.targets) if a.loss.targets == "distribution" else None
        return Graph(a.definitions, distribution=distribution)

    @property
    def params(self):
        """The parameters as Symbols, weights then biases: ``[w1, …, wK, b1, …, bM]``."""
        return self._architecture.params

    @cached_property
    def layer_of(self):
        """The layer (1 = first hidden) of every neuron's weighted sum and activated output.

        >>> import sympy as sp
        >>> Network("2-2-1", activation="sigmoid").layer_of[sp.Symbol("h2")]
        1
        """
        return {node: l for l, layer in enumerate(self.layers, start=1)
                for neuron in layer for node in neuron if node is not None}

    def param(self, name):
        """The parameter called ``name``; a clear error naming the parameters if there is none."""
        if str(name) not in self._param_index:
            names = self.param_names
            raise UnknownNameError(f"unknown parameter {str(name)!r}{did_you_mean(name, names)}; "
                                   f"this network has: {listed(names)}")
        return self.params[self._param_index[str(name)]]

    @cached_property
    def _param_index(self):
        return {name: i for i, name in enumerate(self.param_names)}

    @property
    def arch(self):
        return "-".join(map(str, self.sizes))

    def __repr__(self):
        acts = [_spec(a) for a in self.activations]
        args = [repr(self.arch)]
        if acts:
            args.append(f"activation={acts[0] if len(set(acts)) == 1 else '[' + ', '.join(acts) + ']'}")
        args += [f"output_activation={_spec(self.output_activation)}", f"loss={self.loss.name!r}"]
        if self.l2:
            args.append(f"l2={str(self.l2)!r}")
        if not all(self.bias):
            args.append(f"bias={any(self.bias) and list(self.bias)}")
        if self.notation != "seed":
            args.append(f"notation={self.notation!r}")
        return f"Network({', '.join(args)})"

    def __str__(self):
        lines = [repr(self)]
        lines += [f"  {text(k)} = {text(v)}" for k, v in self.definitions.items()]
        lines.append(f"  (loss: {self.loss.description})")
        return "\n".join(lines)

    def _repr_latex_(self):
        return "$$" + definitions_latex(self.definitions, inline=True) + "$$"

    def derive(self, wrt, of="L"):
        """The derivation of ``of`` (default the loss) with respect to ``wrt``.

        >>> import symnet as sn
        >>> sn.Network("2-2-1").derive("w5").paths
        [(L, yhat, w5)]
        """
        return Derivation(self.graph, self.symbol(wrt), self.symbol(of), names=self.printed_names)

    @property
    def printed_names(self):
        """``{node: Symbol}``: how this network's notation prints its nodes (empty for the
        seed's names; see :func:`symnet.parse.profiles.display_names`).

        >>> Network("2-2-1", notation="mazur").printed_names[Network("2-2-1").symbol("N1")]
        net_h1
        """
        return display_names(self.notation, self.layers, self.symbol("L"))

    @property
    def generic_functions(self):
        """The generic activations' functions by name (:mod:`symnet.generics`): what an
        answer may apply besides the registered functions."""
        return {a.name: a.apply for a in self.activations + [self.output_activation] if a.generic}

    def compile(self, form="layer", backend="numpy"):
        """The network compiled to NumPy (see :class:`symnet.compile.Model`); cached per form
        and backend (``"numpy"``, or ``"torch"``/``"jax"`` where installed).

        >>> model = Network("2-1").compile()
        >>> model.gradient({"w1": 1, "w2": 1, "b1": 0}, [[1.0, 2.0]], [1.0])
        {'w1': 4.0, 'w2': 8.0, 'b1': 4.0}
        """
        from .compile import Model  # when called: see the module docstring
        models = self.__dict__.setdefault("_models", {})
        key = (form, backend)
        if key not in models:
            models[key] = Model(self, form, backend)
        return models[key]

    def derive_layers(self, convention=None, notation=None, shapes=False):
        """Backpropagation in layer (matrix) form: Z = WA + b, δ = Wᵀδ_next ⊙ f'(Z), ∂L/∂W = δAᵀ
        (``convention="row"``: Z = AW + b; ``notation="ng"`` or ``"cs231n"``: the books' names;
        ``shapes=True``: each array's shape; see :class:`~symnet.compile.LayerDerivation`)."""
        from .compile import LayerDerivation  # when called: see the module docstring
        return LayerDerivation(self, convention, notation or self.notation, shapes)

    def init_params(self, seed=0):
        """Random starting parameters by name (see :func:`symnet.train.init_params`)."""
        from . import train  # when called: see the module docstring
        return train.init_params(self, seed)

    def fit(self, X, Y, lr=None, epochs=1000, batch_size=None, params=None, seed=0,
            callback=None, progress=True, form="layer", optimizer="sgd", freeze=(),
            validation=None, patience=None, backend="numpy", **options):
        """Train (see :func:`symnet.train.fit`: optimizers, frozen parameters, validation,
        early stopping); returns a TrainResult.

        >>> import symnet as sn
        >>> import numpy as np
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> result = sn.linear_regression(1).fit(X, 2 * X + 1, lr=0.1, epochs=2000,
        ...                                      progress=False)
        >>> {name: round(value, 3) for name, value in result.params.items()}
        {'w1': 2.0, 'b1': 1.0}
        >>> result.history[-1] < 1e-12 < result.history[0]
        True
        """
        from . import train  # when called: see the module docstring
        return train.fit(self, X, Y, lr=lr, epochs=epochs, batch_size=batch_size,
                         params=params, seed=seed, callback=callback, progress=progress,
                         form=form, optimizer=optimizer, freeze=freeze, validation=validation,
                         patience=patience, backend=backend, **options)

    @paused  # one pause: between two, the collector would pass over every object made so far
    def gradients(self):
        """``{param: ∂L/∂param}`` for every parameter, from one reverse-mode sweep.

        >>> import sympy as sp
        >>> g = Network("2-2-1").gradients()
        >>> g[sp.Symbol("b3")]
        2*(-y + yhat)
        """
        return gradients(self.graph, self.params)


def _spec(act):
    return f"generic({act.name!r})" if act.generic else repr(str(act))


def linear_regression(n_inputs):
    """One linear neuron with mean squared error: ``ŷ = w1 x1 + … + b1`` (the seed's Linear Reg).

    >>> import sympy as sp
    >>> linear_regression(2).definitions[sp.Symbol("yhat")]
    b1 + w1*x1 + w2*x2
    """
    return Network([n_inputs, 1], output_activation="linear", loss="mse")


def logistic_regression(n_inputs):
    """One sigmoid neuron with binary cross-entropy (the seed's Log Reg).

    >>> import sympy as sp
    >>> logistic_regression(1).definitions[sp.Symbol("yhat")]
    sigmoid(N1)
    """
    return Network([n_inputs, 1], output_activation="sigmoid", loss="bce")


def load(path):
    """Read a file written by :meth:`TrainResult.save`: ``(network, params)``, bit-exact.

    >>> import os, tempfile
    >>> import symnet as sn
    >>> path = os.path.join(tempfile.mkdtemp(), "m.json")
    >>> sn.TrainResult(Network("2-1"), {"w1": 0.1, "w2": 1/3, "b1": -2.0}).save(path)
    >>> net, params = load(path)
    >>> net.arch, params["w2"] == 1/3
    ('2-1', True)
    """
    doc = read_json(path, "a symnet model file")
    if not isinstance(doc, dict) or doc.get("format") != MODEL_FORMAT:
        raise SymnetError(f"{path} is not a symnet model file (expected \"format\": "
                          f"\"{MODEL_FORMAT}\")")
    try:
        _check_size(path, doc)
        acts = [Activation.get(a["name"], **{k: v for k, v in a.items() if k != "name"})
                for a in doc["activation"]]
        out = doc["output_activation"]
        net = Network(doc["arch"], activation=acts,
                      output_activation=Activation.get(out["name"], **{k: v for k, v in out.items()
                                                                       if k != "name"}),
                      loss=doc["loss"], l2=doc.get("l2", 0), bias=doc.get("bias", True))
        stored = doc["params"]
        params = {p: finite(stored[p], f"{path}: parameter {p}") for p in net.param_names}
    except (KeyError, TypeError, AttributeError) as exc:
        raise SymnetError(f"{path} is not a complete symnet model file (missing or malformed "
                          f"{exc})") from None
    return net, params


def _check_size(path, doc):
    """Refuse, before any network is built, a file whose architecture has other than the
    parameters it holds: a few hundred bytes naming 20000-4999-1 would otherwise build a
    hundred million of them before finding the first missing."""
    sizes = parse_architecture(doc["arch"])
    n_params = count_params(sizes, doc.get("bias", True))
    if not isinstance(doc["params"], dict) or len(doc["params"]) != n_params:
        raise SymnetError(f"{path} names a {'-'.join(map(str, sizes))} network of "
                          f"{n_params:,} parameters but holds {len(doc['params']):,}; it is not "
                          "a complete symnet model file")
