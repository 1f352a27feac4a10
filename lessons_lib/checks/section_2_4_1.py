"""Checks of the exercises of section 2.4.1, training RNNs: where BPTT sends the gradient, how much of it
survives, what clipping and truncation change.

The references are computed here with the section's code: the 4-neuron layer of the notebook (rebuilt from
its seed), :func:`~lessons_lib.views.bptt.rnn_gradient_flow`, the clipping runs of
:func:`~lessons_lib.seq2seq.train_sequence_model` (each trained once and cached, well under a second) and
a one-neuron :class:`~lessons_lib.rnn.RNN` driven through the exercise's states.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import seq2seq
from ..activations import get_activation
from ..losses import MSELoss
from ..optimizers import SGD
from ..rnn import RNN, loss_on_steps
from ..sequences import next_step_windows, standardize, synthetic_series
from ..views.bptt import per_step_recurrent_gradients, rnn_gradient_flow
from ._core import (
    InvalidAnswer,
    call_answer,
    correct,
    describe,
    exercise,
    expect_array,
    expect_number,
    fmt,
    wrong,
    wrong_parts,
)

__all__ = ["loss_on_first_step", "larger_weights", "clipping_runs", "one_neuron_gradient", "targets_in_window"]

SEED = 2_4_1
# Exercise 1: the layer, sequence and loss of the section's 5-step example.
EX1_STEPS = 5
EX1_HIDDEN = 4
# Exercise 2: the scales of the recurrent weights, and how far back the gradient is read.
EX2_SCALES = (1.5, 2.0, 3.0, 4.0)
EX2_BACK = 49
# A share that survives counts as right within this factor (the solution's one-digit values lie within
# it; the unnormalised sizes, a factor sqrt(32) off, do not).
EX2_FACTOR = 1.5
# Exercise 3: the clipping thresholds, and the learning rate of both optimizers.
EX3_CLIPS = (0.1, 10.0, 100.0)
EX3_LR = 0.05
# Exercise 4: the one-neuron RNN of the exercise.
EX4_W = 0.9
EX4_STATES = (0.2, -0.5, 0.9)       # h_1, h_2, h_3
EX4_SATURATED = 0.99
# Exercise 5: the (window, delay) pairs on which the student's function is tried.
EX5_WINDOWS = range(1, 41)
EX5_DELAYS = range(1, 21)


def _steps(value, name: str) -> list[int]:
    """Step numbers as a sorted list: a list, tuple, set or array of whole numbers, or a boolean mask."""
    if isinstance(value, (str, bytes, dict)) or value is None or callable(value):
        raise InvalidAnswer(f"{name} should be a list of step numbers, like [2, 3]; got {describe(value)}.")
    if isinstance(value, (set, frozenset)):
        value = sorted(value)
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise InvalidAnswer(f"{name} should be a list of step numbers, like [2, 3]; got {describe(value)}.") \
            from None
    if arr.dtype == bool:
        if arr.shape != (EX1_STEPS,):
            raise InvalidAnswer(f"{name} as a mask should have one True or False per step, {EX1_STEPS} in all; "
                                f"got shape {arr.shape}.")
        return [int(i) for i in np.flatnonzero(arr)]
    arr = np.atleast_1d(arr)
    if arr.ndim != 1 or (arr.size and (arr.dtype.kind not in "iuf" or np.any(arr != np.round(arr)))):
        raise InvalidAnswer(f"{name} should be a list of step numbers, like [2, 3]; got {describe(value)}.")
    steps = sorted({int(v) for v in arr})
    if any(s < 0 or s >= EX1_STEPS for s in steps):
        raise InvalidAnswer(f"{name} should hold steps between 0 and {EX1_STEPS - 1}; got {steps}.")
    return steps


@functools.lru_cache(maxsize=1)
def _five_step_example() -> dict:
    """The layer of the section's 5-step example, and the gradients that its losses give."""
    rng = np.random.default_rng(SEED)
    rnn = RNN(input_size=1, hidden_size=EX1_HIDDEN, rng=rng)
    x = rng.standard_normal((1, EX1_STEPS, 1))
    h, cache = rnn.forward(x)
    targets = rng.standard_normal((1, 2, EX1_HIDDEN))        # the first loss of the section: steps 3 and 4
    _, d_late = loss_on_steps(MSELoss(), h, targets, [3, 4])
    _, d_first = loss_on_steps(MSELoss(), h, np.ones((1, 1, EX1_HIDDEN)), [0])
    first = np.linalg.norm(rnn.state_gradients(d_first, cache)[0], axis=1)
    return {
        "receives": [int(t) for t in np.flatnonzero(first > 0)],
        "grad_first": per_step_recurrent_gradients(rnn, d_first, cache).sum(axis=0),
        "grad_late": per_step_recurrent_gradients(rnn, d_late, cache).sum(axis=0),
    }


