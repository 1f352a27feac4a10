"""Section 2.3.2 — how much each layer of a deep network learns.

The back-propagated gradient ``dL/da`` says how strongly the loss reacts to a layer's *output*; what the
layer learns is its weight update. For a Dense layer ``z = a_prev @ W + b`` followed by ``a = phi(z)``,

    dL/dW = a_prev^T (dL/da * phi'(z)),

so the weight gradient is the back-propagated gradient scaled by the activation's slope and by the size of
the layer's input. Whether the update matters depends on how it compares with the weights themselves: SGD
changes a layer by ``lr * |dL/dW| / |W|`` of its size per step. :func:`layer_learning` measures these three
quantities per layer at one point; :func:`train_layers` trains the same network from several seeds at once
(one batched run) and records, epoch by epoch, how far each layer's weights have moved from their start and
the mean activation of each hidden layer -- the measurement of Glorot & Bengio (2010), Figure 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive, check_positive_int
from ..activations import get_activation, log_softmax, softmax
from ..diagnostics import layer_statistics
from ..layers import Dense
from ..network import Sequential, mlp

__all__ = ["LayerLearning", "LayerTraining", "layer_learning", "train_layers"]


@dataclass(frozen=True)
class LayerLearning:
    """Per-layer sizes at one point of training; every array has one entry per Dense layer, input side first.

    Attributes
    ----------
    activation_grad_rms : float array (D,)
        RMS of the back-propagated gradient ``dL/da`` of each hidden layer's output; NaN for the output
        layer, whose output is the logits.
    weight_grad_rms : float array (D,)
        RMS of ``dL/dW``.
    weight_rms : float array (D,)
        RMS of ``W``.
    update_ratio : float array (D,)
        ``lr * weight_grad_rms / weight_rms``: the fraction of its size by which one plain SGD step moves
        the layer's weight matrix.
    """

    activation_grad_rms: np.ndarray
    weight_grad_rms: np.ndarray
    weight_rms: np.ndarray
    update_ratio: np.ndarray


def layer_learning(model: Sequential, x, y, lr: float, loss: str = "cross_entropy") -> LayerLearning:
    """Measure ``dL/da``, ``dL/dW`` and the relative SGD update of every layer for one batch ``(x, y)``.

    The model is left unchanged (parameters and gradients); see
    :func:`lessons_lib.diagnostics.layer_statistics`, which does the passes.

    Parameters
    ----------
    model : Sequential
        A network of Dense and activation layers (as built by :func:`lessons_lib.network.mlp`).
    x, y : arrays
        One batch of inputs and its targets for ``loss``.
    lr : float
        The SGD learning rate the update ratio assumes.
    loss : str
        A loss name of :func:`lessons_lib.losses.get_loss`.
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    lr = check_positive(lr, "lr")
    x = as_float_array(x, "x", ndim=2)
    stats = layer_statistics(model, x, loss=loss, y=y)
    dense = [layer for layer in model if isinstance(layer, Dense)]
    if len(stats.layer_index) != len(dense) - 1:
        raise ValueError("model must alternate Dense and activation layers, ending with a Dense layer")
    sizes = np.array([layer.W.value.size for layer in dense], dtype=float)
    n = x.shape[0]
    widths = np.array([layer.out_features for layer in dense[:-1]], dtype=float)
    act = np.append(stats.gradient_norm / np.sqrt(n * widths), np.nan)
    weight_grad = stats.weight_grad_norm / np.sqrt(sizes)
    weight = np.array([np.sqrt(np.mean(layer.W.value ** 2)) for layer in dense])
    return LayerLearning(activation_grad_rms=act, weight_grad_rms=weight_grad, weight_rms=weight,
                         update_ratio=lr * weight_grad / weight)


# phi'(z) from a = phi(z), cheaper than from z (the sigmoid and tanh need no second exponential).
_SLOPE_FROM_OUTPUT = {"sigmoid": lambda a: a * (1.0 - a), "tanh": lambda a: 1.0 - a * a}


@dataclass(frozen=True)
class LayerTraining:
    """What :func:`train_layers` recorded: axis 0 is the seed, axis 1 the epoch (0 = before training).

    Attributes
    ----------
    seeds : int array (S,)
    epochs : int array (E + 1,)
    activation_mean : float array (S, E + 1, H)
        Mean output of each hidden layer (input side first) over the training set.
    weight_change : float array (S, E + 1, H + 1)
        ``|W_t - W_0| / |W_0|`` (Frobenius norms) for each Dense layer, the output layer last.
    train_loss : float array (S, E + 1)
        Cross-entropy on the training set.
    test_accuracy : float array (S, E + 1)
    """

    seeds: np.ndarray
    epochs: np.ndarray
    activation_mean: np.ndarray
    weight_change: np.ndarray
    train_loss: np.ndarray
    test_accuracy: np.ndarray


