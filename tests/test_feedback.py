"""What a student sees in a notebook and in a grader: verdicts as Markdown with math, points with
feedback (sn.score), and a test's assertion (symnet.testing.assert_gradient)."""

import pytest

import symnet as sn
from symnet.testing import assert_gradient

NET = sn.Network("2-2-1", activation="sigmoid")
RIGHT = "2*(yhat - y)*w5*sigma(N1)*(1 - sigma(N1))*x1"
SLIP = "2*(yhat - y)*w5*sigma(N1)*x1"  # σ where σ' belongs: 4 of the chain's 5 items right


def test_a_right_answer_shows_as_math_with_its_credit():
    shown = sn.check(NET, "w1", RIGHT)._repr_markdown_()
    assert shown.splitlines()[0] == (
        r"**correct**: your answer $2 w_{5} x_{1} \left(\hat{y} - y\right) \sigma\left(N_{1}\right)"
        r" \left(1 - \sigma\left(N_{1}\right)\right)$ is the derivative")
    assert "| credit | 1 |" in shown


def test_a_slip_shows_its_diagnosis_escaped_and_a_table_of_the_two_values():
    shown = sn.check(NET, "w1", SLIP)._repr_markdown_()
    # the diagnosis is text: its * would start italics, so it is escaped
    assert r"- you used sigmoid(N1) where its derivative ∂h1/∂N1 = sigmoid(N1)\*(1 - sigmoid(N1)) " \
           "belongs" in shown
    assert "| your answer | -0.246052 |" in shown and "| the derivative | -0.156743 |" in shown
    assert "| credit | 0.8 |" in shown
    assert r"at $b_{1} = 1.75$" in shown and r"$\hat{y} = 2.14441$" in shown


def test_a_derivation_shows_as_a_table_of_its_lines_in_math():
    report = sn.check_derivation(NET, "w1", "∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂N1 · ∂N1/∂w1\n"
                                            "∂h1/∂N1 = σ(N1)\n"
                                            "∂L/∂w1 = 2(ŷ - y) w5 σ(N1) x1\n"
                                            "= x1 <script>alert(1)</script> $x$ [a](b)")
    lines = report._repr_markdown_().splitlines()
    assert lines[0] == "**first error: line 2**"
    assert lines[4] == (r"| 1 | $\frac{\partial L}{\partial w_{1}} = \frac{\partial L}{\partial \hat{y}}"
                        r" \cdot \frac{\partial \hat{y}}{\partial h_{1}} \cdot \frac{\partial h_{1}}"
                        r"{\partial N_{1}} \cdot \frac{\partial N_{1}}{\partial w_{1}}$ | ✓ | chain formula |  |")
    assert lines[5] == (r"| 2 | $\frac{\partial h_{1}}{\partial N_{1}} = \sigma\left(N_{1}\right)$ | ✗ "
                        r"| local factor | ∂h1/∂N1 = sigmoid(N1)\*(1 - sigmoid(N1)), not sigmoid(N1) |")
    assert "| carried from line 2 | result |" in lines[6]
    # a line that could not be read is shown as typed, as text: no HTML, no math
    assert lines[7].startswith(r"| 4 | = x1 &lt;script&gt;alert(1)&lt;/script&gt; \$x\$ \[a\](b) | ✗ | unread |")
    assert "tex" not in report.as_dict()["steps"][0]  # symnet check --json as before


def test_score_gives_the_credit_of_the_points_and_the_feedback_in_markdown():
    s = sn.score(NET, "w1", SLIP, points=5)
    assert (s.earned, s.possible, s.result.credit) == (4.0, 5, 0.8)
    assert s.feedback.startswith(r"**4 / 5 points** for $\frac{\partial L}{\partial w_{1}}$")
    assert r"is not $\frac{\partial L}{\partial w_{1}}$" in s.feedback
    assert "sigmoid(N1)\\*(1 - sigmoid(N1))" in s.feedback
    assert sn.score(NET, "w1", RIGHT, points=2.5).earned == 2.5


def test_score_of_an_unreadable_answer_is_zero_with_the_reason():
    s = sn.score(NET, "w1", "2*(yhat - y", points=5)
    assert s.earned == 0 and not s.result.correct
    assert s.result.diagnosis[0].startswith("cannot read your answer:")


def test_score_refuses_what_the_teacher_got_wrong():
    with pytest.raises(sn.SymnetError, match="w9"):
        sn.score(NET, "w9", RIGHT)
    with pytest.raises(sn.SymnetError, match="points"):
        sn.score(NET, "w1", RIGHT, points=float("nan"))


def test_assert_gradient_passes_a_right_answer_and_fails_a_slip_with_its_diagnosis():
    assert assert_gradient(NET, "w1", RIGHT).correct
    with pytest.raises(AssertionError) as failed:
        assert_gradient(NET, "w1", SLIP)
    message = str(failed.value)
    assert message.startswith("incorrect: your answer is not ∂L/∂w1.")
    assert "diagnosis: you used sigmoid(N1) where its derivative" in message
    with pytest.raises(AssertionError, match="cannot read your answer"):
        assert_gradient(NET, "w1", "2*(yhat - y")


def test_score_of_an_answer_too_large_to_compare_is_zero_with_the_reason():
    s = sn.score(NET, "w1", "(N1 + N2 + yhat)**400", points=5)
    assert s.earned == 0
    assert s.result.diagnosis[0].startswith("your answer is not checked: '(N1 + N2 + yhat)**400' "
                                            "multiplied out has about 8.1e+04 terms")


def test_score_of_a_number_at_a_point():
    at = dict(x1=1, x2=2, y=1, w1=.1, w2=.2, w3=.3, w4=.4, w5=.5, w6=.6, b1=0, b2=0, b3=0)
    right = float(sn.check(NET, "w1", 1.0, at=at).counterexample["expected"])
    assert sn.score(NET, "w1", right, points=3, at=at).earned == 3
    assert sn.score(NET, "w1", -right, points=3, at=at).earned == 0
