"""``symnet predict``: a trained model's predictions for a CSV file."""

import csv
import io
import sys

from ..data import read_csv
from ..errors import SymnetError
from ..files import write_atomic
from ..metrics import class_numbers, is_classifier
from ..network import load as load_model
from .common import check_outputs


def run(args):
    check_outputs(args, [args.output], [args.model, args.data])
    net, params = load_model(args.model)
    X = _read_inputs(args.data, net)
    Yhat = net.compile().predict(params, X)
    outs = [str(o) for o in net.outputs]
    header = [str(x) for x in net.inputs] + outs
    rows = [list(x) + list(y) for x, y in zip(X.tolist(), Yhat.tolist())]
    if is_classifier(net.loss.name):
        c = class_numbers(net.loss.name, Yhat.T)
        if c.ndim == 2:  # bce: one class per output
            header += ["class"] if len(outs) == 1 else [f"class{k}" for k in range(1, len(outs) + 1)]
            rows = [r + list(k) for r, k in zip(rows, c.T.tolist())]
        else:
            header.append("class")
            rows = [r + [k] for r, k in zip(rows, c.tolist())]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[repr(v) if isinstance(v, float) else v for v in r] for r in rows])
    if args.output:
        write_atomic(args.output, buf.getvalue())
        print(f"wrote {len(rows)} predictions to {args.output}")
    else:
        sys.stdout.write(buf.getvalue())
    return 0


def _read_inputs(path, net):
    """X from a CSV of the inputs, or of the inputs followed by the targets (a training file)."""
    n_in, n_out = net.sizes[0], net.sizes[-1]
    try:
        return read_csv(path, n_in, 0)[0]
    except SymnetError as only_inputs:
        if "columns but the network needs" not in str(only_inputs):
            raise
        try:
            return read_csv(path, n_in, n_out)[0]
        except SymnetError as with_targets:
            if "columns but the network needs" not in str(with_targets):
                raise
            count = str(with_targets).split(" has ", 1)[1].split(" ", 1)[0]
            raise SymnetError(
                f"{path} has {count} columns; the model {net.arch} reads {n_in} (its inputs) or "
                f"{n_in + n_out} (its inputs, then its targets)") from None
