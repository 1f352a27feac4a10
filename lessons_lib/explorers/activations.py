"""Section 2.3.3 — the activation-function explorer."""

from __future__ import annotations

import numpy as np
from matplotlib.transforms import blended_transform_factory

from ..plots.style import OKABE_ITO
from ..views.activations import EXPLORER_ACTIVATIONS, activation_view, stacked_layers
from .base import Choice, Explorer, Slider

_COLORS = (OKABE_ITO["blue"], OKABE_ITO["orange"])


class ActivationExplorer(Explorer):
    """Compare one or two activations, their derivatives and saturated regions; see a linear stack collapse."""

    title = "Activation functions"
    controls = {
        "first": Choice("activation", EXPLORER_ACTIVATIONS, "sigmoid"),
        "second": Choice("compare with", ("none",) + EXPLORER_ACTIVATIONS, "relu"),
        "z_max": Slider("z range (±)", 1.0, 20.0, 6.0, step=0.5),
        "threshold": Slider("saturation threshold on |φ′|", 1e-4, 0.2, 0.01, log=True),
        "depth": Slider("stacked layers", 1, 10, 3, integer=True),
    }
    # The site's frames: every activation, alone or compared with tanh or ReLU, at the default and the wide
    # z range (the "things to try" of 2.3.3); the threshold and the depth stay at their defaults there.
    site_grid = {"first": EXPLORER_ACTIVATIONS, "second": ("none", "tanh", "relu"), "z_max": (6.0, 20.0)}
    figsize = (6.72, 4.6)

    def compute(self, first, second, z_max, threshold, depth):
        names = (first,) if second == "none" or second == first else (first, second)
        return activation_view(names, z_max=z_max, threshold=threshold), stacked_layers(first, depth), threshold

    def build(self, fig):
        # φ above φ′ on one z axis (left), the stack of layers beside them (right)
        grid = fig.add_gridspec(2, 2, width_ratios=(1.3, 1))
        self.ax_f = fig.add_subplot(grid[0, 0])
        self.ax_d = fig.add_subplot(grid[1, 0], sharex=self.ax_f)
        self.ax_s = fig.add_subplot(grid[:, 1])
        self.ax_f.tick_params(labelbottom=False)
        self.f_lines, self.d_lines, self.d_sat, self.sat_bars = [], [], [], []
        for k, color in enumerate(_COLORS):
            (f,) = self.ax_f.plot([], [], color=color, lw=2)
            (d,) = self.ax_d.plot([], [], color=color, lw=2)
            # Saturated stretches: a thick translucent overlay on the derivative, and a bar under the
            # function panel; NaN breaks the line wherever the unit is not saturated.
            (ds,) = self.ax_d.plot([], [], color=color, lw=7, alpha=0.3, solid_capstyle="butt")
            bar_y = 0.03 + 0.05 * k
            (bar,) = self.ax_f.plot([], [], color=color, lw=5, alpha=0.5, solid_capstyle="butt",
                                    transform=blended_transform_factory(self.ax_f.transData, self.ax_f.transAxes))
            bar.bar_y = bar_y
            self.f_lines.append(f), self.d_lines.append(d), self.d_sat.append(ds), self.sat_bars.append(bar)
        self.f_legend = self.ax_f.legend(handles=self.f_lines, labels=["", ""], loc="upper left")
        self.threshold_line = self.ax_d.axhline(0.01, color=OKABE_ITO["black"], lw=0.8, ls=":",
                                                label="saturation threshold")
        self.ax_f.set(title="φ(z)", ylabel="activation")
        self.ax_d.set(title="φ′(z): what backprop multiplies by", xlabel="z", ylabel="derivative")
        (self.s_lin,) = self.ax_s.plot([], [], color=OKABE_ITO["vermillion"], lw=2, label="no activation")
        (self.s_fit,) = self.ax_s.plot([], [], color=OKABE_ITO["black"], lw=1, ls="--",
                                       label="one linear layer")
        (self.s_non,) = self.ax_s.plot([], [], color=OKABE_ITO["blue"], lw=2, label="with activation")
        self.ax_s.set(xlabel="input x", ylabel="output, rescaled to [−1, 1]")
        self.s_legend = self.ax_s.legend(loc="best")
        for ax in (self.ax_f, self.ax_d):
            ax.axhline(0, color="0.8", lw=0.8, zorder=0)
            ax.axvline(0, color="0.8", lw=0.8, zorder=0)

    def draw(self, view):
        act_view, stack, threshold = view
        z = act_view.z
        for k in range(2):
            curve = act_view.curves[k] if k < len(act_view.curves) else None
            entry = (self.f_legend.legend_handles[k], self.f_legend.get_texts()[k])
            for artist in (self.f_lines[k], self.d_lines[k], self.d_sat[k], self.sat_bars[k], *entry):
                artist.set_visible(curve is not None)
            if curve is None:
                continue
            saturated = np.abs(curve.derivative) < threshold
            label = f"{curve.name}: {saturated.mean():.0%} saturated"
            self.f_lines[k].set_data(z, curve.value)
            self.f_legend.get_texts()[k].set_text(label)
            self.d_lines[k].set_data(z, curve.derivative)
            self.d_sat[k].set_data(z, np.where(saturated, curve.derivative, np.nan))
            self.sat_bars[k].set_data(z, np.where(saturated, self.sat_bars[k].bar_y, np.nan))
        self.threshold_line.set_ydata([threshold, threshold])
        values = np.concatenate([c.value for c in act_view.curves])
        derivs = np.concatenate([c.derivative for c in act_view.curves])
        _limits(self.ax_f, z, values)
        _limits(self.ax_d, z, np.append(derivs, 0.0))
        # Depth multiplies scales and shifts; only the shapes matter here, so each output is mapped onto
        # [-1, 1] by its own range (an affine map: a straight line stays straight).
        lin_c, lin_h = _centre_halfrange(stack.linear)
        non_c, non_h = _centre_halfrange(stack.nonlinear)
        self.s_lin.set_data(stack.x, (stack.linear - lin_c) / lin_h)
        self.s_fit.set_data(stack.x, (stack.slope * stack.x + stack.intercept - lin_c) / lin_h)
        self.s_non.set_data(stack.x, (stack.nonlinear - non_c) / non_h)
        self.s_legend.get_texts()[2].set_text(f"with {act_view.curves[0].name}")
        depth = self.values["depth"]
        self.ax_s.title.set_text(f"{depth} layer{'s' if depth > 1 else ''}, no φ:\n"
                                 f"y = {stack.slope:.3g}x {stack.intercept:+.3g}")
        self.ax_s.set_xlim(float(stack.x[0]), float(stack.x[-1]))
        self.ax_s.set_ylim(-1.1, 1.1)
        self.show_message(None)


def _limits(ax, x, y):
    """Set limits rounded outwards to a "nice" step, so small changes of the data keep the same axes
    (and the explorer keeps its cached background)."""
    y = y[np.isfinite(y)]
    lo, hi = (float(y.min()), float(y.max())) if y.size else (-1.0, 1.0)
    span = max(hi - lo, 1e-3)
    step, pad = 10 ** np.floor(np.log10(span)) / 5, 0.05 * span
    ax.set_xlim(float(x[0]), float(x[-1]))
    ax.set_ylim(np.floor((lo - pad) / step) * step, np.ceil((hi + pad) / step) * step)


def _centre_halfrange(y):
    lo, hi = float(np.min(y)), float(np.max(y))
    return (lo + hi) / 2, max((hi - lo) / 2, 1e-12)
