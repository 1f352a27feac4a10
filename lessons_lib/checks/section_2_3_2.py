"""Checks of the exercises of section 2.3.2, vanishing and exploding gradients: predictions of how the
gradient's size changes from layer to layer, with the standard initialisation and under dropout.

The references come from the variance argument of the section, with the numbers read from
:mod:`lessons_lib.initializers` (the variance of the drawn weights) and :mod:`lessons_lib.dropout` (the
factor by which a dropout layer scales its survivors). The measurements of the notebook
(``gradient_flow_view``) lie within the tolerances; the tests check that, so that a student who reports a
measured number instead of a predicted one passes too.
"""

from __future__ import annotations

import numpy as np

from ..dropout import Dropout
from ..initializers import initialize
from ._core import InvalidAnswer, correct, describe, exercise, expect_number, fmt, wrong, wrong_parts

__all__ = ["standard_tanh_ratios", "dropout_growth", "width_dependence"]

# Exercise 1: tanh networks of 128-unit hidden layers with the standard ("pytorch_default") initialisation.
EX1_WIDTH = 128
EX1_DEPTHS = (10, 20)
# Exercise 2: dropout rate of the explorer's experiment.
EX2_RATE = 0.9
# Exercise 3: the widths the student tries.
EX3_WIDTHS = (16, 256)
# A ratio counts as right within this factor of the prediction (the measurements lie within it, the
# off-by-one-layer answer does not).
RATIO_FACTOR = 1.35


