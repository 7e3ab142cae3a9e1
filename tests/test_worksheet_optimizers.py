"""A worksheet's one step of each optimizer: the rule, and the numbers of its first step.

The oracle is written out by hand here: the seed lecture's linear 2-2-1 network and its
gradients in exact fractions, and each optimizer's first step from its initial state in mpmath
at 50 digits (momentum: v = g; Nesterov: w − α(1 + μ)g; RMSprop: s = (1 − ρ)g²; Adam:
m̂ = g, v̂ = g², so w − αg/(|g| + ε))."""

import json
import re
import shutil
from fractions import Fraction as F

import mpmath
import numpy as np
import pytest

import symnet as sn
from symnet.cli import main
from symnet.optimizers import entry
from symnet.pdf import compile_latex

mpmath.mp.dps = 50

AT = {"x1": F("0.05"), "x2": F("0.1"), "y": F("0.01")}
PARAMS = {"w1": F("0.15"), "w2": F("0.2"), "w3": F("0.25"), "w4": F("0.3"), "w5": F("0.4"),
          "w6": F("0.45"), "b1": F("0.35"), "b2": F("0.35"), "b3": F("0.6")}
ARGV = ["worksheet", "2-2-1", "--loss", "half_sse", "--at", "x1=0.05,x2=0.1,y=0.01",
        "--params", "w1=.15,w2=.2,w3=.25,w4=.3,w5=.4,w6=.45,b1=.35,b2=.35,b3=.6"]


def forward(p, s=AT):
    n1 = p["w1"] * s["x1"] + p["w2"] * s["x2"] + p["b1"]
    n2 = p["w3"] * s["x1"] + p["w4"] * s["x2"] + p["b2"]
    yhat = p["w5"] * n1 + p["w6"] * n2 + p["b3"]
    return n1, n2, yhat, (s["y"] - yhat) ** 2 / 2


def gradient(p, s=AT):
    """∂L/∂w of ½(y − ŷ)² by hand."""
    n1, n2, yhat, _ = forward(p, s)
    d = yhat - s["y"]
    return {"w1": d * p["w5"] * s["x1"], "w2": d * p["w5"] * s["x2"], "b1": d * p["w5"],
            "w3": d * p["w6"] * s["x1"], "w4": d * p["w6"] * s["x2"], "b2": d * p["w6"],
            "w5": d * n1, "w6": d * n2, "b3": d}


def mp(x):
    return mpmath.mpf(x.numerator) / x.denominator if isinstance(x, F) else mpmath.mpf(x)


def first_step(name, lr, w, g, o):
    """One step from the initial state, by hand (o: PyTorch's options, as strings)."""
    lr, w, g = mp(F(lr)), mp(w), mp(g)
    num = {k: mp(F(v)) for k, v in o.items() if k not in ("betas", "centered", "maximize")}
    if o.get("maximize"):
        g = -g
    g = g + num.get("weight_decay", 0) * w
    if name == "sgd":
        return w - lr * g
    if name == "momentum":
        return w - lr * g                                # v = g at the first step
    if name == "nesterov":
        return w - lr * (1 + num.get("momentum", mp("0.9"))) * g
    if name == "rmsprop":
        rho, eps = num.get("alpha", mp("0.99")), num.get("eps", mp("1e-8"))
        s = (1 - rho) * g ** 2
        if o.get("centered"):
            s -= ((1 - rho) * g) ** 2
        return w - lr * g / (mpmath.sqrt(s) + eps)
    eps = num.get("eps", mp("1e-8"))                     # adam: m̂ = g, v̂ = g²
    return w - lr * g / (abs(g) + eps)


