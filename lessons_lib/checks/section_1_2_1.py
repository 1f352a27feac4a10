"""Checks of the exercises of section 1.2.1, batch learning: a batch model retrained on a schedule.

Both exercises change the settings of :func:`lessons_lib.views.chapter1_learning.retrained_errors` on the
section's stream (``drifting_stream(3000, rng=1, noise=0.3)``, mini-batches of 10 after 200 training
examples). A check recomputes the errors of the asked-for set-up and of the typical slips (another interval,
another window, all the data), which takes a few milliseconds each, and tells the student which set-up their
errors came from; the numbers read off :func:`~lessons_lib.views.chapter1_learning.phase_means` are judged
against the set-up's own phases.
"""

from __future__ import annotations

import functools

import numpy as np

from ..online import drifting_stream
from ..views.chapter1_learning import phase_means, retrained_errors
from ._core import (
    InvalidAnswer,
    close,
    correct,
    describe,
    exercise,
    expect_array,
    expect_number,
    fmt,
    wrong,
    wrong_parts,
)

__all__ = ["frequent_refits", "window_tradeoff"]

# The section's stream and settings (stream, kw and the settle of phase_means in the notebook).
STREAM_SIZE, STREAM_SEED, NOISE = 3000, 1, 0.3
TRAIN_SIZE, BATCH_SIZE, SETTLE = 200, 10, 300
# The set-up of the figure: refit every 300 examples on the last 300.
EVERY, WINDOW = 300, 300
# Exercise 1 refits every 100 examples; exercise 2 tries these two windows.
EX1_EVERY = 100
EX2_WINDOWS = (50, 1000)
_ERRORS = "the second array that retrained_errors(stream, **kw, retrain_every=..., window=...) returns"


@functools.lru_cache(maxsize=1)
def _stream():
    return drifting_stream(STREAM_SIZE, rng=STREAM_SEED, noise=NOISE)


@functools.cache
def _errors(every: int, window: int | None, batch_size: int = BATCH_SIZE) -> tuple[np.ndarray, np.ndarray]:
    starts, errors = retrained_errors(_stream(), train_size=TRAIN_SIZE, batch_size=batch_size,
                                      retrain_every=every, window=window)
    starts.flags.writeable = errors.flags.writeable = False
    return starts, errors


def _phases(every: int, window: int | None) -> tuple[float, float, float]:
    starts, errors = _errors(every, window)
    return phase_means(starts, errors, _stream().drift_at, settle=SETTLE)


