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
import itertools
import math
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, fields

import sympy as sp

from . import checking  # checking.check_derivation looked up at call time (tests stand it in)
from .bounds import MAX_GRADE_SECONDS, check_seconds
from .checking import CheckResult, check
from .checking.feedback import check_markdown, markdown_text
from .checking.scoring import MAX_POINTS
from .checking.steps import answer_seconds_on
from .checking.verdict import require_model
from .errors import SymnetError
from .files import path_of, read_rows
from .nice import nice_numbers
from .parse import parse_assignments
from .parse.derivation import MAX_STEPS
from .printing import Table, latex
from .quizzes.variants import LR, MAX_VARIANTS, default_parts, default_wrt, draw_variants
from .sheets import asked
from .symbols import Partial
from .values import INTEGER, bounded, finite, typed_number

MAX_ROWS = 10_000
MAX_FIELD = 2_000         # characters in one cell
MAX_BYTES = 5_000_000     # an answers file
DIGITS = 4                # a number is right as the quiz's exports accept it: as shown to 4
                          # significant digits, within half a unit of the last
QUIZ_VARIANTS = 30        # sn.quiz's default count of variants
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")  # Gradescope's
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
    def cell(*columns):  # the first text cell of these (a cell of another type is shown empty)
        return next((v for v in map(row.get, columns) if isinstance(v, str) and v), "")
    return Graded(False, f"invalid: {reason}", None, None, diagnosis=[reason],
                  student=cell("student")[:200], wrt=cell("wrt")[:50],
                  variant=cell("variant", "seed")[:20], row=number,
                  given=cell("answer", "steps")[:MAX_FIELD], of=of)


def _number(answer):
    """The number a student typed, in the one number syntax (``1_000`` and ``٣`` are
    expressions, and refused as such; a minus sign or dash read as ``-``, thin or no-break spaces
    dropped), or None."""
    try:
        return typed_number(answer, "answer")
    except SymnetError:
        return None


def _cells(row):
    """A row's cells as text, as a CSV file gives them: a number (pandas' ``to_dict("records")``
    gives floats, 2.0 for a variant in a column with a gap) written as Python writes it, a whole
    one as an integer; a missing cell (None, NaN) empty; a row that is no dict is empty
    (invalid), a cell of another type is refused when the row is graded."""
    if not isinstance(row, dict):
        return {}
    out = {}
    for column, value in row.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = ""
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(int(value))
        elif isinstance(value, float):
            value = str(int(value)) if value.is_integer() and abs(value) < 1e15 \
                else repr(float(value))
        elif type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
            value = _cells({"": value.item()})[""]
        out[str(column)] = value
    return out


def _seed_of(row):
    """The seed whose nice numbers the row's answer used: the row's seed, or its variant's."""
    if (row.get("seed") or "").strip():
        return _whole(row["seed"], "seed"), None
    if (row.get("variant") or "").strip():
        return None, _whole(row["variant"], "variant")
    return None, None


def _whole(text, what):
    number = _digits(text)
    if number is None:
        raise SymnetError(f"{what} must be a whole number, got {text.strip()[:20]!r}: the digits "
                          "0-9, like 3 or 1000")
    return number


