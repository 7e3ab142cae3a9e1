"""The ``symnet`` command line: ``main(argv) -> int``.

Bad input of any kind prints one line ``error: …`` on stderr and returns 2, never a traceback.

>>> main(["derive", "2-2-1", "--wrt", "w5"])
∂L/∂w5 = ∂L/∂yhat · ∂yhat/∂w5
  ∂L/∂yhat = 2*(yhat - y)
  ∂yhat/∂w5 = N1
∂L/∂w5 = 2*(yhat - y) · N1
0
"""

import argparse
import os
import sys

from . import __version__
from .derive import chain
from .errors import SymnetError
from .files import check_writable
from .graph import ACTIVATIONS, LOSSES, Network
from .printing import FORMATS, definitions_latex, text



class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _UsageError(message)


def _network_options(p):
    p.add_argument("arch", metavar="ARCH", help="layer sizes, e.g. 2-2-1")
    p.add_argument("--activation", default="linear",
                   help=f"hidden activation, or one per hidden layer comma-separated "
                        f"(default linear; one of {', '.join(a for a in ACTIVATIONS if a != 'softmax')})")
    p.add_argument("--output-activation", default=None,
                   help="output activation (default: what the loss expects)")
    p.add_argument("--loss", default="mse", help=f"loss: {', '.join(LOSSES)} (default mse)")


def _build_parser():
    parser = _Parser(prog="symnet", description="Symbolic differentiation of small neural "
                     "networks: the chain rule step by step.")
    parser.add_argument("--version", action="version", version=f"symnet {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    p = sub.add_parser("derive", help="derive ∂L/∂w for a network's parameters")
    _network_options(p)
    p.add_argument("--wrt", action="append", metavar="NAME",
                   help="parameter (or any symbol) to derive by; repeat or comma-separate; "
                        "default: every parameter")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--expanded", action="store_true",
                   help="also show the result in inputs, targets and parameters only")

    p = sub.add_parser("train", help="train a network on a CSV file by gradient descent")
    _network_options(p)
    p.add_argument("--data", required=True, metavar="FILE.csv",
                   help="CSV with a header row: input columns, then target columns")
    p.add_argument("--inputs", metavar="COLS", help="input column names, comma-separated")
    p.add_argument("--targets", metavar="COLS", help="target column names, comma-separated")
    p.add_argument("--lr", type=float, default=0.5, help="learning rate α (default 0.5)")
    p.add_argument("--epochs", type=int, default=1000, help="epochs (default 1000)")
    p.add_argument("--batch-size", type=int, default=None,
                   help="mini-batch size (default: full batch)")
    p.add_argument("--seed", type=int, default=0, help="seed for initial params and shuffling")
    p.add_argument("--save", metavar="FILE.json", help="write the trained model as JSON")
    p.add_argument("--plot", metavar="FILE.png", help="plot the loss curve (needs matplotlib)")

    p = sub.add_parser("check", help="check a derivative you computed by hand "
                       "(exit 0 correct, 1 incorrect, 2 bad input)")
    _network_options(p)
    p.add_argument("--wrt", required=True, metavar="NAME", help="the parameter, e.g. w5")
    p.add_argument("answer", metavar="EXPR", help="your ∂L/∂NAME, plain (2*(yhat - y)*N1) "
                   "or LaTeX (2(\\hat{y}-y)N_{1}); with --at, may be a number")
    p.add_argument("--at", metavar="x1=1,...", help="check at this point: every input, target "
                   "and parameter")
    p.add_argument("--tolerance", type=float, default=1e-3,
                   help="relative tolerance of a check --at a point (default 0.001)")

    p = sub.add_parser("worksheet", help="write a worksheet: definitions, forward pass, chain "
                       "rule, one gradient step (.tex, .pdf, .md or .ipynb)")
    _network_options(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the worksheet to write: FILE.tex, FILE.pdf, FILE.md or FILE.ipynb")
    p.add_argument("--wrt", action="append", metavar="NAME",
                   help="parameter to derive; repeat or comma-separate; default: every parameter")
    p.add_argument("--at", action="append", metavar="x1=1,x2=0,y=1",
                   help="a data point (every input and target); repeat, or separate with ';', "
                        "for a table of samples")
    p.add_argument("--params", metavar="w1=.15,...", help="every weight and bias")
    p.add_argument("--lr", metavar="ALPHA", help="learning rate of one gradient-descent step")
    p.add_argument("--exercises", action="store_true",
                   help="blanks for the results, and an answer key beside: FILE-key.SUFFIX")
    p.add_argument("--seed", type=int, metavar="N",
                   help="draw nice numbers for what --at and --params do not give")
    p.add_argument("--samples", type=int, default=1, metavar="N",
                   help="how many data points --seed draws (default 1)")
    p.add_argument("--digits", type=int, default=4, metavar="N",
                   help="significant digits shown (default 4; numbers are computed to 30)")

    p = sub.add_parser("chain", help="derive the last of a chain of definitions")
    p.add_argument("definitions", metavar="DEFINITIONS",
                   help="definitions separated by ';', e.g. \"m = x**2; z = m**2; y = z**2\"")
    p.add_argument("--wrt", required=True, metavar="NAME")
    p.add_argument("--of", metavar="NAME", help="what to differentiate (default: the last)")
    p.add_argument("--format", choices=FORMATS, default="text")
    _explore_parsers(sub)
    return parser


def _explore_parsers(sub):
    p = sub.add_parser("flow", help="gradient flow: how ∂L/∂W shrinks or grows layer by layer "
                       "at initialisation, for one or more activations")
    p.add_argument("arch", metavar="ARCH", help="layer sizes, e.g. 2-8-8-8-8-8-1")
    p.add_argument("--activation", default="sigmoid,tanh,relu",
                   help="activations to COMPARE, comma-separated: one table column (and one "
                        "bar) each, every hidden layer using that one (default "
                        "sigmoid,tanh,relu); unlike derive, where a comma list gives one "
                        "activation per hidden layer")
    p.add_argument("--output-activation", default=None,
                   help="output activation (default: what the loss expects)")
    p.add_argument("--loss", default="mse", help=f"loss: {', '.join(LOSSES)} (default mse)")
    p.add_argument("--wrt", default="w1", metavar="NAME",
                   help="the weight whose chain-rule product is shown (default w1)")
    p.add_argument("--seeds", type=int, default=5, metavar="N",
                   help="average over init_params seeds 0 … N-1 (default 5)")
    p.add_argument("--samples", type=int, default=64, metavar="N",
                   help="seeded random samples, X ~ N(0, 1) (default 64)")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--plot", metavar="FILE.png",
                   help="bar chart of mean |∂L/∂W| per layer, log scale (.png, .svg or .pdf; "
                        "needs matplotlib)")

    p = sub.add_parser("activations", help="the activation atlas: every activation, its "
                       "derivative in closed form and the derivative's range")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--plot", metavar="FILE.png",
                   help="each function beside its derivative (.png, .svg or .pdf; needs "
                        "matplotlib)")

    p = sub.add_parser("draw", help="draw a network: every neuron and every weight named")
    _network_options(p)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the picture to write: FILE.svg, FILE.png or FILE.pdf")
    p.add_argument("--params", metavar="w1=.15,...",
                   help="label these weights and biases with their values (any subset)")
    p.add_argument("--seed", type=int, metavar="N",
                   help="label every parameter with its value from init_params(seed=N)")
    p.add_argument("--title", help="a title above the drawing")
    p.add_argument("--no-edge-labels", action="store_true",
                   help="leave the weight names off the edges (default: on up to 6 neurons "
                        "per layer)")


