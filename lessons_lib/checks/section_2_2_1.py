"""Checks of the exercises of section 2.2.1, training a perceptron: training set-ups and their outcomes.

Each check receives what the student built and trained (targets, a feature matrix, a fitted
:class:`~lessons_lib.perceptron.Perceptron`) and compares it with a run of :meth:`Perceptron.fit` on the
exercise's data, made here.
"""

from __future__ import annotations

import numpy as np

from .. import perceptron
from ._core import correct, exercise, expect_array, expect_instance, fmt, wrong

__all__ = ["half_rate_run", "three_units", "product_feature"]

# The truth-table data of the section (X, y_and, y_or, y_xor in the notebook).
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y_AND = np.array([0, 0, 0, 1])
Y_OR = np.array([0, 1, 1, 1])
Y_NAND = 1 - Y_AND
Y_NOR = 1 - Y_OR
Y_XOR = np.array([0, 1, 1, 0])
_PERCEPTRON = "a fitted Perceptron, e.g. perceptron.Perceptron(2).fit(X, y_and)"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _run_summary(unit: perceptron.Perceptron) -> tuple[int, int]:
    """(weight updates, epochs) of the unit's last fit."""
    return int(sum(unit.history.mistake)), len(unit.history.errors_per_epoch)


def _trained(unit, name: str, n_inputs: int, n_outputs: int, build: str):
    """The common mistakes of a set-up before its result is looked at, as a wrong Result (None if fine)."""
    expect_instance(unit, perceptron.Perceptron, name, _PERCEPTRON)
    if unit.n_inputs != n_inputs or unit.n_outputs != n_outputs:
        return wrong(f"{name} has {_count(unit.n_inputs, 'input')} and {_count(unit.n_outputs, 'unit')}; "
                     f"this exercise needs {build}.")
    if unit.history is None:
        return wrong(f"{name} is not trained yet: call its fit method with the training data.")
    if np.any(unit.history.weights[0] != 0) or np.any(unit.history.biases[0] != 0):
        return wrong(f"the last fit of {name} started from non-zero weights. fit continues from the current "
                     "weights, so fit a fresh Perceptron (with the default init='zeros').")
    return None


@exercise(1)
def half_rate_run(tlu_half):
    """Exercise 1 of 2.2.1: a single TLU with learning rate 0.5, fitted to the AND truth table."""
    problem = _trained(tlu_half, "tlu_half", 2, 1, "a single unit with two inputs, Perceptron(2, eta=0.5)")
    if problem:
        return problem
    if tlu_half.eta != 0.5:
        return wrong(f"tlu_half learns with eta = {fmt(tlu_half.eta)}; the exercise asks for 0.5. Pass it by "
                     "name when you create the perceptron: perceptron.Perceptron(2, eta=...).")
    predictions = tlu_half.predict(X)
    if not tlu_half.converged or not np.array_equal(predictions, Y_AND):
        return wrong(f"tlu_half predicts {predictions.astype(int).tolist()} for the four inputs, which is "
                     "not AND. Fit it to X and y_and (with the default max_epochs, the rule has time to "
                     "converge).")
    reference = perceptron.Perceptron(2, eta=0.5).fit(X, Y_AND)
    if not (np.array_equal(tlu_half.W, reference.W) and np.array_equal(tlu_half.b, reference.b)):
        return wrong("tlu_half computes AND, but it did not get there the way the run above did: fit it "
                     "without shuffle=True, so the instances come in the same order.")
    updates, epochs = _run_summary(tlu_half)
    return correct(f"{_count(updates, 'weight update')} in {_count(epochs, 'epoch')}, ending at "
                   f"w = {fmt(tlu_half.W[:, 0])}, b = {fmt(tlu_half.b[0])}. Compare with the run with eta = 1 "
                   "above: what changed, what did not, and why?")


def _columns(Y: np.ndarray) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in Y[:, j]) for j in range(Y.shape[1])]


