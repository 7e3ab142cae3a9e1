"""Shared by the benchmarks: run them with steady timings.

glibc's allocator gives memory back and takes it again between runs, and times then swing
2-5x; these variables tell it to keep its memory.  They must be set before the process starts,
so a benchmark re-executes itself with them.
"""

import os
import sys

ALLOCATOR = {"MALLOC_TRIM_THRESHOLD_": str(1 << 30), "MALLOC_MMAP_THRESHOLD_": str(1 << 25),
             "MALLOC_TOP_PAD_": str(1 << 28)}


def rerun_with(script, extra=None):
    """Re-execute ``script`` with the allocator variables (and ``extra``) unless already set;
    variables the caller set keep their values."""
    wanted = {**ALLOCATOR, **(extra or {})}
    if not all(k in os.environ for k in wanted):
        os.environ.update({k: v for k, v in wanted.items() if k not in os.environ})
        os.execv(sys.executable, [sys.executable, os.path.abspath(script), *sys.argv[1:]])
