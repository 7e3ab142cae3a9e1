"""The notations students write, read by the whitelist parser: activation derivatives, steps,
powers of functions, names, δ and ∂, left sides; strict refusals; and the round trip of
everything symnet prints back through the parser."""

import random
import re

import pytest
import sympy as sp

import symnet as sn
from symnet.activations import REGISTRY
from symnet.errors import SymnetError
from symnet.parse import parse_answer, parse_expression
from symnet.printing import latex, text
from symnet.symbols import Delta, Partial

SIG = sn.Network("2-2-1", activation="sigmoid")
TANH = sn.Network("2-2-1", activation="tanh")
RELU = sn.Network("2-2-1", activation="relu")
LEAKY = sn.Network("2-2-1", activation=sn.Activation.get("leaky_relu", slope=0.2))
N1, N2, N3, h1, x1, x2, w5, yhat, y, L = sp.symbols("N1 N2 N3 h1 x1 x2 w5 yhat y L")
sig, tanh = sn.sigmoid, sp.tanh
theta = lambda z: sp.Heaviside(z, 0)


def read(answer, net=SIG, wrt=None):
    return parse_answer(answer, net=net, wrt=wrt)


@pytest.mark.parametrize("answer, expected", [
    # the derivative of an activation, by its name or symbol
    ("σ'(N1)", sig(N1) * (1 - sig(N1))),
    ("σ′(N1)", sig(N1) * (1 - sig(N1))),
    ("σ’(N1)", sig(N1) * (1 - sig(N1))),
    ("σ′(N₁)", sig(N1) * (1 - sig(N1))),
    (r"\sigma'(N_1)", sig(N1) * (1 - sig(N1))),
    (r"\sigma^{\prime}(N_1)", sig(N1) * (1 - sig(N1))),
    (r"\sigma^\prime(N_1)", sig(N1) * (1 - sig(N1))),
    (r"\sigma'\left(N_{1}\right)", sig(N1) * (1 - sig(N1))),
    ("sigmoid'(N1)", sig(N1) * (1 - sig(N1))),
    ("sigma'(N1)", sig(N1) * (1 - sig(N1))),
    ("logistic'(N1)", sig(N1) * (1 - sig(N1))),
    (r"\operatorname{sigmoid}'(N_1)", sig(N1) * (1 - sig(N1))),
    ("tanh'(N1)", 1 - tanh(N1) ** 2),
    (r"\tanh'(N_1)", 1 - tanh(N1) ** 2),
    ("relu'(N1)", theta(N1)),
    ("ReLU'(N1)", theta(N1)),
    ("softplus'(N1)", sig(N1)),
    ("linear'(N1)", sp.Integer(1)),
    ("leaky_relu'(N1)", sp.Piecewise((1, N1 > 0), (sp.Rational(1, 100), True))),
    ("leaky_relu'(N1, 0.2)", sp.Piecewise((1, N1 > 0), (sp.Rational(1, 5), True))),
    ("σ'(N1)·x1", sig(N1) * (1 - sig(N1)) * x1),
    ("2σ'(w5 + 1)", 2 * sig(w5 + 1) * (1 - sig(w5 + 1))),
    # f'(z), g'(z): the activation of the layer z belongs to
    ("f'(N1)", sig(N1) * (1 - sig(N1))),
    ("g'(N2)", sig(N2) * (1 - sig(N2))),
    ("f′(N₁) x₁", sig(N1) * (1 - sig(N1)) * x1),
    # steps: 0 at 0 unless written
    ("θ(N1)", theta(N1)),
    (r"\theta(N_1)", theta(N1)),
    (r"\theta\left(N_{1}\right)", theta(N1)),
    ("H(N1)", theta(N1)),
    ("Heaviside(N1)", theta(N1)),
    ("Heaviside(N1, 0)", theta(N1)),
    ("Heaviside(N1, 1/2)", sp.Heaviside(N1, sp.Rational(1, 2))),
    ("1[N1 > 0]", theta(N1)),
    (r"\mathbb{1}[N_1>0]", theta(N1)),
    ("𝟙[N1 > 0]", theta(N1)),
    (r"\mathbb{1}_{N_1 > 0}", theta(N1)),
    (r"\mathbb{1}_{\{N_1 > 0\}}", theta(N1)),
    (r"1_{N_1 \geq 0}", sp.Heaviside(N1, 1)),
    (r"\mathbb{1}_{(w_5) > (x_1)}", theta(w5 - x1)),
    (r"x_1 \mathbb{1}_{N_{1}>0}", x1 * theta(N1)),
    ("[N1 > 0]", theta(N1)),
    ("[N1 ≥ 0]", sp.Heaviside(N1, 1)),
    (r"\left[N_1 \geq 0\right]", sp.Heaviside(N1, 1)),
    ("[N1 < 0]", theta(-N1)),
    ("[N1 > 2]", theta(N1 - 2)),
    ("[w5 > x1]·x1", theta(w5 - x1) * x1),
    # powers of functions
    ("tanh²(N1)", tanh(N1) ** 2),
    ("tanh^2(N1)", tanh(N1) ** 2),
    (r"\tanh^2(N_1)", tanh(N1) ** 2),
    (r"\tanh^{2}(N_1)", tanh(N1) ** 2),
    (r"\tanh^{2}{\left(N_{1} \right)}", tanh(N1) ** 2),
    ("1 - tanh²(N₁)", 1 - tanh(N1) ** 2),
    ("σ²(N1)", sig(N1) ** 2),
    (r"\sigma^2(N_1)", sig(N1) ** 2),
    ("sech(N1)", sp.sech(N1)),
    ("sech²(N1)", sp.sech(N1) ** 2),
    (r"\operatorname{sech}^2(N_1)", sp.sech(N1) ** 2),
    ("sech^2(N1)", sp.sech(N1) ** 2),
    # names
    ("ŷ", yhat),
    ("y\u0302", yhat),
    (r"\hat{y}", yhat),
    (r"\hat y", yhat),
    ("y_hat", yhat),
    ("yhat", yhat),
    ("2(ŷ − y)", 2 * (yhat - y)),
    ("w₅", w5),
    ("N₁", N1),
    ("x₁²", x1 ** 2),
    ("x1²", x1 ** 2),
    ("x1³", x1 ** 3),
    ("[w5 + x1]x2", (w5 + x1) * x2),
    (r"\left[ w_5 + x_1 \right] x_2", (w5 + x1) * x2),
    (r"\{ w_5 + x_1 \} x_2", (w5 + x1) * x2),
    (r"\left\{ w_5 + x_1 \right\} x_2", (w5 + x1) * x2),
    ("w5 × x1", w5 * x1),
    ("w5 · x1", w5 * x1),
    ("w5 ⋅ x1", w5 * x1),
    (r"w_5 \cdot x_1", w5 * x1),
    (r"w_5 \times x_1", w5 * x1),
    ("w5 x1", w5 * x1),
    (r"w_5\,x_1", w5 * x1),
    (r"w_5\;x_1", w5 * x1),
    (r"\mathrm{w}_5", w5),
    (r"\mathrm{sigmoid}(N_1)", sig(N1)),
    (r"\operatorname{sigmoid}(N_1)", sig(N1)),
    ("$2(\\hat{y} - y)h_1$", 2 * (yhat - y) * h1),
    ("$$w_5 x_1$$", w5 * x1),
    # δ and partials
    ("δ1", Delta(N1)),
    ("δ_1", Delta(N1)),
    ("δ₁", Delta(N1)),
    (r"\delta_1", Delta(N1)),
    (r"\delta_{1}", Delta(N1)),
    (r"\delta_{N_1}", Delta(N1)),
    ("delta_N1", Delta(N1)),
    ("δ1·x1", Delta(N1) * x1),
    (r"\delta_1 x_1", Delta(N1) * x1),
    ("∂L/∂ŷ", Delta(yhat)),
    ("∂L/∂N1", Delta(N1)),
    ("dL/dN1", Delta(N1)),
    (r"\frac{dL}{dN_1}", Delta(N1)),
    (r"\frac{\partial L}{\partial \hat y} h_1", Delta(yhat) * h1),
    (r"\frac{\partial L}{\partial N_1} x_1", Delta(N1) * x1),
    ("∂L/∂ŷ · ∂ŷ/∂w5", Delta(yhat) * Partial(yhat, w5)),
    ("∂L/∂w5", Partial(L, w5)),
    # a left side naming the parameter asked about
    ("∂L/∂w5 = 2(ŷ − y)h1", 2 * (yhat - y) * h1),
    (r"\frac{\partial L}{\partial w_5} = 2(\hat y - y) h_1", 2 * (yhat - y) * h1),
    ("dL/dw5 = 2(ŷ − y)h1", 2 * (yhat - y) * h1),
    # absolute values
    ("|N1|", sp.Abs(N1)),
    ("2|w5 - x1| x2", 2 * sp.Abs(w5 - x1) * x2),
    (r"\left|N_{1}\right|", sp.Abs(N1)),
    (r"\lvert N_1 \rvert", sp.Abs(N1)),
    ("abs(N1)", sp.Abs(N1)),
    ("√(N1)", sp.sqrt(N1)),
    # piecewise, as symnet prints leaky ReLU' and ELU'
    ("Piecewise((1, N1 > 0), (1/100, True))", sp.Piecewise((1, N1 > 0), (sp.Rational(1, 100), True))),
    (r"\begin{cases} 1 & \text{for}\: N_{1} > 0 \\ \frac{1}{100} & \text{otherwise} \end{cases}",
     sp.Piecewise((1, N1 > 0), (sp.Rational(1, 100), True))),
])
def test_a_notation_is_read(answer, expected):
    got = read(answer, wrt="w5")
    assert got == expected or sp.expand(got - expected) == 0


