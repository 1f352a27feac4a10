"""The checks of the exercises of 2.3.6: the useless bias of a network with BN, the output for a batch of
two, and the set-ups of the ReLU runs; right answers pass in every form, typical mistakes get their own hint."""

import re
import textwrap

import numpy as np
import pytest
from test_checks_core import exercise_text, notebook_for

from lessons_lib.checks import section_2_3_6 as check
from lessons_lib.layers import ActivationLayer, Dense
from lessons_lib.losses import CrossEntropyLoss
from lessons_lib.network import Sequential, mlp
from lessons_lib.views.hidden_layers import digits_split

(X, y), _ = digits_split(n_train=1000, seed=0)


def _kind_and_message(result, kind, *fragments):
    assert result.kind == kind, result.message
    for fragment in fragments:
        assert fragment in result.message, result.message


def _after_backward(net, n=32, training=True, passes=1):
    net.train(training)
    loss = CrossEntropyLoss()
    for _ in range(passes):
        out, caches = net.forward(X[:n])
        _, cache = loss.forward(out, y[:n])
        net.backward(loss.backward(cache), caches)
    return net


# ---- exercise 1: the useless bias -------------------------------------------------------------------------


@pytest.mark.parametrize("net", [
    _after_backward(mlp([64, 32, 10], rng=0, batch_norm=True)),
    _after_backward(mlp([64, 32, 10], rng=1, batch_norm=True), n=8),                # other weights, batch
    _after_backward(mlp([64, 32, 10], rng=0, batch_norm=True), passes=2),           # gradients accumulated
    _after_backward(mlp([64, 32, 32, 10], rng=0, batch_norm=True, activation="tanh")),
])
def test_useless_bias_accepts_any_network_with_bn_after_its_first_layer(net):
    _kind_and_message(check.useless_bias.evaluate(net), "correct", "rounding noise",
                      "Why does the bias not matter")


def _eval_then_train():
    net = mlp([64, 32, 10], rng=0, batch_norm=True)
    _after_backward(net, training=False)        # a pass in evaluation mode leaves real bias gradients
    net.train()
    return net


@pytest.mark.parametrize("net, fragments", [
    (_after_backward(mlp([64, 32, 10], rng=0)), ["followed by an ActivationLayer, not by a BatchNorm1d",
                                                 "batch_norm=True"]),
    (_after_backward(mlp([64, 32, 10], rng=0, batch_norm=True), training=False), ["in evaluation mode",
                                                                                  "running averages"]),
    (mlp([64, 32, 10], rng=0, batch_norm=True), ["every gradient of bn_net is still zero"]),
    (_eval_then_train(), ["Gradients accumulate"]),
    (Sequential(Dense(64, 32, 0, bias=False), ActivationLayer("relu"), Dense(32, 10, 0)), ["has no bias"]),
])
def test_useless_bias_names_the_typical_mistakes(net, fragments):
    _kind_and_message(check.useless_bias.evaluate(net), "wrong", "Not yet: ", *fragments)


def test_useless_bias_unanswered_and_invalid():
    net = _after_backward(mlp([64, 32, 10], rng=0, batch_norm=True))
    _kind_and_message(check.useless_bias.evaluate(...), "unanswered", "Exercise 1 is not answered yet")
    _kind_and_message(check.useless_bias.evaluate(net[0].b.grad), "invalid", "not one of its gradients",
                      "an array of shape (32,)")
    _kind_and_message(check.useless_bias.evaluate("net"), "invalid", "bn_net should be the network")
    _kind_and_message(check.useless_bias.evaluate(Sequential(ActivationLayer("relu"))), "invalid",
                      "should start with a Dense layer", "ActivationLayer")


# ---- exercise 2: a batch of two ----------------------------------------------------------------------------

PREDICTION = np.array([[-1.0, 1.0, 1.0], [1.0, -1.0, -1.0]])


@pytest.mark.parametrize("prediction, pair", [
    (PREDICTION, check.PAIR),
    (PREDICTION.astype(int).tolist(), check.PAIR),                        # a list of whole numbers
    (PREDICTION * 0.9999, check.PAIR),                                    # ε taken into account
    (np.array([[-1.0, 1.0], [1.0, -1.0]]), np.array([[1.0, 5.0], [3.0, -2.0]])),   # the solution's pair
    (np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([[2.0, 3.0], [1.0, 3.0]])),     # equal values give 0
])
def test_batch_of_two_accepts_the_prediction(prediction, pair):
    _kind_and_message(check.batch_of_two.evaluate(prediction, pair), "correct", "becomes +1",
                      "What is left of the two examples?")


P = check.PAIR


@pytest.mark.parametrize("prediction, fragments", [
    (-PREDICTION, ["your signs are the other way round"]),
    (PREDICTION / np.sqrt(2), ["±1/√2", "dividing by N = 2"]),
    (np.zeros((2, 3)), ["only for a batch of one"]),
    (P, ["do not make the layer the identity"]),
    (P - P.mean(axis=0), ["did not divide by the standard deviation"]),
    ((P - P.mean(axis=0)) / P.var(axis=0), ["not by the variance itself"]),
    ((P - P.mean(axis=1, keepdims=True)) / P.std(axis=1, keepdims=True), ["that is layer normalization"]),
    (PREDICTION.T, ["has shape (3, 2)", "one row per example"]),
    (3 * PREDICTION, ["the mean is (a + b)/2"]),
])
def test_batch_of_two_names_the_typical_mistakes(prediction, fragments):
    _kind_and_message(check.batch_of_two.evaluate(prediction), "wrong", "Not yet: ", *fragments)


