"""Small data sets for the chapters: seeded toy problems and the 8x8 handwritten digits.

Every generator takes ``rng`` (a ``numpy.random.Generator`` or an integer seed), so the same call always
returns the same data and nothing touches numpy's global random state. Classification sets return
``X`` of shape (N, 2) and integer labels ``y`` of shape (N,), shuffled so that the classes are mixed.

* :func:`make_blobs` -- two Gaussian clouds, guaranteed linearly separable (the perceptron's home turf);
* :func:`make_xor` -- the four quadrants labelled by XOR, which no single line separates;
* :func:`make_moons` -- two interleaved half circles;
* :func:`make_spirals` -- two or more interleaved spiral arms (needs a deeper network);
* :func:`make_regression` -- a noisy 1-D curve;
* :func:`load_digits` -- 1797 real 8x8 images of handwritten digits, shipped with the package.
"""

from __future__ import annotations

import functools
import gzip
import io
from collections.abc import Callable
from importlib import resources

import numpy as np

from ._validation import as_float_array, check_nonnegative, check_positive, check_positive_int, check_rng

__all__ = ["make_blobs", "make_xor", "make_moons", "make_spirals", "make_regression", "load_digits"]


def _shuffled(rng: np.random.Generator, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(X))
    return X[order], y[order]


