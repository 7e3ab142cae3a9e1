"""symnet's derivatives against oracles that share no code with symnet.

Three oracles, each written here from the naming rules of docs/architecture.md alone:

1. an independent float64 NumPy forward pass (weights numbered layer by layer, by target neuron
   then by source; biases one per neuron) and central finite differences of its loss;
2. plain ``sympy.diff`` of the fully substituted loss, with the activations written out by hand
   in exp/log/Piecewise, compared with symnet's expanded derivative at 50 digits;
3. plain ``sympy.diff`` of a substituted chain of definitions, compared with ``sn.chain``.
"""

import math
import random
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import symnet as sn

# ------------------------------------------------------------- the NumPy oracle

LEAKY_SLOPE, ELU_ALPHA = 0.01, 1.0

ACTIVATIONS = {
    "linear": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    "softplus": lambda z: np.logaddexp(0.0, z),
    "elu": lambda z: np.where(z > 0, z, ELU_ALPHA * np.expm1(np.minimum(z, 0.0))),
    "silu": lambda z: z / (1.0 + np.exp(-z)),
}
HIDDEN = list(ACTIVATIONS)
KINKED = {"relu", "leaky_relu", "elu"}  # finite differences must not straddle a kink
OUTPUTS = [("mse", "linear"), ("half_sse", "linear"), ("mse", "sigmoid"), ("mse", "tanh"),
           ("bce", "sigmoid"), ("cross_entropy", "softmax")]


def param_names(sizes):
    """w1.. layer by layer (by target neuron, then by source), then b1.. one per neuron."""
    n_weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return [f"w{i}" for i in range(1, n_weights + 1)] + [f"b{i}" for i in range(1, sum(sizes[1:]) + 1)]


def layers(sizes, theta):
    """(W, b) per layer from the flat parameter vector in ``param_names`` order."""
    out, w, b = [], 0, sum(a * b for a, b in zip(sizes, sizes[1:]))
    for n_in, n_out in zip(sizes, sizes[1:]):
        out.append((theta[w:w + n_in * n_out].reshape(n_out, n_in), theta[b:b + n_out]))
        w, b = w + n_in * n_out, b + n_out
    return out


def numpy_forward(case, theta):
    """The output layer's pre-activations and every hidden layer's (activation, pre-activations)."""
    a, hidden = case.x, []
    *inner, last = layers(case.sizes, theta)
    for (W, b), act in zip(inner, case.hidden, strict=True):
        z = W @ a + b
        hidden.append((act, z))
        a = ACTIVATIONS[act](z)
    W, b = last
    return W @ a + b, hidden


def numpy_loss(case, theta):
    """The per-sample loss of docs/architecture.md, in float64."""
    z, _ = numpy_forward(case, theta)
    y = case.y
    if case.loss == "bce":  # ŷ = σ(z): log ŷ = −softplus(−z), log(1 − ŷ) = −softplus(z)
        return float(np.sum(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)))
    if case.loss == "cross_entropy":  # log softmax_k = z_k − log Σ_j e^{z_j}
        return float(-np.sum(y * (z - np.logaddexp.reduce(z))))
    sq = np.sum((y - ACTIVATIONS[case.output](z)) ** 2)
    return float(sq / 2 if case.loss == "half_sse" else sq)


def central_difference(case, k, h=1e-6):
    plus, minus = case.theta.copy(), case.theta.copy()
    plus[k] += h
    minus[k] -= h
    return (numpy_loss(case, plus) - numpy_loss(case, minus)) / (2 * h)


@dataclass
class Case:
    sizes: list
    hidden: list
    output: str
    loss: str
    theta: np.ndarray
    x: np.ndarray
    y: np.ndarray

    def network(self):
        return sn.Network(self.sizes, activation=self.hidden, output_activation=self.output,
                          loss=self.loss)

    def values(self):
        """Every leaf's value by its name in docs/architecture.md."""
        ys = ["y"] if len(self.y) == 1 else [f"y{k}" for k in range(1, len(self.y) + 1)]
        values = dict(zip(param_names(self.sizes), map(float, self.theta)))
        values.update({f"x{i}": float(v) for i, v in enumerate(self.x, 1)})
        values.update(zip(ys, map(float, self.y)))
        return values


