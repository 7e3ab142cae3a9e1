r"""Worksheets: a network walked through the seed lecture, with numbers, exercises and keys.

A worksheet has up to four sections, in order (one module function each,
:mod:`symnet.sheets.sections` and :mod:`symnet.sheets.chain`):

1. the network: every definition (``N1 = w1 x1 + w2 x2 + b1``, …, ``L``) and a table of the
   parameters (which quantity each weight connects, and its value);
2. with a data point (or a few samples) and parameters: the forward pass, each quantity with
   the numbers substituted (``N1 = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775``), and the loss;
3. for each requested parameter: the chain rule's path formula, the local factors, the compact
   result, and with numbers each factor's value and the product;
4. with a learning rate: one step of gradient descent, or of another optimizer
   (``optimizer="adam"``, :mod:`symnet.sheets.steps`: its rule, then its exact first step);
   without one, the sheet says no step is shown.

Numbers are shown to ``digits`` significant digits but computed to 30, so the values agree
with the compiled model (``net.compile()``) and with exact evaluation.  A worksheet is written
as ``.tex`` (a standalone document), ``.pdf`` (through pdflatex), ``.md`` (GitHub and Jupyter
math) or ``.ipynb`` (markdown cells and code cells that rebuild the numbers with symnet), or as
Beamer slides (``save(path, slides=True)``).  With ``exercises=True`` the results are blanks
and an answer key is written beside the sheet.

>>> import symnet as sn
>>> net = sn.Network("2-2-1", loss="half_sse")
>>> ws = sn.worksheet(net, at={"x1": 0.05, "x2": 0.1, "y": 0.01},
...                   params={"w1": 0.15, "w2": 0.2, "w3": 0.25, "w4": 0.3, "w5": 0.4,
...                           "w6": 0.45, "b1": 0.35, "b2": 0.35, "b3": 0.6}, lr=0.5)
>>> ws.values[0]["N1"], round(ws.loss, 6), round(ws.gradient["w5"], 6)
(0.3775, 0.421018, 0.346403)
>>> print(ws.markdown().splitlines()[0])
# Worksheet: the 2-2-1 network
"""

from ..files import write_atomic
from ..nice import nice_numbers
from .numbers import DIGITS, MAX_SAMPLES, PRECISION, format_number, parse_samples
from .saving import SUFFIXES, check_output, key_path, save_all
from .sheet import Worksheet, asked, worksheet

__all__ = ["DIGITS", "MAX_SAMPLES", "PRECISION", "SUFFIXES", "Worksheet", "asked", "check_output",
           "format_number", "key_path", "nice_numbers", "parse_samples", "save_all",
           "worksheet", "write_atomic"]
