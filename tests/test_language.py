"""The definition language: the computational graphs of CS231n, Goodfellow and the seed lecture
written as named steps, with max, min, abs, the activations and generic functions.

Oracles share no code with symnet: float64 central differences of the same formula written in
plain Python, and numbers worked by hand.
"""

import math

import pytest
import sympy as sp

import symnet as sn
from symnet.generics import RESERVED
from symnet.parse import parse_answer, spellings
from symnet.parse.grammar import _ELEMENTARY, _STEPS

H = 1e-6


def central(f, point, name):
    """∂f/∂name at ``point`` (a dict of floats) by a float64 central difference."""
    up, down = dict(point), dict(point)
    up[name] += H
    down[name] -= H
    return (f(**up) - f(**down)) / (2 * H)


def gradient_at(graph, wrt, point):
    """∂(the graph's output)/∂wrt at ``point``, exactly."""
    return sn.Derivation(graph, graph.symbol(wrt)).value(graph.forward(point))


def graph_of(text):
    return sn.Graph(sn.parse_definitions(text))


# ---------------------------------------------------------------- CS231n's circuits

def test_cs231n_add_and_multiply_gates():
    """q = x + y; f = q z at (−2, 5, −4): f = −12; ∂f/∂x = −4, ∂f/∂y = −4, ∂f/∂z = 3."""
    g = graph_of("q = x + y; f = q*z")
    point = {"x": -2, "y": 5, "z": -4}
    assert g.forward(point)[g.symbol("f")] == -12
    oracle = lambda x, y, z: (x + y) * z
    for name, published in {"x": -4, "y": -4, "z": 3}.items():
        assert gradient_at(g, name, point) == published
        assert central(oracle, {k: float(v) for k, v in point.items()}, name) == pytest.approx(published)


@pytest.mark.parametrize("text", ["a = x*y; m = max(z, w); s = a + m; f = 2*s",
                                  "f = 2*(x*y + max(z, w))"])
def test_cs231n_max_gate_routes_the_gradient_to_the_larger_input(text):
    """2(xy + max(z, w)) at (3, −4, 2, −1): forward −12, 2, −10, −20; gradients x −8, y 6,
    z 2, w 0 — exactly, and to 40 digits."""
    g = graph_of(text)
    point = {"x": 3, "y": -4, "z": 2, "w": -1}
    values = g.forward(point)
    if "s" in g.symbols:
        assert [values[g.symbol(n)] for n in "amsf"] == [-12, 2, -10, -20]
    assert values[g.symbol("f")] == -20
    digits40 = g.forward(point, precision=40)
    oracle = lambda x, y, z, w: 2 * (x * y + max(z, w))
    for name, published in {"x": -8, "y": 6, "z": 2, "w": 0}.items():
        d = sn.Derivation(g, g.symbol(name))
        assert d.value(values) == published
        assert abs(d.value(digits40) - published) < 1e-38
        assert central(oracle, {k: float(v) for k, v in point.items()}, name) == pytest.approx(
            published, abs=1e-6)


def test_max_and_min_give_a_tie_to_their_first_argument():
    """At a tie max(a, b) routes all of the gradient to a, min(a, b) too: 1 and 0, never ½."""
    for text in ("m = max(a, b)", "m = min(a, b)"):
        assert [gradient_at(graph_of(text), n, {"a": 1, "b": 1}) for n in "ab"] == [1, 0]
    g = graph_of("m = max(a, b, c)")
    assert [gradient_at(g, n, {"a": 2, "b": 5, "c": 5}) for n in "abc"] == [0, 1, 0]


@pytest.mark.parametrize("word", ["max", "min"])
def test_the_partials_of_max_and_min_add_up_to_one_ties_included(word):
    """max(a + t, b + t, c + t) = max(a, b, c) + t, so the partials add up to 1 at every point."""
    g = graph_of(f"m = {word}(a, b, c)")
    for point in ({"a": 1, "b": 2, "c": 3}, {"a": 3, "b": 3, "c": 0}, {"a": -1, "b": -1, "c": -1},
                  {"a": 0, "b": 7, "c": 7}):
        assert sum(gradient_at(g, n, point) for n in "abc") == 1


