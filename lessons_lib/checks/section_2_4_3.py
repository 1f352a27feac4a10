"""Checks of the exercises of section 2.4.3, the GRU: the parameters of a two-layer GRU, the reset gates for
which the two variants coincide, and the product of the keep gates against the measured gradient.

The references are computed with :mod:`lessons_lib`: the counts with
:func:`~lessons_lib.views.gru.parameter_counts` (which counts real layers), the two variants with
:class:`~lessons_lib.gru.GRU` on a test input, and the gradient with
:func:`~lessons_lib.through_time.compare_gradient_flow` (through the helpers of section 2.4.2's checks).
"""

from __future__ import annotations

import numpy as np

from ..gru import GRU
from ..views.gru import parameter_counts
from ._core import InvalidAnswer, correct, exercise, expect_instance, expect_number, fmt, wrong, wrong_parts
from .section_2_4_2 import _gate_products, _measured_problem, _measured_share, _products_answer, _products_problem

__all__ = ["two_layer_gru", "reset_variants", "keep_gate_products"]

# Exercise 1: a two-layer GRU, 10 inputs, 32 units per layer.
EX1_D, EX1_H = 10, 32
# Exercise 2: GRU(3, 4, 0, variant=...) with the reset gate's bias (block 0 of r, z, n) set to 20.
EX2_D, EX2_H, EX2_SEED, EX2_BIAS = 3, 4, 0, 20.0
# The check runs the student's two GRUs on this input (a few sequences like the page's X).
EX2_X = np.random.default_rng(2_4_3).normal(size=(4, 6, EX2_D))
# Exercise 4: the update-gate biases and the page's measurement (seed 2_4_3, 50 steps).
EX4_BIASES = (1.0, 3.0, 5.0)
EX4_SEED = 2_4_3


# ---- exercise 1 ---------------------------------------------------------------------------------------------


def _gru_count(D: int, H: int, blocks: int = 3, biases: int = 2, recurrent: bool = True) -> int:
    """blocks * (D H + H H + biases H): a layer of ``blocks`` fully connected layers in the chosen layout."""
    return blocks * (D * H + (H * H if recurrent else 0) + biases * H)


@exercise(1)
def two_layer_gru(layer_1, layer_2, total):
    """Exercise 1 of 2.4.3: the parameter counts of a two-layer GRU with D = 10 inputs and H = 32 units per
    layer (the second layer reads the first one's outputs): ``layer_1``, ``layer_2`` and their ``total``."""
    got = {"layer_1": expect_number(layer_1, "layer_1", integer=True),
           "layer_2": expect_number(layer_2, "layer_2", integer=True),
           "total": expect_number(total, "total", integer=True)}
    ref = {"layer_1": parameter_counts(EX1_D, EX1_H)["gru"], "layer_2": parameter_counts(EX1_H, EX1_H)["gru"]}
    ref["total"] = ref["layer_1"] + ref["layer_2"]
    inputs = {"layer_1": EX1_D, "layer_2": EX1_H}

    problems = []
    for name in ("layer_1", "layer_2"):
        if got[name] == ref[name]:
            continue
        D = inputs[name]
        hints = [
            (_gru_count(EX1_D, EX1_H) if name == "layer_2" else None,
             "layer_2: the second layer reads the 32 outputs of the first, not the 10 inputs, so D = 32 here."),
            (_gru_count(D, EX1_H, biases=1),
             f"{name}: PyTorch's layout gives each of the three layers two bias vectors, b_x and b_h (2H "
             "numbers, not H)."),
            (_gru_count(D, EX1_H, biases=0), f"{name}: you left out the biases, two vectors of H per layer."),
            (_gru_count(D, EX1_H, blocks=4), f"{name}: that is an LSTM's count, four layers; the GRU has three "
                                             "(r, z and the candidate n)."),
            (_gru_count(D, EX1_H, blocks=1), f"{name}: that is one fully connected layer, a simple RNN; the GRU "
                                             "has three (r, z and the candidate n)."),
            (_gru_count(D, EX1_H, recurrent=False), f"{name}: each of the three layers also reads h_(t−1): an "
                                                    "H × H matrix of recurrent weights."),
        ]
        problems.append(next((h for value, h in hints if value == got[name]),
                             f"{name}: three layers (r, z, n), each with a D × H and an H × H matrix and two bias "
                             f"vectors of H; for this layer D = {D}."))
    if got["total"] != ref["total"]:
        if got["total"] == got["layer_1"] + got["layer_2"]:
            if not problems:
                problems.append("total: check the sum of your two layers.")
        elif got["total"] == ref["layer_1"]:
            problems.append("total: that is the first layer alone; add the second.")
        else:
            problems.append("total: the two layers have separate weights, so their counts add up.")
    if problems:
        return wrong_parts(problems, 3)
    return correct(f"{ref['layer_1']} + {ref['layer_2']} = {ref['total']}; parameter_counts(10, 32)['gru'] + "
                   "parameter_counts(32, 32)['gru'] agrees. An LSTM of the same shape would need a third more.")


