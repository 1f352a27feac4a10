"""Section 2.3.2 — the vanishing/exploding-gradient explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import PowerNorm
from matplotlib.ticker import NullLocator

from ..plots.style import OKABE_ITO, wrap_to_width
from ..views.gradients import ACTIVATIONS, INITIALIZERS, N_BINS, gradient_flow_view
from .base import Choice, Explorer, Preset, Slider, Toggle

#: The comparisons of Glorot & Bengio (2010), and the cures that came after: the static site's frames.
SCENARIOS = (
    ("sigmoid, standard init", dict(activation="sigmoid", init="pytorch_default", batch_norm=False)),
    ("sigmoid, Glorot init", dict(activation="sigmoid", init="glorot_uniform", batch_norm=False)),
    ("tanh, N(0, 1) init", dict(activation="tanh", init="normal", batch_norm=False)),
    ("tanh, standard init", dict(activation="tanh", init="pytorch_default", batch_norm=False)),
    ("tanh, Glorot init", dict(activation="tanh", init="glorot_uniform", batch_norm=False)),
    ("ReLU, standard init", dict(activation="relu", init="pytorch_default", batch_norm=False)),
    ("ReLU, Glorot init", dict(activation="relu", init="glorot_uniform", batch_norm=False)),
    ("ReLU, He init", dict(activation="relu", init="he_uniform", batch_norm=False)),
    ("sigmoid, standard init + batch norm", dict(activation="sigmoid", init="pytorch_default", batch_norm=True)),
    ("ReLU, standard init + batch norm", dict(activation="relu", init="pytorch_default", batch_norm=True)),
)


class GradientExplorer(Explorer):
    """Per-layer activations and back-propagated gradients of a deep MLP at initialisation."""

    title = "Vanishing and exploding gradients"
    controls = {
        "activation": Choice("activation", ACTIVATIONS, "tanh", {"leaky_relu": "leaky ReLU", "relu": "ReLU",
                                                                  "elu": "ELU", "selu": "SELU"}),
        "init": Choice("initializer", INITIALIZERS, "pytorch_default",
                       {"normal": "N(0, 1)", "pytorch_default": "standard U(±1/√fan_in)", "uniform": "U(−1, 1)",
                        "glorot_uniform": "Glorot uniform", "glorot_normal": "Glorot normal",
                        "he_uniform": "He uniform", "he_normal": "He normal"}),
        "batch_norm": Toggle("batch normalization", False),
        "dropout": Slider("dropout rate", 0.0, 0.9, 0.0, step=0.05),
        "depth": Slider("hidden layers", 2, 50, 10, integer=True, continuous=False),
        "width": Slider("units per layer", 16, 256, 128, step=16, integer=True, continuous=False),
    }
    figsize = (6.72, 5.0)
    # The site's frames: the scenarios of the text, at the depths its exercises and its remark on batch
    # normalisation use, without and with the dropout of exercise 2; the width stays at 128 there.
    site_grid = {"scenario": Preset("scenario", SCENARIOS), "depth": (10, 20, 50), "dropout": (0.0, 0.9)}

    def compute(self, activation, init, batch_norm, dropout, depth, width):
        return gradient_flow_view(activation, init, depth, width, batch_norm, dropout)

    def build(self, fig):
        # the activations (left, both rows) beside the gradients above the saturation (right, one layer axis)
        grid = fig.add_gridspec(2, 2, width_ratios=(1, 1))
        self.ax_a = fig.add_subplot(grid[:, 0])
        self.ax_g = fig.add_subplot(grid[0, 1])
        self.ax_s = fig.add_subplot(grid[1, 1], sharex=self.ax_g)
        self.ax_g.tick_params(labelbottom=False)
        # A fixed colour scale keeps the colour bar (and so the static background) unchanged between frames;
        # the power law spreads the small fractions of widely spread activations over visible colours.
        self.heat = self.ax_a.imshow(np.zeros((2, N_BINS)), aspect="auto", origin="lower", cmap="viridis",
                                     norm=PowerNorm(0.4, vmin=0.0, vmax=0.5), interpolation="nearest")
        fig.colorbar(self.heat, ax=self.ax_a, label="fraction of units", shrink=0.9, extend="max",
                     ticks=[0, 0.01, 0.1, 0.5], location="bottom")
        self.ax_a.set(xlabel="activation value\n(outside → edge bins)", ylabel="hidden layer (1 = input side)",
                      title="Activations, layer by layer")
        (self.g_line,) = self.ax_g.plot([], [], color=OKABE_ITO["blue"], marker="o", ms=3, lw=1.8,
                                        label="RMS of ∂L/∂a")
        self.g_level = self.ax_g.axhline(1.0, color=OKABE_ITO["black"], ls=":", lw=1, label="last layer's level")
        self.ax_g.set(yscale="log", ylabel="gradient size\n(log scale)", title="Back-propagated gradients")
        # Minor log ticks: many labels, little information (and over one decade they overlap). After the
        # scale is set, which installs its own locators.
        self.ax_g.yaxis.set_minor_locator(NullLocator())
        self.ax_g.legend(loc="best")
        (self.s_line,) = self.ax_s.plot([], [], color=OKABE_ITO["vermillion"], marker="o", ms=3, lw=1.8,
                                        label="|φ′(z)| < 0.01")
        self.ax_s.set(ylim=(-0.03, 1.03), xlabel="hidden layer (1 = input side)", ylabel="fraction\nsaturated",
                      title="Saturated units")
        self.ax_s.legend(loc="best")
        for ax in (self.ax_g, self.ax_s):
            # where the widest tick labels leave room: the layout is computed once, and labels that moved
            # with the tick labels' width would leave copies behind in the cached background
            ax.yaxis.set_label_coords(-0.24, 0.5)
        self.suptitle = fig.suptitle("\n", fontsize=11)       # two lines: room for a long verdict

    def draw(self, view):
        layers = np.arange(1, len(view.gradient_rms) + 1)
        bins = view.stats.activation_bins
        # The layer axis grows in steps of 5, so moving the depth slider mostly keeps the axes (and the
        # cached background) as they are.
        top = 5 * int(np.ceil(len(layers) / 5)) + 0.5
        self.heat.set_data(view.activation_density)
        self.heat.set_extent((bins[0], bins[-1], 0.5, len(layers) + 0.5))
        self.ax_a.set_ylim(0.5, top)
        rms = np.where(view.gradient_rms > 0, view.gradient_rms, np.nan)
        self.g_line.set_data(layers, rms)
        finite = rms[np.isfinite(rms)]
        if finite.size:
            # Whole decades: the limits (and so the background) change only when the range really does.
            lo, hi = np.log10(float(finite.min())), np.log10(float(finite.max()))
            self.ax_g.set_ylim(10 ** np.floor(lo - 0.2), 10 ** np.ceil(hi + 0.2))
            self.g_level.set_ydata([finite[-1]] * 2)
        self.g_level.set_visible(bool(finite.size))
        for ax in (self.ax_g, self.ax_s):
            ax.set_xlim(0.5, top)
        self.s_line.set_data(layers, view.stats.saturated_fraction)
        bn = (" + batch norm" if view.batch_norm else "") + (f" + dropout {view.dropout:.2g}" if view.dropout else "")
        act, init = self.controls["activation"].name(view.activation), self.controls["init"].name(view.init)
        self.suptitle.set_text(wrap_to_width(f"{act}, {init} init{bn}: {view.message}", 0.95 * self.figsize[0],
                                             self.suptitle.get_fontsize()))
        self.show_message("Overflow: activations or gradients became infinite.\n"
                          "Try a smaller initialisation or batch normalization."
                          if view.message.startswith("overflow") else None)
