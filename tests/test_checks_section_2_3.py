"""The checks of the exercises of 2.3: the gradients of a value used twice, the cost of finite differences, and
the XOR networks with one and two hidden units; each typical slip (one path of the chain rule, the weights
without the biases, relu by default, an untrained network) gets its own hint."""

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.autodiff import Value
from lessons_lib.checks import section_2_3 as check
from lessons_lib.network import mlp
from lessons_lib.optimizers import SGD
from lessons_lib.training import fit

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([0, 1, 1, 0])


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: f = a * b + a ----------------------------------------------------------------------------


def _engine():
    a, b = Value(2.0), Value(-3.0)
    f = a * b + a
    f.backward()
    return a, b


@pytest.mark.parametrize("grads", [(-2, 2), (-2.0, 2.0), (np.float64(-2), np.array([2.0])),
                                   (_engine()[0].grad, _engine()[1].grad)])
def test_value_used_twice_accepts_every_form(grads):
    _kind_and_message(check.value_used_twice.evaluate(*grads), "correct", "∂f/∂a = b + 1 = -2", "∂f/∂b = a = 2")


@pytest.mark.parametrize("grads, fragments", [
    ((-3, 2), ["1 of the 2 answers", "grad_a: that is the contribution of the product a·b only"]),   # = for +=
    ((1, 2), ["grad_a: that is the contribution of the sum only"]),
    ((3, 2), ["grad_a: ∂(a·b)/∂a is the other factor, b, not a"]),
    ((-2, -3), ["grad_b: ∂(a·b)/∂b is the other factor, a, not b"]),
    ((-2, 3), ["grad_b: b appears only in the product"]),
    ((2, -2), ["your two gradients are swapped"]),
    ((-4, -4), ["all 2 answers", "grad_a: that is f itself", "grad_b: that is f itself"]),
    ((5, 7), ["a reaches f along two paths", "b enters f only through the product"]),
])
def test_value_used_twice_names_the_typical_mistakes(grads, fragments):
    _kind_and_message(check.value_used_twice.evaluate(*grads), "wrong", "Not yet: ", *fragments)


