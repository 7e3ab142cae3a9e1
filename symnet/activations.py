"""The activation registry: one entry per activation holds everything symnet knows about it.

An entry gives the SymPy function (and so its closed-form derivative and its LaTeX name), the
NumPy form the generated code calls, the range and peak of the derivative (for the atlas and the
gradient-flow bounds), the initialisation rule, and the names the answer parser accepts.  Every
other module reads the registry, so adding an activation is one call:

>>> import sympy as sp
>>> entry = register_activation("softsign", lambda x: x / (1 + sp.Abs(x)),
...                             derivative=lambda x: 1 / (1 + sp.Abs(x))**2)
>>> N1 = sp.Symbol("N1")
>>> entry.make(N1), sp.diff(entry.make(N1), N1)
(softsign(N1), (Abs(N1) + 1)**(-2))
>>> unregister_activation("softsign")
"""

import keyword
import math
import re
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from .bounds import check_cost
from .errors import SymnetError, UnknownNameError, did_you_mean
from .functions import Activated, elu, leaky_relu, relu, sigmoid, silu, softplus
from .generics import GREEK, RESERVED, generic_function
from .values import exact_number

INITS = ("glorot", "he")


@dataclass(frozen=True)
class ActivationEntry:
    """One registered activation.

    ``make(z, **options)`` gives the SymPy expression of a neuron's output; ``options`` their
    defaults (leaky ReLU's ``slope``); ``numpy(xp)`` the function the generated code calls (None:
    the elementary form is compiled); ``ranges(options)`` gives (text, infimum, supremum, where
    the supremum is) of the derivative; ``init`` is ``"glorot"`` or ``"he"``; ``spellings`` the
    extra names a student may type; ``function`` the SymPy class (None for linear and softmax).
    """

    name: str
    make: Callable = field(compare=False)
    options: dict = field(default_factory=dict, compare=False)
    numpy: Callable = field(default=None, compare=False)
    ranges: Callable = field(default=None, compare=False)
    init: str = "glorot"
    spellings: tuple = ()
    function: type = None
    output_only: bool = False

    @property
    def is_linear(self):
        return self.name == "linear"


REGISTRY = {}


def _add(entry):
    REGISTRY[entry.name] = entry
    return entry


def _numeric_sigmoid(xp):
    # e^{-x} = inf for x < −709 gives exactly 0; the generated code runs with overflow ignored
    return lambda x: 1.0 / (1.0 + xp.exp(-x))


_ZERO, _ONE = sp.Integer(0), sp.Integer(1)


def _leaky_ranges(options):
    lo, hi = sorted([options["slope"], _ONE])
    return f"{{{lo}, {hi}}}", lo, hi, "for x > 0" if options["slope"] < 1 else "for x ≤ 0"


def _elu_ranges(options):
    a = options["alpha"]
    if a == 1:
        return "(0, 1]", _ZERO, _ONE, "for x ≥ 0"
    if a < 1:
        return f"(0, {a}] ∪ {{1}}", _ZERO, _ONE, "for x > 0"
    return f"(0, {a}]", _ZERO, a, "as x → 0 from the left"


_SILU_PEAK = 2.3994


def _trunc(v, digits=4):
    # truncated, not rounded, so that "…" is honest: -0.09984… prints -0.0998…
    t = math.trunc(v * 10 ** digits) / 10 ** digits
    return f"{t:.{digits}f}"


def _silu_ranges(options):
    lo, hi = _silu_extremes()
    return (f"[{_trunc(lo)}…, {_trunc(hi)}…]", sp.Float(lo, 15), sp.Float(hi, 15),
            f"at x ≈ {_SILU_PEAK:.4f}")


_SILU_EXTREMES = []


def _silu_extremes():
    # silu'(x) = σ(x)(1 + x(1 − σ(x))) has its extremes where silu''(x) = 0, at x ≈ ±2.3994:
    # two nsolve calls, made once
    if not _SILU_EXTREMES:
        x = sp.Symbol("x")
        d1 = sp.diff(silu(x)._elementary(), x)
        d2 = sp.diff(d1, x)
        peak, dip = sp.nsolve(d2, x, _SILU_PEAK), sp.nsolve(d2, x, -_SILU_PEAK)
        _SILU_EXTREMES.extend([float(d1.subs(x, dip)), float(d1.subs(x, peak))])
    return tuple(_SILU_EXTREMES)


def _fixed(text, low, high, peak):
    return lambda options: (text, sp.Rational(low), sp.Rational(high), peak)


