"""Figures of sections 2.3 and 2.3.1: an MLP's architecture, a computational graph with its gradients,
decision regions, the symmetry-breaking experiment and training curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ..autodiff import Value
from ..views.backprop import DecisionGrid, SymmetryRun, graph_layout
from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible, wrap_to_width

#: Probability of class 1, from vermillion-ish orange (class 0) through white to blue (class 1).
CLASS_CMAP = LinearSegmentedColormap.from_list("class01", [OKABE_ITO["orange"], "#ffffff", OKABE_ITO["blue"]])
_CLASS_COLOURS = (OKABE_ITO["orange"], OKABE_ITO["blue"])
_CLASS_MARKERS = ("o", "s")


def draw_mlp(sizes, title: str = "A multilayer perceptron", names=None):
    """Draw a fully connected network with ``sizes[k]`` units in layer ``k``: input, hidden and output layers."""
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer sizes, got {sizes!r}")
    if names is None:
        names = ["input layer"] + [f"hidden layer {k}" for k in range(1, len(sizes) - 1)] + ["output layer"]
    colours = [OKABE_ITO["sky"]] + [OKABE_ITO["green"]] * (len(sizes) - 2) + [OKABE_ITO["orange"]]
    fig, ax = plt.subplots(figsize=(min(1.45 * len(sizes) + 0.6, COLUMN_INCHES), 0.6 * max(sizes) + 1.6),
                           layout="constrained")
    pos = [np.column_stack([np.full(n, float(k)), np.arange(n) - (n - 1) / 2]) for k, n in enumerate(sizes)]
    for a, b in zip(pos[:-1], pos[1:]):
        for p in a:
            for q in b:
                ax.plot([p[0], q[0]], [p[1], q[1]], color="0.7", lw=0.7, zorder=1)
    for k, p in enumerate(pos):
        ax.scatter(p[:, 0], p[:, 1], s=380, color=colours[k], edgecolor="black", zorder=2)
        ax.text(k, -max(sizes) / 2 - 0.35, names[k], ha="center", va="top")
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.set_ylim(-max(sizes) / 2 - 1.0, max(sizes) / 2 + 0.2)
    ax.set_title(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    ax.set_axis_off()
    return legible(fig)


def _node_text(node: Value, name: str) -> str:
    return f"{name}\ndata {node.data:.4g}\ngrad {node.grad:.4g}"


def draw_value_graph(output: Value, title: str = "Computational graph"):
    """Draw the graph behind ``output``: one box per value (its label or operation, ``data`` and ``grad``),
    arrows in the direction of the forward pass, from the inputs at the top down to ``output``. Call after
    ``output.backward()`` to show the gradients.

    The columns of :func:`~lessons_lib.views.backprop.graph_layout` become rows here: a graph is deeper than
    it is wide, so drawn downwards it fits the page's column with its text at full size."""
    layout = graph_layout(output)
    depth = int(layout.position[:, 0].max()) + 1
    across = max(np.count_nonzero(layout.position[:, 0] == c) for c in range(depth))
    fig, ax = plt.subplots(figsize=(min(1.6 * across + 0.3, COLUMN_INCHES), 0.9 * depth + 1.2),
                           layout="constrained")
    # layout (column, row) -> drawing (x, y): depth runs down the page, a column's members left to right
    xy = np.column_stack([-layout.position[:, 1], -layout.position[:, 0]])
    boxes = []
    for node, (x, y) in zip(layout.nodes, xy):
        leaf = not node.parents
        name = node.label or (node.op if not leaf else "const")
        if node.label and node.op:
            name = f"{node.label} ({node.op})"
        face = OKABE_ITO["sky"] if leaf else "#f2f2f2"
        boxes.append(ax.text(x, y, _node_text(node, name), ha="center", va="center", fontsize=10,
                             family="monospace", zorder=3,
                             bbox=dict(boxstyle="round,pad=0.3", facecolor=face, edgecolor="0.3")))
    for parent, child in layout.edges:
        # clipped at the two boxes' outlines, wherever the boxes are drawn (so drawn after them)
        ax.add_patch(FancyArrowPatch(xy[parent], xy[child], arrowstyle="-|>", mutation_scale=12, color="0.45",
                                     lw=1.0, patchA=boxes[parent].get_bbox_patch(),
                                     patchB=boxes[child].get_bbox_patch(), shrinkA=1, shrinkB=1, zorder=4))
    ax.set_xlim(-(across - 1) / 2 - 0.55, (across - 1) / 2 + 0.55)
    ax.set_ylim(-(depth - 1) - 0.45, 0.45)
    ax.set_title(wrap_to_width(title, 0.95 * fig.get_figwidth(), 12))
    ax.set_axis_off()
    fig.legend(handles=[Line2D([], [], marker="s", ls="", markersize=10, color=OKABE_ITO["sky"],
                               markeredgecolor="0.3", label="input or parameter (leaf)"),
                        Line2D([], [], marker="s", ls="", markersize=10, color="#f2f2f2",
                               markeredgecolor="0.3", label="result of an operation")],
               loc="outside lower center", ncol=2, frameon=False)
    return legible(fig)