@exercise(1)
def loss_on_first_step(receives, grad_W_h):
    """Exercise 1 of 2.4.1: with the loss on step 0 only, the steps whose state receives a non-zero
    gradient (``receives``, a list of step numbers) and the gradient of ``W_h`` (``grad_W_h``, 4 x 4; the
    five shares of ``per_step_recurrent_gradients``, 5 x 4 x 4, are read as their sum)."""
    steps = _steps(receives, "receives")
    grad = expect_array(grad_W_h, "grad_W_h")
    if grad.shape == (EX1_STEPS, EX1_HIDDEN, EX1_HIDDEN):
        grad = grad.sum(axis=0)
    elif grad.shape == (1, EX1_HIDDEN):
        raise InvalidAnswer("grad_W_h has the shape of W_x (1, 4): give the gradient of W_h, rnn.W_h.grad, "
                            "which is 4 x 4.")
    elif grad.shape != (EX1_HIDDEN, EX1_HIDDEN):
        raise InvalidAnswer(f"grad_W_h should have the shape of W_h, (4, 4), like rnn.W_h.grad; got shape "
                            f"{grad.shape}.")
    ref = _five_step_example()
    problems = []
    if steps != ref["receives"]:
        if steps == list(range(EX1_STEPS)):
            problems.append("receives: the states after step 0 help compute nothing the loss sees, so no "
                            "gradient reaches them. Which way does the gradient travel in time?")
        elif not steps:
            problems.append("receives: the loss uses the output of step 0, which is h_0 itself, so h_0 gets "
                            "a gradient directly.")
        elif 0 not in steps:
            problems.append("receives: the gradient enters at the output the loss uses and travels backwards "
                            "in time, never forwards. Where does it enter?")
        else:
            problems.append("receives: only the state whose output the loss uses, and the states before it, "
                            "can receive a gradient. Print the norms of rnn.state_gradients(...) per step.")
    scale = max(float(np.abs(ref["grad_late"]).max()), 1e-12)
    if not np.allclose(grad, ref["grad_first"], atol=1e-9 * scale):
        if np.allclose(grad, ref["grad_late"], rtol=1e-6, atol=1e-12 * scale):
            problems.append("grad_W_h: that is the gradient of the loss on steps 3 and 4, still in W_h.grad: "
                            "rnn.backward adds into .grad. Call rnn.zero_grad() before rnn.backward.")
        else:
            problems.append("grad_W_h: W_h multiplies the previous state h_{t-1}. The loss uses step 0 only: "
                            "what is the state before step 0?")
    if problems:
        return wrong_parts(problems, 2)
    return correct("only h_0 gets a gradient, and the gradient of W_h is exactly zero. Which parameters "
                   "does this loss still train, and why?")


def _by_scale(value, name: str) -> np.ndarray:
    """Four numbers, one per scale in EX2_SCALES: a list or array in that order, or a dict keyed by s."""
    if isinstance(value, dict):
        try:
            value = [value[s] for s in EX2_SCALES]
        except KeyError:
            raise InvalidAnswer(f"{name} as a dict should have the keys {list(EX2_SCALES)}, the scales s; "
                                f"got {sorted(value)}.") from None
    return expect_array(value, name, shape=(len(EX2_SCALES),),
                        example="[v_1.5, v_2, v_3, v_4], one number per scale s")


def _within(value, reference, factor) -> np.ndarray:
    value, reference = np.asarray(value, dtype=float), np.asarray(reference, dtype=float)
    return (value > 0) & (np.abs(np.log(np.where(value > 0, value, 1.0) / reference)) < np.log(factor))


