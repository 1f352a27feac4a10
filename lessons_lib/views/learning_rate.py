"""Section 2.3.5 — what the learning-rate explorer draws: the range test, training curves, an optimizer race."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import check_choice, check_positive, check_positive_int
from ..datasets import make_moons
from ..losses import CrossEntropyLoss
from ..lr_finder import lr_range_test
from ..network import mlp
from ..optimizers import get_optimizer
from ..parameter import Parameter
from ..training import evaluate, fit

#: Name shown to the student -> (optimizer, extra hyperparameters).
OPTIMIZER_CHOICES = {
    "SGD": ("sgd", {}),
    "momentum": ("sgd", {"momentum": 0.9}),
    "Nesterov": ("sgd", {"momentum": 0.9, "nesterov": True}),
    "RMSProp": ("rmsprop", {}),
    "Adam": ("adam", {}),
    "AdaMax": ("adamax", {}),
    "Nadam": ("nadam", {}),
    "AdamW": ("adamw", {}),
}


def make_optimizer(choice: str, params, lr: float):
    check_choice(choice, "optimizer", OPTIMIZER_CHOICES)
    name, extra = OPTIMIZER_CHOICES[choice]
    return get_optimizer(name, params, lr=lr, **extra)


# -- the task: two moons, a small MLP ----------------------------------------------------------------------

def _task(seed: int):
    X, y = make_moons(600, rng=seed, noise=0.2)
    return (X[:480], y[:480]), (X[480:], y[480:])


def _model(seed: int):
    return mlp([2, 32, 32, 2], activation="relu", rng=seed)


@dataclass(frozen=True)
class RangeTestView:
    lrs: np.ndarray
    smoothed: np.ndarray
    suggested_lr: float
    stopped_early: bool


@lru_cache(maxsize=16)
def range_test_view(optimizer: str, seed: int = 0, num_steps: int = 300,
                    smoothing: float = 0.9) -> RangeTestView:
    """The learning-rate range test (1e-5 → 10) on the moons task for one optimizer; cached per optimizer.

    300 steps (20 passes over the 480 training points) and a moving average that remembers about the last
    10 steps: the average trails the raw loss by about ``smoothing / (1 - smoothing)`` = 9 steps, in which
    the rate grows by a factor of about 1.5, so the minimum of the smoothed curve lies only that much to the
    right of the raw loss's turning point.
    """
    (X, y), _ = _task(seed)
    model = _model(seed)
    opt = make_optimizer(optimizer, model.parameters(), lr=1e-5)
    r = lr_range_test(model, CrossEntropyLoss(), opt, X, y, rng=seed, num_steps=num_steps, batch_size=32,
                      smoothing=smoothing)
    return RangeTestView(r.lrs, r.smoothed, r.suggested_lr, r.stopped_early)


@dataclass(frozen=True)
class TrainingView:
    epochs: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    #: Validation loss of the untrained network: a run that ends above it has diverged.
    initial_loss: float
    message: str
    diverged: bool


# Cached: the explorer calls this on every change, and moving an unrelated control (the race surface)
# must not retrain the network.
@lru_cache(maxsize=64)
def training_view(optimizer: str, lr: float, epochs: int = 20, seed: int = 0) -> TrainingView:
    """Train the moons MLP from the same initial weights with this optimizer and learning rate."""
    check_positive(lr, "lr")
    epochs = check_positive_int(epochs, "epochs")
    (X, y), val = _task(seed)
    model = _model(seed)
    opt = make_optimizer(optimizer, model.parameters(), lr=lr)
    initial, _ = evaluate(model, CrossEntropyLoss(), *val)
    h = fit(model, CrossEntropyLoss(), opt, X, y, epochs=epochs, batch_size=32, rng=seed, validation_data=val)
    n = len(h.val_loss)
    message, diverged = h.message, h.diverged_at_step is not None
    if not diverged and n and not h.val_loss[-1] < initial:
        # Not a NaN, but no better than the untrained network: steps this large overshoot every minimum.
        message = (f"the loss ended at {h.val_loss[-1]:.3g}, no lower than the untrained network's "
                   f"{initial:.3g}: the learning rate is too large.")
        diverged = True
    return TrainingView(np.arange(1, n + 1), np.array(h.train_loss[:n]), np.array(h.val_loss),
                        np.array(h.val_accuracy), float(initial), message, diverged)


# -- the race on a 2-D surface ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Surface:
    name: str
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def value(self, x, y):
        if self.name == "ravine":
            # A long narrow valley: 20x steeper across (y) than along (x).
            return 0.5 * (x ** 2 + 20.0 * y ** 2)
        return (1.0 - x) ** 2 + 100.0 * (y - x ** 2) ** 2  # Rosenbrock's banana

    def gradient(self, x, y):
        if self.name == "ravine":
            return np.array([x, 20.0 * y])
        return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x ** 2), 200.0 * (y - x ** 2)])


SURFACES = {
    "ravine": Surface("ravine", (-4.0, 1.5), (0.0, 0.0), (-4.5, 1.5), (-2.0, 2.0)),
    "Rosenbrock": Surface("rosenbrock", (-1.5, 2.0), (1.0, 1.0), (-2.0, 2.0), (-1.0, 3.0)),
}
RACE_OPTIMIZERS = ("SGD", "momentum", "RMSProp", "Adam")

# Far outside the plotted window a path has diverged; stop it there instead of overflowing.
_ESCAPE = 1e3


@dataclass(frozen=True)
class Path:
    optimizer: str
    points: np.ndarray          # (steps + 1, 2), or fewer if it diverged
    final_loss: float
    diverged_at: int | None


@dataclass(frozen=True)
class RaceView:
    surface: Surface
    grid_x: np.ndarray
    grid_y: np.ndarray
    grid_z: np.ndarray
    paths: tuple[Path, ...]
    #: Each path's learning rate, when they differ (:func:`race_at_own_rates`); None: all ran at one rate.
    rates: tuple[float, ...] | None = None


@lru_cache(maxsize=4)
def _grid(name: str, n: int = 120):
    s = SURFACES[name]
    gx, gy = np.meshgrid(np.linspace(*s.xlim, n), np.linspace(*s.ylim, n))
    return gx, gy, s.value(gx, gy)


@lru_cache(maxsize=64)
def race_view(surface: str, lr: float, steps: int = 150, optimizers=RACE_OPTIMIZERS) -> RaceView:
    """Run each optimizer from the same start on a 2-D surface, with the same learning rate."""
    check_choice(surface, "surface", SURFACES)
    check_positive(lr, "lr")
    steps = check_positive_int(steps, "steps")
    s = SURFACES[surface]
    paths = []
    for name in optimizers:
        p = Parameter(np.array(s.start, dtype=float))
        opt = make_optimizer(name, [p], lr=lr)
        points, diverged_at = [p.value.copy()], None
        for k in range(1, steps + 1):
            p.grad[...] = s.gradient(*p.value)
            opt.step()
            if not np.all(np.isfinite(p.value)) or np.max(np.abs(p.value)) > _ESCAPE:
                diverged_at = k
                break
            points.append(p.value.copy())
        last = points[-1]
        paths.append(Path(name, np.array(points), float(s.value(*last)), diverged_at))
    return RaceView(s, *_grid(surface), tuple(paths))


def own_rates(chosen: str, lr: float, optimizers=RACE_OPTIMIZERS) -> tuple[float, ...]:
    """A learning rate per optimizer: ``chosen`` runs at ``lr``, each other one at its own range-test
    suggestion times the same factor, ``lr / suggestion(chosen)`` (so "ten times the suggestion" means that
    for every optimizer)."""
    check_choice(chosen, "chosen", OPTIMIZER_CHOICES)
    check_positive(lr, "lr")
    scale = lr / range_test_view(chosen).suggested_lr
    return tuple(float(lr) if name == chosen else float(scale * range_test_view(name).suggested_lr)
                 for name in optimizers)


@lru_cache(maxsize=64)
def race_at_own_rates(surface: str, chosen: str, lr: float, steps: int = 150,
                      optimizers=RACE_OPTIMIZERS) -> RaceView:
    """The race of :func:`race_view` with each optimizer at its own learning rate (:func:`own_rates`): a
    learning rate belongs to an optimizer, and good rates for SGD and Adam differ by orders of magnitude."""
    check_choice(surface, "surface", SURFACES)
    optimizers = tuple(optimizers) + ((chosen,) if chosen not in optimizers else ())
    rates = own_rates(chosen, lr, optimizers)
    paths = tuple(race_view(surface, rate, steps, (name,)).paths[0] for name, rate in zip(optimizers, rates))
    return RaceView(SURFACES[surface], *_grid(surface), paths, rates)


# -- many training runs at once, for statistics over seeds --------------------------------------------------

@dataclass(frozen=True)
class SweepView:
    """One row per run: the run ``k`` trained ``optimizer`` at ``lrs[k]`` on the task of ``seeds[k]``."""

    optimizer: str
    seeds: tuple[int, ...]
    lrs: np.ndarray             # (runs,)
    val_loss: np.ndarray        # (runs, epochs), NaN from the epoch where a run diverged
    val_accuracy: np.ndarray    # (runs, epochs), NaN from the epoch where a run diverged
    initial_loss: np.ndarray    # (runs,) validation loss of each untrained network

    @property
    def final_accuracy(self) -> np.ndarray:
        """Validation accuracy after the last epoch; 0 for a run that diverged (a failed run)."""
        return np.nan_to_num(self.val_accuracy[:, -1], nan=0.0)


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@lru_cache(maxsize=16)
def training_sweep(optimizer: str, runs: tuple[tuple[int, float], ...], epochs: int = 20) -> SweepView:
    """``training_view(optimizer, lr, epochs, seed)`` for every ``(seed, lr)`` in ``runs``, in one batched run.

    The networks are stacked along a leading axis, so every matrix product and every optimizer step
    serves all runs at once; they never interact. Each run starts from the weights of ``_model(seed)``,
    trains on the data of ``_task(seed)`` and sees the mini-batches in the order ``fit(..., rng=seed)``
    draws, so its numbers agree with :func:`training_view` up to floating-point rounding (which a run at
    the edge of stability can amplify, exactly as two machines would). Ten runs cost about as much as
    two or three separate ones, which is what makes statistics over seeds affordable in the book.

    Parameters
    ----------
    optimizer : str
        A key of :data:`OPTIMIZER_CHOICES`.
    runs : tuple of (int, float)
        ``(seed, learning rate)`` pairs, at least one; the rates must be positive.
    epochs : int
        Passes over the 480 training points, in mini-batches of 32.
    """
    check_choice(optimizer, "optimizer", OPTIMIZER_CHOICES)
    epochs = check_positive_int(epochs, "epochs")
    try:
        runs = tuple((int(seed), float(lr)) for seed, lr in runs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"runs must be a sequence of (seed, learning rate) pairs, got {runs!r}") from exc
    if not runs:
        raise ValueError("runs must hold at least one (seed, learning rate) pair")
    for _, lr in runs:
        check_positive(lr, "lr")
    seeds = tuple(seed for seed, _ in runs)
    lrs = np.array([lr for _, lr in runs])
    tasks = [_task(seed) for seed in seeds]
    X = np.stack([t[0][0] for t in tasks])                    # (runs, 480, 2)
    y = np.stack([t[0][1] for t in tasks]).astype(np.int64)  # (runs, 480)
    X_val = np.stack([t[1][0] for t in tasks])
    y_val = np.stack([t[1][1] for t in tasks]).astype(np.int64)
    models = [_model(seed) for seed in seeds]
    dense = [[layer for layer in m.layers if hasattr(layer, "W")] for m in models]
    n_layers = len(dense[0])
    Ws = [Parameter(np.stack([d[k].W.value for d in dense]), f"W{k}") for k in range(n_layers)]
    bs = [Parameter(np.stack([d[k].b.value for d in dense])[:, None, :], f"b{k}") for k in range(n_layers)]
    opt = make_optimizer(optimizer, [p for pair in zip(Ws, bs) for p in pair], lr=1.0)
    # The optimizers multiply their steps by ``self.lr``; an array of shape (runs, 1, 1) gives every
    # stacked network its own rate.
    opt.lr = lrs[:, None, None]
    rngs = [np.random.default_rng(seed) for seed in seeds]
    R, n = len(runs), X.shape[1]
    rows = np.arange(R)[:, None]

    def forward(x):
        inputs, masks = [], []
        for k in range(n_layers):
            inputs.append(x)
            x = x @ Ws[k].value + bs[k].value
            if k < n_layers - 1:
                masks.append(x > 0)
                x = np.maximum(x, 0.0)
        return x, inputs, masks

    def loss_and_accuracy(x, labels):
        logits = forward(x)[0]
        logp = _log_softmax(logits)
        loss = -np.take_along_axis(logp, labels[:, :, None], axis=2)[:, :, 0].mean(axis=1)
        return loss, (logits.argmax(axis=2) == labels).mean(axis=1)

    val_loss, val_acc = np.full((R, epochs), np.nan), np.full((R, epochs), np.nan)
    alive = np.ones(R, dtype=bool)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        initial = loss_and_accuracy(X_val, y_val)[0]
        for epoch in range(epochs):
            order = np.stack([r.permutation(n) for r in rngs])
            Xs, ys = X[rows, order], y[rows, order]
            for start in range(0, n, 32):
                xb, yb = Xs[:, start:start + 32], ys[:, start:start + 32]
                logits, inputs, masks = forward(xb)
                grad = np.exp(_log_softmax(logits))               # softmax, then minus the one-hot target
                np.put_along_axis(grad, yb[:, :, None],
                                  np.take_along_axis(grad, yb[:, :, None], axis=2) - 1.0, axis=2)
                grad /= xb.shape[1]
                # fit stops a run whose loss is not finite; here it is frozen as failed from that step on
                alive &= np.all(np.isfinite(logits), axis=(1, 2))
                for k in range(n_layers - 1, -1, -1):
                    Ws[k].grad = inputs[k].transpose(0, 2, 1) @ grad
                    bs[k].grad = grad.sum(axis=1, keepdims=True)
                    if k > 0:
                        grad = (grad @ Ws[k].value.transpose(0, 2, 1)) * masks[k - 1]
                opt.step()
            loss, acc = loss_and_accuracy(X_val, y_val)
            val_loss[alive, epoch], val_acc[alive, epoch] = loss[alive], acc[alive]
    return SweepView(optimizer, seeds, lrs, val_loss, val_acc, initial)
