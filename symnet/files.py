"""Writing files completely or not at all, one file or several together; reading the files a
user hands in (text, strict JSON, CSV rows).

Every output is checked before anything is written: its folder must exist and be writable, and
an existing output must be a regular file.  A symbolic link is followed: the file it points to
is replaced (the link stays a link); a link to anything else (a device such as ``/dev/null``, a
folder, nothing at all) is refused.  Data goes to temporary files beside the targets, which are
renamed into place only when all are complete; if anything fails, every earlier file is left as
it was and no temporary file stays behind, also on Ctrl-C or SIGTERM.
"""

import csv
import io
import json
import os
import re
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager

from .errors import SymnetError

# The process umask, read once at import: reading it means setting it, which is not safe to do
# while other threads create files.
_UMASK = os.umask(0)
os.umask(_UMASK)
_PREFIX = ".symnet-"


def write_atomic(path, data):
    """Write ``data`` (str or bytes) to ``path`` through a temporary file and a rename.

    A reader never sees a half-written file, and a failure leaves any old file untouched.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> write_atomic(path, "hello")
    >>> open(path).read()
    'hello'
    """
    write_all([(path, data)])


def write_all(outputs):
    """Write several files together: all of them, or none (every old file left as it was).

    ``outputs`` is a list of ``(path, data)``; returns the paths.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> sheet, key = os.path.join(folder, "s.md"), os.path.join(folder, "s-key.md")
    >>> write_all([(sheet, "sheet"), (key, "key")]) == [sheet, key]
    True
    >>> write_all([(sheet, "new sheet"), (os.path.join(folder, "no", "key.md"), "key")])
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot write ...key.md: no folder ...no
    >>> open(sheet).read()
    'sheet'
    """
    outputs = [(path_of(p), d) for p, d in outputs]
    targets = check_outputs([p for p, _ in outputs])  # all refused before anything is written
    done = []  # (target, temporary, backup or None, existed)
    current = outputs[0][0] if outputs else ""
    with sigterm_raises():
        try:
            for (path, data), real in zip(outputs, targets):
                current = path
                done.append((real, _temporary(path, real, data), None, os.path.exists(real)))
            for i, (real, tmp, _, existed) in enumerate(done):
                current = outputs[i][0]
                # a hard link keeps the old file, so that a later failure can put it back
                backup = _backup(real) if existed and len(done) > 1 else None
                done[i] = (real, tmp, backup, existed)
                os.replace(tmp, real)
                done[i] = (real, None, backup, existed)
        except BaseException as exc:
            _undo(done)
            if isinstance(exc, OSError):
                raise SymnetError(f"cannot write {current}: {exc.strerror or exc}") from None
            raise
        for _, _, backup, _ in done:
            if backup:
                _remove(backup)
    return [p for p, _ in outputs]


def target(path):
    """The file that writing ``path`` replaces, or one clear error before any work.

    A symbolic link is followed to a regular file (or to a new file in an existing folder);
    an existing output that is not a regular file is refused.

    >>> target("/dev/null")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot write /dev/null: it exists and is not a regular file (a
    device); give a new file name or remove it
    """
    path = path_of(path)
    real = os.path.realpath(path) if os.path.islink(path) else os.path.abspath(path)
    if os.path.islink(path) and not os.path.lexists(real):
        raise SymnetError(f"cannot write {path}: it is a symbolic link to nothing ({real})")
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise SymnetError(f"cannot write {path}: {exc.strerror or exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise SymnetError(f"cannot write {path}: it exists and is not a regular file "
                          f"({_kind(mode)}); "
                          "give a new file name or remove it")
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise SymnetError(f"cannot write {path}: no folder "
                          f"{os.path.dirname(os.path.abspath(path))}")
    if not os.access(folder, os.W_OK):
        raise SymnetError(f"cannot write {path}: the folder is not writable")
    return real


def path_of(path):
    """``path`` as text (a ``str`` or an ``os.PathLike``), or one clear error: a file name is
    never a number, a list or bytes.

    >>> path_of(7)
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: a file name must be text or a path (pathlib.Path), got int
    """
    try:
        text = os.fspath(path)
    except TypeError:
        text = None
    if not isinstance(text, str) or not text.strip() or "\0" in text:
        what = "an empty name" if isinstance(text, str) and not text.strip() else \
            "a NUL character" if isinstance(text, str) else type(path).__name__
        raise SymnetError(f"a file name must be text or a path (pathlib.Path), got {what}")
    return text