@exercise(2)
def larger_weights(back_49, per_step):
    """Exercise 2 of 2.4.1: for ``rnn_gradient_flow(scales=(1.5, 2, 3, 4), rng=SEED)``, the share of the
    gradient that reaches 49 steps back (``back_49``) and the factor per step (``per_step``), four numbers
    each, in the order of the scales."""
    back = _by_scale(back_49, "back_49")
    factor = _by_scale(per_step, "per_step")
    flow = rnn_gradient_flow(scales=EX2_SCALES, rng=SEED)
    ref_back = np.array([flow.back[s][EX2_BACK] for s in EX2_SCALES])
    ref_factor = np.array([flow.per_step[s] for s in EX2_SCALES])
    unscaled = np.array([flow.norms[s][0] for s in EX2_SCALES])
    scales = np.array(EX2_SCALES)

    problems = []
    if not np.all(_within(back, ref_back, EX2_FACTOR)):
        if np.all(_within(back[::-1], ref_back, EX2_FACTOR)):
            problems.append("back_49: your values are in reverse order; give them for s = 1.5, 2, 3, 4.")
        elif np.all(_within(1 / np.where(back != 0, back, np.inf), ref_back, EX2_FACTOR)):
            problems.append("back_49: those are the reciprocals. The share that survives is the size 49 steps "
                            "back divided by the size at the last step (flow.back).")
        elif np.all(_within(back, unscaled, EX2_FACTOR)):
            problems.append("back_49: those are the sizes of the gradient at step 0 themselves; divide each by "
                            "the size at the last step, where the loss is (or read flow.back).")
        else:
            problems.append("back_49: read flow.back[s][49] for each s: the size 49 steps back over the size "
                            "at the last step.")
    if not np.allclose(factor, ref_factor, atol=0.01):
        if np.allclose(factor[::-1], ref_factor, atol=0.01):
            problems.append("per_step: your values are in reverse order; give them for s = 1.5, 2, 3, 4.")
        elif np.allclose(factor, 0.57 * scales, atol=0.03):
            problems.append("per_step: 0.57 s is what the table would predict if the factor simply scaled "
                            "with s. Measure it instead (flow.per_step), and compare.")
        elif np.allclose(factor, ref_back / EX2_BACK, rtol=0.05):
            problems.append("per_step: a factor that repeats 49 times is the 49th root of the total, not the "
                            "total divided by 49.")
        elif np.allclose(factor, scales * flow.sigma_max[EX2_SCALES[0]] / EX2_SCALES[0], atol=0.03):
            problems.append("per_step: those are the largest singular values of s W_h, a bound, not the "
                            "measured factor (flow.per_step).")
        else:
            problems.append("per_step: the factor per step is the 49th root of the share that survives 49 "
                            "steps back (flow.per_step).")
    if problems:
        return wrong_parts(problems, 2)
    return correct(f"per step {', '.join(fmt(f, 3) for f in ref_factor)} for s = 1.5, 2, 3, 4. Each is below "
                   "0.57 s, and further below it the larger s is: what do larger weights do to the tanh "
                   "units?")


# ---- exercise 3: clipping runs -------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _clipping_data():
    series, _, _ = standardize(synthetic_series(300, rng=SEED))
    return next_step_windows(series, 40)


@functools.cache
def _clipping_run(clip, optimizer: str, lr: float = EX3_LR) -> seq2seq.History:
    """The section's ReLU RNN with identity W_h, trained as in its clipping cell (or with Adam)."""
    X, Y = _clipping_data()
    model = seq2seq.SequenceToSequence(1, 16, 1, rng=SEED, cell="rnn", nonlinearity="relu")
    model.recurrent.W_h.value[...] = np.eye(16)
    kw = {"optimizer": SGD(model.parameters(), lr=lr)} if optimizer == "sgd" else {"lr": lr}
    return seq2seq.train_sequence_model(model, X, Y, MSELoss(), rng=SEED, epochs=10, clip=clip, **kw)


def _same_run(a: seq2seq.History, b: seq2seq.History) -> bool:
    """Whether two histories record the same run: same steps, same divergence, same losses (to rounding)."""
    return (len(a.losses) == len(b.losses) and a.diverged_at == b.diverged_at
            and np.allclose(a.losses, b.losses, rtol=1e-4, atol=0.0))


