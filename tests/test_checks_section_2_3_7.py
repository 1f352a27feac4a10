"""The checks of the exercises of 2.3.7: a dropped unit's mean and variance, the forgotten scaling as functions
of p, and a network with input dropout; right answers pass in every form, typical mistakes get their own hint."""

import re
import textwrap

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_3_7 as check
from lessons_lib.datasets import make_moons
from lessons_lib.dropout import Dropout
from lessons_lib.layers import ActivationLayer, Dense
from lessons_lib.network import Sequential, mlp
from lessons_lib.optimizers import Adam
from lessons_lib.training import History, evaluate, fit

X, y = make_moons(540, rng=0, noise=0.4)
X_train, y_train, X_val, y_val = X[:40], y[:40], X[40:], y[40:]


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: mean and variance of a dropped unit ------------------------------------------------------

RIGHT = dict(kept=3.75, p_kept=0.8, mean=3, variance=2.25)


@pytest.mark.parametrize("answer", [RIGHT, dict(kept=3 / 0.8, p_kept=1 - 0.2, mean=3.0, variance=9 * 0.2 / 0.8),
                                    dict(kept=np.float64(3.75), p_kept=np.array([0.8]), mean=3, variance=2.2500001)])
def test_dropped_unit_accepts_the_answer_in_every_form(answer):
    _kind_and_message(check.dropped_unit.evaluate(**answer), "correct", "E[h̃] = 3 = h", "Var[h̃] = 2.25")


@pytest.mark.parametrize("changes, fragments", [
    ({"kept": 3, "mean": 2.4, "variance": 1.44}, ["3 of the 4 answers", "kept: that is h unscaled",
                                                  "mean: that is the mean without the scaling",
                                                  "variance: it follows from your kept value"]),
    ({"kept": 2.4}, ["multiplied h by 1 − p"]),
    ({"kept": 15}, ["divided by p, the probability of being dropped"]),
    ({"kept": 0}, ["0 is the value of a dropped unit"]),
    ({"p_kept": 0.2, "mean": 0.75}, ["p_kept: p = 0.2 is the probability of being dropped",
                                     "mean: it follows from your kept value and p_kept"]),
    ({"mean": 3.75}, ["that is the kept value alone"]),
    ({"variance": 11.25}, ["that is E[h̃²]"]),
    ({"variance": 36}, ["the fraction is upside down"]),
    ({"variance": 0.25}, ["you left out the factor h²"]),
    ({"variance": 0.75}, ["with the square of h, h², not with h"]),
    ({"variance": 0.16}, ["the variance of the mask r alone"]),
    ({"variance": 1.44}, ["the variance of the unscaled h·r"]),
    ({"variance": -2.25}, ["never negative"]),
    ({"mean": 1.0, "variance": 5.0}, ["E[h̃] = Σ value · probability", "Var[h̃] = E[h̃²] − E[h̃]²"]),
])
def test_dropped_unit_names_the_typical_mistakes(changes, fragments):
    _kind_and_message(check.dropped_unit.evaluate(**{**RIGHT, **changes}), "wrong", "Not yet: ", *fragments)


def test_dropped_unit_unanswered_and_invalid():
    blank = dict.fromkeys(RIGHT, ...)
    _kind_and_message(check.dropped_unit.evaluate(**blank), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.dropped_unit.evaluate(**{**RIGHT, "variance": ...}), "unanswered", "(in variance)")
    _kind_and_message(check.dropped_unit.evaluate(**{**RIGHT, "kept": (0, 3.75)}), "invalid",
                      "kept should be a number", "a tuple of 2 items")
    _kind_and_message(check.dropped_unit.evaluate(**{**RIGHT, "mean": np.nan}), "invalid", "finite number")


# ---- exercise 2: the forgotten scaling -------------------------------------------------------------------


@pytest.mark.parametrize("ratio, weight_factor", [
    (lambda p: 1 / (1 - p), lambda p: 1 - p),
    (lambda p: 1.0 / (1.0 - p), lambda p: (1 - p) ** 1),
    (lambda p: np.array([1 / (1 - p)]), lambda p: np.float64(1 - p)),
])
def test_forgotten_scaling_accepts_every_right_function(ratio, weight_factor):
    _kind_and_message(check.forgotten_scaling.evaluate(ratio, weight_factor), "correct", "1/(1 − p) times",
                      "Inverted dropout divides by 1 − p during training")


@pytest.mark.parametrize("ratio, weight_factor, fragments", [
    (lambda p: 1 - p, lambda p: 1 / (1 - p), ["all 2 answers", "ratio: that is training over test time",
                                              "weight_factor: that factor makes the weights larger"]),
    (lambda p: 1 / p, lambda p: p, ["ratio: in training a unit is on with probability 1 − p, not p",
                                    "weight_factor: a unit was on with probability 1 − p, not p"]),
    (lambda p: 1 + p, lambda p: 1 - p, ["1 of the 2 answers", "1 + p is close only for small p"]),
    (lambda p: 2, lambda p: 0.5, ["2 is right for p = 0.5 only", "0.5 is right for p = 0.5 only"]),
    (lambda p: 3, lambda p: 1 - p, ["what is the average of the sum?"]),
    (lambda p: 1 / (1 - p), lambda p: 1, ["turn the test-time sum back into its training average"]),
    (2, lambda p: 1 - p, ["ratio should be a function of the drop rate p", "which is right for p = 0.5"]),
    (lambda p: 1 / (1 - p), 0.25, ["weight_factor should be a function", "which is not right for p = 0.5"]),
])
def test_forgotten_scaling_names_the_typical_mistakes(ratio, weight_factor, fragments):
    _kind_and_message(check.forgotten_scaling.evaluate(ratio, weight_factor), "wrong", "Not yet: ", *fragments)


