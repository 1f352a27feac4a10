"""Figures of section 2.3.7: thinned networks, learning curves with and without dropout, decision regions."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible, wrap_to_width

__all__ = ["draw_thinned_networks", "plot_learning_curves", "plot_decision_boundaries"]

_KEPT = OKABE_ITO["blue"]
_OUTPUT = OKABE_ITO["orange"]
_DROPPED = "#bbbbbb"


def _unit_positions(sizes):
    """x = layer index, units of a layer centred vertically one unit apart."""
    return [np.column_stack([np.full(n, i), (n - 1) / 2 - np.arange(n)]) for i, n in enumerate(sizes)]


def draw_thinned_networks(networks, titles=None):
    """Draw one panel per thinned network (the output of :func:`lessons_lib.views.dropout.thinned_networks`).

    Kept units are filled, dropped units are hollow and crossed out, and only the connections between two
    kept units are drawn: those are the weights that one training step uses and updates. Returns the figure.
    """
    n = len(networks)
    sizes = [len(layer) for layer in networks[0]]
    pos = _unit_positions(sizes)
    fig, axes = plt.subplots(1, n, figsize=(min(2.2 * n, COLUMN_INCHES), 0.42 * max(sizes) + 1.8), squeeze=False)
    for k, (ax, kept) in enumerate(zip(axes[0], networks)):
        n_kept = 0
        for i in range(len(sizes) - 1):
            for a in np.flatnonzero(kept[i]):
                for b in np.flatnonzero(kept[i + 1]):
                    (x0, y0), (x1, y1) = pos[i][a], pos[i + 1][b]
                    ax.plot([x0, x1], [y0, y1], color="#555555", linewidth=0.6, zorder=1)
                    n_kept += 1
        for i, layer in enumerate(kept):
            is_output = i == len(sizes) - 1
            for j, alive in enumerate(layer):
                x, y = pos[i][j]
                if alive:
                    ax.scatter(x, y, s=170, color=_OUTPUT if is_output else _KEPT, edgecolor="black",
                               linewidth=0.8, zorder=3)
                else:
                    ax.scatter(x, y, s=170, facecolor="white", edgecolor=_DROPPED, linewidth=1.2,
                               linestyle="--", zorder=3)
                    ax.scatter(x, y, s=60, marker="x", color=OKABE_ITO["vermillion"], linewidth=1.5, zorder=4)
        ax.set_xlim(-0.4, len(sizes) - 0.6)
        ax.set_ylim(-max(sizes) / 2 - 0.2, max(sizes) / 2 + 0.2)
        ax.axis("off")
        default = f"step {k + 1}:\n{n_kept} connections used"
        ax.set_title(titles[k] if titles else default, fontsize=10)
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=_KEPT, markeredgecolor="black",
               label="kept unit"),
        Line2D([], [], marker="X", linestyle="", markersize=9, markerfacecolor=OKABE_ITO["vermillion"],
               markeredgecolor="white", label="dropped unit (output 0)"),
        Line2D([], [], marker="o", linestyle="", markersize=10, markerfacecolor=_OUTPUT,
               markeredgecolor="black", label="output unit (never dropped)"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False)
    fig.suptitle("One network, a different thinned network at every training step", fontsize=12)
    legible(fig)
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    return fig


def plot_learning_curves(histories):
    """Training and validation loss per epoch for each labelled :class:`lessons_lib.training.History`.

    Left: the loss (log scale); right: the validation accuracy. Colours tell the runs apart; solid lines are
    training, dashed lines validation (so the accuracy, measured on the validation set, is dashed). One
    legend under the panels names both. Returns the figure.
    """
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 3.9), layout="constrained")
    handles = []
    for k, (label, h) in enumerate(histories.items()):
        epochs = np.arange(1, len(h.train_loss) + 1)
        colour = CYCLE[k % len(CYCLE)]
        ax_loss.plot(epochs, h.train_loss, color=colour, linestyle=LINESTYLES[0], label=f"{label}: training")
        ax_loss.plot(epochs, h.val_loss, color=colour, linestyle=LINESTYLES[1], label=f"{label}: validation")
        ax_acc.plot(epochs, h.val_accuracy, color=colour, linestyle=LINESTYLES[1], label=label)
        handles.append(Line2D([], [], color=colour, lw=4, label=label))
    handles += [Line2D([], [], color="black", linestyle=LINESTYLES[0], label="training"),
                Line2D([], [], color="black", linestyle=LINESTYLES[1], label="validation")]
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss (log scale)", title="Loss")
    ax_acc.set(xlabel="epoch", ylabel="validation accuracy", title="Validation accuracy")
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), handlelength=2.5,
               frameon=False)
    for ax in (ax_loss, ax_acc):
        ax.grid(alpha=0.3)
    return legible(fig)


def plot_decision_boundaries(grids, X, y):
    """One panel per labelled ``(xx, yy, prob)`` grid (:func:`lessons_lib.views.dropout.decision_grid`):
    the regions each model assigns to the two classes, its 0.5 boundary, and the training points.

    The shading has three bands (probability of class 1 below 0.25, between 0.25 and 0.75 in white,
    above 0.75), explained by a colour bar shared by the panels, on which the black 0.5 line is marked too.
    """
    n = len(grids)
    fig, axes = plt.subplots(1, n, figsize=(min(2.8 * n + 0.9, COLUMN_INCHES), 3.9), squeeze=False,
                             layout="constrained", sharex=True, sharey=True)
    cmap = ListedColormap([OKABE_ITO["sky"], "#ffffff", OKABE_ITO["orange"]])
    levels = [0.0, 0.25, 0.75, 1.0]
    for ax, (label, (xx, yy, prob)) in zip(axes[0], grids.items()):
        filled = ax.contourf(xx, yy, prob, levels=levels, cmap=cmap, alpha=0.45)
        ax.contour(xx, yy, prob, levels=[0.5], colors="black", linewidths=1.2)
        for c, (marker, colour) in enumerate([("o", OKABE_ITO["blue"]), ("^", OKABE_ITO["vermillion"])]):
            ax.scatter(X[y == c, 0], X[y == c, 1], marker=marker, color=colour, edgecolor="black",
                       linewidth=0.5, s=36, label=f"class {c} (training)")
        ax.set(xlabel="$x_1$", title=wrap_to_width(label, 2.3, fontsize=12))
        ax.set_aspect("equal")
    axes[0][0].set_ylabel("$x_2$")
    # under the panels, where it hides no point
    fig.legend(*axes[0][0].get_legend_handles_labels(), loc="outside lower center", ncol=2, frameon=False)
    cbar = fig.colorbar(filled, ax=axes[0].tolist(), ticks=[0.0, 0.25, 0.5, 0.75, 1.0], shrink=0.8,
                        label="predicted probability\nof class 1")
    cbar.ax.axhline(0.5, color="black", lw=1.2)
    return legible(fig)
