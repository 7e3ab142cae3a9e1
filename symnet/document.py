"""Documents as blocks (headings, paragraphs, aligned math, tables, code), rendered to LaTeX,
Markdown or a Jupyter notebook, with display math broken into rows that fit the page, and LaTeX
compiled to PDF.

The worksheet builds its content from these blocks; nothing here knows about networks.

>>> print(render_markdown([Heading(2, ["Loss"]), DisplayMath([Line("L", ["(y - y_0)^{2}"])])]))
## Loss
<BLANKLINE>
$$
\\begin{aligned}
L &= (y - y_0)^{2}
\\end{aligned}
$$
<BLANKLINE>
"""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import _coeff_isneg
from sympy.printing.precedence import PRECEDENCE

from .errors import SymnetError
from .printing import SymnetLatexPrinter, Table, aligned, divides, latex, ordered_factors, ordered_terms

NO_TEX = ("writing a .pdf needs pdflatex, which is not installed: install TeX Live (Debian or "
          "Ubuntu: apt-get install texlive-latex-base texlive-latex-recommended "
          "texlive-latex-extra latexmk), or write .tex, .md or .ipynb instead")
WIDTH = 70              # usable width of a display line, in digit widths (see tex_width)


# -------------------------------------------------------- layout: widths and line breaking

_CMD = re.compile(r"\\([A-Za-z]+|.)")
_SILENT = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "displaystyle",
           "limits", "nolimits"}
_WRAPS = {"hat", "bar", "tilde", "vec", "mathbf", "mathit", "mathcal", "underline", "overline",
          "phantom"}


def _group(s, i):
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] == "{":
        depth, j = 0, i
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1:j], j + 1
            j += 1
        return s[i + 1:], len(s)
    if s[i] == "\\":
        m = _CMD.match(s, i)
        return m.group(0), m.end()
    return s[i], i + 1


def tex_width(tex):
    r"""The printed width of a LaTeX math string, roughly, in widths of a digit.

    Fractions count their wider part, sub- and superscripts 0.7, ``\left`` nothing.

    >>> tex_width(r"N_{1}"), tex_width(r"\frac{\partial L}{\partial w_{1}}")
    (1.7, 3.1)
    """
    w, i = 0.0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            m = _CMD.match(tex, i)
            name, i = m.group(1), m.end()
            if name in ("frac", "dfrac", "tfrac"):
                a, i = _group(tex, i)
                b, i = _group(tex, i)
                w += max(tex_width(a), tex_width(b)) + 0.4
            elif name in _WRAPS:
                a, i = _group(tex, i)
                w += tex_width(a)
            elif name == "boxed":
                a, i = _group(tex, i)
                w += tex_width(a) + 1.2
            elif name in ("text", "operatorname", "mathrm", "texttt"):
                a, i = _group(tex, i)
                w += 0.95 * len(a)
            elif name == "hspace":
                a, i = _group(tex, i)
                m = re.match(r"([\d.]+)em", a)
                w += 2 * float(m.group(1)) if m else 2
            elif name == "vphantom":
                _, i = _group(tex, i)
            elif name in _SILENT:
                pass
            elif name in ("quad", "sum", "prod", "to", "times"):
                w += 2
            elif name == "qquad":
                w += 4
            elif name == "cdot":
                w += 1.3
            elif name in (",", ":", ";", " ", "!"):
                w += 0.4
            else:
                w += 1
        elif c in "_^":
            a, i = _group(tex, i + 1)
            w += 0.7 * tex_width(a)
        elif c in "{} &":
            i += 1
        elif c in "+-=<>":
            w, i = w + 2.2, i + 1
        elif c in ".,;":
            w, i = w + 0.5, i + 1
        else:
            w, i = w + 1, i + 1
    return round(w, 6)


# Tokens of a display line are (op, tex): op joins the token to the one before it.
_INLINE = {"": "", "=": " = ", "+": " + ", "-": " - ", "*": " ", ".": r" \cdot "}
_ROW_START = {"": r"&\quad ", "=": "&= ", "+": r"&\quad {}+ ", "-": r"&\quad {}- ",
              "*": r"&\quad {}\cdot ", ".": r"&\quad {}\cdot "}
_OP_WIDTH = {"": 0, "=": 2.2, "+": 2.2, "-": 2.2, "*": 0.3, ".": 1.3}


