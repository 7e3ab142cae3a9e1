"""The examples of the main public functions run as pasted into a fresh session: each imports
what it uses (``import symnet as sn``) and reaches symnet only through ``sn.`` names."""

import doctest

import pytest

import symnet as sn

MAIN = ["chain", "circuit", "worksheet", "quiz", "grade", "draw", "gradient_flow",
        "activation_atlas", "update_rule", "register_activation", "Network.fit", "Network.derive",
        "check", "check_derivation", "score", "template"]


def _examples(dotted):
    obj = sn
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return doctest.DocTestParser().get_doctest(obj.__doc__ or "", {}, dotted, None, 0)


@pytest.mark.parametrize("name", MAIN)
def test_the_example_runs_in_a_fresh_session(name):
    test = _examples(name)
    assert test.examples, f"sn.{name} has no example"
    assert "import symnet as sn" in test.examples[0].source
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report = []
    runner.run(test, out=report.append)  # in a fresh namespace {}, not the module's globals
    assert runner.summarize(verbose=False).failed == 0, "".join(report)
