"""One number syntax in every option and every cell: an optional sign, the digits 0-9, a
decimal point, an exponent.  Unicode digits and ``1_000``, which Python's ``int`` and ``float``
(and NumPy) take, are refused everywhere with one line; none makes a traceback."""

import csv
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symnet as sn
from symnet.cli import main
from symnet.data import read_csv

# each is refused as a number: Arabic-Indic, fullwidth, superscript and mathematical digits,
# Python's digit separator, hexadecimal, words Python reads as floats
NOT_NUMBERS = ["1_000", "٣", "２", "³", "𝟑", "0x10", "inf", "nan", "1e", "½"]
SYNTAX = "written with the digits 0-9"


def one_error(capsys):
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    return err


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    return str(path)


@pytest.mark.parametrize("text", NOT_NUMBERS)
@pytest.mark.parametrize("option", ["--epochs", "--lr", "--batch-size", "--betas", "--seed"])
def test_train_options(tmp_path, capsys, data, option, text):
    value = f"0.9,{text}" if option == "--betas" else text
    model = tmp_path / "m.json"
    argv = ["train", "2-1", "--data", data, "--optimizer", "adam", option, value,
            "--save", str(model)]
    assert main(argv) == 2
    assert SYNTAX in one_error(capsys) and not model.exists()


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_a_data_cell(tmp_path, capsys, text):
    path = tmp_path / "d.csv"
    path.write_text(f"x1,x2,y\n0,0,0\n0,{text},1\n")
    assert main(["train", "2-1", "--data", str(path)]) == 2
    assert one_error(capsys).startswith(f"error: {path} line 3, column 'x2' must be a number "
                                        f"{SYNTAX}")


@pytest.mark.parametrize("text", ["1_000", "٣", "２", "³"])
@pytest.mark.parametrize("command", ["quiz", "grade"])
def test_variants(tmp_path, capsys, command, text):
    answers = tmp_path / "a.csv"
    answers.write_text("student,wrt,answer\nann,w5,1\n")
    out = tmp_path / "q.gift"
    argv = ["quiz", "2-2-1", "-o", str(out)] if command == "quiz" else \
        ["grade", "2-2-1", "--answers", str(answers), "-o", str(tmp_path / "r.csv")]
    assert main([*argv, "--variants", text]) == 2
    assert SYNTAX in one_error(capsys) and not out.exists()
    assert not (tmp_path / "r.csv").exists()


@pytest.mark.parametrize("text", ["1_000", "٣", "³", "²", "1.0", "-1", "+2"])
@pytest.mark.parametrize("column", ["variant", "seed"])
def test_a_variant_or_seed_cell_makes_its_row_invalid(column, text):
    """A superscript digit in a variant cell was a traceback (exit 70)."""
    rows = [{"student": "ann", "wrt": "w1", "answer": "0.5", column: text},
            {"student": "bob", "wrt": "w5", "answer": "2*(yhat - y)*N1"}]
    graded = sn.grade(sn.Network("2-2-1"), rows)
    assert [g.verdict for g in graded] == ["invalid", "correct"]
    assert graded[0].diagnosis[0].startswith(f"{column} must be a whole number, got ")


@pytest.mark.parametrize("text", ["1_000", "٣", "۰.5"])
def test_a_numeric_answer_is_not_read_by_float(text):
    graded = sn.grade(sn.Network("2-2-1"), [{"student": "ann", "wrt": "w1", "answer": text,
                                             "variant": "1"}])
    assert graded[0].verdict == "invalid"


@pytest.mark.parametrize("option", [["--params", "w1={}"], ["--l2", "{}"]])
@pytest.mark.parametrize("text", ["1_000", "٣", "³"])
def test_train_params_and_l2(capsys, data, option, text):
    assert main(["train", "2-1", "--data", data, option[0], option[1].format(text)]) == 2
    assert SYNTAX in one_error(capsys)


@pytest.mark.parametrize("text", ["1_000", "٣", "２"])
def test_check_at(capsys, text):
    at = f"x1={text},x2=1,y=1,w1=1,w2=1,b1=0"
    assert main(["check", "2-1", "--wrt", "w1", "2*(yhat - y)*x1", "--at", at]) == 2
    assert SYNTAX in one_error(capsys)


@pytest.mark.parametrize("arch", ["２-1", "2-1_0", "٢-1", "2-¹"])
def test_an_architecture(capsys, data, arch):
    assert main(["derive", arch]) == 2
    assert "digits 0-9" in one_error(capsys)


@pytest.mark.parametrize("text", ["1_000", "٣", "۰.9"])
def test_python_optimizer_options(text):
    net = sn.Network("2-1")
    with pytest.raises(sn.SymnetError, match="betas must be two numbers"):
        net.fit([[0, 0]], [0], optimizer="adam", betas=("0.9", text), epochs=1, progress=False)
    with pytest.raises(sn.SymnetError, match="momentum must be a number"):
        net.fit([[0, 0]], [0], momentum=text, epochs=1, progress=False)


@pytest.mark.parametrize("X", [[["1_000", "0"]], [["٣", "0"]], np.array([["٣", "1"]]),
                               np.array([["1_0", 1.0]], dtype=object), [[b"1", b"0"]]])
def test_python_arrays_of_text(X):
    with pytest.raises(sn.SymnetError, match=rf"^X must be numeric \(text: a number {SYNTAX}"):
        sn.Network("2-1").fit(X, [0], epochs=1, progress=False)


def test_text_in_the_one_syntax_is_a_number():
    r = sn.Network("2-1").fit([["1", "-2.5e-1"]], ["0.5"], epochs=1, progress=False)
    assert r.epochs == 1
    assert sn.grade(sn.Network("2-2-1"), [{"student": "a", "wrt": "w1", "answer": "0.5",
                                           "variant": "12"}])[0].verdict in ("correct",
                                                                             "incorrect")


def test_pandas_style_rows_are_graded_as_their_text():
    """``to_dict("records")`` gives floats, 2.0 for a whole number in a column with a gap, NaN
    for the gap."""
    rows = [{"student": "ann", "wrt": "w1", "answer": 0.5, "variant": 2.0},
            {"student": "bob", "wrt": "w5", "answer": "2*(yhat - y)*N1", "variant": float("nan")},
            {"student": "cy", "wrt": "w1", "answer": np.float64(0.5), "variant": np.int64(2)}]
    graded = sn.grade(sn.Network("2-2-1"), rows)
    assert [g.verdict for g in graded][1] == "correct"
    assert graded[0].variant == graded[2].variant == "2" and graded[0].given == "0.5"
    assert graded[0].verdict == graded[2].verdict != "invalid"


# an oracle of the syntax of its own: ASCII digits, an optional sign, point and exponent
ORACLE = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.one_of(st.from_regex(ORACLE, fullmatch=True),
                      st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)))
def test_a_fuzzed_data_cell_is_a_number_in_the_syntax_or_one_error(tmp_path, cell):
    path = tmp_path / "d.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["x", "y"], [cell, "1"]])
    text = cell.strip()  # whitespace around a cell is str.strip's: "0\x1f" is 0, float() refuses it
    number = re.fullmatch(ORACLE, text, re.ASCII) and len(text) <= 40
    try:
        X, _ = read_csv(str(path), 1, 1)
    except sn.SymnetError as exc:
        assert "\n" not in str(exc)
        assert not number or not math.isfinite(float(text)) or \
            abs(int(re.split("[eE]", text + "e0")[1])) > 300, cell
    else:
        assert number and X[0][0] == float(text)
