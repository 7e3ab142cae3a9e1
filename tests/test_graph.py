"""Networks, naming, and the activation and loss catalogues."""

import pytest
import sympy as sp

import symnet as sn
import symnet.graph

z = sp.Symbol("z")


@pytest.mark.parametrize("name, value, derivative_latex", [
    ("sigmoid", sn.sigmoid(z), r"\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)"),
    ("tanh", sp.tanh(z), r"1 - \tanh^{2}{\left(z \right)}"),
    ("relu", sn.relu(z), r"\theta\left(z\right)"),
    ("softplus", sn.softplus(z), r"\sigma\left(z\right)"),
    ("silu", sn.silu(z),
     r"\sigma\left(z\right) \left(z \left(1 - \sigma\left(z\right)\right) + 1\right)"),
    ("elu", sn.elu(z, 1), r"\begin{cases} 1 & \text{for}\: z > 0 \\e^{z} & \text{otherwise} \end{cases}"),
    ("leaky_relu", sn.leaky_relu(z, sp.Rational(1, 100)),
     r"\begin{cases} 1 & \text{for}\: z > 0 \\\frac{1}{100} & \text{otherwise} \end{cases}"),
    ("linear", z, "1"),
])
def test_activation_derivatives_print_in_textbook_form(name, value, derivative_latex):
    act = sn.Activation.get(name)
    assert act.apply(z) == value
    assert sn.latex(sp.diff(act.apply(z), z)) == derivative_latex


def test_relu_derivative_at_zero_is_pinned_to_zero():
    assert sp.diff(sn.relu(z), z) == sp.Heaviside(z, 0)
    assert sp.diff(sn.relu(z), z).subs(z, 0) == 0


def test_activations_evaluate_numerically():
    assert sn.sigmoid(0) == sp.Rational(1, 2)
    assert abs(sn.sigmoid(sp.Float(2)) - 0.8807970779778823) < 1e-15
    assert sn.softplus(z).subs(z, 1).evalf(20) == sp.log(1 + sp.E).evalf(20)
    assert sn.relu(-3) == 0 and sn.relu(2) == 2


def test_leaky_relu_slope_is_an_option():
    act = sn.Activation.get("leaky_relu", slope=0.2)
    assert act.apply(z) == sn.leaky_relu(z, sp.Rational(1, 5))
    assert str(act) == "leaky_relu(slope=1/5)"
    with pytest.raises(sn.UnknownNameError, match="activation sigmoid takes no option 'slope'"):
        sn.Activation.get("sigmoid", slope=1)


def test_hidden_and_output_neurons_are_named_as_in_the_design():
    net = sn.Network("2-2-1", activation="sigmoid", output_activation="sigmoid")
    names = [str(s) for s in net.definitions]
    assert names == ["N1", "h1", "N2", "h2", "N3", "yhat", "L"]
    b3, h1, h2, w5, w6 = sp.symbols("b3 h1 h2 w5 w6")
    assert net.definitions[sp.Symbol("N3")] == w5*h1 + w6*h2 + b3


def test_two_outputs_are_numbered():
    net = sn.Network("2-3-2", activation="tanh")
    assert [str(s) for s in net.outputs] == ["yhat1", "yhat2"]
    assert [str(s) for s in net.targets] == ["y1", "y2"]
    y1, y2, yhat1, yhat2 = sp.symbols("y1 y2 yhat1 yhat2")
    assert net.definitions[sp.Symbol("L")] == (y1 - yhat1)**2 + (y2 - yhat2)**2
    assert sn.latex(sp.Symbol("yhat1")) == r"\hat{y}_{1}"


def test_one_activation_per_hidden_layer():
    net = sn.Network([2, 3, 2, 1], activation=["relu", "tanh"])
    assert net.definitions[sp.Symbol("h1")] == sn.relu(sp.Symbol("N1"))
    assert net.definitions[sp.Symbol("h4")] == sp.tanh(sp.Symbol("N4"))


def test_cross_entropy_uses_softmax_outputs():
    net = sn.Network("2-2", loss="cross_entropy")
    N1, N2, yhat1 = sp.symbols("N1 N2 yhat1")
    assert net.definitions[yhat1] == sn.softmax(1, N1, N2)
    y1, y2, yhat2 = sp.symbols("y1 y2 yhat2")
    assert net.definitions[sp.Symbol("L")] == -y1*sp.log(yhat1) - y2*sp.log(yhat2)
    # ∂L/∂N1 = ŷ1 − y1 once the softmax is written out
    d = net.derive("N1").result.subs({sp.Symbol("yhat1"): sn.softmax(1, N1, N2),
                                      sp.Symbol("yhat2"): sn.softmax(2, N1, N2)})
    expected = (sn.softmax(1, N1, N2) - y1).subs(y2, 1 - y1)
    assert sp.simplify(sn.to_elementary(d.subs(y2, 1 - y1) - expected)) == 0


def test_default_output_activation_follows_the_loss():
    assert sn.Network("2-1", loss="bce").output_activation.name == "sigmoid"
    assert sn.Network("2-1", loss="half_sse").output_activation.name == "linear"
    assert sn.Network("2-3", loss="cross_entropy").output_activation.name == "softmax"


