"""Section 2.3.2 — what the vanishing/exploding-gradient explorer draws.

A deep MLP at initialisation, one batch of standard-normal inputs, one backward pass of a generic loss
(a random upstream gradient): per hidden layer, the distribution of the activations and the size of the
back-propagated gradient. This is the measurement Glorot & Bengio (2010) made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import check_choice, check_positive_int
from ..diagnostics import LayerStatistics, layer_statistics
from ..network import mlp

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")
#: Initializers offered: "normal" is the naive N(0, 1) whatever the width; "pytorch_default" is U(±1/√fan_in),
#: the "standard" initialisation Glorot & Bengio compared against (and torch.nn.Linear's default).
INITIALIZERS = ("normal", "pytorch_default", "uniform", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal")

# Histogram ranges that show each activation's whole output range.
_ACTIVATION_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 3.0), "leaky_relu": (-0.5, 3.0),
                     "elu": (-1.0, 3.0), "selu": (-1.8, 3.0)}
N_BINS = 40


@dataclass(frozen=True)
class GradientFlowView:
    activation: str
    init: str
    batch_norm: bool
    dropout: float
    stats: LayerStatistics
    #: Per hidden layer (input side first): the activations' histogram, each row normalised to sum to 1.
    activation_density: np.ndarray
    #: Root-mean-square of the back-propagated gradient dL/da per layer (NaN where it overflowed).
    gradient_rms: np.ndarray
    #: Ratio of the first hidden layer's gradient RMS to the last one's: ≪ 1 vanishing, ≫ 1 exploding.
    #: ``message`` judges it per layer: below ×0.8 per layer vanishing, above ×1.25 exploding.
    gradient_ratio: float
    message: str


@lru_cache(maxsize=64)
def gradient_flow_view(activation: str, init: str, depth: int, width: int, batch_norm: bool,
                       dropout: float = 0.0, batch: int = 64, seed: int = 0) -> GradientFlowView:
    """Statistics of a ``depth``-hidden-layer MLP of ``width`` units at initialisation (cached: pure).

    With ``dropout`` > 0 the network is in training mode, so units are dropped (and the survivors scaled
    by 1/(1 - p)) on the forward and the backward pass alike.
    """
    check_choice(activation, "activation", ACTIVATIONS)
    check_choice(init, "init", INITIALIZERS)
    depth = check_positive_int(depth, "depth")
    width = check_positive_int(width, "width")
    rng = np.random.default_rng(seed)
    model = mlp([width] * (depth + 1) + [10], activation=activation, rng=rng, init=init,
                batch_norm=bool(batch_norm), dropout=dropout)
    x = rng.standard_normal((batch, width))
    lo, hi = _ACTIVATION_RANGE[activation]
    stats = layer_statistics(model, x, activation_bins=np.linspace(lo, hi, N_BINS + 1), rng=rng)
    counts = stats.activation_hist.astype(float)
    density = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    n = batch * width
    rms = stats.gradient_norm / np.sqrt(n)
    first, last = rms[0], rms[-1]
    ratio = float(first / last) if np.isfinite(first) and np.isfinite(last) and last > 0 else float("nan")
    return GradientFlowView(activation, init, bool(batch_norm), float(dropout), stats, density, rms, ratio,
                            _diagnosis(ratio, stats))


def _diagnosis(ratio: float, stats: LayerStatistics) -> str:
    """One line for the figure: judged per layer, since a ratio over 50 layers means more than over 5."""
    if np.any(stats.activation_nonfinite > 0) or np.any(stats.gradient_nonfinite > 0):
        return "overflow: activations or gradients became infinite"
    if not np.isfinite(ratio) or ratio == 0:
        return "gradients are zero: nothing flows back"
    n = len(stats.gradient_norm)
    per_layer = ratio ** (1 / max(n - 1, 1))
    summary = f"first layer gets {ratio:.1e}× the last layer's gradient, ×{per_layer:.2f} per layer"
    if per_layer < 0.8:
        return f"vanishing: {summary}"
    if per_layer > 1.25:
        return f"exploding: {summary}"
    return f"roughly level: {summary}"
