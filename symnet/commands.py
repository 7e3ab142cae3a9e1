"""The subcommands of the command line, one function each: ``name(args) -> exit status``.

:mod:`symnet.cli` parses the arguments and maps errors to exit statuses; each function here
does one subcommand's work.
"""

import csv
import io
import json
import sys
import warnings

from .bounds import SECONDS_PER_DERIVATION_SHOWN, check_seconds
from .checking import check as check_answer
from .checking import check_derivation
from .checking.hints import SPELLING
from .data import read_csv
from .derive import chain as derive_chain
from .drawing import draw as draw_network
from .errors import Interrupted, SymnetError
from .explore import activation_atlas, compare_flow, compound, flow_caption, flow_table, plot_flow
from .figures import file_format, need_matplotlib
from .files import check_writable, read_text, write_all, write_atomic
from .grading import grade as grade_rows
from .grading import read_answers, report_csv, summary
from .metrics import classes, is_classifier
from .network import Network
from .network import load as load_model
from .nice import nice_numbers
from .optimizers import entry as optimizer_entry
from .parse import parse_assignments
from .printing import definitions_latex, text
from .quizzes import SUFFIXES as QUIZ_SUFFIXES
from .quizzes import quiz as make_quiz
from .quizzes import read_roster
from .sheets import SUFFIXES as SHEET_SUFFIXES
from .sheets import check_output, key_path, parse_samples, save_all
from .sheets import worksheet as make_worksheet
from .train import TrainingWarning


def _network(args):
    return Network(args.arch, activation=args.activation,
                   output_activation=args.output_activation, loss=args.loss, l2=args.l2)


def _names(wrt):
    """``--wrt w1 --wrt b1,b2`` → ["w1", "b1", "b2"]; None when not given."""
    if not wrt:
        return None
    names = [n.strip() for w in wrt for n in w.split(",") if n.strip()]
    if not names:
        raise SymnetError("--wrt names no parameter; give names like --wrt w1,b3")
    return names


def derive(args):
    net = _network(args)
    names = _names(args.wrt)
    check_seconds(len(names or net.param_names) * SECONDS_PER_DERIVATION_SHOWN,
                  f"printing {len(names or net.param_names):,} derivations",
                  "name the parameters you want with --wrt")
    wrt = [net.symbol(n) for n in names] if names else net.params
    derivations = [net.derive(w) for w in wrt]
    for d in derivations:
        d.show_expanded = args.expanded
        if args.expanded:
            d.expanded  # noqa: B018 -- raises TooLargeError before anything is printed
    blocks = []
    if not names:
        if args.format == "text":
            blocks.append(str(net))
        elif args.format == "latex":
            blocks.append(definitions_latex(net.definitions, inline=True))
        else:
            blocks.append("## " + net.arch + " network\n\n$$\n"
                          + definitions_latex(net.definitions, inline=True) + "\n$$")
    for d in derivations:
        block = d.render(args.format)
        if args.format == "markdown":
            block = f"### ∂L/∂{text(d.wrt)}\n\n" + block
        blocks.append(block)
    print("\n\n".join(blocks))
    return 0


def _image_output(path, what="--plot"):
    """Refuse an image path before any work: its suffix, its folder, matplotlib."""
    file_format(path)
    check_writable(path)
    need_matplotlib(what)


_OPTION_ARGS = ("momentum", "dampening", "betas", "eps", "alpha", "weight_decay", "amsgrad",
                "centered")


def _optimizer_options(args):
    """The optimizer options given on the command line, by PyTorch's names."""
    opts = {k: getattr(args, k) for k in _OPTION_ARGS if getattr(args, k) is not None}
    if "betas" in opts:
        parts = opts["betas"].split(",")
        try:
            opts["betas"] = tuple(float(b) for b in parts)
        except ValueError:
            raise SymnetError(f"--betas must be two numbers like 0.9,0.999, got {args.betas!r}") from None
    return opts


def _start(net, args):
    """The starting parameters: init_params(--seed), overridden by --params."""
    if not args.params:
        return None
    given = parse_assignments(args.params)
    for name in given:
        net.param(name)  # an unknown name: one clear error naming the parameters
    return {**net.init_params(args.seed), **given}


