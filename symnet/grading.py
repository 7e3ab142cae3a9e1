"""Grading a class's answers in one run: each row checked with :func:`symnet.check`, a numeric
answer traced to its slip by the same catalogue (every slipped chain evaluated at the row's
point), a malformed or hostile row ``invalid`` with its reason.

A row has ``student``, ``wrt`` (the parameter of ∂L/∂wrt; a circuit's leaf of ∂output/∂wrt)
and ``answer`` (an expression, or a number at a point) or ``steps`` (a whole derivation, one
step a line) or both; the point of a numeric answer is the row's ``at`` (``x1=…,w1=…``, every
input, target and parameter; every leaf of a circuit), or its quiz ``variant`` (with the
quiz's seed and count of variants), or the worksheet ``seed`` whose nice numbers it used.
A number is right as the quiz's exports accept it (Moodle, Canvas, GIFT): the exact value
shown to 4 significant digits, within half a unit of the last (0.01944 ± 0.000005), read with
any minus sign or dash a student types (``−1.254``, ``–1.254``) and without thin or no-break
spaces.  ``steps`` are graded line by line by ``sn.check_derivation``: beside an answer, their
wrong lines join its diagnosis; alone, they are the answer.  Credit is
``CheckResult.credit`` from ``sn.check`` where available, else 1 for correct and 0 otherwise;
steps alone earn the share of their judged lines that are right, a line wrong only because it
carries an earlier error counted as right (error carried forward).

>>> import symnet as sn
>>> net = sn.Network("2-2-1")
>>> [(g.verdict, g.credit_given) for g in sn.grade(net, [
...     {"student": "ann", "wrt": "w5", "answer": "2*(yhat - y)*N1"},
...     {"student": "bob", "wrt": "w5", "answer": "__import__('os')"}])]
[('correct', 1.0), ('invalid', 0.0)]
"""

import html
import os
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, fields

from . import checking  # checking.check_derivation looked up at call time (tests stand it in)
from .checking import CheckResult, check
from .errors import SymnetError
from .files import read_rows
from .nice import nice_numbers
from .parse import parse_assignments
from .printing import Table
from .quizzes.variants import LR, MAX_VARIANTS, default_parts, default_wrt, draw_variants
from .sheets import asked
from .values import typed_number

MAX_ROWS = 10_000
MAX_FIELD = 2_000         # characters in one cell
MAX_BYTES = 5_000_000     # an answers file
DIGITS = 4                # a number is right as the quiz's exports accept it: as shown to 4
                          # significant digits, within half a unit of the last
QUIZ_VARIANTS = 30        # sn.quiz's default count of variants
COLUMNS = ("row", "student", "wrt", "variant", "answer", "verdict", "credit", "diagnosis")


@dataclass
class Graded(CheckResult):
    """A :class:`~symnet.CheckResult` with the row it grades: ``student``, ``wrt``, ``verdict``
    (``correct``, ``incorrect`` or ``invalid``), ``credit_given``, the row's number, and ``of``
    (what is derived: ``L``, or a circuit's output)."""

    student: str = ""
    wrt: str = ""
    variant: str = ""
    verdict: str = "invalid"
    credit_given: float = 0.0
    row: int = 0
    given: str = ""       # the answer as the student wrote it
    of: str = "L"


def _credit(result):
    credit = getattr(result, "credit", None)  # credit from sn.check where available
    return float(credit) if credit is not None else 1.0 if result.correct else 0.0


def _invalid(row, number, reason, of):
    return Graded(False, f"invalid: {reason}", None, None, diagnosis=[reason],
                  student=str(row.get("student") or "")[:200], wrt=str(row.get("wrt") or "")[:50],
                  variant=str(row.get("variant") or row.get("seed") or "")[:20], row=number,
                  given=str(row.get("answer") or row.get("steps") or "")[:MAX_FIELD], of=of)


def _number(answer):
    """The number a student typed (a minus sign or dash as ``-``, thin or no-break spaces
    dropped), or None for an expression."""
    try:
        return typed_number(answer, "answer")
    except SymnetError:
        return None


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


def _point(net, row, seeds, variants=QUIZ_VARIANTS):
    """Every leaf's value for a numeric answer: the row's ``at``, or the nice numbers of its
    variant's or its own seed."""
    if (row.get("at") or "").strip():
        return parse_assignments(row["at"])
    seed, variant = _seed_of(row)
    if variant is not None:
        if not 1 <= variant <= variants:
            raise SymnetError(f"variant {variant} is not in the quiz: its variants are 1 to "
                              f"{variants} (give the quiz's count as variants=, on the command "
                              "line --variants)")
        seed = seeds[variant]
    if seed is None:
        raise SymnetError("a numeric answer needs its point: an at, variant or seed column")
    at, params = nice_numbers(net, seed)
    return {**at[0], **params}


