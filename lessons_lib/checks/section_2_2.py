"""Checks of the exercises of section 2.2, the perceptron: a TLU for NOR, a decision boundary, a layer's shapes.

The references are computed with :mod:`lessons_lib.perceptron` and :mod:`lessons_lib.views.perceptron` from
the exercises' data (the weights of exercise 2, the sizes of exercise 3), never written in by hand.
"""

from __future__ import annotations

import numpy as np

from .. import perceptron
from ..activations import step
from ..views.perceptron import tlu_region
from ._core import (
    InvalidAnswer,
    correct,
    describe,
    exercise,
    expect_array,
    expect_number,
    expect_shape,
    fmt,
    wrong,
    wrong_parts,
)

__all__ = ["nor_tlu", "boundary", "layer_shapes"]

# The four inputs of a two-input unit, in binary counting order (as `inputs` in the notebook).
INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
NOR = [1, 0, 0, 0]
OR = [0, 1, 1, 1]
# Exercise 2: the TLU whose boundary the student describes.
EX2_W, EX2_B = np.array([2.0, -1.0]), 1.0
# Exercise 3: a batch of 32 flattened 8 x 8 images into 10 units.
EX3_BATCH, EX3_INPUTS, EX3_UNITS = 32, 64, 10


def _weights_and_bias(w, b) -> tuple[np.ndarray, float]:
    # The two arguments cannot be confused (two weights, one bias): accept them in either order.
    if np.size(w) == 1 and np.size(b) == 2 and not isinstance(w, (str, dict)) and not isinstance(b, (str, dict)):
        w, b = b, w
    w = expect_array(w, "w", shape=(2,), example="np.array([1.0, 1.0]), one weight per input")
    return w, expect_number(b, "b")


def _inputs_where(mask) -> str:
    return ", ".join("(" + ", ".join(str(int(v)) for v in x) + ")" for x in INPUTS[mask])


@exercise(1)
def nor_tlu(w, b):
    """Exercise 1 of 2.2: weights ``w`` (two numbers) and a bias ``b`` for a TLU that computes NOR."""
    w, b = _weights_and_bias(w, b)
    z = INPUTS @ w + b
    got = step(z).astype(int).tolist()
    if got == NOR:
        on_boundary = z == 0
        if on_boundary.any():
            return correct(f"step(inputs @ w + b) gives {got}, NOR. But {_inputs_where(on_boundary)} lies on the "
                           "boundary (z = 0) and is decided only by the convention step(0) = 1: a bias a "
                           "little farther from the edge leaves a margin.")
        return correct(f"step(inputs @ w + b) gives {got}: your unit fires only for (0, 0). Notice that w "
                       "points away from the inputs that must silence the unit.")
    if got == OR:
        return wrong(f"your unit computes OR, {got}, the opposite of NOR. Negating a unit swaps its two "
                     "sides: what does that do to w and b?")
    if got[0] == 0:
        return wrong(f"your unit is silent for (0, 0), where NOR fires. There z = w·0 + b = b = {fmt(b)}: "
                     "what sign must the bias have for the unit to fire on the all-zero input?")
    fires = (np.array(got) == 1) & (np.array(NOR) == 0)
    k = int(np.flatnonzero(fires)[0])
    return wrong(f"your unit also fires for {_inputs_where(fires)}, where NOR is 0 (for "
                 f"{_inputs_where(np.arange(4) == k)}, z = {fmt(z[k])} is not below 0). An active input must "
                 "push z below zero, so its weight has to outweigh the bias.")


def _side(value) -> str:
    if not isinstance(value, str):
        raise InvalidAnswer(f"side should be the word 'above' or 'below'; got {describe(value)}.")
    words = value.lower().replace("-", " ").split()
    below = {"below", "under", "beneath", "underneath", "lower"}
    above = {"above", "over", "upper"}
    if below & set(words) and not above & set(words):
        return "below"
    if above & set(words) and not below & set(words):
        return "above"
    raise InvalidAnswer(f"side should be the word 'above' or 'below' (the line); got {value!r}.")


