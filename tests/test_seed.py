"""The seed lecture, formula by formula, reproduced with symnet."""

from fractions import Fraction as F

import numpy as np
import sympy as sp

import symnet as sn

x1, x2, y, yhat, L = sp.symbols("x1 x2 y yhat L")
w1, w2, w3, w4, w5, w6, b1, b2, b3 = sp.symbols("w1:7 b1:4")
N1, N2 = sp.symbols("N1 N2")


def test_the_2_2_1_network_is_defined_as_in_the_lecture():
    """N1 = w1 x1 + w2 x2 + b1, N2 = w3 x1 + w4 x2 + b2, ŷ = w5 N1 + w6 N2 + b3."""
    net = sn.Network("2-2-1")
    assert net.definitions == {
        N1: w1 * x1 + w2 * x2 + b1,
        N2: w3 * x1 + w4 * x2 + b2,
        yhat: w5 * N1 + w6 * N2 + b3,
        L: (y - yhat) ** 2,
    }
    assert net.params == [w1, w2, w3, w4, w5, w6, b1, b2, b3]
    assert sn.latex(net.definitions[N1]) == "w_{1} x_{1} + w_{2} x_{2} + b_{1}"
    assert sn.latex(net.definitions[yhat]) == "w_{5} N_{1} + w_{6} N_{2} + b_{3}"


def test_a_list_and_a_string_build_the_same_network():
    assert sn.Network([2, 2, 1]).definitions == sn.Network("2-2-1").definitions


def test_dL_dyhat_for_the_two_losses_of_the_lecture():
    """loss = Σ ½(y − ŷ)² gives ŷ − y; loss = (1/n) Σ (y − ŷ)² gives 2(ŷ − y) per sample."""
    half = sn.Network("2-2-1", loss="half_sse")
    assert half.definitions[L] == (y - yhat) ** 2 / 2
    assert half.derive("yhat").result == yhat - y
    assert half.loss.reduction == "sum"
    mse = sn.Network("2-2-1", loss="mse")
    assert sp.expand(mse.derive("yhat").result) == 2 * yhat - 2 * y
    assert mse.loss.reduction == "mean"


def test_dL_dw4_is_a_product_of_local_partials():
    """∂L/∂w4 = ∂L/∂ŷ · ∂ŷ/∂N2 · ∂N2/∂w4 = 2(ŷ − y) · w6 · x2."""
    d = sn.Network("2-2-1").derive("w4")
    assert d.paths == [(L, yhat, N2, w4)]
    assert d.chain == [[sn.Partial(L, yhat), sn.Partial(yhat, N2), sn.Partial(N2, w4)]]
    assert [sn.text(v) for v in d.factors.values()] == ["2*(yhat - y)", "w6", "x2"]
    assert d.result == 2 * w6 * x2 * (yhat - y)


def test_dL_dw1_follows_the_path_through_N1():
    """∂L/∂w1 = ∂L/∂ŷ × ∂ŷ/∂N1 × ∂N1/∂w1."""
    d = sn.Network("2-2-1").derive("w1")
    assert d.paths == [(L, yhat, N1, w1)]
    assert d.result == 2 * w5 * x1 * (yhat - y)
    assert d.expanded == 2 * w5 * x1 * (w5 * N1 + w6 * N2 + b3 - y).subs(
        {N1: w1 * x1 + w2 * x2 + b1, N2: w3 * x1 + w4 * x2 + b2})


def test_an_input_feeding_two_neurons_gives_the_two_path_sum_of_the_lecture():
    """∂L/∂x1 = ∂L/∂ŷ·∂ŷ/∂N1·∂N1/∂x1 + ∂L/∂ŷ·∂ŷ/∂N2·∂N2/∂x1: the lecture's two-path formula."""
    d = sn.Network("2-2-1").derive("x1")
    assert d.paths == [(L, yhat, N1, x1), (L, yhat, N2, x1)]
    assert sp.expand(d.result) == sp.expand(2 * (yhat - y) * (w5 * w1 + w6 * w3))
    assert str(d).splitlines()[0] == "∂L/∂x1 = ∂L/∂yhat · ∂yhat/∂N1 · ∂N1/∂x1 + ∂L/∂yhat · ∂yhat/∂N2 · ∂N2/∂x1"


def test_a_hidden_weight_of_a_deeper_net_has_one_path_per_second_layer_neuron():
    net = sn.Network("2-2-2-1", activation="sigmoid")
    d = net.derive("w1")
    assert [p[2] for p in d.paths] == [sp.Symbol("h3"), sp.Symbol("h4")]
    assert d.factors[sn.Partial(sp.Symbol("h1"), N1)] == sn.sigmoid(N1) * (1 - sn.sigmoid(N1))


def test_the_nested_example_m_z_y():
    """m = x², z = m², y = z²: dy/dx = 2z · 2m · 2x = 8x⁷."""
    x, m, z, yy = sp.symbols("x m z y")
    d = sn.chain(["m = x**2", "z = m**2", "y = z**2"], wrt="x")
    assert d.paths == [(yy, z, m, x)]
    assert list(d.factors.values()) == [2 * z, 2 * m, 2 * x]
    assert d.result == 8 * x * m * z
    assert d.expanded == 8 * x ** 7
    assert str(d) == (
        "∂y/∂x = ∂y/∂z · ∂z/∂m · ∂m/∂x\n"
        "  ∂y/∂z = 2*z\n"
        "  ∂z/∂m = 2*m\n"
        "  ∂m/∂x = 2*x\n"
        "∂y/∂x = 2*z · 2*m · 2*x\n"
        "      = 8*x**7")