def test_f_prime_follows_the_layer():
    assert read("f'(N1)", TANH) == 1 - tanh(N1) ** 2
    assert read("f'(N1)", RELU) == theta(N1)
    assert read("f'(N1)", LEAKY) == sp.Piecewise((1, N1 > 0), (sp.Rational(1, 5), True))
    assert read("f'(N1)", sn.Network("2-2-1")) == 1  # a linear layer
    assert read("f'(N3)", sn.Network("2-2-1", loss="bce")) == sig(N3) * (1 - sig(N3))


def test_a_named_derivative_takes_the_layers_options():
    assert read("leaky_relu'(N1)", LEAKY) == sp.Piecewise((1, N1 > 0), (sp.Rational(1, 5), True))


@pytest.mark.parametrize("name", [n for n, e in REGISTRY.items() if not e.output_only])
def test_every_registered_activation_has_a_derivative_notation(name):
    e = REGISTRY[name]
    x = sp.Dummy("x", real=True)
    expected = sp.diff(e.make(x, **e.options), x).xreplace({x: N1})
    for spelling in (e.name, *e.spellings):
        if spelling.isidentifier():
            assert read(f"{spelling}'(N1)") == expected
            assert read(f"{spelling}′(N₁)") == expected


def test_a_registered_activation_gets_the_notation_too():
    sn.register_activation("softsign", lambda x: x / (1 + sp.Abs(x)),
                           derivative=lambda x: 1 / (1 + sp.Abs(x)) ** 2, spellings=("ssign",))
    try:
        net = sn.Network("2-2-1", activation="softsign")
        assert read("softsign'(N1)", net) == 1 / (1 + sp.Abs(N1)) ** 2
        assert read("ssign'(N1)", net) == 1 / (1 + sp.Abs(N1)) ** 2
        assert read("f'(N2)", net) == 1 / (1 + sp.Abs(N2)) ** 2
        assert read(r"\operatorname{softsign}(N_1)", net) == net.definitions[h1]
    finally:
        sn.unregister_activation("softsign")


