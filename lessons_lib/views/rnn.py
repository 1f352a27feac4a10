"""Section 2.4 — numbers behind the recurrent-layer figures: how far an input's influence reaches, and the
dominant period of a series.

numpy only (no matplotlib): :mod:`lessons_lib.plots.rnn` draws what these functions return.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_positive, check_positive_int
from ..rnn import RNN, check_sequence

__all__ = ["input_influence", "dominant_period"]


def input_influence(rnn: RNN, X, step: int = 0, delta: float = 1.0) -> np.ndarray:
    """How much every output ``Y_t`` changes when the input at time ``step`` is changed by ``delta``.

    Runs the layer on ``X`` (B, T, D) and on a copy whose step ``step`` has ``delta`` added to every feature,
    and returns, per time step, the largest absolute change of any output ``max |ΔY_t|`` (shape (T,)).
    Steps before ``step`` cannot change (the layer only looks back); the later ones show the memory.
    """
    if not isinstance(rnn, RNN):
        raise ValueError(f"rnn must be an RNN, got {type(rnn).__name__}")
    X = check_sequence(X, rnn.input_size, dtype=np.float64)
    T = X.shape[1]
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step < T:
        raise ValueError(f"step must be an integer time step in [0, {T}), got {step!r}")
    delta = float(as_float_array(delta, "delta", ndim=0))
    changed = X.copy()
    changed[:, step] += delta
    Y, _ = rnn.forward(X)
    Y2, _ = rnn.forward(changed)
    return np.abs(Y2 - Y).max(axis=(0, 2))


def dominant_period(values, spacing: float = 1.0) -> float:
    """The period (in units of ``spacing``) of the strongest oscillation in ``values``.

    The mean is removed, then the largest peak of the discrete Fourier spectrum (frequency zero excluded)
    gives the period ``len(values) * spacing / k``. A rough reading of a cycle, not a spectral analysis.
    """
    values = as_float_array(values, "values", ndim=1)
    n = check_positive_int(values.size, "len(values)", minimum=4)
    spacing = check_positive(spacing, "spacing")
    power = np.abs(np.fft.rfft(values - values.mean())) ** 2
    k = 1 + int(np.argmax(power[1:]))
    return n * spacing / k
