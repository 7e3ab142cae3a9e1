"""Slips of a circuit's gates: how add, multiply and max route the gradient."""

import sympy as sp

from ...gates import gate
from .edits import set_factor
from .slip import Slip


def _gate(ctx, factor):
    """The gate (:func:`symnet.gates.gate`) whose local derivative ``factor`` is, or None."""
    definition = ctx.net.definitions.get(factor.num)
    return None if definition is None else gate(factor.num, definition)


def max_to_every_input(ctx):
    for factor, value in ctx.factors.items():
        g = _gate(ctx, factor)
        if g is not None and g.kind == "max" and len(g.inputs) > 1 and factor.den in g.inputs:
            yield Slip("max gradient sent to every input",
                       f"max gives all of the gradient to its largest input only, not to every "
                       f"input: {ctx.show(factor)} = {ctx.show(value)}, not 1",
                       set_factor(factor, sp.S.One), frozenset([factor]))


def max_to_smaller(ctx):
    for factor, value in ctx.factors.items():
        g = _gate(ctx, factor)
        if g is not None and g.kind in ("max", "min") and len(g.inputs) == 2 and \
                factor.den in g.inputs:
            other = sp.Heaviside(-value.args[0], *value.args[1:]) \
                if isinstance(value, sp.Heaviside) else 1 - value  # θ(w − z) for θ(z − w)
            yield Slip("max routed to the smaller input",
                       f"{g.kind} gives all of the gradient to the "
                       f"{'larger' if g.kind == 'max' else 'smaller'} input: "
                       f"{ctx.show(factor)} = {ctx.show(value)}, not {ctx.show(other)}",
                       set_factor(factor, other), frozenset([factor]))


def multiply_unswapped(ctx):
    for factor, value in ctx.factors.items():
        g = _gate(ctx, factor)
        if g is not None and g.kind == "multiply" and len(g.inputs) == 2 and \
                factor.den in g.inputs:
            other = next(i for i in g.inputs if i != factor.den)
            own = value.xreplace({other: factor.den})
            yield Slip("multiply gate not swapped",
                       f"a multiply gate gives each input the gradient times the other input: "
                       f"{ctx.show(factor)} = {ctx.show(value)}, not {ctx.show(own)}",
                       set_factor(factor, own), frozenset([factor]))


def add_splitting(ctx):
    for factor, value in ctx.factors.items():
        g = _gate(ctx, factor)  # q = x + y is one; a neuron's weighted sum is not
        if g is not None and g.kind == "add" and len(g.inputs) > 1 and value == 1:
            share = sp.Rational(1, len(g.inputs))
            yield Slip("add gate splitting",
                       f"an add gate passes the whole gradient on to each input, it does not "
                       f"split it: {ctx.show(factor)} = 1, not {share}",
                       set_factor(factor, share), frozenset([factor]))
