"""The checks of the exercises of 1.2.1: the retraining set-ups pass when right, in every form, and each typical
slip (the interval or the window changed instead of the other, all the data, the wrong column) gets its hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_2_1 as check
from lessons_lib.online import drifting_stream
from lessons_lib.views.chapter1_learning import phase_means, retrained_errors

STREAM = drifting_stream(3000, rng=1, noise=0.3)
D = STREAM.drift_at
KW = dict(train_size=200, batch_size=10)


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _run(every, window, **changes):
    return retrained_errors(STREAM, **{**KW, **changes}, retrain_every=every, window=window)


def _phases(every, window):
    return phase_means(*_run(every, window), D, settle=300)


# ---- exercise 1: refit every 100 examples -----------------------------------------------------------------

ERRORS_100 = _run(100, 300)[1]
ADAPTING_100 = _phases(100, 300)[1]


@pytest.mark.parametrize("errors, adapting", [
    (ERRORS_100, ADAPTING_100),
    (_run(100, 300), round(ADAPTING_100, 3)),              # the pair retrained_errors returns, the printed number
    (ERRORS_100.tolist(), round(ADAPTING_100, 1)),         # a list, and "about 2.5"
])
def test_frequent_refits_accepts_every_form(errors, adapting):
    _kind_and_message(check.frequent_refits.evaluate(errors, adapting), "correct", "from 3.56 down to 2.54",
                      "28 fits along the stream instead of 10")


@pytest.mark.parametrize("errors, fragments", [
    (_run(300, 300)[1], ["refitted every 300 examples; the exercise asks for every 100"]),
    (_run(100, None)[1], ["refitted on all the data seen so far (window=None)"]),
    (_run(300, 100)[1], ["retrain_every and window are swapped"]),
    (_run(100, 100)[1], ["fits the last 100 examples; the exercise asks for window=300"]),
    (_run(100, 300, batch_size=20)[1], ["mini-batch of 20", "**kw"]),
    (_run(100, 300)[1][:100], ["280 mini-batches", "yours has 100 errors"]),
    (_run(100, 300)[1] * 1.5, ["do not come from a model refitted every 100"]),
])
def test_frequent_refits_names_the_typical_mistakes_in_the_set_up(errors, fragments):
    _kind_and_message(check.frequent_refits.evaluate(errors, ADAPTING_100), "wrong", "Not yet: ", *fragments)


@pytest.mark.parametrize("adapting, fragments", [
    (_phases(300, 300)[1], ["the error of the model of the figure"]),
    (round(_phases(100, 300)[0], 3), ["the mean error before the drift, the first of the three"]),
    (round(_phases(100, 300)[2], 3), ["the last of the three numbers"]),
    (ERRORS_100[_run(100, 300)[0] >= D].mean(), ["averages every mini-batch after the drift"]),
    (1.0, ["should be the middle number of phase_means"]),
])
def test_frequent_refits_names_the_typical_mistakes_in_the_number(adapting, fragments):
    _kind_and_message(check.frequent_refits.evaluate(ERRORS_100, adapting), "wrong", "Not yet: ", *fragments)


def test_frequent_refits_unanswered_and_invalid():
    _kind_and_message(check.frequent_refits.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.frequent_refits.evaluate(ERRORS_100, ...), "unanswered", "(in adapting_100)")
    _kind_and_message(check.frequent_refits.evaluate("errors", 2.5), "invalid", "errors_100 should be an array")
    _kind_and_message(check.frequent_refits.evaluate(np.ones((2, 140)), 2.5), "invalid", "a 1-D array",
                      "shape (2, 140)")
    _kind_and_message(check.frequent_refits.evaluate(ERRORS_100, "2.5"), "invalid", "adapting_100 should be a number")
    _kind_and_message(check.frequent_refits.evaluate(np.full(280, np.nan), 2.5), "invalid", "NaN")


# ---- exercise 2: windows of 50 and 1000 ------------------------------------------------------------------

E50, E1000 = _run(300, 50)[1], _run(300, 1000)[1]


@pytest.mark.parametrize("answer", [
    (E50, E1000, 1000, 50),
    (_run(300, 50), _run(300, 1000), "1000", "window=50"),
    (E50.tolist(), E1000, 1000.0, np.int64(50)),
])
def test_window_tradeoff_accepts_every_form(answer):
    _kind_and_message(check.window_tradeoff.evaluate(*answer), "correct", "the window of 1000 suffers after the drift",
                      "the window of 50 before it")


@pytest.mark.parametrize("answer, fragments", [
    ((E50, E1000, 50, 1000), ["2 of the 4 answers", "worse_after: compare the middle numbers",
                              "worse_before: compare the first numbers"]),
    ((E50, E1000, 1000, 1000), ["1 of the 4 answers", "which fit averages it over fewer examples"]),
    ((E1000, E50, 1000, 50), ["errors_50 and errors_1000 are swapped"]),
    ((_run(50, 300)[1], _run(1000, 300)[1], 1000, 50), ["errors_50: retrain_every and window are swapped",
                                                         "errors_1000: retrain_every and window are swapped"]),
    ((_run(300, None)[1], E1000, 1000, 50), ["errors_50: that model is refitted on all the data"]),
    ((E50, _run(100, 1000)[1], 1000, 50), ["errors_1000: your model is refitted every 100 examples"]),
])
def test_window_tradeoff_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.window_tradeoff.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_window_tradeoff_unanswered_and_invalid():
    _kind_and_message(check.window_tradeoff.evaluate(..., ..., ..., ...), "unanswered", "Exercise 2 is not answered")
    _kind_and_message(check.window_tradeoff.evaluate(E50, E1000, ..., 50), "unanswered", "(in worse_after)")
    _kind_and_message(check.window_tradeoff.evaluate(E50, E1000, 300, 50), "invalid",
                      "worse_after should be one of the two windows, 50 or 1000")
    _kind_and_message(check.window_tradeoff.evaluate(E50, E1000, "the long one", 50), "invalid",
                      "worse_after should be a whole number")
    _kind_and_message(check.window_tradeoff.evaluate(None, E1000, 1000, 50), "invalid", "errors_50 should be an array")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_1_2_1"))
    for written in ["`retrain_every=100`", "`window=50` and `window=1000`", "from about 3.6 to about 2.5",
                    "With `window=1000`", "With `window=50`"]:
        assert written in text, f"the exercises and solutions no longer write {written!r}"
    assert abs(_phases(300, 300)[1] - 3.6) < 0.05 and abs(ADAPTING_100 - 2.5) < 0.05
    assert check.frequent_refits.evaluate(_run(100, 300)[1], 2.5).passed
    # The solution: the long window suffers after the drift, the short one before it.
    assert check.window_tradeoff.evaluate(E50, E1000, worse_after=1000, worse_before=50).passed
