"""Checks of the exercises of section 2.3, deep neural networks: a value used twice, the cost of finite
differences, and the hidden units XOR needs.

The references are computed with :class:`lessons_lib.autodiff.Value` (the gradients of exercise 1) and
:func:`lessons_lib.network.mlp` (the parameters of exercise 2, the layer sizes of exercise 3). Exercise 3
looks at the student's own trained networks: whether they are set up as asked, trained, and what they
compute on the four XOR inputs.
"""

from __future__ import annotations

import numpy as np

from ..autodiff import Value
from ..layers import ActivationLayer, Dense
from ..network import Sequential, mlp
from ..training import predict
from ._core import InvalidAnswer, correct, exercise, expect_instance, expect_number, fmt, wrong, wrong_parts

__all__ = ["value_used_twice", "finite_difference_cost", "xor_hidden_units"]

# Exercise 1: f = a * b + a at a = 2, b = -3.
EX1_A, EX1_B = 2.0, -3.0
# Exercise 2: the classic network for handwritten digits.
EX2_SIZES = (784, 256, 256, 10)
# Exercise 3: XOR (X and y_xor in the notebook), and the network 2 -> h -> 1 with tanh hidden units.
X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0, 1, 1, 0])
_NET = 'a network from mlp([2, h, 1], activation="tanh", rng=rng, init="glorot_uniform"), trained with fit'


def _ex1_reference() -> tuple[float, float, float]:
    a, b = Value(EX1_A, label="a"), Value(EX1_B, label="b")
    f = a * b + a
    f.backward()
    return a.grad, b.grad, f.data


def _gradient(value, name: str, leaf: str) -> float:
    if isinstance(value, Value):
        raise InvalidAnswer(f"{name} is a Value ({value!r}); give its gradient, the number {leaf}.grad, "
                            "after f.backward().")
    return expect_number(value, name)


@exercise(1)
def value_used_twice(grad_a, grad_b):
    """Exercise 1 of 2.3: the gradients of f = a·b + a with respect to a and b at a = 2, b = -3."""
    da = _gradient(grad_a, "grad_a", "a")
    db = _gradient(grad_b, "grad_b", "b")
    ref_a, ref_b, f = _ex1_reference()
    if np.isclose(da, ref_a) and np.isclose(db, ref_b):
        return correct(f"∂f/∂a = b + 1 = {fmt(ref_a)} and ∂f/∂b = a = {fmt(ref_b)}. Which edges of the graph "
                       "deliver the two contributions to a.grad, and what would a.grad be with = instead of +=?")
    if np.isclose(da, ref_b) and np.isclose(db, ref_a):
        return wrong("your two gradients are swapped: grad_a is ∂f/∂a, the change of f when a moves.")
    problems = []
    if not np.isclose(da, ref_a):
        if np.isclose(da, EX1_B):
            problems.append("grad_a: that is the contribution of the product a·b only. a is used twice: it "
                            "also enters the sum directly, and each use adds its own contribution.")
        elif np.isclose(da, 1.0):
            problems.append("grad_a: that is the contribution of the sum only. a also enters the product a·b, "
                            "whose derivative with respect to a is b.")
        elif np.isclose(da, EX1_A + 1):
            problems.append("grad_a: ∂(a·b)/∂a is the other factor, b, not a.")
        elif np.isclose(da, f):
            problems.append("grad_a: that is f itself; the exercise asks for its derivatives.")
        else:
            problems.append("grad_a: a reaches f along two paths, through the product and directly through "
                            "the sum; add their contributions.")
    if not np.isclose(db, ref_b):
        if np.isclose(db, EX1_B):
            problems.append("grad_b: ∂(a·b)/∂b is the other factor, a, not b.")
        elif np.isclose(db, EX1_A + 1) or np.isclose(db, EX1_B + 1):
            problems.append("grad_b: b appears only in the product; the + a does not depend on b.")
        elif np.isclose(db, f):
            problems.append("grad_b: that is f itself; the exercise asks for its derivatives.")
        else:
            problems.append("grad_b: b enters f only through the product a·b.")
    return wrong_parts(problems, 2)


