"""Per-layer statistics for the vanishing/exploding-gradient lesson (syllabus 2.3.2).

Glorot & Bengio diagnosed deep networks by looking, layer by layer, at the distribution of the
activations on the way forward and of the back-propagated gradients on the way back. :func:`layer_statistics`
computes exactly those numbers for a :class:`~lessons_lib.network.Sequential` and one batch -- arrays only,
no plotting, so an explorer can redraw them on every slider move.

The function is *pure*: parameters, gradients, batch-norm running statistics and dropout random streams
are all left as they were. Deep networks with a bad initialisation overflow (that is the point of the
lesson), so values that are not finite are counted and reported, never warned about.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_positive, check_rng
from .layers import ActivationLayer, Dense
from .losses import get_loss
from .network import Sequential

__all__ = ["LayerStatistics", "layer_statistics", "summarize"]


@dataclass
class LayerStatistics:
    """One row per activation layer (index ``l`` = the l-th hidden activation, in forward order).

    Attributes
    ----------
    layer_index : int array (L,)
        Position of each activation layer inside the Sequential.
    activation_mean, activation_std : float arrays (L,)
        Over the finite entries of the layer's output for the whole batch.
    saturated_fraction : float array (L,)
        Fraction of units whose derivative ``|phi'(z)|`` is below ``saturation_threshold``: the tails of
        sigmoid/tanh, the negative side of ReLU (derivative exactly 0).
    activation_nonfinite : float array (L,)
        Fraction of inf/NaN entries in the output.
    activation_hist : int array (L, len(activation_bins) - 1)
        Counts of the outputs in ``activation_bins``; values beyond the edges go into the edge bins.
    gradient_mean, gradient_std, gradient_norm, gradient_nonfinite : float arrays (L,)
        The same for the back-propagated gradient ``dL/da`` with respect to the layer's output
        (``gradient_norm`` is the Frobenius norm over the batch).
    gradient_hist : int array (L, len(gradient_bins) - 1)
    weight_grad_norm : float array (D,)
        Frobenius norm of ``dL/dW`` for each Dense layer, in forward order.
    activation_bins, gradient_bins : float arrays
        The bin edges used.
    """

    layer_index: np.ndarray
    activation_mean: np.ndarray
    activation_std: np.ndarray
    saturated_fraction: np.ndarray
    activation_nonfinite: np.ndarray
    activation_hist: np.ndarray
    gradient_mean: np.ndarray
    gradient_std: np.ndarray
    gradient_norm: np.ndarray
    gradient_nonfinite: np.ndarray
    gradient_hist: np.ndarray
    weight_grad_norm: np.ndarray
    activation_bins: np.ndarray
    gradient_bins: np.ndarray


def summarize(a: np.ndarray) -> tuple[float, float, float, float]:
    """``(mean, std, L2 norm, non-finite fraction)`` of the finite entries, immune to overflow.

    Dividing by the largest magnitude first keeps every square <= 1, so values near 1e300 give correct
    statistics instead of an overflow. Statistics of an array with no finite entry are NaN.
    """
    a = np.asarray(a, dtype=np.float64).ravel()
    finite = np.isfinite(a)
    n_finite = int(np.count_nonzero(finite))
    nonfinite = 1.0 - n_finite / a.size if a.size else 0.0
    if n_finite == 0:
        return float("nan"), float("nan"), float("nan"), nonfinite
    vals = a if n_finite == a.size else a[finite]
    scale = float(np.max(np.abs(vals)))
    if scale == 0.0:
        return 0.0, 0.0, 0.0, nonfinite
    u = vals / scale
    mean_u = float(np.mean(u))
    std_u = float(np.sqrt(max(float(np.mean(u * u)) - mean_u * mean_u, 0.0)))
    norm_u = float(np.sqrt(np.dot(u, u)))
    return mean_u * scale, std_u * scale, norm_u * scale, nonfinite


def _histogram(a: np.ndarray, bins: np.ndarray) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64).ravel()
    a = a[np.isfinite(a)]
    nb = bins.size - 1
    widths = np.diff(bins)
    if np.allclose(widths, widths[0], rtol=1e-9, atol=0.0):
        # Equal-width bins: the index is arithmetic (clipping first keeps it in range, even for 1e300).
        c = np.clip(a, bins[0], bins[-1])
        idx = ((c - bins[0]) * (nb / (bins[-1] - bins[0]))).astype(np.intp)
        np.clip(idx, 0, nb - 1, out=idx)
        # Rounding can put a value lying right at an edge one bin off; compare with the true edges.
        idx -= c < bins[idx]
        idx += (c >= bins[idx + 1]) & (idx < nb - 1)
    else:
        idx = np.searchsorted(bins, a, side="right") - 1
    np.clip(idx, 0, nb - 1, out=idx)  # values beyond the edges (and the last edge) go to the edge bins
    return np.bincount(idx, minlength=nb)


def _check_bins(bins, name: str) -> np.ndarray:
    if isinstance(bins, tuple) and len(bins) == 3 and isinstance(bins[2], (int, np.integer)):
        low, high, count = bins
        if count < 1 or not high > low:
            raise ValueError(f"{name} as (low, high, count) needs low < high and count >= 1, got {bins!r}")
        return np.linspace(float(low), float(high), int(count) + 1)
    bins = as_float_array(bins, name, ndim=1)
    if bins.size < 2 or np.any(np.diff(bins) <= 0):
        raise ValueError(f"{name} must be at least 2 strictly increasing bin edges, got {bins.size} values")
    return bins


def layer_statistics(model: Sequential, x, upstream=None, loss=None, y=None,
                     activation_bins=(-1.0, 1.0, 40), gradient_bins=(-1e-2, 1e-2, 40),
                     saturation_threshold: float = 1e-2, rng=0) -> LayerStatistics:
    """Forward ``x`` through ``model``, back-propagate, and summarise every activation layer.

    The gradient sent back from the output is, in order of preference: ``loss``'s gradient for targets
    ``y`` (both given); ``upstream`` (an array shaped like the output); otherwise a standard-normal array
    from ``rng`` divided by the batch size (a "generic" loss, enough to watch gradients shrink or grow).
    The model is run in its current train/eval mode.

    ``activation_bins`` / ``gradient_bins`` are either explicit increasing bin edges (an array of at least
    two numbers) or a triple ``(low, high, count)`` for ``count`` equal bins, the default.
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    x = as_float_array(x, "x", ndim=2)
    activation_bins = _check_bins(activation_bins, "activation_bins")
    gradient_bins = _check_bins(gradient_bins, "gradient_bins")
    saturation_threshold = check_positive(saturation_threshold, "saturation_threshold")
    if (loss is None) != (y is None):
        raise ValueError("loss and y must be given together (or neither)")

    # Snapshot everything a forward/backward pass may change, to restore it afterwards (purity).
    params = model.parameters()
    saved_grads = [p.grad for p in params]  # set aside (not copied); fresh zero arrays are used meanwhile
    saved_buffers = {k: v.copy() for k, v in model.buffers().items()}
    saved_rngs = [(layer, layer.rng.bit_generator.state) for layer in model
                  if isinstance(getattr(layer, "rng", None), np.random.Generator)]
    try:
        for p in params:
            p.grad = np.zeros_like(p.grad)
        # Exploding activations overflow to inf by design in this lesson; they are counted below.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            outputs, caches, h = [], [], x
            for layer in model:
                h, cache = layer.forward(h)
                outputs.append(h)
                caches.append(cache)
            if loss is not None:
                loss_obj = get_loss(loss) if isinstance(loss, str) else loss
                _, loss_cache = loss_obj.forward(h, y)
                dout = loss_obj.backward(loss_cache)
            elif upstream is not None:
                dout = as_float_array(upstream, "upstream", finite=False)
                if dout.shape != h.shape:
                    raise ValueError(f"upstream must have the output's shape {h.shape}, got {dout.shape}")
            else:
                dout = check_rng(rng).standard_normal(h.shape) / h.shape[0]
            grads_out = [None] * len(model)
            for i in range(len(model) - 1, -1, -1):
                grads_out[i] = dout
                dout = model[i].backward(dout, caches[i])
            act_idx = [i for i, layer in enumerate(model) if isinstance(layer, ActivationLayer)]
            rows = []
            for i in act_idx:
                a, g = outputs[i], grads_out[i]
                z = outputs[i - 1] if i > 0 else x
                deriv = np.abs(model[i].activation.derivative(z))
                saturated = float(np.mean(deriv[np.isfinite(deriv)] < saturation_threshold)) \
                    if np.isfinite(deriv).any() else float("nan")
                a_mean, a_std, _, a_bad = summarize(a)
                g_mean, g_std, g_norm, g_bad = summarize(g)
                rows.append((a_mean, a_std, saturated, a_bad, g_mean, g_std, g_norm, g_bad,
                             _histogram(a, activation_bins), _histogram(g, gradient_bins)))
            weight_norms = np.array([summarize(layer.W.grad)[2] for layer in model if isinstance(layer, Dense)])
    finally:
        for p, g in zip(params, saved_grads):
            p.grad = g
        for k, v in model.buffers().items():
            v[...] = saved_buffers[k]
        for layer, state in saved_rngs:
            layer.rng.bit_generator.state = state

    n_bins_a, n_bins_g = activation_bins.size - 1, gradient_bins.size - 1
    col = list(zip(*rows)) if rows else [()] * 10
    return LayerStatistics(
        layer_index=np.array(act_idx, dtype=int),
        activation_mean=np.array(col[0], dtype=float), activation_std=np.array(col[1], dtype=float),
        saturated_fraction=np.array(col[2], dtype=float), activation_nonfinite=np.array(col[3], dtype=float),
        activation_hist=np.array(col[8], dtype=int).reshape(len(rows), n_bins_a),
        gradient_mean=np.array(col[4], dtype=float), gradient_std=np.array(col[5], dtype=float),
        gradient_norm=np.array(col[6], dtype=float), gradient_nonfinite=np.array(col[7], dtype=float),
        gradient_hist=np.array(col[9], dtype=int).reshape(len(rows), n_bins_g),
        weight_grad_norm=weight_norms, activation_bins=activation_bins, gradient_bins=gradient_bins)