def test_value_used_twice_unanswered_and_invalid():
    a, b = _engine()
    _kind_and_message(check.value_used_twice.evaluate(..., ...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.value_used_twice.evaluate(-2, ...), "unanswered", "(in grad_b)")
    _kind_and_message(check.value_used_twice.evaluate(a, b), "invalid", "grad_a is a Value", "a.grad")
    _kind_and_message(check.value_used_twice.evaluate("-2", 2), "invalid", "grad_a should be a number")
    _kind_and_message(check.value_used_twice.evaluate(-2, np.nan), "invalid", "grad_b should be a finite number")


# ---- exercise 2: the cost of finite differences -----------------------------------------------------------

N = sum(p.value.size for p in mlp([784, 256, 256, 10], rng=0).parameters())
WEIGHTS = 784 * 256 + 256 * 256 + 256 * 10


@pytest.mark.parametrize("answer, note", [
    ((269_322, 538_644, 1), None),
    ((269_322.0, np.int64(538_644), 1.0), None),
    ((269_322, 269_323, 1), "one-sided differences"),
])
def test_finite_difference_cost_accepts_every_form(answer, note):
    _kind_and_message(check.finite_difference_cost.evaluate(*answer), "correct", "269,322 parameters",
                      *([note] if note else []))


@pytest.mark.parametrize("answer, fragments", [
    ((WEIGHTS, 2 * WEIGHTS, 1), ["2 of the 3 answers", "parameters: you counted the weights",
                                 "forward_passes: two per parameter is right; correct the count"]),
    ((WEIGHTS + 512, 2 * N, 1), ["parameters: the output layer's units have biases too"]),
    ((N + 784, 2 * N, 1), ["the input layer only holds the features"]),
    ((WEIGHTS + 3, 2 * N, 1), ["each unit has its own bias, not one per layer"]),
    ((N, N, 1), ["forward_passes: central differences nudge every parameter up and down"]),
    ((N, 1, 1), ["forward_passes: one forward pass is what backpropagation needs"]),
    ((N, 2 * N, N), ["backward_passes: one backward pass gives the derivative"]),
    ((N, 2 * N, 0), ["backward_passes: backpropagation needs a backward pass"]),
    ((N, 2 * N, 2), ["backward_passes: one forward pass and one backward pass"]),
    ((1000, 5, 7), ["all 3 answers", "count each Dense layer's weights", "nudge one parameter at a time",
                    "how many sweeps of the chain rule"]),
])
def test_finite_difference_cost_names_the_typical_mistakes(answer, fragments):
    _kind_and_message(check.finite_difference_cost.evaluate(*answer), "wrong", "Not yet: ", *fragments)


def test_finite_difference_cost_unanswered_and_invalid():
    blank = dict(parameters=..., forward_passes=..., backward_passes=...)
    _kind_and_message(check.finite_difference_cost.evaluate(**blank), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.finite_difference_cost.evaluate(N, ..., 1), "unanswered", "(in forward_passes)")
    _kind_and_message(check.finite_difference_cost.evaluate(N + 0.5, 2 * N, 1), "invalid",
                      "parameters should be a whole number")
    _kind_and_message(check.finite_difference_cost.evaluate(N, "538,644", 1), "invalid", "the string '538,644'")


# ---- exercise 3: one and two hidden units -----------------------------------------------------------------


def _trained(hidden, seed=0, sizes=None, y=Y_XOR, epochs=2000, **options):
    rng = np.random.default_rng(seed)
    options = {"activation": "tanh", "init": "glorot_uniform", **options}
    net = mlp(sizes or [2, hidden, 1], rng=rng, **options)
    if epochs:
        fit(net, "bce_with_logits", SGD(net.parameters(), lr=0.5), X, y, epochs=epochs, batch_size=4, rng=rng)
    return net


@pytest.fixture(scope="module")
def nets():
    # seed 0 finds XOR with two hidden units, seed 1 gets stuck (tests/test_claims_2_3.py: half the seeds do).
    return {"one": _trained(1), "two": _trained(2), "two stuck": _trained(2, seed=1)}


def test_xor_hidden_units_passes_a_solved_and_a_stuck_run(nets):
    _kind_and_message(check.xor_hidden_units.evaluate(nets["one"], nets["two"]), "correct",
                      "net_1 answers [0, 1, 1, 1], 3 of 4 right", "net_2 learned XOR")
    _kind_and_message(check.xor_hidden_units.evaluate(nets["one"], nets["two stuck"]), "correct",
                      "this start got stuck, as about half the starts do")


@pytest.mark.parametrize("make, fragments", [
    (lambda n: (n["two"], n["one"]), ["net_1 and net_2 are swapped"]),
    (lambda n: (_trained(1, epochs=0), n["two"]), ["net_1 has never been through a backward pass"]),
    (lambda n: (_trained(1, activation="relu"), n["two"]), ["net_1's hidden units use relu", "mlp's default"]),
    (lambda n: (n["one"], _trained(2, sizes=[2, 1])), ["net_2 has no hidden layer (sizes [2, 1])"]),
    (lambda n: (n["one"], _trained(2, sizes=[2, 2, 2, 1], epochs=0)), ["layer sizes [2, 2, 2, 1]"]),
    (lambda n: (n["one"], _trained(2, output_activation="sigmoid", epochs=0)), ["leave out output_activation"]),
    (lambda n: (_trained(1, y=np.array([0, 0, 0, 1])), n["two"]), ["net_1 is sure of all four answers",
                                                                     "Was it fitted to X and y_xor?"]),
])
def test_xor_hidden_units_names_the_typical_mistakes(nets, make, fragments):
    _kind_and_message(check.xor_hidden_units.evaluate(*make(nets)), "wrong", "Not yet: ", *fragments)


def test_xor_hidden_units_unanswered_and_invalid(nets):
    _kind_and_message(check.xor_hidden_units.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.xor_hidden_units.evaluate(nets["one"], ...), "unanswered", "(in net_2)")
    _kind_and_message(check.xor_hidden_units.evaluate("mlp([2, 1, 1])", nets["two"]), "invalid",
                      "net_1 should be a network from mlp([2, h, 1]", "the string")
    _kind_and_message(check.xor_hidden_units.evaluate(nets["one"], [nets["two"]]), "invalid",
                      "net_2 should be a network", "a list of 1 items")


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3"))
    for written in ["$\\partial f/\\partial a = b + 1 = -2$ and $\\partial f/\\partial b = a = 2$",
                    "`a.grad == -2.0` and\n   `b.grad == 2.0`", "= 269{,}322$ parameters", "538,644 passes",
                    "one forward and one backward\n   pass",
                    '`mlp([2, h, 1], activation="tanh", init="glorot_uniform")`']:
        assert written in text, f"the exercises and solutions no longer write {written!r}"
    a, b = _engine()
    assert check.value_used_twice.evaluate(a.grad, b.grad).passed
    assert check.finite_difference_cost.evaluate(269_322, 538_644, 1).passed
    assert check.xor_hidden_units.evaluate(_trained(1, seed=5), _trained(2, seed=5)).passed
