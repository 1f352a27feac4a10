"""The two building blocks of a multilayer perceptron (section 2.3.1): an affine ``Dense`` layer and an
elementwise ``ActivationLayer``. Both work on a whole mini-batch at once: ``x`` has shape
(batch, features), one example per row.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import check_positive_int, check_rng
from .activations import get_activation
from .initializers import initialize
from .module import Module
from .parameter import Parameter

__all__ = ["Dense", "ActivationLayer"]


def _as_batch(x, features: int, name: str = "x") -> np.ndarray:
    """``x`` as a 2-D float array with ``features`` columns. Values are not checked for finiteness on
    purpose: a diverging network must be able to carry inf/NaN forward so the training loop can report it."""
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        try:
            x = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be an array of numbers, got {type(x).__name__}") from exc
    if x.ndim != 2 or x.shape[1] != features:
        raise ValueError(f"{name} must have shape (batch, {features}), got {x.shape}")
    return x


class Dense(Module):
    """Fully connected layer ``y = x @ W + b`` with ``W`` of shape (in_features, out_features).

    PyTorch's ``nn.Linear`` stores the transpose (``weight`` is (out, in) and ``y = x @ weight.T + bias``);
    keeping ``W`` as (in, out) lets the forward pass read left to right, one example per row.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the input and output vectors.
    rng : numpy Generator or int seed
        Source of the random initial weights.
    init : str
        A name from :data:`lessons_lib.initializers.INITIALIZERS`. The default ``"pytorch_default"``
        reproduces ``nn.Linear``: weights *and bias* ~ U(-1/sqrt(in), 1/sqrt(in)). With any other
        (explicit) scheme -- ``"glorot_uniform"``, ``"he_normal"``, ``"normal"``... -- the bias starts at
        zero, the setting analysed by Glorot & Bengio and He et al. and Keras's default.
    bias : bool
        Whether to add a learnable bias.
    gain : float, optional
        Passed to the initializer (e.g. ``calculate_gain("tanh")``).
    """

    def __init__(self, in_features: int, out_features: int, rng, init: str = "pytorch_default",
                 bias: bool = True, gain: float | None = None):
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        rng = check_rng(rng)
        self.init = init
        self.W = Parameter(initialize(init, (self.in_features, self.out_features), rng, gain=gain), "W")
        self.b = None
        if bias:
            if init == "pytorch_default":
                bound = 1.0 / math.sqrt(self.in_features)
                b0 = rng.uniform(-bound, bound, size=self.out_features)
            else:
                b0 = np.zeros(self.out_features)
            self.b = Parameter(b0, "b")

    def forward(self, x):
        x = _as_batch(x, self.in_features)
        out = x @ self.W.value
        if self.b is not None:
            out += self.b.value
        return out, x

    def backward(self, dout, cache):
        x = cache
        self.W.grad += x.T @ dout                    # dy/dW: each example contributes x_i^T dout_i
        if self.b is not None:
            self.b.grad += dout.sum(axis=0)          # dy/db = 1 for every example
        return dout @ self.W.value.T                 # dy/dx = W^T

    def __repr__(self) -> str:
        return (f"Dense({self.in_features}, {self.out_features}, init={self.init!r}, "
                f"bias={self.b is not None})")


class ActivationLayer(Module):
    """Applies ``phi`` elementwise; backward multiplies the upstream gradient by ``phi'(z)``.

    ``name`` and keyword arguments are those of :func:`lessons_lib.activations.get_activation`,
    e.g. ``ActivationLayer("leaky_relu", negative_slope=0.1)``.
    """

    def __init__(self, name: str = "relu", **kwargs):
        self.activation = get_activation(name, **kwargs)
        self.name = self.activation.name

    def forward(self, z):
        if not isinstance(z, np.ndarray) or z.dtype.kind != "f":
            z = np.asarray(z, dtype=np.float64)
        if self.name == "relu":
            # Fast path for the most common activation: relu'(z) can be read off the output (out > 0).
            out = np.maximum(z, 0.0)
            return out, out
        return self.activation(z), z

    def backward(self, dout, cache):
        if self.name == "relu":
            return dout * (cache > 0)                # relu'(z) = 1 where z > 0, else 0 (PyTorch's choice at 0)
        return dout * self.activation.derivative(cache)

    def __repr__(self) -> str:
        return f"ActivationLayer({self.activation!r})"

