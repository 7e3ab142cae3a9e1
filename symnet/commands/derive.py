"""``symnet derive``: derive ∂L/∂w for a network's parameters."""

from ..bounds import SECONDS_PER_DERIVATION_SHOWN, check_seconds
from ..errors import SymnetError
from ..printing import definitions_latex, text
from .common import names_from, network_from


def run(args):
    net = network_from(args)
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
            blocks.append("## " + net.arch + " network\n\n$$\n"
                          + definitions_latex(net.definitions, inline=True) + "\n$$")
    for d in derivations:
        block = d.render(args.format)
        if args.format == "markdown":
            block = f"### ∂L/∂{text(d.wrt)}\n\n" + block
        blocks.append(block)
    print("\n\n".join(blocks))
    return 0