def train(args):
    net = _network(args)
    X, Y = read_csv(args.data, net.sizes[0], net.sizes[-1], args.inputs, args.targets)
    for path in (args.plot, args.plot_gradients, args.plot_boundary):
        if path:
            _image_output(path)
    if args.plot_boundary and (net.sizes[0] != 2 or not is_classifier(net.loss.name)):
        raise SymnetError("--plot-boundary draws 2-input classifiers (loss bce or cross_entropy); "
                          f"this is a {net.arch} network with loss {net.loss.name}")
    if args.save:
        check_writable(args.save)
    reached = [0]

    def note(epoch, loss, params):
        reached[0] = epoch
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TrainingWarning)
        try:
            result = net.fit(X, Y, lr=args.lr, epochs=args.epochs, batch_size=args.batch_size,
                             seed=args.seed, params=_start(net, args), optimizer=args.optimizer,
                             freeze=args.freeze or (), validation=args.validation,
                             patience=args.patience, callback=note, **_optimizer_options(args))
        except KeyboardInterrupt:
            raise Interrupted(f"training stopped during epoch {reached[0] + 1:,} of "
                              f"{args.epochs:,}; nothing was saved") from None
    for line in _summary(net, result, len(X), args):
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


def _summary(net, result, n, args):
    """The end of a run: what was trained, the loss before and after, accuracy, early stop."""
    h, m, best = result.history, result.metrics, result.best_epoch
    lr = args.lr if args.lr is not None else optimizer_entry(args.optimizer).lr
    held = f" ({max(1, round(args.validation * n))} held out for validation)" \
        if args.validation else ""
    lines = [f"trained {net!r} on {n} samples{held} for {len(h)} epochs ({args.optimizer}, "
             f"lr {lr:g})", f"loss: {h[0]:.6g} -> {h[best - 1]:.6g}"]
    if "accuracy" in m:
        lines.append(f"accuracy: {m['accuracy'][0]:.0%} -> {m['accuracy'][best - 1]:.0%}")
    if "val_loss" in m:
        line = f"validation loss: {m['val_loss'][0]:.6g} -> {m['val_loss'][best - 1]:.6g}"
        if "val_accuracy" in m:
            line += f", accuracy {m['val_accuracy'][best - 1]:.0%}"
        lines.append(line)
    if best != len(h):
        lines.append(f"early stopping: no better loss for {args.patience} epochs; kept the "
                     f"parameters of epoch {best}")
    if args.freeze:
        lines.append(f"frozen: {args.freeze}")
    return lines


def predict(args):
    net, params = load_model(args.model)
    if args.output:
        check_writable(args.output)
    X = _read_inputs(args.data, net)
    Yhat = net.compile().predict(params, X)
    outs = [str(o) for o in net.outputs]
    header = [str(x) for x in net.inputs] + outs
    rows = [list(x) + list(y) for x, y in zip(X.tolist(), Yhat.tolist())]
    if is_classifier(net.loss.name):
        c = classes(net.loss.name, Yhat.T)
        if c.ndim == 2:  # bce: one class per output
            header += ["class"] if len(outs) == 1 else [f"class{k}" for k in range(1, len(outs) + 1)]
            rows = [r + list(k) for r, k in zip(rows, c.T.tolist())]
        else:
            header.append("class")
            rows = [r + [k + 1] for r, k in zip(rows, c.tolist())]
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


def check(args):
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
    if (args.answer is None) == (args.steps is None):
        raise SymnetError("give either an answer EXPR or --steps FILE (a derivation, '-' for "
                          "standard input), not both or neither")
    net = _network(args)
    at = parse_assignments(args.at) if args.at else None
    if args.steps is not None:
        result = check_derivation(net, args.wrt, read_text(args.steps), at=at)
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.json else result)
        return 0 if result.correct else 1
    result = check_answer(net, args.wrt, args.answer, at=at, tolerance=args.tolerance)
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) if args.json else result.message)
    return 0 if result.correct else 1


def worksheet(args):
    check_output(args.output, (".tex", ".pdf") if args.slides else SHEET_SUFFIXES)
    if args.exercises:
        check_writable(key_path(args.output))
    net = _network(args)
    at = parse_samples(args.at) if args.at else None
    params = parse_assignments(args.params) if args.params else None
    wrt = _names(args.wrt) or []
    ws = make_worksheet(net, at=at, params=params, lr=args.lr, wrt=wrt, digits=args.digits,
                        exercises=args.exercises, seed=args.seed, samples=args.samples,
                        optimizer=args.optimizer, **_optimizer_options(args))
    for path in ws.save(args.output, slides=args.slides):
        print(f"wrote {path}")
    return 0


