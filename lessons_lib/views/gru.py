"""Section 2.4.3 — the numbers behind the GRU chapter: parameter counts, the two reset variants, a
training race between the simple RNN, the LSTM and the GRU on one of the ``seq2seq`` demos, and the
one-unit GRU with hand-set gates of the chapter's explorer (:func:`gru_cell_view`), on the sequence of the
LSTM's explorer (:func:`lessons_lib.views.lstm.cue_sequence`)."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .._validation import check_choice, check_positive_int
from ..gru import GATES as GATES_GRU
from ..gru import GRU
from ..seq2seq import (
    CELLS,
    DEMO_SETTINGS,
    classification_demo,
    forecasting_demo,
    generation_demo,
    make_recurrent,
)
from .lstm import CANDIDATE_WEIGHT, CELL_STEPS, CHANNELS, ERASE_STEP, WRITE_STEP, _cell_parameter, _flag, cue_sequence

__all__ = ["parameter_counts", "variant_outputs", "training_race", "RACE_TASKS", "gru_traces", "hand_set_gru",
           "GRUCellView", "gru_cell_view", "CANDIDATE_RECURRENT_WEIGHT"]

RACE_TASKS = {"generate": generation_demo, "forecast": forecasting_demo, "classify": classification_demo}


def parameter_counts(input_size: int, hidden_size: int) -> dict[str, int]:
    """Trainable numbers of a layer of each cell (``"rnn"``, ``"lstm"``, ``"gru"``), counted on real layers.

    With PyTorch's two bias vectors a cell with ``k`` blocks (1, 4, 3) has ``k (D H + H H + 2 H)``.
    """
    D = check_positive_int(input_size, "input_size")
    H = check_positive_int(hidden_size, "hidden_size")
    return {cell: sum(p.value.size for p in make_recurrent(cell, D, H, rng=0).parameters()) for cell in CELLS}


def variant_outputs(X, hidden_size: int = 4, rng=0) -> dict[str, np.ndarray]:
    """Run two GRUs with *identical* weights, one per variant, on ``X`` (B, T, D).

    Returns ``{"reset_after": Y, "reset_before": Y, "r": reset gates of the first}``, ``Y`` (B, T, H).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3:
        raise ValueError(f"X must have shape (batch, steps, features), got shape {X.shape}")
    after = GRU(X.shape[2], hidden_size, rng, variant="reset_after")
    before = GRU(X.shape[2], hidden_size, 0, variant="reset_before")
    for src, dst in zip(after.parameters(), before.parameters()):
        dst.value[...] = src.value
    Y_after, cache = after.forward(X)
    Y_before, _ = before.forward(X)
    return {"reset_after": Y_after, "reset_before": Y_before, "r": cache["gates"]["r"]}


@lru_cache(maxsize=8)
def _race(task: str, seeds: tuple[int, ...], epochs: int) -> dict[str, tuple[tuple[float, ...], ...]]:
    demo = RACE_TASKS[task]
    # One set of settings for every cell: the gated cells' (DEMO_SETTINGS tunes the simple RNN's separately).
    shared = {k: v for k, v in DEMO_SETTINGS[task]["gru"].items() if k != "epochs"}
    return {cell: tuple(tuple(demo(rng=seed, cell=cell, epochs=epochs, **shared)[1].epoch_losses)
                        for seed in seeds)
            for cell in CELLS}


def training_race(task: str = "generate", seeds=(0, 1, 2), epochs: int = 20) -> dict[str, np.ndarray]:
    """Train the same demo with each cell and each seed: ``{cell: (len(seeds), epochs) epoch losses}``.

    Every cell trains with the same settings, the gated cells' of :data:`~lessons_lib.seq2seq.DEMO_SETTINGS`
    (``epochs`` apart). The seed fixes the data, so the three cells of one seed learn from the same examples
    (their initial weights and the order of the batches differ). A run that diverged is padded with NaN after
    its last epoch. Cached: calling it again with the same arguments costs nothing.
    """
    task = check_choice(task, "task", RACE_TASKS)
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds must name at least one seed")
    raw = _race(task, seeds, check_positive_int(epochs, "epochs"))
    out = {}
    for cell, runs in raw.items():
        losses = np.full((len(seeds), epochs), np.nan)
        for k, run in enumerate(runs):
            losses[k, :len(run)] = run
        out[cell] = losses
    return out


# -------------------------------------------------------------------------------------------------------
# A one-unit GRU with hand-set gates (the explorer of 2.4.3)
# -------------------------------------------------------------------------------------------------------
#: The candidate's weight on the old state, ``W_hn``: with it the reset gate has something to act on.
CANDIDATE_RECURRENT_WEIGHT = 1.0


