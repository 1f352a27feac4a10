"""The learning-rate range test (syllabus 2.3.5, after L. Smith's "cyclical learning rates" paper).

Train for a few hundred mini-batches while the learning rate grows exponentially from a tiny value
(1e-5) to a huge one (10), and record the loss at every step. At first the rate is too small to change
anything, then the loss falls, and past some point the steps overshoot and the loss shoots up. A good
rate lies a little *below* that turning point. The model and the optimizer are put back exactly as they
were afterwards: the test only looks, it does not train.

The mini-batch losses are noisy, so the curve is an exponential moving average, and any such average
lags: it trails the raw losses by about ``smoothing / (1 - smoothing)`` steps, during which the rate keeps
growing. :func:`lag_factor` says by how much, so the smoothing and the length of the sweep can be chosen
to keep that shift small (the defaults, 300 steps and ``smoothing=0.9``, give a factor of about 1.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validation import (
    check_in_range,
    check_positive,
    check_positive_int,
    check_rng,
)
from .module import Module
from .optimizers import Optimizer
from .training import _check_data, _loss

__all__ = ["LRFinderResult", "lag_factor", "lr_range_test", "suggest_lr"]


@dataclass
class LRFinderResult:
    """Arrays of equal length, one entry per step actually taken, and the suggested learning rate.

    ``losses`` are the raw mini-batch losses, ``smoothed`` their bias-corrected exponential moving
    average; ``stopped_early`` tells whether the sweep was cut short because the loss diverged.
    ``suggested_lr`` is ``nan`` when no finite loss was recorded.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggested_lr: float
    stopped_early: bool


def suggest_lr(lrs, smoothed) -> float:
    """The learning rate at the minimum of the smoothed loss, divided by 10.

    A heuristic, not a theorem. At the minimum the rate is already at the edge where steps start to
    overshoot (the loss stops falling there precisely because the rate has become too large), so training
    at that rate is unstable; one order of magnitude lower is still on the steep, falling part of the curve,
    "a little below the point where the loss begins to rise". The steepest-descent point is the other
    common choice; neither is robust to mini-batch noise (with other seeds, both move by a factor of 3 to 7 on
    the book's moons task), which is why the answer is a starting point for a few short trials, not a
    final value.
    """
    lrs = np.asarray(lrs, dtype=float)
    smoothed = np.asarray(smoothed, dtype=float)
    finite = np.isfinite(smoothed)
    if not finite.any():
        return float("nan")
    i = int(np.argmin(np.where(finite, smoothed, np.inf)))
    return float(lrs[i] / 10.0)


def lag_factor(start_lr: float = 1e-5, end_lr: float = 10.0, num_steps: int = 300,
               smoothing: float = 0.9) -> float:
    """How far to the right the smoothing shifts the range-test curve, as a factor of the learning rate.

    The exponential moving average ``avg_k = smoothing * avg_{k-1} + (1 - smoothing) * loss_k`` gives the
    loss of ``j`` steps ago the weight ``(1 - smoothing) * smoothing**j``; the mean age of what it holds is
    ``smoothing / (1 - smoothing)`` steps (9 for 0.9, 49 for 0.98). The sweep multiplies the rate by
    ``(end_lr / start_lr) ** (1 / (num_steps - 1))`` per step, so a feature of the raw loss, such as the
    point where it turns up, shows in the smoothed curve at a rate about

        ``(end_lr / start_lr) ** (smoothing / (1 - smoothing) / (num_steps - 1))``

    times larger. That is the factor returned. It is a rule of thumb for a slowly changing loss: a loss
    that shoots up is followed faster, a noisy minimum can land anywhere in its flat bottom.

    Examples
    --------
    >>> round(lag_factor(1e-5, 10.0, 300, 0.9), 2)
    1.52
    >>> round(lag_factor(1e-5, 10.0, 100, 0.98))
    933
    """
    start_lr = check_positive(start_lr, "start_lr")
    end_lr = check_positive(end_lr, "end_lr")
    if end_lr <= start_lr:
        raise ValueError(f"end_lr must be larger than start_lr, got start_lr={start_lr}, end_lr={end_lr}")
    num_steps = check_positive_int(num_steps, "num_steps", minimum=2)
    smoothing = check_in_range(smoothing, "smoothing", 0.0, 1.0)
    return float((end_lr / start_lr) ** (smoothing / (1 - smoothing) / (num_steps - 1)))


