"""All or nothing, also between outputs and inputs: two outputs of one command that are one file
(a symbolic or a hard link: the same device and inode), or an output that is one of its
inputs, are refused before any work, and nothing changes; a temporary folder goes on SIGTERM
and on Ctrl-C."""

import os
import subprocess
import sys
import textwrap

import pytest

import symnet as sn
from symnet import files
from symnet.cli import main

DATA = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n"
ANSWERS = "student,wrt,answer\nann,w5,2*(yhat - y)*N1\n"


def snapshot(folder):
    """Every entry of ``folder``: a link's target, a file's bytes."""
    out = {}
    for name in sorted(os.listdir(folder)):
        path = folder / name
        out[name] = ("link", os.readlink(path)) if path.is_symlink() else path.read_bytes()
    return out


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.csv").write_text(DATA)
    (tmp_path / "a.csv").write_text(ANSWERS)
    (tmp_path / "roster.csv").write_text("student\nann\nbob\n")
    (tmp_path / "c.txt").write_text("q = x + y; f = q*z")
    sn.TrainResult(sn.Network("2-1"), {"w1": 0.1, "w2": 0.2, "b1": 0.0}).save(tmp_path / "m.json")
    return tmp_path


# (links to make: new name -> existing name or "hard:" existing name), command line, words
CASES = {
    "save and plot one file by a symlink": (
        {"p.png": "m.json"}, ["train", "2-1", "--data", "d.csv", "--save", "m.json", "--plot", "p.png"],
        "cannot write m.json and p.png: they are one file"),
    "save and plot one file by a hard link": (
        {"p.png": "hard:m.json"}, ["train", "2-1", "--data", "d.csv", "--save", "m.json", "--plot", "p.png"],
        "cannot write m.json and p.png: they are one file"),
    "two plots the same path": (
        {}, ["train", "2-1", "--data", "d.csv", "--plot", "p.png", "--plot-gradients", "./p.png"],
        "cannot write p.png and ./p.png: they are one file"),
    "the model saved over its data": (
        {}, ["train", "2-1", "--data", "d.csv", "--save", "d.csv"],
        "cannot write d.csv: it is the input d.csv"),
    "the model saved over a hard link to its data": (
        {"m2.json": "hard:d.csv"}, ["train", "2-1", "--data", "d.csv", "--save", "m2.json"],
        "cannot write m2.json: it is the input d.csv"),
    "the plot over its data by a symlink": (
        {"p.png": "d.csv"}, ["train", "2-1", "--data", "d.csv", "--plot", "p.png"],
        "cannot write p.png: it is the input d.csv"),
    "predictions over the model": (
        {}, ["predict", "m.json", "--data", "d.csv", "-o", "m.json"],
        "cannot write m.json: it is the input m.json"),
    "predictions over the data": (
        {"out.csv": "d.csv"}, ["predict", "m.json", "--data", "d.csv", "-o", "out.csv"],
        "cannot write out.csv: it is the input d.csv"),
    "a report over the answers": (
        {}, ["grade", "2-2-1", "--answers", "a.csv", "-o", "a.csv"],
        "cannot write a.csv: it is the input a.csv"),
    "a report and its summary one file": (
        {"s.md": "r.csv", "r.csv": "hard:a.csv"}, ["grade", "2-2-1", "--answers", "d.csv", "-o", "r.csv", "--summary", "s.md"],
        "cannot write r.csv and s.md: they are one file"),
    "a summary over the answers by a hard link": (
        {"s.md": "hard:a.csv"}, ["grade", "2-2-1", "--answers", "a.csv", "--summary", "s.md"],
        "cannot write s.md: it is the input a.csv"),
    "an exam's key a symlink to the exam": (
        {"exam.tex": "hard:roster.csv", "exam-key.tex": "exam.tex"},
        ["quiz", "2-2-1", "--variants", "2", "-o", "exam.tex"],
        "cannot write exam.tex and exam-key.tex: they are one file"),
    "a class set over its roster": (
        {"class.gift": "roster.csv"}, ["quiz", "2-2-1", "--students", "roster.csv", "-o", "class.gift"],
        "cannot write class.gift: it is the input roster.csv"),
    "a worksheet's key a hard link to the sheet": (
        {"s.md": "hard:d.csv", "s-key.md": "hard:d.csv"},
        ["worksheet", "2-2-1", "--exercises", "-o", "s.md"],
        "cannot write s.md and s-key.md: they are one file"),
    "a worksheet over its circuit file": (
        {"c.md": "c.txt"}, ["worksheet", "--circuit", "c.txt", "-o", "c.md"],
        "cannot write c.md: it is the input c.txt"),
    "a drawing over its circuit file": (
        {"c.svg": "hard:c.txt"}, ["draw", "--circuit", "c.txt", "--at", "x=1,y=2,z=3", "-o", "c.svg"],
        "cannot write c.svg: it is the input c.txt"),
}


