"""Checks of the exercises of section 2.3.7, dropout: the mean and variance of a dropped unit, the scaling
that plain masks forget, and a network with dropout on its inputs.

The references are computed with :mod:`lessons_lib`: the value a kept unit passes on comes from a
:class:`~lessons_lib.dropout.Dropout` layer, and the network of exercise 3 is compared, layer by layer,
with :func:`~lessons_lib.network.mlp` and evaluated on the data of the notebook's first run.
"""

from __future__ import annotations

import numpy as np

from ..datasets import make_moons
from ..dropout import Dropout
from ..layers import ActivationLayer, Dense
from ..network import Sequential, mlp
from ..training import History, evaluate
from ._core import InvalidAnswer, correct, describe, exercise, expect_number, fmt, wrong, wrong_parts

__all__ = ["dropped_unit", "forgotten_scaling", "input_dropout"]

# Exercise 1: a unit with activation h = 3 and the drop rate p = 0.2.
H, P = 3.0, 0.2
# Exercise 2: the drop rates at which the student's functions of p are tried.
RATES = (0.1, 0.2, 0.5, 0.8)
# Exercise 3: the table's network (mlp([2, 256, 256, 2], dropout=0.5)) with dropout 0.2 on its inputs,
# trained on the data of seed 0 (40 training points, 500 validation points of the noisy moons).
SIZES, HIDDEN_P, INPUT_P = [2, 256, 256, 2], 0.5, 0.2


def _kept_value(h: float, p: float) -> float:
    """What a Dropout layer with drop rate p passes on for a kept unit whose activation is h."""
    out, mask = Dropout(p, rng=0).forward(np.full((1, 64), h))
    return float(out[mask > 0][0])


def _near(a: float, b: float, tol: float = 1e-3) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(b))


@exercise(1)
def dropped_unit(kept, p_kept, mean, variance):
    """Exercise 1 of 2.3.7: for h = 3 and p = 0.2, the value ``kept`` that h̃ takes when the unit is kept,
    the probability ``p_kept`` of that, and the ``mean`` and ``variance`` of h̃ in training."""
    answers = {"kept": kept, "p_kept": p_kept, "mean": mean, "variance": variance}
    got = {name: expect_number(value, name) for name, value in answers.items()}
    ref_kept, ref_p = _kept_value(H, P), 1 - Dropout(P, rng=0).p
    ref_mean = ref_p * ref_kept
    ref_var = ref_p * ref_kept ** 2 - ref_mean ** 2

    problems = []
    k = got["kept"]
    if not _near(k, ref_kept):
        hints = [(H, "kept: that is h unscaled. Inverted dropout scales the units it keeps."),
                 (H * (1 - P), "kept: you multiplied h by 1 − p; inverted dropout divides the survivors by it."),
                 (H / P, "kept: you divided by p, the probability of being dropped; divide by the probability "
                         "of being kept."),
                 (0.0, "kept: 0 is the value of a dropped unit; what does a kept one pass on?")]
        problems.append(next((h for v, h in hints if _near(k, v)), "kept: inverted dropout passes on h/(1 − p)."))
    q = got["p_kept"]
    if not _near(q, ref_p):
        problems.append("p_kept: p = 0.2 is the probability of being dropped." if _near(q, P)
                        else "p_kept: a unit is either dropped, with probability p, or kept.")
    m = got["mean"]
    if not _near(m, ref_mean):
        if _near(m, H * (1 - P)):
            problems.append("mean: that is the mean without the scaling. With inverted dropout the mean of h̃ "
                            "is what the unit gives at test time.")
        elif _near(m, ref_kept) or _near(m, k):
            problems.append("mean: that is the kept value alone; weigh both values of h̃ by their "
                            "probabilities.")
        elif _near(m, q * k) and problems:
            problems.append("mean: it follows from your kept value and p_kept; fix those first.")
        else:
            problems.append("mean: E[h̃] = Σ value · probability over the two values h̃ can take.")
    v = got["variance"]
    if not _near(v, ref_var):
        hints = [(H ** 2 * P * (1 - P), "variance: that is the variance of the unscaled h·r; the kept value is "
                                        "h/(1 − p), not h."),
                 (ref_p * ref_kept ** 2, "variance: that is E[h̃²]; the variance subtracts the squared mean, "
                                         "E[h̃²] − E[h̃]²."),
                 (H ** 2 * (1 - P) / P, "variance: the fraction is upside down; as p → 0 nothing is dropped and "
                                        "the variance must vanish."),
                 (P / (1 - P), "variance: you left out the factor h²: the variance grows with the square of h."),
                 (H * P / (1 - P), "variance: a variance scales with the square of h, h², not with h."),
                 (P * (1 - P), "variance: that is the variance of the mask r alone; h̃ takes the values 0 and "
                               "h/(1 − p).")]
        if v < 0:
            problems.append("variance: a variance is never negative.")
        elif _near(v, q * k ** 2 - (q * k) ** 2) and not (_near(k, ref_kept) and _near(q, ref_p)):
            problems.append("variance: it follows from your kept value and p_kept; fix those first.")
        else:
            problems.append(next((h for val, h in hints if _near(v, val)),
                                 "variance: Var[h̃] = E[h̃²] − E[h̃]²; compute E[h̃²] from the two values."))
    if problems:
        return wrong_parts(problems, 4)
    return correct(f"h̃ is 0 with probability {fmt(P)} and {fmt(ref_kept)} with probability {fmt(ref_p)}, so "
                   f"E[h̃] = {fmt(ref_mean)} = h and Var[h̃] = {fmt(ref_var)} = h²·p/(1 − p). What happens to "
                   "that fraction as p → 1?")