def _split(expr, printer, budget, times="*"):
    """``expr`` as tokens, split at its sums and products only where it is wider than budget."""
    tex = printer.doprint(expr)
    if tex_width(tex) <= budget or not isinstance(expr, sp.Basic):
        return [("", tex)]
    if expr.is_Add:
        out = []
        for i, term in enumerate(ordered_terms(expr)):
            neg = i > 0 and _coeff_isneg(term)
            sub = _split(-term if neg else term, printer, budget, times)
            out.append(("" if i == 0 else "-" if neg else "+", sub[0][1]))
            out += sub[1:]
        return out
    if expr.is_Mul and not divides(expr):
        coeff, rest = expr.as_coeff_Mul()
        factors = ordered_factors(sp.Mul.make_args(rest))
        if abs(coeff) != 1:
            factors.insert(0, abs(coeff))
        out = []
        for i, f in enumerate(factors):
            if f.is_Add:
                inner = _split(f, printer, budget - 2, times)
                if len(inner) == 1:
                    toks = [("", r"\left(%s\right)" % inner[0][1])]
                else:
                    toks = [("", r"\Bigl(" + inner[0][1])] + inner[1:-1] + \
                           [(inner[-1][0], inner[-1][1] + r"\Bigr)")]
            else:
                toks = [("", printer.parenthesize(f, PRECEDENCE["Mul"]))]
            out += [(times if i else "", toks[0][1])] + toks[1:]
        if coeff < 0:
            out[0] = ("", "-" + out[0][1])
        return out
    return [("", tex)]


@dataclass
class Formula:
    """A side of an equation given as a SymPy expression, split when too wide."""

    expr: object
    printer: object = None
    times: str = "*"

    def tokens(self, budget):
        printer = self.printer or SymnetLatexPrinter()
        toks = _split(self.expr, printer, budget, self.times)
        if isinstance(printer, NumberPrinter):
            toks = [(op, printer.tidy(t)) for op, t in toks]
        return toks


@dataclass
class Terms:
    """A sum of terms (chain products) that, when it does not fit, puts one term per row."""

    tokens: list


@dataclass
class Line:
    """``lhs = side = side …``; a side is tokens [(op, tex)], a Terms, a Formula, or a string."""

    lhs: str
    sides: list

    def rows(self, budget):
        """The line as ``align`` rows no wider than ``budget``: breaks go before a term (+, −,
        =) where they can, inside a term only when it is wider than a row, and a side that
        follows a broken side starts a row of its own."""
        rows, cur, width, broke = [], self.lhs + " &= ", 0.0, False
        for k, side in enumerate(self.sides):
            one_per_row = isinstance(side, Terms)
            if isinstance(side, str):
                side = [("", side)]
            elif isinstance(side, Formula):
                side = side.tokens(budget)
            elif one_per_row:
                side = side.tokens
            side = [("=" if k else "", side[0][1])] + list(side[1:])
            groups = []
            for op, tex in side:
                if not groups or op in ("+", "-", "="):
                    groups.append([])
                groups[-1].append((op, tex, tex_width(tex) + _OP_WIDTH[op]))
            one_per_row = one_per_row and width + sum(t[2] for g in groups for t in g) > budget
            first_row = None
            for g, group in enumerate(groups):
                fits = width + sum(t[2] for t in group) <= budget
                new_row = width > 0 and (not fits or (g == 0 and broke) or (g and one_per_row))
                for j, (op, tex, w) in enumerate(group):
                    if width > 0 and (new_row if j == 0 else width + w > budget):
                        rows.append(cur)
                        cur = _ROW_START[op] + tex
                        width = w + (0 if op == "=" else 2)
                    else:
                        cur += _INLINE[op] + tex
                        width += w
                    if first_row is None:
                        first_row = len(rows)
            broke = len(rows) > first_row
        rows.append(cur)
        return rows


class NumberPrinter(SymnetLatexPrinter):
    """Prints the symbols it is given as numbers, products with ``\\cdot``."""

    def __init__(self, shown):
        super().__init__({"mul_symbol": "dot"})
        self.shown = shown

    def _print_Symbol(self, expr, style="plain"):
        s = self.shown.get(expr)
        if s is None:
            return super()._print_Symbol(expr, style)
        return r"\left(%s\right)" % s if s.startswith("-") else s

    def _print_Add(self, expr, order=None):
        # a negative number opening a sum needs no parentheses: −0.3 + 0.5, not (−0.3) + 0.5
        tex = super()._print_Add(expr, order)
        return re.sub(r"^\\left\((-[^()]*?)\\right\)(?= [+-] )", r"\1", tex)

    def doprint(self, expr):
        if expr in self.shown:
            return self.shown[expr]
        return super().doprint(expr)

    @staticmethod
    def tidy(tex):
        """σ((−0.3)) → σ(−0.3): a negative number as a whole argument needs one pair."""
        return re.sub(r"\\left\(\\left\((-[^()]*?)\\right\)\\right\)", r"\\left(\1\\right)", tex)


