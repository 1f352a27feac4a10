"""The checks of the exercises of 2.4.1: right answers pass in every form, and each typical slip (a gradient
left over in .grad, the states after the loss, a reversed ratio, a clipping run with the wrong threshold or
optimizer, tanh' written as 1 - h, a count off by one) gets its own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib import seq2seq
from lessons_lib.checks import section_2_4_1 as check
from lessons_lib.losses import MSELoss
from lessons_lib.optimizers import SGD
from lessons_lib.rnn import RNN, loss_on_steps
from lessons_lib.sequences import next_step_windows, standardize, synthetic_series
from lessons_lib.views.bptt import per_step_recurrent_gradients, rnn_gradient_flow

SEED = 2_4_1


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the loss on step 0 -----------------------------------------------------------------------


def _five_step_layer():
    """The notebook's cell: the layer, its states, and W_h.grad after the loss on steps 3 and 4."""
    rng = np.random.default_rng(SEED)
    rnn = RNN(input_size=1, hidden_size=4, rng=rng)
    x = rng.standard_normal((1, 5, 1))
    h, cache = rnn.forward(x)
    _, d_late = loss_on_steps(MSELoss(), h, rng.standard_normal((1, 2, 4)), [3, 4])
    rnn.zero_grad()
    rnn.backward(d_late, cache)
    return rnn, h, cache, d_late


def test_the_layer_is_the_notebooks():
    rnn, _, cache, d_late = _five_step_layer()
    shares = per_step_recurrent_gradients(rnn, d_late, cache)
    # the notebook prints ||share of step t||: 0 0.063 0.13 0.35 0.33
    assert [f"{np.linalg.norm(s):.2g}" for s in shares] == ["0", "0.063", "0.13", "0.35", "0.33"]


def _first_step_answers(zero_grad=True):
    rnn, h, cache, _ = _five_step_layer()
    _, d_first = loss_on_steps(MSELoss(), h, np.array([[[0.5, -1.0, 2.0, 0.0]]]), [0])
    norms = np.linalg.norm(rnn.state_gradients(d_first, cache)[0], axis=1)
    shares = per_step_recurrent_gradients(rnn, d_first, cache)
    if zero_grad:
        rnn.zero_grad()
    rnn.backward(d_first, cache)
    return norms, shares, rnn.W_h.grad.copy(), rnn.W_x.grad.copy()


@pytest.mark.parametrize("form", ["list", "mask", "array", "set", "shares"])
def test_loss_on_first_step_accepts_every_form(form):
    norms, shares, grad, _ = _first_step_answers()
    receives = {"list": [0], "mask": norms > 0, "array": np.flatnonzero(norms), "set": {0},
                "shares": (0,)}[form]
    answer = shares if form == "shares" else grad
    _kind_and_message(check.loss_on_first_step.evaluate(receives, answer), "correct", "only h_0 gets a gradient")


@pytest.mark.parametrize("receives, grad, fragments", [
    ([0], "left over", ["gradient of the loss on steps 3 and 4", "rnn.zero_grad()"]),
    ([0, 1, 2, 3, 4], "right", ["receives: the states after step 0", "Which way does the gradient travel"]),
    ([1, 2, 3, 4], "right", ["receives: the gradient enters at the output the loss uses", "never forwards"]),
    ([], "right", ["receives: the loss uses the output of step 0"]),
    ([0, 1], "right", ["receives: only the state whose output the loss uses"]),
    ([0], "ones", ["grad_W_h: W_h multiplies the previous state", "the state before step 0"]),
])
def test_loss_on_first_step_names_the_typical_mistakes(receives, grad, fragments):
    _, _, right, _ = _first_step_answers()
    answer = {"left over": _first_step_answers(zero_grad=False)[2], "right": right, "ones": np.ones((4, 4))}[grad]
    _kind_and_message(check.loss_on_first_step.evaluate(receives, answer), "wrong", "Not yet: ", *fragments)


def test_loss_on_first_step_unanswered_and_invalid():
    _, _, grad, grad_x = _first_step_answers()
    _kind_and_message(check.loss_on_first_step.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.loss_on_first_step.evaluate([0], ...), "unanswered", "(in grad_W_h)")
    _kind_and_message(check.loss_on_first_step.evaluate([0], grad_x), "invalid", "the shape of W_x (1, 4)")
    _kind_and_message(check.loss_on_first_step.evaluate([0], np.zeros(3)), "invalid", "shape of W_h, (4, 4)")
    _kind_and_message(check.loss_on_first_step.evaluate("h_0", grad), "invalid", "a list of step numbers")
    _kind_and_message(check.loss_on_first_step.evaluate([0.5], grad), "invalid", "a list of step numbers")
    _kind_and_message(check.loss_on_first_step.evaluate([7], grad), "invalid", "between 0 and 4")
    _kind_and_message(check.loss_on_first_step.evaluate([True, False], grad), "invalid", "one True or False per step")
    _kind_and_message(check.loss_on_first_step.evaluate([0], np.full((4, 4), np.nan)), "invalid", "NaN")


