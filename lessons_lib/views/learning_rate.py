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
def range_test_view(optimizer: str, seed: int = 0, num_steps: int = 120) -> RangeTestView:
    """The learning-rate range test (1e-5 → 10) on the moons task for one optimizer; cached per optimizer."""
    (X, y), _ = _task(seed)
    model = _model(seed)
    opt = make_optimizer(optimizer, model.parameters(), lr=1e-5)
    r = lr_range_test(model, CrossEntropyLoss(), opt, X, y, rng=seed, num_steps=num_steps, batch_size=32)
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
