"""An IMS QTI 1.2 package that Canvas imports: ``imsmanifest.xml`` and one assessment, a
section per variant, a numerical item per question (exact answer, or within the tolerance).

Written with the standard library (xml.etree, zipfile), every zip entry with a fixed date, so
the same quiz gives the same bytes.
"""

import base64
import io
import xml.etree.ElementTree as ET
import zipfile

from .statement import intro_html, math_html, model_name, picture_png, tolerance_text

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


def item(variant, q, ident, image=None):
    """One Canvas numerical question (``image``: the path of the network's picture)."""
    tol = tolerance_text(q.tolerance)
    it = ET.Element("item", {"ident": ident, "title": f"variant {variant.number}: {q.name} (± {tol})"})
    _metadata(it, [("question_type", "numerical_question"), ("points_possible", "1")])
    presentation = _el(it, "presentation")
    src = f"$IMS-CC-FILEBASE$/{image}" if image else None
    html = intro_html(variant, src) + f"<p>{q.label} {math_html(q.tex)} =</p>"
    _el(_el(presentation, "material"), "mattext", html, texttype="text/html")
    response = _el(presentation, "response_str", ident="response1", rcardinality="Single")
    _el(_el(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    processing = _el(it, "resprocessing")
    _el(_el(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
        vartype="Decimal")
    condition = _el(processing, "respcondition", **{"continue": "No"})
    either = _el(_el(condition, "conditionvar"), "or")
    _el(either, "varequal", q.shown, respident="response1")
    low, high = q.value - q.tolerance, q.value + q.tolerance
    within = _el(either, "and")
    _el(within, "vargte", repr(low), respident="response1")
    _el(within, "varlte", repr(high), respident="response1")
    _el(condition, "setvar", "100", action="Set", varname="SCORE")
    return it


def assessment(quiz, ident, images):
    root = ET.Element("questestinterop", {"xmlns": _QTI})
    test = _el(root, "assessment", ident=ident, title=quiz.title)
    _metadata(test, [("cc_maxattempts", "1")])
    top = _el(test, "section", ident="root_section")
    for v in quiz.variants:
        section = _el(top, "section", ident=f"{ident}_v{v.number}", title=f"Variant {v.number}")
        for k, q in enumerate(v.questions, 1):
            section.append(item(v, q, f"{ident}_v{v.number}_q{k}", images.get(v.number)))
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
