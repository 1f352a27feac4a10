"""Checks of the exercises of section 2.3.1, backpropagation: a dense layer's shapes, a planted bug that the
gradient check must catch, and what an all-zero tanh network can learn.

The references are computed here with :mod:`lessons_lib.layers`, :mod:`lessons_lib.gradcheck` and
:mod:`lessons_lib.training`: the shapes from a real forward and backward pass of ``Dense(3, 2)``, the relative
errors from the same finite-difference check on a fresh layer, the moving parameters from a fresh run.
"""

from __future__ import annotations

import numpy as np

from ..datasets import make_xor
from ..gradcheck import check_vjp, randomize_parameters
from ..layers import ActivationLayer, Dense
from ..network import Sequential, mlp
from ..optimizers import SGD
from ..training import fit
from ._core import (
    InvalidAnswer,
    correct,
    describe,
    exercise,
    expect_instance,
    expect_number,
    expect_shape,
    wrong,
    wrong_parts,
)

__all__ = ["dense_shapes", "catch_a_bug", "zero_start"]

# Exercise 1: a Dense(3, 2) layer and a mini-batch of 5 examples.
EX1_IN, EX1_OUT, EX1_BATCH = 3, 2, 5
# Exercise 3: the parameters of mlp([2, 4, 1]), hidden layer first, as the starter cell names them.
PARAMETER_NAMES = ("W1", "b1", "W2", "b2")
_ZERO_NET = "mlp([2, 4, 1], activation=\"tanh\", init=\"zeros\", rng=0), trained with fit"


# ---- exercise 1 ---------------------------------------------------------------------------------------------


def _reference_shapes() -> dict[str, tuple[int, ...]]:
    layer = Dense(EX1_IN, EX1_OUT, rng=0)
    X = np.zeros((EX1_BATCH, EX1_IN))
    Y, cache = layer.forward(X)
    dY = np.ones_like(Y)
    layer.zero_grad()
    dX = layer.backward(dY, cache)
    return {"X": X.shape, "W": layer.W.value.shape, "b": layer.b.value.shape, "Y": Y.shape, "dY": dY.shape,
            "dW": layer.W.grad.shape, "db": layer.b.grad.shape, "dX": dX.shape}


@exercise(1)
def dense_shapes(X, W, b, Y, dY, dW, db, dX):
    """Exercise 1 of 2.3.1: the shapes (tuples) of X, W, b, Y, dY, dW, db and dX for a ``Dense(3, 2)`` layer
    that receives a mini-batch of 5 examples."""
    answers = {"X": X, "W": W, "b": b, "Y": Y, "dY": dY, "dW": dW, "db": db, "dX": dX}
    shapes = {name: expect_shape(value, name) for name, value in answers.items()}
    ref = _reference_shapes()
    n, n_in, n_out = EX1_BATCH, EX1_IN, EX1_OUT

    problems, notes = [], []
    for name in ("b", "db"):
        value = answers[name]
        if shapes[name] == (1, n_out):
            shapes[name] = ref[name]
            notes.append(f"A {name} of shape (1, {n_out}) broadcasts the same way, but the book's {name} is "
                         "one-dimensional.")
        elif shapes[name] == ref[name] and isinstance(value, (int, np.integer)):
            notes.append(f"(You wrote {name} as the number {value}: a one-element tuple needs a comma, "
                         f"({value},).)")
    if shapes["X"] != ref["X"]:
        problems.append("X: one row per example of the mini-batch, one column per input of the layer."
                        + (" Yours is the other way round." if shapes["X"] == ref["X"][::-1] else ""))
    if shapes["W"] != ref["W"]:
        if shapes["W"] == ref["W"][::-1]:
            problems.append("W: that is PyTorch's layout (outputs, inputs). Here W has one row per input and one "
                            "column per unit, so that X W works.")
        else:
            problems.append("W: one row per input and one column per unit.")
    if shapes["b"] != ref["b"]:
        if shapes["b"] in ((n, n_out), (n,)):
            problems.append("b: every unit has one bias, shared by all the examples of the batch.")
        else:
            problems.append("b: how many units does the layer have? Each has one bias.")
    if shapes["Y"] != ref["Y"]:
        problems.append("Y: X W + b has as many rows as X and as many columns as W.")
    if shapes["dY"] != ref["dY"]:
        problems.append("dY: it is ∂L/∂Y, one number for each entry of Y, so it has Y's shape.")
    if shapes["dW"] != ref["dW"]:
        if shapes["dW"] == ref["dW"][::-1]:
            problems.append("dW: that is the shape of dYᵀ X. A gradient has the shape of what it differentiates, "
                            "here W: the formula is dW = Xᵀ dY.")
        elif len(shapes["dW"]) == 3 or n in shapes["dW"]:
            problems.append("dW: the examples do not each get a weight gradient. Xᵀ dY multiplies "
                            f"({n_in} × {n}) by ({n} × {n_out}): the {n} examples are summed over.")
        else:
            problems.append("dW: a gradient has the shape of the parameter it belongs to.")
    if shapes["db"] != ref["db"]:
        if shapes["db"] in ((n, n_out), (n,)):
            problems.append(f"db: that is dY itself. The same bias is used by all {n} examples, so their "
                            "contributions add up: db is the sum of the rows of dY, one number per unit.")
        else:
            problems.append("db: a gradient has the shape of the parameter it belongs to, here b.")
    if shapes["dX"] != ref["dX"]:
        if shapes["dX"] == ref["dY"]:
            problems.append("dX: dX = dY Wᵀ is handed to the layer below, which gave this layer X: it has "
                            "X's shape, not dY's.")
        else:
            problems.append("dX: it is ∂L/∂X, one number for each entry of X.")
    if problems:
        return wrong_parts(problems, 8)
    message = (f"X {ref['X']}, W {ref['W']}, b {ref['b']}, Y and dY {ref['Y']}, dW {ref['dW']}, db {ref['db']}, "
               f"dX {ref['dX']}: every gradient has the shape of what it differentiates, and Xᵀ dY "
               f"({n_in} × {n})({n} × {n_out}) and dY Wᵀ ({n} × {n_out})({n_out} × {n_in}) are defined.")
    return correct(message + ("\n" + " ".join(notes) if notes else ""))


