"""Reading training data from CSV files, with one clear error for each kind of bad input.

A file is read as people write it: UTF-8 with or without a byte-order mark, lines ending in LF
or CRLF, fields optionally quoted (``"1.5"``).  The header names every column once; numbers
follow symnet's one syntax (:mod:`symnet.values`: ASCII digits, ``-1.5e-3``).  The rows are
read by :func:`symnet.files.read_rows`, which refuses a file too large or with too long a line
before parsing it (``--data /dev/zero`` stops at once).
"""

import gzip
import math
import zlib

import numpy as np

from .errors import SymnetError, listed
from .files import read_input, read_rows
from .values import NUMBER, number_text


def read_csv(path, n_inputs, n_outputs, inputs=None, targets=None):
    """``(X, Y)`` from a CSV file with a header row.

    Without ``inputs``/``targets`` (comma-separated column names) the file must have exactly
    ``n_inputs`` input columns followed by ``n_outputs`` target columns.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "xor.csv")
    >>> _ = open(path, "w").write("x1,x2,y\\n0,0,0\\n0,1,1\\n")
    >>> X, Y = read_csv(path, 2, 1)
    >>> X.tolist(), Y.tolist()
    ([[0.0, 0.0], [0.0, 1.0]], [[0.0], [1.0]])
    """
    rows = read_rows(path)
    # keep each row's line number for the messages; blank lines are skipped
    rows = [(i, r) for i, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise SymnetError(f"{path} is empty; expected a header row and at least one data row")
    header = [h.strip() for h in rows[0][1]]
    if all(_is_number(h) for h in header):
        names = [f"x{i}" for i in range(1, n_inputs + 1)] + \
            (["y"] if n_outputs == 1 else [f"y{k}" for k in range(1, n_outputs + 1)])
        raise SymnetError(f"{path}: the first row is numbers, not column names; add a header "
                          f"row, e.g. {','.join(names)}")
    _unique(header, rows[0][0], path)
    if len(rows) < 2:
        raise SymnetError(f"{path} has a header but no data rows")
    if inputs or targets:
        cols = [_columns(inputs, header, "inputs", n_inputs, path),
                _columns(targets, header, "targets", n_outputs, path)]
    else:
        if len(header) != n_inputs + n_outputs:
            raise SymnetError(
                f"{path} has {len(header)} columns but the network needs {n_inputs} inputs + "
                f"{n_outputs} targets = {n_inputs + n_outputs}; or name them with --inputs/--targets")
        cols = [list(range(n_inputs)), list(range(n_inputs, n_inputs + n_outputs))]
    used = cols[0] + cols[1]  # other columns (an id, a note) are left unread
    data = np.empty((len(rows) - 1, len(used)))
    for k, (line, row) in enumerate(rows[1:]):
        if len(row) != len(header):
            raise SymnetError(f"{path} line {line} has {len(row)} cells; the header has "
                              f"{len(header)}")
        for c, j in enumerate(used):
            value = number_text(row[j], f"{path} line {line}, column {header[j]!r}")
            if not math.isfinite(value):
                raise SymnetError(f"{path} line {line}, column {header[j]!r}: {row[j]!r} is not a "
                                  "finite number")
            data[k, c] = value
    n_in = len(cols[0])
    return data[:, :n_in], data[:, n_in:]


def _unique(header, line, path):
    seen = set()
    for name in header:
        if name in seen:
            raise SymnetError(f"{path} line {line}: the column name {name!r} appears twice; "
                              "give each column its own name")
        seen.add(name)


def _columns(spec, header, what, count, path):
    if not spec:
        raise SymnetError("give both --inputs and --targets, or neither")
    names = [n.strip() for n in spec.split(",") if n.strip()]
    missing = [n for n in names if n not in header]
    if missing:
        raise SymnetError(f"{path} has no column {missing[0]!r}; columns: {listed(header)}")
    if len(names) != count:
        raise SymnetError(f"--{what} names {len(names)} columns; the network has {count}")
    return [header.index(n) for n in names]


def _is_number(cell):
    return NUMBER.fullmatch(cell.strip()) is not None


MAX_IDX_BYTES = 200_000_000  # an IDX file as stored (MNIST's largest: 47 MB, 10 MB gzipped)
# IDX (the MNIST files): type code → big-endian dtype
_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    """The array in an IDX file (the format of the MNIST files), gzipped or not.

    Images come back as they are stored (MNIST: uint8, shape (n, 28, 28)); for a network,
    ``X = read_idx(images).reshape(n, -1) / 255`` and one-hot targets
    ``Y = np.eye(10)[read_idx(labels)]``.

    >>> import gzip, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.idx1-ubyte.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> read_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    try:
        data = read_input(path, MAX_IDX_BYTES)
        if len(data) > MAX_IDX_BYTES:
            raise SymnetError(f"IDX file {path} is larger than {MAX_IDX_BYTES // 1_000_000} MB")
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
    except FileNotFoundError:
        raise SymnetError(f"IDX file {path} does not exist") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise SymnetError(f"cannot read IDX file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if len(data) < 4 or data[:2] != b"\0\0" or data[2] not in _IDX_TYPES or data[3] == 0:
        raise SymnetError(f"{path} is not an IDX file (it must start with two zero bytes, a type "
                          f"code of {', '.join(f'0x{t:02X}' for t in _IDX_TYPES)} and a dimension count)")
    dtype, ndim = np.dtype(_IDX_TYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise SymnetError(f"{path} is a truncated IDX file: its header is incomplete")
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected = header + math.prod(shape) * dtype.itemsize
    if len(data) != expected:
        raise SymnetError(f"{path}: an IDX file of shape {shape} has {expected:,} bytes, "
                          f"this one {len(data):,}")
    return np.frombuffer(data, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))
