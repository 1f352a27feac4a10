"""Sections 1.1.4-1.2.2 — what the figures of chapter 1's learning paradigms show, as pure numpy functions.

* self-supervised learning (1.1.4): hide a block of pixels (:func:`block_mask`), split an image into the
  visible part and the hidden target (:func:`split_by_mask`), put predicted pixels back (:func:`fill_hidden`);
* reinforcement learning (1.1.5): ε-greedy bandit runs averaged over many repetitions (:func:`bandit_curves`),
  with the spread of the runs and their regret (:func:`bandit_bands`; the explorer's :func:`bandit_view`);
* batch and online learning (1.2.1, 1.2.2): a batch model retrained on a schedule (:func:`retrained_errors`),
  the weights of the online model along the stream (:func:`online_weight_path`) and mean errors before and
  after a drift (:func:`phase_means`); the two learners side by side for the drift explorer (:func:`drift_view`).

numpy only (no matplotlib): :mod:`lessons_lib.plots.chapter1_learning` draws what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import as_float_array, check_in_range, check_positive, check_positive_int, check_rng
from ..bandit import epsilon_greedy_runs
from ..online import Stream, compare_on_stream, drifting_stream, least_squares

__all__ = ["block_mask", "split_by_mask", "fill_hidden", "BanditCurves", "bandit_curves", "BanditBands",
           "bandit_bands", "EXPLORER_PAYOUTS", "EXPLORER_EPSILONS", "BANDIT_HORIZON", "BANDIT_MAX_RUNS", "BanditView",
           "bandit_view", "retrained_errors", "online_weight_path", "phase_means", "trailing_mean", "explorer_stream",
           "DriftView", "drift_view"]


# --- 1.1.4 self-supervised learning -------------------------------------------------------------------------

def block_mask(top: int, left: int, height: int, width: int, side: int = 8) -> np.ndarray:
    """Boolean mask of shape ``(side * side,)`` that is ``True`` on a ``height x width`` block of a square image.

    The block's upper-left pixel is at row ``top``, column ``left``; images are read row by row, as
    ``load_digits`` stores them. The block must lie inside the image.
    """
    side = check_positive_int(side, "side")
    height = check_positive_int(height, "height")
    width = check_positive_int(width, "width")
    top = check_positive_int(top, "top", minimum=0)
    left = check_positive_int(left, "left", minimum=0)
    if top + height > side:
        raise ValueError(f"top + height must be at most side = {side}, got {top} + {height}")
    if left + width > side:
        raise ValueError(f"left + width must be at most side = {side}, got {left} + {width}")
    if height * width == side * side:
        raise ValueError("height x width must leave some pixels visible, got the whole image")
    mask = np.zeros((side, side), dtype=bool)
    mask[top:top + height, left:left + width] = True
    return mask.ravel()


def _check_mask(mask, n_pixels: int) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype != bool or mask.shape != (n_pixels,):
        raise ValueError(f"mask must be a boolean array of shape ({n_pixels},), got {mask.dtype} {mask.shape}")
    return mask


def split_by_mask(X, mask) -> tuple[np.ndarray, np.ndarray]:
    """``(visible, hidden)``: the columns of ``X`` outside the mask (the input) and inside it (the label)."""
    X = as_float_array(X, "X", ndim=2)
    mask = _check_mask(mask, X.shape[1])
    return X[:, ~mask], X[:, mask]


def fill_hidden(X, mask, hidden) -> np.ndarray:
    """A copy of ``X`` whose masked pixels are replaced by ``hidden`` (one row per image, or one shared row)."""
    X = as_float_array(X, "X", ndim=2)
    mask = _check_mask(mask, X.shape[1])
    hidden = as_float_array(hidden, "hidden", ndim=(1, 2))
    if hidden.shape[-1] != mask.sum() or (hidden.ndim == 2 and hidden.shape[0] != X.shape[0]):
        raise ValueError(f"hidden must have {int(mask.sum())} columns and one row per image (or be one row), "
                         f"got shape {hidden.shape}")
    out = X.copy()
    out[:, mask] = hidden
    return out


# --- 1.1.5 reinforcement learning ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BanditCurves:
    epsilons: tuple               # the exploration rates compared
    average_reward: np.ndarray    # (len(epsilons), steps): running mean reward, averaged over the runs
    best_arm_fraction: np.ndarray  # (len(epsilons),): share of all pulls that went to the best arm
    best_payout: float            # the expected reward per pull of an agent that always pulls the best arm


def bandit_curves(payouts, epsilons, steps: int = 1000, runs: int = 20, rng=0) -> BanditCurves:
    """Play ``runs`` ε-greedy agents for each ε (:func:`lessons_lib.bandit.epsilon_greedy_runs`) and average.

    One run is a gamble (an early lucky arm decides a lot); the average over runs shows the typical agent.
    The runs of all ε values draw from ``rng`` in turn, so the result depends only on ``rng``.
    """
    payouts = as_float_array(payouts, "payouts", ndim=1)
    try:
        epsilons = tuple(check_in_range(e, "epsilons", 0.0, 1.0, high_closed=True) for e in epsilons)
    except TypeError as exc:
        raise ValueError(f"epsilons must be a sequence of numbers, got {epsilons!r}") from exc
    if not epsilons:
        raise ValueError("epsilons must hold at least one exploration rate")
    steps = check_positive_int(steps, "steps")
    runs = check_positive_int(runs, "runs")
    rng = check_rng(rng)
    curves, fractions = [], []
    for eps in epsilons:
        played = epsilon_greedy_runs(payouts, steps, eps, runs=runs, rng=rng)
        curves.append(played.average_reward.mean(axis=0))
        fractions.append(played.best_arm_fraction.mean())
    return BanditCurves(epsilons, np.array(curves), np.array(fractions), float(payouts.max()))


@dataclass(frozen=True)
class BanditBands:
    """Many ε-greedy runs summarised pull by pull: the mean over the runs and the middle half of them.

    Each ``*_band`` array has shape ``(2, steps)``: the lower and the upper quartile over the runs.
    """

    epsilon: float
    runs: int
    average_reward: np.ndarray   # (steps,) mean over the runs of each run's average reward of pulls 1..t
    reward_band: np.ndarray      # (2, steps)
    regret: np.ndarray           # (steps,) mean over the runs of each run's cumulative regret after t pulls
    regret_band: np.ndarray      # (2, steps)


def _summarise(epsilon: float, average_reward: np.ndarray, regret: np.ndarray) -> BanditBands:
    quartiles = (25, 75)
    return BanditBands(float(epsilon), len(regret), average_reward.mean(0),
                       np.percentile(average_reward, quartiles, axis=0), regret.mean(0),
                       np.percentile(regret, quartiles, axis=0))


def _per_run(payouts: np.ndarray, played) -> tuple[np.ndarray, np.ndarray]:
    """Each run's average reward of pulls 1..t and its cumulative regret after t pulls, ``(runs, steps)``."""
    # The (pseudo-)regret counts what each pull gives up in expectation, best payout minus the payout of
    # the arm pulled: it measures the choices, not the luck of the coin flips.
    regret = np.cumsum(payouts.max() - payouts[played.actions], axis=1)
    return played.average_reward, regret


