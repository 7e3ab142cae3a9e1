"""Slips in a chain's local factors: an activation or another's derivative for its own, a
factor dropped, doubled or kept where the loss cancels it, a neighbouring symbol, a sign, a
square, an input on a bias, a constant."""

import sympy as sp

from ...activations import entry, names
from ...derive import Partial
from ...printing import text
from ..wording import constant_sentence
from .edits import scale, set_factor
from .slip import Slip


def _activated(ctx, factor):
    """True when ``factor`` is ∂h/∂N of an activation (h = act(N)): a function applied, not a
    gate of a circuit (d = a*b) nor the loss."""
    definition = ctx.net.definitions.get(factor.num)
    return definition is not None and definition.is_Function and factor.num != ctx.of \
        and factor.den in definition.free_symbols and not definition.has(sp.log)


def activation_for_derivative(ctx):
    for factor, value in ctx.factors.items():
        if _activated(ctx, factor):
            used = ctx.net.definitions[factor.num]
            yield Slip("activation for its derivative",
                       f"you used {ctx.show(used)} where its derivative {ctx.show(factor)} = "
                       f"{ctx.show(value)} belongs", set_factor(factor, used), frozenset([factor]))


def cancelled_factor_kept(ctx):
    kind = getattr(ctx.loss, "targets", None)
    for factor, value in ctx.factors.items():
        if kind == "probability" and factor.num in ctx.outputs and _activated(ctx, factor):
            yhat, kept = factor.num, factor  # σ' that cancels the quotient of ∂L/∂ŷ (bce)
        elif kind == "distribution" and factor.num == ctx.of and factor.den in ctx.softmax_of:
            yhat = ctx.softmax_of[factor.den]  # δ = ŷ_i − y_i of softmax with cross-entropy
            kept = Partial(yhat, factor.den)
        else:
            continue
        y = ctx.targets[ctx.outputs.index(yhat)]
        slope = value if kept == factor else yhat * (1 - yhat)
        yield Slip("cancelled factor kept",
                   f"you kept the factor {ctx.show(kept)} = {ctx.show(slope)}, which "
                   f"{ctx.loss.name} cancels: ∂{ctx.of}/∂{yhat} · {ctx.show(kept)} = "
                   f"{ctx.show(yhat - y)}", set_factor(factor, value * slope), frozenset([factor]))


def dropped_factor(ctx):
    for factor, value in ctx.factors.items():
        if value != 1:
            yield Slip("dropped factor", f"you left out the factor {ctx.show(factor)} = "
                       f"{ctx.show(value)}", set_factor(factor, sp.S.One), frozenset([factor]))


def _symbols_in_factors(ctx):
    """(factor, its value, each symbol in the value), in a fixed order."""
    for factor, value in ctx.factors.items():
        for old in sorted(value.free_symbols, key=sp.default_sort_key):
            yield factor, value, old


def neighbour(ctx):
    for factor, value, old in _symbols_in_factors(ctx):
        for new in ctx.neighbours(old):
            yield Slip("neighbouring symbol",
                       f"you used {ctx.show(new)} where {ctx.show(old)} belongs: "
                       f"{ctx.show(factor)} = {ctx.show(value)}",
                       set_factor(factor, value.xreplace({old: new})), frozenset([factor]))


def sum_for_output(ctx):
    for factor, value, old in _symbols_in_factors(ctx):
        new = ctx.other_side(old)
        if new is not None:
            what = "output" if old in ctx.outputs_of else "weighted sum"
            yield Slip("weighted sum for output",
                       f"you used {new} where {old} belongs: {ctx.show(factor)} = "
                       f"{ctx.show(value)}, the neuron's {what}",
                       set_factor(factor, value.xreplace({old: new})), frozenset([factor]))


