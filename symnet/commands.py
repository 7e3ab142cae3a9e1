"""The subcommands of the command line, one function each: ``name(args) -> exit status``.

:mod:`symnet.cli` parses the arguments and maps errors to exit statuses; each function here
does one subcommand's work.
"""

from .checking import check as check_answer
from .data import read_csv
from .derive import chain as derive_chain
from .drawing import draw as draw_network
from .errors import SymnetError
from .explore import activation_atlas, compare_flow, compound, flow_caption, flow_table, plot_flow
from .figures import file_format, need_matplotlib
from .files import check_writable
from .network import Network
from .parse import parse_assignments
from .printing import definitions_latex, text
from .sheets import check_output, parse_samples
from .sheets import worksheet as make_worksheet


def _network(args):
    return Network(args.arch, activation=args.activation,
                   output_activation=args.output_activation, loss=args.loss)


def _names(wrt):
    """``--wrt w1 --wrt b1,b2`` → ["w1", "b1", "b2"]; None when not given."""
    if not wrt:
        return None
    names = [n.strip() for w in wrt for n in w.split(",") if n.strip()]
    if not names:
        raise SymnetError("--wrt names no parameter; give names like --wrt w1,b3")
    return names


def derive(args):
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
            blocks.append(definitions_latex(net.definitions, inline=True))
        else:
            blocks.append("## " + net.arch + " network\n\n$$\n"
                          + definitions_latex(net.definitions, inline=True) + "\n$$")
    for d in derivations:
        block = d.render(args.format)
        if args.format == "markdown":
            block = f"### ∂L/∂{text(d.wrt)}\n\n" + block
        blocks.append(block)
    print("\n\n".join(blocks))
    return 0


def _image_output(path, what="--plot"):
    """Refuse an image path before any work: its suffix, its folder, matplotlib."""
    file_format(path)
    check_writable(path)
    need_matplotlib(what)


def train(args):
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


def check(args):
    net = _network(args)
    at = parse_assignments(args.at) if args.at else None
    result = check_answer(net, args.wrt, args.answer, at=at, tolerance=args.tolerance)
    print(result.message)
    return 0 if result.correct else 1


def worksheet(args):
    check_output(args.output)
    net = _network(args)
    at = parse_samples(args.at) if args.at else None
    params = parse_assignments(args.params) if args.params else None
    wrt = _names(args.wrt) or []
    ws = make_worksheet(net, at=at, params=params, lr=args.lr, wrt=wrt, digits=args.digits,
                   exercises=args.exercises, seed=args.seed, samples=args.samples)
    for path in ws.save(args.output):
        print(f"wrote {path}")
    return 0


def chain(args):
    d = derive_chain(args.definitions, args.wrt, args.of)
    print(d.render(args.format))
    return 0


def flow(args):
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


def activations(args):
    if args.plot:
        _image_output(args.plot)
    atlas = activation_atlas()
    print(atlas.render(args.format))
    if args.plot:
        atlas.plot(args.plot)
        print(f"plotted {args.plot}")
    return 0


def draw(args):
    _image_output(args.output, "symnet draw")
    net = _network(args)
    params = net.init_params(args.seed) if args.seed is not None else {}
    if args.params:
        params.update(parse_assignments(args.params))
    draw_network(net, params=params or None, path=args.output, title=args.title,
         edge_labels=False if args.no_edge_labels else None)
    print(f"wrote {args.output}")
    return 0