# ---- exercise 2 ---------------------------------------------------------------------------------------------


def _block(layer: GRU, k: int) -> np.ndarray:
    """The bias of gate block ``k`` (0: r, 1: z, 2: n) as the cell sees it, b_x + b_h (only the sum matters
    for r and z)."""
    H = layer.hidden_size
    return layer.b_x.value[k * H:(k + 1) * H] + layer.b_h.value[k * H:(k + 1) * H]


@exercise(2)
def reset_variants(r_same, gru_after, gru_before):
    """Exercise 2 of 2.4.3: ``r_same``, the value of every reset gate for which the reset-after and the
    reset-before GRU compute the same thing, and the two GRUs of the test, ``gru_after`` and ``gru_before``:
    GRU(3, 4, 0, variant=...) with the reset gate's bias set to 20 in both."""
    r = expect_number(r_same, "r_same")
    example = 'GRU(3, 4, 0, variant="reset_after") with its reset bias changed'
    after = expect_instance(gru_after, GRU, "gru_after", example)
    before = expect_instance(gru_before, GRU, "gru_before", example.replace("after", "before"))

    problems = []
    if abs(r - 1) > 1e-3:
        if not 0 <= r <= 1:
            problems.append("r_same: a reset gate is a sigmoid, between 0 and 1.")
        elif abs(r) <= 1e-3:
            problems.append("r_same: with r = 0 the state drops out of both candidates, but the bias b_hn does "
                            "not: reset after multiplies it by r too, reset before adds it in full.")
        else:
            problems.append(f"r_same: with every r equal to {fmt(r)}, (r h) W_hn + b_hn and r (h W_hn + b_hn) "
                            "still differ by the bias term. For which r does the gate change nothing?")

    variants = (after.variant, before.variant)
    layer_problems = []
    if variants == ("reset_before", "reset_after"):
        layer_problems.append("gru_after and gru_before: the two variants are swapped.")
    elif variants[0] == variants[1]:
        layer_problems.append(f"gru_after and gru_before: both are variant={variants[0]!r}; build one of each "
                              "(variant=\"reset_after\" and variant=\"reset_before\").")
    if (after.input_size, after.hidden_size) != (EX2_D, EX2_H) or (before.input_size, before.hidden_size) != (
            EX2_D, EX2_H):
        layer_problems.append(f"gru_after and gru_before: build them as GRU({EX2_D}, {EX2_H}, 0, variant=...), "
                              f"3 inputs as the page's X and 4 units.")
    if not layer_problems:
        reference = GRU(EX2_D, EX2_H, EX2_SEED)
        H = EX2_H
        weights_match = all(np.array_equal(a.value, b.value) for a, b in zip(after.parameters(), before.parameters())
                            if a.name.startswith("W"))
        if not weights_match:
            layer_problems.append("gru_after and gru_before: their weights differ. Build both with the same seed, "
                                  "GRU(3, 4, 0, ...), so that only the variant differs.")
        elif not np.array_equal(after.W_x.value, reference.W_x.value):
            layer_problems.append("gru_after and gru_before: build them with the seed 0 of the exercise, "
                                  "GRU(3, 4, 0, ...).")
        for name, layer in (("gru_after", after), ("gru_before", before)):
            r_bias, z_bias = _block(layer, 0), _block(layer, 1)
            if np.all(r_bias >= 10):
                continue
            if np.all(z_bias >= 10) or np.all(_block(layer, 2) >= 10):
                which = "z, the update gate" if np.all(z_bias >= 10) else "n, the candidate"
                layer_problems.append(f"{name}: you set the bias of {which}. PyTorch's order of the blocks is "
                                      f"r, z, n, so the reset gate's bias is b_x.value[:{H}].")
            elif np.all(r_bias <= -10):
                layer_problems.append(f"{name}: a bias of −20 closes the reset gate, r ≈ 0; a bias of +20 opens "
                                      "it, r ≈ 1.")
            else:
                layer_problems.append(f"{name}: set its reset gate's bias, b_x.value[:{H}], to 20 (in both GRUs).")
    problems += layer_problems
    if problems:
        return wrong_parts(problems, 3)
    Y_after, _ = after.forward(EX2_X)
    Y_before, _ = before.forward(EX2_X)
    gap = float(np.abs(Y_after - Y_before).max())
    if gap > 1e-3:
        return wrong(f"on a test input your two GRUs differ by up to {fmt(gap, 2)}; with the reset gates wide "
                     "open they should agree. Are both run as built, with the same weights?")
    return correct(f"r = 1 makes the two candidates equal, and with the reset bias at 20 your two GRUs agree to "
                   f"{fmt(gap, 1)} on a test input. Now try a bias of −20 (r ≈ 0): which term still differs?")


