"""Checks of the exercises of section 1.1.4, self-supervised learning: restoring the bottom half of the digits,
and telling self-supervised tasks from the others.

For exercise 1 the check rebuilds the notebook's split of the digits from its seed (the permutation is the
notebook's first draw), makes the reference mask with :func:`lessons_lib.views.chapter1_learning.block_mask`
and measures the student's trained network itself, on the test images, against the mean-image baseline.
Its verdict does not depend on the run: a trained network is far from the untrained ones and from the
slips below, whatever its random start.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from ..datasets import load_digits
from ..layers import Dense
from ..losses import MSELoss
from ..network import Sequential
from ..training import predict
from ..views.chapter1_learning import block_mask, split_by_mask
from ._core import (
    InvalidAnswer,
    correct,
    describe,
    exercise,
    expect_array,
    expect_instance,
    expect_number,
    fmt,
    wrong,
    wrong_parts,
)

__all__ = ["bottom_half", "self_supervised_tasks"]

SEED = 1_1_4  # the notebook's generator: rng = np.random.default_rng(1_1_4)
N_TRAIN = 1437
BOTTOM = dict(top=4, left=0, height=4, width=8)   # the exercise's mask
CENTRE = dict(top=2, left=2, height=4, width=4)   # the notebook's mask
# A network that learned the task stays well below this share of the baseline's error (about a half); an
# untrained one, or one trained for something else, stays well above it.
TRAINED_BELOW = 0.8


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scaled digit images and the notebook's training and test rows."""
    X, _ = load_digits()
    order = np.random.default_rng(SEED).permutation(len(X))
    return X / 16, order[:N_TRAIN], order[N_TRAIN:]


def _mask(value) -> np.ndarray:
    arr = expect_array(value, "mask", example="block_mask(top=..., left=..., height=..., width=...)")
    if arr.shape == (8, 8):
        arr = arr.ravel()
    if arr.shape != (64,) or not np.all((arr == 0) | (arr == 1)):
        raise InvalidAnswer(f"mask should be a boolean mask of the 64 pixels, as block_mask returns; got "
                            f"{describe(value)}.")
    return arr.astype(bool)


def _sizes(net: Sequential) -> list[int]:
    dense = [layer for layer in net if isinstance(layer, Dense)]
    return [dense[0].in_features] + [d.out_features for d in dense] if dense else []


def _ratio(net, X, mask, rows_train, rows_test, swap: bool = False) -> float:
    visible, hidden = split_by_mask(X, mask)
    if swap:
        visible, hidden = hidden, visible
    mse = MSELoss()
    baseline = mse(np.tile(hidden[rows_train].mean(axis=0), (len(rows_test), 1)), hidden[rows_test])
    return float(mse(predict(net, visible[rows_test]), hidden[rows_test]) / baseline)


