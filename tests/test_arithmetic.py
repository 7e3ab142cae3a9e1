"""The check points' 40-digit arithmetic (symnet.checking.arithmetic) agrees with SymPy's own
evalf at 40 digits, and says "undefined" where SymPy's value is not a finite real number."""

import pytest
import sympy as sp

from symnet.checking import arithmetic
from symnet.checking.evaluation import points, truth
from symnet.functions import elu, leaky_relu, relu, sigmoid, silu, softmax, softplus
from symnet.network import Network

x, y, z = sp.symbols("x y z")
AT = {x: sp.Rational(-3, 8), y: sp.Rational(5, 4), z: sp.Rational(7, 10)}
INDEX = {s: i for i, s in enumerate(AT)}


def at_40_digits(expr):
    f = arithmetic.compile_program(INDEX, [], [expr])
    return arithmetic.real(f([arithmetic.mpf(v) for v in AT.values()])[0])


@pytest.mark.parametrize("expr", [
    sigmoid(x) * (1 - sigmoid(x)) * y, softplus(x * y) - sp.log(1 + sp.exp(z)), relu(x) + relu(y),
    sp.tanh(x) ** 2 + sp.exp(-y) / z, leaky_relu(x, sp.Rational(1, 100)) * elu(x, 1),
    silu(y) - sp.sqrt(z) + sp.pi, sp.Heaviside(x, 0) + sp.Heaviside(y) + sp.Heaviside(0),
    sp.Max(x, y, z) - sp.Min(x, z) + sp.Abs(x), softmax(2, x, y, z),
    sp.Piecewise((x, x > 0), (y * z, True)), (x + y) ** -3 * z ** sp.Rational(3, 2)])
def test_a_compiled_expression_agrees_with_sympy_to_40_digits(expr):
    exact = expr.xreplace(AT).evalf(45)
    assert abs(at_40_digits(expr) - arithmetic.mpf(exact)) <= arithmetic.MP.mpf(10) ** -38


@pytest.mark.parametrize("expr", [1 / (x + sp.Rational(3, 8)), sp.log(x), sp.sqrt(x)])
def test_undefined_where_sympy_gives_no_finite_real_number(expr):
    value = expr.xreplace(AT).evalf(40)
    assert not (value.is_real and value.is_finite)
    try:
        got = at_40_digits(expr)
    except ZeroDivisionError:
        got = None
    assert got is None


def test_a_generic_function_is_refused_so_sympy_evaluates_it():
    with pytest.raises(arithmetic.Unsupported):
        arithmetic.compile_program(INDEX, [], [sp.Function("f")(x)])


def test_check_points_and_the_derivative_agree_with_sympys_forward_pass():
    net = Network("2-3-1", activation="tanh", loss="bce")
    point = points(net, seed=3, n=1)[0]
    values = net.forward(point.exact, precision=40)
    assert all(abs(point.numbers[i] - arithmetic.mpf(values[s])) <= 1e-35
               for i, s in enumerate(point.programs.symbols))
    derivation = net.derive("w1")
    expected = derivation.value(values).evalf(40)
    assert abs(truth(derivation, point) - arithmetic.mpf(expected)) <= 1e-35