def quiz(args):
    check_output(args.output, QUIZ_SUFFIXES)
    net = _network(args)
    students = read_roster(args.students) if args.students else None
    variants = args.variants if args.variants is not None else len(students or [None] * 30)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    q = make_quiz(net, variants=variants, seed=args.seed, wrt=_names(args.wrt), parts=parts,
                  students=students)
    for path in q.save(args.output):
        print(f"wrote {path}")
    return 0


def grade(args):
    if args.output:
        check_output(args.output, (".csv",))
    if args.summary:
        check_output(args.summary, (".md", ".html"))
    net = _network(args)
    results = grade_rows(net, read_answers(args.answers), seed=args.seed, variants=args.variants)
    report = report_csv(results)
    files = [(args.output, report)] if args.output else []
    if args.summary:
        fmt = "html" if args.summary.lower().endswith(".html") else "markdown"
        files.append((args.summary, summary(results, fmt)))
    verdicts = [g.verdict for g in results]
    # with the report on standard output, the tally goes to stderr: the output stays one CSV
    tally = sys.stdout if args.output else sys.stderr
    print(f"graded {_count(len(results), 'answer')}: {verdicts.count('correct')} correct, "
          f"{verdicts.count('incorrect')} incorrect, {verdicts.count('invalid')} invalid",
          file=tally)
    if not args.output:
        sys.stdout.write(report)
    for path in save_all(files):
        print(f"wrote {path}", file=tally)
    return 0


def _count(n, noun):
    return f"{n} {noun}" + ("" if n == 1 else "s")


def chain(args):
    d = derive_chain(args.definitions, args.wrt, args.of)
    print(d.render(args.format))
    return 0


def flow(args):
    if args.plot:
        _image_output(args.plot)
    for what in ("seeds", "samples"):
        if getattr(args, what) < 1:
            raise SymnetError(f"--{what} must be a positive integer, got {getattr(args, what)}")
    names = [a.strip() for a in args.activation.split(",") if a.strip()]
    for name in names:  # the chain-rule product is scalar work: bounded before any flow
        Network(args.arch, activation=name, output_activation=args.output_activation,
                loss=args.loss).check_scalar_work()
    flows = compare_flow(args.arch, names, output_activation=args.output_activation,
                         loss=args.loss, seeds=range(args.seeds), samples=args.samples,
                         wrt=args.wrt)
    fmt = args.format
    blocks = []
    for f in flows:
        head = ""
        if len(flows) > 1:
            head = f"[{f.label}] " if fmt == "text" else f"### {f.label}\n\n" \
                if fmt == "markdown" else ""
        blocks.append(head + f.product(fmt))

    def titled(title, body):  # LaTeX gets its titles as comments
        return f"% {title}\n{body}" if fmt == "latex" else f"{title}:\n\n{body}"
    blocks.append(titled(flow_caption(flows), flow_table(flows, fmt)))
    blocks.append(titled("The lecture's compound interest: a factor a little below 1, repeated, "
                         "vanishes; a little above 1, it explodes (0.25 is σ'(0), the sigmoid's "
                         "steepest slope)", compound().render(fmt)))
    print("\n\n".join(blocks))
    if args.plot:
        plot_flow(flows, args.plot)
        print(f"plotted {args.plot}")
    return 0


def activations(args):
    if args.plot:
        _image_output(args.plot)
    atlas = activation_atlas()
    print(atlas.render(args.format))
    if args.plot:
        atlas.plot(args.plot)
        print(f"plotted {args.plot}")
    return 0


def draw(args):
    _image_output(args.output, "symnet draw")
    net = _network(args)
    # --seed N labels the numbers worksheet --seed N and quiz --seed N (variant 1) use
    params = dict(nice_numbers(net, args.seed)[1]) if args.seed is not None else {}
    if args.params:
        params.update(parse_assignments(args.params))
    draw_network(net, params=params or None, path=args.output, title=args.title,
         edge_labels=False if args.no_edge_labels else None)
    print(f"wrote {args.output}")
    return 0
