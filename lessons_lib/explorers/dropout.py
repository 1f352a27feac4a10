"""Section 2.3.7 — the dropout explorer: the drop rate against the decision regions and the train/validation gap."""

from __future__ import annotations

import numpy as np

from ..plots.backprop import CLASS_CMAP
from ..plots.style import OKABE_ITO
from ..views.dropout import EXPLORER_RATES, dropout_view
from .base import Explorer, Slider, static_legend

_CLASSES = ((OKABE_ITO["orange"], "o"), (OKABE_ITO["blue"], "s"))


class DropoutExplorer(Explorer):
    """An MLP overfits 40 noisy points; dropout at a chosen rate; the loss gap across rates."""

    title = "Dropout against overfitting"
    controls = {
        # A new rate trains a network (cached); the epochs read looks of runs of 200 epochs. One seed: the
        # curves of another seed would cost seven more trainings (the notebook counts over seeds).
        "p": Slider("drop rate p", 0.0, 0.9, 0.0, step=0.05, continuous=False),
        "epochs": Slider("epochs", 10, 200, 200, step=10, integer=True),
    }
    # The site's frames: the rates of the right-hand panel's curves, early in training and at its end. Every
    # frame uses the same seven runs, so the grid costs seven trainings.
    site_grid = {"epochs": (50, 200), "p": EXPLORER_RATES}
    figsize = (6.72, 3.9)

    def compute(self, p, epochs):
        return dropout_view(p, epochs)

    def build(self, fig):
        grid = fig.add_gridspec(1, 2, width_ratios=(1, 1))
        self.ax_r = fig.add_subplot(grid[0, 0])
        self.ax_c = fig.add_subplot(grid[0, 1])
        self.image = self.ax_r.imshow(np.zeros((2, 2)), origin="lower", cmap=CLASS_CMAP, vmin=0.0, vmax=1.0,
                                      alpha=0.75, interpolation="bilinear", aspect="auto")
        self.points = []
        for label, (color, marker) in enumerate(_CLASSES):
            (line,) = self.ax_r.plot([], [], ls="", marker=marker, ms=7, color=color, markeredgecolor="black",
                                     markeredgewidth=0.8, label=f"class {label}")
            self.points.append(line)
        self.ax_r.set(xlabel="$x_1$", ylabel="$x_2$")
        # under the panel: the points fill it (the panel's own legend, redrawn with it)
        static_legend(self.ax_r, self.points, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2,
                       frameon=False)
        (self.c_train,) = self.ax_c.plot([], [], color=OKABE_ITO["blue"], lw=2, marker="o", ms=5,
                                         label="training points")
        (self.c_val,) = self.ax_c.plot([], [], color=OKABE_ITO["orange"], lw=2, ls="--", marker="s", ms=5,
                                       label="validation points")
        (self.c_now,) = self.ax_c.plot([], [], ls="", marker="o", ms=11, markerfacecolor="none",
                                       markeredgecolor=OKABE_ITO["vermillion"], markeredgewidth=2, zorder=5)
        self.c_rate = self.ax_c.axvline(0.0, color=OKABE_ITO["vermillion"], lw=1.2, ls=":")
        self.ax_c.axhline(np.log(2), color=OKABE_ITO["black"], lw=0.8, ls=":")
        self.ax_c.text(0.88, np.log(2), "ln 2", ha="right", va="bottom", fontsize=9)
        self.ax_c.set(xlim=(-0.04, 0.94), xlabel="drop rate p", ylabel="cross-entropy loss")
        static_legend(self.ax_c, [self.c_train, self.c_val], loc="upper right")

    def draw(self, view):
        self.image.set_data(view.prob)
        extent = (view.xx[0, 0], view.xx[0, -1], view.yy[0, 0], view.yy[-1, 0])
        self.image.set_extent(extent)
        self.ax_r.set_xlim(extent[:2])
        self.ax_r.set_ylim(extent[2:])
        X, y = view.train
        for label, line in enumerate(self.points):
            line.set_data(X[y == label, 0], X[y == label, 1])
        self.ax_r.title.set_text(f"p = {view.p:.2g}, {view.epochs} epochs:\ntraining {view.train_accuracy:.0%}, "
                                 f"validation {view.val_accuracy:.0%}")
        self.c_train.set_data(view.rates, view.rates_train_loss)
        self.c_val.set_data(view.rates, view.rates_val_loss)
        self.c_now.set_data([view.p, view.p], [view.train_loss, view.val_loss])
        self.c_rate.set_xdata([view.p] * 2)
        # Whole steps of 0.5 from the largest loss of all the runs at any time: the same limits for every
        # rate and every number of epochs of one seed.
        self.ax_c.set_ylim(0.0, 0.5 * np.ceil(2.0 * min(view.loss_top, 5.0) * 1.05))
        self.ax_c.title.set_text(f"After {view.epochs} epochs (seed {view.seed}),\nno unit dropped")
        self.show_message(view.message or None)
