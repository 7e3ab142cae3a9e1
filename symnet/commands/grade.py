"""``symnet grade``: grade a class's answers."""

import json
import sys

from ..grading import grade as grade_rows
from ..grading import gradescope, read_answers, report_csv, summary
from ..sheets import check_output, save_all
from .common import check_outputs, counted, model_from


def run(args):
    if args.output:
        check_output(args.output, (".json",) if args.format == "gradescope" else (".csv",))
    if args.summary:
        check_output(args.summary, (".md", ".html"))
    check_outputs(args, [args.output, args.summary], [args.answers])
    net = model_from(args)
    results = grade_rows(net, read_answers(args.answers), seed=args.seed, variants=args.variants,
                         lr=args.lr)
    report = report_csv(results) if args.format == "csv" else json.dumps(
        gradescope(results, args.points, args.visibility), ensure_ascii=False, indent=1) + "\n"
    files = [(args.output, report)] if args.output else []
    if args.summary:
        fmt = "html" if args.summary.lower().endswith(".html") else "markdown"
        files.append((args.summary, summary(results, fmt)))
    verdicts = [g.verdict for g in results]
    # with the report on standard output, the tally goes to stderr: the output stays one CSV
    tally = sys.stdout if args.output else sys.stderr
    print(f"graded {counted(len(results), 'answer')}: {verdicts.count('correct')} correct, "
          f"{verdicts.count('incorrect')} incorrect, {verdicts.count('invalid')} invalid",
          file=tally)
    if not args.output:
        sys.stdout.write(report)
    for path in save_all(files):
        print(f"wrote {path}", file=tally)
    return 0