def _network(args):
    return Network(args.arch, activation=args.activation,
                   output_activation=args.output_activation, loss=args.loss)


def _render(derivation, fmt):
    if fmt == "latex":
        return derivation.latex()
    if fmt == "markdown":
        return derivation.markdown()
    return str(derivation)


def _names(wrt):
    """``--wrt w1 --wrt b1,b2`` → ["w1", "b1", "b2"]; None when not given."""
    if not wrt:
        return None
    names = [n.strip() for w in wrt for n in w.split(",") if n.strip()]
    if not names:
        raise SymnetError("--wrt names no parameter; give names like --wrt w1,b3")
    return names


def _derive(args):
    net = _network(args)
    names = _names(args.wrt)
    wrt = [net.symbol(n) for n in names] if names else net.params
    derivations = [net.derive(w) for w in wrt]
    for d in derivations:
        d.show_expanded = args.expanded
        if args.expanded:
            d.expanded  # noqa: B018 -- raises TooLargeError before anything is printed
    blocks = []
    if not names:
        if args.format == "text":
            blocks.append(str(net))
        elif args.format == "latex":
            blocks.append(definitions_latex(net.definitions))
        else:
            blocks.append("## " + net.arch + " network\n\n$$\n"
                          + definitions_latex(net.definitions) + "\n$$")
    for d in derivations:
        block = _render(d, args.format)
        if args.format == "markdown":
            block = f"### ∂L/∂{text(d.wrt)}\n\n" + block
        blocks.append(block)
    print("\n\n".join(blocks))
    return 0


def _image_output(path, what="--plot"):
    """Refuse an image path before any work: its suffix, its folder, matplotlib."""
    from .figures import file_format, need_matplotlib
    file_format(path)
    check_writable(path)
    need_matplotlib(what)


