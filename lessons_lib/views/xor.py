"""Section 2.3 — what the XOR explorer draws: one seeded training run of a small MLP on XOR, step by step.

The network is the one of the section, ``mlp([2, hidden, 1], activation="tanh", init="glorot_uniform")``,
trained by :func:`lessons_lib.training.fit` with plain gradient descent (``SGD``, learning rate 0.5) on the
four XOR examples, all four in every step, and the binary cross-entropy of its logit. One generator,
``np.random.default_rng(seed)``, draws the initial weights and then the (irrelevant) order of the examples,
as in the section's exercise 3. The run keeps the weights after every step, so the explorer can show any
step of it without training again.

numpy only (no matplotlib): :mod:`lessons_lib.explorers.xor` draws what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._validation import as_float_array, check_positive, check_positive_int
from ..layers import Dense
from ..network import Sequential, mlp
from ..optimizers import SGD
from ..training import evaluate, fit, predict

__all__ = ["XOR_X", "XOR_Y", "PLANE", "XORRun", "xor_run", "xor_network", "line_in_box", "XORView", "xor_view",
           "solved_count"]

#: The four inputs and their XOR.
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
#: The square of the input plane that the explorer shows (both coordinates).
PLANE = (-0.5, 1.5)


@dataclass(frozen=True)
class XORRun:
    """The weights of one training run after every step (index 0: the initial weights).

    ``W1[t]`` (2, hidden) and ``b1[t]`` (hidden,) are the hidden layer after ``t`` steps, ``W2[t]``
    (hidden,) and ``b2[t]`` (a number) the output unit; ``loss[t]`` is the mean binary cross-entropy of the
    four examples with those weights. ``message`` says how training ended.
    """

    hidden: int
    seed: int
    lr: float
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    loss: np.ndarray
    message: str

    @property
    def steps(self) -> int:
        """Steps completed (the last index of the arrays)."""
        return len(self.loss) - 1


def _dense_layers(net: Sequential) -> list[Dense]:
    return [layer for layer in net if isinstance(layer, Dense)]


@lru_cache(maxsize=64)
def xor_run(hidden: int, seed: int = 0, steps: int = 500, lr: float = 0.5) -> XORRun:
    """Train ``mlp([2, hidden, 1])`` on XOR for ``steps`` steps from ``seed``; keep every step's weights.

    Cached: the explorer's step slider reads this run, it does not train again. ``loss[t]`` for ``t <
    steps`` is the loss that :func:`fit` records before step ``t + 1`` (the four examples, with the weights
    after ``t`` steps); the last one is evaluated after the last step.
    """
    hidden = check_positive_int(hidden, "hidden")
    seed = check_positive_int(seed, "seed", minimum=0)
    steps = check_positive_int(steps, "steps")
    lr = check_positive(lr, "lr")
    rng = np.random.default_rng(seed)
    net = mlp([2, hidden, 1], activation="tanh", rng=rng, init="glorot_uniform")
    first, second = _dense_layers(net)
    snapshots = []

    def keep(*_):
        snapshots.append((first.W.value.copy(), first.b.value.copy(), second.W.value[:, 0].copy(),
                          float(second.b.value[0])))

    keep()
    history = fit(net, "bce_with_logits", SGD(net.parameters(), lr=lr), XOR_X, XOR_Y, epochs=steps, batch_size=4,
                  rng=rng, callback=keep)
    done = history.epochs_completed
    final, _ = evaluate(net, "bce_with_logits", XOR_X, XOR_Y)
    loss = np.array(history.train_loss[:done] + [final])
    W1, b1, W2, b2 = (np.array(part) for part in zip(*snapshots[:done + 1]))
    return XORRun(hidden, seed, lr, W1, b1, W2, b2, loss, history.message)


def xor_network(run: XORRun, step: int) -> Sequential:
    """The network of ``run`` after ``step`` steps, as an ordinary :class:`Sequential` (a fresh copy)."""
    step = check_positive_int(step, "step", minimum=0)
    if step > run.steps:
        raise ValueError(f"step must be at most {run.steps} (the run's last step), got {step}")
    net = mlp([2, run.hidden, 1], activation="tanh", rng=0, init="glorot_uniform")
    first, second = _dense_layers(net)
    first.W.value[...] = run.W1[step]
    first.b.value[...] = run.b1[step]
    second.W.value[:, 0] = run.W2[step]
    second.b.value[0] = run.b2[step]
    return net


def line_in_box(w, b: float, low: float = PLANE[0], high: float = PLANE[1]) -> np.ndarray:
    """The part of the line ``w[0] x + w[1] y + b = 0`` inside the square ``[low, high]²``: its two end points.

    Returns a (2, 2) array, one end point per row; NaN where the line misses the square (or ``w`` is 0, so
    that there is no line).
    """
    w = as_float_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must hold two weights, got shape {w.shape}")
    if not high > low:
        raise ValueError(f"high must be larger than low, got low={low!r}, high={high!r}")
    norm2 = float(w @ w)
    missing = np.full((2, 2), np.nan)
    if norm2 == 0.0:
        return missing
    point = -b * w / norm2                          # the point of the line nearest the origin
    direction = np.array([-w[1], w[0]])             # along the line
    t_low, t_high = -np.inf, np.inf
    for p, d in zip(point, direction):
        if d == 0.0:
            if not low <= p <= high:
                return missing
            continue
        a, c = sorted(((low - p) / d, (high - p) / d))
        t_low, t_high = max(t_low, a), min(t_high, c)
    if not t_low <= t_high:
        return missing
    return np.array([point + t_low * direction, point + t_high * direction])


@dataclass(frozen=True)
class XORView:
    """One step of one run: the hidden units' lines, the output's probability over the plane, the loss.

    ``lines[k]`` holds the end points of hidden unit ``k``'s line (where its net input ``w·x + b`` is 0)
    inside the plane, NaN if it misses it; ``probability[i, j]`` is P(XOR = 1) at ``(grid[j], grid[i])``;
    ``answers`` the network's answers (0 or 1) to the four inputs, ``correct`` how many are right.
    """

    hidden: int
    seed: int
    step: int
    lines: np.ndarray
    grid: np.ndarray
    probability: np.ndarray
    answers: np.ndarray
    correct: int
    loss: np.ndarray
    message: str

    @property
    def loss_now(self) -> float:
        return float(self.loss[self.step])


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))            # no overflow for large |z|


def xor_view(hidden: int, step: int, seed: int = 0, steps: int = 500, resolution: int = 101) -> XORView:
    """What the explorer shows for ``hidden`` units after ``step`` steps of the run from ``seed`` (cached)."""
    hidden = check_positive_int(hidden, "hidden")
    step = check_positive_int(step, "step", minimum=0)
    seed = check_positive_int(seed, "seed", minimum=0)
    steps = check_positive_int(steps, "steps")
    resolution = check_positive_int(resolution, "resolution", minimum=2)
    return _xor_view(hidden, step, seed, steps, resolution)


@lru_cache(maxsize=256)
def _xor_view(hidden, step, seed, steps, resolution) -> XORView:
    run = xor_run(hidden, seed, steps)
    step = min(step, run.steps)                      # a run that stopped early shows its last step
    net = xor_network(run, step)
    lines = np.array([line_in_box(run.W1[step][:, k], run.b1[step][k]) for k in range(run.hidden)])
    grid = np.linspace(*PLANE, resolution)
    gx, gy = np.meshgrid(grid, grid)
    probability = _sigmoid(predict(net, np.column_stack([gx.ravel(), gy.ravel()]))[:, 0]).reshape(gx.shape)
    answers = (predict(net, XOR_X)[:, 0] > 0).astype(int)
    return XORView(run.hidden, run.seed, step, lines, grid, probability, answers,
                   int(np.count_nonzero(answers == XOR_Y)), run.loss, run.message)


def solved_count(hidden: int, seeds, steps: int = 500, threshold: float = 0.05) -> int:
    """Of the runs from ``seeds``, how many end with all four answers right and a loss below ``threshold``."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    threshold = check_positive(threshold, "threshold")
    solved = 0
    for seed in seeds:
        run = xor_run(hidden, seed, steps)
        answers = (predict(xor_network(run, run.steps), XOR_X)[:, 0] > 0).astype(int)
        solved += bool(np.array_equal(answers, XOR_Y) and run.loss[-1] < threshold)
    return solved
