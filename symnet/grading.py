"""Grading a class's answers in one run: each row checked with :func:`symnet.check`, a numeric
answer traced to its slip, a malformed or hostile row ``invalid`` with its reason.

A row has ``student``, ``wrt`` (the parameter of ∂L/∂wrt) and ``answer`` (an expression, or a
number at a point); the point of a numeric answer is the row's ``at`` (``x1=…,w1=…``, every
input, target and parameter), or its quiz ``variant`` (with the quiz's seed), or the worksheet
``seed`` whose nice numbers it used.  A ``steps`` column (a whole derivation, one step a line)
is graded line by line by ``sn.check_derivation`` where this symnet has it.  Credit is
``CheckResult.credit`` from ``sn.check`` where available, else 1 for correct and 0 otherwise.

>>> import symnet as sn
>>> net = sn.Network("2-2-1")
>>> [(g.verdict, g.credit_given) for g in grade(net, [
...     {"student": "ann", "wrt": "w5", "answer": "2*(yhat - y)*N1"},
...     {"student": "bob", "wrt": "w5", "answer": "__import__('os')"}])]
[('correct', 1.0), ('invalid', 0.0)]
"""

import csv
import io
import math
import os
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, fields

from . import checking
from .checking import CheckResult, check
from .errors import SymnetError
from .nice import nice_numbers
from .parse import parse_assignments
from .printing import Table
from .quizzes.variants import LR, MAX_VARIANTS, PARTS, default_wrt, draw_variants, gradient_slips
from .sheets import worksheet

MAX_ROWS = 10_000
MAX_FIELD = 2_000         # characters in one cell
MAX_BYTES = 5_000_000     # an answers file
TOLERANCE = 1e-3          # relative, for numeric answers (4 significant digits shown)
COLUMNS = ("row", "student", "wrt", "variant", "answer", "verdict", "credit", "diagnosis")


@dataclass
class Graded(CheckResult):
    """A :class:`~symnet.CheckResult` with the row it grades: ``student``, ``wrt``, ``verdict``
    (``correct``, ``incorrect`` or ``invalid``), ``credit_given`` and the row's number."""

    student: str = ""
    wrt: str = ""
    variant: str = ""
    verdict: str = "invalid"
    credit_given: float = 0.0
    row: int = 0
    given: str = ""       # the answer as the student wrote it


def _credit(result):
    credit = getattr(result, "credit", None)  # credit from sn.check where available
    return float(credit) if credit is not None else 1.0 if result.correct else 0.0


def _invalid(row, number, reason):
    return Graded(False, f"invalid: {reason}", None, None, diagnosis=[reason],
                  student=str(row.get("student") or "")[:200], wrt=str(row.get("wrt") or "")[:50],
                  variant=str(row.get("variant") or row.get("seed") or "")[:20], row=number,
                  given=str(row.get("answer") or "")[:MAX_FIELD])


def _number(answer):
    try:
        value = float(answer)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _seed_of(row):
    """The seed whose nice numbers the row's answer used: the row's seed, or its variant's."""
    if (row.get("seed") or "").strip():
        return _whole(row["seed"], "seed"), None
    if (row.get("variant") or "").strip():
        return None, _whole(row["variant"], "variant")
    return None, None


def _whole(text, what):
    text = text.strip()
    if not text.isdigit() or len(text) > 9:
        raise SymnetError(f"{what} must be a whole number, got {text[:20]!r}")
    return int(text)


def _point(net, row, seeds, p):
    """``(point, sheet)``: every leaf's value for a numeric answer, and the worksheet there."""
    if (row.get("at") or "").strip():
        values = parse_assignments(row["at"])
        names = {str(x) for x in list(net.inputs) + list(net.targets)}
        at = {k: v for k, v in values.items() if k in names}
        params = {k: v for k, v in values.items() if k not in names}
        return values, worksheet(net, at=at, params=params, lr=LR, wrt=[p])
    seed, variant = _seed_of(row)
    if variant is not None:
        if variant not in seeds:
            raise SymnetError(f"variant must be from 1 to {MAX_VARIANTS}, got {variant}")
        seed = seeds[variant]
    if seed is None:
        raise SymnetError("a numeric answer needs its point: an at, variant or seed column")
    at, params = nice_numbers(net, seed)
    return {**at[0], **params}, worksheet(net, seed=seed, lr=LR, wrt=[p])


def _slip(net, sheet, p, value):
    for slip, number in gradient_slips(net, sheet, p).items():
        if abs(value - float(number)) <= TOLERANCE * max(abs(float(number)), 1e-12):
            return slip
    return None


def _steps(net, row, p, result):
    check_derivation = getattr(checking, "check_derivation", None)
    steps = (row.get("steps") or "").strip()
    if not steps:
        return []
    if check_derivation is None:
        return ["the steps were not graded: this symnet has no check_derivation"]
    derivation = check_derivation(net, p, steps)
    # a line wrong only because it carries an earlier error (``follows``) is not named again
    return [f"line {s.number}: {s.diagnosis}" for s in derivation.steps
            if s.correct is False and not getattr(s, "follows", None)]


