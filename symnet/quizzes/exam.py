"""A printed exam, one variant per student (named from the roster), and its key: the answers,
and for each question the number each common slip gives, so a wrong number names its slip."""

from ..document import DisplayMath, Heading, InlineMath, Paragraph, Table, Written, render_tex
from ..fonts import font_for, needs_lualatex
from ..linebreak import Formula, Line
from ..printing import latex
from ..sheets import format_number
from ..sheets.sections import BLANK
from ..values import tolerance_text
from .statement import at_parts, description

_BREAK = "\n\\clearpage\n"


def _header(quiz, student, variant, kind):
    net = quiz.net
    lines = [Line(latex(k), [Formula(v)]) for k, v in net.definitions.items()]
    blocks = [Heading(1, [f"{kind}: ", student]),
              Paragraph([f"Variant {variant.number} (seed {variant.seed}). ", description(net),
                         ":"]),
              DisplayMath(lines)]
    if any(q.part == "update" for q in variant.questions):
        blocks.append(Paragraph([
            "One step of gradient descent moves each weight against its gradient, with "
            "learning rate ", InlineMath(r"\alpha = " + tolerance_text(quiz.lr)), ": ",
            InlineMath(r"w(t+1) = w(t) - \alpha \frac{\partial %s}{\partial w}"
                       % latex(net.output)), "."]))
    return blocks + [Paragraph([*at_parts(variant), ", compute to 4 significant digits:"])]


def exam_blocks(quiz, student, variant):
    lines = [Line(q.tex, [BLANK]) for q in variant.questions]
    return _header(quiz, student, variant, "Exam") + [DisplayMath(lines)]


def key_blocks(quiz, student, variant):
    lines = [Line(q.tex, [format_number(q.value)]) for q in variant.questions]
    rows = [[[InlineMath(q.tex)], [slip], [InlineMath(format_number(v))]]
            for q in variant.questions for slip, v in q.slips.items()]
    blocks = _header(quiz, student, variant, "Key") + [DisplayMath(lines)]
    if rows:
        blocks += [Paragraph(["A wrong number names its slip:"]),
                   Table(["Question", "Slip", "Gives"], rows, "lpr")]
    return blocks


def _join(documents):
    """Several standalone documents as one: the first one's preamble, every body, a page each."""
    head = documents[0].split("\\begin{document}")[0]
    bodies = [d.split("\\begin{document}", 1)[1].rsplit("\\end{document}", 1)[0].strip()
              for d in documents]
    return head + "\\begin{document}\n" + _BREAK.join(bodies) + "\n\\end{document}\n"


def engine(quiz):
    """``"lualatex"`` when a student's name has letters beyond pdflatex's fonts, else
    ``"pdflatex"``."""
    return "lualatex" if any(needs_lualatex(s) for s in quiz.students or []) else "pdflatex"


def render(quiz):
    """``(exam, key)`` as LaTeX: one page (or more) per student, each name as written (in a
    font that covers it, found before any page is made: else the student is refused)."""
    pairs = quiz.assignments()
    names = [Written(s, font_for(s, f"student {i} ({s!r:.40})") if quiz.students else None)
             for i, (s, _) in enumerate(pairs, 1)]
    lua = engine(quiz) == "lualatex"
    exam = _join([render_tex(exam_blocks(quiz, n, v), lua) for n, (_, v) in zip(names, pairs)])
    key = _join([render_tex(key_blocks(quiz, n, v), lua) for n, (_, v) in zip(names, pairs)])
    return exam, key

