"""Sections 2.3 and 2.3.1 — the numbers behind the backpropagation figures and tables.

Pure numpy (no matplotlib): a computational graph laid out for drawing, the operation counts that make
the cost of reverse mode concrete, a copy of a vectorised MLP as a scalar :class:`~lessons_lib.autodiff.ValueMLP`,
a whole-network gradient check, the symmetry-breaking experiment, the two-moons training run repeated over
seeds and a classifier's decision regions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive, check_positive_int
from ..autodiff import Value, ValueMLP
from ..datasets import make_moons
from ..layers import ActivationLayer, Dense
from ..network import Sequential, mlp
from ..optimizers import SGD
from ..training import evaluate, fit, predict

__all__ = ["GraphLayout", "graph_layout", "operation_counts", "to_value_mlp", "SymmetryRun", "symmetry_run",
           "MoonsRun", "moons_run", "DecisionGrid", "decision_grid"]


# ---- the computational graph of a Value ------------------------------------------------------------------

@dataclass(frozen=True)
class GraphLayout:
    """Where to draw each node of a :class:`Value` graph.

    ``nodes`` are in topological order (inputs first, the output last); ``position[k]`` is the (column, row)
    of ``nodes[k]``: an operation's column is the length of the longest path from a leaf to it, and a leaf
    (input or parameter) sits one column left of its earliest user, so every edge points to the right.
    ``edges`` are pairs of indices ``(parent, child)``.
    """

    nodes: tuple
    position: np.ndarray
    edges: tuple


def graph_layout(output: Value) -> GraphLayout:
    """Lay out the graph that ``output`` was computed from, column by column."""
    if not isinstance(output, Value):
        raise ValueError(f"output must be a Value, got {type(output).__name__}")
    order = output.graph()
    index = {id(node): k for k, node in enumerate(order)}
    column = np.zeros(len(order), dtype=int)
    for k, node in enumerate(order):                 # parents come first, so their columns are final
        if node.parents:
            column[k] = 1 + max(column[index[id(p)]] for p in node.parents)
    for k in range(len(order) - 1, -1, -1):          # a leaf sits just left of its earliest user
        node = order[k]
        if node.parents:
            for p in node.parents:
                if not p.parents:
                    j = index[id(p)]
                    column[j] = column[k] - 1 if column[j] == 0 else min(column[j], column[k] - 1)
    row = np.zeros(len(order))
    for c in range(column.max() + 1):
        members = np.flatnonzero(column == c)
        row[members] = np.arange(len(members)) - (len(members) - 1) / 2     # centred on 0
    edges = tuple((index[id(p)], k) for k, node in enumerate(order) for p in node.parents)
    return GraphLayout(tuple(order), np.column_stack([column, row]).astype(float), edges)


def operation_counts(output: Value) -> dict[str, int]:
    """Size of the graph behind ``output``: the work of one forward and one backward pass.

    ``operations`` is the number of nodes made by an operation (one evaluation each in the forward pass);
    ``edges`` the number of (parent, child) links -- the backward pass does one multiply-add per edge;
    ``leaves`` the number of inputs and parameters, each of which receives its gradient.
    """
    if not isinstance(output, Value):
        raise ValueError(f"output must be a Value, got {type(output).__name__}")
    order = output.graph()
    return {"operations": sum(1 for n in order if n.parents),
            "edges": sum(len(n.parents) for n in order),
            "leaves": sum(1 for n in order if not n.parents)}


# ---- vectorised network <-> scalar engine -------------------------------------------------------------------

def to_value_mlp(model: Sequential) -> ValueMLP:
    """A :class:`ValueMLP` with the same weights as ``model``: Dense layers, each followed by one activation
    (identity, tanh, sigmoid or relu) except possibly the last. Every hidden activation must be the same."""
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a Sequential, got {type(model).__name__}")
    weights, biases, acts = [], [], []
    for i, layer in enumerate(model):
        if isinstance(layer, Dense):
            if layer.b is None:
                raise ValueError(f"model[{i}] must have a bias to be copied into a ValueMLP")
            weights.append(layer.W.value)
            biases.append(layer.b.value)
            acts.append("identity")
        elif isinstance(layer, ActivationLayer) and acts and acts[-1] == "identity" and len(acts) == len(weights):
            acts[-1] = layer.name
        else:
            raise ValueError(f"model[{i}] must be a Dense layer or one activation after it, got {layer!r}")
    hidden = set(acts[:-1])
    if len(hidden) > 1:
        raise ValueError(f"model must use one hidden activation, got {sorted(hidden)}")
    return ValueMLP(weights, biases, activation=hidden.pop() if hidden else "tanh", output_activation=acts[-1])


# ---- symmetry breaking --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SymmetryRun:
    """One training run of a one-hidden-layer MLP, recorded epoch by epoch.

    ``hidden_weights[e]`` is the first layer's weight matrix (inputs x hidden units) after ``e`` epochs
    (``e = 0``: the initial weights); ``unit_spread[e]`` the largest difference between two hidden units'
    incoming weights and biases at that time (0 means all hidden units are identical).
    """

    init: str
    hidden_weights: np.ndarray
    unit_spread: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray


def _spread(dense: Dense) -> float:
    units = np.vstack([dense.W.value, dense.b.value])           # one column per hidden unit
    return float(np.max(units.max(axis=1) - units.min(axis=1)))


def symmetry_run(init: str, X, y, hidden: int = 4, activation: str = "sigmoid", epochs: int = 150,
                 lr: float = 2.0, batch_size: int = 20, seed: int = 0) -> SymmetryRun:
    """Train ``mlp([features, hidden, 1])`` with the initializer ``init`` (e.g. "zeros" or "glorot_uniform")
    on the binary labels ``y`` with plain SGD, and record the hidden layer after every epoch."""
    X = as_float_array(X, "X", ndim=2)
    hidden = check_positive_int(hidden, "hidden")
    epochs = check_positive_int(epochs, "epochs")
    lr = check_positive(lr, "lr")
    rng = np.random.default_rng(seed)
    model = mlp([X.shape[1], hidden, 1], activation=activation, rng=rng, init=init)
    first = model[0]
    weights, spread = [first.W.value.copy()], [_spread(first)]

    def record(epoch, history):
        weights.append(first.W.value.copy())
        spread.append(_spread(first))

    history = fit(model, "bce_with_logits", SGD(model.parameters(), lr=lr), X, y, epochs=epochs,
                  batch_size=batch_size, rng=rng, callback=record)
    return SymmetryRun(init, np.array(weights), np.array(spread), np.array(history.train_loss),
                       np.array(history.train_accuracy))


# ---- the two-moons run of section 2.3.1, repeated over seeds ------------------------------------------------

@dataclass(frozen=True)
class MoonsRun:
    """One two-moons training run of section 2.3.1, and a network without hidden layer on the same data.

    Per epoch (index ``e`` is epoch ``e + 1``): ``train_loss`` is the mean over the epoch's mini-batches,
    each measured before its own step (what :func:`~lessons_lib.training.fit` records);
    ``train_loss_at_end`` the loss on the whole training set with the weights at the end of the epoch,
    measured like ``val_loss``; ``val_accuracy`` the accuracy on the validation points. ``line_loss`` is the
    final training loss of ``mlp([2, 1])`` (a single straight boundary) trained the same way.
    """

    seed: int
    train_loss: np.ndarray
    train_loss_at_end: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    line_loss: float


def moons_run(seed: int, hidden=(16, 16), epochs: int = 100, lr: float = 0.3, batch_size: int = 20,
              n_train: int = 200, n_val: int = 100, noise: float = 0.2) -> MoonsRun:
    """Section 2.3.1's experiment from one seed: moons data, a tanh MLP trained with SGD, and a line.

    The seed draws, in this order, the ``n_train + n_val`` points of ``make_moons`` (the first ``n_train``
    train, the rest validate), the network's initial weights, the shuffling of its training, then the
    initial weights and shuffling of ``mlp([2, 1])``, trained with the same loss, optimizer and schedule.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    hidden = tuple(check_positive_int(h, "hidden") for h in hidden)
    epochs = check_positive_int(epochs, "epochs")
    lr = check_positive(lr, "lr")
    n_train = check_positive_int(n_train, "n_train")
    n_val = check_positive_int(n_val, "n_val")
    rng = np.random.default_rng(seed)
    X, y = make_moons(n_train + n_val, rng=rng, noise=noise)
    X_train, y_train, X_val, y_val = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    model = mlp([2, *hidden, 1], activation="tanh", rng=rng)
    at_end = []

    def record(epoch, history):
        at_end.append(evaluate(model, "bce_with_logits", X_train, y_train)[0])

    history = fit(model, "bce_with_logits", SGD(model.parameters(), lr=lr), X_train, y_train, epochs=epochs,
                  batch_size=batch_size, rng=rng, validation_data=(X_val, y_val), callback=record)
    line = mlp([2, 1], rng=rng)
    fit(line, "bce_with_logits", SGD(line.parameters(), lr=lr), X_train, y_train, epochs=epochs,
        batch_size=batch_size, rng=rng)
    line_loss = evaluate(line, "bce_with_logits", X_train, y_train)[0]
    return MoonsRun(int(seed), np.array(history.train_loss), np.array(at_end), np.array(history.val_loss),
                    np.array(history.val_accuracy), float(line_loss))


