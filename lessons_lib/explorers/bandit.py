"""Section 1.1.5 — the ε-greedy bandit explorer: average reward and regret over many runs, beside greedy."""

from __future__ import annotations

import numpy as np
from matplotlib.legend import Legend
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from ..plots.style import OKABE_ITO
from ..views.chapter1_learning import (
    BANDIT_HORIZON,
    BANDIT_MAX_RUNS,
    EXPLORER_EPSILONS,
    EXPLORER_PAYOUTS,
    bandit_view,
)
from .base import Choice, Explorer, Slider

_CHOSEN, _GREEDY = OKABE_ITO["blue"], OKABE_ITO["vermillion"]
# The quartile band is drawn as one line of short vertical strokes, side by side: a line is updated in place
# and drawn over the cached background (a filled polygon would be part of that background). Agg strokes a
# path in one pass, so overlapping strokes do not darken each other.
_BAND_POINTS, _BAND_WIDTH, _BAND_ALPHA = 300, 1.6, 0.2


def _band(x, low, high):
    """x and y of the vertical strokes from ``low`` to ``high``, at ``_BAND_POINTS`` places across ``x``."""
    at = np.linspace(x[0], x[-1], _BAND_POINTS)
    lo, hi = np.interp(at, x, low), np.interp(at, x, high)
    xs = np.column_stack([at, at, np.full_like(at, np.nan)]).ravel()
    ys = np.column_stack([lo, hi, np.full_like(at, np.nan)]).ravel()
    return xs, ys


class BanditExplorer(Explorer):
    """ε-greedy agents on the five arms of 1.1.5: their average reward and regret, beside greedy agents."""

    title = "ε-greedy on a five-armed bandit"
    controls = {
        # Each ε is played once (all its runs, all the pulls) and kept: a menu, not a slider.
        "epsilon": Choice("ε (exploration)", EXPLORER_EPSILONS, 0.1, {0.0: "0 (greedy)", 1.0: "1 (always random)"}),
        "steps": Slider("pulls", 50, BANDIT_HORIZON, 1000, step=50, integer=True),
        "runs": Slider("runs averaged", 10, BANDIT_MAX_RUNS, 100, step=10, integer=True),
    }
    # The site's frames: six rates from barely exploring to exploring half the time, over a short game, a
    # longer one and the notebook's; the number of runs stays at 100 there. The number of pulls sets the axes,
    # so it comes first (it changes least often from frame to frame: fewer panels to re-render).
    site_grid = {"steps": (100, 300, 1000), "epsilon": (0.01, 0.05, 0.1, 0.2, 0.3, 0.5)}
    figsize = (6.72, 4.2)

    def compute(self, epsilon, steps, runs):
        return bandit_view(epsilon, steps, runs)

    def build(self, fig):
        grid = fig.add_gridspec(1, 2)
        self.ax_r = fig.add_subplot(grid[0, 0])
        self.ax_g = fig.add_subplot(grid[0, 1])
        self.lines = {}
        for ax, kind in ((self.ax_r, "reward"), (self.ax_g, "regret")):
            for who, color, style in (("greedy", _GREEDY, "--"), ("chosen", _CHOSEN, "-")):
                (band,) = ax.plot([], [], color=color, alpha=_BAND_ALPHA, lw=_BAND_WIDTH, solid_capstyle="butt")
                (mean,) = ax.plot([], [], color=color, ls=style, lw=2)
                self.lines[kind, who] = band, mean
        best = max(EXPLORER_PAYOUTS)
        self.ax_r.axhline(best, color=OKABE_ITO["black"], lw=1, ls=":")
        self.ax_r.text(0.98, best + 0.015, f"best arm ({best:g})", ha="right", va="bottom",
                       transform=blended_transform_factory(self.ax_r.transAxes, self.ax_r.transData))
        self.ax_r.set(xlabel="pull t", ylabel="average reward of pulls 1..t", ylim=(0.0, 1.0),
                      title="Average reward")
        self.ax_g.set(xlabel="pull t", ylabel="regret: reward given up", title="Cumulative regret")
        handles = [self.lines["reward", "chosen"][1], self.lines["reward", "greedy"][1],
                   Patch(color="0.45", alpha=1.5 * _BAND_ALPHA, lw=0)]   # both policies' bands
        # Fixed labels (the chosen ε is named in the regret panel's legend): added as a plain artist, not as
        # the axes' legend, it is drawn once into the cached background instead of on every redraw.
        self.ax_r.add_artist(Legend(self.ax_r, handles, ["chosen ε", "greedy (ε = 0)", "middle half of the runs"],
                                    loc="lower right"))
        self.g_legend = self.ax_g.legend(handles[:2], ["ε", "greedy"], loc="upper left", title="mean at the end")

    def draw(self, view):
        x = view.pulls
        for who, bands in (("chosen", view.chosen), ("greedy", view.greedy)):
            for kind, mean, band in (("reward", bands.average_reward, bands.reward_band),
                                     ("regret", bands.regret, bands.regret_band)):
                band_line, mean_line = self.lines[kind, who]
                band_line.set_data(*_band(x, band[0], band[1]))
                mean_line.set_data(x, mean)
        eps = f"ε = {view.chosen.epsilon:g}"
        g_texts = self.g_legend.get_texts()
        g_texts[0].set_text(f"{eps}: {view.chosen.regret[-1]:.0f}")
        g_texts[1].set_text(f"greedy: {view.greedy.regret[-1]:.0f}")
        steps = int(x[-1])
        for ax in (self.ax_r, self.ax_g):
            ax.set_xlim(0, steps)
        # The regret axis changes with the number of pulls only (0.7 - 0.2 per pull at worst), so moving ε
        # keeps the cached background.
        self.ax_g.set_ylim(0, _regret_top(steps))
        self.ax_r.title.set_text(f"Average reward, {view.chosen.runs} runs")
        self.show_message(None)


def _regret_top(steps: int) -> float:
    """A round upper limit for the regret axis: 0.3 per pull (no quartile of the runs goes higher)."""
    top = 0.3 * steps
    step = 10 ** np.floor(np.log10(top))
    return float(np.ceil(top / step) * step)
