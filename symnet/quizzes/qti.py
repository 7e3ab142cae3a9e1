"""An IMS QTI 1.2 package that Canvas imports: ``imsmanifest.xml`` and one assessment, a
section per question with its item of every variant and a selection rule that draws one (Canvas
makes it a question group that picks 1), a numerical item per question: the answer as shown, or
within the tolerance, both bounds written as exact decimals so that Canvas's importer reads the
margin as the tolerance itself (it takes the upper bound minus the answer, in decimals).

Canvas keeps 4 decimal places of a number (0.00003868 becomes 0; a student's 0.01234 becomes
0.0123): a question whose answer shows a digit beyond them asks for the answer times a power of
ten, ``10⁴ · ∂L/∂w1 = -0.3868``, so that every digit shown is one Canvas keeps.

A slip's number has no answer of its own here: Canvas imports every answer of a numerical
question as a right one (weight 100), so a slip written as an answer would earn full marks.

Written with the standard library (xml.etree, zipfile), every zip entry with a fixed date, so
the same quiz gives the same bytes.
"""

import base64
import io
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

from .statement import intro_html, math_html, model_name, picture_png

_DATE = (2000, 1, 1, 0, 0, 0)
_QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
_CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"


def _el(parent, tag, text=None, **attrs):
    el = ET.SubElement(parent, tag, dict(sorted(attrs.items())))
    if text is not None:
        el.text = text
    return el


def _metadata(parent, fields):
    """QTI metadata fields: inside ``<itemmetadata>`` for an item, directly under an assessment
    (QTI 1.2 allows ``<itemmetadata>`` only in an item; Canvas's converter rejects the whole
    package otherwise)."""
    holder = _el(parent, "itemmetadata") if parent.tag == "item" else parent
    meta = _el(holder, "qtimetadata")
    for label, entry in fields:
        f = _el(meta, "qtimetadatafield")
        _el(f, "fieldlabel", label)
        _el(f, "fieldentry", entry)


def scale(q):
    """The power of ten that brings the last digit of ``q``'s answer to Canvas's 4 decimal
    places: 0 for 0.9276 or 0.1234, 1 for 0.01234, 4 for -0.00003868."""
    return max(0, -5 - Decimal(repr(q.tolerance)).adjusted())


def canvas_numbers(q):
    """``(power, answer, tolerance)``: the answer as shown and its tolerance, times
    ``10**power`` (:func:`scale`), as exact decimals.

    >>> from symnet.quizzes.variants import Question
    >>> canvas_numbers(Question("gradient", "dL/dw1", "", "", -3.868e-05, "-0.00003868", 5e-09))
    (4, '-0.3868', '0.00005')
    """
    k = scale(q)
    return k, _decimal(Decimal(q.shown).scaleb(k)), _decimal(Decimal(repr(q.tolerance)).scaleb(k))


def _decimal(d):
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def bounds(answer, tol):
    """The answer ± the tolerance, as exact decimals.

    >>> bounds("0.9276", "0.00005")
    ('0.92755', '0.92765')
    """
    return (_decimal(Decimal(answer) - Decimal(tol)), _decimal(Decimal(answer) + Decimal(tol)))


def item(variant, q, ident, image=None):
    """One Canvas numerical question (``image``: the path of the network's picture)."""
    k, answer, tol = canvas_numbers(q)
    times = f"10^{{{k}}} \\cdot " if k else ""
    title = f"variant {variant.number}: {q.name}{f' × 10^{k}' if k else ''} (± {tol})"
    it = ET.Element("item", {"ident": ident, "title": title})
    _metadata(it, [("question_type", "numerical_question"), ("points_possible", "1")])
    presentation = _el(it, "presentation")
    src = f"$IMS-CC-FILEBASE$/{image}" if image else None
    html = intro_html(variant, src) + f"<p>{q.label} {math_html(times + q.tex)} =</p>"
    _el(_el(presentation, "material"), "mattext", html, texttype="text/html")
    response = _el(presentation, "response_str", ident="response1", rcardinality="Single")
    _el(_el(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    processing = _el(it, "resprocessing")
    _el(_el(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
        vartype="Decimal")
    condition = _el(processing, "respcondition", **{"continue": "No"})
    either = _el(_el(condition, "conditionvar"), "or")
    _el(either, "varequal", answer, respident="response1")
    low, high = bounds(answer, tol)
    within = _el(either, "and")
    _el(within, "vargte", low, respident="response1")
    _el(within, "varlte", high, respident="response1")
    _el(condition, "setvar", "100", action="Set", varname="SCORE")
    return it


def assessment(quiz, ident, images):
    root = ET.Element("questestinterop", {"xmlns": _QTI})
    test = _el(root, "assessment", ident=ident, title=quiz.title)
    _metadata(test, [("cc_maxattempts", "1")])
    top = _el(test, "section", ident="root_section")
    # Canvas's question groups hold items, not sections: one group per question, each item
    # stating its own variant's network and numbers
    for k, first in enumerate(quiz.variants[0].questions, 1):
        section = _el(top, "section", ident=f"{ident}_q{k}", title=f"{first.name}: one variant")
        _el(_el(_el(section, "selection_ordering"), "selection"), "selection_number", "1")
        for v in quiz.variants:
            section.append(item(v, v.questions[k - 1], f"{ident}_v{v.number}_q{k}",
                                images.get(v.number)))
    return root


def manifest(ident, images):
    root = ET.Element("manifest", {"identifier": f"{ident}_manifest", "xmlns": _CP})
    meta = _el(root, "metadata")
    _el(meta, "schema", "IMS Content")
    _el(meta, "schemaversion", "1.1.3")
    _el(root, "organizations")
    resources = _el(root, "resources")
    resource = _el(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    _el(resource, "file", href=f"{ident}/{ident}.xml")
    for number, path in sorted(images.items()):
        picture = _el(resources, "resource", href=path, identifier=f"{ident}_picture{number}",
                      type="webcontent")
        _el(picture, "file", href=path)
    return root


def _xml(root):
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render(quiz):
    """The quiz as a QTI zip package (bytes); with matplotlib, each variant's picture is a file
    of the package (a web-content resource the questions show)."""
    ident = f"symnet_{model_name(quiz.net).replace('-', '_')}_seed{quiz.seed}"
    pictures = {v.number: picture_png(v) for v in quiz.variants} if quiz.picture else {}
    pictures = {k: base64.b64decode(png) for k, png in pictures.items() if png}
    images = {k: f"pictures/network_v{k}.png" for k in pictures}
    entries = [("imsmanifest.xml", _xml(manifest(ident, images))),
               (f"{ident}/{ident}.xml", _xml(assessment(quiz, ident, images)))]
    entries += [(images[k], png) for k, png in sorted(pictures.items())]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()
