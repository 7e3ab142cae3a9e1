"""What every export says of a variant: the network or the circuit, its numbers, and the
questions."""

import base64
import functools
import hashlib
import importlib.util

from ..circuits import Circuit
from ..document import InlineMath
from ..drawing import draw
from ..printing import aligned, latex, text
from ..sheets import format_number


def model_name(net):
    """A short name of the model in titles and identifiers: a network's layer sizes
    (``2-2-1``), a circuit's ``circuit-`` (a template's name) and 6 hex digits of its
    definitions (two circuits of one course have different names).

    >>> model_name(Circuit("q = x + y; f = q*z"))
    'circuit-42c67b'
    >>> from symnet.templates import template
    >>> model_name(template("batchnorm", m=4))
    'batchnorm-37cd4a'
    """
    if not isinstance(net, Circuit):
        return net.arch
    kind = getattr(net, "template_name", "circuit")
    return f"{kind}-" + hashlib.sha256(repr(net).encode()).hexdigest()[:6]


def description(net):
    """One sentence on the network's activations and loss, or the circuit's output."""
    if isinstance(net, Circuit):
        return f"The circuit with output {text(net.output)} is defined by"
    hidden = ", ".join(dict.fromkeys(a.name for a in net.activations)) or "none"
    return (f"The {net.arch} network (hidden activation: {hidden}; output activation: "
            f"{net.output_activation.name}; loss: {net.loss.name}) is defined by")


@functools.lru_cache(maxsize=8)  # the same for every variant of a quiz
def definitions_tex(net):
    return aligned([(latex(k), latex(v)) for k, v in net.definitions.items()], inline=True)


def numbers_tex(variant):
    """``x_{1} = 0.3, …; w_{1} = 0.15, …`` of the variant, as inline LaTeX."""
    sheet = variant.sheet
    point = sheet.samples[0]
    leaves = [f"{latex(k)} = {format_number(v)}" for k, v in point.items()]
    params = [f"{latex(k)} = {format_number(v)}" for k, v in sheet.params.items()]
    return ", ".join(leaves), ", ".join(params)


def at_parts(variant):
    """"At the data point … with the parameters …" (a network), "At x = −2, …" (a circuit):
    text and :class:`~symnet.document.InlineMath`."""
    point, params = numbers_tex(variant)
    if isinstance(variant.sheet.net, Circuit):  # its point has every leaf, parameters too
        return ["At ", InlineMath(point)]
    return ["At the data point ", InlineMath(point), " with the parameters ", InlineMath(params)]


def math_html(tex):
    """Inline math in HTML, ``\\( … \\)``: MathJax reads the text, so ``<`` and ``>`` are
    written as HTML, never a tag (a registered activation's LaTeX name is the user's; ``&`` stays,
    as aligned definitions use ``&=`` and no entity is written).

    >>> math_html("a < b")
    '\\\\(a &lt; b\\\\)'
    """
    return "\\(" + tex.replace("<", "&lt;").replace(">", "&gt;") + "\\)"


def html_math(parts):
    """Text and inline math as HTML, the math as ``\\( … \\)``."""
    return "".join(math_html(p.tex) if isinstance(p, InlineMath) else p for p in parts)


def picture_png(variant):
    """The network drawn, every neuron and weight named (a circuit: its gates), as base64
    PNG; None without matplotlib (the picture is optional).  The question states the
    variant's numbers, so one picture serves every variant: it is drawn once per network
    (one figure per variant was four fifths of a 200-variant export)."""
    return _picture(variant.sheet.net)


@functools.lru_cache(maxsize=8)
def _picture(net):
    if importlib.util.find_spec("matplotlib") is None:
        return None
    return base64.b64encode(draw(net).to_bytes("png", dpi=80)).decode("ascii")


def intro_html(variant, image=None):
    """The question's text up to the questions, as HTML with ``\\( … \\)`` math."""
    net = variant.sheet.net
    parts = [f"<p>{description(net)}</p>", f"<p>{math_html(definitions_tex(net))}</p>"]
    if image:
        what = "circuit" if isinstance(net, Circuit) else f"{net.arch} network"
        parts.append(f'<p><img src="{image}" alt="the {what}"></p>')
    parts += [f"<p>{html_math(at_parts(variant))}, compute (to 4 significant digits):</p>"]
    return "\n".join(parts)
