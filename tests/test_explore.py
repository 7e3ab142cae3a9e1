"""Vanishing and exploding gradients, the gradient flow per layer, the activation atlas."""

import math

import numpy as np
import pytest
import sympy as sp

import symnet as sn
from symnet.cli import main
from symnet.explore import atlas_entry

x = sp.Symbol("x")
L, y, yhat = sp.symbols("L y yhat")


# ------------------------------------------------------------------ compound interest

def test_the_lectures_compound_interest():
    """(0.99)^365 ≈ 0 and (1.01)^365 ≈ 38; the sigmoid's steepest slope ¼ vanishes far faster."""
    table = sn.compound()
    assert table.headers == ["n", "0.99^n", "1.01^n", "0.25^n"]
    assert table.rows[-1] == ["365", "0.0255", "37.8", "1.77e-220"]
    assert table.rows[0] == ["1", "0.99", "1.01", "0.25"]
    assert "| 365 | 0.0255 | 37.8 | 1.77e-220 |" in table.markdown()
    assert r"$1.77 \times 10^{-220}$" in table.latex()


# ------------------------------------------------- the chain-rule product, one factor per layer

def test_dL_dw1_of_a_deep_sigmoid_chain_is_one_factor_per_layer():
    """1-1-1-1-1: ∂L/∂w1 = ∂L/∂ŷ · w4 · σ'(N3) w3 · σ'(N2) w2 · σ'(N1) x1."""
    flow = sn.gradient_flow(sn.Network("1-1-1-1-1", activation="sigmoid"))
    N1, N2, N3, h1, h2, h3 = sp.symbols("N1 N2 N3 h1 h2 h3")
    w1, w2, w3, w4, x1 = sp.symbols("w1 w2 w3 w4 x1")
    assert flow.path == (L, yhat, h3, N3, h2, N2, h1, N1, w1)
    assert flow.paths == 1
    assert [g.caption for g in flow.groups] == ["loss", "layer 4", "layer 3", "layer 2", "layer 1"]
    assert flow.groups[2].partials == [sn.Partial(h3, N3), sn.Partial(N3, h2)]
    slope = lambda n: sn.sigmoid(n) * (1 - sn.sigmoid(n))  # noqa: E731
    assert [g.values for g in flow.groups][1:] == [
        [w4], [slope(N3), w3], [slope(N2), w2], [slope(N1), x1]]
    assert sn.text(flow.groups[0].values[0]) == "2*(yhat - y)"
    # the three sigmoid slopes are each at most 1/4: together at most 1/64
    assert flow.slope_bound == (3, sp.Rational(1, 64))
    text = flow.product()
    assert "layer 3  ∂h3/∂N3 · ∂N3/∂h2 = sigmoid(N3)*(1 - sigmoid(N3)) · w3   sigmoid' ∈ (0, 1/4]" \
        in text
    assert "3 activation slopes on this path (sigmoid' ≤ 1/4): together at most 1/64" in text


def test_the_product_along_the_only_path_is_the_derivative():
    net = sn.Network("1-1-1-1-1", activation="sigmoid")
    flow = sn.gradient_flow(net)
    along = sp.Mul(*[v for g in flow.groups for v in g.values])
    assert sp.expand(along - net.derive("w1").result) == 0


def test_a_wide_net_shows_the_path_through_the_first_neuron_of_each_layer():
    flow = sn.gradient_flow(sn.Network("2-8-8-8-1", activation="tanh"))
    assert flow.paths == 8 ** 2
    assert [str(s) for s in flow.path] == ["L", "yhat", "h17", "N17", "h9", "N9", "h1", "N1", "w1"]
    assert "one of its 64 paths" in flow.product()
    assert flow.slope_bound is None  # tanh' ≤ 1: no bound below 1 to multiply
    assert "tanh' ∈ (0, 1]" in flow.product()


def test_relu_factors_are_steps():
    flow = sn.gradient_flow(sn.Network("1-2-2-1", activation="relu"))
    # N3 = w3 h1 + w4 h2 + b3: the path runs through h1
    assert flow.groups[2].values == [sp.Heaviside(sp.Symbol("N3"), 0), sp.Symbol("w3")]
    assert "relu' ∈ {0, 1}" in flow.product()


