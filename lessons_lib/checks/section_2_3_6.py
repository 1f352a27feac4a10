"""Checks of the exercises of section 2.3.6, batch normalization: the useless bias, a batch of two, and the
set-ups of the ReLU runs without batch normalization.

The references are computed with :mod:`lessons_lib`: the gradients are those the student's own network
holds after its backward pass, the output for a batch of two comes from a fresh
:class:`~lessons_lib.batchnorm.BatchNorm1d`, and the arguments and defaults of a training set-up are read
from :func:`~lessons_lib.views.hidden_layers.train_classifier` and :mod:`lessons_lib.initializers`.
"""

from __future__ import annotations

import inspect

import numpy as np

from ..batchnorm import BatchNorm1d
from ..initializers import ALIASES, INITIALIZERS
from ..layers import Dense
from ..network import Sequential
from ..views.hidden_layers import train_classifier
from ._core import InvalidAnswer, correct, describe, exercise, expect_array, fmt, wrong

__all__ = ["useless_bias", "batch_of_two", "relu_setups"]

_NET = "the network mlp([64, 32, 10], rng=0, batch_norm=True) after its backward pass"
# Exercise 2: the batch of the starter cell, two examples of three units.
PAIR = np.array([[2.0, 7.0, -1.0], [6.0, 4.0, -3.0]])
# Exercise 3: the deep network of the page and its SGD runs, now with ReLU units and without BN.
SETUP = {"hidden": (32,) * 6, "activation": "relu", "optimizer": "sgd", "lr": 0.1, "epochs": 30,
         "batch_size": 32, "batch_norm": False, "input_batch_norm": False}
INITS = {"relu_default": "pytorch_default", "relu_he": "he_normal"}


# ---- exercise 1 ---------------------------------------------------------------------------------------------


@exercise(1)
def useless_bias(bn_net):
    """Exercise 1 of 2.3.6: ``bn_net``, the network ``mlp([64, 32, 10], rng=0, batch_norm=True)`` after a
    forward and a backward pass on 32 training images; the check looks at the gradient of ``bn_net[0].b``."""
    if isinstance(bn_net, np.ndarray):
        raise InvalidAnswer(f"bn_net should be {_NET}, not one of its gradients (got {describe(bn_net)}): "
                            "the check reads the gradients from the network itself.")
    if not isinstance(bn_net, Sequential):
        raise InvalidAnswer(f"bn_net should be {_NET}; got {describe(bn_net)}.")
    layers = list(bn_net)
    if not layers or not isinstance(layers[0], Dense):
        first = type(layers[0]).__name__ if layers else "missing"
        raise InvalidAnswer(f"bn_net should start with a Dense layer, as mlp([64, 32, 10], ...) does; its first "
                            f"layer is {first}.")
    first = layers[0]
    if first.b is None:
        return wrong("the first Dense layer of bn_net has no bias (bias=False), so there is no gradient to look "
                     "at. Many implementations drop it for the very reason this exercise is about: build the "
                     "network with mlp(..., batch_norm=True), which keeps it.")
    params = [p for layer in layers for p in layer.parameters()]
    if all(not np.any(p.grad) for p in params):
        return wrong("every gradient of bn_net is still zero: run a forward pass on 32 images, the loss, and "
                     "bn_net.backward(loss.backward(loss_cache), caches), then pass the network.")
    b_max = float(np.max(np.abs(first.b.grad)))
    w_max = float(np.max(np.abs(first.W.grad)))
    follows_bn = len(layers) > 1 and isinstance(layers[1], BatchNorm1d)
    if follows_bn and w_max > 0 and b_max <= 1e-9 * w_max:
        return correct(f"the largest |∂L/∂b| of the first Dense layer is {b_max:.0e}, rounding noise, while its "
                       f"weights get gradients up to {fmt(w_max, 2)}. Why does the bias not matter, when the "
                       "weights do?")
    if not follows_bn:
        after = f"an {type(layers[1]).__name__}" if len(layers) > 1 else "nothing"
        return wrong(f"the first Dense layer is followed by {after}, not by a BatchNorm1d: without BN its bias "
                     f"gets a real gradient (up to {fmt(b_max, 2)} here). Build the network with "
                     "mlp([64, 32, 10], rng=0, batch_norm=True).")
    if not layers[1].training:
        return wrong(f"the bias gets a gradient (up to {fmt(b_max, 2)}) because the BN layer is in evaluation "
                     "mode: it normalises with the running averages, constants that do not follow the bias. "
                     "Run the passes in training mode (a new network starts in it; bn_net.train()).")
    return wrong(f"bn_net[0].b.grad is not zero (up to {fmt(b_max, 2)}). Did the gradients of an earlier pass, "
                 "without BN or in evaluation mode, stay in it? Gradients accumulate: build a fresh network and "
                 "run one forward and one backward pass in training mode.")


