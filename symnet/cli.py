"""The ``symnet`` command line: ``main(argv) -> int``.

Bad input of any kind prints one line ``error: …`` on stderr and returns 2, never a traceback.
This module imports neither SymPy nor NumPy: ``symnet --help`` and ``symnet --version`` answer
at once, and a subcommand imports what it needs (see :mod:`symnet.commands`).

>>> main(["derive", "2-2-1", "--wrt", "w5"])
∂L/∂w5 = ∂L/∂yhat · ∂yhat/∂w5
  ∂L/∂yhat = 2*(yhat - y)
  ∂yhat/∂w5 = N1
∂L/∂w5 = 2*(yhat - y) · N1
0
"""

import argparse
import gc
import importlib
import os
import sys
from typing import TYPE_CHECKING

from . import values
from .errors import SymnetError
from .files import Terminated

if TYPE_CHECKING:  # main imports the chosen one only (start-up); tools see every edge here
    from .commands import (  # noqa: F401 -- the modules of COMMANDS (a test checks the two agree)
        activations,
        chain,
        check,
        derive,
        draw,
        flow,
        grade,
        page,
        predict,
        quiz,
        train,
        worksheet,
    )

FORMATS = ("text", "latex", "markdown")  # as symnet.printing.FORMATS (checked in the tests)
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")  # as symnet.grading's
LIST_ACTIVATIONS = "`symnet activations` lists them"
NOTATIONS = ("seed", "nielsen", "ng", "cs231n", "mazur")  # as symnet.parse.profiles.NOTATIONS
_PYODIDE = "https://cdn.jsdelivr.net/pyodide/v314.0.8/full/"  # as symnet.web.site.PYODIDE (tested)


class _UsageError(Exception):
    pass