@pytest.mark.parametrize("kwargs, message", [
    (dict(arch="2--1"), "malformed architecture '2--1'"),
    (dict(arch=[2]), "malformed architecture [2]"),
    (dict(arch=[2, 0, 1]), "malformed architecture [2, 0, 1]"),
    (dict(arch=[2, True]), "malformed architecture [2, True]"),
    (dict(arch="10000-10000-1"), "has 100,020,001 parameters; symnet compiles networks of up to 100,000,000"),
    (dict(arch="2-2-1", activation="swish"), "unknown activation 'swish'; valid: linear, sigmoid"),
    (dict(arch="2-2-1", activation="softmax"), "softmax is an output activation"),
    (dict(arch="2-2-1", loss="l1"), "unknown loss 'l1'; valid: mse, half_sse, bce, cross_entropy"),
    (dict(arch="2-2-1", loss="bce", output_activation="linear"), "bce needs outputs in (0, 1)"),
    (dict(arch="2-2-1", loss="cross_entropy"), "cross_entropy takes softmax outputs"),
    (dict(arch="2-1", output_activation="softmax"), "a softmax output needs at least 2 outputs"),
    (dict(arch="2-2-1", activation=["relu", "relu"]), "2 activations given for 1 hidden layer;"),
])
def test_bad_networks_raise_value_errors_that_say_what_is_accepted(kwargs, message):
    with pytest.raises(ValueError) as info:
        sn.Network(**kwargs)
    assert message in str(info.value)


def test_unknown_parameter_lists_the_parameters():
    with pytest.raises(sn.UnknownNameError, match="unknown parameter 'w9'; this network has: w1, w2"):
        sn.Network("2-2-1").param("w9")


def test_symbols_map_names_to_symbols():
    net = sn.Network("2-2-1")
    assert net.symbols["yhat"] == sp.Symbol("yhat") and net.symbols["L"] == sp.Symbol("L")
    assert set(net.symbols) == {"x1", "x2", "y", "w1", "w2", "w3", "w4", "w5", "w6",
                                "b1", "b2", "b3", "N1", "N2", "yhat", "L"}


def test_repr_and_notebook_display():
    net = sn.Network("2-2-2-1", activation=["relu", "tanh"], loss="half_sse")
    assert repr(net) == ("Network('2-2-2-1', activation=['relu', 'tanh'], "
                         "output_activation='linear', loss='half_sse')")
    assert net._repr_latex_().startswith(r"$$\begin{aligned}N_{1} &= w_{1} x_{1} + w_{2} x_{2} + b_{1}")


def test_forward_pass_with_exact_numbers():
    net = sn.Network("2-2-1", loss="half_sse")
    values = dict(x1=1, x2=0, y=1, w1=2, w2=3, w3=-1, w4=1, w5=1, w6=2, b1=0, b2=1, b3=sp.Rational(1, 2))
    v = net.forward(values)
    assert v[sp.Symbol("N1")] == 2 and v[sp.Symbol("N2")] == 0
    assert v[sp.Symbol("yhat")] == sp.Rational(5, 2)
    assert v[sp.Symbol("L")] == sp.Rational(9, 8)
    with pytest.raises(sn.SymnetError, match="missing values for b1"):
        net.forward({k: val for k, val in values.items() if k != "b1"})


_y, _yhat, _w = sp.symbols("y yhat w")


@pytest.mark.parametrize("expr", [
    (_y - _yhat) ** 2,                       # mse's term
    (_yhat - _y) ** 3 + (_y - 2 * _yhat) ** 2,
    (_w * _yhat + 1) ** -2,
    _y ** 2,                                 # no ŷ in it
    sp.Rational(1, 2) * (_y - _yhat) ** 2,   # half_sse: a product, left to diff
])
def test_local_partial_of_a_power_is_what_sympy_diff_gives(expr):
    graph = sn.graph.Graph({sp.Symbol("L"): expr})
    assert sp.expand(graph.local(sp.Symbol("L"), _yhat) - sp.diff(expr, _yhat)) == 0


_f = sp.Function("f")
_x, _y = sp.symbols("x y")


@pytest.mark.parametrize("expr", [
    sn.functions.sigmoid(_x), _f(_x, _y), _f(_x + 1), sp.exp(_x), (_x - _y) ** 2, _x * _y + 1,
    sp.Integral(_x, _x), sp.Lambda(_x, _x + _y), sp.Subs(_f(_x), _x, _y), sp.Max(_x, _y),
    sp.Derivative(_f(_x), _x), sp.Sum(_x, (_x, 1, 3)), _f(sp.Symbol("z", positive=True)),
], ids=str)
def test_a_definitions_symbols_are_its_free_symbols(expr):
    """Read straight off sums, products and functions of symbols; bound variables are not."""
    assert symnet.graph._symbols(expr) == expr.free_symbols


def test_the_shapes_remembered_are_bounded_the_oldest_going(monkeypatch):
    monkeypatch.setattr(symnet.graph, "MAX_SHAPES", 2)
    monkeypatch.setattr(symnet.graph, "_SHAPES", {})
    u, v = sp.symbols("u v")
    for term in [(u - v) ** 2, (u - v) ** 3, (u - 2 * v) ** 2, (u - v) ** 2]:
        assert symnet.graph._shaped_local(term, v) == sp.factor_terms(sp.diff(term, v))
    a, b = sp.symbols("_00 _01")  # the places: u, v in the order of their names
    assert list(symnet.graph._SHAPES.values()) == [  # the cube went, and the first square
        sp.Mul(4, 2 * b - a, evaluate=False), sp.Mul(2, b - a, evaluate=False)]  # came back
