"""Outputs that spreadsheets and renderers read safely: a hostile cell of an answers CSV is text
in report.csv (no formula, no extra row) and in summary.md (no HTML, one row per line)."""

import csv
import io
import re

import pytest

import symnet as sn
from symnet.grading import report_csv, summary

NET = sn.Network("2-2-1")
CALC = "ann\r=cmd|' /C calc'!A0"
POINT = "x1=1,x2=2,y=1,w1=1,w2=1,w3=1,w4=1,w5=1,w6=1,b1=0,b2=0,b3=0"


def _formula_cells(text):
    """Cells a spreadsheet would run: read as a spreadsheet reads (a bare CR ends a row outside
    quotes), those beginning with = + - @ tab or CR that are not numbers."""
    def number(c):
        try:
            float(c)
            return True
        except ValueError:
            return False
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number(c)]


@pytest.mark.parametrize("column", ["student", "answer", "variant"])
@pytest.mark.parametrize("hostile", [CALC, "x\n=1+1", "=1+1", "+SUM(A1)", "@A1", "\t=1", "\r=1",
                                     "-2+3", 'a"\r=1', "a,\r\n@b"])
def test_a_hostile_cell_is_one_text_cell_of_its_row(column, hostile):
    row = {"student": "bob", "wrt": "w5", "answer": "2*(yhat - y)*h1", column: hostile}
    text = report_csv(sn.grade(NET, [row]))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and len(rows[1]) == 8  # the header and the one row, whole
    cell = rows[1][rows[0].index(column)]
    assert cell and hostile.startswith(cell.removeprefix("'"))  # the cell (a variant, shortened)
    assert _formula_cells(text) == []


def test_a_cr_inside_a_cell_is_quoted_so_no_row_starts_at_it():
    text = report_csv(sn.grade(NET, [{"student": CALC, "wrt": "w5", "answer": "1"}]))
    assert '"ann\r=cmd|\' /C calc\'!A0"' in text
    # the formula-row check a spreadsheet makes: no line, split where it splits, starts with =
    assert not any(line.startswith("=") for line in re.split(r"\r\n|\r|\n", text.replace(
        '"ann\r=cmd', '"ann')))


def test_numbers_stay_numbers_and_text_that_looks_like_a_formula_is_marked():
    rows = [{"student": "@bob", "wrt": "w5", "answer": "-0.5", "at": POINT},
            {"student": "cy", "wrt": "w5", "answer": "-1e-3", "at": POINT}]
    parsed = list(csv.DictReader(io.StringIO(report_csv(sn.grade(NET, rows)), newline="")))
    assert [(r["student"], r["answer"]) for r in parsed] == [("'@bob", "-0.5"), ("cy", "-1e-3")]


def test_the_markdown_summary_shows_html_as_text_and_keeps_one_row_per_line():
    rows = [{"student": "ann", "wrt": "w5<script>alert(1)</script>\n| x", "answer": "1"},
            {"student": "bob", "wrt": '<img src=x onerror="alert(1)">\r\nw5', "answer": "1"},
            {"student": "cy", "wrt": "w5", "answer": "2*(yhat - y)*h1"}]
    md = summary(sn.grade(NET, rows))
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| x" in md
    table = [line for line in md.splitlines() if line.startswith("|")]
    assert len(table) == 2 + 3  # header, rule, one line per question
    assert all(len(re.split(r"(?<!\\)\|", line)) == 6 + 2 for line in table)  # unescaped pipes


def test_the_grade_command_writes_a_hostile_student_as_one_quoted_cell(tmp_path, capsys):
    answers, report = tmp_path / "answers.csv", tmp_path / "report.csv"
    with open(answers, "w", newline="") as f:
        csv.writer(f).writerows([["student", "wrt", "answer"], [CALC, "w5", "2*(yhat - y)*h1"]])
    assert sn.cli.main(["grade", "2-2-1", "--answers", str(answers), "-o", str(report)]) == 0
    text = report.read_bytes().decode()
    assert _formula_cells(text) == []
    assert [r[1] for r in csv.reader(io.StringIO(text, newline=""))] == ["student", CALC]
