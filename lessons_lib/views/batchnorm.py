"""Section 2.3.6 — the batch-norm experiments, run for several seeds at once.

:func:`train_runs` trains the networks of :func:`lessons_lib.views.hidden_layers.train_classifier` (an MLP
with optional batch normalization after every hidden ``Dense`` layer and optional batch normalization of
the inputs) for several seeds side by side: the parameters of all runs are stacked along a leading axis,
so every matrix product and every optimizer step serves all runs at once. The runs never interact, and each
agrees with ``train_classifier(..., seed=seed)`` up to floating-point rounding. Ten seeds then cost little
more than one, which is what makes statistics over seeds affordable in the book.

:func:`batchnorm_run` and :func:`batchnorm_view` are the explorer of section 2.3.6: a small network trained
with a given batch size, with or without batch normalization, and the same validation images passed through
it in training mode (batch statistics) and in evaluation mode (running statistics).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import as_float_array, check_choice, check_positive, check_positive_int
from ..activations import sigmoid, softmax
from ..batchnorm import BatchNorm1d
from ..layers import ActivationLayer, Dense
from ..network import mlp
from ..optimizers import get_optimizer
from ..parameter import Parameter
from ..training import History, fit
from .hidden_layers import digits_split

__all__ = ["Runs", "train_runs", "EXPLORER_BATCH_SIZES", "BatchNormRun", "batchnorm_run", "BatchNormView",
           "batchnorm_view"]


@dataclass(frozen=True)
class Runs:
    """Per-run histories, one row per seed (NaN from the epoch where a run's loss stopped being finite).

    ``train_loss`` is the mean mini-batch loss of each epoch (training mode, as
    :func:`lessons_lib.training.fit` records it); ``val_loss`` and ``val_accuracy`` are measured after each
    epoch in evaluation mode; ``train_accuracy`` is the final training-set accuracy in evaluation mode.
    """

    seeds: tuple[int, ...]
    train_loss: np.ndarray       # (runs, epochs)
    val_loss: np.ndarray         # (runs, epochs)
    val_accuracy: np.ndarray     # (runs, epochs)
    train_accuracy: np.ndarray   # (runs,)
    #: Running variance of each input feature in the input batch-norm layer, (runs, features), or None.
    input_running_var: np.ndarray | None = None

    def history(self, k: int) -> History:
        """Run ``k`` as the :class:`~lessons_lib.training.History` that ``fit`` would have returned."""
        if not isinstance(k, int | np.integer) or not -len(self.seeds) <= k < len(self.seeds):
            raise ValueError(f"k must be a run index below {len(self.seeds)}, got {k!r}")
        return History(train_loss=self.train_loss[k].tolist(), val_loss=self.val_loss[k].tolist(),
                       val_accuracy=self.val_accuracy[k].tolist())


class _Flat:
    """All parameters of all runs in one array, so that the optimizer makes one elementwise update per step.

    :meth:`add` hands out a view of the shared value array and one of the shared gradient array; the
    optimizer's update is elementwise, so one update of the whole array equals one update per parameter.
    """

    def __init__(self, sizes):
        self.param = Parameter(np.zeros(sum(sizes)), "all")
        self._next = 0

    def add(self, initial: np.ndarray):
        start, self._next = self._next, self._next + initial.size
        value = self.param.value[start:self._next].reshape(initial.shape)
        value[...] = initial
        return value, self.param.grad[start:self._next].reshape(initial.shape)


class _StackedBN:
    """Batch normalization of stacked activations (runs, batch, units), statistics per run and unit."""

    def __init__(self, flat: _Flat, runs: int, units: int, eps: float, momentum: float):
        self.gamma, self.gamma_grad = flat.add(np.ones((runs, 1, units)))
        self.beta, self.beta_grad = flat.add(np.zeros((runs, 1, units)))
        self.running_mean = np.zeros((runs, 1, units))
        self.running_var = np.ones((runs, 1, units))
        self.eps, self.momentum = eps, momentum

    def forward(self, x, training: bool):
        if not training:
            inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
            return self.gamma * (x - self.running_mean) * inv_std + self.beta, None
        n = x.shape[1]
        mean = x.mean(axis=1, keepdims=True)                              # (2.7)
        xc = x - mean
        var = np.einsum("sij,sij->sj", xc, xc)[:, None, :] / n             # (2.8), biased
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = xc * inv_std                                              # (2.9)
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * mean
        self.running_var = (1 - m) * self.running_var + (m * n / (n - 1)) * var
        return self.gamma * x_hat + self.beta, (x_hat, inv_std)              # (2.10)

    def backward(self, dout, cache):
        x_hat, inv_std = cache
        self.beta_grad[...] = dout.sum(axis=1, keepdims=True)
        self.gamma_grad[:, 0, :] = np.einsum("sij,sij->sj", dout, x_hat)
        dx_hat = dout * self.gamma
        mean_dx_hat = dx_hat.mean(axis=1, keepdims=True)
        mean_dx_hat_x_hat = np.einsum("sij,sij->sj", dx_hat, x_hat)[:, None, :] / dout.shape[1]
        return (dx_hat - mean_dx_hat - x_hat * mean_dx_hat_x_hat) * inv_std


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def train_runs(hidden, train, val, seeds, *, activation: str = "relu", optimizer: str = "adam",
               lr: float = 3e-3, epochs: int = 30, batch_size: int = 32, init: str = "pytorch_default",
               batch_norm: bool = False, input_batch_norm: bool = False) -> Runs:
    """``train_classifier(hidden, train, val, seed=s, ...)`` for every ``s`` in ``seeds``, in one batched run.

    Run ``k`` starts from the weights of ``mlp([features, *hidden, classes], rng=seeds[k], ...)`` and sees
    the mini-batches in the order that ``fit(..., rng=seeds[k] + 1000)`` draws, as ``train_classifier``
    does; batch-norm layers start with ``gamma = 1``, ``beta = 0`` and PyTorch's ``eps = 1e-5``,
    ``momentum = 0.1``.

    Parameters
    ----------
    hidden : sequence of int
        Hidden-layer widths.
    train, val : (X, y) pairs
        ``X`` of shape (examples, features), shared by all runs, or (runs, examples, features), one data
        set per run (for example inputs scaled differently for each run); integer class labels ``y``.
    seeds : sequence of int
        One run per seed, at least one.
    activation, optimizer, lr, epochs, batch_size, init, batch_norm, input_batch_norm :
        As in :func:`lessons_lib.views.hidden_layers.train_classifier`. ``optimizer`` is a name for
        :func:`lessons_lib.optimizers.get_optimizer`; every optimizer there works elementwise.
    """
    seeds = tuple(int(s) for s in np.atleast_1d(np.asarray(seeds)))
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    R = len(seeds)
    try:
        (X, y), (X_val, y_val) = train, val
    except (TypeError, ValueError) as exc:
        raise ValueError("train and val must be pairs (X, y)") from exc
    X, X_val = np.asarray(X, dtype=float), np.asarray(X_val, dtype=float)
    for name, arr in (("train", X), ("val", X_val)):
        if arr.ndim == 2:
            continue
        if arr.ndim != 3 or arr.shape[0] != R:
            raise ValueError(f"{name}[0] must have shape (examples, features) or (runs, examples, "
                             f"features) with runs = len(seeds) = {R}, got {arr.shape}")
    X = as_float_array(np.broadcast_to(X, (R, *X.shape[-2:])), "train[0]", ndim=3)
    X_val = as_float_array(np.broadcast_to(X_val, (R, *X_val.shape[-2:])), "val[0]", ndim=3)
    y, y_val = np.asarray(y, dtype=np.int64), np.asarray(y_val, dtype=np.int64)
    if y.shape != (X.shape[1],) or y_val.shape != (X_val.shape[1],):
        raise ValueError("train and val must hold one integer label per example")
    hidden = tuple(check_positive_int(h, "hidden") for h in hidden)
    lr = check_positive(lr, "lr")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    n, features = X.shape[1], X.shape[2]
    if batch_norm or input_batch_norm:
        if batch_size < 2 or n % batch_size == 1:
            raise ValueError("batch_size must leave every mini-batch at least 2 examples for batch norm, "
                             f"got batch_size={batch_size} for {n} examples")
    classes = int(max(y.max(), y_val.max())) + 1
    models = [mlp([features, *hidden, classes], activation=activation, rng=s, init=init) for s in seeds]
    dense = [[layer for layer in m.layers if isinstance(layer, Dense)] for m in models]
    L = len(dense[0])
    shapes = [(R, *d.W.value.shape) for d in dense[0]] + [(R, 1, d.b.value.size) for d in dense[0]]
    bn_widths = (list(hidden) if batch_norm else []) + ([features] if input_batch_norm else [])
    flat = _Flat([int(np.prod(sh)) for sh in shapes] + [2 * R * w for w in bn_widths])
    Ws, W_grads = zip(*[flat.add(np.stack([d[k].W.value for d in dense])) for k in range(L)])
    bs, b_grads = zip(*[flat.add(np.stack([d[k].b.value for d in dense])[:, None, :]) for k in range(L)])
    reference = BatchNorm1d(1)
    bn_args = (reference.eps, reference.momentum)
    bns = [_StackedBN(flat, R, w, *bn_args) for w in hidden] if batch_norm else []
    in_bn = _StackedBN(flat, R, features, *bn_args) if input_batch_norm else None
    opt = get_optimizer(optimizer, [flat.param], lr=lr)
    act = ActivationLayer(activation)
    rngs = [np.random.default_rng(s + 1000) for s in seeds]
    rows = np.arange(R)[:, None]

    def forward(x, training):
        caches = []
        if in_bn is not None:
            x, c = in_bn.forward(x, training)
            caches.append(c)
        for k in range(L):
            inp = x
            x = x @ Ws[k] + bs[k]
            bn_cache = act_cache = None
            if k < L - 1:
                if batch_norm:
                    x, bn_cache = bns[k].forward(x, training)
                if activation == "sigmoid":           # sigma' = sigma (1 - sigma), from the output
                    x = act_cache = sigmoid(x)
                else:
                    x, act_cache = act.forward(x)
            caches.append((inp, bn_cache, act_cache))
        return x, caches

    def backward(grad, caches):
        for k in range(L - 1, -1, -1):
            inp, bn_cache, act_cache = caches[k + (in_bn is not None)]
            if k < L - 1:
                if activation == "sigmoid":
                    grad = grad * act_cache * (1.0 - act_cache)
                else:
                    grad = act.backward(grad, act_cache)
                if batch_norm:
                    grad = bns[k].backward(grad, bn_cache)
            np.matmul(inp.transpose(0, 2, 1), grad, out=W_grads[k])
            b_grads[k][...] = grad.sum(axis=1, keepdims=True)
            grad = grad @ Ws[k].transpose(0, 2, 1)
        if in_bn is not None:
            in_bn.backward(grad, caches[0])

    def evaluate(x, labels):
        logp = _log_softmax(forward(x, training=False)[0])
        loss = -np.take_along_axis(logp, np.broadcast_to(labels, logp.shape[:2])[:, :, None], axis=2)
        return loss[:, :, 0].mean(axis=1), (logp.argmax(axis=2) == labels).mean(axis=1)

    shape = (R, epochs)
    train_loss, val_loss, val_acc = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    alive = np.ones(R, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in range(epochs):
            order = np.stack([r.permutation(n) for r in rngs])
            Xs, ys = X[rows, order], y[order]
            total = np.zeros(R)
            for start in range(0, n, batch_size):
                xb, yb = Xs[:, start:start + batch_size], ys[:, start:start + batch_size]
                logits, caches = forward(xb, training=True)
                logp = _log_softmax(logits)
                total -= np.take_along_axis(logp, yb[:, :, None], axis=2)[:, :, 0].sum(axis=1)
                alive &= np.all(np.isfinite(logits), axis=(1, 2))
                grad = np.exp(logp)                                   # softmax minus the one-hot target
                np.put_along_axis(grad, yb[:, :, None],
                                  np.take_along_axis(grad, yb[:, :, None], axis=2) - 1.0, axis=2)
                backward(grad / xb.shape[1], caches)
                opt.step()
            loss, acc = evaluate(X_val, y_val)
            train_loss[alive, epoch] = total[alive] / n
            val_loss[alive, epoch], val_acc[alive, epoch] = loss[alive], acc[alive]
        train_acc = np.where(alive, evaluate(X, y)[1], np.nan)
    in_var = None if in_bn is None else in_bn.running_var[:, 0, :].copy()
    return Runs(seeds, train_loss, val_loss, val_acc, train_acc, in_var)


# ---- the explorer of section 2.3.6: batch size, training mode and evaluation mode ----------------------------

#: The batch sizes the explorer offers.
EXPLORER_BATCH_SIZES = (2, 4, 8, 32, 128)
#: The explorer's network: 64 pixels -> two hidden layers of 32 ReLU units -> 10 classes, Adam at this rate.
EXPLORER_SIZES = (64, 32, 32, 10)
EXPLORER_LR = 3e-3
#: Training steps of every run, whatever its batch size (a step is one mini-batch).
EXPLORER_STEPS = 150
#: Histogram bins of the pre-activations (before BN) and of the normalised values x_hat (after BN).
BEFORE_BINS = np.linspace(-4.0, 10.0, 36)
AFTER_BINS = np.linspace(-4.125, 4.125, 34)  # bins centred on the integers (batches of 2 give ±1)


@lru_cache(maxsize=1)
def _digits():
    return digits_split(n_train=1000, seed=0)


@dataclass(frozen=True)
class BatchNormRun:
    """One network of the explorer after training, and how it treats the validation images in both modes.

    ``pre`` holds the pre-activations ``z`` of the second hidden layer (the input of its BN layer) for one
    validation batch of ``batch_size`` images, shape (batch_size, 32), as each mode computes them (the BN
    layer of the first hidden layer differs between modes too): ``pre["train"]``, ``pre["eval"]``.
    ``x_hat[mode]`` is what that BN layer makes of them, equation (2.9) (``None`` without BN).

    The gap: the validation images are cut into batches of ``batch_size`` (``len(order)`` of them, the rest
    left out) and passed through the network in training mode; ``changed`` is the fraction of them whose
    predicted class differs from evaluation mode, ``mean_abs_diff`` the mean |difference| between the two
    modes' probabilities of the class evaluation mode predicts. ``accuracy[mode]`` is the accuracy on those
    images in each mode; ``order`` the indices of those validation images, batch after batch (the first
    batch is the one of ``pre``). ``model`` is the trained network, left in evaluation mode with its running
    statistics as training left them (read it; do not train it further). ``message`` says if training
    diverged (then the numbers are NaN).
    """

    batch_size: int
    batch_norm: bool
    seed: int
    pre: dict
    x_hat: dict | None
    changed: float
    mean_abs_diff: float
    accuracy: dict
    order: np.ndarray
    model: object
    message: str | None = None


def _check_batch(batch_size, batch_norm, seed):
    check_choice(batch_size, "batch_size", EXPLORER_BATCH_SIZES)
    if not isinstance(batch_norm, (bool, np.bool_)):
        raise ValueError(f"batch_norm must be True or False, got {batch_norm!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")


def _pass(model, x):
    """The logits of ``x``, the input of the second hidden layer's BN layer (the second Dense layer's
    output) and that BN layer's x_hat (None without BN), in the model's current mode."""
    dense, z, x_hat = 0, None, None
    for layer in model:
        x, cache = layer.forward(x)
        if isinstance(layer, Dense):
            dense += 1
            if dense == 2:
                z = x
        elif isinstance(layer, BatchNorm1d) and dense == 2:
            x_hat = cache[1]
    return x, z, x_hat


@lru_cache(maxsize=64)
def batchnorm_run(batch_size: int, batch_norm: bool, seed: int = 0) -> BatchNormRun:
    """Train ``mlp(EXPLORER_SIZES, batch_norm=batch_norm)`` on 1000 digits for :data:`EXPLORER_STEPS` steps
    of Adam with mini-batches of ``batch_size``, then compare training and evaluation mode (see
    :class:`BatchNormRun`). The seed draws the initial weights, the mini-batches and the validation batches.
    """
    _check_batch(batch_size, batch_norm, seed)
    batch_norm = bool(batch_norm)
    (X, y), (X_val, y_val) = _digits()
    rng = np.random.default_rng(seed)
    model = mlp(list(EXPLORER_SIZES), activation="relu", rng=rng, batch_norm=batch_norm)
    # exactly EXPLORER_STEPS full mini-batches: the training images in shuffled passes, one after another
    n = EXPLORER_STEPS * batch_size
    order = np.concatenate([rng.permutation(len(X)) for _ in range(-(-n // len(X)))])[:n]
    history = fit(model, "cross_entropy", get_optimizer("adam", model.parameters(), lr=EXPLORER_LR),
                  X[order], y[order], epochs=1, batch_size=batch_size, rng=rng)
    val_order = rng.permutation(len(X_val))[:len(X_val) // batch_size * batch_size]
    first = X_val[val_order[:batch_size]]
    if history.diverged_at_step is not None:
        nan = float("nan")
        return BatchNormRun(batch_size, batch_norm, seed, {}, None, nan, nan, {"train": nan, "eval": nan},
                            val_order, model, history.message)
    # Training mode on a copy, so that the model's running statistics stay as training left them.
    training = copy.deepcopy(model).train()
    model.eval()
    pre, x_hat = {}, {}
    for mode, net in (("train", training), ("eval", model)):
        _, pre[mode], x_hat[mode] = _pass(net, first)
    p_eval = softmax(_pass(model, X_val[val_order])[0], axis=1)
    p_train = np.vstack([softmax(_pass(training, X_val[val_order[k:k + batch_size]])[0], axis=1)
                         for k in range(0, len(val_order), batch_size)])
    labels = y_val[val_order]
    predicted = p_eval.argmax(axis=1)
    rows = np.arange(len(labels))
    return BatchNormRun(
        batch_size, batch_norm, seed, pre, x_hat if batch_norm else None,
        changed=float(np.mean(p_train.argmax(axis=1) != predicted)),
        mean_abs_diff=float(np.mean(np.abs(p_train[rows, predicted] - p_eval[rows, predicted]))),
        accuracy={"train": float(np.mean(p_train.argmax(axis=1) == labels)),
                  "eval": float(np.mean(predicted == labels))},
        order=val_order, model=model)


@dataclass(frozen=True)
class BatchNormView:
    """What the batch-norm explorer draws for one setting.

    ``before`` and ``after`` are histograms (fraction of the values in each bin of :data:`BEFORE_BINS` and
    :data:`AFTER_BINS`; values beyond the bins count in the outermost ones) of ``run.pre[mode]`` and
    ``run.x_hat[mode]`` (``after`` is None without BN). ``changed_with_bn`` and ``changed_without_bn`` are
    the fractions of validation predictions that differ between the two modes, for every batch size of
    ``sizes`` (:data:`EXPLORER_BATCH_SIZES`), with and without BN.
    """

    run: BatchNormRun
    mode: str
    before: np.ndarray
    after: np.ndarray | None
    sizes: tuple
    changed_with_bn: np.ndarray
    changed_without_bn: np.ndarray


def _histogram(values: np.ndarray, bins: np.ndarray) -> np.ndarray:
    clipped = np.clip(values.ravel(), bins[0], bins[-1])
    return np.histogram(clipped, bins=bins)[0] / clipped.size


def batchnorm_view(batch_size: int, batch_norm: bool, mode: str, seed: int = 0) -> BatchNormView:
    """The explorer's view: the run for these settings, its histograms in ``mode`` ("train" or "eval") and
    the train/eval gap against the batch size, with and without BN."""
    _check_batch(batch_size, batch_norm, seed)
    check_choice(mode, "mode", ("train", "eval"))
    run = batchnorm_run(batch_size, bool(batch_norm), seed)
    with_bn, without_bn = (np.array([batchnorm_run(b, bn, seed).changed for b in EXPLORER_BATCH_SIZES])
                           for bn in (True, False))
    if run.message:
        return BatchNormView(run, mode, np.zeros(len(BEFORE_BINS) - 1), None, EXPLORER_BATCH_SIZES, with_bn,
                             without_bn)
    after = _histogram(run.x_hat[mode], AFTER_BINS) if run.x_hat is not None else None
    return BatchNormView(run, mode, _histogram(run.pre[mode], BEFORE_BINS), after, EXPLORER_BATCH_SIZES,
                         with_bn, without_bn)
