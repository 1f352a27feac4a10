"""The checks of the exercises of 1.1.1: the car model without the brand, in every right form and with a hint
for each slip in the fit or the error, and the runs of the overfitting experiment with larger training sets."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_1_1 as check
from lessons_lib.datasets import load_digits
from lessons_lib.network import mlp
from lessons_lib.online import least_squares
from lessons_lib.optimizers import Adam
from lessons_lib.training import evaluate, fit
from lessons_lib.views.chapter1_supervision import car_features, make_cars, split_indices

# The notebook's data, drawn from its generator in the notebook's order.
rng = np.random.default_rng(1_1_1)
cars = make_cars(400, rng)
X_cars, _ = car_features(cars)
train, test = split_indices(len(cars), test_fraction=0.25, rng=rng)
X_digits, y_digits = load_digits()
X_digits = X_digits / 16
train_d, test_d = split_indices(len(X_digits), test_fraction=0.25, rng=rng)


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _rmse(rows, w, b, columns=slice(0, 2)):
    return float(np.sqrt(np.mean((X_cars[rows][:, columns] @ w + b - cars.price[rows]) ** 2)))


W2, B2 = least_squares(X_cars[train][:, :2], cars.price[train])
RMSE = _rmse(test, W2, B2)


# ---- exercise 1: the car model without the brand ---------------------------------------------------------


def test_the_reference_is_the_notebooks_fit():
    assert 7 < RMSE < 9 and W2.shape == (2,)


@pytest.mark.parametrize("w2, b2, rmse", [
    (W2, B2, RMSE),
    (np.round(W2, 3), round(B2, 2), round(RMSE, 2)),     # rounded as printed
    (W2.reshape(2, 1), np.array([B2]), round(RMSE, 1)),   # a column and a one-element array
    (W2.tolist(), np.float32(B2), np.float64(RMSE)),
])
def test_rmse_without_brand_accepts_every_form(w2, b2, rmse):
    _kind_and_message(check.rmse_without_brand.evaluate(w2, b2, rmse), "correct", f"{RMSE:.2f} thousand euros")


@pytest.mark.parametrize("fit_on, fragments", [
    ((X_cars[train], cars.price[train]), ["four weights", "X_cars[train][:, :2]"]),          # brand kept
    ((X_cars[:, :2], cars.price), ["seen the test cars too", "all 400 cars"]),              # fitted on all
    ((X_cars[train][:, 2:], cars.price[train]), ["the two brand columns"]),                 # wrong columns
    ((X_cars[train][:, [1, 0]], cars.price[train]), ["in the other order"]),                # columns swapped
    ((X_cars[train][:, :1], cars.price[train]), ["a single weight"]),                       # mileage only
    ((X_cars[test][:, :2], cars.price[test]), ["not the least-squares fit", "on the training cars"]),
])
def test_rmse_without_brand_names_the_mistakes_in_the_fit(fit_on, fragments):
    w, b = least_squares(*fit_on)
    _kind_and_message(check.rmse_without_brand.evaluate(w, b, RMSE), "wrong", "Not yet: ", *fragments)


errors = X_cars[test][:, :2] @ W2 + B2 - cars.price[test]
W4, B4 = least_squares(X_cars[train], cars.price[train])


@pytest.mark.parametrize("rmse, fragments", [
    (_rmse(train, W2, B2), ["the error on the training cars"]),
    (RMSE**2, ["the mean squared error", "square root"]),
    (float(np.sqrt(np.sum(errors**2))), ["the sum of the squared errors"]),
    (float(np.mean(np.abs(errors))), ["mean absolute error"]),
    (_rmse(test, W2, 0.0), ["also needs the bias"]),
    (_rmse(test, W4, B4, slice(None)), ["the model with the brand"]),
    (5.0, ["recompute the RMSE on the test cars"]),
])
def test_rmse_without_brand_names_the_mistakes_in_the_error(rmse, fragments):
    _kind_and_message(check.rmse_without_brand.evaluate(W2, B2, rmse), "wrong", "your fit is right", *fragments)


def test_rmse_without_brand_unanswered_and_invalid():
    _kind_and_message(check.rmse_without_brand.evaluate(..., ..., ...), "unanswered", "Exercise 1 is not answered")
    _kind_and_message(check.rmse_without_brand.evaluate(W2, ..., RMSE), "unanswered", "(in b2)")
    _kind_and_message(check.rmse_without_brand.evaluate(W2, B2, "7.8"), "invalid", "rmse should be a number")
    _kind_and_message(check.rmse_without_brand.evaluate(W2, B2, np.nan), "invalid", "finite")
    _kind_and_message(check.rmse_without_brand.evaluate(np.ones((2, 2)), B2, RMSE), "invalid", "shape (2, 2)")
    _kind_and_message(check.rmse_without_brand.evaluate("w", B2, RMSE), "invalid", "w2 should be an array")


# ---- exercise 2: 200 and 500 training images ---------------------------------------------------------------

NET = mlp([64, 32, 10], rng=0)


def _runs(train_accuracy, test_accuracy, n=10):
    return [(NET, float(a), float(b)) for a, b in zip(np.resize(train_accuracy, n), np.resize(test_accuracy, n))]


RIGHT_200 = _runs([1.0, 1.0, 0.995], [0.90, 0.91, 0.92])
RIGHT_500 = _runs([0.994, 0.99, 0.996], [0.925, 0.93, 0.92])


@pytest.mark.parametrize("runs_200, runs_500", [
    (RIGHT_200, RIGHT_500),
    (tuple(RIGHT_200[:5]), RIGHT_500[:6]),                              # tuples, fewer runs
    ([list(run) for run in RIGHT_200], RIGHT_500),                     # runs as lists
])
def test_growing_training_set_accepts_right_runs(runs_200, runs_500):
    _kind_and_message(check.growing_training_set.evaluate(runs_200, runs_500), "correct",
                      "200 images: training 100 %, test 91 %, gap 9 points", "500 images: training 99 %",
                      "less room to memorise")


def test_growing_training_set_notes_a_gap_that_did_not_shrink():
    result = check.growing_training_set.evaluate(_runs([1.0], [0.93]), _runs([0.995], [0.92]))
    _kind_and_message(result, "correct", "The gap did not shrink this time")


@pytest.mark.parametrize("runs_200, runs_500, fragments", [
    (RIGHT_500, RIGHT_200, ["look swapped"]),
    (_runs([1.0], [0.78, 0.80]), RIGHT_500, ["runs_200 reach a median test accuracy of 79 %",
                                              "rng.choice(train_d, 50, replace=False) to 200"]),   # the 50 kept
    (RIGHT_200, _runs([1.0], [0.79]), ["runs_500 reach a median test accuracy of 79 %"]),
    (_runs([0.997], [0.955]), _runs([0.997], [0.955]), ["whole training set", "pass train_d itself"]),
    ((NET, 1.0, 0.91), RIGHT_500, ["runs_200 is a single run", "range(10)"]),
    (RIGHT_200[:2], RIGHT_500, ["runs_200 holds 2 runs: too few"]),
])
def test_growing_training_set_names_the_typical_mistakes(runs_200, runs_500, fragments):
    _kind_and_message(check.growing_training_set.evaluate(runs_200, runs_500), "wrong", "Not yet: ", *fragments)


def test_growing_training_set_unanswered_and_invalid():
    _kind_and_message(check.growing_training_set.evaluate(..., ...), "unanswered", "Exercise 2 is not answered")
    _kind_and_message(check.growing_training_set.evaluate(RIGHT_200, ...), "unanswered", "(in runs_500)")
    _kind_and_message(check.growing_training_set.evaluate(np.array([0.9, 0.91]), RIGHT_500), "invalid",
                      "runs_200 should be a list of runs of train_network")
    _kind_and_message(check.growing_training_set.evaluate([0.9, 0.91], RIGHT_500), "invalid",
                      "runs_200[0] should be one run as train_network returns it")
    _kind_and_message(check.growing_training_set.evaluate(_runs([1.0], [91.0]), RIGHT_500), "invalid",
                      "a fraction between 0 and 1")
    other = [(mlp([64, 16, 10], rng=0), 1.0, 0.9)] * 10
    _kind_and_message(check.growing_training_set.evaluate(other, RIGHT_500), "invalid", "64 -> 32 -> 10")


# ---- the book's solutions ---------------------------------------------------------------------------------


def train_network(rows, epochs):
    # The notebook's function: a fresh network trained on the images `rows`, and its accuracies.
    net = mlp([64, 32, 10], rng=rng)
    fit(net, "cross_entropy", Adam(net.parameters(), lr=0.01), X_digits[rows], y_digits[rows], epochs=epochs,
        batch_size=32, rng=rng)
    _, train_acc = evaluate(net, "cross_entropy", X_digits[rows], y_digits[rows])
    _, test_acc = evaluate(net, "cross_entropy", X_digits[test_d], y_digits[test_d])
    return net, train_acc, test_acc


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = " ".join(exercise_text(notebook_for("section_1_1_1")).split())
    written = {
        "fit": "least_squares(X_cars[train][:, :2], cars.price[train])",
        "rmse": "np.sqrt(np.mean((X_cars[test][:, :2] @ w2 + b2 - cars.price[test]) ** 2))",
        "runs_200": "[train_network(rng.choice(train_d, 200, replace=False), epochs=30) for _ in range(10)]",
    }
    for code in written.values():
        assert code in text, f"the solutions no longer write {code!r}: update this test and the check"
    assert "`runs_500` the same with 500 images and `epochs=13`" in text
    namespace = {"np": np, "least_squares": least_squares, "X_cars": X_cars, "cars": cars, "train": train,
                 "test": test, "train_network": train_network, "rng": rng, "train_d": train_d}
    namespace["w2"], namespace["b2"] = eval(written["fit"], namespace)
    assert check.rmse_without_brand.evaluate(namespace["w2"], namespace["b2"], eval(written["rmse"], namespace)).passed
    runs_200 = eval(written["runs_200"], namespace)
    runs_500 = eval(written["runs_200"].replace("200", "500").replace("epochs=30", "epochs=13"), namespace)
    assert check.growing_training_set.evaluate(runs_200, runs_500).passed
