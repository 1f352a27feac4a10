"""Section 2.3.1 — backpropagation one node at a time, on a tiny computational graph."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.path import Path
from matplotlib.transforms import offset_copy

from ..plots.style import OKABE_ITO, wrap_to_width
from ..views.backprop import BACKPROP_GRAPHS, BACKPROP_STEPS, backprop_walk, number_text
from .base import Choice, Explorer, Slider

#: A node's box: a marker twice as wide as it is tall (a marker's size is its larger side, in points).
_BOX = Path([(-1.0, -0.5), (1.0, -0.5), (1.0, 0.5), (-1.0, 0.5), (-1.0, -0.5)],
            [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])
_BOX_PT = 66.0                          # box width, points
_HALF_WIDTH = 0.43                      # half a box's width in data units of the graph panel (edges end there)
_X_SPAN = 5.0                           # the graph's columns spread over x in [0, 5]
_STATES = {   # state -> (face colour, edge colour, edge width, legend label)
    "leaf": (OKABE_ITO["sky"], "0.3", 1.0, "input or parameter"),
    "pending": ("white", "0.6", 1.0, "not computed yet"),
    "done": ("#e6e6e6", "0.3", 1.0, "computed"),
    "current": (OKABE_ITO["yellow"], "black", 2.2, "this step"),
}


def _xy(position: np.ndarray) -> np.ndarray:
    """Graph layout (column, row) -> drawing coordinates: columns across [0, 5], rows downwards."""
    columns = max(float(position[:, 0].max()), 1.0)
    return np.column_stack([position[:, 0] * _X_SPAN / columns, -position[:, 1]])


def _edge_path(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The edge from box ``a`` to box ``b``: from a's right side to b's left side (every edge of these graphs
    joins neighbouring columns)."""
    return np.array([a + (_HALF_WIDTH, 0.0), b - (_HALF_WIDTH, 0.0)])


@lru_cache(maxsize=512)
def _wrap(line: str, width: float, fontsize: float) -> str:
    return wrap_to_width(line, width, fontsize)


class BackpropExplorer(Explorer):
    """Step through the forward and the backward pass of a tiny graph: values, then gradients, node by node."""

    title = "Backpropagation, one node at a time"
    controls = {
        "graph": Choice("graph", tuple(BACKPROP_GRAPHS), "neuron",
                        {"neuron": "one neuron and its loss", "shared": "a weight used twice"}),
        "step": Slider("step", 0, BACKPROP_STEPS - 1, 0, integer=True),
        "first_input": Slider("input x (x₁)", -3.0, 3.0, 2.0, step=0.1),
    }
    # The site's frames: every step of both graphs; the input stays at its default there.
    site_grid = {"graph": tuple(BACKPROP_GRAPHS), "step": tuple(range(BACKPROP_STEPS))}
    figsize = (6.72, 4.8)

    def compute(self, graph, step, first_input):
        walk = backprop_walk(graph, float(first_input))
        return walk, walk.steps[step], step

    def build(self, fig):
        grid = fig.add_gridspec(2, 1, height_ratios=(2.5, 1.25))
        self.ax_g = fig.add_subplot(grid[0])
        self.ax_t = fig.add_subplot(grid[1])
        for ax in (self.ax_g, self.ax_t):
            ax.set_axis_off()
        self.ax_g.set(xlim=(-0.55, _X_SPAN + 0.55), ylim=(-1.62, 1.32))
        self.ax_t.set(xlim=(0, 1), ylim=(0, 1))
        (self.edges,) = self.ax_g.plot([], [], color="0.55", lw=1.2, zorder=1)
        (self.heads,) = self.ax_g.plot([], [], ls="", marker=">", ms=6, color="0.55", zorder=1)
        (self.active,) = self.ax_g.plot([], [], lw=3.2, color=OKABE_ITO["blue"], zorder=2, solid_capstyle="round")
        self.boxes = {}
        for k, (state, (face, edge, width, label)) in enumerate(_STATES.items()):
            (self.boxes[state],) = self.ax_g.plot([], [], ls="", marker=_BOX, ms=_BOX_PT, mfc=face, mec=edge,
                                                  mew=width, zorder=3 + k, label=label)
        n_max = max(len(backprop_walk(g).names) for g in BACKPROP_GRAPHS)
        below = offset_copy(self.ax_g.transData, fig=fig, y=-0.25 * _BOX_PT - 8, units="points")
        self.node_texts = [fig.text(0, 0, "", transform=self.ax_g.transData, ha="center", va="center",
                                    fontsize=10, zorder=10, linespacing=1.15) for _ in range(n_max)]
        self.grad_texts = [fig.text(0, 0, "", transform=below, ha="center", va="center", fontsize=10,
                                    color=OKABE_ITO["vermillion"], zorder=10) for _ in range(n_max)]
        self.header = fig.text(0.0, 1.0, "", transform=self.ax_t.transAxes, ha="left", va="top",
                               fontsize=10, fontweight="bold")
        self.body = fig.text(0.0, 0.83, "", transform=self.ax_t.transAxes, ha="left", va="top", fontsize=10,
                             linespacing=1.3)
        handles = [self.boxes[s] for s in _STATES]
        proxies = [Line2D([], [], ls="", marker="s", ms=11, mfc=h.get_markerfacecolor(),
                          mec=h.get_markeredgecolor(), mew=h.get_markeredgewidth()) for h in handles]
        # a figure legend: the same in every frame, so it stays in the cached background
        fig.legend(proxies, [h.get_label() for h in handles], loc="outside lower center", ncol=4, frameon=False,
                   handletextpad=0.3, columnspacing=1.2)
        self.ax_g.set_title(" ")

    def draw(self, view):
        walk, step, index = view
        xy = _xy(walk.position)
        # the edges, each a polyline; NaN separates them in one line
        paths = [_edge_path(xy[p], xy[c]) for p, c in walk.edges]
        nan = np.full((1, 2), np.nan)
        self.edges.set_data(*np.vstack([np.vstack([p, nan]) for p in paths]).T)
        self.heads.set_data([p[-1, 0] for p in paths], [p[-1, 1] for p in paths])
        if step.edges:
            self.active.set_data(*np.vstack([np.vstack([paths[e], nan]) for e in step.edges]).T)
        else:
            self.active.set_data([], [])
        self.active.set_color(OKABE_ITO["vermillion"] if step.phase == "backward" else OKABE_ITO["blue"])
        # each node's box in the colour of its state
        state = np.where(walk.leaf, "leaf", np.where(step.has_value, "done", "pending"))
        if step.node >= 0:
            state[step.node] = "current"
        for name, line in self.boxes.items():
            line.set_data(xy[state == name, 0], xy[state == name, 1])
        for k in range(len(self.node_texts)):
            visible = k < len(walk.names)
            self.node_texts[k].set_visible(visible)
            self.grad_texts[k].set_visible(visible and not np.isnan(step.grad[k]))
            if not visible:
                continue
            value = number_text(walk.values[k]) if step.has_value[k] else "?"
            self.node_texts[k].set_text(f"{walk.formulas[k]}\n{value}")
            self.node_texts[k].set_position(xy[k])
            self.grad_texts[k].set_text(f"grad {number_text(step.grad[k])}")
            self.grad_texts[k].set_position(xy[k])
        self.ax_g.set_title(BACKPROP_GRAPHS[walk.graph])
        self.header.set_text(f"Step {index} of {BACKPROP_STEPS - 1}. {step.lines[0]}")
        self.body.set_text("\n".join(_wrap(line, 0.98 * self.figsize[0], self.body.get_fontsize())
                                     for line in step.lines[1:]))
        self.show_message(None)

