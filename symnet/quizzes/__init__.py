"""A class set: per-student variants of one network's (or circuit's) questions, exported to
learning platforms (Moodle XML, a Canvas QTI package, GIFT) or printed (an exam and its key).

>>> import symnet as sn
>>> q = sn.quiz(sn.Network("2-2-1"), variants=3, seed=1)
>>> [v.number for v in q.variants], [x.name for x in q.variants[0].questions]
([1, 2, 3], ['yhat', 'L', 'dL/dw1', 'dL/dw5', 'w1(t+1)'])
"""

import os

from ..circuits import Circuit
from ..errors import SymnetError
from ..files import path_of, read_rows
from ..network import Network
from ..pdf import compile_latex
from ..printing import printed_as
from ..sheets import asked, check_output, key_path, save_all
from ..values import names, positive, shown
from ..values import seed as check_seed
from . import exam, gift, moodle, qti
from .statement import model_name
from .variants import LR, MAX_VARIANTS, PARTS, Question, Variant, check_parts, default_wrt, draw_variants

SUFFIXES = (".xml", ".zip", ".gift", ".tex", ".pdf")
MAX_STUDENTS = 2000


class Quiz:
    """Variants of a network's or a circuit's questions (``.variants``), made by :func:`quiz`;
    ``save(path)`` writes them in the format of the path's suffix."""

    def __init__(self, net, variants, seed, students=None, picture=True, lr=LR):
        self.net, self.variants, self.seed, self.lr = net, variants, seed, lr
        self.students = students
        self.picture = picture
        self.title = f"symnet {model_name(net)} seed {seed}"

    def __repr__(self):
        return f"<Quiz {model_name(self.net)}: {len(self.variants)} variants, seed {self.seed}>"

    def assignments(self):
        """``(student, variant)`` pairs: the roster in order, variants in turn; without a
        roster one unnamed sheet per variant."""
        names = self.students or [f"Variant {v.number}" for v in self.variants]
        return [(name, self.variants[i % len(self.variants)]) for i, name in enumerate(names)]

    def render(self, suffix):
        """The files of the format ``suffix`` as ``[(suffix, data)]`` (an exam has its key),
        the nodes printed in the network's notation."""
        with printed_as(getattr(self.net, "printed_names", None)):
            return self._render(suffix)

    def _render(self, suffix):
        if suffix == ".xml":
            return [("", moodle.render(self))]
        if suffix == ".zip":
            return [("", qti.render(self))]
        if suffix == ".gift":
            return [("", gift.render(self))]
        paper, key = exam.render(self)
        if suffix == ".pdf":
            tex = exam.engine(self)
            paper, key = compile_latex(paper, engine=tex)[0], compile_latex(key, engine=tex)[0]
        return [("", paper), ("-key", key)]

    def save(self, path):
        """Write the quiz to ``path``: ``.xml`` Moodle XML, ``.zip`` IMS QTI (Canvas), ``.gift``,
        ``.tex``/``.pdf`` a printed exam and its key beside it (``FILE-key.pdf``).  The files are
        written together or not at all; returns their paths."""
        path = path_of(path)
        check_output(path, SUFFIXES)
        suffix = os.path.splitext(path)[1].lower()
        files = [(key_path(path) if stem else path, data) for stem, data in self.render(suffix)]
        return save_all(files)


def read_roster(path):
    """Student names from a CSV file: the column ``student``, or else the first column."""
    return [name for _, name in roster_rows(path)]


def roster_rows(path):
    """``[(line, name)]`` of a roster (see :func:`read_roster`): each name with its line."""
    lines = read_rows(path)  # bounded in size, BOM and CRLF as read_csv
    rows = [cells for _, cells in lines]
    if not rows:
        raise SymnetError(f"the roster {path} is empty; expected a header row and one student "
                          "per row")
    header = [h.strip().lower() for h in rows[0]]
    column = header.index("student") if "student" in header else 0
    names = [(line, r[column].strip()) for line, r in lines[1:]
             if len(r) > column and r[column].strip()]
    if not names:
        raise SymnetError(f"the roster {path} names no student")
    if len(names) > MAX_STUDENTS:
        raise SymnetError(f"a roster has at most {MAX_STUDENTS} students; {path} has {len(names)}")
    return names