def test_local_factors_of_max_are_steps_that_print_and_read_back():
    g = graph_of("m = max(z, w)")
    m, z, w = g.symbol("m"), g.symbol("z"), g.symbol("w")
    dz, dw = g.local(m, z), g.local(m, w)
    assert (sn.text(dz), sn.text(dw)) == ("Heaviside(z - w, 1)", "Heaviside(w - z, 0)")
    assert (sn.latex(dz), sn.latex(dw)) == (r"\left[z \geq w\right]", r"\theta\left(w - z\right)")
    assert sn.latex(g.definitions[m]) == r"\max\left(z, w\right)"
    for expr in (dz, dw, g.definitions[m]):
        assert parse_answer(sn.text(expr), net=g) == expr
        assert parse_answer(sn.latex(expr), net=g) == expr


# ---------------------------------------------------------------- generic functions

def test_the_seed_lectures_generic_neuron():
    """y = NL(w1 x1 + w2 x2 + w3 x3 + b): ∂y/∂w1 = NL'(N)·x1."""
    d = sn.chain("N = w1*x1 + w2*x2 + w3*x3 + b; y = NL(N)", wrt="w1")
    assert [sn.text(f) for f in d.chain[0]] == ["∂y/∂N", "∂N/∂w1"]
    assert [sn.text(v) for v in d.factors.values()] == ["NL'(N)", "x1"]
    assert sn.text(d.result) == "x1*NL'(N)"
    assert r"\operatorname{NL}'\left(N\right)" in d.latex()
    # NL taken to be tanh: the derivation, with NL' = 1 − tanh², against a central difference
    N = lambda w1, x1, w2, x2, w3, x3, b: w1 * x1 + w2 * x2 + w3 * x3 + b
    point = dict(w1=0.3, x1=-1.2, w2=0.5, x2=0.7, w3=-0.4, x3=2.0, b=0.1)
    as_tanh = d.result.replace(lambda e: getattr(e, "stem", None) == "NL",
                               lambda e: 1 - sp.tanh(e.args[0]) ** 2)
    value = as_tanh.xreplace({sp.Symbol("N"): N(**point), **{sp.Symbol(k): v for k, v in point.items()}})
    assert float(value) == pytest.approx(central(lambda **p: math.tanh(N(**p)), point, "w1"))


def test_goodfellow_f_of_f_of_f():
    """x = f(w); y = f(x); z = f(y): dz/dw = f'(y) f'(x) f'(w) (Goodfellow §6.5.2)."""
    d = sn.chain("x = f(w); y = f(x); z = f(y)", wrt="w")
    assert [sn.text(v) for v in d.factors.values()] == ["f'(y)", "f'(x)", "f'(w)"]
    assert "∂z/∂w = f'(y) · f'(x) · f'(w)" in d.text()
    as_sin = d.expanded.replace(lambda e: getattr(e, "stem", None) == "f",
                              lambda e: sp.cos(e.args[0]) if e.orders else sp.sin(e.args[0]))
    oracle = lambda w: math.sin(math.sin(math.sin(w)))
    assert float(as_sin.subs(sp.Symbol("w"), 0.7)) == pytest.approx(central(oracle, {"w": 0.7}, "w"))
    second = d.expanded.diff(sp.Symbol("w"))  # f'' prints, and reads back
    assert "f''(w)" in sn.text(second)
    assert sp.expand(parse_answer(sn.text(second), net=d.graph) - second) == 0


def test_a_greek_generic_function_and_one_of_two_arguments():
    d = sn.chain("z = φ(x)", wrt="x")
    assert (sn.text(d.result), sn.latex(d.result)) == ("phi'(x)", r"\phi'\left(x\right)")
    g = graph_of("p = ψ(x, y)")
    dy = g.local(g.symbol("p"), g.symbol("y"))
    assert (sn.text(dy), sn.latex(dy)) == ("∂_2 psi(x, y)", r"\partial_{2} \psi\left(x, y\right)")


