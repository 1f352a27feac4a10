"""A trainable array and the gradient that backpropagation accumulates into it."""

from __future__ import annotations

import numpy as np


class Parameter:
    """A weight or bias: ``value`` is updated by an optimizer, ``grad`` is filled by ``backward``.

    Gradients *accumulate* (``grad += ...``), as in PyTorch, because a parameter used more than once
    (the recurrent weights at every time step, for instance) receives one contribution per use.
    Call :meth:`zero_grad` before each backward pass.
    """

    __slots__ = ("value", "grad", "name")

    def __init__(self, value: np.ndarray, name: str = ""):
        self.value = np.asarray(value, dtype=np.float64)
        self.grad = np.zeros_like(self.value)
        self.name = name

    def zero_grad(self) -> None:
        self.grad.fill(0.0)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Parameter(name={self.name!r}, shape={self.value.shape})"
