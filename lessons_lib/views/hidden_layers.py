"""Section 2.3.4 — the numbers behind the hidden-layers chapter: architectures compared, decision regions,
and a sawtooth that shows why depth is parameter-efficient.

numpy only (no matplotlib): the figures in ``lessons_lib.plots.hidden_layers`` draw what these return.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import as_float_array, check_choice, check_positive, check_positive_int
from ..batchnorm import BatchNorm1d
from ..datasets import load_digits, make_moons, make_spirals
from ..layers import ActivationLayer, Dense
from ..losses import CrossEntropyLoss
from ..module import Module
from ..network import Sequential, mlp
from ..optimizers import get_optimizer
from ..parameter import Parameter
from ..training import History, evaluate, fit, predict

__all__ = ["ArchitectureResult", "architecture_label", "digits_split", "parameter_count", "train_classifier",
           "train_classifiers", "decision_grid", "sawtooth_network", "count_linear_pieces", "PLAYGROUND_DATASETS",
           "PLAYGROUND_SEEDS", "playground_data", "playground_runs", "PlaygroundView", "playground_view"]


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


def _class_count(y, y_val) -> int:
    return int(max(np.max(y), np.max(y_val))) + 1


def train_classifiers(hidden, train, val, seeds, *, activation: str = "relu", lr: float = 3e-3,
                      epochs: int = 30, batch_size: int = 32, optimizer: str = "adam",
                      init: str = "pytorch_default", curves: int | None = None) -> list[ArchitectureResult]:
    """Train one network per seed, all in one batched run: ``train_classifier`` for many seeds at once.

    Network ``s`` starts from the weights of ``mlp([features, *hidden, classes], rng=seeds[s])`` and sees
    the mini-batches in the order ``fit`` would draw with ``rng=seeds[s] + 1000``, exactly as
    :func:`train_classifier` with ``seed=seeds[s]`` (no batch norm). The networks are stacked along a
    leading axis, so every matrix product and every optimizer step serves all of them at once; they never
    interact, and the results agree with separate runs up to floating-point rounding. Ten seeds cost far
    less than ten separate runs (each step's Python overhead is paid once, and the products are larger),
    which is what makes statistics over seeds affordable.

    Parameters
    ----------
    hidden : sequence of int
        Hidden-layer widths, ``()`` for a linear classifier.
    train, val : (X, y) pairs
        Training and validation data, integer class labels.
    seeds : sequence of int
        One network per seed, at least one.
    activation, lr, epochs, batch_size, optimizer, init :
        As in :func:`train_classifier`. ``optimizer`` must work elementwise (every optimizer of
        :mod:`lessons_lib.optimizers` does).
    curves : int, optional
        Record the validation loss and accuracy after every epoch for the first ``curves`` networks only
        (default: all of them); the others are evaluated on the validation set after the last epoch, and
        their ``history.val_loss`` and ``history.val_accuracy`` hold that one value. Evaluating a large
        validation set after every epoch can cost as much as a quarter of the training.

    Returns
    -------
    list of ArchitectureResult
        One per seed, in order, with a per-epoch :class:`History` (no ``step_losses``) and the trained
        weights copied into an ordinary :class:`Sequential` (``result.model``). Unlike :func:`fit`, a run
        whose loss becomes infinite or NaN is not stopped; it carries those values into its own history
        only, since the networks share no numbers.
    """
    (X, y), (X_val, y_val) = train, val
    X = as_float_array(X, "train[0]", ndim=2)
    X_val = as_float_array(X_val, "val[0]", ndim=2)
    y, y_val = np.asarray(y, dtype=np.int64), np.asarray(y_val, dtype=np.int64)
    if y.shape != (len(X),) or y_val.shape != (len(X_val),):
        raise ValueError("train and val must be pairs (X, y) with one integer label per row of X")
    hidden = tuple(check_positive_int(h, "hidden") for h in hidden)
    seeds = [int(s) for s in np.atleast_1d(np.asarray(seeds))]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    lr = check_positive(lr, "lr")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    curves = len(seeds) if curves is None else min(check_positive_int(curves, "curves", minimum=0), len(seeds))
    n_classes = _class_count(y, y_val)
    sizes = [X.shape[1], *hidden, n_classes]
    models = [mlp(sizes, activation=activation, rng=seed, init=init) for seed in seeds]
    dense = [[layer for layer in m.layers if isinstance(layer, Dense)] for m in models]
    # Stacked parameters: W[k] has shape (seeds, fan_in, fan_out), b[k] (seeds, 1, fan_out).
    Ws = [Parameter(np.stack([d[k].W.value for d in dense]), f"W{k}") for k in range(len(sizes) - 1)]
    bs = [Parameter(np.stack([d[k].b.value for d in dense])[:, None, :], f"b{k}") for k in range(len(sizes) - 1)]
    act = ActivationLayer(activation)
    opt = get_optimizer(optimizer, [p for pair in zip(Ws, bs) for p in pair], lr=lr)
    rngs = [np.random.default_rng(seed + 1000) for seed in seeds]
    S, n = len(seeds), len(X)

    relu = act.name == "relu"
    onehot = np.eye(n_classes)

    def forward(x, nets=None):
        """Logits (S, B, C) and, per layer, its input and the activation cache. ``x`` is (S, B, features),
        or (B, features) for data that every network sees (matmul broadcasts it). With ``nets``, only the
        first ``nets`` networks run."""
        inputs, caches = [], []
        for k, (W, b) in enumerate(zip(Ws, bs)):
            inputs.append(x)
            x = x @ W.value[:nets]
            x += b.value[:nets]
            if k < len(Ws) - 1:
                if relu:                                  # in place; relu'(z) is read off the output
                    x = np.maximum(x, 0.0, out=x)
                    caches.append(x)
                else:
                    x, cache = act.forward(x)
                    caches.append(cache)
        return x, inputs, caches

    def softmax_loss(logits, targets):
        """Per network: the mean cross-entropy, the number of correct predictions, and the softmax.
        ``targets`` are one-hot rows (S, B, C); ``logits`` are overwritten."""
        right = np.sum(logits.argmax(axis=2) == targets.argmax(axis=2), axis=1)
        logits -= logits.max(axis=2, keepdims=True)
        e = np.exp(logits)
        total = e.sum(axis=2, keepdims=True)
        value = (np.log(total[:, :, 0]) - np.sum(logits * targets, axis=2)).mean(axis=1)
        e /= total
        return value, right, e

    histories = [History() for _ in seeds]
    Y, Y_val = onehot[y], np.broadcast_to(onehot[y_val], (S, len(y_val), n_classes))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(1, epochs + 1):
            order = np.stack([r.permutation(n) for r in rngs])        # (S, n): each network its own order
            Xs, Ys = X[order], Y[order]
            total, correct = np.zeros(S), np.zeros(S)
            for start in range(0, n, batch_size):
                xb, yb = Xs[:, start:start + batch_size], Ys[:, start:start + batch_size]
                logits, inputs, caches = forward(xb)
                value, right, grad = softmax_loss(logits, yb)
                total += value * xb.shape[1]
                correct += right
                grad -= yb
                grad /= xb.shape[1]                                   # d(mean loss of each network)/dz
                for k in range(len(Ws) - 1, -1, -1):
                    Ws[k].grad = inputs[k].transpose(0, 2, 1) @ grad
                    bs[k].grad = grad.sum(axis=1, keepdims=True)
                    if k > 0:
                        grad = grad @ Ws[k].value.transpose(0, 2, 1)
                        if relu:
                            grad *= caches[k - 1] > 0
                        else:
                            grad = act.backward(grad, caches[k - 1])
                opt.step()
            for s, h in enumerate(histories):
                h.train_loss.append(float(total[s] / n))
                h.train_accuracy.append(float(correct[s] / n))
            if curves or epoch == epochs:
                tracked = S if epoch == epochs else curves        # networks evaluated now: the first ones
                val_loss, val_right, _ = softmax_loss(forward(X_val, tracked)[0], Y_val[:tracked])
                for s in range(tracked):
                    histories[s].val_loss.append(float(val_loss[s]))
                    histories[s].val_accuracy.append(float(val_right[s] / len(y_val)))
        _, train_right, _ = softmax_loss(forward(X)[0], np.broadcast_to(Y, (S, n, n_classes)))
    results = []
    for s, (model, layers, h) in enumerate(zip(models, dense, histories)):
        for k, layer in enumerate(layers):
            layer.W.value[...] = Ws[k].value[s]
            layer.b.value[...] = bs[k].value[s, 0]
        h.message = f"Completed {epochs} epochs ({epochs * -(-n // batch_size)} steps), batched over {S} seeds."
        results.append(ArchitectureResult(hidden, parameter_count(model), float(train_right[s] / n),
                                          h.val_accuracy[-1], h, model))
    return results


# ---- the architecture explorer: width and depth against decision regions (TensorFlow Playground's idea) ----

#: The explorer's two-dimensional tasks.
PLAYGROUND_DATASETS = ("moons", "spirals")
#: Every architecture of the explorer is trained from this many seeds (0, 1, ...), side by side.
PLAYGROUND_SEEDS = 5
#: How the explorer trains: Adam, mini-batches of 50 of the 200 training points, 60 epochs (240 steps).
PLAYGROUND_TRAINING = dict(lr=0.05, epochs=60, batch_size=50)


@lru_cache(maxsize=2)
def playground_data(dataset: str):
    """The explorer's task: 300 points, the first 200 for training and the other 100 for validation.

    ``"moons"``: two interleaved half circles with noise 0.2; ``"spirals"``: two spiral arms of 1.25 turns,
    with noise of 0.15 radians on the angle. The points are the same for every seed (``rng=0``).
    """
    check_choice(dataset, "dataset", PLAYGROUND_DATASETS)
    if dataset == "moons":
        X, y = make_moons(300, rng=0, noise=0.2)
    else:
        X, y = make_spirals(300, rng=0, turns=1.25, noise=0.15)
    return (X[:200], y[:200]), (X[200:], y[200:])


@lru_cache(maxsize=64)
def playground_runs(dataset: str, width: int, depth: int, seeds: int = PLAYGROUND_SEEDS) -> tuple:
    """``depth`` hidden layers of ``width`` ReLU units trained on ``dataset`` from the seeds ``0 ... seeds - 1``.

    One batched run of :func:`train_classifiers` (each network as :func:`train_classifier` would train it
    with that seed); cached, so moving another control does not train again. Returns the
    :class:`ArchitectureResult` of every seed, in order.
    """
    width = check_positive_int(width, "width")
    depth = check_positive_int(depth, "depth")
    seeds = check_positive_int(seeds, "seeds")
    train, val = playground_data(dataset)
    return tuple(train_classifiers((width,) * depth, train, val, range(seeds), curves=0, **PLAYGROUND_TRAINING))


@dataclass(frozen=True)
class PlaygroundView:
    """One trained network of the explorer and, for comparison, a sweep of architectures on the same task.

    ``classes[i, j]`` is the class predicted at ``(xs[j], ys[i])`` (:func:`decision_grid`). ``sweep_val[i, k]``
    is the median validation accuracy, over the seeds, of ``sweep_depths[i]`` layers of ``sweep_widths[k]``
    units, and ``sweep_params[i, k]`` its number of parameters. ``message`` is empty unless training failed.
    """

    dataset: str
    width: int
    depth: int
    seed: int
    train: tuple
    val: tuple
    xs: np.ndarray
    ys: np.ndarray
    classes: np.ndarray
    n_params: int
    train_accuracy: float
    val_accuracy: float
    sweep_widths: tuple
    sweep_depths: tuple
    sweep_params: np.ndarray
    sweep_val: np.ndarray
    message: str


def playground_view(dataset: str, width: int, depth: int, seed: int = 0, sweep_widths=(4, 8, 16),
                    sweep_depths=(1, 2, 3), resolution: int = 90) -> PlaygroundView:
    """What the architecture explorer shows: the network trained from ``seed`` (its decision regions over
    the task's points, its size and accuracies) and the median validation accuracy of a sweep of
    architectures on the same task. Cached, like the runs it reads."""
    sweep_widths = tuple(check_positive_int(w, "sweep_widths") for w in sweep_widths)
    sweep_depths = tuple(check_positive_int(d, "sweep_depths") for d in sweep_depths)
    check_choice(dataset, "dataset", PLAYGROUND_DATASETS)
    width = check_positive_int(width, "width")
    depth = check_positive_int(depth, "depth")
    seed = check_positive_int(seed, "seed", minimum=0)
    if seed >= PLAYGROUND_SEEDS:
        raise ValueError(f"seed must be an integer in [0, {PLAYGROUND_SEEDS - 1}], got {seed}")
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    return _playground_view(dataset, width, depth, seed, sweep_widths, sweep_depths, resolution)


@lru_cache(maxsize=256)
def _playground_view(dataset, width, depth, seed, sweep_widths, sweep_depths, resolution) -> PlaygroundView:
    run = playground_runs(dataset, width, depth)[seed]
    train, val = playground_data(dataset)
    xs, ys, classes = decision_grid(run.model, np.concatenate([train[0], val[0]]), resolution=resolution,
                                    margin=0.25)
    params = np.zeros((len(sweep_depths), len(sweep_widths)), dtype=int)
    medians = np.zeros(params.shape)
    for i, d in enumerate(sweep_depths):
        for k, w in enumerate(sweep_widths):
            runs = playground_runs(dataset, w, d)
            params[i, k] = runs[0].n_params
            medians[i, k] = np.median([r.val_accuracy for r in runs])
    loss = run.history.train_loss[-1]
    message = "" if np.isfinite(loss) else f"training failed: the training loss became {loss}"
    return PlaygroundView(dataset, run.hidden[0], len(run.hidden), seed, train, val, xs, ys, classes, run.n_params,
                          run.train_accuracy, run.val_accuracy, sweep_widths, sweep_depths, params, medians, message)
