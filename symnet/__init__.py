"""symnet: symbolic differentiation of small neural networks, step by step.

>>> import symnet as sn
>>> net = sn.Network("2-2-1")
>>> print(sn.text(net.derive("w5").result))
2*N1*(yhat - y)
"""

from .checking import CheckResult, check
from .compile import Model
from .derive import Delta, Derivation, Partial, chain, gradients
from .drawing import draw
from .errors import ArchitectureError, ParseError, SymnetError, TooLargeError, UnknownNameError
from .explore import (Atlas, AtlasEntry, GradientFlow, activation_atlas, compare_flow, compound,
                      flow_table, gradient_flow, plot_flow)
from .figures import Picture
from .functions import elu, leaky_relu, relu, sigmoid, silu, softmax, softplus, to_elementary
from .graph import (ACTIVATIONS, LOSSES, Activation, Graph, Loss, Network, linear_regression,
                    logistic_regression)
from .printing import latex, text
from .parse import parse_definitions, parse_expression
from .train import DivergenceError, TrainResult, init_params, load
from .sheets import Worksheet, worksheet

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "LOSSES", "Activation", "ArchitectureError", "CheckResult", "Delta",
    "Derivation", "check",
    "Atlas", "AtlasEntry", "GradientFlow", "Picture", "activation_atlas", "compare_flow",
    "compound", "draw", "flow_table", "gradient_flow", "plot_flow",
    "DivergenceError", "Graph", "Loss", "Model", "Network", "TrainResult", "init_params", "load", "ParseError", "Partial", "SymnetError", "TooLargeError",
    "UnknownNameError", "chain", "elu", "gradients", "latex", "leaky_relu", "linear_regression",
    "logistic_regression", "parse_definitions", "parse_expression", "relu", "sigmoid", "silu",
    "softmax", "softplus", "text", "to_elementary", "Worksheet", "worksheet",
]
