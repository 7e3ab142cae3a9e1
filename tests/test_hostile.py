"""Hostile and broken input, every subcommand and the Python API, each held to the promise:
one line ``error: …``, exit status 2, bounded work, no side effect, nothing lost.

The work bound (workbound.py: Python calls counted, not seconds) is a guard against hangs, not
a speed goal: the inputs here used to take minutes, or forever.
"""

import json
import math
import os
import re
import tempfile

import pytest
from workbound import bounded_work

import symnet as sn
import symnet.commands.check  # noqa: F401 -- imported once here, so that no case pays for SymPy's import
from symnet.cli import COMMANDS, main
from symnet.data import read_csv
from symnet.parse import parse_definitions, parse_expression

AT = "x1=1,x2=0,y=1,w1=1,w2=1,w3=1,w4=1,w5=1,w6=1,b1=0,b2=0,b3=0"
DEEP = "-".join(["1"] * 600)


def _files(root):
    """The sandbox before a case: data files, old outputs that must survive, odd targets."""
    text = {
        "data.csv": "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n",
        "dup.csv": "\ufeffx1,x1,y\r\n1,2,3\r\n",
        "nul.csv": "x1,x2,y\n1,\x002,3\n",
        "long.csv": "x1,x2,y\n" + "1" * 20_000 + ",1,1\n",
        "nan.csv": "x1,x2,y\n1,nan,3\n",
        "inf.csv": "x1,x2,y\n1,1e999,3\n",
        "under.csv": "x1,x2,y\n1,1_000,3\n",
        "unicode.csv": "x1,x2,y\n1,\uff11,3\n",
        "arabic.csv": "x1,x2,y\n1,\u0662,3\n",
        "empty.csv": "",
        "header.csv": "x1,x2,y\n",
        "cols.csv": "x1,y\n1,2\n",
        "cells.csv": "x1,x2,y\n1,2\n",
        "quoted.csv": 'x1,x2,y\n"1,5",2,3\n',
        "unclosed.csv": 'x1,x2,y\n"1,2,3\n',
        "blank-header.csv": "\n\n,,\n1,2,3\n",
        "old.json": "the old model: keep me\n",
        "old.png": "the old plot: keep me\n",
        "s.tex": "the old sheet: keep me\n",
        "m.json": json.dumps({"format": "symnet-model", "arch": "2-1"}),
        "good.json": GOOD_MODEL,
    }
    for name, content in text.items():
        (root / name).write_text(content, encoding="utf-8")
    (root / "binary.csv").write_bytes(b"x1,x2,y\n\xff\xfe\x80,1,1\n")
    for folder in ("adir", "adir.tex", "adir.json", "adir.png", "adir.csv", "s-key.tex"):
        (root / folder).mkdir()
    for name, to in (("devnull.tex", "/dev/null"), ("devnull.json", "/dev/null"),
                     ("devnull.png", "/dev/null"), ("dangling.tex", "nowhere/x.tex"),
                     ("dangling.json", "nowhere/x.json")):
        os.symlink(to, root / name)


def _snapshot(root):
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir",)
            else:
                with open(path, "rb") as f:
                    out[rel] = ("file", f.read(), os.stat(path).st_mode)
    return out


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


