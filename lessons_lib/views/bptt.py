"""What the BPTT chapter (2.4.1) prints and plots, as pure numpy functions.

* :func:`per_step_recurrent_gradients` - the contribution of every time step to ``dL/dW_h`` of a simple
  RNN; their sum is the gradient that :meth:`~lessons_lib.rnn.RNN.backward` accumulates.
* :func:`sunspot_forecast` - train a small sequence-to-sequence model on the sunspot numbers up to a
  year and forecast the years after it, one step ahead and free-running, with simple baselines.
* :func:`rnn_gradient_flow` - how much of the gradient of a loss on the last step survives ``k`` steps
  back in a simple RNN whose recurrent weights are scaled by a few factors, with the largest singular value
  of each scaled matrix (the bound of Pascanu et al.).
* :func:`gradient_flow_through_time` - the same measurement for one cell (simple RNN, LSTM or GRU) with its
  recurrent weights scaled, a chosen sequence length and, for the LSTM, a forget-gate bias (the explorer).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .._validation import as_float_array, check_choice, check_positive, check_positive_int, check_rng
from ..gru import GRU
from ..losses import MSELoss
from ..lstm import LSTM
from ..rnn import RNN
from ..seq2seq import History, SequenceToSequence, train_sequence_model
from ..sequences import load_series, next_step_windows, standardize
from ..through_time import gradient_norms_through_time

__all__ = ["per_step_recurrent_gradients", "SunspotForecast", "sunspot_forecast", "RNNFlow",
           "rnn_gradient_flow", "FLOW_CELLS", "FLOW_BASE_STEPS", "FLOW_MAX_STEPS", "CellFlow",
           "gradient_flow_through_time"]


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


class RNNFlow(NamedTuple):
    """Result of :func:`rnn_gradient_flow`, one entry per scale ``s`` (in the order given)."""

    scales: tuple            # the factors s that multiply W_h
    norms: dict              # s -> ||dL/dh_t|| for every step t (step 0 first), as compare_gradient_flow gives
    back: dict               # s -> entry k: ||dL/dh_{T-1-k}|| / ||dL/dh_{T-1}||, the share that survives k steps
    per_step: dict           # s -> (back[s][T-1]) ** (1 / (T-1)): the average factor per step
    sigma_max: dict          # s -> the largest singular value of s * W_h: the most it stretches a vector
    typical: dict            # s -> ||s W_h||_F / sqrt(H): how much it stretches a random direction (RMS)


def rnn_gradient_flow(scales=(1.0,), rng=0, seq_len: int = 50, input_size: int = 4, hidden_size: int = 32,
                      batch: int = 16) -> RNNFlow:
    """The simple RNN of :func:`~lessons_lib.through_time.compare_gradient_flow` with ``W_h`` scaled by each ``s``.

    The inputs (``batch`` random sequences of ``seq_len`` steps) and the layer are drawn from ``rng`` in the
    same order as in ``compare_gradient_flow``, so ``norms[s]`` is its ``"RNN"`` curve for
    ``rnn_weight_scale=s``. A loss on the last step only: ``back[s][k]`` is the share of its gradient that
    reaches ``k`` steps back, and ``sigma_max[s]`` the largest singular value of ``s * W_h``, which bounds the
    factor of one step from above (``tanh' <= 1``). ``typical[s]`` is the root-mean-square stretch of a
    random direction, ``||s W_h||_F / sqrt(H)`` (for a vector ``v`` drawn uniformly from the sphere,
    ``E ||v W||^2 = ||v||^2 ||W||_F^2 / H``).
    """
    scales = tuple(check_positive(s, "scales") for s in np.atleast_1d(np.asarray(scales, dtype=float)))
    if not scales:
        raise ValueError("scales must hold at least one factor")
    rng = check_rng(rng)
    seq_len = check_positive_int(seq_len, "seq_len", minimum=2)
    X = rng.normal(size=(check_positive_int(batch, "batch"), seq_len, check_positive_int(input_size,
                                                                                         "input_size")))
    hidden_size = check_positive_int(hidden_size, "hidden_size")
    rnn = RNN(input_size, hidden_size, rng)
    W_h = rnn.W_h.value.copy()
    sigma = float(np.linalg.norm(W_h, 2))
    rms = float(np.sqrt(np.sum(W_h * W_h) / hidden_size))
    norms, back, per_step, sigma_max, typical = {}, {}, {}, {}, {}
    for s in scales:
        rnn.W_h.value[...] = W_h * s
        norms[s] = gradient_norms_through_time(rnn, X)
        back[s] = norms[s][::-1] / norms[s][-1]
        per_step[s] = float(back[s][-1] ** (1 / (seq_len - 1)))
        sigma_max[s] = s * sigma
        typical[s] = s * rms
    return RNNFlow(scales, norms, back, per_step, sigma_max, typical)


#: The cells of :func:`gradient_flow_through_time`, named as in :func:`~lessons_lib.through_time.compare_gradient_flow`.
FLOW_CELLS = ("RNN", "LSTM", "GRU")
#: The sequence length at which :func:`gradient_flow_through_time` draws exactly what ``compare_gradient_flow``
#: draws; the inputs of longer sequences go on with draws made after the layers'.
FLOW_BASE_STEPS = 50
#: The longest sequence :func:`gradient_flow_through_time` measures.
FLOW_MAX_STEPS = 100


class CellFlow(NamedTuple):
    """Result of :func:`gradient_flow_through_time`."""

    cell: str
    scale: float
    seq_len: int
    forget_bias: float | None   # the LSTM's forget-gate bias; None for the other cells
    norms: np.ndarray           # ||dL/dh_t||, mean over the batch, for t = 0, ..., T-1
    back: np.ndarray            # entry k: ||dL/dh_{T-1-k}|| / ||dL/dh_{T-1}||, the share that survives k steps
    per_step: float             # back[T-1] ** (1 / (T-1)): the geometric mean of the factors of the T-1 steps


def gradient_flow_through_time(cell: str = "RNN", scale: float = 1.0, seq_len: int = FLOW_BASE_STEPS,
                               forget_bias: float = 0.0, rng: int = 241, input_size: int = 4,
                               hidden_size: int = 32, batch: int = 16) -> CellFlow:
    """``||dL/dh_t||`` for a loss on the last of ``seq_len`` steps, in one cell with its recurrent weights scaled.

    The inputs and the three layers are drawn from the seed ``rng`` in the order of
    :func:`~lessons_lib.through_time.compare_gradient_flow` with ``seq_len=FLOW_BASE_STEPS`` (inputs, then the
    RNN, the LSTM and the GRU at PyTorch's initialisation), and the inputs of steps ``FLOW_BASE_STEPS`` to
    ``FLOW_MAX_STEPS - 1`` after them: every length runs the same layers on the first ``seq_len`` steps of the
    same sequences, and at ``FLOW_BASE_STEPS`` steps the curves are those of ``compare_gradient_flow``.

    Parameters
    ----------
    cell : {"RNN", "LSTM", "GRU"}
    scale : float
        Multiplies all of the cell's recurrent weights ``W_h`` (every gate's block for the LSTM and the GRU),
        > 0; for the simple RNN this is ``compare_gradient_flow``'s ``rnn_weight_scale``.
    seq_len : int
        Steps, 2 to :data:`FLOW_MAX_STEPS`.
    forget_bias : float
        The LSTM's forget-gate bias (``b_x`` of the f block; ``b_h``'s is set to 0), as ``keep_gate_bias`` of
        ``compare_gradient_flow``; the other cells have no forget gate and ignore it.
    rng : int
        The seed (an integer, so that results can be cached); 241 is the seed of section 2.4.1.

    The measurement takes up to a few hundredths of a second, so results are cached.
    """
    cell = check_choice(cell, "cell", FLOW_CELLS)
    scale = check_positive(scale, "scale")
    seq_len = check_positive_int(seq_len, "seq_len", minimum=2)
    if seq_len > FLOW_MAX_STEPS:
        raise ValueError(f"seq_len must be at most {FLOW_MAX_STEPS}, got {seq_len}")
    bias = float(as_float_array(forget_bias, "forget_bias", ndim=0)) if cell == "LSTM" else None
    if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)):
        raise ValueError(f"rng must be an integer seed, got {rng!r}")
    sizes = tuple(check_positive_int(v, name) for v, name in ((input_size, "input_size"),
                                                               (hidden_size, "hidden_size"), (batch, "batch")))
    return _cell_flow(cell, scale, seq_len, bias, int(rng), *sizes)


@lru_cache(maxsize=512)
def _cell_flow(cell, scale, seq_len, bias, seed, input_size, hidden_size, batch) -> CellFlow:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, FLOW_BASE_STEPS, input_size))
    layers = {"RNN": RNN(input_size, hidden_size, rng), "LSTM": LSTM(input_size, hidden_size, rng),
              "GRU": GRU(input_size, hidden_size, rng)}
    X = np.concatenate([X, rng.normal(size=(batch, FLOW_MAX_STEPS - FLOW_BASE_STEPS, input_size))], axis=1)
    layer = layers[cell]
    layer.W_h.value *= scale
    if bias is not None:                           # f is block 1 of the LSTM's (i, f, g, o)
        layer.b_x.value[hidden_size:2 * hidden_size] = bias
        layer.b_h.value[hidden_size:2 * hidden_size] = 0.0
    norms = gradient_norms_through_time(layer, X[:, :seq_len])
    norms.setflags(write=False)                    # cached: shared by every caller
    back = norms[::-1] / norms[-1]
    back.setflags(write=False)
    return CellFlow(cell, scale, seq_len, bias, norms, back, float(back[-1] ** (1 / (seq_len - 1))))
