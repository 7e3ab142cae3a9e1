"""``symnet draw``: draw a network, or a circuit with its numbers on the wires."""

from ..drawing import draw
from ..errors import SymnetError
from ..nice import nice_numbers
from ..parse import parse_assignments
from ..values import exact_number
from .common import check_image_output, check_outputs, model_from


def run(args):
    check_image_output(args.output, "symnet draw")
    check_outputs(args, [args.output])
    model = model_from(args)
    if args.circuit is not None:
        for option, given in (("--params", args.params), ("--seed", args.seed is not None),
                              ("--no-edge-labels", args.no_edge_labels)):
            if given:
                raise SymnetError(f"{option} is for a network; a circuit is drawn --at a point")
        at = {k: exact_number(v, k) for k, v in parse_assignments(args.at).items()} \
            if args.at else None
        draw(model, at=at, path=args.output, title=args.title)
    else:
        if args.at:
            raise SymnetError("--at is a circuit's point; a network is drawn with --params or "
                              "--seed")
        # --seed N labels the numbers worksheet --seed N and quiz --seed N (variant 1) use
        params = dict(nice_numbers(model, args.seed)[1]) if args.seed is not None else {}
        if args.params:
            params.update(parse_assignments(args.params))
        draw(model, params=params or None, path=args.output, title=args.title,
             edge_labels=False if args.no_edge_labels else None)
    print(f"wrote {args.output}")
    return 0
