"""Wheels of the pure-Python packages a page runs (symnet, SymPy, mpmath), built from the
installed packages' own files.

The page installs exactly what runs here: no download, the same versions, and symnet's wheel
is the running source (a checkout or an installation alike).  A wheel is a zip of the package
and a ``.dist-info`` folder (PEP 427); its metadata names no dependency, so that nothing else
(NumPy, tqdm) is fetched in the browser.  Test folders are left out, as Pyodide's own builds
do; the zip is the same byte for byte from one build to the next (fixed times, sorted names).

>>> import io, zipfile, mpmath
>>> name, data = wheel("mpmath", mpmath.__version__, sources(mpmath))
>>> name == f"mpmath-{mpmath.__version__}-py3-none-any.whl"
True
>>> "mpmath/__init__.py" in zipfile.ZipFile(io.BytesIO(data)).namelist()
True
"""

import base64
import hashlib
import io
import os
import zipfile
from pathlib import Path

SKIPPED = {"__pycache__", "tests"}
_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the bytes depend on content only


def sources(package):
    """``{path in a wheel: bytes}`` of the imported ``package`` (a module object): its files,
    tests and bytecode left out."""
    root = Path(package.__file__).parent
    files = {}
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED)
        for file in sorted(names):
            if not file.endswith((".pyc", ".pyo")):
                path = Path(folder, file)
                files[f"{root.name}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return files


def wheel(name, version, files):
    """``(file name, bytes)`` of a ``py3-none-any`` wheel of ``files`` (``{path: bytes}``), its
    distribution called ``name`` at ``version``."""
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    files = [*files.items(), (f"{info}/METADATA", metadata.encode()),
             (f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: symnet\nRoot-Is-Purelib: true\n"
                               b"Tag: py3-none-any\n")]
    record = "".join(f"{path},sha256={_digest(data)},{len(data)}\n" for path, data in files)
    files.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            entry = zipfile.ZipInfo(path, _TIME)
            entry.external_attr = 0o644 << 16
            z.writestr(entry, data, zipfile.ZIP_DEFLATED)
    return f"{name}-{version}-py3-none-any.whl", out.getvalue()


def _digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
