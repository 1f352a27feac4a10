"""Sequence data: synthetic series, windows, task generators and the shipped sunspot series."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lessons_lib
from lessons_lib.sequences import (
    SERIES,
    frequency_classification_task,
    load_series,
    next_step_windows,
    one_hot,
    reverse_task,
    sine_generation_task,
    sliding_windows,
    split_series,
    standardize,
    synthetic_series,
)


def test_synthetic_series_is_seeded_and_has_the_stated_parts():
    a = synthetic_series(200, 3)
    np.testing.assert_array_equal(a, synthetic_series(200, np.random.default_rng(3)))
    clean = synthetic_series(40, 0, trend=0.5, period=8, amplitude=2.0, noise=0.0, level=1.0)
    t = np.arange(40)
    np.testing.assert_allclose(clean, 1.0 + 0.5 * t + 2.0 * np.sin(2 * np.pi * t / 8), atol=1e-12)
    with pytest.raises(ValueError, match="period"):
        synthetic_series(10, 0, period=0)
    with pytest.raises(ValueError, match="n_steps"):
        synthetic_series(0, 0)


def test_windows_by_hand():
    s = np.arange(6.0)
    X, y = sliding_windows(s, 3, horizon=2)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2], [1, 2, 3]])
    np.testing.assert_array_equal(y, [[3, 4], [4, 5]])
    X, Y = next_step_windows(s, 4)
    np.testing.assert_array_equal(X[:, :, 0], [[0, 1, 2, 3], [1, 2, 3, 4]])
    np.testing.assert_array_equal(Y[:, :, 0], [[1, 2, 3, 4], [2, 3, 4, 5]])
    with pytest.raises(ValueError, match="window"):
        sliding_windows(s, 6)
    with pytest.raises(ValueError, match="series"):
        sliding_windows(np.zeros((3, 3)), 2)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(3, 40), window=st.integers(1, 10))
def test_next_step_targets_are_the_inputs_shifted(n, window):
    s = np.random.default_rng(n).normal(size=n)
    if window + 1 > n:
        with pytest.raises(ValueError):
            next_step_windows(s, window)
        return
    X, Y = next_step_windows(s, window)
    assert X.shape == Y.shape == (n - window, window, 1)
    np.testing.assert_array_equal(X[:, 1:], Y[:, :-1])


def test_split_and_standardize():
    train, test = split_series(np.arange(10.0), 0.8)
    np.testing.assert_array_equal(test, [8, 9])
    z, mean, std = standardize(train)
    assert z.mean() == pytest.approx(0) and z.std() == pytest.approx(1)
    z_test, _, _ = standardize(test, mean, std)
    np.testing.assert_allclose(z_test, (test - mean) / std)
    with pytest.raises(ValueError, match="train_fraction"):
        split_series(np.arange(10.0), 1.0)
    with pytest.raises(ValueError, match="constant"):
        standardize(np.ones(5))


def test_one_hot():
    np.testing.assert_array_equal(one_hot(np.array([[2, 0]]), 3), [[[0, 0, 1], [1, 0, 0]]])
    with pytest.raises(ValueError, match="tokens"):
        one_hot(np.array([3]), 3)


def test_task_generators():
    X, labels = frequency_classification_task(50, 30, 0)
    assert X.shape == (50, 30, 1) and set(np.unique(labels)) == {0, 1}
    V, Y = sine_generation_task(10, 20, 0)
    assert V.shape == (10, 2) and Y.shape == (10, 20, 1)
    np.testing.assert_allclose(Y[:, 4, 0], V[:, 0] * np.sin(V[:, 1] * 5))
    source, target = reverse_task(8, 5, 4, 0)
    np.testing.assert_array_equal(target, source[:, ::-1])
    assert source.max() < 4
    with pytest.raises(ValueError, match="vocab_size"):
        reverse_task(8, 5, 1, 0)


def test_load_sunspots_offline_with_its_licence():
    series = load_series("sunspots")
    assert "sunspots" in SERIES
    assert series.time.shape == series.values.shape == (309,)
    assert series.time[0] == 1700 and series.time[-1] == 2008
    assert series.values[0] == 5.0 and series.values[-1] == pytest.approx(2.9)
    assert np.all(np.diff(series.time) == 1) and np.all(series.values >= 0)
    licence = Path(lessons_lib.__file__).parent / "data" / "LICENSE-series.txt"
    text = licence.read_text()
    assert "series-sunspots.csv" in text and "public domain" in text
    with pytest.raises(ValueError, match="name"):
        load_series("airline")
