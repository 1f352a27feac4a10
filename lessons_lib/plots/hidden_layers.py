"""Section 2.3.4 (also used by 2.3.6) — figures: digits, learning curves, decision regions, sawtooth.

Each function returns its Figure; the numbers come from ``lessons_lib.views.hidden_layers`` or from
``training.History`` objects.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, grid_shape, legible, wrap_to_width

__all__ = ["draw_digits", "draw_learning_curves", "draw_train_vs_val", "draw_decision_regions", "draw_sawtooth"]


def draw_digits(X, y, n: int = 10, shape=(8, 8), title: str = "Handwritten digits (8 x 8 pixels)"):
    """The first image of each label among the first ``n`` labels, as grey pictures with their label."""
    X, y = np.asarray(X), np.asarray(y)
    labels = [c for c in np.unique(y)][:n]
    fig, axes = plt.subplots(1, len(labels), figsize=(min(1.1 * len(labels), COLUMN_INCHES), 1.45))
    axes = np.atleast_1d(axes)
    for ax, c in zip(axes, labels):
        ax.imshow(X[np.flatnonzero(y == c)[0]].reshape(shape), cmap="gray_r", vmin=0)
        ax.set_title(f"label {c}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    legible(fig)
    fig.tight_layout(w_pad=0.2)
    return fig


def draw_learning_curves(histories: dict, title: str = "Learning curves", accuracy_ylim=None):
    """Two panels: training loss and validation accuracy per epoch, one line per labelled History; one legend
    under them."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 4.0), layout="constrained")
    for (label, h), color, ls in zip(histories.items(), CYCLE, LINESTYLES):
        epochs = np.arange(1, len(h.train_loss) + 1)
        ax_loss.plot(epochs, h.train_loss, color=color, ls=ls, lw=2, label=label)
        ax_acc.plot(epochs, h.val_accuracy, color=color, ls=ls, lw=2, label=label)
    ax_loss.set(xlabel="epoch", ylabel="training loss (cross-entropy)", yscale="log", title="Training loss")
    ax_acc.set(xlabel="epoch", ylabel="validation accuracy", title="Validation accuracy")
    if accuracy_ylim is not None:
        ax_acc.set_ylim(*accuracy_ylim)
    fig.legend(*ax_acc.get_legend_handles_labels(), loc="outside lower center", ncol=min(len(histories), 3),
               handlelength=3, frameon=False)
    fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    return legible(fig)


def draw_train_vs_val(history, title: str = "Training versus validation"):
    """Loss and accuracy per epoch on the training set and on the validation set of one run."""
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 3.5))
    epochs = np.arange(1, len(history.train_loss) + 1)
    for ax, train, val, name in [(ax_loss, history.train_loss, history.val_loss, "loss (cross-entropy)"),
                                 (ax_acc, history.train_accuracy, history.val_accuracy, "accuracy")]:
        ax.plot(epochs, train, color=CYCLE[0], ls=LINESTYLES[0], lw=2, label="training")
        ax.plot(epochs, val, color=CYCLE[1], ls=LINESTYLES[1], lw=2, label="validation")
        ax.set(xlabel="epoch", ylabel=name, title=name.split(" ")[0].capitalize())
        ax.legend()
    ax_loss.set_yscale("log")
    fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    legible(fig)
    fig.tight_layout()
    return fig


def draw_decision_regions(grids: dict, X, y, title: str = "Decision regions"):
    """One panel per labelled ``(xs, ys, classes)`` grid (from ``decision_grid``), with the points on top.

    The panels share their axes (only the first one labels $x_2$); one legend below the panels names both
    the shaded regions (the predicted class) and the markers (the true class of each point).
    """
    X, y = np.asarray(X), np.asarray(y)
    n_classes = int(max(y.max(), *(g[2].max() for g in grids.values()))) + 1
    colors = [CYCLE[c % len(CYCLE)] for c in range(n_classes)]
    region_colors = ListedColormap(colors)
    region_alpha = 0.3
    markers = "o^sDv"
    fig, axes = plt.subplots(1, len(grids), figsize=(min(2.2 * len(grids) + 0.4, COLUMN_INCHES), 3.7),
                             squeeze=False, sharex=True, sharey=True, layout="constrained")
    panel_inches = (min(2.2 * len(grids) + 0.4, COLUMN_INCHES) - 0.4) / len(grids)
    for ax, (label, (xs, ys, classes)) in zip(axes[0], grids.items()):
        ax.pcolormesh(xs, ys, classes, cmap=region_colors, vmin=-0.5, vmax=n_classes - 0.5, alpha=region_alpha,
                      shading="auto")
        for c in range(n_classes):
            pts = X[y == c]
            ax.scatter(pts[:, 0], pts[:, 1], s=9, color=colors[c], marker=markers[c % len(markers)],
                       edgecolors=OKABE_ITO["black"], linewidths=0.3, label=f"point of class {c}")
        ax.set(title=wrap_to_width(label, 0.85 * panel_inches, fontsize=12), xlabel="$x_1$", aspect="equal")
    axes[0][0].set_ylabel("$x_2$")
    handles = [Patch(facecolor=colors[c], alpha=region_alpha, edgecolor="none", label=f"predicted class {c}")
               for c in range(n_classes)]
    handles += axes[0][0].get_legend_handles_labels()[0]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), n_classes, 3), frameon=False)
    fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    fig.get_layout_engine().set(wspace=0.08)       # the tick labels at the panels' edges stay apart
    return legible(fig)


def draw_sawtooth(curves: dict, title: str = "Composing the tent map"):
    """One panel per labelled ``(x, f)`` curve, in rows of at most three (four make two rows of two), the
    panels sharing their axes."""
    rows, cols = grid_shape(len(curves))
    fig, axes = plt.subplots(rows, cols, figsize=(min(2.4 * cols + 0.5, COLUMN_INCHES), 2.1 * rows + 0.5),
                             sharex=True, sharey=True, squeeze=False, layout="constrained")
    for ax, (label, (x, f)), color in zip(axes.flat, curves.items(), CYCLE):
        ax.plot(x, f, color=color, lw=1.5)
        ax.set_title(label)
    for k, ax in enumerate(axes.flat):
        if k >= len(curves):                      # an empty cell: the panel above takes the x labels
            ax.set_visible(False)
            axes.flat[k - cols].xaxis.set_tick_params(labelbottom=True)
            axes.flat[k - cols].set_xlabel("input $x$")
        elif k >= len(curves) - cols:
            ax.set_xlabel("input $x$")
    for ax in axes[:, 0]:
        ax.set_ylabel("network output")
    fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    return legible(fig)
