"""Section 2.3.3 — Figure 2.4: ReLU, sigmoid and tanh beside their derivatives.

The curves are the library's own functions, ``lessons_lib.activations.get_activation(name)`` and its
``derivative``, evaluated on a grid; nothing here re-implements a formula.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from ..activations import get_activation
from .style import OKABE_ITO, legible

__all__ = ["THREE_ACTIVATIONS", "draw_three_activations", "split_at_jumps"]

#: The three functions of Figure 2.4, in the order of its panels, with the panel titles.
THREE_ACTIVATIONS = (("relu", "ReLU"), ("sigmoid", "sigmoid σ"), ("tanh", "tanh"))

_VALUE = OKABE_ITO["blue"]
_SLOPE = OKABE_ITO["vermillion"]
_AXIS = "0.75"


def split_at_jumps(z, y, jump: float = 0.1):
    """Insert a NaN between neighbouring points whose values differ by more than ``jump``.

    matplotlib leaves a gap at a NaN, so a discontinuity (the derivative of ReLU at 0) is not bridged by a
    vertical segment that the function does not have. Returns the new ``(z, y)``.
    """
    z, y = np.asarray(z, float), np.asarray(y, float)
    if z.shape != y.shape or z.ndim != 1:
        raise ValueError(f"z and y must be 1-D arrays of one shape, got {z.shape} and {y.shape}")
    cut = np.flatnonzero(np.abs(np.diff(y)) > jump) + 1
    return np.insert(z, cut, np.nan), np.insert(y, cut, np.nan)


def draw_three_activations(z_max: float = 3.0, n_points: int = 601, ylim=(-1.2, 2.0)):
    """Three panels, ReLU, sigmoid and tanh: each function solid, its derivative dashed.

    The panels share their axes, so the heights of the derivatives can be compared: the sigmoid's slope
    peaks at 1/4, tanh's at 1, and ReLU's is 1 for every positive input. A dot marks the value that the
    library returns for ReLU's derivative at the kink ``z = 0``. Returns the Figure.
    """
    if not z_max > 0:
        raise ValueError(f"z_max must be > 0, got {z_max}")
    if n_points < 3:
        raise ValueError(f"n_points must be at least 3, got {n_points}")
    z = np.linspace(-z_max, z_max, n_points)
    fig, axes = plt.subplots(1, 3, figsize=(8.6, 3.6), sharex=True, sharey=True, layout="constrained")
    for ax, (name, title) in zip(axes, THREE_ACTIVATIONS):
        act = get_activation(name)
        ax.axhline(0, color=_AXIS, lw=0.8, zorder=0)
        ax.axvline(0, color=_AXIS, lw=0.8, zorder=0)
        ax.plot(*split_at_jumps(z, act(z)), color=_VALUE, lw=2.5, label="φ(z)")
        ax.plot(*split_at_jumps(z, act.derivative(z)), color=_SLOPE, lw=2.5, ls=(0, (4, 2)),
                label="φ′(z)")
        peak = float(np.max(act.derivative(z)))
        ax.set_title(title, fontsize=13)
        ax.set_xlabel("z", fontsize=12)
        ax.tick_params(labelsize=11)
        if name == "relu":
            at_kink = float(act.derivative(0.0))
            ax.plot([0.0], [at_kink], "o", color=_SLOPE, ms=6, zorder=3)
            ax.text(0.97, 0.05, f"dot: φ′(0) = {at_kink:g},\nthe value used at the kink", transform=ax.transAxes,
                    fontsize=11, color=_SLOPE, ha="right", va="bottom")
        elif name == "sigmoid":
            # Below the axis, where the panel is empty, with an arrow up to the peak.
            ax.annotate(f"peak φ′(0) = {peak:g}", xy=(0.0, peak), xytext=(0.0, -0.55), fontsize=11,
                        color=_SLOPE, ha="center", va="center",
                        arrowprops=dict(arrowstyle="-|>", color=_SLOPE, lw=1.2, shrinkA=6, shrinkB=3))
        else:
            ax.text(0.0, peak + 0.12, f"peak φ′(0) = {peak:g}", fontsize=11, color=_SLOPE, ha="center",
                    va="bottom")
    axes[0].set_ylabel("φ(z) and φ′(z)", fontsize=12)
    axes[0].set(xlim=(-z_max, z_max), ylim=ylim)
    handles = [Line2D([], [], color=_VALUE, lw=2.5), Line2D([], [], color=_SLOPE, lw=2.5, ls=(0, (4, 2)))]
    fig.legend(handles, ["activation φ(z)", "derivative φ′(z)"], loc="outside lower center", ncol=2,
               fontsize=12, handlelength=3, frameon=False)
    return legible(fig)
