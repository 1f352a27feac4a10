"""Section 2.3.6 — the batch-normalization explorer: batch size, BN on or off, training or evaluation mode."""

from __future__ import annotations

import math

import numpy as np

from ..plots.style import OKABE_ITO
from ..views.batchnorm import AFTER_BINS, BEFORE_BINS, EXPLORER_BATCH_SIZES, EXPLORER_STEPS, batchnorm_view
from .base import Choice, Explorer, Toggle

_MODES = {"train": "training (batch statistics)", "eval": "evaluation (running statistics)"}


def _steps(hist: np.ndarray) -> np.ndarray:
    """Heights for a step line over the bin edges (``drawstyle="steps-post"`` needs the last one twice)."""
    return np.append(hist, hist[-1])


def _top(*hists) -> float:
    """A y limit above the tallest bar, one of a few levels (so most changes keep the axes, and the cached
    background, as they are)."""
    tallest = max(float(np.max(h)) for h in hists if h is not None) + 0.02
    return next(level for level in (0.2, 0.4, 0.6, 1.0) if level >= tallest)


class BatchNormExplorer(Explorer):
    """One hidden layer's values before and after BN, and how far training and evaluation mode disagree."""

    title = "Batch normalization: batch size and the two modes"
    controls = {
        # Each value trains networks (cached): a choice, updated when picked.
        "batch_size": Choice("batch size", EXPLORER_BATCH_SIZES, 32),
        "mode": Choice("mode", tuple(_MODES), "train", _MODES),
        "batch_norm": Toggle("batch normalization", True),
    }
    # The site's frames: every batch size, without and with BN, in both modes.
    site_grid = {"batch_norm": (False, True), "batch_size": EXPLORER_BATCH_SIZES, "mode": tuple(_MODES)}
    figsize = (6.72, 5.2)

    def compute(self, batch_size, batch_norm, mode):
        return batchnorm_view(batch_size, batch_norm, mode)

    def build(self, fig):
        # Fixed margins, as constrained layout finds them for these labels: no layout pass on every new figure
        # (each site frame of the tests is one), which would cost a third of its drawing time.
        fig.set_layout_engine(None)
        grid = fig.add_gridspec(2, 2, height_ratios=(1, 1.05), left=0.105, right=0.987, bottom=0.091, top=0.951,
                                wspace=0.183, hspace=0.536)
        self.ax_b = fig.add_subplot(grid[0, 0])
        self.ax_a = fig.add_subplot(grid[0, 1])
        self.ax_g = fig.add_subplot(grid[1, :])
        (self.h_before,) = self.ax_b.plot([], [], drawstyle="steps-post", color=OKABE_ITO["blue"], lw=2)
        self.ax_b.set(xlim=(BEFORE_BINS[0], BEFORE_BINS[-1]), xlabel="z, hidden layer 2 (one batch)",
                      ylabel="fraction of values", xticks=(-4, 0, 4, 8))
        (self.h_after,) = self.ax_a.plot([], [], drawstyle="steps-post", color=OKABE_ITO["green"], lw=2)
        # the standard normal, as the fraction of values per bin it would put there
        centres, width = (AFTER_BINS[:-1] + AFTER_BINS[1:]) / 2, AFTER_BINS[1] - AFTER_BINS[0]
        self.normal = width * np.exp(-centres ** 2 / 2) / math.sqrt(2 * math.pi)
        (self.h_normal,) = self.ax_a.plot(centres, self.normal, color=OKABE_ITO["black"], ls=":", lw=1.5)
        self.ax_a.set(xlim=(AFTER_BINS[0], AFTER_BINS[-1]), xlabel="normalised x̂ (2.9); dotted: N(0, 1)")
        self.no_bn = fig.text(0.5, 0.5, "z goes straight\nto the ReLU,\nthe same in both modes",
                              transform=self.ax_a.transAxes, ha="center", va="center", fontsize=10, color="0.3")
        self.g_lines = {}
        for bn, colour, label in ((True, OKABE_ITO["blue"], "with BN"), (False, OKABE_ITO["orange"], "without BN")):
            (self.g_lines[bn],) = self.ax_g.plot([], [], color=colour, marker="o", lw=2, label=label)
        (self.g_here,) = self.ax_g.plot([], [], ls="", marker="o", ms=13, mfc="none", mec=OKABE_ITO["vermillion"],
                                        mew=2.5, label="this setting")
        # batch sizes on a log2 scale, drawn as their exponents on a plain axis (cheaper to draw than a log axis)
        self.ax_g.set_xticks(np.log2(EXPLORER_BATCH_SIZES), [str(b) for b in EXPLORER_BATCH_SIZES])
        self.ax_g.set(xlim=(np.log2(EXPLORER_BATCH_SIZES[0]) - 0.4, np.log2(EXPLORER_BATCH_SIZES[-1]) + 0.4),
                      xlabel=f"batch size (each network: {EXPLORER_STEPS} training steps)",
                      ylabel="images whose class\nchanges with the mode (%)")
        self.ax_g.legend(loc="upper right")
        self.ax_g.set_title("\n")

    def draw(self, view):
        run = view.run
        self.h_before.set_data(BEFORE_BINS, _steps(view.before))
        has_bn = view.after is not None
        for artist in (self.h_after, self.h_normal):
            artist.set_visible(has_bn)
        self.no_bn.set_visible(not has_bn and not run.message)
        if has_bn:
            self.h_after.set_data(AFTER_BINS, _steps(view.after))
        stats = "batch statistics" if view.mode == "train" else "running statistics"
        self.ax_b.set_title(f"Before BN, {'training' if view.mode == 'train' else 'evaluation'} mode")
        self.ax_a.set_title(f"After: x̂, {stats}" if has_bn else "After BN: no BN layer")
        self.ax_b.set_ylim(0, _top(view.before))
        self.ax_a.set_ylim(0, _top(view.after, self.normal) if has_bn else 0.2)
        sizes = np.log2(view.sizes)
        for bn, line in self.g_lines.items():
            line.set_data(sizes, 100 * (view.changed_with_bn if bn else view.changed_without_bn))
            # the setting shown in full, the other one faded
            line.set_alpha(1.0 if bn == run.batch_norm else 0.35)
        self.g_here.set_data([np.log2(run.batch_size)], [100 * run.changed])
        highest = np.nanmax(np.append(view.changed_with_bn, 0.0))
        self.ax_g.set_ylim(-3, max(20, 20 * math.ceil(100 * highest / 20)) + 3)
        if run.message:
            detail = "training diverged\n"
        else:
            detail = (f"Batches of {run.batch_size}{'' if run.batch_norm else ', no BN'}: {100 * run.changed:.1f} % "
                      f"of {len(run.order)} images change class\n"
                      f"accuracy {100 * run.accuracy['train']:.0f} % in training mode, "
                      f"{100 * run.accuracy['eval']:.0f} % in evaluation mode")
        self.ax_g.set_title(detail)
        self.show_message(run.message)