def _n_var(init: str, width: int) -> float:
    """n · Var(w) of ``init`` for a square layer of ``width`` units, estimated from a large draw."""
    W = initialize(init, (width, max(width, 16384 // width)), np.random.default_rng(0))
    return width * float(W.var())


def _within_factor(value: float, reference: float, factor: float = RATIO_FACTOR) -> bool:
    return value > 0 and abs(np.log(value / reference)) < np.log(factor)


@exercise(1)
def standard_tanh_ratios(factor, ratio_10, ratio_20):
    """Exercise 1 of 2.3.2: for tanh with the standard initialisation and 128 units per layer, the per-layer
    factor of the gradient's size and the first/last ratios for 10 and for 20 hidden layers."""
    factor = expect_number(factor, "factor")
    ratio_10 = expect_number(ratio_10, "ratio_10")
    ratio_20 = expect_number(ratio_20, "ratio_20")
    ref_factor = float(np.sqrt(_n_var("pytorch_default", EX1_WIDTH)))  # tanh' ≈ 1 near 0
    ref = {depth: ref_factor ** (depth - 1) for depth in EX1_DEPTHS}

    problems = []
    if abs(factor - ref_factor) > 0.03:
        hints = [
            (ref_factor ** 2, "that is the factor of the variance, n · Var(w); the size of the gradient (its RMS) "
                              "changes by its square root."),
            (ref_factor / 4, "tanh′(0) is 1, not the sigmoid's 1/4: near z = 0 tanh passes the gradient on "
                             "unchanged."),
            (1 / ref_factor, "that would make the gradient grow. With Var(w) = 1/(3 n), is n · Var(w) above or "
                             "below 1?"),
            (1.0, "1 is Glorot's aim, not what the standard initialisation gives: work out n · Var(w) for "
                  "U(−1/√n, 1/√n)."),
        ]
        hint = next((h for value, h in hints if abs(factor - value) < 0.02),
                    "the factor is about √(n · Var(w) · E[φ′²]); for U(−a, a), Var(w) = a²/3, and near 0 "
                    "tanh′ ≈ 1.")
        problems.append("factor: " + hint)
    for depth, answer, name in ((EX1_DEPTHS[0], ratio_10, "ratio_10"), (EX1_DEPTHS[1], ratio_20, "ratio_20")):
        if _within_factor(answer, ref[depth]):
            continue
        if answer > 1 and _within_factor(1 / answer, ref[depth]):
            problems.append(f"{name}: that is last/first. The ratio is the first hidden layer's RMS over the "
                            "last one's, below 1 when the gradient shrinks on its way down.")
        elif _within_factor(answer, ref_factor ** depth, 1.2):
            problems.append(f"{name}: {depth} hidden layers are {depth - 1} steps from the last to the first, "
                            f"not {depth}.")
        elif _within_factor(answer, ref_factor ** (2 * (depth - 1)), 1.5):
            problems.append(f"{name}: that is how much the variance shrinks, n · Var(w) once per step; the "
                            "RMS, the gradient's size, shrinks by the square root of that per step.")
        else:
            problems.append(f"{name}: multiply the per-layer factor once for each step between two layers.")
    if problems:
        return wrong_parts(problems, 3)
    return correct(f"about {fmt(ref_factor, 2)} per layer, so about {fmt(ref[10], 2)} over 9 steps and "
                   f"{fmt(ref[20], 2)} over 19. The measured ratios are a little lower: the first layers"
                   ", fed inputs of variance 1, sit where tanh′ < 1.")


def _dropout_scale(p: float) -> float:
    """The value a dropout layer gives a survivor of input 1, read from lessons_lib.dropout."""
    out, _ = Dropout(p, rng=0).forward(np.ones(1000))
    return float(out.max())


@exercise(2)
def dropout_growth(growth_per_layer):
    """Exercise 2 of 2.3.2: the factor per layer by which the gradient's RMS grows towards the input in a ReLU
    network with He initialisation and dropout at rate 0.9."""
    growth = expect_number(growth_per_layer, "growth_per_layer")
    scale = _dropout_scale(EX2_RATE)                 # 1 / (1 - p)
    second_moment = (1 - EX2_RATE) * scale ** 2      # the survivors' share times their square
    ref = float(np.sqrt(second_moment))              # He's 2 and ReLU's 1/2 cancel
    if abs(growth - ref) <= 0.3:
        return correct(f"about {fmt(ref, 3)} per layer: dropout keeps the mean of every activation and gradient, "
                       f"but multiplies their second moment by 1/(1 − p) = {fmt(second_moment, 3)}, and He's "
                       "initialisation was tuned for a factor 1 before it. Nine layers compound it to about "
                       f"{fmt(ref ** 9, 2)}.")
    hints = [
        (second_moment, "that is the factor of the second moment (the variance); the RMS, the gradient's "
                        "size, grows by its square root."),
        (1.0, "dropout keeps the mean, since the survivors are divided by 1 − p, but not the second moment: "
              "a survivor's square is (1/(1 − p))², and only a share 1 − p survives."),
        (scale, "1/(1 − p) is what each survivor is multiplied by, but only a share 1 − p of the units survive: "
                "combine the two in the second moment, then take the root."),
        (1 - EX2_RATE, "dropout does not shrink the signal on average: the survivors are divided by 1 − p, "
                       "which makes them larger."),
        (np.sqrt(1 - EX2_RATE), "dropout does not shrink the signal on average: the survivors are divided by "
                                "1 − p, which makes them larger."),
        (ref * np.sqrt(2), "He's factor 2 in Var(w) is already used up by ReLU, which zeroes half of the "
                           "units: together they make a factor 1."),
        (ref / np.sqrt(2), "He's factor 2 in Var(w) makes up for ReLU's halving: together they make a factor "
                           "1, so only dropout is left."),
    ]
    hint = next((h for value, h in hints if abs(growth - value) <= 0.05 * max(value, 1.0)),
                "without dropout, ReLU with He initialisation keeps the gradient level (a factor 1); what does "
                "dropout at rate p do to the second moment of a signal?")
    return wrong(hint)


_NORMAL_WORDS = ("normal", "n(0,1)", "n(0, 1)", "gauss")
_STANDARD_WORDS = ("pytorch", "default", "standard init", "standard initialisation", "standard initialization")


def _initializer(value) -> str:
    if not isinstance(value, str):
        raise InvalidAnswer(f"depends should be the name of an initializer, 'normal' or 'pytorch_default'; got "
                            f"{describe(value)}.")
    text = value.strip().lower()
    standard = any(word in text for word in _STANDARD_WORDS) or text in ("standard", "uniform")
    normal = any(word in text for word in _NORMAL_WORDS) and "pytorch" not in text
    if normal and not standard:
        return "normal"
    if standard and not normal:
        return "pytorch_default"
    raise InvalidAnswer(f"depends should name one initializer, 'normal' or 'pytorch_default'; got {value!r}.")


@exercise(3)
def width_dependence(depends, n_var_standard):
    """Exercise 3 of 2.3.2: which initializer's first/last ratio depends on the width (``depends``: "normal"
    or "pytorch_default"), and n · Var(w) of the standard initialisation (``n_var_standard``)."""
    depends = _initializer(depends)
    n_var = expect_number(n_var_standard, "n_var_standard")
    products = {init: [_n_var(init, width) for width in EX3_WIDTHS] for init in ("normal", "pytorch_default")}
    # The initializer whose n · Var(w) changes with the width is the one whose ratio does.
    ref_depends = max(products, key=lambda init: products[init][1] / products[init][0])
    ref_n_var = products["pytorch_default"][1]

    problems = []
    if depends != ref_depends:
        problems.append("depends: the standard initialisation draws from U(−1/√n, 1/√n), narrower for wider "
                        "layers. What does that do to n · Var(w) as n grows, and which initializer does not "
                        "scale by the fan-in?")
    if abs(n_var - ref_n_var) > 0.02:
        hints = [
            (ref_n_var / EX1_WIDTH, "that is Var(w) for a layer of 128 inputs; n · Var(w) multiplies it by n "
                                    "again, and the n cancels."),
            (np.sqrt(ref_n_var), "that is its square root, the factor of the signal's size; n · Var(w) is the "
                                 "factor of the variance."),
            (1.0, "that is the Var(w) of N(0, 1) (or Glorot's aim for n · Var(w)). U(−a, a) has variance a²/3, "
                  "with a = 1/√n here."),
        ]
        hint = next((h for value, h in hints if abs(n_var - value) < 0.1 * value),
                    "U(−a, a) has variance a²/3; the standard initialisation takes a = 1/√n.")
        problems.append("n_var_standard: " + hint)
    if problems:
        return wrong_parts(problems, 2)
    return correct(f"only N(0, 1) depends on the width: its n · Var(w) = n grows with the layer, while the "
                   f"standard initialisation gives n · Var(w) = {fmt(ref_n_var, 2)} for every width, so its ratio "
                   "stays at about 0.006. Scaling by the fan-in is what makes depth, not width, decide.")
