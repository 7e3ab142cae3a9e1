"""What several subcommands share: the model from the options (a network or a circuit), name
lists, output checks."""

from ..circuits import Circuit
from ..errors import SymnetError
from ..figures import file_format, need_matplotlib
from ..files import check_outputs as _check_outputs
from ..files import check_writable, read_text
from ..network import Network
from ..templates import from_spec
from ..values import NUMBER_SYNTAX, number_text


def network_from(args):
    return Network(args.arch, activation=args.activation,
                   output_activation=args.output_activation, loss=args.loss, l2=args.l2,
                   bias=args.bias, notation=getattr(args, "notation", "seed"))


_NETWORK_DEFAULTS = {"activation": "linear", "output_activation": None, "loss": "mse", "l2": "0",
                     "bias": True, "notation": "seed"}


def model_from(args):
    """The network of ARCH and its options, or the circuit of ``--circuit``: definitions, or
    (without '=') the file that holds them."""
    template = getattr(args, "template", None)
    if template is not None:
        if args.circuit is not None:
            raise SymnetError("give a circuit (--circuit) or a template (--template), not both")
        args.circuit = ""  # what follows refuses ARCH and the network's options alike
    if args.circuit is None:
        if args.arch is None:
            raise SymnetError("give a network's layer sizes like 2-2-1, or a circuit: "
                              "--circuit \"q = x + y; f = q*z\"")
        return network_from(args)
    if args.arch is not None:
        if template is not None and "=" in args.arch:
            raise SymnetError(f"a template's options follow its name and a colon: --template "
                              f"{template}:{args.arch}")
        given = "a template (--template)" if template is not None else "a circuit (--circuit)"
        raise SymnetError(f"give a network ({args.arch}) or {given}, not both")
    for option, default in _NETWORK_DEFAULTS.items():
        if getattr(args, option, default) != default:
            flag = "no-bias" if option == "bias" else option.replace("_", "-")
            raise SymnetError(f"--{flag} is a network's option; a circuit says its functions "
                              "in its definitions")
    if template is not None:
        return from_spec(template)
    return Circuit(args.circuit if "=" in args.circuit else read_text(args.circuit))


def check_outputs(args, outputs, inputs=()):
    """Refuse, before any work, outputs that cannot be written, two that are one file, or one
    that is an input (``inputs``, and the file of ``--circuit``)."""
    circuit = getattr(args, "circuit", None)
    inputs = [*inputs, circuit if circuit and "=" not in circuit else None]
    _check_outputs([o for o in outputs if o], [i for i in inputs if i and i != "-"])


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
        try:
            opts["betas"] = tuple(number_text(b, "--betas") for b in opts["betas"].split(","))
        except SymnetError:
            raise SymnetError(f"--betas must be two numbers like 0.9,0.999, got {args.betas!r}; "
                              f"each {NUMBER_SYNTAX}") from None
    return opts


def counted(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")
