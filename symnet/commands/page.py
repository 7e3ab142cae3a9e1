"""``symnet page``: a static checker page, symnet running in the student's browser."""

from ..files import read_text
from ..web import bytecode as fast
from ..web.site import write_page
from .common import model_from


def run(args):
    model_from(args)  # every option checked as the other subcommands check it
    if args.template is not None:
        spec = {"template": args.template}
    elif args.circuit is not None:
        spec = {"circuit": args.circuit if "=" in args.circuit else read_text(args.circuit)}
    else:
        spec = {"arch": args.arch, "activation": args.activation, "loss": args.loss,
                "output_activation": args.output_activation, "l2": args.l2, "bias": args.bias}
    reason = fast.unavailable() if args.bytecode is None else None
    names = write_page(spec, args.wrt, args.output, pyodide=args.pyodide, katex=args.katex,
                       bytecode=args.bytecode if reason is None else False,
                       pyodide_package=args.pyodide_package, variants=args.variants,
                       seed=args.seed)
    source = f" (Python starts from source, several times slower: {reason})" if reason else ""
    print(f"wrote {args.output}: {len(names)} files{source}; put the folder on any web space (to "
          f"try it here: python -m http.server -d {args.output}) and open index.html")
    return 0
