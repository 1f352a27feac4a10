"""Section 2.4.2 — what the LSTM figures show: a task where memory matters and the gates on it.

The *marked-value* task: every sequence carries random values in ``[-1, 1]`` on channel 0 and a marker
(a 1) on channel 1 at one step in its first half; the target, read after the last step, is the value that
stood next to the marker. Every other value is a distractor, so the network must write the marked value
into its memory, keep it over the following steps and ignore what comes after - the job the LSTM's gates
were made for. With the marker always at step 0 it is the "remember the first value" task.

:func:`lstm_flow_cold_and_warm` measures how much gradient reaches the past in an LSTM whose forget gate
starts open, once from the zero state and once from a state warmed up on other inputs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import check_choice, check_positive, check_positive_int, check_rng
from ..losses import MSELoss
from ..lstm import LSTM
from ..rnn import RNN
from ..seq2seq import CELLS, History, SequenceToVector, train_models_together, train_sequence_model
from ..through_time import gradient_norms_through_time

__all__ = ["marked_value_task", "set_forget_bias", "train_marked_value_lstm", "MarkedValueRuns",
           "train_marked_value_runs", "gate_traces", "memory_correlation", "LSTMFlow", "lstm_flow_cold_and_warm"]


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
