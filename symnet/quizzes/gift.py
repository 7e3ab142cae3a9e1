r"""GIFT: per variant a category, and one numeric question ``{#value:tolerance}`` for each
thing asked, math as ``\( … \)`` with GIFT's special characters escaped."""

from .statement import definitions_tex, description, numbers_tex, tolerance_text

_SPECIAL = "\\~=#{}:"


def escape(s):
    """Text with GIFT's special characters (``~ = # { } :`` and the backslash) escaped."""
    return "".join("\\" + c if c in _SPECIAL else c for c in s)


def question(quiz, variant, q):
    point, params = numbers_tex(variant)
    net = quiz.net
    body = (f"{description(net)} \\({definitions_tex(net)}\\). At the data point \\({point}\\) "
            f"with the parameters \\({params}\\), compute {q.label} \\({q.tex}\\) to 4 "
            "significant digits.")
    name = f"v{variant.number:03d} {q.name}"
    return (f"::{escape(name)}::[html]{escape(body)} "
            f"{{#{q.shown}:{tolerance_text(q.tolerance)}}}")


def render(quiz):
    """The quiz as GIFT text."""
    blocks = []
    for variant in quiz.variants:
        blocks.append(f"$CATEGORY: $course$/top/{quiz.title}/variant {variant.number}")
        blocks += [question(quiz, variant, q) for q in variant.questions]
    return "\n\n".join(blocks) + "\n"
