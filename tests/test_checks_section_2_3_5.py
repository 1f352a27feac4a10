"""The checks of the exercises of 2.3.5: the ravine's rates, Adam's first step as a function, and the
weight-decay runs; right answers pass in every form, typical mistakes get their own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_3_5 as check


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the maximum rate of the ravine -------------------------------------------------------------


@pytest.mark.parametrize("max_lr, best_lr", [(0.1, 0.05), (0.0999, 0.05), (1 / 10, 0.1 / 2), (np.float64(0.1), 0.0501),
                                             (np.array([0.1]), 0.05)])
def test_ravine_rates_accepts_the_answer_in_every_form(max_lr, best_lr):
    _kind_and_message(check.ravine_rates.evaluate(max_lr, best_lr), "correct", "2/20 = 0.1", "0.95 per step")


@pytest.mark.parametrize("max_lr, best_lr, fragments", [
    (0.2, 0.1, ["2 answers need another look", "the curvature is 20, not 10", "the rule is right; fix max_lr"]),
    (2, 1, ["the limit of the flat direction θ₁"]),
    (0.05, 0.025, ["lands on its minimum in one step"]),
    (0.1, 0.1, ["1 of the 2 answers", "you gave the maximum itself"]),
    (0.101, 0.05, ["just above the limit"]),
    (0.19, 0.095, ["the limit of momentum SGD"]),
    (40, 20, ["the rate divides the curvature"]),
    (2 / 21, 0.05, ["each is its own parabola"]),
    (0.3, 1, ["which rates does |1 − α·a| stay below 1", "ideal for the flat direction alone"]),
    (0.1, 0.07, ["the rule takes half of the largest rate"]),
])
def test_ravine_rates_names_the_typical_mistakes(max_lr, best_lr, fragments):
    _kind_and_message(check.ravine_rates.evaluate(max_lr, best_lr), "wrong", "Not yet: ", *fragments)


def test_ravine_rates_unanswered_and_invalid():
    _kind_and_message(check.ravine_rates.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.ravine_rates.evaluate(0.1, ...), "unanswered", "(in best_lr)")
    _kind_and_message(check.ravine_rates.evaluate("0.1", 0.05), "invalid", "max_lr should be a number",
                      "the string '0.1'")
    _kind_and_message(check.ravine_rates.evaluate(0.1, np.nan), "invalid", "best_lr should be a finite number")
    _kind_and_message(check.ravine_rates.evaluate([0.1, 0.05], 0.05), "invalid", "a list of 2 items")


# ---- exercise 2: Adam's first step --------------------------------------------------------------------------


def _step_by_step(g, lr, eps):
    # (2.2)-(2.6) written out for t = 1, one scalar at a time
    b1, b2 = 0.9, 0.999
    m = (1 - b1) * g
    v = (1 - b2) * g * g
    m_hat, v_hat = m / (1 - b1), v / (1 - b2)
    return -lr * m_hat / (v_hat ** 0.5 + eps)


@pytest.mark.parametrize("first_step", [
    lambda g, lr, eps: -lr * g / (np.abs(g) + eps),                 # the solution, on arrays
    _step_by_step,                                                  # one number at a time, (2.2)-(2.6)
    lambda g, lr, eps: list(-lr * g / (np.abs(g) + eps)),           # a list is fine
    lambda g, lr, eps, betas=(0.9, 0.999): -lr * g / (np.sqrt(g * g) + eps),
])
def test_adam_first_step_accepts_every_right_function(first_step):
    _kind_and_message(check.adam_first_step.evaluate(first_step), "correct", "agrees with lessons_lib's Adam")


B2 = 0.999


@pytest.mark.parametrize("first_step, fragments", [
    (lambda g, lr, eps: lr * g / (np.abs(g) + eps), ["wrong sign"]),
    (lambda g, lr, eps: -lr * g, ["plain gradient descent"]),
    (lambda g, lr, eps: -lr * 0.1 * g / (np.sqrt(1 - B2) * np.abs(g) + eps), ["without the bias corrections"]),
    (lambda g, lr, eps: -lr * g / (np.sqrt(1 - B2) * np.abs(g) + eps), ["corrected m₁ with (2.4) but not v₁"]),
    (lambda g, lr, eps: -lr * 0.1 * g / (np.abs(g) + eps), ["corrected v₁ with (2.5) but not m₁"]),
    (lambda g, lr, eps: -lr * g / (g * g + eps), ["not by v̂ itself"]),
    (lambda g, lr, eps: -lr * g / np.sqrt(g * g + eps), ["ε goes outside the square root"]),
    (lambda g, lr, eps: -lr * g / (np.abs(g) + eps / np.sqrt(1 - B2)), ["rearranged form of the Adam paper"]),
    (lambda g, lr, eps: -lr * np.sign(g), ["for gradients as small as ε it is not"]),
    (lambda g, lr, eps: -0.1 * g / (np.abs(g) + eps), ["ignores its argument lr", "lr = 0.01"]),
    (lambda g, lr, eps: -lr * g / (np.abs(g) + 1e-8), ["ignores its argument eps", "eps = 0.001"]),
    (lambda g, lr, eps: -lr * g / np.abs(g), ["for g = 0", "not a number", "safe when a gradient is 0"]),
    (lambda g, lr, eps: -lr * g / (np.abs(g) + eps) + 1e-3, ["which is not what Adam does", "(2.2)-(2.6)"]),
])
def test_adam_first_step_names_the_typical_mistakes(first_step, fragments):
    _kind_and_message(check.adam_first_step.evaluate(first_step), "wrong", "Not yet: ", *fragments)


def test_adam_first_step_unanswered_and_invalid():
    _kind_and_message(check.adam_first_step.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.adam_first_step.evaluate(-0.1), "invalid", "first_step should be a function",
                      "got the number -0.1")
    _kind_and_message(check.adam_first_step.evaluate(lambda g: -0.1 * np.sign(g)), "invalid",
                      "calling first_step raised TypeError")
    _kind_and_message(check.adam_first_step.evaluate(lambda g, lr, eps: None), "invalid",
                      "should return a number", "None")


# ---- exercise 3: weight decay, coupled and decoupled --------------------------------------------------------

RIGHT = dict(adam_big=0.224, adam_small=0.224, adamw_big=0.905, adamw_small=0.999)


@pytest.mark.parametrize("answer", [
    RIGHT,
    dict(adam_big=0.22445, adam_small=0.22445, adamw_big=0.9048, adamw_small=0.99900),
    dict(adam_big=0.2244, adam_small=0.2245, adamw_big=np.exp(-0.1), adamw_small=np.exp(-0.001)),  # e^(-αλ·100)
])
def test_weight_decay_runs_accepts_three_significant_digits(answer):
    _kind_and_message(check.weight_decay_runs.evaluate(**answer), "correct", "θ ≈ 0.224", "0.905 and 0.999")


@pytest.mark.parametrize("changes, fragments", [
    ({"adam_big": 0.905, "adam_small": 0.999}, ["2 of the 4 answers", "that is what AdamW gives",
                                                "about α whatever the size of λθ"]),
    ({"adam_big": 0.0, "adam_small": 0.0}, ["not exactly α: v̂ remembers the larger gradients"]),
    ({"adam_big": 1.0}, ["Adam's weight_decay adds λθ to it"]),
    ({"adam_big": 0.22}, ["close; give three significant digits"]),
    ({"adam_big": 0.5}, ["does λ survive it"]),
    ({"adamw_big": (1 - 0.1) ** 100, "adamw_small": (1 - 0.001) ** 100}, ["the learning rate times λ, not by 1 − λ"]),
    ({"adamw_big": 0.9, "adamw_small": 0.9999}, ["the shrinking compounds"]),
    ({"adamw_big": 1.0, "adamw_small": 1.0}, ["the decoupled decay still shrinks θ"]),
    ({"adamw_big": 0.224}, ["that is what Adam gives; did you swap"]),
    ({"adamw_big": 0.5}, ["θ ← (1 − α·λ)·θ"]),
])
def test_weight_decay_runs_names_the_typical_mistakes(changes, fragments):
    _kind_and_message(check.weight_decay_runs.evaluate(**{**RIGHT, **changes}), "wrong", "Not yet: ", *fragments)


def test_weight_decay_runs_recognises_swapped_optimizers():
    swapped = dict(adam_big=0.905, adam_small=0.999, adamw_big=0.224, adamw_small=0.224)
    _kind_and_message(check.weight_decay_runs.evaluate(**swapped), "wrong", "your values for Adam are AdamW's")


def test_weight_decay_runs_unanswered_and_invalid():
    blank = dict.fromkeys(RIGHT, ...)
    _kind_and_message(check.weight_decay_runs.evaluate(**blank), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.weight_decay_runs.evaluate(**{**RIGHT, "adamw_small": ...}), "unanswered",
                      "(in adamw_small)")
    _kind_and_message(check.weight_decay_runs.evaluate(**{**RIGHT, "adam_big": "0.224"}), "invalid",
                      "adam_big should be a number")
    _kind_and_message(check.weight_decay_runs.evaluate(**{**RIGHT, "adamw_big": np.inf}), "invalid",
                      "adamw_big should be a finite number")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_5"))
    function = "first_step = lambda g, lr, eps: -lr * g / (np.abs(g) + eps)"
    for written in [r"$\alpha < 2/20 = 0.1$", r"$\alpha = 0.05$", function, r"$\theta \approx 0.224$",
                    r"$0.905$ for $\lambda = 0.1$ and $0.999$ for $\lambda = 0.001$"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    namespace = {"np": np}
    exec(function, namespace)
    assert check.ravine_rates.evaluate(0.1, 0.05).passed
    assert check.adam_first_step.evaluate(namespace["first_step"]).passed
    assert check.weight_decay_runs.evaluate(0.224, 0.224, 0.905, 0.999).passed
