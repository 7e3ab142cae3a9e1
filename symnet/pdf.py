"""LaTeX compiled to PDF by the real pdflatex (or latexmk), sandboxed and reproducible."""

import os
import shutil
import subprocess
import tempfile

from .errors import SymnetError
from .files import sigterm_raises

NO_TEX = ("writing a .pdf needs pdflatex, which is not installed: install TeX Live (Debian or "
          "Ubuntu: apt-get install texlive-latex-base texlive-latex-recommended "
          "texlive-latex-extra latexmk), or write .tex, .md or .ipynb instead")

NO_LUA = ("writing this .pdf needs lualatex (names in scripts beyond pdflatex's fonts), which is "
          "not installed: install TeX Live's LuaLaTeX (Debian or Ubuntu: apt-get install "
          "texlive-luatex), or write .tex instead")


def compile_latex(tex, timeout=180, engine="pdflatex"):
    """Compile a LaTeX document with latexmk (or the engine twice) in a temporary folder;
    ``engine`` is ``"pdflatex"`` or ``"lualatex"`` (a document with names in fonts of their own).

    Returns ``(pdf_bytes, log_text)``.  Raises :class:`SymnetError` naming what to install
    when pdflatex is absent, and quoting LaTeX's first error when compiling fails.  The PDF
    is reproducible: no dates, a fixed trailer id.
    """
    pdflatex = shutil.which(engine)
    if pdflatex is None:
        raise SymnetError(NO_TEX if engine == "pdflatex" else NO_LUA)
    latexmk = shutil.which("latexmk")
    # no shell escape, and TeX may open files only in the temporary folder (paranoid mode), so
    # that no document, whatever slipped into it, can run a program or read ~/.ssh
    env = dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1", shell_escape="f",
               openin_any="p", openout_any="p")
    opts = ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape"]
    # SIGTERM, like Ctrl-C, raises: subprocess.run kills the compiler, the folder is removed
    with sigterm_raises(), tempfile.TemporaryDirectory(prefix="symnet-tex-",
                                                       ignore_cleanup_errors=True) as tmp:
        with open(os.path.join(tmp, "worksheet.tex"), "w", encoding="utf-8") as f:
            f.write(tex)
        if latexmk:
            runs = [[latexmk, "-pdflua" if engine == "lualatex" else "-pdf", "-quiet",
                     f"-{engine}={pdflatex} -no-shell-escape %O %S", *opts, "worksheet.tex"]]
        else:
            runs = [[pdflatex, *opts, "worksheet.tex"]] * 2
        for cmd in runs:
            try:
                done = subprocess.run(cmd, cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      timeout=timeout)
            except subprocess.TimeoutExpired:
                raise SymnetError(f"{engine} took longer than {timeout} s; write .tex "
                                  "instead and compile it yourself") from None
            except OSError as exc:
                raise SymnetError(f"cannot run {cmd[0]}: {exc.strerror or exc}") from None
            log = _read(os.path.join(tmp, "worksheet.log"))
            if done.returncode != 0 or not os.path.exists(os.path.join(tmp, "worksheet.pdf")):
                errors = [ln for ln in log.splitlines() if ln.startswith("!")]
                why = errors[0].lstrip("! ") if errors else f"exit status {done.returncode}"
                raise SymnetError(f"{engine} could not compile the worksheet: {why}")
        with open(os.path.join(tmp, "worksheet.pdf"), "rb") as f:
            return f.read(), log


def _read(path):
    try:
        with open(path, encoding="latin-1") as f:
            return f.read()
    except OSError:
        return ""
