"""Figures of section 2.4: a recurrent neuron and its unrolled form, states over time, a real series."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible

__all__ = ["draw_unrolled", "plot_states", "plot_series", "plot_influence"]

_R = 0.38


def _neuron(ax, x, y, label="Σ, φ"):
    ax.add_patch(Circle((x, y), _R, facecolor=OKABE_ITO["sky"], edgecolor="black", linewidth=1.3, zorder=3))
    ax.text(x, y, label, ha="center", va="center", fontsize=10, zorder=4)


def _arrow(ax, start, end, colour="black", rad=0.0, style="-|>", linestyle="-"):
    ax.add_patch(FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={rad}", arrowstyle=style,
                                 mutation_scale=13, color=colour, linewidth=1.4, linestyle=linestyle,
                                 zorder=2))


def draw_unrolled(n_steps: int = 4):
    """A single recurrent neuron (left) and the same neuron unrolled over ``n_steps`` time steps (right).

    Inputs (blue) enter from below, outputs leave upwards, and the output fed back (orange) is the loop on
    the left and the arrows from one time step to the next on the right. Returns the figure.
    """
    fig, (ax_l, ax_r) = plt.subplots(1, 2, figsize=(7.6, 3.4), gridspec_kw={"width_ratios": [1, 2.6]})
    blue, orange = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
    # left: the neuron with its loop
    _neuron(ax_l, 0, 0)
    _arrow(ax_l, (0, -1.25), (0, -_R), blue)
    ax_l.text(0, -1.4, r"$\mathbf{x}_t$", ha="center", va="top", fontsize=12, color=blue)
    _arrow(ax_l, (0, _R), (0, 1.25))
    ax_l.text(0, 1.35, r"$\hat{y}_t$", ha="center", va="bottom", fontsize=12)
    _arrow(ax_l, (0.05, 0.75), (_R * 0.95, 0.1), orange, rad=-1.4)
    ax_l.text(0.95, 0.45, r"$\hat{y}_{t-1}$" + "\n(delayed\nby one step)", ha="left", va="center",
              fontsize=9, color=orange)
    ax_l.set(xlim=(-1.2, 1.9), ylim=(-2.0, 1.9), title="A recurrent neuron")
    # right: unrolled
    gap = 1.6
    for t in range(n_steps):
        x = t * gap
        _neuron(ax_r, x, 0)
        _arrow(ax_r, (x, -1.25), (x, -_R), blue)
        ax_r.text(x, -1.4, rf"$\mathbf{{x}}_{t}$", ha="center", va="top", fontsize=12, color=blue)
        _arrow(ax_r, (x, _R), (x, 1.25))
        ax_r.text(x, 1.35, rf"$\hat{{y}}_{t}$", ha="center", va="bottom", fontsize=12)
        start = (x - gap + _R, 0) if t else (x - gap * 0.75, 0)
        _arrow(ax_r, start, (x - _R, 0), orange)
        if t == 0:
            ax_r.text(x - gap * 0.8, 0.12, r"$\hat{y}_{-1}=0$", ha="right", va="bottom", fontsize=10,
                      color=orange)
    _arrow(ax_r, (-gap * 0.5, -2.05), ((n_steps - 0.5) * gap, -2.05), "#555555")
    ax_r.text((n_steps - 0.5) * gap, -2.2, "time", ha="right", va="top", fontsize=10, color="#555555")
    ax_r.set(xlim=(-gap * 1.3, (n_steps - 0.4) * gap), ylim=(-2.6, 1.9),
             title=f"The same neuron unrolled through time\n({n_steps} steps, one set of weights)")
    for ax in (ax_l, ax_r):
        ax.set_aspect("equal")
        ax.axis("off")
    legible(fig)
    fig.tight_layout()
    return fig


def plot_states(x, states, title: str = "An untrained recurrent layer reading a series"):
    """The input series ``x`` (T,) on top and every neuron's state ``states`` (T, H) below. Returns the figure."""
    x = np.asarray(x)
    states = np.asarray(states)
    t = np.arange(len(x))
    fig, (ax_x, ax_h) = plt.subplots(2, 1, figsize=(COLUMN_INCHES, 4.8), sharex=True,
                                     gridspec_kw={"height_ratios": [1, 1.6]})
    ax_x.plot(t, x, color="black", linewidth=1.2)
    ax_x.set(ylabel="input $x_t$", title=title)
    for j in range(states.shape[1]):
        ax_h.plot(t, states[:, j], color=CYCLE[j % len(CYCLE)], linestyle=LINESTYLES[j % len(LINESTYLES)],
                  linewidth=1.3, label=f"neuron {j + 1}")
    ax_h.set(xlabel="time step $t$", ylabel=r"state $\hat{y}_t$ (tanh)", ylim=(-1.05, 1.05))
    # under the panels: the states fill the whole height of theirs
    fig.legend(*ax_h.get_legend_handles_labels(), ncol=min(states.shape[1], 4), loc="lower center", frameon=False)
    for ax in (ax_x, ax_h):
        ax.grid(alpha=0.3)
    legible(fig)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


def plot_series(series):
    """A :class:`lessons_lib.sequences.Series` (e.g. the sunspots) against its time axis. Returns the figure."""
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 3.2))
    ax.plot(series.time, series.values, color=OKABE_ITO["blue"], linewidth=1.0)
    ax.set(xlabel="year", ylabel="sunspot number", title=series.description)
    ax.grid(alpha=0.3)
    legible(fig)
    fig.tight_layout()
    return fig


def plot_influence(influence, step: int = 0):
    """Bars of :func:`lessons_lib.views.rnn.input_influence` on a log scale. Returns the figure."""
    influence = np.asarray(influence)
    t = np.arange(len(influence))
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 3.2))
    shown = influence > 0
    ax.bar(t[shown], influence[shown], color=OKABE_ITO["blue"], width=0.7)
    ax.axvline(step, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.2,
               label=f"input changed at step {step}")
    ax.set_yscale("log")
    ax.set_xlim(-0.5, len(influence) - 0.5)
    ax.set(xlabel="time step $t$", ylabel=r"largest change of $\hat{Y}_t$ (log scale)",
           title="How long one input is remembered")
    ax.legend()
    ax.grid(alpha=0.3, axis="y")
    legible(fig)
    fig.tight_layout()
    return fig