@exercise(2)
def finite_difference_cost(parameters, forward_passes, backward_passes):
    """Exercise 2 of 2.3: for mlp([784, 256, 256, 10]), the number of parameters, the forward passes that
    central finite differences need for one gradient, and the backward passes that backpropagation needs."""
    n = expect_number(parameters, "parameters", integer=True)
    fwd = expect_number(forward_passes, "forward_passes", integer=True)
    bwd = expect_number(backward_passes, "backward_passes", integer=True)
    net = mlp(list(EX2_SIZES), rng=0)
    dense = [layer for layer in net if isinstance(layer, Dense)]
    ref = sum(p.value.size for p in net.parameters())
    weights = sum(layer.W.value.size for layer in dense)
    units = sum(layer.out_features for layer in dense)
    problems, notes = [], []
    if n != ref:
        if n == weights:
            problems.append("parameters: you counted the weights; every unit of the hidden and output layers "
                            "also has a bias.")
        elif n == weights + units - dense[-1].out_features:
            problems.append("parameters: the output layer's units have biases too.")
        elif n == weights + units + EX2_SIZES[0]:
            problems.append("parameters: the input layer only holds the features; it has no units, so no "
                            "biases.")
        elif n == weights + len(dense):
            problems.append("parameters: each unit has its own bias, not one per layer.")
        else:
            problems.append("parameters: count each Dense layer's weights (inputs × units) and biases (one per "
                            "unit), or sum p.value.size over mlp([784, 256, 256, 10], rng=0).parameters().")
    if fwd == ref + 1:
        notes.append("(You counted one-sided differences, f(θ + h) − f(θ), which need one extra pass for the "
                     "unnudged network; the book's central differences need two passes per parameter.)")
    elif fwd != 2 * ref:
        if fwd == 2 * n and n != ref:
            problems.append("forward_passes: two per parameter is right; correct the count of parameters.")
        elif fwd == ref:
            problems.append("forward_passes: central differences nudge every parameter up and down, and each "
                            "nudge needs a forward pass of its own.")
        elif fwd == 1:
            problems.append("forward_passes: one forward pass is what backpropagation needs; finite "
                            "differences run the network again for every nudge of every parameter.")
        else:
            problems.append("forward_passes: finite differences nudge one parameter at a time, up and down, "
                            "and run a forward pass for each nudge.")
    if bwd != 1:
        if bwd in (ref, n):
            problems.append("backward_passes: one backward pass gives the derivative of the loss with respect "
                            "to every parameter at once; that is the point of reverse mode.")
        elif bwd == 0:
            problems.append("backward_passes: backpropagation needs a backward pass; how many?")
        elif bwd == 2:
            problems.append("backward_passes: one forward pass and one backward pass; the question counts only "
                            "the backward ones.")
        else:
            problems.append("backward_passes: how many sweeps of the chain rule give the derivative of one "
                            "number, the loss, with respect to every parameter?")
    if problems:
        return wrong_parts(problems, 3)
    return correct(f"{ref:,} parameters: {fwd:,} forward passes for finite differences against one forward and "
                   "one backward pass for backpropagation. At a millisecond per pass, how long would one "
                   "gradient take each way?" + ("\n" + " ".join(notes) if notes else ""))


def _architecture(net, name: str) -> tuple[list[Dense], list[ActivationLayer], bool]:
    """The Dense layers, the hidden activation layers, and whether the output has an activation of its own."""
    expect_instance(net, Sequential, name, _NET)
    layers = list(net)
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    activations = [layer for layer in layers if isinstance(layer, ActivationLayer)]
    if not dense:
        raise InvalidAnswer(f"{name} should be {_NET}; it has no Dense layer.")
    output_activation = isinstance(layers[-1], ActivationLayer)
    hidden = activations[:-1] if output_activation else activations
    return dense, hidden, output_activation