_add(ActivationEntry("linear", lambda z: z, ranges=_fixed("{1}", 1, 1, "")))
_add(ActivationEntry("sigmoid", sigmoid, numpy=_numeric_sigmoid, function=sigmoid,
                     ranges=_fixed("(0, 1/4]", 0, sp.Rational(1, 4), "at x = 0"),
                     spellings=("sigma", "σ", "logistic")))
_add(ActivationEntry("tanh", sp.tanh, function=sp.tanh,
                     ranges=_fixed("(0, 1]", 0, 1, "at x = 0")))
_add(ActivationEntry("relu", relu, numpy=lambda xp: lambda x: xp.maximum(x, 0.0), function=relu,
                     ranges=_fixed("{0, 1}", 0, 1, "for x > 0"), init="he",
                     spellings=("ReLU",)))
_add(ActivationEntry("leaky_relu", lambda z, slope: leaky_relu(z, slope),
                     options={"slope": sp.Rational(1, 100)}, function=leaky_relu,
                     numpy=lambda xp: lambda x, a: xp.where(x > 0, x, a * x),
                     ranges=_leaky_ranges, init="he", spellings=("leakyrelu", "LeakyReLU")))
_add(ActivationEntry("softplus", softplus, numpy=lambda xp: lambda x: xp.logaddexp(0.0, x),
                     function=softplus, ranges=_fixed("(0, 1)", 0, 1, "approached as x → ∞")))
_add(ActivationEntry("elu", lambda z, alpha: elu(z, alpha), options={"alpha": sp.Integer(1)},
                     numpy=lambda xp: lambda x, a: xp.where(x > 0, x, a * xp.expm1(xp.minimum(x, 0.0))),
                     function=elu, ranges=_elu_ranges, init="he", spellings=("ELU",)))
_add(ActivationEntry("silu", silu, numpy=lambda xp: lambda x: x / (1.0 + xp.exp(-x)),
                     function=silu, ranges=_silu_ranges, init="he", spellings=("swish", "SiLU")))
_add(ActivationEntry("softmax", None, output_only=True))  # applied across the output layer


def names(hidden=False):
    """The registered activation names (``hidden=True``: those a hidden layer accepts).

    >>> names(hidden=True)[:3]
    ('linear', 'sigmoid', 'tanh')
    """
    return tuple(n for n, e in REGISTRY.items() if not (hidden and e.output_only))


def entry(name):
    """The registry entry called ``name``; an :class:`UnknownNameError` listing the others."""
    key = name.strip().lower() if isinstance(name, str) else None
    if key not in REGISTRY:
        close = did_you_mean(name, REGISTRY)
        hint = "" if close or not isinstance(name, str) else \
            f"; for a function known by its name only, as a lecture's {name}(·), use sn.generic({name!r})"
        raise UnknownNameError(f"unknown activation {name!r}{close}; valid: {', '.join(REGISTRY)}"
                               f"{hint}")
    return REGISTRY[key]


def register_activation(name, f, *, derivative=None, latex=None, spellings=(), init="glorot"):
    r"""Add an activation to every part of symnet: networks, derivations, compiled code,
    training, the atlas, gradient flow and the answer parser.

    ``f`` maps a SymPy Symbol to the activation's expression (``lambda x: x / (1 + sp.Abs(x))``);
    ``derivative`` (same form) overrides the closed form ``diff`` gives, taken for real x;
    ``latex`` is its LaTeX name (default ``\operatorname{name}``); ``spellings`` more names the
    parser accepts; ``init`` is ``"glorot"`` or ``"he"``.  Returns the registry entry.

    >>> import symnet as sn
    >>> import sympy as sp
    >>> e = sn.register_activation("cube", lambda x: x**3, spellings=("cubed",))
    >>> e.make(sp.Symbol("N1")).diff(sp.Symbol("N1"))
    3*N1**2
    >>> e.ranges({})[0]
    '[0, 7500]'
    >>> sn.Network("1-1-1", activation="cube").derive("w1").expanded
    6*w2*x1*(b1 + w1*x1)**2*(b2 + w2*cube(b1 + w1*x1) - y)
    >>> sn.unregister_activation("cube")
    """
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise SymnetError(f"an activation name is a plain identifier like 'softsign', got {name!r}")
    if name.lower() in REGISTRY:
        raise SymnetError(f"activation {name!r} is already registered")
    if init not in INITS:
        raise SymnetError(f"init must be one of {', '.join(INITS)}, got {init!r}")
    _check_latex(latex)
    spellings = _checked_spellings(spellings)
    x = sp.Dummy("x", real=True)
    formula = _expression(f, x, "f")
    slope = _expression(derivative, x, "derivative") if derivative is not None else \
        _expression(lambda v: sp.diff(formula, v), x, "f's derivative")
    ranges = _sampled_ranges(slope, x)
    function = type(name, (Activated,), {
        "_formula": staticmethod(lambda arg: formula.xreplace({x: arg})),
        "_slope": staticmethod(lambda arg: slope.xreplace({x: arg})),
        "_latex_name": latex or r"\operatorname{%s}" % name.replace("_", r"\_"),
    })
    return _add(ActivationEntry(name.lower(), function, function=function, init=init,
                                ranges=ranges, spellings=spellings))


