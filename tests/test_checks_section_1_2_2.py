"""The checks of the exercises of 1.2.2: the estimate from the forgetting rule in every form, the unstable runs
and their factors, and each typical slip (mini-batches for examples, 1 − η, the lost sign) with its hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_2_2 as check
from lessons_lib.online import compare_on_stream, drifting_stream

STREAM = drifting_stream(3000, rng=1, noise=0.3)
KW = dict(train_size=200, batch_size=10)


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _run(lr, **changes):
    return compare_on_stream(STREAM, **{**KW, **changes}, lr=lr)


# ---- exercise 1: how long eta = 0.05 takes to close 90 % of the gap ----------------------------------------


@pytest.mark.parametrize("examples, note", [
    (10 * np.log(0.1) / np.log(0.9), None), (220, None), (219, None), (200, None), (np.int64(230), None),
    (1720, "You gave the position in the stream"),
])
def test_gap_closing_time_accepts_every_estimate(examples, note):
    _kind_and_message(check.gap_closing_time.evaluate(examples), "correct", "≈ 21.9 mini-batches", "by example 1,690",
                      *([note] if note else []))


@pytest.mark.parametrize("examples, fragments", [
    (22, ["the number of mini-batches"]),
    (21.85, ["the number of mini-batches"]),
    (449, ["you used the factor 1 − η"]),
    (45, ["you used the factor 1 − η, and counted mini-batches"]),
    (10, ["after one step (10 examples) only 10 % of the gap is closed"]),
    (1, ["that is when 10 % of the gap is closed"]),
    (100, ["the memory span 1 / (2η) in examples"]),
    (0.0458, ["upside down"]),
    (600, ["Solve (1 − 2η)^k = 0.1 for k"]),
    (2000, ["Solve (1 − 2η)^k = 0.1 for k"]),
])
def test_gap_closing_time_names_the_typical_mistakes(examples, fragments):
    _kind_and_message(check.gap_closing_time.evaluate(examples), "wrong", "Not yet: ", *fragments)


def test_gap_closing_time_unanswered_and_invalid():
    _kind_and_message(check.gap_closing_time.evaluate(...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.gap_closing_time.evaluate("220"), "invalid", "examples should be a number")
    _kind_and_message(check.gap_closing_time.evaluate(np.inf), "invalid", "finite")
    _kind_and_message(check.gap_closing_time.evaluate([220, 230]), "invalid", "a list of 2 items")


# ---- exercise 2: eta = 0.8 and eta = 1.2 -------------------------------------------------------------------

R08, R12 = _run(0.8), _run(1.2)


@pytest.mark.parametrize("factors", [(-0.6, -1.4), (1 - 2 * 0.8, 1 - 2 * 1.2), (np.float64(-0.6), np.array([-1.4]))])
def test_unstable_rates_accepts_every_form(factors):
    _kind_and_message(check.unstable_rates.evaluate(R08, R12, *factors), "correct", "|-0.6| < 1", "|-1.4| > 1",
                      "about 10^40", "0.72, far above the noise floor")


@pytest.mark.parametrize("answer, fragments", [
    ((R12, R08, -0.6, -1.4), ["1 of the 4 answers", "run_08 and run_12 are swapped"]),
    ((_run(0.08), R12, -0.6, -1.4), ["run_08: that run learns with η = 0.08, ten times smaller"]),
    ((_run(0.05), R12, -0.6, -1.4), ["run_08: that run learns with η = 0.05, compare_on_stream's default"]),
    ((R08, _run(0.3), -0.6, -1.4), ["run_12: that run learns with η = 0.3; the exercise asks for η = 1.2"]),
    ((_run(0.8, batch_size=20), R12, -0.6, -1.4), ["run_08: it learns from mini-batches of 20", "**kw"]),
    ((R08, R12, 0.6, 1.4), ["2 of the 4 answers", "factor_08: 1 − 2η is negative here; its sign is the point",
                            "factor_12: 1 − 2η is negative here"]),
    ((R08, R12, 0.2, -0.2), ["factor_08: that is 1 − η", "factor_12: that is 1 − η"]),
    ((R08, R12, 1.6, 2.4), ["factor_08: that is 2η, the size of the step"]),
    ((R08, R12, 2.6, 3.4), ["not 1 + 2η"]),
    ((R08, R12, -1.4, -0.6), ["factor_08: that is the factor of the other learning rate"]),
    ((R08, R12, -0.5, -1.4), ["factor_08: put η = 0.8 into the factor 1 − 2η"]),
])
def test_unstable_rates_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.unstable_rates.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_unstable_rates_unanswered_and_invalid():
    _kind_and_message(check.unstable_rates.evaluate(..., ..., ..., ...), "unanswered", "Exercise 2 is not answered")
    _kind_and_message(check.unstable_rates.evaluate(R08, R12, -0.6, ...), "unanswered", "(in factor_12)")
    _kind_and_message(check.unstable_rates.evaluate(R08.online_model, R12, -0.6, -1.4), "invalid",
                      "run_08 should be the result of compare_on_stream", "an array of shape (280,)")
    _kind_and_message(check.unstable_rates.evaluate(R08, R12, "-0.6", -1.4), "invalid", "factor_08 should be a number")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_1_2_2"))
    for written in [r"k = \ln 0.1 / \ln 0.9 \approx 22$ mini-batches", "220 examples",
                    "`run = compare_on_stream(stream, **kw, lr=0.8)`", "$1 - 1.6 = -0.6$", "the factor is $-1.4$"]:
        assert written in text, f"the exercises and solutions no longer write {written!r}"
    assert check.gap_closing_time.evaluate(220).passed
    assert check.unstable_rates.evaluate(_run(0.8), _run(1.2), -0.6, -1.4).passed
