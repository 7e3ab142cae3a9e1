"""Nothing crashes, hangs or is lost: TeX escaping, all-or-nothing files, the exit paths, CSV as
people write it, numbers beyond a float's range, large accepted inputs, and a fuzzed parser."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbound import bounded_work

import symnet as sn
import symnet.commands.derive as derive_command
import symnet.document as document
import symnet.files as files
import symnet.pdf as pdf
from symnet.cli import main
from symnet.data import read_csv
from symnet.errors import ParseError, SymnetError
from symnet.parse import parse_assignments, parse_expression
from symnet.values import show_number

# ------------------------------------------------------------------------------------ TeX


@pytest.mark.parametrize("text, tex", [
    (r"\input /etc/passwd", r"\textbackslash{}input /etc/passwd"),
    ("a^b", r"a\textasciicircum{}b"),
    ("~user", r"\textasciitilde{}user"),
    ("100% & $5 #1 x_1 {y}", r"100\% \& \$5 \#1 x\_1 \{y\}"),
    ("a<b>c|d", r"a\textless{}b\textgreater{}c\textbar{}d"),
    ("two\n\nparagraphs", "two  paragraphs"),
    (r"^^5c^^5cinput", r"\textasciicircum{}\textasciicircum{}5c\textasciicircum{}\textasciicircum{}5cinput"),
])
def test_every_tex_special_is_escaped(text, tex):
    assert document.tex_escape(text) == tex


def test_a_worksheet_title_prints_literally():
    tex = sn.worksheet(sn.Network("2-1"), seed=1, title=r"\input /etc/passwd").render(".tex")
    assert r"Worksheet: \textbackslash{}input /etc/passwd\par" in tex
    assert r"\input /etc/passwd" not in tex


def test_tex_runs_without_shell_escape_and_with_paranoid_file_access(monkeypatch, tmp_path):
    seen = []

    def fake_run(cmd, cwd, env, **kw):
        seen.append((cmd, env))
        open(os.path.join(cwd, "worksheet.pdf"), "wb").write(b"%PDF")
        return subprocess.CompletedProcess(cmd, 0)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(pdf.subprocess, "run", fake_run)
    pdf.compile_latex(r"\documentclass{article}\begin{document}x\end{document}")
    cmd, env = seen[0]
    assert env["openin_any"] == env["openout_any"] == "p" and env["shell_escape"] == "f"
    assert "-no-shell-escape" in cmd and "shell-escape" not in " ".join(cmd).replace("-no-shell-escape", "")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_tex_cannot_read_files_outside_its_folder(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("the secret")
    doc = r"\documentclass{article}\begin{document}\input{%s}\end{document}" % secret
    with pytest.raises(SymnetError, match="could not compile"):
        pdf.compile_latex(doc)


# ---------------------------------------------------------------------------------- files


def test_a_symlink_is_followed_to_its_regular_file(tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    files.write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.parametrize("make, message", [
    (lambda p: os.symlink("/dev/null", p), "is not a regular file (a device)"),
    (lambda p: os.mkdir(p), "is not a regular file (a folder)"),
    (lambda p: os.symlink("nowhere/x", p), "is a symbolic link to nothing"),
    (lambda p: os.mkfifo(p), "is not a regular file (a pipe)"),
])
def test_outputs_that_are_not_regular_files_are_refused(tmp_path, make, message):
    path = tmp_path / "out.json"
    make(path)
    with pytest.raises(SymnetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        files.write_atomic(path, "x")


def test_sigterm_while_writing_leaves_no_temporary_file_and_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    path.write_text("old")
    before = signal.getsignal(signal.SIGTERM)
    real = files.os.replace

    def terminated(src, dst):
        os.kill(os.getpid(), signal.SIGTERM)  # the handler raises at once
        real(src, dst)
    monkeypatch.setattr(files.os, "replace", terminated)
    with pytest.raises(files.Terminated):
        files.write_all([(path, "new"), (tmp_path / "p.txt", "plot")])
    assert sorted(os.listdir(tmp_path)) == ["m.json"] and path.read_text() == "old"
    assert signal.getsignal(signal.SIGTERM) == before


def test_train_writes_the_model_and_the_plot_together(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    data = tmp_path / "d.csv"
    data.write_text("x1,y\n0,1\n1,3\n")
    assert main(["train", "1-1", "--data", str(data), "--epochs", "5", "--lr", "0.1",
                 "--save", str(tmp_path / "m.json"), "--plot", str(tmp_path / "l.png")]) == 0
    assert sn.load(tmp_path / "m.json")[0].arch == "1-1"
    assert (tmp_path / "l.png").read_bytes().startswith(b"\x89PNG")
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".symnet-")]


# ------------------------------------------------------------------------------ exit paths


def test_an_unexpected_exception_is_one_line_and_status_70(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("a bug")
    monkeypatch.setattr(derive_command, "run", broken)
    assert main(["derive", "2-1"]) == 70
    assert capsys.readouterr().err == ("internal error: RuntimeError: a bug; run with --debug "
                                       "for the traceback\n")
    with pytest.raises(RuntimeError):
        main(["derive", "2-1", "--debug"])


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_bad_input_is_status_2_even_when_stderr_cannot_be_written():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "symnet", "derive", "2--1"], stderr=full,
                              stdout=subprocess.DEVNULL)
    assert done.returncode == 2


def test_ctrl_c_during_training_says_where_and_that_nothing_was_saved(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("x1,x2,y\n" + "".join(f"{i % 7},{i % 3},{i % 5}\n" for i in range(500)))
    model = tmp_path / "m.json"
    argv = ["train", "2-16-16-1", "--activation", "tanh", "--lr", "0.001", "--data", str(data),
            "--epochs", "1000000", "--save", str(model)]
    # the child presses Ctrl-C itself (a real SIGINT) once its first epoch is done: the same
    # moment of training however busy the machine is, and no race with a signal from outside
    script = textwrap.dedent(f"""
        import signal, sys
        from symnet.cli import main
        from symnet.network import Network
        fit = Network.fit
        def interrupted(net, *args, callback, **options):
            def note(*state):
                callback(*state)
                signal.raise_signal(signal.SIGINT)
            return fit(net, *args, callback=note, **options)
        Network.fit = interrupted
        sys.exit(main({argv!r}))""")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600)  # a hang, not a speed: it ends in seconds
    assert done.returncode == 130
    assert done.stderr == ("interrupted: training stopped during epoch 2 of 1,000,000; nothing "
                           "was saved\n")
    assert not model.exists()


# ------------------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("content", [
    "\ufeffx1,x2,y\n1,2,3\n4,5,6\n",            # a byte-order mark (Excel's "CSV UTF-8")
    "x1,x2,y\r\n1,2,3\r\n4,5,6\r\n",            # Windows line ends
    '"x1","x2","y"\n"1","2","3"\n4,"5",6\n',    # quoted fields
    "x1, x2, y\n 1, 2, 3\n4,5,6\n\n",           # spaces and a blank last line
])
def test_csv_as_people_write_it(tmp_path, content):
    path = tmp_path / "d.csv"
    path.write_bytes(content.encode("utf-8"))
    X, Y = read_csv(str(path), 2, 1)
    assert X.tolist() == [[1, 2], [4, 5]] and Y.tolist() == [[3], [6]]


def test_duplicate_column_names_are_refused_with_the_line(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("\n\nx1,x1,y\n1,2,3\n")
    with pytest.raises(SymnetError, match="line 3: the column name 'x1' appears twice"):
        read_csv(str(path), 2, 1, "x1,y", "y")


@pytest.mark.parametrize("text", ["１", "٢", "1_000", "0x10", "1e-400x", "½", "Infinity"])
def test_one_number_syntax_everywhere(text, tmp_path):
    """Unicode digits and 1_000 are refused by every reader, with the same words."""
    path = tmp_path / "d.csv"
    path.write_text(f"x1,y\n{text},1\n")
    readers = [lambda: read_csv(str(path), 1, 1),
               lambda: sn.Activation.get("leaky_relu", slope=text),
               lambda: parse_assignments(f"x1={text}")]
    for read in readers:
        with pytest.raises(SymnetError, match="written with the digits 0-9"):
            read()
    assert main(["derive", f"{text}-1"]) == 2


# ------------------------------------------------------------- numbers beyond a float's range


def test_a_tiny_answer_is_shown_exactly_not_as_zero():
    net = sn.Network("2-2-1")
    at = dict(x1=1, x2=0, y=1, w1=1, w2=1, w3=1, w4=1, w5=1, w6=1, b1=0, b2=0, b3=0)
    numeric = sn.check(net, "w5", "1e-400*2*(yhat - y)*N1", at=at)
    assert numeric.message.startswith("incorrect: your answer is 2.00000e-400, but ∂L/∂w5 = 2 ")
    symbolic = sn.check(net, "w5", "1e-400*2*(yhat - y)*N1")
    assert "diagnosis: your answer is 1.00000E-400 times ∂L/∂w5" in symbolic.message


@pytest.mark.parametrize("value, shown", [
    (sp.Rational(3, 10**500), "3.00000e-500"), (sp.Integer(10)**400, "1.00000e+400"),
    (sp.Rational(1, 4), "0.25"), (-2.5, "-2.5"), (0, "0"),
])
def test_show_number(value, shown):
    assert show_number(value) == shown


# -------------------------------------------------------------------- large accepted inputs


def test_a_1000_layer_network_derives(capsys):
    assert main(["derive", "-".join(["1"] * 1000), "--wrt", "w1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("∂L/∂w1 = 2*(yhat - y) · w999 · ")


def test_1000_chained_definitions_derive(capsys):
    definitions = "; ".join(["a0 = x"] + [f"a{i} = sin(a{i - 1})" for i in range(1, 1000)])
    assert main(["chain", definitions, "--wrt", "x"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("∂a999/∂x = cos(a998) · cos(a997)")


def test_a_wide_layer_derives_by_its_own_terms():
    """1-6666-1 is at the parameter cap; ∂L/∂w1 took five minutes before the terms were indexed."""
    d = sn.Network("1-6666-1").derive("w1")
    x1, y, yhat, w6667 = sp.symbols("x1 y yhat w6667")
    assert sp.expand(d.result - 2 * (yhat - y) * w6667 * x1) == 0


# ----------------------------------------------------------------------------- the parser

ALPHABET = st.sampled_from(list("0123456789.eE+-*/^()x yw1N_,σŷ·−²") + [
    "**", "exp", "log", "sigma", "sqrt", "tanh", "relu", "abs", "yhat", "9**", "1e300", "\\frac",
    "{", "}", "\\hat{y}", "sin", "(x+y+z)**"])


def _parsed(text):
    try:
        with bounded_work():
            return parse_expression(text)
    except ParseError:
        return None
    except SymnetError as exc:  # TooLargeError and the like: still one clear message
        assert "\n" not in str(exc)
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_fuzz_the_parser_over_its_alphabet(text):
    result = _parsed(text)
    assert result is None or isinstance(result, sp.Basic)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fuzz_the_parser_over_unicode(text):
    result = _parsed(text)
    assert result is None or isinstance(result, sp.Basic)


@pytest.mark.parametrize("code", [
    # symnet.network imports compile and train when asked to; `import symnet.train` binds them
    "import symnet.network, symnet.train; assert callable(symnet.train.fit)",
    "import symnet as sn; sn.Network('2-1'); import symnet.compile; symnet.compile.Model",
    "import symnet.checking.verdict, symnet.checking.engine; symnet.checking.engine.diagnose",
    "import symnet.errors, difflib; difflib.get_close_matches",
    "from unittest import mock; import symnet.network\n"
    "with mock.patch('symnet.train.init_params', lambda net, seed: 'patched'):\n"
    "    assert symnet.network.Network('2-1').init_params() == 'patched'",
])
def test_a_module_imported_when_asked_for_is_its_packages_attribute(code):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
