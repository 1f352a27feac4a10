"""Section 2.3.4 — the numbers behind the hidden-layers chapter: architectures compared, decision regions,
and a sawtooth that shows why depth is parameter-efficient.

numpy only (no matplotlib): the figures in ``lessons_lib.plots.hidden_layers`` draw what these return.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive, check_positive_int
from ..batchnorm import BatchNorm1d
from ..datasets import load_digits
from ..layers import ActivationLayer, Dense
from ..losses import CrossEntropyLoss
from ..module import Module
from ..network import Sequential, mlp
from ..optimizers import get_optimizer
from ..training import History, evaluate, fit, predict

__all__ = ["ArchitectureResult", "architecture_label", "digits_split", "parameter_count", "train_classifier",
           "decision_grid", "sawtooth_network", "count_linear_pieces"]


def digits_split(n_train: int = 1000, seed: int = 0):
    """The 1797 handwritten digits, pixels scaled to [0, 1], shuffled with ``seed`` and split in two.

    Returns ``(X_train, y_train), (X_val, y_val)``: the first ``n_train`` shuffled images for training,
    the rest for validation.
    """
    X, y = load_digits()
    n_train = check_positive_int(n_train, "n_train")
    if n_train >= len(X):
        raise ValueError(f"n_train must leave some images for validation (< {len(X)}), got {n_train}")
    order = np.random.default_rng(seed).permutation(len(X))
    X, y = X[order] / 16.0, y[order]
    return (X[:n_train], y[:n_train]), (X[n_train:], y[n_train:])


def architecture_label(hidden) -> str:
    """A short name for hidden sizes: ``()`` -> "no hidden layer", ``(32, 32)`` -> "2 x 32", ``(64, 32)`` -> "64-32"."""
    hidden = tuple(int(h) for h in hidden)
    if not hidden:
        return "no hidden layer"
    if len(set(hidden)) == 1:
        return f"{len(hidden)} x {hidden[0]}"
    return "-".join(map(str, hidden))


def parameter_count(model: Module) -> int:
    """Number of trainable numbers (weights, biases, batch-norm gammas and betas) in ``model``."""
    return int(sum(p.value.size for p in model.parameters()))


@dataclass
class ArchitectureResult:
    """One trained network: its hidden sizes, size, final accuracies (evaluation mode) and history."""

    hidden: tuple
    n_params: int
    train_accuracy: float
    val_accuracy: float
    history: History
    model: Module


def train_classifier(hidden, train, val, *, activation: str = "relu", lr: float = 3e-3, epochs: int = 30,
                     batch_size: int = 32, seed: int = 0, optimizer: str = "adam", init: str = "pytorch_default",
                     batch_norm: bool = False, input_batch_norm: bool = False) -> ArchitectureResult:
    """Train ``mlp([features, *hidden, classes])`` with cross-entropy; report train/val accuracy.

    ``seed`` sets both the initial weights and the order of the mini-batches. The number of classes is
    ``max(label) + 1`` over the training and validation labels. ``optimizer`` is a name for
    :func:`lessons_lib.optimizers.get_optimizer` (``"adam"``, ``"sgd"``...), ``init`` the weight
    initialisation of every Dense layer. ``batch_norm`` puts a :class:`BatchNorm1d` after every hidden
    Dense layer (see :func:`mlp`); ``input_batch_norm`` puts one in front of the network, on the raw inputs.
    """
    (X, y), (X_val, y_val) = train, val
    X = as_float_array(X, "train[0]", ndim=2)
    hidden = tuple(check_positive_int(h, "hidden") for h in hidden)
    lr = check_positive(lr, "lr")
    n_classes = int(max(np.max(y), np.max(y_val))) + 1
    model = mlp([X.shape[1], *hidden, n_classes], activation=activation, rng=seed, init=init,
                batch_norm=batch_norm)
    if input_batch_norm:
        model = Sequential(BatchNorm1d(X.shape[1]), *model.layers)
    loss = CrossEntropyLoss()
    opt = get_optimizer(optimizer, model.parameters(), lr=lr)
    history = fit(model, loss, opt, X, y, epochs=epochs, batch_size=batch_size, rng=seed + 1000,
                  validation_data=(X_val, y_val))
    _, train_acc = evaluate(model, loss, X, y)
    return ArchitectureResult(hidden, parameter_count(model), float(train_acc), float(history.val_accuracy[-1]),
                              history, model)


def decision_grid(model: Module, X, resolution: int = 200, margin: float = 0.1):
    """The class ``model`` predicts at every point of a grid covering the 2-D points ``X``.

    Returns ``(xs, ys, classes)`` with ``classes[i, j]`` the predicted class at ``(xs[j], ys[i])``: ready
    for ``contourf``/``pcolormesh``. The grid spans the range of ``X`` plus ``margin`` on every side.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (points in the plane), got {X.shape[1]}")
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    out = predict(model, np.column_stack([gx.ravel(), gy.ravel()]))
    return xs, ys, out.argmax(axis=1).reshape(gx.shape)


def sawtooth_network(depth: int) -> Sequential:
    """A ReLU network with ``depth`` hidden layers of 2 units that computes the tent map ``depth`` times.

    The tent map ``t(x) = 2 relu(x) - 4 relu(x - 1/2)`` rises from 0 to 1 and falls back on [0, 1];
    composing it ``k`` times gives a sawtooth with ``2**(k-1)`` teeth, i.e. ``2**k`` linear pieces
    (Telgarsky's construction). The weights are set by hand, nothing is trained.
    """
    depth = check_positive_int(depth, "depth")
    rng = np.random.default_rng(0)  # Dense wants one; every weight is overwritten below
    layers: list[Module] = []
    first = Dense(1, 2, rng)
    first.W.value[...] = [[1.0, 1.0]]
    first.b.value[...] = [0.0, -0.5]
    layers += [first, ActivationLayer("relu")]
    for _ in range(depth - 1):
        # the output 2 h1 - 4 h2 of one tent, fed straight into the two units of the next
        inner = Dense(2, 2, rng)
        inner.W.value[...] = [[2.0, 2.0], [-4.0, -4.0]]
        inner.b.value[...] = [0.0, -0.5]
        layers += [inner, ActivationLayer("relu")]
    last = Dense(2, 1, rng)
    last.W.value[...] = [[2.0], [-4.0]]
    last.b.value[...] = [0.0]
    layers.append(last)
    return Sequential(*layers)


def count_linear_pieces(x, f, tol: float = 1e-9) -> int:
    """Number of straight pieces of the piecewise-linear curve through the points ``(x, f)``.

    Consecutive segments with the same slope (within ``tol`` relative to the largest slope) are one piece.
    The grid must be fine enough that every piece holds at least one segment.
    """
    x = as_float_array(x, "x", ndim=1)
    f = as_float_array(f, "f", ndim=1)
    if x.size != f.size or x.size < 2:
        raise ValueError(f"x and f must have the same length >= 2, got {x.size} and {f.size}")
    slopes = np.diff(f) / np.diff(x)
    scale = max(float(np.max(np.abs(slopes))), 1.0)
    return int(np.count_nonzero(np.abs(np.diff(slopes)) > tol * scale)) + 1
