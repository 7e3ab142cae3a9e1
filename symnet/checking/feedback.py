"""Verdicts as Markdown with LaTeX math: what a notebook shows of a :class:`CheckResult` or a
:class:`DerivationCheck` (``_repr_markdown_``) and the feedback a grader gives with points
(:func:`symnet.score`, ``symnet grade --format gradescope``).

Math comes from SymPy expressions that symnet's parser built, printed by symnet's LaTeX printer:
a student's own LaTeX never reaches the page.  Every piece of text (a diagnosis, a line as typed)
is escaped, so that it shows as written and never becomes markup, a link or math.

>>> from symnet.network import Network
>>> from symnet.checking import check
>>> print(check_markdown(check(Network("2-2-1"), "w5", "(yhat - y)*N1")).splitlines()[0])
**incorrect**: your answer $N_{1} \\left(\\hat{y} - y\\right)$ is not the derivative
"""

import html
import re

import sympy as sp

from ..printing import Table, latex

# what Markdown (CommonMark with $…$ math, as Jupyter, GitHub and Gradescope read it) takes as
# markup inside a line (a link needs its "[", an image its "!["), and what starts a block when
# it starts the text; HTML is escaped as entities first, and a table's "|" by the Table
_MARKUP = re.compile(r"[\\`*_\[\]$~]|^([-+#]|\d+[.)])")


def markdown_text(s):
    r"""``s`` as Markdown text that shows literally, on one line.

    >>> print(markdown_text("a*b_c <script> $x$ [link](u) & \\"))
    a\*b\_c &lt;script&gt; \$x\$ \[link\](u) &amp; \\
    >>> print(markdown_text("# not a heading"), markdown_text("1. not a list"))
    \# not a heading 1\. not a list
    """
    return _MARKUP.sub(lambda m: m[0][:-1] + "\\" + m[0][-1],
                       html.escape(" ".join(str(s).split()), quote=False))


def _number(x):
    return "undefined" if x is None else f"{x:.6g}"


def _point(point):
    return ", ".join(f"${latex(sp.Symbol(k))} = {_number(v)}$" for k, v in point.items())


def check_markdown(result, name=None):
    """A :class:`CheckResult` as Markdown: the verdict with the answer as math, the diagnosis
    one sentence a bullet, and a short table (the answer's and the right value where they
    differ, the credit).  ``name`` is the LaTeX of what was asked (default: "the derivative")."""
    answer = f"your answer ${latex(result.answer)}$" if isinstance(result.answer, sp.Basic) \
        else "your answer"
    name = f"${name}$" if name else "the derivative"
    lines = [f"**correct**: {answer} is {name}" if result.correct else
             f"**incorrect**: {answer} is not {name}"]
    if result.diagnosis:
        lines += [""] + [f"- {markdown_text(d)}" for d in result.diagnosis]
    rows = []
    counter = result.counterexample
    if counter:
        rows += [["your answer", _number(counter["answer"])], [name, _number(counter["expected"])]]
    if result.credit is not None:
        rows.append(["credit", f"{result.credit:g}"])
    lines += ["", Table(["", "value"], rows, "lr").markdown()]
    if counter:
        lines += ["", f"at {_point(counter['point'])}"]
    return "\n".join(lines)


_MARK = {True: "✓", False: "✗", None: "–"}


def derivation_markdown(report):
    """A :class:`DerivationCheck` as Markdown: a table of its lines, each as math where it was
    read (as typed otherwise), right ✓ or wrong ✗, its kind and its diagnosis."""
    rows = []
    for s in report.steps:
        step = f"${s.tex}$" if s.tex else markdown_text(s.line)
        mark = f"carried from line {s.follows}" if s.follows else _MARK[s.correct]
        rows.append([str(s.number), step, mark, s.kind,
                     markdown_text(s.diagnosis) if s.diagnosis and not s.follows else ""])
    table = Table(["line", "step", "", "kind", "diagnosis"], rows, "rlcll").markdown()
    verdict = f"**first error: line {report.first_error}**" if report.first_error else \
        "**every line is right**" if report.correct else "**not every line is right**"
    return f"{verdict}\n\n{table}"