def check_outputs(outputs, inputs=()):
    """The files that writing ``outputs`` replaces (see :func:`target`), or one clear error
    before any work: also for two outputs that are one file (the same path, or a symbolic or
    hard link to the same device and inode), and for an output that is one of ``inputs``.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> model, plot = os.path.join(folder, "m.json"), os.path.join(folder, "p.png")
    >>> _ = open(model, "w").write("{}")
    >>> os.symlink(model, plot)
    >>> check_outputs([model, plot])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot write .../m.json and .../p.png: they are one file ...
    """
    outputs = [path_of(p) for p in outputs]
    targets = [target(p) for p in outputs]
    seen = {}
    for path, real in zip(outputs, targets):
        key = _identity(real)
        if key in seen:
            raise SymnetError(f"cannot write {seen[key]} and {path}: they are one file ({real}); "
                              "give each output its own name")
        seen[key] = path
    for given in inputs:
        key = _identity(os.path.realpath(path_of(given)))
        if key in seen:
            raise SymnetError(f"cannot write {seen[key]}: it is the input {os.fspath(given)}; "
                              "writing it would lose what is read; give the output another name")
    return targets


def _identity(real):
    """A file as the system knows it (device, inode), or its absolute path if it is missing."""
    try:
        st = os.stat(real)
    except OSError:
        return os.path.normcase(os.path.abspath(real))
    return st.st_dev, st.st_ino


def _kind(mode):
    return "a folder" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode) or \
        stat.S_ISBLK(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a socket" \
        if stat.S_ISSOCK(mode) else "not a file"


def read_input(path, limit):
    """At most ``limit + 1`` bytes of the file a user hands in: the one way every input file
    is read.  What is not a regular file (a pipe nobody writes, a device, a folder) is refused
    before it is opened, so that reading never blocks; a missing or unreadable file raises the
    ``OSError`` (each reader words it for its file).

    >>> read_input("/dev/zero", 10)
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot read /dev/zero: it is a device; a regular file is expected
    """
    path = path_of(path)
    _refuse_special(path, os.stat(path).st_mode)
    # O_NONBLOCK: had the path become a pipe since the stat, opening it must not wait for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        _refuse_special(path, os.fstat(fd).st_mode)
        return f.read(limit + 1)


def _refuse_special(path, mode):
    if not stat.S_ISREG(mode):
        raise SymnetError(f"cannot read {path}: it is {_kind(mode)}; a regular file is expected")


def check_writable(path):
    """Refuse, before any work, a path whose folder is missing or not writable, or that exists
    and is not a regular file (see :func:`target`).

    >>> check_writable("/no/such/folder/out.txt")
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: cannot write /no/such/folder/out.txt: no folder /no/such/folder
    """
    target(path)


def _temporary(path, real, data):
    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(real), prefix=_PREFIX, suffix=".tmp")
    except OSError as exc:
        raise SymnetError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        mode = "wb" if isinstance(data, bytes) else "w"
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
            f.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp, _mode(real))
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _backup(real):
    backup = os.path.join(os.path.dirname(real), f"{_PREFIX}{os.getpid()}-{id(real)}.old")
    try:
        os.link(real, backup)
    except OSError:  # no hard links here: the old file cannot be put back, but is kept until now
        return None
    return backup


def _undo(done):
    for real, tmp, backup, existed in reversed(done):
        if tmp:
            _remove(tmp)
        elif backup:  # already renamed into place: put the old file back
            try:
                os.replace(backup, real)
            except OSError:
                pass
        elif not existed:
            _remove(real)
        if backup:
            _remove(backup)


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


class Terminated(BaseException):
    """SIGTERM arrived while files were being written (the temporaries are removed first)."""


@contextmanager
def sigterm_raises():
    """Within, SIGTERM raises :class:`Terminated` (as Ctrl-C raises KeyboardInterrupt), so that
    temporary files and folders are removed on the way out (writing files, compiling LaTeX);
    only the main thread can set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    def stop(signum, frame):
        raise Terminated(signum)
    try:
        old = signal.signal(signal.SIGTERM, stop)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _mode(path):
    """The permission bits for ``path``: an existing file keeps its own, a new one follows the
    umask, as ``open(path, "w")`` would."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


MAX_TEXT = 100_000  # characters of a text file a user hands in (a derivation)
MAX_CSV_BYTES = 20_000_000  # 20 MB: about a million rows of a few numbers, read in seconds
MAX_CSV_LINE = 10_000       # characters in one line


def read_text(path):
    """The text of ``path`` (``-``: standard input), at most :data:`MAX_TEXT` characters."""
    try:
        if path_of(path) == "-":
            text = sys.stdin.read(MAX_TEXT + 1)
        else:
            # at most 4 bytes a character: past 4 * MAX_TEXT bytes the text is too long
            raw = read_input(path, 4 * MAX_TEXT)
            text = raw.decode("utf-8") if len(raw) <= 4 * MAX_TEXT else "x" * (MAX_TEXT + 1)
            text = text.replace("\r\n", "\n").replace("\r", "\n")  # as open() in text mode
    except OSError as exc:
        raise SymnetError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SymnetError(f"{path} is not UTF-8 text") from None
    if len(text) > MAX_TEXT:
        raise SymnetError(f"{path} is longer than {MAX_TEXT:,} characters")
    return text


