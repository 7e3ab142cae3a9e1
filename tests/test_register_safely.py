"""register_activation takes a function of a SymPy Symbol and nothing else: no text reaches
SymPy's parser, and a bad f, derivative, latex= or spellings= is one SymnetError line."""

import xml.etree.ElementTree as ET

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import symnet as sn
from symnet.quizzes import moodle

OTHER = sp.Symbol("q")


@pytest.fixture
def fresh():
    yield "probe"
    if "probe" in sn.ACTIVATIONS:
        sn.unregister_activation("probe")


def test_a_string_returned_by_f_is_refused_and_never_run(fresh, tmp_path):
    marker = tmp_path / "ran"
    with pytest.raises(sn.SymnetError, match="it gave str"):
        sn.register_activation(fresh, lambda x: f"open({str(marker)!r}, 'w').write('1')")
    assert not marker.exists() and fresh not in sn.ACTIVATIONS


@pytest.mark.parametrize("f, message", [
    (None, "f must map a SymPy Symbol x to an expression in x, e.g. .*, got NoneType"),
    ("x**2", "got str"),
    (int, r"f fails on a SymPy Symbol x \(TypeError"),
    (lambda x: None, "it gave NoneType"),
    (lambda x: [x, x], "it gave list"),
    (lambda x: 3, "it gave int"),
    (lambda x: x + OTHER, "it gave an expression in q"),
    (lambda x: sp.zoo * x, "undefined or infinite"),
    (lambda x: sp.nan, "undefined or infinite"),
    (lambda x: sp.oo + x, "undefined or infinite"),
    (lambda x: sp.I * x, "must be real for real x"),
    (lambda x: sp.Function("g")(x), "use sn.generic"),
    (lambda x: sp.Add(*[x ** k / sp.factorial(k) for k in range(3000)]), "digits"),
    (lambda x: (x + 1) ** 20000, "terms"),
    (lambda x: sp.sqrt(x - 100), r"no finite value on \[-50, 50\]"),
    (lambda x: 1 / 0, "ZeroDivisionError"),
    (lambda x: sp.Heaviside(x) * x, "has no numeric form"),
    (lambda x: sp.floor(x), "has no numeric form"),
    (lambda x: sp.besselj(0, x), "has no numeric form"),
])
def test_what_is_not_a_real_expression_in_x_is_one_line(fresh, f, message):
    with pytest.raises(sn.SymnetError, match=message) as caught:
        sn.register_activation(fresh, f)
    assert "\n" not in str(caught.value) and fresh not in sn.ACTIVATIONS


def test_a_derivative_is_held_to_the_same_rules(fresh):
    with pytest.raises(sn.SymnetError, match="derivative must map a SymPy Symbol x.*it gave str"):
        sn.register_activation(fresh, lambda x: x ** 3, derivative=lambda x: "3*x**2")


@pytest.mark.parametrize("latex", [
    "</p><script>alert(1)</script>", "<img src=x onerror=alert(1)>", "a\x01b", "a\nb",
    r"\input{/etc/passwd}", r"\immediate\write18{ls}", r"\def\x{1}", "^^5cinput", "}{", "a % b",
    "$x$", "", 5, "x" * 201,
])
def test_a_latex_name_that_is_markup_or_a_command_is_refused(fresh, latex):
    with pytest.raises(sn.SymnetError, match="latex= is a short LaTeX name"):
        sn.register_activation(fresh, lambda x: x ** 3, latex=latex)


@pytest.mark.parametrize("spellings", ["cubed", ("a b",), (1,), ("class",), None, ("ok", "")])
def test_spellings_are_identifiers_only(fresh, spellings):
    with pytest.raises(sn.SymnetError, match="spellings= is a tuple of identifiers"):
        sn.register_activation(fresh, lambda x: x ** 3, spellings=spellings)


def test_a_good_latex_name_reaches_the_moodle_xml_which_parses(fresh):
    sn.register_activation(fresh, lambda x: x / (1 + sp.Abs(x)), latex=r"\operatorname{soft}_{s}",
                           spellings=("softs",))
    xml = moodle.render(sn.quiz(sn.Network("2-2-1", activation=fresh), variants=2, seed=1,
                                picture=False))
    root = ET.fromstring(xml)
    texts = "".join(t.text or "" for t in root.iter("text"))
    assert r"\operatorname{soft}_{s}" in texts and "<script" not in texts


def _anything():
    return st.one_of(
        st.none(), st.integers(), st.floats(), st.text(max_size=30), st.binary(max_size=10),
        st.lists(st.integers(), max_size=3), st.sampled_from([sp.zoo, sp.nan, sp.oo, sp.I, OTHER]))


@st.composite
def _callables(draw):
    kind = draw(st.sampled_from(["constant", "of_x", "raises", "not_callable"]))
    if kind == "not_callable":
        return draw(_anything())
    if kind == "raises":
        error = draw(st.sampled_from([TypeError, ValueError, RecursionError, KeyError]))
        return lambda x: (_ for _ in ()).throw(error("boom"))
    if kind == "constant":
        value = draw(_anything())
        return lambda x: value
    op = draw(st.sampled_from([sp.exp, sp.log, sp.sqrt, sp.tanh, sp.Abs, sp.sin, lambda v: 1 / v,
                               lambda v: v ** 3, lambda v: sp.I * v, lambda v: v + OTHER]))
    scale = draw(st.sampled_from([sp.Integer(1), sp.Integer(-1), sp.Rational(1, 3), sp.zoo,
                                  sp.Integer(10) ** 400]))
    return lambda x: op(scale * x)


@settings(max_examples=120, deadline=None)
@given(f=_callables(), derivative=st.one_of(st.none(), _callables()),
       latex=st.one_of(st.none(), st.text(max_size=20)),
       spellings=st.one_of(st.just(()), st.lists(st.text(max_size=6), max_size=2)))
def test_any_registration_is_an_activation_or_one_symnet_error(f, derivative, latex, spellings):
    try:
        entry = sn.register_activation("fuzzed", f, derivative=derivative, latex=latex,
                                       spellings=spellings)
    except sn.SymnetError as e:
        assert "\n" not in str(e)
        assert "fuzzed" not in sn.ACTIVATIONS
        return
    try:
        z = sp.Symbol("N1")
        assert isinstance(entry.make(z), sp.Expr)
        assert entry.ranges({})[1] <= entry.ranges({})[2]
    finally:
        sn.unregister_activation("fuzzed")