def _refits(every: int) -> int:
    """Fits along the stream, the first one on the training examples included."""
    starts, _ = _errors(every, WINDOW)
    return len({TRAIN_SIZE + (s - TRAIN_SIZE) // every * every for s in starts})


def _setup(value, name: str) -> np.ndarray:
    """The errors of a set-up: the array itself, or the pair (batch_starts, errors) retrained_errors returns."""
    if isinstance(value, tuple) and len(value) == 2:
        value = value[1]
    errors = expect_array(value, name, example=_ERRORS)
    if errors.ndim != 1:
        raise InvalidAnswer(f"{name} should be one error per mini-batch, a 1-D array ({_ERRORS}); got an array "
                            f"of shape {errors.shape}.")
    return errors


def _describe_setup(every, window) -> str:
    data = "all the data" if window is None else f"the last {window}"
    return f"refitted every {every} examples on {data}"


def _identify(errors: np.ndarray, candidates) -> tuple | None:
    """The (every, window) among ``candidates`` whose errors these are, or None."""
    for every, window in candidates:
        if close(errors, _errors(every, window)[1]):
            return every, window
    return None


_EVERIES = (100, 300, 50, 200, 500, 1000)
_WINDOWS = (300, None, 100, 50, 1000, 500, 200)
_ALL_SETUPS = [(e, w) for e in _EVERIES for w in _WINDOWS]


def _setup_problem(errors: np.ndarray, name: str, every: int, window: int | None) -> str | None:
    """What is wrong with the set-up behind ``errors`` (a line for wrong_parts), or None if it is the asked one."""
    if errors.shape != _errors(every, window)[1].shape:
        if errors.shape == _errors(every, window, batch_size=20)[1].shape:
            return (f"{name}: one error per mini-batch of 20. Pass **kw, as above, so that the mini-batches hold "
                    "10 examples.")
        return (f"{name}: the stream gives {len(_errors(every, window)[1])} mini-batches of 10 after the first 200 "
                f"examples; yours has {errors.size} errors. Call retrained_errors(stream, **kw, ...) as above.")
    found = _identify(errors, [(every, window)] + [s for s in _ALL_SETUPS if s != (every, window)])
    if found == (every, window):
        return None
    if found is None:
        return (f"{name}: these errors do not come from a model {_describe_setup(every, window)} on the "
                "section's stream. Use stream and **kw as above.")
    got_every, got_window = found
    wanted = _describe_setup(every, window)
    if got_window == window and got_every != every:
        return (f"{name}: your model is refitted every {got_every} examples; the exercise asks for every {every} "
                f"(retrain_every={every}).")
    if got_every == every and got_window is None:
        return (f"{name}: that model is refitted on all the data seen so far (window=None). Keep a window: "
                f"window={window}.")
    if got_every == every and got_window != window:
        return f"{name}: your model fits the last {got_window} examples; the exercise asks for window={window}."
    if got_every == window and got_window == every:
        return f"{name}: retrain_every and window are swapped: you {_describe_setup(got_every, got_window)}."
    return f"{name}: you {_describe_setup(got_every, got_window)}; the exercise asks for a model {wanted}."


def _printed(answer: float, value: float) -> bool:
    """Whether ``answer`` is ``value`` as the notebook prints it (3 decimals) or rounded to 2 digits."""
    return abs(answer - value) <= max(0.0006, 0.02 * abs(value))


@exercise(1)
def frequent_refits(errors_100, adapting_100):
    """Exercise 1 of 1.2.1: the mini-batch errors of the model refitted every 100 examples on the last 300
    (``errors_100``), and its mean error over the first 300 examples after the drift (``adapting_100``)."""
    errors = _setup(errors_100, "errors_100")
    adapting = expect_number(adapting_100, "adapting_100")
    problem = _setup_problem(errors, "errors_100", EX1_EVERY, WINDOW)
    if problem:
        return wrong(problem.split(": ", 1)[1])
    before, ref, later = _phases(EX1_EVERY, WINDOW)
    old = _phases(EVERY, WINDOW)[1]
    if abs(adapting - ref) > max(0.0006, 0.02 * ref):   # read off the table: 3 decimals, or 2 digits
        if _printed(adapting, old):
            return wrong("adapting_100 is the error of the model of the figure, refitted every 300 examples. "
                         "Pass your errors_100 to phase_means.")
        if _printed(adapting, before):
            return wrong("adapting_100 is the mean error before the drift, the first of the three numbers "
                         "phase_means returns; the exercise asks for the second.")
        if _printed(adapting, later):
            return wrong("adapting_100 is the error after the first 300 examples after the drift, the last of "
                         "the three numbers phase_means returns; the exercise asks for the second.")
        starts, errs = _errors(EX1_EVERY, WINDOW)
        drift = _stream().drift_at
        if _printed(adapting, errs[starts >= drift].mean()):
            return wrong("adapting_100 averages every mini-batch after the drift; the exercise asks for the "
                         "first 300 examples after it, phase_means(..., settle=300)[1].")
        return wrong("adapting_100 should be the middle number of phase_means(starts, errors_100, d, settle=300): "
                     "the mean error over the first 300 examples after the drift.")
    return correct(f"refitting every 100 examples brings the error over the first 300 examples after the drift "
                   f"from {fmt(old, 3)} down to {fmt(ref, 3)}. The price: {_refits(EX1_EVERY)} fits along the "
                   f"stream instead of {_refits(EVERY)}. Which refit is the first that sees only the new rule?")


def _window_choice(value, name: str) -> int:
    if isinstance(value, str):
        digits = "".join(c for c in value if c.isdigit())
        value = int(digits) if digits else value
    number = expect_number(value, name, integer=True)
    if number not in EX2_WINDOWS:
        raise InvalidAnswer(f"{name} should be one of the two windows, 50 or 1000; got {describe(value)}.")
    return number


@exercise(2)
def window_tradeoff(errors_50, errors_1000, worse_after, worse_before):
    """Exercise 2 of 1.2.1: the mini-batch errors of the models refitted every 300 examples on the last 50
    and on the last 1000 examples, and which window (50 or 1000) has the larger mean error in the first 300
    examples after the drift (``worse_after``) and before the drift (``worse_before``)."""
    short = _setup(errors_50, "errors_50")
    long = _setup(errors_1000, "errors_1000")
    after = _window_choice(worse_after, "worse_after")
    before = _window_choice(worse_before, "worse_before")
    problems = []
    short_ok = _setup_problem(short, "errors_50", EVERY, EX2_WINDOWS[0])
    long_ok = _setup_problem(long, "errors_1000", EVERY, EX2_WINDOWS[1])
    if short_ok and long_ok and close(short, _errors(EVERY, EX2_WINDOWS[1])[1]) \
            and close(long, _errors(EVERY, EX2_WINDOWS[0])[1]):
        problems.append("errors_50 and errors_1000 are swapped: errors_50 comes from the window of 1000.")
    else:
        problems += [p for p in (short_ok, long_ok) if p]
    phases = {w: _phases(EVERY, w) for w in EX2_WINDOWS}
    ref_after = max(EX2_WINDOWS, key=lambda w: phases[w][1])
    ref_before = max(EX2_WINDOWS, key=lambda w: phases[w][0])
    if after != ref_after:
        problems.append("worse_after: compare the middle numbers of phase_means. After the drift, which window "
                        "keeps examples of the old rule in its fits for longer?")
    if before != ref_before:
        problems.append("worse_before: compare the first numbers of phase_means. While the rule stands still, "
                        "the only error left is the noise: which fit averages it over fewer examples?")
    if problems:
        return wrong_parts(problems, 4)
    return correct(f"the window of {ref_after} suffers after the drift ({fmt(phases[ref_after][1], 3)} against "
                   f"{fmt(phases[min(EX2_WINDOWS, key=lambda w: phases[w][1])][1], 3)} over the first 300 "
                   f"examples), the window of {ref_before} before it ({fmt(phases[ref_before][0], 3)} against "
                   f"{fmt(min(p[0] for p in phases.values()), 3)}, the noise floor being 0.09). The same "
                   "trade-off as the retraining interval: which window would you pick if the world drifted "
                   "every week?")
