"""Figures of section 2.4.3: the GRU cell (loss curves and gradient plots are shared with ``plots.lstm``)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch

from .._validation import check_choice
from ..gru import GRU_VARIANTS
from .lstm import GATE_COLORS, arrow, box, node
from .style import OKABE_ITO, legible

__all__ = ["draw_gru_cell"]


def draw_gru_cell(variant: str = "reset_after"):
    """The GRU cell, with PyTorch's convention for ``z``: ``h_t = (1 - z) * n + z * h_{t-1}``.

    Parameters
    ----------
    variant : ``"reset_after"`` (default) or ``"reset_before"``
        Where the reset gate acts in the candidate layer. ``"reset_after"`` (PyTorch, cuDNN, Keras's
        default, the first arXiv version of Cho et al.): ``r_t`` scales ``h_{t-1} W_hn + b_hn``, the
        result of the candidate's recurrent weights. ``"reset_before"`` (the published version of Cho
        et al.): ``r_t`` scales ``h_{t-1}`` before those weights.

    Returns the figure.
    """
    variant = check_choice(variant, "variant", GRU_VARIANTS)
    after = variant == "reset_after"
    fig, ax = plt.subplots(figsize=(7.3, 5.0))
    ax.add_patch(FancyBboxPatch((0.6, 0.35), 8.3, 5.15, boxstyle="round,pad=0.02,rounding_size=0.3",
                                facecolor="#f4f4f4", edgecolor="#999999", lw=1.0, zorder=0))
    top, bus, gate_y, mix_y = 4.8, 1.0, 2.3, 3.55
    zx, rx, mx, nx = 2.6, 4.0, 5.1, 7.6
    ax.text(-0.05, top, r"$h_{t-1}$", ha="right", va="center", fontsize=14)
    ax.text(1.6, -0.55, r"$x_t$", ha="center", va="top", fontsize=14)
    # the state: kept in proportion z, new content added in proportion 1 - z
    arrow(ax, [(0.0, top), (zx - 0.22, top)], lw=2.6)
    node(ax, (zx, top), "×")
    arrow(ax, [(zx + 0.22, top), (nx - 0.22, top)], lw=2.6)
    node(ax, (nx, top), "+")
    arrow(ax, [(nx + 0.22, top), (10.0, top)], lw=2.6)
    ax.text(10.05, top, r"$h_t$", ha="left", va="center", fontsize=14)
    hx = 8.45
    arrow(ax, [(hx, top), (hx, 6.25)], lw=2.0)
    ax.add_patch(Circle((hx, top), 0.06, color="black", zorder=2))
    ax.text(hx + 0.1, 6.2, r"$y_t = h_t$", ha="left", va="top", fontsize=14)
    # h_{t-1} also goes down to the bus that feeds the layers, where x_t joins it
    ax.plot([0.9, 0.9, nx], [top, bus, bus], color="black", lw=1.6, zorder=1)
    ax.add_patch(Circle((0.9, top), 0.06, color="black", zorder=2))
    arrow(ax, [(1.6, -0.5), (1.6, bus)], head=False)
    ax.add_patch(Circle((1.6, bus), 0.06, color="black", zorder=2))
    for x in (zx, rx):
        arrow(ax, [(x, bus), (x, gate_y - 0.3)])
    box(ax, (zx, gate_y), r"$\sigma$", GATE_COLORS["z"], r"$z_t$")
    box(ax, (rx, gate_y), r"$\sigma$", GATE_COLORS["r"], r"$r_t$")
    box(ax, (nx, gate_y), "tanh", GATE_COLORS["g"], r"$n_t$")
    # the reset gate scales what the candidate layer sees of h_{t-1}: after the candidate's recurrent
    # weights (a linear layer, drawn grey) or before them
    if after:
        lin_y = 1.62
        arrow(ax, [(mx, bus), (mx, lin_y - 0.19)])
        box(ax, (mx, lin_y), r"$W_{hn}$", "#6f6f6f", width=0.72, height=0.38)
        arrow(ax, [(mx, lin_y + 0.19), (mx, gate_y - 0.22)])
    else:
        arrow(ax, [(mx, bus), (mx, gate_y - 0.22)])
    arrow(ax, [(rx + 0.4, gate_y), (mx - 0.22, gate_y)], color=GATE_COLORS["r"])
    node(ax, (mx, gate_y), "×")
    arrow(ax, [(mx + 0.22, gate_y), (nx - 0.4, gate_y)])
    # the update gate: z keeps the old state, 1 - z lets the candidate in
    arrow(ax, [(zx, gate_y + 0.3), (zx, top - 0.22)], color=GATE_COLORS["z"])
    ox = 4.75
    ax.add_patch(Circle((zx, mix_y), 0.05, color=GATE_COLORS["z"], zorder=2))
    arrow(ax, [(zx, mix_y), (ox - 0.24, mix_y)], color=GATE_COLORS["z"])
    node(ax, (ox, mix_y), "1−", radius=0.24)
    arrow(ax, [(ox + 0.24, mix_y), (nx - 0.22, mix_y)], color=GATE_COLORS["z"])
    arrow(ax, [(nx, gate_y + 0.3), (nx, mix_y - 0.22)], color=GATE_COLORS["g"])
    node(ax, (nx, mix_y), "×")
    arrow(ax, [(nx, mix_y + 0.22), (nx, top - 0.22)])
    ax.text(3.2, bus - 0.12, r"$[x_t,\ h_{t-1}]$", ha="center", va="top", fontsize=9, style="italic")
    # the candidate reads x_t directly and h_{t-1} only through the reset gate
    arrow(ax, [(nx, bus), (nx, gate_y - 0.3)])
    ax.text(nx + 0.08, 1.5, r"$x_t$", ha="left", va="center", fontsize=9)
    if after:
        ax.text(mx - 0.42, 1.22, r"$h_{t-1}$", ha="right", va="center", fontsize=9)
        ax.text(mx + 0.45, lin_y, r"$h_{t-1} W_{hn} + b_{hn}$", ha="left", va="center", fontsize=8,
                color=OKABE_ITO["black"])
        title = "A GRU cell at step t (reset after the candidate's weights, as in PyTorch)"
    else:
        ax.text(mx - 0.08, 1.5, r"$h_{t-1}$", ha="right", va="center", fontsize=9)
        ax.text((mx + nx) / 2 - 0.1, gate_y - 0.12, r"$r_t \odot h_{t-1}$", ha="center", va="top",
                fontsize=9, color=OKABE_ITO["black"])
        title = "A GRU cell at step t (reset before the candidate's weights)"
    ax.set_xlim(-0.9, 10.8)
    ax.set_ylim(-1.1, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=12)
    legible(fig)
    fig.tight_layout()
    return fig
