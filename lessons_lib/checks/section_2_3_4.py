"""Checks of the exercises of section 2.3.4, hidden layers: counting parameters, and what a shallow network
needs to copy a deep sawtooth.

The references are computed with :mod:`lessons_lib.network` (the parameters of the digits networks, counted
on real ``mlp`` objects) and :mod:`lessons_lib.views.hidden_layers` (the sawtooth networks and their straight
pieces).
"""

from __future__ import annotations

import numpy as np

from ..network import mlp
from ..views.hidden_layers import count_linear_pieces, parameter_count, sawtooth_network
from ._core import correct, exercise, expect_number, wrong_parts

__all__ = ["parameter_budget", "shallow_sawtooth"]

# Exercise 1: the digits networks, 64 inputs and 10 classes, with hidden layers 32 x 32.
EX1_INPUTS, EX1_CLASSES, EX1_HIDDEN = 64, 10, (32, 32)
# Exercise 2: the sawtooths of the text.
EX2_DEPTHS = (3, 4)
EX2_DEEP = 10


def _params(hidden) -> int:
    return parameter_count(mlp([EX1_INPUTS, *hidden, EX1_CLASSES], rng=0))


@exercise(1)
def parameter_budget(parameters, width):
    """Exercise 1 of 2.3.4: the number of parameters of the digits network with hidden layers 32 x 32
    (``parameters``) and the width of a single hidden layer with the same number (``width``)."""
    parameters = expect_number(parameters, "parameters", integer=True)
    width = expect_number(width, "width")
    sizes = [EX1_INPUTS, *EX1_HIDDEN, EX1_CLASSES]
    ref = _params(EX1_HIDDEN)
    # One hidden layer of H units has a H + b parameters: measure a and b on two real networks.
    p1, p2 = _params((1,)), _params((2,))
    per_unit, fixed = p2 - p1, p1 - (p2 - p1)
    ref_width = (ref - fixed) / per_unit
    weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))

    problems = []
    if parameters != ref:
        hints = {
            weights: "you counted the weights only; every unit, the output units too, also has a bias.",
            weights + len(sizes) - 1: "one bias per unit, not one per layer.",
            ref - EX1_CLASSES: "the 10 output units have biases too.",
            ref - sum(EX1_HIDDEN): "the hidden units have biases too.",
            ref - (EX1_HIDDEN[-1] * EX1_CLASSES + EX1_CLASSES): "the output layer, 32 → 10, has parameters too.",
        }
        problems.append("parameters: " + hints.get(parameters, "add up, layer by layer, (inputs × outputs) "
                                                               "weights and one bias per output."))
    if abs(width - ref_width) > 0.6:
        shallow_weights_only = ref / (EX1_INPUTS + EX1_CLASSES)
        no_output = (ref - EX1_HIDDEN[0]) / (EX1_INPUTS + 1)
        up = int(np.ceil(ref_width))
        if round(width) == up:
            problems.append(f"width: {up} units give {per_unit * up + fixed} parameters and {up - 1} give "
                            f"{per_unit * (up - 1) + fixed}: which is closer to the budget? (If you divided the "
                            "budget by 64 + 10, count the single layer's biases too.)")
        elif abs(width - shallow_weights_only) < 0.6:
            problems.append("width: count the single layer's biases too: H units have 64H weights and H biases "
                            "in, 10H weights and 10 biases out.")
        elif abs(width - no_output) < 0.6 or abs(width - ref / (EX1_INPUTS + 1)) < 0.6:
            problems.append("width: the single hidden layer also feeds the 10 outputs: its units have outgoing "
                            "weights as well.")
        else:
            problems.append("width: write the parameters of a single hidden layer of H units as a formula in H "
                            "(inputs, biases, outputs) and set it equal to the budget.")
    if problems:
        return wrong_parts(problems, 2)
    return correct(f"{ref} parameters, as in the table; a single layer of H units has {per_unit}H + {fixed}, so "
                   f"H ≈ {ref_width:.1f}, about {round(ref_width)} units.")


def _pieces(depth: int) -> int:
    x = np.linspace(0.0, 1.0, 2 ** 12 + 1)
    return count_linear_pieces(x, sawtooth_network(depth)(x[:, None])[:, 0])


@exercise(2)
def shallow_sawtooth(pieces_3, pieces_4, units, parameters):
    """Exercise 2 of 2.3.4: the straight pieces of ``sawtooth_network(3)`` and ``(4)``, and the units and
    parameters a one-hidden-layer ReLU network (one input, one output) needs for the depth-10 sawtooth."""
    pieces_3 = expect_number(pieces_3, "pieces_3", integer=True)
    pieces_4 = expect_number(pieces_4, "pieces_4", integer=True)
    units = expect_number(units, "units", integer=True)
    parameters = expect_number(parameters, "parameters", integer=True)
    ref3, ref4, ref_deep = _pieces(EX2_DEPTHS[0]), _pieces(EX2_DEPTHS[1]), _pieces(EX2_DEEP)
    ref_units = ref_deep                          # one unit per straight piece (the text's slope argument)
    shallow = mlp([1, ref_units, 1], rng=0)
    ref_parameters = parameter_count(shallow)     # 3 H + 1
    deep_parameters = parameter_count(sawtooth_network(EX2_DEEP))

    problems = []
    for name, answer, ref in (("pieces_3", pieces_3, ref3), ("pieces_4", pieces_4, ref4)):
        if answer == ref:
            continue
        if answer == ref // 2:
            problems.append(f"{name}: that is the number of teeth; every tooth is two straight pieces, a rise "
                            "and a fall.")
        elif answer == ref - 1:
            problems.append(f"{name}: that is the number of kinks; the pieces lie between them, one more.")
        else:
            problems.append(f"{name}: run count_linear_pieces on the network's output over a fine grid of [0, 1], "
                            "as in the cell of the table.")
    if units != ref_units:
        if units == ref_units - 1:
            problems.append(f"units: {units} units make the {units} kinks, but the slope argument of the text "
                            "needs one more, a unit that is straight on all of [0, 1], for the first slope.")
        elif units == ref_deep // 2:
            problems.append("units: one unit per straight piece, not per tooth.")
        elif units == 2 * EX2_DEEP:
            problems.append("units: that is the deep network's count; a single layer cannot reuse units, so it "
                            "needs one per straight piece.")
        else:
            problems.append("units: a one-hidden-layer network with H units has at most H + 1 pieces, and the text "
                            "shows that the sawtooth needs one unit per piece.")
    if parameters != 3 * units + 1 or units != ref_units:
        if parameters == deep_parameters:
            problems.append("parameters: that is the deep network's count.")
        elif parameters in (3 * units, 3 * ref_units):
            problems.append("parameters: the output unit has a bias too.")
        elif parameters in (2 * units + 1, 2 * ref_units + 1):
            problems.append("parameters: every hidden unit has a weight and a bias in and a weight out.")
        elif parameters != 3 * units + 1 and units == ref_units:
            problems.append("parameters: H hidden units with one input and one output have H weights in, H "
                            "biases, H weights out and one output bias.")
    if problems:
        return wrong_parts(problems, 4)
    return correct(f"{ref3} and {ref4} pieces: one more layer of 2 units doubles them. The depth-10 sawtooth has "
                   f"{ref_deep} pieces, so one hidden layer needs {ref_units} units and {ref_parameters} "
                   f"parameters, against the deep network's {deep_parameters}.")
