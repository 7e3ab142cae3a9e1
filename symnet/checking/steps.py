"""A whole derivation checked line by line (:func:`check_derivation`).

Each step is judged as what it is:

* a **chain formula** (a sum of products of partials): the right paths, each a product of the
  local partials along it;
* a **local factor** (``∂h1/∂N1 = σ(N1)(1 − σ(N1))``): the partial of the child's definition;
* a **δ** (``δ1 = …``, ``δ_1``, ``\\delta_1``, ``∂L/∂N1 = …``), an intermediate step: ∂L/∂N1,
  with the mistake engine's diagnosis (σ where σ' belongs);
* a **numeric** step (a number; with ``at``): the value there, within the digits shown;
* an **algebra** step or the **result** (any other expression): equal to its left side's
  derivative (the mistake engine names the slip of a wrong ∂L/∂w).

A wrong step is an error once: later steps that agree with it (the same wrong value, or the
value that the student's own wrong factors, paths and δ's give) are marked "follows from line
N".  A line that uses a δ the student defined wrongly (``∂L/∂w1 = δ1 x1``) is judged with that
δ: it follows from the δ's line when it is right but for it, and is an error of its own when not.
"""

import re
from dataclasses import asdict, dataclass, field, replace

import sympy as sp

from ..bounds import MAX_SECONDS, answer_seconds, check_seconds
from ..derive import Partial
from ..errors import ParseError, SymnetError
from ..parse.derivation import read_side, read_target, split_steps
from ..printing import latex, path_sum, text
from .engine import MAX_DIAGNOSED_PATHS
from .evaluation import delta_node, points, resolve, same, truth, value
from .feedback import derivation_markdown
from .hints import unknown_name_hint
from .verdict import check, exact_point, require_model
from .wording import Names


@dataclass
class Step:
    """One judged step: its ``number`` (the line of the text it is on, from 1), the ``line``
    it came from, its ``kind`` (``"chain formula"``, ``"local factor"``, ``"numeric"``,
    ``"algebra"`` (the same left side as the step before), ``"result"`` (∂L/∂w),
    ``"intermediate"`` (another partial), ``"unread"``), ``correct`` (None: not judged, e.g. a
    number without ``at``), a ``diagnosis``, ``follows`` (the line whose error this one carries
    forward, or None), ``equality``: which equality of a line that chains them (``a = b = c``:
    1, then 2), or None, and ``tex``, the line as symnet read it, in LaTeX (None when it could
    not be read)."""

    number: int
    line: str
    kind: str
    correct: bool
    diagnosis: str = None
    follows: int = None
    equality: int = None
    tex: str = None

    @property
    def place(self):
        """``"line 3"``, or ``"line 3, equality 2"`` on a line that chains equalities."""
        return _place(self.number, self.equality)


def _place(number, equality):
    return f"line {number}" + (f", equality {equality}" if equality else "")


@dataclass
class DerivationCheck:
    """The line-by-line verdict: ``steps``, ``first_error`` (1-based, or None) and ``correct``.

    >>> from symnet.network import Network
    >>> report = check_derivation(Network("2-2-1"), "w5", "∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5\\n"
    ...                           "∂L/∂ŷ = 2(ŷ - y)\\n∂L/∂w5 = 2(ŷ - y) N2")
    >>> report.correct, report.first_error
    (False, 3)
    >>> print(report)
    line 1  right  chain formula  ∂L/∂w5 = ∂L/∂ŷ · ∂ŷ/∂w5
    line 2  right  local factor   ∂L/∂ŷ = 2(ŷ - y)
    line 3  wrong  result         ∂L/∂w5 = 2(ŷ - y) N2
            you used N2 where N1 belongs: ∂yhat/∂w5 = N1
    first error: line 3
    """

    steps: list
    first_error: int = None
    correct: bool = True
    wrt: str = field(default="")

    def __bool__(self):
        return self.correct

    def __str__(self):
        width = max(len(s.kind) for s in self.steps)
        places = max(len(s.place) for s in self.steps)
        out = []
        for s in self.steps:
            mark = {True: "right", False: "wrong", None: "  -  "}[s.correct]
            if s.follows:
                mark = "carry"
            out.append(f"{s.place:<{max(places, 7)}} {mark}  {s.kind:<{width}}  {s.line}")
            if s.diagnosis:
                out.append(f"{'':{max(places, 7) + 1}}{s.diagnosis}")
        first = next((s for s in self.steps if s.correct is False and not s.follows), None)
        out.append(f"first error: {first.place}" if first else "every line is right")
        return "\n".join(out)

    def as_dict(self):
        return {"correct": self.correct, "first_error": self.first_error,
                "steps": [{k: v for k, v in asdict(s).items() if k != "tex"} for s in self.steps]}

    def _repr_markdown_(self):
        return derivation_markdown(self)