def train_layers(X, y, X_test, y_test, seeds, hidden_layers: int = 4, width: int = 64,
                 activation: str = "sigmoid", init: str = "pytorch_default", lr: float = 1.0,
                 epochs: int = 20, batch_size: int = 50) -> LayerTraining:
    """Train one classifier per seed with plain minibatch SGD, all seeds in one batched computation.

    Each network is ``mlp([n_features] + [width] * hidden_layers + [n_classes], activation, rng=seed,
    init=init)`` trained on softmax cross-entropy; seed ``s`` also shuffles the training set, every epoch,
    with ``np.random.default_rng((s, 1))``, and a last incomplete minibatch is dropped. The result is the
    same as training each network on its own with :class:`lessons_lib.optimizers.SGD` (the unit tests check
    it), only faster.

    Parameters
    ----------
    X, y, X_test, y_test : arrays
        Training and test inputs (2-D) and integer class labels.
    seeds : sequence of int
        One network per seed.
    hidden_layers, width : int
        Depth and width of the networks.
    activation, init : str
        Hidden activation and weight initialisation (see :func:`lessons_lib.network.mlp`).
    lr : float
        Learning rate.
    epochs, batch_size : int
        Passes over the training set and minibatch size.
    """
    X = as_float_array(X, "X", ndim=2)
    X_test = as_float_array(X_test, "X_test", ndim=2)
    y, y_test = np.asarray(y), np.asarray(y_test)
    for name, labels, inputs in (("y", y, X), ("y_test", y_test, X_test)):
        if labels.shape != (inputs.shape[0],) or not np.issubdtype(labels.dtype, np.integer) \
                or labels.min() < 0:
            raise ValueError(f"{name} must hold one non-negative integer class per row of the inputs")
    if X_test.shape[1] != X.shape[1]:
        raise ValueError(f"X_test must have {X.shape[1]} columns like X, got {X_test.shape[1]}")
    seeds = np.asarray(seeds)
    if seeds.ndim != 1 or seeds.size == 0 or not np.issubdtype(seeds.dtype, np.integer):
        raise ValueError("seeds must be a non-empty sequence of integers")
    hidden_layers = check_positive_int(hidden_layers, "hidden_layers")
    width = check_positive_int(width, "width")
    lr = check_positive(lr, "lr")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if batch_size > X.shape[0]:
        raise ValueError(f"batch_size must be at most the {X.shape[0]} training examples, got {batch_size}")
    phi = get_activation(activation)
    n_classes = int(max(y.max(), y_test.max())) + 1
    sizes = [X.shape[1]] + [width] * hidden_layers + [n_classes]

    # Stack the seeds' initial parameters: W[k] is (S, fan_in, fan_out), b[k] is (S, 1, fan_out).
    nets = [[layer for layer in mlp(sizes, activation, rng=int(s), init=init) if isinstance(layer, Dense)]
            for s in seeds]
    W = [np.stack([net[k].W.value for net in nets]) for k in range(hidden_layers + 1)]
    b = [np.stack([net[k].b.value for net in nets])[:, None, :] for k in range(hidden_layers + 1)]
    W0 = [w.copy() for w in W]
    norm0 = [np.sqrt(np.sum(w * w, axis=(1, 2))) for w in W0]
    shufflers = [np.random.default_rng((int(s), 1)) for s in seeds]
    n_seeds, n, n_steps = seeds.size, X.shape[0], X.shape[0] // batch_size
    seed_rows = np.arange(n_seeds)[:, None]

    slope = _SLOPE_FROM_OUTPUT.get(activation)

    def forward(inputs):
        zs, hs = [], [inputs]
        for k in range(hidden_layers + 1):
            z = hs[-1] @ W[k] + b[k]
            zs.append(z)
            hs.append(phi(z) if k < hidden_layers else z)
        return zs, hs

    act_mean = np.empty((n_seeds, epochs + 1, hidden_layers))
    change = np.empty((n_seeds, epochs + 1, hidden_layers + 1))
    train_loss = np.empty((n_seeds, epochs + 1))
    test_acc = np.empty((n_seeds, epochs + 1))

    def record(e):
        _, hs = forward(X[None])
        for k in range(hidden_layers):
            act_mean[:, e, k] = hs[k + 1].mean(axis=(1, 2))
        for k in range(hidden_layers + 1):
            change[:, e, k] = np.sqrt(np.sum((W[k] - W0[k]) ** 2, axis=(1, 2))) / norm0[k]
        train_loss[:, e] = -log_softmax(hs[-1], axis=-1)[:, np.arange(n), y].mean(axis=1)
        test_acc[:, e] = (forward(X_test[None])[1][-1].argmax(axis=-1) == y_test).mean(axis=1)

    record(0)
    for epoch in range(1, epochs + 1):
        order = np.stack([r.permutation(n) for r in shufflers])
        for step in range(n_steps):
            idx = order[:, step * batch_size:(step + 1) * batch_size]
            zs, hs = forward(X[idx])
            delta = softmax(hs[-1], axis=-1)                    # dL/dlogits = (softmax - onehot) / N
            delta[seed_rows, np.arange(batch_size), y[idx]] -= 1.0
            delta /= batch_size
            for k in range(hidden_layers, -1, -1):
                grad_W = hs[k].transpose(0, 2, 1) @ delta
                grad_b = delta.sum(axis=1, keepdims=True)
                if k > 0:
                    delta = delta @ W[k].transpose(0, 2, 1)
                    delta *= slope(hs[k]) if slope else phi.derivative(zs[k - 1])
                W[k] -= lr * grad_W
                b[k] -= lr * grad_b
        record(epoch)
    return LayerTraining(seeds=seeds.copy(), epochs=np.arange(epochs + 1), activation_mean=act_mean,
                         weight_change=change, train_loss=train_loss, test_accuracy=test_acc)
