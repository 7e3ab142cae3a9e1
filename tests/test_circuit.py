"""Computational graphs as models: CS231n's circuits and micrograd's expressions, their numbers
on every node against the published numbers and against an oracle that shares no code with
symnet (plain Python floats and central differences), and how each gate routes the gradient."""

import math

import pytest
import sympy as sp

import symnet as sn
from symnet.cli import main

# ------------------------------------------------------------- the oracle: plain Python floats


def central_differences(f, point, h=1e-6):
    """∂f/∂name for every name of ``point``, by (f(p + h) − f(p − h)) / 2h."""
    out = {}
    for name, value in point.items():
        up, down = dict(point), dict(point)
        up[name], down[name] = value + h, value - h
        out[name] = (f(**up) - f(**down)) / (2 * h)
    return out


def cs231n_neuron(w0, x0, w1, x1, w2):
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


def micrograd_readme(a, b):
    """micrograd's README example, its ``+=`` steps written out on plain floats."""
    relu = lambda v: max(0.0, v)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + relu(b + a)
    d = d + 3 * d + relu(b - a)
    e = c - d
    f = e**2
    g = f / 2.0
    return g + 10.0 / f


def by_name(numbers):
    return {str(k): v for k, v in numbers.items()}


# ------------------------------------------------------------- CS231n: (x + y) z

XYZ = "q = x + y; f = q*z"


def test_cs231n_add_then_multiply_has_the_published_numbers_exactly():
    s = sn.circuit(XYZ).at({"x": -2, "y": 5, "z": -4})
    assert by_name(s.values) == {"x": -2, "y": 5, "z": -4, "q": 3, "f": -12}
    assert by_name(s.gradients) == {"x": -4, "y": -4, "z": 3, "q": -4, "f": 1}
    assert all(isinstance(v, sp.Integer) for v in s.gradients.values())  # exact, not -4.0
    oracle = central_differences(lambda x, y, z: (x + y) * z, {"x": -2.0, "y": 5.0, "z": -4.0})
    for name, value in oracle.items():
        assert by_name(s.gradients)[name] == pytest.approx(value, rel=1e-8)


def test_cs231n_add_and_multiply_gates_route_as_the_notes_say():
    s = sn.circuit(XYZ).at({"x": -2, "y": 5, "z": -4})
    assert s.routes == [
        "f = q*z is a multiply gate: it gives each input its gradient 1 times the other input: "
        "q gets 1 · (-4) = -4 and z gets 1 · 3 = 3",
        "q = x + y is an add gate: it passes its gradient -4 on to both inputs: "
        "x gets -4 and y gets -4",
    ]


