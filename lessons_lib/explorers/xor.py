"""Section 2.3 — the XOR explorer: an MLP learning XOR, its hidden units' lines and its loss, step by step."""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..plots.backprop import CLASS_CMAP
from ..plots.style import OKABE_ITO
from ..views.xor import PLANE, XOR_X, XOR_Y, xor_view
from .base import Explorer, Slider

#: Hidden units the explorer can draw (a line each).
MAX_HIDDEN = 8
#: Length of every training run, in steps (each step uses all four examples).
STEPS = 500


class XORExplorer(Explorer):
    """One seeded training run of ``mlp([2, hidden, 1])`` on XOR: lines of the hidden units, output region, loss."""

    title = "An MLP learns XOR"
    controls = {
        # A change of the hidden units or of the seed trains a new run (cached); the step only reads it.
        "hidden": Slider("hidden units", 1, MAX_HIDDEN, 2, integer=True, continuous=False),
        "step": Slider("training step", 0, STEPS, STEPS, step=5, integer=True),
        "seed": Slider("seed", 0, 9, 0, integer=True, continuous=False),
    }
    # The site's frames: 1, 2 and 4 hidden units, at four moments of training, for two seeds -- seed 1 is
    # one whose run with 2 hidden units gets stuck (the notebook's text counts how often that happens).
    site_grid = {"hidden": (1, 2, 4), "step": (0, 50, 150, STEPS), "seed": (0, 1)}
    figsize = (6.72, 3.9)

    def compute(self, hidden, step, seed):
        return xor_view(hidden, step, seed, steps=STEPS)

    def build(self, fig):
        grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.15))
        self.ax_p = fig.add_subplot(grid[0, 0])
        self.ax_l = fig.add_subplot(grid[0, 1])
        lo, hi = PLANE
        # P(XOR = 1) over the plane: orange where the network answers 0, blue where it answers 1
        self.image = self.ax_p.imshow(np.zeros((2, 2)), extent=(lo, hi, lo, hi), origin="lower", cmap=CLASS_CMAP,
                                      vmin=0.0, vmax=1.0, alpha=0.75, interpolation="bilinear")
        self.lines = []
        for _ in range(MAX_HIDDEN):
            (line,) = self.ax_p.plot([], [], color=OKABE_ITO["black"], lw=1.8, ls="--")
            self.lines.append(line)
        for label, color, marker in ((0, OKABE_ITO["orange"], "o"), (1, OKABE_ITO["blue"], "s")):
            points = XOR_X[XOR_Y == label]
            self.ax_p.plot(points[:, 0], points[:, 1], ls="", marker=marker, ms=11, color=color,
                           markeredgecolor="black", markeredgewidth=1.0, zorder=5)
        self.ax_p.set(xlim=PLANE, ylim=PLANE, xlabel="input A", ylabel="input B", aspect="equal",
                      xticks=(0, 1), yticks=(0, 1))
        (self.l_curve,) = self.ax_l.plot([], [], color=OKABE_ITO["blue"], lw=2)
        (self.l_now,) = self.ax_l.plot([], [], "o", color=OKABE_ITO["vermillion"], ms=8, zorder=5)
        self.l_step = self.ax_l.axvline(0, color=OKABE_ITO["vermillion"], lw=1.2, ls=":")
        self.ax_l.axhline(np.log(2), color=OKABE_ITO["black"], lw=1, ls="--")
        self.ax_l.set(yscale="log", xlim=(-10, STEPS + 10), ylim=(1e-3, 2.0), xlabel="training step",
                      ylabel="loss (log scale)")
        self.ax_l.text(STEPS / 2, np.log(2) * 1.15, "ln 2: every answer 0.5", ha="center", va="bottom", fontsize=9)
        handles = [Line2D([], [], ls="", marker="o", ms=9, color=OKABE_ITO["orange"], markeredgecolor="black",
                          label="XOR = 0"),
                   Line2D([], [], ls="", marker="s", ms=9, color=OKABE_ITO["blue"], markeredgecolor="black",
                          label="XOR = 1"),
                   Line2D([], [], color=OKABE_ITO["black"], lw=1.8, ls="--", label="a hidden unit's w·x + b = 0"),
                   Patch(color=CLASS_CMAP(0.15), alpha=0.75, label="answers 0"),
                   Patch(color=CLASS_CMAP(0.85), alpha=0.75, label="answers 1")]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)

    def draw(self, view):
        self.image.set_data(view.probability)
        for k, line in enumerate(self.lines):
            shown = k < view.hidden
            line.set_visible(shown)
            if shown:
                line.set_data(view.lines[k][:, 0], view.lines[k][:, 1])
        units = f"{view.hidden} hidden unit{'s' if view.hidden > 1 else ''}"
        self.ax_p.title.set_text(f"{units}, step {view.step}:\n{view.correct} of 4 answers right")
        steps = np.arange(len(view.loss))
        self.l_curve.set_data(steps, view.loss)
        self.l_now.set_data([view.step], [view.loss_now])
        self.l_step.set_xdata([view.step] * 2)
        self.ax_l.title.set_text(f"Training loss, seed {view.seed}:\n{view.loss_now:.2g} at step {view.step}")
        self.show_message(None if np.all(np.isfinite(view.loss)) else f"Training diverged: {view.message}")
