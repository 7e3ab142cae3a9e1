"""docs/architecture.md is the design record: its layers are the import-linter contract's,
line for line, and it names every module of the package exactly once."""

import pathlib
import re

import pytest

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _between(marker):
    return DOC.split(f"<!-- {marker}: begin -->")[1].split(f"<!-- {marker}: end -->")[0]


def test_the_layers_are_the_contracts_line_for_line():
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c["layers"] for c in contract["tool"]["importlinter"]["contracts"]
                  if c["type"] == "layers")
    assert re.findall(r"^- `([^`]+)`$", _between("layers"), re.M) == layers


def test_every_module_is_named_once_and_no_other():
    named = re.findall(r"^- `(symnet/[^`]+\.py)`: \S", _between("modules"), re.M)
    modules = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "symnet").rglob("*.py"))
    assert len(named) == len(set(named))
    assert sorted(named) == modules