CASES = [
    ("sgd", "0.5", {}),
    ("sgd", "0.5", {"weight_decay": "0.1"}),
    ("sgd", "0.5", {"maximize": True}),
    ("momentum", "0.5", {}),
    ("momentum", "0.5", {"momentum": "0.5", "dampening": "0.3"}),
    ("nesterov", "0.5", {}),
    ("nesterov", "0.25", {"momentum": "0.6"}),
    ("rmsprop", "0.01", {}),
    ("rmsprop", "0.01", {"alpha": "0.9", "eps": "1e-6", "centered": True}),
    ("rmsprop", "0.01", {"momentum": "0.9", "weight_decay": "0.01"}),
    ("adam", "0.01", {}),
    ("adam", "0.1", {"betas": ("0.8", "0.99"), "eps": "1e-3", "amsgrad": True}),
]


def options(o):
    return {k: (tuple(map(float, v)) if k == "betas" else
                v if isinstance(v, bool) else float(v)) for k, v in o.items()}


def sheet(name, lr, o, **kw):
    return sn.worksheet(sn.Network("2-2-1", loss="half_sse"), at={k: float(v) for k, v in
                        AT.items()}, params={k: float(v) for k, v in PARAMS.items()},
                        lr=float(lr), optimizer=name, **options(o), **kw)


@pytest.mark.parametrize("name, lr, o", CASES)
def test_each_optimizers_step_is_its_first_step_written_by_hand(name, lr, o):
    ws = sheet(name, lr, o)
    g = gradient(PARAMS)
    expected = {p: first_step(name, lr, w, g[p], o) for p, w in PARAMS.items()}
    for p, value in ws.numbers.new_params.items():
        assert abs(mp(str(value)) - expected[str(p)]) <= mp("1e-28") * abs(expected[str(p)])
    # the loss after the step, by the hand forward pass at the hand step's parameters
    after = forward({p: F(mpmath.nstr(v, 45)) for p, v in expected.items()})[3]
    assert float(ws.numbers.new_loss) == pytest.approx(float(after), rel=1e-12)


@pytest.mark.parametrize("name, lr, o", CASES)
def test_the_step_equals_one_update_of_the_trainer(name, lr, o):
    """The sheet's exact step and symnet.optimizers' float64 update agree."""
    ws = sheet(name, lr, o)
    opt = entry(name)
    names = list(PARAMS)
    w = [np.array(float(PARAMS[n])) for n in names]
    g = [np.array(float(v)) for v in map(gradient(PARAMS).get, names)]
    new, _ = opt.update(w, g, opt.init(w), lr=float(lr), t=1, **opt.options(options(o)))
    assert [ws.new_params[n] for n in names] == pytest.approx([float(x) for x in new], rel=1e-12)


TORCH = {"sgd": ("SGD", {}), "momentum": ("SGD", {"momentum": 0.9}),
         "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
         "rmsprop": ("RMSprop", {}), "adam": ("Adam", {})}


@pytest.mark.parametrize("name, lr, o", CASES)
def test_the_step_equals_pytorchs_one_step(name, lr, o):
    torch = pytest.importorskip("torch")
    ws = sheet(name, lr, o)
    cls, base = TORCH[name]
    names = list(PARAMS)
    w = [torch.tensor(float(PARAMS[n]), dtype=torch.float64, requires_grad=True) for n in names]
    optimizer = getattr(torch.optim, cls)(w, lr=float(lr), **{**base, **options(o)})
    for t, g in zip(w, map(gradient(PARAMS).get, names)):
        t.grad = torch.tensor(float(g), dtype=torch.float64)
    optimizer.step()
    assert [ws.new_params[n] for n in names] == pytest.approx([t.item() for t in w], rel=1e-12)


def math_rows(markdown):
    rows = []
    for block in re.findall(r"\\begin\{aligned\}\n(.*?)\n\\end\{aligned\}", markdown, re.S):
        rows += [r.strip().removesuffix(r"\\").strip().replace("&", "") for r in block.split("\n")]
    return rows


