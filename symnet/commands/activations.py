"""``symnet activations``: the activation atlas."""

from ..explore import activation_atlas
from .common import check_image_output


def run(args):
    if args.plot:
        check_image_output(args.plot)
    atlas = activation_atlas()
    print(atlas.render(args.format))
    if args.plot:
        atlas.plot(args.plot)
        print(f"plotted {args.plot}")
    return 0
