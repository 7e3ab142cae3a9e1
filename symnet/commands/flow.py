"""``symnet flow``: gradient flow per layer, for one or more activations."""

from ..errors import SymnetError
from ..explore import compare_flow, compound, flow_caption, flow_table, plot_flow
from ..network import Network
from .common import check_image_output


def run(args):
    if args.plot:
        check_image_output(args.plot)
    for what in ("seeds", "samples"):
        if getattr(args, what) < 1:
            raise SymnetError(f"--{what} must be a positive integer, got {getattr(args, what)}")
    names = [a.strip() for a in args.activation.split(",") if a.strip()]
    for name in names:  # the chain-rule product is scalar work: bounded before any flow
        Network(args.arch, activation=name, output_activation=args.output_activation,
                loss=args.loss).check_scalar_work()
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
