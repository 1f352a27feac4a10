"""The checks of the exercises of 2.3.3: the sigmoid's bound, softmax with two classes and the saturation
edges; right answers pass in every form, and each typical slip gets its own hint."""

import re

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.activations import get_activation, softmax
from lessons_lib.checks import section_2_3_3 as check

BOUNDS = [0.25 ** n for n in (5, 10, 20)]


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the sigmoid's bound ----------------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    (0.25, BOUNDS, 1), (1 / 4, [9.8e-4, 9.5e-7, 9.1e-13], 1.0), (0.25, np.array(BOUNDS), np.float64(1)),
    (0.25, np.array([BOUNDS]), 1),   # a row
])
def test_sigmoid_bound_accepts_every_form(answer):
    _kind_and_message(check.sigmoid_bound.evaluate(*answer), "correct", "σ′ ≤ 0.25", "9.8e-04, 9.5e-07, 9.1e-13",
                      "tanh′ ≤ 1")


@pytest.mark.parametrize("answer, fragments", [
    ((0.5, [0.5 ** n for n in (5, 10, 20)], 1), ["2 of the 3 answers", "peak: 0.5 is σ(0)",
                                                 "products: 0.5 per layer is σ(0)"]),
    ((0.25, [1.25, 2.5, 5.0], 1), ["products: you added the derivatives"]),
    ((0.25, [0.25 ** n for n in (4, 9, 19)], 1), ["a path through n sigmoid layers passes n derivatives"]),
    ((0.25, [4.0 ** n for n in (5, 10, 20)], 1), ["the bound is a product of numbers below 1"]),
    ((0.25, BOUNDS, 4), ["tanh_peak: tanh′(z) = 4σ′(2z), and σ′ is at most 1/4"]),
    ((0.25, BOUNDS, 0.25), ["tanh_peak: tanh′ = 1 − tanh²"]),
    ((1.0, BOUNDS, 1), ["peak: 1 is tanh′(0)"]),
    ((0.3, [0.3 ** n for n in (5, 10, 20)], 1), ["peak: s(1 − s)", "the peak to the power n"]),
])
def test_sigmoid_bound_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.sigmoid_bound.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_sigmoid_bound_unanswered_and_invalid():
    _kind_and_message(check.sigmoid_bound.evaluate(..., ..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.sigmoid_bound.evaluate(0.25, [1e-3, ..., 1e-12], 1), "unanswered", "(in products)")
    _kind_and_message(check.sigmoid_bound.evaluate(0.25, [1e-3, 1e-6], 1), "invalid",
                      "products should have shape (3,)", "got shape (2,)")
    _kind_and_message(check.sigmoid_bound.evaluate(0.25, [1e-3, np.nan, 1e-12], 1), "invalid", "NaN")
    _kind_and_message(check.sigmoid_bound.evaluate("1/4", BOUNDS, 1), "invalid", "peak should be a number")


# ---- exercise 2: softmax with two classes -----------------------------------------------------------------


def _pairs(z):
    return np.stack([z, np.zeros_like(z)], axis=1)


def _first_column(z):
    return softmax(np.column_stack([z, 0 * z]))[:, 0]


@pytest.mark.parametrize("function", [
    lambda z: softmax(_pairs(z))[:, 0], _first_column, get_activation("sigmoid"),
    lambda z: list(softmax(_pairs(z))[:, 0]),
    lambda z: softmax(np.stack([z, np.zeros_like(z)]), axis=0)[0],   # pairs as columns, with the right axis
])
def test_two_class_softmax_accepts_every_correct_function(function):
    _kind_and_message(check.two_class_softmax.evaluate(function), "correct", "equals σ(z) to rounding")


@pytest.mark.parametrize("function, fragment", [
    (lambda z: softmax(_pairs(z))[:, 1], "returns σ(−z) = 1 − σ(z), the second softmax output"),
    (lambda z: softmax(np.stack([z, np.zeros_like(z)]))[0], "softmax normalised along the wrong axis"),
    (lambda z: softmax(z), "softmax normalised along the wrong axis"),
    (lambda z: np.exp(z) / (np.exp(z) + 1), "for z = 800 your function returns nan or inf"),
    (lambda z: softmax(_pairs(z)), "returns both softmax outputs for each z; return only the first column"),
    (lambda z: softmax(_pairs(z))[0], "returned shape (2,)"),
    (lambda z: np.tanh(z), "should be the first output of softmax for the two logits (z, 0)"),
])
def test_two_class_softmax_names_the_typical_mistakes(function, fragment):
    _kind_and_message(check.two_class_softmax.evaluate(function), "wrong", "Not yet: ", fragment)


def test_two_class_softmax_unanswered_and_invalid():
    _kind_and_message(check.two_class_softmax.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.two_class_softmax.evaluate(0.5), "invalid", "first_output should be a function")
    _kind_and_message(check.two_class_softmax.evaluate(lambda z: z[5, 0]), "invalid",
                      "calling first_output raised IndexError")
    _kind_and_message(check.two_class_softmax.evaluate(lambda z: None), "invalid", "returned None")
    _kind_and_message(check.two_class_softmax.evaluate(lambda z: "sigma"), "invalid", "an array of numbers")


# ---- exercise 3: where sigmoid and tanh saturate ---------------------------------------------------------------


@pytest.mark.parametrize("answer", [(4.6, 3.0), (np.log(100), np.log(400) / 2), (-4.6, -3), (4.585, 2.99), (4.5, 3.05)])
def test_saturation_edges_accepts_rough_values_of_either_sign(answer):
    _kind_and_message(check.saturation_edges.evaluate(*answer), "correct", "|z| ≈ 4.58", "|z| ≈ 2.99", "24% and 50%")


@pytest.mark.parametrize("answer, fragments", [
    ((2.0, 3.0), ["1 of the 2 answers", "z_sigmoid: that is the logarithm to base 10"]),
    ((4.6, 9.2), ["z_tanh: tanh′(z) = 4σ′(2z) has 2z inside", "at half the distance, not twice"]),
    ((4.6, 2.3), ["you halved the sigmoid's edge but left out the factor 4"]),
    ((4.6, np.log(400)), ["gives 2|z| = ln 400; divide by 2"]),
    ((4.6, 4.6), ["z_tanh: that is the sigmoid's edge"]),
    ((9.2, 3.0), ["z_sigmoid: solve e^(−|z|) = 0.01 for the sigmoid itself"]),
    ((1.0, 1.0), ["all 2 answers", "z_sigmoid: for large |z|", "z_tanh: use tanh′(z) = 4σ′(2z)"]),
])
def test_saturation_edges_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.saturation_edges.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_saturation_edges_unanswered_and_invalid():
    _kind_and_message(check.saturation_edges.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.saturation_edges.evaluate(4.6, ...), "unanswered", "(in z_tanh)")
    _kind_and_message(check.saturation_edges.evaluate([4.6, 3.0], 3.0), "invalid", "z_sigmoid should be a number")
    _kind_and_message(check.saturation_edges.evaluate(4.6, np.inf), "invalid", "z_tanh should be a finite number")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_3"))
    bounds_code = "[0.25 ** n for n in (5, 10, 20)]"
    softmax_code = re.search(r"`first_output = (lambda z: [^`]*)`", text)
    for written in [r"\le \tfrac14", f"`{bounds_code}`", "the bound is $1^n = 1$", r"|z| > \ln 100 \approx 4.6",
                    r"|z| > \tfrac12 \ln 400 \approx 3.0"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert softmax_code, "solution 2 no longer defines first_output"
    first_output = eval(softmax_code.group(1), {"np": np, "softmax": softmax})
    assert check.sigmoid_bound.evaluate(0.25, eval(bounds_code), 1).passed
    assert check.two_class_softmax.evaluate(first_output).passed
    assert check.saturation_edges.evaluate(4.6, 3.0).passed