_FORM = "must map a SymPy Symbol x to an expression in x, e.g. lambda x: x / (1 + sympy.Abs(x))"


def _expression(f, x, what):
    """``f(x)``, refused unless a real, finite SymPy expression in x within the cost bounds.

    Nothing here hands text to SymPy's parser: a string returned is refused before ``diff``
    (which would sympify it, running it as code)."""
    if not callable(f):
        raise SymnetError(f"{what} {_FORM}, got {type(f).__name__}")
    try:
        value = f(x)
    except Exception as e:  # the user's own code: its failure is one line, not a traceback
        raise SymnetError(f"{what} fails on a SymPy Symbol x ({type(e).__name__}: "
                          f"{' '.join(str(e).split())[:200]}); it {_FORM}") from None
    if not isinstance(value, sp.Expr) or not value.free_symbols <= {x}:
        shown = type(value).__name__ if not isinstance(value, sp.Expr) else \
            "an expression in " + ", ".join(sorted(map(str, value.free_symbols - {x})))
        raise SymnetError(f"{what} {_FORM}; it gave {shown}")
    check_cost(value, what=f"{what}(x)", magnitude=False)
    if value.has(sp.I) or value.has(AppliedUndef) or value.is_real is False:
        raise SymnetError(f"{what}(x) must be real for real x and built from known functions "
                          f"(for a function known by its name only, use sn.generic); got "
                          f"{sp.sstr(value)[:80]}")
    return value


_TEX_FORBIDDEN = re.compile(r"[<>&%#$]|\^\^|\\(input|include|write|immediate|open|read|catcode|"
                            r"def|edef|gdef|let|csname|special|new|renew|provide|usepackage|"
                            r"document|begin|end|make|expandafter|output|shipout|jobname)",
                            re.IGNORECASE)


def _check_latex(latex):
    # the LaTeX name reaches TeX files, HTML (quizzes' \( … \)) and XML (Moodle): printable
    # characters only, and nothing that is markup there or a TeX command reaching files
    if latex is None:
        return
    if not isinstance(latex, str) or not latex.strip() or len(latex) > 200 or \
            not latex.isprintable() or _TEX_FORBIDDEN.search(latex) or \
            not _balanced(latex):
        raise SymnetError(f"latex= is a short LaTeX name like r'\\operatorname{{softsign}}' "
                          f"(printable, balanced braces, no < > & % # $ and no file or "
                          f"definition commands), got {latex!r:.80}")


def _balanced(text):
    depth = 0
    for c in text.replace(r"\{", "").replace(r"\}", ""):
        depth += (c == "{") - (c == "}")
        if depth < 0:
            return False
    return depth == 0


def _checked_spellings(spellings):
    if isinstance(spellings, str) or not isinstance(spellings, (tuple, list)) or not all(
            isinstance(s, str) and s.isidentifier() and not keyword.iskeyword(s) and len(s) <= 30
            for s in spellings):
        raise SymnetError(f"spellings= is a tuple of identifiers like ('cubed',), got "
                          f"{spellings!r:.80}")
    return tuple(spellings)


def unregister_activation(name):
    """Remove an activation added by :func:`register_activation`."""
    if name not in REGISTRY or REGISTRY[name].function is None or \
            not issubclass(REGISTRY[name].function, Activated) or name in _BUILT_IN:
        raise SymnetError(f"{name!r} is not an activation added by register_activation")
    del REGISTRY[name]


