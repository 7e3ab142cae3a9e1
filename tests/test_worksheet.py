"""Worksheets: the seed lecture's network walked through with numbers, exercises and keys."""

import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import symnet as sn
from symnet.cli import main
from symnet.linebreak import WIDTH, tex_width
from symnet.pdf import compile_latex
from symnet.sheets import format_number, key_path, nice_numbers

GOLDEN = Path(__file__).resolve().parent / "golden"
needs_pdflatex = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                    reason="pdflatex is not installed")

# The seed lecture's 2-2-1 network, Σ ½(y − ŷ)², with the textbook numbers.
SEED_AT = {"x1": 0.05, "x2": 0.1, "y": 0.01}
SEED_PARAMS = {"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4, "w6": 0.45,
               "b1": 0.35, "b2": 0.35, "b3": 0.6}
SEED_ARGV = ["worksheet", "2-2-1", "--loss", "half_sse", "--at", "x1=0.05,x2=0.1,y=0.01",
             "--params", "w1=.15,w2=.2,w3=.25,w4=.3,w5=.4,w6=.45,b1=.35,b2=.35,b3=.6",
             "--lr", "0.5"]


def seed_sheet(**kw):
    return sn.worksheet(sn.Network("2-2-1", loss="half_sse"), at=SEED_AT, params=SEED_PARAMS,
                        lr=0.5, **kw)


def math_rows(markdown):
    """Every row of every display block, without the alignment marks."""
    rows = []
    for block in re.findall(r"\\begin\{aligned\}\n(.*?)\n\\end\{aligned\}", markdown, re.S):
        rows += [r.strip().removesuffix(r"\\").strip().replace("&", "") for r in block.split("\n")]
    return rows


def overfull_boxes(log):
    return [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]


# ----------------------------------------------------------------------- the seed worksheet

