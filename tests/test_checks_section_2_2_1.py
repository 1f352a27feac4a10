"""The checks of the exercises of 2.2.1: the training set-ups pass when right, and each typical slip in a
set-up (the learning rate, the targets' layout, the feature) gets its own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib import perceptron
from lessons_lib.checks import section_2_2_1 as check

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_and = np.array([0, 0, 0, 1])
y_or = np.array([0, 1, 1, 1])
y_xor = np.array([0, 1, 1, 0])
Y3 = np.column_stack([y_and, y_or, 1 - y_and])
X3 = np.column_stack([X, X[:, 0] * X[:, 1]])


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _fit(*args, data=(X, y_and), **kwargs):
    return perceptron.Perceptron(*args, **kwargs).fit(*data)


# ---- exercise 1: eta = 0.5 --------------------------------------------------------------------------------


def test_half_rate_run_passes_and_reports_the_run():
    _kind_and_message(check.half_rate_run.evaluate(_fit(2, eta=0.5)), "correct",
                      "11 weight updates in 6 epochs", "w = (1, 0.5), b = -1.5")


@pytest.mark.parametrize("unit, fragments", [
    (_fit(2), ["learns with eta = 1; the exercise asks for 0.5"]),
    (_fit(2, eta=0.1), ["eta = 0.1"]),
    (_fit(2, eta=0.5, data=(X, y_or)), ["predicts [0, 1, 1, 1]", "not AND"]),
    (perceptron.Perceptron(2, eta=0.5), ["not trained yet"]),
    (_fit(2, eta=0.5, rng=0, init="normal"), ["started from non-zero weights"]),
    (_fit(2, eta=0.5).fit(X, y_and), ["started from non-zero weights"]),   # fitted twice
    (_fit(3, eta=0.5, data=(X3, y_and)), ["has 3 inputs and 1 unit"]),
])
def test_half_rate_run_names_the_typical_mistakes(unit, fragments):
    _kind_and_message(check.half_rate_run.evaluate(unit), "wrong", "Not yet: ", *fragments)


def test_half_rate_run_with_shuffled_instances():
    shuffled = [perceptron.Perceptron(2, eta=0.5, rng=seed).fit(X, y_and, shuffle=True) for seed in range(20)]
    results = [check.half_rate_run.evaluate(unit) for unit in shuffled]
    # A shuffled run that ends elsewhere is told about the order; one that happens to match passes.
    assert any(r.kind == "wrong" and "without shuffle=True" in r.message for r in results)
    assert all(r.kind in ("correct", "wrong") for r in results)


def test_half_rate_run_unanswered_and_invalid():
    _kind_and_message(check.half_rate_run.evaluate(...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.half_rate_run.evaluate(np.zeros(2)), "invalid", "tlu_half should be a fitted "
                      "Perceptron", "an array of shape (2,)")


# ---- exercise 2: three units ------------------------------------------------------------------------------


@pytest.mark.parametrize("targets", [Y3, Y3[:, [2, 0, 1]], Y3.astype(bool), Y3.tolist()])
def test_three_units_accepts_any_column_order_and_type(targets):
    three = _fit(2, 3, data=(X, np.asarray(targets, dtype=float)))
    _kind_and_message(check.three_units.evaluate(targets, three), "correct", "together in 6 epochs")


@pytest.mark.parametrize("targets, three, fragments", [
    (Y3.T, _fit(2, 3, data=(X, Y3)), ["one row per unit and one column per instance", "the transpose"]),
    (np.column_stack([y_and, y_or, 1 - y_or]), _fit(2, 3, data=(X, Y3)), ["one column of Y3 is NOR",
                                                                         "NAND is NOT AND"]),
    (np.column_stack([y_and, y_or, y_xor]), _fit(2, 3, data=(X, Y3)), ["no column for NAND"]),
    (np.concatenate([y_and, y_or, 1 - y_and]), _fit(2, 3, data=(X, Y3)), ["shape (12,)", "np.column_stack"]),
    (Y3, _fit(2, 1), ["three has 2 inputs and 1 unit"]),
    (Y3, perceptron.Perceptron(2, 3), ["three is not trained yet"]),
    (Y3, _fit(2, 3, data=(X, Y3[:, [1, 0, 2]])), ["does not reproduce Y3"]),
])
def test_three_units_names_the_typical_mistakes(targets, three, fragments):
    _kind_and_message(check.three_units.evaluate(targets, three), "wrong", "Not yet: ", *fragments)


def test_three_units_unanswered_and_invalid():
    _kind_and_message(check.three_units.evaluate(..., ...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.three_units.evaluate(Y3, ...), "unanswered", "(in three)")
    _kind_and_message(check.three_units.evaluate("AND OR NAND", _fit(2, 3, data=(X, Y3))), "invalid",
                      "Y3 should be an array of numbers")
    _kind_and_message(check.three_units.evaluate(Y3, "three"), "invalid", "three should be a fitted Perceptron")


# ---- exercise 3: the product feature ----------------------------------------------------------------------


@pytest.mark.parametrize("features", [X3, X3[:, [2, 0, 1]], np.column_stack([X, np.logical_and(X[:, 0], X[:, 1])])])
def test_product_feature_accepts_the_feature_in_any_column(features):
    features = np.asarray(features, dtype=float)
    tlu3 = _fit(3, data=(features, y_xor))
    _kind_and_message(check.product_feature.evaluate(features, tlu3), "correct", "one TLU learns XOR",
                      "Which part of the two-layer network")


@pytest.mark.parametrize("features, fragments", [
    (X3.T, ["one row per feature", "Transpose it"]),
    (X, ["shape (4, 3)", "Yours has shape (4, 2)"]),
    (np.column_stack([X, X.sum(axis=1)]), ["x1 + x2", "adds nothing"]),
    (np.column_stack([X, y_xor]), ["XOR itself"]),
    (np.column_stack([X[:, 0], X[:, 0] * X[:, 1], X[:, 0]]), ["keep x1 and x2"]),
])
def test_product_feature_names_the_typical_mistakes_in_the_features(features, fragments):
    _kind_and_message(check.product_feature.evaluate(features, _fit(3, data=(X3, y_xor))), "wrong", *fragments)


@pytest.mark.parametrize("tlu3, fragments", [
    (perceptron.Perceptron(2).fit(X, y_xor, max_epochs=5), ["tlu3 has 2 inputs"]),  # without the feature
    (perceptron.Perceptron(3).fit(X3, y_xor, max_epochs=3), ["which is not XOR", "until it converges"]),
    (_fit(3, data=(X3, y_and)), ["predicts [0, 0, 0, 1]"]),
])
def test_product_feature_names_the_typical_mistakes_in_the_training(tlu3, fragments):
    _kind_and_message(check.product_feature.evaluate(X3, tlu3), "wrong", *fragments)


def test_product_feature_unanswered_and_invalid():
    _kind_and_message(check.product_feature.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.product_feature.evaluate([[0, 0, 0], [0, 1]], ...), "unanswered", "(in tlu3)")
    _kind_and_message(check.product_feature.evaluate([[0, 0, 0], [0, 1]], _fit(3, data=(X3, y_xor))), "invalid",
                      "X3 should be an array of numbers")
    _kind_and_message(check.product_feature.evaluate(np.full((4, 3), np.nan), _fit(3, data=(X3, y_xor))),
                      "invalid", "NaN")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_2_1"))
    namespace = {"np": np, "perceptron": perceptron, "X": X, "y_and": y_and, "y_or": y_or, "y_xor": y_xor}
    written = {
        "half": "perceptron.Perceptron(2, eta=0.5)",
        "three": "perceptron.Perceptron(2, 3).fit(X, np.column_stack([y_and, y_or, 1 - y_and]))",
        "X3": "np.column_stack([X, X[:, 0] * X[:, 1]])",
        "tlu3": "perceptron.Perceptron(3)",
    }
    for code in written.values():
        assert code in text, f"the exercises and solutions no longer write {code!r}"
    values = {name: eval(code, namespace) for name, code in written.items()}
    assert "11 updates in 6 epochs" in text and r"$\mathbf{w} = (1, 0.5)$, $b = -1.5$" in text
    assert check.half_rate_run.evaluate(values["half"].fit(X, y_and)).passed
    assert check.three_units.evaluate(np.column_stack([y_and, y_or, 1 - y_and]), values["three"]).passed
    assert check.product_feature.evaluate(values["X3"], values["tlu3"].fit(values["X3"], y_xor)).passed