def _train(args):
    from .data import read_csv
    net = _network(args)
    X, Y = read_csv(args.data, net.sizes[0], net.sizes[-1], args.inputs, args.targets)
    if args.plot:
        _image_output(args.plot)
    if args.save:
        check_writable(args.save)
    result = net.fit(X, Y, lr=args.lr, epochs=args.epochs, batch_size=args.batch_size,
                     seed=args.seed)
    h = result.history
    print(f"trained {net!r} on {len(X)} samples for {len(h)} epochs (lr {args.lr:g})")
    print(f"loss: {h[0]:.6g} -> {h[-1]:.6g}")
    width = max(len(k) for k in result.params)
    for name, value in result.params.items():
        print(f"  {name:<{width}} = {value: .6g}")
    if args.save:
        result.save(args.save)
        print(f"saved {args.save}")
    if args.plot:
        result.plot().save(args.plot)
        print(f"plotted {args.plot}")
    return 0


def _check(args):
    from .checking import check
    from .parse import parse_assignments
    net = _network(args)
    at = parse_assignments(args.at) if args.at else None
    result = check(net, args.wrt, args.answer, at=at, tolerance=args.tolerance)
    print(result.message)
    return 0 if result.correct else 1


def _worksheet(args):
    from .parse import parse_assignments
    from .sheets import check_output, parse_samples, worksheet
    check_output(args.output)
    net = _network(args)
    at = parse_samples(args.at) if args.at else None
    params = parse_assignments(args.params) if args.params else None
    wrt = _names(args.wrt) or []
    ws = worksheet(net, at=at, params=params, lr=args.lr, wrt=wrt, digits=args.digits,
                   exercises=args.exercises, seed=args.seed, samples=args.samples)
    for path in ws.save(args.output):
        print(f"wrote {path}")
    return 0


def _chain(args):
    d = chain(args.definitions, args.wrt, args.of)
    print(_render(d, args.format))
    return 0


def _flow(args):
    from .explore import compare_flow, compound, flow_caption, flow_table, plot_flow
    if args.plot:
        _image_output(args.plot)
    for what in ("seeds", "samples"):
        if getattr(args, what) < 1:
            raise SymnetError(f"--{what} must be a positive integer, got {getattr(args, what)}")
    names = [a.strip() for a in args.activation.split(",") if a.strip()]
    flows = compare_flow(args.arch, names, output_activation=args.output_activation,
                         loss=args.loss, seeds=range(args.seeds), samples=args.samples,
                         wrt=args.wrt)
    fmt = args.format
    blocks = []
    for f in flows:
        head = ""
        if len(flows) > 1:
            head = f"[{f.label}] " if fmt == "text" else f"### {f.label}\n\n" \
                if fmt == "markdown" else ""
        blocks.append(head + f.product(fmt))

    def titled(title, body):  # LaTeX gets its titles as comments
        return f"% {title}\n{body}" if fmt == "latex" else f"{title}:\n\n{body}"
    blocks.append(titled(flow_caption(flows), flow_table(flows, fmt)))
    blocks.append(titled("The lecture's compound interest: a factor a little below 1, repeated, "
                         "vanishes; a little above 1, it explodes (0.25 is σ'(0), the sigmoid's "
                         "steepest slope)", compound().render(fmt)))
    print("\n\n".join(blocks))
    if args.plot:
        plot_flow(flows, args.plot)
        print(f"plotted {args.plot}")
    return 0


def _activations(args):
    from .explore import activation_atlas
    if args.plot:
        _image_output(args.plot)
    atlas = activation_atlas()
    print(atlas.render(args.format))
    if args.plot:
        atlas.plot(args.plot)
        print(f"plotted {args.plot}")
    return 0


def _draw(args):
    from .drawing import draw
    from .parse import parse_assignments
    _image_output(args.output, "symnet draw")
    net = _network(args)
    params = net.init_params(args.seed) if args.seed is not None else {}
    if args.params:
        params.update(parse_assignments(args.params))
    draw(net, params=params or None, path=args.output, title=args.title,
         edge_labels=False if args.no_edge_labels else None)
    print(f"wrote {args.output}")
    return 0


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise _UsageError("choose a command: derive, train, check, chain, worksheet, "
                              "flow, activations, draw (see symnet --help)")
        commands = {"derive": _derive, "train": _train, "check": _check,
                    "worksheet": _worksheet, "chain": _chain,
                    "flow": _flow, "activations": _activations, "draw": _draw}
        return commands[args.command](args)
    except (_UsageError, SymnetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:  # `symnet derive 2-2-1 | head`: stop quietly, as the docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # e.g. standard output on a full disk
        print(f"error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 2
