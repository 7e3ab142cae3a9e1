"""Matrix expressions evaluated on a network's arrays: shapes as NumPy broadcasts them, values
exact where they can be (integer matrices; activations to 50 digits).

The arrays of a batch come from the network's own scalar graph, sample by sample (its forward
values and reverse-mode δ's), never from the layer form being checked: ``Z1[j, s]`` is the
weighted sum of hidden neuron j on sample s, ``dW1[j, i]`` is ∂J/∂w summed over the batch.
"""

import random

import sympy as sp

from ..activations import entry
from ..derive import gradients
from ..errors import SymnetError, near_names

DIGITS = 50
BATCH = 3
_X = sp.Dummy("x")


class ShapeError(SymnetError):
    """Two arrays whose shapes do not fit an operation (named with both shapes)."""


class Array:
    """A value with NumPy's shape: ``()`` a number, ``(n,)`` a vector, ``(r, c)`` a matrix;
    ``m`` holds it as a SymPy Matrix (a vector as one row)."""

    def __init__(self, shape, m):
        self.shape, self.m = tuple(shape), m

    @staticmethod
    def of(rows):
        return Array((len(rows), len(rows[0])), sp.Matrix(rows))

    def show_shape(self):
        return show_shape(self.shape)

    def close_to(self, other):
        if self.shape != other.shape:
            return False
        return all(abs(a - b) <= sp.Float(10) ** (20 - DIGITS) * max(1, abs(a))
                   for a, b in zip(self.m, other.m))


def show_shape(shape):
    """A shape as NumPy prints it: ``(4, 1)``, ``(4,)``, ``()``."""
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _padded(shape):
    return (1,) * (2 - len(shape)) + tuple(shape)


def elementwise(op, a, b, what):
    """``op`` on every pair of elements, broadcast as NumPy does."""
    pa, pb = _padded(a.shape), _padded(b.shape)
    out = []
    for x, y in zip(pa, pb):
        if x != y and 1 not in (x, y):
            raise ShapeError(f"{what}: shapes {a.show_shape()} and {b.show_shape()} do not "
                             "broadcast")
        out.append(max(x, y))
    r, c = out
    m = sp.Matrix(r, c, lambda i, j: op(a.m[i % pa[0], j % pa[1]], b.m[i % pb[0], j % pb[1]]))
    return Array(tuple(out)[2 - max(len(a.shape), len(b.shape)):], m)


def matmul(a, b, what):
    if not a.shape or not b.shape:  # (1/m) dZ: a number times an array
        return elementwise(lambda x, y: x * y, a, b, what)
    am = a.m  # a vector (stored as a row) is a row on the left
    bm = b.m if len(b.shape) == 2 else b.m.T  # and a column on the right
    if am.shape[1] != bm.shape[0]:
        raise ShapeError(f"{what}: shapes {a.show_shape()} and {b.show_shape()} do not fit "
                         f"(inner sizes {am.shape[1]} and {bm.shape[0]})")
    m = am * bm
    shape = (a.shape[0],) * (len(a.shape) == 2) + (b.shape[-1],) * (len(b.shape) == 2)
    return Array(shape, m if shape else m.reshape(1, 1))


def transpose(a):
    return Array(a.shape[::-1], a.m.T) if len(a.shape) == 2 else a


def total(a, axis, keepdims):
    r, c = _padded(a.shape)
    if axis is None or len(a.shape) < 2:
        s = sum(a.m, sp.S.Zero)
        return Array((1,) * len(a.shape) if keepdims else (), sp.Matrix([[s]]))
    if axis == 0:
        m = sp.Matrix(1, c, lambda i, j: sum(a.m[:, j], sp.S.Zero))
        return Array((1, c) if keepdims else (c,), m)
    m = sp.Matrix(r, 1, lambda i, j: sum(a.m[i, :], sp.S.Zero))
    return Array((r, 1) if keepdims else (r,), m if keepdims else m.T)


