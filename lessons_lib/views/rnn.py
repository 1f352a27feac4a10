"""Section 2.4 — numbers behind the recurrent-layer figures: how far an input's influence reaches, the
dominant period of a series, and one recurrent neuron unrolled over a short input sequence (the explorer).

numpy only (no matplotlib): :mod:`lessons_lib.plots.rnn` draws what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_choice, check_positive, check_positive_int
from ..rnn import RNN, check_sequence

__all__ = ["input_influence", "dominant_period", "NEURON_INPUTS", "NEURON_STEPS", "SATURATED", "neuron_input",
           "NeuronView", "recurrent_neuron"]


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


#: The input sequences of the recurrent-neuron explorer.
NEURON_INPUTS = ("pulse", "step", "sine")
#: Their length: short enough to write every output in the unrolled chain.
NEURON_STEPS = 10
#: ``|ŷ_t|`` above this counts as saturated: there tanh' = 1 - ŷ_t² < 0.1.
SATURATED = 0.95


def neuron_input(kind: str, steps: int = NEURON_STEPS) -> np.ndarray:
    """An input sequence ``x_0, ..., x_{steps-1}`` of one feature.

    ``"pulse"``: 1 at step 0, then 0 (what is left of it later is memory); ``"step"``: 1 at every step;
    ``"sine"``: ``sin(2π t / 8)``, a period of 8 steps.
    """
    kind = check_choice(kind, "kind", NEURON_INPUTS)
    steps = check_positive_int(steps, "steps", minimum=2)
    t = np.arange(steps)
    if kind == "pulse":
        return (t == 0).astype(float)
    if kind == "step":
        return np.ones(steps)
    return np.sin(2 * np.pi * t / 8)


@dataclass(frozen=True)
class NeuronView:
    """One recurrent neuron run over a sequence (:func:`recurrent_neuron`)."""

    t: np.ndarray           # the steps 0, ..., T-1
    x: np.ndarray           # the input x_t
    y: np.ndarray           # the output ŷ_t = tanh(w_x x_t + w_ŷ ŷ_{t-1} + b), ŷ_{-1} = 0
    #: ∂ŷ_t/∂ŷ_{t-1} = w_ŷ (1 - ŷ_t²) for t = 1, ..., T-1: what one step does to a change of the previous
    #: output (entry k belongs to the arrow from step k to step k + 1).
    factor: np.ndarray
    saturated: np.ndarray   # |ŷ_t| > SATURATED: tanh' < 0.1 there
    #: ∂ŷ_{T-1}/∂ŷ_0, the product of all the factors: how much of a change of the first output the last
    #: one still shows.
    memory: float


def recurrent_neuron(w_x: float, w_y: float, b: float = 0.0, inputs="pulse",
                     steps: int = NEURON_STEPS) -> NeuronView:
    """One tanh recurrent neuron of section 2.4 with the weights ``w_x``, ``w_y`` (``w_ŷ``) and bias ``b``.

    The outputs are those of :class:`lessons_lib.rnn.RNN` with one input and one neuron, ``W_x = [[w_x]]``,
    ``W_h = [[w_y]]`` and ``b_x + b_h = b``, on the sequence ``inputs`` (a name of :data:`NEURON_INPUTS`, or
    a 1-D array of inputs).
    """
    w_x = float(as_float_array(w_x, "w_x", ndim=0))
    w_y = float(as_float_array(w_y, "w_y", ndim=0))
    b = float(as_float_array(b, "b", ndim=0))
    if isinstance(inputs, str):
        x = neuron_input(inputs, steps)
    else:
        x = as_float_array(inputs, "inputs", ndim=1)
        if x.size < 2:
            raise ValueError(f"inputs must hold at least two steps, got {x.size}")
    neuron = RNN(1, 1, rng=0)
    neuron.W_x.value[...] = w_x
    neuron.W_h.value[...] = w_y
    neuron.b_x.value[...] = b
    neuron.b_h.value[...] = 0.0
    y = neuron.forward(x.reshape(1, -1, 1))[0][0, :, 0].copy()
    factor = w_y * (1.0 - y[1:] ** 2)
    return NeuronView(np.arange(x.size), x, y, factor, np.abs(y) > SATURATED, float(np.prod(factor)))
