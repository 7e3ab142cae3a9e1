"""Every example runs to completion and reaches a good final loss."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("script, at_most", [
    ("xor.py", 0.01), ("regression.py", 0.02), ("logistic.py", 0.1),
])
def test_example_runs_and_prints_its_final_loss(script, at_most):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "examples" / script)], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    loss = float(re.search(r"final loss: ([0-9.e-]+)", done.stdout).group(1))
    assert loss <= at_most


def test_the_digits_example_reads_held_out_digits():
    pytest.importorskip("sklearn")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "digits.py")], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    accuracy = float(re.search(r"test accuracy: ([0-9.]+)%", done.stdout).group(1))
    assert accuracy >= 95.0


def test_the_nielsen_example_without_the_mnist_files_says_where_to_get_them(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "nielsen.py"), str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and "train-images-idx3-ubyte" in done.stderr
