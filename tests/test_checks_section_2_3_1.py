"""The checks of the exercises of 2.3.1: a dense layer's shapes, the planted bug of the gradient check, and the
all-zero tanh network; right answers pass in every form, and each typical slip gets its own hint."""

import re
import textwrap

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_3_1 as check
from lessons_lib.datasets import make_xor
from lessons_lib.gradcheck import check_vjp, randomize_parameters
from lessons_lib.layers import Dense
from lessons_lib.network import mlp
from lessons_lib.optimizers import SGD
from lessons_lib.training import fit


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


# ---- exercise 1: the shapes of Dense(3, 2) on a batch of 5 -------------------------------------------------

RIGHT = dict(X=(5, 3), W=(3, 2), b=(2,), Y=(5, 2), dY=(5, 2), dW=(3, 2), db=(2,), dX=(5, 3))


@pytest.mark.parametrize("changes, note", [
    ({}, None),
    ({"X": [5, 3], "W": [3, 2]}, None),                       # lists for tuples
    ({"b": (1, 2), "db": (1, 2)}, "broadcasts the same way"),  # a row for the bias
    ({"b": 2, "db": 2}, "a one-element tuple needs a comma"),  # (2) is the number 2
])
def test_dense_shapes_accepts_every_form(changes, note):
    result = check.dense_shapes.evaluate(**{**RIGHT, **changes})
    _kind_and_message(result, "correct", "every gradient has the shape of what it differentiates")
    if note:
        assert note in result.message


@pytest.mark.parametrize("changes, fragments", [
    ({"W": (2, 3)}, ["1 of the 8 answers", "W: that is PyTorch's layout"]),
    ({"dW": (2, 3)}, ["dW: that is the shape of dYᵀ X", "dW = Xᵀ dY"]),
    ({"dW": (5, 3, 2)}, ["the examples do not each get a weight gradient"]),
    ({"db": (5, 2)}, ["db: that is dY itself", "their contributions add up"]),
    ({"dX": (5, 2)}, ["dX: dX = dY Wᵀ is handed to the layer below", "X's shape, not dY's"]),
    ({"b": (5, 2)}, ["b: every unit has one bias, shared by all the examples"]),
    ({"X": (3, 5), "Y": (2, 5), "dY": (2, 5)}, ["3 of the 8 answers", "Yours is the other way round",
                                                "Y: X W + b has as many rows", "dY: it is ∂L/∂Y"]),
])
def test_dense_shapes_names_the_typical_mistakes(changes, fragments):
    _kind_and_message(check.dense_shapes.evaluate(**{**RIGHT, **changes}), "wrong", "Not yet: ", *fragments)


def test_dense_shapes_unanswered_and_invalid():
    _kind_and_message(check.dense_shapes.evaluate(*[...] * 8), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.dense_shapes.evaluate(**{**RIGHT, "dX": ...}), "unanswered", "(in dX)")
    _kind_and_message(check.dense_shapes.evaluate(**{**RIGHT, "W": "3 x 2"}), "invalid",
                      "W should be a shape, a tuple of whole numbers like (5, 3)")
    _kind_and_message(check.dense_shapes.evaluate(**{**RIGHT, "X": (5.0, 3)}), "invalid", "X should be a shape")


# ---- exercise 2: catch a bug ------------------------------------------------------------------------------


def _layer_and_errors(seed=3, factor_w=2.0, factor_b=1.0, backward_twice=False, zero_after=False):
    """The notebook's experiment: check_vjp on a random Dense(3, 2) with the analytic gradients scaled."""
    rng = np.random.default_rng(seed)
    layer = Dense(3, 2, rng=rng)
    randomize_parameters(layer, rng)
    X, dY = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer.zero_grad()
    out, cache = layer.forward(X)
    dX = layer.backward(dY, cache)
    if backward_twice:
        layer.backward(dY, cache)
    if zero_after:
        layer.zero_grad()
    return check_vjp(lambda: layer.forward(X)[0],
                     analytic={"W": factor_w * layer.W.grad, "b": factor_b * layer.b.grad, "X": dX},
                     wrt={"W": layer.W.value, "b": layer.b.value, "X": X}, upstream=dY)


@pytest.mark.parametrize("sizes", [(3, 3), [16, 16], (1, 1)])
@pytest.mark.parametrize("seed", [0, 3])
def test_catch_a_bug_accepts_any_square_layer_and_any_draw(sizes, seed):
    _kind_and_message(check.catch_a_bug.evaluate(sizes, _layer_and_errors(seed)), "correct",
                      "dY W runs only when n_in = n_out", "relative error of 0.50")


@pytest.mark.parametrize("sizes, errors, fragments", [
    ((3, 2), _layer_and_errors(), ["1 of the 2 answers", "sizes: for Dense(3, 2), dY is (5 × 2) and W is (3 × 2)"]),
    ((3, 3), _layer_and_errors(factor_w=1.0), ["every array passes, so the check saw no bug"]),
    ((3, 3), _layer_and_errors(factor_w=1.0, factor_b=2.0), ["W passes and b fails: you doubled the gradient of b"]),
    ((3, 3), _layer_and_errors(backward_twice=True), ["Gradients accumulate", "without zero_grad"]),
    ((3, 3), _layer_and_errors(zero_after=True), ["your analytic dW is zero"]),
    ((2, 3), _layer_and_errors(factor_w=-1.0), ["all 2 answers", "sizes: for Dense(2, 3)",
                                                "W should fail with a large relative error"]),
])
def test_catch_a_bug_names_the_typical_mistakes(sizes, errors, fragments):
    _kind_and_message(check.catch_a_bug.evaluate(sizes, errors), "wrong", "Not yet: ", *fragments)