# ---- exercise 2 ---------------------------------------------------------------------------------------------


def _pair(pair) -> np.ndarray:
    pair = expect_array(pair, "pair", example="np.array([[2.0, 7.0, -1.0], [6.0, 4.0, -3.0]])")
    if pair.ndim != 2 or pair.shape[0] != 2 or pair.shape[1] < 1:
        raise InvalidAnswer(f"pair should hold two examples, one per row: shape (2, units); got shape {pair.shape}.")
    return pair


@exercise(2)
def batch_of_two(prediction, pair=PAIR):
    """Exercise 2 of 2.3.6: the ``prediction`` of what a fresh BatchNorm1d outputs in training mode for a
    batch of two examples, ``pair`` (by default the starter cell's, shape (2, 3))."""
    pair = _pair(pair)
    units = pair.shape[1]
    got = np.asarray(prediction, dtype=float) if not isinstance(prediction, (str, dict)) else None
    if got is not None and got.shape == pair.shape[::-1] and got.shape != pair.shape:
        return wrong(f"your prediction has shape {got.shape}; the layer keeps the shape of its input, one row "
                     f"per example and one column per unit: {pair.shape}.")
    got = expect_array(prediction, "prediction", shape=pair.shape,
                       example=f"an array with one row per example and one column per unit, {pair.shape}")
    ref = BatchNorm1d(units)(pair)
    if np.allclose(got, ref, atol=1e-3):
        return correct(f"in every unit the larger of the two values becomes +1 and the smaller −1 (a hair less, "
                       f"{fmt(np.max(np.abs(ref)), 7)}, because of ε), however far apart they were. What is left "
                       "of the two examples?")
    mean = pair.mean(axis=0)
    centred = pair - mean
    row_centred = pair - pair.mean(axis=1, keepdims=True)
    row_std = np.sqrt((row_centred ** 2).mean(axis=1, keepdims=True))
    candidates = [
        (-ref, "your signs are the other way round: the example with the larger value lies above the batch "
               "mean, so it becomes positive."),
        (ref / np.sqrt(2), "that is ±1/√2: you divided by the unbiased standard deviation (N − 1 = 1). "
                           "Normalisation (2.8) uses the biased variance, dividing by N = 2."),
        (np.zeros_like(ref), "the output is 0 only for a batch of one (or two equal values), whose variance "
                             "is 0. Two different values have a positive variance."),
        (pair, "γ = 1 and β = 0 do not make the layer the identity: (2.9) first standardises each unit."),
        (centred, "you subtracted the mean (2.7) but did not divide by the standard deviation (2.9)."),
        (centred / np.maximum(pair.var(axis=0), 1e-300), "(2.9) divides by the square root of the variance, "
                                                         "not by the variance itself."),
    ]
    if units > 1:
        candidates.append((row_centred / np.maximum(row_std, 1e-300),
                           "you normalised each example over its units (that is layer normalization). BN "
                           "normalises each unit over the examples of the batch: down the columns."))
    for candidate, hint in candidates:
        if np.allclose(got, candidate, atol=1e-3):
            return wrong(hint)
    return wrong("compute (2.7)-(2.9) for one unit, with the values a and b of the two examples: the mean is "
                 "(a + b)/2, and the biased variance?")


# ---- exercise 3 ---------------------------------------------------------------------------------------------


def _setup(value, name: str) -> dict:
    """The keyword arguments a student gives, completed with train_classifier's defaults."""
    if not isinstance(value, dict):
        raise InvalidAnswer(f"{name} should be a dict of keyword arguments of train_classifier, like "
                            f"dict(hidden=(32,) * 6, activation='relu', ...); got {describe(value)}.")
    signature = inspect.signature(train_classifier)
    allowed = [k for k in signature.parameters if k not in ("train", "val")]
    unknown = [k for k in value if k not in signature.parameters]
    if unknown:
        raise InvalidAnswer(f"train_classifier has no argument {unknown[0]!r}; its arguments besides train and "
                            f"val are {', '.join(allowed)}.")
    setup = {k: p.default for k, p in signature.parameters.items() if k in allowed}
    setup.update({k: v for k, v in value.items() if k in allowed})
    if setup["hidden"] is inspect.Parameter.empty:
        raise InvalidAnswer(f"{name} has no hidden: give the widths of the hidden layers, hidden=(32,) * 6.")
    try:
        setup["hidden"] = tuple(int(h) for h in np.atleast_1d(setup["hidden"]))
    except (TypeError, ValueError):
        raise InvalidAnswer(f"{name}['hidden'] should list the width of each hidden layer, like (32,) * 6; "
                            f"got {describe(value['hidden'])}.") from None
    init = str(setup["init"])
    init = ALIASES.get(init, init)
    if init not in INITIALIZERS:
        raise InvalidAnswer(f"{name}['init'] should be one of {', '.join(INITIALIZERS)}; got {setup['init']!r}.")
    setup["init"] = init
    for key in ("activation", "optimizer"):
        setup[key] = str(setup[key]).lower()
    return setup