def test_names_that_are_also_step_functions_stay_names():
    H = sp.Symbol("H")
    names = {"H": H, "x": sp.Symbol("x")}
    assert parse_answer("H(x + 1)", names) == H * (sp.Symbol("x") + 1)
    assert parse_answer("H(x)", {"x": sp.Symbol("x")}) == sp.Heaviside(sp.Symbol("x"), 0)


@pytest.mark.parametrize("answer, message", [
    ("σ'", "σ' at position 1 needs an argument: write σ'(N1)"),
    ("ŷ₁ + 1.2.3", "malformed number '1.2.3' at position 6"),
    ("σ(N₁) · f(N₁)", "unknown function 'f' at position 9"),
    ("sigmoid' N1", "sigmoid' at position 1 needs an argument: write sigmoid'(N1)"),
    ("sigmod'(N1)", "'sigmod' is not an activation; did you mean sigmoid"),
    ("σ''(N1)", "second derivatives are not accepted"),
    ("softmax'(N1)", "softmax's derivative is a Jacobian"),
    ("f'(x1)", "f'(x1): x1 is not the input of a layer's activation"),
    ("f'(h1)", "h1 is not the input of a layer's activation"),
    ("f'", "f' at position 1 needs an argument"),
    ("1.2.3", "malformed number '1.2.3' at position 1"),
    ("2*1.2.3", "malformed number '1.2.3' at position 3"),
    ("N1.5", "malformed name or number 'N1.5' at position 1"),
    ("1..2", "malformed number '1..2' at position 1"),
    ("3.5.", "malformed number '3.5.' at position 1"),
    ("f(N1)", "unknown function 'f' at position 1; known: "),
    ("sigmod(N1)", "unknown function 'sigmod' at position 1; did you mean sigmoid"),
    ("tnah(N1)", "did you mean tanh"),
    ("relu2(N1)", "unknown function 'relu2'"),
    ("yhta", "unknown name 'yhta' at position 1; did you mean yhat"),
    ("θ", "θ is the step function: write θ(N1)"),
    ("δ", "write δ1 or δ_N1"),
    ("δ7", "there is no node 'N7'"),
    (r"\delta_{q}", "there is no node 'q'"),
    ("sigmoid", "needs parentheses"),
    ("tanh^-1(N1)", "negative power before its argument"),
    ("∂L/∂w6 = 2(ŷ − y)h2", "the left side is ∂L/∂w6, but the question asks for ∂L/∂w5"),
    (r"\frac{\partial L}{\partial w_6} = 1", "the left side is ∂L/∂w6, but the question asks for ∂L/∂w5"),
    ("w5 = 2(ŷ − y)h1", "the left side 'w5' is not ∂L/∂…; write ∂L/∂w5 = …"),
    ("∂L/∂w5 = ", "nothing after '='"),
    ("a = b = c", "an answer is one expression, or one equation"),
    ("∂L/∂q", "unknown name 'q' in a partial"),
    ("∂ 2", "∂ at position"),
    ("N1[0]", "indexing is not accepted"),
    ("[N1 > 0", "expected ']'"),
    ("softmax(3, N1, N2)", "softmax is written softmax(k, z1, …, zm)"),
    ("Heaviside(N1, 0, 1)", "Heaviside also a second"),
    ("θ(N1, 0)", "takes one argument"),
    ("x'(N1)", "'x' is not an activation"),
    ("exec('1')", "unexpected character \"'\""),
    (r"\sigmoid(N_1)", r"LaTeX command \sigmoid is not allowed; did you mean \sigma?"),
    (r"\fracc{1}{2}", r"did you mean \frac?"),
    ("√ N1", "function 'sqrt' at position 1 needs parentheses"),
    ("Piecewise((1, N1), (0, True))", "a Piecewise condition is a comparison"),
    (r"\begin{cases} 1 \end{cases}", "each row of cases is 'value & condition'"),
])
def test_a_wrong_spelling_is_refused_with_the_nearest_accepted_one(answer, message):
    with pytest.raises(sn.ParseError) as info:
        read(answer, wrt="w5")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_f_prime_without_the_network_says_what_it_needs():
    with pytest.raises(sn.ParseError, match=r"needs the network \(parse_answer\(..., net=net\)\)"):
        parse_answer("f'(N1)", {"N1": N1})