# ------------------------------------------------------------------- the document blocks

@dataclass
class InlineMath:
    """Inline math inside text."""
    tex: str


@dataclass
class Mono:
    """A name in typewriter type (a loss or an activation)."""
    text: str


@dataclass
class Heading:
    level: int
    parts: list


@dataclass
class Paragraph:
    parts: list


@dataclass
class DisplayMath:
    lines: list


@dataclass
class Code:
    source: str


def inline_partial(partial):
    """∂L/∂ŷ written on one line, for text and tables."""
    return r"\partial %s / \partial %s" % (latex(partial.num), latex(partial.den))


# Every character TeX reads specially, written so that it prints as itself: text from a user (a
# title, a name) must never become a command (\input /etc/passwd).
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
                "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{",
                "}": r"\}", "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
                **{chr(c): " " for c in range(32)}, "\x7f": " "}
_TEX_TABLE = str.maketrans(_TEX_SPECIAL)


def tex_escape(s):
    r"""``s`` as TeX text that prints literally: every special character escaped, control
    characters (a new line would end a paragraph mid-title) made spaces.

    >>> print(tex_escape(r"\input /etc/passwd ^_^ 100% {x} ~"))
    \textbackslash{}input /etc/passwd \textasciicircum{}\_\textasciicircum{} 100\% \{x\} \textasciitilde{}
    """
    return str(s).translate(_TEX_TABLE)


_tex_text = tex_escape


def _tex_parts(parts):
    out = []
    for p in parts if isinstance(parts, list) else [parts]:
        if isinstance(p, InlineMath):
            out.append(f"${p.tex}$")
        elif isinstance(p, Mono):
            out.append(r"\texttt{%s}" % _tex_text(p.text))
        else:
            out.append(_tex_text(p))
    return "".join(out)


def _md_parts(parts):
    out = []
    for p in parts if isinstance(parts, list) else [parts]:
        if isinstance(p, InlineMath):
            out.append(f"${p.tex}$")
        elif isinstance(p, Mono):
            out.append(f"`{p.text}`")
        else:
            out.append(p.replace("*", r"\*"))
    return "".join(out)


def _math_rows(block):
    lhs = max(tex_width(line.lhs) for line in block.lines)
    budget = max(WIDTH - lhs - 3, 24)
    rows = []
    for line in block.lines:
        rows += line.rows(budget)
    return rows


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{booktabs,longtable}
\usepackage{needspace}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.4em}
\setlength{\jot}{5pt}
\AtBeginDocument{\setlength{\abovedisplayskip}{6pt plus 2pt minus 2pt}%
  \setlength{\belowdisplayskip}{6pt plus 2pt minus 2pt}}
