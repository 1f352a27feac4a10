"""Sections 1.1.1-1.1.3 -- supervised, unsupervised and semi-supervised learning, as small experiments.

numpy only. :func:`make_cars` generates the car-price table of section 1.1.1 (a **synthetic** table: the
price follows a known linear rule plus noise, so the learned coefficients can be checked against the
truth); :func:`split_indices` draws a train/test split; :func:`train_classifier` trains the small digit
classifier used in 1.1.1 and 1.1.3; :func:`inertia_curve` computes the k-means inertia for several ``k``
(the "elbow" of section 1.1.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_in_range, check_positive, check_positive_int, check_rng
from ..clustering import kmeans
from ..network import Sequential, mlp
from ..optimizers import Adam
from ..training import fit, predict

__all__ = ["BRANDS", "TRUE_PRICE_RULE", "Cars", "make_cars", "car_features", "format_cars", "split_indices",
           "train_classifier", "classify", "inertia_curve"]

#: The three (made-up) brands of the synthetic car table.
BRANDS = ("A", "B", "C")

#: The rule that generates the synthetic prices, in thousands of euros:
#: ``price = base[brand] + per_1000_km * mileage + per_year * age + noise``.
TRUE_PRICE_RULE = {"base": {"A": 16.0, "B": 22.0, "C": 35.0}, "per_1000_km": -0.03, "per_year": -0.8}


@dataclass(frozen=True)
class Cars:
    """A synthetic table of used cars, one entry per car (all arrays of shape (n,))."""

    mileage: np.ndarray   # thousands of km
    age: np.ndarray       # years
    brand: np.ndarray     # index into BRANDS
    price: np.ndarray     # thousands of euros

    def __len__(self) -> int:
        return len(self.price)


def make_cars(n: int = 200, rng=0, noise: float = 1.0) -> Cars:
    """A **synthetic** used-car table: mileage, age and brand, and a price that depends on them linearly.

    Ages are uniform in [0, 10] years; each car was driven a uniform 8 to 20 thousand km per year, so
    mileage and age are correlated as in real life. Brands are equally likely. The price follows
    :data:`TRUE_PRICE_RULE` plus Gaussian noise of standard deviation ``noise`` (thousands of euros): the
    things a price depends on that the table does not record.
    """
    n = check_positive_int(n, "n", minimum=2)
    noise = as_float_array(noise, "noise", ndim=0)
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {float(noise)}")
    rng = check_rng(rng)
    age = rng.uniform(0.0, 10.0, size=n)
    mileage = age * rng.uniform(8.0, 20.0, size=n)
    brand = rng.integers(len(BRANDS), size=n)
    base = np.array([TRUE_PRICE_RULE["base"][b] for b in BRANDS])
    price = (base[brand] + TRUE_PRICE_RULE["per_1000_km"] * mileage + TRUE_PRICE_RULE["per_year"] * age
             + float(noise) * rng.normal(size=n))
    return Cars(mileage, age, brand, price)


def car_features(cars: Cars) -> tuple[np.ndarray, list[str]]:
    """The feature matrix of a car table and the name of each column.

    Mileage and age are used as they are. The brand is a category, not a number, so it becomes one 0/1
    column per brand except the first ("is it a B?", "is it a C?"): brand A is the baseline that the bias
    describes, and the weight of column "brand B" is how much more a B costs than an otherwise equal A.
    (A column for A as well would be redundant with the bias: the three columns always add up to 1.)
    """
    X = np.column_stack([cars.mileage, cars.age] + [(cars.brand == k).astype(float) for k in range(1, len(BRANDS))])
    return X, ["mileage (1000 km)", "age (years)"] + [f"brand {b}" for b in BRANDS[1:]]


def format_cars(cars: Cars, rows: int = 5) -> str:
    """The first ``rows`` cars as a small text table."""
    rows = check_positive_int(rows, "rows")
    lines = [f"{'mileage (1000 km)':>18}{'age (years)':>13}{'brand':>7}{'price (1000 EUR)':>18}"]
    for i in range(min(rows, len(cars))):
        lines.append(f"{cars.mileage[i]:18.1f}{cars.age[i]:13.1f}{BRANDS[cars.brand[i]]:>7}"
                     f"{cars.price[i]:18.1f}")
    return "\n".join(lines)


def split_indices(n: int, test_fraction: float = 0.25, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle ``range(n)`` and cut it into training and test indices (the test part is ``test_fraction``)."""
    n = check_positive_int(n, "n", minimum=2)
    test_fraction = check_in_range(test_fraction, "test_fraction", 0.0, 1.0, low_closed=False)
    rng = check_rng(rng)
    n_test = min(max(1, round(n * test_fraction)), n - 1)
    order = rng.permutation(n)
    return order[n_test:], order[:n_test]


def train_classifier(X, y, rng=0, n_classes: int = 10, hidden: int = 32, steps: int = 500,
                     batch_size: int = 32, lr: float = 0.01) -> Sequential:
    """A small MLP ``features -> hidden (ReLU) -> n_classes`` trained with Adam on cross-entropy.

    It trains for about ``steps`` mini-batch steps whatever the size of the training set (more epochs
    for fewer examples), so that small and large training sets get the same training effort.
    """
    X = as_float_array(X, "X", ndim=2)
    n_classes = check_positive_int(n_classes, "n_classes", minimum=2)
    hidden = check_positive_int(hidden, "hidden")
    steps = check_positive_int(steps, "steps")
    batch_size = check_positive_int(batch_size, "batch_size")
    lr = check_positive(lr, "lr")
    rng = check_rng(rng)
    model = mlp([X.shape[1], hidden, n_classes], rng=rng)
    steps_per_epoch = math.ceil(len(X) / batch_size)
    epochs = max(1, round(steps / steps_per_epoch))
    fit(model, "cross_entropy", Adam(model.parameters(), lr=lr), X, y, epochs, batch_size, rng)
    return model


def classify(model: Sequential, X) -> np.ndarray:
    """The predicted class of each row of ``X`` (the largest output of the model)."""
    return predict(model, X).argmax(axis=1)


def inertia_curve(X, ks, rng=0, n_init: int = 3) -> np.ndarray:
    """The k-means inertia (sum of squared distances to the nearest centre) for each ``k`` in ``ks``."""
    X = as_float_array(X, "X", ndim=2)
    rng = check_rng(rng)
    ks = [check_positive_int(k, "ks") for k in ks]
    return np.array([kmeans(X, k, rng=rng, n_init=n_init).inertia for k in ks])