def _history(value, name: str) -> seq2seq.History:
    if not isinstance(value, seq2seq.History):
        raise InvalidAnswer(f"{name} should be the History that seq2seq.train_sequence_model returns; got "
                            f"{describe(value)}.")
    if not value.losses:
        raise InvalidAnswer(f"{name} records no training step: pass the History of a run.")
    return value


def _which_sgd_run(history: seq2seq.History):
    """The clipping threshold (None for none) of the section's gradient-descent run that ``history`` is."""
    for clip in (None, 1.0, *EX3_CLIPS):
        if _same_run(history, _clipping_run(clip, "sgd")):
            return clip, True
    return None, False


def _clip_name(clip) -> str:
    return "no clipping" if clip is None else f"clip = {fmt(clip)}"


@exercise(3)
def clipping_runs(run_clip_0_1, run_clip_10, run_clip_100, run_adam):
    """Exercise 3 of 2.4.1: the histories of the clipping experiment repeated with ``clip`` = 0.1, 10 and
    100 (gradient descent, lr = 0.05), and of a run with Adam (lr = 0.05) without clipping."""
    runs = {0.1: _history(run_clip_0_1, "run_clip_0_1"), 10.0: _history(run_clip_10, "run_clip_10"),
            100.0: _history(run_clip_100, "run_clip_100")}
    adam = _history(run_adam, "run_adam")
    names = {0.1: "run_clip_0_1", 10.0: "run_clip_10", 100.0: "run_clip_100"}
    problems = []
    for clip, history in runs.items():
        if _same_run(history, _clipping_run(clip, "sgd")):
            continue
        other, found = _which_sgd_run(history)
        if found:
            problems.append(f"{names[clip]}: that is the run with {_clip_name(other)}; pass clip={fmt(clip)} "
                            "to train_sequence_model.")
        elif _same_run(history, _clipping_run(clip, "adam")):
            problems.append(f"{names[clip]}: that run used Adam. The clipped runs keep gradient descent: "
                            "optimizer=SGD(model.parameters(), lr=0.05), as in the section.")
        else:
            problems.append(f"{names[clip]}: not the section's run with clip={fmt(clip)}. Build a fresh model "
                            "with relu_rnn_forecaster() for every run (fit continues from trained weights) "
                            "and train it on X, Y with rng=SEED, epochs=10 and SGD at lr=0.05.")
    if not _same_run(adam, _clipping_run(None, "adam")):
        sgd_clip, sgd_found = _which_sgd_run(adam)
        if sgd_found:
            problems.append(f"run_adam: that is gradient descent ({_clip_name(sgd_clip)}). Leave out optimizer= "
                            "and give lr=0.05: train_sequence_model then uses Adam.")
        elif _same_run(adam, _clipping_run(None, "adam", 0.01)):
            problems.append("run_adam: that run has Adam's default learning rate, 0.01; the exercise asks for "
                            "lr=0.05.")
        elif any(_same_run(adam, _clipping_run(c, "adam")) for c in (1.0, *EX3_CLIPS)):
            problems.append("run_adam: that Adam run was clipped; the exercise asks what Adam does without "
                            "clipping (clip=None).")
        else:
            problems.append("run_adam: not the section's network trained with Adam at lr=0.05 without "
                            "clipping. Build a fresh model with relu_rnn_forecaster() and train it on X, Y "
                            "with rng=SEED, epochs=10, lr=0.05 and no optimizer= argument.")
    if problems:
        return wrong_parts(problems, 4)
    finals = ", ".join(f"{fmt(runs[c].final_loss, 2)} with c = {fmt(c)}" for c in EX3_CLIPS)
    return correct(f"the three clipped runs end at MSE {finals}; Adam stops after "
                   f"{adam.diverged_at} update{'' if adam.diverged_at == 1 else 's'}. "
                   "Why do Adam's first steps make W_h explode, although each moves a weight by only "
                   "about the learning rate?")


