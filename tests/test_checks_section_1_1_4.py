"""The checks of the exercises of 1.1.4: the bottom-half set-up (mask, network, ratio) passes when right and
each slip gets its own hint; the self-supervised tasks are read from letters in any reasonable form."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_1_1_4 as check
from lessons_lib.datasets import load_digits
from lessons_lib.losses import MSELoss
from lessons_lib.network import mlp
from lessons_lib.optimizers import Adam
from lessons_lib.training import fit, predict
from lessons_lib.views.chapter1_learning import block_mask, split_by_mask

# The notebook's split: its first draw from its generator.
rng = np.random.default_rng(1_1_4)
X, _ = load_digits()
X = X / 16
order = rng.permutation(len(X))
train, test = order[:1437], order[1437:]
mse = MSELoss()
BOTTOM = block_mask(top=4, left=0, height=4, width=8)
visible_b, hidden_b = split_by_mask(X, BOTTOM)
BASELINE = mse(np.tile(hidden_b[train].mean(axis=0), (len(test), 1)), hidden_b[test])


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _trained(inputs, targets, epochs=40, seed=1):
    net = mlp([inputs.shape[1], 64, targets.shape[1]], activation="relu", rng=seed)
    fit(net, mse, Adam(net.parameters(), lr=3e-3), inputs[train], targets[train], epochs=epochs, batch_size=32,
        rng=seed)
    return net


@pytest.fixture(scope="module")
def net():
    return _trained(visible_b, hidden_b)


@pytest.fixture(scope="module")
def ratio(net):
    return float(mse(predict(net, visible_b[test]), hidden_b[test]) / BASELINE)


# ---- exercise 1: the bottom half ---------------------------------------------------------------------------


def test_bottom_half_accepts_every_form(net, ratio):
    assert 0.4 < ratio < 0.6
    for mask, answer in [(BOTTOM, ratio), (BOTTOM, round(ratio, 2)), (BOTTOM, 100 * ratio),
                         (BOTTOM.reshape(8, 8).astype(int), ratio), (BOTTOM.tolist(), ratio)]:
        _kind_and_message(check.bottom_half.evaluate(mask, net, answer), "correct",
                          f"{100 * ratio:.0f} % of the mean image's", "Compare with the central block")


@pytest.mark.parametrize("mask, fragments", [
    (~BOTTOM, ["hides the top half", "starts at row 4"]),
    (block_mask(top=0, left=4, height=8, width=4), ["left or right half", "height and width are swapped"]),
    (block_mask(top=0, left=0, height=8, width=4), ["left or right half"]),
    (block_mask(top=2, left=2, height=4, width=4), ["the central block of the notebook"]),
    (block_mask(top=5, left=0, height=3, width=8), ["rows 4 to 7"]),
])
def test_bottom_half_names_the_mistakes_in_the_mask(net, ratio, mask, fragments):
    _kind_and_message(check.bottom_half.evaluate(mask, net, ratio), "wrong", "Not yet: ", *fragments)


def test_bottom_half_names_the_mistakes_in_the_network(ratio):
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, mlp([48, 64, 16], rng=0), ratio), "wrong",
                      "maps 48 inputs to 16 outputs", "mlp([32, 64, 32], ...)")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, mlp([32, 64, 32], rng=0), ratio), "wrong",
                      "has not learned to restore the bottom half")
    swapped = _trained(hidden_b, visible_b, epochs=10)
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, swapped, ratio), "wrong",
                      "inputs and targets are swapped", "the sizes cannot catch it")


def test_bottom_half_names_the_mistakes_in_the_ratio(net, ratio):
    error = float(mse(predict(net, visible_b[test]), hidden_b[test]))
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, net, 1 / ratio), "wrong", "is upside down")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, net, error), "wrong", "the network's error itself")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, net, 0.35), "wrong",   # the central block's ratio
                      f"your network's error on the test images is {100 * ratio:.0f} %", "with the new mask")


def test_bottom_half_unanswered_and_invalid(net, ratio):
    _kind_and_message(check.bottom_half.evaluate(..., ..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, net, ...), "unanswered", "(in ratio)")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM[:32], net, ratio), "invalid", "a boolean mask of the 64")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM * 2, net, ratio), "invalid", "a boolean mask of the 64")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, "net", ratio), "invalid", "net should be a network")
    _kind_and_message(check.bottom_half.evaluate(BOTTOM, net, np.nan), "invalid", "finite")


# ---- exercise 2: which tasks are self-supervised -----------------------------------------------------------


@pytest.mark.parametrize("answer", ["a, c", "(a) and (c)", "AC", ["a", "c"], ("c", "a"), {"a", "c"}, "a c"])
def test_self_supervised_tasks_accepts_every_form(answer):
    _kind_and_message(check.self_supervised_tasks.evaluate(answer), "correct", "(a) and (c) make their labels")


@pytest.mark.parametrize("answer, fragments", [
    ("a, b, c", ["1 of the 4 answers needs another look", "(b): what would the label be?"]),
    ("a, c, d", ["(d): who decided which emails are spam?"]),
    ("c", ["(a): who writes down the next word"]),
    ("a", ["(c): where do the colours"]),
    ("b, d", ["all 4 answers need another look"]),
    ("", ["you named no task"]),
])
def test_self_supervised_tasks_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.self_supervised_tasks.evaluate(answer), "wrong", "Not yet: ", *fragments)


def test_self_supervised_tasks_unanswered_and_invalid():
    _kind_and_message(check.self_supervised_tasks.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.self_supervised_tasks.evaluate(["a", ...]), "unanswered", "not finished")
    _kind_and_message(check.self_supervised_tasks.evaluate("a, e"), "invalid", "by their letters a, b, c and d")
    _kind_and_message(check.self_supervised_tasks.evaluate(13), "invalid", "the letters of the tasks")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = " ".join(exercise_text(notebook_for("section_1_1_4")).split())
    for written in ["`mask_bottom = block_mask(top=4, left=0, height=4, width=8)`",
                    "`visible_b, hidden_b = split_by_mask(X, mask_bottom)`",
                    '`mlp([32, 64, 32], activation="relu", rng=rng)`', "on `visible_b[train]` and `hidden_b[train]`",
                    "(a) and (c) are self-supervised"]:
        assert written in text, f"the solutions no longer write {written!r}: update this test and the check"
    net = mlp([32, 64, 32], activation="relu", rng=rng)
    fit(net, mse, Adam(net.parameters(), lr=3e-3), visible_b[train], hidden_b[train], epochs=40, batch_size=32,
        rng=rng)
    ratio = mse(predict(net, visible_b[test]), hidden_b[test]) / BASELINE
    assert check.bottom_half.evaluate(block_mask(top=4, left=0, height=4, width=8), net, ratio).passed
    assert check.self_supervised_tasks.evaluate("(a) and (c)").passed
