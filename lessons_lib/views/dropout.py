"""Section 2.3.7 — what the dropout figures show: thinned networks, mask averages, decision regions.

numpy only (no matplotlib): :mod:`lessons_lib.plots.dropout` draws what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import as_float_array, check_in_range, check_layer_sizes, check_positive_int, check_rng
from ..datasets import make_moons
from ..dropout import Dropout
from ..module import Module
from ..network import mlp
from ..optimizers import Adam
from ..training import evaluate, fit, predict

__all__ = ["thinned_networks", "mask_means", "decision_grid", "EXPLORER_RATES", "dropout_task", "DropoutRun",
           "dropout_run", "run_network", "DropoutView", "dropout_view"]


def thinned_networks(sizes, p: float, n_networks: int, rng, p_input: float = 0.0) -> list[list[np.ndarray]]:
    """Which units survive in ``n_networks`` training steps of a network with layer widths ``sizes``.

    Returns, per step, one boolean "kept" array per layer. Hidden layers drop each unit with probability
    ``p``, the input layer with ``p_input``; the output layer is never dropped (all ``True``).
    """
    sizes = check_layer_sizes(sizes)
    p = check_in_range(p, "p", 0.0, 1.0)
    p_input = check_in_range(p_input, "p_input", 0.0, 1.0)
    n_networks = check_positive_int(n_networks, "n_networks")
    rng = check_rng(rng)
    networks = []
    for _ in range(n_networks):
        kept = [rng.random(sizes[0]) >= p_input]
        kept += [rng.random(n) >= p for n in sizes[1:-1]]
        kept.append(np.ones(sizes[-1], dtype=bool))
        networks.append(kept)
    return networks


def mask_means(p: float, n_units: int, n_masks: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Average of ``n_masks`` dropout masks applied to an activation of all ones.

    Returns ``(inverted, plain)``: per unit, the mean output of :class:`lessons_lib.dropout.Dropout`
    (inverted dropout, survivors scaled by ``1/(1-p)``) and of the same masks without the scaling.
    The first is close to 1 (the activation is preserved on average), the second close to ``1 - p``.
    """
    p = check_in_range(p, "p", 0.0, 1.0)
    n_units = check_positive_int(n_units, "n_units")
    n_masks = check_positive_int(n_masks, "n_masks")
    drop = Dropout(p, rng=check_rng(rng))
    masked, _ = drop.forward(np.ones((n_masks, n_units)))     # each row is one training step's mask
    inverted = masked.mean(axis=0)
    plain = (masked > 0).mean(axis=0)
    return inverted, plain


