"""A checker page as a static folder: the exercise, an answer box with a live preview, the
verdict with its diagnosis and credit, and a derivation judged line by line; symnet runs in the
student's browser (Pyodide), so any web space serves it (a course page, a Moodle file, GitHub
Pages) and nothing the student types is sent anywhere.

The folder holds ``index.html``, ``page.js``, ``worker.js``, ``page.css``, KaTeX
(:mod:`symnet.web.katex`), the wheels of symnet, SymPy and mpmath (:mod:`symnet.web.wheels`),
with bytecode Python's memory snapshot (:mod:`symnet.web.bytecode`),
the network's picture (with matplotlib) and ``symnet-page.json``, which says what wrote it.
Pyodide itself comes from its base URL (default: the official CDN, as JupyterLite does).
"""

import html
import importlib.util
import json
import os
import shutil
import tempfile
import uuid
from importlib import resources
from pathlib import Path
from string import Template

import mpmath
import sympy

import symnet

from ..circuits import Circuit
from ..drawing import draw
from ..errors import SymnetError
from ..grading import DIGITS
from ..nice import nice_numbers
from ..printing import definitions_latex, latex
from ..quizzes.statement import description, numbers_tex
from ..quizzes.variants import MAX_VARIANTS, default_parts, default_wrt, draw_variants
from ..symbols import Partial
from . import bytecode as fast
from .browser import model
from .bytecode import PYODIDE_VERSION, compiled
from .katex import katex_files
from .wheels import sources, wheel

PYODIDE = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
MARK = "symnet-page.json"
ASSETS = ("page.js", "worker.js", "page.css")
SNAPSHOT = "python.snapshot.gz"


def write_page(spec, wrt, folder, pyodide=PYODIDE, katex=None, bytecode=None,
               pyodide_package=None, variants=None, seed=0):
    """Write the checker page of ∂L/∂``wrt`` for the model of ``spec`` (a network's keyword
    arguments, or ``{"circuit": definitions}``) into ``folder``: all of it or nothing; an
    existing folder is replaced only when it is empty or a page symnet wrote.  ``pyodide`` is
    Pyodide's base URL, ``katex`` the KaTeX npm package (see :func:`symnet.web.katex.katex_files`);
    with ``bytecode``, the wheels hold bytecode compiled in Pyodide and the page brings Python's
    memory with SymPy imported and the exercise's session warm, as a snapshot (Node.js and
    Pyodide's npm package, ``pyodide_package`` or downloaded: see :mod:`symnet.web.bytecode`);
    ``None``, the default, means "where Node.js is installed".  With
    ``variants``, the page also asks for the number at the point of the variant whose number the
    student types: the variants of ``sn.quiz(net, variants=variants, seed=seed)``, whose
    numbers the student's quiz or exam shows (and ``sn.grade`` reads).
    Returns the files' names.

    >>> import os, tempfile
    >>> katex = tempfile.mkdtemp()  # a stand-in for KaTeX's dist folder
    >>> _ = open(os.path.join(katex, "katex.min.js"), "w").write("/* KaTeX */")
    >>> site = os.path.join(tempfile.mkdtemp(), "site")
    >>> names = write_page({"arch": "2-2-1"}, "w5", site, katex=katex, bytecode=False)
    >>> "index.html" in names and "wheels/symnet-0.1.0-py3-none-any.whl" in names
    True
    """
    net = model(spec)
    target = net.symbol(wrt)
    net.derive(target)  # a name that is not a parameter's is refused before any file
    pyodide = pyodide if pyodide.endswith("/") else pyodide + "/"
    check_folder(folder)
    variants = _variants(net, variants, seed)
    files = {f"katex/{name}": data for name, data in katex_files(katex).items()}
    packages = {p.__name__: sources(p) for p in (sympy, mpmath, symnet)}
    if bytecode is None:
        bytecode = fast.unavailable() is None
    if bytecode:
        packages = compiled(packages, pyodide_package)
    wheels = [wheel(p.__name__, p.__version__, packages[p.__name__])
              for p in (sympy, mpmath, symnet)]
    files.update((f"wheels/{name}", data) for name, data in wheels)
    if bytecode:
        files[SNAPSHOT] = fast.snapshot(wheels, spec, target, DIGITS, pyodide_package)
    static = resources.files(__package__) / "static"
    files.update((name, (static / name).read_bytes()) for name in ASSETS)
    picture = importlib.util.find_spec("matplotlib") is not None
    if picture:
        files["network.svg"] = draw(net).to_bytes("svg")
    config = {"model": spec, "wrt": str(target), "pyodide": pyodide,
              "wheels": [f"wheels/{name}" for name, _ in wheels],
              "variants": variants, "digits": DIGITS}
    if bytecode:
        config |= {"snapshot": SNAPSHOT, "snapshot_pyodide": PYODIDE_VERSION}
    files["index.html"] = _index(net, target, config, picture, (static / "page.html").read_text())
    files[MARK] = json.dumps({"written by": f"symnet {symnet.__version__}", **config,
                              "files": sorted(files)}, indent=1).encode()
    _write_folder(folder, files)
    return sorted(files)