def _values(function, name: str) -> np.ndarray:
    """The student's function of p at every rate of ``RATES``."""
    values = []
    for p in RATES:
        try:
            value = function(p)
        except Exception as error:  # noqa: BLE001 - what the student's code raises is reported, not re-raised
            raise InvalidAnswer(f"calling {name}({p}) raised {type(error).__name__}: {error}") from None
        values.append(expect_number(value, f"{name}({p})"))
    return np.array(values)


@exercise(2)
def forgotten_scaling(ratio, weight_factor):
    """Exercise 2 of 2.3.7: two functions of the drop rate p, for a layer trained with plain masks:
    ``ratio(p)``, the test-time weighted sum Σ wᵢhᵢ divided by its average in training, and
    ``weight_factor(p)``, the factor by which the original recipe multiplies the weights after training."""
    answers = {"ratio": ratio, "weight_factor": weight_factor}
    for name, answer in answers.items():
        if isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, bool):
            return wrong(f"{name} should be a function of the drop rate p, like lambda p: ..., so that the check "
                         f"can try several rates; you gave the number {fmt(answer)}, which "
                         f"{'is' if _near(answer, _ref(name, 0.5)) else 'is not'} right for p = 0.5.")
        if not callable(answer):
            raise InvalidAnswer(f"{name} should be a function of the drop rate p, like lambda p: ...; got "
                                f"{describe(answer)}.")
    p = np.array(RATES)
    got = {name: _values(answer, name) for name, answer in answers.items()}
    ref = {name: np.array([_ref(name, r) for r in RATES]) for name in answers}

    def same(a, b):
        return bool(np.allclose(a, b, rtol=1e-6, atol=1e-12))

    problems = []
    if not same(got["ratio"], ref["ratio"]):
        hints = [(1 - p, "ratio: that is training over test time, upside down: at test time every unit is on, so "
                         "the test-time sum is the larger one."),
                 (1 / p, "ratio: in training a unit is on with probability 1 − p, not p."),
                 (1 + p, "ratio: 1 + p is close only for small p. The training average is (1 − p) times the "
                         "test-time sum: what is the exact ratio?"),
                 (np.full_like(p, 2.0), "ratio: 2 is right for p = 0.5 only; it depends on p.")]
        problems.append(next((h for v, h in hints if same(got["ratio"], v)),
                             "ratio: in training each hᵢ is on with probability 1 − p: what is the average of "
                             "the sum?"))
    if not same(got["weight_factor"], ref["weight_factor"]):
        hints = [(1 / (1 - p), "weight_factor: that factor makes the weights larger; after training with plain "
                               "masks they must shrink. (Inverted dropout uses that factor during training.)"),
                 (p, "weight_factor: a unit was on with probability 1 − p, not p."),
                 (np.full_like(p, 0.5), "weight_factor: 0.5 is right for p = 0.5 only; it depends on p.")]
        problems.append(next((h for v, h in hints if same(got["weight_factor"], v)),
                             "weight_factor: after training, the weights must turn the test-time sum back into "
                             "its training average."))
    if problems:
        return wrong_parts(problems, 2)
    return correct("at test time the weighted sum is 1/(1 − p) times its training average, twice as large for "
                   "p = 0.5, and multiplying the weights by 1 − p after training brings it back. Inverted "
                   "dropout divides by 1 − p during training instead, so that nothing changes at test time.")


def _ref(name: str, p: float) -> float:
    # Inverted dropout passes a kept unit on divided by 1 - p: the same factor by which the test-time sum
    # exceeds the training average of plain masks. The original recipe undoes it on the weights.
    scale = _kept_value(1.0, p)
    return scale if name == "ratio" else 1 / scale


# ---- exercise 3 ---------------------------------------------------------------------------------------------


def _tokens(model) -> list[tuple]:
    """The layers of a network as (kind, ...) tuples, nested Sequentials flattened."""
    tokens = []
    for layer in model:
        if isinstance(layer, Sequential):
            tokens += _tokens(layer)
        elif isinstance(layer, Dropout):
            tokens.append(("dropout", float(layer.p)))
        elif isinstance(layer, Dense):
            tokens.append(("dense", layer.in_features, layer.out_features))
        elif isinstance(layer, ActivationLayer):
            tokens.append(("activation", layer.name))
        else:
            tokens.append((type(layer).__name__,))
    return tokens


