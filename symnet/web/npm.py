"""npm packages a page is built with (KaTeX; Pyodide, for bytecode), downloaded once from the
npm registry into symnet's cache and checked against the integrity hash the registry publishes
for the pinned version; read in memory, never unpacked by path.
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

MAX_TARBALL = 50_000_000


def cache_folder():
    """Where downloads are kept: ``$XDG_CACHE_HOME/symnet``, else ``~/.cache/symnet``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "symnet"


def tarball(name, version, integrity, option):
    """The bytes of ``name-version.tgz`` from the cache or the registry, verified; ``option``
    names the command-line option that gives the package instead, for the error message."""
    path = cache_folder() / f"{name}-{version}.tgz"
    if path.is_file() and intact(path.read_bytes(), integrity):
        return path.read_bytes()
    url = f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read(MAX_TARBALL + 1)
    except OSError as exc:
        raise SymnetError(f"cannot download {url} ({exc}); give {option} with the npm package "
                          f"(npm pack {name}@{version})") from None
    if not intact(data, integrity):
        raise SymnetError(f"the {name} downloaded from {url} is not the published {version}")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return data


def intact(data, integrity):
    """Whether ``data`` has the npm ``integrity`` (``sha512-`` and the base64 digest)."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode() == integrity


def members(data, folder, wanted):
    """``{path under folder: bytes}`` of an npm tarball's regular files under ``package/folder``
    for which ``wanted(path)`` holds."""
    prefix = f"package/{folder}"
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            found = {m.name.removeprefix(prefix): m for m in tar.getmembers()
                     if m.isfile() and m.name.startswith(prefix)}
            return {name: tar.extractfile(m).read() for name, m in found.items()
                    if wanted(name) and ".." not in name.split("/")}
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise SymnetError(f"cannot read the npm package: {exc}") from None
