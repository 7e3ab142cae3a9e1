"""Input files read one way: what is not a regular file is refused before it is opened (a pipe
nobody writes never blocks), a model file is sized by its architecture before anything is built,
and a CSV file is read strictly (an unterminated quote, an extra cell, a NUL byte: the line)."""

import json
import os
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symnet as sn
from symnet.cli import main
from symnet.files import read_rows
from symnet.grading import read_answers


def run(argv):
    """``main(argv)``'s exit status; a hang guard only: a blocked read would never return."""
    status = []
    worker = threading.Thread(target=lambda: status.append(main(argv)), daemon=True)
    worker.start()
    worker.join(timeout=300)
    assert status, f"symnet {' '.join(argv)} did not return"
    return status[0]


def commands(path, tmp_path):
    """Every command line that reads a user's file, with ``path`` as that file."""
    data = tmp_path / "data.csv"
    data.write_text("x1,x2,y\n0,0,0\n0,1,1\n")
    model = tmp_path / "m.json"
    sn.TrainResult(sn.Network("2-1"), {"w1": 0.1, "w2": 0.2, "b1": 0.0}).save(model)
    return {
        "answers": ["grade", "2-2-1", "--answers", path],
        "roster": ["quiz", "2-2-1", "--students", path, "-o", str(tmp_path / "q.gift")],
        "steps": ["check", "2-2-1", "--wrt", "w1", "--steps", path],
        "model": ["predict", path, "--data", str(data)],
        "data": ["predict", str(model), "--data", path],
        "train data": ["train", "2-2-1", "--data", path],
        "circuit": ["check", "--circuit", path, "--wrt", "x", "1"],
    }


@pytest.mark.parametrize("reads", ["answers", "roster", "steps", "model", "data", "train data",
                                   "circuit"])
@pytest.mark.parametrize("kind, make", [
    ("a pipe", os.mkfifo),
    ("a folder", os.mkdir),
])
def test_an_input_that_is_not_a_regular_file_is_refused_before_it_is_opened(
        tmp_path, capsys, reads, kind, make):
    path = str(tmp_path / "input")
    make(path)
    assert run(commands(path, tmp_path)[reads]) == 2
    err = capsys.readouterr().err
    assert err == f"error: cannot read {path}: it is {kind}; a regular file is expected\n"
    assert not (tmp_path / "q.gift").exists()


def test_a_device_is_refused_as_a_model_in_python():
    with pytest.raises(sn.SymnetError, match="^cannot read /dev/zero: it is a device; a regular "
                                             "file is expected$"):
        sn.load("/dev/zero")


def huge_model(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({
        "format": "symnet-model", "version": 1, "arch": "20000-4999-1",
        "activation": [{"name": "sigmoid"}], "output_activation": {"name": "sigmoid"},
        "loss": "mse", "params": {"w1": 0.5}, "history": []}))
    assert path.stat().st_size < 300
    return path


def test_a_small_file_naming_a_huge_network_is_refused_before_it_is_built(tmp_path):
    # 99,989,999 parameters: within the 100,000,000 that symnet trains, but not in this file
    with pytest.raises(sn.SymnetError, match=r"names a 20000-4999-1 network of 99,989,999 "
                                             r"parameters but holds 1;"):
        sn.load(huge_model(tmp_path))


def test_predict_refuses_the_huge_model_file_in_one_line(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("x1\n0\n")
    assert run(["predict", str(huge_model(tmp_path)), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "99,989,999" in err


def test_a_model_file_with_one_parameter_too_many_is_refused(tmp_path):
    path = tmp_path / "m.json"
    sn.TrainResult(sn.Network("2-1"), {"w1": 0.1, "w2": 0.2, "b1": 0.0}).save(path)
    doc = json.loads(path.read_text())
    doc["params"]["w3"] = 1.0
    path.write_text(json.dumps(doc))
    with pytest.raises(sn.SymnetError, match="network of 3 parameters but holds 4"):
        sn.load(path)


ANSWERS = "student,wrt,answer\n{}\nbob,w1,0\ncid,w1,0\n"


@pytest.mark.parametrize("row, error", [
    ('ann,w1,"x*(1-x)', 'line 2 opens a quote (") that is never closed'),
    ("ann,w1,0,extra", "line 2 has 4 cells; the header has 3"),
    ("ann,w1,0\0", "line 2 holds a NUL character; is it a CSV file?"),
])
def test_a_malformed_row_of_four_is_refused_naming_its_line(tmp_path, capsys, row, error):
    # without this, an unterminated quote swallowed bob's and cid's rows ("graded 1 answer")
    answers = tmp_path / "answers.csv"
    answers.write_text(ANSWERS.format(row))
    assert run(["grade", "2-2-1", "--answers", str(answers)]) == 2
    assert capsys.readouterr().err == f"error: {answers} {error}\n"


def test_a_quote_closed_on_a_later_line_is_one_cell_across_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('student,steps\nann,"a = 1\nb = 2"\nbob,x\n')
    assert read_rows(path) == [(1, ["student", "steps"]), (3, ["ann", "a = 1\nb = 2"]),
                               (4, ["bob", "x"])]


def test_an_extra_cell_in_a_roster_is_refused(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nann\nbob,extra\n")
    assert run(["quiz", "2-2-1", "--students", str(roster), "-o", str(tmp_path / "q.gift")]) == 2
    assert capsys.readouterr().err == f"error: {roster} line 3 has 2 cells; the header has 1\n"
    assert not (tmp_path / "q.gift").exists()


def test_a_row_with_fewer_cells_is_padded_in_answers(tmp_path):
    # a spreadsheet drops a row's empty trailing cells: the optional variant column stays empty
    path = tmp_path / "answers.csv"
    path.write_text("student,wrt,answer,variant\nann,w1,0\n")
    assert read_answers(path) == [{"student": "ann", "wrt": "w1", "answer": "0",
                                   "variant": None}]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_any_bytes_are_rows_or_one_error(tmp_path, raw):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(raw)
    try:
        rows = read_rows(path)
    except sn.SymnetError as exc:
        assert "\n" not in str(exc).rstrip()
        return
    header = next((cells for _, cells in rows if cells), [])
    assert all(len(cells) <= len(header) for _, cells in rows)
    assert all("\0" not in cell for _, cells in rows for cell in cells)


def test_an_idx_file_that_is_a_pipe_is_refused_in_python(tmp_path):
    path = tmp_path / "labels.idx1-ubyte"
    os.mkfifo(path)
    with pytest.raises(sn.SymnetError, match="it is a pipe; a regular file is expected$"):
        sn.read_idx(path)
