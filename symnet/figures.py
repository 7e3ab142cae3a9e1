"""Figures drawn with matplotlib (an optional extra: ``pip install matplotlib``).

Figures are built as ``matplotlib.figure.Figure`` objects, never through ``pyplot``: nothing
here changes the global backend, so a notebook keeps its own.  A :class:`Picture` wraps a
figure; it shows itself in Jupyter and saves as PNG, SVG or PDF (by the file's suffix), written
completely or not at all.  SVG text stays text (``svg.fonttype = 'none'``), so every label of
a drawing can be found, searched and copied.
"""

import io
import os

from .errors import SymnetError
from .files import path_of, write_atomic

SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
# symnet is installed from a checkout, not from a package index: name the package itself
INSTALL = "pip install matplotlib (or pip install '.[plot]' in symnet's folder)"


def need_matplotlib(what="plotting"):
    """Import matplotlib, or raise one clear :class:`SymnetError` saying how to install it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise SymnetError(f"{what} needs matplotlib: {INSTALL}") from None


def figure(width, height, what="plotting"):
    """A new matplotlib Figure of ``width`` × ``height`` inches (no pyplot, no global state)."""
    need_matplotlib(what)
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=100)


def file_format(path):
    """``"png"``, ``"svg"`` or ``"pdf"`` from the suffix of ``path``; a clear error otherwise.

    >>> file_format("net.SVG")
    'svg'
    """
    path = path_of(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SUFFIXES:
        raise SymnetError(f"cannot tell the image format of {path!r}; "
                          f"name the file with one of: {', '.join(SUFFIXES)}")
    return SUFFIXES[suffix]


def render(fig, fmt, dpi=150):
    """The figure as bytes in format ``fmt`` (``png``, ``svg`` or ``pdf``)."""
    from matplotlib import rc_context
    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "symnet",
                     "pdf.fonttype": 42}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return buf.getvalue()


def _metadata(fmt):
    # No creation dates: the same figure gives the same file, byte for byte.
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {"Software": None}


class Picture:
    """A drawn figure: ``save(path)`` writes it; Jupyter shows it inline.

    ``figure`` is the underlying matplotlib Figure, for anyone who wants to change it.
    """

    def __init__(self, fig, what="figure"):
        self.figure = fig
        self.what = what

    def __repr__(self):
        w, h = self.figure.get_size_inches()
        return f"<Picture: {self.what}, {w:.1f} × {h:.1f} in>"

    def save(self, path, dpi=150):
        """Write the picture to ``path`` (.png, .svg or .pdf), atomically; return ``path``."""
        write_atomic(path, render(self.figure, file_format(path), dpi))
        return path

    def to_bytes(self, fmt="png", dpi=150):
        """The picture's bytes in ``fmt`` (png, svg or pdf)."""
        if fmt not in SUFFIXES.values():
            raise SymnetError(f"unknown image format {fmt!r}; valid: png, svg, pdf")
        return render(self.figure, fmt, dpi)

    def _repr_png_(self):
        return render(self.figure, "png", 100)