# ---- exercise 2: larger weights ---------------------------------------------------------------------------

FLOW = rnn_gradient_flow(scales=(1.5, 2, 3, 4), rng=SEED)
BACK = [FLOW.back[s][49] for s in FLOW.scales]
PER_STEP = [FLOW.per_step[s] for s in FLOW.scales]


@pytest.mark.parametrize("back, per_step", [
    (BACK, PER_STEP),
    ([3e-5, 0.4, 2e2, 3e3], [0.81, 0.98, 1.12, 1.18]),                         # the solution's rounded values
    ({s: FLOW.back[s][49] for s in FLOW.scales}, np.array(PER_STEP)),          # a dict keyed by s
    (BACK, [b ** (1 / 50) for b in BACK]),                                     # the 50th root is close enough
])
def test_larger_weights_accepts_every_form(back, per_step):
    _kind_and_message(check.larger_weights.evaluate(back, per_step), "correct", "per step 0.809, 0.979")


@pytest.mark.parametrize("back, per_step, fragments", [
    (BACK[::-1], PER_STEP, ["back_49: your values are in reverse order"]),
    ([1 / b for b in BACK], PER_STEP, ["back_49: those are the reciprocals"]),
    ([FLOW.norms[s][0] for s in FLOW.scales], PER_STEP, ["back_49: those are the sizes", "divide each"]),
    ([1.0, 1.0, 1.0, 1.0], PER_STEP, ["back_49: read flow.back[s][49]"]),
    (BACK, [0.57 * s for s in FLOW.scales], ["per_step: 0.57 s is what the table would predict"]),
    (BACK, [b / 49 for b in BACK], ["per_step: a factor that repeats 49 times is the 49th root"]),
    (BACK, [FLOW.sigma_max[s] for s in FLOW.scales], ["per_step: those are the largest singular values"]),
    (BACK, PER_STEP[::-1], ["per_step: your values are in reverse order"]),
])
def test_larger_weights_names_the_typical_mistakes(back, per_step, fragments):
    _kind_and_message(check.larger_weights.evaluate(back, per_step), "wrong", "Not yet: ", *fragments)


