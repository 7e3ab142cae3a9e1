"""Documents as blocks (headings, paragraphs, aligned math, tables, code), rendered to LaTeX,
Markdown or a Jupyter notebook; display math is broken into rows that fit the page
(:mod:`symnet.linebreak`), and LaTeX compiled to PDF by :mod:`symnet.pdf`.

The worksheet builds its content from these blocks; nothing here knows about networks.

>>> from symnet.linebreak import Line
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

from dataclasses import dataclass

from .errors import SymnetError
from .linebreak import WIDTH, tex_width
from .printing import Table, aligned, latex

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
class Written:
    """A person's name printed as written: in ``font`` (a :class:`symnet.fonts.Font`, which
    LuaLaTeX sets), or in the document's own font when None."""
    text: str
    font: object = None


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
                **{chr(c): " " for c in range(32)}, "\x7f": " ",
                # the mathematical characters of symnet's own sentences (diagnoses, slips)
                **{c: r"\ensuremath{%s}" % m for c, m in {
                    "∂": r"\partial", "−": "-", "½": r"\tfrac{1}{2}", "²": "^{2}", "·": r"\cdot",
                    "ŷ": r"\hat{y}", "α": r"\alpha", "σ": r"\sigma", "δ": r"\delta",
                    "θ": r"\theta", "Σ": r"\Sigma", "′": "'", "∼": r"\sim", "…": r"\ldots"}.items()}}
_TEX_TABLE = str.maketrans(_TEX_SPECIAL)
_TEX_PLAIN = str.maketrans({c: t for c, t in _TEX_SPECIAL.items() if "ensuremath" not in t})


def tex_escape(s):
    r"""``s`` as TeX text that prints literally: every special character escaped, control
    characters (a new line would end a paragraph mid-title) made spaces.

    >>> print(tex_escape(r"\input /etc/passwd ^_^ 100% {x} ~"))
    \textbackslash{}input /etc/passwd \textasciicircum{}\_\textasciicircum{} 100\% \{x\} \textasciitilde{}
    >>> print(tex_escape("∂L/∂ŷ = −2"))
    \ensuremath{\partial}L/\ensuremath{\partial}\ensuremath{\hat{y}} = \ensuremath{-}2
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
        elif isinstance(p, Written):
            out.append(_tex_written(p))
        else:
            out.append(_tex_text(p))
    return "".join(out)


def _tex_written(p):
    r"""A name in its font: ``{\fontspec{Noto Sans Devanagari}[…]…}``, right to left where it
    is written so; its letters as they are (σ in a Greek name is not the math σ)."""
    text = str(p.text).translate(_TEX_PLAIN)
    if p.font is None:
        return text
    options = "Renderer=HarfBuzz" + (f",Script={p.font.script}" if p.font.script else "")
    return "{%s\\fontspec{%s}[%s]%s}" % (r"\textdir TRT" if p.font.rtl else "", p.font.family,
                                        options, text)


def _md_parts(parts):
    out = []
    for p in parts if isinstance(parts, list) else [parts]:
        if isinstance(p, InlineMath):
            out.append(f"${p.tex}$")
        elif isinstance(p, Mono):
            out.append(f"`{p.text}`")
        elif isinstance(p, Written):
            out.append(p.text.replace("*", r"\*"))
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
\usepackage{array,booktabs,longtable}
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


def render_tex(blocks, lualatex=False):
    """The blocks as a standalone LaTeX document (``lualatex``: for LuaLaTeX, with fontspec,
    which a :class:`Written` name in its own font needs)."""
    preamble = _PREAMBLE.replace("\n", "\n% compile with lualatex\n\\usepackage{fontspec}\n", 1) \
        if lualatex else _PREAMBLE
    out = [preamble, r"\begin{document}", ""]
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
