"""Points for one answer, as a course's grader gives them (:func:`score`): the credit of
:func:`symnet.check` times the question's points, and the feedback as Markdown with math.

An answer that cannot be read is the student's mistake, not the grader's: it scores 0 with
the reason.  A question that cannot be asked (a ``wrt`` the model lacks, points that are not a
number) is the teacher's, and raises :class:`~symnet.SymnetError`.
"""

from dataclasses import dataclass

from ..bounds import check_expansion
from ..errors import ParseError, SymnetError
from ..printing import latex
from ..symbols import Partial
from ..values import bounded, finite
from .evaluation import read_answer
from .feedback import check_markdown
from .verdict import CheckResult, check

MAX_POINTS = 1_000_000


@dataclass
class Score:
    """``earned`` of ``possible`` points for one answer, the ``feedback`` (Markdown with LaTeX
    math, which a notebook renders) and the ``result`` (the :class:`CheckResult`) it comes
    from."""

    earned: float
    possible: float
    feedback: str
    result: CheckResult

    def __str__(self):
        return f"{self.earned:g} of {self.possible:g} points\n{self.result}"

    def _repr_markdown_(self):
        return self.feedback


def judge(net, wrt, answer, **options):
    """``sn.check``'s verdict on ``answer``, which may be unreadable or too large to compare:
    then it is incorrect, with no credit and the reason.  Anything else wrong (a ``wrt`` the
    model lacks, a bad option) raises :class:`SymnetError`."""
    target = net.symbol(wrt)
    expected = net.derive(target).result
    try:
        answer = read_answer(net, answer, target)
        check_expansion(answer, expected, net.definitions)
    except (SymnetError, RecursionError) as exc:  # a parser's depth limit, too
        reason = str(exc).splitlines()[0] if str(exc) else "it is nested too deeply"
        reason = reason if reason.startswith("your answer") else \
            f"cannot read your answer: {reason}" if isinstance(exc, ParseError) else \
            f"your answer is not checked: {reason}"
        return CheckResult(False, f"incorrect: {reason}", expected, None, diagnosis=[reason],
                           credit=0.0)
    return check(net, target, answer, **options)


def score(net, wrt, answer, points=1, **options):
    r"""Score ``answer`` to ∂L/∂``wrt`` out of ``points``: ``sn.check``'s credit (the share of
    the chain's paths and factors that are right; 1 for a right answer) times ``points``,
    rounded to 2 decimals, with the verdict and diagnosis as Markdown.  ``options`` go to
    :func:`symnet.check` (``at``, ``tolerance``, ``seed``).

    >>> import symnet as sn
    >>> net = sn.Network("2-2-1", activation="sigmoid")
    >>> s = sn.score(net, "w1", "2*(yhat - y)*w5*sigma(N1)*x1", points=5)
    >>> s.earned, s.possible
    (4.0, 5)
    >>> print(s.feedback.splitlines()[0])
    **4 / 5 points** for $\frac{\partial L}{\partial w_{1}}$
    >>> sn.score(net, "w1", "2*(yhat - y", points=5).earned
    0.0
    """
    bounded(finite(points, "points"), "points", 0, MAX_POINTS)
    result = judge(net, wrt, answer, **options)
    credit = result.credit if result.credit is not None else float(result.correct)
    earned = round(credit * points, 2)
    name = latex(Partial(net.output, net.symbol(wrt)))
    feedback = f"**{earned:g} / {points:g} points** for ${name}$\n\n" + \
        check_markdown(result, name)
    return Score(earned, points, feedback, result)