\ifdefined\pdftrailerid \pdftrailerid{}\fi
\ifdefined\pdfinfoomitdate \pdfinfoomitdate=1\fi
\pagestyle{plain}
"""


def _keep_together(blocks):
    """Lines to keep on one page from ``blocks[0]`` on, so no page starts or ends with a lone
    line: a heading with what follows, a sentence with the display it introduces.  A display of
    more than 12 rows may break (not near its ends); 0 when there is nothing to keep together."""
    lines = 0
    for k, b in enumerate(blocks):
        if isinstance(b, Heading) and (k or b.level == 1):
            break
        if not isinstance(b, (Heading, Paragraph, DisplayMath)):
            break
        if isinstance(b, DisplayMath):
            rows = len(_math_rows(b))
            lines += (5 * min(rows, 12)) // 2 + 1  # a row with an answer box is tall
            if rows > 12:
                break
        else:
            lines += 3 if isinstance(b, Heading) else 2
    return min(lines, 36) if lines > 2 and not isinstance(blocks[0], DisplayMath) else 0


def _tex_display(rows):
    r"""An ``align*``; a long one may break across pages, but not within two rows of its ends
    (``\*`` forbids a break)."""
    ends = (2, len(rows) - 4) if len(rows) > 12 else (len(rows), -1)
    joined = "".join(row + ("" if k == len(rows) - 1 else
                            " \\\\*\n" if k < ends[0] or k > ends[1] else " \\\\\n")
                     for k, row in enumerate(rows))
    return "\\begin{align*}\n" + joined + "\n\\end{align*}"


def render_tex(blocks):
    """The blocks as a standalone LaTeX document."""
    out = [_PREAMBLE, r"\begin{document}", ""]
    for i, b in enumerate(blocks):
        # a heading's group includes what follows it: no second \needspace right after it
        keep = 0 if i and isinstance(blocks[i - 1], Heading) else _keep_together(blocks[i:i + 4])
        if keep:
            out.append(r"\needspace{%d\baselineskip}" % keep)
        if isinstance(b, Heading):
            text = _tex_parts(b.parts)
            if b.level == 1:
                out.append(r"{\LARGE\bfseries %s\par}" % text)
            else:
                out.append((r"\section*{\boldmath %s}" if b.level == 2 else
                            r"\subsection*{\boldmath %s}") % text)
        elif isinstance(b, Paragraph):
            out.append(_tex_parts(b.parts))
        elif isinstance(b, DisplayMath):
            out.append(_tex_display(_math_rows(b)))
        elif isinstance(b, Table):
            out.append(b.latex(cell=_tex_parts, long=True))
        else:
            continue
        out.append("")
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def render_markdown(blocks):
    """The blocks as Markdown with ``$…$`` and ``$$…$$`` math (GitHub, Jupyter)."""
    out = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append("#" * b.level + " " + _md_parts(b.parts))
        elif isinstance(b, Paragraph):
            out.append(_md_parts(b.parts))
        elif isinstance(b, DisplayMath):
            out.append("$$\n" + aligned(_math_rows(b)) + "\n$$")
        elif isinstance(b, Table):
            out.append(b.markdown(cell=_md_parts))
        else:
            continue
    return "\n\n".join(out) + "\n"


def render_notebook(blocks):
    """The blocks as an nbformat-4 notebook: markdown cells, and the code cells among them."""
    try:
        import nbformat
        from nbformat import v4
    except ImportError:
        raise SymnetError("writing a .ipynb needs nbformat: pip install nbformat "
                          "nbclient (or pip install '.[notebook]' in symnet's folder)") \
            from None
    cells, pending = [], []

    def flush():
        if pending:
            cells.append(v4.new_markdown_cell(render_markdown(pending).rstrip("\n")))
            pending.clear()

    for b in blocks:
        if isinstance(b, Code):
            flush()
            cells.append(v4.new_code_cell(b.source))
        else:
            if isinstance(b, Heading) and b.level <= 2:
                flush()
            pending.append(b)
    flush()
    for i, cell in enumerate(cells, 1):
        cell["id"] = f"cell-{i}"
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


# ------------------------------------------------------------------------- compiling PDF

def compile_latex(tex, timeout=180):
    """Compile a LaTeX document with latexmk (or pdflatex twice) in a temporary folder.

    Returns ``(pdf_bytes, log_text)``.  Raises :class:`SymnetError` naming what to install
    when pdflatex is absent, and quoting LaTeX's first error when compiling fails.  The PDF
    is reproducible: no dates, a fixed trailer id.
    """
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        raise SymnetError(NO_TEX)
    latexmk = shutil.which("latexmk")
    # no shell escape, and TeX may open files only in the temporary folder (paranoid mode), so
    # that no document, whatever slipped into it, can run a program or read ~/.ssh
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1", shell_escape="f",
               openin_any="p", openout_any="p")
    opts = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    with tempfile.TemporaryDirectory(prefix="symnet-tex-") as tmp:
        with open(os.path.join(tmp, "worksheet.tex"), "w", encoding="utf-8") as f:
            f.write(tex)
        if latexmk:
            runs = [[latexmk, "-pdf", "-quiet", f"-pdflatex={pdflatex} -no-shell-escape %O %S", *opts,
                     "worksheet.tex"]]
        else:
            runs = [[pdflatex, *opts, "worksheet.tex"]] * 2
        for cmd in runs:
            try:
                done = subprocess.run(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      timeout=timeout)
            except subprocess.TimeoutExpired:
                raise SymnetError(f"pdflatex took longer than {timeout} s; write .tex "
                                  "instead and compile it yourself") from None
            except OSError as exc:
                raise SymnetError(f"cannot run {cmd[0]}: {exc.strerror or exc}") from None
            log = _read(os.path.join(tmp, "worksheet.log"))
            if done.returncode != 0 or not os.path.exists(os.path.join(tmp, "worksheet.pdf")):
                errors = [ln for ln in log.splitlines() if ln.startswith("!")]
                why = errors[0].lstrip("! ") if errors else f"exit status {done.returncode}"
                raise SymnetError(f"pdflatex could not compile the worksheet: {why}")
        with open(os.path.join(tmp, "worksheet.pdf"), "rb") as f:
            return f.read(), log


def _read(path):
    try:
        with open(path, encoding="latin-1") as f:
            return f.read()
    except OSError:
        return ""