def check_derivation(net, wrt, text, at=None, seed=0):
    """Check a derivation of ∂L/∂``wrt`` written out line by line (see the module's docstring).

    ``text`` is plain text or LaTeX; ``at`` (every input, target and parameter) lets numeric
    lines be checked.

    >>> import symnet as sn
    >>> net = sn.Network("2-2-1", activation="sigmoid")
    >>> report = sn.check_derivation(net, "w1", r'''
    ... \\begin{aligned}
    ... \\frac{\\partial L}{\\partial w_1} &= \\frac{\\partial L}{\\partial \\hat y} \\cdot
    ...   \\frac{\\partial \\hat y}{\\partial h_1} \\cdot \\frac{\\partial h_1}{\\partial N_1}
    ...   \\cdot \\frac{\\partial N_1}{\\partial w_1} \\\\
    ... \\frac{\\partial h_1}{\\partial N_1} &= \\sigma(N_1) \\\\
    ... \\frac{\\partial L}{\\partial w_1} &= 2(\\hat y - y) w_5 \\sigma(N_1) x_1
    ... \\end{aligned}''')
    >>> [(s.kind, s.correct, s.follows) for s in report.steps]  # lines of the text, from 1
    [('chain formula', True, None), ('local factor', False, None), ('result', False, 6)]
    """
    require_model(net, "check_derivation")
    target = net.symbol(wrt)
    written = split_steps(text)
    each, n = answer_seconds_on(net, target), len(written)
    check_seconds(n * each, f"checking {n} lines of ∂{net.output}/∂{target} on "
                  f"{getattr(net, 'arch', 'this circuit')}",
                  f"check at most {max(1, int(MAX_SECONDS // each))} lines at a time")
    places = [_place(w.number, w.equality) for w in written]
    judge = _Judge(net, target, at, seed, places)
    steps = []
    for index, w in enumerate(written):
        step = judge.step(index, w, last=index == len(written) - 1)
        follows = None if step.follows is None else written[step.follows].number
        steps.append(replace(step, number=w.number, equality=w.equality, follows=follows))
    errors = [s.number for s in steps if s.correct is False and not s.follows]
    return DerivationCheck(steps, errors[0] if errors else None,
                           not any(s.correct is False for s in steps), str(target))


def answer_seconds_on(net, wrt):
    """The estimated seconds of checking one wrong answer for ∂output/∂``wrt`` on ``net``
    (:func:`symnet.bounds.answer_seconds`), from its graph: the local factors of every path
    from the output down to ``wrt``, counted without deriving anything.

    >>> from symnet.network import Network
    >>> net = Network("2-16-16-1", activation="sigmoid")
    >>> round(answer_seconds_on(net, net.symbol("w1")), 1)  # 3.4 s measured
    3.0
    """
    count, factors = {net.output: 1}, {net.output: 0}
    for node in reversed(list(net.definitions)):  # children before their parents
        n = count.get(node, 0)
        for parent in net.parents[node] if n else ():
            count[parent] = count.get(parent, 0) + n
            factors[parent] = factors.get(parent, 0) + factors[node] + n
    searched = count.get(wrt, 0) <= MAX_DIAGNOSED_PATHS
    return answer_seconds(len(net.definitions) + len(net.leaves),
                          factors.get(wrt, 0) if searched else 0)


