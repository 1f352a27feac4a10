"""Checks of the exercises of section 1.2.2, online learning: how fast the learner forgets, and when it diverges.

Exercise 1's reference is the section's rule ``w - w* <- (1 - 2 eta)(w - w*)`` solved for the exercise's
learning rate; the correct verdict adds what the run of the figure did
(:func:`lessons_lib.views.chapter1_learning.online_weight_path`). Exercise 2's runs are compared with runs of
:func:`lessons_lib.online.compare_on_stream` made here on the section's stream, for the asked-for learning
rates and the typical slips (a few milliseconds each).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..online import StreamErrors, compare_on_stream, drifting_stream, least_squares
from ..views.chapter1_learning import online_weight_path, phase_means
from ._core import close, correct, exercise, expect_instance, expect_number, fmt, wrong, wrong_parts

__all__ = ["gap_closing_time", "unstable_rates"]

# The section's stream and settings (stream and kw in the notebook).
STREAM_SIZE, STREAM_SEED, NOISE = 3000, 1, 0.3
TRAIN_SIZE, BATCH_SIZE, SETTLE = 200, 10, 300
EX1_ETA, EX1_CLOSED = 0.05, 0.9       # exercise 1: eta = 0.05 closes 90 % of the gap
EX2_ETAS = (0.8, 1.2)                 # exercise 2
_RUN = "the result of compare_on_stream(stream, **kw, lr=...)"


@functools.lru_cache(maxsize=1)
def _stream():
    return drifting_stream(STREAM_SIZE, rng=STREAM_SEED, noise=NOISE)


def _factor(eta: float) -> float:
    """The average factor by which one step shrinks w - w* (features of mean 0 and variance 1)."""
    return 1 - 2 * eta


def _batches_to_close(eta: float, closed: float) -> float:
    """Mini-batches after which the rule leaves a fraction 1 - closed of the gap."""
    return math.log(1 - closed) / math.log(abs(_factor(eta)))


def _arrival(eta: float, closed: float) -> int:
    """Where the figure's run first brings w2 within (1 - closed) of the gap of its value after the drift."""
    stream = _stream()
    d = stream.drift_at
    before = least_squares(stream.X[:d], stream.y[:d])[0][1]
    after = least_squares(stream.X[d:], stream.y[d:])[0][1]
    path = online_weight_path(stream, train_size=TRAIN_SIZE, batch_size=BATCH_SIZE, lr=eta)[0][:, 1]
    positions = TRAIN_SIZE + BATCH_SIZE * np.arange(len(path))
    near = (positions >= d) & (np.abs(path - after) < (1 - closed) * abs(after - before))
    return int(positions[near][0])


@exercise(1)
def gap_closing_time(examples):
    """Exercise 1 of 1.2.2: after how many examples the online learner with eta = 0.05 has closed 90 % of
    the gap between the old and the new value of w2, by the rule w - w* <- (1 - 2 eta)(w - w*)."""
    answer = expect_number(examples, "examples")
    batches = _batches_to_close(EX1_ETA, EX1_CLOSED)
    ref = BATCH_SIZE * batches
    drift = _stream().drift_at
    note = ""
    if drift + 0.9 * ref <= answer <= drift + 1.1 * ref:
        answer, note = answer - drift, (f"\n(You gave the position in the stream; counted from the drift at "
                                        f"example {drift:,}, that is {fmt(answer - drift)} examples.)")
    if 0.9 * ref <= answer <= 1.1 * ref:
        arrival = _arrival(EX1_ETA, EX1_CLOSED)
        return correct(f"(1 − 2η)^k = 0.9^k falls to 0.1 after k = ln 0.1 / ln 0.9 ≈ {batches:.1f} mini-batches, "
                       f"about {ref:.0f} examples. In the run of the figure, w2 is that close by example "
                       f"{arrival:,}, {arrival - drift} examples after the drift: the rule describes the average "
                       "step, and each mini-batch's noise pushes it a little either way." + note)
    hints = [
        (batches, "that is the number of mini-batches: the learner takes one step per mini-batch of 10 "
                  "examples."),
        (BATCH_SIZE * _batches_to_close(EX1_ETA / 2, EX1_CLOSED),
         "you used the factor 1 − η. The gradient of the squared error brings a 2: one step multiplies the "
         "distance by 1 − 2η."),
        (_batches_to_close(EX1_ETA / 2, EX1_CLOSED), "you used the factor 1 − η, and counted mini-batches. One "
                                                      "step multiplies the distance by 1 − 2η, and each step "
                                                      "uses 10 examples."),
        (BATCH_SIZE * _batches_to_close(EX1_ETA, 1 - EX1_CLOSED),
         "after one step (10 examples) only 10 % of the gap is closed, and after 1 / (2η) = 10 steps about a "
         "third is still open (0.9^10 ≈ 0.35). Closing 90 % leaves 10 %: solve 0.9^k = 0.1."),
        (_batches_to_close(EX1_ETA, 1 - EX1_CLOSED),
         "that is when 10 % of the gap is closed. Closing 90 % leaves 10 %: solve 0.9^k = 0.1, and count 10 "
         "examples per step."),
        (BATCH_SIZE / (2 * EX1_ETA), "that is the memory span 1 / (2η) in examples; after it, about a third "
                                     "of the gap is still open (0.9^10 ≈ 0.35)."),
        (BATCH_SIZE / batches, "that is the ratio upside down: k = ln 0.1 / ln 0.9."),
        (1 / batches, "that is the ratio upside down: k = ln 0.1 / ln 0.9."),
    ]
    for value, hint in hints:
        if abs(answer - value) <= 0.05 * value:
            return wrong(hint + note)
    return wrong("after k steps the distance is (1 − 2η)^k times the gap. Solve (1 − 2η)^k = 0.1 for k "
                 "(with logarithms), and count 10 examples per step." + note)