MAX_JSON_BYTES = 50_000_000
MAX_JSON_DEPTH = 20
# the "format" of a model file: written by TrainResult.save, read by symnet.network.load (which
# imports no NumPy, so the tag is kept here, below both)
MODEL_FORMAT = "symnet-model"


def read_json(path, what="a JSON file"):
    """The document in ``path``, read as strict JSON: no ``NaN`` or ``Infinity``, at most
    :data:`MAX_JSON_BYTES` bytes and :data:`MAX_JSON_DEPTH` levels of nesting (checked before
    parsing: Python's parser would recurse into a file nested 100,000 deep).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "m.json")
    >>> _ = open(path, "w").write('{"w1": NaN}')
    >>> read_json(path, "a model file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: .../m.json is not a model file: NaN is not a JSON number
    """
    try:
        raw = read_input(path, MAX_JSON_BYTES)
    except OSError as exc:
        raise SymnetError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise SymnetError(f"{path} is larger than {MAX_JSON_BYTES // 1_000_000} MB; it is not "
                          f"{what}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SymnetError(f"{path} is not {what} (not UTF-8 text)") from None
    depth = _json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise SymnetError(f"{path} is not {what}: nested {depth:,} levels deep (at most "
                          f"{MAX_JSON_DEPTH})")

    def refuse(constant):
        raise SymnetError(f"{path} is not {what}: {constant} is not a JSON number")
    def integer(digits):
        if len(digits) > 300:
            raise SymnetError(f"{path} is not {what}: it holds an integer of {len(digits):,} digits")
        return int(digits)
    try:
        return json.loads(text, parse_constant=refuse, parse_int=integer)
    except ValueError as exc:  # json.JSONDecodeError, and integers past 4,300 digits
        if isinstance(exc, SymnetError):
            raise
        raise SymnetError(f"{path} is not {what} (not JSON: {exc})") from None


def _json_depth(text):
    """The deepest nesting of [ and { outside strings, without parsing (no recursion)."""
    outside = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    depth = deepest = 0
    for char in re.findall(r"[\[\]{}]", outside):
        depth += 1 if char in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def read_rows(path, max_bytes=MAX_CSV_BYTES):
    """``[(line number, cells)]`` of a CSV file, its size and line lengths bounded first
    (training data, a class roster, a class's answers: text, no arrays).  Read strictly: an
    unterminated quote, a row with more cells than the header (the first row) or a NUL byte is
    refused with its line number; a row with fewer cells is the caller's to pad or refuse.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(path, "w").write('student,answer\\nann,"x\\nbob,y\\n')
    >>> read_rows(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symnet.errors.SymnetError: .../a.csv line 2 opens a quote (") that is never closed
    """
    try:
        raw = read_input(path, max_bytes)
    except FileNotFoundError:
        raise SymnetError(f"data file {path} does not exist") from None
    except OSError as exc:
        raise SymnetError(f"cannot read data file {path}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise SymnetError(f"data file {path} is larger than {max_bytes // 1_000_000} MB; "
                          "symnet reads smaller files (take a sample of the rows)")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, if any, is not part of the header
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise SymnetError(f"cannot read data file {path}: line {line} is not UTF-8 text") from None
    start = 0
    for number, end in enumerate(_line_ends(text), start=1):
        if end - start > MAX_CSV_LINE:
            raise SymnetError(f"{path} line {number} is longer than {MAX_CSV_LINE:,} characters; "
                              "is it a CSV file?")
        start = end + 1
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        raise SymnetError(f"{path} line {line} holds a NUL character; is it a CSV file?")
    # strict: without it an unterminated quote swallows every later line into one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, width, start = [], None, 1
    try:
        for cells in reader:
            if width is not None and len(cells) > width:
                raise SymnetError(f"{path} line {start} has {len(cells)} cells; the header has "
                                  f"{width}")
            width = len(cells) if width is None and cells else width
            rows.append((reader.line_num, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise SymnetError(f"{path} line {start} opens a quote (\") that is never closed") \
                from None
        raise SymnetError(f"{path} line {reader.line_num} is not valid CSV: {exc}") from None
    return rows


def _line_ends(text):
    at = text.find("\n")
    while at != -1:
        yield at
        at = text.find("\n", at + 1)
    yield len(text)
