"""``symnet page``: the checker page's folder, and what symnet answers the page, in CPython (the
page in a real browser: tests/test_page_browser.py)."""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest
from test_imports import NO_NUMPY

from symnet import cli
from symnet.cli import main
from symnet.errors import SymnetError
from symnet.web import site
from symnet.web.browser import Session
from symnet.web.katex import katex_files


@pytest.fixture(autouse=True)
def no_node(monkeypatch):
    """Pages from source by default here: the snapshot of ``--bytecode`` takes Node.js and
    seconds (it is tested in the browser: tests/test_page_browser.py)."""
    monkeypatch.setattr("symnet.web.bytecode.unavailable", lambda: "Node.js hidden by the tests")


@pytest.fixture
def katex(tmp_path):
    """A stand-in for KaTeX's dist folder (the real one: the browser test)."""
    dist = tmp_path / "katex-dist"
    (dist / "fonts").mkdir(parents=True)
    (dist / "katex.min.js").write_text("window.katex = {};")
    (dist / "katex.min.css").write_text("/* css */")
    (dist / "fonts" / "KaTeX_Main-Regular.woff2").write_bytes(b"font")
    (dist / "fonts" / "KaTeX_Main-Regular.ttf").write_bytes(b"not needed")
    return dist


def reply(session, kind, text, at=None):
    return json.loads(session.reply(kind, text, at))


def test_a_right_answer_a_slip_and_garbage():
    session = Session('{"arch": "2-2-1", "activation": "sigmoid"}', "w1")
    assert reply(session, "verdict", r"2(\hat{y} - y) w_5 \sigma(N_1)(1 - \sigma(N_1)) x_1") == {
        "correct": True, "credit": 1.0, "diagnosis": [], "counterexample": None}
    slip = reply(session, "verdict", "2*(yhat - y)*w5*sigmoid(N1)*x1")
    assert (slip["correct"], slip["credit"]) == (False, 0.8)
    assert slip["diagnosis"] == ["you used sigmoid(N1) where its derivative ∂h1/∂N1 = "
                                 "sigmoid(N1)*(1 - sigmoid(N1)) belongs"]
    assert "expected" not in slip and "answer" not in slip  # the page never shows the key
    assert reply(session, "verdict", "2*(yhat - y))") == {"error": "unexpected ')' at position 13"}
    assert reply(session, "verdict", "2*q7") == {"error": reply(session, "preview", "2*q7")["error"]}
    assert "q7" in reply(session, "preview", "2*q7")["error"]


def test_the_preview_is_symnet_reading_of_the_answer():
    session = Session('{"arch": "2-2-1"}', "w5")
    assert reply(session, "preview", "2(ŷ − y)·N₁") == {
        "latex": r"2 N_{1} \left(\hat{y} - y\right)"}
    assert reply(session, "preview", "x" * 20_001) == {
        "error": "your text has 20001 characters; at most 20000 are read"}


def test_a_derivation_line_by_line_on_a_circuit():
    session = Session('{"circuit": "q = x + y; f = q*z"}', "x")
    out = reply(session, "derivation", "df/dx = df/dq * dq/dx\ndf/dq = z\ndq/dx = y\ndf/dx = y z")
    assert [(s["number"], s["correct"], s["follows"]) for s in out["steps"]] == [
        (1, True, None), (2, True, None), (3, False, None), (4, False, 3)]
    assert out["first_error"] == 3


def test_the_browser_side_needs_no_numpy():
    """In Pyodide the page loads SymPy and mpmath only."""
    done = subprocess.run([sys.executable, "-c", NO_NUMPY + """
from symnet.web.browser import Session
session = Session('{"arch": "2-2-1", "activation": "tanh"}', "w1")
print(session.reply("verdict", "2*(yhat - y)*w5*tanh(N1)*x1"))
print("numpy" in sys.modules)
"""], capture_output=True, text=True, timeout=600)
    out = done.stdout.splitlines()
    assert json.loads(out[0])["credit"] == 0.8, done.stderr
    assert out[1] == "False"