def floats(lo, hi, n):
    return st.lists(st.floats(lo, hi), min_size=n, max_size=n).map(np.array)


@st.composite
def cases(draw):
    loss, output = draw(st.sampled_from(OUTPUTS))
    n_layers = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(1, 3), min_size=n_layers - 1, max_size=n_layers - 1))
    sizes.append(draw(st.integers(2 if loss == "cross_entropy" else 1, 3)))
    hidden = draw(st.lists(st.sampled_from(HIDDEN), min_size=n_layers - 2, max_size=n_layers - 2))
    theta = draw(floats(-1.5, 1.5, len(param_names(sizes))))
    x = draw(floats(-2.0, 2.0, sizes[0]))
    n_out = sizes[-1]
    if loss == "bce":
        y = draw(floats(0.01, 0.99, n_out))
    elif loss == "cross_entropy" and draw(st.booleans()):
        y = np.eye(n_out)[draw(st.integers(0, n_out - 1))]
    elif loss == "cross_entropy":
        weights = draw(floats(0.01, 1.0, n_out))
        y = weights / weights.sum()
    else:
        y = draw(floats(-1.0, 1.0, n_out))
    return Case(sizes, hidden, output, loss, theta, x, y)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_gradients_match_finite_differences_of_an_independent_numpy_network(case):
    """symnet's loss equals a NumPy forward pass, and each ∂L/∂p equals its central difference."""
    _, hidden = numpy_forward(case, case.theta)
    assume(all(np.min(np.abs(z)) > 1e-2 for act, z in hidden if act in KINKED))  # off the kinks
    net = case.network()
    assert [str(p) for p in net.params] == param_names(case.sizes)

    values = net.forward(case.values(), precision=30)
    loss = numpy_loss(case, case.theta)
    assert math.isclose(float(values[net.symbols["L"]]), loss, rel_tol=1e-9, abs_tol=1e-12)

    gradients = net.gradients()  # a central difference's round-off is about 1e-16·|L|/h
    for k, p in enumerate(net.params):
        exact = float(gradients[p].xreplace(values).evalf(30))
        fd = central_difference(case, k)
        assert math.isclose(exact, fd, rel_tol=1e-5, abs_tol=1e-5 * max(1.0, abs(loss))), \
            (str(p), exact, fd)


def test_bce_of_a_saturated_sigmoid_stays_finite():
    """At logit 80, −log(1 − σ(80)) = log(1 + e⁸⁰) ≈ 80 and ∂L/∂b1 = σ(80) − y ≈ 1, as NumPy says."""
    net = sn.logistic_regression(1)
    values = net.forward({"x1": 1.0, "w1": 80.0, "b1": 0.0, "y": 0.0}, precision=30)
    loss = values[net.symbols["L"]]
    gradient = net.gradients()[net.symbols["b1"]].xreplace(values)
    assert loss.is_finite and math.isclose(float(loss), np.logaddexp(0.0, 80.0), rel_tol=1e-12)
    assert gradient.is_finite and math.isclose(float(gradient), 1.0, rel_tol=1e-12)


def test_numpy_oracle_reproduces_the_seed_network_by_hand():
    """The oracle's numbering is the seed's: ŷ = w5 N1 + w6 N2 + b3, N1 = w1 x1 + w2 x2 + b1."""
    theta = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9], dtype=float)  # w1..w6, b1..b3
    case = Case([2, 2, 1], ["linear"], "linear", "half_sse", theta, np.array([1.0, 10.0]), np.array([0.0]))
    n1, n2 = 1 * 1 + 2 * 10 + 7, 3 * 1 + 4 * 10 + 8
    assert numpy_loss(case, theta) == (5 * n1 + 6 * n2 + 9) ** 2 / 2


