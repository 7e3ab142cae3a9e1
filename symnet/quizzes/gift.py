r"""GIFT: per variant a category, and one numeric question for each thing asked,
``{#=value:tolerance#right =%0%slip:tolerance#sentence …}`` (each slip's number scored 0 with
the slip's sentence as its feedback), math as ``\( … \)`` with GIFT's special characters
escaped."""

from ..values import tolerance_text
from .statement import at_parts, definitions_tex, description, html_math, math_html
from .variants import plain_number

_SPECIAL = "\\~=#{}:"


def escape(s):
    """Text with GIFT's special characters (``~ = # { } :`` and the backslash) escaped."""
    return "".join("\\" + c if c in _SPECIAL else c for c in s)


def question(quiz, variant, q):
    net = quiz.net
    body = (f"{description(net)} {math_html(definitions_tex(net))}. {html_math(at_parts(variant))}, "
            f"compute {q.label} {math_html(q.tex)} to 4 significant digits.")
    name = f"v{variant.number:03d} {q.name}"
    tol = tolerance_text(q.tolerance)
    answers = [f"={q.shown}:{tol}#right"]
    answers += [f"=%0%{plain_number(v)}:{tol}#{escape(slip)}" for slip, v in q.slips.items()]
    return f"::{escape(name)}::[html]{escape(body)} {{#\n" + "\n".join(answers) + "\n}"


def render(quiz):
    """The quiz as GIFT text."""
    blocks = []
    for variant in quiz.variants:
        blocks.append(f"$CATEGORY: $course$/top/{quiz.title}/variant {variant.number}")
        blocks += [question(quiz, variant, q) for q in variant.questions]
    return "\n\n".join(blocks) + "\n"
