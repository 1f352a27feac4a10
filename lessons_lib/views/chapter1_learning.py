"""Sections 1.1.4-1.2.2 — what the figures of chapter 1's learning paradigms show, as pure numpy functions.

* self-supervised learning (1.1.4): hide a block of pixels (:func:`block_mask`), split an image into the
  visible part and the hidden target (:func:`split_by_mask`), put predicted pixels back (:func:`fill_hidden`);
* reinforcement learning (1.1.5): ε-greedy bandit runs averaged over many repetitions (:func:`bandit_curves`);
* batch and online learning (1.2.1, 1.2.2): a batch model retrained on a schedule (:func:`retrained_errors`),
  the weights of the online model along the stream (:func:`online_weight_path`) and mean errors before and
  after a drift (:func:`phase_means`).

numpy only (no matplotlib): :mod:`lessons_lib.plots.chapter1_learning` draws what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_in_range, check_positive, check_positive_int, check_rng
from ..bandit import epsilon_greedy_runs
from ..online import Stream, least_squares

__all__ = ["block_mask", "split_by_mask", "fill_hidden", "BanditCurves", "bandit_curves", "retrained_errors",
           "online_weight_path", "phase_means"]


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