def _digits(text):
    """The whole number in ``text`` (at most 9 digits 0-9, the one number syntax), or None."""
    text = text.strip()
    return int(text) if INTEGER.fullmatch(text) and text[0] not in "+-" and len(text) <= 9 \
        else None


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
    return [f"{s.place}: {s.diagnosis}" for s in derivation.steps
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
        for column, value in row.items():
            if not isinstance(value, str):
                raise SymnetError(f"the {column} column must be text or a number, got "
                                  f"{type(value).__name__}")
            if len(value) > MAX_FIELD:
                raise SymnetError(f"the {column} column is {len(value)} characters long; "
                                  f"at most {MAX_FIELD}")
        for column in ("student", "wrt"):
            if not (row.get(column) or "").strip():
                raise SymnetError(f"the {column} column is empty")
        answer, steps = (row.get("answer") or "").strip(), (row.get("steps") or "").strip()
        if not answer and not steps:
            raise SymnetError("the answer column is empty (and there are no steps)")
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
    require_model(net, "grade")
    if isinstance(rows, (str, bytes, dict)) or not hasattr(rows, "__iter__"):
        raise SymnetError(f"rows must be a list of dicts (one per answer, with student, wrt and "
                          f"answer or steps), got {type(rows).__name__}")
    rows = [_cells(row) for row in itertools.islice(rows, MAX_ROWS + 1)]
    if len(rows) > MAX_ROWS:
        raise SymnetError(f"at most {MAX_ROWS} answers are graded in one run; got {len(rows)}")
    if not isinstance(variants, int) or isinstance(variants, bool) or \
            not 1 <= variants <= MAX_VARIANTS:
        raise SymnetError(f"variants must be a whole number from 1 to {MAX_VARIANTS} (the "
                          f"quiz's count), got {variants!r}")
    _check_work(net, rows)
    seeds = _variant_seeds(net, rows, seed, variants, lr)
    return [grade_row(net, row, i, seeds, variants) for i, row in enumerate(rows, 1)]


def _check_work(net, rows):
    """Refuse, before any work, a class whose grading would take over
    :data:`~symnet.bounds.MAX_GRADE_SECONDS`: each row estimated as a wrong answer (a line of
    steps as one), a row that will be invalid as nothing."""
    each, total = {}, 0.0
    for row in rows:
        wrt = row.get("wrt")
        if not isinstance(wrt, str):
            continue
        if wrt not in each:
            try:
                each[wrt] = answer_seconds_on(net, asked(net, wrt.strip()))
            except SymnetError:  # the row will be invalid
                each[wrt] = 0.0
        steps = row.get("steps")
        lines = min(steps.count("\n") + 1, MAX_STEPS) if isinstance(steps, str) else 0
        total += each[wrt] * (lines + isinstance(row.get("answer"), str))
    per_row = total / max(len(rows), 1)
    check_seconds(total, f"grading {len(rows):,} answers on {getattr(net, 'arch', 'this circuit')}",
                  f"grade at most {max(1, int(MAX_GRADE_SECONDS // max(per_row, 1e-9))):,} rows "
                  "in one run (split the answers file)", MAX_GRADE_SECONDS)


def _variant_seeds(net, rows, seed, variants, lr):
    """The seeds of the quiz's variants that the rows name, drawn once for the whole run."""
    wanted = [str(r.get("variant") or "").strip() for r in rows]
    count = max([n for n in map(_digits, wanted) if n and n <= variants] or [0])
    variants = draw_variants(net, count, seed, default_wrt(net), default_parts(net), lr) if count \
        else []
    return {v.number: v.seed for v in variants}


def read_answers(path):
    """The rows of an answers CSV (a header with student, wrt, and answer or steps, …)."""
    path = path_of(path)
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


def gradescope(results, points=1, visibility="visible"):
    """The graded rows as Gradescope's ``results.json`` (a dict): one test per row, its
    ``score`` the credit times ``points`` (rounded to 2 decimals, as :func:`symnet.score`),
    ``max_score`` the ``points``, its ``output`` the verdict, the diagnosis and the values as
    Markdown with math, and the total ``score``.  ``visibility`` is Gradescope's, one of
    :data:`VISIBILITIES`.  A test is named by its question (``∂L/∂w1``), and by its student too
    when the rows are of several students.

    >>> import symnet as sn
    >>> out = gradescope(sn.grade(sn.Network("2-2-1"), [
    ...     {"student": "ann", "wrt": "w5", "answer": "(yhat - y)*N1"}]), points=3)
    >>> out["score"], out["tests"][0]["name"], out["tests"][0]["score"]
    (2.0, '∂L/∂w5', 2.0)
    """
    bounded(finite(points, "points"), "points", 0, MAX_POINTS)
    if visibility not in VISIBILITIES:
        raise SymnetError(f"visibility must be one of {', '.join(VISIBILITIES)}; got "
                          f"{str(visibility)[:40]!r}")
    several = len({g.student for g in results}) > 1
    tests = []
    for g in results:
        name = f"∂{g.of}/∂{g.wrt}"
        if g.verdict == "invalid":
            output = f"**invalid**: {markdown_text(g.diagnosis[0])}"
        else:
            output = check_markdown(g, latex(Partial(sp.Symbol(g.of), sp.Symbol(g.wrt))))
        tests.append({"name": f"{g.student}: {name}" if several else name,
                      "score": round(g.credit_given * points, 2), "max_score": points,
                      "output": output, "output_format": "md", "visibility": visibility})
    return {"score": round(sum(t["score"] for t in tests), 2), "visibility": visibility,
            "tests": tests}