def test_the_nested_example_in_latex():
    d = sn.chain("m = x**2; z = m**2; y = z**2", wrt="x")
    assert d.latex() == (
        "\\begin{aligned}\n"
        "\\frac{\\partial y}{\\partial x} &= \\frac{\\partial y}{\\partial z} \\cdot "
        "\\frac{\\partial z}{\\partial m} \\cdot \\frac{\\partial m}{\\partial x} \\\\\n"
        "\\frac{\\partial y}{\\partial z} &= 2 z \\\\\n"
        "\\frac{\\partial z}{\\partial m} &= 2 m \\\\\n"
        "\\frac{\\partial m}{\\partial x} &= 2 x \\\\\n"
        "\\frac{\\partial y}{\\partial x} &= 2 z \\cdot 2 m \\cdot 2 x \\\\\n"
        " &= 8 x^{7}\n"
        "\\end{aligned}")


def test_gradient_descent_update_uses_the_derivative():
    """w(t+1) = w(t) − α ∂L/∂w at the lecture's data point x1 = 1, x2 = 0."""
    net = sn.Network("2-2-1")
    values = {"x1": 1, "x2": 0, "y": 1, "w1": sp.Rational(1, 2), "w2": 1, "w3": 1, "w4": 1,
              "w5": 1, "w6": 1, "b1": 0, "b2": 0, "b3": 0}
    at = net.forward(values)
    assert at[yhat] == sp.Rational(3, 2) and at[L] == sp.Rational(1, 4)
    grad = net.gradients()[w1].xreplace(at)
    assert grad == 1  # 2(ŷ − y)·w5·x1 = 2·½·1·1
    alpha = sp.Rational(1, 10)
    assert values["w1"] - alpha * grad == sp.Rational(2, 5)


def test_vanishing_and_exploding_products():
    """0.99³⁶⁵ ≈ 0.026 and 1.01³⁶⁵ ≈ 37.8: the sigmoid slope σ' ≤ ¼ shrinks every layer."""
    assert round(0.99 ** 365, 3) == 0.026 and round(1.01 ** 365, 1) == 37.8
    n = sp.Symbol("N")
    slope = sn.sigmoid(n).diff(n)
    assert slope.subs(n, 0) == sp.Rational(1, 4)


def test_a_neuron_with_a_nonlinearity_y_equals_NL_of_w_dot_x_plus_b():
    """y = NL(w1 x1 + w2 x2 + w3 x3 + b): one sigmoid neuron (the lecture's Log Reg)."""
    net = sn.logistic_regression(3)
    assert net.definitions[N1] == w1 * x1 + w2 * x2 + w3 * sp.Symbol("x3") + b1
    assert net.definitions[yhat] == sn.sigmoid(N1)
    assert net.loss.name == "bce"
    # with ŷ = σ(N1), (−y/ŷ + (1 − y)/(1 − ŷ)) · σ(N1)(1 − σ(N1)) cancels to ŷ − y
    assert net.derive("N1").result == yhat - y
    assert net.derive("w2").result == x2 * (yhat - y)
    lin = sn.linear_regression(2)
    assert lin.definitions[yhat] == w1 * x1 + w2 * x2 + b1 and lin.loss.name == "mse"


def test_the_worked_example_one_step_with_frozen_biases():
    """The worksheet's numbers (x1 = 0.05, x2 = 0.1, y = 0.01, w1…w6 = .15 … .45, b = .35, .35,
    .6, L = Σ ½(y − ŷ)², α = 0.5), one step of w ← w − α ∂L/∂w with the biases kept, as the
    textbook example does; the loss after it in exact fractions, against fit to 10 digits."""
    x1, x2, y = F("0.05"), F("0.1"), F("0.01")
    w = [None, F("0.15"), F("0.2"), F("0.25"), F("0.3"), F("0.4"), F("0.45")]
    b = [None, F("0.35"), F("0.35"), F("0.6")]
    alpha = F(1, 2)

    def forward(w):
        n1 = w[1] * x1 + w[2] * x2 + b[1]
        n2 = w[3] * x1 + w[4] * x2 + b[2]
        return n1, n2, w[5] * n1 + w[6] * n2 + b[3]
    n1, n2, out = forward(w)
    d = out - y  # ∂L/∂ŷ for ½(y − ŷ)²
    grad = [None, d * w[5] * x1, d * w[5] * x2, d * w[6] * x1, d * w[6] * x2, d * n1, d * n2]
    stepped = [None] + [w[i] - alpha * grad[i] for i in range(1, 7)]
    after = (y - forward(stepped)[2]) ** 2 / 2

    net = sn.Network("2-2-1", loss="half_sse")
    params = {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": 0.45,
              "b1": 0.35, "b2": 0.35, "b3": 0.6}
    X, Y = np.array([[0.05, 0.1]]), [0.01]
    result = net.fit(X, Y, lr=0.5, epochs=1, params=params, freeze=["b1", "b2", "b3"],
                     progress=False)
    assert [result.params[k] for k in ("b1", "b2", "b3")] == [0.35, 0.35, 0.6]
    assert f"{float(after):.10g}" == "0.3044664467"
    assert f"{net.compile().loss(result.params, X, Y):.10g}" == "0.3044664467"
    assert f"{result.history[0]:.4g}" == "0.421"  # the worksheet's loss before the step