def plot_decision_regions(grid: DecisionGrid, X, y, title: str = "Decision regions", ax=None,
                          colorbar: bool = True):
    """Colour the plane by the model's probability of class 1, draw the 0.5 boundary and the data points."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(5.2, 4.4), layout="constrained")
    else:
        fig = ax.figure
    filled = ax.contourf(grid.x, grid.y, grid.probability, levels=np.linspace(0, 1, 11), cmap=CLASS_CMAP,
                         vmin=0, vmax=1)
    ax.contour(grid.x, grid.y, grid.probability, levels=[0.5], colors="black", linewidths=1.5)
    for label in (0, 1):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], c=_CLASS_COLOURS[label], marker=_CLASS_MARKERS[label], s=30,
                   edgecolor="black", linewidth=0.6, label=f"class {label}")
    ax.set(title=wrap_to_width(title, 0.7 * fig.get_figwidth(), 12), xlabel="$x_1$", ylabel="$x_2$")
    ax.legend(loc="upper right", framealpha=0.9)
    if colorbar:
        fig.colorbar(filled, ax=ax, label="P(class 1)", ticks=[0, 0.5, 1])
    return legible(fig) if own else fig


def plot_symmetry(runs: dict[str, SymmetryRun], unit: int = 0):
    """One column per run: the weight from input ``unit`` to every hidden unit, epoch by epoch, and below the
    largest difference between two hidden units (``SymmetryRun.unit_spread``: the largest gap between the
    same incoming weight or bias of two units). One legend under the panels names the hidden units."""
    fig, axes = plt.subplots(2, len(runs), figsize=(min(3.3 * len(runs), COLUMN_INCHES), 5.6), layout="constrained",
                             sharex=True, squeeze=False)
    for col, (name, run) in enumerate(runs.items()):
        epochs = np.arange(len(run.unit_spread))
        w = run.hidden_weights[:, unit, :]
        for j in range(w.shape[1]):
            axes[0, col].plot(epochs, w[:, j], color=CYCLE[j % len(CYCLE)], ls=LINESTYLES[j % len(LINESTYLES)],
                              lw=2, label=f"hidden unit {j + 1}")
        axes[0, col].set_title(f"{name}:\nweights from $x_{unit + 1}$")
        axes[1, col].plot(epochs, run.unit_spread, color=CYCLE[0], lw=2)
        axes[1, col].set(title=f"{name}:\nspread between units", xlabel="epoch")
    axes[0, 0].set_ylabel("weight to each hidden unit")
    axes[1, 0].set_ylabel("largest $|w_{ij} - w_{ik}|$\nover inputs $i$, units $j, k$")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center", ncol=2, handlelength=3,
               frameon=False)
    return legible(fig)


def plot_training_curves(history, title: str = "Training"):
    """Loss (left) and accuracy (right) per epoch, training and validation, from a :class:`History`."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 3.3), layout="constrained")
    epochs = np.arange(1, len(history.train_loss) + 1)
    pairs = [(left, history.train_loss, history.val_loss, "loss"),
             (right, history.train_accuracy, history.val_accuracy, "accuracy")]
    for ax, train, val, what in pairs:
        ax.plot(epochs, train, color=CYCLE[0], ls=LINESTYLES[0], lw=2, label=f"training {what}")
        if len(val):
            ax.plot(epochs, val, color=CYCLE[1], ls=LINESTYLES[1], lw=2, label=f"validation {what}")
        ax.set(title=wrap_to_width(f"{title}: {what}", 0.45 * fig.get_figwidth(), 12), xlabel="epoch", ylabel=what)
        ax.legend()
    return legible(fig)
