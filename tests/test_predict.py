"""symnet predict: a saved model's predictions for each row of a CSV file."""

import csv
import io
import os

import numpy as np
import pytest

import symnet as sn
from symnet.cli import main

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0], dtype=float)


@pytest.fixture
def xor_model(tmp_path):
    net = sn.Network("2-3-1", activation="tanh", loss="bce")
    result = net.fit(XOR_X, XOR_Y, optimizer="adam", lr=0.05, epochs=300, progress=False)
    path = tmp_path / "xor.json"
    result.save(path)
    return str(path), net, result.params


def write(tmp_path, text, name="in.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_predictions_equal_model_predict_and_carry_the_class(tmp_path, capsys, xor_model):
    model, net, params = xor_model
    data = write(tmp_path, "x1,x2\n0,0\n0,1\n1,0\n1,1\n0.5,0.25\n")
    assert main(["predict", model, "--data", data]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["x1", "x2", "yhat", "class"]
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.25]])
    expected = net.compile().predict(params, X).ravel()
    assert [float(r[2]) for r in rows[1:]] == expected.tolist()  # repr round-trips exactly
    assert [r[3] for r in rows[1:5]] == ["0", "1", "1", "0"]
    assert [r[:2] for r in rows[1:3]] == [["0.0", "0.0"], ["0.0", "1.0"]]


def test_the_training_file_itself_can_be_predicted(tmp_path, capsys, xor_model):
    """Inputs followed by targets: the targets are not needed and not read."""
    model, net, params = xor_model
    data = write(tmp_path, "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    out = tmp_path / "out.csv"
    assert main(["predict", model, "--data", data, "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote 4 predictions to {out}\n"
    rows = list(csv.reader(out.open()))
    assert [r[3] for r in rows[1:]] == ["0", "1", "1", "0"]
    assert sorted(os.listdir(tmp_path)) == ["in.csv", "out.csv", "xor.json"]


def test_a_regression_model_has_no_class_column(tmp_path, capsys):
    net = sn.linear_regression(1)
    r = net.fit([[0.0], [1.0]], [1.0, 3.0], lr=0.5, epochs=200, progress=False)
    r.save(tmp_path / "lin.json")
    assert main(["predict", str(tmp_path / "lin.json"), "--data", write(tmp_path, "x\n2\n")]) == 0
    header, row = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header == ["x1", "yhat"] and float(row[1]) == pytest.approx(5.0, abs=1e-6)


def test_cross_entropy_gives_the_class_number(tmp_path, capsys):
    X = np.array([[1.0, 0], [0, 1], [1, 1], [-1, 0]])
    net = sn.Network("2-4-3", activation="tanh", loss="cross_entropy")
    net.fit(X, np.eye(3)[[0, 1, 2, 0]], optimizer="adam", lr=0.05, epochs=400,
            progress=False).save(tmp_path / "ce.json")
    assert main(["predict", str(tmp_path / "ce.json"), "--data",
                 write(tmp_path, "a,b\n1,0\n0,1\n1,1\n-1,0\n")]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["x1", "x2", "yhat1", "yhat2", "yhat3", "class"]
    assert [r[-1] for r in rows[1:]] == ["1", "2", "3", "1"]  # numbered as yhat1, yhat2, …


@pytest.mark.parametrize("content, message", [
    ("a\n1\n", "error: {data} has 1 columns; the model 2-3-1 reads 2 (its inputs) or 3 (its inputs, then its targets)"),
    ("a,b,c,d\n1,2,3,4\n", "error: {data} has 4 columns; the model 2-3-1 reads 2"),
    ("x1,x2\n1,two\n", "error: {data} line 2, column 'x2' must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'two'"),
    ("x1,x2,y\n1,2,three\n", "error: {data} line 2, column 'y' must be a number written with the digits 0-9, like 3, -0.25 or 1e-3; got 'three'"),
    ("0,1\n1,1\n", "error: {data}: the first row is numbers, not column names; add a header row, e.g. x1,x2"),
])
def test_bad_data_files(tmp_path, capsys, xor_model, content, message):
    data = write(tmp_path, content)
    assert main(["predict", xor_model[0], "--data", data]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message.format(data=data)) and err.count("\n") == 1


def test_bad_model_files(tmp_path, capsys):
    data = write(tmp_path, "x1,x2\n0,0\n")
    bad = write(tmp_path, "{}", "bad.json")
    assert main(["predict", bad, "--data", data]) == 2
    assert capsys.readouterr().err == f"error: {bad} is not a symnet model file (expected \"format\": \"symnet-model\")\n"
    assert main(["predict", str(tmp_path / "none.json"), "--data", data]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot read {tmp_path}/none.json")


def test_an_unwritable_output_fails_before_predicting(tmp_path, capsys, xor_model):
    data = write(tmp_path, "x1,x2\n0,0\n")
    assert main(["predict", xor_model[0], "--data", data, "-o", str(tmp_path / "no" / "o.csv")]) == 2
    assert capsys.readouterr().err.startswith(f"error: cannot write {tmp_path}/no/o.csv")