@exercise(1)
def bottom_half(mask, net, ratio):
    """Exercise 1 of 1.1.4: the ``mask`` that hides the bottom half of each digit, the network ``net``
    trained to restore it from the top half, and ``ratio``, its error on the test images as a fraction of
    the mean-image baseline's."""
    mask = _mask(mask)
    expect_instance(net, Sequential, "net", "a network made by mlp([...]) and trained with fit")
    ratio = expect_number(ratio, "ratio")
    ref_mask = block_mask(**BOTTOM)
    if not np.array_equal(mask, ref_mask):
        if np.array_equal(mask, ~ref_mask):
            return wrong("this mask hides the top half. Rows are counted from the top of the image, so the bottom "
                         "half starts at row 4: block_mask(top=4, left=0, height=4, width=8).")
        if np.array_equal(mask, block_mask(**CENTRE)):
            return wrong("that is the central block of the notebook; the exercise hides the bottom half.")
        if any(np.array_equal(mask, block_mask(top=0, left=left, height=8, width=4)) for left in (0, 4)):
            return wrong("this mask hides a left or right half: height and width are swapped. The bottom half is "
                         "4 rows high and 8 columns wide.")
        return wrong("mask should hide the bottom half of each image, rows 4 to 7: "
                     "block_mask(top=4, left=0, height=4, width=8).")
    sizes = _sizes(net)
    if not sizes:
        raise InvalidAnswer("net should be a network made by mlp([...]); it has no Dense layer.")
    if sizes[:1] + sizes[-1:] != [32, 32]:
        return wrong(f"net maps {sizes[0]} inputs to {sizes[-1]} outputs. With the bottom half hidden, 32 pixels "
                     "stay visible and 32 are to restore: mlp([32, 64, 32], ...).")
    X, rows_train, rows_test = _digits()
    ref_ratio = _ratio(net, X, ref_mask, rows_train, rows_test)
    if ref_ratio >= TRAINED_BELOW:
        if _ratio(net, X, ref_mask, rows_train, rows_test, swap=True) < TRAINED_BELOW:
            return wrong("net restores the top half from the bottom half: inputs and targets are swapped. Here "
                         "both halves have 32 pixels, so the sizes cannot catch it. split_by_mask returns "
                         "(visible, hidden): fit the network to map visible[train] to hidden[train].")
        return wrong(f"net's error on the test images is {100 * ref_ratio:.0f} % of the baseline's: it has not "
                     "learned to restore the bottom half. Train it with fit on visible[train] and hidden[train], "
                     "split with the new mask, as in the notebook.")
    if np.isclose(ratio, ref_ratio, atol=0.01) or np.isclose(ratio / 100, ref_ratio, atol=0.01):
        return correct(f"your network's error is {100 * ref_ratio:.0f} % of the mean image's on the bottom half. "
                       "Compare with the central block above: which task is harder relative to the baseline, "
                       "and what does the network see around each hidden pixel in each case?")
    if ratio > 1 and np.isclose(1 / ratio, ref_ratio, atol=0.01):
        return wrong(f"ratio = {fmt(ratio, 3)} is upside down: divide the network's error by the baseline's.")
    visible, hidden = split_by_mask(X, ref_mask)
    mse = MSELoss()
    error = float(mse(predict(net, visible[rows_test]), hidden[rows_test]))
    if np.isclose(ratio, error, atol=0.005):
        return wrong(f"ratio = {fmt(ratio, 3)} is the network's error itself; divide it by the error of the "
                     "mean-image baseline on the same hidden pixels.")
    return wrong(f"ratio = {fmt(ratio, 3)}, but your network's error on the test images is {100 * ref_ratio:.0f} % "
                 "of the baseline's. Compute both errors on the test images with the new mask: the baseline "
                 "fills the bottom half with its mean over the training images.")


# ---- exercise 2 -----------------------------------------------------------------------------------------------

SELF_SUPERVISED = {"a", "c"}
# What to ask about a task that is wrongly in the answer, or wrongly left out.
HINTS = {
    "a": "(a): who writes down the next word that the model must predict?",
    "b": "(b): what would the label be? Grouping customers uses none, not even one made from the data.",
    "c": "(c): where do the colours that the model must predict come from?",
    "d": "(d): who decided which emails are spam?",
}


def _letters(answer) -> set[str]:
    if isinstance(answer, str):
        words = re.findall(r"[A-Za-z]+", answer)
    elif isinstance(answer, (list, tuple, set, frozenset)) and all(isinstance(a, str) for a in answer):
        words = [w for a in answer for w in re.findall(r"[A-Za-z]+", a)]
    else:
        raise InvalidAnswer(f"answer should be the letters of the tasks, like \"b, d\"; got {describe(answer)}.")
    letters = set()
    for word in words:
        if word.lower() in ("and", "or"):
            continue
        if not set(word.lower()) <= set("abcd"):
            raise InvalidAnswer(f"answer should name the tasks by their letters a, b, c and d, like \"b, d\"; "
                                f"got {answer!r}.")
        letters |= set(word.lower())
    return letters


@exercise(2)
def self_supervised_tasks(answer):
    """Exercise 2 of 1.1.4: which of the tasks (a) to (d) are self-supervised, as letters ("b, d" or
    ["b", "d"])."""
    chosen = _letters(answer)
    if not chosen:
        return wrong("you named no task. Ask of each one where its labels come from.")
    problems = [HINTS[x] for x in sorted(chosen ^ SELF_SUPERVISED)]
    if problems:
        return wrong_parts(problems, 4)
    return correct("(a) and (c) make their labels out of the data itself; (b) has no labels and (d) gets them "
                   "from people.")
