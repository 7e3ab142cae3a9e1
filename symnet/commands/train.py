"""``symnet train``: train a network on a CSV file."""

import sys
import warnings

from ..data import read_csv
from ..errors import Interrupted, SymnetError
from ..figures import file_format
from ..files import write_all
from ..metrics import accuracy, is_classifier, split
from ..optimizers import entry as optimizer_entry
from ..parse import parse_assignments
from ..train import TrainingWarning
from .common import check_image_output, check_outputs, network_from, optimizer_options


def _start(net, args):
    """The starting parameters: init_params(--seed), overridden by --params."""
    if not args.params:
        return None
    given = parse_assignments(args.params)
    for name in given:
        net.param(name)  # an unknown name: one clear error naming the parameters
    return {**net.init_params(args.seed), **given}


def run(args):
    net = network_from(args)
    plots = (args.plot, args.plot_gradients, args.plot_boundary)
    for path in plots:
        if path:
            check_image_output(path)
    check_outputs(args, [args.save, *plots], [args.data])
    X, Y = read_csv(args.data, net.sizes[0], net.sizes[-1], args.inputs, args.targets)
    if args.plot_boundary and (net.sizes[0] != 2 or not is_classifier(net.loss.name)):
        raise SymnetError("--plot-boundary draws 2-input classifiers (loss bce or cross_entropy); "
                          f"this is a {net.arch} network with loss {net.loss.name}")
    start = _start(net, args) or net.init_params(args.seed)
    reached = [0]

    def note(epoch, loss, params):
        reached[0] = epoch
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TrainingWarning)
        try:
            result = net.fit(X, Y, lr=args.lr, epochs=args.epochs, batch_size=args.batch_size,
                             seed=args.seed, params=start, optimizer=args.optimizer,
                             freeze=args.freeze or (), validation=args.validation,
                             patience=args.patience, callback=note, **optimizer_options(args))
        except KeyboardInterrupt:
            raise Interrupted(f"training stopped during epoch {reached[0] + 1:,} of "
                              f"{args.epochs:,}; nothing was saved") from None
    for line in _summary(net, result, start, X, Y, args):
        print(line)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    if args.verbose:
        width = max(len(k) for k in result.params)
        for name, value in result.params.items():
            print(f"  {name:<{width}} = {value: .6g}")
    # the model and the plots are written together, or none (an old file stays as it was)
    outputs = [(args.save, result.dumps())] if args.save else []
    for path, picture in ((args.plot, lambda: result.plot()),
                          (args.plot_gradients, lambda: result.plot("gradients")),
                          (args.plot_boundary, lambda: result.plot_boundary(X, Y))):
        if path:
            outputs.append((path, picture().to_bytes(file_format(path))))
    write_all(outputs)
    for path, _ in outputs:
        print(f"{'saved' if path == args.save else 'plotted'} {path}")
    return 0


def _summary(net, result, start, X, Y, args):
    """The end of a run: what was trained, the loss and accuracy of the starting parameters and
    of those returned (on the training rows, whole: the history's first loss is a running mean
    with --batch-size, its last is the loss before the last update), early stop."""
    h, best, n = result.history, result.best_epoch, len(X)
    lr = args.lr if args.lr is not None else optimizer_entry(args.optimizer).lr
    held = f" ({max(1, round(args.validation * n))} held out for validation)" \
        if args.validation else ""
    rows, val = split(n, args.validation, args.seed) if args.validation else (slice(None), None)
    model = net.compile()

    def scores(params, rows):
        loss = model.loss(params, X[rows], Y[rows])
        if not is_classifier(net.loss.name):
            return loss, None
        Yt = Y[rows].T
        return loss, accuracy(net.loss.name, model.predict(params, X[rows]).T, Yt)
    (loss0, acc0), (loss1, acc1) = scores(start, rows), scores(result.params, rows)
    lines = [f"trained {net!r} on {n} samples{held} for {len(h)} epochs ({args.optimizer}, "
             f"lr {lr:g})", f"loss: {loss0:.6g} -> {loss1:.6g}"]
    if acc0 is not None:
        lines.append(f"accuracy: {acc0:.0%} -> {acc1:.0%}")
    if val is not None:
        (v0, _), (v1, vacc) = scores(start, val), scores(result.params, val)
        line = f"validation loss: {v0:.6g} -> {v1:.6g}"
        if vacc is not None:
            line += f", accuracy {vacc:.0%}"
        lines.append(line)
    if best != len(h):
        lines.append(f"early stopping: no better loss for {args.patience} epochs; kept the "
                     f"parameters of epoch {best}")
    if args.freeze:
        lines.append(f"frozen: {args.freeze}")
    return lines
