"""Section 1.1.5 — reinforcement learning in its smallest form: a multi-armed bandit.

An *agent* repeatedly picks one of several slot-machine arms (its *action*); the *environment* pays a
*reward* of 1 with a probability the agent does not know. The agent's *policy* decides which arm to pull.
ε-greedy is the simplest policy that learns: pull the arm with the best estimated payout, except with
probability ε pull a random one -- without that exploration, an early unlucky estimate is never corrected.
:func:`epsilon_greedy` plays one agent step by step; :func:`epsilon_greedy_runs` plays many independent
agents at once, vectorised over the agents, for averages over runs.
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


@dataclass(frozen=True)
class BanditRuns:
    """Many independent ε-greedy agents on the same bandit, one row per run."""

    actions: np.ndarray     # (runs, steps) arm pulled by each agent at each step
    rewards: np.ndarray     # (runs, steps) 0 or 1
    best_arm: int           # the arm with the highest true payout

    @property
    def average_reward(self) -> np.ndarray:
        """``(runs, steps)``: each agent's running mean of the rewards received so far."""
        return np.cumsum(self.rewards, axis=1) / np.arange(1, self.rewards.shape[1] + 1)

    @property
    def best_arm_fraction(self) -> np.ndarray:
        """``(runs,)``: each agent's share of pulls that went to the best arm."""
        return np.mean(self.actions == self.best_arm, axis=1)


def epsilon_greedy_runs(payouts, steps: int, epsilon: float = 0.1, runs: int = 100, rng=0) -> BanditRuns:
    """Play ``runs`` independent ε-greedy agents on the same Bernoulli bandit, all at once.

    Each agent follows the policy of :func:`epsilon_greedy` (incremental-mean estimates starting at 0, ties
    broken at random, a random arm with probability ``epsilon``); the agents share nothing but the payouts.
    The runs are computed together, one vectorised step for all agents at a time, so a thousand runs cost
    little more than one. The random draws are organised differently from :func:`epsilon_greedy`, so a run
    here is not the same run as there for the same generator, only a run of the same policy.

    Parameters
    ----------
    payouts : array_like
        The probability that each arm pays a reward of 1 (at least two arms).
    steps : int
        Pulls per agent.
    epsilon : float
        Exploration rate in [0, 1].
    runs : int
        Number of independent agents.
    rng : numpy.random.Generator or int
        The source of every random draw.

    Returns
    -------
    BanditRuns
    """
    payouts = as_float_array(payouts, "payouts", ndim=1)
    if payouts.size < 2 or np.any((payouts < 0) | (payouts > 1)):
        raise ValueError(f"payouts must hold at least two probabilities in [0, 1], got {payouts.tolist()}")
    steps = check_positive_int(steps, "steps")
    epsilon = check_in_range(epsilon, "epsilon", 0.0, 1.0, high_closed=True)
    runs = check_positive_int(runs, "runs")
    rng = check_rng(rng)
    arms = payouts.size
    counts, values = np.zeros((runs, arms)), np.zeros((runs, arms))
    actions = np.empty((runs, steps), dtype=int)
    rewards = np.empty((runs, steps))
    agent = np.arange(runs)
    for t in range(steps):
        explore = rng.random(runs) < epsilon
        # A random score for every arm that shares the highest estimate: the largest picks one tie at random.
        tied = (values == values.max(axis=1, keepdims=True)) * rng.random((runs, arms))
        a = np.where(explore, rng.integers(arms, size=runs), tied.argmax(axis=1))
        r = (rng.random(runs) < payouts[a]).astype(float)
        counts[agent, a] += 1
        values[agent, a] += (r - values[agent, a]) / counts[agent, a]
        actions[:, t], rewards[:, t] = a, r
    return BanditRuns(actions, rewards, int(payouts.argmax()))
