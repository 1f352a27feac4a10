"""Checks of the exercises of section 2.4, recurrent neural networks: counting a layer's parameters, a linear
recurrent neuron, and a layer reading a sequence forward and backward.

The references are computed with :class:`lessons_lib.rnn.RNN` from the exercises' data (the sizes of exercise 1,
the weights and inputs of exercise 2, the notebook's ``layer`` and ``X`` of exercise 3, drawn again from the
notebook's seed), never written in by hand.
"""

from __future__ import annotations

import numpy as np

from ..rnn import RNN
from ._core import InvalidAnswer, close, correct, exercise, expect_array, expect_number, fmt, wrong, wrong_parts

__all__ = ["parameter_count", "linear_neuron", "order_matters"]

# Exercise 1: a layer with 3 inputs and 5 neurons, sequences of 6 or 600 steps.
EX1_INPUTS, EX1_NEURONS, EX1_LONG = 3, 5, 600
EX1_SHORT = 6
# Exercise 2: one neuron with w_x = 1, b = 0 and no activation, fed x = 1, 0, 0, 0, for three values of w_ŷ.
EX2_INPUTS = np.array([1.0, 0.0, 0.0, 0.0])
EX2_W_X = 1.0
EX2_W_Y = {"w_y_05": 0.5, "w_y_1": 1.0, "w_y_15": 1.5}
# Exercise 3: the notebook's first draws from default_rng(2_4): layer = RNN(3, 5, rng), then X of shape (4, 6, 3).
EX3_SEED, EX3_INPUTS, EX3_NEURONS, EX3_X_SHAPE = 24, 3, 5, (4, 6, 3)


# ---- exercise 1: counting parameters -------------------------------------------------------------------------


def _count_problem(name: str, value: int, ref: int, known: list[tuple[int, str]], general: str) -> str | None:
    if value == ref:
        return None
    return next((f"{name}: {hint}" for number, hint in known if value == number), f"{name}: {general}")


@exercise(1)
def parameter_count(in_equations, in_rnn, for_600_steps):
    """Exercise 1 of 2.4: for a recurrent layer with 3 inputs and 5 neurons, the number of values that (2.12)
    learns, the number that ``RNN(3, 5, rng)`` stores, and the number (2.12) learns for sequences of 600 steps
    (three whole numbers)."""
    in_equations = expect_number(in_equations, "in_equations", integer=True)
    in_rnn = expect_number(in_rnn, "in_rnn", integer=True)
    for_600_steps = expect_number(for_600_steps, "for_600_steps", integer=True)

    layer = RNN(EX1_INPUTS, EX1_NEURONS, rng=0)
    n_wx, n_wh, n_b = layer.W_x.value.size, layer.W_h.value.size, layer.b_x.value.size
    ref_equations = n_wx + n_wh + n_b                        # one bias vector b = b_x + b_h in (2.12)
    ref_stored = sum(p.value.size for p in layer.parameters())
    # The layer's parameters do not depend on the length of the sequences it reads: the count stays the same.
    ref_long = ref_equations
    square = (EX1_INPUTS + EX1_NEURONS) ** 2

    problems = []
    problem = _count_problem("in_equations", in_equations, ref_equations, [
        (n_wx + n_wh, "you counted the weights; every neuron also has a bias, the vector b of (2.12)."),
        (n_wx + n_b, "you left out W_ŷ, the weights of the previous outputs fed back at every step."),
        (n_wx + EX1_NEURONS + n_b, "W_ŷ is a square matrix: each neuron receives the previous outputs of all "
                                   f"{EX1_NEURONS} neurons, not only its own."),
        (ref_stored, "that counts two bias vectors, as RNN stores them; in (2.12) only their sum b appears."),
        (n_wx + n_wh + 1, "b has one bias per neuron, not one for the whole layer."),
        (square, "the stacked W has n_inputs + n_neurons rows but only n_neurons columns; it is not square."),
    ], "count the entries of W_x (n_inputs × n_neurons), W_ŷ (n_neurons × n_neurons) and b (n_neurons).")
    if problem:
        problems.append(problem)
    problem = _count_problem("in_rnn", in_rnn, ref_stored, [
        (ref_equations, "RNN keeps two bias vectors, b_x and b_h, as PyTorch's nn.RNN does."),
        (n_wx + n_wh, "count the biases too: RNN stores b_x and b_h."),
    ], "add up the sizes of W_x, W_h, b_x and b_h (the notebook prints their shapes for this very layer).")
    if problem:
        problems.append(problem)
    if for_600_steps != ref_long:
        if for_600_steps > ref_long and any(for_600_steps % t == 0 for t in (EX1_LONG, EX1_SHORT, EX1_LONG - 1)):
            problems.append("for_600_steps: the same weights are reused at every step; unrolling through time "
                            "redraws the computation but adds no parameters.")
        elif for_600_steps == ref_stored:
            problems.append("for_600_steps: that is what RNN stores; the question is how many values (2.12) "
                            "learns.")
        elif for_600_steps == in_equations:
            problems.append("for_600_steps: it repeats your first answer, the right idea (the length changes "
                            "nothing), so it follows once in_equations is right.")
        else:
            problems.append("for_600_steps: does the size of W_x, W_ŷ or b involve the number of time steps?")
    if problems:
        return wrong_parts(problems, 3)
    return correct(f"(2.12) learns {ref_equations} values ({n_wx} in W_x, {n_wh} in W_ŷ, {n_b} in b), RNN stores "
                   f"{ref_stored} because of its second bias vector, and neither number depends on the length of "
                   "the sequences: that is what lets one layer read sequences of any length.")