def quiz(net, variants=30, seed=0, wrt=None, parts=None, students=None, picture=True, lr=LR):
    """``variants`` versions of the questions on ``net``: the forward values (each output and
    the loss), ∂L/∂w for each of ``wrt`` (default: the first weight of the first and of the last
    layer), and ``wrt[0]`` after one gradient-descent step, w(t+1) = w(t) − lr·∂L/∂w (learning
    rate ``lr``, default 0.5, which every export states); ``parts`` (default all three) chooses
    among ``"forward"``, ``"gradient"`` and ``"update"``.

    On a :class:`~symnet.circuits.Circuit` (``sn.circuit``): its output's value and
    ∂output/∂leaf for each of ``wrt`` (any leaves; default its parameters), at nice whole
    numbers; no update (its output need not be a loss).

    Variant 1 has the numbers of ``sn.worksheet(net, seed=seed)``; the others' seeds are
    derived from ``seed`` (``variant.seed``).  Every number is nice (one or two decimals); the
    wrong numbers are those of the slip catalogue, each named by the sentence ``symnet check``
    gives (see :mod:`symnet.quizzes.variants`).  ``students`` (names) assign the variants in turn
    for a printed exam.

    >>> import symnet as sn
    >>> q = sn.quiz(sn.Network("2-2-1"), variants=2, seed=4, wrt=["w5"], parts=["gradient"])
    >>> g = q.variants[0].questions[0]
    >>> g.value == sn.worksheet(q.net, seed=4, lr=0.5).gradient["w5"]
    True
    >>> g.slips["sign error: your answer is −∂L/∂w5; check the sign of ∂L/∂ŷ (the derivative "
    ...         "of (y − ŷ)² with respect to ŷ is −2(y − ŷ) = 2(ŷ − y))"] == -g.value
    True
    >>> c = sn.quiz(sn.circuit("q = x + y; f = q*z"), variants=2, seed=1)  # x, y, z = -3, 5, -4
    >>> [(x.name, x.value) for x in c.variants[0].questions]
    [('f', -8.0), ('df/dx', -4.0), ('df/dy', -4.0), ('df/dz', 2.0)]
    """
    if not isinstance(net, (Network, Circuit)):
        raise SymnetError("quiz() takes a symnet Network or Circuit, e.g. sn.Network('2-2-1') "
                          "or sn.circuit('q = x + y; f = q*z')")
    if not isinstance(variants, int) or isinstance(variants, bool) or \
            not 1 <= variants <= MAX_VARIANTS:
        raise SymnetError(f"variants must be a whole number from 1 to {MAX_VARIANTS}, "
                          f"got {shown(variants)}")
    seed = check_seed(seed)
    parts = check_parts(parts, net)
    lr = float(positive(lr, "the learning rate lr", float))
    wrt = None if wrt is None else names(wrt, "wrt", "['w1', 'b3']")
    chosen = list(dict.fromkeys(asked(net, w) for w in wrt)) if wrt else default_wrt(net)
    students = None if students is None else names(students, "students", "['ann', 'bob']")
    if students is not None and len(students) > MAX_STUDENTS:
        raise SymnetError(f"at most {MAX_STUDENTS} students; got {len(students)}")
    with printed_as(getattr(net, "printed_names", None)):  # the questions' names too
        drawn = draw_variants(net, variants, seed, chosen, parts, lr)
    return Quiz(net, drawn, seed, list(students) if students else None, picture, lr)


__all__ = ["LR", "PARTS", "Question", "Quiz", "SUFFIXES", "Variant", "quiz", "read_roster"]