def test_catch_a_bug_unanswered_and_invalid():
    _kind_and_message(check.catch_a_bug.evaluate(..., ...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.catch_a_bug.evaluate((3, 3), ...), "unanswered", "(in errors)")
    _kind_and_message(check.catch_a_bug.evaluate(3, _layer_and_errors()), "invalid",
                      "sizes should be a pair of positive whole numbers")
    _kind_and_message(check.catch_a_bug.evaluate((3, 0), _layer_and_errors()), "invalid", "sizes should be")
    _kind_and_message(check.catch_a_bug.evaluate((3, 3), 0.5), "invalid", "errors should be what check_vjp returns")
    _kind_and_message(check.catch_a_bug.evaluate((3, 3), {"W": 0.5}), "invalid", "'b', 'X' missing")
    _kind_and_message(check.catch_a_bug.evaluate((3, 3), {"W": np.nan, "b": 0.0, "X": 0.0}), "invalid",
                      "errors['W'] should be a finite number")


# ---- exercise 3: zeros and tanh ---------------------------------------------------------------------------


def _zero_net(activation="tanh", init="zeros", sizes=(2, 4, 1), epochs=20, seed=0):
    net = mlp(list(sizes), activation=activation, init=init, rng=seed)
    if epochs:
        X, y = make_xor(200, rng=seed)
        fit(net, "bce_with_logits", SGD(net.parameters(), lr=0.5), X, y, epochs=epochs, batch_size=20, rng=seed)
    return net


@pytest.mark.parametrize("net, changed", [
    (_zero_net(), ["b2"]), (_zero_net(seed=5, epochs=3), ("B2",)), (_zero_net(), "b2"), (_zero_net(), {" b2 "}),
])
def test_zero_start_accepts_the_answer_in_every_form(net, changed):
    _kind_and_message(check.zero_start.evaluate(net, changed), "correct", "only the output bias moved")


@pytest.mark.parametrize("net, changed, fragments", [
    (_zero_net(), ["W2", "b2"], ["1 of the 4 answers", "W2: the output layer's dW = Hᵀ dY", "tanh(0) are all 0"]),
    (_zero_net(), ["b1", "b2"], ["W1, b1: the gradient sent down to the hidden layer is dH = dY W2ᵀ"]),
    (_zero_net(), ["W1", "b1", "W2", "b2"], ["2 of the 4 answers", "W2:", "W1, b1:"]),
    (_zero_net(), [], ["b2: look at the parameters", "db = Σ dY"]),
    (_zero_net(activation="sigmoid"), ["b2"], ["use sigmoid; the exercise asks for tanh"]),
    (_zero_net(init="glorot_uniform"), ["b2"], ["did not start from zeros"]),
    (_zero_net(epochs=0), ["b2"], ["every parameter of zero_net is still 0"]),
    (_zero_net(sizes=(2, 8, 1)), ["b2"], ["Dense layers of shapes [(2, 8), (8, 1)]"]),
])
def test_zero_start_names_the_typical_mistakes(net, changed, fragments):
    _kind_and_message(check.zero_start.evaluate(net, changed), "wrong", "Not yet: ", *fragments)


def test_zero_start_unanswered_and_invalid():
    _kind_and_message(check.zero_start.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.zero_start.evaluate(_zero_net(), ...), "unanswered", "(in changed)")
    _kind_and_message(check.zero_start.evaluate(np.zeros(3), ["b2"]), "invalid", "zero_net should be mlp(")
    _kind_and_message(check.zero_start.evaluate(_zero_net(), ["output bias"]), "invalid",
                      "changed should hold names from W1, b1, W2, b2", "'output bias'")
    _kind_and_message(check.zero_start.evaluate(_zero_net(), 2), "invalid", "changed should be a list of names")


def test_zero_start_is_fast():
    import time

    start = time.perf_counter()
    check.zero_start.evaluate(_zero_net(), ["b2"])
    assert time.perf_counter() - start < 1.0


# ---- the book's solutions ---------------------------------------------------------------------------------


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_1"))
    shapes = "`(5, 3)`, `(3, 2)`, `(2,)`, `(5, 2)`, `(5, 2)`, `(3, 2)`, `(2,)`, `(5, 3)`"
    assert shapes in text, "solution 1 no longer writes the shapes as tuples"
    assert check.dense_shapes.evaluate(*[eval(s) for s in re.findall(r"`(\([^`]*\))`", shapes)]).passed

    assert "`sizes = (3, 3)`" in text
    blocks = re.findall(r"~~~python\n(.*?)~~~", text, re.S)
    bug_code = next(b for b in blocks if "errors_doubled" in b)
    zero_code = next(b for b in blocks if "zero_net" in b)
    rng = np.random.default_rng(2_3_1)  # as the notebook's check_vjp cell: a random layer, batch and dY
    layer = Dense(3, 2, rng=rng)
    randomize_parameters(layer, rng)
    X_small, dY = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer.zero_grad()
    out, cache = layer.forward(X_small)
    dX = layer.backward(dY, cache)
    namespace = {"layer": layer, "X_small": X_small, "dY": dY, "dX": dX, "check_vjp": check_vjp, "mlp": mlp,
                 "make_xor": make_xor, "fit": fit, "SGD": SGD}
    exec(textwrap.dedent(bug_code), namespace)
    exec(textwrap.dedent(zero_code), namespace)
    assert check.catch_a_bug.evaluate((3, 3), namespace["errors_doubled"]).passed
    assert check.zero_start.evaluate(namespace["zero_net"], namespace["changed"]).passed
