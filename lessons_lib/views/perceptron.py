"""Sections 2.2 and 2.2.1 — the geometry of a threshold logic unit and the moments of a training run.

numpy only. :func:`tlu_region` clips a 2-D TLU's firing half-plane to a plotting box, :func:`snapshot_steps`
picks which moments of a :class:`~lessons_lib.perceptron.PerceptronHistory` a small multiple should show,
:func:`trace_table` prints a run instance by instance, and :func:`convergence_bound` evaluates the perceptron
convergence theorem's bound for a separating unit. For the explorers: :func:`tlu_view` (a hand-set unit over a
labelled data set, its mistakes counted) and :func:`training_run` / :func:`update_view` (Rosenblatt's rule
replayed update by update from the library's own training history).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_choice, check_positive, check_positive_int
from ..datasets import make_blobs
from ..perceptron import Perceptron, step


@dataclass(frozen=True)
class TLURegion:
    """Where a 2-D TLU ``step(w . x + b)`` fires inside a rectangular box.

    ``firing`` holds the vertices of the convex polygon ``{x in box : w . x + b >= 0}`` in order around
    it (shape (k, 2), ``k = 0`` when the unit never fires in the box). ``boundary`` holds the two end
    points of the decision boundary ``w . x + b = 0`` inside the box (shape (2, 2)), or is ``None`` when
    the line misses the box or ``w = 0`` (then the unit's output does not depend on ``x``).
    """

    firing: np.ndarray
    boundary: np.ndarray | None


def _check_box(lim, name: str) -> tuple[float, float]:
    lim = as_float_array(lim, name, ndim=1)
    if lim.shape != (2,) or not lim[0] < lim[1]:
        raise ValueError(f"{name} must be a pair (low, high) with low < high, got {lim.tolist()}")
    return float(lim[0]), float(lim[1])


def tlu_region(w, b, xlim=(-1.0, 1.0), ylim=(-1.0, 1.0)) -> TLURegion:
    """The firing half-plane and the decision boundary of a TLU with two inputs, clipped to a box.

    The box is walked corner by corner; corners where ``z >= 0`` belong to the firing polygon, and where
    ``z`` changes sign along an edge, the crossing point (on the boundary) is added too. This is the
    Sutherland-Hodgman clipping of the box by one half-plane.
    """
    w = as_float_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must hold exactly two weights (a TLU with two inputs), got shape {w.shape}")
    b = float(as_float_array(b, "b", ndim=0))
    (x0, x1), (y0, y1) = _check_box(xlim, "xlim"), _check_box(ylim, "ylim")
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    z = corners @ w + b
    firing, crossings = [], []
    for k in range(4):
        p, q, zp, zq = corners[k], corners[(k + 1) % 4], z[k], z[(k + 1) % 4]
        if zp >= 0:
            firing.append(p)
        if (zp >= 0) != (zq >= 0) and zp != zq:
            t = zp / (zp - zq)
            point = p + t * (q - p)
            firing.append(point)
            crossings.append(point)
    boundary = None
    if np.any(w != 0) and len(crossings) == 2 and not np.allclose(crossings[0], crossings[1]):
        boundary = np.array(crossings)
    return TLURegion(firing=np.array(firing).reshape(-1, 2), boundary=boundary)


def snapshot_steps(history, n_panels: int = 6) -> list[int]:
    """Which moments of a training run a small multiple should draw, as numbers of presented instances.

    Entry ``k`` means "after ``k`` instances", i.e. the weights ``history.weights[k]``. The first panel is
    the start (``0``) and the last the end of the run (``history.n_steps``); the panels in between are the
    moments right after a weight update, all of them if they fit, else spread evenly over the run's updates
    (the first and the last update always included).
    """
    n_panels = check_positive_int(n_panels, "n_panels", minimum=2)
    updates = [k + 1 for k, wrong in enumerate(history.mistake) if wrong]
    end = history.n_steps
    updates = [k for k in updates if k != end]   # the end gets its own panel
    room = n_panels - 2
    if len(updates) > room:
        if room == 0:
            updates = []
        elif room == 1:
            updates = [updates[0]]
        else:
            picks = np.round(np.linspace(0, len(updates) - 1, room)).astype(int)
            updates = [updates[i] for i in picks]
    steps = [0, *updates, end]
    return sorted(set(steps))


def trace_table(history, X, y, max_rows: int | None = None) -> str:
    """A text table of a single-output run: one row per presented instance.

    Columns: epoch (1-based), the instance ``x``, its target ``y``, the prediction ``y_hat`` *before* the
    update, the error ``y - y_hat`` and the weights and bias *after* the step. Numbers are rounded to
    3 decimals so the text is stable.
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if history.weights[0].shape[1] != 1:
        raise ValueError("history must come from a Perceptron with one output unit (n_outputs=1)")
    n = history.n_steps if max_rows is None else min(history.n_steps, check_positive_int(max_rows, "max_rows"))

    def fmt(values) -> str:
        return "(" + ", ".join(f"{v:g}" for v in np.round(np.asarray(values, float), 3) + 0.0) + ")"

    rows = [("epoch", "x", "y", "y_hat", "y - y_hat", "w after", "b after")]
    for k in range(n):
        i = history.sample[k]
        w_before, b_before = history.weights[k][:, 0], history.biases[k][0]
        y_hat = 1 if X[i] @ w_before + b_before >= 0 else 0
        error = f"{y[i] - y_hat:+g}" if y[i] != y_hat else "0"
        rows.append((str(history.epoch[k] + 1), fmt(X[i]), f"{y[i]:g}", str(y_hat), error,
                     fmt(history.weights[k + 1][:, 0]), f"{round(float(history.biases[k + 1][0]), 3) + 0.0:g}"))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = [" | ".join(cell.rjust(wd) for cell, wd in zip(r, widths)) for r in rows]
    lines.insert(1, "-+-".join("-" * wd for wd in widths))
    return "\n".join(lines)


@dataclass(frozen=True)
class ConvergenceBound:
    """The numbers of the perceptron convergence theorem for data ``X, y`` and one separating unit.

    ``radius`` is R, the length of the longest input with a constant 1 appended (the bias as a weight);
    ``margin`` is gamma, the smallest signed distance ``(2 y - 1) (w . x + b) / ||(w, b)||`` over the
    instances (positive when the unit separates the classes); ``updates`` is the bound ``(R / gamma)^2``
    on the number of updates from zero weights, ``inf`` when the unit does not separate the data.
    """

    radius: float
    margin: float
    updates: float


def convergence_bound(X, y, w, b) -> ConvergenceBound:
    """R, gamma and Novikoff's bound ``(R / gamma)^2`` for the unit ``(w, b)`` on the 0/1 labels ``y``.

    Any separating unit gives a valid bound; the one with the largest margin gives the tightest.

    Parameters
    ----------
    X : array, shape (N, n)
        The instances.
    y : array of 0/1, shape (N,)
        Their labels.
    w : array, shape (n,) (or (n, 1), a one-unit perceptron's ``W``)
        The unit's weights.
    b : float (or shape (1,))
        Its bias.
    """
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one label per row of X; got {y.shape[0]} labels for {X.shape[0]} rows")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must contain only the binary labels 0 and 1")
    w = as_float_array(w, "w", ndim=(1, 2)).ravel()
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w must have one weight per column of X ({X.shape[1]}), got {w.shape[0]}")
    b_arr = as_float_array(b, "b", ndim=(0, 1)).ravel()
    if b_arr.size != 1:
        raise ValueError(f"b must be a single bias, got {b_arr.size} values")
    w_aug = np.append(w, b_arr[0])
    norm = float(np.linalg.norm(w_aug))
    if norm == 0.0:
        raise ValueError("w and b must not all be zero: a zero unit has no boundary and no margin")
    X_aug = np.column_stack([X, np.ones(len(X))])
    margin = float(np.min((2 * y - 1) * (X_aug @ w_aug)) / norm)
    radius = float(np.max(np.linalg.norm(X_aug, axis=1)))
    updates = (radius / margin) ** 2 if margin > 0 else float("inf")
    return ConvergenceBound(radius, margin, updates)