def test_larger_weights_unanswered_and_invalid():
    _kind_and_message(check.larger_weights.evaluate(..., ...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.larger_weights.evaluate(BACK, [0.81, ..., 1.12, 1.18]), "unanswered", "(in per_step)")
    _kind_and_message(check.larger_weights.evaluate(BACK[:3], PER_STEP), "invalid", "shape (4,)",
                      "one number per scale s")
    _kind_and_message(check.larger_weights.evaluate({1: 0.1}, PER_STEP), "invalid", "the keys [1.5, 2.0, 3.0, 4.0]")
    _kind_and_message(check.larger_weights.evaluate(BACK, "0.81 0.98"), "invalid", "per_step should be an array")


# ---- exercise 3: clipping runs ----------------------------------------------------------------------------

SERIES, _, _ = standardize(synthetic_series(300, rng=SEED))
X, Y = next_step_windows(SERIES, 40)


def _run(clip=None, optimizer="sgd", lr=0.05, model=None):
    if model is None:
        model = seq2seq.SequenceToSequence(1, 16, 1, rng=SEED, cell="rnn", nonlinearity="relu")
        model.recurrent.W_h.value[...] = np.eye(16)
    kw = {"optimizer": SGD(model.parameters(), lr=lr)} if optimizer == "sgd" else {"lr": lr}
    return seq2seq.train_sequence_model(model, X, Y, MSELoss(), rng=SEED, epochs=10, clip=clip, **kw)


RUNS = {c: _run(c) for c in (0.1, 1.0, 10.0, 100.0)}
ADAM = _run(None, "adam")


def test_clipping_runs_passes_the_runs_of_the_exercise():
    _kind_and_message(check.clipping_runs.evaluate(RUNS[0.1], RUNS[10.0], RUNS[100.0], ADAM), "correct",
                      "0.56 with c = 0.1", "Adam stops after 1 update")


def test_clipping_runs_accepts_adam_passed_as_an_optimizer():
    model = seq2seq.SequenceToSequence(1, 16, 1, rng=SEED, cell="rnn", nonlinearity="relu")
    model.recurrent.W_h.value[...] = np.eye(16)
    from lessons_lib.optimizers import Adam
    adam = seq2seq.train_sequence_model(model, X, Y, MSELoss(), rng=SEED, epochs=10,
                                        optimizer=Adam(model.parameters(), lr=0.05))
    assert check.clipping_runs.evaluate(RUNS[0.1], RUNS[10.0], RUNS[100.0], adam).passed


def _reused_model_run():
    model = seq2seq.SequenceToSequence(1, 16, 1, rng=SEED, cell="rnn", nonlinearity="relu")
    model.recurrent.W_h.value[...] = np.eye(16)
    _run(0.1, model=model)
    return _run(10.0, model=model)                # trained on from the weights of the first run


@pytest.mark.parametrize("answers, fragments", [
    (lambda: (RUNS[10.0], RUNS[0.1], RUNS[100.0], ADAM),
     ["run_clip_0_1: that is the run with clip = 10", "run_clip_10: that is the run with clip = 0.1"]),
    (lambda: (RUNS[0.1], RUNS[1.0], RUNS[100.0], ADAM), ["run_clip_10: that is the run with clip = 1;"]),
    (lambda: (RUNS[0.1], RUNS[10.0], _run(100.0, "adam"), ADAM),
     ["run_clip_100: that run used Adam", "optimizer=SGD(model.parameters(), lr=0.05)"]),
    (lambda: (RUNS[0.1], _reused_model_run(), RUNS[100.0], ADAM), ["run_clip_10: not the section's run",
                                                                  "fresh model"]),
    (lambda: (RUNS[0.1], RUNS[10.0], RUNS[100.0], _run(None)), ["run_adam: that is gradient descent (no clipping)",
                                                              "Leave out optimizer="]),
    (lambda: (RUNS[0.1], RUNS[10.0], RUNS[100.0], _run(None, "adam", lr=0.01)),
     ["run_adam: that run has Adam's default learning rate, 0.01"]),
    (lambda: (RUNS[0.1], RUNS[10.0], RUNS[100.0], _run(1.0, "adam")), ["run_adam: that Adam run was clipped"]),
    (lambda: (RUNS[0.1], RUNS[10.0], RUNS[100.0], _run(None, "adam", lr=0.02)),
     ["run_adam: not the section's network trained with Adam at lr=0.05"]),
])
def test_clipping_runs_names_the_typical_mistakes(answers, fragments):
    _kind_and_message(check.clipping_runs.evaluate(*answers()), "wrong", "Not yet: ", *fragments)


def test_clipping_runs_unanswered_and_invalid():
    _kind_and_message(check.clipping_runs.evaluate(..., ..., ..., ...), "unanswered",
                      "Exercise 3 is not answered yet")
    _kind_and_message(check.clipping_runs.evaluate(RUNS[0.1], RUNS[10.0], RUNS[100.0], ...), "unanswered",
                      "(in run_adam)")
    _kind_and_message(check.clipping_runs.evaluate(0.56, RUNS[10.0], RUNS[100.0], ADAM), "invalid",
                      "run_clip_0_1 should be the History that seq2seq.train_sequence_model returns")
    _kind_and_message(check.clipping_runs.evaluate(RUNS[0.1], RUNS[10.0], RUNS[100.0], seq2seq.History()),
                      "invalid", "run_adam records no training step")


# ---- exercise 4: one neuron by hand -----------------------------------------------------------------------


@pytest.mark.parametrize("answers", [(0.115, 0.0997, 1, 50), (0.1154, 0.09973, 1.0, 50.25),
                                     (np.array([0.115]), 0.0997, 1, 1 / 0.0199)])
def test_one_neuron_gradient_accepts_rounded_answers(answers):
    _kind_and_message(check.one_neuron_gradient.evaluate(*answers), "correct", "dh_3/dh_1 ≈ 0.115")


@pytest.mark.parametrize("answers, fragments", [
    ((0.0997, 0.0997, 1, 50), ["dh3_dh1: that product has three factors"]),
    ((0.171, 0.0997, 1, 50), ["dh3_dh1: that is the factor of step 3 alone"]),
    ((0.5832, 0.0997, 1, 50), ["dh3_dh1: the factor of step s uses the slope at step s"]),
    ((0.1215, 0.0875, 1, 50), ["dh3_dh1: tanh′ is 1 − h², not 1 − h.", "dh3_dh0: tanh′ is 1 − h², not 1 − h."]),
    ((0.1425, 0.1368, 1, 50), ["dh3_dh1: each factor is w times tanh′", "dh3_dh0: each factor is w times"]),
    ((0.81, 0.729, 1, 50), ["the slopes are missing"]),
    ((0.115, 0.115, 1, 50), ["dh3_dh0: that is dh_3/dh_1"]),
    ((0.115, 0.1039, 1, 50), ["dh3_dh0: the factor of step 1 uses the slope at step 1"]),
    ((0.115, 0.0997, 4, 50), ["vanish_below: 4 comes from the sigmoid's largest slope"]),
    ((0.115, 0.0997, 0.5, 50), ["vanish_below: each factor is |w| tanh′"]),
    ((0.115, 0.0997, 1, 100), ["grow_above: tanh′ is 1 − h² = 1 − 0.9801, not 1 − h."]),
    ((0.115, 0.0997, 1, 1.0101), ["grow_above: tanh′ at h = 0.99 is 1 − h², not h."]),
    ((0.115, 0.0997, 1, 0.0199), ["grow_above: that is tanh′ at h = ±0.99"]),
    ((0.115, 0.0997, 1, 1), ["grow_above: that would hold for unsaturated neurons"]),
])
def test_one_neuron_gradient_names_the_typical_mistakes(answers, fragments):
    _kind_and_message(check.one_neuron_gradient.evaluate(*answers), "wrong", "Not yet: ", *fragments)


def test_one_neuron_gradient_unanswered_and_invalid():
    _kind_and_message(check.one_neuron_gradient.evaluate(..., ..., ..., ...), "unanswered",
                      "Exercise 4 is not answered yet")
    _kind_and_message(check.one_neuron_gradient.evaluate(0.115, 0.0997, ..., 50), "unanswered", "(in vanish_below)")
    _kind_and_message(check.one_neuron_gradient.evaluate("0.115", 0.0997, 1, 50), "invalid",
                      "dh3_dh1 should be a number")
    _kind_and_message(check.one_neuron_gradient.evaluate(0.115, np.nan, 1, 50), "invalid", "finite number")


# ---- exercise 5: targets in a window ----------------------------------------------------------------------


def _in_window(w, d):
    return w - d if w > d else 0


@pytest.mark.parametrize("function", [lambda w, d: max(w - d, 0), _in_window, lambda w, d: float(max(w - d, 0)),
                                      lambda w, d: np.maximum(w - d, 0)])
def test_targets_in_window_accepts_every_correct_function(function):
    _kind_and_message(check.targets_in_window.evaluate(function), "correct", "w − d targets")


@pytest.mark.parametrize("function, fragments", [
    (lambda w, d: w - d, ["your count is negative"]),
    (lambda w, d: max(w - d + 1, 0), ["off by one"]),
    (lambda w, d: min(w, d), ["look at it from a target at position j"]),
    (lambda w, d: w // d, ["in_window(1, 1) returns 1", "count the j"]),
])
def test_targets_in_window_names_the_typical_mistakes(function, fragments):
    _kind_and_message(check.targets_in_window.evaluate(function), "wrong", "Not yet: ", *fragments)


def _returns_nothing(w, d):
    max(w - d, 0)


def test_targets_in_window_unanswered_and_invalid():
    _kind_and_message(check.targets_in_window.evaluate(...), "unanswered", "Exercise 5 is not answered yet")
    _kind_and_message(check.targets_in_window.evaluate(6), "invalid", "in_window should be a function")
    _kind_and_message(check.targets_in_window.evaluate(_returns_nothing), "invalid", "returned None")
    _kind_and_message(check.targets_in_window.evaluate(lambda w, d: w > d), "invalid", "not True or False")
    _kind_and_message(check.targets_in_window.evaluate(lambda w: w), "invalid", "calling in_window raised TypeError")
    _kind_and_message(check.targets_in_window.evaluate(lambda w, d: "w - d"), "invalid",
                      "in_window(1, 1) should be a number")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_4_1"))
    for written in ("(`receives = [0]`)", "`rnn.zero_grad()`", r"about $3\times 10^{-5}$ for `s` = 1.5, $0.4$ for 2",
                    r"$2\times 10^{2}$ for 3 and $3\times 10^{3}$ for 4 (per step 0.81, 0.98, 1.12 and 1.18)",
                    r"\approx 0.115$", r"\approx 0.0997$", "any\n   $|w| < 1$", r"\approx 50$",
                    "`in_window = lambda w, d: max(w - d, 0)`"):
        assert written in text, f"the solutions no longer write {written!r}"
    _, _, grad, _ = _first_step_answers()
    assert check.loss_on_first_step.evaluate([0], grad).passed
    assert check.larger_weights.evaluate([3e-5, 0.4, 2e2, 3e3], [0.81, 0.98, 1.12, 1.18]).passed
    assert check.clipping_runs.evaluate(RUNS[0.1], RUNS[10.0], RUNS[100.0], ADAM).passed
    assert check.one_neuron_gradient.evaluate(0.115, 0.0997, 1, 50).passed
    assert check.targets_in_window.evaluate(eval("lambda w, d: max(w - d, 0)")).passed
