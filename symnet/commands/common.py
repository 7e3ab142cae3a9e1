"""What several subcommands share: the network from the options, name lists, output checks."""

from ..errors import SymnetError
from ..figures import file_format, need_matplotlib
from ..files import check_writable
from ..network import Network


def network_from(args):
    return Network(args.arch, activation=args.activation,
                   output_activation=args.output_activation, loss=args.loss, l2=args.l2,
                   bias=args.bias)


def names_from(wrt):
    """``--wrt w1 --wrt b1,b2`` → ["w1", "b1", "b2"]; None when not given."""
    if not wrt:
        return None
    names = [n.strip() for w in wrt for n in w.split(",") if n.strip()]
    if not names:
        raise SymnetError("--wrt names no parameter; give names like --wrt w1,b3")
    return names


def check_image_output(path, what="--plot"):
    """Refuse an image path before any work: its suffix, its folder, matplotlib."""
    file_format(path)
    check_writable(path)
    need_matplotlib(what)


_OPTION_ARGS = ("momentum", "dampening", "betas", "eps", "alpha", "weight_decay", "amsgrad",
                "centered")


def optimizer_options(args):
    """The optimizer options given on the command line, by PyTorch's names."""
    opts = {k: getattr(args, k) for k in _OPTION_ARGS if getattr(args, k) is not None}
    if "betas" in opts:
        parts = opts["betas"].split(",")
        try:
            opts["betas"] = tuple(float(b) for b in parts)
        except ValueError:
            raise SymnetError(f"--betas must be two numbers like 0.9,0.999, got {args.betas!r}") from None
    return opts


def counted(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")