def grade_row(net, row, number=0, seeds=None):
    """One row graded (a :class:`Graded`); bad input makes it ``invalid``, with the reason.
    ``seeds`` maps a quiz variant's number to its seed."""
    try:
        for column in ("student", "wrt", "answer"):
            if not (row.get(column) or "").strip():
                raise SymnetError(f"the {column} column is empty")
        for column, value in row.items():
            if value is not None and len(str(value)) > MAX_FIELD:
                raise SymnetError(f"the {column} column is {len(str(value))} characters long; "
                                  f"at most {MAX_FIELD}")
        p = net.param(row["wrt"].strip())
        answer = row["answer"].strip()
        value = _number(answer)
        if value is not None:
            point, sheet = _point(net, row, seeds or {}, p)
            result = check(net, p, value, at=point, tolerance=TOLERANCE)
            slip = None if result.correct else _slip(net, sheet, p, value)
            if slip:
                result.diagnosis = [f"{slip}: the number that slip gives", *result.diagnosis]
        else:
            result = check(net, p, answer)
        diagnosis = list(result.diagnosis) + _steps(net, row, p, result)
    except (SymnetError, RecursionError, OverflowError) as exc:
        return _invalid(row, number, str(exc).splitlines()[0])
    data = {f.name: getattr(result, f.name) for f in fields(result)}
    data["diagnosis"] = diagnosis
    return Graded(**data, student=row["student"].strip(), wrt=str(p),
                  variant=(row.get("variant") or row.get("seed") or "").strip(),
                  verdict="correct" if result.correct else "incorrect",
                  credit_given=_credit(result), row=number, given=answer)


def grade(net, rows, seed=0):
    """Grade every row of ``rows`` (dicts with ``student``, ``wrt``, ``answer`` and optionally
    ``at``, ``variant``, ``seed``, ``steps``); a row's ``variant`` is that of ``sn.quiz(net,
    seed=seed)`` with its default questions (a quiz made with other ``wrt`` or ``parts``: give
    the variant's ``seed``, printed on each exam, instead).  Returns one :class:`Graded` (a
    CheckResult) per row, in order."""
    rows = [row if isinstance(row, dict) else {} for row in rows]
    if len(rows) > MAX_ROWS:
        raise SymnetError(f"at most {MAX_ROWS} answers are graded in one run; got {len(rows)}")
    seeds = _variant_seeds(net, rows, seed)
    return [grade_row(net, row, i, seeds) for i, row in enumerate(rows, 1)]


def _variant_seeds(net, rows, seed):
    """The seeds of the quiz's variants that the rows name, drawn once for the whole run."""
    wanted = [str(r.get("variant") or "").strip() for r in rows]
    count = max([int(v) for v in wanted if v.isdigit() and 0 < int(v) <= MAX_VARIANTS] or [0])
    variants = draw_variants(net, count, seed, default_wrt(net), PARTS) if count else []
    return {v.number: v.seed for v in variants}


def read_answers(path):
    """The rows of an answers CSV (a header with student, wrt, answer, …)."""
    path = os.fspath(path)
    try:
        if os.path.getsize(path) > MAX_BYTES:
            raise SymnetError(f"{path} is larger than {MAX_BYTES // 1_000_000} MB")
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            missing = [c for c in ("student", "wrt", "answer") if c not in header]
            if missing:
                raise SymnetError(f"{path} has no column {', '.join(missing)}; expected a header "
                                  "row with student, wrt, answer (and optionally variant, seed, "
                                  "at, steps)")
            reader.fieldnames = header
            return [{k: v for k, v in r.items() if k is not None} for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SymnetError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None


def _cell(value):
    """A report cell that a spreadsheet shows as text, never runs as a formula."""
    s = str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r") and _number(s) is None:
        return "'" + s
    return s


def report_csv(results):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in results:
        writer.writerow([_cell(v) for v in (g.row, g.student, g.wrt, g.variant, g.given,
                                            g.verdict, f"{g.credit_given:g}",
                                            " | ".join(g.diagnosis))])
    return buf.getvalue()


def summary_table(results):
    """Per question (``wrt``): answers, share right, mean credit, invalid rows, the commonest
    diagnoses."""
    rows = []
    for wrt in dict.fromkeys(g.wrt for g in results):
        mine = [g for g in results if g.wrt == wrt]
        right = sum(g.verdict == "correct" for g in mine)
        common = Counter(g.diagnosis[0].split(":")[0] for g in mine
                         if g.verdict == "incorrect" and g.diagnosis).most_common(3)
        credit = sum(g.credit_given for g in mine) / len(mine)
        rows.append([f"dL/d{wrt}", str(len(mine)), f"{right / len(mine):.0%}", f"{credit:.2f}",
                     str(sum(g.verdict == "invalid" for g in mine)),
                     "; ".join(f"{d} ({n})" for d, n in common) or "—"])
    return Table(["question", "answers", "right", "mean credit", "invalid",
                  "most common diagnoses"], rows, "lrrrrl")


def summary(results, fmt="markdown"):
    """The summary as Markdown or HTML."""
    table = summary_table(results)
    if fmt == "markdown":
        return "# Grading summary\n\n" + table.markdown() + "\n"
    html = ET.Element("html")
    body = ET.SubElement(html, "body")
    ET.SubElement(body, "h1").text = "Grading summary"
    t = ET.SubElement(body, "table")
    for tag, row in [("th", table.headers)] + [("td", r) for r in table.rows]:
        tr = ET.SubElement(t, "tr")
        for cell in row:
            ET.SubElement(tr, tag).text = cell
    ET.indent(html)
    return "<!DOCTYPE html>\n" + ET.tostring(html, encoding="unicode", method="html") + "\n"