def lr_range_test(model: Module, loss, optimizer: Optimizer, X, y, rng, start_lr: float = 1e-5,
                  end_lr: float = 10.0, num_steps: int = 300, batch_size: int = 32, smoothing: float = 0.9,
                  diverge_factor: float = 4.0) -> LRFinderResult:
    """Sweep the learning rate exponentially from ``start_lr`` to ``end_lr`` over ``num_steps`` steps.

    Step ``k`` (0-based) uses ``lr_k = start_lr * (end_lr / start_lr) ** (k / (num_steps - 1))``. The
    smoothed loss is ``avg_k = smoothing * avg_{k-1} + (1 - smoothing) * loss_k`` divided by
    ``1 - smoothing ** (k + 1)`` (the same bias correction as Adam's (2.4)). The sweep stops early once the
    smoothed loss exceeds ``diverge_factor`` times the best one so far, or any loss is not finite.

    The parameters, gradients, buffers and train/eval mode of ``model`` and the whole state of
    ``optimizer`` (moments, step counts, learning rate) are restored before returning.

    The smoothed curve lags the raw losses by :func:`lag_factor` in learning rate: about 1.5 with the
    defaults. (A heavier average on a shorter sweep, such as 100 steps with ``smoothing=0.98``, shifts the
    curve's minimum several times to the right and makes the suggestion too large.)
    """
    loss = _loss(loss)
    X, y = _check_data(X, y)
    rng = check_rng(rng)
    start_lr = check_positive(start_lr, "start_lr")
    end_lr = check_positive(end_lr, "end_lr")
    if end_lr <= start_lr:
        raise ValueError(f"end_lr must be larger than start_lr, got start_lr={start_lr}, end_lr={end_lr}")
    num_steps = check_positive_int(num_steps, "num_steps", minimum=2)
    batch_size = check_positive_int(batch_size, "batch_size")
    smoothing = check_in_range(smoothing, "smoothing", 0.0, 1.0)
    diverge_factor = check_in_range(diverge_factor, "diverge_factor", 1.0, math.inf, low_closed=False)
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be an Optimizer, got {type(optimizer).__name__}")

    saved_model, saved_opt, was_training = model.state_dict(), optimizer.state_dict(), model.training
    params = model.parameters()
    saved_grads = [p.grad.copy() for p in params]
    lrs = start_lr * (end_lr / start_lr) ** (np.arange(num_steps) / (num_steps - 1))
    losses, smoothed = [], []
    avg, best, stopped = 0.0, math.inf, False
    order, pos = rng.permutation(len(X)), 0
    model.train()
    try:
        for k, lr in enumerate(lrs):
            if pos + batch_size > len(X) and pos > 0:        # start a new pass over the data
                order, pos = rng.permutation(len(X)), 0
            idx = order[pos:pos + batch_size]
            pos += batch_size
            # At the top of the sweep the loss is *meant* to blow up; its overflow is what stops the sweep.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for p in params:
                    p.grad.fill(0.0)
                out, caches = model.forward(X[idx])
                value, cache = loss.forward(out, y[idx])
                losses.append(value)
                if not math.isfinite(value):
                    smoothed.append(math.nan)
                    stopped = True
                    break
                avg = smoothing * avg + (1 - smoothing) * value
                smooth = avg / (1 - smoothing ** (k + 1))
                smoothed.append(smooth)
                if smooth > diverge_factor * best:
                    stopped = True
                    break
                best = min(best, smooth)
                model.backward(loss.backward(cache), caches)
                optimizer.lr = float(lr)
                optimizer.step()
    finally:
        model.load_state_dict(saved_model)
        optimizer.load_state_dict(saved_opt)
        model.train(was_training)
        for p, g in zip(params, saved_grads):
            p.grad[...] = g
    n = len(losses)
    return LRFinderResult(lrs=lrs[:n].copy(), losses=np.array(losses), smoothed=np.array(smoothed),
                          suggested_lr=suggest_lr(lrs[:n], smoothed), stopped_early=stopped)
