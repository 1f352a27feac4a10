"""Figures of sections 1.1.4-1.2.2: masked digits and their restorations, bandit learning curves, errors and
weights of batch and online models on a drifting stream. Every function returns its Figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb

from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible, wrap_to_width

__all__ = ["plot_restorations", "plot_bandit_curves", "plot_stream_errors", "plot_online_rates"]

_HIDDEN = OKABE_ITO["orange"]


def plot_restorations(rows: dict, mask, side: int = 8, hide_masked: str | None = None):
    """One row of images per entry of ``rows`` (label -> array (n_images, side*side) with values in [0, 1]).

    The masked block is outlined in every image. The row named ``hide_masked`` has its block painted in a
    flat colour, to show what the model was given.
    """
    names = list(rows)
    n = len(rows[names[0]])
    fig, axes = plt.subplots(len(names), n, figsize=(min(0.62 * n + 1.3, COLUMN_INCHES), 0.66 * len(names) + 0.45),
                             squeeze=False)
    block = np.asarray(mask).reshape(side, side)
    r, c = np.nonzero(block)
    corner, h, w = (c.min() - 0.5, r.min() - 0.5), r.max() - r.min() + 1, c.max() - c.min() + 1
    for i, name in enumerate(names):
        for j, ax in enumerate(axes[i]):
            image = np.asarray(rows[name][j], dtype=float).reshape(side, side)
            if name == hide_masked:
                rgb = np.repeat(1 - image[..., None], 3, axis=2)    # white background, dark ink
                rgb[block] = to_rgb(_HIDDEN)
                ax.imshow(rgb)
            else:
                ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
            ax.add_patch(plt.Rectangle(corner, w, h, fill=False, edgecolor=_HIDDEN, linewidth=1.2))
            ax.set_xticks([])
            ax.set_yticks([])
        axes[i][0].set_ylabel(name, rotation=0, ha="right", va="center")
    fig.suptitle("Restoring a hidden block of pixels (test images)")
    legible(fig)
    fig.tight_layout(h_pad=0.4, w_pad=0.3)
    return fig


def plot_bandit_curves(curves):
    """Average reward so far against the number of pulls, one curve per ε (a :class:`BanditCurves`)."""
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 4.2), layout="constrained")
    steps = np.arange(1, curves.average_reward.shape[1] + 1)
    for k, (eps, curve) in enumerate(zip(curves.epsilons, curves.average_reward)):
        ax.plot(steps, curve, color=CYCLE[k], linestyle=LINESTYLES[k], label=f"ε = {eps:g}")
    ax.axhline(curves.best_payout, color=OKABE_ITO["black"], linewidth=0.8, linestyle=":",
               label="always the best arm")
    ax.set_xscale("log")
    ax.set_xlabel("pull number t (log scale)")
    ax.set_ylabel("average reward of pulls 1..t")
    ax.set_title("ε-greedy agents on a 5-armed bandit (mean of many runs)")
    fig.legend(loc="outside lower center", ncol=3, frameon=False)     # under the panel: the curves keep its width
    return legible(fig)


def _smooth(values: np.ndarray, k: int) -> np.ndarray:
    """Trailing moving average over ``k`` points (shorter at the start), so a curve never uses the future."""
    c = np.cumsum(np.concatenate([[0.0], values]))
    i = np.arange(1, len(values) + 1)
    lo = np.maximum(i - k, 0)
    return (c[i] - c[lo]) / (i - lo)


def plot_stream_errors(batch_starts, curves: dict, drift_at: int, smooth: int = 1, title: str = "", ax=None):
    """Squared error on each incoming mini-batch (log scale), one curve per model, drift marked.

    ``curves`` maps a label to the errors per mini-batch; ``smooth`` > 1 draws a trailing moving average.
    """
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 4))
    else:
        fig = ax.figure
    for k, (label, errors) in enumerate(curves.items()):
        ax.plot(batch_starts, _smooth(np.asarray(errors, dtype=float), smooth), color=CYCLE[k],
                linestyle=LINESTYLES[k], label=label)
    ax.axvline(drift_at, color=OKABE_ITO["black"], linewidth=0.8, linestyle=":")
    ax.annotate("drift", (drift_at, 1), xycoords=("data", "axes fraction"), xytext=(3, -4),
                textcoords="offset points", va="top")
    ax.set_yscale("log")
    ax.set_xlabel("position in the stream (examples)")
    ax.set_ylabel("squared error on the next mini-batch" + (f"\n(mean of the last {smooth})" if smooth > 1 else ""))
    ax.set_title(wrap_to_width(title, 0.85 * ax.get_position().width * fig.get_figwidth(), 12))
    ax.legend(loc="upper left")
    if own:
        legible(fig)
        fig.tight_layout()
    return fig


def plot_online_rates(batch_starts, errors: dict, weights: dict, drift_at: int, best_before: float,
                      best_after: float, smooth: int = 1, weight_index: int = 0):
    """Two panels for the online models of several learning rates: their errors and one of their weights.

    ``errors`` maps a label to the errors per mini-batch, ``weights`` the same labels to the weight path
    (``(batches + 1, features)``, from :func:`online_weight_path`); ``best_before``/``best_after`` are the
    least-squares values of that weight on each side of the drift.
    """
    fig, (left, right) = plt.subplots(2, 1, figsize=(COLUMN_INCHES, 6.6), sharex=True)
    plot_stream_errors(batch_starts, errors, drift_at, smooth, "Error on the incoming data", ax=left)
    starts = np.asarray(batch_starts)
    batch = starts[1] - starts[0] if len(starts) > 1 else 1
    positions = np.append(starts, starts[-1] + batch)   # row k of a path is the model after k mini-batches
    for k, (label, path) in enumerate(weights.items()):
        right.plot(positions, np.asarray(path)[:, weight_index], color=CYCLE[k], linestyle=LINESTYLES[k],
                   label=label)
    right.hlines([best_before, best_after], [positions[0], drift_at], [drift_at, positions[-1]],
                 color=OKABE_ITO["black"], linewidth=1.0, linestyle=":", label="least-squares fit of each half")
    right.axvline(drift_at, color=OKABE_ITO["black"], linewidth=0.8, linestyle=":")
    left.set_xlabel("")                           # the panels share the x axis: labelled once, below
    right.set_xlabel("position in the stream (examples)")
    right.set_ylabel(f"weight $w_{weight_index + 1}$ of the online model")
    right.set_title(f"How the weight $w_{weight_index + 1}$ follows the drift")
    # the same models in both panels: one legend, under them, where it hides no curve
    left.get_legend().remove()
    fig.legend(*right.get_legend_handles_labels(), loc="lower center", ncol=2, frameon=False)
    legible(fig)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig
