"""Python's cyclic garbage collector paused while symnet builds a network's expressions.

Deriving a network's gradients makes hundreds of thousands of SymPy objects and no reference
cycles.  Each of them counts towards the collector's next pass, and a full pass walks every
object alive, SymPy's own included: on 784-16-16-10 the passes took a quarter of the
derivation.  :func:`paused` turns the collector off for the length of a call and back on
after, where it was on; the objects it would have looked at are looked at once, at its next
pass.  Calls may nest and run in several threads at once: the collector is on again when
the last of them returns.

>>> import gc
>>> @paused
... def collecting():
...     return gc.isenabled()
>>> collecting(), gc.isenabled()
(False, True)
"""

import functools
import gc
import threading

_lock = threading.Lock()
_running = 0  # paused calls under way, in every thread
_was_on = False  # whether the collector was on when the first of them started


def paused(fn):
    """``fn`` run with the cyclic collector off (see the module docstring)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        global _running, _was_on
        with _lock:
            if _running == 0:
                _was_on = gc.isenabled()
                gc.disable()
            _running += 1
        try:
            return fn(*args, **kwargs)
        finally:
            with _lock:
                _running -= 1
                if _running == 0 and _was_on:
                    gc.enable()
    return run
