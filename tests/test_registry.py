"""One call adds an activation everywhere: derive, compile, train, check, atlas, flow."""

import numpy as np
import pytest
import sympy as sp

import symnet as sn
from symnet.testing import check_grads

N1, x = sp.symbols("N1 x")


@pytest.fixture
def softsign():
    entry = sn.register_activation("softsign", lambda x: x / (1 + sp.Abs(x)),
                                   derivative=lambda x: 1 / (1 + sp.Abs(x)) ** 2,
                                   spellings=("ssign",))
    yield entry
    sn.unregister_activation("softsign")


def test_a_registered_activation_derives_and_prints(softsign):
    net = sn.Network("2-2-1", activation="softsign")
    assert sn.text(net.definitions[net.symbols["h1"]]) == "softsign(N1)"
    d = net.derive("w1")
    assert sn.text(d.factors[sn.Partial(net.symbols["h1"], N1)]) == "(abs(N1) + 1)**(-2)"
    assert sn.latex(net.definitions[net.symbols["h1"]]) == r"\operatorname{softsign}\left(N_{1}\right)"
    # the elementary form evaluates: softsign(3) = 3/4
    assert sn.to_elementary(net.definitions[net.symbols["h1"]]).subs(N1, 3) == sp.Rational(3, 4)


def test_without_a_given_derivative_diff_is_taken_for_real_x():
    sn.register_activation("cube_root_ish", lambda x: x / (1 + x ** 2))
    try:
        slope = sn.Network("1-1-1", activation="cube_root_ish").derive("w1").factors
        values = [sp.simplify(v - (1 - N1 ** 2) / (1 + N1 ** 2) ** 2) for v in slope.values()
                  if v.has(N1)]
        assert values == [0]
    finally:
        sn.unregister_activation("cube_root_ish")


@pytest.mark.parametrize("form", ["layer", "scalar"])
def test_a_registered_activation_compiles_against_central_differences(softsign, form):
    net = sn.Network("2-3-1", activation="softsign")
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(7, 2)), rng.normal(size=7)
    params = {str(p): float(rng.normal()) for p in net.params}
    assert max(check_grads(net, params, X, Y, form=form).values()) < 1e-6
    # softsign by hand: x / (1 + |x|)
    W1 = np.array([[params[f"w{2 * j + i + 1}"] for i in range(2)] for j in range(3)])
    h = (W1 @ X.T + np.array([[params[f"b{j}"]] for j in (1, 2, 3)]))
    h = h / (1 + np.abs(h))
    yhat = np.array([params["w7"], params["w8"], params["w9"]]) @ h + params["b4"]
    assert net.compile(form).predict(params, X).ravel() == pytest.approx(yhat, rel=1e-12)


def test_a_registered_activation_trains(softsign):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    result = sn.Network("2-4-1", activation="softsign").fit(X, X.sum(axis=1), lr=0.1,
                                                            epochs=300, progress=False)
    assert result.loss < result.history[0] / 10


@pytest.mark.parametrize("answer, correct", [
    ("2*(yhat - y)*w5*x1/(1 + abs(N1))**2", True),
    ("2*(yhat - y)*w5*x1*(1 + abs(N1))**(-2)", True),
    ("2*(yhat - y)*w5*softsign(N1)*x1", False),
    ("2*(yhat - y)*w5*ssign(N1)*x1", False),
])
def test_answers_with_the_new_names_are_read_and_checked(softsign, answer, correct):
    net = sn.Network("2-2-1", activation="softsign")
    result = sn.check(net, "w1", answer)
    assert result.correct is correct
    if not correct:
        assert "softsign(N1) where its derivative" in result.diagnosis[0]


def test_a_registered_activation_is_in_the_atlas_and_the_flow(softsign):
    entry = sn.activation_atlas(["softsign"])["softsign"]
    assert entry.derivative == 1 / (sp.Abs(x) + 1) ** 2
    assert float(entry.high) == pytest.approx(1.0) and float(entry.low) == pytest.approx(1 / 51 ** 2)
    assert "softsign" in [e.name for e in sn.activation_atlas()]
    flow = sn.gradient_flow(sn.Network("2-3-3-1", activation="softsign"), seeds=[0], samples=8)
    assert len(flow.magnitudes) == 3 and all(m > 0 for m in flow.magnitudes)
    assert "softsign" in flow.product()


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="relu", f=lambda x: x), "already registered"),
    (dict(name="2bad", f=lambda x: x), "a plain identifier"),
    (dict(name="ok", f=lambda x: "x"), "must map a SymPy Symbol"),
    (dict(name="ok", f=lambda x: x, init="zeros"), "init must be one of glorot, he"),
])
def test_bad_registrations_are_refused(kwargs, message):
    with pytest.raises(sn.SymnetError, match=message):
        sn.register_activation(**kwargs)
    assert "ok" not in sn.ACTIVATIONS


def test_built_in_activations_cannot_be_unregistered():
    with pytest.raises(sn.SymnetError, match="not an activation added by register_activation"):
        sn.unregister_activation("sigmoid")