class _Judge:
    """Judges steps in order, remembering what the student declared (factors, paths, values)."""

    def __init__(self, net, wrt, at, seed, places):
        self.net, self.wrt, self.places = net, wrt, places  # a step's index → "line 3"
        self.goal = Partial(net.output, wrt)
        self.target = self.goal
        self.points = points(net, seed, n=8)
        self.at = exact_point(net, at)[1] if at is not None else None
        self.factors, self.chains = {}, {}  # declared: Partial → (value, line); → (paths, line)
        self.deltas = {}  # wrong δ's declared (δ1 = …): ∂L/∂N1 → (value, line of the root error)
        self.previous = None  # (target, expression, line number of its root error or None)

    def step(self, number, written, last):
        line = f"= {written.rhs}" if written.continued or written.lhs is None else \
            f"{written.lhs} = {written.rhs}"
        try:
            if written.lhs is not None:
                self.target = read_target(self.net, written.lhs)
            rhs = read_side(self.net, written.rhs)
        except (ParseError, SymnetError) as exc:
            return Step(number, line, "unread", False,
                        f"cannot read this line: {unknown_name_hint(self.net, exc)}")
        step = self._judged(number, line, self.target, rhs, written, last)
        step.tex = ("" if written.continued or written.lhs is None else latex(self.target)) + \
            " = " + _tex(rhs, self.target)
        return step

    def _judged(self, number, line, target, rhs, written, last):
        if _is_chain(rhs):
            return self._chain(number, line, target, rhs)
        own, roots = self._own_deltas(rhs)
        rhs = resolve(self.net, rhs)
        if rhs.is_number and rhs.free_symbols == set():
            return self._numeric(number, line, target, rhs, written.rhs)
        if roots:  # a line written with the student's own wrong δ is judged with it
            return self._with_deltas(number, line, target, resolve(self.net, own), rhs, roots,
                                     self._kind(target, last))
        return self._value(number, line, target, rhs, self._kind(target, last))

    def _kind(self, target, last):
        if self._is_edge(target):
            return "local factor"
        if target == self.goal and (last or not self.previous or self.previous[0] != target):
            return "result"
        return "algebra" if self.previous and self.previous[0] == target else "intermediate"

    # ------------------------------------------------------------------ kinds of step

    def _chain(self, number, line, target, rhs):
        products = [_factors(t) for t in sp.Add.make_args(rhs)]
        true = [tuple(prod) for prod in self.net.derive(target.den, of=target.num).chain]
        mine = [tuple(_ordered(p, target)) for p in products]
        self.chains[target] = (mine, number)
        sentence = _paths_sentence(true, self._local(mine), target)
        return Step(number, line, "chain formula", sentence is None, sentence)

    def _numeric(self, number, line, target, rhs, typed):
        if self.at is None:
            return Step(number, line, "numeric", None, "a number is checked only at a point: "
                        "pass at= (--at) with every input, target and parameter")
        truth = self._truth(target, self.at)
        tolerance = _shown_tolerance(typed, rhs)
        if truth is not sp.nan and abs(rhs - truth) <= tolerance:
            return self._remember(Step(number, line, "numeric", True), target, rhs)
        mine = self._declared(target, self.at)
        if mine is not None and mine[0] is not sp.nan and abs(rhs - mine[0]) <= tolerance:
            return Step(number, line, "numeric", False, follows=mine[1],
                        diagnosis=f"follows from {self.places[mine[1]]}")
        shown = "undefined" if truth is sp.nan else f"{float(truth):.6g}"
        return Step(number, line, "numeric", False, f"{text(target)} = {shown} at this point")

    def _value(self, number, line, target, rhs, kind):
        if all(same(value(rhs, p), self._truth(target, p)) for p in self.points):
            return self._remember(Step(number, line, kind, True), target, rhs)
        if self._is_edge(target):
            self.factors[target] = (rhs, number)
        root = self._carried(target, rhs)
        if root is not None:
            self._declare_delta(target, rhs, root)
            return self._remember(Step(number, line, kind, False, f"follows from {self.places[root]}",
                                       root), target, rhs, root)
        self._declare_delta(target, rhs, number)
        sentence = self._diagnose(target, rhs)
        if self.previous and self.previous[0] == target and self.previous[2] is None:
            sentence = f"not equal to {self.places[self.previous[3]]}: {sentence}"
        return self._remember(Step(number, line, kind, False, sentence), target, rhs, number)

    def _with_deltas(self, number, line, target, own, true_deltas, roots, kind):
        """A line that uses wrong δ's the student declared: ``own`` is its value with them,
        ``true_deltas`` with the true ones.  Right with the true δ's, it follows from them."""
        if all(same(value(true_deltas, p), self._truth(target, p)) for p in self.points):
            root = min(roots)
            self._declare_delta(target, own, root)
            return self._remember(Step(number, line, kind, False, f"follows from {self.places[root]}",
                                       root), target, own, root)
        return self._value(number, line, target, true_deltas, kind)

    def _own_deltas(self, rhs):
        """``rhs`` with the wrong δ's declared before put in for δ1 and ∂L/∂N1, and the lines
        those come from."""
        found, roots = {}, []
        for s in rhs.free_symbols:
            node = delta_node(self.net, s)
            key = Partial(self.net.output, node) if node is not None else None
            if key in self.deltas:
                found[s], root = self.deltas[key]
                roots.append(root)
        for p in rhs.atoms(Partial):
            if p in self.deltas:
                found[p], root = self.deltas[p]
                roots.append(root)
        return rhs.xreplace(found), roots

    def _declare_delta(self, target, rhs, root):
        if target.num == self.net.output and target.den in self.net.definitions:
            self.deltas[target] = (rhs, root)

    # ------------------------------------------------------------------------ helpers

    def _remember(self, step, target, rhs, root=None):
        self.previous = (target, rhs, root, step.number)
        return step

    def _is_edge(self, target):
        return target.num in self.net.definitions and target.den in self.net.parents[target.num]

    def _truth(self, target, point):
        if self._is_edge(target):
            return value(self.net.local(target.num, target.den), point)
        return truth(self.net.derive(target.den, of=target.num), point)

    def _carried(self, target, rhs):
        """The line whose error ``rhs`` carries forward, or None."""
        if self.previous and self.previous[0] == target and self.previous[2] is not None and \
                all(same(value(rhs, p), value(self.previous[1], p)) for p in self.points):
            return self.previous[2]
        mine = [self._declared(target, p) for p in self.points]
        if all(m is not None for m in mine) and all(same(value(rhs, p), m[0])
                                                    for p, m in zip(self.points, mine)):
            return mine[0][1]
        return self._through_delta(target, rhs)

    def _through_delta(self, target, rhs):
        """The root line of a wrong δ_N declared before, when ``rhs`` is what that δ gives:
        ∂L/∂w + (δ_N as declared − δ_N) · ∂N/∂w."""
        if target.num != self.net.output:
            return None
        for delta, (declared, root) in self.deltas.items():
            if delta == target:
                continue
            below = self.net.derive(target.den, of=delta.den)
            implied = [self._truth(target, p) + (value(declared, p) - self._truth(delta, p))
                       * truth(below, p) for p in self.points]
            if all(same(value(rhs, p), v) for p, v in zip(self.points, implied)):
                return root
        return None

    def _declared(self, target, point):
        """(value, first wrong line) of ``target`` by the student's own factors and paths, when
        some declared one is wrong; else None."""
        if self._is_edge(target):
            return None
        paths, line = self.chains.get(target, (None, None))
        if paths is None:
            paths = [tuple(p) for p in self.net.derive(target.den, of=target.num).chain]
        wrong = [line] if line is not None and target in self.chains and \
            not self._chain_right(target, paths) else []
        total = 0
        for path in paths:
            term = 1
            for f in path:
                if f in self.factors:
                    term *= value(self.factors[f][0], point)
                    wrong.append(self.factors[f][1])
                elif f.num in self.net.definitions and f.den in self.net.parents[f.num]:
                    term *= value(self.net.local(f.num, f.den), point)
                elif f in self.deltas:
                    term *= value(self.deltas[f][0], point)
                    wrong.append(self.deltas[f][1])
                else:
                    term *= self._truth(f, point)
            total += term
        return (total, min(wrong)) if wrong else None

    def _chain_right(self, target, paths):
        true = [tuple(p) for p in self.net.derive(target.den, of=target.num).chain]
        return sorted(map(str, true)) == sorted(map(str, self._local(paths)))

    def _local(self, paths):
        """``paths`` with each partial that is no edge (∂L/∂N1 in ∂L/∂N1 · ∂N1/∂w1) replaced
        by the paths of local partials it sums."""
        out = []
        for path in paths:
            expanded = [()]
            for f in path:
                if not isinstance(f, Partial) or self._is_edge(f) or f.num not in self.net.definitions:
                    inner = [(f,)]
                else:
                    inner = [tuple(p) for p in self.net.derive(f.den, of=f.num).chain] or [(f,)]
                expanded = [a + b for a in expanded for b in inner]
            out += expanded
        return out

    def _diagnose(self, target, rhs):
        show = Names(self.net, rhs)
        if self._is_edge(target):
            return (f"{text(target)} = {show(self.net.local(target.num, target.den))}, "
                    f"not {show(rhs)}")
        if target == self.goal or (target.num == self.net.output and
                                   target.den in self.net.definitions):  # ∂L/∂w, or a δ
            result = check(self.net, target.den, rhs)
            if result.diagnosis:
                return result.diagnosis[0]
        return f"this is not {text(target)}"


