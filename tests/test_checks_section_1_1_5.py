"""The checks of the exercises of 1.1.5: the ε-greedy ceiling in every form, the harder bandit read off the
student's own rerun, and each typical slip (the exploring pulls, the wrong row, the old payout) with its hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_1_5 as check
from lessons_lib.views.chapter1_learning import bandit_curves

PAYOUTS = [0.2, 0.35, 0.5, 0.55, 0.7]
HARD = [0.2, 0.35, 0.5, 0.55, 0.57]
EPSILONS = [0.0, 0.01, 0.1, 0.3]


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the ceiling of the share of pulls on the best arm ----------------------------------------


@pytest.mark.parametrize("share, note", [(0.92, None), (0.9200001, None), (np.float64(0.92), None),
                                         (np.array([0.92]), None), (92, "in percent")])
def test_best_arm_ceiling_accepts_every_form(share, note):
    _kind_and_message(check.best_arm_ceiling.evaluate(share), "correct", "0.92", "one in 5",
                      *([note] if note else []))


@pytest.mark.parametrize("share, fragments", [
    (0.9, ["counts the exploiting pulls only"]),
    (90, ["counts the exploiting pulls only", "in percent"]),
    (0.925, ["among all five arms, the best one included"]),
    (0.88, ["add to its share; they do not take anything away"]),
    (0.98, ["only one in five of those"]),
    (0.02, ["the share of the random pulls that land on the best arm"]),
    (0.1, ["the share of pulls on which the agent explores"]),
    (1, ["never stops exploring"]),
    (0.76, ["the ceiling for ε = 0.3"]),
    (0.78, ["measured over a whole game"]),
    (0.5, ["split the pulls into the exploiting ones"]),
])
def test_best_arm_ceiling_names_the_typical_mistakes(share, fragments):
    _kind_and_message(check.best_arm_ceiling.evaluate(share), "wrong", "Not yet: ", *fragments)


def test_best_arm_ceiling_unanswered_and_invalid():
    _kind_and_message(check.best_arm_ceiling.evaluate(...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.best_arm_ceiling.evaluate("0.92"), "invalid", "share should be a number")
    _kind_and_message(check.best_arm_ceiling.evaluate(np.nan), "invalid", "finite")
    _kind_and_message(check.best_arm_ceiling.evaluate(-0.5), "invalid", "between 0 and 1")
    _kind_and_message(check.best_arm_ceiling.evaluate([0.9, 0.02]), "invalid", "a list of 2 items")


# ---- exercise 2: the harder bandit -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hard():
    return bandit_curves(HARD, EPSILONS, steps=1000, runs=1000, rng=3)


def _read(curves, row=2, best=None):
    """The share and the gap of one row of a comparison, as a student reads them."""
    best = curves.best_payout if best is None else best
    return float(curves.best_arm_fraction[row]), best - float(curves.average_reward[row, -1])


def test_harder_bandit_accepts_the_numbers_in_every_form(hard):
    share, gap = _read(hard)
    for answer in [(share, gap), (round(share, 2), round(gap, 2)), (np.float64(share), np.array([gap]))]:
        _kind_and_message(check.harder_bandit.evaluate(hard, *answer), "correct", "only 0.48 of its pulls",
                          "0.031 less per pull")
    _kind_and_message(check.harder_bandit.evaluate(hard, 100 * share, 100 * gap), "correct", "in percent",
                      "in percentage points")


def test_harder_bandit_accepts_other_seeds_and_a_comparison_of_only_epsilon_0_1():
    for seed in (0, 7):
        curves = bandit_curves(HARD, [0.1], steps=1000, runs=1000, rng=seed)
        _kind_and_message(check.harder_bandit.evaluate(curves, *_read(curves, row=0)), "correct")


@pytest.mark.parametrize("answer, fragments", [
    (lambda c: (0.78, _read(c)[1]), ["share_hard: about 0.78 is what ε = 0.1 reached with the original"]),
    (lambda c: (_read(c, row=0)[0], _read(c)[1]), ["share_hard: that is the share of ε = 0;"]),
    (lambda c: (_read(c)[0], _read(c, best=0.7)[1]), ["gap_hard: you measured it from 0.7"]),
    (lambda c: (_read(c)[0], -_read(c)[1]), ["gap_hard: check its sign"]),
    (lambda c: (_read(c)[0], float(c.average_reward[2, -1])), ["gap_hard: that is the average reward itself"]),
    (lambda c: (_read(c)[0], _read(c, row=1)[1]), ["gap_hard: that is the gap of ε = 0.01"]),
    (lambda c: (0.3, 0.2), ["all 2 answers need another look", "curves_hard.best_arm_fraction",
                            "curves_hard.best_payout"]),
])
def test_harder_bandit_names_the_typical_mistakes_in_the_numbers(hard, answer, fragments):
    _kind_and_message(check.harder_bandit.evaluate(hard, *answer(hard)), "wrong", "Not yet: ", *fragments)


@pytest.mark.parametrize("make, fragments", [
    # (few runs where the check stops before it looks at the games)
    (lambda: bandit_curves(PAYOUTS, [0.1], steps=1000, runs=50, rng=3), ["still pays 0.7", "arm 4"]),
    (lambda: bandit_curves([0.2, 0.35, 0.5, 0.57, 0.7], [0.1], steps=1000, runs=50, rng=3),
     ["still pays 0.7"]),                                                          # lowered arm 3 instead
    (lambda: bandit_curves(HARD[:4] + [0.6], [0.1], steps=1000, runs=50, rng=3), ["best arm pays 0.6"]),
    (lambda: bandit_curves(HARD, [0.1], steps=1000, rng=3), ["only 20 games", "runs=1000"]),  # runs' default
    (lambda: bandit_curves(HARD, [0.1], steps=300, runs=50, rng=3), ["follows 300 pulls"]),
    (lambda: bandit_curves(HARD, [0.0, 0.3], steps=1000, runs=50, rng=3), ["without ε = 0.1"]),
])
def test_harder_bandit_names_the_typical_mistakes_in_the_rerun(make, fragments):
    curves = make()
    _kind_and_message(check.harder_bandit.evaluate(curves, *_read(curves, row=0)), "wrong", "Not yet: ", *fragments)


def test_harder_bandit_unanswered_and_invalid(hard):
    _kind_and_message(check.harder_bandit.evaluate(..., ..., ...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.harder_bandit.evaluate(hard, ..., 0.03), "unanswered", "(in share_hard)")
    _kind_and_message(check.harder_bandit.evaluate(HARD, 0.47, 0.03), "invalid",
                      "curves_hard should be the result of bandit_curves", "a list of 5 items")
    _kind_and_message(check.harder_bandit.evaluate(hard, "47%", 0.03), "invalid", "share_hard should be a number")
    _kind_and_message(check.harder_bandit.evaluate(hard, 0.47, np.inf), "invalid", "gap_hard should be a finite")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_1_1_5"))
    for written in ["$1 - 0.1 + 0.1/5 = 0.92$", "payout of 0.57 instead of 0.7", "(about 46 %)",
                    "from about 0.05 to about 0.03"]:
        assert written in text, f"the exercises and solutions no longer write {written!r}"
    assert check.best_arm_ceiling.evaluate(0.92).passed
    curves = bandit_curves(HARD, [0.1], steps=1000, runs=1000, rng=1)
    share, gap = _read(curves, row=0)
    assert abs(share - 0.46) < 0.03 and abs(gap - 0.03) < 0.005, (share, gap)
    assert check.harder_bandit.evaluate(curves, share, gap).passed
