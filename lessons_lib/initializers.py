"""Weight initialisation (section 2.3.2): how the scale of the starting weights keeps signals alive.

A weight matrix here has shape ``(fan_in, fan_out)`` and is used as ``X @ W`` (PyTorch's ``Linear.weight``
is its transpose, shape ``(out, in)``, but the fans are the same numbers).

Why the scale matters: the output of a unit is a sum of ``fan_in`` terms ``w_i x_i``. With independent,
zero-mean weights of variance ``s^2`` and zero-mean inputs, its variance is ``fan_in * s^2 * Var(x)``.
Unless ``fan_in * s^2`` is close to 1, every layer multiplies the variance by the same factor and, after a
few layers, the activations (and, going backwards, the gradients) either explode or shrink to nothing.

Glorot and Bengio (2010) compared their rule with the heuristic then in common use, U(-1/sqrt(n), 1/sqrt(n))
with ``n = fan_in`` (``"pytorch_default"`` here, still the default of ``torch.nn.Linear``). Its variance is
``1 / (3 fan_in)``, so ``fan_in * s^2 = 1/3``: every layer shrinks the variance about threefold, and the
back-propagated gradients of a deep tanh or sigmoid network fade towards the input. A standard normal
start (``"normal"``) errs the other way, ``fan_in * s^2 = fan_in``: the pre-activations grow until tanh
and sigmoid units saturate.

* Glorot / Xavier: compromise between the forward pass (wants ``fan_in s^2 = 1``) and the backward pass
  (wants ``fan_out s^2 = 1``): ``s^2 = 2 / (fan_in + fan_out)``, times ``gain^2``.
* He / Kaiming: ReLU zeroes half of its inputs, halving the variance, so it uses ``s^2 = 2 / fan_in``
  (the ``2`` is ``calculate_gain("relu")^2``); PyTorch's ``mode="fan_in"``.

A uniform distribution U(-a, a) has variance a^2 / 3, so each "normal" rule with standard deviation ``s``
has a uniform twin with bound ``a = sqrt(3) s``.

The gains are PyTorch's ``torch.nn.init.calculate_gain`` table.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import check_choice, check_rng

__all__ = ["INITIALIZERS", "ALIASES", "calculate_gain", "fans", "initialize"]

INITIALIZERS = ("zeros", "normal", "uniform", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
                "pytorch_default")
ALIASES = {"xavier_uniform": "glorot_uniform", "xavier_normal": "glorot_normal",
           "kaiming_uniform": "he_uniform", "kaiming_normal": "he_normal"}

NONLINEARITIES = ("linear", "identity", "sigmoid", "tanh", "relu", "leaky_relu", "selu")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The factor by which to scale the standard deviation for a given nonlinearity (PyTorch's table).

    ========================  ===================================
    nonlinearity              gain
    ========================  ===================================
    "linear" / "identity"     1
    "sigmoid"                 1
    "tanh"                    5/3
    "relu"                    sqrt(2)
    "leaky_relu"              sqrt(2 / (1 + negative_slope^2)), ``param`` = negative_slope, default 0.01
    "selu"                    3/4
    ========================  ===================================
    """
    check_choice(nonlinearity, "nonlinearity", NONLINEARITIES)
    if param is not None and nonlinearity != "leaky_relu":
        raise ValueError(f"param is only used by 'leaky_relu', not by {nonlinearity!r}")
    if nonlinearity in ("linear", "identity", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        return 3.0 / 4.0
    slope = 0.01 if param is None else param
    if isinstance(slope, bool) or not isinstance(slope, (int, float, np.integer, np.floating)):
        raise ValueError(f"param (the negative slope of leaky_relu) must be a number, got {param!r}")
    return math.sqrt(2.0 / (1.0 + float(slope) ** 2))


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight matrix of shape ``(fan_in, fan_out)``, after checking the shape."""
    shape = _check_shape(shape)
    if len(shape) != 2:
        raise ValueError(f"shape must be (fan_in, fan_out) for this initializer, got {shape}")
    return shape[0], shape[1]


def initialize(name: str, shape, rng, gain: float | str | None = None) -> np.ndarray:
    """Draw a weight array of ``shape`` with the initializer ``name`` (one of :data:`INITIALIZERS`).

    Parameters
    ----------
    name : str
        "zeros"; "normal" -- N(0, gain^2), gain 1 by default, the naive standard-normal start;
        "uniform" -- U(-gain, gain), gain 1 by default (symmetric on purpose: PyTorch's ``uniform_``
        defaults to U(0, 1), whose all-positive weights make every unit start out alike);
        "glorot_uniform" -- U(-a, a), a = gain sqrt(6 / (fan_in + fan_out)), gain 1 by default;
        "glorot_normal" -- N(0, s^2), s = gain sqrt(2 / (fan_in + fan_out)), gain 1 by default;
        "he_uniform" -- U(-a, a), a = gain sqrt(3 / fan_in), gain sqrt(2) (ReLU) by default;
        "he_normal" -- N(0, s^2), s = gain / sqrt(fan_in), gain sqrt(2) (ReLU) by default;
        "pytorch_default" -- U(-1/sqrt(fan_in), 1/sqrt(fan_in)), what ``torch.nn.Linear`` does
        (its ``kaiming_uniform_(a=sqrt(5))``); takes no gain.
        "xavier_*" and "kaiming_*" are accepted for "glorot_*" and "he_*".
    shape : tuple of int
        ``(fan_in, fan_out)``; "zeros", "normal" and "uniform" also accept a 1-D shape (a bias).
    rng : numpy.random.Generator or int
        Source of randomness (a seed is turned into a Generator); also required for "zeros", so that
        switching initializer never changes the call.
    gain : float or str, optional
        A number, or a nonlinearity name passed to :func:`calculate_gain` (e.g. ``gain="tanh"``).
    """
    name = ALIASES.get(name, name)
    check_choice(name, "name", INITIALIZERS + tuple(ALIASES))
    rng = check_rng(rng)
    shape = _check_shape(shape)
    if isinstance(gain, str):
        gain = calculate_gain(gain)
    elif gain is not None:
        if isinstance(gain, bool) or not isinstance(gain, (int, float, np.integer, np.floating)) \
                or not math.isfinite(gain) or gain <= 0:
            raise ValueError(f"gain must be a positive number or a nonlinearity name, got {gain!r}")
        gain = float(gain)

    if name in ("zeros", "pytorch_default") and gain is not None:
        raise ValueError(f"gain is not used by the initializer {name!r}; leave it as None")
    if name == "zeros":
        return np.zeros(shape)
    if name == "normal":
        return (1.0 if gain is None else gain) * rng.standard_normal(shape)
    if name == "uniform":
        a = 1.0 if gain is None else gain
        return rng.uniform(-a, a, size=shape)

    fan_in, fan_out = fans(shape)
    if name == "pytorch_default":
        a = 1.0 / math.sqrt(fan_in)
        return rng.uniform(-a, a, size=shape)
    if name.startswith("glorot"):
        g = 1.0 if gain is None else gain
        std = g * math.sqrt(2.0 / (fan_in + fan_out))
    else:  # he_*
        g = calculate_gain("relu") if gain is None else gain
        std = g / math.sqrt(fan_in)
    if name.endswith("normal"):
        return std * rng.standard_normal(shape)
    a = math.sqrt(3.0) * std                  # U(-a, a) has standard deviation a / sqrt(3)
    return rng.uniform(-a, a, size=shape)


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape),)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"shape must be a tuple of positive integers, got {shape!r}") from None
    if not 1 <= len(dims) <= 2 or not all(
            isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 1 for d in dims):
        raise ValueError(f"shape must be (fan_in, fan_out) or (n,) with positive integers, got {shape!r}")
    return tuple(int(d) for d in dims)
