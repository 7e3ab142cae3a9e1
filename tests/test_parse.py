"""symnet's whitelist parser: what it reads, and what it refuses without running anything."""

import pytest
import sympy as sp

import symnet as sn
from symnet.parse import parse_definitions, parse_expression

x, y, m, z, yhat, N1 = sp.symbols("x y m z yhat N1")


@pytest.mark.parametrize("text, expected", [
    ("x**2", x ** 2),
    ("x^2", x ** 2),
    ("2x(1 - x)", 2 * x * (1 - x)),
    ("-x**2", -(x ** 2)),
    ("x^2^3", x ** 8),
    ("x**-1", 1 / x),
    ("3/4*x", sp.Rational(3, 4) * x),
    ("0.15*x + 1e-3", sp.Rational(3, 20) * x + sp.Rational(1, 1000)),
    ("2*(yhat - y)*N1", 2 * (yhat - y) * N1),
    ("2(ŷ − y)·N1", 2 * (yhat - y) * N1),
    ("sigma(N1)*(1-sigma(N1))", sn.sigmoid(N1) * (1 - sn.sigmoid(N1))),
    ("σ(N1)(1 − σ(N1))", sn.sigmoid(N1) * (1 - sn.sigmoid(N1))),
    ("exp(x) + log(x) + ln(y) + sqrt(x) + tanh(x)",
     sp.exp(x) + sp.log(x) + sp.log(y) + sp.sqrt(x) + sp.tanh(x)),
    ("relu(x) + softplus(x) + leaky_relu(x, 0.1)",
     sn.relu(x) + sn.softplus(x) + sn.leaky_relu(x, sp.Rational(1, 10))),
])
def test_reads_plain_math(text, expected):
    assert sp.expand(parse_expression(text) - expected) == 0


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('touch pwned')", "unexpected character \"'\" at position 12"),
    ("__import__(os)", "'__import__' is not accepted as a name"),
    ("lambda", "'lambda' is not accepted as a name"),
    ("x.__class__", "unexpected character '.'"),
    ("lambda: 1", "unexpected character ':'"),
    ("exec('1')", "unexpected character"),
    ("9**9**9", "exponent 387420489 is too large"),
    ("10**999", "has about 1040 digits"),
    ("(" * 150 + "x" + ")" * 150, "nested deeper than 100"),
    ("x" * 3000, "at most 2000 are accepted"),
    ("", "empty expression"),
    ("+", "unexpected end of input"),
    ("(x", "expected ')' but found end of input"),
    ("x)", "unexpected ')' at position 2"),
    ("exp(1, 2)", "exp takes 1 argument, got 2"),
    ("exp", "needs parentheses"),
    ("1/0", "division by zero"),
    ("x $ y", "unexpected character '$' at position 3"),
])
def test_refuses_what_is_not_math(text, message):
    with pytest.raises(sn.ParseError) as info:
        parse_expression(text)
    assert message in str(info.value)


def test_a_parse_error_is_a_value_error():
    assert issubclass(sn.ParseError, ValueError)


def test_names_can_be_restricted_to_a_whitelist():
    assert parse_expression("2*x", names={"x": x}) == 2 * x
    with pytest.raises(sn.ParseError, match="unknown name 'q' at position 3"):
        parse_expression("2*q", names={"x": x})


def test_definitions():
    assert parse_definitions("m = x**2; z = m**2\ny = z**2") == {m: x ** 2, z: m ** 2, y: z ** 2}


@pytest.mark.parametrize("text, message", [
    ("m x**2", "is not a definition; expected 'name = expression'"),
    ("m = x; m = 2", "m is defined twice"),
    ("z = m**2; m = x", "m is used before it is defined"),
    ("m = m + 1", "m is defined in terms of itself"),
    ("2 = x", "is not a definition"),
    ("m == x", "is not a definition"),
    (" ; ", "no definitions given"),
])
def test_refuses_malformed_definitions(text, message):
    with pytest.raises(sn.ParseError) as info:
        parse_definitions(text)
    assert message in str(info.value)
