"""KaTeX for a page's math, vendored from its npm package when the page is written.

Only what a page uses is copied: ``katex.min.js``, ``katex.min.css`` and the WOFF2 fonts (every
browser that runs Pyodide reads WOFF2), about 0.6 MB.  The package comes from a path the
teacher gives (``npm pack katex`` makes the ``.tgz``; an unpacked package or its ``dist``
folder does too), or else is downloaded once from the npm registry into symnet's cache and
checked against the integrity hash the registry publishes for this version.
"""

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

from ..errors import SymnetError
from ..files import write_atomic

VERSION = "0.19.1"
TARBALL = f"https://registry.npmjs.org/katex/-/katex-{VERSION}.tgz"
INTEGRITY = ("sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr56"
             "14uRrEfA==")
MAX_TARBALL = 20_000_000


def _wanted(name):
    return name in ("katex.min.js", "katex.min.css") or (name.startswith("fonts/") and
                                                         name.endswith(".woff2"))


def katex_files(source=None):
    """``{path in the page's katex/ folder: bytes}``, from ``source`` (a ``.tgz`` of the npm
    package, the package's folder or its ``dist`` folder), else from the cache or the npm
    registry."""
    if source is None:
        return _from_tarball(_cached())
    path = Path(source)
    if path.is_file():
        return _from_tarball(path.read_bytes())
    for dist in (path, path / "dist", path / "package" / "dist"):
        if (dist / "katex.min.js").is_file():
            files = {p.relative_to(dist).as_posix(): p for p in sorted(dist.rglob("*"))}
            return {name: p.read_bytes() for name, p in files.items() if _wanted(name)}
    raise SymnetError(f"--katex {source}: no katex.min.js there; give the KaTeX npm package "
                      "(npm pack katex makes its .tgz) or its dist folder")


def cache_folder():
    """Where downloads are kept: ``$XDG_CACHE_HOME/symnet``, else ``~/.cache/symnet``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "symnet"


def _cached():
    path = cache_folder() / f"katex-{VERSION}.tgz"
    if path.is_file() and _intact(path.read_bytes()):
        return path.read_bytes()
    try:
        with urllib.request.urlopen(TARBALL, timeout=60) as response:
            data = response.read(MAX_TARBALL + 1)
    except OSError as exc:
        raise SymnetError(f"cannot download KaTeX from {TARBALL} ({exc}); give --katex with "
                          "the npm package (npm pack katex)") from None
    if not _intact(data):
        raise SymnetError(f"the KaTeX downloaded from {TARBALL} is not the published {VERSION}")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return data


def _intact(data):
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode()
    return "sha512-" + digest == INTEGRITY


def _from_tarball(data):
    """The wanted files of an npm tarball, read in memory (no path of it reaches the disk)."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            files = {m.name.removeprefix("package/dist/"): m for m in tar.getmembers()
                     if m.isfile() and m.name.startswith("package/dist/")}
            out = {name: tar.extractfile(m).read() for name, m in files.items() if _wanted(name)}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SymnetError(f"cannot read the KaTeX package: {exc}") from None
    if "katex.min.js" not in out:
        raise SymnetError("the KaTeX package has no dist/katex.min.js; give KaTeX's npm package")
    return out
