"""Figures of sections 1.1.1-1.1.3: predictions against targets, clusters and their centres, the inertia
"elbow", and grids of 8x8 digit images.

What is drawn is computed by :mod:`lessons_lib.views.chapter1_supervision` and :mod:`lessons_lib.clustering`.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..clustering import KMeansResult
from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible, wrap_to_width

_MARKERS = ["o", "^", "s", "D", "v", "P", "X"]


def draw_predicted_vs_true(y_true, y_pred, title: str = "", unit: str = "") -> plt.Figure:
    """Each test example as a point (target, prediction); a perfect model puts every point on the diagonal."""
    y_true, y_pred = np.ravel(y_true), np.ravel(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same length, got {y_true.size} and {y_pred.size}")
    fig, ax = plt.subplots(figsize=(4.6, 4.2), layout="constrained")
    lo, hi = float(min(y_true.min(), y_pred.min())), float(max(y_true.max(), y_pred.max()))
    pad = 0.05 * (hi - lo)
    ax.plot([lo - pad, hi + pad], [lo - pad, hi + pad], color=OKABE_ITO["black"], linestyle="--",
            linewidth=1.2, label="perfect prediction")
    ax.scatter(y_true, y_pred, s=18, color=OKABE_ITO["blue"], alpha=0.8, label="test example")
    suffix = f" ({unit})" if unit else ""
    ax.set(xlabel=f"true value{suffix}", ylabel=f"prediction{suffix}", title=wrap_to_width(title, 3.6, 12),
           xlim=(lo - pad, hi + pad), ylim=(lo - pad, hi + pad), aspect="equal")
    ax.legend(loc="upper left")
    return legible(fig)


def draw_clustering(X, result: KMeansResult, title: str = "") -> plt.Figure:
    """Two panels: the points as the algorithm receives them (no labels), and the clusters k-means found,
    with each centre marked by a cross."""
    X = np.asarray(X, float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) to be drawn, got {X.shape}")
    k = len(result.centers)
    if k > len(CYCLE):
        raise ValueError(f"at most {len(CYCLE)} clusters can be told apart in the drawing, got {k}")
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 3.5), layout="constrained", sharex=True,
                                        sharey=True)
    ax_in.scatter(*X.T, s=14, color="#888888")
    ax_in.set(title="the input: points without labels", xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    for j in range(k):
        members = X[result.labels == j]
        ax_out.scatter(*members.T, s=14, color=CYCLE[j], marker=_MARKERS[j], label=f"cluster {j}")
    ax_out.scatter(*result.centers.T, s=160, marker="X", color=OKABE_ITO["black"], edgecolor="white",
                   linewidth=1.2, label="centre", zorder=3)
    ax_out.set(title=wrap_to_width(title or f"k-means with k = {k}", 2.8, 12), xlabel="$x_1$", aspect="equal")
    ax_out.legend(loc="best")
    return legible(fig)


def draw_elbow(ks, curves: dict, mark: dict | None = None) -> plt.Figure:
    """Inertia against k for one or more data sets, each divided by its value at the first k (k = 1),
    so that curves of different data sets share one axis. ``mark`` maps a curve's name to a k to ring."""
    ks = np.asarray(ks)
    fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
    for i, (name, inertia) in enumerate(curves.items()):
        inertia = np.asarray(inertia, float)
        if inertia.shape != ks.shape:
            raise ValueError(f"curve {name!r} must have one inertia per k ({ks.size}), got {inertia.size}")
        rel = inertia / inertia[0]
        ax.plot(ks, rel, color=CYCLE[i], linestyle=LINESTYLES[i], marker=_MARKERS[i], markersize=4, label=name)
        if mark and name in mark:
            j = int(np.flatnonzero(ks == mark[name])[0])
            ax.plot(ks[j], rel[j], "o", markersize=14, markerfacecolor="none", markeredgecolor=CYCLE[i],
                    markeredgewidth=1.5, label=f"elbow of {name} (k = {mark[name]})")
    ax.set(xlabel="number of clusters k", ylabel=f"inertia / inertia at k = {ks[0]}",
           title="The elbow: inertia against the number of clusters", ylim=(0, 1.05))
    ax.set_xticks(ks[:: max(1, len(ks) // 10)])
    ax.legend()
    return legible(fig)


def draw_digits(images, titles=None, ncols: int = 10, title: str = "", highlight=None) -> plt.Figure:
    """A grid of 8x8 images (rows of 64 pixel values), dark ink on white, with optional captions.

    ``highlight`` is an optional boolean per image; the captions of the ``True`` ones are drawn in
    vermillion (e.g. the wrong predictions).
    """
    images = np.asarray(images, float)
    if images.ndim != 2 or images.shape[1] != 64:
        raise ValueError(f"images must have shape (m, 64), got {images.shape}")
    m = len(images)
    if titles is not None and len(titles) != m:
        raise ValueError(f"titles must have one entry per image ({m}), got {len(titles)}")
    ncols = max(1, min(ncols, m))
    nrows = -(-m // ncols)
    cell = min(0.85, COLUMN_INCHES / ncols)         # ten to a row still fit the page's column
    fig, axes = plt.subplots(nrows, ncols, figsize=(cell * ncols, (cell + 0.15) * nrows + (0.35 if title else 0)),
                             squeeze=False, layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i >= m:
            continue
        ax.imshow(images[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=images.max() or 1)
        if titles is not None:
            bad = highlight is not None and bool(highlight[i])
            ax.set_title(str(titles[i]), fontsize=10, color=OKABE_ITO["vermillion"] if bad else "black",
                         fontweight="bold" if bad else "normal")
    if title:
        fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    return legible(fig)