@exercise(2)
def boundary(slope, intercept, side, distance):
    """Exercise 2 of 2.2: the boundary of the TLU with w = (2, -1), b = 1 as x2 = slope * x1 + intercept,
    the side of the line where it fires ('above' or 'below'), and the boundary's distance from the origin."""
    slope = expect_number(slope, "slope")
    intercept = expect_number(intercept, "intercept")
    side = _side(side)
    distance = expect_number(distance, "distance")
    # The reference line through the two points where the boundary crosses a box around the origin.
    (x1a, x2a), (x1b, x2b) = tlu_region(EX2_W, EX2_B, xlim=(-10, 10), ylim=(-10, 10)).boundary
    ref_slope = (x2b - x2a) / (x1b - x1a)
    ref_intercept = x2a - ref_slope * x1a
    below_point = np.array([0.0, ref_intercept - 1.0])
    ref_side = "below" if step(below_point @ EX2_W + EX2_B) == 1 else "above"
    ref_distance = abs(EX2_B) / np.linalg.norm(EX2_W)

    problems = []
    if not np.isclose(slope, ref_slope, atol=1e-3):
        if np.isclose(slope, -ref_slope, atol=1e-3):
            problems.append("slope: check its sign. Solve w₁x₁ + w₂x₂ + b = 0 for x₂ one step at a time; "
                            "dividing by w₂ = −1 flips every sign.")
        elif np.isclose(slope, 1 / ref_slope, atol=1e-3):
            problems.append("slope: that is how far x₁ moves when x₂ grows by 1; the slope of x₂ = … is "
                            "how far x₂ moves when x₁ grows by 1.")
        else:
            problems.append("slope: solve 2x₁ − x₂ + 1 = 0 for x₂; the factor in front of x₁ is the slope.")
    if not np.isclose(intercept, ref_intercept, atol=1e-3):
        if np.isclose(intercept, -ref_intercept, atol=1e-3):
            problems.append("intercept: check its sign (dividing by w₂ = −1 flips it).")
        else:
            problems.append("intercept: where does the line cross the x₂ axis? Set x₁ = 0 in its equation.")
    if side != ref_side:
        problems.append(f"side: test one point. Is z = w·x + b ≥ 0 at the origin, which lies {ref_side} the "
                        "line? And remember that w points to the side where the unit fires.")
    if not np.isclose(distance, ref_distance, atol=1.5e-3):
        norm = np.linalg.norm(EX2_W)
        hints = [
            (abs(EX2_B), "distance: that is |b| alone; the distance is |b| divided by the length of w."),
            (abs(EX2_B) / norm**2, "distance: you divided by ‖w‖²; divide by the length ‖w‖ itself."),
            (abs(EX2_B) / np.abs(EX2_W).sum(), "distance: the length of w is √(w₁² + w₂²), not |w₁| + |w₂|."),
            (norm / abs(EX2_B), "distance: that is ‖w‖ / |b|, upside down."),
        ]
        hint = next((h for value, h in hints if np.isclose(distance, value, atol=1.5e-3)),
                    "distance: the signed distance of a point from the boundary is z / ‖w‖; what is z at "
                    "the origin?")
        problems.append(hint)
    if problems:
        return wrong_parts(problems, 4)
    return correct(f"the boundary is x₂ = {fmt(ref_slope)}x₁ + {fmt(ref_intercept)}, the unit fires {ref_side} "
                   f"it, at distance {ref_distance:.3f} from the origin. Now scale w and b by 10: which of "
                   "these three answers change?")


@exercise(3)
def layer_shapes(X, W, b, Z, parameters):
    """Exercise 3 of 2.2: for 32 images of 64 features and 10 units, the shapes of X, W, b and
    Z = X W + b (tuples), and the number of parameters of the layer (an integer)."""
    answers = {"X": X, "W": W, "b": b, "Z": Z}
    bare_number = isinstance(b, (int, np.integer)) and not isinstance(b, bool)
    shapes = {name: expect_shape(value, name) for name, value in answers.items()}
    parameters = expect_number(parameters, "parameters", integer=True)

    layer = perceptron.Perceptron(EX3_INPUTS, EX3_UNITS)
    batch = np.zeros((EX3_BATCH, EX3_INPUTS))
    ref = {"X": batch.shape, "W": layer.W.shape, "b": layer.b.shape, "Z": layer.decision_function(batch).shape}
    ref_parameters = layer.W.size + layer.b.size

    problems = []
    notes = []
    if shapes["X"] != ref["X"]:
        if shapes["X"] == ref["X"][::-1]:
            problems.append("X: one row per image (instance), one column per feature; yours is the other way "
                            "round.")
        else:
            problems.append("X: how many images are in the batch, and how many features does each have?")
    if shapes["W"] != ref["W"]:
        if shapes["W"] == ref["W"][::-1]:
            problems.append("W: that is the transpose, PyTorch's layout (units, inputs). This book stores one "
                            "row per input and one column per unit, so that X W works.")
        else:
            problems.append("W: it connects every input to every unit: one row per input, one column per unit.")
    if shapes["b"] != ref["b"]:
        if shapes["b"] == (1, *ref["b"]):
            notes.append("A b of that shape broadcasts the same way, but the book's (and Perceptron's) b is "
                         "one-dimensional.")
        elif shapes["b"] == (EX3_BATCH, *ref["b"]) or shapes["b"] == (EX3_BATCH,):
            problems.append("b: each unit has one bias, shared by every instance of the batch.")
        elif shapes["b"] == (EX3_INPUTS,):
            problems.append("b: there is one bias per unit, not one per input.")
        else:
            problems.append("b: how many biases does a layer of units have?")
    elif bare_number:
        notes.append(f"(You wrote b as the number {b}: Python writes a one-element tuple with a comma, "
                     f"({b},).)")
    if shapes["Z"] != ref["Z"]:
        if shapes["Z"] == ref["Z"][::-1]:
            problems.append("Z: one row per image and one column per unit; yours is transposed.")
        else:
            problems.append("Z: X W has as many rows as X and as many columns as W.")
    if parameters != ref_parameters:
        n_weights = layer.W.size
        if parameters == n_weights:
            problems.append("parameters: you counted the weights; every unit also has a bias.")
        elif parameters == n_weights + 1:
            problems.append("parameters: every unit has its own bias, not one for the whole layer.")
        elif parameters in (ref_parameters * EX3_BATCH, n_weights * EX3_BATCH):
            problems.append("parameters: the batch size does not change the layer; the same weights serve "
                            "every image.")
        elif parameters == EX3_INPUTS + EX3_UNITS:
            problems.append("parameters: there is a weight for every pair (input, unit), not one per input.")
        else:
            problems.append("parameters: count the entries of W and of b.")
    if problems:
        return wrong_parts(problems, 5)
    return correct(f"X {ref['X']}, W {ref['W']}, b {ref['b']}, Z {ref['Z']}, and {ref_parameters} parameters. "
                   "A Perceptron with 64 inputs and 10 units agrees." + ("\n" + " ".join(notes) if notes else ""))