def other_activation(ctx):
    for factor, value in ctx.factors.items():
        if not _activated(ctx, factor):
            continue
        h, own = factor.num, ctx.net.definitions[factor.num]
        for name in names(hidden=True):
            if name == "linear":
                continue
            made, slope = (e.xreplace({_X: factor.den}) for e in _slope(name))
            if own.has(made):
                continue
            in_output = slope.xreplace({made: h})  # σ' as h(1 − h), written in the output h
            for used in dict.fromkeys([slope, in_output]):
                if used == value or (used == in_output and factor.den in used.free_symbols):
                    continue
                yield Slip("another activation's derivative",
                           f"you used {name}'s derivative {ctx.show(used)} for {ctx.show(factor)}, "
                           f"but {h} = {text(own)}, whose derivative is {ctx.show(value)}",
                           set_factor(factor, used), frozenset([factor]))


def _in_derivatives(ctx, kind, rewrite, sentence):
    """A slip of ``kind`` for each activation factor that ``rewrite`` changes."""
    for factor, value in ctx.factors.items():
        if _activated(ctx, factor):
            used = rewrite(value, factor)
            if used != value and used is not None:
                yield Slip(kind, f"{sentence}: {ctx.show(factor)} = {ctx.show(value)}, not "
                           f"{ctx.show(used)}", set_factor(factor, used), frozenset([factor]))


def sign_inside(ctx):
    # σ(1 + σ) for σ(1 − σ), 1 + tanh² for 1 − tanh²
    flip = lambda v, f: v.replace(lambda e: e.is_Add and any(t.could_extract_minus_sign()
                                                             for t in e.args),
                                  lambda e: sp.Add(*[_positive(t) for t in e.args]))
    yield from _in_derivatives(ctx, "sign in the activation's derivative", flip,
                               "a sign in the activation's derivative is off")


def _positive(t):
    return -t if t.could_extract_minus_sign() else t


def square_dropped(ctx):
    # tanh' written 1 − h instead of 1 − h²
    drop = lambda v, f: v.replace(lambda e: e.is_Pow and e.exp == 2, lambda e: e.base)
    yield from _in_derivatives(ctx, "square dropped from the activation's derivative", drop,
                               "the activation's derivative has a square")


def sum_inside(ctx):
    # σ'(N1) written N1(1 − N1): the sum where the activation of it belongs
    bare = lambda v, f: v.xreplace({ctx.net.definitions[f.num]: f.den}) \
        if ctx.net.definitions[f.num].is_Function else None
    yield from _in_derivatives(ctx, "weighted sum inside the activation's derivative", bare,
                               "the derivative takes the activation's value, not the sum")


_X = sp.Dummy("x")
_SLOPES = {}  # name → (registry entry, f(x), f'(x)); re-derived when the entry changes


def _slope(name):
    e = entry(name)
    cached = _SLOPES.get(name)
    if cached is None or cached[0] is not e:
        made = e.make(_X, **e.options)
        cached = _SLOPES[name] = (e, made, sp.diff(made, _X))
    return cached[1:]


def doubled(ctx):
    for factor, value in ctx.factors.items():
        if not value.is_number and not isinstance(value, sp.Heaviside):  # θ² is θ: no slip
            yield Slip("doubled factor", f"you used the factor {ctx.show(factor)} = "
                       f"{ctx.show(value)} twice", set_factor(factor, value ** 2), frozenset([factor]))


def sign(ctx):
    if ctx.loss is None:  # a circuit's output is no loss: ∂y/∂f = 1 has no sign to get wrong
        return
    for factor, value in ctx.factors.items():
        if factor.num == ctx.of:
            yield Slip("sign of the loss's derivative",
                       f"the sign of {ctx.show(factor)} is off: it is {ctx.show(value)}",
                       set_factor(factor, -value), frozenset([factor]))


def bias_input(ctx):
    for factor, value in ctx.factors.items():
        if factor.den == ctx.wrt and value == 1 and ctx.wrt in ctx.params:
            for extra in ctx.net.parents[factor.num]:
                if extra not in ctx.params:
                    yield Slip("input factor on a bias",
                               f"a bias has no input: {ctx.show(factor)} = 1, but your answer has "
                               f"the extra factor {ctx.show(extra)}",
                               set_factor(factor, extra), frozenset([factor]))


def constant(ctx):
    for c in (sp.Rational(1, 2), sp.Integer(2), sp.Integer(-1)):
        yield Slip("constant factor", constant_sentence(ctx.loss, ctx.name, c), scale(c),
                   frozenset(["scale"]))