# ---- exercise 4: one neuron by hand --------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _one_neuron() -> dict:
    """dh_3/dh_k of a one-neuron tanh RNN with weight EX4_W driven through EX4_STATES, and the thresholds."""
    one = RNN(input_size=1, hidden_size=1, rng=SEED)
    one.W_x.value[...], one.W_h.value[...] = 1.0, EX4_W
    one.b_x.value[...], one.b_h.value[...] = 0.0, 0.0
    wanted = np.array([0.0, *EX4_STATES])                       # h_0 = 0, then h_1, h_2, h_3
    inputs = np.arctanh(wanted) - EX4_W * np.concatenate([[0.0], wanted[:-1]])
    h, cache = one.forward(inputs.reshape(1, 4, 1))
    if not np.allclose(h[0, :, 0], wanted):
        raise RuntimeError("the one-neuron RNN did not go through the exercise's states")
    dY = np.zeros((1, 4, 1))
    dY[0, 3] = 1.0
    dh3 = one.state_gradients(dY, cache)[0, :, 0]              # dh_3/dh_k for k = 0, 1, 2, 3
    tanh = get_activation("tanh")
    gamma = float(tanh.derivative(np.array(0.0)))              # the largest slope of tanh
    slope = float(tanh.derivative(np.arctanh(EX4_SATURATED)))  # tanh' at a state of 0.99
    return {"dh3_dh1": float(dh3[1]), "dh3_dh0": float(dh3[0]), "vanish": 1 / gamma, "grow": 1 / slope,
            "slope": slope}


def _product(slopes) -> float:
    return float(np.prod([EX4_W * s for s in slopes]))


@exercise(4)
def one_neuron_gradient(dh3_dh1, dh3_dh0, vanish_below, grow_above):
    """Exercise 4 of 2.4.1: for the one-neuron tanh RNN with w = 0.9 through h_1 = 0.2, h_2 = -0.5,
    h_3 = 0.9: dh_3/dh_1 and dh_3/dh_0, the |w| below which the gradient must vanish whatever the inputs
    (``vanish_below``), and the |w| a factor needs at states of +-0.99 to exceed 1 (``grow_above``)."""
    d31 = expect_number(dh3_dh1, "dh3_dh1")
    d30 = expect_number(dh3_dh0, "dh3_dh0")
    vanish = expect_number(vanish_below, "vanish_below")
    grow = expect_number(grow_above, "grow_above")
    ref = _one_neuron()
    h1, h2, h3 = EX4_STATES

    def near(value, target, rtol=0.01):
        return abs(value - target) <= rtol * abs(target)

    problems = []
    if not near(d31, ref["dh3_dh1"]):
        hints = [
            (ref["dh3_dh0"], "that product has three factors; from h_1 to h_3 there are two steps, 2 and 3."),
            (_product([1 - h3 ** 2]), "that is the factor of step 3 alone; step 2's factor multiplies it."),
            (_product([1 - h1 ** 2, 1 - h2 ** 2]), "the factor of step s uses the slope at step s, 1 − h_s², so "
                                                   "h_2 and h_3 here, not h_1 and h_2."),
            (_product([1 - h2, 1 - h3]), "tanh′ is 1 − h², not 1 − h."),
            (_product([1 - abs(h2), 1 - abs(h3)]), "tanh′ is 1 − h², not 1 − |h|."),
            ((1 - h2 ** 2) * (1 - h3 ** 2), "each factor is w times tanh′: the weight 0.9 is missing."),
            (EX4_W ** 2, "each factor is w times tanh′(a_s) = 1 − h_s²: the slopes are missing."),
        ]
        problems.append("dh3_dh1: " + next((h for value, h in hints if near(d31, value)),
                                           "multiply the factors w (1 − h_s²) of steps 3 and 2."))
    if not near(d30, ref["dh3_dh0"]):
        hints = [
            (ref["dh3_dh1"], "that is dh_3/dh_1; from h_0 there is one more step, with its own factor."),
            (ref["dh3_dh1"] * EX4_W, "the factor of step 1 uses the slope at step 1, 1 − h_1², not the slope "
                                     "at h_0 = 0."),
            (_product([1 - h1, 1 - h2, 1 - h3]), "tanh′ is 1 − h², not 1 − h."),
            ((1 - h1 ** 2) * (1 - h2 ** 2) * (1 - h3 ** 2), "each factor is w times tanh′: the weight 0.9 is "
                                                            "missing."),
            (EX4_W ** 3, "each factor is w times tanh′(a_s) = 1 − h_s²: the slopes are missing."),
        ]
        problems.append("dh3_dh0: " + next((h for value, h in hints if near(d30, value)),
                                           "multiply the factors w (1 − h_s²) of steps 3, 2 and 1."))
    if not near(vanish, ref["vanish"], 1e-3):
        if near(vanish, 4.0, 1e-3):
            problems.append("vanish_below: 4 comes from the sigmoid's largest slope, 1/4; tanh′ is at most 1.")
        else:
            problems.append("vanish_below: each factor is |w| tanh′ and tanh′ is at most 1. Below which |w| "
                            "is every factor below 1?")
    if not near(grow, ref["grow"], 0.01):
        hints = [
            (1 / EX4_SATURATED, "tanh′ at h = 0.99 is 1 − h², not h."),
            (1 / (1 - EX4_SATURATED), "tanh′ is 1 − h² = 1 − 0.9801, not 1 − h."),
            (ref["slope"], "that is tanh′ at h = ±0.99. The factor is |w| tanh′: how large must |w| be for it "
                           "to exceed 1?"),
            (1.0, "that would hold for unsaturated neurons, where tanh′ ≈ 1. At h = ±0.99 tanh′ is far "
                  "smaller."),
        ]
        problems.append("grow_above: " + next((h for value, h in hints if near(grow, value)),
                                              "solve |w| (1 − 0.99²) > 1 for |w|."))
    if problems:
        return wrong_parts(problems, 4)
    return correct(f"dh_3/dh_1 ≈ {fmt(ref['dh3_dh1'], 3)} and dh_3/dh_0 ≈ {fmt(ref['dh3_dh0'], 3)}; any |w| < "
                   f"{fmt(ref['vanish'])} makes the gradient vanish, and saturated neurons need |w| > "
                   f"{fmt(ref['grow'], 3)}. What does that say about saturation?")