def function(name, a):
    """An elementwise function by name: an activation of the registry (``tanh'`` its
    derivative), exp, log, square."""
    derivative = name.endswith("'")
    base = name.rstrip("'")
    f = {"exp": sp.exp(_X), "log": sp.log(_X), "square": _X ** 2}.get(base)
    if f is None:
        e = entry(base)
        f = e.make(_X, **e.options)
    if derivative:
        f = sp.diff(f, _X)
    return Array(a.shape, a.m.applyfunc(lambda v: _number(f.xreplace({_X: v}))))


def _number(v):
    v = sp.sympify(v) if not isinstance(v, sp.Basic) else v
    if isinstance(v, sp.Heaviside):
        v = sp.Integer(1) if v.args[0] > 0 else sp.Integer(0)
    return v if v.is_Rational else sp.Float(v.evalf(DIGITS), DIGITS)


def evaluate(tree, env, batch_axis, show):
    """The :class:`Array` of a matrix expression's ``tree`` with the names in ``env``."""
    op, *args = tree
    if op == "name":
        if args[0] not in env:
            near = near_names(args[0], list(env))
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise SymnetError(f"unknown name {args[0]!r} in a matrix answer{hint}; known here: "
                              f"{', '.join(sorted(env))}")
        return env[args[0]]
    if op == "num":
        return Array((), sp.Matrix([[args[0]]]))
    ev = lambda t: evaluate(t, env, batch_axis, show)
    if op == "T":
        return transpose(ev(args[0]))
    if op == "neg":
        a = ev(args[0])
        return Array(a.shape, -a.m)
    if op == "pow":
        a = ev(args[0])
        return Array(a.shape, a.m.applyfunc(lambda v: v ** args[1]))
    if op == "sum":
        axis = batch_axis if args[1] == "batch" else args[1]
        return total(ev(args[0]), axis, args[2])
    if op == "fn":
        return function(args[0], ev(args[1]))
    if op == "gt":
        a = ev(args[0])
        return Array(a.shape, a.m.applyfunc(lambda v: sp.Integer(1 if v > 0 else 0)))
    a, b = ev(args[0]), ev(args[1])
    what = f"{show(args[0])} {dict(matmul='@', mul='*', add='+', sub='-', div='/')[op]} {show(args[1])}"
    if op == "matmul":
        return matmul(a, b, what)
    f = {"mul": lambda x, y: x * y, "add": lambda x, y: x + y, "sub": lambda x, y: x - y,
         "div": lambda x, y: _divide(x, y)}[op]
    return elementwise(f, a, b, what)


def _divide(x, y):
    if y == 0:
        raise SymnetError("your answer divides by 0 at the point checked")
    return x / y


# --------------------------------------------------------------- a batch's arrays, by name

