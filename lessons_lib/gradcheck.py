"""Finite-difference checks of backward passes.

A backward pass computes a vector-Jacobian product: given an upstream gradient ``u = dL/dy`` it returns
``dL/dx = J^T u``. We check it against central differences of the scalar ``sum(u * f(x))``, whose
gradient is exactly ``J^T u``. Use float64 and *non-zero* random parameters: zeros hide bugs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


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
