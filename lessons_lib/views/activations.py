"""Section 2.3.3 — curves for the activation-function explorer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import check_in_range, check_positive, check_positive_int, check_rng
from ..activations import ACTIVATIONS, get_activation

#: The activations the explorer offers ("identity" is the "no nonlinearity" baseline).
EXPLORER_ACTIVATIONS = tuple(a for a in ACTIVATIONS)


@dataclass(frozen=True)
class Curve:
    name: str
    value: np.ndarray
    derivative: np.ndarray
    #: (start, end) pairs of z where |derivative| < threshold: the unit passes (almost) no gradient there.
    saturated: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class ActivationView:
    z: np.ndarray
    curves: tuple[Curve, ...]


def saturated_intervals(z: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Turn a boolean mask over the sorted grid ``z`` into maximal ``(start, end)`` intervals."""
    if not mask.any():
        return ()
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return tuple((float(z[s]), float(z[e])) for s, e in zip(starts, ends))


def activation_view(names, z_max: float = 6.0, n_points: int = 601, threshold: float = 0.01) -> ActivationView:
    """Each named activation and its derivative on ``[-z_max, z_max]``, with its saturated regions.

    Parameters
    ----------
    names : sequence of str
        One or two names from :data:`EXPLORER_ACTIVATIONS`.
    z_max : float
        Half-width of the input range, > 0.
    threshold : float
        |φ'(z)| below this counts as saturated, in (0, 1).
    """
    names = tuple(names)
    if not 1 <= len(names) <= 2:
        raise ValueError(f"names must hold one or two activation names, got {len(names)}")
    check_positive(z_max, "z_max")
    n_points = check_positive_int(n_points, "n_points", minimum=3)
    check_in_range(threshold, "threshold", 0.0, 1.0, low_closed=False)
    z = np.linspace(-z_max, z_max, n_points)
    curves = []
    for name in names:
        act = get_activation(name)
        deriv = act.derivative(z)
        curves.append(Curve(name, act(z), deriv, saturated_intervals(z, np.abs(deriv) < threshold)))
    return ActivationView(z, tuple(curves))


@dataclass(frozen=True)
class StackView:
    x: np.ndarray
    #: Output of the stack of linear layers with no activation in between.
    linear: np.ndarray
    #: Output of the same layers with the activation after every hidden layer.
    nonlinear: np.ndarray
    #: Slope and intercept of the single linear map that the activation-free stack collapses into.
    slope: float
    intercept: float


def stacked_layers(activation: str, depth: int, width: int = 16, x_max: float = 3.0, n_points: int = 201,
                   rng=0) -> StackView:
    """A 1 → width → … → width → 1 network of ``depth`` hidden layers, run with and without ``activation``.

    Without an activation the stack is a product of matrices plus a sum of biases: one linear map, whatever
    the depth. The slope and intercept of that single map are computed by multiplying the layers out; the
    explorer draws it on top of the stack's output to show they coincide.
    """
    depth = check_positive_int(depth, "depth")
    width = check_positive_int(width, "width")
    check_positive(x_max, "x_max")
    rng = check_rng(rng)
    act = get_activation(activation)
    sizes = [1] + [width] * depth + [1]
    # A little larger than Glorot's scale, so the nonlinear stack visibly bends even when deep.
    layers = [(rng.normal(0.0, 1.6 / np.sqrt(n_in), (n_in, n_out)), rng.normal(0.0, 1.0, n_out))
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    x = np.linspace(-x_max, x_max, n_points)
    lin = nonlin = x[:, None]
    for k, (w, b) in enumerate(layers):
        lin = lin @ w + b
        nonlin = nonlin @ w + b
        if k < len(layers) - 1:
            nonlin = act(nonlin)
    # Multiply the layers out: y = x (W1 W2 ... Wn) + (b1 W2 ... Wn + ... + bn).
    slope_m, intercept_v = np.eye(1), np.zeros(1)
    for w, b in layers:
        slope_m, intercept_v = slope_m @ w, intercept_v @ w + b
    return StackView(x, lin[:, 0], nonlin[:, 0], float(slope_m[0, 0]), float(intercept_v[0]))