def bandit_bands(payouts, epsilon: float, steps: int = 1000, runs: int = 100, rng=0) -> BanditBands:
    """Play ``runs`` ε-greedy agents (:func:`lessons_lib.bandit.epsilon_greedy_runs`) and summarise them pull by
    pull: the average reward so far and the cumulative regret, each as the mean over the runs and the
    quartiles over the runs (one run is a gamble: the quartiles show how far a typical run strays).

    The regret after ``t`` pulls is the sum over those pulls of ``max(payouts) - payouts[arm pulled]``: the
    reward an agent gives up, in expectation, by not always pulling the best arm.

    Parameters
    ----------
    payouts : array_like
        The probability that each arm pays 1 (at least two arms).
    epsilon : float
        Exploration rate in [0, 1].
    steps, runs : int
        Pulls per agent, and agents.
    rng : numpy.random.Generator or int
        The source of every random draw.

    Returns
    -------
    BanditBands
    """
    payouts = as_float_array(payouts, "payouts", ndim=1)
    played = epsilon_greedy_runs(payouts, steps, epsilon, runs=runs, rng=rng)
    return _summarise(epsilon, *_per_run(payouts, played))


#: The five arms of section 1.1.5, the best paying 0.7.
EXPLORER_PAYOUTS = (0.2, 0.35, 0.5, 0.55, 0.7)
#: The exploration rates of the bandit explorer (0: greedy, 1: every pull at random).
EXPLORER_EPSILONS = (0.0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
#: The explorer plays every ε once, this many pulls by this many agents, and shows a part of it.
BANDIT_HORIZON, BANDIT_MAX_RUNS = 1000, 200
_BANDIT_SEED = 1_1_5


@lru_cache(maxsize=len(EXPLORER_EPSILONS))
def _explorer_runs(epsilon: float) -> tuple[np.ndarray, np.ndarray]:
    """Per-run average reward and regret of the explorer's agents for one ε, over the whole horizon."""
    payouts = np.array(EXPLORER_PAYOUTS)
    played = epsilon_greedy_runs(payouts, BANDIT_HORIZON, epsilon, runs=BANDIT_MAX_RUNS, rng=_BANDIT_SEED)
    return _per_run(payouts, played)


@lru_cache(maxsize=64)
def _explorer_bands(epsilon: float, runs: int) -> BanditBands:
    # The first ``runs`` agents: the agents are independent, so any of them form a sample of the policy.
    average_reward, regret = _explorer_runs(epsilon)
    return _summarise(epsilon, average_reward[:runs], regret[:runs])


@dataclass(frozen=True)
class BanditView:
    """What the bandit explorer of section 1.1.5 draws: the chosen ε beside the greedy agent (ε = 0)."""

    pulls: np.ndarray         # (steps,) 1, 2, ..., steps
    chosen: BanditBands       # the chosen ε, its first ``steps`` pulls
    greedy: BanditBands       # ε = 0, the same pulls
    best_payout: float        # what an agent that always pulled the best arm would average


def _head(bands: BanditBands, steps: int) -> BanditBands:
    return BanditBands(bands.epsilon, bands.runs, bands.average_reward[:steps], bands.reward_band[:, :steps],
                       bands.regret[:steps], bands.regret_band[:, :steps])


def bandit_view(epsilon: float, steps: int = 1000, runs: int = 100) -> BanditView:
    """The first ``steps`` pulls of ``runs`` ε-greedy agents on the five arms of 1.1.5, beside greedy agents.

    Every ε of :data:`EXPLORER_EPSILONS` is played once, for :data:`BANDIT_HORIZON` pulls by
    :data:`BANDIT_MAX_RUNS` agents (seeded, cached); a view takes the first ``steps`` pulls of the first
    ``runs`` agents, so moving ``steps`` or ``runs`` plays nothing again.
    """
    if epsilon not in EXPLORER_EPSILONS:
        raise ValueError(f"epsilon must be one of {EXPLORER_EPSILONS}, got {epsilon!r}")
    steps = check_positive_int(steps, "steps")
    runs = check_positive_int(runs, "runs")
    if steps > BANDIT_HORIZON:
        raise ValueError(f"steps must be at most {BANDIT_HORIZON}, got {steps}")
    if runs > BANDIT_MAX_RUNS:
        raise ValueError(f"runs must be at most {BANDIT_MAX_RUNS}, got {runs}")
    chosen = _head(_explorer_bands(float(epsilon), runs), steps)
    greedy = _head(_explorer_bands(0.0, runs), steps)
    return BanditView(np.arange(1, steps + 1), chosen, greedy, max(EXPLORER_PAYOUTS))


# --- 1.2.1 and 1.2.2 batch and online learning --------------------------------------------------------------

def retrained_errors(stream: Stream, train_size: int = 200, batch_size: int = 20, retrain_every: int = 200,
                     window: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A batch model that is retrained from scratch every ``retrain_every`` examples.

    Each retraining fits :func:`lessons_lib.online.least_squares` to the last ``window`` examples seen so far
    (``None``: to all of them). The first fit uses the first ``train_size`` examples, as in
    :func:`lessons_lib.online.compare_on_stream`, and the errors are measured on the same mini-batches, each
    before the model could learn from it. Returns ``(batch_starts, squared_errors)``.
    """
    train_size = check_positive_int(train_size, "train_size")
    batch_size = check_positive_int(batch_size, "batch_size")
    retrain_every = check_positive_int(retrain_every, "retrain_every")
    if window is not None:
        window = check_positive_int(window, "window")
    n = len(stream.y)
    if train_size >= n:
        raise ValueError(f"train_size must be smaller than the stream ({n}), got {train_size}")
    starts, errors = [], []
    fitted_at = None
    for s in range(train_size, n, batch_size):
        # The last retraining time that is not after s: the model uses only examples that arrived before s.
        due = train_size + (s - train_size) // retrain_every * retrain_every
        if due != fitted_at:
            first = 0 if window is None else max(0, due - window)
            w, b = least_squares(stream.X[first:due], stream.y[first:due])
            fitted_at = due
        X, y = stream.X[s:s + batch_size], stream.y[s:s + batch_size]
        starts.append(s)
        errors.append(float(np.mean((X @ w + b - y) ** 2)))
    return np.array(starts), np.array(errors)


def online_weight_path(stream: Stream, train_size: int = 200, batch_size: int = 20,
                       lr: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """The online model of :func:`lessons_lib.online.compare_on_stream`, step by step.

    Returns ``(weights, biases)`` of shapes ``(batches + 1, features)`` and ``(batches + 1,)``: row 0 is the
    initial batch fit, row ``k`` the model after learning from the ``k``-th mini-batch. The update is the same
    gradient step on the mini-batch's mean squared error, so the model in row ``k`` is the one whose error
    ``compare_on_stream`` reports for mini-batch ``k + 1``.
    """
    train_size = check_positive_int(train_size, "train_size")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    n = len(stream.y)
    if train_size >= n:
        raise ValueError(f"train_size must be smaller than the stream ({n}), got {train_size}")
    w, b = least_squares(stream.X[:train_size], stream.y[:train_size])
    weights, biases = [w.copy()], [b]
    for s in range(train_size, n, batch_size):
        X, y = stream.X[s:s + batch_size], stream.y[s:s + batch_size]
        residual = X @ w + b - y
        w = w - lr * 2 * X.T @ residual / len(y)
        b = b - lr * 2 * residual.mean()
        weights.append(w.copy())
        biases.append(b)
    return np.array(weights), np.array(biases)


def phase_means(batch_starts, errors, drift_at: int, settle: int) -> tuple[float, float, float]:
    """Mean error ``(before the drift, during the first settle examples after it, after that)``.

    A mini-batch belongs to the phase in which it starts. Each phase must contain at least one mini-batch.
    """
    starts = np.asarray(batch_starts)
    errors = as_float_array(errors, "errors", ndim=1)
    if starts.shape != errors.shape:
        raise ValueError(f"batch_starts and errors must have the same shape, got {starts.shape} and {errors.shape}")
    drift_at = check_positive_int(drift_at, "drift_at")
    settle = check_positive_int(settle, "settle")
    phases = (starts < drift_at, (starts >= drift_at) & (starts < drift_at + settle), starts >= drift_at + settle)
    if not all(p.any() for p in phases):
        raise ValueError(f"every phase needs a mini-batch: check drift_at ({drift_at}) and settle ({settle})")
    before, adapting, after = (float(errors[p].mean()) for p in phases)
    return before, adapting, after


def trailing_mean(values, k: int) -> np.ndarray:
    """Mean of each value and the ``k - 1`` before it (fewer at the start): a curve that never uses the future."""
    values = as_float_array(values, "values", ndim=1, finite=False)
    k = check_positive_int(k, "k")
    c = np.cumsum(np.concatenate([[0.0], values]))
    i = np.arange(1, len(values) + 1)
    lo = np.maximum(i - k, 0)
    return (c[i] - c[lo]) / (i - lo)


@lru_cache(maxsize=1)
def explorer_stream() -> Stream:
    """The drifting stream of sections 1.2.1 and 1.2.2: 3,000 examples, noise 0.3, the rule changes at 1,500."""
    stream = drifting_stream(3000, rng=1, noise=0.3)
    for array in (stream.X, stream.y):
        array.setflags(write=False)
    return stream


#: The drift explorer's stream is played as in 1.2.1 and 1.2.2: a first fit on 200 examples, mini-batches of 10.
DRIFT_TRAIN_SIZE, DRIFT_BATCH_SIZE, DRIFT_SMOOTH = 200, 10, 5
#: An online error above this (10,000 times the noise's variance) means the learner has diverged.
_DIVERGED = 1e3


@dataclass(frozen=True)
class DriftView:
    """The batch learner (refitted on a schedule) and the online learner on the drifting stream."""

    batch_starts: np.ndarray    # (batches,) where each mini-batch starts in the stream
    batch_errors: np.ndarray    # (batches,) squared error of the batch learner on each mini-batch, before it
    online_errors: np.ndarray   # (batches,) the same for the online learner (which then learns from it), at
    #                             most 1,000 (a diverged learner's errors are clipped there)
    batch_smoothed: np.ndarray  # trailing means over ``DRIFT_SMOOTH`` mini-batches, as in the notebooks' figures
    online_smoothed: np.ndarray
    refits: np.ndarray          # where the batch learner was refitted, after its first fit
    drift_at: int
    noise_floor: float          # the noise's variance: no model does better on average
    batch_after: float          # mean squared error over the mini-batches that start at or after the drift
    online_after: float
    message: str                # why the online learner failed ("" if it did not)

    @property
    def diverged(self) -> bool:
        return bool(self.message)


@lru_cache(maxsize=256)
def drift_view(lr: float, retrain_every: int, window: int | None) -> DriftView:
    """Play the stream of :func:`explorer_stream` with a batch learner refitted every ``retrain_every`` examples
    on the last ``window`` (``None``: all) examples (:func:`retrained_errors`) and an online learner with
    learning rate ``lr`` (:func:`lessons_lib.online.compare_on_stream`); both are scored on each mini-batch
    before they could learn from it.

    Parameters
    ----------
    lr : float
        The online learner's learning rate (> 0); from about 0.95 on it diverges, which ``message`` says
        (near 0.9 it has bursts of large errors and recovers).
    retrain_every : int
        Examples between two refits of the batch model (the first fit is on the first 200 examples).
    window : int or None
        How many of the latest examples each refit uses; ``None``: all the examples seen so far.

    Returns
    -------
    DriftView
    """
    lr = check_positive(lr, "lr")
    stream = explorer_stream()
    kw = dict(train_size=DRIFT_TRAIN_SIZE, batch_size=DRIFT_BATCH_SIZE)
    starts, batch = retrained_errors(stream, **kw, retrain_every=retrain_every, window=window)
    # A learning rate past the stability bound makes the online weights grow without limit: say so.
    with np.errstate(over="ignore", invalid="ignore"):
        online = compare_on_stream(stream, **kw, lr=lr).online_model
    message = ""
    bad = ~np.isfinite(online) | (online > _DIVERGED)
    # Near the bound (about 0.9) single noisy mini-batches can throw the weights far off and the learner
    # recovers; it has diverged only if it is still off at the end of the stream.
    if bad[-1]:
        where = int(starts[len(bad) - np.argmin(bad[::-1])]) if not bad.all() else int(starts[0])
        message = (f"The online learner diverged (error above {_DIVERGED:g} from example {where:,} on): at "
                   f"η = {lr:.3g} every step overshoots the best weights by more than the last.")
        online = np.where(bad, _DIVERGED, online)   # clipped: the curve leaves the plot, the numbers stay finite
    refits = np.arange(DRIFT_TRAIN_SIZE + retrain_every, len(stream.y), retrain_every)
    after = starts >= stream.drift_at
    noise_floor = 0.3 ** 2
    return DriftView(starts, batch, online, trailing_mean(batch, DRIFT_SMOOTH),
                     trailing_mean(online, DRIFT_SMOOTH), refits, stream.drift_at, noise_floor,
                     float(batch[after].mean()), float(online[after].mean()), message)