class _Version(argparse.Action):
    """--version, reading the version only when asked (importlib.metadata is slow to import)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"symnet {sys.modules[__package__].__version__}")
        parser.exit()
# Every number an option takes, and its bounds, checked before any work (symnet.values: the
# same syntax and messages as the Python API).  Time per unit measured on the 2-2-1 network.
MAX_BATCH = 10_000_000
# --samples and --digits of a worksheet and --tolerance are bounded by the Python API


def _whole(what, low=1, high=None, how=""):
    def read(text):
        try:
            return values.integer_text(text, what, low, high, how)
        except SymnetError as exc:  # past argparse, which would hide the message
            raise _UsageError(str(exc)) from None
    read.__name__ = "whole number"
    return read


def _real(what, low=None, high=None, percent=False):
    def read(text):
        try:
            if percent and text.strip().endswith("%"):  # 0.1% as the verdicts show it
                number = values.number_text(text.strip()[:-1], what) / 100
            else:
                number = values.number_text(text, what)
            if low == 0:  # the message the Python API gives (values.positive)
                values.positive(number, what, float)
            if low is not None and number <= low:
                raise SymnetError(f"{what} must be greater than {low:g}; got {text.strip()}")
            if high is not None and number > high:
                raise SymnetError(f"{what} must be at most {high:g}; got {text.strip()}")
            return number
        except SymnetError as exc:
            raise _UsageError(str(exc)) from None
    read.__name__ = "number"
    return read


def _SEED(text):  # noqa: N802 -- an argparse type, read like int
    try:
        return values.seed(values.integer_text(text, "--seed"))
    except SymnetError as exc:
        raise _UsageError(str(exc)) from None


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(message)


def _network_parent(activation_help=None, l2=True, circuit=False):
    """The options every network subcommand shares (a parent parser); with ``circuit``, ARCH
    may give way to ``--circuit`` (any computational graph)."""
    p = _Parser(add_help=False)
    if circuit:
        p.add_argument("arch", metavar="ARCH", nargs="?",
                       help="layer sizes, e.g. 2-2-1 (or, instead, --circuit)")
        p.add_argument("--circuit", metavar="DEFINITIONS|FILE",
                       help="a computational graph instead of a network: definitions like "
                            "\"q = x + y; f = q*z\" (the last is the output), or a file of them")
        p.add_argument("--template", metavar="NAME[:OPTION=VALUE,...]",
                       help="a layer courses assign, as a circuit: affine, softmax_ce, batchnorm, "
                            "layernorm, attention, rnn, conv1d, conv2d, maxpool, e.g. "
                            "batchnorm:m=4,bessel=true")
    else:
        p.add_argument("arch", metavar="ARCH", help="layer sizes, e.g. 2-2-1")
    p.add_argument("--activation", default="linear", help=activation_help or (
        "hidden activation, or one per hidden layer comma-separated (default linear; "
        f"{LIST_ACTIVATIONS})"))
    p.add_argument("--output-activation", default=None,
                   help="output activation (default: what the loss expects)")
    p.add_argument("--loss", default="mse",
                   help="loss: mse, half_sse, bce, cross_entropy (default mse)")
    p.add_argument("--notation", default="seed", choices=NOTATIONS,
                   help="the names derivations print: seed (N1, h1, L), nielsen (z^l_j, a^l_j, "
                        "C), ng (z^[l]_j; dZ, (1/m) dW in matrix form), cs231n (matrix form in "
                        "rows), mazur (net_h1, out_h1, E_total); answers may use any of them")
    if l2:
        p.add_argument("--l2", metavar="LAMBDA", default="0",
                       help="L2 regularisation: add R = (λ/2) Σ w² over the weights (not the "
                            "biases) to the loss (default 0)")
        p.add_argument("--no-bias", dest="bias", action="store_false",
                       help="no biases in any layer (as d2l and Goodfellow write some networks)")
    return p


def _derive_arguments(p):
    p.add_argument("--wrt", action="append", metavar="NAME",
                   help="parameter (or any symbol) to derive by; repeat or comma-separate; "
                        "default: every parameter")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--expanded", action="store_true",
                   help="also show the result in inputs, targets and parameters only")
    p.add_argument("--layers", action="store_true", help="backpropagation in matrix form, "
                   "each equation with its shape")
    p.add_argument("--convention", choices=["column", "row"], help="with --layers: column "
                   "(Z = W X + b, Ng) or row (Z = X W + b, CS231n); default the notation's")


OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")  # as symnet.optimizers.names()


def _optimizer_arguments(p):
    """--optimizer and its options, shared by train and worksheet."""
    p.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                   help="update rule, as torch.optim defines it (default sgd: w ← w − α ∂L/∂w)")
    opts = p.add_argument_group("optimizer options (PyTorch's names and defaults)")
    opts.add_argument("--momentum", type=_real("--momentum"), metavar="MU",
                      help="momentum μ (sgd 0, momentum and nesterov 0.9; rmsprop 0)")
    opts.add_argument("--dampening", type=_real("--dampening"), metavar="TAU",
                      help="SGD dampening (default 0)")
    opts.add_argument("--betas", metavar="B1,B2", help="Adam's betas (default 0.9,0.999)")
    opts.add_argument("--eps", type=_real("--eps"), help="ε of rmsprop and adam (default 1e-8)")
    opts.add_argument("--alpha", type=_real("--alpha"), help="RMSprop's smoothing constant (default 0.99)")
    opts.add_argument("--weight-decay", type=_real("--weight-decay"), metavar="WD",
                      help="add WD·w to every gradient, biases too (default 0)")
    opts.add_argument("--amsgrad", action="store_true", default=None, help="Adam's AMSGrad")
    opts.add_argument("--centered", action="store_true", default=None,
                      help="centered RMSprop")


def _train_arguments(p):
    p.add_argument("--data", required=True, metavar="FILE.csv",
                   help="CSV with a header row: input columns, then target columns")
    p.add_argument("--inputs", metavar="COLS", help="input column names, comma-separated")
    p.add_argument("--targets", metavar="COLS", help="target column names, comma-separated")
    p.add_argument("--lr", type=_real("--lr", 0), default=None,
                   help="learning rate α (default: 0.1 for sgd, momentum and nesterov; 0.01 for "
                        "rmsprop and adam)")
    _optimizer_arguments(p)
    p.add_argument("--epochs", type=_whole("--epochs", 1, values.MAX_EPOCHS, "train in several runs, "
                   "starting each from the last --save"), default=1000, help="epochs (default 1000)")
    p.add_argument("--batch-size", type=_whole("--batch-size", 1, MAX_BATCH), default=None,
                   help="mini-batch size (default: full batch)")
    p.add_argument("--seed", type=_SEED, default=0, help="seed for initial params and shuffling")
    p.add_argument("--params", metavar="w1=.15,...",
                   help="start from these weights and biases (the others from --seed)")
    p.add_argument("--freeze", metavar="b1,b2", help="parameters that keep their values")
    p.add_argument("--validation", type=_real("--validation"), metavar="FRACTION",
                   help="hold out this seeded fraction of the rows, scored every epoch")
    p.add_argument("--patience", type=_whole("--patience", None), metavar="N",
                   help="stop after N epochs without a better (validation) loss; keep the best")
    p.add_argument("--save", metavar="FILE.json", help="write the trained model as JSON")
    p.add_argument("--verbose", action="store_true", help="also print every parameter")
    p.add_argument("--plot", metavar="FILE.png", help="plot the loss curve (needs matplotlib)")
    p.add_argument("--plot-gradients", metavar="FILE.png",
                   help="plot mean |∂L/∂W| per layer and epoch (needs matplotlib)")
    p.add_argument("--plot-boundary", metavar="FILE.png",
                   help="draw the decision boundary of a 2-input classifier (needs matplotlib)")


def _predict_arguments(p):
    p.add_argument("model", metavar="MODEL.json", help="a model saved by symnet train --save")
    p.add_argument("--data", required=True, metavar="FILE.csv",
                   help="CSV with a header row: the input columns, optionally followed by the "
                        "target columns")
    p.add_argument("-o", "--output", metavar="FILE.csv",
                   help="write the predictions here (default: standard output)")


def _check_arguments(p):
    p.add_argument("--wrt", metavar="NAME", help="the parameter, e.g. w5 (on a "
                   "circuit, any name, e.g. x; with --layers, an array's gradient, e.g. dW1)")
    p.add_argument("--layers", nargs="?", const="any", choices=["any", "column", "row"],
                   help="EXPR (or --steps FILE, lines 'dW1 = …') is matrix form, e.g. "
                        "'(1/m) dZ1 @ X.T': checked by shape and value; column (Z = W X + b) "
                        "or row (Z = X W + b) convention, default either")
    p.add_argument("answer", metavar="EXPR", nargs="?", help="your ∂L/∂NAME (∂f/∂NAME on a "
                   "circuit whose output is f), plain (2*(yhat - y)*N1) or LaTeX "
                   "(2(\\hat{y}-y)N_{1}); with --at, may be a number")
    p.add_argument("--steps", metavar="FILE", help="check a whole derivation, one step a line "
                   "(or a LaTeX aligned block), read from FILE ('-' for standard input)")
    p.add_argument("--json", action="store_true", help="print the whole verdict as JSON "
                   "(correct, credit, diagnosis, counterexample)")
    p.add_argument("--at", metavar="x1=1,...", help="check at this point: every input, target "
                   "and parameter (every leaf of a circuit)")
    p.add_argument("--tolerance", type=_real("--tolerance", percent=True), default=1e-3,
                   help="relative tolerance of a check --at a point (default 0.001, or 0.1%%)")


def _worksheet_arguments(p):
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the worksheet to write: FILE.tex, FILE.pdf, FILE.md or FILE.ipynb")
    p.add_argument("--wrt", action="append", metavar="NAME",
                   help="parameter (a circuit: any leaf) to derive; repeat or comma-separate; "
                        "default: every parameter")
    p.add_argument("--at", action="append", metavar="x1=1,x2=0,y=1",
                   help="a data point (every input and target); repeat, or separate with ';', "
                        "for a table of samples; a circuit's one point: every leaf")
    p.add_argument("--params", metavar="w1=.15,...", help="every weight and bias (a circuit: "
                   "its parameters' values, the other leaves in --at)")
    p.add_argument("--lr", metavar="ALPHA", help="learning rate of the one step shown")
    _optimizer_arguments(p)
    p.add_argument("--exercises", action="store_true",
                   help="blanks for the results, and an answer key beside: FILE-key.SUFFIX")
    p.add_argument("--seed", type=_SEED, metavar="N",
                   help="draw nice numbers for what --at and --params do not give (a circuit: "
                        "whole numbers from -5 to 5)")
    p.add_argument("--samples", type=_whole("--samples", None), default=1, metavar="N",
                   help="how many data points --seed draws (default 1)")
    p.add_argument("--digits", type=_whole("--digits", None), default=4, metavar="N",
                   help="significant digits shown (default 4; numbers are computed to 30)")
    p.add_argument("--slides", action="store_true",
                   help="Beamer slides instead (FILE.tex or FILE.pdf): one frame per parameter, "
                        "the chain built up factor by factor")
    p.add_argument("--layers", action="store_true", help="the matrix form instead (FILE.tex, "
                   ".pdf or .md): each equation with the numbers of a batch of --samples 2 or "
                   "3 (default 3) drawn from --seed")
    p.add_argument("--convention", choices=["column", "row"], help="with --layers: column "
                   "(Z = W X + b, Ng) or row (Z = X W + b, CS231n); default the notation's")


def _chain_arguments(p):
    p.add_argument("definitions", metavar="DEFINITIONS",
                   help="plain definitions (not LaTeX) separated by ';', e.g. "
                        "\"m = x**2; z = m**2; y = z**2\"")
    p.add_argument("--wrt", required=True, metavar="NAME",
                   help="the variable to differentiate with respect to, e.g. x")
    p.add_argument("--of", metavar="NAME", help="what to differentiate (default: the last)")
    p.add_argument("--at", metavar="x=-2,y=5,...", help="also every node's value and gradient "
                   "at this point (a value for every leaf), and how each gate routes the gradient")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text, latex or markdown (default text)")


def _flow_arguments(p):
    p.add_argument("--wrt", default="w1", metavar="NAME",
                   help="the weight whose chain-rule product is shown (default w1)")
    p.add_argument("--seeds", type=_whole("--seeds", 1, values.MAX_FLOW_SEEDS, "average over fewer "
                   "initialisations"), default=5, metavar="N",
                   help="average over init_params seeds 0 … N-1 (default 5)")
    p.add_argument("--samples", type=_whole("--samples", 1, values.MAX_FLOW_SAMPLES, "the mean "
                   "settles long before"), default=64, metavar="N",
                   help="seeded random samples, X ~ N(0, 1) (default 64)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--plot", metavar="FILE.png",
                   help="bar chart of mean |∂L/∂W| per layer, log scale (.png, .svg or .pdf; "
                        "needs matplotlib)")


def _activations_arguments(p):
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--plot", metavar="FILE.png",
                   help="each function beside its derivative (.png, .svg or .pdf; needs "
                        "matplotlib)")


def _draw_arguments(p):
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the picture to write: FILE.svg, FILE.png or FILE.pdf")
    p.add_argument("--params", metavar="w1=.15,...",
                   help="label these weights and biases with their values (any subset)")
    p.add_argument("--seed", type=_SEED, metavar="N",
                   help="label every parameter with the nice numbers of worksheet --seed N")
    p.add_argument("--title", help="a title above the drawing")
    p.add_argument("--no-edge-labels", action="store_true",
                   help="leave the weight names off the edges (default: on up to 6 neurons "
                        "per layer)")
    p.add_argument("--at", metavar="x=-2,y=5,...", help="a circuit's point (a value for every "
                   "leaf): each wire's value above it and its gradient below")


def _quiz_arguments(p):
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="FILE.xml (Moodle XML), FILE.zip (IMS QTI for Canvas), FILE.gift, or "
                        "FILE.pdf / FILE.tex (a printed exam, and its key FILE-key.pdf)")
    p.add_argument("--variants", type=_whole("--variants", None), metavar="N",
                   help="how many variants, at most 500 (default: one per student of "
                        "--students, else 30)")
    p.add_argument("--seed", type=_SEED, default=0, metavar="S",
                   help="variant 1 has the numbers of worksheet --seed S; the others derive "
                        "from S (default 0)")
    p.add_argument("--students", metavar="ROSTER.csv",
                   help="a CSV of students (column 'student', else the first): one exam each")
    p.add_argument("--wrt", action="append", metavar="NAME",
                   help="parameters whose gradient is asked (default: the first weight of the "
                        "first and of the last layer; a circuit: any leaves, default its "
                        "parameters)")
    p.add_argument("--parts", metavar="LIST",
                   help="what is asked: forward, gradient, update (default all three; a "
                        "circuit: forward,gradient)")
    p.add_argument("--lr", type=_real("--lr", 0), default=0.5, metavar="ALPHA",
                   help="learning rate of the update question, w(t+1) = w(t) - ALPHA dL/dw, "
                        "stated on every export (default 0.5)")


def _page_arguments(p):
    p.add_argument("--wrt", required=True, metavar="NAME",
                   help="the parameter whose derivative the page asks for, e.g. w1 (a circuit: "
                        "any leaf)")
    p.add_argument("-o", "--output", required=True, metavar="FOLDER",
                   help="the folder to write (new, empty, or a page symnet wrote before)")
    p.add_argument("--pyodide", metavar="URL", default=_PYODIDE,
                   help=f"Pyodide's base URL, where pyodide.mjs is (default {_PYODIDE})")
    p.add_argument("--katex", metavar="PATH",
                   help="the KaTeX npm package: its .tgz (npm pack katex) or folder (default: "
                        "downloaded once from the npm registry into ~/.cache/symnet)")
    p.add_argument("--bytecode", action=argparse.BooleanOptionalAction,
                   help="ship SymPy and symnet compiled to Python 3.14 bytecode, and Python's "
                        "memory with them imported, which the browser restores several times "
                        "faster than it starts Python (needs Node.js, which runs Pyodide; "
                        "default: where node is installed)")
    p.add_argument("--variants", type=_whole("--variants", None), metavar="N",
                   help="also let the student type their quiz variant's number (1 to N) and "
                        "check the number at its point: the variants of symnet quiz --seed S")
    p.add_argument("--seed", type=_SEED, default=0, metavar="S",
                   help="the seed of that quiz (default 0)")
    p.add_argument("--pyodide-package", metavar="PATH",
                   help="with --bytecode, Pyodide's npm package (npm pack pyodide; default: "
                        "downloaded once into ~/.cache/symnet)")


def _grade_arguments(p):
    p.add_argument("--answers", required=True, metavar="FILE.csv",
                   help="columns student, wrt, and answer or steps (a derivation, one step a "
                        "line, graded line by line) or both; optionally variant or seed, at")
    p.add_argument("-o", "--output", metavar="REPORT.csv",
                   help="one row per answer: verdict, credit, diagnosis (default: standard "
                        "output, the tally on standard error)")
    p.add_argument("--format", choices=("csv", "gradescope"), default="csv",
                   help="the report: csv, or gradescope (Gradescope's results.json: a test per "
                        "answer, its score the credit times --points, its output Markdown)")
    p.add_argument("--points", type=_real("--points", 0, 1_000_000), default=1, metavar="P",
                   help="points per question, for --format gradescope (default 1)")
    p.add_argument("--visibility", default="visible", choices=VISIBILITIES,
                   help="Gradescope's visibility of each test (default visible)")
    p.add_argument("--summary", metavar="FILE.md",
                   help="a summary per question, as Markdown (.md) or HTML (.html)")
    p.add_argument("--seed", type=_SEED, default=0, metavar="S",
                   help="the seed of the quiz whose variants the variant column names (default 0)")
    p.add_argument("--variants", type=_whole("--variants", None), default=30, metavar="N",
                   help="how many variants that quiz has (default 30, as quiz); a variant beyond "
                        "N is invalid")
    p.add_argument("--lr", type=_real("--lr", 0), default=0.5, metavar="ALPHA",
                   help="that quiz's learning rate (default 0.5, as quiz)")


_FLOW_ACTIVATION = ("activations to COMPARE, comma-separated: one table column (and one bar) "
                    "each, every hidden layer using that one (default sigmoid,tanh,relu); unlike "
                    "derive, where a comma list gives one activation per hidden layer")

# name: (help, its own arguments, takes the network options: True, "flow"'s, or "circuit": a
# network or --circuit); the handler is symnet.commands.<name>.run
COMMANDS = {
    "derive": ("derive ∂L/∂w for a network's parameters (or a circuit's, or a template's)",
               _derive_arguments, "circuit"),
    "train": ("train a network on a CSV file (gradient descent, momentum, RMSprop, Adam)",
              _train_arguments, True),
    "check": ("check a derivative you computed by hand, on a network or a circuit (exit 0 "
              "correct, 1 incorrect, 2 bad input)", _check_arguments, "circuit"),
    "chain": ("derive the last of a chain of definitions", _chain_arguments, False),
    "worksheet": ("write a worksheet: definitions, forward pass, chain rule, one gradient step "
                  "(.tex, .pdf, .md or .ipynb)", _worksheet_arguments, "circuit"),
    "flow": ("gradient flow: how ∂L/∂W shrinks or grows layer by layer at initialisation, for "
             "one or more activations", _flow_arguments, "flow"),
    "activations": ("the activation atlas: every activation, its derivative in closed form and "
                    "the derivative's range", _activations_arguments, False),
    "draw": ("draw a network (every neuron and every weight named) or a circuit (gates, and "
             "the values and gradients on its wires)", _draw_arguments, "circuit"),
    "predict": ("predict with a saved model: each row of a CSV file with its prediction",
                _predict_arguments, False),
    "quiz": ("a class set: per-student variants for Moodle (.xml), Canvas (.zip), GIFT or a "
             "printed exam (.pdf, .tex) with its key", _quiz_arguments, "circuit"),
    "grade": ("grade a class's answers (CSV): verdict, credit and diagnosis per answer",
              _grade_arguments, "circuit"),
    "page": ("a checker page: a static folder any web space serves, where symnet checks an "
             "answer and a derivation in the student's browser", _page_arguments, "circuit"),
}


def build_parser(command=None):
    """The argument parser (no SymPy needed to build it): the whole of it, or, for one
    ``command``, with that subcommand only (building all of them is a fifth of ``symnet
    check``'s own work)."""
    parser = _Parser(prog="symnet", description="Symbolic differentiation of small neural "
                     "networks: the chain rule step by step.")
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    network, flow = _network_parent(), _network_parent(_FLOW_ACTIVATION, l2=False)
    kinds = {"flow": flow, "circuit": _network_parent(circuit=True)}
    debug = _Parser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show the traceback of an internal error")
    for name, (help_text, arguments, net) in COMMANDS.items():
        if command not in (None, name):
            continue
        parents = [kinds[net]] if net in kinds else [network] if net else []
        p = sub.add_parser(name, help=help_text, parents=[*parents, debug])
        if net == "flow":
            p.set_defaults(activation="sigmoid,tanh,relu")
        arguments(p)
    return parser


def _unrecognized(parser, command, extra):
    """argparse's message, naming the option meant when one is misspelled (--tempalte); None
    where ``extra`` has no option the command lacks."""
    if command is None:
        return None
    # argparse keeps a subcommand's parser and options only in these attributes
    sub = parser._subparsers._group_actions[0].choices[command]
    known = [o[2:] for a in sub._actions for o in a.option_strings if o.startswith("--")]
    typed = next((a.split("=")[0] for a in extra
                  if a.startswith("--") and a.split("=")[0][2:] not in known), None)
    if typed is None:
        return None
    import difflib  # the error path only
    near = difflib.get_close_matches(typed[2:], known, 1, cutoff=0.7)
    return f"unknown option {typed}" + (f"; did you mean --{near[0]}?" if near else
                                        f" (see symnet {command} --help)")


def _imported(name, process):
    """The module ``name``; for the process's own command line (``process``), imported with
    the cyclic garbage collector paused and its objects then frozen: importing SymPy makes a
    great many objects that all live to the process's end, and the collections they would
    trigger, during the import, the command and the exit, find nothing to free (``gc.freeze``:
    later collections pass them by).  Called from Python (tests, notebooks), nothing is
    frozen, so garbage of the caller's is never kept."""
    if not process:
        return importlib.import_module(name, __package__)
    gc.disable()
    try:
        return importlib.import_module(name, __package__)
    finally:
        gc.freeze()
        gc.enable()


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    process = argv is None
    argv = sys.argv[1:] if argv is None else list(argv)
    # the command is the first argument, after --debug if any; anything else before it (-h,
    # --, a misspelling) needs the whole parser, whose help and errors list every command
    chosen = next((a for a in argv if a != "--debug"), None)
    parser = build_parser(chosen if chosen in COMMANDS else None)
    debug = "--debug" in argv
    try:
        args, extra = parser.parse_known_args(argv)
        if extra and getattr(args, "answer", "") is None and len(extra) == 1:
            # argparse gives an optional positional nothing when an option follows ARCH
            # (`check 2-2-1 --wrt w5 --json EXPR`): the one argument left over is the answer
            args.answer = extra[0]
        elif extra:
            parser.error(_unrecognized(parser, args.command, extra) or
                         f"unrecognized arguments: {' '.join(extra)}")
        if args.command is None:
            raise _UsageError(f"choose a command: {', '.join(COMMANDS)} (see symnet --help)")
        # the one deferred import, of the chosen subcommand's module only: the subcommands
        # need SymPy, --help and --version do not, and derive needs no quiz or worksheet code
        return _imported(f".commands.{args.command}", process).run(args)
    except (_UsageError, SymnetError) as exc:
        if isinstance(exc, _UsageError) and str(exc).startswith("the following arguments are "
                                                                "required"):
            # argparse says a required option is missing before it says one is misspelled
            exc = _UsageError(_unrecognized(parser, chosen if chosen in COMMANDS else None, argv)
                              or str(exc))
        if isinstance(exc, _UsageError) and chosen == "check" and "--json" in argv:
            import json  # as check's own refusals: a script reading the JSON gets this one too
            print(json.dumps({"error": str(exc), "status": 2}, ensure_ascii=False))
        return _fail(f"error: {exc}", 2)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # `symnet derive 2-2-1 | head`: stop quietly, as the docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # e.g. standard output on a full disk
        return _fail(f"error: cannot write the output: {exc.strerror or exc}", 2)
    except KeyboardInterrupt as exc:  # Ctrl-C; training says at which epoch
        return _fail(f"interrupted: {exc}" if str(exc) else "interrupted", 130)
    except Terminated:  # SIGTERM while files were written or LaTeX compiled: temporaries gone
        return _fail("terminated; no file was written", 143)
    except Exception as exc:  # a bug of symnet's: one line, the traceback on request
        if debug:
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc}; run with --debug for the "
                     "traceback", 70)


def _fail(line, status):
    try:
        print(line, file=sys.stderr)
    except OSError:  # stderr itself cannot be written (a full disk): the status still says it
        pass
    return status
