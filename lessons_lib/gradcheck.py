"""Finite-difference checks of backward passes.

A backward pass computes a vector-Jacobian product: given an upstream gradient ``u = dL/dy`` it returns
``dL/dx = J^T u``. We check it against central differences of the scalar ``sum(u * f(x))``, whose
gradient is exactly ``J^T u``. Use float64 and *non-zero* random parameters: zeros hide bugs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import as_float_array


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``, changed in place."""
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a|, |b|), with a floor so that two tiny gradients compare as equal."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), 1e-8)
    return float(np.max(np.abs(a - b), initial=0.0) / scale)


def check_vjp(forward: Callable[[], np.ndarray], analytic: dict[str, np.ndarray],
              wrt: dict[str, np.ndarray], upstream: np.ndarray, eps: float = 1e-6) -> dict[str, float]:
    """Compare analytic vector-Jacobian products with finite differences.

    Parameters
    ----------
    forward : callable
        Recomputes the output from the *current* contents of the arrays in ``wrt``.
    analytic : dict
        Name -> gradient computed by the backward pass for the upstream gradient ``upstream``.
    wrt : dict
        Name -> the array (input or parameter value) that is perturbed in place.
    upstream : ndarray
        The upstream gradient ``dL/dy``, same shape as ``forward()``.

    Returns
    -------
    dict
        Name -> relative error; callers assert each is below 1e-7.
    """
    def scalar() -> float:
        return float(np.sum(upstream * forward()))

    return {k: relative_error(analytic[k], numerical_gradient(scalar, v, eps)) for k, v in wrt.items()}


def randomize_parameters(module, rng, scale: float = 0.5) -> None:
    """Give every parameter of ``module`` -- biases included -- non-zero random values from ``rng``.

    Gradient checks run on these: with zero biases or unit scales, a missing term can cancel out unseen.
    """
    for p in module.parameters():
        p.value[...] = rng.normal(0.0, scale, p.value.shape)


def recurrent_gradient_errors(layer, X: np.ndarray, state0, dY: np.ndarray, d_final) -> dict[str, float]:
    """Check a recurrent layer's backpropagation through time against finite differences.

    The scalar checked is ``L = sum(dY * Y) + sum(d_final * final_state)``, so both the outputs at every
    step and the final state send gradient back. ``state0`` and ``d_final`` are one array (RNN, GRU) or a
    tuple ``(h, c)`` (LSTM). Returns the relative error of every parameter, of ``X`` and of each initial
    state (``h0``, and ``c0`` for an LSTM).
    """
    is_pair = isinstance(state0, tuple)
    finals = d_final if is_pair else (d_final,)

    def loss() -> float:
        Y, cache = layer.forward(X, state0)
        last = cache["final_state"] if is_pair else (cache["final_state"],)
        return float(np.sum(dY * Y) + sum(np.sum(d * s) for d, s in zip(finals, last)))

    layer.zero_grad()
    _, cache = layer.forward(X, state0)
    dX, d_state0 = layer.backward(dY, cache, d_final)
    errors = {p.name: relative_error(p.grad, numerical_gradient(loss, p.value)) for p in layer.parameters()}
    errors["X"] = relative_error(dX, numerical_gradient(loss, X))
    states = state0 if is_pair else (state0,)
    grads = d_state0 if is_pair else (d_state0,)
    for name, s, g in zip(("h0", "c0"), states, grads):
        errors[name] = relative_error(g, numerical_gradient(loss, s))
    return errors


def network_gradient_errors(model, loss, X, y, eps: float = 1e-6) -> dict[str, float]:
    """Relative error between backpropagation's gradients and central differences of the loss.

    One forward and backward pass of ``model`` on ``(X, y)`` gives every parameter's gradient; then each
    parameter entry is nudged by ``+/- eps`` and the loss recomputed (two forward passes per entry). Returns
    ``{"layer k W": error, "layer k b": error, ...}`` keyed by the layer's index in ``model``.
    """
    from .losses import get_loss  # here, not at the top: losses does not need gradcheck, nor the reverse

    loss = get_loss(loss) if isinstance(loss, str) else loss
    X = as_float_array(X, "X", ndim=2)
    model.zero_grad()
    out, caches = model.forward(X)
    _, cache = loss.forward(out, y)
    model.backward(loss.backward(cache), caches)

    def value() -> float:
        return loss.forward(model.forward(X)[0], y)[0]

    errors = {}
    for k, layer in enumerate(model):
        for p in layer.parameters():
            errors[f"layer {k} {p.name}"] = relative_error(p.grad, numerical_gradient(value, p.value, eps))
    return errors
