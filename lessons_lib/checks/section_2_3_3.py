"""Checks of the exercises of section 2.3.3, activation functions: the sigmoid's bound on the gradient, softmax
with two classes, and where sigmoid and tanh saturate.

The references are computed with :mod:`lessons_lib.activations`: the peaks of the derivatives on a fine grid,
the sigmoid that a two-way softmax must reproduce, and the points where the derivatives cross the saturation
threshold (found by bisection on ``Activation.derivative``).
"""

from __future__ import annotations

import numpy as np

from ..activations import get_activation, saturation_mask, softmax
from ._core import (
    InvalidAnswer,
    call_answer,
    correct,
    exercise,
    expect_array,
    expect_number,
    fmt,
    wrong,
    wrong_parts,
)

__all__ = ["sigmoid_bound", "two_class_softmax", "saturation_edges"]

# Exercise 1: paths through this many sigmoid layers.
EX1_DEPTHS = (5, 10, 20)
# Exercise 2: logits at which the student's function is tried, large ones included (a naive exp overflows).
EX2_Z = np.array([-800.0, -30.0, -3.0, -0.5, 0.0, 0.5, 2.5, 30.0, 800.0])
# Exercise 3: the saturation threshold and the interval of the section's table.
EX3_THRESHOLD = 0.01
EX3_INTERVAL = (-6.0, 6.0)


def _peak(name: str) -> float:
    z = np.linspace(-10, 10, 200_001)  # contains z = 0
    return float(np.max(get_activation(name).derivative(z)))


@exercise(1)
def sigmoid_bound(peak, products, tanh_peak):
    """Exercise 1 of 2.3.3: the largest value of σ′ (``peak``), the largest product of the sigmoid derivatives
    along a path through 5, 10 and 20 layers (``products``, three numbers), and the largest value of tanh′
    (``tanh_peak``)."""
    peak = expect_number(peak, "peak")
    products = expect_array(products, "products", shape=(len(EX1_DEPTHS),),
                            example="[p5, p10, p20], one number per depth")
    tanh_peak = expect_number(tanh_peak, "tanh_peak")
    ref_peak, ref_tanh = _peak("sigmoid"), _peak("tanh")
    depths = np.array(EX1_DEPTHS)
    ref_products = ref_peak ** depths

    problems = []
    if not np.isclose(peak, ref_peak, rtol=1e-3):
        if np.isclose(peak, 0.5, rtol=1e-3):
            problems.append("peak: 0.5 is σ(0), the sigmoid's value. Its slope there is σ(0)(1 − σ(0)).")
        elif np.isclose(peak, 1.0, rtol=1e-3):
            problems.append("peak: 1 is tanh′(0). For the sigmoid, write σ′ = s(1 − s) with s = σ(z) in (0, 1): "
                            "how large can s(1 − s) be?")
        else:
            problems.append("peak: s(1 − s) with s = σ(z) is a parabola in s; where is it largest?")
    if not np.allclose(products, ref_products, rtol=0.02):
        wrong_sum = np.allclose(products, ref_peak * depths, rtol=0.02)
        off_by_one = np.allclose(products, ref_peak ** (depths - 1), rtol=0.02) or \
            np.allclose(products, ref_peak ** (depths + 1), rtol=0.02)
        if wrong_sum:
            problems.append("products: you added the derivatives. The chain rule multiplies one factor per "
                            "layer.")
        elif off_by_one:
            problems.append("products: a path through n sigmoid layers passes n derivatives, one per layer: "
                            "the product has n factors.")
        elif np.allclose(products, 0.5 ** depths, rtol=0.02):
            problems.append("products: 0.5 per layer is σ(0), not σ′(0).")
        elif np.allclose(products, 1 / ref_products, rtol=0.02):
            problems.append("products: the bound is a product of numbers below 1, so it is tiny, not huge.")
        else:
            problems.append("products: the largest possible product takes every factor at its peak: the peak "
                            "to the power n.")
    if not np.isclose(tanh_peak, ref_tanh, rtol=1e-3):
        if np.isclose(tanh_peak, 4.0, rtol=1e-3):
            problems.append("tanh_peak: tanh′(z) = 4σ′(2z), and σ′ is at most 1/4: multiply them.")
        elif np.isclose(tanh_peak, ref_peak, rtol=1e-3):
            problems.append("tanh_peak: tanh′ = 1 − tanh², and tanh(0) = 0; tanh is steeper than the sigmoid.")
        else:
            problems.append("tanh_peak: use tanh′ = 1 − tanh²; where is tanh² smallest?")
    if problems:
        return wrong_parts(problems, 3)
    shown = ", ".join(f"{p:.1e}" for p in ref_products)
    return correct(f"σ′ ≤ {fmt(ref_peak)}, so a path through 5, 10 and 20 sigmoid layers keeps at most {shown} "
                   f"of the gradient, before the weights have their say. tanh′ ≤ {fmt(ref_tanh)}: only its "
                   "saturation, not its peak, makes it shrink the gradient.")