def _derivation(net, row, p):
    at = parse_assignments(row["at"]) if (row.get("at") or "").strip() else None
    return checking.check_derivation(net, p, row["steps"].strip(), **({"at": at} if at else {}))


def _wrong_lines(derivation):
    # a line wrong only because it carries an earlier error (``follows``) is not named again
    return [f"line {s.number}: {s.diagnosis}" for s in derivation.steps
            if s.correct is False and not getattr(s, "follows", None)]


def _steps_result(net, row, p):
    """Steps without an answer: right when every line is; credit the share of judged lines
    that are right, a line carrying an earlier error counted as right."""
    derivation = _derivation(net, row, p)
    judged = [s for s in derivation.steps if s.correct is not None]
    right = sum(s.correct is True or bool(getattr(s, "follows", None)) for s in judged)
    wrong = _wrong_lines(derivation)
    correct = not any(s.correct is False for s in judged)
    message = "correct: every line is right" if correct else f"incorrect: {wrong[0]}"
    return CheckResult(correct, message, None, None, diagnosis=wrong,
                       credit=1.0 if correct else round(right / max(len(judged), 1), 4))


def _answer_result(net, row, p, answer, seeds, variants):
    value = _number(answer)
    if value is not None:
        point = _point(net, row, seeds, variants)
        result = check(net, p, value, at=point, digits=DIGITS)  # slips diagnosed there
    else:
        result = check(net, p, answer)
    if (row.get("steps") or "").strip():
        result.diagnosis = list(result.diagnosis) + _wrong_lines(_derivation(net, row, p))
    return result


def grade_row(net, row, number=0, seeds=None, variants=QUIZ_VARIANTS):
    """One row graded (a :class:`Graded`); bad input makes it ``invalid``, with the reason.
    ``seeds`` maps a quiz variant's number to its seed; ``variants`` is the quiz's count."""
    try:
        for column in ("student", "wrt"):
            if not (row.get(column) or "").strip():
                raise SymnetError(f"the {column} column is empty")
        answer, steps = (row.get("answer") or "").strip(), (row.get("steps") or "").strip()
        if not answer and not steps:
            raise SymnetError("the answer column is empty (and there are no steps)")
        for column, value in row.items():
            if value is not None and len(str(value)) > MAX_FIELD:
                raise SymnetError(f"the {column} column is {len(str(value))} characters long; "
                                  f"at most {MAX_FIELD}")
        p = asked(net, row["wrt"].strip())
        result = _answer_result(net, row, p, answer, seeds or {}, variants) if answer \
            else _steps_result(net, row, p)
    except (SymnetError, RecursionError, OverflowError) as exc:
        return _invalid(row, number, str(exc).splitlines()[0], str(net.output))
    data = {f.name: getattr(result, f.name) for f in fields(result)}
    return Graded(**data, student=row["student"].strip(), wrt=str(p),
                  variant=(row.get("variant") or row.get("seed") or "").strip(),
                  verdict="correct" if result.correct else "incorrect",
                  credit_given=_credit(result), row=number, given=answer or steps,
                  of=str(net.output))


def grade(net, rows, seed=0, variants=QUIZ_VARIANTS, lr=LR):
    """Grade every row of ``rows`` (dicts with ``student``, ``wrt``, ``answer`` or ``steps`` or
    both, and optionally ``at``, ``variant``, ``seed``); a row's ``variant`` is that of
    ``sn.quiz(net, variants=variants, seed=seed)`` with its default questions (a quiz made with
    other ``wrt`` or ``parts``: give the variant's ``seed``, printed on each exam, instead), and
    a variant beyond ``variants`` is ``invalid``; ``lr`` is the quiz's learning rate (its update
    question chooses the variants' seeds).  Returns one :class:`Graded` (a CheckResult)
    per row, in order.

    >>> import symnet as sn
    >>> net = sn.Network("2-2-1")
    >>> graded = sn.grade(net, [
    ...     {"student": "ann", "wrt": "w5", "answer": "2*(yhat - y)*N1"},
    ...     {"student": "bob", "wrt": "w5", "answer": "(yhat - y)*N1"},
    ...     {"student": "cy", "wrt": "w5", "steps": "∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5\\n"
    ...                                             "∂L/∂ŷ = 2(ŷ - y)\\n∂L/∂w5 = 2(ŷ - y) N1"},
    ...     {"student": "dee", "wrt": "w5", "answer": "0.5", "variant": "99"}])
    >>> [(g.student, g.verdict) for g in graded]
    [('ann', 'correct'), ('bob', 'incorrect'), ('cy', 'correct'), ('dee', 'invalid')]
    >>> print(graded[3].diagnosis[0][:50])
    variant 99 is not in the quiz: its variants are 1

    On a circuit, ``wrt`` is a leaf, and a number is traced to its slip the same way:

    >>> dag = sn.circuit("c = a + b; d = a*b; e = c + d; f = c*d; y = e + f")
    >>> print(sn.grade(dag, [{"student": "ann", "wrt": "a", "answer": "7",
    ...                       "at": "a=2,b=3"}])[0].diagnosis[0])
    a is used by c and d, and its gradient adds the paths through each: your answer misses the paths through d
    """
    rows = [row if isinstance(row, dict) else {} for row in rows]
    if len(rows) > MAX_ROWS:
        raise SymnetError(f"at most {MAX_ROWS} answers are graded in one run; got {len(rows)}")
    if not isinstance(variants, int) or isinstance(variants, bool) or \
            not 1 <= variants <= MAX_VARIANTS:
        raise SymnetError(f"variants must be a whole number from 1 to {MAX_VARIANTS} (the "
                          f"quiz's count), got {variants!r}")
    seeds = _variant_seeds(net, rows, seed, variants, lr)
    return [grade_row(net, row, i, seeds, variants) for i, row in enumerate(rows, 1)]