def test_adams_section_shows_the_rule_its_first_step_and_each_parameters_numbers():
    md = sheet("adam", "0.01", {}).markdown()
    section = md[md.index("## One step of Adam"):]
    assert "In PyTorch: `torch.optim.Adam(params, lr=0.01)`." in section
    assert (r"$\alpha = 0.01,\ \beta_{1} = 0.9,\ \beta_{2} = 0.999,\ \epsilon = 1 \times 10^{-8}$"
            in section)
    rows = math_rows(section)
    assert rows[:3] == [r"m \leftarrow \beta_{1} m + (1 - \beta_{1}) g",
                        r"v \leftarrow \beta_{2} v + (1 - \beta_{2}) g^{2}",
                        r"w \leftarrow w - \alpha \frac{m / (1 - \beta_{1}^{t})}"
                        r"{\sqrt{v / (1 - \beta_{2}^{t})} + \epsilon}"]
    assert r"\hat{m} = \frac{m}{1 - \beta_{1}} = \frac{(1 - \beta_{1}) g}{1 - \beta_{1}} = g" in rows
    assert (r"w(t+1) = w(t) - \frac{\alpha \hat{m}}{\sqrt{\hat{v}} + \epsilon} = "
            r"w(t) - \frac{\alpha g}{|g| + \epsilon}") in rows
    # ∂L/∂w5 = (ŷ − y) N1 = 0.9176… · 0.3775 = 0.3464…
    assert (r"w_{5}(t+1) = 0.4 - 0.01 \cdot \frac{0.3464}{0.3464 + 1 \times 10^{-8}} = 0.39"
            in rows)
    assert rows[-1] == "L = 0.3964"


@pytest.mark.parametrize("name, o, row", [
    ("momentum", {}, r"w_{5}(t+1) = 0.4 - 0.5 \cdot 0.3464 = 0.2268"),
    ("nesterov", {"momentum": "0.5"},
     r"w_{5}(t+1) = 0.4 - 0.5 \cdot \left(1 + 0.5\right) \cdot 0.3464 = 0.1402"),
    ("rmsprop", {}, r"w_{5}(t+1) = 0.4 - 0.5 \cdot \frac{0.3464}{\sqrt{0.0012} + 1 \times "
                    r"10^{-8}} = -4.6"),
])
def test_each_rule_substitutes_its_numbers(name, o, row):
    # RMSprop: s = 0.01 · 0.3464² = 0.0012, so the step is 0.5 · 0.3464 / 0.03464 = 5
    assert row in math_rows(sheet(name, "0.5", o).markdown())


def test_sgd_with_momentum_is_the_momentum_rule_and_names_its_pytorch_call():
    md = sheet("sgd", "0.5", {"momentum": "0.5"}).markdown()
    assert "## One step of SGD with momentum" in md
    assert "`torch.optim.SGD(params, lr=0.5, momentum=0.5)`" in md
    assert r"\mu = 0.5" in md


def test_sgd_by_name_is_the_classic_gradient_descent_section():
    md = sheet("sgd", "0.5", {}).markdown()
    assert "## One step of gradient descent" in md
    assert r"w(t+1) = w(t) - \alpha \frac{\partial L}{\partial w}" in math_rows(md)
    assert "torch.optim" not in md


def test_an_exercise_sheet_boxes_the_step_and_its_key_fills_it():
    ws = sheet("adam", "0.01", {}, exercises=True, wrt="w5")
    assert r"w_{5}(t+1) = \boxed{\vphantom{\Big|}\hspace{2.5cm}}" in math_rows(ws.markdown())
    assert (r"w_{5}(t+1) = 0.4 - 0.01 \cdot \frac{0.3464}{0.3464 + 1 \times 10^{-8}} = 0.39"
            in math_rows(ws.key.markdown()))