def batch_arrays(net, convention, seed, batch=BATCH, small=False):
    """``(env, gradients)`` for a random batch of ``batch`` samples: ``env`` names the arrays
    an answer may use (X, Y, W1, b1, Z1, A1, …, m), ``gradients`` the right value of each
    gradient's name (dW1, db1, dZ1, dA1, δ as delta1; dZ and dA both ways: the batch's ∂J/∂Z,
    and Ng's m·∂J/∂Z).  ``small``: weights and inputs ±½ or ±1, numbers a worksheet shows (σ and
    tanh of at most 1 + fan-in, not saturated at 4 digits on a small net)."""
    rng = random.Random(seed)
    graph = net.graph
    drawn = [-1, sp.Rational(-1, 2), sp.Rational(1, 2), 1] if small else [-2, -1, 1, 2]
    point = {str(p): rng.choice(drawn) for p in net.params}
    targets = net.loss.targets
    samples = []
    for _ in range(batch):
        x = {str(s): rng.choice(drawn) if small else rng.randint(-3, 3) for s in net.inputs}
        ys = [str(s) for s in net.targets]
        if targets == "distribution":
            hot = rng.randrange(len(ys))
            y = {name: int(k == hot) for k, name in enumerate(ys)}
        elif targets == "probability":
            y = {name: rng.randint(0, 1) for name in ys}
        else:
            y = {name: rng.randint(-2, 2) for name in ys}
        samples.append({**point, **x, **y})
    nodes = [s for layer in net.layers for pair in layer for s in pair if s is not None]
    wrt = nodes + list(net.params)
    grads = gradients(graph, wrt)
    scale = sp.Rational(1, batch) if net.loss.reduction == "mean" else sp.S.One
    fwd, back = [], []
    for values in samples:
        f = graph.forward(values, precision=DIGITS)
        f.update({graph.symbol(k): sp.Rational(v) for k, v in values.items()})
        fwd.append(f)
        back.append({w: _number(g.xreplace(f)) for w, g in grads.items()})

    def array(rows):  # rows: per neuron, per sample → the convention's array
        a = Array.of(rows)
        return a if convention == "column" else transpose(a)

    env = {"X": array([[s[str(x)] for s in samples] for x in net.inputs]),
           "Y": array([[s[str(y)] for s in samples] for y in net.targets])}
    for name in ("m", "n", "N"):
        env[name] = Array((), sp.Matrix([[batch]]))
    right = {}
    sources = list(net.inputs)
    for l, layer in enumerate(net.layers, start=1):
        pres = [pre for pre, _ in layer]
        outs = [post if post is not None else pre for pre, post in layer]
        weights, biases = _weights(net, pres, sources)
        W = Array.of([[point[str(w)] for w in row] for row in weights])
        env[f"W{l}"] = W if convention == "column" else transpose(W)
        env[f"Z{l}"] = array([[f[p] for f in fwd] for p in pres])
        env[f"A{l}"] = array([[f[o] for f in fwd] for o in outs])
        dW = Array.of([[scale * sum(b[w] for b in back) for w in row] for row in weights])
        right[f"dW{l}"] = (dW if convention == "column" else transpose(dW),)
        if biases:
            env[f"b{l}"] = array([[point[str(b)]] for b in biases])
            right[f"db{l}"] = (array([[scale * sum(b[bias] for b in back)] for bias in biases]),)
        for letter, of in (("Z", pres), ("A", outs)):
            mean = array([[scale * b[p] for b in back] for p in of])
            ng = Array(mean.shape, mean.m * batch)  # Ng's dZ: the 1/m is in dW and db
            right[f"d{letter}{l}"] = (ng, mean) if convention == "column" else (mean, ng)
        right[f"delta{l}"] = right[f"dZ{l}"][::-1][:1] if convention == "column" else right[f"dZ{l}"][:1]
        sources = outs
    L = len(net.layers)
    for alias, name in (("scores", f"Z{L}"), ("probs", f"A{L}"), ("yhat", f"A{L}"),
                        ("hidden", "A1"), ("hidden_layer", "A1"), ("h", "A1")):
        if name in env and alias not in env:
            env[alias] = env[name]
    for alias, name in (("dscores", f"dZ{L}"), ("dhidden", "dZ1"), ("dh", "dZ1")):
        right.setdefault(alias, right[name])
    return env, right


def _weights(net, pres, sources):
    """Per neuron, the weight of each source, and the biases (in order)."""
    params = set(net.params)
    weights, biases = [], []
    for pre in pres:
        terms = sp.Add.make_args(net.definitions[pre])
        row = {}
        for t in terms:
            factors = sp.Mul.make_args(t)
            w = [f for f in factors if f in params]
            rest = [f for f in factors if f not in params]
            if len(w) == 1 and not rest:
                biases.append(w[0])
            elif len(w) == 1 and len(rest) == 1:
                row[rest[0]] = w[0]
        weights.append([row[s] for s in sources])
    return weights, biases
