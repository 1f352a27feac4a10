"""Loss functions: how far the network's output is from the target (section 2.3.1).

Each loss has ``forward(pred, target) -> (loss, cache)`` and ``backward(cache) -> dL/dpred``. The loss is
the MEAN over the batch (PyTorch's ``reduction="mean"``), so ``backward`` returns the gradient of that mean
-- note the ``1/N`` in every gradient below.

The classification losses take *logits* (the raw scores before the sigmoid or softmax) rather than
probabilities: combining the activation and the logarithm in one formula avoids ``log(0)`` and gives the
famously simple gradients ``sigma(z) - y`` and ``softmax(z) - onehot(y)``.

If the predictions contain ``inf`` or ``NaN`` (a diverging network), ``forward`` returns ``nan`` instead of
raising, so that a training loop can notice the non-finite loss and stop; ``backward`` then returns an
array of ``nan``.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_choice, check_same_batch
from .activations import log_softmax, sigmoid, softmax

__all__ = ["LOSSES", "MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "get_loss"]

LOSSES = ("mse", "bce_with_logits", "cross_entropy")


class _Loss:
    name = ""

    def __call__(self, pred, target) -> float:
        return self.forward(pred, target)[0]

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _prediction(pred) -> np.ndarray:
    # finite=False: a non-finite prediction is a training outcome to report, not a usage error.
    return as_float_array(pred, "pred", finite=False)


def _match_target(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Same shape as ``pred``; a target of shape (N,) is accepted for predictions of shape (N, 1)."""
    if pred.ndim == 0:
        raise ValueError("pred must have a batch dimension, got a scalar")
    check_same_batch(pred, target, "pred", "target")
    if target.shape == pred.shape:
        return target
    if pred.shape == target.shape + (1,):
        return target[..., None]
    raise ValueError(f"target must have the shape of pred {pred.shape} (or {pred.shape[:-1]} when the last "
                     f"dimension is 1), got {target.shape}")


class MSELoss(_Loss):
    """Mean squared error, L = mean((pred - target)^2) over all elements; dL/dpred = 2 (pred - target) / n."""

    name = "mse"

    def forward(self, pred, target):
        pred = _prediction(pred)
        target = _match_target(pred, as_float_array(target, "target"))
        if not np.all(np.isfinite(pred)):
            return float("nan"), (None, pred.shape)
        diff = pred - target
        # Predictions beyond ~1e154 square to more than the largest float: inf is then the honest answer
        # (and the training loop reports it); the overflow warning would add nothing.
        with np.errstate(over="ignore"):
            loss = float(np.mean(diff * diff))
        return loss, (diff, pred.shape)

    def backward(self, cache):
        diff, shape = cache
        if diff is None:
            return np.full(shape, np.nan)
        return 2.0 * diff / diff.size


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits z with targets y in [0, 1]:

    L = mean(-y log sigma(z) - (1 - y) log(1 - sigma(z))) = mean(max(z, 0) - z y + log(1 + exp(-|z|))).

    The second form is the same function rearranged so that ``exp`` only sees non-positive numbers.
    Gradient: dL/dz = (sigma(z) - y) / n.
    """

    name = "bce_with_logits"

    def forward(self, pred, target):
        z = _prediction(pred)
        y = _match_target(z, as_float_array(target, "target"))
        if np.any((y < 0) | (y > 1)):
            raise ValueError("target must contain probabilities in [0, 1] (usually the labels 0 and 1)")
        if not np.all(np.isfinite(z)):
            return float("nan"), (None, None, z.shape)
        per_element = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
        return float(np.mean(per_element)), (z, y, z.shape)

    def backward(self, cache):
        z, y, shape = cache
        if z is None:
            return np.full(shape, np.nan)
        return (sigmoid(z) - y) / z.size


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy on logits of shape (N, C) with integer class targets of shape (N,):

    L = mean_i(-log softmax(z_i)[y_i]) = mean_i(logsumexp(z_i) - z_i[y_i]);
    dL/dz_i = (softmax(z_i) - onehot(y_i)) / N.
    """

    name = "cross_entropy"

    def forward(self, pred, target):
        z = _prediction(pred)
        if z.ndim != 2:
            raise ValueError(f"pred must be 2-D logits of shape (batch, classes), got shape {z.shape}")
        y = _class_indices(target, z.shape[1])
        check_same_batch(z, y, "pred", "target")
        if not np.all(np.isfinite(z)):
            return float("nan"), (None, None, z.shape)
        rows = np.arange(z.shape[0])
        loss = -float(np.mean(log_softmax(z, axis=1)[rows, y]))
        return loss, (z, y, z.shape)

    def backward(self, cache):
        z, y, shape = cache
        if z is None:
            return np.full(shape, np.nan)
        grad = softmax(z, axis=1)
        grad[np.arange(z.shape[0]), y] -= 1.0
        return grad / z.shape[0]


def _class_indices(target, n_classes: int) -> np.ndarray:
    t = np.asarray(target)
    if t.ndim != 1:
        raise ValueError(f"target must be a 1-D array of class indices, got shape {t.shape}")
    if t.dtype.kind == "f":
        # whole-number floats (e.g. labels read from a text file) are accepted
        if not np.all(np.isfinite(t)) or np.any(t != np.round(t)):
            raise ValueError("target must contain integer class indices, got non-integer values")
    elif t.dtype.kind not in "iu":
        raise ValueError(f"target must contain integer class indices, got dtype {t.dtype}")
    t = t.astype(np.int64)
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise ValueError(f"target must contain class indices in [0, {n_classes - 1}] (pred has "
                         f"{n_classes} classes), got values from {t.min()} to {t.max()}")
    return t


_CLASSES = {"mse": MSELoss, "bce_with_logits": BCEWithLogitsLoss, "cross_entropy": CrossEntropyLoss}


def get_loss(name) -> _Loss:
    """A new loss object: "mse", "bce_with_logits" or "cross_entropy"; a loss object is returned as is."""
    if isinstance(name, _Loss):
        return name
    check_choice(name, "name", LOSSES)
    return _CLASSES[name]()
