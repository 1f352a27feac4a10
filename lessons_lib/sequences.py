"""Sequence data for the recurrent chapters: synthetic series, windowing, small tasks, one real series.

Everything random takes an explicit generator or seed. Shapes follow the layers: inputs are batch-first
``(N, T, D)`` arrays.

The real series ships with the package (no download): yearly sunspot numbers 1700-2008, copied from the
statsmodels distribution, public domain (see ``data/LICENSE-series.txt``).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_choice,
    check_in_range,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_rng,
)

__all__ = ["synthetic_series", "split_series", "standardize", "sliding_windows", "next_step_windows",
           "one_hot", "frequency_classification_task", "sine_generation_task", "reverse_task",
           "Series", "SERIES", "load_series"]

_DATA = Path(__file__).resolve().parent / "data"
SERIES = {"sunspots": ("series-sunspots.csv", "yearly sunspot number (NGDC), 1700-2008")}


# ---------------------------------------------------------------------------------------------------
# Series and windows
# ---------------------------------------------------------------------------------------------------
def synthetic_series(n_steps: int, rng, trend: float = 0.01, period: float = 20.0, amplitude: float = 1.0,
                     noise: float = 0.1, level: float = 0.0) -> np.ndarray:
    """``level + trend * t + amplitude * sin(2 pi t / period) + noise * N(0, 1)`` for t = 0..n_steps-1."""
    n_steps = check_positive_int(n_steps, "n_steps")
    rng = check_rng(rng)
    t = np.arange(n_steps, dtype=np.float64)
    seasonal = check_nonnegative(amplitude, "amplitude") * np.sin(2 * np.pi * t / check_positive(period,
                                                                                                  "period"))
    noise = check_nonnegative(noise, "noise") * rng.standard_normal(n_steps)
    return level + trend * t + seasonal + noise


def split_series(series, train_fraction: float = 0.8) -> tuple[np.ndarray, np.ndarray]:
    """Chronological split: the first ``train_fraction`` for training, the rest (the future) for testing."""
    series = as_float_array(series, "series", ndim=1)
    frac = check_in_range(train_fraction, "train_fraction", 0.0, 1.0, low_closed=False)
    cut = int(round(frac * series.size))
    if cut < 1 or cut >= series.size:
        raise ValueError(f"train_fraction={train_fraction} leaves an empty part of a series of "
                         f"{series.size} values")
    return series[:cut], series[cut:]


def standardize(series, mean: float | None = None, std: float | None = None):
    """``(series - mean) / std`` and the ``(mean, std)`` used (computed from ``series`` when not given;
    pass the training part's values when scaling the test part)."""
    series = as_float_array(series, "series")
    mean = float(series.mean()) if mean is None else float(mean)
    std = float(series.std()) if std is None else check_positive(std, "std")
    if std == 0:
        raise ValueError("series must not be constant (its standard deviation is 0)")
    return (series - mean) / std, mean, std


def sliding_windows(series, window: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """All windows of ``window`` values and the ``horizon`` values that follow each.

    Returns ``X`` (N, window, 1) and ``y`` (N, horizon) with ``N = len(series) - window - horizon + 1``:
    the data of a sequence-to-vector forecaster.
    """
    series = as_float_array(series, "series", ndim=1)
    window = check_positive_int(window, "window")
    horizon = check_positive_int(horizon, "horizon")
    n = series.size - window - horizon + 1
    if n < 1:
        raise ValueError(f"window + horizon = {window + horizon} must not exceed the series length "
                         f"{series.size}")
    frames = np.lib.stride_tricks.sliding_window_view(series, window + horizon)
    return frames[:, :window, None].copy(), frames[:, window:].copy()


def next_step_windows(series, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows and the same windows shifted by one step: ``Y[:, t] = X[:, t + 1]`` in the series.

    Returns ``X``, ``Y`` of shape (N, window, 1): the data of a sequence-to-sequence forecaster that
    predicts the next value at every step.
    """
    X, y = sliding_windows(series, window, 1)
    Y = np.concatenate([X[:, 1:, 0], y], axis=1)[:, :, None]
    return X, Y


def one_hot(tokens, vocab_size: int) -> np.ndarray:
    """Integer tokens of any shape -> float one-hot vectors with a trailing axis of ``vocab_size``."""
    vocab_size = check_positive_int(vocab_size, "vocab_size")
    tokens = np.asarray(tokens)
    if tokens.dtype.kind not in "iu" or (tokens.size and (tokens.min() < 0 or tokens.max() >= vocab_size)):
        raise ValueError(f"tokens must be integers in [0, {vocab_size}), got {tokens.dtype} values")
    return np.eye(vocab_size)[tokens]


# ---------------------------------------------------------------------------------------------------
# Task generators for the four wirings
# ---------------------------------------------------------------------------------------------------
def frequency_classification_task(n: int, seq_len: int, rng, noise: float = 0.2):
    """Sequence-to-vector classification: is a noisy sine wave slow (class 0) or fast (class 1)?

    Periods are drawn from [12, 20] steps for class 0 and [4, 7] for class 1, with a random phase.
    Returns ``X`` (n, seq_len, 1) and integer ``labels`` (n,).
    """
    n, seq_len = check_positive_int(n, "n"), check_positive_int(seq_len, "seq_len")
    rng = check_rng(rng)
    labels = rng.integers(0, 2, size=n)
    period = np.where(labels == 0, rng.uniform(12, 20, n), rng.uniform(4, 7, n))
    phase = rng.uniform(0, 2 * np.pi, n)
    t = np.arange(seq_len)
    X = np.sin(2 * np.pi * t / period[:, None] + phase[:, None])
    X += check_nonnegative(noise, "noise") * rng.standard_normal(X.shape)
    return X[:, :, None], labels


def sine_generation_task(n: int, seq_len: int, rng):
    """Vector-to-sequence: from ``v = (amplitude, frequency)`` generate ``amplitude * sin(frequency * t)``.

    Amplitudes in [0.5, 1], angular frequencies in [0.3, 0.8] rad/step, t = 1..seq_len.
    Returns ``V`` (n, 2) and ``Y`` (n, seq_len, 1).
    """
    n, seq_len = check_positive_int(n, "n"), check_positive_int(seq_len, "seq_len")
    rng = check_rng(rng)
    V = np.column_stack([rng.uniform(0.5, 1.0, n), rng.uniform(0.3, 0.8, n)])
    t = np.arange(1, seq_len + 1)
    Y = V[:, :1] * np.sin(V[:, 1:] * t)
    return V, Y[:, :, None]


def reverse_task(n: int, length: int, vocab_size: int, rng):
    """Encoder-decoder toy translation: map a token sequence to the same tokens in reverse order.

    Returns ``source`` and ``target`` integer arrays of shape (n, length).
    """
    n, length = check_positive_int(n, "n"), check_positive_int(length, "length")
    vocab_size = check_positive_int(vocab_size, "vocab_size", minimum=2)
    source = check_rng(rng).integers(0, vocab_size, size=(n, length))
    return source, source[:, ::-1].copy()


# ---------------------------------------------------------------------------------------------------
# The real series
# ---------------------------------------------------------------------------------------------------
class Series(NamedTuple):
    """A real time series: ``time`` (e.g. years) and ``values``, both 1-D float arrays."""

    time: np.ndarray
    values: np.ndarray
    name: str
    description: str


def load_series(name: str = "sunspots") -> Series:
    """Load a time series shipped with the package (offline). Names: :data:`SERIES` (``"sunspots"``)."""
    name = check_choice(name, "name", SERIES)
    filename, description = SERIES[name]
    data = np.loadtxt(_DATA / filename, delimiter=",", skiprows=1, ndmin=2)
    return Series(time=data[:, 0], values=data[:, 1], name=name, description=description)
