"""symnet: symbolic differentiation of small neural networks, step by step.

The names below are imported on first use (PEP 562), so that ``symnet --help`` and
``symnet --version`` start without importing SymPy, and ``import symnet`` imports no NumPy;
type checkers and editors read them from the ``TYPE_CHECKING`` imports.  ``symnet.<module>``
is always the module (``symnet.derive`` is :mod:`symnet.derive`), imported when asked for:
the namespace is the same whatever was imported before.

>>> import symnet as sn
>>> net = sn.Network("2-2-1")
>>> print(sn.text(net.derive("w5").result))
2*N1*(yhat - y)
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names of _EXPORTS, for tools (a test checks that the two agree)
    from .activations import Activation, generic, register_activation, unregister_activation
    from .checking import (
        CheckResult,
        DerivationCheck,
        LayerCheck,
        LayerSteps,
        check,
        check_derivation,
        check_layer_steps,
        check_layers,
    )
    from .checking.scoring import Score, score
    from .circuits import Circuit, circuit
    from .compile import CircuitModel, Model
    from .data import read_idx
    from .derive import Delta, Derivation, Partial, chain, gradients
    from .drawing import draw
    from .errors import ArchitectureError, ParseError, SymnetError, TooLargeError, UnknownNameError
    from .explore import (
        Atlas,
        AtlasEntry,
        GradientFlow,
        activation_atlas,
        compare_flow,
        compound,
        flow_table,
        gradient_flow,
        plot_flow,
    )
    from .figures import Picture
    from .functions import elu, leaky_relu, relu, sigmoid, silu, softmax, softplus, to_elementary
    from .grading import grade
    from .graph import Graph
    from .losses import LOSSES, Loss
    from .network import Network, linear_regression, load, logistic_regression
    from .optimizers import UpdateRule, update_rule
    from .parse import parse_definitions, parse_expression
    from .printing import latex, text
    from .quizzes import Quiz, quiz
    from .result import TrainResult
    from .sheets import Worksheet, worksheet
    from .templates import TEMPLATES, template
    from .train import DivergenceError, TrainingWarning, init_params

    ACTIVATIONS: list

_EXPORTS = {
    "activations": ["Activation", "generic", "register_activation", "unregister_activation"],
    "checking": ["CheckResult", "DerivationCheck", "LayerCheck", "LayerSteps", "check",
                 "check_derivation", "check_layer_steps", "check_layers"],
    "checking.scoring": ["Score", "score"],
    "circuits": ["Circuit", "circuit"],
    "compile": ["CircuitModel", "Model"],
    "data": ["read_idx"],
    "derive": ["Delta", "Derivation", "Partial", "chain", "gradients"],
    "drawing": ["draw"],
    "errors": ["ArchitectureError", "ParseError", "SymnetError", "TooLargeError",
               "UnknownNameError"],
    "explore": ["Atlas", "AtlasEntry", "GradientFlow", "activation_atlas", "compare_flow",
                "compound", "flow_table", "gradient_flow", "plot_flow"],
    "figures": ["Picture"],
    "functions": ["elu", "leaky_relu", "relu", "sigmoid", "silu", "softmax", "softplus",
                  "to_elementary"],
    "grading": ["grade"],
    "graph": ["Graph"],
    "losses": ["LOSSES", "Loss"],
    "network": ["Network", "linear_regression", "load", "logistic_regression"],
    "optimizers": ["UpdateRule", "update_rule"],
    "parse": ["parse_definitions", "parse_expression"],
    "printing": ["latex", "text"],
    "quizzes": ["Quiz", "quiz"],
    "sheets": ["Worksheet", "worksheet"],
    "result": ["TrainResult"],
    "templates": ["TEMPLATES", "template"],
    "train": ["DivergenceError", "TrainingWarning", "init_params"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted([*_WHERE, "ACTIVATIONS"])


def __getattr__(name):
    if name == "__version__":  # read when asked: importlib.metadata costs start-up time
        from importlib.metadata import PackageNotFoundError, version
        try:
            value = version("symnet")
        except PackageNotFoundError:  # a source tree that is not installed
            value = "0+unknown"
        globals()[name] = value
        return value
    if name == "ACTIVATIONS":  # follows the registry, so computed when asked for
        return importlib.import_module(".activations", __name__).names()
    if name in _WHERE:
        value = getattr(importlib.import_module("." + _WHERE[name], __name__), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):  # a submodule, as `import symnet.<name>` would bind it
        try:
            return importlib.import_module("." + name, __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":  # the module exists; something it imports not
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
