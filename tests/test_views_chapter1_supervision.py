"""The numbers behind sections 1.1.1-1.1.3: the synthetic car table, the split, the classifier, the elbow."""


import numpy as np
import pytest

from lessons_lib.datasets import load_digits, make_blobs
from lessons_lib.online import least_squares
from lessons_lib.views.chapter1_supervision import (
    BRANDS,
    TRUE_PRICE_RULE,
    car_features,
    classify,
    format_cars,
    inertia_curve,
    make_cars,
    split_indices,
    train_classifier,
)


def test_noiseless_cars_give_back_the_true_rule():
    cars = make_cars(50, rng=3, noise=0.0)
    X, names = car_features(cars)
    assert X.shape == (50, 4) and names[0].startswith("mileage") and names[-1] == "brand C"
    w, b = least_squares(X, cars.price)
    base = TRUE_PRICE_RULE["base"]
    np.testing.assert_allclose(w, [TRUE_PRICE_RULE["per_1000_km"], TRUE_PRICE_RULE["per_year"],
                                   base["B"] - base["A"], base["C"] - base["A"]], atol=1e-9)
    assert b == pytest.approx(base["A"])


def test_cars_are_seeded_plausible_and_formatted():
    a, b = make_cars(100, rng=1), make_cars(100, rng=1)
    np.testing.assert_array_equal(a.price, b.price)
    assert len(a) == 100 and set(np.unique(a.brand)) <= set(range(len(BRANDS)))
    assert a.age.min() >= 0 and a.age.max() <= 10 and np.all(a.mileage >= 8 * a.age - 1e-12)
    assert np.all(a.price > 0)
    table = format_cars(a, rows=3).splitlines()
    assert len(table) == 4 and "price" in table[0]
    with pytest.raises(ValueError, match="noise"):
        make_cars(10, noise=-1.0)
    with pytest.raises(ValueError, match="n"):
        make_cars(1)


def test_split_indices_partition():
    train, test = split_indices(10, 0.3, rng=0)
    assert len(test) == 3 and len(train) == 7
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(10))
    with pytest.raises(ValueError, match="test_fraction"):
        split_indices(10, 1.0)


def test_classifier_learns_digits_and_blobs():
    X, y = load_digits()
    X = X / 16
    train, test = split_indices(len(X), 0.25, rng=0)
    model = train_classifier(X[train], y[train], rng=0, steps=300)
    assert np.mean(classify(model, X[test]) == y[test]) > 0.85
    Xb, yb = make_blobs(60, rng=0)
    model = train_classifier(Xb, yb, rng=0, n_classes=2, steps=100)
    assert np.mean(classify(model, Xb) == yb) > 0.9
    with pytest.raises(ValueError, match="hidden"):
        train_classifier(Xb, yb, hidden=0)


def test_inertia_decreases_with_k_and_has_an_elbow_on_two_blobs():
    X, _ = make_blobs(200, rng=0, separation=6.0)
    inertia = inertia_curve(X, [1, 2, 3, 4], rng=0)
    assert np.all(np.diff(inertia) < 0)
    drops = -np.diff(inertia)
    assert drops[0] > 5 * drops[1], "the big drop is from one cluster to two"
    with pytest.raises(ValueError, match="ks"):
        inertia_curve(X, [0, 1])