def test_strict_numbers_in_free_expressions_too():
    with pytest.raises(sn.ParseError, match="malformed number '1.2.3'"):
        parse_expression("1.2.3")
    assert parse_expression("1.25 + .5") == sp.Rational(7, 4)


def test_a_product_before_a_parenthesis_still_reads_when_the_name_is_a_symbol():
    x = sp.Symbol("x")
    assert parse_expression("x(1 - x)") == x * (1 - x)
    assert read("N1(1 - N1)") == N1 * (1 - N1)
    with pytest.raises(sn.ParseError, match="unknown function 'f'.*for a product write f"):
        parse_expression("f(x)")


def test_chain_reads_an_undefined_function_as_a_generic_one(capsys):
    from symnet.cli import main
    assert main(["chain", "y = f(x)", "--wrt", "x"]) == 0
    assert "∂y/∂x = f'(x)" in capsys.readouterr().out
    assert main(["chain", "f = x**2; y = f(x + 1)", "--wrt", "x"]) == 0  # f defined: a product
    assert "2*x*(x + 1) + x**2" in capsys.readouterr().out
    assert main(["chain", "a = f*2; b = f(x)", "--wrt", "x"]) == 2  # f a symbol, then a function
    err = capsys.readouterr().err
    assert err.startswith("error: f is used both as a function, f(…), and as a symbol")
    assert "write f*(…) for a product" in err and err.count("\n") == 1


