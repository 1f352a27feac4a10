"""Section 2.4.3 — the numbers behind the GRU chapter: parameter counts, the two reset variants, and a
training race between the simple RNN, the LSTM and the GRU on one of the ``seq2seq`` demos."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .._validation import check_choice, check_positive_int
from ..gru import GRU
from ..seq2seq import (
    CELLS,
    DEMO_SETTINGS,
    classification_demo,
    forecasting_demo,
    generation_demo,
    make_recurrent,
)

__all__ = ["parameter_counts", "variant_outputs", "training_race", "RACE_TASKS"]

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