def _sampled_ranges(slope, x):
    """The derivative's range over [−50, 50], sampled once: for activations given by a formula;
    refused if the derivative has no finite value there."""
    try:
        fn = sp.lambdify(x, slope, "math")
        fn(0.5)
    except (ArithmeticError, ValueError, TypeError):
        pass  # undefined at this point only
    except Exception:  # SymPy's printer or a function with no numeric form
        raise SymnetError(f"the derivative {sp.sstr(slope)[:80]} has no numeric form (the "
                          "atlas and compiled code need numbers); give derivative=") from None
    values = {}
    for i in range(-5000, 5001):
        try:
            v = float(fn(i / 100))
        except (ArithmeticError, ValueError, TypeError):
            continue
        if math.isfinite(v):
            values[i / 100] = v
    if not values:
        raise SymnetError(f"the derivative {sp.sstr(slope)[:80]} has no finite value on "
                          "[-50, 50], the range the atlas and gradient flow sample")
    lo, hi = min(values.values()), max(values.values())
    peak_at = next(at for at, v in values.items() if v == hi)
    show = lambda v: f"{v:.4g}"
    found = (f"[{show(lo)}, {show(hi)}]", sp.Float(lo, 15), sp.Float(hi, 15), f"at x ≈ {peak_at:g}")
    return lambda options: found


_BUILT_IN = frozenset(REGISTRY)


@dataclass(frozen=True)
class Activation:
    """A named activation with its options bound: ``apply(z)`` gives its SymPy expression.

    >>> Activation.get("sigmoid").apply(sp.Symbol("N1"))
    sigmoid(N1)
    >>> Activation.get("leaky_relu", slope=0.2).apply(sp.Symbol("N1"))
    leaky_relu(N1, 1/5)
    """

    name: str
    apply: Callable = field(compare=False)
    options: tuple = ()
    generic: bool = False

    def __str__(self):
        opts = ", ".join(f"{k}={v}" for k, v in self.options)
        return f"{self.name}({opts})" if opts else self.name

    @property
    def is_linear(self):
        return self.name == "linear"

    @property
    def entry(self):
        """The registry entry of this activation (of a generic one, an entry made for it)."""
        if self.generic:
            return ActivationEntry(self.name, self.apply, function=self.apply)
        return REGISTRY[self.name]

    @staticmethod
    def get(spec, **options):
        """The activation named ``spec`` (or ``spec`` itself if it is an Activation).

        Names: every registered one (see :func:`names`): linear, sigmoid, tanh, relu,
        leaky_relu (option ``slope``, default 0.01), softplus, elu (option ``alpha``, default 1),
        silu; and softmax for outputs.
        """
        if isinstance(spec, Activation):
            return spec
        e = entry(spec)
        unknown = set(options) - set(e.options)
        if unknown:
            raise UnknownNameError(
                f"activation {e.name} takes no option {sorted(unknown)[0]!r}; "
                f"options: {', '.join(e.options) or 'none'}")
        values = {k: exact_number(options.get(k, v), k) for k, v in e.options.items()}
        if not values and isinstance(e.make, type) and issubclass(e.make, Activated):
            # σ(N1) of a neuron is new: made without looking in SymPy's cache first
            return Activation(e.name, e.make._new_)
        return Activation(e.name, lambda z: e.make(z, **values), tuple(values.items()))


def generic(name):
    """An activation known by its name only, as the seed lecture writes a neuron,
    ``y = NL(w1 x1 + w2 x2 + w3 x3 + b)``: a network with it derives, prints and checks, with
    its derivative written ``NL'(N1)`` (:mod:`symnet.generics`); compiling and fitting it are
    refused, as it has no numbers.  A Greek letter is its name (``generic("φ")`` is phi).

    >>> import symnet as sn
    >>> net = sn.Network("3-1", output_activation=sn.generic("NL"), bias=False)
    >>> net.definitions[sp.Symbol("yhat")]
    NL(N1)
    >>> print(sn.text(net.derive("w1").result))
    2*x1*(yhat - y)*NL'(N1)
    """
    name = GREEK.get(name, name) if isinstance(name, str) else name
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_") or \
            keyword.iskeyword(name) or len(name) > 30 or not name.isascii():
        raise SymnetError(f"a generic activation's name is a plain identifier like 'NL' or 'phi', "
                          f"got {name!r}")
    if name.lower() in REGISTRY or name in {s for e in REGISTRY.values() for s in e.spellings}:
        raise SymnetError(f"{name!r} is a registered activation, with a formula: write "
                          f"activation={name!r}")
    if name in RESERVED:
        raise SymnetError(f"{name!r} is one of symnet's functions; give the generic activation "
                          "another name, like 'NL' or 'phi'")
    return Activation(name, generic_function(name), generic=True)