# ---------------------------------------------------------------------------------------------------------
# The explorers of sections 2.2 and 2.2.1
# ---------------------------------------------------------------------------------------------------------

#: The labelled data sets of the explorers: key -> name. "blobs" are the two clouds of section 2.2.1.
DATASETS = {"and": "AND", "or": "OR", "xor": "XOR", "blobs": "two clouds"}
#: The seed of section 2.2.1's generator: its first draw is the two clouds, the rest shuffles the training.
BLOBS_SEED = 2_2_1
_CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
_TARGETS = {"and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "xor": (0, 1, 1, 0)}


def _blobs_and_generator() -> tuple[np.ndarray, np.ndarray, np.random.Generator]:
    """Section 2.2.1's two clouds, and its generator in the state it was in after drawing them."""
    rng = np.random.default_rng(BLOBS_SEED)
    X, y = make_blobs(n_samples=40, rng=rng, separation=2.5, margin=0.2)
    return X + np.array([2.0, 1.0]), y, rng


@functools.cache
def explorer_data(data: str) -> tuple[np.ndarray, np.ndarray, tuple[float, float], tuple[float, float]]:
    """The instances ``X`` (N, 2), their 0/1 targets ``y`` and a square plotting box ``(xlim, ylim)`` around
    them, for a key of :data:`DATASETS`. AND, OR and XOR are the four corners of the unit square; "blobs"
    are the 40 points of section 2.2.1. The arrays are read-only (they are cached)."""
    check_choice(data, "data", DATASETS)
    if data == "blobs":
        X, y, _ = _blobs_and_generator()
        lo, hi = X.min(axis=0), X.max(axis=0)
        half, centre = 0.58 * float(np.max(hi - lo)), (lo + hi) / 2
        xlim, ylim = ((float(np.round(c - half, 1)), float(np.round(c + half, 1))) for c in centre)
    else:
        X, y = _CORNERS.copy(), np.array(_TARGETS[data], dtype=float)
        xlim = ylim = (-0.5, 1.5)
    X, y = X.astype(float), y.astype(float)
    X.flags.writeable = y.flags.writeable = False
    return X, y, xlim, ylim


def firing_grid(w, b, xlim, ylim, n: int = 240) -> np.ndarray:
    """Whether a TLU fires, ``step(w . x + b)``, at the centres of an ``n`` x ``n`` grid of pixels over the
    box (row 0 at the bottom: ``ylim[0]``), as 0/1 floats: the shading of the firing half-plane."""
    w = as_float_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must hold exactly two weights, got shape {w.shape}")
    b = float(as_float_array(b, "b", ndim=0))
    n = check_positive_int(n, "n", minimum=2)
    (x0, x1), (y0, y1) = _check_box(xlim, "xlim"), _check_box(ylim, "ylim")
    xs = x0 + (np.arange(n) + 0.5) * (x1 - x0) / n
    ys = y0 + (np.arange(n) + 0.5) * (y1 - y0) / n
    return step(w[0] * xs[None, :] + w[1] * ys[:, None] + b)


def normal_arrow(region: TLURegion, w, xlim, ylim, fraction: float = 0.22) -> np.ndarray | None:
    """The weight vector drawn where it explains the boundary: from the middle of the boundary, along
    ``w``, ``fraction`` of the box long (shortened to stay inside the box); ``(start, end)`` of shape (2, 2),
    or ``None`` when there is no boundary in the box."""
    w = as_float_array(w, "w", ndim=1)
    if region.boundary is None or not np.any(w != 0):
        return None
    (x0, x1), (y0, y1) = _check_box(xlim, "xlim"), _check_box(ylim, "ylim")
    start = region.boundary.mean(axis=0)
    u = w / np.linalg.norm(w)
    size = fraction * min(x1 - x0, y1 - y0)
    for d, (lo, hi) in enumerate(((x0, x1), (y0, y1))):
        if u[d] > 0:
            size = min(size, 0.95 * (hi - start[d]) / u[d])
        elif u[d] < 0:
            size = min(size, 0.95 * (lo - start[d]) / u[d])
    return np.array([start, start + size * u])


@dataclass(frozen=True)
class TLUView:
    """A hand-set TLU ``step(w . x + b)`` over a labelled data set, and its mistakes."""

    data: str
    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    b: float
    #: Net inputs ``z = X w + b`` and predictions ``step(z)`` of every instance.
    z: np.ndarray
    predictions: np.ndarray
    #: Which instances the unit gets wrong, and how many.
    wrong: np.ndarray
    errors: int
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    region: TLURegion
    #: The firing half-plane on a grid of pixels (see :func:`firing_grid`).
    firing: np.ndarray
    #: The weight vector drawn from the boundary (see :func:`normal_arrow`), or None.
    arrow: np.ndarray | None
    #: ``|b| / ||w||``, the distance of the boundary from the origin (None when w = 0).
    distance: float | None


def tlu_view(data: str, w1: float, w2: float, b: float) -> TLUView:
    """A TLU with weights ``(w1, w2)`` and bias ``b`` on the data set ``data`` (a key of :data:`DATASETS`):
    every net input and prediction, the misclassified instances, and what to draw."""
    X, y, xlim, ylim = explorer_data(data)
    w = np.array([_finite(w1, "w1"), _finite(w2, "w2")])
    b = _finite(b, "b")
    z = X @ w + b
    predictions = step(z)
    wrong = predictions != y
    region = tlu_region(w, b, xlim, ylim)
    norm = float(np.linalg.norm(w))
    return TLUView(data, X, y, w, b, z, predictions, wrong, int(wrong.sum()), xlim, ylim, region,
                   firing_grid(w, b, xlim, ylim), normal_arrow(region, w, xlim, ylim),
                   abs(b) / norm if norm > 0 else None)


def _finite(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


#: Epochs the training explorer allows: enough for AND, OR and the clouds to converge; XOR never does.
TRAINING_EPOCHS = 10


@dataclass(frozen=True)
class TrainingRun:
    """One run of :meth:`lessons_lib.perceptron.Perceptron.fit` from zero weights, as the explorer replays
    it: the library's history, and the run seen update by update.

    ``updates[u - 1]`` is the step of the history (the number of instances presented before it) at which
    update ``u`` happened, for ``u = 1 .. n_updates``; ``weights[u]`` and ``biases[u]`` are the parameters
    after ``u`` updates (``u = 0``: the start); ``errors[u]`` counts the training instances they misclassify.
    """

    data: str
    eta: float
    X: np.ndarray
    y: np.ndarray
    model: Perceptron
    updates: tuple[int, ...]
    weights: np.ndarray
    biases: np.ndarray
    errors: np.ndarray

    @property
    def n_updates(self) -> int:
        return len(self.updates)


@functools.lru_cache(maxsize=64)
def training_run(data: str, eta: float) -> TrainingRun:
    """Train a one-unit perceptron from zero weights with learning rate ``eta`` on ``data`` (a key of
    :data:`DATASETS`), for at most :data:`TRAINING_EPOCHS` epochs: AND, OR and XOR in the order of the truth
    table, the clouds shuffled anew each epoch by section 2.2.1's generator (the run of its figure at
    ``eta = 1``)."""
    check_choice(data, "data", DATASETS)
    eta = check_positive(eta, "eta")
    if data == "blobs":
        X, y, rng = _blobs_and_generator()
        model = Perceptron(2, eta=eta, rng=rng).fit(X, y, max_epochs=TRAINING_EPOCHS, shuffle=True)
    else:
        X, y, _, _ = explorer_data(data)
        model = Perceptron(2, eta=eta).fit(X, y, max_epochs=TRAINING_EPOCHS)
    hist = model.history
    updates = tuple(k for k, wrong in enumerate(hist.mistake) if wrong)
    moments = [0] + [k + 1 for k in updates]
    weights = np.array([hist.weights[k][:, 0] for k in moments])
    biases = np.array([hist.biases[k][0] for k in moments])
    errors = np.array([int(np.sum(step(X @ w_ + b_) != y)) for w_, b_ in zip(weights, biases)])
    return TrainingRun(data, eta, np.asarray(X, float), np.asarray(y, float), model, updates, weights, biases,
                       errors)


@dataclass(frozen=True)
class UpdateView:
    """Update ``update`` of a training run: the instance that caused it and the weights before and after.

    At ``update = 0`` (the start) there is no instance: ``sample`` is None and the "before" parameters
    equal the "after" ones. ``delta_w`` and ``delta_b`` are ``eta (y - y_hat) x`` and ``eta (y - y_hat)``.
    """

    run: TrainingRun
    update: int
    sample: int | None
    epoch: int | None
    x: np.ndarray | None
    target: float | None
    prediction: float | None
    w_before: np.ndarray
    b_before: float
    w_after: np.ndarray
    b_after: float
    delta_w: np.ndarray
    delta_b: float
    #: Training instances misclassified by the weights after this update.
    wrong: np.ndarray


def update_view(data: str, eta: float, update: int) -> UpdateView:
    """Update number ``update`` (0 = the start) of :func:`training_run` ``(data, eta)``; a number past the
    run's last update shows the last one."""
    run = training_run(data, eta)
    if isinstance(update, bool) or not isinstance(update, (int, np.integer)) or update < 0:
        raise ValueError(f"update must be an integer >= 0, got {update!r}")
    u = min(int(update), run.n_updates)
    w_after, b_after = run.weights[u], float(run.biases[u])
    if u == 0:
        sample = epoch = x = target = prediction = None
        w_before, b_before = w_after, b_after
    else:
        k = run.updates[u - 1]
        hist = run.model.history
        sample, epoch = hist.sample[k], hist.epoch[k]
        x, target = run.X[sample], float(run.y[sample])
        w_before, b_before = run.weights[u - 1], float(run.biases[u - 1])
        prediction = float(step(x @ w_before + b_before))
    wrong = step(run.X @ w_after + b_after) != run.y
    return UpdateView(run, u, sample, epoch, x, target, prediction, w_before, b_before, w_after, b_after,
                      w_after - w_before, b_after - b_before, wrong)
