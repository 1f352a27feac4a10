"""Claims of section 1.1.5 (ε-greedy bandits) checked over other seeds and longer games than the notebook's."""

import numpy as np

from lessons_lib.claims import claim
from lessons_lib.views.chapter1_learning import bandit_curves

PAYOUTS = [0.2, 0.35, 0.5, 0.55, 0.7]
WHERE = "1.1.5, 'Exploration versus exploitation'"


def test_the_ranking_of_epsilons_over_1000_pulls():
    for seed in range(2):
        c = bandit_curves(PAYOUTS, [0.0, 0.01, 0.1, 0.3], steps=1000, runs=1000, rng=seed)
        reward = c.average_reward[:, -1]
        evidence = f"seed {seed}: rewards {np.round(reward, 3)}, shares {np.round(c.best_arm_fraction, 3)}"
        claim(reward.argmin() == 0 and reward.argmax() == 2, "No exploration is the worst choice [...] "
              "ε = 0.1 collects the most reward over 1,000 pulls", WHERE, evidence=evidence)
        claim(abs(c.best_arm_fraction[0] - 0.7 / 2.3) < 0.05,
              "the best arm is the first to pay out in only about 30 % of the runs, close to the share of pulls "
              "printed above", WHERE, evidence=evidence)


def test_small_epsilon_overtakes_from_about_ten_thousand_pulls():
    c = bandit_curves(PAYOUTS, [0.01, 0.1], steps=20_000, runs=200, rng=0)
    at = {n: c.average_reward[:, n - 1] for n in (5_000, 20_000)}
    claim(at[5_000][0] < at[5_000][1] and at[20_000][0] > at[20_000][1] + 0.005,
          "Over a longer game, from about ten thousand pulls on, it overtakes ε = 0.1", WHERE,
          evidence=f"average reward (ε = 0.01, ε = 0.1) after 5,000 pulls {np.round(at[5_000], 4)}, "
                   f"after 20,000 {np.round(at[20_000], 4)}")


def test_a_close_second_arm_halves_the_share_but_not_the_reward():
    easy = bandit_curves(PAYOUTS, [0.1], steps=1000, runs=1000, rng=1)
    hard = bandit_curves(PAYOUTS[:4] + [0.57], [0.1], steps=1000, runs=1000, rng=1)
    gaps = 0.7 - easy.average_reward[0, -1], 0.57 - hard.average_reward[0, -1]
    shares = easy.best_arm_fraction[0], hard.best_arm_fraction[0]
    evidence = f"shares {np.round(shares, 3)}, gaps {np.round(gaps, 3)}"
    claim(0.74 < shares[0] < 0.82 and 0.4 < shares[1] < 0.5,
          "The share drops a lot: for ε = 0.1, from about 78 % to under a half (about 46 %)",
          "1.1.5, solution of exercise 2", evidence=evidence)
    claim(0.04 < gaps[0] < 0.06 and 0.02 < gaps[1] < 0.04,
          "The gap, however, does not grow; it even shrinks a little (for ε = 0.1, from about 0.05 to about "
          "0.03)", "1.1.5, solution of exercise 2", evidence=evidence)
