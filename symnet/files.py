"""Writing files completely or not at all; reading the text files a user hands in."""

import os
import sys
import tempfile

from .errors import SymnetError

# The process umask, read once at import: reading it means setting it, which is not safe to do
# while other threads create files.
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path, data):
    """Write ``data`` (str or bytes) to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and a failure leaves any old file untouched.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> write_atomic(path, "hello")
    >>> open(path).read()
    'hello'
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".symnet-", suffix=".tmp")
    except OSError as exc:
        raise SymnetError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        os.unlink(tmp)
        raise SymnetError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        os.unlink(tmp)
        raise


def check_writable(path):
    """Refuse, before any work, a path whose folder is missing or not writable.

    >>> check_writable("/no/such/folder/out.txt")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot write /no/such/folder/out.txt: no folder /no/such/folder
    """
    folder = os.path.dirname(os.path.abspath(os.fspath(path)))
    if not os.path.isdir(folder):
        raise SymnetError(f"cannot write {os.fspath(path)}: no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise SymnetError(f"cannot write {os.fspath(path)}: the folder is not writable")


def _mode(path):
    """The permission bits for ``path``: an existing file keeps its own, a new one follows the
    umask, as ``open(path, "w")`` would."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


MAX_TEXT = 100_000  # characters of a text file a user hands in (a derivation)


def read_text(path):
    """The text of ``path`` (``-``: standard input), at most :data:`MAX_TEXT` characters."""
    try:
        if path == "-":
            text = sys.stdin.read(MAX_TEXT + 1)
        else:
            with open(path, encoding="utf-8") as f:
                text = f.read(MAX_TEXT + 1)
    except OSError as exc:
        raise SymnetError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SymnetError(f"{path} is not UTF-8 text") from None
    if len(text) > MAX_TEXT:
        raise SymnetError(f"{path} is longer than {MAX_TEXT:,} characters")
    return text