@pytest.mark.parametrize("definitions, wrt", [
    ("x = f(w); y = f(x); z = f(y)", "w"),
    ("N = w1*x1 + b; y = NL(N)", "w1"),
    ("s = f(a) + g(a*b); t = ψ(s, a)", "a"),
    ("u = f(x); v = max(u, x) + min(x, 2, u)", "x"),
    ("y = φ(x**2)", "x"),
])
def test_what_symnet_prints_reads_back(definitions, wrt):
    g = graph_of(definitions)
    d = sn.Derivation(g, g.symbol(wrt))
    for expr in [d.result, *d.factors.values(), *g.definitions.values()]:
        assert parse_answer(sn.text(expr), net=g) == expr, sn.text(expr)
        assert parse_answer(sn.latex(expr), net=g) == expr, sn.latex(expr)


def test_an_answer_reads_a_generic_function_only_where_the_graph_has_one():
    g = graph_of("N = w1*x1 + b; y = NL(N)")
    assert parse_answer("NL'(N)·x₁", net=g) == g.local(g.symbol("y"), g.symbol("N")) * g.symbol("x1")
    with pytest.raises(sn.ParseError, match="unknown function 'f' at position 1"):
        parse_answer("f(N)", net=g)
    with pytest.raises(sn.ParseError, match="unknown function 'NL' at position 1"):
        parse_answer("NL(N1)", spellings(sn.Network("2-1").symbols.values()), net=sn.Network("2-1"))
    with pytest.raises(sn.ParseError, match="NL is a function: write NL"):
        parse_answer("NL", net=g)


# ---------------------------------------------------------------- the rest of the language

def test_every_registered_activation_and_elementary_function_reads_in_definitions():
    x = sp.Symbol("x")
    for name in sn.ACTIVATIONS:
        if name in ("linear", "softmax"):
            continue
        d = sn.chain(f"y = {name}(x)", wrt="x")  # leaky_relu(x), elu(x): the default option
        assert d.result != 0 and d.result.free_symbols == {x}, name
    d = sn.chain("y = exp(x)/x + log(x) + sqrt(x) + x**3 + abs(x)", wrt="x")
    assert d.result == sp.exp(x) / x - sp.exp(x) / x ** 2 + 1 / x + 1 / (2 * sp.sqrt(x)) + 3 * x ** 2 + sp.sign(x)


def test_the_derivative_of_abs_is_the_sign():
    d = sn.chain("y = abs(x*w)", wrt="x")
    assert sn.text(d.result) == "w*sign(w*x)"
    assert parse_answer(sn.text(d.result), net=d.graph) == d.result


def test_a_generic_function_may_not_take_a_name_the_parser_reads_as_its_own():
    assert RESERVED == {*_ELEMENTARY, *_STEPS, "softmax", "Piecewise", "delta"}


@pytest.mark.parametrize("definitions, message", [
    ("y = max(x)", "max takes two or more arguments, got 1; write max(a, b)"),
    ("y = min()", "unexpected ')'"),
    ("a = f*2; b = f(x)", "f is used both as a function, f(…), and as a symbol"),
    ("a = f(x); b = a + f", "f is used both as a function, f(…), and as a symbol"),
    ("a = x + 1; b = x(a)", "x is used both as a function, x(…), and as a symbol"),
    ("y = f(x); z = f(x, y)", "f takes 1 argument (as where it is first used), got 2"),
    ("y = f(x, w); z = f'(y, x)", "write its partial derivative in the first as ∂_1 f(…)"),
    ("y = ∂_3 f(x, w)", "∂_3 f: f has 2 arguments"),
    ("y = elu(x, 1, 2)", "elu takes 1 to 2 arguments, got 3"),
])
def test_bad_definitions_get_one_clear_line(definitions, message):
    with pytest.raises(sn.SymnetError) as info:
        sn.parse_definitions(definitions)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_product_before_a_parenthesis_still_reads_in_definitions():
    x, f = sp.symbols("x f")
    assert sn.parse_definitions("y = x(1 - x)")[sp.Symbol("y")] == x * (1 - x)
    assert sn.parse_definitions("f = x**2; y = f(x + 1)")[sp.Symbol("y")] == f * (x + 1)
