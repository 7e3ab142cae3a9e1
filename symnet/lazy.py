"""NumPy, imported on first use: ``symnet derive`` and ``symnet check`` never touch an array,
and importing NumPy is a sixth of their start-up.

>>> from symnet.lazy import numpy as np
>>> int(np.arange(4).sum())
6
"""

import importlib
import importlib.util
import sys


def lazy_import(name):
    """The module ``name``, to be imported on its first attribute access (from then on it is
    the module itself, at no cost per access); the module itself if already imported."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:  # as an import binds it: `import symnet.train` then finds symnet.train
        setattr(sys.modules[parent], child, module)
    return module


numpy = lazy_import("numpy")


def lazy_exports(package, where):
    """A ``__getattr__`` for ``package`` that imports each re-exported name on first use:
    ``where`` maps a name to the submodule that defines it.  The value is then bound in the
    package, so the hook runs once per name."""
    namespace = sys.modules[package].__dict__

    def __getattr__(name):
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = getattr(importlib.import_module("." + where[name], package), name)
        return namespace[name]
    return __getattr__