# ---- exercise 5: truncated BPTT ------------------------------------------------------------------------


def _reference_count(w: int, d: int) -> int:
    """Targets of a window of w steps whose source, d steps earlier, lies in the same window."""
    positions = np.arange(w)              # a target's position in its window
    return int(np.sum(positions - d >= 0))


@exercise(5)
def targets_in_window(in_window):
    """Exercise 5 of 2.4.1: a function ``in_window(w, d)`` that returns how many targets of a window of
    ``w`` steps of the delayed echo with delay ``d`` have their source in the same window."""
    pairs = [(w, d) for w in EX5_WINDOWS for d in EX5_DELAYS]
    got = []
    for w, d in pairs:
        value = call_answer(in_window, w, d, name="in_window")
        if value is None:
            raise InvalidAnswer("in_window returned None: does your function end with return?")
        if isinstance(value, (bool, np.bool_)):
            raise InvalidAnswer("in_window should return a number of targets, not True or False.")
        got.append(expect_number(value, f"in_window({w}, {d})"))
    got = np.array(got)
    ref = np.array([_reference_count(w, d) for w, d in pairs])
    if np.array_equal(got, ref):
        return correct("a window of w steps connects w − d targets to their sources when w > d, and none "
                       "otherwise. Now explain the truncated-BPTT table with it.")
    w = np.array([p[0] for p in pairs])
    d = np.array([p[1] for p in pairs])
    if np.array_equal(got, w - d):
        return wrong("your count is negative when the window is shorter than the delay. A count cannot be "
                     "below 0: what is it when w ≤ d?")
    if np.array_equal(got, np.maximum(w - d + 1, 0)) or np.array_equal(got, w - d + 1):
        return wrong("off by one: with w = d, even the last target of the window (j = w − 1) has its source "
                     "one step before the window. Count the positions j = 0 … w − 1 with j − d ≥ 0.")
    if np.array_equal(got, np.maximum(d - w, 0)) or np.array_equal(got, np.minimum(w, d)):
        return wrong("look at it from a target at position j of the window (j = 0 … w − 1): its source is "
                     "at j − d. For how many j is that still inside the window?")
    first = next(i for i in range(len(pairs)) if got[i] != ref[i])
    return wrong(f"in_window({pairs[first][0]}, {pairs[first][1]}) returns {fmt(got[first])}. A target at "
                 "position j of the window (j = 0 … w − 1) has its source at j − d: count the j for which "
                 "that is inside the window.")
