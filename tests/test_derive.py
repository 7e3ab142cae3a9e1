"""The derivation engine: paths, factors, δ (reverse mode), expansion limits, the explorer."""

import pytest
import sympy as sp

import symnet as sn

x, a, b, c = sp.symbols("x a b c")
y, yhat, L = sp.symbols("y yhat L")


def test_gradients_equal_central_differences_of_the_loss_at_30_digits():
    net = sn.Network("2-3-2-1", activation=["tanh", "sigmoid"], loss="half_sse")
    grads = net.gradients()
    assert list(grads) == net.params
    point = {leaf: sp.Rational((-1) ** i * (i % 7 + 1), 8) for i, leaf in enumerate(net.leaves)}
    at = net.forward(point, precision=30)
    L, h = net.symbols["L"], sp.Rational(1, 10 ** 10)
    for p in net.params:
        up, down = dict(point), dict(point)
        up[p], down[p] = point[p] + h, point[p] - h
        numeric = (net.forward(up, precision=30)[L] - net.forward(down, precision=30)[L]) / (2 * h)
        assert abs(grads[p].xreplace(at).evalf(30) - numeric) < 1e-15, p


def test_delta_form_of_a_sigmoid_network():
    """δ_ŷ = ∂L/∂ŷ; δ_h1 = δ_ŷ w5; δ_N1 = δ_h1 σ'(N1); ∂L/∂w1 = δ_N1 x1."""
    d = sn.Network("2-2-1", activation="sigmoid").derive("w1")
    h1, N1, x1, w5 = sp.symbols("h1 N1 x1 w5")
    assert {sn.text(k): sn.text(v) for k, v in d.delta.items()} == {
        "delta_yhat": "2*(yhat - y)",
        "delta_h1": "delta_yhat*w5",
        "delta_N1": "delta_h1*sigmoid(N1)*(1 - sigmoid(N1))",
        "delta_w1": "delta_N1*x1",
    }
    assert sn.latex(sn.Delta(N1)) == r"\delta_{N_{1}}"


def test_a_sigmoid_derivation_in_latex():
    d = sn.Network("2-2-1", activation="sigmoid").derive("w1")
    assert d.latex().splitlines() == [
        r"\begin{aligned}",
        r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial h_{1}} \cdot \frac{\partial h_{1}}{\partial N_{1}} \cdot \frac{\partial N_{1}}{\partial w_{1}} \\",
        r"\frac{\partial L}{\partial \hat{y}} &= 2 \left(\hat{y} - y\right) \\",
        r"\frac{\partial \hat{y}}{\partial h_{1}} &= w_{5} \\",
        r"\frac{\partial h_{1}}{\partial N_{1}} &= \sigma\left(N_{1}\right) \left(1 - \sigma\left(N_{1}\right)\right) \\",
        r"\frac{\partial N_{1}}{\partial w_{1}} &= x_{1} \\",
        r"\frac{\partial L}{\partial w_{1}} &= 2 \left(\hat{y} - y\right) \cdot w_{5} \cdot \sigma\left(N_{1}\right) \left(1 - \sigma\left(N_{1}\right)\right) \cdot x_{1}",
        r"\end{aligned}",
    ]
    assert d.markdown() == "$$\n" + d.latex() + "\n$$"
    assert d._repr_latex_().startswith(r"$$\begin{aligned}")


def test_many_paths_are_shown_in_reverse_mode_form():
    d = sn.Network("2-3-3-3-3-1", activation="sigmoid").derive("w1")
    assert d.n_paths == 27 and len(d.paths) == 27
    text = str(d)
    assert text.startswith("∂L/∂w1 = (a sum over 27 paths; by reverse mode:)\n")
    assert "delta_N1 = delta_h1*sigmoid(N1)*(1 - sigmoid(N1))" in text


def test_path_lists_and_expansions_that_would_be_huge_are_refused():
    d = sn.Network("2-4-4-4-4-4-1", activation="sigmoid").derive("w1")
    assert d.n_paths == 256
    with pytest.raises(sn.TooLargeError, match="the expanded form would have about"):
        _ = d.expanded
    deep = sn.Network("1-10-10-10-10-10-1", activation="tanh").derive("w1")
    assert deep.n_paths == 10_000 and len(deep.paths) == 10_000
    deeper = sn.Network("1-10-10-10-10-10-10-1", activation="tanh").derive("w1")
    with pytest.raises(sn.TooLargeError, match="has 100,000 paths"):
        _ = deeper.paths
    assert deeper.result.has(sp.Symbol("x1"))  # the compact result is still available


def test_a_variable_feeding_two_later_ones_gives_a_two_path_sum():
    d = sn.chain("a = x**2; b = 3*x; c = a*b", wrt="x")
    assert d.paths == [(c, a, x), (c, b, x)]
    assert str(d).splitlines()[0] == "∂c/∂x = ∂c/∂a · ∂a/∂x + ∂c/∂b · ∂b/∂x"
    assert sp.expand(d.expanded) == 9 * x ** 2


def test_chain_accepts_equations_and_dicts():
    m, z = sp.symbols("m z")
    from_eqs = sn.chain([sp.Eq(m, x ** 2), sp.Eq(z, sp.sin(m))], wrt=x)
    from_dict = sn.chain({m: x ** 2, z: sp.sin(m)}, wrt="x")
    assert from_eqs.result == from_dict.result == 2 * x * sp.cos(m)
    assert from_eqs.expanded == 2 * x * sp.cos(x ** 2)


def test_chain_can_differentiate_an_intermediate():
    d = sn.chain("m = x**2; z = m**2; y = z**2", wrt="x", of="z")
    assert d.expanded == 4 * x ** 3


@pytest.mark.parametrize("definitions, message", [
    (42, "definitions must be text like"),
    ([sp.Eq(x + 1, 2)], "the left side of a definition must be a symbol"),
    ("", "no definitions given"),
])
def test_chain_rejects_malformed_definitions(definitions, message):
    with pytest.raises(sn.SymnetError, match=message):
        sn.chain(definitions, wrt="x")


def test_derivative_of_something_the_output_does_not_depend_on_is_zero():
    d = sn.chain("a = x**2; b = 3*c", wrt="x")
    assert d.paths == [] and d.result == 0


def test_the_loss_with_respect_to_itself_is_one():
    d = sn.Network("2-1").derive("L")
    assert d.result == 1 and d.paths == [(L,)]
