"""Hints for an answer written for another network: σ(N1), σ'(N1) or h1 where this network's
layer is linear (or has another activation).

The option is named the way the caller gives it: ``activation='sigmoid'`` in Python,
``--activation sigmoid`` on the command line (the ``check`` command sets :data:`SPELLING`).

>>> import sympy as sp
>>> from symnet.network import Network
>>> from symnet.functions import sigmoid
>>> activation_hints(Network("2-2-1"), sigmoid(sp.Symbol("N1")))
["this network's hidden activation is linear (the default); did you mean activation='sigmoid'?"]
"""

import contextvars
import re

import sympy as sp

from ..activations import entry, names
from ..errors import ParseError
from ..parse.profiles import profile_hint

SPELLING = contextvars.ContextVar("spelling", default="python")  # "python" or "cli"


def option(output, name):
    """``activation='sigmoid'`` (``--activation sigmoid`` on the command line)."""
    if SPELLING.get() == "cli":
        return f"--{'output-' * output}activation {name}"
    return f"{'output_' * output}activation={name!r}"


def _function_names():
    out = {sp.Heaviside: "relu"}  # relu'(z) is read as the step θ(z)
    for name in names(hidden=True):
        if name != "linear":
            out.setdefault(entry(name).function, name)
    return out


def _layer(net, node):
    """(is the output layer, the layer's activation name), or None when ``node`` is no sum."""
    for i, layer in enumerate(net.layers):
        if any(n == node for n, _ in layer):
            output = i == len(net.layers) - 1
            act = net.output_activation if output else net.activations[min(i, len(net.activations) - 1)]
            return output, getattr(act, "name", str(act))
    return None


def activation_hints(net, answer):
    """Sentences for each activation the answer applies to a sum whose layer does not have it
    (none on a model without layers, such as a circuit)."""
    if not getattr(net, "layers", None):
        return []
    known, out = _function_names(), []
    for call in sorted(answer.atoms(sp.Function), key=sp.default_sort_key):
        used = known.get(call.func)
        layer = _layer(net, call.args[0]) if used and call.args else None
        if layer is None or layer[1] == used:
            continue
        output, actual = layer
        default = net.loss.default_output if output else "linear"
        sentence = (f"this network's {'output' if output else 'hidden'} activation is {actual}"
                    f"{' (the default)' * (actual == default)}; did you mean {option(output, used)}?")
        if sentence not in out:
            out.append(sentence)
    return out


def unknown_name_hint(net, error):
    """``error`` (a ParseError) with a hint added when it names h1 in a net with linear hidden
    layers, which have no h1, or a loss L in a model whose output has another name (a
    circuit's f); else ``error`` itself."""
    name = getattr(error, "unknown", None)
    if name == "L" and str(net.output) != "L":
        return _hinted(error, name, f"the output here is {net.output}: write ∂{net.output}/∂… "
                                    f"for its derivatives")
    layers = getattr(net, "layers", ())  # a circuit has none
    profile = profile_hint(name, layers) if name and layers else None
    if profile:  # in place of "did you mean ln?" and the list of names: the hint says it
        hinted = ParseError(f"{str(error).split(';')[0]}; {profile}")
        hinted.unknown = name
        return hinted
    hidden = [getattr(a, "name", str(a)) for a in net.activations] if len(layers) > 1 else []
    if not name or not re.fullmatch(r"h_?\d+", name) or name in net.symbols or \
            not hidden or any(a != "linear" for a in hidden):
        return error
    return _hinted(error, name, f"this network's hidden activation is linear (the default), so "
                                f"it has no {name}: did you mean {option(False, 'sigmoid')}?")


def _hinted(error, name, hint):
    hinted = ParseError(f"{error}; {hint}")
    hinted.unknown = name
    return hinted
