"""Sections 2.2 and 2.2.1 — the geometry of a threshold logic unit and the moments of a training run.

numpy only. :func:`tlu_region` clips a 2-D TLU's firing half-plane to a plotting box, :func:`snapshot_steps`
picks which moments of a :class:`~lessons_lib.perceptron.PerceptronHistory` a small multiple should show,
:func:`trace_table` prints a run instance by instance, and :func:`convergence_bound` evaluates the perceptron
convergence theorem's bound for a separating unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive_int


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