def test_batch_of_two_unanswered_and_invalid():
    _kind_and_message(check.batch_of_two.evaluate(...), "unanswered", "Exercise 2 is not answered yet")
    _kind_and_message(check.batch_of_two.evaluate(..., check.PAIR), "unanswered", "not answered yet")
    _kind_and_message(check.batch_of_two.evaluate([[-1, 1, ...], [1, -1, -1]]), "unanswered", "not finished")
    _kind_and_message(check.batch_of_two.evaluate(np.ones((2, 2))), "invalid", "should have shape (2, 3)")
    _kind_and_message(check.batch_of_two.evaluate(PREDICTION, np.ones((3, 3))), "invalid",
                      "pair should hold two examples")
    _kind_and_message(check.batch_of_two.evaluate(np.full((2, 3), np.nan)), "invalid", "NaN")
    _kind_and_message(check.batch_of_two.evaluate("+1 and -1"), "invalid", "prediction should be an array")


# ---- exercise 3: the set-ups of the ReLU runs ---------------------------------------------------------------

DEFAULT = dict(hidden=(32,) * 6, activation="relu", optimizer="sgd", lr=0.1, epochs=30)
HE = dict(DEFAULT, init="he_normal")


@pytest.mark.parametrize("relu_default, relu_he, note", [
    (DEFAULT, HE, None),
    ({k: v for k, v in DEFAULT.items() if k not in ("activation", "epochs")},        # defaults of relu and 30
     dict(HE, init="kaiming_normal"), None),
    (dict(DEFAULT, hidden=[32] * 6, init="pytorch_default", seed=3, optimizer="SGD"), dict(HE, seed=3), None),
    (DEFAULT, dict(HE, init="he_uniform"), "same variance as he_normal"),
])
def test_relu_setups_accepts_equivalent_set_ups(relu_default, relu_he, note):
    _kind_and_message(check.relu_setups.evaluate(relu_default, relu_he), "correct", "differ only in the "
                      "initialisation", *([note] if note else []))


@pytest.mark.parametrize("relu_default, relu_he, fragments", [
    (HE, DEFAULT, ["the two initialisations are swapped"]),
    (dict(DEFAULT, activation="sigmoid"), dict(HE, activation="sigmoid"),
     ["relu_default and relu_he need another look", "still sigmoid"]),
    ({k: v for k, v in DEFAULT.items() if k not in ("optimizer", "lr")}, HE,
     ["relu_default needs another look", "uses Adam unless told otherwise", "default 0.003, which suits Adam"]),
    (dict(DEFAULT, hidden=(192,)), HE, ["one layer of 192 units"]),
    (DEFAULT, dict(HE, hidden=(6, 32)), ["one entry per layer"]),
    (dict(DEFAULT, batch_norm=True), HE, ["no batch normalization"]),
    (DEFAULT, dict(HE, epochs=10), ["epochs should be 30"]),
    (DEFAULT, DEFAULT, ["relu_he: init is 'pytorch_default'", "He initialisation"]),
    (dict(DEFAULT, init="glorot_normal"), HE, ["keeps the default initialisation of Dense"]),
    (DEFAULT, dict(HE, seed=4), ["differ only in init", "seed"]),
])
def test_relu_setups_names_the_typical_mistakes(relu_default, relu_he, fragments):
    _kind_and_message(check.relu_setups.evaluate(relu_default, relu_he), "wrong", "Not yet: ", *fragments)


def test_relu_setups_unanswered_and_invalid():
    _kind_and_message(check.relu_setups.evaluate(..., ...), "unanswered", "Exercise 3 is not answered yet")
    _kind_and_message(check.relu_setups.evaluate(DEFAULT, ...), "unanswered", "(in relu_he)")
    _kind_and_message(check.relu_setups.evaluate("relu", HE), "invalid", "should be a dict of keyword arguments")
    _kind_and_message(check.relu_setups.evaluate(DEFAULT, dict(HE, initialisation="he")), "invalid",
                      "no argument 'initialisation'")
    _kind_and_message(check.relu_setups.evaluate(DEFAULT, dict(HE, init="he")), "invalid",
                      "relu_he['init'] should be one of")
    _kind_and_message(check.relu_setups.evaluate({"activation": "relu"}, HE), "invalid", "has no hidden")


# ---- the book's solutions ---------------------------------------------------------------------------------


def _code_blocks(text: str) -> list[str]:
    return [textwrap.dedent(block) for block in re.findall(r"~~~python\n(.*?)\n\s*~~~", text, re.S)]


def test_the_solutions_in_the_notebook_pass_their_checks():
    text = exercise_text(notebook_for("section_2_3_6"))
    first, third = _code_blocks(text)
    namespace = {"np": np, "mlp": mlp, "X": X, "y": y, "print": lambda *args: None}
    exec(first, namespace)
    assert check.useless_bias.evaluate(namespace["bn_net"]).passed
    prediction = "np.array([[-1.0, 1.0, 1.0], [1.0, -1.0, -1.0]])"
    assert prediction in text and "BatchNorm1d(2)(np.array([[1.0, 5.0], [3.0, -2.0]]))" in text
    assert check.batch_of_two.evaluate(eval(prediction, {"np": np})).passed
    assert check.batch_of_two.evaluate(np.array([[-1.0, 1.0], [1.0, -1.0]]),
                                       np.array([[1.0, 5.0], [3.0, -2.0]])).passed
    setups = third[:third.index("for setup in")]         # the set-ups, without the training runs
    exec(setups, namespace)
    assert check.relu_setups.evaluate(namespace["relu_default"], namespace["relu_he"]).passed