def gru_traces(gru: GRU, x) -> dict[str, np.ndarray]:
    """Run ``gru`` on one sequence ``x`` (T, D): ``{"r", "z", "n", "h"}``, each (T, H) (the GRU's
    counterpart of :func:`lessons_lib.views.lstm.gate_traces`)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"x must be one sequence of shape (T, D), got shape {x.shape}")
    _, cache = gru.forward(x[None])
    out = {name: np.array(values[0]) for name, values in cache["gates"].items()}
    out["h"] = np.array(cache["states"][0])
    return out


def hand_set_gru(update_bias: float, reset_bias: float, cue_weight: float) -> GRU:
    """A one-unit :class:`~lessons_lib.gru.GRU` (PyTorch's reset-after form) reading
    :func:`~lessons_lib.views.lstm.cue_sequence`, its weights set by hand.

    In the layer's layout (blocks r, z, n side by side, PyTorch's order) ``b_h`` is 0 and
    ``b_x = (reset_bias, update_bias, 0)``; the write cue and the erase cue both weigh ``cue_weight`` on the
    update gate (negative: the cue opens the write), the value weighs :data:`CANDIDATE_WEIGHT` on the candidate,
    and the only recurrent weight is the candidate's, ``W_hn =`` :data:`CANDIDATE_RECURRENT_WEIGHT`. So, with
    ``v_t, w_t, e_t`` the three channels (the equations of 2.4.3, "From the LSTM to the GRU")::

        r_t = σ(reset_bias)                   z_t = σ(update_bias + cue_weight · (w_t + e_t))
        n_t = tanh(v_t + r_t · h_{t-1})       h_t = (1 − z_t) · n_t + z_t · h_{t-1}
    """
    values = {name: _cell_parameter(v, name) for name, v in (("update_bias", update_bias), ("reset_bias", reset_bias),
                                                       ("cue_weight", cue_weight))}
    gru = GRU(len(CHANNELS), 1, rng=0, variant="reset_after")
    r, z, n = (GATES_GRU.index(k) for k in "rzn")
    gru.W_x.value[...] = 0.0
    gru.W_x.value[1, z] = gru.W_x.value[2, z] = values["cue_weight"]
    gru.W_x.value[0, n] = CANDIDATE_WEIGHT
    gru.W_h.value[...] = 0.0
    gru.W_h.value[0, n] = CANDIDATE_RECURRENT_WEIGHT
    gru.b_h.value[...] = 0.0
    gru.b_x.value[...] = 0.0
    gru.b_x.value[r] = values["reset_bias"]
    gru.b_x.value[z] = values["update_bias"]
    return gru


class GRUCellView(NamedTuple):
    """What :func:`gru_cell_view` returns; every trace has one entry per step (``CELL_STEPS``)."""

    x: np.ndarray          # (T, 3) the inputs: value, write cue, erase cue
    r: np.ndarray          # reset gate
    z: np.ndarray          # update gate (the share of h_{t-1} kept)
    n: np.ndarray          # candidate state
    h: np.ndarray          # state and output
    stored: float          # h at WRITE_STEP: what was written
    held_step: int         # the last step before the erase cue (the last step without one)
    held: float            # h at held_step: what is left of it


def gru_cell_view(update_bias: float = 4.0, reset_bias: float = -4.0, cue_weight: float = -8.0,
                  distractors: bool = True, erase: bool = False) -> GRUCellView:
    """Run the :func:`hand_set_gru` on :func:`~lessons_lib.views.lstm.cue_sequence`: gates, candidate and
    state at every step.

    The traces are the layer's own (``GRU.forward`` through :func:`gru_traces`). Cached; the arrays returned
    are read-only.
    """
    args = (_cell_parameter(update_bias, "update_bias"), _cell_parameter(reset_bias, "reset_bias"),
            _cell_parameter(cue_weight, "cue_weight"), _flag(distractors, "distractors"), _flag(erase, "erase"))
    return _gru_cell_view(*args)


@lru_cache(maxsize=256)
def _gru_cell_view(update_bias, reset_bias, cue_weight, distractors, erase) -> GRUCellView:
    x = cue_sequence(distractors, erase)
    traces = gru_traces(hand_set_gru(update_bias, reset_bias, cue_weight), x)
    arrays = {name: traces[name][:, 0] for name in ("r", "z", "n", "h")}
    for a in (x, *arrays.values()):
        a.setflags(write=False)
    held_step = ERASE_STEP - 1 if erase else CELL_STEPS - 1
    return GRUCellView(x=x, **arrays, stored=float(arrays["h"][WRITE_STEP]), held_step=held_step,
                       held=float(arrays["h"][held_step]))
