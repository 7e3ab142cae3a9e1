"""The layer (matrix) form as the books write it: Ng's six equations, CS231n's row convention,
each array's shape, and softmax with cross-entropy as A − Y."""

import numpy as np
import pytest

import symnet as sn

PLANAR = sn.Network("2-4-1", activation="tanh", output_activation="sigmoid", loss="bce")


def test_andrew_ngs_planar_network_prints_his_six_equations():
    lines = str(PLANAR.derive_layers(notation="ng")).splitlines()
    assert lines[4:] == [
        "dZ2 = A2 - Y",
        "dW2 = (1/m) dZ2 @ A1ᵀ",
        "db2 = (1/m) np.sum(dZ2, axis=1, keepdims=True)",
        "dZ1 = W2ᵀ @ dZ2 ⊙ (1 - A1**2)",
        "dW1 = (1/m) dZ1 @ Xᵀ",
        "db1 = (1/m) np.sum(dZ1, axis=1, keepdims=True)",
    ]
    assert r"dW^{[2]} &= \frac{1}{m} dZ^{[2]} {A^{[1]}}^{T}" in PLANAR.derive_layers(notation="ng").latex()


def test_each_equation_carries_its_shape():
    lines = str(sn.Network("2-2-1", activation="sigmoid").derive_layers(shapes=True)).splitlines()
    assert lines[5].startswith("∂L/∂W2 = delta2 @ A1ᵀ") and lines[5].endswith("(1×2)")
    assert lines[0].endswith("(2×n)") and lines[-1].endswith("(2×1)")
    row = str(sn.Network("2-2-1", activation="sigmoid").derive_layers("row", shapes=True))
    assert "∂L/∂W2 = A1ᵀ @ delta2" in row and row.splitlines()[5].endswith("(2×1)")


def test_the_row_convention_is_cs231ns():
    lines = str(PLANAR.derive_layers(notation="cs231n")).splitlines()
    assert lines[0] == "Z1 = X @ W1 + b1"
    assert lines[4:] == [
        "dZ2 = (A2 - Y)/N",
        "dW2 = A1ᵀ @ dZ2",
        "db2 = np.sum(dZ2, axis=0, keepdims=True)",
        "dZ1 = dZ2 @ W2ᵀ ⊙ (1 - A1**2)",
        "dW1 = Xᵀ @ dZ1",
        "db1 = np.sum(dZ1, axis=0, keepdims=True)",
    ]


def test_softmax_with_cross_entropy_is_a_minus_y_and_says_what_it_assumes():
    net = sn.Network("2-3-3", activation="sigmoid", loss="cross_entropy")
    for convention in ("column", "row"):
        d = net.derive_layers(convention)
        assert "delta2 = (A2 - Y)/n" in str(d).splitlines()
        assert str(d).endswith("(assuming the targets of each sample sum to 1)")
        assert d.latex().splitlines()[-2] == r"&\text{(assuming the targets of each sample sum to 1)}"
    # the scalar derivation's LaTeX says it too, as its text does
    assert r"\text{(assuming the targets sum to 1: } y_{1} + y_{2} + y_{3} = 1\text{)}" in \
        net.derive("w7").latex()


def test_softmax_of_1_2_3_with_target_class_1():
    # one sample, Z = W X + b with W = I and b = 0: Z = [1, 2, 3], and ∂L/∂b = ∂L/∂Z
    net = sn.Network("3-3", loss="cross_entropy")
    params = {str(p): 0.0 for p in net.params}
    params.update({"w1": 1.0, "w5": 1.0, "w9": 1.0})
    grad = net.compile().gradient(params, [[1.0, 2.0, 3.0]], [[1.0, 0.0, 0.0]])
    z = np.array([1.0, 2.0, 3.0])
    expected = np.exp(z) / np.exp(z).sum() - np.array([1.0, 0.0, 0.0])
    assert np.allclose([grad["b1"], grad["b2"], grad["b3"]], expected)
    assert np.allclose(expected, [-0.909969, 0.244728, 0.665241], atol=1e-6)


def test_a_layer_worksheet_shows_each_equation_with_the_numbers_numpy_gives():
    from symnet.sheets.layers import LayerSheet

    sheet = LayerSheet(PLANAR, notation="ng", samples=2, seed=3)
    values = {str(lhs): np.array(v.m.tolist(), dtype=float) for lhs, _, v in sheet.rows_}
    given = {str(s): np.array(v.m.tolist(), dtype=float) for s, v in sheet.given}
    X, Y, W1, b1, W2, b2 = (given[k] for k in ("X", "Y", "W1", "b1", "W2", "b2"))
    A1 = np.tanh(W1 @ X + b1)
    A2 = 1 / (1 + np.exp(-(W2 @ A1 + b2)))
    dZ2 = A2 - Y
    dZ1 = W2.T @ dZ2 * (1 - A1 ** 2)
    assert X.shape == (2, 2)
    assert np.allclose(values["dW2"], dZ2 @ A1.T / 2)
    assert np.allclose(values["dW1"], dZ1 @ X.T / 2)
    assert np.allclose(values["db1"], dZ1.sum(axis=1, keepdims=True) / 2)
    assert r"dW^{[2]} &= \frac{1}{m} dZ^{[2]} {A^{[1]}}^{T} = \begin{pmatrix}" in sheet.markdown()
    assert "dW2 = (1/m) dZ2 @ A1ᵀ = [[" in sheet.text()


def test_derive_and_worksheet_take_layers_on_the_command_line(tmp_path, capsys):
    from symnet.cli import main

    assert main(["derive", "2-4-1", "--activation", "tanh", "--loss", "bce", "--layers",
                 "--notation", "ng"]) == 0
    out = capsys.readouterr().out
    assert "dW2 = (1/m) dZ2 @ A1ᵀ" in out and "(1×4)" in out
    assert main(["worksheet", "2-2-1", "--layers", "--convention", "row", "-o",
                 str(tmp_path / "sheet.md")]) == 0
    assert r"X W^{(1)} + b^{(1)} = \begin{pmatrix}" in (tmp_path / "sheet.md").read_text()
    assert main(["derive", "2-2-1", "--convention", "row"]) == 2


def test_a_layer_worksheet_refuses_a_circuit_and_a_generic_activation():
    from symnet.sheets.layers import LayerSheet

    with pytest.raises(sn.SymnetError, match="not a circuit's"):
        LayerSheet(sn.circuit("q = x + y; f = q*z"))
    with pytest.raises(sn.SymnetError, match="generic activation has none"):
        LayerSheet(sn.Network("3-1", output_activation=sn.generic("NL")))
    with pytest.raises(sn.SymnetError, match="2 or 3 samples"):
        LayerSheet(PLANAR, samples=5)


@pytest.mark.parametrize("seed", range(5))
def test_a_layer_worksheet_draws_numbers_tanh_does_not_flatten(seed):
    # weights and inputs ±½ or ±1: |Z| ≤ 1 + fan-in, where tanh is not ±1 at 4 digits
    from symnet.sheets.layers import LayerSheet

    sheet = LayerSheet(sn.Network("2-4-1", activation="tanh", loss="bce"), seed=seed)
    given = {str(s): np.array(v.m.tolist(), dtype=float) for s, v in sheet.given}
    assert set(np.unique(given["X"])) <= {-1.0, -0.5, 0.5, 1.0}
    assert set(np.unique(given["W1"])) <= {-1.0, -0.5, 0.5, 1.0}
    Z1 = given["W1"] @ given["X"] + given["b1"]
    assert np.abs(Z1).max() <= 3 and np.abs(np.tanh(Z1)).max() < 0.9951