def _split(n_samples: int, n_classes: int) -> list[int]:
    """Class sizes as equal as possible, adding up to n_samples."""
    return [n_samples // n_classes + (1 if c < n_samples % n_classes else 0) for c in range(n_classes)]


def make_blobs(n_samples: int = 100, rng=0, separation: float = 4.0, std: float = 1.0,
               margin: float | None = None, n_features: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds of points that a straight line separates, with labels 0 and 1.

    The centres lie at ``-/+ separation/2`` along a random unit direction ``u``. Points whose projection
    on ``u`` would fall within ``margin`` of the midpoint (or on the wrong side) are drawn again, so the
    classes are separated by the hyperplane ``u . x = 0`` with a gap of ``2 * margin`` -- the data is
    linearly separable by construction and the perceptron is guaranteed to converge on it.

    Parameters
    ----------
    n_samples : int
        Total number of points (split as evenly as possible between the two classes).
    separation : float
        Distance between the two centres, > 0.
    std : float
        Standard deviation of each cloud, > 0.
    margin : float, optional
        Half-width of the empty band between the classes; default ``separation / 10``.
        Must be smaller than ``separation / 2``.
    """
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    n_features = check_positive_int(n_features, "n_features")
    separation = check_positive(separation, "separation")
    std = check_positive(std, "std")
    margin = separation / 10 if margin is None else check_nonnegative(margin, "margin")
    if margin >= separation / 2:
        raise ValueError(f"margin must be smaller than separation / 2 = {separation / 2}, got {margin}")
    rng = check_rng(rng)
    u = rng.normal(size=n_features)
    u /= np.linalg.norm(u)
    X_parts, y_parts = [], []
    for label, n in enumerate(_split(n_samples, 2)):
        sign = 1.0 if label == 1 else -1.0
        centre = sign * separation / 2 * u
        points = centre + std * rng.normal(size=(n, n_features))
        # rejection: redraw the few points that stray into the band or across it
        for _ in range(10_000):
            bad = sign * (points @ u) < margin
            if not bad.any():
                break
            points[bad] = centre + std * rng.normal(size=(int(bad.sum()), n_features))
        else:  # pragma: no cover - only with absurd std / separation ratios
            raise ValueError("std is too large for this separation: could not draw separable points")
        X_parts.append(points)
        y_parts.append(np.full(n, label))
    return _shuffled(rng, np.concatenate(X_parts), np.concatenate(y_parts))


def make_xor(n_samples: int = 200, rng=0, margin: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in the square [-1, 1]^2, labelled 1 when exactly one coordinate is positive.

    Points closer than ``margin`` to either axis are left out, so the four quadrants are clearly apart;
    still, no single line separates the labels.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    margin = check_nonnegative(margin, "margin")
    if margin >= 1:
        raise ValueError(f"margin must be < 1, got {margin}")
    rng = check_rng(rng)
    # |coordinate| uniform on [margin, 1], sign random: uniform over the square minus the bands
    X = rng.uniform(margin, 1.0, size=(n_samples, 2)) * rng.choice([-1.0, 1.0], size=(n_samples, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    return X, y


def make_moons(n_samples: int = 200, rng=0, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles of radius 1: class 0 on top, class 1 below and shifted by (1, -0.5)."""
    n_samples = check_positive_int(n_samples, "n_samples", minimum=2)
    noise = check_nonnegative(noise, "noise")
    rng = check_rng(rng)
    n0, n1 = _split(n_samples, 2)
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.concatenate([upper, lower]) + noise * rng.normal(size=(n_samples, 2))
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    return _shuffled(rng, X, y)


def make_spirals(n_samples: int = 300, rng=0, n_classes: int = 2, noise: float = 0.2,
                 turns: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` spiral arms winding out from the origin to radius 1, one class per arm.

    Point ``k`` of arm ``c`` sits at radius ``r = k / n`` and angle ``2 pi (turns r + c / n_classes)``,
    plus Gaussian noise of ``noise`` radians on the angle. One turn already defeats a linear model;
    more turns need more hidden units.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    if n_samples < n_classes:
        raise ValueError(f"n_samples must be at least n_classes = {n_classes}, got {n_samples}")
    noise = check_nonnegative(noise, "noise")
    turns = check_positive(turns, "turns")
    rng = check_rng(rng)
    X_parts, y_parts = [], []
    for c, n in enumerate(_split(n_samples, n_classes)):
        r = np.linspace(0.0, 1.0, n)
        angle = 2 * np.pi * (turns * r + c / n_classes) + noise * rng.normal(size=n)
        X_parts.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
        y_parts.append(np.full(n, c, dtype=np.int64))
    return _shuffled(rng, np.concatenate(X_parts), np.concatenate(y_parts))


def make_regression(n_samples: int = 100, rng=0, noise: float = 0.1, x_range: tuple[float, float] = (-3.0, 3.0),
                    function: Callable[[np.ndarray], np.ndarray] = np.sin) -> tuple[np.ndarray, np.ndarray]:
    """Noisy samples of a 1-D function: ``y = function(x) + noise * N(0, 1)`` with x uniform in x_range.

    Returns ``X`` and ``y`` both of shape (N, 1) -- one feature, one target -- sorted by x so that
    ``plt.plot(X, y)`` draws a curve. The default function is ``sin``.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = check_nonnegative(noise, "noise")
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError):
        raise ValueError(f"x_range must be a pair of numbers (low, high), got {x_range!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"x_range must be finite with low < high, got {x_range!r}")
    if not callable(function):
        raise ValueError(f"function must be callable, got {function!r}")
    rng = check_rng(rng)
    x = np.sort(rng.uniform(low, high, size=n_samples))
    clean = as_float_array(function(x), "function(x)")
    if clean.shape != x.shape:
        raise ValueError(f"function must map an array of shape {x.shape} to the same shape, got {clean.shape}")
    y = clean + noise * rng.normal(size=n_samples)
    return x[:, None], y[:, None]


_DIGITS_FILE = "digits.csv.gz"


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 handwritten digits: ``X`` (1797, 64) floats with pixel counts 0..16, ``y`` (1797,) labels 0..9.

    Each row of ``X`` is an 8x8 image read row by row (``X[i].reshape(8, 8)`` to draw it). The data is
    the test set of the UCI "Optical Recognition of Handwritten Digits" collection (Alpaydin & Kaynak,
    1998; CC BY 4.0), as redistributed by scikit-learn; see ``lessons_lib/data/LICENSE-digits.txt``.
    It ships inside the package, so no download is needed. Divide ``X`` by 16 to get values in [0, 1].
    """
    table = _digits_table()
    return table[:, :-1].astype(np.float64), table[:, -1].astype(np.int64)   # fresh copies every call


@functools.lru_cache(maxsize=1)
def _digits_table() -> np.ndarray:
    raw = resources.files("lessons_lib").joinpath("data").joinpath(_DIGITS_FILE).read_bytes()
    with gzip.open(io.BytesIO(raw), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    table.flags.writeable = False
    return table
