"""What the textbook notations mean: σ'(z), f'(z), θ(z), [z > 0], δ1, ∂L/∂N1.

Each function here turns one recognised notation into its SymPy value, or refuses it with a
line that says what to write instead.
"""

import re

import sympy as sp

from ..activations import REGISTRY
from ..errors import ParseError, near_names
from ..symbols import Delta, Partial

LAYER_DERIVATIVES = ("f", "g")  # f'(z), g'(z): the activation of the layer z belongs to


def activation_spellings():
    """``{spelling: entry}`` for every registered activation (read on each call)."""
    table = {}
    for e in REGISTRY.values():
        for spelling in (e.name, *e.spellings):
            if spelling.isidentifier():
                table.setdefault(spelling, e)
                table.setdefault(spelling.lower(), e)
    return table


def nearest(word, candidates, n=3):
    """A ``"; did you mean …?"`` tail naming the closest of ``candidates``, or ``""``: the
    parser's phrasing of :func:`~symnet.errors.near_names`."""
    close = near_names(word, candidates, n)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def step(x, at_zero=sp.S.Zero):
    """The Heaviside step with its value at 0 given (0 unless written, as ReLU' is pinned)."""
    return sp.Heaviside(x, at_zero)


def iverson(lhs, op, rhs):
    """[lhs op rhs] as a step: [x > 0] = θ(x) (0 at 0), [x ≥ 0] = 1 at 0."""
    diff = lhs - rhs if op in (">", ">=") else rhs - lhs
    return step(diff, sp.S.Zero if op in (">", "<") else sp.S.One)


def activation_derivative(name, args, net):
    """σ'(z), tanh'(z), relu'(z) … for a registered activation, f'(z) or g'(z) for the
    activation of z's layer (``net`` needed): the closed-form derivative at the argument."""
    if name in LAYER_DERIVATIVES:
        return _layer_derivative(name, args, net)
    e = activation_spellings()[name if name in activation_spellings() else name.lower()]
    if e.output_only:
        raise ParseError(f"{name}' is not one function of one input: softmax's derivative is a "
                         "Jacobian; write it out, e.g. softmax(1, N3, N4)*(1 - softmax(1, N3, N4))")
    options = dict(e.options)
    if len(args) > 1 + len(options):
        raise ParseError(f"{name}'(…) takes {1 + len(options)} argument"
                         f"{'s' * bool(options)}, got {len(args)}")
    layer = _layer_activation(args[0], net) if net is not None else None
    if layer is not None and layer.name == e.name:
        options.update(dict(layer.options))
    options.update(zip(options, args[1:]))
    x = sp.Dummy("x", real=True)
    return sp.diff(e.make(x, **options), x).xreplace({x: args[0]})


def _layer_derivative(name, args, net):
    z = args[0]
    write = f"write {name}'(N1) for the derivative of N1's activation"
    if net is None:
        raise ParseError(f"{name}'({z}) means the derivative of the activation of {z}'s layer: "
                         "it needs the network (parse_answer(..., net=net)); or name the "
                         "activation, e.g. σ'(N1)")
    if len(args) != 1 or not isinstance(z, sp.Symbol):
        raise ParseError(f"{name}'(…) takes one neuron input, e.g. {name}'(N1); {write}")
    act = _layer_activation(z, net)
    if act is None:
        raise ParseError(f"{name}'({z}): {z} is not the input of a layer's activation; {write}")
    if act.name == "softmax":
        raise ParseError(f"{name}'({z}): {z} feeds a softmax, whose derivative is a Jacobian; "
                         "write it out, e.g. softmax(1, N3, N4)*(1 - softmax(1, N3, N4))")
    x = sp.Dummy("x", real=True)
    return sp.diff(act.apply(x), x).xreplace({x: z})


def _layer_activation(z, net):
    """The Activation applied to ``z`` in ``net`` (its layer's), or None."""
    layers, acts = getattr(net, "layers", None), getattr(net, "activations", None)
    if layers is None or acts is None:
        return None
    acts = list(acts) + [net.output_activation]
    for layer, act in zip(layers, acts):
        if any(neuron[0] == z for neuron in layer):
            return act
    return None