def test_symnet_page_writes_the_folder(tmp_path, katex, capsys):
    out = tmp_path / "site"
    assert main(["page", "2-2-1", "--activation", "sigmoid", "--wrt", "w1", "-o", str(out),
                 "--katex", str(katex), "--pyodide", "https://example.org/pyodide"]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: ")
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    wheels = [n for n in names if n.startswith("wheels/")]
    assert [w.split("-")[0] for w in wheels] == ["wheels/mpmath", "wheels/symnet", "wheels/sympy"]
    assert "katex/fonts/KaTeX_Main-Regular.woff2" in names
    assert "katex/fonts/KaTeX_Main-Regular.ttf" not in names  # WOFF2 is enough
    assert {"index.html", "page.js", "worker.js", "page.css", "symnet-page.json"} <= set(names)
    index = (out / "index.html").read_text()
    assert r"N_{1} &amp;= w_{1} x_{1} + w_{2} x_{2} + b_{1}" in index
    config = json.loads(index.split('id="exercise">')[1].split("</script>")[0])
    assert config == {"model": {"arch": "2-2-1", "activation": "sigmoid", "loss": "mse",
                                "output_activation": None, "l2": "0", "bias": True},
                      "wrt": "w1", "pyodide": "https://example.org/pyodide/",
                      "wheels": [wheels[2], wheels[0], wheels[1]],  # SymPy's first: the largest
                      "variants": {}, "digits": 4}
    symnet_wheel = zipfile.ZipFile(out / wheels[1])
    assert "symnet/web/browser.py" in symnet_wheel.namelist()
    assert "Requires-Dist" not in symnet_wheel.read("symnet-0.1.0.dist-info/METADATA").decode()


def test_the_wheels_run_symnet_without_numpy(tmp_path, katex):
    """What Pyodide installs, run by CPython from the wheels alone: a verdict."""
    out = tmp_path / "site"
    site.write_page({"circuit": "q = x + y; f = q*z"}, "x", out, katex=katex)
    paths = [str(p) for p in sorted((out / "wheels").iterdir())]
    done = subprocess.run([sys.executable, "-I", "-c", NO_NUMPY + f"""
sys.path[:0] = {paths!r}
from symnet.web.browser import Session
print(Session('{{"circuit": "q = x + y; f = q*z"}}', "x").reply("verdict", "z")[:33])
import symnet, sympy
print(symnet.__file__.startswith({str(out)!r}), sympy.__file__.startswith({str(out)!r}))
"""], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.stdout.splitlines() == [
        '{"correct": true, "counterexample',
        "True True"], done.stderr


def test_a_template_page_says_how_to_write_in_its_own_names(tmp_path, katex):
    from symnet.web.browser import Session

    out = tmp_path / "site"
    assert main(["page", "--template", "softmax_ce:k=3,target=3", "--wrt", "z3", "-o", str(out),
                 "--katex", str(katex)]) == 0
    config = json.loads((out / "symnet-page.json").read_text())
    assert config["model"] == {"template": "softmax_ce:k=3,target=3"}
    assert "(<code>2*z1*p1</code>) or in LaTeX (<code>2 z_{1} p_{1}</code>)" in \
        (out / "index.html").read_text()
    session = Session(json.dumps(config["model"]), "z3")
    assert json.loads(session.reply("verdict", "p3 - 1"))["correct"] is True


def test_a_page_is_replaced_whole_and_other_folders_are_refused(tmp_path, katex, capsys):
    out = tmp_path / "site"
    assert main(["page", "2-1", "--wrt", "w1", "-o", str(out), "--katex", str(katex)]) == 0
    assert main(["page", "2-2-1", "--wrt", "w5", "-o", str(out), "--katex", str(katex)]) == 0
    assert json.loads((out / "symnet-page.json").read_text())["wrt"] == "w5"
    before = sorted(os.listdir(out))
    # a bad KaTeX path: refused before anything is written, the old page stays as it was
    assert main(["page", "2-1", "--wrt", "w1", "-o", str(out), "--katex", str(tmp_path)]) == 2
    assert sorted(os.listdir(out)) == before and "w5" in (out / "index.html").read_text()
    assert [p for p in os.listdir(tmp_path) if p.startswith(".symnet-")] == []
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    assert main(["page", "2-1", "--wrt", "w1", "-o", str(mine), "--katex", str(katex)]) == 2
    assert main(["page", "2-1", "--wrt", "w7", "-o", str(tmp_path / "new"),
                 "--katex", str(katex)]) == 2
    assert main(["page", "2-1", "--circuit", "q = x*y", "--wrt", "x", "-o", str(tmp_path / "c"),
                 "--katex", str(katex)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: --katex {tmp_path}: no katex.min.js there; give the KaTeX npm package (npm "
        "pack katex makes its .tgz) or its dist folder",
        f"error: cannot write {mine}: it holds files symnet did not write; give a new or empty "
        "folder",
        "error: unknown name 'w7'; known names: b1, w1, w2, x1, x2, y, yhat, L",
        "error: give a network (2-1) or a circuit (--circuit), not both"]
    assert not (tmp_path / "new").exists() and (mine / "notes.txt").read_text() == "mine"


def test_the_page_escapes_what_it_is_given(tmp_path, katex):
    hostile = "https://x.org/</script><script>alert(1)</script>&amp;"
    site.write_page({"arch": "2-1"}, "w1", tmp_path / "site", pyodide=hostile, katex=katex)
    index = (tmp_path / "site" / "index.html").read_text()
    assert index.count("</script>") == 3  # the config's, KaTeX's and the page's own
    config = json.loads(index.split('id="exercise">')[1].split("</script>")[0])
    assert config["pyodide"] == hostile + "/"


def test_katex_from_its_npm_tarball_takes_only_what_a_page_uses(tmp_path):
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz") as tar:
        for name in ("package/dist/katex.min.js", "package/dist/fonts/KaTeX_Math-Italic.woff2",
                     "package/dist/fonts/KaTeX_Math-Italic.woff", "package/dist/katex.js",
                     "package/../../escape.js", "package/package.json"):
            entry = tarfile.TarInfo(name)
            entry.size = len(name)
            tar.addfile(entry, io.BytesIO(name.encode()))
    (tmp_path / "katex.tgz").write_bytes(data.getvalue())
    assert sorted(katex_files(tmp_path / "katex.tgz")) == ["fonts/KaTeX_Math-Italic.woff2",
                                                           "katex.min.js"]


def test_the_command_line_default_is_the_page_default():
    assert cli._PYODIDE == site.PYODIDE


def test_bytecode_is_compiled_by_pyodide_python(tmp_path, monkeypatch):
    """``--bytecode``: each module that compiles becomes its ``.pyc`` (Python 3.14's, made by
    Pyodide's own CPython in Node.js); one that does not keeps its source; the result is
    cached by the sources."""
    import browser

    from symnet.web.bytecode import PYODIDE_VERSION, compiled

    try:
        package = browser.npm_package("pyodide", PYODIDE_VERSION, tmp_path)
    except RuntimeError as exc:
        pytest.skip(str(exc))
    if not shutil.which("node"):
        pytest.skip("no Node.js (apt-get install nodejs)")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = {"tiny/__init__.py": b"ANSWER = 42\n", "tiny/broken.py": b"def (:\n",
             "tiny/data.txt": b"kept"}
    out = compiled({"tiny": files}, package)["tiny"]
    assert sorted(out) == ["tiny/__init__.pyc", "tiny/broken.py", "tiny/data.txt"]
    assert out["tiny/__init__.pyc"][2:4] == b"\r\n"  # a .pyc's magic number ends so
    assert (out["tiny/broken.py"], out["tiny/data.txt"]) == (b"def (:\n", b"kept")
    assert len(list((tmp_path / "cache" / "symnet" / "bytecode").iterdir())) == 1
    assert compiled({"tiny": files}, tmp_path / "nowhere") == {"tiny": out}  # from the cache


def test_bytecode_without_node_is_one_clear_line(tmp_path, katex, monkeypatch, capsys):
    monkeypatch.setattr("symnet.web.bytecode.shutil.which", lambda name: None)
    assert main(["page", "2-1", "--wrt", "w1", "-o", str(tmp_path / "site"), "--katex",
                 str(katex), "--bytecode"]) == 2
    assert capsys.readouterr().err == ("error: --bytecode needs Node.js (node) to run Pyodide's "
                                       "Python 3.14; install it, or leave --bytecode out\n")
    assert not (tmp_path / "site").exists()


def test_without_node_a_page_starts_from_source_and_says_so(tmp_path, katex, capsys):
    out = tmp_path / "site"
    assert main(["page", "2-1", "--wrt", "w1", "-o", str(out), "--katex", str(katex)]) == 0
    assert capsys.readouterr().out.startswith(
        f"wrote {out}: 12 files (Python starts from source, several times slower: Node.js "
        "hidden by the tests); put the folder")
    assert "snapshot" not in json.loads((out / "symnet-page.json").read_text())


def test_a_page_of_quiz_variants_carries_each_point(tmp_path, katex, capsys):
    """``--variants 2 --seed 7``: the numbers of variants 1 and 2 of ``symnet quiz --seed 7``,
    the ones ``symnet grade`` checks a variant's number at."""
    out = tmp_path / "site"
    assert main(["page", "2-2-1", "--activation", "sigmoid", "--wrt", "w1", "-o", str(out),
                 "--katex", str(katex), "--variants", "2", "--seed", "7"]) == 0
    config = json.loads((out / "symnet-page.json").read_text())
    assert sorted(config["variants"]) == ["1", "2"] and config["digits"] == 4
    first = config["variants"]["1"]
    assert first["at"]["x1"] == 0.6 and first["tex"].startswith("x_{1} = 0.6, x_{2} = -0.4")
    session = Session(json.dumps(config["model"]), "w1", config["digits"])
    assert reply(session, "verdict", "-0.1119", json.dumps(first["at"]))["correct"]
    assert main(["page", "2-1", "--wrt", "w1", "-o", str(tmp_path / "x"), "--katex",
                 str(katex), "--variants", "501"]) == 2
    assert capsys.readouterr().err == "error: variants must be a whole number from 1 to 500; got 501\n"


@pytest.mark.parametrize("spec", [{}, {"loss": "mse"}, {"arch": "2-1", "lr": 1},
                                  {"arch": "2-1", "circuit": "q = x*y"}, ["2-1"]])
def test_a_model_that_is_neither_a_network_nor_a_circuit_is_refused(spec):
    with pytest.raises(SymnetError, match="^a page's model is a network's arch, activation"):
        site.write_page(spec, "w1", "/nonexistent/site")
