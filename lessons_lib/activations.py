"""Activation functions and their derivatives (section 2.3.3).

Every activation is applied elementwise. :func:`get_activation` returns an :class:`Activation` object whose
``__call__(z)`` gives ``a = phi(z)`` and whose ``derivative(z)`` gives ``da/dz`` at the same points, which is
all a layer needs for its backward pass: ``dL/dz = dL/da * phi'(z)``.

The formulas and default constants are PyTorch's (``torch.nn.functional``), so a model here and the same
model in PyTorch compute the same numbers. Where a function is not differentiable (the kink of ReLU at 0)
the value returned is the one PyTorch's backward uses.

Numerical care, because a textbook should never print ``RuntimeWarning: overflow``:

* ``sigmoid`` only ever exponentiates ``-|z|``, so ``exp`` never overflows even at ``z = -1e4``;
* ``softplus`` is written as ``max(z, 0) + log1p(exp(-|z|))`` for the same reason;
* ``softmax`` subtracts the largest logit first, which changes nothing mathematically
  (``softmax(z) = softmax(z - c)``) but keeps every exponent ``<= 0``;
* ``gelu`` needs the error function, which numpy lacks; :func:`erf` below is accurate to about 1e-15.
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import check_choice, check_positive

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation", "saturation_mask",
    "identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "gelu",
    "erf", "erfc", "softmax", "log_softmax",
]

ACTIVATIONS = ("identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "gelu")

# Constants of SELU from Klambauer et al. (2017), "Self-Normalizing Neural Networks", as PyTorch uses them.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _as_float(z) -> np.ndarray:
    """Keep float arrays as they are (float32 stays float32); turn anything else into float64.

    Non-finite values are allowed on purpose: a diverging network must be able to produce ``inf``/``nan``
    so that the training loop can notice and stop, instead of an activation raising half-way.
    """
    arr = np.asarray(z)
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    raise ValueError(f"z must be an array of real numbers, got dtype {arr.dtype}")


# ----------------------------------------------------------------------------------------------------------
# The functions and their derivatives, side by side.
# ----------------------------------------------------------------------------------------------------------

def identity(z):
    """phi(z) = z (a linear output layer, e.g. for regression)."""
    return _as_float(z).copy()


def identity_derivative(z):
    return np.ones_like(_as_float(z))


def step(z):
    """Heaviside step of a threshold logic unit: 1 where ``z >= 0``, else 0.

    Convention: ``step(0) = 1``, so a TLU whose weighted sum reaches the threshold exactly fires (the usual
    choice for the perceptron; numpy's ``np.heaviside(z, 1)``). The step is flat everywhere except at 0,
    where it jumps, so its derivative is 0 wherever it exists -- which is exactly why gradient descent
    cannot train it and why Rumelhart et al. replaced it by the sigmoid.
    """
    z = _as_float(z)
    return (z >= 0).astype(z.dtype)


def step_derivative(z):
    # 0 everywhere it exists; at the jump (z = 0) there is no derivative and we also return 0.
    return np.zeros_like(_as_float(z))


def sigmoid(z):
    """Logistic function sigma(z) = 1 / (1 + exp(-z)), computed without overflow for any z.

    With ``e = exp(-|z|)`` (always in (0, 1]): for z >= 0, sigma = 1 / (1 + e); for z < 0,
    sigma = e / (1 + e), the same value rewritten so that no exponent is positive.
    """
    z = _as_float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1.0 - s)                       # d sigma/dz = sigma (1 - sigma), at most 1/4 (at z = 0)


def tanh(z):
    """Hyperbolic tangent, tanh(z) = 2 sigma(2z) - 1: S-shaped like the sigmoid but centred on 0."""
    return np.tanh(_as_float(z))


def tanh_derivative(z):
    t = np.tanh(_as_float(z))
    return 1.0 - t * t                         # at most 1 (at z = 0)


def relu(z):
    """Rectified linear unit, max(0, z)."""
    z = _as_float(z)
    return np.maximum(z, 0.0).astype(z.dtype, copy=False)


def relu_derivative(z):
    # 1 for z > 0, 0 for z < 0; at the kink z = 0 PyTorch's backward uses 0, and so do we.
    z = _as_float(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, negative_slope: float = 0.01):
    """max(0, z) + negative_slope * min(0, z): a small slope for z < 0 so units never die completely."""
    z = _as_float(z)
    return np.where(z > 0, z, negative_slope * z).astype(z.dtype, copy=False)


def leaky_relu_derivative(z, negative_slope: float = 0.01):
    # PyTorch uses the negative slope at z = 0 itself.
    z = _as_float(z)
    return np.where(z > 0, 1.0, negative_slope).astype(z.dtype, copy=False)


def elu(z, alpha: float = 1.0):
    """Exponential linear unit: z for z > 0, alpha (exp(z) - 1) otherwise (Clevert et al., 2015)."""
    z = _as_float(z)
    # exp of min(z, 0) only: the positive branch never needs the exponential, and exp(1e4) would overflow.
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0))).astype(z.dtype, copy=False)


def elu_derivative(z, alpha: float = 1.0):
    z = _as_float(z)
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))).astype(z.dtype, copy=False)


def selu(z):
    """Scaled ELU: SELU_SCALE * elu(z, SELU_ALPHA), the self-normalising activation."""
    return SELU_SCALE * elu(z, SELU_ALPHA)


def selu_derivative(z):
    return SELU_SCALE * elu_derivative(z, SELU_ALPHA)


def softplus(z):
    """log(1 + exp(z)), a smooth ReLU, written as max(z, 0) + log1p(exp(-|z|)) so it never overflows."""
    z = _as_float(z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_derivative(z):
    return sigmoid(z)                          # d/dz log(1 + e^z) = e^z / (1 + e^z) = sigma(z)


_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def gelu(z):
    """Gaussian error linear unit, z * Phi(z), with Phi the standard normal CDF (exact erf form).

    Phi(z) = (1 + erf(z / sqrt 2)) / 2 = erfc(-z / sqrt 2) / 2; the erfc form keeps full relative accuracy
    in the far negative tail. This is PyTorch's ``gelu(approximate="none")``.
    """
    z = _as_float(z)
    return (z * _normal_cdf(z)).astype(z.dtype, copy=False)


def gelu_derivative(z):
    z = _as_float(z)
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    return (_normal_cdf(z) + z * pdf).astype(z.dtype, copy=False)    # product rule: Phi + z phi


def _normal_cdf(z):
    return 0.5 * erfc(-np.asarray(z, dtype=np.float64) / _SQRT2)


# ----------------------------------------------------------------------------------------------------------
# The error function, vectorised. Two classical expansions, each used where it converges fast:
#   |x| <= 2: erf(x) = 2/sqrt(pi) exp(-x^2) sum_n (2x^2)^n x / (1*3*5*...*(2n+1))  (all terms positive,
#             so no cancellation; about 30 terms);
#   |x| >  2: erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
#             (Laplace's continued fraction, evaluated bottom-up with a fixed 60 levels).
# exp(-x^2) is formed as exp(-h^2) exp(-(x - h)(x + h)) with h = x rounded to 12 bits, so h^2 is exact:
# a plain x*x would carry a rounding error that exp magnifies by x^2 (up to ~1e-13 relative at x = 26).
# Checked against math.erf / math.erfc in the tests (absolute error ~1e-15, relative error in the tail
# ~1e-15).
# ----------------------------------------------------------------------------------------------------------

_SERIES_LIMIT = 2.0
_CF_LEVELS = 60


def _erf_series(x):
    x2 = x * x
    term = x.copy()
    total = x.copy()
    for n in range(1, 200):
        term = term * (2.0 * x2) / (2 * n + 1)
        total += term
        if np.all(term <= 1e-17 * total):      # x >= 0 here, so every term is >= 0
            break
    return (2.0 / math.sqrt(math.pi)) * np.exp(-x2) * total


def _erfc_continued_fraction(x):
    x = np.minimum(x, 40.0)                    # erfc(40) already underflows to 0; keeps inf out of x - h
    f = x.copy()
    for k in range(_CF_LEVELS, 0, -1):
        f = x + (0.5 * k) / f
    h = np.round(x * 4096.0) / 4096.0
    return np.exp(-h * h) * np.exp(-(x - h) * (x + h)) / (math.sqrt(math.pi) * f)


def erf(x):
    """The error function erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt, elementwise, float64."""
    x = np.asarray(_as_float(x), dtype=np.float64)
    a = np.abs(x)
    out = np.empty_like(a)
    small = a <= _SERIES_LIMIT
    big = ~small & ~np.isnan(a)
    out[small] = _erf_series(a[small])
    out[big] = 1.0 - _erfc_continued_fraction(a[big])
    out[np.isnan(a)] = np.nan
    return np.copysign(out, x)                 # erf is odd


def erfc(x):
    """The complementary error function 1 - erf(x), accurate also where it is tiny (large x)."""
    x = np.asarray(_as_float(x), dtype=np.float64)
    out = np.empty_like(x)
    small = np.abs(x) <= _SERIES_LIMIT
    pos = x > _SERIES_LIMIT
    neg = x < -_SERIES_LIMIT
    xs = x[small]
    out[small] = 1.0 - np.copysign(_erf_series(np.abs(xs)), xs)
    out[pos] = _erfc_continued_fraction(x[pos])
    out[neg] = 2.0 - _erfc_continued_fraction(-x[neg])
    out[np.isnan(x)] = np.nan
    return out


# ----------------------------------------------------------------------------------------------------------
# Softmax: the output activation of a classifier. Applied along an axis, not elementwise.
# ----------------------------------------------------------------------------------------------------------

def softmax(z, axis: int = -1):
    """exp(z_k) / sum_j exp(z_j) along ``axis``; the largest logit is subtracted first so nothing overflows."""
    z = _as_float(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1):
    """log(softmax(z)) computed as (z - max) - log(sum exp(z - max)): finite even when softmax underflows."""
    z = _as_float(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# ----------------------------------------------------------------------------------------------------------
# Activation objects, looked up by name.
# ----------------------------------------------------------------------------------------------------------

_TABLE = {
    "identity": (identity, identity_derivative, ()),
    "step": (step, step_derivative, ()),
    "sigmoid": (sigmoid, sigmoid_derivative, ()),
    "tanh": (tanh, tanh_derivative, ()),
    "relu": (relu, relu_derivative, ()),
    "leaky_relu": (leaky_relu, leaky_relu_derivative, ("negative_slope",)),
    "elu": (elu, elu_derivative, ("alpha",)),
    "selu": (selu, selu_derivative, ()),
    "softplus": (softplus, softplus_derivative, ()),
    "gelu": (gelu, gelu_derivative, ()),
}


class Activation:
    """An elementwise activation phi with its derivative: ``act(z)`` and ``act.derivative(z)``.

    Build one with :func:`get_activation`. ``params`` holds the keyword arguments (e.g. the
    ``negative_slope`` of leaky ReLU), so ``repr`` shows exactly which function is meant.
    """

    def __init__(self, name: str, **params):
        check_choice(name, "name", ACTIVATIONS)
        fn, deriv, allowed = _TABLE[name]
        unknown = sorted(set(params) - set(allowed))
        if unknown:
            hint = ", ".join(allowed) if allowed else "none"
            raise ValueError(f"{unknown[0]} is not a parameter of activation {name!r} (accepted: {hint})")
        for key, value in params.items():
            if key == "alpha":
                check_positive(value, key)
            else:
                # a negative slope of 0 gives ReLU, negative values are unusual but well defined.
                if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
                    raise ValueError(f"{key} must be a number, got {value!r}")
            params[key] = float(value)
        self.name = name
        self.params = params
        self._fn = fn
        self._deriv = deriv

    def __call__(self, z) -> np.ndarray:
        return self._fn(z, **self.params)

    def derivative(self, z) -> np.ndarray:
        """da/dz at ``z``, elementwise, same shape as ``z``."""
        return self._deriv(z, **self.params)

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Activation({self.name!r}{args})"


def get_activation(name: str | Activation, **kwargs) -> Activation:
    """The activation called ``name`` (one of :data:`ACTIVATIONS`); an Activation is returned unchanged."""
    if isinstance(name, Activation):
        if kwargs:
            raise ValueError("kwargs cannot be given together with an Activation object")
        return name
    return Activation(name, **kwargs)


def saturation_mask(activation: str | Activation, z, threshold: float = 1e-2) -> np.ndarray:
    """Boolean mask of the points where the activation is saturated: ``|phi'(z)| < threshold``.

    There backpropagation multiplies the gradient by (nearly) zero, so almost nothing flows through the
    unit -- the vanishing-gradient mechanism of section 2.3.2. For the sigmoid and tanh this is both tails;
    for ReLU it is the whole negative side (a "dead" unit); for the step function it is everywhere.
    """
    act = get_activation(activation)
    check_positive(threshold, "threshold")
    return np.abs(act.derivative(z)) < threshold
