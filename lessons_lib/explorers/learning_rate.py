"""Section 2.3.5 — the learning-rate explorer: range test, training curves, and an optimizer race."""

from __future__ import annotations

import numpy as np

from ..plots.style import CYCLE, LINESTYLES, OKABE_ITO
from ..views.learning_rate import (
    OPTIMIZER_CHOICES,
    RACE_OPTIMIZERS,
    SURFACES,
    race_at_own_rates,
    range_test_view,
    training_view,
)
from .base import Choice, Explorer, Slider


class LearningRateExplorer(Explorer):
    """Find a learning rate with the range test, train with it, and race optimizers on a 2-D surface."""

    title = "Learning rate and optimizer"
    controls = {
        "optimizer": Choice("optimizer", tuple(OPTIMIZER_CHOICES), "Adam"),
        # Each change retrains a network, so the sliders update when released.
        "lr": Slider("learning rate", 1e-5, 10.0, 1e-2, log=True, continuous=False),
        "epochs": Slider("epochs", 5, 60, 20, integer=True, continuous=False),
        "surface": Choice("race surface", tuple(SURFACES), "ravine"),
    }
    # The site's frames: SGD and Adam (the "things to try" of 2.3.5 and its exercise on SGD's divergence) at
    # 13 rates, half a decade apart, on the ravine; the surface and the epochs stay at their defaults there
    # (a change of surface redraws the whole figure: frames over both would cost twice the build time).
    site_grid = {"optimizer": ("SGD", "Adam"), "lr": 13}
    figsize = (6.72, 5.4)

    def compute(self, optimizer, lr, epochs, surface):
        # The race always shows the four classics, plus the chosen optimizer when it is another one, each at
        # its own rate: the chosen one at lr, the others at their suggestions times lr / the chosen's.
        return (range_test_view(optimizer), training_view(optimizer, lr, epochs),
                race_at_own_rates(surface, optimizer, lr))

    def build(self, fig):
        # range test and training above; the race below, its legend beside it in a cell of its own (its
        # entries change length from frame to frame, and the layout is computed once)
        grid = fig.add_gridspec(2, 2)
        self.ax_r = fig.add_subplot(grid[0, 0])
        self.ax_t = fig.add_subplot(grid[0, 1])
        self.ax_c = fig.add_subplot(grid[1, 0])
        ax_key = fig.add_subplot(grid[1, 1])
        ax_key.axis("off")
        (self.r_line,) = self.ax_r.plot([], [], color=OKABE_ITO["blue"], lw=2, label="smoothed loss")
        self.r_suggest = self.ax_r.axvline(1e-3, color=OKABE_ITO["green"], ls="--", lw=1.5, label="suggested")
        self.r_chosen = self.ax_r.axvline(1e-2, color=OKABE_ITO["vermillion"], lw=1.5, label="your choice")
        # A little margin beyond 1e-5 and 10, so a choice at either end stays visible.
        self.ax_r.set(xscale="log", xlim=(6e-6, 16.0), xlabel="learning rate (log scale)", ylabel="training loss")
        self.r_legend = self.ax_r.legend(loc="upper left")
        (self.t_train,) = self.ax_t.plot([], [], color=OKABE_ITO["blue"], lw=2, marker=".", label="training")
        (self.t_val,) = self.ax_t.plot([], [], color=OKABE_ITO["orange"], lw=2, marker=".", label="validation")
        self.t_start = self.ax_t.axhline(0.7, color=OKABE_ITO["black"], ls=":", lw=1, label="untrained")
        self.ax_t.set(xlabel="epoch", ylabel="cross-entropy loss")
        self.ax_t.legend(loc="upper right")
        self.c_paths = []
        for name, color, style in zip(RACE_OPTIMIZERS + ("chosen",), CYCLE, LINESTYLES):
            (line,) = self.ax_c.plot([], [], color=color, ls=style, lw=1.8, marker=".", ms=3, label=name)
            self.c_paths.append(line)
        (self.c_start,) = self.ax_c.plot([], [], "o", color=OKABE_ITO["black"], ms=6, zorder=5)
        (self.c_min,) = self.ax_c.plot([], [], "*", color=OKABE_ITO["black"], ms=12, zorder=5)
        self.c_legend = ax_key.legend(handles=self.c_paths, loc="center left", title="race: rate, final loss",
                                      frameon=False)
        self.ax_c.set(xlabel="θ₁", ylabel="θ₂")
        self._contour_surface = None
        self._contour = None

    def draw(self, view):
        rt, tr, race = view
        lr = self.values["lr"]
        finite = np.isfinite(rt.smoothed)
        self.r_line.set_data(rt.lrs[finite], rt.smoothed[finite])
        self.r_suggest.set_xdata([rt.suggested_lr] * 2)
        self.r_chosen.set_xdata([lr] * 2)
        self.r_legend.get_texts()[1].set_text(f"suggested: {rt.suggested_lr:.1e}")
        self.r_legend.get_texts()[2].set_text(f"your choice: {lr:.1e}")
        s = rt.smoothed[finite]
        self.ax_r.set_ylim(0.9 * s.min(), min(s.max(), 3 * s[0]) * 1.05)
        self.ax_r.title.set_text(f"Range test ({self.values['optimizer']})")

        self.t_train.set_data(tr.epochs, tr.train_loss)
        self.t_val.set_data(tr.epochs, tr.val_loss)
        self.ax_t.set_xlim(0.5, self.values["epochs"] + 0.5)
        losses = np.concatenate([tr.train_loss, tr.val_loss, [tr.initial_loss]])
        losses = losses[np.isfinite(losses)]
        top = min(float(losses.max()), 10.0) if losses.size else 1.0
        self.ax_t.set_ylim(0, max(top * 1.1, 0.1))
        acc = f"\nvalidation accuracy {tr.val_accuracy[-1]:.0%}" if len(tr.val_accuracy) else "\n"
        self.ax_t.title.set_text(f"Training at lr = {lr:.1e}{acc}")
        self.t_start.set_ydata([tr.initial_loss] * 2)
        self.show_message(f"Training diverged: {tr.message}" if tr.diverged else None)

        if self._contour_surface != race.surface.name:
            # The only artist rebuilt: contour sets are not updatable, and change only with the surface.
            if self._contour is not None:
                self._contour.remove()
            levels = np.geomspace(max(race.grid_z.min(), 1e-3), race.grid_z.max(), 14)
            self._contour = self.ax_c.contour(race.grid_x, race.grid_y, race.grid_z, levels=levels,
                                              colors="0.75", linewidths=0.7)
            self.ax_c.set_xlim(*race.surface.xlim)
            self.ax_c.set_ylim(*race.surface.ylim)
            self.c_start.set_data([race.surface.start[0]], [race.surface.start[1]])
            self.c_min.set_data([race.surface.minimum[0]], [race.surface.minimum[1]])
            self._contour_surface = race.surface.name
            self.invalidate_background()
        chosen = self.values["optimizer"]
        entries = zip(self.c_paths, self.c_legend.get_texts(), self.c_legend.legend_handles)
        for k, (line, text, handle) in enumerate(entries):
            path = race.paths[k] if k < len(race.paths) else None
            for artist in (line, text, handle):
                artist.set_visible(path is not None)
            if path is None:
                continue
            line.set_data(path.points[:, 0], path.points[:, 1])
            line.set_linewidth(3.0 if path.optimizer == chosen else 1.5)   # the student's choice stands out
            status = "diverged" if path.diverged_at else f"{path.final_loss:.3g}"
            text.set_text(f"{path.optimizer} at {race.rates[k]:.2g}: {status}")
        scale = lr / rt.suggested_lr
        self.ax_c.title.set_text(f"Race on the {race.surface.name},\neach at its suggestion × {scale:.2g}")

