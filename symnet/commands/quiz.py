"""``symnet quiz``: a class set of variants, exported."""

from ..quizzes import SUFFIXES as QUIZ_SUFFIXES
from ..quizzes import quiz as make_quiz
from ..quizzes import read_roster
from ..sheets import check_output
from .common import model_from, names_from


def run(args):
    check_output(args.output, QUIZ_SUFFIXES)
    net = model_from(args)
    students = read_roster(args.students) if args.students else None
    variants = args.variants if args.variants is not None else len(students or [None] * 30)
    parts = [p.strip() for p in args.parts.split(",") if p.strip()] \
        if args.parts is not None else None
    q = make_quiz(net, variants=variants, seed=args.seed, wrt=names_from(args.wrt), parts=parts,
                  students=students, lr=args.lr)
    for path in q.save(args.output):
        print(f"wrote {path}")
    return 0
