"""The layers courses assign, as circuits: one module per template, one registry.

A template is a function of a few whole-number sizes and options that returns a named
:class:`~symnet.circuits.Circuit`; derive, check, worksheet, slides, quiz, grade, draw and
``compile("scalar")`` take it as they take any circuit.  :func:`template` makes one by name,
and :func:`from_spec` from the command line's ``--template NAME:option=value,…``.

Every template but softmax with cross-entropy ends in L = Σ g·y, the upstream gradients ``g``
as inputs (CS231n's ``dout``): ∂L/∂y is g, and a one-hot g picks one output (L = y₁).

>>> import symnet as sn
>>> c = sn.template("affine", n=2, k=1)
>>> print(c)
y1 = w1_1*x1 + w1_2*x2 + b1
L = g1*y1
(output L; parameters w1_1, w1_2, b1, x1, x2; inputs g1)
>>> sorted(TEMPLATES)
['affine', 'attention', 'batchnorm', 'conv1d', 'conv2d', 'layernorm', 'maxpool', 'rnn',
 'softmax_ce']
"""

import inspect

from ..errors import SymnetError, UnknownNameError, did_you_mean, listed
from ..values import INTEGER, MINUS, NUMBER, exact_number
from . import affine, attention, batchnorm, convolution, layernorm, pooling, recurrent, softmax_ce

TEMPLATES = {  # name → the function that builds it (keyword options only)
    "affine": affine.affine,
    "softmax_ce": softmax_ce.softmax_ce,
    "batchnorm": batchnorm.batchnorm,
    "layernorm": layernorm.layernorm,
    "attention": attention.attention,
    "rnn": recurrent.rnn,
    "conv1d": convolution.conv1d,
    "conv2d": convolution.conv2d,
    "maxpool": pooling.maxpool,
}


def template(name, **options):
    """The circuit of the template ``name`` with its ``options`` (see each template's
    function in :data:`TEMPLATES` for its options and defaults).

    >>> import symnet as sn
    >>> bn = sn.template("batchnorm", m=4, bessel=True)
    >>> print(sn.text(bn.definitions[bn.symbol("var")]))
    (d1**2 + d2**2 + d3**2 + d4**2)/3
    """
    build = TEMPLATES.get(str(name))
    if build is None:
        raise UnknownNameError(f"unknown template {str(name)!r}{did_you_mean(name, TEMPLATES)}; "
                               f"the templates are: {listed(TEMPLATES)}")
    accepted = [p for p in inspect.signature(build).parameters]
    unknown = [o for o in options if o not in accepted]
    if unknown:
        raise SymnetError(f"template {name!r} has no option {unknown[0]!r}"
                          f"{did_you_mean(unknown[0], accepted)}; its options: "
                          f"{listed(accepted) or 'none'}")
    circuit = build(**options)
    circuit.template_name = str(name)  # its quizzes' titles and categories say which layer
    return circuit


def from_spec(spec):
    """The circuit of a command line's ``--template`` text, ``NAME`` or
    ``NAME:option=value,…`` (whole numbers, numbers, ``true``/``false`` or a name).

    >>> from_spec("softmax_ce:k=2,target=2").params
    [z1, z2]
    """
    name, _, rest = str(spec).partition(":")
    options = {}
    for item in filter(None, (s.strip() for s in rest.split(","))):
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise SymnetError(f"--template options are option=value pairs, like "
                              f"batchnorm:m=4,bessel=true; got {item!r}")
        if key.strip() in options:
            raise SymnetError(f"--template option {key.strip()} is given twice")
        options[key.strip()] = _value(value.strip().translate(MINUS))  # −1 as printed
    return template(name.strip(), **options)


def _value(text):
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if INTEGER.fullmatch(text):
        return int(text)
    if NUMBER.fullmatch(text) or "/" in text:
        return exact_number(text, "a template option")
    return text
