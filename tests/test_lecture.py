"""The lecture replayed: examples/lecture.py and examples/tour.ipynb run to completion."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def run_lecture(*args, cwd=None):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "lecture.py"), *args],
                          capture_output=True, text=True, env=ENV, timeout=300, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_lecture_prints_every_section_as_markdown():
    out = run_lecture()
    headings = [line for line in out.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Deep learning is a parametric model", "## 2. What is a neuron?",
        "## 3. A neural network: 2-2-1", "## 4. The loss", "## 5. Gradient descent",
        "## 6. The chain rule", "## 7. Vanishing and exploding gradients", "## 8. Activations"]
    # the lecture's formulas, computed
    assert r"N_{1} &= w_{1} x_{1} + w_{2} x_{2} + b_{1}" in out
    assert r"\hat{y} &= w_{5} N_{1} + w_{6} N_{2} + b_{3}" in out
    assert r"\frac{\partial y}{\partial x} &= 2 z \cdot 2 m \cdot 2 x" in out
    assert r" &= 8 x^{7}" in out
    assert ("\\frac{\\partial L}{\\partial x_{1}} &= \\frac{\\partial L}{\\partial \\hat{y}} "
            "\\cdot \\frac{\\partial \\hat{y}}{\\partial N_{1}} \\cdot "
            "\\frac{\\partial N_{1}}{\\partial x_{1}} + ") in out
    assert "| 365 | 0.0255 | 37.8 | 1.77e-220 |" in out
    assert "| 1 (first) | " in out  # its figures, seeded NumPy streams, are checked in test_explore
    assert "The loss falls from 4.0313 to 0.1256." in out
    assert r"| sigmoid | $\sigma\left(x\right) = \frac{1}{1 + e^{- x}}$" in out
    assert "![" not in out  # no figures when printing


def test_the_lecture_writes_one_document_with_its_figures(tmp_path):
    pytest.importorskip("matplotlib")
    doc = tmp_path / "lecture.md"
    out = run_lecture("-o", str(doc))
    assert out.startswith(f"wrote {doc} and lecture-network.png, lecture-flow.png")
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Introduction to deep learning, replayed with symnet")
    for name in ("network", "flow", "activations"):
        assert f"](lecture-{name}.png)" in text
        assert (tmp_path / f"lecture-{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_the_tour_notebook_runs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    nb = nbformat.read(ROOT / "examples" / "tour.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    monkeypatch.setenv("PYTHONPATH", ENV["PYTHONPATH"])  # the kernel imports this symnet
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = {k for o in outputs for k in o.get("data", {})}
    assert {"text/latex", "image/png", "text/markdown"} <= kinds
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "365  0.0255    37.8  1.77e-220" in printed
