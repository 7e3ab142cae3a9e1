"""Nice numbers from a seed: the one meaning of ``--seed`` in worksheets, quizzes and drawings.

``symnet worksheet --seed N``, ``symnet quiz --seed N`` (variant 1) and ``symnet draw --seed N``
all label the network with :func:`nice_numbers` ``(net, N)``, so a drawing matches its sheet.
A circuit's leaves get whole numbers, as CS231n's circuits have (x = −2, y = 5, z = −4).
"""

import random

import sympy as sp

from .circuits import Circuit
from .errors import SymnetError
from .generics import require_formulas
from .values import seed as check_seed

MAX_DRAWS = 100  # points drawn for a circuit before giving up on one where every node has a value
_WHOLE = [k for k in range(-5, 6) if k]  # a circuit leaf's nice values


def nice_numbers(net, seed, samples=1):
    """Inputs, targets and parameters with one or two decimals, drawn from ``seed``.

    Inputs have one decimal in [−1, 1]; weights are non-zero multiples of 0.05 in [−1, 1];
    biases multiples of 0.05 in [−0.5, 0.5]; targets suit the output (0 or 1 for bce, one-hot
    for cross_entropy, one decimal in (0, 1) for sigmoid outputs).  Returns ``(at, params)``.

    >>> from symnet.network import Network
    >>> at, params = nice_numbers(Network("2-1"), seed=1)
    >>> at, params
    ([{'x1': -0.2, 'x2': -0.7, 'y': 0.7}], {'w1': -0.6, 'w2': 0.8, 'b1': -0.4})

    For a :class:`~symnet.circuits.Circuit`: ``at`` has its inputs and ``params`` its
    parameters, each a whole number from −5 to 5 but not 0, drawn again until every node has
    a finite real value there (no ``log`` of a negative number, no division by 0).

    >>> nice_numbers(Circuit("q = x + y; f = q*z"), seed=1)
    ([{}], {'x': -3, 'y': 5, 'z': -4})
    """
    if isinstance(net, Circuit):
        return _circuit_numbers(net, check_seed(seed))
    rng = random.Random(check_seed(seed))

    def step(lo, hi, unit, nonzero=False):
        k = 0
        while k == 0:
            k = rng.randint(lo, hi)
            if not nonzero:
                break
        return float(sp.Rational(k) * unit)

    params = {}
    for p in net.params:
        bias = p.name.startswith("b")
        params[p.name] = step(-10, 10, sp.Rational(1, 20)) if bias else \
            step(-20, 20, sp.Rational(1, 20), nonzero=True)
    at = [_sample(net, step, rng) for _ in range(samples)]
    return at, params


def _sample(net, step, rng):
    out, loss = net.output_activation.name, net.loss.name
    sample = {x.name: step(-10, 10, sp.Rational(1, 10)) for x in net.inputs}
    if loss == "cross_entropy":
        hot = rng.randrange(len(net.targets))
        sample.update({t.name: float(k == hot) for k, t in enumerate(net.targets)})
        return sample
    for t in net.targets:
        if loss == "bce":
            sample[t.name] = float(rng.randint(0, 1))
        elif out in ("sigmoid", "softmax"):
            sample[t.name] = step(1, 9, sp.Rational(1, 10))
        elif out == "tanh":
            sample[t.name] = step(-9, 9, sp.Rational(1, 10))
        else:
            sample[t.name] = step(0, 10, sp.Rational(1, 10))
    return sample


def _circuit_numbers(circuit, seed):
    require_formulas(circuit.graph.generic_functions, "draw numbers for a circuit")
    rng = random.Random(seed)
    for _ in range(MAX_DRAWS):
        # a circuit may bring its own (an RNN's tanh saturates beyond a few units)
        point = {str(s): rng.choice(getattr(circuit, "nice_values", None) or _WHOLE)
                 for s in circuit.leaves}
        try:
            circuit.at(point)
        except SymnetError:  # a node without a value here: draw again
            continue
        return [{str(s): point[str(s)] for s in circuit.inputs}], \
            {str(s): point[str(s)] for s in circuit.params}
    raise SymnetError(f"none of {MAX_DRAWS} points of whole numbers from -5 to 5 gives every "
                      "node of the circuit a finite real value; give the leaves' values (at=)")


def variant_seed(seed, variant):
    """The seed of a quiz's ``variant`` (1-based): variant 1 uses ``seed`` itself, so a quiz's
    first variant is the worksheet of the same seed; later ones are derived from it.

    >>> variant_seed(7, 1), variant_seed(7, 2) != variant_seed(7, 3)
    (7, True)
    """
    if variant == 1:
        return seed
    return random.Random(f"symnet-variant-{seed}-{variant}").randrange(2**31)
