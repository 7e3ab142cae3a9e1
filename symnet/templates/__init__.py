"""The layers courses assign, as circuits: one module per template, one registry."""

from .convolution import conv1d, conv2d
from .pooling import maxpool
from .recurrent import rnn

TEMPLATES = {"rnn": rnn, "conv1d": conv1d, "conv2d": conv2d, "maxpool": maxpool}
