"""Argument checks shared by every module.

Each check raises ``ValueError`` that names the argument and says what was expected, so a student who
passes the wrong thing reads *which* argument is wrong instead of a numpy traceback.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def as_float_array(x, name: str, ndim: int | Iterable[int] | None = None, finite: bool = True,
                   dtype=np.float64) -> np.ndarray:
    """Return ``x`` as a float array, checking its number of dimensions and finiteness."""
    try:
        arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be an array of numbers, got {type(x).__name__}") from exc
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf)")
    return arr


def check_positive(value, name: str) -> float:
    """A strictly positive finite number, e.g. a learning rate η > 0."""
    v = _number(value, name)
    if not v > 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return v


def check_nonnegative(value, name: str) -> float:
    v = _number(value, name)
    if v < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return v


def check_in_range(value, name: str, low: float, high: float, low_closed=True, high_closed=False) -> float:
    """A number in an interval; the default is the half-open ``[low, high)`` of rates like β or p."""
    v = _number(value, name)
    ok_low = v >= low if low_closed else v > low
    ok_high = v <= high if high_closed else v < high
    if not (ok_low and ok_high):
        interval = f"{'[' if low_closed else '('}{low}, {high}{']' if high_closed else ')'}"
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return v


def check_positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_choice(value, name: str, choices: Iterable[str]) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def check_rng(rng, name: str = "rng") -> np.random.Generator:
    """Accept a ``np.random.Generator`` or an integer seed; never fall back to global state."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError(f"{name} must be a numpy Generator or an integer seed, got {type(rng).__name__}")


def check_same_batch(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{name_a} and {name_b} must have the same batch size (first dimension); "
            f"got {a.shape[0]} and {b.shape[0]}")


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return v


def check_layer_sizes(sizes, name: str = "sizes") -> list[int]:
    """Layer widths of a network, input and output included: at least two positive integers."""
    try:
        sizes = [check_positive_int(s, f"{name}[{i}]") for i, s in enumerate(sizes)]
    except TypeError as exc:
        raise ValueError(f"{name} must be a sequence of integers, got {sizes!r}") from exc
    if len(sizes) < 2:
        raise ValueError(f"{name} must list at least an input and an output size, got {sizes!r}")
    return sizes
