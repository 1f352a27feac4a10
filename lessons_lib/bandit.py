"""Section 1.1.5 — reinforcement learning in its smallest form: a multi-armed bandit.

An *agent* repeatedly picks one of several slot-machine arms (its *action*); the *environment* pays a
*reward* of 1 with a probability the agent does not know. The agent's *policy* decides which arm to pull.
ε-greedy is the simplest policy that learns: pull the arm with the best estimated payout, except with
probability ε pull a random one -- without that exploration, an early unlucky estimate is never corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_in_range, check_positive_int, check_rng


@dataclass(frozen=True)
class BanditRun:
    actions: np.ndarray     # (steps,) arm pulled at each step
    rewards: np.ndarray     # (steps,) 0 or 1
    estimates: np.ndarray   # (steps, arms) the agent's estimated payout of each arm after each step
    best_arm: int           # the arm with the highest true payout

    @property
    def average_reward(self) -> np.ndarray:
        """Running mean of the rewards received so far."""
        return np.cumsum(self.rewards) / np.arange(1, len(self.rewards) + 1)

    @property
    def best_arm_fraction(self) -> float:
        """Share of all pulls that went to the best arm."""
        return float(np.mean(self.actions == self.best_arm))


def epsilon_greedy(payouts, steps: int, epsilon: float = 0.1, rng=0) -> BanditRun:
    """Play a Bernoulli bandit with true ``payouts`` for ``steps`` pulls with an ε-greedy policy."""
    payouts = as_float_array(payouts, "payouts", ndim=1)
    if payouts.size < 2 or np.any((payouts < 0) | (payouts > 1)):
        raise ValueError(f"payouts must hold at least two probabilities in [0, 1], got {payouts.tolist()}")
    steps = check_positive_int(steps, "steps")
    epsilon = check_in_range(epsilon, "epsilon", 0.0, 1.0, high_closed=True)
    rng = check_rng(rng)
    arms = payouts.size
    counts, values = np.zeros(arms), np.zeros(arms)
    actions = np.empty(steps, dtype=int)
    rewards = np.empty(steps)
    estimates = np.empty((steps, arms))
    for t in range(steps):
        explore = rng.random() < epsilon
        # Ties (all estimates 0 at the start) are broken at random, not always towards arm 0.
        greedy = rng.choice(np.flatnonzero(values == values.max()))
        a = int(rng.integers(arms)) if explore else int(greedy)
        r = float(rng.random() < payouts[a])
        counts[a] += 1
        values[a] += (r - values[a]) / counts[a]       # incremental mean of this arm's rewards
        actions[t], rewards[t], estimates[t] = a, r, values
    return BanditRun(actions, rewards, estimates, int(payouts.argmax()))
