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
