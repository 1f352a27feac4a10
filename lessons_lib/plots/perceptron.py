"""Drawings of threshold logic units and of perceptron training (sections 2.2, 2.2.1).

What is drawn comes from :mod:`lessons_lib.views.perceptron`: the firing half-plane and decision boundary
of a 2-D TLU, and the moments of a training run worth showing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from ..views.perceptron import snapshot_steps, tlu_region
from .style import OKABE_ITO

_CLASS_STYLE = {0: dict(marker="o", color=OKABE_ITO["blue"], label="target 0"),
                1: dict(marker="^", color=OKABE_ITO["orange"], label="target 1")}
_FIRING = OKABE_ITO["orange"]
_NORMAL = OKABE_ITO["green"]
_PREVIOUS = "#888888"
_PRESENTED = OKABE_ITO["vermillion"]


def _limits(X, xlim, ylim):
    if xlim is not None and ylim is not None:
        return tuple(xlim), tuple(ylim)
    if X is None:
        return tuple(xlim or (-1.0, 1.0)), tuple(ylim or (-1.0, 1.0))
    X = np.asarray(X, float)
    lo, hi = X.min(axis=0), X.max(axis=0)
    half = 0.75 * max(float(np.max(hi - lo)), 1e-9)   # a square box: equal aspect without empty bands
    centre = (lo + hi) / 2
    auto = [(float(centre[d] - half), float(centre[d] + half)) for d in range(2)]
    return tuple(xlim or auto[0]), tuple(ylim or auto[1])


def draw_tlu(ax, w, b, X=None, y=None, xlim=None, ylim=None, title: str = "", show_normal: bool = True,
             previous=None, presented: int | None = None) -> None:
    """Draw a TLU with two inputs on ``ax``: the region where it fires (shaded), its decision boundary
    ``w . x + b = 0`` (solid line), the weight vector ``w`` as an arrow normal to the boundary, and the
    points ``X`` marked by their 0/1 targets ``y``.

    ``previous=(w, b)`` adds an earlier boundary as a dashed grey line; ``presented`` rings the point
    ``X[presented]`` (the instance that was just shown to the learning rule).
    """
    w = np.asarray(w, float).ravel()
    b = float(np.asarray(b, float).ravel()[0]) if np.ndim(b) else float(b)
    xlim, ylim = _limits(X, xlim, ylim)
    region = tlu_region(w, b, xlim, ylim)
    if len(region.firing) >= 3:
        ax.add_patch(Polygon(region.firing, closed=True, facecolor=_FIRING, alpha=0.18, edgecolor="none",
                             zorder=0))
    if previous is not None:
        prev = tlu_region(np.asarray(previous[0], float).ravel(), float(np.ravel(previous[1])[0]), xlim, ylim)
        if prev.boundary is not None:
            ax.plot(*prev.boundary.T, color=_PREVIOUS, linestyle="--", linewidth=1.4, zorder=1)
    if region.boundary is not None:
        ax.plot(*region.boundary.T, color="black", linewidth=2.0, zorder=2)
        if show_normal and np.any(w != 0):
            start = region.boundary.mean(axis=0)
            u = w / np.linalg.norm(w)
            size = 0.22 * min(xlim[1] - xlim[0], ylim[1] - ylim[0])
            # shorten the arrow if it would leave the box (matplotlib drops annotations that end outside)
            for d, (lo, hi) in enumerate((xlim, ylim)):
                if u[d] > 0:
                    size = min(size, 0.95 * (hi - start[d]) / u[d])
                elif u[d] < 0:
                    size = min(size, 0.95 * (lo - start[d]) / u[d])
            ax.annotate("", xy=start + size * u, xytext=start,
                        arrowprops=dict(arrowstyle="-|>", color=_NORMAL, linewidth=2.0, mutation_scale=14),
                        zorder=4)
    if X is not None and y is not None:
        X, y = np.asarray(X, float), np.asarray(y).ravel()
        for label, style in _CLASS_STYLE.items():
            pts = X[y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=46, marker=style["marker"], color=style["color"],
                       edgecolor="black", linewidth=0.6, zorder=3)
        if presented is not None:
            ax.scatter(*X[presented], s=260, facecolor="none", edgecolor=_PRESENTED, linewidth=2.0, zorder=5)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title, fontsize=10)


def _legend(fig, extra: tuple[str, ...] = (), with_points: bool = True) -> None:
    handles = [Patch(facecolor=_FIRING, alpha=0.3, label="unit fires ($z \\geq 0$)"),
               Line2D([], [], color="black", linewidth=2.0, label="decision boundary $z = 0$"),
               Line2D([], [], color=_NORMAL, linewidth=2.0, marker=">", label="weight vector $\\mathbf{w}$")]
    if with_points:
        handles += [Line2D([], [], linestyle="none", marker=s["marker"], color=s["color"], markeredgecolor="black",
                           markersize=7, label=s["label"]) for s in _CLASS_STYLE.values()]
    if "previous" in extra:
        handles.append(Line2D([], [], color=_PREVIOUS, linestyle="--", linewidth=1.4,
                              label="boundary before the update"))
    if "presented" in extra:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=11, markerfacecolor="none",
                              markeredgecolor=_PRESENTED, markeredgewidth=2.0,
                              label="instance that triggered the update"))
    ncol = 4 if len(handles) > 5 else len(handles)
    fig.legend(handles=handles, loc="lower center", ncol=ncol, frameon=False, fontsize=9)


def _legend_under_axes(fig, pad: float = 0.01) -> None:
    """Move the figure legend up to just below the lowest x-axis labels.

    Equal-aspect panels leave spare height that tight_layout spreads around them; without this the legend
    sits at the bottom edge, below a band of empty space (the notebooks crop the space left under it).
    """
    renderer = fig.canvas.get_renderer()
    bottom = min(ax.get_tightbbox(renderer).y0 for ax in fig.axes if ax.axison) / fig.bbox.height
    fig.legends[0].set_loc("upper center")
    fig.legends[0].set_bbox_to_anchor((0.5, bottom - pad), transform=fig.transFigure)


def _grid(n: int, ncols: int | None, panel: float = 3.0):
    ncols = min(ncols or n, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel * ncols + 0.4, (panel + 0.45) * nrows + 0.9),
                             squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    return fig, list(axes.flat)[:n]


def draw_tlus(units: dict, X=None, Y=None, xlim=None, ylim=None, ncols: int | None = None, title: str = ""):
    """One panel per TLU; returns the figure.

    ``units`` maps a panel title to ``(w, b)``. ``Y`` gives the targets: one label per point shared by all
    panels (shape (N,)), or one column per unit (shape (N, n_units)), or ``None`` to draw ``X`` unlabelled
    (no points are drawn without labels).
    """
    if not units:
        raise ValueError("units must name at least one TLU")
    fig, axes = _grid(len(units), ncols)
    Y = None if Y is None else np.asarray(Y)
    for j, (ax, (name, (w, b))) in enumerate(zip(axes, units.items())):
        y = None if Y is None else (Y if Y.ndim == 1 else Y[:, j])
        draw_tlu(ax, w, b, X, y, xlim, ylim, title=name)
    _legend(fig, with_points=Y is not None)
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0.1 if len(axes) <= 3 else 0.07, 1, 1))
    _legend_under_axes(fig)
    return fig


def draw_training(history, X, y, n_panels: int = 6, ncols: int = 3, xlim=None, ylim=None, title: str = "",
                  unit: int = 0):
    """A small multiple of a perceptron training run (output ``unit``), one panel per chosen moment.

    The moments come from :func:`lessons_lib.views.perceptron.snapshot_steps`: the start, the weight
    updates (each panel shows the boundary before the update dashed and rings the instance that caused it),
    and the end of the run. Returns the figure.
    """
    steps = snapshot_steps(history, n_panels)
    fig, axes = _grid(len(steps), ncols)
    epochs = len(history.errors_per_epoch)
    n_updates = np.cumsum([0, *history.mistake])
    for ax, k in zip(axes, steps):
        w, b = history.weights[k][:, unit], history.biases[k][unit]
        previous = presented = None
        if k == 0:
            label = "start"
        elif k == history.n_steps:
            label = f"end: {epochs} epoch{'s' if epochs > 1 else ''}"
        else:
            label = f"update {n_updates[k]}, epoch {history.epoch[k - 1] + 1}"
        if k > 0 and history.mistake[k - 1]:
            previous = (history.weights[k - 1][:, unit], history.biases[k - 1][unit])
            presented = history.sample[k - 1]
        title_k = f"{label}\nafter {k} instance{'' if k == 1 else 's'}"
        draw_tlu(ax, w, b, X, y, xlim, ylim, title=title_k, previous=previous, presented=presented)
    _legend(fig, extra=("previous", "presented"))
    if title:
        fig.suptitle(title, fontsize=12)
    nrows = -(-len(steps) // ncols)
    fig.tight_layout(rect=(0, 0.14 / nrows, 1, 1), h_pad=1.2)
    _legend_under_axes(fig)
    return fig