# ---- exercise 4 ---------------------------------------------------------------------------------------------


@exercise(4)
def keep_gate_products(products, measured):
    """Exercise 4 of 2.4.3: ``products``, the factor sigma(b)**49 by which the keep gates alone would scale the
    gradient over 49 steps for update-gate biases b = 1, 3 and 5, and ``measured``, the GRU's share of the
    gradient left 49 steps back for the same biases, from
    ``compare_gradient_flow(seq_len=50, rng=2_4_3, keep_gate_bias=b, cells=("GRU",))`` (three numbers each,
    in the order b = 1, 3, 5)."""
    answer = _products_answer(products, EX4_BIASES, "products")
    got = _products_answer(measured, EX4_BIASES, "measured")
    if np.any(got < 0):
        raise InvalidAnswer("measured should hold shares of a gradient's size, each at least 0.")
    problems = []
    product_problem = _products_problem(answer, EX4_BIASES, "products")
    if product_problem:
        if "1 − σ(b)" in product_problem:
            product_problem = ("products: you used 1 − σ(b), the write share of the other convention. In the "
                               "keep convention of this page, h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_(t−1), the share "
                               "kept is z_t itself, σ(b) for a bias b.")
        problems.append(product_problem)
    refs = {b: _measured_share("GRU", b, EX4_SEED) for b in EX4_BIASES}
    known = {b: float(v) for b, v in zip(EX4_BIASES, _gate_products(EX4_BIASES))}
    known["measured"] = refs
    lstm = {b: _measured_share("LSTM", b, EX4_SEED) for b in EX4_BIASES}
    if all(abs(g - lstm[b]) <= 0.02 * lstm[b] for g, b in zip(got, EX4_BIASES)) and not all(
            abs(g - refs[b]) <= 0.12 * refs[b] for g, b in zip(got, EX4_BIASES)):
        problems.append('measured: those are the LSTM\'s curves; ask for the GRU\'s with cells=("GRU",).')
    else:
        for g, b in zip(got, EX4_BIASES):
            others = {k: v for k, v in refs.items() if k != b}
            hint = _measured_problem(g, refs[b], "GRU", b, EX4_SEED, {**known, "measured": others},
                                     f"measured (b = {fmt(b)})")
            if hint:
                problems.append(hint)
                break
    if problems:
        return wrong_parts(problems, 2)
    ratio = {b: refs[b] / known[b] for b in EX4_BIASES}
    return correct(f"the keep gates alone give {', '.join(fmt(known[b], 2) for b in EX4_BIASES)}; the GRU keeps "
                   f"{', '.join(fmt(refs[b], 2) for b in EX4_BIASES)}, {fmt(ratio[1.0], 2)} times the product for "
                   f"b = 1 but within {fmt(100 * max(abs(ratio[b] - 1) for b in (3.0, 5.0)), 1)}% of it for b = 3 "
                   "and 5. Which road does the product leave out?")

