"""A trainable array and the gradient that backpropagation accumulates into it."""

from __future__ import annotations

import numpy as np

#: The float types a parameter may hold. float64 is the default everywhere (finite-difference gradient
#: checks need its precision); float32 is an opt-in for speed, PyTorch's default.
FLOAT_DTYPES = (np.float64, np.float32)


def check_float_dtype(dtype, name: str = "dtype") -> np.dtype:
    """Return ``np.dtype(dtype)`` if it is float64 or float32, else raise ``ValueError`` naming ``name``."""
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"{name} must be np.float64 or np.float32, got {dtype!r}") from exc
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"{name} must be np.float64 or np.float32, got {dtype!r}")
    return dt


class Parameter:
    """A weight or bias: ``value`` is updated by an optimizer, ``grad`` is filled by ``backward``.

    Gradients *accumulate* (``grad += ...``), as in PyTorch, because a parameter used more than once
    (the recurrent weights at every time step, for instance) receives one contribution per use.
    Call :meth:`zero_grad` before each backward pass.

    ``dtype`` (float64 by default, or float32) is the type of both ``value`` and ``grad``.
    """

    __slots__ = ("value", "grad", "name")

    def __init__(self, value: np.ndarray, name: str = "", dtype=np.float64):
        self.value = np.asarray(value, dtype=check_float_dtype(dtype))
        self.grad = np.zeros_like(self.value)
        self.name = name

    def zero_grad(self) -> None:
        self.grad.fill(0.0)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.value.shape})"