def test_symnet_chain_at_prints_every_node_and_every_gate(capsys):
    assert main(["chain", XYZ, "--wrt", "x", "--at", "x=-2,y=5,z=-4"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[5:12] == [
        "at x = -2, y = 5 and z = -4:",
        "node  value  ∂f/∂node  definition",
        "x        -2        -4",
        "y         5        -4",
        "z        -4         3",
        "q         3        -4  q = x + y",
        "f       -12         1  f = q*z",
    ]
    assert "q = x + y is an add gate: it passes its gradient -4 on to both inputs" in out
    assert out.splitlines()[-1] == "∂f/∂x = z · 1 = (-4) · 1 = -4"


def test_symnet_chain_at_in_latex_and_markdown(capsys):
    assert main(["chain", XYZ, "--wrt", "z", "--at", "x=-2,y=5,z=-4", "--format", "latex"]) == 0
    out = capsys.readouterr().out
    assert r"$q$ & $3$ & $-4$ & $q = x + y$ \\" in out
    assert r"$q$ gets $1 \cdot \left(-4\right) = -4$" in out
    assert main(["chain", XYZ, "--wrt", "z", "--at", "x=-2,y=5,z=-4", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| $f$ | $-12$ | $1$ | $f = q z$ |" in out
    assert "- $q = x + y$ is an add gate: it passes its gradient $-4$ on to both inputs" in out


# ------------------------------------------------------------- CS231n: 2(xy + max(z, w))

def max_circuit():
    """Built from SymPy objects: the definition language reads max once issue 19 item 1 lands."""
    p, m, s, f, x, y, z, w = sp.symbols("p m s f x y z w")
    return sn.circuit({p: x * y, m: sp.Max(z, w), s: p + m, f: 2 * s})


def test_cs231n_max_circuit_has_the_published_numbers():
    s = max_circuit().at({"x": 3, "y": -4, "z": 2, "w": -1})
    assert [s.values[s.graph.symbol(n)] for n in "pmsf"] == [-12, 2, -10, -20]
    assert by_name(s.gradients) == {"x": -8, "y": 6, "z": 2, "w": 0, "p": 2, "m": 2, "s": 2, "f": 1}
    oracle = central_differences(lambda x, y, z, w: 2 * (x * y + max(z, w)),
                                 {"x": 3.0, "y": -4.0, "z": 2.0, "w": -1.0})
    for name, value in oracle.items():
        assert by_name(s.gradients)[name] == pytest.approx(value, abs=1e-8)


def test_the_max_gate_gives_all_of_its_gradient_to_the_larger_input():
    routes = max_circuit().at({"x": 3, "y": -4, "z": 2, "w": -1}).routes
    # what follows "m = <max printed>": its spelling is the printer's
    assert [r.split(" is ", 1)[1] for r in routes] == [
        "a multiply gate: it gives s its gradient 1 times 2: s gets 1 · 2 = 2",
        "an add gate: it passes its gradient 2 on to both inputs: m gets 2 and p gets 2",
        "a max gate: it gives all of its gradient 2 to the larger input: w gets 0 and z gets 2",
        "a multiply gate: it gives each input its gradient 2 times the other input: "
        "x gets 2 · (-4) = -8 and y gets 2 · 3 = 6",
    ]


def test_cs231n_max_circuit_typed_as_text():
    s = sn.circuit("p = x*y; m = max(z, w); s = p + m; f = 2*s").at(
        {"x": 3, "y": -4, "z": 2, "w": -1})
    assert by_name(s.gradients) == by_name(max_circuit().at(
        {"x": 3, "y": -4, "z": 2, "w": -1}).gradients)


# ------------------------------------------------------------- CS231n: the sigmoid neuron

NEURON = "a = w0*x0; b = w1*x1; c = a + b; d = c + w2; e = -d; g = exp(e); h = g + 1; f = 1/h"
NEURON_AT = {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3}


def test_cs231n_sigmoid_neuron_has_the_published_numbers():
    s = sn.circuit(NEURON).at(NEURON_AT)
    assert float(s.values[s.graph.output]) == pytest.approx(0.731059, abs=5e-7)
    published = {"w0": -0.196612, "x0": 0.393224, "w1": -0.393224, "x1": -0.589836,
                 "w2": 0.196612}
    grads = by_name(s.gradients)
    oracle = central_differences(cs231n_neuron, {k: float(v) for k, v in NEURON_AT.items()})
    for name, value in published.items():
        assert float(grads[name]) == pytest.approx(value, abs=5e-7)
        assert float(grads[name]) == pytest.approx(oracle[name], rel=1e-8)


def test_cs231n_sigmoid_neuron_routes_gate_by_gate():
    assert sn.circuit(NEURON).at(NEURON_AT).routes == [
        "f = 1/h is a 1/x gate: it multiplies its gradient 1 by its local derivative "
        "∂f/∂h = -1/h**2 = -0.534447: h gets 1 · (-0.534447) = -0.534447",
        "h = g + 1 is an add gate: it passes its gradient -0.534447 on to its input: "
        "g gets -0.534447",
        "g = exp(e) is an exp gate: it multiplies its gradient -0.534447 by its local derivative "
        "∂g/∂e = exp(e) = 0.367879: e gets (-0.534447) · 0.367879 = -0.196612",
        "e = -d is a multiply gate: it gives d its gradient -0.196612 times -1: "
        "d gets (-0.196612) · (-1) = 0.196612",
        "d = c + w2 is an add gate: it passes its gradient 0.196612 on to both inputs: "
        "c gets 0.196612 and w2 gets 0.196612",
        "c = a + b is an add gate: it passes its gradient 0.196612 on to both inputs: "
        "a gets 0.196612 and b gets 0.196612",
        "b = w1*x1 is a multiply gate: it gives each input its gradient 0.196612 times the other "
        "input: w1 gets 0.196612 · (-2) = -0.393224 and x1 gets 0.196612 · (-3) = -0.589836",
        "a = w0*x0 is a multiply gate: it gives each input its gradient 0.196612 times the other "
        "input: w0 gets 0.196612 · (-1) = -0.196612 and x0 gets 0.196612 · 2 = 0.393224",
    ]


def test_the_neuron_in_one_definition_names_its_output_in_the_local_factor():
    d = sn.chain("f = sigmoid(w0*x0 + w1*x1 + w2)", wrt="w0")
    f, w0, x0 = sp.symbols("f w0 x0")
    assert d.factors[sn.Partial(f, w0)] == x0 * f * (1 - f)
    assert d.text().splitlines()[1] == "  ∂f/∂w0 = f*x0*(1 - f), where f = sigmoid(w0*x0 + w1*x1 + w2)"
    s = d.at(NEURON_AT)
    assert float(s.gradients[w0]) == pytest.approx(-0.196612, abs=5e-7)
    assert s.routes == ["f = sigmoid(w0*x0 + w1*x1 + w2) is not a single gate; its local "
                        "derivatives are ∂f/∂w0 = f*x0*(1 - f) = -0.196612, ∂f/∂w1 = f*x1*(1 - f) "
                        "= -0.393224, ∂f/∂w2 = f*(1 - f) = 0.196612, ∂f/∂x0 = w0*f*(1 - f) = "
                        "0.393224 and ∂f/∂x1 = w1*f*(1 - f) = -0.589836: w0 gets 1 · (-0.196612) "
                        "= -0.196612, w1 gets 1 · (-0.393224) = -0.393224, w2 gets 1 · 0.196612 = "
                        "0.196612, x0 gets 1 · 0.393224 = 0.393224 and x1 gets 1 · (-0.589836) = "
                        "-0.589836"]


# ------------------------------------------------------------- micrograd

DAG = "c = a + b; d = a*b; e = c + d; f = c*d; y = e + f"
README = ("c1 = a + b; d1 = a*b + b**3; c2 = c1 + c1 + 1; c3 = c2 + 1 + c2 + (-a); "
          "d2 = d1 + d1*2 + relu(b + a); d3 = d2 + 3*d2 + relu(b - a); e = c3 - d3; f = e**2; "
          "g1 = f/2; g = g1 + 10/f")


def test_micrograd_dag_adds_the_gradients_at_its_forks():
    s = sn.circuit(DAG).at({"a": 2, "b": 3})
    assert s.values[s.graph.output] == 41
    assert (s.gradients[sp.Symbol("a")], s.gradients[sp.Symbol("b")]) == (25, 19)
    assert "a is used twice (by c and d): the gradients add up at the fork: ∂y/∂a = 7 + 18 = 25" \
        in s.routes
    assert "d is used twice (by e and f): the gradients add up at the fork: ∂y/∂d = 1 + 5 = 6" \
        in s.routes


def test_micrograd_readme_expression_has_its_printed_numbers():
    s = sn.circuit(README).at({"a": -4, "b": 2})
    grads = by_name(s.gradients)
    assert f"{float(s.values[s.graph.output]):.4f}" == "24.7041"
    assert f"{float(grads['a']):.4f}" == "138.8338"
    assert f"{float(grads['b']):.4f}" == "645.5773"
    oracle = central_differences(micrograd_readme, {"a": -4.0, "b": 2.0})
    assert float(grads["a"]) == pytest.approx(oracle["a"], rel=1e-7)
    assert float(grads["b"]) == pytest.approx(oracle["b"], rel=1e-7)
    assert s.values[s.graph.output] == sp.Rational(2421, 98)  # exact: every step is rational


# ------------------------------------------------------------- the model object

def test_every_leaf_is_a_parameter_unless_params_names_them():
    c = sn.circuit(NEURON)
    assert c.params == c.leaves and c.inputs == []
    c = sn.circuit(NEURON, params="w0,w1,w2")
    assert c.param_names == ["w0", "w1", "w2"] and [str(s) for s in c.inputs] == ["x0", "x1"]
    assert list(c.gradients()) == c.params
    assert c.param("w1") == sp.Symbol("w1")
    assert isinstance(c, sn.Circuit) and isinstance(c.graph, sn.Graph)


def test_the_output_is_the_last_definition_unless_named():
    c = sn.circuit(DAG)
    assert c.output == sp.Symbol("y")
    c = sn.circuit(DAG, output="f")
    assert c.output == sp.Symbol("f") and c.derive("a").result == c.graph.local(
        sp.Symbol("f"), sp.Symbol("c")) * 1 + sp.Symbol("c") * sp.Symbol("b")
    assert repr(c) == "Circuit('c = a + b; d = a*b; e = c + d; f = c*d; y = e + f', output='f')"


def test_a_circuit_takes_a_dict_of_sympy_definitions_and_derives_like_chain():
    x, q = sp.symbols("x q")
    c = sn.circuit({q: x**2, sp.Symbol("f"): sp.sin(q)})
    assert c.derive("x").result == sn.chain("q = x**2; f = sin(q)", wrt="x").result
    assert c.forward({"x": 0})[c.output] == 0


@pytest.mark.parametrize("args, message", [
    ((XYZ,), None),
    ((XYZ, "x"), "the output must be a defined name; 'x' is not one of: q, f"),
    ((XYZ, "F"), "the output must be a defined name (did you mean 'f'?); 'F' is not one of: q, f"),
    ((XYZ, None, "q"), "parameter 'q' is defined, not a leaf; the leaves are: x, y, z"),
    ((XYZ, None, "x,k"), "parameter 'k' is not a name of the circuit; the leaves are: x, y, z"),
    ((XYZ, None, "x,x"), "parameter x is named twice"),
    ((XYZ, None, 3), "params must name leaves of the circuit, as a list or 'w0,w1'; got int"),
    (("q = __import__(os)",), "'__import__' is not accepted as a name"),
])
def test_bad_circuits_are_refused_in_one_line(args, message):
    if message is None:
        sn.circuit(*args)
        return
    with pytest.raises(sn.SymnetError) as err:
        sn.circuit(*args)
    assert message in str(err.value) and "\n" not in str(err.value)


# ------------------------------------------------------------- points: exact, floats, bounds

def test_exact_inputs_give_exact_values_and_floats_give_floats():
    from fractions import Fraction
    s = sn.circuit(XYZ).at({"x": Fraction(1, 3), "y": 0, "z": 3})
    assert s.values[sp.Symbol("f")] == 1 and s.gradients[sp.Symbol("z")] == sp.Rational(1, 3)
    s = sn.circuit(XYZ).at({"x": 0.1, "y": 0.2, "z": 1.0})
    assert isinstance(s.values[sp.Symbol("q")], sp.Float)


@pytest.mark.parametrize("argv, message", [
    ([XYZ, "--wrt", "x", "--at", "x=-2,y=5"], "error: missing values for z"),
    ([XYZ, "--wrt", "x", "--at", "x=-2,y=5,z=1,q=3"],
     "error: q is defined (q = x + y); give values of the leaves only: x, y, z"),
    ([XYZ, "--wrt", "x", "--at", "x=-2,y=5,z=1,k=3"],
     "error: unknown name 'k' in the point; give values of the leaves: x, y, z"),
    ([XYZ, "--wrt", "x", "--at", "x=abc"], "error: x must be a number written with the digits"),
    ([XYZ, "--wrt", "x", "--at", "x=1," * 1000], "error: input is 4000 characters long"),
    (["a = x**1000; b = a**1000", "--wrt", "x", "--at", "x=10"],
     "error: b = a**1000 at this point would be a number of about 1,000,000 digits; symnet "
     "computes with at most 1,000"),
    (["a = exp(x); b = exp(a); c = exp(b)", "--wrt", "x", "--at", "x=20"],
     "error: b = exp(a) at this point would be a number of about 233,160,075 digits; symnet "
     "computes with at most 1,000,000"),
    (["a = log(x)", "--wrt", "x", "--at", "x=-1"], "error: a = log(x) is not a real number"),
    (["a = 1/x", "--wrt", "x", "--at", "x=0"], "error: a = 1/x is undefined or infinite"),
])
def test_bad_points_exit_2_with_one_line(capsys, argv, message):
    assert main(["chain", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(message) and err.count("\n") == 1


def test_the_chain_at_a_point_shows_each_step_once():
    d = lambda wrt, of=None: sn.chain(XYZ, wrt=wrt, of=of).at({"x": 1, "y": 2, "z": 3})
    assert [d(w).text().splitlines()[-1] for w in ("f", "q", "x")] == [
        "∂f/∂f = 1", "∂f/∂q = z = 3", "∂f/∂x = z · 1 = 3 · 1 = 3"]
    assert d("x", of="q").text().splitlines()[-1] == "∂q/∂x = 1"


def test_a_local_factor_names_the_node_it_differentiates():
    """The issue's example: tanh of an unnamed sum is h2 in ∂h2/∂u, h2's definition beside."""
    d = sn.chain("h1 = tanh(x); h2 = tanh(h1*u + w*x2); L = h2**2", wrt="u")
    h1, h2, u = sp.symbols("h1 h2 u")
    assert d.factors[sn.Partial(h2, u)] == h1 * (1 - h2**2)
    assert "  ∂h2/∂u = h1*(1 - h2**2), where h2 = tanh(h1*u + w*x2)" in d.text().splitlines()
    assert r"\quad \text{where } h_{2} = \tanh{\left(h_{1} u + w x_{2} \right)}" in d.latex()
    # a function of a named node keeps its own form, as the lecture writes it (networks)
    assert sn.chain("h1 = tanh(x)", wrt="x").factors[sn.Partial(h1, sp.Symbol("x"))] == \
        1 - sp.tanh(sp.Symbol("x"))**2


# ------------------------------------------------- a generic function has no numbers to show

def test_a_generic_function_gets_no_made_up_numbers(capsys):
    # its stand-in formula serves checking at random points, not a reader
    with pytest.raises(sn.SymnetError, match="cannot put numbers on the nodes: f is a generic "
                                             "function"):
        sn.circuit("h = f(x); y = h*w").at({"x": 1, "w": 2})
    assert main(["chain", "h = f(x); y = h*w", "--wrt", "x", "--at", "x=1,w=2"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot put numbers on the nodes: f is a generic function")
    assert len(err.splitlines()) == 1 and len(err) <= 300