def _canonical(tokens: list[tuple]) -> list[tuple]:
    # Dropout right before a ReLU equals dropout right after it (relu(m z) = m relu(z) for a mask m >= 0).
    tokens = list(tokens)
    for i in range(len(tokens) - 1):
        if tokens[i][0] == "dropout" and tokens[i + 1] == ("activation", "relu"):
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
    return tokens


def _structure_problems(tokens: list[tuple], ref: list[tuple]) -> list[str]:
    problems = []
    drops = [t[1] for t in tokens if t[0] == "dropout"]
    if tokens and tokens[-1][0] == "dropout":
        problems.append("the last layer is a Dropout: output units are never dropped, since they are the "
                        "prediction itself. End with the Dense layer that gives the two logits.")
        tokens = tokens[:-1]
    elif tokens and tokens[-1][0] == "activation":
        problems.append(f"the network ends with {tokens[-1][1]}; leave the two logits as they are, since "
                        "cross_entropy applies the softmax itself.")
        tokens = tokens[:-1]
    if not tokens or tokens[0][0] != "dropout":
        problems.append(f"the first layer should drop inputs: a Dropout({INPUT_P}) in front of the first Dense "
                        "layer.")
        hidden = [t[1] for t in tokens if t[0] == "dropout"]
    else:
        first = tokens[0][1]
        hidden = [t[1] for t in tokens[1:] if t[0] == "dropout"]
        if np.isclose(first, HIDDEN_P) and hidden and np.allclose(hidden, INPUT_P):
            problems.append(f"the rates are swapped: the inputs get {INPUT_P}, the hidden layers {HIDDEN_P}.")
            hidden = []
        elif np.isclose(first, 1 - INPUT_P):
            problems.append(f"the input Dropout has p = {fmt(first)}: p is the probability of dropping "
                            f"(PyTorch's convention), not of keeping, so the inputs get p = {INPUT_P}.")
        elif not np.isclose(first, INPUT_P):
            problems.append(f"the input Dropout has p = {fmt(first)}; the exercise drops inputs with "
                            f"p = {INPUT_P}, milder than the hidden layers.")
    ref_hidden = [t[1] for t in ref[1:] if t[0] == "dropout"]
    if hidden and len(hidden) == len(ref_hidden) and not np.allclose(hidden, ref_hidden):
        problems.append(f"the hidden layers keep p = {HIDDEN_P}, as in the table's network, so that the "
                        "comparison changes one thing only.")
    elif len(drops) and len(hidden) < len(ref_hidden) and not any("swapped" in p for p in problems):
        problems.append(f"keep a Dropout({HIDDEN_P}) after each hidden layer, as in the table's network, so "
                        "that the comparison changes one thing only.")
    dense = [t[1:] for t in tokens if t[0] == "dense"]
    ref_dense = [t[1:] for t in ref if t[0] == "dense"]
    if dense != ref_dense:
        problems.append("the Dense layers should have the table's sizes, 2 → 256 → 256 → 2.")
    activations = {t[1] for t in tokens if t[0] == "activation"}
    if activations - {"relu"}:
        problems.append("the hidden layers use ReLU, as mlp does.")
    return problems


@exercise(3)
def input_dropout(net_in):
    """Exercise 3 of 2.3.7: ``net_in``, the network of the table (2 → 256 → 256 → 2, ReLU, dropout 0.5 after
    each hidden layer) with dropout 0.2 on its inputs as well, built with Sequential and trained."""
    if isinstance(net_in, History):
        raise InvalidAnswer("net_in should be the network itself; you gave what fit returns, its History.")
    if not isinstance(net_in, Sequential):
        raise InvalidAnswer(f"net_in should be a Sequential network, like Sequential(Dropout({INPUT_P}, rng=1), "
                            f"Dense(2, 256, init), ...); got {describe(net_in)}.")
    tokens = _tokens(net_in)
    ref = [("dropout", INPUT_P)] + _tokens(mlp(SIZES, rng=0, dropout=HIDDEN_P))
    if _canonical(tokens) != _canonical(ref):
        problems = _structure_problems(tokens, ref)
        if not problems:
            problems = ["compare its layers with those of mlp([2, 256, 256, 2], dropout=0.5), with one "
                        f"Dropout({INPUT_P}) in front."]
        if len(problems) == 1:
            return wrong(f"net_in: {problems[0]}")
        return wrong("net_in needs another look.\n- " + "\n- ".join(problems))
    if all(not np.any(p.grad) for p in net_in.parameters()):
        return wrong("net_in has the right layers but is not trained yet: fit it as the networks of the table "
                     "(Adam with lr = 3e-3, 200 epochs, mini-batches of 20).")
    X, y = make_moons(540, rng=0, noise=0.4)
    train_acc = evaluate(net_in, "cross_entropy", X[:40], y[:40])[1]
    val_acc = evaluate(net_in, "cross_entropy", X[40:], y[40:])[1]
    return correct(f"dropout {INPUT_P} on the inputs, {HIDDEN_P} after each hidden layer, none on the outputs. "
                   f"In evaluation mode your network gets {train_acc:.2f} on the 40 training points of seed 0 "
                   f"and {val_acc:.2f} on its 500 validation points: compare with the p = 0.5 row of the table.")
