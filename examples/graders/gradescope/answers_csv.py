"""A submission's answers.txt ("w1: <answer>", one a line; # starts a comment) as the CSV that
`symnet grade --answers` reads, on standard output."""

import csv
import sys

with open(sys.argv[1], encoding="utf-8") as submitted:
    lines = [line.strip() for line in submitted]
writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["student", "wrt", "answer"])
for line in lines:
    if line and not line.startswith("#"):
        wrt, _, answer = line.partition(":")
        writer.writerow(["submission", wrt.strip(), answer.strip()])