def delta(name, names, output):
    """``delta1``, ``delta_1``, ``delta_N1``, ``delta_N_1`` → δ of that node (δ_j is ∂L/∂N_j), or
    None when ``name`` is not δ notation."""
    spelled = _delta_spelling(name)
    if spelled is None or names is None:  # free definitions (chain): deltax is a plain name
        return None
    node = delta_node(name, names)
    if node is None:
        raise ParseError(f"δ of {spelled!r}: there is no node {spelled!r}; δ1 (δ_1, \\delta_1) "
                         f"means ∂{output}/∂N1, δ_N1 the same{nearest(spelled, names)}")
    return Delta(node)


def delta_node(name, names):
    """The symbol of ``names`` (spelling → Symbol) whose δ the name ``name`` is: ``delta1``,
    ``delta_1``, ``delta_N1`` and ``delta_N_1`` name N1; None for any other name.

    >>> delta_node("delta_1", {"N1": sp.Symbol("N1")}), delta_node("deltax", {})
    (N1, None)
    """
    spelled = _delta_spelling(name)
    if spelled is None:
        return None
    return names.get(spelled) or names.get(spelled.replace("_", ""))


def _delta_spelling(name):
    rest = name[len("delta"):].lstrip("_") if name.startswith("delta") else ""
    return (f"N{rest}" if rest.isdigit() else rest) or None


def partial(num, den, output, as_delta=True):
    """∂num/∂den: δ of den when num is the output (∂L/∂ŷ is δ of yhat), else a :class:`Partial`."""
    if num == output and as_delta:
        return Delta(den)
    return Partial(num, den)


def partial_text(num, den):
    return f"∂{num}/∂{den}"


def partial_tokens(tokens, names):
    """Tokens with each ∂A/∂B (also (∂A)/(∂B) from \\frac, dA/dB) made one ``partial`` token."""
    out, i = [], 0
    while i < len(tokens):
        found = _match_partial(tokens, i, names)
        if found:
            (num, den), end = found
            out.append(("partial", (num, den), tokens[i][2], False))
            i = end
        else:
            out.append(tokens[i])
            i += 1
    return out


def _match_partial(tokens, i, names):
    def side(j):
        opened = j < len(tokens) and tokens[j][1] == "("
        j += opened
        got = _differential(tokens, j, names)
        if not got:
            return None
        symbol, j = got
        if opened:
            if j >= len(tokens) or tokens[j][1] != ")":
                return None
            j += 1
        return symbol, j
    first = side(i)
    if not first or first[1] >= len(tokens) or tokens[first[1]][1] != "/":
        return None
    second = side(first[1] + 1)
    if not second:
        return None
    return (first[0], second[0]), second[1]


def _differential(tokens, j, names):
    """∂A or dA (one token dA, or d then A) at ``j``: (symbol A, next index), or None."""
    def resolve(name):
        if names is None:
            return sp.Symbol(name) if name.isidentifier() else None
        return names.get(name)
    if j + 1 < len(tokens) and tokens[j][1] == "∂":
        if re.fullmatch(r"_\d+", tokens[j + 1][1]):
            return None  # ∂_1 f(a, b): a generic function's partial derivative
        if tokens[j + 1][0] != "name":
            raise ParseError(f"∂ at position {tokens[j][2]} must be followed by a name, as in ∂L/∂w5")
        symbol = resolve(tokens[j + 1][1])
        if symbol is None:
            error = ParseError(f"unknown name {tokens[j + 1][1]!r} in a partial ∂A/∂B"
                               f"{nearest(tokens[j + 1][1], names or {})}")
            error.unknown = tokens[j + 1][1]  # for the checker's hints, as the grammar does
            raise error
        return symbol, j + 2
    if names is None or j >= len(tokens) or tokens[j][0] != "name":
        return None
    word = tokens[j][1]
    if word == "d" and "d" not in names and j + 1 < len(tokens) and tokens[j + 1][0] == "name":
        symbol = resolve(tokens[j + 1][1])
        return (symbol, j + 2) if symbol is not None else None
    if word.startswith("d") and word not in names and resolve(word[1:]) is not None:
        return resolve(word[1:]), j + 1
    return None