# ---- exercise 2: a linear recurrent neuron --------------------------------------------------------------------


def _linear_outputs(w_y: float, inputs: np.ndarray = EX2_INPUTS, activation: str = "relu") -> np.ndarray:
    """The outputs of a one-neuron RNN with w_x = 1, w_ŷ = ``w_y`` and b = 0 on ``inputs``.

    With non-negative inputs and weights every pre-activation is >= 0, where ReLU is the identity: so
    ``activation="relu"`` runs the neuron without an activation, φ(z) = z, as the exercise asks.
    """
    neuron = RNN(1, 1, rng=0, nonlinearity=activation)
    neuron.W_x.value[...] = EX2_W_X
    neuron.W_h.value[...] = w_y
    neuron.b_x.value[...] = 0.0
    neuron.b_h.value[...] = 0.0
    outputs, _ = neuron.forward(np.asarray(inputs, dtype=float).reshape(1, -1, 1))
    return outputs.ravel()


def _outputs(value, name: str) -> np.ndarray | str:
    """The four outputs, or a problem (a string) for the typical wrong length: ŷ_{-1} = 0 written in front."""
    n = EX2_INPUTS.size
    example = "a list of four numbers [ŷ₀, ŷ₁, ŷ₂, ŷ₃]"
    arr = expect_array(value, name, example=example)
    if arr.shape == (n + 1,) and arr[0] == 0:
        return (f"{name}: you wrote {n + 1} numbers starting with 0; ŷ₋₁ = 0 is the starting value, not an "
                f"output: give ŷ₀ to ŷ₃.")
    return expect_array(arr, name, shape=(n,), example=example)


def _linear_problem(name: str, got: np.ndarray, w_y: float) -> str | None:
    ref = _linear_outputs(w_y)
    if close(got, ref, rtol=1e-6, atol=1e-6):
        return None
    n = EX2_INPUTS.size
    typical = [
        (_linear_outputs(w_y, np.ones(n)), "the input is 1 only at step 0; from then on xₜ = 0 and the neuron "
                                           "lives on what it fed back to itself."),
        (_linear_outputs(w_y, activation="tanh"), "you applied tanh; this neuron has no activation (φ(z) = z), "
                                                  "so ŷₜ is the weighted sum itself."),
        (EX2_W_X * EX2_INPUTS, "ŷₜ also receives w_ŷ·ŷₜ₋₁: the previous output is fed back at every step."),
        (np.concatenate([[0.0], ref[:-1]]), "ŷ₀ already includes x₀: the step before the first has "
                                            "ŷ₋₁ = 0, so ŷ₀ = w_x·x₀."),
        (ref * w_y, "x₀ enters with w_x = 1; w_ŷ multiplies only the output fed back from the step before."),
        (ref[::-1], "list the outputs in time order, ŷ₀ first."),
        (EX2_W_X + w_y * np.arange(n), "w_ŷ multiplies the previous output; it is not added to it."),
    ]
    hint = next((h for value, h in typical if close(got, value, rtol=1e-6, atol=1e-6)),
                "apply ŷₜ = w_x·xₜ + w_ŷ·ŷₜ₋₁ one step at a time, starting from ŷ₋₁ = 0.")
    return f"{name} (w_ŷ = {fmt(w_y)}): {hint}"


@exercise(2)
def linear_neuron(w_y_05, w_y_1, w_y_15):
    """Exercise 2 of 2.4: the outputs ŷ_0, ..., ŷ_3 of one neuron with w_x = 1, b = 0 and no activation, fed
    x = 1, 0, 0, 0, for w_ŷ = 0.5, 1 and 1.5 (three arrays of four numbers)."""
    answers = {"w_y_05": w_y_05, "w_y_1": w_y_1, "w_y_15": w_y_15}
    problems = []
    for name, value in answers.items():
        got = _outputs(value, name)
        problem = got if isinstance(got, str) else _linear_problem(name, got, EX2_W_Y[name])
        if problem:
            problems.append(problem)
    if problems:
        return wrong_parts(problems, 3)
    last = {name: _linear_outputs(w)[-1] for name, w in EX2_W_Y.items()}
    return correct(f"each output is w_ŷ times the one before, so x₀ is remembered with weight w_ŷ to the power t: ŷ₃ = "
                   f"{fmt(last['w_y_05'])}, {fmt(last['w_y_1'])} and {fmt(last['w_y_15'])}. A memory that "
                   "fades, one that never forgets, and one that explodes. Now write ŷₜ as a sum over the "
                   "past inputs x₀, …, xₜ.")


