"""Matrix-form answers checked by shape and by value, each slip named: a vectorized backward
pass as Andrew Ng and CS231n write it.  The right values come from NumPy, computed here."""

import numpy as np
import pytest

import symnet as sn
from symnet.checking.matrices import BATCH, batch_arrays

PLANAR = sn.Network("2-4-1", activation="tanh", output_activation="sigmoid", loss="bce")

NG_SIX = """dZ2 = A2 - Y
dW2 = (1/m) dZ2 @ A1.T
db2 = (1/m) np.sum(dZ2, axis=1, keepdims=True)
dZ1 = W2.T @ dZ2 * (1 - np.power(A1, 2))
dW1 = (1/m) dZ1 @ X.T
db1 = (1/m) np.sum(dZ1, axis=1, keepdims=True)"""

ROW_SIX = """dZ2 = (A2 - Y)/m
dW2 = A1.T @ dZ2
db2 = np.sum(dZ2, axis=0)
dZ1 = dZ2 @ W2.T * (1 - A1**2)
dW1 = X.T @ dZ1
db1 = np.sum(dZ1, axis=0, keepdims=True)"""

LATEX_SIX = r"""dZ^{[2]} = A^{[2]} - Y
dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]\top}
db^{[2]} = \frac{1}{m} \sum dZ^{[2]}
dZ^{[1]} = W^{[2]\top} dZ^{[2]} \odot (1 - (A^{[1]})^2)
dW^{[1]} = \frac{1}{m} dZ^{[1]} X^{\top}
db^{[1]} = \frac{1}{m} \sum dZ^{[1]}"""


def as_numpy(array):
    return np.array(array.m.tolist(), dtype=float).reshape(array.shape)


def test_the_batch_is_the_planar_network_computed_in_numpy():
    env, right = batch_arrays(PLANAR, "column", seed=1)
    X, Y, W1, b1, W2, b2 = (as_numpy(env[k]) for k in ("X", "Y", "W1", "b1", "W2", "b2"))
    A1 = np.tanh(W1 @ X + b1)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    m = X.shape[1]
    dZ2 = A2 - Y
    dZ1 = W2.T @ dZ2 * (1 - A1 ** 2)
    assert m == BATCH
    assert np.allclose(as_numpy(env["A2"]), A2)
    assert np.allclose(as_numpy(right["dW2"][0]), dZ2 @ A1.T / m)
    assert np.allclose(as_numpy(right["dW1"][0]), dZ1 @ X.T / m)
    assert np.allclose(as_numpy(right["db1"][0]), dZ1.sum(axis=1, keepdims=True) / m)
    assert np.allclose(as_numpy(right["dZ1"][0]), dZ1)  # Ng's dZ: no 1/m


@pytest.mark.parametrize("lines", [NG_SIX, ROW_SIX, LATEX_SIX])
def test_every_right_form_of_the_six_equations_is_accepted(lines):
    report = sn.check_layer_steps(PLANAR, lines)
    assert report.correct, str(report)
    assert len(report.steps) == 6


@pytest.mark.parametrize("wrt, answer, kind", [
    ("dW1", "(1/m) X @ dZ1.T", "transposed factor"),
    ("dW1", "dZ1 @ X.T", "missing 1/m"),
    ("dW2", "(1/m) dZ2 * A1.T", "elementwise for matrix product"),
    ("dZ1", "W2.T @ dZ2 * (1 - A1)", "activation's derivative"),
    ("dZ1", "W2.T @ dZ2", "activation's derivative missing"),
    ("dW1", "(1/m) dZ1 @ A1.T", "wrong layer's array"),
    ("db1", "(1/m) dZ1", "bias gradient not summed over the batch"),
    ("db1", "(1/m) np.sum(dZ1, axis=0, keepdims=True)", "summed over the wrong axis"),
    ("db1", "(1/m) np.sum(dZ1, axis=1)", "bias gradient kept as a vector"),
])
def test_each_slip_is_named(wrt, answer, kind):
    result = sn.check_layers(PLANAR, wrt, answer, convention="column")
    assert not result.correct and result.slips == [kind], result.diagnosis


def test_a_shape_error_names_both_shapes():
    result = sn.check_layers(PLANAR, "dW2", "(1/m) dZ2 * A1.T", convention="column")
    assert result.diagnosis.startswith("shape error: (1/m) dZ2 * A1.T: shapes (1, 3) and (3, 4) "
                                       "do not broadcast") or "(1, 3) and (3, 4)" in result.diagnosis


