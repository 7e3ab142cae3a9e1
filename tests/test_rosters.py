"""A printed exam for any roster: names beyond pdflatex's fonts set by LuaLaTeX in an installed
font that covers them, a name that no installed font covers refused before any work, naming its
line of the roster."""

import shutil
import subprocess
import unicodedata

import pytest

import symnet as sn
from symnet.cli import main
from symnet.fonts import font_for, installed, needs_lualatex
from symnet.quizzes import exam

NET = sn.Network("2-2-1", activation="sigmoid")
# eight scripts, and TeX's special characters in a name
ROSTER = ["Zoë Müller", "Łukasz Wąsowski", "Nguyễn Thị Minh Khai", "Дмитрий Шостакович",
          "Σωκράτης Παπαδόπουλος", "李小龙", "محمد عبد الله", "देवनागरी शर्मा",
          "Ann_{Lee} & #1 %x"]
NOWHERE = "\U0010fffd"  # a private-use character: no font has it


def covered(name):
    try:
        font_for(name, "a name")
    except sn.SymnetError:
        return False
    return True


needs_fonts = pytest.mark.skipif(
    shutil.which("lualatex") is None or shutil.which("kpsewhich") is None
    or not subprocess.run(["kpsewhich", "luaotfload-main.lua"], capture_output=True,
                          text=True).stdout.strip()
    or not all(covered(n) for n in ROSTER) or shutil.which("pdftotext") is None,
    reason="LuaLaTeX with luaotfload, pdftotext, or fonts for every script of the roster are "
           "not installed (Debian: texlive-luatex fonts-noto-core fonts-noto-cjk poppler-utils)")


def write_roster(path, names):
    path.write_text("student\n" + "".join(f'"{n}"\n' for n in names), encoding="utf-8")
    return path


def test_pdflatex_is_kept_for_the_names_it_prints():
    assert not needs_lualatex("Zoë Müller, Ann O'Brien & Co")
    assert needs_lualatex("Łukasz") and needs_lualatex("李小龙") and needs_lualatex("Þóra")
    q = sn.quiz(NET, variants=2, seed=1, students=["Zoë Müller", "Ann_{Lee}"], picture=False)
    paper, key = exam.render(q)
    assert exam.engine(q) == "pdflatex" and "fontspec" not in paper + key
    assert r"Exam: Ann\_\{Lee\}" in paper


@pytest.mark.skipif(not installed(), reason="fontconfig's fc-list is not installed")
def test_a_name_no_installed_font_prints_is_refused_naming_its_line(tmp_path, capsys):
    roster = write_roster(tmp_path / "roster.csv", ["Ann", "Bo" + NOWHERE, "Cy"])
    out = tmp_path / "exam.pdf"
    assert main(["quiz", "2-2-1", "--students", str(roster), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{roster} line 3" in err and "U+10FFFD" in err and err.count("\n") == 1
    assert not list(tmp_path.glob("exam*"))
    # the other formats carry no printed name: the roster's fonts do not matter there
    assert main(["quiz", "2-2-1", "--students", str(roster), "--variants", "2",
                 "-o", str(tmp_path / "class.xml")]) == 0


@needs_fonts
def test_an_exam_prints_every_name_of_eight_scripts_as_written(tmp_path):
    roster = write_roster(tmp_path / "roster.csv", ROSTER)
    out = tmp_path / "exam.pdf"
    assert main(["quiz", "2-2-1", "--activation", "sigmoid", "--students", str(roster),
                 "--variants", "3", "-o", str(out)]) == 0
    for pdf in (out, tmp_path / "exam-key.pdf"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              encoding="utf-8").stdout
        # text extraction reorders Arabic and splits Devanagari's clusters, and may give a CJK
        # glyph's compatibility ideograph (李 as U+F9E1: NFKC maps it back); the others as typed
        text = unicodedata.normalize("NFKC", text)
        for name in ROSTER[:6] + ROSTER[8:]:
            assert f": {name}\n" in text
        assert text.count("Exam: " if pdf == out else "Key: ") == len(ROSTER)