def test_forgotten_scaling_unanswered_and_invalid():
    _kind_and_message(check.forgotten_scaling.evaluate(..., ...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.forgotten_scaling.evaluate(lambda p: 2, ...), "unanswered", "(in weight_factor)")
    _kind_and_message(check.forgotten_scaling.evaluate("1/(1-p)", lambda p: 1 - p), "invalid",
                      "ratio should be a function of the drop rate p", "the string")
    _kind_and_message(check.forgotten_scaling.evaluate(lambda p: 1 / (p - 0.5), lambda p: 1 - p), "invalid",
                      "calling ratio(0.5) raised ZeroDivisionError")
    _kind_and_message(check.forgotten_scaling.evaluate(lambda p: [1, 2], lambda p: 1 - p), "invalid",
                      "ratio(0.1) should be a number")


# ---- exercise 3: input dropout ------------------------------------------------------------------------------


def _network(p_in=0.2, p_hidden=0.5, inputs=True, hidden=True, output=False, order="after", sizes=(2, 256, 256, 2)):
    init = np.random.default_rng(0)
    layers = [Dropout(p_in, rng=1)] if inputs else []
    for k, (a, b) in enumerate(zip(sizes[:-2], sizes[1:-1])):
        layers.append(Dense(a, b, init))
        block = [ActivationLayer("relu")] + ([Dropout(p_hidden, rng=2 + k)] if hidden else [])
        layers += block if order == "after" else block[::-1]
    layers.append(Dense(sizes[-2], sizes[-1], init))
    if output:
        layers.append(Dropout(0.5, rng=9))
    return Sequential(*layers)


def _trained(net, epochs=200):
    fit(net, "cross_entropy", Adam(net.parameters(), lr=3e-3), X_train, y_train, epochs=epochs, batch_size=20,
        rng=0)
    return net


TRAINED = _trained(_network())


@pytest.mark.parametrize("net", [
    TRAINED,
    _trained(_network(order="before"), epochs=5),                  # Dropout before ReLU: the same for ReLU
    _trained(Sequential(Dropout(0.2, rng=1), mlp([2, 256, 256, 2], rng=0, dropout=0.5)), epochs=5),   # nested
])
def test_input_dropout_accepts_the_network(net):
    _kind_and_message(check.input_dropout.evaluate(net), "correct", "dropout 0.2 on the inputs",
                      "on the 40 training points of seed 0")


@pytest.mark.parametrize("net, fragments", [
    (_network(), ["right layers but is not trained yet"]),
    (_network(p_in=0.8), ["p is the probability of dropping", "not of keeping"]),
    (_network(p_in=0.5, p_hidden=0.2), ["the rates are swapped"]),
    (_network(p_in=0.5), ["the input Dropout has p = 0.5"]),
    (_network(p_hidden=0.3), ["the hidden layers keep p = 0.5"]),
    (_network(inputs=False), ["the first layer should drop inputs"]),
    (_trained(mlp([2, 256, 256, 2], rng=0, dropout=0.5), epochs=5), ["the first layer should drop inputs"]),
    (_network(hidden=False), ["keep a Dropout(0.5) after each hidden layer"]),
    (_network(output=True), ["output units are never dropped"]),
    (Sequential(*_network().layers, ActivationLayer("sigmoid")), ["ends with sigmoid", "leave the two logits"]),
    (_network(sizes=(2, 64, 64, 2)), ["the table's sizes, 2 → 256 → 256 → 2"]),
    (_network(inputs=False, sizes=(2, 64, 2)), ["net_in needs another look", "should drop inputs", "sizes"]),
])
def test_input_dropout_names_the_typical_mistakes(net, fragments):
    _kind_and_message(check.input_dropout.evaluate(net), "wrong", "Not yet: ", *fragments)


def test_input_dropout_unanswered_and_invalid():
    _kind_and_message(check.input_dropout.evaluate(...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.input_dropout.evaluate(History()), "invalid", "what fit returns, its History")
    _kind_and_message(check.input_dropout.evaluate(_network().layers), "invalid",
                      "net_in should be a Sequential network", "a list of 8 items")


def test_input_dropout_leaves_the_network_in_its_mode():
    TRAINED.train()
    check.input_dropout.evaluate(TRAINED)
    assert TRAINED.training and all(layer.training for layer in TRAINED)


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_7"))
    for written in [r"$\tilde h = 3/0.8 = 3.75$ with probability $0.8$", r"$\mathbb{E}[\tilde h] = 0.8 \cdot 3.75 = 3",
                    "= 11.25 - 9 = 2.25$", "`ratio = lambda p: 1 / (1 - p)`", "`weight_factor = lambda p: 1 - p`"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    assert check.dropped_unit.evaluate(3.75, 0.8, 3, 2.25).passed
    assert check.forgotten_scaling.evaluate(lambda p: 1 / (1 - p), lambda p: 1 - p).passed
    (code,) = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)\n\s*```", text, re.S)]
    namespace = {"np": np, "Dropout": Dropout, "Adam": Adam, "evaluate": evaluate, "print": lambda *args: None,
                 "X_train": X_train, "y_train": y_train, "X_val": X_val, "y_val": y_val,
                 # validation scores after every epoch do not change the training; skip them to save time
                 "fit": lambda *args, validation_data=None, **kwargs: fit(*args, **kwargs)}
    exec(code, namespace)
    assert check.input_dropout.evaluate(namespace["net"]).passed
