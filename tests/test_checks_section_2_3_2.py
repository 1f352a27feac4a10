"""The checks of the exercises of 2.3.2: predictions of the gradient's factor per layer pass whether they come
from the variance argument or from the notebook's measurements, and each typical slip gets its own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_3_2 as check

# What the notebook measures (its hidden cells claim these numbers): the first/last ratios of tanh with the
# standard initialisation, and ReLU with He and dropout 0.9 per layer (between 2.9 and 3.4).
MEASURED_10, MEASURED_20 = 0.0062, 2.8e-5


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: tanh, standard initialisation, 128 units ------------------------------------------------


@pytest.mark.parametrize("answer", [
    (1 / np.sqrt(3), (1 / 3) ** 4.5, (1 / 3) ** 9.5),            # the prediction, exactly
    (0.58, 0.007, 3e-5),                                          # rounded, as in the solution
    (0.58, 0.58 ** 9, 0.58 ** 19),
    (MEASURED_10 ** (1 / 9), MEASURED_10, MEASURED_20),           # the measurements
    (np.float64(0.57), np.array([0.0063]), 2.9e-5),
])
def test_standard_tanh_ratios_accepts_predictions_and_measurements(answer):
    _kind_and_message(check.standard_tanh_ratios.evaluate(*answer), "correct", "about 0.58 per layer")


@pytest.mark.parametrize("answer, fragments", [
    ((0.58, 0.58 ** 10, 0.58 ** 20), ["2 of the 3 answers", "9 steps from the last to the first, not 10"]),
    ((1 / 3, (1 / 3) ** 9, (1 / 3) ** 19), ["all 3 answers", "factor: that is the factor of the variance",
                                            "ratio_10: that is how much the variance shrinks"]),
    ((0.58, 1 / 0.007, 1 / 3e-5), ["that is last/first"]),
    ((0.58 / 4, 0.145 ** 9, 0.145 ** 19), ["tanh′(0) is 1, not the sigmoid's 1/4",
                                            "multiply the per-layer factor once for each step"]),
    ((np.sqrt(3), 0.007, 3e-5), ["that would make the gradient grow"]),
    ((1.0, 0.007, 3e-5), ["1 is Glorot's aim"]),
    ((0.9, 0.007, 3e-5), ["factor: the factor is about √(n · Var(w) · E[φ′²])"]),
])
def test_standard_tanh_ratios_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.standard_tanh_ratios.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_standard_tanh_ratios_unanswered_and_invalid():
    _kind_and_message(check.standard_tanh_ratios.evaluate(..., ..., ...), "unanswered",
                      "Exercise 1 is not answered yet")
    _kind_and_message(check.standard_tanh_ratios.evaluate(0.58, ..., ...), "unanswered", "(in ratio_10 and ratio_20)")
    _kind_and_message(check.standard_tanh_ratios.evaluate("0.58", 0.007, 3e-5), "invalid",
                      "factor should be a number", "the string '0.58'")
    _kind_and_message(check.standard_tanh_ratios.evaluate(0.58, np.inf, 3e-5), "invalid",
                      "ratio_10 should be a finite number")
    _kind_and_message(check.standard_tanh_ratios.evaluate(0.58, 0.007), "invalid", "takes (factor, ratio_10, ratio_20)")


def test_a_negative_ratio_is_wrong_not_an_error():
    _kind_and_message(check.standard_tanh_ratios.evaluate(0.58, -0.007, 3e-5), "wrong", "ratio_10:")


# ---- exercise 2: dropout 0.9 with ReLU and He --------------------------------------------------------------


@pytest.mark.parametrize("growth", [np.sqrt(10), 3.2, 3, 2.9, 3.4, np.array(3.1)])
def test_dropout_growth_accepts_the_prediction_and_the_measurement(growth):
    _kind_and_message(check.dropout_growth.evaluate(growth), "correct", "about 3.16 per layer",
                      "second moment by 1/(1 − p) = 10")


@pytest.mark.parametrize("growth, fragment", [
    (10, "that is the factor of the second moment"),
    (1, "dropout keeps the mean"),
    (0.1, "dropout does not shrink the signal on average"),
    (np.sqrt(0.1), "dropout does not shrink the signal on average"),
    (np.sqrt(20), "He's factor 2 in Var(w) is already used up by ReLU"),
    (np.sqrt(5), "He's factor 2 in Var(w) makes up for ReLU's halving"),
    (6, "what does dropout at rate p do to the second moment"),
])
def test_dropout_growth_names_the_typical_mistakes(growth, fragment):
    _kind_and_message(check.dropout_growth.evaluate(growth), "wrong", "Not yet: ", fragment)


def test_dropout_growth_unanswered_and_invalid():
    _kind_and_message(check.dropout_growth.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.dropout_growth.evaluate([3.2, 3.1]), "invalid", "growth_per_layer should be a number")
    _kind_and_message(check.dropout_growth.evaluate(np.nan), "invalid", "finite")


# ---- exercise 3: which ratio depends on the width ------------------------------------------------------------


@pytest.mark.parametrize("depends, n_var", [
    ("normal", 1 / 3), ("N(0, 1)", 0.333), ("  Normal ", 0.33), ("standard normal", np.float32(1 / 3)),
])
def test_width_dependence_accepts_every_spelling(depends, n_var):
    _kind_and_message(check.width_dependence.evaluate(depends, n_var), "correct", "only N(0, 1) depends on the width")


@pytest.mark.parametrize("depends, n_var, fragments", [
    ("pytorch_default", 1 / 3, ["1 of the 2 answers",
                                "depends: the standard initialisation draws from U(−1/√n, 1/√n)"]),
    ("standard init", 1 / 3, ["depends: the standard initialisation"]),
    ("normal", 1 / (3 * 128), ["that is Var(w) for a layer of 128 inputs"]),
    ("normal", 1 / np.sqrt(3), ["that is its square root"]),
    ("normal", 1.0, ["that is the Var(w) of N(0, 1)"]),
    ("normal", 3.0, ["U(−a, a) has variance a²/3"]),
    ("pytorch_default", 1.0, ["all 2 answers", "depends:", "n_var_standard:"]),
])
def test_width_dependence_names_the_typical_mistakes(depends, n_var, fragments):
    _kind_and_message(check.width_dependence.evaluate(depends, n_var), "wrong", "Not yet: ", *fragments)


def test_width_dependence_unanswered_and_invalid():
    _kind_and_message(check.width_dependence.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.width_dependence.evaluate("normal", ...), "unanswered", "(in n_var_standard)")
    _kind_and_message(check.width_dependence.evaluate(1, 1 / 3), "invalid",
                      "depends should be the name of an initializer", "got the number 1")
    _kind_and_message(check.width_dependence.evaluate("both", 1 / 3), "invalid", "depends should name one initializer")
    _kind_and_message(check.width_dependence.evaluate("normal", "1/3"), "invalid", "n_var_standard should be a number")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_2"))
    for written in [r"\approx 0.58$", r"$0.58^9 \approx 0.007$ (measured 0.0062)", r"\approx 3\times", "10^{-5}$",
                    r"(measured $2.8\times 10^{-5}$)", r"$\sqrt{10} \approx 3.2$ per layer",
                    r"Only the $N(0, 1)$ ratio depends on the width", r"$n\cdot\operatorname{Var}(w) = 1/3$"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.standard_tanh_ratios.evaluate(0.58, 0.007, 3e-5).passed
    assert check.standard_tanh_ratios.evaluate(0.0062 ** (1 / 9), 0.0062, 2.8e-5).passed
    assert check.dropout_growth.evaluate(3.2).passed
    assert check.width_dependence.evaluate("normal", 1 / 3).passed
