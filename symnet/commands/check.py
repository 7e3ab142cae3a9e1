"""``symnet check``: check a derivative (or a whole derivation) computed by hand, on a network
or a circuit."""

import json

from .. import checking
from ..checking.hints import SPELLING
from ..errors import SymnetError
from ..files import read_text
from ..parse import parse_assignments
from .common import model_from


def run(args):
    token = SPELLING.set("cli")  # hints name --activation, not activation=
    try:
        return _check(args)
    except SymnetError as exc:
        if args.json:  # a script reading the JSON gets the error too; stderr and exit 2 as always
            print(json.dumps({"error": str(exc), "status": 2}, ensure_ascii=False))
        raise
    finally:
        SPELLING.reset(token)


def _check(args):
    circuit = args.circuit is not None or args.template is not None
    if circuit and args.answer is None:  # the one positional fills ARCH first
        args.arch, args.answer = None, args.arch
    net = model_from(args)
    if (args.answer is None) == (args.steps is None):
        raise SymnetError("give either an answer EXPR or --steps FILE (a derivation, '-' for "
                          "standard input), not both or neither")
    if args.layers:
        return _check_layers(net, args)
    if args.wrt is None:
        raise SymnetError("the following arguments are required: --wrt")
    at = parse_assignments(args.at) if args.at else None
    if args.steps is not None:
        result = checking.check_derivation(net, args.wrt, read_text(args.steps), at=at)
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.json else result)
        return 0 if result.correct else 1
    result = checking.check(net, args.wrt, args.answer, at=at, tolerance=args.tolerance)
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.json else result.message)
    return 0 if result.correct else 1


def _check_layers(net, args):
    convention = None if args.layers == "any" else args.layers
    if args.steps is not None:
        result = checking.check_layer_steps(net, read_text(args.steps), convention)
    elif args.wrt is None:
        raise SymnetError("give --wrt, the gradient your matrix answer is (dW1, db2, dZ1, …)")
    else:
        result = checking.check_layers(net, args.wrt, args.answer, convention)
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.json else result)
    return 0 if result.correct else 1