@pytest.mark.parametrize("links, argv, words", CASES.values(), ids=list(CASES))
def test_refused_before_any_work_and_nothing_changes(folder, capsys, links, argv, words):
    for new, old in links.items():
        if old.startswith("hard:"):
            os.link(folder / old[5:], folder / new)
        else:
            os.symlink(old, folder / new)
    if any(a.endswith(".png") for a in argv):
        pytest.importorskip("matplotlib")
    before = snapshot(folder)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err.startswith(f"error: {words}") and err.count("\n") == 1, err
    assert out == "" and snapshot(folder) == before


def test_write_all_refuses_one_file_twice_and_writes_nothing(tmp_path):
    (tmp_path / "a.txt").write_text("old")
    os.symlink("a.txt", tmp_path / "b.txt")
    with pytest.raises(sn.SymnetError, match="they are one file"):
        files.write_all([(tmp_path / "a.txt", "new"), (tmp_path / "b.txt", "other")])
    assert (tmp_path / "a.txt").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt"]


def test_the_quiz_api_refuses_an_exam_whose_key_is_the_exam(tmp_path):
    (tmp_path / "exam.tex").write_text("old exam")
    os.symlink("exam.tex", tmp_path / "exam-key.tex")
    q = sn.quiz(sn.Network("2-1"), variants=1, picture=False)
    with pytest.raises(sn.SymnetError, match="they are one file"):
        q.save(tmp_path / "exam.tex")
    assert (tmp_path / "exam.tex").read_text() == "old exam"


def test_distinct_outputs_are_written(folder, capsys):
    assert main(["grade", "2-2-1", "--answers", "a.csv", "-o", "r.csv", "--summary", "s.md"]) == 0
    assert (folder / "r.csv").read_text().startswith("row,") and (folder / "s.md").exists()


# ---------------------------------------------------------------- temporary folders on signals

CHILD = textwrap.dedent("""
    import os, signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)  # a background suite ignores it
    from symnet import pdf
    from symnet.cli import main
    real = pdf.subprocess.run
    def run(cmd, cwd, **options):  # the signal comes as the compiler starts, in its folder
        open(sys.argv[1], "w").write(cwd)
        os.kill(os.getpid(), getattr(signal, sys.argv[2]))
        return real(cmd, cwd=cwd, **options)
    pdf.subprocess.run = run
    pdf.shutil.which = lambda name: "/usr/bin/" + name  # no TeX needed: it never runs
    sys.exit(main(sys.argv[3:]))""")


@pytest.mark.parametrize("name, status, line", [("SIGTERM", 143, "terminated; no file was written"),
                                                ("SIGINT", 130, "interrupted")])
@pytest.mark.parametrize("command", [["quiz", "2-2-1", "--variants", "2", "-o", "q.pdf"],
                                     ["worksheet", "2-2-1", "-o", "w.pdf"]])
def test_a_signal_during_the_pdf_compile_removes_its_folder(tmp_path, name, status, line, command):
    where = tmp_path / "where.txt"
    env = dict(os.environ, PYTHONPATH=os.getcwd(), TMPDIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", CHILD, str(where), name, *command],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == status and done.stderr == line + "\n"
    folder = where.read_text()
    assert folder.startswith(str(tmp_path)) and not os.path.exists(folder)
    assert sorted(os.listdir(tmp_path)) == ["where.txt"]