@exercise(2)
def three_units(Y3, three):
    """Exercise 2 of 2.2.1: targets ``Y3`` of shape (4, 3) for AND, OR and NAND, and the perceptron
    ``three`` with three units fitted to ``X`` and ``Y3``."""
    Y3 = expect_array(Y3, "Y3")
    if Y3.shape == (3, 4):
        return wrong("Y3 has one row per unit and one column per instance; fit expects the transpose: one "
                     "row per instance of X, one column per unit.")
    if Y3.shape != (4, 3):
        return wrong(f"Y3 should hold one row per instance of X and one column per unit, shape (4, 3); "
                     f"yours has shape {Y3.shape}. np.column_stack puts 1-D arrays side by side as columns.")
    if not np.all((Y3 == 0) | (Y3 == 1)):
        return wrong("Y3 should hold binary targets, 0 and 1.")
    wanted = {"AND": tuple(Y_AND), "OR": tuple(Y_OR), "NAND": tuple(Y_NAND)}
    columns = _columns(Y3)
    missing = [name for name, col in wanted.items() if col not in columns]
    if missing:
        if "NAND" in missing and tuple(Y_NOR) in columns:
            return wrong("one column of Y3 is NOR, NOT OR. NAND is NOT AND: it is 0 only for (1, 1).")
        return wrong(f"Y3 has no column for {' or '.join(missing)}. Its columns are the targets of the three "
                     f"units, one truth table each.")
    problem = _trained(three, "three", 2, 3, "three units reading two inputs, Perceptron(2, 3)")
    if problem:
        return problem
    if not three.converged or not np.array_equal(three.predict(X), Y3):
        return wrong("three does not reproduce Y3 on the four inputs. Fit it to X and Y3 until it converges.")
    _, epochs = _run_summary(three)
    if epochs != len(perceptron.Perceptron(2, 3).fit(X, Y3).history.errors_per_epoch):
        return wrong("three learned Y3, but not in the same run as a fresh Perceptron(2, 3) fitted to X and "
                     "Y3 without shuffling: fit a fresh one that way.")
    return correct(f"the three units learn AND, OR and NAND together in {_count(epochs, 'epoch')}. Now fit "
                   "one unit on each column alone: how do their epochs relate to this number?")


@exercise(3)
def product_feature(X3, tlu3):
    """Exercise 3 of 2.2.1: the inputs with the product x1 x2 as a third column, ``X3`` (4, 3), and the TLU
    ``tlu3`` fitted to ``X3`` and the XOR targets."""
    X3 = expect_array(X3, "X3")
    if X3.shape == (3, 4):
        return wrong("X3 has one row per feature; fit expects one row per instance (4 rows) and one column "
                     "per feature. Transpose it, or build it with np.column_stack.")
    if X3.shape != (4, 3):
        return wrong(f"X3 should keep the two inputs and add a third feature: shape (4, 3), one row per "
                     f"instance of X. Yours has shape {X3.shape}.")
    columns = set(_columns(X3)) if np.all(X3 == np.round(X3)) else set()
    x1, x2 = tuple(int(v) for v in X[:, 0]), tuple(int(v) for v in X[:, 1])
    product = tuple(int(v) for v in X[:, 0] * X[:, 1])
    if x1 not in columns or x2 not in columns:
        return wrong("X3 should keep x1 and x2 as they are (the columns of X) and add one more column.")
    if product not in columns:
        extra = next(iter(columns - {x1, x2}), None)
        if extra == tuple(Y_XOR):
            return wrong("the third column of X3 is XOR itself, the answer the unit should learn. The "
                         "exercise's feature is the product x1 x2, which is computed without knowing XOR.")
        if extra == tuple(int(a + b) for a, b in zip(x1, x2)):
            return wrong("the third column is x1 + x2, which a TLU can already form from its two inputs: "
                         "it adds nothing, and XOR stays inseparable. The exercise's feature is the product.")
        return wrong("the third column of X3 should be the product of the two inputs, x1 x2.")
    problem = _trained(tlu3, "tlu3", 3, 1, "one unit reading the three columns of X3, Perceptron(3)")
    if problem:
        return problem
    predictions = tlu3.predict(X3)
    if not tlu3.converged or not np.array_equal(predictions, Y_XOR):
        return wrong(f"tlu3 predicts {predictions.astype(int).tolist()} for the four inputs, which is not "
                     "XOR. Fit it to X3 and y_xor until it converges.")
    updates, epochs = _run_summary(tlu3)
    return correct(f"with the product as a third input, one TLU learns XOR ({_count(updates, 'weight update')} "
                   f"in {_count(epochs, 'epoch')}). Which part of the two-layer network did this feature "
                   "replace?")