def test_the_notebooks_code_cells_rebuild_the_step_with_fit():
    pytest.importorskip("nbformat")
    ws = sheet("adam", "0.01", {"betas": ("0.8", "0.99")})
    cells = [c for c in json.loads(ws.notebook())["cells"] if c["cell_type"] == "code"]
    assert "".join(cells[-1]["source"]).startswith(
        "result = net.fit(X, Y, lr=0.01, epochs=1, params=params, optimizer='adam', "
        "betas=(0.8, 0.99), progress=False)")
    scope = {}
    for c in cells:
        exec("".join(c["source"]), scope)
    assert scope["result"].params == pytest.approx(ws.new_params, rel=1e-12)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("name, o", [
    ("adam", {}),
    ("adam", {"betas": ("0.8", "0.99"), "eps": "1e-6", "weight_decay": "0.1", "amsgrad": True,
              "maximize": True}),
    ("rmsprop", {"centered": True, "weight_decay": "0.1", "momentum": "0.5"}),
    ("sgd", {"momentum": "0.5", "dampening": "0.3", "weight_decay": "0.01"}),
])
def test_the_sheet_and_its_key_compile_with_pdflatex(name, o):
    ws = sheet(name, "0.01", o, exercises=True)
    for doc in (ws, ws.key):
        pdf, log = compile_latex(doc.latex())
        assert pdf.startswith(b"%PDF")
        overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt", log)]
        assert max(overfull, default=0) <= 20, overfull  # as test_worksheet allows


@pytest.mark.parametrize("kw, message", [
    (dict(optimizer="adamw"),
     "unknown optimizer 'adamw'; valid: sgd, momentum, nesterov, rmsprop, adam"),
    (dict(optimizer="adam", momentum=0.9),
     "optimizer 'adam' has no option 'momentum'; its options: betas, eps, weight_decay, "
     "amsgrad, maximize"),
    (dict(optimizer="adam", betas=(0.9, 1.5)),
     "betas must be two numbers in [0, 1), e.g. (0.9, 0.999); got (0.9, 1.5)"),
    (dict(optimizer="nesterov", momentum=0),
     "nesterov needs a momentum above 0 and zero dampening (as in PyTorch)"),
    (dict(optimizer="adam", eps=0, at={"x1": 0, "x2": 0, "y": 1}),
     "adam's step divides by zero: a gradient is 0 and eps is 0; give eps a positive value "
     "(default 1e-8)"),
    (dict(optimizer="rmsprop", lr=None),
     "optimizer 'rmsprop' and its options take effect in the worksheet's step, which needs a "
     "learning rate (lr=, --lr)"),
])
def test_bad_optimizers_and_options_give_one_clear_error(kw, message):
    kw = {"lr": 0.5, **kw}
    with pytest.raises(sn.SymnetError) as err:
        sn.worksheet(sn.Network("2-2-1"), seed=1, **kw)
    assert str(err.value) == message


@pytest.mark.parametrize("args, message", [
    (["--lr", "0.1", "--optimizer", "adamw"],
     "error: argument --optimizer: invalid choice: 'adamw' (choose from 'sgd', 'momentum', "
     "'nesterov', 'rmsprop', 'adam')\n"),
    (["--lr", "0.1", "--optimizer", "adam", "--betas", "0.9"],
     "error: betas must be two numbers in [0, 1), e.g. (0.9, 0.999); got (0.9,)\n"),
    (["--lr", "0.1", "--optimizer", "sgd", "--alpha", "0.5"],
     "error: optimizer 'sgd' has no option 'alpha'; its options: momentum, dampening, "
     "weight_decay, nesterov, maximize\n"),
])
def test_bad_optimizer_options_on_the_command_line_exit_2(args, message, tmp_path, capsys):
    assert main(ARGV + args + ["-o", str(tmp_path / "s.md")]) == 2
    assert capsys.readouterr().err == message
    assert not (tmp_path / "s.md").exists()


def test_the_command_line_writes_the_chosen_rule(tmp_path, capsys):
    out = tmp_path / "s.md"
    assert main(ARGV + ["--lr", "0.01", "--optimizer", "adam", "--betas", "0.8,0.99",
                        "--eps", "1e-6", "-o", str(out)]) == 0
    md = out.read_text()
    assert (r"$\alpha = 0.01,\ \beta_{1} = 0.8,\ \beta_{2} = 0.99,\ \epsilon = 1 \times 10^{-6}$"
            in md)
    assert r"w_{5}(t+1) = 0.4 - 0.01 \cdot \frac{0.3464}{0.3464 + 1 \times 10^{-6}} = 0.39" in \
        math_rows(md)