def _partials_only(term):
    return all(isinstance(f, Partial) or f.is_number for f in sp.Mul.make_args(term))


def _is_chain(side):
    """Whether a side is a chain formula: a sum of products of partials."""
    return bool(side.atoms(Partial)) and all(_partials_only(t) for t in sp.Add.make_args(side))


def _tex(side, target):
    """A side in LaTeX, a chain formula's partials in chain order as the student wrote them."""
    if not _is_chain(side):
        return latex(side)
    return path_sum([[n for n in sp.Mul.make_args(t) if n.is_number] +
                     _ordered(_factors(t), target) for t in sp.Add.make_args(side)])


def _factors(term):
    return [f for f in sp.Mul.make_args(term) if isinstance(f, Partial)]


def _ordered(factors, target):
    """The partials of one product in chain order from ``target.num`` down, when they link."""
    out, node, rest = [], target.num, list(factors)
    while rest:
        nxt = next((f for f in rest if f.num == node), None)
        if nxt is None:
            return out + rest
        out.append(nxt)
        rest.remove(nxt)
        node = nxt.den
    return out


def _paths_sentence(true, mine, target):
    if sorted(map(str, true)) == sorted(map(str, mine)):
        return None
    broken = [p for p in mine if p not in true and not _links(p, target)]
    if broken:
        return (f"{' · '.join(map(text, broken[0]))} is not a path from {target.num} down to "
                f"{target.den}: each factor's denominator is the next one's numerator")
    missing = [p for p in true if p not in mine]
    extra = [p for p in mine if p not in true]
    through = lambda p: p[-1].num if len(p) > 1 else p[0].den
    parts = []
    # the paths' last nodes, each once: a fork's several paths through d are "through d"
    nodes = lambda paths: ", ".join(dict.fromkeys(str(through(p)) for p in paths))
    if missing:
        parts.append("misses the path" + "s" * (len(missing) > 1) + " through " + nodes(missing))
    if extra:
        parts.append("has the extra path" + "s" * (len(extra) > 1) + " through " + nodes(extra))
    return f"your chain rule for {text(target)} " + " and ".join(parts)


def _links(path, target):
    node = target.num
    for f in path:
        if f.num != node:
            return False
        node = f.den
    return node == target.den


def _shown_tolerance(typed, number):
    """Half a unit in the last digit shown (``0.07`` → 0.005), and 0.05% for rounding."""
    m = re.search(r"\.(\d+)", typed)
    decimals = len(m.group(1)) if m else 0
    return sp.Rational(1, 2) * sp.Rational(10) ** -decimals + abs(number) * sp.Rational(1, 2000)
