"""``symnet chain``: derive the last of a chain of definitions."""

from ..derive import chain as derive_chain


def run(args):
    d = derive_chain(args.definitions, args.wrt, args.of)
    print(d.render(args.format))
    return 0
