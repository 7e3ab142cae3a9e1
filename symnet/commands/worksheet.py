"""``symnet worksheet``: write a worksheet, its key, or slides."""

from ..parse import parse_assignments
from ..sheets import SUFFIXES as SHEET_SUFFIXES
from ..sheets import check_output, key_path, parse_samples
from ..sheets import worksheet as make_worksheet
from ..sheets.layers import SUFFIXES as LAYER_SUFFIXES
from ..sheets.layers import LayerSheet
from .common import check_outputs, model_from, names_from, optimizer_options


def run(args):
    if args.layers:
        return _layers(args)
    check_output(args.output, (".tex", ".pdf") if args.slides else SHEET_SUFFIXES)
    check_outputs(args, [args.output, key_path(args.output) if args.exercises else None])
    net = model_from(args)
    at = parse_samples(args.at) if args.at else None
    params = parse_assignments(args.params) if args.params else None
    wrt = names_from(args.wrt) or []
    ws = make_worksheet(net, at=at, params=params, lr=args.lr, wrt=wrt, digits=args.digits,
                        exercises=args.exercises, seed=args.seed, samples=args.samples,
                        optimizer=args.optimizer, **optimizer_options(args))
    for path in ws.save(args.output, slides=args.slides):
        print(f"wrote {path}")
    return 0


def _layers(args):
    check_output(args.output, LAYER_SUFFIXES)
    net = model_from(args)
    sheet = LayerSheet(net, args.convention, net.notation, 3 if args.samples == 1 else args.samples,
                       args.seed or 0)
    for path in sheet.save(args.output):
        print(f"wrote {path}")
    return 0
