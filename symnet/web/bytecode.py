"""A page's wheels as bytecode (``symnet page --bytecode``): compiled by the CPython inside
Pyodide, run by Node.js, so that the browser imports SymPy without compiling it.

Compiling SymPy is most of the time a page takes to start (on the development machine, a
verdict's imports took 22 s from source and 3 s from bytecode in Pyodide).  Bytecode is
specific to a Python version (Pyodide 314.0.8 runs Python 3.14), so it is made by Pyodide's own
interpreter: the Pyodide npm package, downloaded once into symnet's cache
(:mod:`symnet.web.npm`) or given by ``--pyodide-package``.  Each package's bytecode is cached
beside it, keyed by its sources, so that SymPy is compiled once per machine.  The modules are
"sourceless" (``module.pyc`` where ``module.py`` was): tracebacks show no source lines.

Starting Python itself is then most of it, so the same Pyodide also starts once here, imports
the page's wheels, builds and warms its session, and saves its memory (:func:`snapshot`,
Pyodide's ``makeMemorySnapshot``): the browser restores that instead (a first verdict in about
a third of the time Pyodide alone takes to start), and falls back to the wheels when it cannot.
"""

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from ..errors import SymnetError
from ..files import write_atomic
from .npm import cache_folder, members, tarball

PYODIDE_VERSION = "314.0.8"  # Python 3.14, SymPy 1.14.0 (the versions symnet is built on)
INTEGRITY = ("sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHS"
             "VUpHsoarLQ==")
NEEDED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
          "pyodide-lock.json")


def unavailable():
    """None when Node.js is installed, so that a page is made with bytecode by default; else
    why not.

    >>> unavailable() is None or unavailable().startswith("no Node.js")
    True
    """
    return None if shutil.which("node") else "no Node.js (node) to run Pyodide's Python 3.14"


def _node():
    node = shutil.which("node")
    if node is None:
        raise SymnetError("--bytecode needs Node.js (node) to run Pyodide's Python 3.14; "
                          "install it, or leave --bytecode out")
    return node


def compiled(packages, pyodide_package=None):
    """``packages`` (``{name: {path: bytes}}``) with every ``.py`` file that compiles replaced
    by its ``.pyc``; ``pyodide_package``: a folder holding Pyodide's npm package (default:
    from the cache or the registry)."""
    node = _node()
    keys = {name: _key(files) for name, files in packages.items()}
    cache = cache_folder() / "bytecode"
    todo = {name: files for name, files in packages.items()
            if not (cache / f"{keys[name]}.zip").is_file()}
    if todo:
        pyc = _run(node, _pyodide(pyodide_package), todo)
        cache.mkdir(parents=True, exist_ok=True)
        for name, files in todo.items():
            write_atomic(cache / f"{keys[name]}.zip", _zip(
                {p: data for p, data in pyc.items() if p[:-1] in files}))
    out = {}
    for name, files in packages.items():
        with zipfile.ZipFile(cache / f"{keys[name]}.zip") as z:
            pyc = {p: z.read(p) for p in z.namelist()}
        out[name] = {p: data for p, data in files.items() if p + "c" not in pyc} | pyc
    return out


def _key(files):
    digest = hashlib.sha256(PYODIDE_VERSION.encode())
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()


def _zip(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in sorted(files.items()):
            z.writestr(path, data)
    return out.getvalue()


def _pyodide(folder):
    """A folder with Pyodide's npm package: ``folder``, or its files unpacked from the cached
    tarball."""
    if folder is not None:
        for path in (Path(folder), Path(folder) / "package"):
            if all((path / name).is_file() for name in NEEDED):
                return path
        raise SymnetError(f"--pyodide-package {folder}: not Pyodide's npm package (no "
                          f"{NEEDED[0]} and {NEEDED[2]}); npm pack pyodide@{PYODIDE_VERSION} "
                          "makes it")
    path = cache_folder() / f"pyodide-{PYODIDE_VERSION}"
    if not all((path / name).is_file() for name in NEEDED):
        data = tarball("pyodide", PYODIDE_VERSION, INTEGRITY, "--pyodide-package")
        path.mkdir(parents=True, exist_ok=True)
        for name, content in members(data, "", lambda name: name in NEEDED).items():
            write_atomic(path / name, content)
    return path


def _run(node, pyodide, packages):
    sources = {p: data for files in packages.values() for p, data in files.items()
               if p.endswith(".py")}
    with tempfile.TemporaryDirectory(prefix="symnet-") as tmp:
        source, out = Path(tmp, "in.zip"), Path(tmp, "out.zip")
        source.write_bytes(_zip(sources))
        _script(node, "compile.mjs", [pyodide, source, out], "compiling to bytecode")
        with zipfile.ZipFile(out) as z:
            return {p: z.read(p) for p in z.namelist()}


def _script(node, name, arguments, what):
    script = resources.files(__package__) / "static" / name
    with resources.as_file(script) as path:
        done = subprocess.run([node, str(path), *map(str, arguments)], capture_output=True,
                              text=True, timeout=3600)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SymnetError(f"{what} in Pyodide failed: {last[:200]}")


def snapshot(wheels, spec, wrt, digits, pyodide_package=None):
    """Pyodide's memory, gzipped, once Python has ``wheels`` (``[(file name, bytes)]``, served
    beside the page) on its path and the page's session (``Session(spec, wrt, digits)``, see
    :mod:`symnet.web.browser`) built and warm: the page restores it instead of starting Python
    and importing SymPy.  It fits only the Pyodide build it was made in (:data:`PYODIDE_VERSION`;
    the page starts afresh from the wheels with any other)."""
    node = _node()
    paths = [f"/lib/symnet-page/{name}" for name, _ in wheels]
    start = (f"import sys\nsys.path.extend({paths!r})\n"
             "from symnet.web.browser import Session\n"
             f"session = Session({json.dumps(spec)!r}, {str(wrt)!r}, {digits!r})\n"
             "session.warm()\n")
    with tempfile.TemporaryDirectory(prefix="symnet-") as tmp:
        folder, script, out = Path(tmp, "wheels"), Path(tmp, "start.py"), Path(tmp, "memory")
        folder.mkdir()
        for name, data in wheels:
            (folder / name).write_bytes(data)
        script.write_text(start)
        _script(node, "snapshot.mjs", [_pyodide(pyodide_package), folder, script, out],
                "making the page's snapshot")
        return gzip.compress(out.read_bytes(), compresslevel=6, mtime=0)
