"""``symnet chain``: derive the last of a chain of definitions; with ``--at``, the numbers on
every node and how each gate routes the gradient."""

from ..derive import chain as derive_chain
from ..parse import parse_assignments
from ..values import exact_number


def run(args):
    d = derive_chain(args.definitions, args.wrt, args.of)
    blocks = [d.render(args.format)]
    if args.at is not None:
        # exact numbers as typed (0.1 is 1/10): the values stay exact while every step is
        point = {k: exact_number(v, k) for k, v in parse_assignments(args.at).items()}
        blocks.append(d.at(point).render(args.format))
    print("\n\n".join(blocks))
    return 0
