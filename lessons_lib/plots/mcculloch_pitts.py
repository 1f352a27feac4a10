"""Drawings of McCulloch–Pitts networks (Figure 2.1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch

from ..mcculloch_pitts import McCullochPittsNetwork, diagram
from .style import COLUMN_INCHES, OKABE_ITO, grid_shape, legible

_RADIUS = 0.22
_EXCITE = OKABE_ITO["blue"]
_INHIBIT = OKABE_ITO["vermillion"]


def draw_network(network: McCullochPittsNetwork, ax, title: str = "", span: tuple[float, float] = (1, 1),
                 notes: dict[str, str] | None = None) -> None:
    """Draw one network on ``ax``: excitatory connections as arrows (one per connection), inhibitory ones
    as dashed lines ending in a bar, each neuron's threshold θ under it, and optional ``notes`` (neuron name
    -> what it computes) above the neurons."""
    d = diagram(network)
    circles = {}
    for name, (x, y) in d.nodes.items():
        is_input = name in network.input_names
        circles[name] = Circle((x, y), _RADIUS, facecolor="white" if is_input else "#f2f2f2",
                               edgecolor="black", linewidth=1.5, zorder=3)
        ax.add_patch(circles[name])
        ax.text(x, y, name, ha="center", va="center", fontsize=12, fontweight="bold", zorder=4)
        if name in d.thresholds:
            # Below and to the right of its neuron, so that in stacked layers it cannot be read as the
            # threshold of the neuron underneath.
            ax.text(x + 0.7 * _RADIUS, y - 0.8 * _RADIUS, f"θ = {d.thresholds[name]}", ha="left", va="top",
                    fontsize=10)
        if notes and name in notes:
            ax.text(x, y + _RADIUS + 0.08, notes[name], ha="center", va="bottom", fontsize=10, style="italic",
                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.6, pad=1), zorder=5)
    for src, dst, n_exc, inhibitory in d.edges:
        (x0, y0), (x1, y1) = d.nodes[src], d.nodes[dst]
        # Parallel connections are drawn as arcs bent by different amounts so each one is visible.
        bends = [0.0] if n_exc == 1 else [0.25 * (k - (n_exc - 1) / 2) for k in range(n_exc)]
        for bend in bends if n_exc else []:
            # patchA/patchB clip each connection at the circles' edges, whatever the figure's scale.
            ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=f"arc3,rad={bend}",
                                         arrowstyle="-|>", mutation_scale=14, color=_EXCITE, linewidth=1.6,
                                         patchA=circles[src], patchB=circles[dst], shrinkA=1, shrinkB=1,
                                         zorder=2))
        if inhibitory:
            # Drawn above the circles so the bar at its end stays visible on the target's edge.
            ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle="arc3,rad=-0.35",
                                         arrowstyle="-[, widthB=0.9, lengthB=0.0", mutation_scale=10,
                                         color=_INHIBIT, linewidth=1.8, linestyle="--",
                                         patchA=circles[src], patchB=circles[dst], shrinkA=1, shrinkB=0,
                                         zorder=4))
    xs = [p[0] for p in d.nodes.values()]
    ys = [p[1] for p in d.nodes.values()]
    # A common span keeps neurons the same size in every panel of a multi-network figure.
    width, height = max(span[0], max(xs)), max(span[1], max(ys) - min(ys))
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    ax.set_xlim(cx - width / 2 - 0.5, cx + width / 2 + 0.5)
    ax.set_ylim(cy - height / 2 - 0.75, cy + height / 2 + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)


def draw_networks(networks: dict[str, McCullochPittsNetwork], ncols: int | None = None, title: str = "",
                  notes: dict[str, str] | None = None):
    """Draw several networks in rows of at most ``ncols`` (default: three, and four make two rows of two)
    with one shared legend; returns the figure.

    ``notes`` maps neuron names to a short label drawn above them (what a hidden neuron computes)."""
    n = len(networks)
    ncols = ncols or grid_shape(n)[1]
    nrows = -(-n // ncols)
    layouts = [diagram(net) for net in networks.values()]
    span = (max(max(x for x, _ in d.nodes.values()) for d in layouts),
            max(max(y for _, y in d.nodes.values()) - min(y for _, y in d.nodes.values()) for d in layouts))
    panel = min(2.6, COLUMN_INCHES / ncols)         # a row of them fits the page's column
    fig, axes = plt.subplots(nrows, ncols, figsize=(max(panel * ncols, 5.5), panel * nrows + 0.6), squeeze=False)
    for ax, (label, net) in zip(axes.flat, networks.items()):
        draw_network(net, ax, label, span, notes)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles = [Line2D([], [], color=_EXCITE, linewidth=1.6, marker=">", label="excitatory connection"),
               Line2D([], [], color=_INHIBIT, linewidth=1.8, linestyle="--", marker="|", markersize=10,
                      label="inhibitory connection (ends in a bar)")]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False)
    if title:
        fig.suptitle(title, fontsize=13)
    legible(fig)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    return fig
