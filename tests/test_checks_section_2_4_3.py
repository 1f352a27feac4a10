"""The checks of the exercises of 2.4.3: right answers pass in every form, typical mistakes get their own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_4_3 as check
from lessons_lib.gru import GRU
from lessons_lib.through_time import compare_gradient_flow

# ---- exercise 1: a two-layer GRU ---------------------------------------------------------------------------


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


@pytest.mark.parametrize("answer", [(4224, 6336, 10560), (4224.0, np.int64(6336), np.array([10560]))])
def test_two_layer_gru_accepts_the_counts(answer):
    _kind_and_message(check.two_layer_gru.evaluate(*answer), "correct", "4224 + 6336 = 10560")


@pytest.mark.parametrize("answer, fragments", [
    ((4224, 4224, 8448), ["1 of the 3 answers", "layer_2: the second layer reads the 32 outputs"]),
    ((4128, 6240, 10368), ["2 of the 3 answers", "two bias vectors, b_x and b_h"]),
    ((3 * (320 + 1024), 3 * (1024 + 1024), 3 * (320 + 2048 + 1024)), ["you left out the biases"]),
    ((5632, 8448, 14080), ["that is an LSTM's count, four layers"]),
    ((1408, 2112, 3520), ["that is one fully connected layer, a simple RNN"]),
    ((1152, 6336, 7488), ["layer_1: each of the three layers also reads h_(t−1)"]),
    ((4224, 6336, 4224), ["total: that is the first layer alone"]),
    ((4224, 6336, 10000), ["total: the two layers have separate weights"]),
    ((4000, 6336, 10336), ["layer_1: three layers (r, z, n)", "for this layer D = 10"]),
])
def test_two_layer_gru_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.two_layer_gru.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_two_layer_gru_unanswered_and_invalid():
    _kind_and_message(check.two_layer_gru.evaluate(..., ..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.two_layer_gru.evaluate(4224, ..., 10560), "unanswered", "(in layer_2)")
    _kind_and_message(check.two_layer_gru.evaluate(4224, 6336.5, 10560), "invalid", "layer_2 should be a whole number")
    _kind_and_message(check.two_layer_gru.evaluate("4224", 6336, 10560), "invalid", "layer_1 should be a whole number")


# ---- exercise 2: where the two variants coincide -----------------------------------------------------------


def _pair(bias=20.0, block=0, seeds=(0, 0), variants=("reset_after", "reset_before"), both=True, where="b_x"):
    after, before = (GRU(3, 4, s, variant=v) for s, v in zip(seeds, variants))
    for layer in (after, before) if both else (after,):
        getattr(layer, where).value[4 * block:4 * (block + 1)] = bias
    return after, before


@pytest.mark.parametrize("r, layers", [
    (1, _pair()),
    (1.0, _pair(bias=12.0)),
    (np.float64(1.0), _pair(where="b_h")),     # the bias of b_h adds to b_x's: the gate sees their sum
])
def test_reset_variants_accepts_the_test_in_every_form(r, layers):
    _kind_and_message(check.reset_variants.evaluate(r, *layers), "correct", "r = 1 makes the two candidates equal")


@pytest.mark.parametrize("r, kwargs, fragments", [
    (0, {}, ["r_same: with r = 0", "the bias b_hn does not"]),
    (0.5, {}, ["r_same: with every r equal to 0.5", "differ by the bias term"]),
    (2, {}, ["a reset gate is a sigmoid, between 0 and 1"]),
    (1, dict(block=1), ["you set the bias of z, the update gate", "r, z, n", "b_x.value[:4]"]),
    (1, dict(block=2), ["you set the bias of n, the candidate"]),
    (1, dict(bias=-20.0), ["a bias of −20 closes the reset gate"]),
    (1, dict(seeds=(0, 1)), ["their weights differ", "same seed"]),
    (1, dict(seeds=(1, 1)), ["build them with the seed 0 of the exercise"]),
    (1, dict(variants=("reset_before", "reset_after")), ["the two variants are swapped"]),
    (1, dict(variants=("reset_after", "reset_after")), ["both are variant='reset_after'"]),
    (1, dict(both=False), ["gru_before: set its reset gate's bias"]),
])
def test_reset_variants_names_the_typical_mistakes(r, kwargs, fragments):
    _kind_and_message(check.reset_variants.evaluate(r, *_pair(**kwargs)), "wrong", "Not yet: ", *fragments)


def test_reset_variants_unanswered_and_invalid():
    _kind_and_message(check.reset_variants.evaluate(..., ..., ...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.reset_variants.evaluate(1, *_pair()[:1], ...), "unanswered", "(in gru_before)")
    _kind_and_message(check.reset_variants.evaluate(1, "gru", _pair()[1]), "invalid",
                      "gru_after should be GRU(3, 4, 0, variant=\"reset_after\")")
    _kind_and_message(check.reset_variants.evaluate("one", *_pair()), "invalid", "r_same should be a number")
    wide = (GRU(5, 4, 0, variant="reset_after"), GRU(5, 4, 0, variant="reset_before"))
    _kind_and_message(check.reset_variants.evaluate(1, *wide), "wrong", "GRU(3, 4, 0, variant=...)")


# ---- exercise 4: the product of the keep gates against the measurement -------------------------------------

BIASES = np.array([1.0, 3.0, 5.0])
GATES = 1 / (1 + np.exp(-BIASES))


def _measured(cell="GRU", seed=2_4_3):
    out = []
    for b in BIASES:
        n = compare_gradient_flow(seq_len=50, rng=seed, keep_gate_bias=b, cells=(cell,))[cell]
        out.append(n[0] / n[-1])
    return np.array(out)


@pytest.mark.parametrize("products, measured", [
    (GATES ** 49, None),
    ([2e-7, 0.09, 0.72], [2e-5, 0.10, 0.71]),            # as the solution writes them
    ({1: 2.2e-7, 3: 0.095, 5: 0.72}, {5.0: 0.708, 1.0: 1.8e-5, 3.0: 0.099}),
])
def test_keep_gate_products_accepts_every_form(products, measured):
    measured = _measured() if measured is None else measured
    _kind_and_message(check.keep_gate_products.evaluate(products, measured), "correct", "times the product for b = 1")


@pytest.mark.parametrize("products, measured, fragments", [
    ((1 - GATES) ** 49, None, ["the write share of the other convention", "z_t itself, σ(b)"]),
    (GATES ** 50, None, ["count the factors again"]),
    (GATES, None, ["the factor of a single step"]),
    (GATES ** 49, _measured(cell="LSTM"), ["those are the LSTM's curves", 'cells=("GRU",)']),
    (GATES ** 49, 1 / _measured(), ["measured (b = 1): that is the ratio upside down"]),
    (GATES ** 49, GATES ** 49, ["measured (b = 1): that is σ(1)^49, the product of the gates"]),
    (GATES ** 49, [1.8e-5, 0.708, 0.0993], ["measured (b = 3): that is the measurement for keep_gate_bias=5"]),
    (GATES ** 49, [1.8e-5, 0.0993, 0.5], ["measured (b = 5): run compare_gradient_flow(seq_len=50, rng=2_4_3"]),
])
def test_keep_gate_products_names_the_typical_mistakes(products, measured, fragments):
    measured = _measured() if measured is None else measured
    _kind_and_message(check.keep_gate_products.evaluate(products, measured), "wrong", "Not yet: ", *fragments)


def test_keep_gate_products_unanswered_and_invalid():
    _kind_and_message(check.keep_gate_products.evaluate(..., ...), "unanswered", "Exercise 4 is not answered yet")
    _kind_and_message(check.keep_gate_products.evaluate(GATES ** 49, [2e-5, ..., 0.71]), "unanswered", "(in measured)")
    _kind_and_message(check.keep_gate_products.evaluate(GATES ** 49, [2e-5, 0.1]), "invalid",
                      "measured should have shape (3,)")
    _kind_and_message(check.keep_gate_products.evaluate(GATES ** 49, [2e-5, np.nan, 0.71]), "invalid", "NaN")
    _kind_and_message(check.keep_gate_products.evaluate(GATES ** 49, [2e-5, -0.1, 0.71]), "invalid", "at least 0")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_4_3"))
    for written in ["= 3 \\cdot 1408 = 4224$", "= 3 \\cdot 2112 = 6336$", "Total 10560",
                    "When every $r_t$ equals 1", 'gru_after = GRU(3, 4, 0, variant="reset_after")',
                    'gru_before = GRU(3, 4, 0, variant="reset_before")', "gru.b_x.value[:4] = 20.0",
                    "\\sigma(1)^{49} \\approx 2 \\times 10^{-7}", "\\sigma(3)^{49} \\approx 0.09",
                    "\\sigma(5)^{49} \\approx 0.72", "GRU measures about $2 \\times 10^{-5}$, 0.10 and 0.71",
                    "products = (1 / (1 + np.exp(-biases))) ** 49"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.two_layer_gru.evaluate(4224, 6336, 10560).passed
    assert check.reset_variants.evaluate(1, *_pair()).passed
    assert check.keep_gate_products.evaluate(GATES ** 49, _measured()).passed
    assert check.keep_gate_products.evaluate([2e-7, 0.09, 0.72], [2e-5, 0.10, 0.71]).passed
