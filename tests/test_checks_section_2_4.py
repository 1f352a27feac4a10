"""The checks of the exercises of 2.4: right answers pass in every form, typical mistakes get their own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_4 as check
from lessons_lib.rnn import RNN


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: counting the parameters of RNN(3, 5) --------------------------------------------------------

COUNTS = dict(in_equations=45, in_rnn=50, for_600_steps=45)


@pytest.mark.parametrize("changes", [{}, {"in_equations": 45.0, "in_rnn": np.int64(50)},
                                     {"for_600_steps": np.array([45])}])
def test_parameter_count_accepts_the_counts_in_every_form(changes):
    _kind_and_message(check.parameter_count.evaluate(**{**COUNTS, **changes}), "correct", "learns 45 values",
                      "RNN stores 50", "neither number depends on the length")


@pytest.mark.parametrize("changes, fragments", [
    ({"in_equations": 40}, ["1 of the 3 answers needs another look", "in_equations: you counted the weights"]),
    ({"in_equations": 20}, ["you left out W_ŷ"]),
    ({"in_equations": 25}, ["W_ŷ is a square matrix", "all 5 neurons"]),
    ({"in_equations": 50}, ["that counts two bias vectors", "only their sum b appears"]),
    ({"in_equations": 41}, ["one bias per neuron, not one for the whole layer"]),
    ({"in_equations": 64}, ["it is not square"]),
    ({"in_equations": 30}, ["count the entries of W_x"]),
    ({"in_rnn": 45}, ["in_rnn: RNN keeps two bias vectors"]),
    ({"in_rnn": 40}, ["in_rnn: count the biases too"]),
    ({"in_rnn": 60}, ["in_rnn: add up the sizes of W_x, W_h, b_x and b_h"]),
    ({"for_600_steps": 45 * 600}, ["for_600_steps: the same weights are reused at every step"]),
    ({"for_600_steps": 45 * 6}, ["adds no parameters"]),
    ({"for_600_steps": 50}, ["for_600_steps: that is what RNN stores"]),
    ({"in_equations": 40, "for_600_steps": 40}, ["2 of the 3 answers", "it repeats your first answer"]),
    ({"for_600_steps": 44}, ["does the size of W_x, W_ŷ or b involve the number of time steps"]),
])
def test_parameter_count_names_the_typical_mistakes(changes, fragments):
    _kind_and_message(check.parameter_count.evaluate(**{**COUNTS, **changes}), "wrong", "Not yet: ", *fragments)


def test_parameter_count_unanswered_and_invalid():
    _kind_and_message(check.parameter_count.evaluate(..., ..., ...), "unanswered", "Exercise 1 is not answered")
    _kind_and_message(check.parameter_count.evaluate(45, 50, ...), "unanswered", "(in for_600_steps)")
    _kind_and_message(check.parameter_count.evaluate(45.5, 50, 45), "invalid", "in_equations should be a whole")
    _kind_and_message(check.parameter_count.evaluate("45", 50, 45), "invalid", "the string '45'")
    _kind_and_message(check.parameter_count.evaluate(45, np.nan, 45), "invalid", "in_rnn should be a finite")
    _kind_and_message(check.parameter_count.evaluate(45, 50), "invalid",
                      "takes (in_equations, in_rnn, for_600_steps)")


# ---- exercise 2: a linear recurrent neuron ------------------------------------------------------------------

OUTPUTS = dict(w_y_05=[1, 0.5, 0.25, 0.125], w_y_1=[1, 1, 1, 1], w_y_15=[1, 1.5, 2.25, 3.375])


@pytest.mark.parametrize("changes", [
    {},
    {"w_y_05": np.array([1.0, 0.5, 0.25, 0.125]), "w_y_1": (1.0, 1.0, 1.0, 1.0)},
    {"w_y_15": np.array([[1.0], [1.5], [2.25], [3.375]])},          # a column is fine
    {"w_y_05": [1, 1 / 2, 1 / 4, 1 / 8 + 1e-9]},
])
def test_linear_neuron_accepts_the_outputs_in_every_form(changes):
    _kind_and_message(check.linear_neuron.evaluate(**{**OUTPUTS, **changes}), "correct",
                      "ŷ₃ = 0.125, 1 and 3.375", "fades", "never forgets", "explodes")


@pytest.mark.parametrize("changes, fragments", [
    ({"w_y_05": [1, 1.5, 1.75, 1.875]}, ["1 of the 3 answers needs another look",
                                         "w_y_05 (w_ŷ = 0.5): the input is 1 only at step 0"]),
    ({"w_y_1": [1, 2, 3, 4]}, ["w_y_1 (w_ŷ = 1): the input is 1 only at step 0"]),
    ({"w_y_05": np.tanh([1, 0.5 * np.tanh(1), 0.5 * np.tanh(0.5 * np.tanh(1)),
                         0.5 * np.tanh(0.5 * np.tanh(0.5 * np.tanh(1)))])}, ["you applied tanh"]),
    ({"w_y_15": [1, 0, 0, 0]}, ["w_y_15 (w_ŷ = 1.5): ŷₜ also receives w_ŷ·ŷₜ₋₁"]),
    ({"w_y_05": [0, 1, 0.5, 0.25]}, ["ŷ₀ already includes x₀"]),
    ({"w_y_05": [0.5, 0.25, 0.125, 0.0625]}, ["x₀ enters with w_x = 1"]),
    ({"w_y_15": [3.375, 2.25, 1.5, 1]}, ["in time order, ŷ₀ first"]),
    ({"w_y_05": [1, 1.5, 2, 2.5], "w_y_15": [1, 2.5, 4, 5.5]}, ["2 of the 3", "is not added to it"]),
    ({"w_y_05": [0, 1, 0.5, 0.25, 0.125]}, ["w_y_05: you wrote 5 numbers starting with 0", "starting value"]),
    ({"w_y_1": [1, 1, 1, 2]}, ["apply ŷₜ = w_x·xₜ + w_ŷ·ŷₜ₋₁ one step at a time"]),
])
def test_linear_neuron_names_the_typical_mistakes(changes, fragments):
    _kind_and_message(check.linear_neuron.evaluate(**{**OUTPUTS, **changes}), "wrong", "Not yet: ", *fragments)


def test_linear_neuron_unanswered_and_invalid():
    _kind_and_message(check.linear_neuron.evaluate(..., ..., ...), "unanswered", "Exercise 2 is not answered")
    _kind_and_message(check.linear_neuron.evaluate(**{**OUTPUTS, "w_y_1": [1, 1, ..., 1]}), "unanswered",
                      "(in w_y_1)")
    _kind_and_message(check.linear_neuron.evaluate(**{**OUTPUTS, "w_y_1": [1, 1, 1]}), "invalid",
                      "w_y_1 should have shape (4,)", "a list of four numbers", "got shape (3,)")
    _kind_and_message(check.linear_neuron.evaluate(**{**OUTPUTS, "w_y_15": [1, 1.5, np.inf, 3]}), "invalid",
                      "NaN or inf")
    _kind_and_message(check.linear_neuron.evaluate(**{**OUTPUTS, "w_y_05": "1, 0.5"}), "invalid",
                      "w_y_05 should be an array of numbers", "the string")


# ---- exercise 3: order matters ----------------------------------------------------------------------------


def _notebook_layer_and_X():
    # As the notebook draws them: the first two uses of default_rng(2_4).
    rng = np.random.default_rng(2_4)
    layer = RNN(input_size=3, hidden_size=5, rng=rng)
    return layer, rng.normal(size=(4, 6, 3))


@pytest.fixture(scope="module")
def runs():
    layer, X = _notebook_layer_and_X()
    return {"layer": layer, "X": X, "Y": layer.forward(X)[0], "Y_rev": layer.forward(X[:, ::-1])[0]}


def test_order_matters_accepts_the_final_outputs_in_every_form(runs):
    forward, reverse = runs["Y"][:, -1], runs["Y_rev"][:, -1]
    layer, X = runs["layer"], runs["X"]
    for answer in [(forward, reverse),
                   (layer.forward(X)[1]["final_state"], layer.forward(X[:, ::-1])[1]["final_state"]),
                   (runs["Y"][:, -1:], runs["Y_rev"][:, -1:]),              # the time axis kept, one step
                   (forward.tolist(), reverse.astype(np.float32))]:               # float32 rounding is close
        _kind_and_message(check.order_matters.evaluate(*answer), "correct", "differ by up to 1.2",
                          "the sum of the inputs over time is the same")


def test_order_matters_names_the_typical_mistakes(runs):
    layer, X, Y, Y_rev = runs["layer"], runs["X"], runs["Y"], runs["Y_rev"]
    forward, reverse = Y[:, -1], Y_rev[:, -1]
    cases = [
        ((reverse, forward), ["your two answers are swapped"]),
        ((forward, forward), ["1 of the 2 answers", "Y_reverse: it equals the forward run"]),
        ((forward, layer.forward(X[::-1])[0][:, -1]), ["X[::-1] reverses the order of the sequences in the batch"]),
        ((forward, layer.forward(X[:, :, ::-1])[0][:, -1]), ["you reversed the features of each step"]),
        ((forward, Y[:, ::-1][:, -1]), ["you reversed the outputs of the forward run"]),
        ((forward, Y_rev[:, 0]), ["the first step of the reversed run"]),
        ((Y[:, 0], reverse), ["Y_forward: that is the output of the first step"]),
        ((Y, reverse), ["Y_forward: that is the output at every step, shape (4, 6, 5)"]),
        ((forward + 0.01, reverse), ["not the final output of layer.forward(X) for this notebook's layer",
                                     "restart the kernel"]),
        ((forward, reverse - 0.01), ["run layer.forward on X[:, ::-1]"]),
    ]
    for answer, fragments in cases:
        _kind_and_message(check.order_matters.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_order_matters_unanswered_and_invalid(runs):
    forward, reverse = runs["Y"][:, -1], runs["Y_rev"][:, -1]
    _kind_and_message(check.order_matters.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.order_matters.evaluate(forward, ...), "unanswered", "(in Y_reverse)")
    _kind_and_message(check.order_matters.evaluate(forward.T, reverse), "invalid",
                      "Y_forward should have shape (4, 5)", "transposed")
    _kind_and_message(check.order_matters.evaluate(forward, reverse[:2]), "invalid",
                      "Y_reverse should have shape (4, 5)", "got shape (2, 5)")
    _kind_and_message(check.order_matters.evaluate(forward, np.full((4, 5), np.nan)), "invalid", "NaN")
    _kind_and_message(check.order_matters.evaluate(None, reverse), "invalid", "None (did a function return")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_4"))
    for written in ["45 numbers. `RNN` and PyTorch store 50", "Neither number depends on the sequence",
                    r"$\hat y_0 = 1$, $\hat y_1 = 0.5$, $\hat y_2 = 0.25$, $\hat y_3 = 0.125$",
                    "$1, 1, 1, 1$", "$1, 1.5, 2.25, 3.375$",
                    "Y_forward = layer.forward(X)[0][:, -1]", "Y_reverse = layer.forward(X[:, ::-1])[0][:, -1]"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.parameter_count.evaluate(45, 50, 45).passed
    assert check.linear_neuron.evaluate([1, 0.5, 0.25, 0.125], [1, 1, 1, 1], [1, 1.5, 2.25, 3.375]).passed
    layer, X = _notebook_layer_and_X()
    namespace = {"layer": layer, "X": X}
    exec("Y_forward = layer.forward(X)[0][:, -1]\nY_reverse = layer.forward(X[:, ::-1])[0][:, -1]", namespace)
    assert check.order_matters.evaluate(namespace["Y_forward"], namespace["Y_reverse"]).passed
