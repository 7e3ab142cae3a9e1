"""A bound on work that does not depend on how busy the machine is: the Python calls made.

A hostile input used to take minutes, or forever; its refusal must come before the work.  A
clock would say so only on an idle machine, so the work is counted instead (a profile hook
counts each Python call) and stopped at the bound: a protection taken away fails its test
instead of hanging the suite.  Loops that make no Python call (C arithmetic on huge integers)
are not counted; those inputs are refused by the size their message names.
"""

import contextlib
import sys

# the most any refusal in the suite makes is 3.5 million (deriving a network of 600 layers,
# about 0.8 s, before refusing to write it out); the work the refusals avoid makes hundreds of
# millions
WORK_BOUND = 10_000_000


class WorkBoundExceeded(BaseException):
    """Not an Exception: no ``except Exception`` in symnet may turn it into a SymnetError."""


@contextlib.contextmanager
def bounded_work(bound=WORK_BOUND):
    """Stop the work inside after ``bound`` Python calls.

    >>> with bounded_work(100):
    ...     while True:
    ...         (lambda: 1)()
    Traceback (most recent call last):
    ...
    workbound.WorkBoundExceeded: more than 100 Python calls: is a bound missing?
    """
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1
            if calls > bound:  # raised inside the call; Python then removes the hook
                raise WorkBoundExceeded(f"more than {bound:,} Python calls: is a bound missing?")

    sys.setprofile(count)
    try:
        yield
    finally:
        sys.setprofile(None)