def test_cs231ns_row_convention_and_a_vector_bias_gradient():
    assert sn.check_layers(PLANAR, "dW1", "X.T @ dh").convention == "row"
    row = sn.check_layers(PLANAR, "db1", "np.sum(dZ1, axis=0)", convention="row")
    assert row.correct and "keepdims=True keeps (1, 4)" in row.diagnosis  # (4,) broadcasts as (1, 4)


def test_softmax_of_1_2_3_in_both_conventions():
    net = sn.Network("3-3", loss="cross_entropy")
    for convention in ("column", "row"):
        env, right = batch_arrays(net, convention, seed=1)
        Y = as_numpy(env["Y"])
        axis = 0 if convention == "column" else 1
        expected = np.exp(as_numpy(env["Z1"])) / np.exp(as_numpy(env["Z1"])).sum(axis=axis, keepdims=True) - Y
        assert np.allclose(as_numpy(right["delta1"][0]) * BATCH, expected)
        assert sn.check_layers(net, "delta1", "(A1 - Y)/m", convention).correct
    z = np.array([1.0, 2.0, 3.0])
    assert np.allclose(np.exp(z) / np.exp(z).sum() - [1, 0, 0], [-0.909969, 0.244728, 0.665241])


def test_a_line_wrong_only_through_an_earlier_one_says_so():
    report = sn.check_layer_steps(PLANAR, "dZ2 = A2 - Y\ndZ1 = W2.T @ dZ2 * (1 - A1)\n"
                                          "dW1 = (1/m) dZ1 @ X.T", convention="column")
    assert [s.correct for s in report.steps] == [True, False, False]
    assert report.steps[2].diagnosis == "right in itself: it is wrong only through your dZ1"


@pytest.mark.parametrize("act, loss, out, sizes", [
    ("sigmoid", "mse", None, "2-3-1"), ("relu", "cross_entropy", "softmax", "2-3-3"),
    ("tanh", "half_sse", None, "2-2-2"), ("sigmoid", "bce", "sigmoid", "3-2-1"),
    ("linear", "mse", "tanh", "2-2-1")])
@pytest.mark.parametrize("notation", ["ng", "cs231n"])
def test_derive_layers_prints_what_check_layers_accepts(act, loss, out, sizes, notation):
    """Every backward line derive_layers prints is a right matrix answer."""
    net = sn.Network(sizes, activation=act, output_activation=out, loss=loss)
    d = net.derive_layers(notation=notation)
    lines = [f"{lhs} = {rhs}" for lhs, rhs in d.rows("text") if lhs.startswith("d")]
    report = sn.check_layer_steps(net, "\n".join(lines).replace("Heaviside(Z1, 0)", "(Z1 > 0)"),
                                  convention="column" if notation == "ng" else "row")
    assert report.correct, str(report)


def test_unknown_names_and_gradients_are_refused_in_one_line():
    with pytest.raises(sn.SymnetError, match="did you mean dZ1"):
        sn.check_layers(PLANAR, "dW1", "dZ11 @ X.T", convention="column")
    with pytest.raises(sn.SymnetError, match="unknown gradient 'dW3'"):
        sn.check_layers(PLANAR, "dW3", "X")
    with pytest.raises(sn.ParseError):
        sn.check_layers(PLANAR, "dW1", "__import__('os')")


def test_check_layers_on_the_command_line(capsys):
    from symnet.cli import main
    assert main(["check", "2-4-1", "--activation", "tanh", "--loss", "bce", "--layers",
                 "--wrt", "dW1", "dZ1 @ X.T"]) == 1
    assert "missing 1/m" in capsys.readouterr().out


def test_check_layers_as_json(capsys):
    import json

    from symnet.cli import main
    assert main(["check", "2-4-1", "--activation", "tanh", "--loss", "bce", "--layers", "column",
                 "--wrt", "db1", "--json", "(1/m) dZ1"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["slips"] == ["bias gradient not summed over the batch"]
    assert verdict["shape"] == [4, 3] and verdict["expected_shape"] == [4, 1]


def test_a_matrix_product_for_an_elementwise_one_is_named():
    result = sn.check_layers(PLANAR, "dZ1", "W2.T @ dZ2 @ (1 - A1**2)", convention="column")
    assert result.slips == ["matrix product for elementwise"]


def test_what_has_no_matrix_form_to_check_is_refused_in_one_line():
    with pytest.raises(sn.SymnetError, match="checked on a symnet Network"):
        sn.check_layers(sn.circuit("q = x + y; f = q*z"), "dW1", "X")
    with pytest.raises(sn.SymnetError, match="generic activation NL has none"):
        sn.check_layers(sn.Network("3-1", output_activation=sn.generic("NL")), "dW1", "X")
    with pytest.raises(sn.SymnetError, match="without l2"):
        sn.check_layers(sn.Network("2-2-1", l2="0.1"), "dW1", "X")
