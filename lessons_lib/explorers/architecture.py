"""Section 2.3.4 — the architecture explorer: width and depth against decision regions (the Playground idea)."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..plots.backprop import CLASS_CMAP
from ..plots.style import LINESTYLES, OKABE_ITO
from ..views.hidden_layers import PLAYGROUND_DATASETS, PLAYGROUND_SEEDS, architecture_label, playground_view
from .base import Choice, Explorer, Slider, static_legend

_CLASSES = ((OKABE_ITO["orange"], "o"), (OKABE_ITO["blue"], "s"))
_DEPTH_COLORS = (OKABE_ITO["sky"], OKABE_ITO["green"], OKABE_ITO["purple"])
#: The architectures of the sweep panel (the site's grid).
SWEEP_WIDTHS = (4, 8, 16)
SWEEP_DEPTHS = (1, 2, 3)


class ArchitectureExplorer(Explorer):
    """Decision regions of an MLP of a chosen width and depth on moons or spirals, with its size and accuracy."""

    title = "Width and depth"
    controls = {
        # Each change of width, depth or data trains five networks (one per seed, side by side; cached).
        "width": Slider("units per layer", 2, 32, 8, integer=True, continuous=False),
        "depth": Slider("hidden layers", 1, 4, 1, integer=True, continuous=False),
        "dataset": Choice("data", PLAYGROUND_DATASETS, "spirals", {"moons": "two moons", "spirals": "two spirals"}),
        "seed": Slider("seed", 0, PLAYGROUND_SEEDS - 1, 0, integer=True),
    }
    # The site's frames: every architecture of the sweep on both tasks; the seed stays at 0 there. A change
    # of data moves the left panel's limits (its background is redrawn), so it comes first.
    site_grid = {"dataset": PLAYGROUND_DATASETS, "depth": SWEEP_DEPTHS, "width": SWEEP_WIDTHS}
    figsize = (6.72, 4.0)

    def compute(self, width, depth, dataset, seed):
        return playground_view(dataset, width, depth, seed, SWEEP_WIDTHS, SWEEP_DEPTHS)

    def build(self, fig):
        grid = fig.add_gridspec(1, 2, width_ratios=(1.1, 1))
        self.ax_r = fig.add_subplot(grid[0, 0])
        self.ax_s = fig.add_subplot(grid[0, 1])
        self.regions = self.ax_r.imshow(np.zeros((2, 2)), origin="lower", cmap=CLASS_CMAP, vmin=-0.25, vmax=1.25,
                                        alpha=0.6, interpolation="bilinear", aspect="auto")
        self.train_pts, self.val_pts = [], []
        for color, marker in _CLASSES:
            (t,) = self.ax_r.plot([], [], ls="", marker=marker, ms=5, color=color, markeredgecolor="black",
                                  markeredgewidth=0.5)
            (v,) = self.ax_r.plot([], [], ls="", marker=marker, ms=5, markerfacecolor="white", markeredgecolor=color,
                                  markeredgewidth=1.4)
            self.train_pts.append(t), self.val_pts.append(v)
        self.ax_r.set(xlabel="$x_1$", ylabel="$x_2$")
        self.sweep = []
        for depth, color, style in zip(SWEEP_DEPTHS, _DEPTH_COLORS, LINESTYLES):
            (line,) = self.ax_s.plot([], [], color=color, ls=style, lw=2, marker="o", ms=5,
                                     label=f"{depth} layer{'s' if depth > 1 else ''}")
            self.sweep.append(line)
        (self.this,) = self.ax_s.plot([], [], ls="", marker="*", ms=15, color=OKABE_ITO["vermillion"],
                                      markeredgecolor="black", markeredgewidth=0.6, label="this network", zorder=5)
        self.ax_s.set(xscale="log", xlim=(8, 5000), ylim=(0.4, 1.02), xlabel="parameters (log scale)",
                      ylabel="validation accuracy")
        self.ax_s.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        static_legend(self.ax_s, [*self.sweep, self.this], loc="lower right", title="widths 4, 8, 16:")
        self.ax_s.title.set_text(f"Median of {PLAYGROUND_SEEDS} seeds")
        handles = [Line2D([], [], ls="", marker="o", ms=6, color="0.5", markeredgecolor="black", label="training"),
                   Line2D([], [], ls="", marker="o", ms=6, markerfacecolor="white", markeredgecolor="0.3",
                          markeredgewidth=1.4, label="validation")]
        # Under the panel, as the panel's own legend: a figure legend would lie in the cell of the panel, which
        # is cleared whenever the panel's limits change (a change of data); the panel's legend is redrawn then.
        static_legend(self.ax_r, handles, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False)

    def draw(self, view):
        self.regions.set_data(view.classes)
        dx, dy = (view.xs[1] - view.xs[0]) / 2, (view.ys[1] - view.ys[0]) / 2
        extent = (view.xs[0] - dx, view.xs[-1] + dx, view.ys[0] - dy, view.ys[-1] + dy)
        self.regions.set_extent(extent)
        self.ax_r.set_xlim(extent[:2])
        self.ax_r.set_ylim(extent[2:])
        for label in (0, 1):
            for points, artist in ((view.train, self.train_pts[label]), (view.val, self.val_pts[label])):
                X, y = points
                artist.set_data(X[y == label, 0], X[y == label, 1])
        name = architecture_label((view.width,) * view.depth)
        self.ax_r.title.set_text(f"{name}, {view.n_params} parameters:\ntraining {view.train_accuracy:.0%}, "
                                 f"validation {view.val_accuracy:.0%}")
        for line, params, accuracy in zip(self.sweep, view.sweep_params, view.sweep_val):
            line.set_data(params, accuracy)
        self.this.set_data([view.n_params], [view.val_accuracy])
        self.ax_s.title.set_text(f"Median of {PLAYGROUND_SEEDS} seeds,\n{self.controls['dataset'].name(view.dataset)}")
        self.show_message(view.message or None)