# ------------------------------------------------------------ the sympy.diff oracle

def written_out(expr):
    """symnet's activation functions replaced by hand-written exp/log/Piecewise expressions."""
    rules = {
        "sigmoid": lambda z: 1 / (1 + sp.exp(-z)),
        "relu": lambda z: sp.Piecewise((z, z > 0), (0, True)),
        "leaky_relu": lambda z, a: sp.Piecewise((z, z > 0), (a * z, True)),
        "softplus": lambda z: sp.log(1 + sp.exp(z)),
        "elu": lambda z, a: sp.Piecewise((z, z > 0), (a * (sp.exp(z) - 1), True)),
        "silu": lambda z: z / (1 + sp.exp(-z)),
        "softmax": lambda k, *zs: sp.exp(zs[int(k) - 1]) / sp.Add(*[sp.exp(z) for z in zs]),
    }
    return expr.replace(lambda e: isinstance(e, sp.Function) and type(e).__name__ in rules,
                        lambda e: rules[type(e).__name__](*e.args))


def substituted(definitions):
    """Every defined symbol as an expression of the leaves, by plain substitution."""
    full = {}
    for symbol, expr in definitions.items():
        full[symbol] = expr.xreplace(full)
    return full


TOLERANCE = sp.Float("1e-35")


def agree(a, b, point, digits=50, tol=TOLERANCE):
    a, b = a.xreplace(point).evalf(digits), b.xreplace(point).evalf(digits)
    return abs(a - b) <= tol * max(1, abs(a))


def random_point(net, full, rng):
    """Exact rational values for every leaf, away from the kinks of relu, leaky_relu and elu."""
    kinks = [full[e.args[0]] for e in net.definitions.values()
             if isinstance(e, (sn.relu, sn.leaky_relu, sn.elu))]
    ys = set(net.targets)
    while True:
        point = {s: sp.Rational(rng.randint(-24, 24), 12) for s in net.leaves if s not in ys}
        if net.loss.name == "cross_entropy":
            weights = [rng.randint(1, 9) for _ in ys]
            point.update({y: sp.Rational(w, sum(weights)) for y, w in zip(net.targets, weights)})
        else:
            point.update({y: sp.Rational(rng.randint(1, 9), 10) for y in ys})
        if all(abs(written_out(k).xreplace(point).evalf(20)) > sp.Rational(1, 20) for k in kinks):
            return point


SMALL_NETS = (
    [("2-2-1", "linear", "linear", "mse"), ("2-2-1", "sigmoid", "sigmoid", "half_sse"),
     ("2-2-2-1", "tanh", "linear", "half_sse"), ("2-2-2-1", "relu", "sigmoid", "bce"),
     ("2-2-2-1", "softplus", "tanh", "mse")]
    + [("1-2-1", act, out, loss) for act in HIDDEN
       for loss, out in [("mse", "linear"), ("half_sse", "linear"), ("bce", "sigmoid"),
                         ("mse", "tanh")]]
    + [("1-2-2", act, "softmax", "cross_entropy") for act in ("sigmoid", "relu", "silu", "elu")]
)


@pytest.mark.parametrize("arch, activation, output, loss", SMALL_NETS)
def test_expanded_derivatives_equal_sympy_diff_of_the_expanded_loss(arch, activation, output, loss):
    """∂L/∂p expanded to the leaves equals sympy.diff of the written-out loss, to 35 digits."""
    net = sn.Network(arch, activation=activation, output_activation=output, loss=loss)
    full = substituted(net.definitions)
    loss_expr = written_out(full[net.symbols["L"]])
    rng = random.Random(f"{arch} {activation} {output} {loss}")
    points = [random_point(net, full, rng) for _ in range(3)]
    for p in net.params:
        oracle = sp.diff(loss_expr, p)
        derived = written_out(net.derive(p).expanded)
        for point in points:
            assert agree(derived, oracle, point), (str(p), point)