@functools.cache
def _run(lr: float, batch_size: int = BATCH_SIZE) -> np.ndarray:
    with np.errstate(all="ignore"):
        errors = compare_on_stream(_stream(), train_size=TRAIN_SIZE, batch_size=batch_size, lr=lr).online_model
    errors.flags.writeable = False
    return errors


_SLIPS = (0.8, 1.2, 0.08, 0.12, 0.05, 0.01, 0.3, 0.4, 0.6, 0.95, 1.0, 2.4, 1.6)


def _learning_rate_of(run: StreamErrors) -> float | None:
    errors = np.asarray(run.online_model, dtype=float)
    for lr in _SLIPS:
        ref = _run(lr)
        if errors.shape == ref.shape and np.array_equal(np.isfinite(errors), np.isfinite(ref)) \
                and close(errors[np.isfinite(ref)], ref[np.isfinite(ref)]):
            return lr
    return None


def _run_problem(run: StreamErrors, name: str, eta: float, other: float) -> str | None:
    errors = np.asarray(run.online_model)
    if errors.shape != _run(eta).shape:
        if errors.shape == _run(eta, batch_size=20).shape:
            return f"{name}: it learns from mini-batches of 20. Pass **kw, as above, for mini-batches of 10."
        return f"{name}: make it with compare_on_stream(stream, **kw, lr={eta}), as in the table above."
    lr = _learning_rate_of(run)
    if lr == eta:
        return None
    if lr == other:
        return f"{name}: that run learns with η = {fmt(other)}; {name} should learn with η = {fmt(eta)}."
    if lr is not None and np.isclose(lr * 10, eta):
        return f"{name}: that run learns with η = {fmt(lr)}, ten times smaller than the exercise's {fmt(eta)}."
    if lr == 0.05:
        return (f"{name}: that run learns with η = 0.05, compare_on_stream's default. Pass the learning rate: "
                f"lr={eta}.")
    if lr is not None:
        return f"{name}: that run learns with η = {fmt(lr)}; the exercise asks for η = {fmt(eta)}."
    return f"{name}: it is not a run of compare_on_stream(stream, **kw, lr={eta}) on the section's stream."


def _factor_problem(value: float, name: str, eta: float) -> str | None:
    ref = _factor(eta)
    if abs(value - ref) <= 0.005:
        return None
    hints = [
        (abs(ref), f"{name}: 1 − 2η is negative here; its sign is the point: the step lands on the other side "
                   "of the best weights."),
        (1 - eta, f"{name}: that is 1 − η. The gradient of the squared error brings a 2: the factor is 1 − 2η."),
        (2 * eta, f"{name}: that is 2η, the size of the step; the distance that remains is 1 − 2η times the "
                  "old one."),
        (1 + 2 * eta, f"{name}: the step goes against the gradient, so it subtracts: 1 − 2η, not 1 + 2η."),
        (_factor(EX2_ETAS[0] if eta == EX2_ETAS[1] else EX2_ETAS[1]),
         f"{name}: that is the factor of the other learning rate."),
    ]
    for v, hint in hints:
        if abs(value - v) <= 0.005:
            return hint
    return f"{name}: put η = {fmt(eta)} into the factor 1 − 2η of the rule."


@exercise(2)
def unstable_rates(run_08, run_12, factor_08, factor_12):
    """Exercise 2 of 1.2.2: the online runs with eta = 0.8 and eta = 1.2 (from ``compare_on_stream``), and
    the factor 1 - 2 eta by which one average step multiplies the distance to the best weights, for each."""
    expect_instance(run_08, StreamErrors, "run_08", _RUN)
    expect_instance(run_12, StreamErrors, "run_12", _RUN)
    f08 = expect_number(factor_08, "factor_08")
    f12 = expect_number(factor_12, "factor_12")
    low, high = EX2_ETAS
    problems = []
    if _learning_rate_of(run_08) == high and _learning_rate_of(run_12) == low:
        problems.append(f"run_08 and run_12 are swapped: run_08 learns with η = {fmt(high)}.")
    else:
        problems += [p for p in (_run_problem(run_08, "run_08", low, high), _run_problem(run_12, "run_12", high, low))
                     if p]
    problems += [p for p in (_factor_problem(f08, "factor_08", low), _factor_problem(f12, "factor_12", high)) if p]
    if problems:
        return wrong_parts(problems, 4)
    starts = np.asarray(run_08.batch_starts)
    drift = _stream().drift_at
    before_low = phase_means(starts, _run(low), drift, settle=SETTLE)[0]
    before_high = float(_run(high)[starts < drift].mean())
    return correct(f"|{fmt(_factor(low))}| < 1: an average step with η = {fmt(low)} overshoots the best weights "
                   f"but lands closer, so the model still follows the drift. |{fmt(_factor(high))}| > 1: every "
                   f"step with η = {fmt(high)} lands farther away than the last, and the error before the drift "
                   f"is already about 10^{math.floor(math.log10(before_high))}. Yet with η = {fmt(low)} the error "
                   f"before the drift is {fmt(before_low, 2)}, far above the noise floor of 0.09, although the "
                   "factor says it converges: why?")
