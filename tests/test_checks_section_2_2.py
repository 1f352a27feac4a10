"""The checks of the exercises of 2.2: right answers pass in every form, typical mistakes get their own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_2 as check


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: a TLU for NOR ----------------------------------------------------------------------------


@pytest.mark.parametrize("w, b", [
    (np.array([-1.0, -1.0]), 0.5),       # the solution
    ([-1, -1], 0.99),                    # any b in [0, 1)
    ([-3.0, -2.0], 1.0),                 # other weights
    (np.array([[-1.0], [-1.0]]), np.array([0.5])),  # a column of W and a one-element b
    (0.5, [-1.0, -1.0]),                 # the arguments the other way round cannot be confused
])
def test_nor_tlu_accepts_every_nor_unit(w, b):
    _kind_and_message(check.nor_tlu.evaluate(w, b), "correct", "gives [1, 0, 0, 0]")


def test_nor_tlu_points_out_a_tie_on_the_boundary():
    _kind_and_message(check.nor_tlu.evaluate([-1.0, -1.0], 0.0), "correct", "(0, 0) lies on the boundary")


@pytest.mark.parametrize("w, b, fragments", [
    ([1.0, 1.0], -0.5, ["computes OR", "Negating a unit swaps its two sides"]),
    ([-1.0, -1.0], -0.5, ["silent for (0, 0)", "b = -0.5", "what sign must the bias have"]),   # sign error
    ([-1.0, -1.0], 1.5, ["also fires for (0, 1), (1, 0)", "z = 0.5 is not below 0"]),         # NAND
    ([-1.0, 0.0], 0.5, ["also fires for (0, 1), where NOR is 0"]),
])
def test_nor_tlu_names_the_typical_mistakes(w, b, fragments):
    _kind_and_message(check.nor_tlu.evaluate(w, b), "wrong", "Not yet: ", *fragments)


def test_nor_tlu_unanswered_and_invalid():
    _kind_and_message(check.nor_tlu.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.nor_tlu.evaluate([-1.0, ...], 0.5), "unanswered", "not finished", "(in w)")
    _kind_and_message(check.nor_tlu.evaluate([1.0, 2.0, 3.0], 0.5), "invalid", "w should have shape (2,)",
                      "got shape (3,)")
    _kind_and_message(check.nor_tlu.evaluate([np.nan, 1.0], 0.5), "invalid", "NaN")
    _kind_and_message(check.nor_tlu.evaluate([-1.0, -1.0], "0.5"), "invalid", "b should be a number",
                      "the string '0.5'")
    _kind_and_message(check.nor_tlu.evaluate([-1.0, -1.0]), "invalid", "takes (w, b)")


# ---- exercise 2: the boundary of w = (2, -1), b = 1 --------------------------------------------------------


@pytest.mark.parametrize("answer", [
    dict(slope=2, intercept=1, side="below", distance=1 / np.sqrt(5)),
    dict(slope=2.0, intercept=1.0, side="On or below", distance=0.447),
    dict(slope=np.float64(2), intercept=1, side="under the line", distance=0.4472),
])
def test_boundary_accepts_the_answer_in_every_form(answer):
    _kind_and_message(check.boundary.evaluate(**answer), "correct", "x₂ = 2x₁ + 1", "fires below it", "0.447")


@pytest.mark.parametrize("answer, fragments", [
    (dict(slope=-2, intercept=-1, side="below", distance=0.447),           # sign error solving for x2
     ["2 of the 4 answers need another look", "slope: check its sign", "intercept: check its sign"]),
    (dict(slope=0.5, intercept=1, side="below", distance=0.447), ["slope: that is how far x₁ moves"]),
    (dict(slope=2, intercept=1, side="above", distance=0.447), ["side: test one point"]),
    (dict(slope=2, intercept=1, side="below", distance=1.0), ["distance: that is |b| alone"]),
    (dict(slope=2, intercept=1, side="below", distance=0.2), ["you divided by ‖w‖²"]),
    (dict(slope=2, intercept=1, side="below", distance=1 / 3), ["not |w₁| + |w₂|"]),
    (dict(slope=2, intercept=1, side="below", distance=np.sqrt(5)), ["upside down"]),
    (dict(slope=3, intercept=4, side="above", distance=0.9), ["all 4 answers need another look"]),
])
def test_boundary_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.boundary.evaluate(**answer), "wrong", "Not yet: ", *fragments)


def test_boundary_unanswered_and_invalid():
    _kind_and_message(check.boundary.evaluate(..., ..., ..., ...), "unanswered", "Exercise 2 is not answered")
    _kind_and_message(check.boundary.evaluate(2, 1, ..., ...), "unanswered", "(in side and distance)")
    _kind_and_message(check.boundary.evaluate(2, 1, "left", 0.447), "invalid", "'above' or 'below'")
    _kind_and_message(check.boundary.evaluate(2, 1, 0, 0.447), "invalid", "side should be the word")
    _kind_and_message(check.boundary.evaluate("2", 1, "below", 0.447), "invalid", "slope should be a number")


# ---- exercise 3: the shapes of a layer for 8 x 8 images ----------------------------------------------------

RIGHT = dict(X=(32, 64), W=(64, 10), b=(10,), Z=(32, 10), parameters=650)


@pytest.mark.parametrize("changes, note", [
    ({}, None),
    ({"b": 10}, "Python writes a one-element tuple with a comma"),
    ({"b": (1, 10)}, "broadcasts the same way"),
    ({"X": [32, 64], "parameters": 650.0}, None),
])
def test_layer_shapes_accepts_equivalent_forms(changes, note):
    result = check.layer_shapes.evaluate(**{**RIGHT, **changes})
    _kind_and_message(result, "correct", "650 parameters", *([note] if note else []))


@pytest.mark.parametrize("changes, fragments", [
    ({"W": (10, 64)}, ["1 of the 5 answers needs another look", "W: that is the transpose, PyTorch's layout"]),
    ({"X": (64, 32)}, ["X: one row per image"]),
    ({"Z": (10, 32)}, ["Z: one row per image and one column per unit; yours is transposed"]),
    ({"b": (32, 10)}, ["b: each unit has one bias, shared by every instance"]),
    ({"b": (64,)}, ["one bias per unit, not one per input"]),
    ({"parameters": 640}, ["you counted the weights; every unit also has a bias"]),
    ({"parameters": 641}, ["not one for the whole layer"]),
    ({"parameters": 650 * 32}, ["the batch size does not change the layer"]),
    ({"parameters": 74}, ["a weight for every pair (input, unit)"]),
])
def test_layer_shapes_names_the_typical_mistakes(changes, fragments):
    _kind_and_message(check.layer_shapes.evaluate(**{**RIGHT, **changes}), "wrong", "Not yet: ", *fragments)


def test_layer_shapes_unanswered_and_invalid():
    blank = dict.fromkeys(RIGHT, ...)
    _kind_and_message(check.layer_shapes.evaluate(**blank), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.layer_shapes.evaluate(**{**RIGHT, "Z": ...}), "unanswered", "(in Z)")
    _kind_and_message(check.layer_shapes.evaluate(**{**RIGHT, "X": "32 x 64"}), "invalid",
                      "X should be a shape, a tuple of whole numbers")
    _kind_and_message(check.layer_shapes.evaluate(**{**RIGHT, "parameters": 650.5}), "invalid", "whole number")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_2"))
    for written in ["`step(inputs @ np.array([-1.0, -1.0]) + 0.5)`", "$x_2 = 2x_1 + 1$", "on or below the line",
                    r"1/\sqrt{5} \approx 0.447", r"$\mathbf{X}$: $(32, 64)$; $\mathbf{W}$: $(64, 10)$; "
                    r"$\mathbf{b}$: $(10,)$", "$(32, 10)$", "= 650$"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.nor_tlu.evaluate(np.array([-1.0, -1.0]), 0.5).passed
    assert check.boundary.evaluate(slope=2, intercept=1, side="on or below", distance=0.447).passed
    assert check.layer_shapes.evaluate(**RIGHT).passed