CLI = [
    # derive
    ("derive-empty-layer", ["derive", "2--1"]),
    ("derive-unicode-digits", ["derive", "２-２-１"]),
    ("derive-arabic-digits", ["derive", "\u0662-1"]),
    ("derive-underscore", ["derive", "1_0-1"]),
    ("derive-5000-digit-width", ["derive", "1-" + "9" * 5000 + "-1"]),
    ("derive-12-digit-width", ["derive", "1-999999999999-1"]),
    ("derive-over-scalar-cap", ["derive", "1-33334-1", "--wrt", "w1"]),
    ("derive-every-param-time", ["derive", "1-6000-1"]),
    ("derive-zero-width", ["derive", "2-0-1"]),
    ("derive-one-layer", ["derive", "3"]),
    ("derive-letters", ["derive", "a-b"]),
    ("derive-blank", ["derive", ""]),
    ("derive-negative", ["derive", "2--2-1"]),
    ("derive-deep-sigmoid-time", ["derive", "-".join(["1"] * 1800), "--activation", "sigmoid"]),
    ("derive-deep-expanded", ["derive", DEEP, "--wrt", "w1", "--expanded"]),
    ("derive-unknown-activation", ["derive", "2-2-1", "--activation", "nope"]),
    ("derive-activation-count", ["derive", "2-2-1", "--activation", "sigmoid,tanh"]),
    ("derive-hidden-softmax", ["derive", "2-2-1", "--activation", "softmax"]),
    ("derive-unknown-loss", ["derive", "2-2-1", "--loss", "nope"]),
    ("derive-softmax-one-output", ["derive", "2-1", "--output-activation", "softmax"]),
    ("derive-unknown-wrt", ["derive", "2-2-1", "--wrt", "w99"]),
    ("derive-empty-wrt", ["derive", "2-2-1", "--wrt", ","]),
    ("derive-dunder-wrt", ["derive", "2-2-1", "--wrt", "__class__"]),
    ("derive-bad-format", ["derive", "2-2-1", "--format", "pdf"]),
    ("derive-bogus-option", ["derive", "2-2-1", "--bogus"]),
    ("derive-long-arch", ["derive", "-".join(["1"] * 2500)]),
    # check
    ("check-sum-power", ["check", "5-1", "--wrt", "w1", "(w1+w2+w3+w4+w5)**1000"]),
    ("check-exp-tower", ["check", "5-1", "--wrt", "w1", "exp(exp(exp(1000*w5)))"]),
    ("check-exp-exp-exp", ["check", "2-2-1", "--wrt", "w5", "exp(exp(exp(exp(N1))))"]),
    ("check-huge-power", ["check", "2-2-1", "--wrt", "w5", "(10**900)**999.5"]),
    ("check-product-of-huge", ["check", "2-2-1", "--wrt", "w5", "1e1000*1e1000*1e1000*1e1000*1e1000"]),
    ("check-9-1000-squared", ["check", "2-2-1", "--wrt", "w5", "9**1000*9**1000"]),
    ("check-exponent-5000", ["check", "2-2-1", "--wrt", "w5", "1e5000"]),
    ("check-integer-tower", ["check", "2-2-1", "--wrt", "w5", "2**2**2**2**2"]),
    ("check-six-sum-power", ["check", "2-2-1", "--wrt", "w5", "(w1+w2+w3+w4+w5+w6)**40"]),
    ("check-0-log-0", ["check", "2-2-1", "--wrt", "w5", "0*log(0)"]),
    ("check-log-0", ["check", "2-2-1", "--wrt", "w5", "2*(yhat-y)*N1 + log(0)"]),
    ("check-divide-zero", ["check", "2-2-1", "--wrt", "w5", "1/0"]),
    ("check-latex-divide-zero", ["check", "2-2-1", "--wrt", "w5", r"\frac{1}{0}"]),
    ("check-symbol-tower", ["check", "2-2-1", "--wrt", "w5", "w1**w2**w3"]),
    ("check-import", ["check", "2-2-1", "--wrt", "w5", "__import__('os')"]),
    ("check-eval", ["check", "2-2-1", "--wrt", "w5", "eval(1)"]),
    ("check-lambda", ["check", "2-2-1", "--wrt", "w5", "lambda: 1"]),
    ("check-attribute", ["check", "2-2-1", "--wrt", "w5", "N1.__class__"]),
    ("check-too-long", ["check", "2-2-1", "--wrt", "w5", "w5" + "+w5" * 2000]),
    ("check-too-deep", ["check", "2-2-1", "--wrt", "w5", "(" * 150 + "w5" + ")" * 150]),
    ("check-deep-functions", ["check", "2-2-1", "--wrt", "w5", "sigma(" * 120 + "N1" + ")" * 120]),
    ("check-latex-input", ["check", "2-2-1", "--wrt", "w5", r"\input{/etc/passwd}"]),
    ("check-latex-def", ["check", "2-2-1", "--wrt", "w5", r"\def\x{1}\x"]),
    ("check-unicode-digit", ["check", "2-2-1", "--wrt", "w5", "\u0662*N1"]),
    ("check-fullwidth-digit", ["check", "2-2-1", "--wrt", "w5", "２*N1"]),
    ("check-underscore-number", ["check", "2-2-1", "--wrt", "w5", "1_000*N1"]),
    ("check-empty-answer", ["check", "2-2-1", "--wrt", "w5", ""]),
    ("check-unbalanced", ["check", "2-2-1", "--wrt", "w5", "sigma(N1"]),
    ("check-exp-2000", ["check", "2-2-1", "--wrt", "w5", "exp(2000)"]),
    ("check-assignment", ["check", "2-2-1", "--wrt", "w5", "w5 = 1"]),
    ("check-unknown-name", ["check", "2-2-1", "--wrt", "w5", "2*(yhat-y)*q"]),
    ("check-unknown-wrt", ["check", "2-2-1", "--wrt", "x9", "1"]),
    ("check-nul", ["check", "2-2-1", "--wrt", "w5", "N1\x00"]),
    ("check-at-nan", ["check", "2-2-1", "--wrt", "w5", "--at", AT.replace("x1=1", "x1=nan"), "1"]),
    ("check-at-inf", ["check", "2-2-1", "--wrt", "w5", "--at", AT.replace("x1=1", "x1=inf"), "1"]),
    ("check-at-1e400", ["check", "2-2-1", "--wrt", "w5", "--at", AT.replace("x1=1", "x1=1e400"), "1"]),
    ("check-at-unicode", ["check", "2-2-1", "--wrt", "w5", "--at", AT.replace("x1=1", "x1=１"), "1"]),
    ("check-at-underscore", ["check", "2-2-1", "--wrt", "w5", "--at", AT.replace("x1=1", "x1=1_0"), "1"]),
    ("check-at-no-equals", ["check", "2-2-1", "--wrt", "w5", "--at", "x1", "1"]),
    ("check-at-twice", ["check", "2-2-1", "--wrt", "w5", "--at", AT + ",x1=2", "1"]),
    ("check-at-not-leaf", ["check", "2-2-1", "--wrt", "w5", "--at", AT + ",N1=5", "1"]),
    ("check-at-missing", ["check", "2-2-1", "--wrt", "w5", "--at", "x1=1", "1"]),
    ("check-at-long", ["check", "2-2-1", "--wrt", "w5", "--at", "x1=" + "1" * 3000, "1"]),
    ("check-tolerance-negative", ["check", "2-2-1", "--wrt", "w5", "--at", AT, "--tolerance", "-1", "2"]),
    ("check-tolerance-2", ["check", "2-2-1", "--wrt", "w5", "--at", AT, "--tolerance", "2", "2"]),
    ("check-tolerance-nan", ["check", "2-2-1", "--wrt", "w5", "--at", AT, "--tolerance", "nan", "2"]),
    ("check-no-wrt", ["check", "2-2-1", "1"]),
    # chain
    ("chain-towers", ["chain", "a = 9**1000; b = a**1000; c = b**1000", "--wrt", "a"]),
    ("chain-5001-definitions", ["chain", "; ".join(f"a{i} = x" for i in range(5001)), "--wrt", "x"]),
    ("chain-exact-squares", ["chain", "; ".join(["a0 = 3"] + [f"a{i} = a{i - 1}**2" for i in range(1, 40)]),
                             "--wrt", "a0"]),
    ("chain-sum-power", ["chain", "a = (x+y+z+w)**200", "--wrt", "x"]),
    ("chain-twice", ["chain", "a = x; a = x", "--wrt", "x"]),
    ("chain-self", ["chain", "a = a + 1", "--wrt", "a"]),
    ("chain-used-before", ["chain", "b = a; a = x", "--wrt", "x"]),
    ("chain-not-definition", ["chain", "m x**2", "--wrt", "x"]),
    ("chain-empty", ["chain", "", "--wrt", "x"]),
    ("chain-unknown-wrt", ["chain", "m = x**2", "--wrt", "q"]),
    ("chain-unknown-of", ["chain", "m = x**2", "--wrt", "x", "--of", "q"]),
    ("chain-dunder", ["chain", "__class__ = x", "--wrt", "x"]),
    ("chain-divide-zero", ["chain", "a = x/0", "--wrt", "x"]),
    ("chain-bad-format", ["chain", "a = x", "--wrt", "x", "--format", "html"]),
    ("chain-keyword", ["chain", "lambda = x", "--wrt", "x"]),
    # worksheet
    ("sheet-unknown-suffix", ["worksheet", "2-1", "-o", "out.docx", "--seed", "1"]),
    ("sheet-no-suffix", ["worksheet", "2-1", "-o", "out", "--seed", "1"]),
    ("sheet-missing-folder", ["worksheet", "2-1", "-o", "no/such/x.tex", "--seed", "1"]),
    ("sheet-device", ["worksheet", "2-1", "-o", "/dev/null", "--seed", "1"]),
    ("sheet-onto-folder", ["worksheet", "2-1", "-o", "adir.tex", "--seed", "1"]),
    ("sheet-symlink-device", ["worksheet", "2-1", "-o", "devnull.tex", "--seed", "1"]),
    ("sheet-dangling-symlink", ["worksheet", "2-1", "-o", "dangling.tex", "--seed", "1"]),
    ("sheet-key-is-folder", ["worksheet", "2-1", "-o", "s.tex", "--seed", "1", "--exercises"]),
    ("sheet-digits-0", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--digits", "0"]),
    ("sheet-digits-99", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--digits", "99"]),
    ("sheet-digits-huge", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--digits", "9" * 30]),
    ("sheet-samples-11", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--samples", "11"]),
    ("sheet-samples-unicode", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--samples", "５"]),
    ("sheet-seed-negative", ["worksheet", "2-1", "-o", "x.md", "--seed", "-1"]),
    ("sheet-seed-underscore", ["worksheet", "2-1", "-o", "x.md", "--seed", "1_0"]),
    ("sheet-seed-huge", ["worksheet", "2-1", "-o", "x.md", "--seed", "9" * 5000]),
    ("sheet-lr-word", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--lr", "fast"]),
    ("sheet-lr-1e400", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--lr", "1e400"]),
    ("sheet-lr-negative", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--lr", "-1"]),
    ("sheet-at-word", ["worksheet", "2-1", "-o", "x.md", "--at", "x1=1,x2=zero,y=1", "--seed", "1"]),
    ("sheet-params-nan", ["worksheet", "2-1", "-o", "x.md", "--at", "x1=1,x2=0,y=1",
                          "--params", "w1=nan,w2=1,b1=0"]),
    ("sheet-unknown-wrt", ["worksheet", "2-1", "-o", "x.md", "--seed", "1", "--wrt", "w99"]),
    ("sheet-at-missing", ["worksheet", "2-1", "-o", "x.md", "--at", "x1=1"]),
    ("sheet-deep-time", ["worksheet", "-".join(["1"] * 1800), "--activation", "tanh", "-o", "x.md"]),
    # train
    ("train-dev-zero", ["train", "2-1", "--data", "/dev/zero"]),
    ("train-missing-file", ["train", "2-1", "--data", "missing.csv"]),
    ("train-folder", ["train", "2-1", "--data", "adir.csv"]),
    ("train-duplicate-columns", ["train", "1-1", "--data", "dup.csv"]),
    ("train-binary", ["train", "2-1", "--data", "binary.csv"]),
    ("train-nul", ["train", "2-1", "--data", "nul.csv"]),
    ("train-long-line", ["train", "2-1", "--data", "long.csv"]),
    ("train-nan-cell", ["train", "2-1", "--data", "nan.csv"]),
    ("train-inf-cell", ["train", "2-1", "--data", "inf.csv"]),
    ("train-underscore-cell", ["train", "2-1", "--data", "under.csv"]),
    ("train-fullwidth-cell", ["train", "2-1", "--data", "unicode.csv"]),
    ("train-arabic-cell", ["train", "2-1", "--data", "arabic.csv"]),
    ("train-empty", ["train", "2-1", "--data", "empty.csv"]),
    ("train-header-only", ["train", "2-1", "--data", "header.csv"]),
    ("train-column-count", ["train", "2-1", "--data", "cols.csv"]),
    ("train-cell-count", ["train", "2-1", "--data", "cells.csv"]),
    ("train-quoted-comma", ["train", "2-1", "--data", "quoted.csv"]),
    ("train-unclosed-quote", ["train", "2-1", "--data", "unclosed.csv"]),
    ("train-blank-header", ["train", "2-1", "--data", "blank-header.csv"]),
    ("train-unknown-column", ["train", "2-1", "--data", "data.csv", "--inputs", "x1,z", "--targets", "y"]),
    ("train-inputs-only", ["train", "2-1", "--data", "data.csv", "--inputs", "x1,x2"]),
    ("train-epochs-0", ["train", "2-1", "--data", "data.csv", "--epochs", "0"]),
    ("train-epochs-huge", ["train", "2-1", "--data", "data.csv", "--epochs", "10000000"]),
    ("train-epochs-underscore", ["train", "2-1", "--data", "data.csv", "--epochs", "1_000"]),
    ("train-epochs-5000-digits", ["train", "2-1", "--data", "data.csv", "--epochs", "9" * 5000]),
    ("train-lr-0", ["train", "2-1", "--data", "data.csv", "--lr", "0"]),
    ("train-lr-inf", ["train", "2-1", "--data", "data.csv", "--lr", "inf"]),
    ("train-lr-1e999", ["train", "2-1", "--data", "data.csv", "--lr", "1e999"]),
    ("train-batch-0", ["train", "2-1", "--data", "data.csv", "--batch-size", "0"]),
    ("train-seed-negative", ["train", "2-1", "--data", "data.csv", "--seed", "-5"]),
    ("train-save-device", ["train", "2-1", "--data", "data.csv", "--save", "/dev/null"]),
    ("train-save-symlink-device", ["train", "2-1", "--data", "data.csv", "--save", "devnull.json"]),
    ("train-save-dangling", ["train", "2-1", "--data", "data.csv", "--save", "dangling.json"]),
    ("train-save-folder", ["train", "2-1", "--data", "data.csv", "--save", "adir.json"]),
    ("train-save-missing-folder", ["train", "2-1", "--data", "data.csv", "--save", "no/m.json"]),
    ("train-plot-gif", ["train", "2-1", "--data", "data.csv", "--plot", "loss.gif"]),
    ("train-plot-folder", ["train", "2-1", "--data", "data.csv", "--plot", "adir.png"]),
    ("train-plot-device", ["train", "2-1", "--data", "data.csv", "--plot", "devnull.png"]),
    ("train-diverges-old-kept", ["train", "2-3-1", "--data", "data.csv", "--lr", "1e6",
                                 "--epochs", "50", "--save", "old.json", "--plot", "old.png"]),
    # flow
    ("flow-seeds-100000", ["flow", "2-2-1", "--seeds", "100000"]),
    ("flow-samples-1e8", ["flow", "2-2-1", "--samples", "100000000"]),
    ("flow-seeds-0", ["flow", "2-2-1", "--seeds", "0"]),
    ("flow-samples-negative", ["flow", "2-2-1", "--samples", "-1"]),
    ("flow-seeds-fullwidth", ["flow", "2-2-1", "--seeds", "２"]),
    ("flow-unknown-activation", ["flow", "2-2-1", "--activation", "nope"]),
    ("flow-no-activation", ["flow", "2-2-1", "--activation", ","]),
    ("flow-unknown-wrt", ["flow", "2-2-1", "--wrt", "w99"]),
    ("flow-plot-gif", ["flow", "2-2-1", "--plot", "f.gif"]),
    ("flow-plot-device", ["flow", "2-2-1", "--plot", "devnull.png"]),
    ("flow-bad-arch", ["flow", "2--1"]),
    ("flow-deep-time", ["flow", "-".join(["1"] * 1800)]),
    # activations
    ("atlas-plot-gif", ["activations", "--plot", "a.gif"]),
    ("atlas-plot-missing-folder", ["activations", "--plot", "no/a.png"]),
    ("atlas-plot-folder", ["activations", "--plot", "adir.png"]),
    ("atlas-bad-format", ["activations", "--format", "html"]),
    # draw
    ("draw-1-1000-1", ["draw", "1-1000-1", "-o", "n.svg"]),
    ("draw-30-30-1", ["draw", "30-30-1", "-o", "n.svg"]),
    ("draw-gif", ["draw", "2-2-1", "-o", "n.gif"]),
    ("draw-seed-negative", ["draw", "2-2-1", "-o", "n.svg", "--seed", "-1"]),
    ("draw-seed-2-64", ["draw", "2-2-1", "-o", "n.svg", "--seed", str(2**64)]),
    ("draw-params-nan", ["draw", "2-2-1", "-o", "n.svg", "--params", "w1=nan"]),
    ("draw-params-1e400", ["draw", "2-2-1", "-o", "n.svg", "--params", "w1=1e400"]),
    ("draw-params-unknown", ["draw", "2-2-1", "-o", "n.svg", "--params", "w99=1"]),
    ("draw-params-word", ["draw", "2-2-1", "-o", "n.svg", "--params", "w1=x"]),
    ("draw-onto-folder", ["draw", "2-2-1", "-o", "adir.png"]),
    ("draw-symlink-device", ["draw", "2-2-1", "-o", "devnull.png"]),
    ("draw-missing-folder", ["draw", "2-2-1", "-o", "no/n.svg"]),
    # predict
    ("predict-incomplete-model", ["predict", "m.json", "--data", "data.csv"]),
    ("predict-missing-model", ["predict", "missing.json", "--data", "data.csv"]),
    ("predict-model-is-csv", ["predict", "data.csv", "--data", "data.csv"]),
    ("predict-dev-zero-model", ["predict", "/dev/zero", "--data", "data.csv"]),
    ("predict-dev-zero-data", ["predict", "good.json", "--data", "/dev/zero"]),
    ("predict-duplicate-columns", ["predict", "good.json", "--data", "dup.csv"]),
    ("predict-onto-device", ["predict", "good.json", "--data", "data.csv", "-o", "devnull.json"]),
    ("predict-onto-folder", ["predict", "good.json", "--data", "data.csv", "-o", "adir.csv"]),
    # quiz
    ("quiz-variants-0", ["quiz", "2-2-1", "--variants", "0", "-o", "q.xml"]),
    ("quiz-variants-5000-digits", ["quiz", "2-2-1", "--variants", "9" * 5000, "-o", "q.xml"]),
    ("quiz-variants-fullwidth", ["quiz", "2-2-1", "--variants", "３", "-o", "q.xml"]),
    ("quiz-unknown-suffix", ["quiz", "2-2-1", "-o", "q.docx"]),
    ("quiz-onto-device", ["quiz", "2-2-1", "-o", "devnull.tex"]),
    ("quiz-key-is-folder", ["quiz", "2-2-1", "--variants", "1", "-o", "s.tex"]),
    ("quiz-seed-negative", ["quiz", "2-2-1", "--seed", "-1", "-o", "q.xml"]),
    ("quiz-roster-dev-zero", ["quiz", "2-2-1", "--students", "/dev/zero", "-o", "q.xml"]),
    ("quiz-roster-missing", ["quiz", "2-2-1", "--students", "missing.csv", "-o", "q.xml"]),
    ("quiz-roster-binary", ["quiz", "2-2-1", "--students", "binary.csv", "-o", "q.xml"]),
    # grade
    ("grade-answers-dev-zero", ["grade", "2-2-1", "--answers", "/dev/zero", "-o", "r.csv"]),
    ("grade-answers-missing", ["grade", "2-2-1", "--answers", "missing.csv", "-o", "r.csv"]),
    ("grade-answers-no-columns", ["grade", "2-2-1", "--answers", "data.csv", "-o", "r.csv"]),
    ("grade-answers-binary", ["grade", "2-2-1", "--answers", "binary.csv", "-o", "r.csv"]),
    ("grade-onto-device", ["grade", "2-2-1", "--answers", "data.csv", "-o", "devnull.json"]),
    ("grade-seed-underscore", ["grade", "2-2-1", "--answers", "data.csv", "-o", "r.csv", "--seed", "1_0"]),
    # page (each refused before KaTeX or any wheel is made)
    ("page-onto-file", ["page", "2-2-1", "--wrt", "w1", "-o", "data.csv"]),
    ("page-onto-device", ["page", "2-2-1", "--wrt", "w1", "-o", "devnull.tex"]),
    ("page-onto-others-folder", ["page", "2-2-1", "--wrt", "w1", "-o", "."]),
    ("page-wrt-unknown", ["page", "2-2-1", "--wrt", "w99", "-o", "site"]),
    ("page-variants-0", ["page", "2-2-1", "--wrt", "w1", "-o", "site", "--variants", "0"]),
    ("page-variants-5000-digits", ["page", "2-2-1", "--wrt", "w1", "-o", "site", "--variants", "9" * 5000]),
    ("page-katex-missing", ["page", "2-2-1", "--wrt", "w1", "-o", "site", "--katex", "missing"]),
    ("page-circuit-and-network", ["page", "2-2-1", "--circuit", "q = x*y", "--wrt", "x", "-o", "site"]),
    # check --steps
    ("check-steps-dev-zero", ["check", "2-2-1", "--wrt", "w5", "--steps", "/dev/zero"]),
    ("check-steps-missing", ["check", "2-2-1", "--wrt", "w5", "--steps", "missing.txt"]),
    ("check-steps-binary", ["check", "2-2-1", "--wrt", "w5", "--steps", "binary.csv"]),
    ("check-l2-nan", ["check", "2-2-1", "--wrt", "w5", "--l2", "nan", "1"]),
    # the program itself
    ("no-command", []),
    ("unknown-command", ["frobnicate"]),
]


# The cases that used to take minutes or forever are refused by what their work would count,
# estimated before it starts (symnet.bounds): the count is in the message.
ESTIMATED = {
    "derive-over-scalar-cap": r"100,003 parameters: .* would take about 30 s",
    "derive-every-param-time": r"printing 18,001 derivations would take about 2 minutes",
    "derive-deep-sigmoid-time": r"would take about 2 minutes \(1,800 layers\)",
    "sheet-deep-time": r"would take about 2 minutes \(1,800 layers\)",
    "flow-deep-time": r"would take about 2 minutes \(1,800 layers\)",
    "net-deep-time": r"would take about 2 minutes \(1,800 layers\)",
    "derive-deep-expanded": r"would nest 1,200 levels deep \(limit 200\)",
    "net-expanded-deep": r"would nest 1,200 levels deep \(limit 200\)",
    "check-sum-power": r"multiplied out has about 4\.2e\+10 terms",
    "parse-sum-power": r"multiplied out has about 4\.2e\+10 terms",
    "check-six-sum-power": r"multiplied out has about 1\.2e\+06 terms",
    "chain-sum-power": r"multiplied out has about 1\.4e\+06 terms",
    "check-exp-tower": r"can reach a number of more than 10³⁰⁰ digits",
    "check-exp-exp-exp": r"can reach a number of more than 10³⁰⁰ digits",
    "parse-exp-tower": r"can reach a number of more than 10³⁰⁰ digits",
    "check-huge-power": r"is a number of about 899,550 digits",
    "parse-huge-number": r"is a number of about 899,550 digits",
    "check-product-of-huge": r"is a number of about 5,000 digits",
    "check-9-1000-squared": r"is a number of about 1,908 digits",
    "chain-towers": r"b = a\*\*1000 is a number of about 954,243 digits",
    "parse-definitions-towers": r"b = a\*\*1000 is a number of about 954,243 digits",
    "chain-exact-squares": r"a12 = a11\*\*2 is a number of about 1,954 digits",
    "chain-5001-definitions": r"5,001 definitions given",
}


def _names_its_estimate(case, message):
    return case not in ESTIMATED or re.search(ESTIMATED[case], message)


@pytest.mark.parametrize("case, argv", CLI, ids=[c[0] for c in CLI])
def test_hostile_command_line(case, argv, sandbox, capsys):
    before = _snapshot(sandbox)
    with bounded_work():
        status = main(argv)
    out, err = capsys.readouterr()
    assert status == 2, err
    assert out == ""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "sys.set_int_max_str_digits" not in err
    assert _names_its_estimate(case, err), err
    assert _snapshot(sandbox) == before  # no file written, none changed, none left behind


def _model(root, **changes):
    doc = {"format": "symnet-model", "version": 1, "arch": "2-1",
           "activation": [], "output_activation": {"name": "linear"}, "loss": "mse",
           "params": {"w1": 0.5, "w2": -0.25, "b1": 0.0}, "history": [1.0]}
    doc.update(changes)
    return _raw(root, json.dumps(doc))


def _raw(root, text):
    # outside the sandbox, which must not change
    path = os.path.join(tempfile.mkdtemp(prefix="symnet-hostile-"), "model.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


NET = "2-2-1"
AT_DICT = dict(x1=1, x2=0, y=1, w1=1, w2=1, w3=1, w4=1, w5=1, w6=1, b1=0, b2=0, b3=0)
GOOD_MODEL = ('{"format": "symnet-model", "version": 1, "arch": "2-1", "activation": [], '
              '"output_activation": {"name": "linear"}, "loss": "mse", '
              '"params": {"w1": 0.5, "w2": -0.25, "b1": 0.0}, "history": [1.0]}')

API = [
    # networks
    ("net-fullwidth", lambda p: sn.Network("２-２-１")),
    ("net-huge-width", lambda p: sn.Network([10**5000, 1])),
    ("net-huge-text", lambda p: sn.Network("1-" + "9" * 5000 + "-1")),
    ("net-none", lambda p: sn.Network(None)),
    ("net-int", lambda p: sn.Network(5)),
    ("net-bool-size", lambda p: sn.Network([2, True])),
    ("net-float-size", lambda p: sn.Network([2.0, 1])),
    ("net-bad-activation-type", lambda p: sn.Network(NET, activation=5)),
    ("net-bad-loss-type", lambda p: sn.Network(NET, loss=None)),
    ("net-slope-huge", lambda p: sn.Network(NET, activation=sn.Activation.get("leaky_relu", slope=10**5000))),
    ("net-slope-nan", lambda p: sn.Activation.get("leaky_relu", slope=math.nan)),
    ("net-slope-text-1e400", lambda p: sn.Activation.get("leaky_relu", slope="1e400")),
    ("net-slope-divide-zero", lambda p: sn.Activation.get("leaky_relu", slope="1/0")),
    ("net-deep-time", lambda p: sn.Network("-".join(["1"] * 1800), activation="sigmoid").derive("w1")),
    ("net-forward-nan", lambda p: sn.Network(NET).forward({"x1": math.nan})),
    ("net-forward-huge", lambda p: sn.Network(NET).forward({**AT_DICT, "x1": 10**5000})),
    ("net-derive-none", lambda p: sn.Network(NET).derive(None)),
    ("net-expanded-deep", lambda p: sn.Network(DEEP).derive("w1").expanded),
    # check
    ("check-at-nan", lambda p: sn.check(sn.Network(NET), "w5", "1", at={**AT_DICT, "x1": math.nan})),
    ("check-at-inf", lambda p: sn.check(sn.Network(NET), "w5", "1", at={**AT_DICT, "x1": math.inf})),
    ("check-at-huge", lambda p: sn.check(sn.Network(NET), "w5", "1", at={**AT_DICT, "x1": 10**5000})),
    ("check-at-text", lambda p: sn.check(sn.Network(NET), "w5", "1", at={**AT_DICT, "x1": "1"})),
    ("check-at-bool", lambda p: sn.check(sn.Network(NET), "w5", "1", at={**AT_DICT, "x1": True})),
    ("check-answer-inf", lambda p: sn.check(sn.Network(NET), "w5", 1e400)),
    ("check-answer-nan", lambda p: sn.check(sn.Network(NET), "w5", math.nan)),
    ("check-answer-huge", lambda p: sn.check(sn.Network(NET), "w5", 10**5000)),
    ("check-answer-none", lambda p: sn.check(sn.Network(NET), "w5", None)),
    ("check-answer-list", lambda p: sn.check(sn.Network(NET), "w5", ["N1"])),
    ("check-answer-bytes", lambda p: sn.check(sn.Network(NET), "w5", b"N1")),
    ("check-tolerance-nan", lambda p: sn.check(sn.Network(NET), "w5", "1", at=AT_DICT, tolerance=math.nan)),
    ("check-sum-power", lambda p: sn.check(sn.Network("5-1"), "w1", "(w1+w2+w3+w4+w5)**1000")),
    ("check-0-log-0", lambda p: sn.check(sn.Network(NET), "w5", "2*(yhat - y)*N1 + 0*log(0)")),
    ("check-wrt-int", lambda p: sn.check(sn.Network(NET), 5, "1")),
    # parser
    ("parse-bytes", lambda p: parse_expression(b"x")),
    ("parse-long", lambda p: parse_expression("x" * 3000)),
    ("parse-sum-power", lambda p: parse_expression("(a+b+c+d+e)**1000")),
    ("parse-exp-tower", lambda p: parse_expression("exp(exp(exp(exp(x))))")),
    ("parse-huge-number", lambda p: parse_expression("(10**900)**999.5")),
    ("parse-nan", lambda p: parse_expression("0*log(0)")),
    ("parse-fullwidth", lambda p: parse_expression("２x")),
    ("parse-definitions-towers", lambda p: parse_definitions("a = 9**1000; b = a**1000")),
    ("parse-definitions-list-of-int", lambda p: parse_definitions([5])),
    # chain
    ("chain-towers", lambda p: sn.chain("a = 9**1000; b = a**1000; c = b**1000", wrt="a")),
    ("chain-int", lambda p: sn.chain(5, wrt="x")),
    ("chain-wrt-int", lambda p: sn.chain("a = x", wrt=5)),
    # training
    ("fit-lr-nan", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], lr=math.nan)),
    ("fit-lr-huge", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], lr=10**5000)),
    ("fit-epochs-huge", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], epochs=10**5000)),
    ("fit-epochs-10-million", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], epochs=10**7)),
    ("fit-epochs-float", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], epochs=2.5)),
    ("fit-seed-huge", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], seed=10**5000)),
    ("fit-seed-bool", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], seed=True)),
    ("fit-x-nan", lambda p: sn.Network("2-1").fit([[math.nan, 2]], [[1]])),
    ("fit-x-text", lambda p: sn.Network("2-1").fit("abc", [[1]])),
    ("fit-batch-0", lambda p: sn.Network("2-1").fit([[1, 2]], [[1]], batch_size=0)),
    ("init-seed-negative", lambda p: sn.Network("2-1").init_params(seed=-1)),
    ("init-seed-float", lambda p: sn.Network("2-1").init_params(seed=1.5)),
    ("model-param-huge", lambda p: sn.Network("2-1").compile().loss({"w1": 10**5000, "w2": 0, "b1": 0}, [[1, 2]], [[1]])),
    ("model-param-text", lambda p: sn.Network("2-1").compile().loss({"w1": "abc", "w2": 0, "b1": 0}, [[1, 2]], [[1]])),
    ("model-param-nan", lambda p: sn.Network("2-1").compile().predict({"w1": math.nan, "w2": 0, "b1": 0}, [[1, 2]])),
    # model files
    ("load-params-text", lambda p: sn.load(_model(p, params={"w1": "abc", "w2": 0, "b1": 0}))),
    ("load-params-nan-text", lambda p: sn.load(_model(p, params={"w1": "nan", "w2": 0, "b1": 0}))),
    ("load-params-true", lambda p: sn.load(_model(p, params={"w1": True, "w2": 0, "b1": 0}))),
    ("load-params-list", lambda p: sn.load(_model(p, params=[1, 2, 3]))),
    ("load-params-missing", lambda p: sn.load(_model(p, params={"w1": 1}))),
    ("load-nan-literal", lambda p: sn.load(_raw(p, GOOD_MODEL.replace("0.5", "NaN")))),
    ("load-infinity-literal", lambda p: sn.load(_raw(p, GOOD_MODEL.replace("0.5", "Infinity")))),
    ("load-1e999", lambda p: sn.load(_raw(p, GOOD_MODEL.replace("0.5", "1e999")))),
    ("load-huge-integer", lambda p: sn.load(_raw(p, GOOD_MODEL.replace("0.5", "1" + "0" * 5000)))),
    ("load-deep", lambda p: sn.load(_raw(p, "[" * 100_000 + "]" * 100_000))),
    ("load-truncated", lambda p: sn.load(_raw(p, GOOD_MODEL[:50]))),
    ("load-not-json", lambda p: sn.load(_raw(p, "hello"))),
    ("load-list", lambda p: sn.load(_raw(p, "[1, 2]"))),
    ("load-arch-fullwidth", lambda p: sn.load(_model(p, arch="２-1"))),
    ("load-activation-text", lambda p: sn.load(_model(p, activation="sigmoid"))),
    ("load-output-list", lambda p: sn.load(_model(p, output_activation=[1]))),
    ("load-slope-1e400", lambda p: sn.load(_model(p, arch="2-2-1", activation=[{"name": "leaky_relu", "slope": "1e400"}]))),
    ("load-missing-file", lambda p: sn.load(str(p / "missing.json"))),
    ("load-folder", lambda p: sn.load(str(p / "adir"))),
    ("load-binary", lambda p: sn.load(str(p / "binary.csv"))),
    # worksheets, drawings, data
    ("sheet-digits-huge", lambda p: sn.worksheet(sn.Network(NET), digits=10**5000)),
    ("sheet-samples-huge", lambda p: sn.worksheet(sn.Network(NET), samples=10**5000, seed=1)),
    ("sheet-seed-huge", lambda p: sn.worksheet(sn.Network(NET), seed=10**5000)),
    ("sheet-at-nan", lambda p: sn.worksheet(sn.Network("2-1"), at={"x1": math.nan, "x2": 0, "y": 1}, seed=1)),
    ("sheet-at-huge", lambda p: sn.worksheet(sn.Network("2-1"), at={"x1": 10**5000, "x2": 0, "y": 1}, seed=1)),
    ("sheet-lr-1e400", lambda p: sn.worksheet(sn.Network("2-1"), seed=1, lr="1e400")),
    ("sheet-lr-nan", lambda p: sn.worksheet(sn.Network("2-1"), seed=1, lr=math.nan)),
    ("sheet-save-device", lambda p: sn.worksheet(sn.Network("2-1"), seed=1).save(str(p / "devnull.tex"))),
    ("draw-big", lambda p: sn.draw(sn.Network("1-1000-1"))),
    ("draw-param-nan", lambda p: sn.draw(sn.Network(NET), params={"w1": math.nan})),
    ("draw-param-huge", lambda p: sn.draw(sn.Network(NET), params={"w1": 10**5000})),
    ("csv-duplicates", lambda p: read_csv(str(p / "dup.csv"), 1, 1)),
    ("csv-dev-zero", lambda p: read_csv("/dev/zero", 1, 1)),
    ("result-save-device", lambda p: sn.TrainResult(sn.Network("2-1"), {"w1": 0.0, "w2": 0.0, "b1": 0.0}).save("/dev/null")),
]


@pytest.mark.parametrize("case, call", API, ids=[c[0] for c in API])
def test_hostile_python_api(case, call, sandbox):
    before = _snapshot(sandbox)
    with bounded_work(), pytest.raises(sn.SymnetError) as caught:
        call(sandbox)
    message = str(caught.value)
    assert message and "\n" not in message and "set_int_max_str_digits" not in message
    assert _names_its_estimate(case, message), message
    assert _snapshot(sandbox) == before


def test_every_subcommand_has_hostile_cases():
    assert {argv[0] for _, argv in CLI if argv} >= set(COMMANDS)
    assert set(ESTIMATED) <= {case for case, _ in CLI + API}  # no estimate checked in vain

