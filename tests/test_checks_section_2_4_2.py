"""The checks of the exercises of 2.4.2: right answers pass in every form, typical mistakes get their own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.activations import sigmoid
from lessons_lib.checks import section_2_4_2 as check
from lessons_lib.through_time import compare_gradient_flow


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the memory road over 49 steps -------------------------------------------------------------

GATES = sigmoid(np.array([0.0, 1.0, 3.0, 5.0]))


def _measured(bias, cell="LSTM", seed=2_4_2):
    n = compare_gradient_flow(seq_len=50, rng=seed, keep_gate_bias=bias, cells=(cell,))[cell]
    return n[0] / n[-1]


@pytest.mark.parametrize("factors, measured", [
    (GATES ** 49, None),                                   # computed, and measured exactly
    ([2e-15, 2e-7, 0.09, 0.72], 0.2),                      # as the solution writes them
    ({0: 1.8e-15, 1: 2.2e-7, 3: 0.095, 5: 0.72}, 0.197),   # a dict keyed by the biases
    (np.array([[1.78e-15, 2.16e-7, 0.0946, 0.7197]]), np.array([0.1973])),  # a row, a one-element array
])
def test_memory_road_accepts_every_form(factors, measured):
    measured = _measured(5.0) if measured is None else measured
    _kind_and_message(check.memory_road.evaluate(factors, measured), "correct", "for b = 0, 1, 3, 5",
                      "far less than")


@pytest.mark.parametrize("factors, fragments", [
    (GATES ** 50, ["count the factors again", "49 gates"]),
    (GATES ** 48, ["count the factors again"]),
    ((1 - GATES) ** 49, ["you used 1 − σ(b)", "keeps the old state is σ(b) itself"]),
    (GATES, ["the factor of a single step"]),
    (GATES * 49, ["a power of σ(b), not σ(b) times 49"]),
    ((GATES ** 49)[::-1], ["reverse order"]),
    ([0.5, 0.2, 0.3, 0.4], ["multiplied by σ(b) at each of the 49 steps"]),
])
def test_memory_road_names_the_typical_mistakes_in_the_factors(factors, fragments):
    _kind_and_message(check.memory_road.evaluate(factors, 0.2), "wrong", "Not yet: ",
                      "1 of the 2 answers needs another look", *fragments)


@pytest.mark.parametrize("measured, fragments", [
    (1 / 0.1973, ["the ratio upside down", "norms[0] / norms[-1]"]),
    (1.0, ["1 is the share at the loss's own step"]),
    (0.72, ["that is σ(5)^49, the product of the gates", "rng=2_4_2, keep_gate_bias=5.0"]),
    (0.0964, ["the measurement for keep_gate_bias=3"]),
    (0.5, ["divide the first entry of its curve"]),
])
def test_memory_road_names_the_typical_mistakes_in_the_measurement(measured, fragments):
    _kind_and_message(check.memory_road.evaluate(GATES ** 49, measured), "wrong", "measured_b5: ", *fragments)


def test_memory_road_unanswered_and_invalid():
    _kind_and_message(check.memory_road.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.memory_road.evaluate(GATES ** 49, ...), "unanswered", "(in measured_b5)")
    _kind_and_message(check.memory_road.evaluate([1e-15, 2e-7], 0.2), "invalid", "factors should have shape (4,)")
    _kind_and_message(check.memory_road.evaluate({0: 1, 2: 3}, 0.2), "invalid", "biases 0, 1, 3, 5 as keys")
    _kind_and_message(check.memory_road.evaluate(GATES ** 49, np.nan), "invalid", "finite number")
    _kind_and_message(check.memory_road.evaluate(GATES ** 49, -0.2), "invalid", "at least 0")
    _kind_and_message(check.memory_road.evaluate(GATES ** 49, "0.2"), "invalid", "measured_b5 should be a number")


# ---- exercise 3: the set-ups of the first-value runs -------------------------------------------------------

BIAS = dict(seeds=range(10), forget_bias=2.0, first_only=True)
DEFAULT = dict(seeds=range(10), first_only=True)
RNN = dict(seeds=range(10), cell="rnn", first_only=True)


@pytest.mark.parametrize("setups", [
    (BIAS, DEFAULT, RNN),
    (dict(forget_bias=2, first_only=True), dict(first_only=True, forget_bias=None), dict(cell="RNN", first_only=1)),
    (dict(BIAS, seeds=list(range(10)), epochs=30, lr=0.02), dict(DEFAULT, cell="lstm"), dict(RNN, n=512)),
])
def test_first_value_setups_accepts_every_form(setups):
    _kind_and_message(check.first_value_setups.evaluate(*setups), "correct", "train_marked_value_runs(**first_bias)")


@pytest.mark.parametrize("setups, fragments", [
    ((dict(forget_bias=2.0), {}, dict(cell="rnn")), ["all 3 answers need another look",
                                                    "this is the marked-value task again"]),
    ((DEFAULT, BIAS, RNN), ["first_bias and first_default are swapped"]),
    ((BIAS, dict(DEFAULT, forget_bias=0.0), RNN), ["forget_bias=0.0 sets the forget gate's biases to exactly 0"]),
    ((BIAS, dict(DEFAULT, forget_bias=1.0), RNN), ["first_default: this group runs at the default initialisation"]),
    ((dict(BIAS, forget_bias=None), DEFAULT, RNN), ["first_bias: this group starts the forget gate open"]),
    ((dict(BIAS, forget_bias=1.0), DEFAULT, RNN), ["forget_bias=1.0; the page's runs use 2.0"]),
    ((BIAS, DEFAULT, dict(RNN, forget_bias=2.0)), ["cell='rnn' has no forget gate"]),
    ((BIAS, DEFAULT, dict(RNN, cell="gru")), ["cell='gru'; this group is a simple RNN"]),
    ((dict(BIAS, seeds=range(1, 11)), DEFAULT, RNN), ["use the page's ten, range(10)"]),
    ((dict(BIAS, epochs=20), DEFAULT, RNN), ["keep the page's settings (epochs=30)"]),
])
def test_first_value_setups_names_the_typical_mistakes(setups, fragments):
    _kind_and_message(check.first_value_setups.evaluate(*setups), "wrong", "Not yet: ", *fragments)


def test_first_value_setups_unanswered_and_invalid():
    _kind_and_message(check.first_value_setups.evaluate(..., ..., ...), "unanswered", "Exercise 3 is not answered")
    _kind_and_message(check.first_value_setups.evaluate(BIAS, ..., RNN), "unanswered", "(in first_default)")
    _kind_and_message(check.first_value_setups.evaluate(BIAS, DEFAULT, "rnn"), "invalid",
                      "first_rnn should be a dict of keyword arguments")
    _kind_and_message(check.first_value_setups.evaluate(BIAS, DEFAULT, dict(celll="rnn")), "invalid",
                      "has no argument 'celll'", "first_only")
    _kind_and_message(check.first_value_setups.evaluate(dict(BIAS, seeds="0-9"), DEFAULT, RNN), "invalid",
                      "seeds should be whole numbers")


def test_first_value_setups_refuses_trained_runs_with_a_reason():
    from lessons_lib.views.lstm import MarkedValueRuns
    runs = MarkedValueRuns((0,), np.zeros((1, 30)), [], [])
    _kind_and_message(check.first_value_setups.evaluate(runs, DEFAULT, RNN), "invalid", "not their result")


# ---- exercise 4: a temperature softmax that does not overflow ----------------------------------------------


def _safe(z, T):
    e = np.exp((z - np.max(z)) / T)
    return e / e.sum()


def test_softmax_with_temperature_accepts_correct_functions():
    for function in (_safe, lambda z, T: _safe(np.asarray(z) / T, 1.0),
                     lambda z, T: np.exp(z / T - np.log(np.sum(np.exp(z / T - np.max(z / T)))) - np.max(z / T))):
        _kind_and_message(check.softmax_with_temperature.evaluate(function), "correct", "T = 0.001")


def _naive(z, T):
    e = np.exp(z / T)
    return e / e.sum()


def _shift_by_min(z, T):
    e = np.exp((z - np.min(z)) / T)
    return e / e.sum()


@pytest.mark.parametrize("function, fragments", [
    (_naive, ["T = 0.001", "overflows", "e^(z_max/T)"]),
    (_shift_by_min, ["overflows"]),
    (lambda z, T: _safe(z * T, 1.0), ["those of z · T", "divides the logits"]),
    (lambda z, T: _safe(-z, T), ["prefers the smallest logit"]),
    (lambda z, T: _safe(z, 1.0), ["the temperature is not used"]),
    (lambda z, T: np.log(_safe(z, T)), ["log-probabilities"]),
    (lambda z, T: np.exp((z - np.max(z)) / T), ["add up to", "not 1"]),
    (lambda z, T: _safe(z, 2 * T), ["Compute e^((z_k − z_max)/T)"]),
])
def test_softmax_with_temperature_names_the_typical_mistakes(function, fragments):
    _kind_and_message(check.softmax_with_temperature.evaluate(function), "wrong", "Not yet: ", *fragments)


def test_softmax_with_temperature_unanswered_and_invalid():
    _kind_and_message(check.softmax_with_temperature.evaluate(...), "unanswered", "Exercise 4 is not answered")
    _kind_and_message(check.softmax_with_temperature.evaluate(np.array([0.7, 0.2, 0.1])), "invalid",
                      "softmax_T should be a function of (z, T)")
    _kind_and_message(check.softmax_with_temperature.evaluate(lambda z: z), "invalid", "calling softmax_T raised")
    _kind_and_message(check.softmax_with_temperature.evaluate(lambda z, T: np.ones(2)), "invalid",
                      "one probability per logit")
    _kind_and_message(check.softmax_with_temperature.evaluate(lambda z, T: None), "invalid",
                      "should return an array of probabilities")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_4_2"))
    for written in ["sigmoid(np.array([0.0, 1.0, 3.0, 5.0])) ** 49", "0.5^{49} \\approx 2 \\times 10^{-15}",
                    "0.73^{49} \\approx 2 \\times 10^{-7}", "0.953^{49} \\approx 0.09", "0.9933^{49} \\approx 0.72",
                    "`n[0] / n[-1]` of about 0.2",
                    "first_bias = dict(seeds=range(10), forget_bias=2.0, first_only=True)",
                    "first_default = dict(seeds=range(10), first_only=True)",
                    'first_rnn = dict(seeds=range(10), cell="rnn", first_only=True)',
                    "e = np.exp((z - np.max(z)) / T)", "return e / e.sum()"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.memory_road.evaluate(GATES ** 49, _measured(5.0)).passed
    assert check.memory_road.evaluate([2e-15, 2e-7, 0.09, 0.72], 0.2).passed
    assert check.first_value_setups.evaluate(BIAS, DEFAULT, RNN).passed
    assert check.softmax_with_temperature.evaluate(_safe).passed
