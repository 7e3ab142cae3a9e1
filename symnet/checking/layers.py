"""Matrix-form answers checked: one gradient (``dW1 = X.T @ dZ1``) or a whole vectorized
backward pass line by line, by shape first and then by value on random integer batches, with
the slip named from the catalogue's matrix detectors (:data:`~symnet.checking.slips.MATRIX_DETECTORS`).

Names: X, Y, W1, b1, Z1, A1, … and m (the batch size, also n or N); the gradients dW1, db1,
dZ1, dA1 (Ng's dZ = m·∂J/∂Z and the batch's ∂J/∂Z are both accepted), delta1, and CS231n's
scores, probs, hidden, dscores, dhidden (dh).  The column convention holds one sample per
column (Z = W X + b, Ng); the row convention one per row (Z = X W + b, CS231n).
"""

from dataclasses import asdict, dataclass, field

import sympy as sp

from ..activations import entry
from ..errors import SymnetError
from ..parse.matrices import parse_matrix, parse_matrix_lines, show_matrix
from ..printing import text
from .matrices import Array, ShapeError, batch_arrays, evaluate, show_shape
from .slips import MATRIX_DETECTORS
from .wording import and_list

CONVENTIONS = ("column", "row")
SEEDS = (1, 2)


@dataclass
class LayerContext:
    """What the matrix detectors read: the answer's ``tree``, the arrays' names, each hidden
    layer's activation and its derivative as written, the convention and its batch axis."""

    tree: tuple
    arrays: list
    derivatives: dict
    convention: str
    batch_axis: int
    show: object = staticmethod(show_matrix)


@dataclass
class LayerCheck:
    """The verdict on one matrix-form answer: ``correct``, the ``diagnosis`` (one sentence),
    the ``slips`` found (their kinds), the ``convention``, the answer's and the right shape."""

    wrt: str
    answer: str
    correct: bool
    convention: str
    shape: tuple = None
    expected_shape: tuple = None
    diagnosis: str = ""
    slips: list = field(default_factory=list)

    def as_dict(self):
        """The verdict as JSON-ready data."""
        return asdict(self)

    def text(self):
        verdict = "correct" if self.correct else "incorrect"
        out = f"{self.wrt} = {self.answer}: {verdict} ({self.convention} convention"
        out += f", shape {show_shape(self.expected_shape)})" if self.expected_shape else ")"
        return out + (f"\n  {self.diagnosis}" if self.diagnosis else "")

    __str__ = text


class _Problem:
    """A network's batches in one convention, and how an answer's tree fares on them."""

    def __init__(self, net, convention):
        if not getattr(net, "layers", None):
            raise SymnetError("the matrix form is a network's (layer sizes like 2-4-1), not a "
                              "circuit's")
        generic = [a.name for a in net.activations + [net.output_activation] if a.generic]
        if generic:
            raise SymnetError(f"the matrix form is checked on numbers, and the generic "
                              f"activation {generic[0]} has none; give a registered activation")
        if getattr(net, "l2", 0):
            raise SymnetError("check_layers takes networks without l2 (the penalty is added "
                              "once per batch, outside the layer equations)")
        self.net, self.convention = net, convention
        self.batches = [batch_arrays(net, convention, seed) for seed in SEEDS]
        self.batch_axis = 1 if convention == "column" else 0

    def gradient_names(self):
        return sorted(self.batches[0][1])

    def envs(self, defined=()):
        """Per batch, the names an answer may use: the arrays, and every gradient but those
        the student's own lines define (``defined``: name → value per batch)."""
        out = []
        for k, (env, right) in enumerate(self.batches):
            names = {**env, **{g: v[0] for g, v in right.items()}}
            names.update({g: vals[k] for g, vals in dict(defined).items()})
            out.append(names)
        return out

    def values(self, tree, envs):
        return [evaluate(tree, env, self.batch_axis, show_matrix) for env in envs]

    def judge(self, wrt, values):
        """(right, remark) for an answer's values against the gradient ``wrt``."""
        rights = [right[wrt] for _, right in self.batches]
        if all(any(v.close_to(r) for r in rs) for v, rs in zip(values, rights)):
            return True, ""
        first, expected = values[0], rights[0][0]
        if first.shape != expected.shape and all(
                any(_flat_equal(v, r) for r in rs) for v, rs in zip(values, rights)):
            return self._vector(wrt, first.shape, expected.shape)
        return False, ""

    def _vector(self, wrt, got, expected):
        # np.sum without keepdims: (n,) broadcasts as a row, so it is harmless where the
        # gradient is a row (1, n) or a single number, and wrong where it is a column (n, 1)
        if len(got) == 1 and (expected[0] == 1 or expected[1] == 1 and got[0] == 1):
            return True, (f"np.sum without keepdims gives {show_shape(got)}; keepdims=True keeps "
                          f"{show_shape(expected)} (either updates b alike)")
        if len(got) == 1:
            return False, (f"bias gradient kept as a vector: your {wrt} has shape {show_shape(got)}, "
                           f"the bias {show_shape(expected)}, and b − α·{wrt} would broadcast to "
                           f"({expected[0]}, {expected[0]}); sum with keepdims=True")
        return False, ""

    def context(self, tree):
        derivatives = {}
        for layer, act in enumerate(self.net.activations, start=1):
            if not act.is_linear and not act.generic:
                z, a = sp.Symbol(f"Z{layer}"), sp.Symbol(f"A{layer}")
                e = entry(act.name)
                made = e.make(z, **e.options)
                derivatives[str(layer)] = (act.name, text(sp.diff(made, z).xreplace({made: a})))
        arrays = ["X"] + [n for n in self.batches[0][0] if n[:1] in "AZ" and n[1:].isdigit()]
        return LayerContext(tree, arrays, derivatives, self.convention, self.batch_axis)

    def diagnose(self, wrt, tree, envs):
        """The first slip of the catalogue whose repair of ``tree`` is right, or None."""
        for detector in MATRIX_DETECTORS:
            for slip in detector.propose(self.context(tree)):
                try:
                    repaired = self.values(slip.edit(tree), envs)
                except SymnetError:
                    continue
                if self.judge(wrt, repaired)[0]:
                    return slip
        return None