def test_seed_derivative_of_w1_is_exactly_sympy_diff():
    """For the seed's linear 2-2-1 net the expanded ∂L/∂w1 simplifies to exactly sympy.diff."""
    net = sn.Network("2-2-1")
    w1 = net.symbols["w1"]
    oracle = sp.diff(substituted(net.definitions)[net.symbols["L"]], w1)
    assert sp.expand(net.derive("w1").expanded - oracle) == 0


# --------------------------------------------------------------- chains of definitions

x = sp.Symbol("x")
TEMPLATES = [  # (text, sympy) combining the newest variable a with a sub-expression b
    ("({a}) + ({b})", lambda a, b: a + b),
    ("({a}) * ({b})", lambda a, b: a * b),
    ("exp({a}) * ({b})", lambda a, b: sp.exp(a) * b),
    ("sin({a}) + ({b})", lambda a, b: sp.sin(a) + b),
    ("({a})**2 + ({b})", lambda a, b: a ** 2 + b),
    ("({a})**3", lambda a, b: a ** 3),
]


def expressions(names, depth):
    """(text, sympy) pairs from the grammar: names, 1..3, +, *, exp, sin, **2, **3."""
    leaf = st.one_of(st.sampled_from(names).map(lambda n: (n, sp.Symbol(n))),
                     st.integers(1, 3).map(lambda k: (str(k), sp.Integer(k))))
    if depth == 0:
        return leaf
    sub = expressions(names, depth - 1)
    pair = st.tuples(sub, sub)
    return st.one_of(
        leaf,
        pair.map(lambda p: (f"({p[0][0]}) + ({p[1][0]})", p[0][1] + p[1][1])),
        pair.map(lambda p: (f"({p[0][0]}) * ({p[1][0]})", p[0][1] * p[1][1])),
        sub.map(lambda e: (f"exp({e[0]})", sp.exp(e[1]))),
        sub.map(lambda e: (f"sin({e[0]})", sp.sin(e[1]))),
        st.tuples(sub, st.sampled_from([2, 3])).map(
            lambda p: (f"({p[0][0]})**{p[1]}", p[0][1] ** p[1])),
    )


@st.composite
def chains(draw):
    """Definitions u1 = f(x, …), u2 = f(u1, …), …: each uses the previous one, so all reach x."""
    names, lines, oracle = ["x"], [], {}
    for i in range(1, draw(st.integers(1, 4)) + 1):
        b_text, b = draw(expressions(names, 1))
        text, make = draw(st.sampled_from(TEMPLATES))
        lines.append(f"u{i} = " + text.format(a=names[-1], b=b_text))
        oracle[sp.Symbol(f"u{i}")] = make(sp.Symbol(names[-1]), b)
        names.append(f"u{i}")
    return lines, oracle


@settings(max_examples=40, deadline=None)
@given(chains(), st.lists(st.fractions(-1, 1, max_denominator=10), min_size=3, max_size=3))
def test_chain_rule_matches_sympy_diff_of_the_substituted_chain(chain, xs):
    """sn.chain's result, its path sum as shown and its expanded form all equal sympy.diff."""
    lines, oracle_defs = chain
    d = sn.chain(lines, wrt="x")
    full = substituted(oracle_defs)
    oracle = sp.diff(full[d.of], x)
    shown = sp.Add(*[sp.Mul(*[d.factors[f] for f in product]) for product in d.chain])
    for value in xs:
        point = {x: sp.Rational(value.numerator, value.denominator)}
        for derived in (d.result, shown):
            assert agree(derived.xreplace(full), oracle, point), (lines, derived)
        assert agree(d.expanded, oracle, point), (lines, d.expanded)


def test_chain_of_the_seed_lecture():
    """m = x², z = m², y = z²: dy/dx = 2z·2m·2x = 8x⁷, as sympy.diff of x⁸ says."""
    d = sn.chain(["m = x**2", "z = m**2", "y = z**2"], wrt="x")
    assert d.expanded == sp.diff(x ** 8, x) == 8 * x ** 7
