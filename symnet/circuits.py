"""Circuits: any computational graph as a model (CS231n's word for a graph of gates).

A circuit is named definitions, ``"q = x + y; f = q*z"``, read by symnet's whitelist parser
(never by ``sympify``), with one output: the last definition unless named.  Its leaves are
its inputs and its parameters.  CS231n asks for ∂f/∂ of every input, so by default every leaf
is a parameter (derived by :meth:`Circuit.gradients`); ``params=`` names the ones to learn and
makes the others inputs (the data).

A circuit compiles and fits as a loss: its output is the loss of one sample, a row of X with
one column per input, and :meth:`Circuit.fit` minimises its mean over the rows.  Those
methods import :mod:`symnet.compile` and :mod:`symnet.train` when called, as a network's do,
so that building a circuit and deriving or checking on it needs no NumPy.

>>> import symnet as sn
>>> c = sn.circuit("q = x + y; f = q*z")
>>> c.output, c.params, c.gradients()
(f, [x, y, z], {x: z, y: z, z: q})
>>> c.at({"x": -2, "y": 5, "z": -4}).gradients
{x: -4, y: -4, z: 3, q: -4, f: 1}
"""

from .derive import Derivation, as_definitions, gradients
from .errors import SymnetError, UnknownNameError, did_you_mean, listed
from .graph import Graph, GraphModel
from .printing import definitions_latex, text
from .sweep import Sweep

MAX_REPR = 200  # characters of definitions a repr writes out


