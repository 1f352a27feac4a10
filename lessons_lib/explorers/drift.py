"""Sections 1.2.1 and 1.2.2 — the drift explorer: a batch learner refitted on a schedule against an online
learner, on the drifting stream of both sections."""

from __future__ import annotations

from matplotlib.ticker import NullLocator
from matplotlib.transforms import blended_transform_factory

from ..plots.style import OKABE_ITO
from ..views.chapter1_learning import DRIFT_SMOOTH, drift_view, explorer_stream
from .base import Explorer, Slider

_BATCH, _ONLINE = OKABE_ITO["orange"], OKABE_ITO["blue"]
_STREAM = len(explorer_stream().y)
# Fixed error axis (log scale): the noise floor 0.09 to the frozen model's errors after the drift, so the cached
# background holds for every setting; a diverged online learner leaves it at the top, with a message.
_YLIM = (0.03, 40.0)


class DriftExplorer(Explorer):
    """Error on the drifting stream of 1.2.1/1.2.2: a batch learner refitted every N examples on a recent
    window, and an online learner with learning rate η."""

    title = "Batch or online on a drifting stream"
    controls = {
        "lr": Slider("online: learning rate η", 0.001, 1.2, 0.05, log=True, step=0.05),
        "retrain_every": Slider("batch: refit every (examples)", 50, _STREAM, 300, step=50, integer=True),
        "window": Slider(f"batch: fit on the last (examples; {_STREAM} = all)", 50, _STREAM, 300, step=50,
                         integer=True),
    }
    # The site's frames: the three rates of 1.2.2, refits every 100 or 300 examples (1.2.1, exercise 1), on
    # windows of 50, 300, 1000 examples or all the data (1.2.1, the figure and exercise 2).
    site_grid = {"lr": (0.01, 0.05, 0.3), "retrain_every": (100, 300), "window": (50, 300, 1000, _STREAM)}
    figsize = (6.72, 4.2)

    def compute(self, lr, retrain_every, window):
        return drift_view(lr, retrain_every, None if window >= _STREAM else window)

    def build(self, fig):
        # The legend above the panel, in a cell of its own: its entries change length with the settings, and
        # inside the panel it would cover the errors right after the drift.
        grid = fig.add_gridspec(2, 1, height_ratios=(1, 4.4))
        key = fig.add_subplot(grid[0])
        key.axis("off")
        ax = self.ax = fig.add_subplot(grid[1])
        (self.batch,) = ax.plot([], [], color=_BATCH, lw=1.8, ls="--")
        (self.online,) = ax.plot([], [], color=_ONLINE, lw=1.8)
        # The refits, as ticks along the bottom of the panel.
        (self.refits,) = ax.plot([], [], "|", color=_BATCH, ms=9, mew=1.5,
                                 transform=blended_transform_factory(ax.transData, ax.transAxes))
        stream = explorer_stream()
        ax.axvline(stream.drift_at, color=OKABE_ITO["black"], lw=1, ls=":")
        ax.text(stream.drift_at, 0.97, " drift", transform=blended_transform_factory(ax.transData, ax.transAxes),
                va="top", ha="left")
        floor = ax.axhline(0.09, color="0.45", lw=1, ls=":")
        ax.set(yscale="log", ylim=_YLIM, xlim=(0, _STREAM), xlabel="position in the stream (examples)",
               ylabel=f"squared error (mean of {DRIFT_SMOOTH}\nmini-batches of 10)")
        # Plain numbers, and no minor ticks (each is an object that every redraw of the axis visits).
        ax.set_yticks([0.1, 1, 10], ["0.1", "1", "10"])
        ax.yaxis.set_minor_locator(NullLocator())
        self.legend = key.legend([self.batch, self.online, self.refits, floor],
                                 ["batch", "online", "refits", "noise floor (0.09)"], ncol=2, loc="center",
                                 title="mean squared error after the drift", frameon=False)

    def draw(self, view):
        self.batch.set_data(view.batch_starts, view.batch_smoothed)
        self.online.set_data(view.batch_starts, view.online_smoothed)
        self.refits.set_data(view.refits, [0.03] * len(view.refits))
        every, window, lr = self.values["retrain_every"], self.values["window"], self.values["lr"]
        window_text = "all data" if window >= _STREAM else f"the last {window}"
        texts = self.legend.get_texts()
        schedule = f"refit every {every} on {window_text}" if len(view.refits) else "never refitted"
        texts[0].set_text(f"batch, {schedule}: {view.batch_after:.2f}")
        online = "diverged" if view.diverged else f"{view.online_after:.2f}"
        texts[1].set_text(f"online, η = {lr:.2g}: {online}")
        texts[2].set_text("refits" if len(view.refits) else "refits: none")
        self.show_message(view.message or None)