# ---- decision regions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionGrid:
    """The model's probability of class 1 at every point of a regular grid: ``probability[i, j]`` is at
    ``(x[j], y[i])``, the layout of ``matplotlib``'s ``contourf(x, y, probability)``."""

    x: np.ndarray
    y: np.ndarray
    probability: np.ndarray


def decision_grid(model, xlim: tuple[float, float], ylim: tuple[float, float], n: int = 200) -> DecisionGrid:
    """Evaluate a two-input binary classifier (one logit out, or two class logits) on an ``n`` x ``n`` grid."""
    n = check_positive_int(n, "n", minimum=2)
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        lo, hi = (float(v) for v in lim)
        if not lo < hi:
            raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    gx, gy = np.meshgrid(xs, ys)
    logits = predict(model, np.column_stack([gx.ravel(), gy.ravel()]))
    if logits.shape[1] == 1:
        z = logits[:, 0]
    elif logits.shape[1] == 2:
        z = logits[:, 1] - logits[:, 0]          # softmax of two logits = sigmoid of their difference
    else:
        raise ValueError(f"model must output 1 or 2 logits, got {logits.shape[1]}")
    prob = np.exp(-np.logaddexp(0.0, -z))       # sigmoid without overflow
    return DecisionGrid(xs, ys, prob.reshape(n, n))
