"""Output paths of worksheets (and class sets) and writing several files together."""

import os

from ..errors import SymnetError
from ..files import check_writable, path_of, write_all

SUFFIXES = (".tex", ".pdf", ".md", ".ipynb")


def suffix_of(path, suffixes=SUFFIXES):
    """The lower-case suffix of ``path`` if it is one of ``suffixes``, else one clear error."""
    suffix = os.path.splitext(path_of(path))[1].lower()
    if suffix not in suffixes and os.path.isdir(path_of(path)):
        raise SymnetError(f"{os.fspath(path)} is a folder; give a file in it, e.g. "
                          f"{os.path.join(os.fspath(path), 'out' + suffixes[0])}")
    if suffix not in suffixes:
        listed = " or ".join([", ".join(suffixes[:-1]), suffixes[-1]] if len(suffixes) > 1
                             else suffixes)
        raise SymnetError(f"unknown output type {suffix or '(none)'!r} for {os.fspath(path)}; "
                          f"expected a file ending in {listed}")
    return suffix


def key_path(path):
    """Where the answer key of the sheet at ``path`` goes: ``sheet.pdf`` → ``sheet-key.pdf``.

    >>> key_path("a/sheet.pdf")
    'a/sheet-key.pdf'
    """
    base, ext = os.path.splitext(os.fspath(path))
    return f"{base}-key{ext}"


def check_output(path, suffixes=SUFFIXES):
    """Refuse, before any work, an output path with an unknown suffix or an unwritable folder."""
    suffix_of(path, suffixes)
    check_writable(path)


def save_all(files):
    """Write every ``(path, data)`` of ``files``, or none of them: all are checked first, written
    to temporary files and renamed together; on a failure every earlier file stays as it was
    (:func:`symnet.files.write_all`).  Returns the paths."""
    return write_all(files)
