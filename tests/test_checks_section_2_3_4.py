"""The checks of the exercises of 2.3.4: counting parameters and the shallow copy of the sawtooth; right answers
pass in every form, and each typical miscount gets its own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_3_4 as check


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the parameters of 32 x 32 ----------------------------------------------------------------


@pytest.mark.parametrize("answer", [(3466, 46), (3466.0, 46.08), (np.int64(3466), (3466 - 10) / 75), (3466, 46.5)])
def test_parameter_budget_accepts_every_form(answer):
    _kind_and_message(check.parameter_budget.evaluate(*answer), "correct", "3466 parameters",
                      "75H + 10", "about 46 units")


@pytest.mark.parametrize("answer, fragments", [
    ((3392, 46), ["1 of the 2 answers", "parameters: you counted the weights only"]),
    ((3395, 46), ["one bias per unit, not one per layer"]),
    ((3456, 46), ["the 10 output units have biases too"]),
    ((3402, 46), ["the hidden units have biases too"]),
    ((3136, 46), ["the output layer, 32 → 10, has parameters too"]),
    ((3466, 47), ["47 units give 3535 parameters and 46 give 3460"]),
    ((3466, 3466 / 65), ["the single hidden layer also feeds the 10 outputs"]),
    ((3466, 40), ["write the parameters of a single hidden layer of H units as a formula"]),
    ((3000, 40), ["all 2 answers", "add up, layer by layer"]),
])
def test_parameter_budget_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.parameter_budget.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_parameter_budget_unanswered_and_invalid():
    _kind_and_message(check.parameter_budget.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.parameter_budget.evaluate(3466, ...), "unanswered", "(in width)")
    _kind_and_message(check.parameter_budget.evaluate(3466.5, 46), "invalid", "parameters should be a whole number")
    _kind_and_message(check.parameter_budget.evaluate(3466, "46"), "invalid", "width should be a number")


# ---- exercise 2: a shallow sawtooth -----------------------------------------------------------------------


@pytest.mark.parametrize("answer", [(8, 16, 1024, 3073), (8.0, 16.0, np.int64(1024), 3073.0),
                                    (2 ** 3, 2 ** 4, 2 ** 10, 3 * 2 ** 10 + 1)])
def test_shallow_sawtooth_accepts_every_form(answer):
    _kind_and_message(check.shallow_sawtooth.evaluate(*answer), "correct", "8 and 16 pieces",
                      "1024 units and 3073 parameters", "the deep network's 61")


@pytest.mark.parametrize("answer, fragments", [
    ((4, 8, 1024, 3073), ["2 of the 4 answers", "pieces_3: that is the number of teeth"]),
    ((7, 15, 1024, 3073), ["pieces_4: that is the number of kinks"]),
    ((8, 16, 1023, 3070), ["1 of the 4 answers", "units: 1023 units make the 1023 kinks", "needs one more"]),
    ((8, 16, 512, 1537), ["units: one unit per straight piece, not per tooth"]),
    ((8, 16, 20, 61), ["units: that is the deep network's count", "parameters: that is the deep network's count"]),
    ((8, 16, 1024, 3072), ["parameters: the output unit has a bias too"]),
    ((8, 16, 1024, 2049), ["every hidden unit has a weight and a bias in and a weight out"]),
    ((8, 16, 1024, 4096), ["H weights in, H biases, H weights out and one output bias"]),
    ((6, 16, 1024, 3073), ["pieces_3: run count_linear_pieces"]),
])
def test_shallow_sawtooth_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.shallow_sawtooth.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_shallow_sawtooth_unanswered_and_invalid():
    _kind_and_message(check.shallow_sawtooth.evaluate(..., ..., ..., ...), "unanswered",
                      "Exercise 2 is not answered yet")
    _kind_and_message(check.shallow_sawtooth.evaluate(8, 16, ..., ...), "unanswered", "(in units and parameters)")
    _kind_and_message(check.shallow_sawtooth.evaluate(8, 16, 1024.5, 3073), "invalid", "units should be a whole number")
    _kind_and_message(check.shallow_sawtooth.evaluate(8, 16, 1024, None), "invalid",
                      "parameters should be a whole number", "None")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_4"))
    for written in ["in total 3466", r"$H \approx 46$ units", "gives 8 and depth 4 gives 16",
                    r"1024 units, that is $3 \cdot 1024 + 1 = 3073$ parameters"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.parameter_budget.evaluate(3466, 46).passed
    assert check.shallow_sawtooth.evaluate(8, 16, 1024, 3073).passed
