"""KaTeX for a page's math, vendored from its npm package when the page is written.

Only what a page uses is copied: ``katex.min.js``, ``katex.min.css`` and the WOFF2 fonts (every
browser that runs Pyodide reads WOFF2), about 0.6 MB.  The package comes from a path the
teacher gives (``npm pack katex`` makes the ``.tgz``; an unpacked package or its ``dist``
folder does too), or else is downloaded once into symnet's cache (:mod:`symnet.web.npm`).
"""

from pathlib import Path

from ..errors import SymnetError
from .npm import members, tarball

VERSION = "0.19.1"
INTEGRITY = ("sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr56"
             "14uRrEfA==")


def _wanted(name):
    return name in ("katex.min.js", "katex.min.css") or (name.startswith("fonts/") and
                                                         name.endswith(".woff2"))


def katex_files(source=None):
    """``{path in the page's katex/ folder: bytes}``, from ``source`` (a ``.tgz`` of the npm
    package, the package's folder or its ``dist`` folder), else from the cache or the npm
    registry."""
    if source is None:
        return _from_tarball(tarball("katex", VERSION, INTEGRITY, "--katex"))
    path = Path(source)
    if path.is_file():
        return _from_tarball(path.read_bytes())
    for dist in (path, path / "dist", path / "package" / "dist"):
        if (dist / "katex.min.js").is_file():
            files = {p.relative_to(dist).as_posix(): p for p in sorted(dist.rglob("*"))}
            return {name: p.read_bytes() for name, p in files.items() if _wanted(name)}
    raise SymnetError(f"--katex {source}: no katex.min.js there; give the KaTeX npm package "
                      "(npm pack katex makes its .tgz) or its dist folder")


def _from_tarball(data):
    out = members(data, "dist/", _wanted)
    if "katex.min.js" not in out:
        raise SymnetError("the KaTeX package has no dist/katex.min.js; give KaTeX's npm package")
    return out