@exercise(2)
def two_class_softmax(first_output):
    """Exercise 2 of 2.3.3: a function of an array ``z`` that returns, with ``softmax``, the first softmax
    output for the pairs of logits (z, 0); it should equal σ(z)."""
    got = call_answer(first_output, EX2_Z.copy(), name="first_output")
    ref = get_activation("sigmoid")(EX2_Z)
    if got is None:
        raise InvalidAnswer("first_output returned None: does your function end with return?")
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise InvalidAnswer("first_output should return an array of numbers, one per z.") from None
    pairs = np.stack([EX2_Z, np.zeros_like(EX2_Z)], axis=1)
    if got.shape == pairs.shape:
        if np.allclose(got[:, 0], ref, atol=1e-12):
            return wrong("your function returns both softmax outputs for each z; return only the first column "
                         "([:, 0]).")
        return wrong(f"your function returns an array of shape {got.shape}; it should return one number per z, "
                     "the first output of softmax for the pair (z, 0).")
    if got.shape != EX2_Z.shape:
        return wrong(f"for {EX2_Z.size} values of z, first_output returned shape {got.shape}; it should return "
                     f"one number per z, shape {EX2_Z.shape}.")
    if not np.all(np.isfinite(got)):
        bad = ", ".join(fmt(v) for v in EX2_Z[~np.isfinite(got)])
        return wrong(f"for z = {bad} your function returns nan or inf: an exponential overflowed. softmax "
                     "subtracts the largest logit first, so use it instead of writing out the exponentials.")
    if np.allclose(got, ref, atol=1e-12):
        return correct("first_output(z) equals σ(z) to rounding, for z from −800 to 800. Only the difference of "
                       "the two logits matters, so a 2-way softmax and one sigmoid unit describe the same "
                       "classifiers.")
    if np.allclose(got, 1 - ref, atol=1e-12):
        return wrong("your function returns σ(−z) = 1 − σ(z), the second softmax output (the class with logit "
                     "0). Take the first output.")
    if np.allclose(got, softmax(EX2_Z), atol=1e-12) or np.isclose(got.sum(), 1.0):
        return wrong("your outputs add up to 1 over the different values of z: softmax normalised along the "
                     "wrong axis. Put each pair (z, 0) in a row, np.stack([z, np.zeros_like(z)], axis=1), so "
                     "that the last axis holds the two logits.")
    return wrong("first_output(z) should be the first output of softmax for the two logits (z, 0), which works "
                 "out to σ(z). Build the pairs as rows of an array and apply softmax to each row.")


def _edge(name: str) -> float:
    """The z > 0 at which |φ′(z)| falls below the threshold (bisection on the library's derivative)."""
    derivative = get_activation(name).derivative
    lo, hi = 0.0, 50.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if abs(derivative(mid)) >= EX3_THRESHOLD else (lo, mid)
    return (lo + hi) / 2


@exercise(3)
def saturation_edges(z_sigmoid, z_tanh):
    """Exercise 3 of 2.3.3: roughly where (|z| beyond which) the derivatives of the sigmoid (``z_sigmoid``) and
    of tanh (``z_tanh``) fall below 0.01."""
    z_sig = abs(expect_number(z_sigmoid, "z_sigmoid"))
    z_tanh = abs(expect_number(z_tanh, "z_tanh"))
    ref_sig, ref_tanh = _edge("sigmoid"), _edge("tanh")
    tol = 0.1  # the approximation σ′ ≈ e^(−|z|) is this good at the threshold

    problems = []
    if abs(z_sig - ref_sig) > tol:
        if abs(z_sig - np.log10(1 / EX3_THRESHOLD)) < tol:
            problems.append("z_sigmoid: that is the logarithm to base 10; e^(−|z|) < 0.01 needs the natural "
                            "logarithm, |z| > ln 100.")
        elif abs(z_sig - 2 * ref_sig) < 2 * tol or abs(z_sig - ref_sig / 2) < tol:
            problems.append("z_sigmoid: solve e^(−|z|) = 0.01 for the sigmoid itself; the factors 2 and 4 belong "
                            "to tanh.")
        else:
            problems.append("z_sigmoid: for large |z|, σ′(z) ≈ e^(−|z|); solve e^(−|z|) = 0.01.")
    if abs(z_tanh - ref_tanh) > tol:
        if abs(z_tanh - 2 * ref_sig) < 2 * tol:
            problems.append("z_tanh: tanh′(z) = 4σ′(2z) has 2z inside: it reaches the sigmoid's edge when 2|z| "
                            "does, at half the distance, not twice.")
        elif abs(z_tanh - ref_sig / 2) < tol:
            problems.append("z_tanh: you halved the sigmoid's edge but left out the factor 4 in front: solve "
                            "4e^(−2|z|) = 0.01.")
        elif abs(z_tanh - np.log(4 / EX3_THRESHOLD)) < tol:
            problems.append("z_tanh: 4e^(−2|z|) = 0.01 gives 2|z| = ln 400; divide by 2.")
        elif abs(z_tanh - ref_sig) < tol:
            problems.append("z_tanh: that is the sigmoid's edge; tanh′(z) = 4σ′(2z) ≈ 4e^(−2|z|) falls off "
                            "twice as fast.")
        else:
            problems.append("z_tanh: use tanh′(z) = 4σ′(2z) ≈ 4e^(−2|z|) and solve it for 0.01.")
    if problems:
        return wrong_parts(problems, 2)
    grid = np.linspace(*EX3_INTERVAL, 601)
    shares = [saturation_mask(name, grid, threshold=EX3_THRESHOLD).mean() for name in ("sigmoid", "tanh")]
    return correct(f"σ′ falls below 0.01 beyond |z| ≈ {ref_sig:.2f} and tanh′ beyond |z| ≈ {ref_tanh:.2f}: "
                   f"tanh's derivative is taller but narrower. On [−6, 6] that leaves {shares[0]:.0%} and "
                   f"{shares[1]:.0%} saturated, as in the table.")
