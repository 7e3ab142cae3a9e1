"""Otter test of question 1: ∂L/∂w1 of a 2-2-1 sigmoid network, 5 points with partial credit.

Otter's test cases pass or fail, and a test scores the points of the cases that pass; so symnet's
credit (the share of the chain's paths and factors that are right) is a ladder of 20 cases of a
twentieth of the points each: case k passes when the credit is at least k/20 (credit 0.8: 16 cases,
4 of 5 points; a credit between two rungs is rounded down).  The first case that fails shows the
verdict and the diagnosis (symnet.testing.assert_gradient); the others, only the credit.
"""

from functools import lru_cache

from otter.test_files import test_case

import symnet as sn
from symnet.testing import assert_gradient

OK_FORMAT = False

name = "q1"
POINTS, STEPS = 5, 20
NET = sn.Network("2-2-1", activation="sigmoid")


@lru_cache(maxsize=4)  # the 20 cases judge one answer once
def _credit(answer):
    return sn.score(NET, "w1", answer, points=1).earned


def _rung(k):
    def case(dL_dw1):
        credit = _credit(dL_dw1)
        if credit >= k / STEPS - 1e-9:
            return
        if credit >= (k - 1) / STEPS - 1e-9:  # the first rung missed says why
            assert_gradient(NET, "w1", dL_dw1)
        raise AssertionError(f"credit {credit:g} is below {k}/{STEPS}")

    return test_case(name=f"q1 credit {k}/{STEPS}", points=POINTS / STEPS)(case)


for _k in range(1, STEPS + 1):
    globals()[f"credit_{_k}"] = _rung(_k)  # Otter collects the test cases among the globals
