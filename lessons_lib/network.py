"""A feed-forward network as a list of layers (section 2.3.4), and a builder for multilayer perceptrons.

``Sequential.forward`` runs the layers in order and keeps each layer's cache; ``backward`` walks them in
reverse, handing each layer the gradient of the loss with respect to its output -- the two passes of
backpropagation (section 2.3.1).
"""

from __future__ import annotations

import numpy as np

from ._validation import check_in_range, check_layer_sizes, check_rng
from .batchnorm import BatchNorm1d
from .dropout import Dropout
from .layers import ActivationLayer, Dense
from .module import Module

__all__ = ["Sequential", "mlp"]


class Sequential(Module):
    """Layers applied one after the other: ``Sequential(Dense(...), ActivationLayer("relu"), ...)``."""

    def __init__(self, *layers: Module):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise ValueError(f"layers[{i}] must be a Module, got {type(layer).__name__}")
        self.layers = list(layers)
        self.training = True

    def forward(self, x):
        caches = []
        for layer in self.layers:
            x, cache = layer.forward(x)
            caches.append(cache)
        return x, caches

    def backward(self, dout, caches):
        for layer, cache in zip(reversed(self.layers), reversed(caches)):
            dout = layer.backward(dout, cache)
        return dout

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential({inner}\n)"


def mlp(sizes, activation: str = "relu", rng=None, init: str = "pytorch_default",
        batch_norm: bool = False, dropout: float = 0.0, output_activation: str | None = None,
        gain: float | None = None) -> Sequential:
    """Build a multilayer perceptron ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    Each hidden layer is ``Dense -> [BatchNorm1d] -> activation -> [Dropout]`` (batch norm before the
    nonlinearity, as in Ioffe & Szegedy); the output layer is a plain ``Dense``, followed by
    ``output_activation`` if one is given. Leave it ``None`` for the logits that
    ``CrossEntropyLoss``/``BCEWithLogitsLoss`` expect.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths including input and output, at least two entries.
    activation : str
        Hidden-layer activation name (see :data:`lessons_lib.activations.ACTIVATIONS`).
    rng : numpy Generator or int seed
        Source of the initial weights and of the dropout masks.
    init, gain :
        Weight initialisation scheme and gain, passed to every :class:`Dense`.
    batch_norm : bool
        Insert a :class:`BatchNorm1d` after each hidden Dense layer.
    dropout : float
        Drop probability of a :class:`Dropout` after each hidden activation (0 = none).
    """
    sizes = check_layer_sizes(sizes)
    rng = check_rng(rng)
    dropout = check_in_range(dropout, "dropout", 0.0, 1.0)
    # Dropout masks get their own stream, drawn first whether or not dropout is used, so that changing
    # the dropout rate never changes the initial weights.
    mask_rng = np.random.default_rng(rng.integers(2**63))
    layers: list[Module] = []
    for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1]):
        layers.append(Dense(fan_in, fan_out, rng, init=init, gain=gain))
        if batch_norm:
            layers.append(BatchNorm1d(fan_out))
        layers.append(ActivationLayer(activation))
        if dropout > 0:
            layers.append(Dropout(dropout, rng=np.random.default_rng(mask_rng.integers(2**63))))
    layers.append(Dense(sizes[-2], sizes[-1], rng, init=init, gain=gain))
    if output_activation is not None:
        layers.append(ActivationLayer(output_activation))
    return Sequential(*layers)
