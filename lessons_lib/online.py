"""Sections 1.2.1 and 1.2.2 — batch versus online learning on a stream whose rule changes.

A linear model ``y ≈ x·w + b`` is fitted either once, on all the data available at the start (batch), or
continually, one mini-batch at a time with a gradient step each (online). When the world drifts, the batch
model's error grows until it is retrained; the online model follows, at a speed set by its learning rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_positive, check_positive_int, check_rng


@dataclass(frozen=True)
class Stream:
    X: np.ndarray        # (n, features), in arrival order
    y: np.ndarray        # (n,)
    drift_at: int        # index where the true weights change


def drifting_stream(n: int = 2000, rng=0, features: int = 2, drift_at: int | None = None,
                    noise: float = 0.1) -> Stream:
    """Examples arriving one after the other; at ``drift_at`` (default: half-way) the true rule changes."""
    n = check_positive_int(n, "n", minimum=2)
    features = check_positive_int(features, "features")
    rng = check_rng(rng)
    drift_at = n // 2 if drift_at is None else check_positive_int(drift_at, "drift_at")
    if drift_at >= n:
        raise ValueError(f"drift_at must be smaller than n ({n}), got {drift_at}")
    w_before, w_after = rng.normal(size=features), rng.normal(size=features)
    X = rng.normal(size=(n, features))
    w = np.where(np.arange(n)[:, None] < drift_at, w_before, w_after)
    y = (X * w).sum(1) + 0.5 + noise * rng.normal(size=n)
    return Stream(X, y, drift_at)


def least_squares(X, y) -> tuple[np.ndarray, float]:
    """Batch learning: the weights and bias minimising the squared error on all of ``X, y`` at once."""
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    A = np.column_stack([X, np.ones(len(X))])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    return coef[:-1], float(coef[-1])


@dataclass(frozen=True)
class StreamErrors:
    """Squared error of each model on each mini-batch *before* it learns from it (an honest test)."""

    batch_starts: np.ndarray
    batch_model: np.ndarray     # trained once on the first ``train_size`` examples
    online_model: np.ndarray    # one SGD step per mini-batch


def compare_on_stream(stream: Stream, train_size: int = 200, batch_size: int = 20, lr: float = 0.05) -> StreamErrors:
    """Play the stream: the batch model is frozen after its initial training; the online model keeps learning."""
    train_size = check_positive_int(train_size, "train_size")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    if train_size >= len(stream.y):
        raise ValueError(f"train_size must be smaller than the stream ({len(stream.y)}), got {train_size}")
    w_batch, b_batch = least_squares(stream.X[:train_size], stream.y[:train_size])
    w, b = w_batch.copy(), b_batch       # the online model starts from the same fit, then keeps going
    starts, err_batch, err_online = [], [], []
    for s in range(train_size, len(stream.y), batch_size):
        X, y = stream.X[s:s + batch_size], stream.y[s:s + batch_size]
        starts.append(s)
        err_batch.append(float(np.mean((X @ w_batch + b_batch - y) ** 2)))
        residual = X @ w + b - y
        err_online.append(float(np.mean(residual ** 2)))
        # One gradient step on this mini-batch's mean squared error, then the data is discarded.
        w -= lr * 2 * X.T @ residual / len(y)
        b -= lr * 2 * residual.mean()
    return StreamErrors(np.array(starts), np.array(err_batch), np.array(err_online))