# ---- exercise 2 ---------------------------------------------------------------------------------------------


def _pair(value) -> tuple[int, int]:
    if isinstance(value, (tuple, list)) and len(value) == 2:
        try:
            shape = expect_shape(tuple(value), "sizes")
        except InvalidAnswer:
            shape = None
        if shape is not None and all(n > 0 for n in shape):
            return shape
    raise InvalidAnswer(f"sizes should be a pair of positive whole numbers (n_in, n_out), like (4, 3); "
                        f"got {describe(value)}.")


def _errors(value) -> dict[str, float]:
    if not isinstance(value, dict):
        raise InvalidAnswer("errors should be what check_vjp returns, a dict like {'W': ..., 'b': ..., 'X': ...}; "
                            f"got {describe(value)}.")
    missing = [k for k in ("W", "b", "X") if k not in value]
    if missing:
        raise InvalidAnswer(f"errors should have the keys 'W', 'b' and 'X', one per array that check_vjp "
                            f"perturbs; {', '.join(repr(k) for k in missing)} missing. Pass all three in "
                            "analytic= and wrt=.")
    return {k: expect_number(value[k], f"errors[{k!r}]") for k in ("W", "b", "X")}


def _doubled_dw_errors() -> dict[str, float]:
    """The exercise's experiment on a fresh layer: check_vjp with the analytic dW doubled."""
    rng = np.random.default_rng(0)
    layer = Dense(EX1_IN, EX1_OUT, rng=rng)
    randomize_parameters(layer, rng)
    X, dY = rng.normal(size=(EX1_BATCH, EX1_IN)), rng.normal(size=(EX1_BATCH, EX1_OUT))
    layer.zero_grad()
    _, cache = layer.forward(X)
    dX = layer.backward(dY, cache)
    return check_vjp(lambda: layer.forward(X)[0],
                     analytic={"W": 2 * layer.W.grad, "b": layer.b.grad, "X": dX},
                     wrt={"W": layer.W.value, "b": layer.b.value, "X": X}, upstream=dY)


@exercise(2)
def catch_a_bug(sizes, errors):
    """Exercise 2 of 2.3.1: ``sizes`` = (n_in, n_out) of a Dense layer for which the buggy dX = dY W would run,
    and ``errors``, what check_vjp returns for the notebook's ``Dense(3, 2)`` when its analytic dW is doubled."""
    n_in, n_out = _pair(sizes)
    errors = _errors(errors)
    ref = _doubled_dw_errors()
    passes = 1e-7  # the notebook's threshold for a correct gradient

    problems = []
    try:
        np.zeros((EX1_BATCH, n_out)) @ np.zeros((n_in, n_out))
    except ValueError:
        problems.append(f"sizes: for Dense({n_in}, {n_out}), dY is ({EX1_BATCH} × {n_out}) and W is "
                        f"({n_in} × {n_out}); dY W needs the columns of dY to match the rows of W. For which "
                        "layers do they match?")
    w, b, x = errors["W"], errors["b"], errors["X"]
    if not (abs(w - ref["W"]) < 1e-3 and b < passes and x < passes):
        if max(w, b, x) < passes:
            problems.append("errors: every array passes, so the check saw no bug. Give check_vjp the doubled "
                            "gradient as the analytic dW: analytic={'W': 2 * layer.W.grad, ...}.")
        elif abs(w - 0.75) < 1e-3 and abs(b - 0.5) < 1e-3:
            problems.append("errors: b fails too, and W is off by more than a factor 2. Gradients accumulate "
                            "(+=): backward ran twice without zero_grad in between, so layer.W.grad and "
                            "layer.b.grad hold twice the gradient. Re-run the check_vjp cell above, which "
                            "resets them, then yours.")
        elif abs(w - 1.0) < 1e-3:
            problems.append("errors: a relative error of 1 for W means your analytic dW is zero. Run the "
                            "forward and backward pass first (the check_vjp cell above does), and do not call "
                            "zero_grad between backward and check_vjp.")
        elif w < passes and (b > 0.1 or x > 0.1):
            which = "b" if b > 0.1 else "X"
            problems.append(f"errors: W passes and {which} fails: you doubled the gradient of {which}, not dW.")
        else:
            problems.append("errors: with the analytic dW doubled, W should fail with a large relative error "
                            "while b and X still pass below 1e-7. Run check_vjp as in the cell above, changing "
                            "only the 'W' entry of analytic=.")
    if problems:
        return wrong_parts(problems, 2)
    return correct(f"dY W runs only when n_in = n_out, as for Dense({n_in}, {n_out}): then the bug returns "
                   f"an array of the right shape, silently. And the check catches the doubled dW with a relative "
                   f"error of {ref['W']:.2f} = |2g − g| / |2g|, while b and X still pass.")