# ---- exercise 3: order matters -------------------------------------------------------------------------------


def _notebook_layer_and_X() -> tuple[RNN, np.ndarray]:
    """The notebook's ``layer`` and ``X``: its first two draws from ``default_rng(2_4)``."""
    rng = np.random.default_rng(EX3_SEED)
    layer = RNN(input_size=EX3_INPUTS, hidden_size=EX3_NEURONS, rng=rng)
    return layer, rng.normal(size=EX3_X_SHAPE)


def _final_outputs(value, name: str, shape: tuple[int, int]) -> np.ndarray | str:
    """A (batch, neurons) array, or a problem (a string) for an answer that kept every time step."""
    if isinstance(value, np.ndarray) and value.ndim == 3 and value.shape[0] == shape[0] \
            and value.shape[2] == shape[1]:
        if value.shape[1] != 1:
            return (f"{name}: that is the output at every step, shape {value.shape}; the exercise compares the "
                    "final outputs only, the last step of the time axis.")
        value = value[:, 0]
    arr = expect_array(value, name, example="the final outputs Y[:, -1], one row per sequence")
    if arr.shape != shape:
        if arr.shape == shape[::-1]:
            raise InvalidAnswer(f"{name} should have shape {shape}, one row per sequence; got shape {arr.shape}, "
                                "transposed.")
        raise InvalidAnswer(f"{name} should have shape {shape}, one row per sequence and one column per "
                            f"neuron; got shape {arr.shape}.")
    return arr


@exercise(3)
def order_matters(Y_forward, Y_reverse):
    """Exercise 3 of 2.4: the final outputs of the notebook's ``layer`` on ``X`` (``Y_forward``) and on ``X``
    reversed in time (``Y_reverse``), two arrays of shape (4, 5)."""
    layer, X = _notebook_layer_and_X()
    outputs = layer.forward(X)[0]
    reversed_outputs = layer.forward(X[:, ::-1])[0]
    ref_forward, ref_reverse = outputs[:, -1], reversed_outputs[:, -1]
    shape = ref_forward.shape
    got_forward = _final_outputs(Y_forward, "Y_forward", shape)
    got_reverse = _final_outputs(Y_reverse, "Y_reverse", shape)

    def same(a, b):
        return not isinstance(a, str) and close(a, b, rtol=1e-6, atol=1e-8)

    if same(got_forward, ref_reverse) and same(got_reverse, ref_forward):
        return wrong("your two answers are swapped: Y_forward is the run on X in its own order, Y_reverse the "
                     "run on X[:, ::-1].")
    problems = []
    if isinstance(got_forward, str):
        problems.append(got_forward)
    elif not same(got_forward, ref_forward):
        if same(got_forward, outputs[:, 0]):
            problems.append("Y_forward: that is the output of the first step; the final output is the last one "
                            "along the time axis (axis 1).")
        else:
            problems.append("Y_forward: it is not the final output of layer.forward(X) for this notebook's layer "
                            "and X. If you re-ran or changed the cells that make them, restart the kernel and "
                            "run the notebook from the top.")
    if isinstance(got_reverse, str):
        problems.append(got_reverse)
    elif not same(got_reverse, ref_reverse):
        typical = [
            (ref_forward, "it equals the forward run: did you feed the layer X instead of X reversed in time?"),
            (layer.forward(X[::-1])[0][:, -1], "X[::-1] reverses the order of the sequences in the batch "
                                               "(axis 0); time is axis 1."),
            (layer.forward(X[:, :, ::-1])[0][:, -1], "you reversed the features of each step (the last axis); "
                                                     "time is axis 1."),
            (outputs[:, 0], "you reversed the outputs of the forward run; reverse the inputs and run the layer "
                            "again, since every output depends on the inputs before it."),
            (reversed_outputs[:, 0], "that is the output of the first step of the reversed run; take its last."),
        ]
        problems.append("Y_reverse: " + next(
            (hint for value, hint in typical if same(got_reverse, value)),
            "run layer.forward on X[:, ::-1], the same sequences with their steps in reverse order, and take the "
            "output of the last step."))
    if problems:
        return wrong_parts(problems, 2)
    gap = np.abs(ref_forward - ref_reverse).max()
    return correct(f"the final outputs differ by up to {fmt(gap, 2)}, although the sum of the inputs over time "
                   "is the same for both orders. Why does the layer tell the two sequences apart?")
