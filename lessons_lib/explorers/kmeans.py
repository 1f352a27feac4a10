"""Section 1.1.2 — the k-means explorer: Lloyd's algorithm half-step by half-step, beside the elbow curve."""

from __future__ import annotations

import numpy as np

from ..plots.style import CYCLE, OKABE_ITO
from ..views.chapter1_supervision import EXPLORER_KS, explorer_blobs, kmeans_step_view
from .base import Explorer, Slider

_MARKERS = ("o", "^", "s", "D", "v", "P")   # one per cluster, as in the figures of 1.1.2
_MAX_ITER = 25                               # every seed of the slider converges within it (at most 25)


class KMeansExplorer(Explorer):
    """k-means on the two clouds of 1.1.2: assignments, centre moves and their paths, and the elbow curve."""

    title = "k-means, step by step"
    controls = {
        "k": Slider("k (clusters)", EXPLORER_KS[0], EXPLORER_KS[-1], 3, integer=True),
        "step": Slider("step (assign, move, …)", 0, 2 * _MAX_ITER, 0, integer=True),
        "seed": Slider("seed of the starting centres", 0, 20, 0, integer=True),
    }
    # The site's frames: k = 2 (the elbow), 3 and 4 (a cloud cut in two, slowly), at the first steps one by one
    # and then further apart up to the end of the run; the seed stays at 0 there.
    site_grid = {"k": (2, 3, 4), "step": (0, 1, 2, 3, 4, 8, 16, 2 * _MAX_ITER)}
    figsize = (6.72, 3.7)

    def compute(self, k, step, seed):
        return kmeans_step_view(k, step, seed, max_iter=_MAX_ITER)

    def build(self, fig):
        grid = fig.add_gridspec(1, 2, width_ratios=(1.15, 1))
        self.ax_p = fig.add_subplot(grid[0, 0])
        self.ax_e = fig.add_subplot(grid[0, 1])
        # Points as lines of markers (one per cluster, and grey before the first assignment): lines are
        # updated in place and drawn over the cached background, scatter collections are not.
        (self.p_none,) = self.ax_p.plot([], [], "o", ms=3.5, color="#999999", ls="none")
        self.p_clusters = [self.ax_p.plot([], [], _MARKERS[j], ms=3.5, color=CYCLE[j], ls="none")[0]
                           for j in range(len(_MARKERS))]
        (self.p_changed,) = self.ax_p.plot([], [], "o", ms=8, mfc="none", mec=OKABE_ITO["black"], mew=1.0,
                                           ls="none", label="changed cluster")
        self.p_trails = [self.ax_p.plot([], [], "-", color=OKABE_ITO["black"], lw=1.3, marker=".", ms=5,
                                        zorder=4)[0] for _ in _MARKERS]
        (self.p_centers,) = self.ax_p.plot([], [], "X", ms=13, color=OKABE_ITO["black"], mec="white", mew=1.3,
                                           ls="none", zorder=5)
        X = explorer_blobs()
        lo, hi = X.min(0), X.max(0)
        pad = 0.06 * (hi - lo).max()
        self.ax_p.set(xlim=(lo[0] - pad, hi[0] + pad), ylim=(lo[1] - pad, hi[1] + pad), aspect="equal",
                      xlabel="$x_1$", ylabel="$x_2$")

        (self.e_curve,) = self.ax_e.plot(EXPLORER_KS, np.zeros(len(EXPLORER_KS)), color=OKABE_ITO["blue"],
                                         marker="o", ms=4, lw=1.8, label="best of 3 runs")
        (self.e_ring,) = self.ax_e.plot([], [], "o", ms=15, mfc="none", mec=OKABE_ITO["orange"], mew=2,
                                        label="k = 3")
        (self.e_now,) = self.ax_e.plot([], [], "o", ms=7, color=OKABE_ITO["vermillion"], zorder=5,
                                       label="this run")
        self.ax_e.set(xlabel="number of clusters k", ylabel="inertia", xticks=EXPLORER_KS,
                      xlim=(EXPLORER_KS[0] - 0.4, EXPLORER_KS[-1] + 0.4), title="The elbow")
        self.e_legend = self.ax_e.legend(loc="upper right")

    def draw(self, view):
        X, k = view.X, view.k
        assigned = view.labels >= 0
        self.p_none.set_data(X[~assigned, 0], X[~assigned, 1])
        for j, line in enumerate(self.p_clusters):
            members = view.labels == j
            line.set_data(X[members, 0], X[members, 1])
        self.p_changed.set_data(X[view.changed, 0], X[view.changed, 1])
        for j, line in enumerate(self.p_trails):
            path = view.trails[:, j] if j < k else np.empty((0, 2))
            line.set_data(path[:, 0], path[:, 1])
        self.p_centers.set_data(view.centers[:, 0], view.centers[:, 1])
        if view.phase == "start":
            title = f"Start: {k} centre{'s' if k > 1 else ''} drawn\nby k-means++"
        elif view.phase == "assign":
            moved = int(view.changed.sum())
            what = "every point" if view.iteration == 1 else f"{moved} point{'' if moved == 1 else 's'} changed"
            title = f"Step {view.step} (iteration {view.iteration}):\nassign, {what}"
        elif view.phase == "move":
            title = f"Step {view.step} (iteration {view.iteration}):\nmove, centres to their means"
        else:
            title = f"Step {view.step}: nothing changes,\nconverged after {view.iteration} iterations"
        self.ax_p.title.set_text(title)

        self.e_curve.set_ydata(view.elbow)
        self.e_ring.set_data([k], [view.elbow[k - 1]])
        texts = self.e_legend.get_texts()
        texts[1].set_text(f"k = {k}: {view.elbow[k - 1]:.0f}")
        if np.isnan(view.inertia):
            self.e_now.set_data([], [])
            texts[2].set_text("this run: from step 1")
        else:
            self.e_now.set_data([k], [view.inertia])
            texts[2].set_text(f"this run, step {view.step}: {view.inertia:.0f}")
        # Room above the highest point for the legend; stable while only the step changes.
        top = max(float(view.elbow[0]), float(np.nanmax(view.run_inertia)))
        self.ax_e.set_ylim(0, 1.4 * top)
        self.show_message(None)
