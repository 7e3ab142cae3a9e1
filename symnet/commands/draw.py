"""``symnet draw``: draw a network."""

from ..drawing import draw as draw_network
from ..nice import nice_numbers
from ..parse import parse_assignments
from .common import check_image_output, network_from


def run(args):
    check_image_output(args.output, "symnet draw")
    net = network_from(args)
    # --seed N labels the numbers worksheet --seed N and quiz --seed N (variant 1) use
    params = dict(nice_numbers(net, args.seed)[1]) if args.seed is not None else {}
    if args.params:
        params.update(parse_assignments(args.params))
    draw_network(net, params=params or None, path=args.output, title=args.title,
         edge_labels=False if args.no_edge_labels else None)
    print(f"wrote {args.output}")
    return 0
