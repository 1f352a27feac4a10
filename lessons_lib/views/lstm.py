"""Section 2.4.2 — what the LSTM figures show: a task where memory matters and the gates on it.

The *marked-value* task: every sequence carries random values in ``[-1, 1]`` on channel 0 and a marker
(a 1) on channel 1 at one step in its first half; the target, read after the last step, is the value that
stood next to the marker. Every other value is a distractor, so the network must write the marked value
into its memory, keep it over the following steps and ignore what comes after - the job the LSTM's gates
were made for. With the marker always at step 0 it is the "remember the first value" task.

:func:`lstm_flow_cold_and_warm` measures how much gradient reaches the past in an LSTM whose forget gate
starts open, once from the zero state and once from a state warmed up on other inputs.

:func:`lstm_cell_view` is what the explorer of 2.4.2 draws: a one-unit LSTM whose gates are set by hand, on
the short sequence of :func:`cue_sequence` (a value to store, distractors, an optional erase cue), run by
:class:`lessons_lib.lstm.LSTM` itself with the hand-set numbers written into its weights.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .._validation import check_choice, check_in_range, check_positive, check_positive_int, check_rng
from ..losses import MSELoss
from ..lstm import GATES as GATES_LSTM
from ..lstm import LSTM
from ..rnn import RNN
from ..seq2seq import CELLS, History, SequenceToVector, train_models_together, train_sequence_model
from ..through_time import gradient_norms_through_time

__all__ = ["marked_value_task", "set_forget_bias", "train_marked_value_lstm", "MarkedValueRuns",
           "train_marked_value_runs", "gate_traces", "memory_correlation", "LSTMFlow", "lstm_flow_cold_and_warm",
           "CELL_STEPS", "WRITE_STEP", "ERASE_STEP", "MARKED_VALUE", "DISTRACTORS", "CHANNELS", "cue_sequence",
           "hand_set_lstm", "LSTMCellView", "lstm_cell_view"]


def marked_value_task(n: int, seq_len: int, rng, first_only: bool = False):
    """``X`` (n, seq_len, 2), targets ``y`` (n, 1) and the marker ``positions`` (n,).

    The marker sits at a uniformly drawn step in ``[0, seq_len // 2)`` (at step 0 with ``first_only``).
    """
    n = check_positive_int(n, "n")
    seq_len = check_positive_int(seq_len, "seq_len", minimum=2)
    rng = check_rng(rng)
    X = np.zeros((n, seq_len, 2))
    X[:, :, 0] = rng.uniform(-1.0, 1.0, size=(n, seq_len))
    positions = np.zeros(n, dtype=np.int64) if first_only else rng.integers(0, seq_len // 2, size=n)
    rows = np.arange(n)
    X[rows, positions, 1] = 1.0
    return X, X[rows, positions, 0][:, None].copy(), positions


def set_forget_bias(lstm: LSTM, value: float) -> None:
    """Start the forget gate at ``sigmoid(value)``: its block of ``b_x`` is set to ``value``, of ``b_h`` to 0."""
    H = lstm.hidden_size
    lstm.b_x.value[H:2 * H] = float(value)
    lstm.b_h.value[H:2 * H] = 0.0


def train_marked_value_lstm(rng=0, seq_len: int = 20, hidden_size: int = 8, n: int = 512,
                            forget_bias: float | None = 2.0, epochs: int = 30, lr: float = 0.02,
                            first_only: bool = False):
    """Train a sequence-to-vector LSTM on :func:`marked_value_task` (MSE, Adam, batches of 32).

    ``forget_bias`` (``None``: PyTorch's default initialisation) starts the forget gate near
    ``sigmoid(forget_bias)``. Returns ``(model, history, (X, y, positions))``; the targets have variance
    1/3, so an MSE of about 0.33 means the network has learned nothing.
    """
    rng = check_rng(rng)
    X, y, positions = marked_value_task(n, seq_len, rng, first_only=first_only)
    model = SequenceToVector(2, check_positive_int(hidden_size, "hidden_size"), 1, rng, cell="lstm")
    if forget_bias is not None:
        set_forget_bias(model.recurrent, forget_bias)
    history: History = train_sequence_model(model, X, y, MSELoss(), rng=rng, epochs=epochs, batch_size=32,
                                            lr=check_positive(lr, "lr"))
    return model, history, (X, y, positions)


class MarkedValueRuns(NamedTuple):
    """Result of :func:`train_marked_value_runs`: one entry per seed, in the order of ``seeds``."""

    seeds: tuple[int, ...]
    losses: np.ndarray            # (seeds, epochs): the training MSE of every epoch
    models: list                  # the trained SequenceToVector networks
    data: list                    # (X, y, positions) of each run

    @property
    def final(self) -> np.ndarray:
        """The last epoch's training MSE of every run."""
        return self.losses[:, -1]


def train_marked_value_runs(seeds=range(10), cell: str = "lstm", forget_bias: float | None = None,
                            seq_len: int = 20, hidden_size: int = 8, n: int = 512, epochs: int = 30,
                            lr: float = 0.02, first_only: bool = False) -> MarkedValueRuns:
    """The marked-value experiment once per seed, every seed in one batched run.

    Run ``k`` is, up to rounding, ``train_marked_value_lstm(rng=seeds[k], ...)`` with the same arguments
    (for ``cell="lstm"``): its own data, initial weights and batch order, all drawn from its seed. The runs
    are trained side by side by :func:`~lessons_lib.seq2seq.train_models_together`, so ten seeds of the
    book's 8-unit LSTM take about the time of five or six single runs (one BLAS thread).

    Parameters
    ----------
    seeds : iterable of int
    cell : ``"lstm"``, ``"gru"`` or ``"rnn"``
    forget_bias : float, optional
        LSTM only: start the forget gate near ``sigmoid(forget_bias)``; ``None`` keeps PyTorch's
        default initialisation.
    seq_len, hidden_size, n, epochs, lr, first_only
        As in :func:`train_marked_value_lstm`.
    """
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    cell = check_choice(str(cell).lower(), "cell", CELLS)
    if forget_bias is not None and cell != "lstm":
        raise ValueError(f"forget_bias is for the LSTM's forget gate; cell={cell!r} has none (use None)")
    hidden_size = check_positive_int(hidden_size, "hidden_size")
    models, data, rngs = [], [], []
    for seed in seeds:
        rng = check_rng(seed)
        X, y, positions = marked_value_task(n, seq_len, rng, first_only=first_only)
        model = SequenceToVector(2, hidden_size, 1, rng, cell=cell)
        if forget_bias is not None:
            set_forget_bias(model.recurrent, forget_bias)
        models.append(model)
        data.append((X, y, positions))
        rngs.append(rng)
    histories = train_models_together(models, [d[0] for d in data], [d[1] for d in data], MSELoss(),
                                      rngs=rngs, epochs=epochs, batch_size=32, lr=check_positive(lr, "lr"))
    return MarkedValueRuns(seeds, np.array([h.epoch_losses for h in histories]), models, data)


def gate_traces(lstm: LSTM, x) -> dict[str, np.ndarray]:
    """Run ``lstm`` on one sequence ``x`` (T, D): ``{"i", "f", "g", "o", "c", "h"}``, each (T, H)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be one sequence of shape (T, D), got shape {x.shape}")
    _, cache = lstm.forward(x[None])
    out = {name: np.array(values[0]) for name, values in cache["gates"].items()}
    out["c"] = np.array(cache["cells"][0])
    out["h"] = np.array(cache["states"][0])
    return out


def memory_correlation(lstm: LSTM, X, y) -> np.ndarray:
    """Correlation, over the sequences of ``X`` (B, T, D), between each unit's final cell state ``c_T``
    and the target ``y`` (B, 1) or (B,): (H,) values in [-1, 1]; near ±1 for a unit that stores it."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    _, cache = lstm.forward(X)
    c_last = cache["cells"][:, -1]
    if c_last.shape[0] != y.size:
        raise ValueError(f"y must have one target per sequence ({c_last.shape[0]}), got {y.size}")
    c = c_last - c_last.mean(axis=0)
    t = y - y.mean()
    denom = np.sqrt((c * c).sum(axis=0) * (t * t).sum())
    return np.divide(c.T @ t, denom, out=np.zeros(c.shape[1]), where=denom > 0)


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


# -------------------------------------------------------------------------------------------------------
# A one-unit LSTM with hand-set gates (the explorer of 2.4.2; the GRU's of 2.4.3 reads the same sequence)
# -------------------------------------------------------------------------------------------------------
#: Length of the explorers' sequence; the write cue's step and the erase cue's.
CELL_STEPS = 12
WRITE_STEP = 2
ERASE_STEP = 9
#: The value stored at WRITE_STEP.
MARKED_VALUE = 0.9
#: The distractors, one per step (the entries at WRITE_STEP and ERASE_STEP are not used): a fixed pattern,
#: so that every setting of the explorer runs on the same sequence.
DISTRACTORS = (0.3, -0.5, 0.0, 0.6, -0.8, 0.4, -0.3, 0.7, -0.6, 0.0, 0.5, -0.7)
#: The input channels, in the order of the weights' rows.
CHANNELS = ("value", "write cue", "erase cue")
#: The candidate's weight on the value: ``g_t = tanh(x_t)`` (LSTM), the input part of ``n_t`` (GRU).
CANDIDATE_WEIGHT = 1.0
#: The erase cue's weight on the LSTM's forget gate: closes it for every forget bias of the slider's range.
LSTM_ERASE_WEIGHT = -12.0
#: Bounds of every hand-set bias and weight (far beyond them a gate is 0 or 1 anyway).
PARAMETER_LIMIT = 50.0


def _flag(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _cell_parameter(value, name: str) -> float:
    return check_in_range(value, name, -PARAMETER_LIMIT, PARAMETER_LIMIT, high_closed=True)


def cue_sequence(distractors: bool = True, erase: bool = False) -> np.ndarray:
    """The explorers' input sequence, shape ``(CELL_STEPS, 3)``, channels :data:`CHANNELS`.

    Channel 0 (the value) holds :data:`MARKED_VALUE` at :data:`WRITE_STEP` and the :data:`DISTRACTORS`
    elsewhere (zeros with ``distractors=False``); channel 1 (the write cue) is 1 at ``WRITE_STEP``;
    channel 2 (the erase cue) is 1 at :data:`ERASE_STEP` with ``erase=True``, a step whose value is 0: a cue
    with nothing to store.
    """
    distractors, erase = _flag(distractors, "distractors"), _flag(erase, "erase")
    x = np.zeros((CELL_STEPS, len(CHANNELS)))
    if distractors:
        x[:, 0] = DISTRACTORS
    x[WRITE_STEP, 0] = MARKED_VALUE
    x[WRITE_STEP, 1] = 1.0
    if erase:
        x[ERASE_STEP, 0] = 0.0
        x[ERASE_STEP, 2] = 1.0
    return x


def hand_set_lstm(forget_bias: float, input_bias: float, output_bias: float, cue_weight: float) -> LSTM:
    """A one-unit :class:`~lessons_lib.lstm.LSTM` reading :func:`cue_sequence`, its weights set by hand.

    In the layer's layout (blocks i, f, g, o side by side, PyTorch's order) every recurrent weight and
    ``b_h`` are 0, and ``b_x = (input_bias, forget_bias, 0, output_bias)``; of ``W_x`` (3, 4) only three
    entries are not 0: the write cue's on the input gate (``cue_weight``), the erase cue's on the forget gate
    (:data:`LSTM_ERASE_WEIGHT`) and the value's on the candidate (:data:`CANDIDATE_WEIGHT`). So, with
    ``v_t, w_t, e_t`` the three channels (the equations of 2.4.2, "Two states instead of one")::

        i_t = σ(input_bias + cue_weight · w_t)      f_t = σ(forget_bias − 12 e_t)
        g_t = tanh(v_t)                             o_t = σ(output_bias)
    """
    values = {name: _cell_parameter(v, name) for name, v in (("forget_bias", forget_bias), ("input_bias", input_bias),
                                                       ("output_bias", output_bias), ("cue_weight", cue_weight))}
    lstm = LSTM(len(CHANNELS), 1, rng=0)
    i, f, g, o = (GATES_LSTM.index(k) for k in "ifgo")
    lstm.W_x.value[...] = 0.0
    lstm.W_x.value[1, i] = values["cue_weight"]
    lstm.W_x.value[2, f] = LSTM_ERASE_WEIGHT
    lstm.W_x.value[0, g] = CANDIDATE_WEIGHT
    lstm.W_h.value[...] = 0.0
    lstm.b_h.value[...] = 0.0
    lstm.b_x.value[...] = 0.0
    lstm.b_x.value[i] = values["input_bias"]
    lstm.b_x.value[f] = values["forget_bias"]
    lstm.b_x.value[o] = values["output_bias"]
    return lstm


class LSTMCellView(NamedTuple):
    """What :func:`lstm_cell_view` returns; every trace has one entry per step (``CELL_STEPS``)."""

    x: np.ndarray          # (T, 3) the inputs: value, write cue, erase cue
    i: np.ndarray          # input gate
    f: np.ndarray          # forget gate
    g: np.ndarray          # candidate content
    o: np.ndarray          # output gate
    c: np.ndarray          # cell state
    h: np.ndarray          # output
    stored: float          # c at WRITE_STEP: what was written
    held_step: int         # the last step before the erase cue (the last step without one)
    held: float            # c at held_step: what is left of it


def lstm_cell_view(forget_bias: float = 4.0, input_bias: float = -4.0, output_bias: float = 2.0,
                   cue_weight: float = 8.0, distractors: bool = True, erase: bool = False) -> LSTMCellView:
    """Run the :func:`hand_set_lstm` on :func:`cue_sequence`: the gates, ``c_t`` and ``h_t`` at every step.

    The traces are the layer's own (``LSTM.forward`` through :func:`gate_traces`). Cached: the explorer asks
    again for settings it has shown; the arrays returned are read-only.
    """
    args = (_cell_parameter(forget_bias, "forget_bias"), _cell_parameter(input_bias, "input_bias"),
            _cell_parameter(output_bias, "output_bias"), _cell_parameter(cue_weight, "cue_weight"),
            _flag(distractors, "distractors"), _flag(erase, "erase"))
    return _lstm_cell_view(*args)


@lru_cache(maxsize=256)
def _lstm_cell_view(forget_bias, input_bias, output_bias, cue_weight, distractors, erase) -> LSTMCellView:
    x = cue_sequence(distractors, erase)
    traces = gate_traces(hand_set_lstm(forget_bias, input_bias, output_bias, cue_weight), x)
    arrays = {name: traces[name][:, 0] for name in ("i", "f", "g", "o", "c", "h")}
    for a in (x, *arrays.values()):
        a.setflags(write=False)
    held_step = ERASE_STEP - 1 if erase else CELL_STEPS - 1
    return LSTMCellView(x=x, **arrays, stored=float(arrays["c"][WRITE_STEP]), held_step=held_step,
                        held=float(arrays["c"][held_step]))
