"""Checks of the exercises of section 1.1.5, reinforcement learning: the ε-greedy ceiling and a harder bandit.

Exercise 1's reference follows from the ε-greedy policy of :func:`lessons_lib.bandit.epsilon_greedy` for
the exercise's ε and number of arms. Exercise 2's answers are read from the student's own rerun of
:func:`lessons_lib.views.chapter1_learning.bandit_curves`, which is first compared with a rerun made here
(1,000 runs, a fixed seed; cached, about 0.3 s the first time).
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np

from ..views.chapter1_learning import BanditCurves, bandit_curves
from ._core import InvalidAnswer, correct, exercise, expect_instance, expect_number, fmt, wrong, wrong_parts

__all__ = ["best_arm_ceiling", "harder_bandit"]

# The bandit of the section (payouts in the notebook) and the exercises' settings.
PAYOUTS = (0.2, 0.35, 0.5, 0.55, 0.7)
EPSILON = 0.1
HARD_BEST = 0.57            # exercise 2: the best arm pays 0.57 instead of 0.7
STEPS, RUNS = 1000, 1000    # the comparison of the notebook
_SEED = 11_5                # the checks' own reruns
_CURVES = "the result of bandit_curves(payouts_hard, epsilons, steps=1000, runs=1000, rng=rng)"


def _ceiling(epsilon: float, arms: int) -> float:
    """The share of pulls on the best arm once the agent exploits it: ε-greedy explores with probability ε,
    and an exploring pull picks any of the arms, the best one included, with equal probability."""
    return (1 - epsilon) + epsilon / arms


def _as_share(value: float, name: str) -> tuple[float, str]:
    """A share written as a fraction (0.92) or in percent (92): the fraction and a note for the percent form."""
    if 1 < value <= 100:
        return value / 100, f"(You wrote {name} in percent; {fmt(value)} % is {fmt(value / 100)}.)"
    if value < 0 or value > 100:
        raise InvalidAnswer(f"{name} should be a share between 0 and 1 (or a percentage); got {value!r}.")
    return value, ""


@exercise(1)
def best_arm_ceiling(share):
    """Exercise 1 of 1.1.5: the largest share of pulls an ε-greedy agent (ε = 0.1, five arms) can put on
    the best arm, even after it has found that arm (a number between 0 and 1, or a percentage)."""
    share, note = _as_share(expect_number(share, "share"), "share")
    arms = len(PAYOUTS)
    ref = _ceiling(EPSILON, arms)
    if abs(share - ref) <= 0.002:
        return correct(f"{fmt(ref, 3)}: the agent exploits in {fmt(1 - EPSILON)} of its pulls, and one in "
                       f"{arms} of its random pulls lands on the best arm as well. The run above measured "
                       "less: what does the whole game include that this ceiling leaves out?"
                       + (f"\n{note}" if note else ""))
    hints = [
        (1 - EPSILON, "that counts the exploiting pulls only. An exploring pull picks an arm at random, and "
                      "sometimes that is the best arm too: how often?"),
        (1 - EPSILON + EPSILON / (arms - 1), "an exploring pull picks among all five arms, the best one "
                                             "included, not among the four others."),
        (1 - EPSILON - EPSILON / arms, "the random pulls that happen to pick the best arm add to its share; "
                                       "they do not take anything away."),
        (1 - EPSILON / arms, "that leaves out too little: a fraction ε of the pulls is random, and only one "
                             "in five of those goes to the best arm."),
        (EPSILON / arms, "that is the share of the random pulls that land on the best arm; add the pulls "
                         "on which the agent exploits."),
        (EPSILON, "that is the share of pulls on which the agent explores; the question asks for the pulls "
                  "on the best arm."),
        (1.0, "the agent never stops exploring: with probability ε it pulls a random arm, even after it has "
              "found the best one."),
        (_ceiling(0.3, arms), "that is the ceiling for ε = 0.3, quoted in the text; the exercise asks for "
                              "ε = 0.1."),
    ]
    for value, hint in hints:
        if abs(share - value) <= 0.002:
            return wrong(f"{hint}{' ' + note if note else ''}")
    if 0.7 <= share <= 0.85:
        return wrong("that looks like a share measured over a whole game, which includes the start, before "
                     "the agent has found the best arm. The exercise asks for the most it can reach after "
                     "that: split the pulls into exploiting and exploring ones.")
    return wrong("split the pulls into the exploiting ones (a share 1 − ε, all on the best arm once it is "
                 "found) and the exploring ones (a share ε, spread evenly over the arms).")


@functools.cache
def _reference_share(best: float) -> float:
    payouts = list(PAYOUTS[:-1]) + [best]
    return float(bandit_curves(payouts, [EPSILON], steps=STEPS, runs=RUNS, rng=_SEED).best_arm_fraction[0])


def _row(curves: BanditCurves, epsilon: float) -> int | None:
    found = [i for i, e in enumerate(curves.epsilons) if np.isclose(e, epsilon)]
    return found[0] if found else None


def _games_played(curves: BanditCurves, row: int) -> int:
    """How many games a row of ``curves`` averages: after t pulls, t times the average reward is the mean
    total reward of the games, a whole number divided by their count."""
    games = 1
    for t in range(min(200, curves.average_reward.shape[1])):
        total = Fraction(float(curves.average_reward[row, t]) * (t + 1)).limit_denominator(100_000)
        games = math.lcm(games, total.denominator)
    return games


@exercise(2)
def harder_bandit(curves_hard, share_hard, gap_hard):
    """Exercise 2 of 1.1.5: the comparison rerun with the best arm paying 0.57 (``curves_hard``, from
    ``bandit_curves``), and for ε = 0.1 the share of pulls on the best arm and the gap between the best arm's
    payout and the average reward collected over the game."""
    curves = expect_instance(curves_hard, BanditCurves, "curves_hard", _CURVES)
    share, share_note = _as_share(expect_number(share_hard, "share_hard"), "share_hard")
    gap = expect_number(gap_hard, "gap_hard")
    gap_note = ""
    if 1 < abs(gap) <= 100:
        gap, gap_note = gap / 100, f"(You wrote gap_hard in percentage points; {fmt(gap)} is {fmt(gap / 100)}.)"
    row = _row(curves, EPSILON)
    if row is None:
        return wrong(f"curves_hard compares ε = {', '.join(fmt(e) for e in curves.epsilons)}, without ε = 0.1. "
                     "Rerun the comparison with the same epsilons as above.")
    if np.isclose(curves.best_payout, max(PAYOUTS)):
        return wrong("curves_hard was made with a best arm that still pays 0.7. Lower the payout of the best "
                     "arm, arm 4 (the last entry of payouts), to 0.57 and rerun bandit_curves with it.")
    if not np.isclose(curves.best_payout, HARD_BEST):
        return wrong(f"in curves_hard the best arm pays {fmt(curves.best_payout)}; the exercise gives it a "
                     "payout of 0.57, just above arm 3's 0.55.")
    if curves.average_reward.shape[1] != STEPS:
        return wrong(f"curves_hard follows {curves.average_reward.shape[1]} pulls per run; the comparison "
                     "above plays 1,000 (steps=1000), and the share and the gap depend on the length of the game.")
    own_share = float(curves.best_arm_fraction[row])
    own_reward = float(curves.average_reward[row, -1])
    own_gap = curves.best_payout - own_reward
    games = _games_played(curves, row)
    if games < RUNS // 5:
        return wrong(f"curves_hard averages only {games} games per ε; the comparison above averages 1,000 "
                     "(runs=1000; bandit_curves plays 20 unless told otherwise). A few games are too few to "
                     "average out the luck of the start: rerun with runs=1000.")
    reference = _reference_share(HARD_BEST)
    if abs(own_share - reference) > 0.08:
        return wrong(f"in curves_hard, ε = 0.1 puts a share of {fmt(own_share, 2)} of its pulls on the best "
                     f"arm, while a rerun of 1,000 games here gives about {fmt(reference, 2)}. Did you keep "
                     "runs=1000? bandit_curves plays only 20 games unless told otherwise, and 20 are too few "
                     "to average out the luck of the start.")

    problems = []
    if abs(share - own_share) > 0.006:
        other = [e for i, e in enumerate(curves.epsilons)
                 if i != row and abs(share - curves.best_arm_fraction[i]) <= 0.006]
        if abs(share - _reference_share(max(PAYOUTS))) <= 0.04:
            problems.append(f"share_hard: about {fmt(share, 2)} is what ε = 0.1 reached with the original "
                            "payouts. Read the share from your rerun, curves_hard.")
        elif other:
            problems.append(f"share_hard: that is the share of ε = {fmt(other[0])}; the exercise asks about "
                            "ε = 0.1.")
        else:
            problems.append("share_hard: read it from curves_hard.best_arm_fraction, at the position of "
                            "ε = 0.1 in curves_hard.epsilons.")
    if abs(gap - own_gap) > 0.006:
        other = [e for i, e in enumerate(curves.epsilons)
                 if i != row and abs(gap - (curves.best_payout - curves.average_reward[i, -1])) <= 0.006]
        if abs(gap - (max(PAYOUTS) - own_reward)) <= 0.006:
            problems.append("gap_hard: you measured it from 0.7, but in the harder problem the best arm pays "
                            "0.57: that is what an agent that knew the best arm would collect per pull.")
        elif abs(gap + own_gap) <= 0.006:
            problems.append("gap_hard: check its sign. The gap is how much less the agents collect than the "
                            "best arm pays: the best payout minus the average reward.")
        elif abs(gap - own_reward) <= 0.006:
            problems.append("gap_hard: that is the average reward itself; the gap is the best arm's payout "
                            "minus it.")
        elif other:
            problems.append(f"gap_hard: that is the gap of ε = {fmt(other[0])}; the exercise asks about "
                            "ε = 0.1.")
        else:
            problems.append("gap_hard: take the best arm's payout, curves_hard.best_payout, minus the average "
                            "reward of ε = 0.1 after the last pull (the last entry of its row of "
                            "curves_hard.average_reward).")
    if problems:
        return wrong_parts(problems, 2)
    notes = " ".join(n for n in (share_note, gap_note) if n)
    return correct(f"with a close second arm, ε = 0.1 puts only {fmt(own_share, 2)} of its pulls on the best "
                   f"arm, and collects {fmt(own_gap, 2)} less per pull than the best arm pays. Compare both "
                   "with the original bandit: which one moved a lot, which one did not, and why is a mix-up "
                   "of arms 3 and 4 cheap?" + (f"\n{notes}" if notes else ""))
