"""Figures of section 2.4.2: the LSTM cell, gradients through time, the gates at work, loss curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible, wrap_to_width

__all__ = ["GATE_COLORS", "draw_lstm_cell", "plot_gradient_flow", "plot_gate_heatmaps", "plot_loss_curves",
           "arrow", "box", "node"]

#: One colour per LSTM layer in every figure of the chapter (f, i, g, o).
GATE_COLORS = {"f": OKABE_ITO["blue"], "i": OKABE_ITO["orange"], "g": OKABE_ITO["green"],
               "o": OKABE_ITO["purple"], "r": OKABE_ITO["sky"], "z": OKABE_ITO["vermillion"]}


# ---------------------------------------------------------------------------------------------------
# Drawing primitives shared with plots.gru
# ---------------------------------------------------------------------------------------------------
def arrow(ax, points, color="black", lw=1.6, head=True):
    """A polyline through ``points``; the last segment ends in an arrow head."""
    xs, ys = zip(*points)
    if len(points) > 2:
        ax.plot(xs[:-1], ys[:-1], color=color, lw=lw, solid_capstyle="round", zorder=1)
    ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>" if head else "-",
                                 mutation_scale=13, color=color, lw=lw, shrinkA=0, shrinkB=0, zorder=1))


def box(ax, xy, text, color, label=None, width=0.8, height=0.6):
    """A rounded box centred on ``xy`` holding ``text`` (a layer), with an optional ``label`` to its left."""
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.12", facecolor=color,
                                edgecolor="black", lw=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=12, color="white", fontweight="bold", zorder=4)
    if label:
        ax.text(x - width / 2 - 0.06, y + height / 2 + 0.05, label, ha="right", va="bottom", fontsize=12,
                zorder=4)


def node(ax, xy, symbol, radius=0.22, color="white"):
    """A round element-wise operation (``×``, ``+``) or function (``tanh``) centred on ``xy``."""
    ax.add_patch(Circle(xy, radius, facecolor=color, edgecolor="black", lw=1.2, zorder=3))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=13 if len(symbol) == 1 else 9, zorder=4)


# ---------------------------------------------------------------------------------------------------
# The cell
# ---------------------------------------------------------------------------------------------------
def draw_lstm_cell():
    """The LSTM cell: the cell state ``c`` runs along the top, the four layers read ``[x_t, h_{t-1}]``
    from the bus at the bottom. Returns the figure."""
    fig, ax = plt.subplots(figsize=(7.3, 5.0))
    ax.add_patch(FancyBboxPatch((0.6, 0.35), 8.6, 5.15, boxstyle="round,pad=0.02,rounding_size=0.3",
                                facecolor="#f4f4f4", edgecolor="#999999", lw=1.0, zorder=0))
    top, bus, gate_y = 4.8, 1.0, 2.3
    fx, ix, gx, ox = 2.3, 3.6, 4.8, 6.2                  # columns of the four layers
    ax.text(-0.05, top, r"$c_{t-1}$", ha="right", va="center", fontsize=14)
    ax.text(-0.05, bus, r"$h_{t-1}$", ha="right", va="center", fontsize=14)
    ax.text(1.4, -0.55, r"$x_t$", ha="center", va="top", fontsize=14)
    # the cell state: forget (×) then write (+), then out
    arrow(ax, [(0.0, top), (fx - 0.22, top)], lw=2.6)
    node(ax, (fx, top), "×")
    arrow(ax, [(fx + 0.22, top), (gx - 0.22, top)], lw=2.6)
    node(ax, (gx, top), "+")
    arrow(ax, [(gx + 0.22, top), (10.0, top)], lw=2.6)
    ax.text(10.05, top, r"$c_t$", ha="left", va="center", fontsize=14)
    # the input bus: [x_t, h_{t-1}] feeds all four layers
    ax.plot([0.0, ox], [bus, bus], color="black", lw=1.6, zorder=1)
    arrow(ax, [(1.4, -0.5), (1.4, bus)], head=False)
    ax.add_patch(Circle((1.4, bus), 0.06, color="black", zorder=2))
    for x in (fx, ix, gx, ox):
        arrow(ax, [(x, bus), (x, gate_y - 0.3)])
    box(ax, (fx, gate_y), r"$\sigma$", GATE_COLORS["f"], r"$f_t$")
    box(ax, (ix, gate_y), r"$\sigma$", GATE_COLORS["i"], r"$i_t$")
    box(ax, (gx, gate_y), r"tanh", GATE_COLORS["g"], r"$g_t$")
    box(ax, (ox, gate_y), r"$\sigma$", GATE_COLORS["o"], r"$o_t$")
    # forget gate scales c_{t-1}; input gate scales g; their product is added
    arrow(ax, [(fx, gate_y + 0.3), (fx, top - 0.22)], color=GATE_COLORS["f"])
    mult_y = 3.55
    arrow(ax, [(ix, gate_y + 0.3), (ix, mult_y), (gx - 0.22, mult_y)], color=GATE_COLORS["i"])
    arrow(ax, [(gx, gate_y + 0.3), (gx, mult_y - 0.22)], color=GATE_COLORS["g"])
    node(ax, (gx, mult_y), "×")
    arrow(ax, [(gx, mult_y + 0.22), (gx, top - 0.22)])
    # output: tanh(c_t) filtered by the output gate
    tx = 7.3
    arrow(ax, [(tx, top), (tx, 3.55 + 0.31)])
    node(ax, (tx, 3.55), "tanh", radius=0.31)
    arrow(ax, [(tx, 3.55 - 0.31), (tx, gate_y + 0.22)])
    arrow(ax, [(ox + 0.4, gate_y), (tx - 0.22, gate_y)], color=GATE_COLORS["o"])
    node(ax, (tx, gate_y), "×")
    hx = 8.4
    arrow(ax, [(tx + 0.22, gate_y), (hx, gate_y), (hx, bus), (10.0, bus)], lw=2.0)
    arrow(ax, [(hx, gate_y), (hx, 6.25)], lw=2.0)
    ax.add_patch(Circle((hx, gate_y), 0.06, color="black", zorder=2))
    ax.text(10.05, bus, r"$h_t$", ha="left", va="center", fontsize=14)
    ax.text(hx + 0.1, 6.2, r"$y_t = h_t$", ha="left", va="top", fontsize=14)
    ax.text(5.0, top + 0.25, "cell state (long-term memory)", ha="center", va="bottom", fontsize=9,
            style="italic")
    ax.text(3.9, bus - 0.12, r"$[x_t,\ h_{t-1}]$ to every layer", ha="center", va="top", fontsize=9,
            style="italic")
    ax.set_xlim(-0.9, 10.8)
    ax.set_ylim(-1.1, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("An LSTM cell at step t", fontsize=12)
    legible(fig)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------------
def plot_gradient_flow(flows: dict[str, dict[str, np.ndarray]]):
    """One panel per setting: ``||dL/dh_t||`` relative to the last step, against the number of steps
    between ``t`` and the loss (log scale). ``flows``: setting title -> {cell name: norms (T,)}."""
    fig, axes = plt.subplots(1, len(flows), figsize=(min(3.3 * len(flows) + 1.6, COLUMN_INCHES), 3.6),
                             sharey=True, squeeze=False)
    for ax, (title, norms) in zip(axes[0], flows.items()):
        for (cell, values), color, ls in zip(norms.items(), CYCLE, LINESTYLES):
            values = np.asarray(values, dtype=float)
            back = np.arange(values.size)[::-1]             # steps between t and the last step
            ax.plot(back, values / values[-1], color=color, ls=ls, lw=2, label=cell)
        ax.set(yscale="log", title=wrap_to_width(title, 0.85 * (fig.get_figwidth() - 1.0) / len(flows), 12),
               xlabel="steps back from the loss (T - 1 - t)")
        ax.grid(True, which="major", alpha=0.3)
    axes[0, 0].set_ylabel(r"$\|\partial L/\partial h_t\|$ ÷ value at the last step")
    axes[0, 0].set_ylim(bottom=1e-12, top=3)
    axes[0, -1].legend(loc="lower left")
    legible(fig)
    fig.tight_layout()
    return fig


def plot_gate_heatmaps(traces: dict[str, np.ndarray], marker: int | None = None, title: str = ""):
    """Heatmaps (unit x step) of the gates i, f, o (colour scale 0..1) and of the cell state c.

    ``traces`` as returned by :func:`lessons_lib.views.lstm.gate_traces`; ``marker`` draws a dashed line
    at that step.
    """
    names = [("i", "input gate $i_t$"), ("f", "forget gate $f_t$"), ("o", "output gate $o_t$"),
             ("c", "cell state $c_t$")]
    T, H = traces["i"].shape
    fig, axes = plt.subplots(len(names), 1, figsize=(COLUMN_INCHES, 7.0), sharex=True)
    c_lim = max(1.0, float(np.abs(traces["c"]).max()))
    for ax, (key, label) in zip(axes, names):
        if key == "c":
            im = ax.imshow(traces[key].T, aspect="auto", cmap="PuOr", vmin=-c_lim, vmax=c_lim,
                           interpolation="nearest")
        else:
            im = ax.imshow(traces[key].T, aspect="auto", cmap="cividis", vmin=0.0, vmax=1.0,
                           interpolation="nearest")
        fig.colorbar(im, ax=ax, pad=0.015, fraction=0.04)
        ax.set_yticks(range(0, H, 1 if H <= 6 else 2))   # labels that fit the panel's height
        ax.set_ylabel("unit")
        ax.set_title(label, fontsize=10, loc="left")
        if marker is not None:
            ax.axvline(marker, color=OKABE_ITO["vermillion"], ls="--", lw=1.5)
    axes[-1].set_xlabel("time step t")
    axes[-1].set_xticks(range(0, T, 2))
    if title:
        fig.suptitle(wrap_to_width(title, 0.95 * fig.get_figwidth(), 11), fontsize=11)
    legible(fig)
    fig.tight_layout()
    return fig


def plot_loss_curves(curves: dict[str, np.ndarray], title: str = "", ylabel: str = "training loss (MSE)",
                     baseline: float | None = None, baseline_label: str = "chance"):
    """Loss per epoch on a log scale: one colour per entry, a thin line per run and a thick median.

    ``curves``: label -> array (runs, epochs) (or one run, (epochs,)).
    """
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 4.6), layout="constrained")
    for (label, losses), color, ls in zip(curves.items(), CYCLE, LINESTYLES):
        losses = np.atleast_2d(np.asarray(losses, dtype=float))
        epochs = np.arange(1, losses.shape[1] + 1)
        for run in losses:
            ax.plot(epochs, run, color=color, lw=0.8, alpha=0.45, ls=ls)
        ax.plot(epochs, np.nanmedian(losses, axis=0), color=color, lw=2.4, ls=ls,
                label=f"{label} (median of {losses.shape[0]})" if losses.shape[0] > 1 else label)
    if baseline is not None:
        ax.axhline(baseline, color="black", lw=0.9, ls=":", label=baseline_label)
    ax.set(yscale="log", xlabel="epoch", ylabel=ylabel, title=wrap_to_width(title, 0.8 * fig.get_figwidth(), 12))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, which="major", alpha=0.3)
    # under the panel: the thin lines of the single runs fill it
    fig.legend(loc="outside lower center", ncol=2, handlelength=3, frameon=False)
    return legible(fig)
