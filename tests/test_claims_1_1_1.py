"""Claims of section 1.1.1's exercise solutions, checked over several seeds (too slow for the notebook)."""

import numpy as np

from lessons_lib.claims import claim, spread
from lessons_lib.datasets import load_digits
from lessons_lib.network import mlp
from lessons_lib.online import least_squares
from lessons_lib.optimizers import Adam
from lessons_lib.training import evaluate, fit
from lessons_lib.views.chapter1_supervision import car_features, make_cars, split_indices

WHERE = "1.1.1, solutions of the exercises"


def test_without_the_brand_the_rmse_is_around_8():
    rmse = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        cars = make_cars(400, rng)
        X, _ = car_features(cars)
        train, test = split_indices(len(cars), test_fraction=0.25, rng=rng)
        w2, b2 = least_squares(X[train][:, :2], cars.price[train])
        rmse.append(np.sqrt(np.mean((X[test][:, :2] @ w2 + b2 - cars.price[test]) ** 2)))
    claim(7 < np.min(rmse) and np.max(rmse) < 9, "gives an RMSE around 8 thousand euros instead of 1",
          WHERE + ", 1", evidence=spread(rmse))


def _accuracies(rng, X, y, train, test, n, epochs, runs=5):
    train_acc, test_acc = [], []
    for _ in range(runs):
        rows = rng.choice(train, n, replace=False)
        net = mlp([64, 32, 10], rng=rng)
        fit(net, "cross_entropy", Adam(net.parameters(), lr=0.01), X[rows], y[rows],
            epochs=epochs, batch_size=32, rng=rng)
        train_acc.append(evaluate(net, "cross_entropy", X[rows], y[rows])[1])
        test_acc.append(evaluate(net, "cross_entropy", X[test], y[test])[1])
    return np.array(train_acc), np.array(test_acc)


def test_the_gap_shrinks_as_the_training_set_grows():
    X, y = load_digits()
    X = X / 16
    for seed in range(2):
        rng = np.random.default_rng(seed)
        train, test = split_indices(len(X), test_fraction=0.25, rng=rng)
        tr50, te50 = _accuracies(rng, X, y, train, test, 50, 100)
        tr200, te200 = _accuracies(rng, X, y, train, test, 200, 30)
        tr500, te500 = _accuracies(rng, X, y, train, test, 500, 13)
        gaps = [np.median(tr - te) for tr, te in [(tr50, te50), (tr200, te200), (tr500, te500)]]
        evidence = f"seed {seed}: test {spread(te200)} and {spread(te500)}, median gaps {np.round(gaps, 3)}"
        claim(np.median(tr200) > 0.99 and 0.88 < np.median(te200) < 0.94,
              "With 200 images the networks still get all or nearly all of their training images right, "
              "but the median test accuracy rises to about 91 %", WHERE + ", 2", evidence=evidence)
        claim(0.97 < np.median(tr500) < 1 and 0.92 < np.median(te500) < 0.97,
              "with 500 images it is about 93 %, while the training accuracy drops a little below 100 %",
              WHERE + ", 2", evidence=evidence)
        claim(0.15 < gaps[0] < 0.25 and 0.06 < gaps[1] < 0.13 and 0.02 < gaps[2] < 0.08,
              "The gap shrinks from about 20 points with 50 images to about 9 with 200, about 7 with 500",
              WHERE + ", 2", evidence=evidence)