def test_check_reads_the_textbook_notation():
    assert sn.check(SIG, "w1", "2(ŷ − y)·w₅·σ'(N₁)·x₁").correct
    assert sn.check(RELU, "w1", r"2(\hat y - y) w_5 \theta(N_1) x_1").correct
    assert sn.check(TANH, "w1", "2(ŷ − y) w5 (1 − tanh²(N1)) x1").correct
    assert not sn.check(TANH, "w1", "2(ŷ − y) w5 tanh²(N1) x1").correct


# ------------------------------------------------------------------ the round trip

LOSSES = {"mse": "2-2-1", "half_sse": "2-2-1", "bce": "2-2-1", "cross_entropy": "2-2-2"}


def _nets():
    for act in (n for n, e in REGISTRY.items() if not e.output_only):
        for loss, arch in LOSSES.items():
            yield sn.Network(arch, activation=act, loss=loss)
    yield sn.Network("2-3-1", activation=["tanh"], loss="mse", l2=0.1)  # the penalty node R
    yield sn.Network("2-2-2-1", activation=["relu", "sigmoid"], loss="bce")


def _equal(a, b, rng):
    if a == b or sp.expand(a - b) == 0:
        return True
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    for _ in range(4):
        point = {s: sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 40), rng.randint(1, 13))
                 for s in symbols}
        va, vb = a.xreplace(point).evalf(30), b.xreplace(point).evalf(30)
        if abs(va - vb) > sp.Float(10) ** -20 * max(1, abs(vb)):
            return False
    return True


def _printed(expr):
    return {"text": text(expr), "latex": latex(expr), "markdown": f"${latex(expr)}$"}


@pytest.mark.parametrize("net", list(_nets()), ids=lambda n: f"{n.activations[0].name}-{n.loss.name}")
def test_everything_symnet_prints_parses_back_to_the_same_expression(net):
    rng = random.Random(0)
    wanted = [net.params[0], net.params[len(net.params) // 2], net.params[-1]]
    for p in wanted:
        d = net.derive(p)
        for expr in [d.result, *d.factors.values()]:
            for fmt, printed in _printed(expr).items():
                back = parse_answer(printed, net=net)
                assert _equal(back, expr, rng), (fmt, printed, back)
        for fmt in ("text", "latex"):  # every line of the shown derivation parses
            for _, rhs in d.rows(fmt):
                assert parse_answer(rhs, net=net) is not None


def test_a_registered_activation_round_trips_too():
    sn.register_activation("softsign", lambda x: x / (1 + sp.Abs(x)),
                           derivative=lambda x: 1 / (1 + sp.Abs(x)) ** 2)
    try:
        rng = random.Random(1)
        for loss, arch in LOSSES.items():
            net = sn.Network(arch, activation="softsign", loss=loss)
            d = net.derive(net.params[0])
            for expr in [d.result, *d.factors.values()]:
                for printed in _printed(expr).values():
                    assert _equal(parse_answer(printed, net=net), expr, rng), printed
    finally:
        sn.unregister_activation("softsign")


def test_check_passes_the_network_to_the_parser():
    assert sn.check(TANH, "w1", "∂L/∂w1 = 2(ŷ − y)·w5·f'(N1)·x1").correct
    with pytest.raises(sn.ParseError, match="but the question asks for ∂L/∂w1"):
        sn.check(TANH, "w1", "∂L/∂w2 = 2(ŷ − y)·w5·f'(N1)·x2")


def test_the_reverse_mode_program_round_trips():
    rng = random.Random(2)
    net = sn.Network("2-3-3-1", activation="tanh", loss="bce")
    for value in net.derive("w1").delta.values():
        for printed in _printed(value).values():
            assert _equal(parse_answer(printed, net=net), value, rng), printed


@pytest.mark.parametrize("answer, message", [
    ("yhat1, where yhat1 = softmax(2, N3, N4)", "but the network has yhat1 = softmax(1, N3, N4)"),
    ("yhat1, where x1 = N3", "no node of the network"),
    ("yhat1, where N3", "must be followed by name = definition"),
])
def test_a_where_clause_must_define_a_node_as_the_network_does(answer, message):
    net = sn.Network("2-2-2", activation="linear", output_activation="softmax",
                     loss="cross_entropy")
    assert parse_answer("yhat1*(1 - yhat1), where yhat1 = softmax(1, N3, N4)", net=net) == \
        parse_answer("yhat1*(1 - yhat1)", net=net)
    with pytest.raises(SymnetError, match=re.escape(message)):
        parse_answer(answer, net=net)
