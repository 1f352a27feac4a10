"""Figures of section 2.4.1: the four wirings, BPTT on an unrolled RNN, gradients through time,
gradient clipping and the sunspot forecast."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .style import COLUMN_INCHES, CYCLE, LINESTYLES, OKABE_ITO, legible, wrap_to_width

_CELL = OKABE_ITO["blue"]
_DECODER = OKABE_ITO["green"]
_GRAD = OKABE_ITO["vermillion"]
_GREY = "#9a9a9a"


_W, _H = 0.62, 0.42      # width and height of a box, in data units


def _box(ax, x, y, text, color, filled=True, w=_W, h=_H, fontsize=10, alpha=1.0):
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.03",
                                facecolor=color if filled else "white", edgecolor=color, linewidth=1.5,
                                alpha=alpha, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4,
            color="white" if filled else ("black" if alpha == 1.0 else _GREY))


def _arrow(ax, start, end, color="black", ls="-", lw=1.3, rad=0.0, shrink=2):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11, color=color,
                                 linestyle=ls, linewidth=lw, shrinkA=shrink, shrinkB=shrink,
                                 connectionstyle=f"arc3,rad={rad}", zorder=2))


def _chain(ax, xs, inputs, outputs, color, first_state=None):
    """Cells at ``xs`` (y = 1), inputs below (y = 0), outputs above (y = 2); ``None`` leaves a slot empty,
    a label starting with ``~`` is drawn greyed (an output that is computed but ignored)."""
    for k, x in enumerate(xs):
        _box(ax, x, 1, "h", color)
        if inputs[k] is not None:
            _box(ax, x, 0, inputs[k], "black", filled=False)
            _arrow(ax, (x, _H / 2), (x, 1 - _H / 2))
        if outputs[k] is not None:
            ignored = outputs[k].startswith("~")
            _box(ax, x, 2, outputs[k].lstrip("~"), _GREY if ignored else "black", filled=False,
                 alpha=0.6 if ignored else 1.0)
            _arrow(ax, (x, 1 + _H / 2), (x, 2 - _H / 2), color=_GREY if ignored else "black",
                   ls=":" if ignored else "-")
        if k:
            _arrow(ax, (xs[k - 1] + _W / 2, 1), (x - _W / 2, 1), color=color, lw=1.8)
    if first_state is not None:
        _arrow(ax, (first_state[0] + _W / 2, first_state[1]), (xs[0] - _W / 2, 1), color=color, lw=1.8)


def draw_wirings() -> plt.Figure:
    """The four ways to wire a recurrent layer, unrolled over time (time runs to the right)."""
    # the right column is wider, for the encoder-decoder's six steps; every panel has the same scale
    fig, axes = plt.subplots(2, 2, figsize=(7.4, 5.6), width_ratios=(4.4, 6.5))
    xs = [0, 1, 2, 3]
    panels = axes.ravel()
    _chain(panels[0], xs, [f"$x_{t}$" for t in xs], [f"$\\hat y_{t}$" for t in xs], _CELL)
    panels[0].set_title("sequence-to-sequence:\nan output at every step")
    _chain(panels[1], xs, [f"$x_{t}$" for t in xs], [f"~$\\hat y_{t}$" for t in xs[:-1]] + ["$\\hat y$"], _CELL)
    panels[1].set_title("sequence-to-vector:\nonly the last output is used")
    _chain(panels[2], xs, ["$v$"] * 4, [f"$\\hat y_{t}$" for t in xs], _CELL)
    panels[2].set_title("vector-to-sequence: one vector $v$\n(here fed at every step)")
    enc, dec = [0, 1, 2], [3.3, 4.3, 5.3]
    _chain(panels[3], enc, ["A", "B", "C"], [None] * 3, _CELL)
    _chain(panels[3], dec, ["<s>", "C", "B"], ["C", "B", "A"], _DECODER, first_state=(enc[-1], 1))
    panels[3].text(1, 1.55, "encoder", ha="center", color=_CELL, fontsize=10)
    panels[3].text(4.3, -0.55, "decoder (input: previous target token)", ha="center", va="top",
                   color=_DECODER, fontsize=9)
    panels[3].set_title("encoder-decoder:\nreverse A B C")
    panels[1].set_anchor("W")       # under each other: the right column's panels start at one x
    for ax in panels:
        ax.set_xlim(-0.6, 5.9 if ax is panels[3] else 3.6)
        ax.set_ylim(-0.95, 2.3)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.text(0.5, 0.01, "time runs to the right; blue/green arrows carry the state $h_t$ to the next step;\n"
             "grey dotted outputs are computed but ignored", ha="center", va="bottom", fontsize=9)
    legible(fig)
    fig.tight_layout(rect=(0, 0.08, 1, 1), h_pad=0.5, w_pad=0.5)
    return fig


def draw_unrolled_bptt(state_grad_norms: Sequence[float], loss_steps: Sequence[int]) -> plt.Figure:
    """An RNN unrolled over ``len(state_grad_norms)`` steps with a loss on ``loss_steps``: solid arrows
    are the forward pass (black, and blue for the state passed from step to step), orange (vermillion)
    dashed arrows the gradients of BPTT, and each state is labelled with the size of the gradient that
    reaches it (``||dL/dh_t||``, e.g. from :meth:`RNN.state_gradients`)."""
    norms = np.asarray(state_grad_norms, dtype=float)
    T = norms.size
    used = {int(s) % T for s in loss_steps}
    last = max(used)
    gap = 1.6                                    # distance between two steps
    fig, ax = plt.subplots(figsize=(min(1.25 * T + 0.6, COLUMN_INCHES), 4.1))
    for t in range(T):
        x = gap * t
        _box(ax, x, 1, f"$h_{t}$", _CELL)
        _box(ax, x, 0, f"$x_{t}$", "black", filled=False)
        _arrow(ax, (x, _H / 2), (x, 1 - _H / 2))
        ignored = t not in used
        _box(ax, x, 2, f"$\\hat y_{t}$", _GREY if ignored else "black", filled=False, alpha=0.6 if ignored else 1)
        _arrow(ax, (x - 0.1, 1 + _H / 2), (x - 0.1, 2 - _H / 2), color=_GREY if ignored else "black")
        if t in used:
            _arrow(ax, (x + 0.1, 2 - _H / 2), (x + 0.1, 1 + _H / 2), color=_GRAD, ls="--", lw=1.6)
        if t:
            _arrow(ax, (x - gap + _W / 2, 1.1), (x - _W / 2, 1.1), color=_CELL, lw=1.8)
            if t <= last:
                _arrow(ax, (x - _W / 2, 0.9), (x - gap + _W / 2, 0.9), color=_GRAD, ls="--", lw=1.6)
        label = "0" if norms[t] == 0 else f"{norms[t]:.2g}"
        ax.text(x + 0.1, 0.5, f"‖∂L/∂h‖\n= {label}", ha="left", va="center", color=_GRAD)
    loss_x = gap * float(np.mean(sorted(used)))
    _box(ax, loss_x, 3, "loss $L$ (2.13)", _GRAD, w=1.5)
    for t in sorted(used):
        _arrow(ax, (gap * t - 0.1, 2 + _H / 2), (loss_x - 0.1, 3 - _H / 2), color="black")
        _arrow(ax, (loss_x + 0.1, 3 - _H / 2), (gap * t + 0.1, 2 + _H / 2), color=_GRAD, ls="--", lw=1.6)
    ax.set_xlim(-0.6, gap * (T - 1) + 0.9)
    ax.set_ylim(-0.4, 3.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"BPTT with the loss on steps {sorted(used)} of 0-{T - 1}:\nsolid arrows = forward pass "
                 "(blue: the state), orange dashed = gradient", fontsize=10)
    legible(fig)
    fig.tight_layout()
    return fig


def plot_gradient_flow(flows: Mapping[str, Mapping[str, np.ndarray]]) -> plt.Figure:
    """One panel per setting (e.g. default init / forget-gate bias), one curve per cell type:
    ``||dL/dh_t||`` relative to the last step, against the distance ``T - 1 - t`` from the loss."""
    fig, axes = plt.subplots(1, len(flows), figsize=(min(3.3 * len(flows) + 1.6, COLUMN_INCHES), 3.6),
                             sharey=True, squeeze=False)
    for ax, (title, curves) in zip(axes[0], flows.items()):
        for (name, norms), color, ls in zip(curves.items(), CYCLE, LINESTYLES):
            norms = np.asarray(norms, dtype=float)
            distance = np.arange(norms.size)
            ax.plot(distance, norms[::-1] / norms[-1], color=color, ls=ls, lw=2, label=name)
        ax.set(yscale="log", xlabel="steps back from the loss ($T-1-t$)",
               title=wrap_to_width(title, 0.85 * (fig.get_figwidth() - 1.0) / len(flows), 12))
        ax.grid(True, which="major", alpha=0.3)
    axes[0][-1].legend(loc="lower left")          # the same curves in every panel: one legend
    axes[0][0].set_ylabel(r"$\Vert\partial L/\partial h_t\Vert \;/\; \Vert\partial L/\partial h_{T-1}\Vert$")
    legible(fig)
    fig.tight_layout()
    return fig


def plot_clipping(histories: Mapping[str, object], cap: float = 1e8) -> plt.Figure:
    """Gradient norm (before clipping) and loss per optimisation step for several training runs
    (:class:`~lessons_lib.seq2seq.History` objects). Values above ``cap`` are drawn at the top edge as a
    triangle labelled with their value; a run that stopped is marked with an x at its last point."""
    fig, (ax_g, ax_l) = plt.subplots(2, 1, figsize=(COLUMN_INCHES, 5.4), sharex=True)
    for (name, h), color, ls in zip(histories.items(), CYCLE, LINESTYLES):
        for ax, ys in ((ax_g, h.grad_norms), (ax_l, h.losses)):
            ys = np.asarray(ys, dtype=float)
            steps = np.arange(ys.size)
            shown = np.minimum(ys, cap)
            ax.plot(steps, shown, color=color, ls=ls, lw=1.6, marker="o" if ys.size < 5 else None, label=name)
            for k in np.flatnonzero(ys > cap):
                ax.plot([k], [cap], "^", color=color, ms=10)
                ax.annotate(f"off the scale: {ys[k]:.2g}", (k, cap), xytext=(8, -4), textcoords="offset points",
                            ha="left", va="top", color=color)
            if h.diverged:
                ax.plot([steps[-1]], [shown[-1]], "x", color=color, ms=12, mew=2.5)
    ax_g.set(yscale="log", ylabel="global gradient norm\n(before clipping)", title="Gradient norm")
    ax_l.set(yscale="log", xlabel="optimisation step", ylabel="mini-batch MSE", title="Loss")
    for ax in (ax_g, ax_l):
        ax.set_ylim(top=cap * 10)
        ax.grid(True, alpha=0.3)
    ax_g.legend(loc="center right")               # the same runs in both panels: one legend
    legible(fig)
    fig.tight_layout()
    return fig


def plot_sunspot_forecast(result, first_year: float = 1900) -> plt.Figure:
    """The sunspot series from ``first_year`` with the one-step and free-running forecasts of a
    :class:`~lessons_lib.views.bptt.SunspotForecast`."""
    fig, ax = plt.subplots(figsize=(COLUMN_INCHES, 4.4), layout="constrained")
    keep = result.years >= first_year
    ax.plot(result.years[keep], result.values[keep], color="black", lw=1.5, label="observed")
    test_years = result.years[result.years >= result.split_year]
    ax.plot(test_years, result.one_step, color=CYCLE[0], ls=LINESTYLES[1], lw=2,
            label="model, one step ahead (given the true past)")
    ax.plot(test_years[:result.free_running.size], result.free_running, color=CYCLE[1], ls=LINESTYLES[2],
            lw=2, label="model, free-running from the split")
    ax.axvline(result.split_year - 0.5, color=_GREY, ls=":")
    behind = dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1)    # readable over the curves
    ax.text(result.split_year - 1, ax.get_ylim()[1] * 0.95, "training ←", ha="right", va="top", bbox=behind)
    ax.text(result.split_year, ax.get_ylim()[1] * 0.95, "→ test", ha="left", va="top", bbox=behind)
    ax.set(xlabel="year", ylabel="yearly sunspot number", title="Forecasting the sunspot numbers")
    fig.legend(loc="outside lower center", handlelength=3, frameon=False)   # below: the curves fill the panel
    return legible(fig)