def decision_grid(model: Module, X, n: int = 150, margin: float = 0.5):
    """The model's probability of class 1 on an ``n`` x ``n`` grid covering ``X`` (two features).

    The model (evaluation mode, so no dropout) must output two logits per point. Returns ``(xx, yy, prob)``,
    each of shape ``(n, n)``, ready for ``contourf``.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have two features (columns), got shape {X.shape}")
    n = check_positive_int(n, "n", minimum=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    logits = predict(model, np.column_stack([xx.ravel(), yy.ravel()]))
    if logits.ndim != 2 or logits.shape[1] != 2:
        raise ValueError(f"model must output two logits per point, got shape {logits.shape}")
    z = logits - logits.max(axis=1, keepdims=True)
    prob = np.exp(z[:, 1]) / np.exp(z).sum(axis=1)
    return xx, yy, prob.reshape(n, n)


# ---- the dropout explorer: the drop rate against the decision regions and the train/validation gap ----------

#: The drop rates whose runs the explorer's right-hand panel joins into curves (the site's frames).
EXPLORER_RATES = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)


def dropout_task(seed: int = 0):
    """The section's task: two moons with noise 0.4, 540 points drawn from ``seed``, the first 40 for training
    and the other 500 for validation. Returns ``(X_train, y_train), (X_val, y_val)``."""
    seed = check_positive_int(seed, "seed", minimum=0)
    X, y = make_moons(540, rng=seed, noise=0.4)
    return (X[:40], y[:40]), (X[40:], y[40:])


@dataclass(frozen=True)
class DropoutRun:
    """One training run, looked at every ``every`` epochs: ``epochs[k]`` epochs done, the accuracies and
    cross-entropies on the training and validation sets then (evaluation mode: no unit dropped), and the
    weights then (``weights[k]``, one array per parameter of the network, in its order)."""

    p: float
    seed: int
    width: int
    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    train_accuracy: np.ndarray
    val_accuracy: np.ndarray
    weights: tuple
    message: str

    def at(self, epochs: int) -> int:
        """The index of the look closest to ``epochs`` epochs."""
        return int(np.argmin(np.abs(self.epochs - epochs)))


@lru_cache(maxsize=64)
def dropout_run(p: float, seed: int = 0, epochs: int = 200, every: int = 10, width: int = 64) -> DropoutRun:
    """Train ``mlp([2, width, width, 2], rng=seed, dropout=p)`` on :func:`dropout_task` as the section does
    (Adam, learning rate 0.003, mini-batches of 20, ``rng=seed`` for their order); cached.

    The section's network is 256 units wide; the explorer's default of 64 trains about five times faster and
    overfits the 40 points in the same way. As ``mlp`` draws the dropout masks from a stream of their own,
    the initial weights are the same for every ``p``.
    """
    p = check_in_range(p, "p", 0.0, 1.0)
    epochs = check_positive_int(epochs, "epochs")
    every = check_positive_int(every, "every")
    width = check_positive_int(width, "width")
    (X, y), (X_val, y_val) = dropout_task(seed)
    model = mlp([2, width, width, 2], rng=seed, dropout=p)
    looks = []

    def look(epoch, _history=None):
        if epoch % every == 0 or epoch == epochs:
            train = evaluate(model, "cross_entropy", X, y)
            val = evaluate(model, "cross_entropy", X_val, y_val)
            looks.append((epoch, train[0], val[0], train[1], val[1],
                          tuple(q.value.copy() for q in model.parameters())))

    look(0)
    history = fit(model, "cross_entropy", Adam(model.parameters(), lr=3e-3), X, y, epochs=epochs, batch_size=20,
                  rng=seed, callback=look)
    numbers = [np.array(column) for column in zip(*(entry[:5] for entry in looks))]
    return DropoutRun(float(p), int(seed), width, numbers[0].astype(int), *numbers[1:],
                      tuple(entry[5] for entry in looks), history.message)


def run_network(run: DropoutRun, index: int):
    """The network of ``run`` as it was at its look ``index`` (a fresh copy, in evaluation mode)."""
    index = check_positive_int(index, "index", minimum=0)
    if index >= len(run.weights):
        raise ValueError(f"index must be below {len(run.weights)} (the run's looks), got {index}")
    model = mlp([2, run.width, run.width, 2], rng=0, dropout=run.p)
    for param, value in zip(model.parameters(), run.weights[index]):
        param.value[...] = value
    model.eval()
    return model


@dataclass(frozen=True)
class DropoutView:
    """What the dropout explorer shows: the network trained with drop rate ``p`` after ``epochs`` epochs (its
    probability of class 1 over the plane, ``prob[i, j]`` at ``(xx[i, j], yy[i, j])``, the training points
    and its scores), and the scores at the same moment of the runs at every rate of ``rates``.
    ``loss_top`` is the largest loss of any of these runs at any look (a stable axis limit)."""

    p: float
    epochs: int
    seed: int
    xx: np.ndarray
    yy: np.ndarray
    prob: np.ndarray
    train: tuple
    train_loss: float
    val_loss: float
    train_accuracy: float
    val_accuracy: float
    rates: tuple
    rates_train_loss: np.ndarray
    rates_val_loss: np.ndarray
    loss_top: float
    message: str


def dropout_view(p: float, epochs: int = 200, seed: int = 0, rates=EXPLORER_RATES, width: int = 64,
                 n: int = 90) -> DropoutView:
    """The view of :class:`DropoutView` for drop rate ``p`` after ``epochs`` epochs (rounded to the nearest
    look, every 10 epochs, of runs of 200 epochs). Cached, like the runs it reads."""
    try:
        rates = tuple(float(r) for r in rates)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"rates must be a sequence of drop rates, got {rates!r}") from exc
    p = check_in_range(p, "p", 0.0, 1.0)
    epochs = check_positive_int(epochs, "epochs", minimum=0)
    seed = check_positive_int(seed, "seed", minimum=0)
    return _dropout_view(p, epochs, seed, rates, width, n)


@lru_cache(maxsize=256)
def _dropout_view(p, epochs, seed, rates, width, n) -> DropoutView:
    run = dropout_run(p, seed, width=width)
    k = run.at(epochs)
    train, _ = dropout_task(seed)
    xx, yy, prob = decision_grid(run_network(run, k), train[0], n=n)
    others = [dropout_run(check_in_range(r, "rates", 0.0, 1.0), seed, width=width) for r in rates]
    rates_train = np.array([o.train_loss[k] for o in others])
    rates_val = np.array([o.val_loss[k] for o in others])
    losses = np.concatenate([np.concatenate([o.train_loss, o.val_loss]) for o in [run, *others]])
    finite = losses[np.isfinite(losses)]
    message = "" if finite.size == losses.size else f"training failed: {run.message}"
    return DropoutView(run.p, int(run.epochs[k]), run.seed, xx, yy, prob, train, float(run.train_loss[k]),
                       float(run.val_loss[k]), float(run.train_accuracy[k]), float(run.val_accuracy[k]),
                       tuple(float(r) for r in rates), rates_train, rates_val,
                       float(finite.max()) if finite.size else 1.0, message)
