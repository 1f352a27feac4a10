import hashlib
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.datasets import load_digits, make_blobs, make_moons, make_regression, make_spirals, make_xor

CLASSIFICATION = [make_blobs, make_xor, make_moons, make_spirals]


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_shapes_labels_and_determinism(make):
    X, y = make(n_samples=101, rng=3)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and y.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    X2, y2 = make(n_samples=101, rng=np.random.default_rng(3))
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    X3, _ = make(n_samples=101, rng=4)
    assert not np.array_equal(X, X3)
    assert np.all(np.isfinite(X))


def test_classes_are_balanced_and_shuffled():
    for make in (make_blobs, make_moons, make_spirals):
        _, y = make(n_samples=100, rng=0)
        assert np.bincount(y).tolist() == [50, 50]
        assert 0 < y[:50].sum() < 50                    # not sorted by class


def test_blobs_are_linearly_separable():
    X, y = make_blobs(n_samples=500, rng=7, separation=3.0, std=1.0)
    # separability check independent of the generator: the perceptron converges on separable data
    from lessons_lib.perceptron import Perceptron
    p = Perceptron(2).fit(X, y, max_epochs=1000)
    assert p.converged
    assert np.array_equal(p.predict(X), y)


def test_blobs_in_more_dimensions_and_margin():
    X, y = make_blobs(n_samples=60, rng=1, n_features=5, separation=2.0, std=2.0, margin=0.5)
    assert X.shape == (60, 5)
    # separable in 5-D too: even a least-squares linear fit of the +-1 labels classifies every point
    w, *_ = np.linalg.lstsq(np.c_[X, np.ones(60)], 2.0 * y - 1, rcond=None)
    assert np.all(np.sign(np.c_[X, np.ones(60)] @ w) == 2 * y - 1)


def test_xor_labels_and_margin():
    X, y = make_xor(n_samples=400, rng=0, margin=0.2)
    assert np.all(np.abs(X) >= 0.2) and np.all(np.abs(X) <= 1.0)
    assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    for qx in (-1, 1):                                  # every quadrant is populated
        for qy in (-1, 1):
            assert np.any((np.sign(X[:, 0]) == qx) & (np.sign(X[:, 1]) == qy))


def test_moons_without_noise_lie_on_circles():
    X, y = make_moons(n_samples=50, rng=0, noise=0.0)
    assert np.allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0)
    assert np.allclose(np.hypot(X[y == 1, 0] - 1.0, X[y == 1, 1] - 0.5), 1.0)


def test_spirals_multi_class():
    X, y = make_spirals(n_samples=300, rng=2, n_classes=3, noise=0.0)
    assert np.bincount(y).tolist() == [100, 100, 100]
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)


def test_regression():
    X, y = make_regression(n_samples=200, rng=0, noise=0.0)
    assert X.shape == (200, 1) and y.shape == (200, 1)
    assert np.all(np.diff(X[:, 0]) >= 0)
    assert np.allclose(y, np.sin(X))
    assert X.min() >= -3 and X.max() <= 3
    X, y = make_regression(n_samples=2000, rng=1, noise=0.5, x_range=(0, 1), function=lambda x: 2 * x)
    assert np.std(y - 2 * X) == pytest.approx(0.5, rel=0.05)


def test_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert set(np.unique(y)) == set(range(10))
    assert X.min() == 0.0 and X.max() == 16.0
    assert np.all(X == np.round(X))
    assert y[:10].tolist() == list(range(10))           # the file starts with one of each digit in order
    # a zero has a hole in the middle: the centre pixels are darker than the ring around them
    zeros = X[y == 0].reshape(-1, 8, 8).mean(axis=0)
    assert zeros[3:5, 3:5].mean() < zeros[1:7, 1:7].mean()
    X[0, 0] = 99.0
    assert load_digits()[0][0, 0] == 0.0                # callers get their own copy


def test_digits_file_and_licence_ship_with_the_package():
    data = resources.files("lessons_lib").joinpath("data")
    raw = data.joinpath("digits.csv.gz").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
    licence = data.joinpath("LICENSE-digits.txt").read_text()
    for phrase in ("Alpaydin", "Kaynak", "CC BY 4.0", "BSD 3-Clause", "scikit-learn"):
        assert phrase in licence


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_samples"):
        make_blobs(n_samples=0)
    with pytest.raises(ValueError, match="rng"):
        make_moons(rng=None)
    with pytest.raises(ValueError, match="std"):
        make_blobs(std=0.0)
    with pytest.raises(ValueError, match="margin"):
        make_blobs(separation=2.0, margin=1.0)
    with pytest.raises(ValueError, match="margin"):
        make_xor(margin=1.0)
    with pytest.raises(ValueError, match="noise"):
        make_moons(noise=-0.1)
    with pytest.raises(ValueError, match="n_classes"):
        make_spirals(n_classes=1)
    with pytest.raises(ValueError, match="n_samples"):
        make_spirals(n_samples=2, n_classes=3)
    with pytest.raises(ValueError, match="x_range"):
        make_regression(x_range=(1, 0))
    with pytest.raises(ValueError, match="function"):
        make_regression(function=lambda x: x[:3])
    with pytest.raises(ValueError, match="function"):
        make_regression(function=3)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(CLASSIFICATION), st.integers(2, 60), st.integers(0, 2**32 - 1))
def test_generator_properties(make, n, seed):
    X, y = make(n_samples=n, rng=seed)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert np.all(np.isfinite(X))
    assert y.min() >= 0 and y.max() <= 1
