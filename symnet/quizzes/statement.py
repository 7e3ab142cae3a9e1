"""What every export says of a variant: the network, its numbers, and the questions."""

import base64
import importlib.util
from decimal import Decimal

from ..drawing import draw
from ..printing import aligned, latex
from ..sheets import format_number


def tolerance_text(tol):
    """A tolerance as a plain decimal: ``5e-05`` → ``0.00005``."""
    return format(Decimal(repr(tol)), "f")


def description(net):
    """One sentence on the network's activations and loss."""
    hidden = ", ".join(dict.fromkeys(a.name for a in net.activations)) or "none"
    return (f"The {net.arch} network (hidden activation: {hidden}; output activation: "
            f"{net.output_activation.name}; loss: {net.loss.name}) is defined by")


def definitions_tex(net):
    return aligned([(latex(k), latex(v)) for k, v in net.definitions.items()], inline=True)


def numbers_tex(variant):
    """``x_{1} = 0.3, …; w_{1} = 0.15, …`` of the variant, as inline LaTeX."""
    sheet = variant.sheet
    point = sheet.samples[0]
    leaves = [f"{latex(k)} = {format_number(v)}" for k, v in point.items()]
    params = [f"{latex(k)} = {format_number(v)}" for k, v in sheet.params.items()]
    return ", ".join(leaves), ", ".join(params)


def picture_png(variant):
    """The network drawn with the variant's parameters, as base64 PNG; None without
    matplotlib (the picture is optional)."""
    if importlib.util.find_spec("matplotlib") is None:
        return None
    sheet = variant.sheet
    params = {str(k): float(v) for k, v in sheet.params.items()}
    png = draw(sheet.net, params=params).to_bytes("png", dpi=80)
    return base64.b64encode(png).decode("ascii")


def intro_html(variant, image=None):
    """The question's text up to the questions, as HTML with ``\\( … \\)`` math."""
    point, params = numbers_tex(variant)
    net = variant.sheet.net
    parts = [f"<p>{description(net)}</p>", f"<p>\\({definitions_tex(net)}\\)</p>"]
    if image:
        parts.append(f'<p><img src="{image}" alt="the {net.arch} network"></p>')
    parts += [f"<p>At the data point \\({point}\\) with the parameters \\({params}\\), "
              "compute (to 4 significant digits):</p>"]
    return "\n".join(parts)
