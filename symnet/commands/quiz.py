"""``symnet quiz``: a class set of variants, exported."""

import os

from ..fonts import font_for
from ..quizzes import SUFFIXES as QUIZ_SUFFIXES
from ..quizzes import quiz as make_quiz
from ..quizzes import roster_rows
from ..sheets import check_output, key_path
from .common import check_outputs, model_from, names_from


def run(args):
    check_output(args.output, QUIZ_SUFFIXES)
    exam = os.path.splitext(args.output)[1].lower() in (".tex", ".pdf")
    check_outputs(args, [args.output, key_path(args.output) if exam else None], [args.students])
    net = model_from(args)
    rows = roster_rows(args.students) if args.students else []
    if args.output.lower().endswith((".pdf", ".tex")):  # every name printable, before any work
        for line, name in rows:
            font_for(name, f"{args.students} line {line} ({name!r:.40})")
    students = [name for _, name in rows] or None
    variants = args.variants if args.variants is not None else len(students or [None] * 30)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()] \
        if args.parts is not None else None
    q = make_quiz(net, variants=variants, seed=args.seed, wrt=names_from(args.wrt), parts=parts,
                  students=students, lr=args.lr)
    for path in q.save(args.output):
        print(f"wrote {path}")
    return 0
