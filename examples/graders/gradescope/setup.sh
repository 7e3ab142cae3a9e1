#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu): Python and
# symnet, from the wheel put beside this file in the autograder's zip (`python -m build` in
# symnet's folder writes it to dist/), or from PyPI when there is none.
set -euo pipefail
apt-get update
apt-get install -y python3 python3-venv
python3 -m venv /autograder/venv
wheel=$(ls /autograder/source/symnet-*.whl 2>/dev/null | head -n 1 || true)
/autograder/venv/bin/pip install "${wheel:-symnet}"