def test_markdown_and_latex_products():
    flow = sn.gradient_flow(sn.Network("1-1-1", activation="sigmoid"))
    tex = flow.product("latex")
    assert tex.startswith("\\begin{aligned}\n\\frac{\\partial L}{\\partial w_{1}} &= "
                          "\\frac{\\partial L}{\\partial \\hat{y}} \\cdot ")
    assert (r"\text{layer 1:}\quad \frac{\partial h_{1}}{\partial N_{1}} \cdot "
            r"\frac{\partial N_{1}}{\partial w_{1}} &= \sigma\left(N_{1}\right) "
            r"\left(1 - \sigma\left(N_{1}\right)\right) \cdot x_{1} &&\sigma' \in (0, \tfrac{1}{4}]"
            ) in tex
    md = flow.report("markdown")
    assert "$$\n\\begin{aligned}" in md and "| 1 (first) |" in md


# --------------------------------------------------------------- magnitudes per layer

# Golden figures of seeded NumPy Generator streams (measured with NumPy 2.4): NumPy does not
# promise these streams across releases, so they are compared with a tolerance.
GOLDEN = {"sigmoid": [5.07e-05, 8.14e-04, 3.92e-03, 2.23e-02, 1.15e-01, 1.05e+00],
          "tanh": [4.54e-02, None, None, None, None, 7.96e-02],
          "relu": [4.12e-01, None, None, None, None, 1.59e+00]}


def near(value, golden, rel=0.3):
    return golden is None or value == pytest.approx(golden, rel=rel)


def test_sigmoid_gradients_shrink_layer_by_layer_and_relu_ones_do_not():
    """2-8-8-8-8-8-1 at init_params seeds 0-4, 64 seeded samples: the sigmoid net's first layer
    gets about 1/20,000 of the output layer's gradient; He-initialised ReLU keeps a quarter."""
    sigmoid, tanh, relu = sn.compare_flow("2-8-8-8-8-8-1", ["sigmoid", "tanh", "relu"])
    s = sigmoid.magnitudes
    assert all(a < b / 3 for a, b in zip(s, s[1:]))  # every layer below is 3× smaller or more
    assert sigmoid.ratio < 1e-4
    assert all(near(m, g) for m, g in zip(s, GOLDEN["sigmoid"]))
    r = relu.magnitudes
    assert relu.ratio > 0.2
    assert all(a > b / 2 for a, b in zip(r[:-1], r[1:-1]))  # hidden layers within a factor 2
    assert tanh.ratio > 0.2


def test_the_flow_table_has_one_column_per_activation():
    flows = sn.compare_flow("2-8-8-8-8-8-1", "sigmoid,tanh,relu")
    lines = sn.flow_table(flows).splitlines()
    assert lines[0].split() == ["layer", "sigmoid", "tanh", "relu"]
    for line, layer in ((lines[1], 0), (lines[6], 5)):
        name, where, *cells = line.split()
        assert (name, where) == (str(layer + 1), "(first)" if layer == 0 else "(output)")
        assert all(near(float(c), GOLDEN[a][layer]) for c, a in zip(cells, GOLDEN))
    assert lines[7].split()[:5] == ["layer", "1", "÷", "layer", "6"]
    assert [float(c) for c in lines[7].split()[5:]] == pytest.approx([f.ratio for f in flows], rel=1e-2)
    assert sn.flow_table(flows, "markdown").splitlines()[1] == "| --- | ---: | ---: | ---: |"


def test_magnitudes_are_the_mean_absolute_gradient_of_each_layer():
    """At given params and data: layer 1 is w1…w4, layer 2 is w5, w6 (biases left out)."""
    net = sn.Network("2-2-1", activation="tanh")
    params = {"w1": 0.1, "w2": -0.2, "w3": 0.3, "w4": 0.4, "w5": -0.5, "w6": 0.6,
              "b1": 0.0, "b2": 0.1, "b3": -0.1}
    X, Y = [[1.0, 0.0], [0.5, -1.0]], [1.0, -1.0]
    flow = sn.gradient_flow(net, params, X, Y)
    g = net.compile().gradient(params, X, Y)
    assert flow.magnitudes == pytest.approx([
        np.mean([abs(g[w]) for w in ("w1", "w2", "w3", "w4")]),
        np.mean([abs(g["w5"]), abs(g["w6"])])])
    assert flow.seeds is None and flow.samples == 2
    assert "at the given parameters" in sn.explore.flow_caption([flow])


def test_default_data_follows_the_loss():
    X, Y = sn.explore.default_data(sn.Network("2-3-2", loss="bce"), samples=10)
    assert X.shape == (10, 2) and set(np.unique(Y)) <= {0.0, 1.0}
    X, Y = sn.explore.default_data(sn.Network("2-3", loss="cross_entropy"), samples=10)
    assert (Y.sum(axis=1) == 1).all()