def _variants(net, count, seed):
    """``{number: {"at": the point, "tex": its numbers in LaTeX}}`` of the quiz's variants."""
    if count is None:
        return {}
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_VARIANTS:
        raise SymnetError(f"variants must be a whole number from 1 to {MAX_VARIANTS}; got "
                          f"{count!r:.20}")
    out = {}
    for v in draw_variants(net, count, seed, default_wrt(net), default_parts(net)):
        at, params = nice_numbers(net, v.seed)
        point, numbers = numbers_tex(v)
        out[str(v.number)] = {"at": {**at[0], **params},
                              "tex": ", ".join(t for t in (point, numbers) if t)}
    return out


def _index(net, target, config, picture, template):
    question = latex(Partial(net.output, target))
    what = "circuit" if isinstance(net, Circuit) else "network"
    values = {
        "title": f"∂{net.output}/∂{target}: check your derivative",
        "description": description(net) + ":",
        "definitions": definitions_latex(net.definitions),
        "picture": f'<figure><img src="network.svg" alt="the {what}, every name drawn"></figure>'
                   if picture else "",
        "question": question,
        "placeholder": f"∂{net.output}/∂{target} = …  (one step a line, plain or LaTeX)",
        "version": symnet.__version__, "sympy": sympy.__version__,
        "variants": str(len(config["variants"])),
        **_examples(net),
    }
    out = {k: v if k == "picture" else html.escape(v) for k, v in values.items()}
    out["variant_class"] = "" if config["variants"] else "hidden"
    # JSON inside <script>: no '<', '>' or '&' that could end or bend the element
    out["config"] = (json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
                     .replace(">", "\\u003e").replace("&", "\\u0026"))
    return Template(template).substitute(out).encode()


def _examples(net):
    """How an answer is written, plain and in LaTeX, in the model's own names: 2(ŷ − y)·h1
    where the model has them (a network with a hidden layer), else 2 times a leaf and a node."""
    if {"yhat", "y", "h1"} <= set(map(str, net.symbols.values())):
        return {"plain": "2*(yhat - y)*h1", "tex": r"2(\hat{y} - y) h_1"}
    names = net.leaves[:1] + [s for s in net.definitions if s != net.output][:1]
    return {"plain": "*".join(["2", *map(str, names)]),
            "tex": " ".join(["2", *(latex(s) for s in names)])}


def check_folder(folder):
    """Refuse, before any work, a folder that cannot be written: a file, a folder with other
    things in it, a missing parent."""
    path = Path(folder)
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        raise SymnetError(f"cannot write {folder}: it exists and is not a folder; give a new "
                          "folder's name")
    if path.is_dir() and any(path.iterdir()) and not (path / MARK).is_file():
        raise SymnetError(f"cannot write {folder}: it holds files symnet did not write; give a "
                          "new or empty folder")
    if not path.absolute().parent.is_dir():
        raise SymnetError(f"cannot write {folder}: no folder {path.absolute().parent}")


def _write_folder(folder, files):
    """Every file into a new folder beside ``folder``, then one rename into place; an old
    page is moved aside first and removed last (back in place if the rename fails)."""
    path = Path(folder).absolute()
    try:
        new = Path(tempfile.mkdtemp(dir=path.parent, prefix=".symnet-"))
    except OSError as exc:
        raise SymnetError(f"cannot write {folder}: {exc.strerror or exc}") from None
    old = path.parent / f".symnet-{uuid.uuid4().hex}"
    try:
        for name, data in files.items():
            (new / name).parent.mkdir(parents=True, exist_ok=True)
            (new / name).write_bytes(data)
        os.chmod(new, 0o755)  # mkdtemp's 0700 would keep a web server out
        if path.exists():
            os.rename(path, old)
        try:
            os.rename(new, path)
        except BaseException:
            if old.exists():
                os.rename(old, path)
            raise
    except OSError as exc:
        raise SymnetError(f"cannot write {folder}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(new, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
