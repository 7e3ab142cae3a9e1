r"""Moodle XML: a category per quiz, per variant one cloze question whose parts
``{1:NUMERICAL:=value:tolerance#…~%0%slip:tolerance#feedback}`` ask for the forward values,
the gradients and the updated weight, each slip's number answered with its feedback."""

import html
import xml.etree.ElementTree as ET

from ..values import tolerance_text
from .statement import intro_html, math_html, model_name, picture_png
from .variants import plain_number


def feedback_escape(s):
    r"""A cloze part's feedback as Moodle reads it back: the feedback runs to the next ``~`` or
    ``}``, then is HTML-decoded and only ``\}`` and ``\#`` are unescaped (``\/`` would show its
    backslash), so ``}`` and ``#`` are escaped, HTML's characters too, and ``~`` is written ∼.

    >>> feedback_escape("∂L/∂w1 = {x} ~ a<b #2")
    '∂L/∂w1 = {x\\} ∼ a&lt;b \\#2'
    """
    return html.escape(s, quote=False).replace("}", "\\}").replace("#", "\\#").replace("~", "∼")


def cloze_part(q):
    """``{1:NUMERICAL:=0.9276:0.00005#right~%0%-0.9276:0.00005#sign error: …}``, each slip's
    number with the slip's sentence as its feedback."""
    tol = tolerance_text(q.tolerance)
    answers = [f"={q.shown}:{tol}#{feedback_escape('right')}"]
    answers += [f"%0%{plain_number(v)}:{tol}#{feedback_escape(slip)}"
                for slip, v in q.slips.items()]
    return "{1:NUMERICAL:" + "~".join(answers) + "}"


def _text(parent, tag, content, **attrs):
    el = ET.SubElement(parent, tag, dict(sorted(attrs.items())))
    ET.SubElement(el, "text").text = content
    return el


def question_element(quiz, variant):
    q = ET.Element("question", {"type": "cloze"})
    _text(q, "name", f"{model_name(quiz.net)} seed {quiz.seed} variant {variant.number}")
    image = picture_png(variant) if quiz.picture else None
    html = intro_html(variant, "@@PLUGINFILE@@/network.png" if image else None)
    items = "".join(f"<li>{question.label} {math_html(question.tex)} = {cloze_part(question)}</li>"
                    for question in variant.questions)
    text = _text(q, "questiontext", f"{html}\n<ol>{items}</ol>", format="html")
    if image:
        f = ET.SubElement(text, "file", {"encoding": "base64", "name": "network.png", "path": "/"})
        f.text = image
    _text(q, "generalfeedback", "", format="html")
    ET.SubElement(q, "penalty").text = "0"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = f"symnet-{model_name(quiz.net)}-{quiz.seed}-{variant.number}"
    return q


def render(quiz):
    """The quiz as Moodle XML (bytes)."""
    root = ET.Element("quiz")
    category = ET.SubElement(root, "question", {"type": "category"})
    _text(category, "category", f"$course$/top/{quiz.title}")
    for variant in quiz.variants:
        root.append(question_element(quiz, variant))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