class Circuit(GraphModel):
    """A computational graph as a model: its :attr:`graph`, its :attr:`params` (leaves to
    derive by) and :attr:`inputs` (the other leaves), derivations and gradients of its
    :attr:`output`, and numbers on every node at a point (:meth:`at`).

    ``definitions`` is text (``"q = x + y; f = q*z"``, definitions separated by ';' or new
    lines), a list of such strings, a dict ``{Symbol: expr}`` or a list of SymPy ``Eq``.
    ``output`` names a definition (default: the last); ``params`` names leaves, as a list or
    ``"w0,w1,w2"`` (default: every leaf); ``sums`` collects paths that differ only in an
    index as Σ (see :func:`circuit`).

    >>> c = Circuit("a = w0*x0 + w1*x1 + w2; f = sigmoid(a)", params="w0,w1,w2")
    >>> c.params, c.inputs
    ([w0, w1, w2], [x0, x1])
    >>> c.derive("w0").result
    x0*(1 - sigmoid(a))*sigmoid(a)
    """

    def __init__(self, definitions, output=None, params=None, sums=False):
        self.sums = sums  # derivations collect paths that differ in an index as Σ (symnet.sums)
        definitions = as_definitions(definitions)
        defined = {str(s): s for s in definitions}
        if output is not None and str(output) not in defined:
            raise UnknownNameError(f"the output must be a defined name{did_you_mean(output, defined)}; "
                                   f"{str(output)!r} is not one of: {listed(defined)}")
        self.graph = Graph(definitions, output=defined[str(output)] if output is not None else None)
        self.params = self._params(params)
        self.inputs = [s for s in self.graph.leaves if s not in self.params]

    def _params(self, params):
        if params is None:
            return list(self.graph.leaves)
        if isinstance(params, str):
            params = [p.strip() for p in params.split(",") if p.strip()]
        if not isinstance(params, (list, tuple)):
            raise SymnetError("params must name leaves of the circuit, as a list or 'w0,w1'; "
                              f"got {type(params).__name__}")
        out = []
        for name in params:
            symbol = self.leaf(name, "parameter")
            if symbol in out:
                raise SymnetError(f"parameter {symbol} is named twice")
            out.append(symbol)
        return out

    @property
    def generic_functions(self):
        """The generic functions the definitions apply (``f`` in ``y = f(a)``), by name: what
        an answer may apply besides the registered functions."""
        return self.graph.generic_functions

    @property
    def param_names(self):
        """The parameters' names, in :attr:`params` order."""
        return [str(p) for p in self.params]

    def param(self, name):
        """The parameter called ``name``; a clear error naming the parameters if there is none."""
        if str(name) not in self.param_names:
            raise UnknownNameError(f"unknown parameter {str(name)!r}"
                                   f"{did_you_mean(name, self.param_names)}; this circuit has: "
                                   f"{listed(self.params)}")
        return self.params[self.param_names.index(str(name))]

    def leaf(self, name, role="leaf"):
        """The leaf (a parameter or an input) called ``name``; a clear error naming the leaves
        if there is none (``role`` says what was asked for: ``"leaf"``, ``"parameter"``).

        >>> Circuit("q = x + y; f = q*z").leaf("y")
        y
        """
        symbol = self.graph.symbols.get(str(name))
        if symbol is None or symbol in self.graph.definitions:
            what = "is defined, not a leaf" if symbol is not None else \
                f"is not a name of the circuit{did_you_mean(name, self.graph.leaves)}"
            who = repr(str(name)) if role == "leaf" else f"{role} {str(name)!r}"
            raise UnknownNameError(f"{who} {what}; the leaves are: {listed(self.graph.leaves)}")
        return symbol

    def derive(self, wrt, of=None):
        """The derivation of ``of`` (default the output) with respect to ``wrt``, any name.

        >>> Circuit("q = x + y; f = q*z").derive("x").paths
        [(f, q, x)]
        """
        of = self.output if of is None else self.symbol(of)
        return Derivation(self.graph, self.symbol(wrt), of, sums=self.sums)

    def gradients(self):
        """``{param: ∂output/∂param}`` for every parameter, from one reverse-mode sweep."""
        return gradients(self.graph, self.params)

    def compile(self, form="scalar", backend="numpy"):
        """The circuit compiled as a loss (a :class:`~symnet.compile.CircuitModel`): its output
        is the loss of one sample, a row of X (one column per input, in :attr:`inputs` order),
        averaged over the rows; the scalar form only, cached per backend.  A generic function
        (``f(x)``) has no numbers: it is refused.

        >>> model = Circuit("q = x + y; f = q*z").compile()
        >>> model.loss({"x": -2, "y": 5, "z": -4}), model.gradient({"x": -2, "y": 5, "z": -4})
        (-12.0, {'x': -4.0, 'y': -4.0, 'z': 3.0})
        """
        from .compile import CircuitModel  # when called: see the module docstring
        models = self.__dict__.setdefault("_models", {})
        if (form, backend) not in models:
            models[form, backend] = CircuitModel(self, form, backend)
        return models[form, backend]

    def init_params(self, seed=0):
        """Seeded starting parameters by name, each drawn from N(0, 1) (a circuit has no layer
        sizes to scale them by; see :func:`symnet.train.init_params`)."""
        from . import train  # when called: see the module docstring
        return train.init_params(self, seed)

    def fit(self, X=None, lr=None, epochs=1000, batch_size=None, params=None, seed=0,
            callback=None, progress=True, optimizer="sgd", freeze=(), validation=None,
            patience=None, **options):
        """Minimise the mean of the output over the rows of ``X`` (one column per input, in
        :attr:`inputs` order; none for a circuit without inputs) by gradient descent on
        :attr:`params`, starting from ``params`` (by name) or :meth:`init_params` (``seed``);
        returns a :class:`~symnet.result.TrainResult` (``.params``, ``.history``: each epoch's
        mean before its update).  The training loop is the network's
        (:func:`symnet.train.fit`): its optimizers, mini-batches, ``freeze``, ``validation``
        and ``patience``, on NumPy in the scalar form.

        Linear regression written as a circuit: its output is the squared error of one row.

        >>> import numpy as np
        >>> c = Circuit("p = w*x + b; r = p - y; L = r**2", params="w,b")   # inputs x, y
        >>> X = np.array([[0.0, 1.0], [1.0, 3.0], [2.0, 5.0]])             # y = 2x + 1
        >>> result = c.fit(X, lr=0.1, epochs=2000, progress=False)
        >>> {name: round(value, 6) for name, value in result.params.items()}
        {'w': 2.0, 'b': 1.0}
        """
        if not self.params:
            raise SymnetError("this circuit has no parameters to fit: params= names the leaves "
                              f"to learn, among {listed(self.graph.leaves)}")
        from . import train  # when called: see the module docstring
        return train.fit(self, X, None, lr=lr, epochs=epochs, batch_size=batch_size,
                         params=params, seed=seed, callback=callback, progress=progress,
                         form="scalar", optimizer=optimizer, freeze=freeze,
                         validation=validation, patience=patience, **options)

    def at(self, values, of=None):
        """Numbers on every node at a point, ``values`` giving every leaf's by name: each node's
        value and ∂of/∂node, and how each gate routes the gradient (a
        :class:`~symnet.sweep.Sweep`; ``of`` defaults to the output)."""
        return Sweep(self.graph, values, None if of is None else self.symbol(of))

    def source(self):
        """The Python call that makes this circuit again (a worksheet notebook's first cell).

        >>> print(Circuit("q = x + y; f = q*z", params="x").source())
        sn.circuit('q = x + y; f = q*z', params='x')
        """
        return f"sn.circuit({self._arguments(None)})"

    def _arguments(self, limit):
        shown = "; ".join(f"{k} = {text(v)}" for k, v in self.definitions.items())
        args = [repr(shown) if limit is None or len(shown) <= limit
                else f"<{len(self.definitions):,} definitions>"]
        if self.output != list(self.definitions)[-1]:
            args.append(f"output={str(self.output)!r}")
        if self.params != self.graph.leaves:
            args.append(f"params={','.join(self.param_names)!r}")
        if self.sums:
            args.append("sums=True")
        return ", ".join(args)

    def __repr__(self):
        return f"Circuit({self._arguments(MAX_REPR)})"

    def __str__(self):
        lines = [f"{text(k)} = {text(v)}" for k, v in self.definitions.items()]
        lines.append(f"(output {self.output}; parameters {listed(self.params) or 'none'}; "
                     f"inputs {listed(self.inputs) or 'none'})")
        return "\n".join(lines)

    def _repr_latex_(self):
        return "$$" + definitions_latex(self.definitions, inline=True) + "$$"


def circuit(definitions, output=None, params=None, sums=False):
    """A computational graph as a model (see :class:`Circuit`): ``definitions`` as text,
    a list, or a dict; one ``output`` (default the last definition); ``params`` the leaves to
    derive by (default every leaf); with ``sums``, derivations write paths that differ only in
    an index (``y1 … y4``) once, as Σ_i (:mod:`symnet.sums`); ``sums`` may also name the
    letters of each stem's indices, ``{"h": "t"}`` for Σ_t over h1, h2, ….

    >>> import symnet as sn
    >>> c = sn.circuit("c = a + b; d = a*b; e = c + d; f = c*d; y = e + f")
    >>> s = c.at({"a": 2, "b": 3})
    >>> s.values[c.output], s.gradients[c.symbol("a")], s.gradients[c.symbol("b")]
    (41, 25, 19)
    >>> print(s.routes[-2])
    a is used twice (by c and d): the gradients add up at the fork: ∂y/∂a = 7 + 18 = 25
    """
    return Circuit(definitions, output, params, sums)