@pytest.mark.parametrize("call, message", [
    (lambda: sn.gradient_flow("2-2-1"), "gradient_flow takes a Network"),
    (lambda: sn.gradient_flow(sn.Network("2-2-1"), wrt="b1"), "wrt must be a weight"),
    (lambda: sn.gradient_flow(sn.Network("2-2-1"), wrt="w9"), "unknown parameter 'w9'"),
    (lambda: sn.gradient_flow(sn.Network("2-2-1"), Y=[1.0]), "Y given without X"),
    (lambda: sn.gradient_flow(sn.Network("2-2-1"), seeds=()), "at least one seed"),
    (lambda: sn.compare_flow("2-2-1", "sigmoid,bogus"), "unknown activation 'bogus'"),
])
def test_bad_input_says_what_is_accepted(call, message):
    with pytest.raises(sn.SymnetError, match=message):
        call()


# ---------------------------------------------------------------------- the atlas

ELEMENTWISE = [a for a in sn.ACTIVATIONS if a != "softmax"]


def test_the_atlas_has_every_elementwise_activation():
    atlas = sn.activation_atlas()
    assert [e.name for e in atlas] == ELEMENTWISE
    assert atlas["sigmoid"].derivative == sn.sigmoid(x) * (1 - sn.sigmoid(x))
    assert atlas["relu"].derivative == sp.Heaviside(x, 0)
    assert atlas["softplus"].derivative == sn.sigmoid(x)
    assert atlas["tanh"].derivative == 1 - sp.tanh(x) ** 2
    with pytest.raises(sn.SymnetError, match="no activation 'swish'"):
        atlas["swish"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_atlas_derivatives_equal_sympy_diff_of_the_formula(name):
    """The closed form (σ(1 − σ), θ(x), …) against sympy.diff of the elementary formula,
    symbolically where SymPy can, and at points on both sides of 0 (the kinks are at 0)."""
    e = sn.activation_atlas()[name]
    oracle = sp.diff(e.elementary, x)  # SymPy's own diff of 1/(1 + exp(-x)), Max(0, x), …
    closed = sn.to_elementary(e.derivative)
    for point in [-3.5, -1, -0.25, 0.3, 1, 2.75]:
        assert float(closed.subs(x, point)) == pytest.approx(float(oracle.subs(x, point)),
                                                             rel=1e-12, abs=1e-15)
    if name not in ("relu", "leaky_relu", "elu"):  # smooth: equal as expressions too
        assert sp.simplify(closed - oracle) == 0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_atlas_ranges_hold_on_a_dense_grid(name):
    e = sn.activation_atlas()[name]
    d = sp.lambdify(x, sn.to_elementary(e.derivative), "numpy")
    xs = np.linspace(-30, 30, 60001)
    values = np.broadcast_to(np.asarray(d(xs), dtype=float), xs.shape)
    low, high = float(e.low), float(e.high)
    assert values.min() >= low - 1e-9 and values.max() <= high + 1e-9
    assert values.min() == pytest.approx(low, abs=1e-4)   # the bounds are reached or approached
    assert values.max() == pytest.approx(high, abs=1e-4)


def test_sigmoid_slope_is_at_most_a_quarter_reached_at_zero():
    e = atlas_entry("sigmoid")
    assert (e.range, e.high, e.peak) == ("(0, 1/4]", sp.Rational(1, 4), "at x = 0")
    assert e.derivative.subs(x, 0) == sp.Rational(1, 4)
    assert e.bound == sp.Rational(1, 4)


def test_silu_range_is_found_numerically():
    e = atlas_entry("silu")
    assert e.range == "[-0.0998…, 1.0998…]"
    assert float(e.high) == pytest.approx(1.0998, abs=1e-4)


def test_activation_options_change_the_range():
    assert atlas_entry(sn.Activation.get("leaky_relu", slope=0.2)).range == "{1/5, 1}"
    assert atlas_entry(sn.Activation.get("elu", alpha=2)).range == "(0, 2]"
    with pytest.raises(sn.SymnetError, match="softmax acts on a whole output layer"):
        atlas_entry("softmax")


def test_atlas_text_markdown_latex():
    atlas = sn.activation_atlas()
    text = atlas.text()
    assert ("sigmoid\n  f(x)  = sigmoid(x) = 1/(1 + exp(-x))\n"
            "  f'(x) = sigmoid(x)*(1 - sigmoid(x))\n"
            "  f' ranges over (0, 1/4], largest at x = 0") in text
    assert "  f'(x) = 1 if x > 0 else 1/100" in text
    assert text.endswith("in (0, 1/4] for j = k and in [−1/4, 0) for j ≠ k")
    md = atlas.markdown()
    assert (r"| sigmoid | $\sigma\left(x\right) = \frac{1}{1 + e^{- x}}$ | "
            r"$\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)$ | "
            r"$(0, \tfrac{1}{4}]$ |") in md
    assert atlas.latex().startswith("\\begin{tabular}{llll}")


def test_latex_of_a_reciprocal_is_a_fraction():
    """symnet's printer once printed 1/(1 + e^{-x}) as "- (1 + e^{- x})" (found by the atlas)."""
    assert sn.latex(1 / (1 + sp.exp(-x))) == r"\frac{1}{1 + e^{- x}}"
    assert sn.latex(1 / (x + 1) ** 2) == r"\frac{1}{\left(x + 1\right)^{2}}"


# ---------------------------------------------------------------------- command line

def test_flow_command_compares_activations(capsys):
    assert main(["flow", "2-8-8-8-8-8-1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[sigmoid] ∂L/∂w1 along one of its 4,096 paths")
    assert "[tanh] " in out and "[relu] " in out
    assert ("mean |∂L/∂W| per layer at initialisation, 2-8-8-8-8-8-1 network, loss mse, "
            "64 samples, mean over init seeds 0, 1, 2, 3, 4:") in out
    first = next(line for line in out.splitlines() if line.startswith("1 (first) "))
    assert all(near(float(c), GOLDEN[a][0]) for c, a in zip(first.split()[2:], GOLDEN))
    assert "365  0.0255    37.8  1.77e-220" in out


def test_flow_command_one_activation_markdown(capsys):
    assert main(["flow", "1-1-1-1", "--activation", "sigmoid", "--format", "markdown",
                 "--seeds", "2", "--samples", "8"]) == 0
    out = capsys.readouterr().out
    assert "$$\n\\begin{aligned}" in out and "| layer | sigmoid |" in out
    assert "mean over init seeds 0, 1:" in out and "8 samples" in out


def test_flow_help_says_the_comma_list_compares(capsys):
    assert main(["flow", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "activations to COMPARE, comma-separated: one table column" in out
    assert "unlike derive, where a comma list gives one activation per hidden layer" in out


def test_flow_command_plot(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    png = tmp_path / "flow.png"
    assert main(["flow", "2-4-4-4-1", "--plot", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plotted {png}" in capsys.readouterr().out


def test_activations_command(tmp_path, capsys):
    assert main(["activations"]) == 0
    out = capsys.readouterr().out
    for name in ELEMENTWISE:
        assert f"\n{name}\n  f(x)  = " in "\n" + out
    assert main(["activations", "--format", "latex"]) == 0
    assert capsys.readouterr().out.startswith("\\begin{tabular}")
    pytest.importorskip("matplotlib")
    svg = tmp_path / "atlas.svg"
    assert main(["activations", "--plot", str(svg)]) == 0
    assert b"f' \xe2\x88\x88 (0, 1/4]" in svg.read_bytes()  # the range, kept as SVG text


@pytest.mark.parametrize("argv, message", [
    (["flow", "2-2-1", "--activation", "sigmoid,bogus"], "error: unknown activation 'bogus'"),
    (["flow", "2-2-1", "--plot", "flow.txt"], "error: cannot tell the image format of 'flow.txt'"),
    (["flow", "2-2-1", "--seeds", "0"], "error: --seeds must be at least 1; got 0"),
    (["flow", "2-2-1", "--wrt", "b1"], "error: wrt must be a weight"),
    (["activations", "--format", "html"], "error: argument --format: invalid choice: 'html'"),
])
def test_flow_and_activations_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_without_matplotlib_plots_give_one_clear_line(tmp_path, monkeypatch, capsys):
    import sys
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    assert main(["flow", "2-2-1", "--plot", str(tmp_path / "f.png")]) == 2
    install = "pip install matplotlib (or pip install '.[plot]' in symnet's folder)"
    assert capsys.readouterr().err == f"error: --plot needs matplotlib: {install}\n"
    assert main(["draw", "2-2-1", "-o", str(tmp_path / "n.svg")]) == 2
    assert capsys.readouterr().err == f"error: symnet draw needs matplotlib: {install}\n"
    assert not list(tmp_path.iterdir())
    with pytest.raises(sn.SymnetError, match="needs matplotlib"):
        sn.draw(sn.Network("2-2-1"))
    assert math.isfinite(sn.gradient_flow(sn.Network("2-2-1")).ratio)  # numbers need no plots
