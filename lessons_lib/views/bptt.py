"""What the BPTT chapter (2.4.1) prints and plots, as pure numpy functions.

* :func:`per_step_recurrent_gradients` - the contribution of every time step to ``dL/dW_h`` of a simple
  RNN; their sum is the gradient that :meth:`~lessons_lib.rnn.RNN.backward` accumulates.
* :func:`sunspot_forecast` - train a small sequence-to-sequence model on the sunspot numbers up to a
  year and forecast the years after it, one step ahead and free-running, with simple baselines.
* :func:`lstm_flow_cold_and_warm` - the LSTM curve of ``compare_gradient_flow(keep_gate_bias=...)``,
  once from the zero state and once from a state warmed up on other inputs, with the cell state's size.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_positive_int, check_rng
from ..losses import MSELoss
from ..lstm import LSTM
from ..rnn import RNN
from ..seq2seq import History, SequenceToSequence, train_sequence_model
from ..sequences import load_series, next_step_windows, standardize
from ..through_time import gradient_norms_through_time

__all__ = ["per_step_recurrent_gradients", "SunspotForecast", "sunspot_forecast", "LSTMFlow",
           "lstm_flow_cold_and_warm"]


def per_step_recurrent_gradients(rnn: RNN, dY, cache: dict) -> np.ndarray:
    """``(T, H, H)``: what step ``t`` adds to ``dL/dW_h``, namely ``h_{t-1}^T (dL/dh_t * f'(a_t))``.

    ``dY`` and ``cache`` are those of ``rnn.forward`` / ``rnn.backward``. ``W_h`` is the same matrix at
    every step, so backpropagation through time adds these ``T`` matrices into one gradient; no
    parameter gradient is touched here.
    """
    if not isinstance(rnn, RNN):
        raise ValueError(f"rnn must be a lessons_lib.rnn.RNN, got {type(rnn).__name__}")
    dH = rnn.state_gradients(dY, cache)                       # (B, T, H): total gradient reaching h_t
    states = cache["states"]                                  # (B, T, H)
    dA = dH * rnn._f_prime_from_output(states)                # through h_t = f(a_t)
    prev = np.concatenate([cache["h0"][:, None], states[:, :-1]], axis=1)    # h_{t-1} for every t
    return np.einsum("bti,btj->tij", prev, dA)


class SunspotForecast(NamedTuple):
    """Result of :func:`sunspot_forecast`; all values in sunspot units (not standardised)."""

    years: np.ndarray          # every year of the series
    values: np.ndarray         # every observed value
    split_year: float          # first year of the test part
    one_step: np.ndarray       # forecast of each test year from the true values of the years before it
    free_running: np.ndarray   # forecast of the first ``free_steps`` test years, fed its own predictions
    rmse: dict                 # root-mean-square errors on the test years (see sunspot_forecast)
    history: History


def _last_step(model: SequenceToSequence, windows: np.ndarray) -> np.ndarray:
    return model.forward(windows[:, :, None])[0][:, -1, 0]


def sunspot_forecast(rng=0, split_year: int = 1950, window: int = 24, hidden_size: int = 16,
                     epochs: int = 30, cell: str = "gru", free_steps: int = 22) -> SunspotForecast:
    """Forecast the yearly sunspot number after ``split_year`` with a small recurrent model.

    The model (a :class:`~lessons_lib.seq2seq.SequenceToSequence` with one input and one output) learns on
    windows of ``window`` years before ``split_year`` to predict the next year at every step, on values
    standardised with the training part's mean and standard deviation. The forecasts use the last step's
    output. ``rmse`` compares, over all test years:

    * ``"model, one step"`` - the model, given the true values up to the year before;
    * ``"persistence"`` - next year equals this year;
    * ``"training mean"`` - always the mean of the training years;

    and over the first ``free_steps`` test years ``"model, free-running"`` (its own predictions fed back,
    a real forecast from ``split_year``) against ``"training mean, same years"``.
    """
    rng = check_rng(rng)
    window = check_positive_int(window, "window")
    free_steps = check_positive_int(free_steps, "free_steps")
    series = load_series("sunspots")
    years, values = series.time, series.values
    cut = int(np.searchsorted(years, split_year))
    if cut <= window + 1 or cut >= years.size:
        raise ValueError(f"split_year={split_year} must leave more than window={window} training years and "
                         f"at least one test year in {years[0]:.0f}-{years[-1]:.0f}")
    free_steps = min(free_steps, years.size - cut)
    train, mean, std = standardize(values[:cut])
    scaled = (values - mean) / std
    X, Y = next_step_windows(train, window)
    model = SequenceToSequence(1, hidden_size, 1, rng, cell=cell)
    history = train_sequence_model(model, X, Y, MSELoss(), rng=rng, epochs=epochs, batch_size=16, lr=0.01)

    test_idx = np.arange(cut, years.size)
    windows = np.stack([scaled[i - window:i] for i in test_idx])
    one_step = _last_step(model, windows) * std + mean

    recent = list(scaled[cut - window:cut])
    for _ in range(free_steps):
        recent.append(float(_last_step(model, np.array(recent[-window:])[None])[0]))
    free_running = np.array(recent[window:]) * std + mean

    truth = values[cut:]

    def rmse(pred, true):
        return float(np.sqrt(np.mean((np.asarray(pred) - true) ** 2)))

    train_mean = float(values[:cut].mean())
    scores = {
        "model, one step": rmse(one_step, truth),
        "persistence": rmse(values[cut - 1:-1], truth),
        "training mean": rmse(train_mean, truth),
        "model, free-running": rmse(free_running, truth[:free_steps]),
        "training mean, same years": rmse(train_mean, truth[:free_steps]),
    }
    return SunspotForecast(years, values, float(years[cut]), one_step, free_running, scores, history)


class LSTMFlow(NamedTuple):
    """Result of :func:`lstm_flow_cold_and_warm`; curves are indexed by steps back from the loss."""

    cold: np.ndarray        # entry k: ||dL/dh_{T-1-k}|| / ||dL/dh_{T-1}||, starting from h0 = c0 = 0
    warm: np.ndarray        # the same, starting from the state left by ``seq_len`` other steps
    cell_size: np.ndarray   # entry t: mean |c_t| over batch and units in the cold run (step 0 first)


def lstm_flow_cold_and_warm(rng=0, seq_len: int = 50, input_size: int = 4, hidden_size: int = 32,
                            batch: int = 16, keep_gate_bias: float = 3.0) -> LSTMFlow:
    """The LSTM of :func:`~lessons_lib.through_time.compare_gradient_flow`, started cold and warm.

    The inputs and the LSTM are drawn from ``rng`` in the same order as in ``compare_gradient_flow``,
    so ``cold`` is its LSTM curve (divided by its last entry and reversed). ``warm`` runs the same layer
    on the same inputs, but starting from the final ``(h, c)`` of a run over ``seq_len`` further random
    steps, so that the cell state is no longer near 0 at the first step.
    """
    rng = check_rng(rng)
    seq_len = check_positive_int(seq_len, "seq_len")
    batch = check_positive_int(batch, "batch")
    input_size = check_positive_int(input_size, "input_size")
    hidden_size = check_positive_int(hidden_size, "hidden_size")
    X = rng.normal(size=(batch, seq_len, input_size))
    RNN(input_size, hidden_size, rng)                 # drawn only to keep compare_gradient_flow's order
    lstm = LSTM(input_size, hidden_size, rng)
    H = hidden_size
    lstm.b_x.value[H:2 * H] = float(keep_gate_bias)   # the forget gate, block 1 of (i, f, g, o)
    lstm.b_h.value[H:2 * H] = 0.0
    _, cache = lstm.forward(X)
    cold = gradient_norms_through_time(lstm, X)
    Y_warm, cache_warm = lstm.forward(rng.normal(size=X.shape))
    warm = gradient_norms_through_time(lstm, X, (Y_warm[:, -1], cache_warm["cells"][:, -1]))
    return LSTMFlow(cold[::-1] / cold[-1], warm[::-1] / warm[-1],
                    np.abs(cache["cells"]).mean(axis=(0, 2)))
