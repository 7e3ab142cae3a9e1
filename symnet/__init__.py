"""symnet: symbolic differentiation of small neural networks, step by step.

The names below are imported on first use, so that ``symnet --help`` and ``symnet --version``
start without importing SymPy.

>>> import symnet as sn
>>> net = sn.Network("2-2-1")
>>> print(sn.text(net.derive("w5").result))
2*N1*(yhat - y)
"""

import importlib

from .lazy import lazy_exports

_EXPORTS = {
    "activations": ["Activation", "register_activation", "unregister_activation"],
    "checking": ["CheckResult", "DerivationCheck", "check", "check_derivation"],
    "compile": ["Model"],
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
    "train": ["DivergenceError", "TrainingWarning", "init_params"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted([*_WHERE, "ACTIVATIONS"])
_reexport = lazy_exports(__name__, _WHERE)


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
    return _reexport(name)


def __dir__():
    return __all__