def _setup_problem(net, name: str, hidden_units: int) -> str | None:
    dense, hidden, output_activation = _architecture(net, name)
    sizes = [dense[0].in_features] + [layer.out_features for layer in dense]
    wanted = [2, hidden_units, 1]
    reference = [layer.W.value.shape for layer in mlp(wanted, activation="tanh", rng=0) if isinstance(layer, Dense)]
    if [layer.W.value.shape for layer in dense] != reference:
        if len(sizes) == 2:
            return (f"{name} has no hidden layer (sizes {sizes}): the output unit reads the inputs directly. "
                    f"mlp([2, {hidden_units}, 1]) puts {hidden_units} hidden unit{'s' if hidden_units > 1 else ''} "
                    "between them.")
        if sizes[0] != 2 or sizes[-1] != 1:
            return (f"{name} has {sizes[0]} inputs and {sizes[-1]} outputs; XOR has two inputs and one output "
                    "(sizes [2, h, 1]).")
        return f"{name} has the layer sizes {sizes}; the exercise asks for [2, {hidden_units}, 1]."
    names = {layer.name for layer in hidden}
    if names != {"tanh"}:
        return (f"{name}'s hidden units use {', '.join(sorted(names))}; the exercise asks for tanh, as above "
                "(mlp's default is relu): pass activation=\"tanh\".")
    if output_activation:
        return (f"{name} ends in an activation, but fit's \"bce_with_logits\" applies the sigmoid itself and "
                "expects the raw output (the logit): leave out output_activation.")
    if all(np.all(p.grad == 0) for p in net.parameters()):
        return (f"{name} has never been through a backward pass: train it with fit(...), as the network with "
                "four hidden units above.")
    return None


def _answers(net) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        probability = 1 / (1 + np.exp(-predict(net, X)[:, 0]))
    return probability, (probability > 0.5).astype(int)


@exercise(3)
def xor_hidden_units(net_1, net_2):
    """Exercise 3 of 2.3: ``net_1`` and ``net_2``, networks mlp([2, h, 1], activation="tanh",
    init="glorot_uniform") with h = 1 and h = 2 hidden units, each trained on the four XOR examples."""
    for net, name in ((net_1, "net_1"), (net_2, "net_2")):
        _architecture(net, name)
    width_1 = _architecture(net_1, "net_1")[0][0].out_features
    width_2 = _architecture(net_2, "net_2")[0][0].out_features
    if (width_1, width_2) == (2, 1):
        return wrong("net_1 and net_2 are swapped: net_1 should have one hidden unit, net_2 two.")
    problems = [p for p in (_setup_problem(net_1, "net_1", 1), _setup_problem(net_2, "net_2", 2)) if p]
    if problems:
        return wrong_parts(problems, 2)
    verdicts = []
    for net, name in ((net_1, "net_1"), (net_2, "net_2")):
        probability, answer = _answers(net)
        confident = np.all(np.abs(probability - answer) < 0.1)
        if confident and not np.array_equal(answer, Y_XOR):
            return wrong(f"{name} is sure of all four answers, {answer.tolist()}, and that is not XOR "
                         f"({Y_XOR.tolist()}). Was it fitted to X and y_xor?")
        verdicts.append((answer, int(np.sum(answer == Y_XOR))))
    (answer_1, right_1), (answer_2, right_2) = verdicts
    second = ("net_2 learned XOR: two hidden units can bound the band between the two classes"
              if right_2 == 4 else
              f"net_2 answers {answer_2.tolist()}, {right_2} of 4 right: this start got stuck, as about half "
              "the starts do with two hidden units; try a few other seeds")
    return correct(f"net_1 answers {answer_1.tolist()}, {right_1} of 4 right, and no start can do better. "
                   f"{second}. Why can one hidden unit never be enough, whatever its weights?")