def _setup_problems(setup: dict, name: str) -> list[str]:
    problems = []
    hidden = setup["hidden"]
    if hidden != SETUP["hidden"]:
        if hidden == (sum(SETUP["hidden"]),):
            problems.append(f"{name}: hidden=(192,) is one layer of 192 units; the page's network has six "
                            "layers of 32, (32,) * 6.")
        elif set(hidden) == {32, 6} and len(hidden) == 2:
            problems.append(f"{name}: hidden lists the width of every hidden layer, one entry per layer: six "
                            "entries of 32.")
        else:
            problems.append(f"{name}: hidden should be the page's six layers of 32 units, (32,) * 6.")
    if setup["activation"] != SETUP["activation"]:
        extra = "still sigmoid, as on the page; " if setup["activation"] == "sigmoid" else ""
        problems.append(f"{name}: activation is {extra}the exercise trains ReLU units, activation='relu'.")
    if setup["optimizer"] != SETUP["optimizer"]:
        problems.append(f"{name}: optimizer is {setup['optimizer']!r}. train_classifier uses Adam unless told "
                        "otherwise, and the exercise compares with the plain SGD runs: optimizer='sgd'.")
    if not np.isclose(float(setup["lr"]), SETUP["lr"]):
        default = inspect.signature(train_classifier).parameters["lr"].default
        why = (f"train_classifier's default {fmt(default)}, which suits Adam" if np.isclose(setup["lr"], default)
               else fmt(setup["lr"]))
        problems.append(f"{name}: lr is {why}; the SGD runs of the page use {fmt(SETUP['lr'])}.")
    if setup["batch_norm"] or setup["input_batch_norm"]:
        problems.append(f"{name}: no batch normalization: the question is whether ReLU units can do without it.")
    for key in ("epochs", "batch_size"):
        if setup[key] != SETUP[key]:
            problems.append(f"{name}: {key} should be {SETUP[key]}, as in the sigmoid runs, so that the two "
                            "compare.")
    return problems


@exercise(3)
def relu_setups(relu_default, relu_he):
    """Exercise 3 of 2.3.6: the keyword arguments of train_classifier (besides train and val) for the two
    runs of the 6 x 32 ReLU network without BN: ``relu_default`` with the default initialisation, ``relu_he``
    with init="he_normal"."""
    setups = {"relu_default": _setup(relu_default, "relu_default"), "relu_he": _setup(relu_he, "relu_he")}
    inits = {name: s["init"] for name, s in setups.items()}
    notes = []
    if inits == {"relu_default": "he_normal", "relu_he": "pytorch_default"}:
        return wrong("the two initialisations are swapped: relu_default keeps train_classifier's default init, "
                     "relu_he uses init='he_normal'.")
    problems = {name: _setup_problems(setup, name) for name, setup in setups.items()}
    if inits["relu_default"] != INITS["relu_default"]:
        problems["relu_default"].append(f"relu_default: init is {inits['relu_default']!r}; this run keeps the default "
                        "initialisation of Dense, 'pytorch_default', the one the sigmoid network had.")
    if inits["relu_he"] == "he_uniform":
        notes.append("(he_uniform has the same variance as he_normal; the solution's numbers are for he_normal.)")
    elif inits["relu_he"] != INITS["relu_he"]:
        problems["relu_he"].append(f"relu_he: init is {inits['relu_he']!r}; this run uses He initialisation, made for "
                        "ReLU: init='he_normal'.")
    wrong_names = [name for name, lines in problems.items() if lines]
    if wrong_names:
        lines = [line for name in wrong_names for line in problems[name]]
        verb = "needs" if len(wrong_names) == 1 else "need"
        return wrong(f"{' and '.join(wrong_names)} {verb} another look.\n- " + "\n- ".join(lines))
    differ = [k for k in setups["relu_he"] if k != "init" and setups["relu_default"][k] != setups["relu_he"][k]]
    if differ:
        return wrong(f"the two runs should differ only in init, so that the comparison is fair; they also differ "
                     f"in {', '.join(differ)}.")
    return correct("two runs of the page's six layers of 32, with ReLU, SGD at lr = 0.1 for 30 epochs and no "
                   "BN, that differ only in the initialisation. Train them with "
                   "train_classifier(train=train, val=val, **relu_he) and compare with the sigmoid table."
                   + ("\n" + " ".join(notes) if notes else ""))