# ---- exercise 3 ---------------------------------------------------------------------------------------------


def _names(value) -> set[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple, set, frozenset)) or not all(isinstance(v, str) for v in value):
        raise InvalidAnswer(f"changed should be a list of names from {', '.join(PARAMETER_NAMES)}, like "
                            f"['W1', 'b2'] (or [] if nothing moved); got {describe(value)}.")
    lookup = {name.lower(): name for name in PARAMETER_NAMES}
    unknown = [v for v in value if v.strip().lower() not in lookup]
    if unknown:
        raise InvalidAnswer(f"changed should hold names from {', '.join(PARAMETER_NAMES)} (W1, b1: the hidden "
                            f"layer; W2, b2: the output layer); got {', '.join(repr(v) for v in unknown)}.")
    return {lookup[v.strip().lower()] for v in value}


def _moved(model: Sequential) -> set[str]:
    return {name for name, p in zip(PARAMETER_NAMES, model.parameters()) if np.any(p.value != 0)}


def _zero_start_reference() -> set[str]:
    rng = np.random.default_rng(0)
    net = mlp([2, 4, 1], activation="tanh", init="zeros", rng=rng)
    X, y = make_xor(200, rng=rng)
    fit(net, "bce_with_logits", SGD(net.parameters(), lr=0.5), X, y, epochs=20, batch_size=20, rng=rng)
    return _moved(net)


@exercise(3)
def zero_start(zero_net, changed):
    """Exercise 3 of 2.3.1: ``zero_net``, an ``mlp([2, 4, 1], activation="tanh", init="zeros")`` trained
    with ``fit`` on ``make_xor`` data, and ``changed``, the names of its parameters that moved ("W1", "b1" of
    the hidden layer, "W2", "b2" of the output layer)."""
    expect_instance(zero_net, Sequential, "zero_net", _ZERO_NET)
    changed = _names(changed)
    layers = list(zero_net)
    dense = [layer for layer in layers if isinstance(layer, Dense)]
    shapes = [(d.in_features, d.out_features) for d in dense]
    if shapes != [(2, 4), (4, 1)]:
        return wrong(f"zero_net has Dense layers of shapes {shapes}; the exercise's network is mlp([2, 4, 1]): "
                     "two inputs, four hidden units, one output.")
    acts = [layer.name for layer in layers if isinstance(layer, ActivationLayer)]
    if acts != ["tanh"]:
        return wrong(f"zero_net's hidden units use {', '.join(acts) or 'no activation'}; the exercise asks "
                     "for tanh (activation=\"tanh\"), whose value at 0 is 0. (A sigmoid outputs 0.5 at 0, "
                     "which gives the output weights something to learn from.)")
    if any(d.init != "zeros" for d in dense):
        return wrong("zero_net did not start from zeros: create it with init=\"zeros\". With random weights "
                     "every parameter moves.")
    moved = _moved(zero_net)
    if not moved:
        return wrong("every parameter of zero_net is still 0: train it with fit (on make_xor data, with the "
                     "loss \"bce_with_logits\" and an SGD optimizer on zero_net.parameters()).")
    reference = _zero_start_reference()
    problems = []
    if "W2" in changed and "W2" not in reference:
        problems.append("W2: the output layer's dW = Hᵀ dY, and the hidden outputs H = tanh(0) are all 0.")
    if changed & {"W1", "b1"} and not reference & {"W1", "b1"}:
        problems.append("W1, b1: the gradient sent down to the hidden layer is dH = dY W2ᵀ, and W2 is 0; so "
                        "dZ = dH ⊙ tanh′(Z) is 0 as well.")
    for name in sorted(reference - changed):
        problems.append(f"{name}: look at the parameters of zero_net after fit. The output bias receives "
                        "db = Σ dY, which is not 0 as long as the output differs from the targets.")
    if problems:
        return wrong_parts(problems, len(PARAMETER_NAMES))
    if moved != reference:
        return wrong(f"in your run {', '.join(sorted(moved))} moved, but a fresh run from zeros moves only "
                     f"{', '.join(sorted(reference))}. Did zero_net start from zeros and train with tanh?")
    bias = zero_net.parameters()[-1].value
    return correct(f"only the output bias moved (it is now {bias[0]:.2f}): the network outputs the same "
                   "value for every input. Every other gradient is a product with a zero, H or W2, and "
                   "after each step they are zero again.")
