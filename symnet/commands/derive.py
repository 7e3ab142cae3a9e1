"""``symnet derive``: derive ∂L/∂w for a network's parameters."""

from ..bounds import SECONDS_PER_DERIVATION_SHOWN, check_seconds
from ..errors import SymnetError
from ..printing import definitions_latex, text
from .common import model_from, names_from


def run(args):
    net = model_from(args)
    if (args.layers or args.convention) and not hasattr(net, "derive_layers"):
        raise SymnetError("--layers and --convention derive a network's arrays; a circuit is "
                          "derived node by node (leave them out)")
    if args.layers:
        if args.wrt or args.expanded:
            raise SymnetError("--layers derives every array at once; it takes no --wrt or --expanded")
        print(net.derive_layers(args.convention, shapes=True).render(args.format))
        return 0
    if args.convention:
        raise SymnetError("--convention goes with --layers")
    names = names_from(args.wrt)
    check_seconds(len(names or net.param_names) * SECONDS_PER_DERIVATION_SHOWN,
                  f"printing {len(names or net.param_names):,} derivations",
                  "name the parameters you want with --wrt")
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
            title = f"{net.arch} network" if hasattr(net, "arch") else "circuit"
            blocks.append(f"## {title}\n\n$$\n"
                          + definitions_latex(net.definitions, inline=True) + "\n$$")
    for d in derivations:
        block = d.render(args.format)
        if args.format == "markdown":
            block = f"### ∂{text(d.of)}/∂{text(d.wrt)}\n\n" + block
        blocks.append(block)
    print("\n\n".join(blocks))
    return 0