def _variant_seeds(net, rows, seed, variants, lr):
    """The seeds of the quiz's variants that the rows name, drawn once for the whole run."""
    wanted = [str(r.get("variant") or "").strip() for r in rows]
    count = max([int(v) for v in wanted if v.isdigit() and 0 < int(v) <= variants] or [0])
    variants = draw_variants(net, count, seed, default_wrt(net), default_parts(net), lr) \
        if count else []
    return {v.number: v.seed for v in variants}


def read_answers(path):
    """The rows of an answers CSV (a header with student, wrt, and answer or steps, …)."""
    path = os.fspath(path)
    rows = [cells for _, cells in read_rows(path, MAX_BYTES) if cells]  # bounded, as data
    header = [h.strip().lower() for h in rows[0]] if rows else []
    missing = [c for c in ("student", "wrt") if c not in header]
    if "answer" not in header and "steps" not in header:
        missing.append("answer")
    if missing:
        raise SymnetError(f"{path} has no column {', '.join(missing)}; expected a header "
                          "row with student, wrt, answer or steps (and optionally "
                          "variant, seed, at)")
    return [dict(zip(header, r + [None] * (len(header) - len(r)))) for r in rows[1:]]


def _cell(value):
    """A report cell that a spreadsheet shows as text, never runs as a formula."""
    s = str(value)
    if s[:1] in ("=", "+", "-", "@", "\t", "\r") and _number(s) is None:
        return "'" + s
    return s


def _csv_line(cells):
    # csv.writer quotes a cell with LF but not one with a bare CR when lines end in LF, and a
    # spreadsheet starts a row at that CR (a formula row, if "=" follows): every cell holding a
    # comma, a quote, CR or LF is quoted
    return ",".join('"' + c.replace('"', '""') + '"' if any(ch in c for ch in ',"\r\n') else c
                    for c in cells) + "\n"


def report_csv(results):
    """The graded rows as CSV, one line per answer: a spreadsheet shows every cell as text."""
    lines = [_csv_line(COLUMNS)]
    for g in results:
        lines.append(_csv_line([_cell(v) for v in (g.row, g.student, g.wrt, g.variant, g.given,
                                                   g.verdict, f"{g.credit_given:g}",
                                                   " | ".join(g.diagnosis))]))
    return "".join(lines)


def summary_table(results):
    """Per question (``wrt``): answers, share right, mean credit, invalid rows, the commonest
    diagnoses."""
    rows = []
    for of, wrt in dict.fromkeys((g.of, g.wrt) for g in results):
        mine = [g for g in results if (g.of, g.wrt) == (of, wrt)]
        right = sum(g.verdict == "correct" for g in mine)
        common = Counter(g.diagnosis[0].split(":")[0] for g in mine
                         if g.verdict == "incorrect" and g.diagnosis).most_common(3)
        credit = sum(g.credit_given for g in mine) / len(mine)
        rows.append([f"d{of}/d{wrt}", str(len(mine)), f"{right / len(mine):.0%}", f"{credit:.2f}",
                     str(sum(g.verdict == "invalid" for g in mine)),
                     "; ".join(f"{d} ({n})" for d, n in common) or "—"])
    return Table(["question", "answers", "right", "mean credit", "invalid",
                  "most common diagnoses"], rows, "lrrrrl")


def _markdown_cell(text):
    # a student's cell reaches the Markdown: HTML shown as text, one row per line
    return " ".join(html.escape(str(text), quote=False).split())


def summary(results, fmt="markdown"):
    """The summary as Markdown or HTML."""
    table = summary_table(results)
    if fmt == "markdown":
        return "# Grading summary\n\n" + table.markdown(cell=_markdown_cell) + "\n"
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
