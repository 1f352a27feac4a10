"""Section 2.3.7 — what the dropout figures show: thinned networks, mask averages, decision regions.

numpy only (no matplotlib): :mod:`lessons_lib.plots.dropout` draws what these functions return.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_in_range, check_layer_sizes, check_positive_int, check_rng
from ..dropout import Dropout
from ..module import Module
from ..training import predict

__all__ = ["thinned_networks", "mask_means", "decision_grid"]


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