@pytest.mark.parametrize("suffix", [".tex", ".md"])
def test_the_seed_worksheet_matches_its_golden_file(suffix, tmp_path, capsys):
    """Regenerate after an intended change with:
    python -m symnet worksheet 2-2-1 --loss half_sse --at x1=0.05,x2=0.1,y=0.01 \
      --params w1=.15,w2=.2,w3=.25,w4=.3,w5=.4,w6=.45,b1=.35,b2=.35,b3=.6 --lr 0.5 \
      -o tests/golden/seed_2-2-1.tex   (and .md)"""
    out = tmp_path / f"seed_2-2-1{suffix}"
    assert main(SEED_ARGV + ["-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    assert out.read_text() == (GOLDEN / f"seed_2-2-1{suffix}").read_text()


def test_the_forward_pass_shows_each_quantity_with_the_numbers_substituted():
    rows = math_rows(seed_sheet().markdown())
    assert r"N_{1} = w_{1} x_{1} + w_{2} x_{2} + b_{1} = 0.15 \cdot 0.05 + 0.2 \cdot 0.1 + 0.35 = 0.3775" in rows
    assert r"N_{2} = w_{3} x_{1} + w_{4} x_{2} + b_{2} = 0.25 \cdot 0.05 + 0.3 \cdot 0.1 + 0.35 = 0.3925" in rows
    assert r"\hat{y} = w_{5} N_{1} + w_{6} N_{2} + b_{3} = 0.4 \cdot 0.3775 + 0.45 \cdot 0.3925 + 0.6 = 0.9276" in rows
    assert r"L = \frac{\left(y - \hat{y}\right)^{2}}{2} = \frac{\left(0.01 - 0.9276\right)^{2}}{2} = 0.421" in rows


def test_the_sections_come_in_the_order_of_the_lecture():
    md = seed_sheet().markdown()
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings[:5] == ["# Worksheet: the 2-2-1 network", "## The network", "### Parameters",
                            "## Forward pass", "## Gradients by the chain rule"]
    assert headings[5:] == [f"### $\\partial L / \\partial {p}$" for p in
                            ["w_{1}", "w_{2}", "w_{3}", "w_{4}", "w_{5}", "w_{6}",
                             "b_{1}", "b_{2}", "b_{3}"]] + ["## One step of gradient descent"]


def test_the_parameter_table_says_what_each_weight_connects():
    md = seed_sheet().markdown()
    assert "| Layer | Parameter | Connects | Value |" in md
    assert "| 1 | $w_{2}$ | $x_{2} \\to N_{1}$ | $0.2$ |" in md
    assert "| 2 | $w_{5}$ | $N_{1} \\to \\hat{y}$ | $0.4$ |" in md
    assert "| 2 | $b_{3}$ | bias of $\\hat{y}$ | $0.6$ |" in md


def test_each_gradient_shows_path_factors_and_numbers():
    """∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂N1 · ∂N1/∂w1, each factor, then 0.9176 · 0.4 · 0.05."""
    rows = math_rows(seed_sheet(wrt=["w1"]).markdown())
    dw1 = r"\frac{\partial L}{\partial w_{1}}"
    assert rows[rows.index(dw1 + r" = \frac{\partial L}{\partial \hat{y}} \cdot "
                           r"\frac{\partial \hat{y}}{\partial N_{1}} \cdot "
                           r"\frac{\partial N_{1}}{\partial w_{1}}"):][:10] == [
        dw1 + r" = \frac{\partial L}{\partial \hat{y}} \cdot \frac{\partial \hat{y}}{\partial N_{1}} \cdot \frac{\partial N_{1}}{\partial w_{1}}",
        r"\frac{\partial L}{\partial \hat{y}} = \hat{y} - y",
        r"\frac{\partial \hat{y}}{\partial N_{1}} = w_{5}",
        r"\frac{\partial N_{1}}{\partial w_{1}} = x_{1}",
        dw1 + r" = \left(\hat{y} - y\right) \cdot w_{5} \cdot x_{1}",
        r"\frac{\partial L}{\partial \hat{y}} = 0.9276 - 0.01 = 0.9176",
        r"\frac{\partial \hat{y}}{\partial N_{1}} = 0.4",
        r"\frac{\partial N_{1}}{\partial w_{1}} = 0.05",
        dw1 + r" = 0.9176 \cdot 0.4 \cdot 0.05 = 0.01835",
        r"w(t+1) = w(t) - \alpha \frac{\partial L}{\partial w}",
    ]


def test_a_sigmoid_factor_is_evaluated_through_the_named_activation():
    """∂h1/∂N1 = σ(N1)(1 − σ(N1)) is shown with h1's value: 0.5933 · (1 − 0.5933)."""
    net = sn.Network("2-2-1", activation="sigmoid", loss="half_sse")
    rows = math_rows(sn.worksheet(net, at=SEED_AT, params=SEED_PARAMS, wrt="w1").markdown())
    assert r"h_{1} = \sigma\left(N_{1}\right) = \sigma\left(0.3775\right) = 0.5933" in rows
    assert (r"\frac{\partial h_{1}}{\partial N_{1}} = \sigma\left(N_{1}\right) "
            r"\left(1 - \sigma\left(N_{1}\right)\right)") in rows
    assert (r"\frac{\partial h_{1}}{\partial N_{1}} = 0.5933 \cdot \left(1 - 0.5933\right) "
            r"= 0.2413") in rows


def test_the_update_shows_every_parameter_and_the_loss_after_the_step():
    rows = math_rows(seed_sheet(wrt=["w5"]).markdown())
    assert rows[-11:] == [
        r"w(t+1) = w(t) - \alpha \frac{\partial L}{\partial w}",
        r"w_{1}(t+1) = 0.15 - 0.5 \cdot 0.01835 = 0.1408",
        r"w_{2}(t+1) = 0.2 - 0.5 \cdot 0.03671 = 0.1816",
        r"w_{3}(t+1) = 0.25 - 0.5 \cdot 0.02065 = 0.2397",
        r"w_{4}(t+1) = 0.3 - 0.5 \cdot 0.04129 = 0.2794",
        r"w_{5}(t+1) = 0.4 - 0.5 \cdot 0.3464 = 0.2268",
        r"w_{6}(t+1) = 0.45 - 0.5 \cdot 0.3602 = 0.2699",
        r"b_{1}(t+1) = 0.35 - 0.5 \cdot 0.3671 = 0.1665",
        r"b_{2}(t+1) = 0.35 - 0.5 \cdot 0.4129 = 0.1435",
        r"b_{3}(t+1) = 0.6 - 0.5 \cdot 0.9176 = 0.1412",
        r"L = 0.02513",
    ]


# ------------------------------------------------------------- numbers agree with the model

NETS = [
    ("2-2-1", dict(loss="half_sse"), 1),
    ("2-2-1", dict(activation="sigmoid"), 3),
    ("2-3-3-1", dict(activation="sigmoid"), 2),
    ("2-2-1", dict(activation="relu", loss="bce"), 2),
    ("2-2-2", dict(activation="tanh", loss="cross_entropy"), 3),
    ("3-2-2-1", dict(activation="softplus,elu", output_activation="sigmoid"), 2),
]


@pytest.mark.parametrize("arch, options, samples", NETS)
@pytest.mark.parametrize("seed", [0, 1])
def test_worksheet_numbers_equal_the_compiled_models(arch, options, samples, seed):
    net = sn.Network(arch, **options)
    ws = sn.worksheet(net, seed=seed, samples=samples, lr=0.5)
    at, params = nice_numbers(net, seed, samples)
    X = [[s[str(x)] for x in net.inputs] for s in at]
    Y = [[s[str(t)] for t in net.targets] for s in at]
    model = net.compile()
    assert ws.loss == pytest.approx(model.loss(params, X, Y), rel=1e-12, abs=1e-15)
    assert ws.gradient == pytest.approx(model.gradient(params, X, Y), rel=1e-10, abs=1e-15)
    new = {k: v - 0.5 * g for (k, v), g in zip(params.items(), model.gradient(params, X, Y).values())}
    assert ws.new_params == pytest.approx(new, rel=1e-12, abs=1e-15)
    assert ws.new_loss == pytest.approx(model.loss(new, X, Y), rel=1e-10, abs=1e-15)
    predicted = model.predict(params, X)
    for values, row in zip(ws.values, predicted):
        assert [values[str(o)] for o in net.outputs] == pytest.approx(list(row), rel=1e-12)


def test_a_linear_network_is_computed_exactly():
    """With exact inputs a linear network's numbers are exact rationals, to all 30 digits."""
    ws = seed_sheet()
    x1, x2, y = (sp.Rational(s) for s in ("0.05", "0.1", "0.01"))
    w = {k: sp.Rational(str(v)) for k, v in SEED_PARAMS.items()}
    n1 = w["w1"] * x1 + w["w2"] * x2 + w["b1"]
    n2 = w["w3"] * x1 + w["w4"] * x2 + w["b2"]
    yhat = w["w5"] * n1 + w["w6"] * n2 + w["b3"]
    assert ws.numbers.loss == (y - yhat) ** 2 / 2
    assert ws.numbers.grad[sp.Symbol("w5")] == (yhat - y) * n1
    assert ws.numbers.new_params[sp.Symbol("w5")] == w["w5"] - sp.Rational(1, 2) * (yhat - y) * n1


def test_shown_numbers_are_rounded_from_full_precision_not_from_shown_numbers():
    """w6 − α·∂L/∂w6 with the shown 0.3602 would give 0.2699; the full values too, and the
    sheet shows the rounding of the full value, whatever the digits."""
    for digits in (2, 3, 4, 6):
        ws = seed_sheet(digits=digits)
        rows = math_rows(ws.markdown())
        for p, value in ws.numbers.new_params.items():
            assert any(r.startswith(sn.latex(p) + "(t+1) = ") and
                       r.endswith(" = " + format_number(value, digits)) for r in rows)
    # 0.2 − 0.5 · 0.036705 = 0.1816475 exactly, which rounds up; the float 0.18164749… does not
    assert r"w_{2}(t+1) = 0.2 - 0.5 \cdot 0.036705 = 0.181648" in math_rows(
        seed_sheet(digits=6).markdown())
    ws = seed_sheet(digits=2)
    # ŷ = 0.92760625 shows as 0.93; (0.01 − 0.93)²/2 would be 0.4232, the loss is 0.421
    assert r"\frac{\left(0.01 - 0.93\right)^{2}}{2} = 0.42" in ws.markdown()


@pytest.mark.parametrize("value, digits, shown", [
    (sp.Rational("0.3775"), 4, "0.3775"),
    (0.92760625, 4, "0.9276"),
    (sp.Rational("0.00012345"), 3, "0.000123"),
    (sp.Rational("0.00001235"), 3, r"1.24 \times 10^{-5}"),
    (-2.5, 4, "-2.5"),
    (sp.Rational("1234567"), 4, r"1.235 \times 10^{6}"),
    (0, 4, "0"),
    (-1e-40, 4, r"-1 \times 10^{-40}"),
    (sp.Rational(2, 3), 6, "0.666667"),
])
def test_format_number(value, digits, shown):
    assert format_number(value, digits) == shown


# -------------------------------------------------------------------------- several samples

def test_several_samples_give_a_table_and_a_loss_written_with_sigma():
    net = sn.Network("2-2-1")
    ws = sn.worksheet(net, at=[{"x1": 1, "x2": 0, "y": 1}, {"x1": 0, "x2": 1, "y": 0},
                               {"x1": 1, "x2": 1, "y": 1}],
                      params={k: 0.5 for k in map(str, net.params)}, wrt="w1")
    md = ws.markdown()
    rows = math_rows(md)
    assert r"L = \frac{1}{n} \sum_{i=1}^{n} \left(y_{i} - \hat{y}_{i}\right)^{2}" in rows
    assert "### Sample 3" in md
    assert r"L_{2} = \left(y - \hat{y}\right)^{2} = \left(0 - 1.5\right)^{2} = 2.25" in rows
    assert "| $x_{1}$ | $x_{2}$ | $y$ | $\\hat{y}$ | $L_{i}$ |" in md
    assert "| $0$ | $1$ | $0$ | $1.5$ | $2.25$ |" in md
    assert r"L = \frac{1}{n} \sum_{i=1}^{n} L_{i} = \frac{1}{3} \Bigl(0.25 + 2.25 + 1\Bigr) = 1.167" in rows
    assert r"\frac{\partial L}{\partial w} = \frac{1}{n} \sum_{i=1}^{n} \frac{\partial L_{i}}{\partial w}" in rows
    assert "| $\\partial L / \\partial \\hat{y}$ | $1$ | $3$ | $2$ |" in md
    assert r"\frac{\partial L_{2}}{\partial w_{1}} = 3 \cdot 0.5 \cdot 0 = 0" in rows
    assert r"\frac{\partial L}{\partial w_{1}} = \frac{1}{3} \Bigl(0.5 + 0 + 1\Bigr) = 0.5" in rows


def test_a_sum_loss_adds_the_samples():
    net = sn.Network("2-1", loss="half_sse")
    ws = sn.worksheet(net, at={"x1": [1, 2], "x2": [0, 1], "y": [1, 0]},
                      params={"w1": 1, "w2": 1, "b1": 0})
    assert r"L = \sum_{i=1}^{n} L_{i} = 0 + 4.5 = 4.5" in math_rows(ws.markdown())
    assert ws.loss == 4.5


def test_at_as_a_dict_of_lists_is_the_same_table_as_a_list_of_dicts():
    net = sn.Network("2-2-1")
    params = {k: 0.1 for k in map(str, net.params)}
    a = sn.worksheet(net, at={"x1": [1, 0], "x2": [0, 1], "y": [1, 0]}, params=params)
    b = sn.worksheet(net, at=[{"x1": 1, "x2": 0, "y": 1}, {"x1": 0, "x2": 1, "y": 0}],
                     params=params)
    assert a.latex() == b.latex()


# --------------------------------------------------------------------------- layout

def test_tex_width_counts_what_is_printed():
    assert tex_width("w_{1} x_{1}") == pytest.approx(3.4)
    assert tex_width(r"\left(a\right)") == 3
    assert tex_width(r"\frac{1}{1 - \hat{y}}") == pytest.approx(4.6)


def test_a_long_chain_breaks_between_paths_and_every_row_fits():
    """2-3-3-1: ∂L/∂w1 has three paths of six factors; each path starts a row."""
    net = sn.Network("2-3-3-1", activation="sigmoid")
    md = sn.worksheet(net, wrt="w1").markdown()
    block = md[md.index(r"\frac{\partial L}{\partial w_{1}} &="):]
    rows = block[:block.index(r"\end{aligned}")].strip().split(" \\\\\n")[:4]
    assert rows[3].startswith(r"\frac{\partial L}{\partial \hat{y}} &= 2")  # the first factor
    assert all(r.startswith(r"&\quad {}+ \frac{\partial L}{\partial \hat{y}}") for r in rows[1:3])
    for row in math_rows(md):
        assert tex_width(row) <= WIDTH + 4, row


# ------------------------------------------------------------------------------- exercises

def test_an_exercise_sheet_has_blanks_where_the_key_has_answers():
    net = sn.Network("2-2-1", activation="sigmoid")
    sheet = sn.worksheet(net, seed=3, lr=0.5, exercises=True, wrt=["w1", "w5"])
    student, key = sheet.markdown(), sheet.key.markdown()
    assert student.startswith("# Exercises: the 2-2-1 network")
    assert key.startswith("# Answer key: the 2-2-1 network")
    assert "### $\\partial L / \\partial w_{5}$" in student and "partial b_{1}$" not in student
    blank = r"\boxed{\vphantom{\Big|}\hspace{2.5cm}}"  # boxes at least 2.5 cm wide
    rows = math_rows(student)
    # the forward pass substitutes what is given, and leaves the results blank
    n1 = next(r for r in rows if r.startswith(r"N_{1} = w_{1} x_{1} + w_{2} x_{2} + b_{1} = "))
    assert n1.endswith(" = " + blank) and n1.count("=") == 3
    assert r"h_{1} = \sigma\left(N_{1}\right) = " + blank in rows
    assert r"\frac{\partial L}{\partial w_{5}} = " + blank in rows
    assert r"w_{1}(t+1) = " + blank in rows and r"w_{5}(t+1) = " + blank in rows
    assert not any(r.startswith("w_{2}(t+1)") for r in rows)  # not asked about
    assert "Update $w_{1}$ and $w_{5}$:" in student
    value = format_number(sheet.gradient["w1"])
    assert value not in student and f"= {value}" in key
    assert "boxed" not in key
    assert student.count(blank) == 6 + 6 + 2 + 2  # forward, factor values, products, updates
    assert student.count(r"\boxed{\vphantom{\Big|}\hspace{4.5cm}}") == 4 + 1 + 2 + 1  # factors, chain products
    # the key answers what the sheet asks: the updates of w1 and w5, no other update, no loss
    key_rows = math_rows(key)
    assert [r.split(" = ")[0] for r in key_rows if "(t+1)" in r] == [
        "w(t+1)", "w_{1}(t+1)", "w_{5}(t+1)"]
    assert "The loss after the step" not in key and "The loss after the step" not in student


def test_exercises_save_a_sheet_and_its_key_beside_it(tmp_path, capsys):
    out = tmp_path / "sheet.md"
    assert main(["worksheet", "2-2-1", "--seed", "1", "--exercises", "--wrt", "w1",
                 "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\nwrote {tmp_path / 'sheet-key.md'}\n"
    assert key_path("a/sheet.pdf") == "a/sheet-key.pdf"
    assert "Answer key" in (tmp_path / "sheet-key.md").read_text()


@pytest.mark.parametrize("suffix", [".tex", ".md", ".ipynb"])
def test_the_same_seed_gives_byte_identical_files(suffix, tmp_path):
    if suffix == ".ipynb":
        pytest.importorskip("nbformat")
    argv = ["worksheet", "2-2-1", "--activation", "sigmoid", "--lr", "0.5", "--exercises"]
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert main(argv + ["--seed", seed, "-o", str(tmp_path / f"{name}{suffix}")]) == 0
    for stem in ("", "-key"):
        a, b, c = (tmp_path / f"{n}{stem}{suffix}" for n in "abc")
        assert a.read_bytes() == b.read_bytes()
        assert a.read_bytes() != c.read_bytes()


def test_nice_numbers_have_one_or_two_decimals_and_targets_that_suit_the_loss():
    for seed in range(20):
        at, params = nice_numbers(sn.Network("3-2-1"), seed, samples=3)
        assert all(round(v * 20) == v * 20 and v != 0 for k, v in params.items() if k[0] == "w")
        assert all(-0.5 <= v <= 0.5 and round(v * 20) == v * 20
                   for k, v in params.items() if k[0] == "b")
        assert all(round(v * 10) == v * 10 for s in at for v in s.values())
        at, _ = nice_numbers(sn.Network("2-1", loss="bce"), seed, samples=4)
        assert {s["y"] for s in at} <= {0.0, 1.0}
        at, _ = nice_numbers(sn.Network("2-3", loss="cross_entropy"), seed)
        assert sorted(at[0][t] for t in ("y1", "y2", "y3")) == [0.0, 0.0, 1.0]
    assert nice_numbers(sn.Network("2-1"), 5) != nice_numbers(sn.Network("2-1"), 6)


def test_given_numbers_win_over_drawn_ones():
    net = sn.Network("2-1")
    ws = sn.worksheet(net, seed=4, at={"x1": 1, "x2": 2, "y": 3})
    assert ws.values[0]["x1"] == 1 and ws.values[0]["y"] == 3
    assert ws.values[0]["w1"] == nice_numbers(net, 4)[1]["w1"]


def test_a_symbolic_worksheet_needs_no_numbers():
    md = sn.worksheet(sn.Network("2-1"), lr=0.1).markdown()
    assert "## Forward pass" not in md
    assert r"\frac{\partial L}{\partial w_{1}} &= 2 \left(\hat{y} - y\right) \cdot x_{1}" in md
    assert r"$\alpha = 0.1$" in md


# -------------------------------------------------------------------------------- notebooks

def test_a_notebook_validates_and_its_code_rebuilds_the_numbers(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    out = tmp_path / "sheet.ipynb"
    assert main(["worksheet", "2-3-1", "--activation", "tanh", "--seed", "2", "--samples", "2",
                 "--lr", "0.25", "-o", str(out)]) == 0
    nb = nbformat.read(out, as_version=4)
    nbformat.validate(nb)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds == ["markdown", "code"] * 5
    assert nb.cells[0].source.startswith("# Worksheet: the 2-3-1 network")
    assert nb.cells[1].source == ("import symnet as sn\n\nnet = sn.Network('2-3-1', "
                                  "activation='tanh', output_activation='linear', loss='mse')\nnet")
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)  # noqa: S102 -- our own generated code
    ws = sn.worksheet(sn.Network("2-3-1", activation="tanh"), seed=2, samples=2, lr=0.25)
    assert namespace["gradient"] == pytest.approx(ws.gradient, rel=1e-10)
    model, X, Y = namespace["model"], namespace["X"], namespace["Y"]
    assert model.loss(namespace["new_params"], X, Y) == pytest.approx(ws.new_loss, rel=1e-10)


def test_a_notebook_keeps_non_default_activation_options():
    nbformat = pytest.importorskip("nbformat")
    net = sn.Network("1-1-1", activation=sn.Activation.get("leaky_relu", slope=0.2))
    nb = nbformat.reads(sn.worksheet(net, seed=1).notebook(), as_version=4)
    assert "sn.Activation.get('leaky_relu', slope='1/5')" in nb.cells[1].source
    namespace = {}
    exec(nb.cells[1].source, namespace)  # noqa: S102
    assert namespace["net"].definitions == net.definitions


def test_notebook_display():
    net = sn.Network("2-2-1")
    assert net._repr_latex_().startswith("$$\\begin{aligned}N_{1} &= ")
    assert net.derive("w5")._repr_latex_().startswith("$$\\begin{aligned}")
    ws = sn.worksheet(net, seed=0)
    assert ws._repr_markdown_() == ws.markdown()
    assert repr(ws) == "<Worksheet 2-2-1: 1 sample, 9 of 9 parameters derived>"


# ------------------------------------------------------------------------------ PDF (TeX)

@needs_pdflatex
@pytest.mark.parametrize("arch, options, kw", [
    ("2-2-1", dict(loss="half_sse"), dict(at=SEED_AT, params=SEED_PARAMS, lr=0.5)),
    ("2-3-3-1", dict(activation="sigmoid"), dict(seed=3, samples=2, lr=0.5)),
    ("2-3-3-1", dict(activation="sigmoid"), dict(seed=3, lr=0.5, exercises=True)),
    ("2-2-2", dict(activation="tanh", loss="cross_entropy"), dict(seed=2, samples=3, lr=0.1)),
    ("2-2-1", dict(activation="relu", loss="bce"), dict(seed=5, lr=0.1, digits=6)),
    ("3-3-1", dict(activation="sigmoid"), dict()),
])
def test_every_worksheet_compiles_with_pdflatex_without_overfull_lines(arch, options, kw):
    sheet = sn.worksheet(sn.Network(arch, **options), **kw)
    for ws in [sheet] + ([sheet.key] if sheet.key else []):
        pdf, log = compile_latex(ws.latex())
        assert pdf.startswith(b"%PDF")
        assert max(overfull_boxes(log), default=0) <= 20, overfull_boxes(log)


@needs_pdflatex
def test_pdf_files_are_written_with_their_key_and_are_reproducible(tmp_path, capsys):
    argv = ["worksheet", "2-2-1", "--seed", "3", "--lr", "0.5", "--exercises"]
    assert main(argv + ["-o", str(tmp_path / "a.pdf")]) == 0
    assert main(argv + ["-o", str(tmp_path / "b.pdf")]) == 0
    for stem in ("", "-key"):
        a, b = ((tmp_path / f"{n}{stem}.pdf").read_bytes() for n in "ab")
        assert a.startswith(b"%PDF") and a == b
    assert sorted(os.listdir(tmp_path)) == ["a-key.pdf", "a.pdf", "b-key.pdf", "b.pdf"]


def test_a_pdf_without_tex_is_one_clear_error_and_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / "sheet.pdf"
    assert main(["worksheet", "2-2-1", "--seed", "1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == ("error: writing a .pdf needs pdflatex, which is not installed: install TeX "
                   "Live (Debian or Ubuntu: apt-get install texlive-latex-base "
                   "texlive-latex-recommended texlive-latex-extra latexmk), or write .tex, .md "
                   "or .ipynb instead\n")
    assert os.listdir(tmp_path) == []


@needs_pdflatex
def test_a_latex_error_is_quoted_in_one_line():
    with pytest.raises(sn.SymnetError, match=r"^pdflatex could not compile the worksheet: "
                                             r"Undefined control sequence"):
        compile_latex("\\documentclass{article}\\begin{document}\\nosuchmacro\\end{document}\n")


# ------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("args, message", [
    (["--wrt", "w9"], "error: unknown parameter 'w9'; this network has: w1, w2, w3, w4, w5, w6, "
                      "b1, b2, b3"),
    (["--wrt", "x1"], "error: unknown parameter 'x1'"),
    (["--at", "x1=1,y=1", "--seed", "1"],
     "error: the data point is missing x2; give every input and target: x1, x2, y"),
    (["--at", "x1=1,x2=0,y=1", "--at", "x1=1,x2=0", "--seed", "1"],
     "error: sample 2 is missing y"),
    (["--at", "x1=1,x2=0,y=1,w1=2", "--seed", "1"],
     "error: unknown name 'w1' in the data point; it takes x1, x2, y (parameters go in --params"),
    (["--at", "x1=1,x2", "--seed", "1"],
     "error: 'x2' is not name=value; expected a list like x1=1,x2=0,y=1"),
    (["--at", "x1=1,x2=zero,y=1", "--seed", "1"], "error: x2 must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'zero'"),
    (["--at", "x1=1,x2=0,y=1", "--params", "w1=.1,w2=.1"],
     "error: the parameters are missing w3, w4, w5, w6, b1, b2, b3; give every parameter"),
    (["--params", "w1=.1,w1=.2", "--seed", "1"], "error: w1 is given twice"),
    (["--params", "w1=1,q=2", "--seed", "1"], "error: unknown parameter 'q'"),
    (["--at", "x1=1,x2=0,y=1"], "error: numbers need both a data point (--at, at=) and "
                                "parameters (--params, params=), and only a data point is given"),
    (["--seed", "1", "--lr", "-0.5"], "error: the learning rate lr must be positive, got -0.5"),
    (["--seed", "1", "--lr", "fast"], "error: the learning rate lr must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'fast'"),
    (["--seed", "1", "--digits", "0"], "error: digits must be a whole number from 1 to 15"),
    (["--samples", "3"], "error: samples (--samples) says how many data points a seed draws"),
    (["--seed", "1", "--samples", "11"], "error: samples must be from 1 to 10, got 11"),
    (["--seed", "x"], "error: --seed must be a whole number written with the digits 0-9, like 3 or 1000; got 'x'"),
    (["--activation", "swish"], "error: unknown activation 'swish'"),
])
def test_bad_input_is_one_error_line_status_2_and_no_file(args, message, tmp_path, capsys):
    out = tmp_path / "sheet.tex"
    assert main(["worksheet", "2-2-1", "-o", str(out)] + args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message), captured.err
    assert captured.err.count("\n") == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name, message", [
    ("sheet.docx", "error: unknown output type '.docx' for {dir}/sheet.docx; expected a file "
                   "ending in .tex, .pdf, .md or .ipynb"),
    ("sheet", "error: unknown output type '(none)' for {dir}/sheet"),
    ("missing/sheet.tex", "error: cannot write {dir}/missing/sheet.tex: no folder {dir}/missing"),
])
def test_bad_output_paths(name, message, tmp_path, capsys):
    assert main(["worksheet", "2-2-1", "-o", str(tmp_path / name)]) == 2
    assert capsys.readouterr().err == message.format(dir=tmp_path) + (
        "\n" if "docx" in name or "missing" in name else "; expected a file ending in .tex, "
        ".pdf, .md or .ipynb\n")
    assert os.listdir(tmp_path) == []


def test_an_output_path_that_cannot_be_written_leaves_nothing(tmp_path, capsys):
    (tmp_path / "taken.tex").mkdir()  # a folder where the file should go
    assert main(["worksheet", "2-2-1", "-o", str(tmp_path / "taken.tex")]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot write {tmp_path / 'taken.tex'}: ")
    assert os.listdir(tmp_path) == ["taken.tex"] and os.listdir(tmp_path / "taken.tex") == []


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="a read-only folder is writable by root")
def test_a_read_only_folder_is_refused_before_any_work(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert main(["worksheet", "2-2-1", "-o", str(folder / "s.tex")]) == 2
        assert capsys.readouterr().err == (f"error: cannot write {folder / 's.tex'}: the folder "
                                           "is not writable\n")
    finally:
        folder.chmod(0o700)


def test_when_the_key_cannot_be_written_the_sheet_is_left_as_it_was(tmp_path, monkeypatch):
    # changed with issue 11: the old sheet is kept as it was (it used to be replaced, then removed)
    import symnet.files as files_module
    (tmp_path / "s.md").write_text("old sheet")
    real, calls = files_module.os.replace, []

    def failing_second(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(files_module.os, "replace", failing_second)
    sheet = sn.worksheet(sn.Network("2-1"), seed=1, exercises=True)
    with pytest.raises(sn.SymnetError, match="No space left on device"):
        sheet.save(tmp_path / "s.md")
    assert os.listdir(tmp_path) == ["s.md"]
    assert (tmp_path / "s.md").read_text() == "old sheet"


@pytest.mark.parametrize("kw, message", [
    (dict(at={"x1": 1, "x2": 0, "y": 1}, params={"w1": 1, "w2": 1, "b1": 0}, wrt="w3"),
     "unknown parameter 'w3'"),
    (dict(at={"x1": [1, 2], "x2": [0], "y": [1, 1]}, seed=0),
     "at= as a dict of lists needs lists of one length"),
    (dict(at=[{"x1": 1, "x2": 0, "y": 1}] * 11, seed=0),
     "a worksheet walks through at most 10 samples; got 11"),
    (dict(at={"x1": True, "x2": 0, "y": 1}, seed=0), "x1 in the data point must be a number"),
    (dict(at={"x1": math.inf, "x2": 0, "y": 1}, seed=0), "must be a finite number"),
    (dict(at=5, seed=0), "at= must be a dict like"),
    (dict(params=[1, 2, 3], seed=0), "params= must be a dict"),
    (dict(seed=-1), "seed must be an integer from 0 to 2**63 - 1"),
])
def test_bad_python_arguments(kw, message):
    with pytest.raises(sn.SymnetError, match=re.escape(message)):
        sn.worksheet(sn.Network("2-1"), **kw)


def test_too_many_paths_are_refused_with_the_way_out():
    net = sn.Network("1-3-3-3-1")
    assert sn.Network("1-3-3-3-1").derive("w1").n_paths == 9
    net = sn.Network("1-3-3-3-3-1")
    with pytest.raises(sn.SymnetError, match=r"∂L/∂w1 has 27 \(at most 16\); use a smaller "):
        sn.worksheet(net)
    assert len(sn.worksheet(net, wrt="w33").derivations) == 1


def test_a_saturated_sigmoid_is_computed_with_more_digits_not_divided_by_zero():
    """σ(100) is 1 − 3.7·10⁻⁴⁴: at 30 digits 1 − ŷ would be 0 in ∂L/∂ŷ = (1 − y)/(1 − ŷ) − y/ŷ."""
    net = sn.Network("1-1", loss="bce")
    params = {"w1": 100, "b1": 0}
    ws = sn.worksheet(net, at={"x1": 1, "y": 0}, params=params, lr=1)
    assert ws.numbers.precision == 120
    assert ws.loss == pytest.approx(100.0) == net.compile().loss(params, [[1]], [0])
    assert ws.gradient == pytest.approx({"w1": 1.0, "b1": 1.0})
    assert r"\frac{\partial L}{\partial \hat{y}} = \frac{1 - 0}{1 - 1} - \frac{0}{1} = 2.688 \times 10^{43}" in math_rows(ws.markdown())
    with pytest.raises(sn.SymnetError, match="overflow even when computed to 600 digits"):
        sn.worksheet(net, at={"x1": 1, "y": 0}, params={"w1": 1e5, "b1": 0})


# ----------------------------------------------------------- layout fixes, slides, --seed

def test_without_a_learning_rate_the_sheet_says_no_step_is_shown():
    md = sn.worksheet(sn.Network("2-2-1"), seed=1).markdown()
    assert md.rstrip().endswith("## One step of gradient descent\n\nNo update is shown: this "
                                "sheet has no learning rate. Give one (`--lr`, `lr=`) for a step "
                                "of $w(t+1) = w(t) - \\alpha \\frac{\\partial L}{\\partial w}$.")


def pdf_pages(path):
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [[line for line in page.splitlines() if line.strip()]
            for page in text.split("\f") if page.strip()]


needs_pdftotext = pytest.mark.skipif(shutil.which("pdflatex") is None or
                                     shutil.which("pdftotext") is None,
                                     reason="pdflatex or pdftotext is not installed")


@needs_pdftotext
@pytest.mark.parametrize("arch, activation", [("2-2-1", "sigmoid"), ("2-2-1", "linear")])
def test_no_page_holds_a_lone_line(arch, activation, tmp_path):
    """Measured before: page 7 of the 2-2-1 sheet held one line (a page number and the loss)."""
    out = tmp_path / "s.pdf"
    assert main(["worksheet", arch, "--activation", activation, "--seed", "3", "--lr", "0.5",
                 "--exercises", "-o", str(out)]) == 0
    for path in (out, tmp_path / "s-key.pdf"):
        pages = pdf_pages(path)
        assert len(pages) > 3
        assert min(len(p) for p in pages) >= 5, [len(p) for p in pages]
        # no heading at the foot of a page: the last text line above the page number
        assert all(not p[-2].strip().startswith("∂L/∂") for p in pages)


@needs_pdftotext
def test_slides_build_the_chain_factor_by_factor_with_the_numbers_last(tmp_path, capsys):
    out = tmp_path / "slides.pdf"
    assert main(SEED_ARGV + ["--wrt", "w1", "--slides", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    pages = pdf_pages(out)
    # the network, the forward pass, then ∂L/∂w1 on 1 + 3 factors + result + numbers overlays
    assert len(pages) == 2 + 6
    assert pages[0][0] == "The 2-2-1 network" and pages[1][0] == "Forward pass"
    frames = ["\n".join(p) for p in pages[2:]]
    assert all(f.startswith("∂L/∂w1") for f in frames)
    factors = [f.count("=") for f in frames]
    assert factors == sorted(factors) and factors[0] < factors[3]  # built up overlay by overlay
    assert all("0.01835" not in f for f in frames[:-1]) and "0.01835" in frames[-1]
    assert "0.9176 · 0.4 · 0.05" in frames[-1]


def test_slides_take_tex_or_pdf_only(tmp_path, capsys):
    assert main(SEED_ARGV + ["--slides", "-o", str(tmp_path / "s.md")]) == 2
    assert capsys.readouterr().err.startswith("error: unknown output type '.md'")
    tex = seed_sheet(wrt="w5").slides()
    assert tex.startswith("\\documentclass[11pt]{beamer}") and "\\uncover<2->{" in tex and "\\alt<5>{" in tex


def test_one_meaning_of_seed_across_worksheet_quiz_and_draw():
    net = sn.Network("2-2-1", activation="sigmoid")
    ws = sn.worksheet(net, seed=11, lr=0.5)
    q = sn.quiz(net, variants=1, seed=11, picture=False)
    assert q.variants[0].seed == 11
    assert q.variants[0].sheet.values == ws.values
    assert nice_numbers(net, 11)[1] == {k: ws.values[0][k] for k in map(str, net.params)}


@needs_pdflatex
@pytest.mark.parametrize("arch, activation", [("2-3-3-1", "sigmoid"), ("2-2-1", "tanh")])
def test_slides_of_a_deeper_network_fit_their_frames(arch, activation):
    ws = sn.worksheet(sn.Network(arch, activation=activation), seed=2, lr=0.5, wrt="w1")
    pdf, log = compile_latex(ws.slides())
    assert pdf.startswith(b"%PDF")
    too_high = [float(x) for x in re.findall(r"Overfull \\vbox \(([\d.]+)pt too high\)", log)]
    assert max(too_high, default=0) <= 3 and max(overfull_boxes(log), default=0) <= 3


def test_a_softmax_sheet_defines_softmax_and_states_that_targets_sum_to_1():
    ws = sn.worksheet(sn.Network("2-2-2", activation="tanh", loss="cross_entropy"), seed=2, lr=0.1)
    rows = math_rows(ws.markdown())
    assert r"\operatorname{softmax}_{k}\left(N_{3}, N_{4}\right) = \frac{e^{N_{k}}}{e^{N_{3}} + e^{N_{4}}}" in rows
    assert "a probability distribution (one-hot for a class): $y_{1} + y_{2} = 1$" in ws.markdown()
    mse = sn.worksheet(sn.Network("2-2-2", output_activation="softmax", loss="mse"), seed=2)
    assert "The softmax turns" in mse.markdown() and "probability distribution" not in mse.markdown()


def test_a_sum_loss_with_l2_over_several_samples_is_refused_not_miscounted():
    net = sn.Network("2-1", loss="half_sse", l2=0.1)
    with pytest.raises(sn.SymnetError, match="needs a mean loss: half_sse sums the samples"):
        sn.worksheet(net, seed=1, samples=2, lr=0.5)
    one = sn.worksheet(net, seed=1, lr=0.5)  # one sample: the penalty is counted once either way
    point = one.values[0]
    trained = net.fit([[point["x1"], point["x2"]]], [point["y"]], lr=0.5, epochs=1,
                      params={str(k): float(v) for k, v in one.params.items()}, progress=False)
    assert trained.params == pytest.approx(one.new_params, abs=5e-4)  # the sheet shows 3 digits