def _flat_equal(a, b):
    return len(a.m) == len(b.m) and Array(b.shape, a.m.reshape(*b.m.shape)).close_to(b)


def _verdict(problem, wrt, answer, tree, envs):
    try:
        values = problem.values(tree, envs)
    except ShapeError as e:
        slip = problem.diagnose(wrt, tree, envs)
        said = f"; {slip.sentence}" if slip else ""
        return LayerCheck(wrt, answer, False, problem.convention, None,
                          problem.batches[0][1][wrt][0].shape, f"shape error: {e}{said}",
                          [slip.kind] if slip else [])
    expected = problem.batches[0][1][wrt][0].shape
    right, remark = problem.judge(wrt, values)
    check = LayerCheck(wrt, answer, right, problem.convention, values[0].shape, expected, remark)
    if right:
        return check
    if remark:
        check.slips = ["bias gradient kept as a vector"]
        return check
    slip = problem.diagnose(wrt, tree, envs)
    if values[0].shape != expected:
        check.diagnosis = f"your answer has shape {show_shape(values[0].shape)}, {wrt} has " \
                          f"{show_shape(expected)}"
    if slip is not None:
        check.slips = [slip.kind]
        check.diagnosis = "; ".join(filter(None, [check.diagnosis, f"{slip.kind}: {slip.sentence}"]))
    elif not check.diagnosis:
        check.diagnosis = "the shape is right but the values are not"
    return check


def _problems(net, convention):
    if convention is not None and convention not in CONVENTIONS:
        raise SymnetError(f"unknown convention {convention!r}; valid: column (Z = W X + b, one "
                          "sample per column) or row (Z = X W + b, one sample per row)")
    return [_Problem(net, c) for c in ([convention] if convention else CONVENTIONS)]


def _known(problem, wrt):
    names = problem.gradient_names()
    if wrt not in names:
        raise SymnetError(f"unknown gradient {wrt!r} for the layer form; valid: {', '.join(names)}")


def check_layers(net, wrt, answer, convention=None):
    """Check a matrix-form answer for the gradient ``wrt`` (dW1, db2, dZ1, …): its shape
    first, then its value on random integer batches; a wrong answer's slip is named.
    Without ``convention``, the column convention (Z = W X + b) and the row one (Z = X W + b)
    are both tried, and the one the answer fits is reported.

    >>> import symnet as sn
    >>> net = sn.Network("2-4-1", activation="tanh", loss="bce")
    >>> sn.check_layers(net, "dW1", "(1/m) dZ1 @ X.T").correct
    True
    >>> print(sn.check_layers(net, "dW1", "dZ1 @ X.T", convention="column").diagnosis)
    missing 1/m: the loss is a mean over the batch: the gradient has a 1/m your answer misses
    """
    tree = parse_matrix(answer)
    checks = []
    for problem in _problems(net, convention):
        _known(problem, wrt)
        check = _verdict(problem, wrt, answer, tree, problem.envs())
        if check.correct:
            return check
        checks.append(check)
    fits = [c for c in checks if c.shape is not None]
    return (fits or checks)[0]


@dataclass
class LayerSteps:
    """A vectorized backward pass checked line by line: ``steps`` (one LayerCheck a line,
    each computed with the student's own earlier lines), ``correct`` when every line is."""

    steps: list

    @property
    def correct(self):
        return all(s.correct for s in self.steps)

    def as_dict(self):
        return {"correct": self.correct, "steps": [s.as_dict() for s in self.steps]}

    def text(self):
        return "\n".join(s.text() for s in self.steps)

    __str__ = text


def check_layer_steps(net, lines, convention=None):
    """Check a whole backward pass written as lines ``name = expression`` (Ng's six
    equations, say); each line is evaluated with the values of the student's own earlier
    lines, so a right line after a wrong one is judged on its own.

    >>> import symnet as sn
    >>> net = sn.Network("2-4-1", activation="tanh", loss="bce")
    >>> sn.check_layer_steps(net, "dZ2 = A2 - Y; dW2 = 1/m * dZ2 @ A1.T").correct
    True
    """
    parsed = parse_matrix_lines(lines)
    best = None
    for problem in _problems(net, convention):
        steps, defined = [], {}
        for name, tree in parsed:
            _known(problem, name)
            envs = problem.envs(defined)
            check = _verdict(problem, name, show_matrix(tree), tree, envs)
            wrong = [s.wrt for s in steps if not s.correct]
            if not check.correct and wrong and _verdict(problem, name, "", tree,
                                                        problem.envs()).correct:
                check.diagnosis = f"right in itself: it is wrong only through your {and_list(wrong)}"
            steps.append(check)
            try:
                defined[name] = problem.values(tree, envs)
            except SymnetError:
                defined.pop(name, None)
        result = LayerSteps(steps)
        if best is None or sum(s.correct for s in steps) > sum(s.correct for s in best.steps):
            best = result
    return best
