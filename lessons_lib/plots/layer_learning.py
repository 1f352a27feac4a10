"""Figure of section 2.3.2: how far each layer of a deep network moves during a short training run."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..views.layer_learning import LayerTraining
from .style import COLUMN_INCHES, CYCLE, LINESTYLES, legible

__all__ = ["plot_layer_training"]


def _median_and_range(values):
    """Median, minimum and maximum over the seeds (axis 0)."""
    return np.median(values, axis=0), values.min(axis=0), values.max(axis=0)


def plot_layer_training(runs: dict[str, LayerTraining], activations_of: str | None = None):
    """Two panels, one above the other, from runs of :func:`lessons_lib.views.layer_learning.train_layers`.

    Top: for the run named ``activations_of`` (default: the first), the mean output of each hidden layer
    epoch by epoch -- the median over the seeds as a line, the range of the seeds as a band. Bottom: for every
    run, how far each layer's weights have moved from their start after the last epoch,
    ``|W - W_0| / |W_0|`` on a log scale, the median with the seeds' range as error bars. Returns the figure.
    """
    if not runs or not all(isinstance(r, LayerTraining) for r in runs.values()):
        raise ValueError("runs must be a non-empty dict of LayerTraining results")
    name = next(iter(runs)) if activations_of is None else activations_of
    if name not in runs:
        raise ValueError(f"activations_of must be one of {list(runs)}, got {activations_of!r}")
    fig, (left, right) = plt.subplots(2, 1, figsize=(COLUMN_INCHES, 7.0))

    run = runs[name]
    n_hidden = run.activation_mean.shape[2]
    for k in range(n_hidden):
        mid, low, high = _median_and_range(run.activation_mean[:, :, k])
        color = CYCLE[k % len(CYCLE)]
        left.fill_between(run.epochs, low, high, color=color, alpha=0.25, lw=0)
        left.plot(run.epochs, mid, color=color, ls=LINESTYLES[k % len(LINESTYLES)], lw=2,
                  label=f"hidden layer {k + 1}" + (" (top)" if k == n_hidden - 1 else ""))
    left.set(xlabel="epoch", ylabel="mean activation over the training set", ylim=(0, 1),
             title=f"{name}: mean activation per layer")
    left.legend(loc="upper right", ncol=2)

    for i, (label, r) in enumerate(runs.items()):
        final = r.weight_change[:, -1, :]
        mid, low, high = _median_and_range(final)
        layers = np.arange(1, final.shape[1] + 1)
        right.errorbar(layers, mid, yerr=[mid - low, high - mid], color=CYCLE[i % len(CYCLE)],
                       ls=LINESTYLES[i % len(LINESTYLES)], marker="os^Dv"[i % 5], capsize=3, label=label)
    n_layers = runs[name].weight_change.shape[2]
    right.set(yscale="log", xticks=np.arange(1, n_layers + 1),
              xticklabels=[str(k) for k in range(1, n_layers)] + ["output"],
              xlabel="layer (1 = next to the input)", ylabel="|W − W₀| / |W₀| after training",
              title="How far each layer's weights moved")
    right.legend(loc="lower right")
    legible(fig)
    fig.tight_layout(h_pad=1.5)
    return fig
