"""Mini-batch training loop, evaluation and prediction (sections 2.3.1 and 2.3.5).

``fit`` shuffles the training set with an explicit random generator at every epoch, runs forward,
loss, backward and one optimizer step per mini-batch, and records everything in a :class:`History`.
A loss that becomes ``inf`` or ``NaN`` (the learning rate was too large, the gradients exploded) stops
training at once, and ``History.message`` says where: divergence is a lesson to show, not a crash.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, check_positive, check_positive_int, check_rng, check_same_batch
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, get_loss
from .module import Module
from .optimizers import Optimizer, clip_grad_norm

__all__ = ["History", "fit", "evaluate", "predict", "accuracy"]


@dataclass
class History:
    """What happened during :func:`fit`.

    Attributes
    ----------
    train_loss, val_loss : list of float
        Per epoch: the mean training loss over the epoch's mini-batches (measured in training mode, as the
        weights changed) and the validation loss in evaluation mode (empty without validation data).
    train_accuracy, val_accuracy : list of float
        Per epoch, for classification losses only (empty for a regression loss such as MSE).
    step_losses : list of float
        The loss of every mini-batch, in order (including the non-finite one that stopped training).
    diverged_at_step : int or None
        1-based index of the step whose loss was not finite, or ``None``.
    message : str
        One human-readable sentence on how training ended.
    """

    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    step_losses: list = field(default_factory=list)
    diverged_at_step: int | None = None
    message: str = ""

    @property
    def epochs_completed(self) -> int:
        return len(self.train_loss)


def _loss(loss):
    return get_loss(loss) if isinstance(loss, str) else loss


def _correct(loss, out: np.ndarray, y: np.ndarray) -> int | None:
    """Number of correct predictions, or None when the loss is not a classification loss."""
    if isinstance(loss, CrossEntropyLoss):
        return int(np.count_nonzero(out.argmax(axis=1) == y))
    if isinstance(loss, BCEWithLogitsLoss):
        return int(np.count_nonzero((out > 0) == (y.reshape(out.shape) > 0.5)))
    return None


def accuracy(loss, out, y) -> float | None:
    """Fraction of correct predictions for a classification loss (logits in), ``None`` otherwise."""
    out = np.asarray(out)
    correct = _correct(_loss(loss), out, np.asarray(y))
    if correct is None:
        return None
    return correct / (out.size if isinstance(_loss(loss), BCEWithLogitsLoss) else out.shape[0])


def _check_data(X, y, name_x: str = "X", name_y: str = "y"):
    X = as_float_array(X, name_x, ndim=2)
    y = np.asarray(y)
    if y.ndim == 0:
        raise ValueError(f"{name_y} must have one entry per row of {name_x}, got a scalar")
    check_same_batch(X, y, name_x, name_y)
    return X, y


def predict(model: Module, X, batch_size: int | None = None) -> np.ndarray:
    """The model's outputs in evaluation mode (the mode is restored afterwards)."""
    X = as_float_array(X, "X", ndim=2)
    was_training = model.training
    model.eval()
    try:
        if batch_size is None:
            return model.forward(X)[0]
        batch_size = check_positive_int(batch_size, "batch_size")
        return np.concatenate([model.forward(X[i:i + batch_size])[0] for i in range(0, len(X), batch_size)])
    finally:
        model.train(was_training)


def evaluate(model: Module, loss, X, y, batch_size: int | None = None) -> tuple[float, float | None]:
    """``(mean loss, accuracy)`` on ``(X, y)`` in evaluation mode; accuracy is ``None`` for regression.

    Non-finite outputs give a ``nan`` loss rather than an error (see :mod:`lessons_lib.losses`).
    """
    loss = _loss(loss)
    X, y = _check_data(X, y)
    # A diverged model may overflow on the way; the nan/inf loss that results is the report.
    with np.errstate(over="ignore", invalid="ignore"):
        out = predict(model, X, batch_size)
        value, _ = loss.forward(out, y)
    return value, accuracy(loss, out, y)


def fit(model: Module, loss, optimizer: Optimizer, X, y, epochs: int, batch_size: int, rng,
        validation_data=None, clip_norm: float | None = None,
        callback: Callable[[int, History], bool | None] | None = None) -> History:
    """Train ``model`` with mini-batch gradient descent.

    Parameters
    ----------
    model : Module
        E.g. an :func:`lessons_lib.network.mlp`; trained in place.
    loss : loss object or name
        ``"mse"``, ``"bce_with_logits"``, ``"cross_entropy"`` or an object from :mod:`lessons_lib.losses`.
    optimizer : Optimizer
        Built on ``model.parameters()``.
    X, y : arrays
        Inputs (N, features) and targets (N, ...).
    epochs, batch_size : int
        Passes over the data, examples per step (the last batch of an epoch may be smaller).
    rng : numpy Generator or int seed
        Shuffles the examples at the start of every epoch.
    validation_data : (X_val, y_val), optional
        Evaluated in evaluation mode after every epoch.
    clip_norm : float, optional
        Rescale the gradients to this global L2 norm before each step (:func:`clip_grad_norm`).
    callback : callable, optional
        ``callback(epoch, history)`` after every epoch (epoch counted from 1); returning ``True`` stops.

    Returns
    -------
    History
    """
    loss = _loss(loss)
    X, y = _check_data(X, y)
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    rng = check_rng(rng)
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be an Optimizer, got {type(optimizer).__name__}")
    if clip_norm is not None:
        clip_norm = check_positive(clip_norm, "clip_norm")
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be callable or None, got {type(callback).__name__}")
    if validation_data is not None:
        try:
            X_val, y_val = validation_data
        except (TypeError, ValueError) as exc:
            raise ValueError("validation_data must be a pair (X_val, y_val)") from exc
        X_val, y_val = _check_data(X_val, y_val, "validation_data[0]", "validation_data[1]")

    history = History()
    params = model.parameters()
    n = X.shape[0]
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        order = rng.permutation(n)
        Xs, ys = X[order], y[order]
        total, correct, seen = 0.0, 0, 0
        for start in range(0, n, batch_size):
            xb, yb = Xs[start:start + batch_size], ys[start:start + batch_size]
            step += 1
            # When training diverges, values overflow on their way to inf/NaN. That overflow is exactly
            # what we detect (through the loss) and report, so numpy's warnings would only repeat it.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                for p in params:
                    p.grad.fill(0.0)
                out, caches = model.forward(xb)
                value, loss_cache = loss.forward(out, yb)
                history.step_losses.append(value)
                if not math.isfinite(value):
                    history.diverged_at_step = step
                    history.message = (f"Training stopped: the loss became {value} at step {step} "
                                       f"(epoch {epoch}, batch {start // batch_size + 1}); the learning rate "
                                       "is probably too large or the gradients exploded.")
                    return history
                model.backward(loss.backward(loss_cache), caches)
                if clip_norm is not None:
                    clip_grad_norm(params, clip_norm)
                optimizer.step()
            total += value * len(xb)
            seen += len(xb)
            c = _correct(loss, out, yb)
            if c is not None:
                correct += c
        history.train_loss.append(total / seen)
        if isinstance(loss, (CrossEntropyLoss, BCEWithLogitsLoss)):
            history.train_accuracy.append(correct / (seen if isinstance(loss, CrossEntropyLoss) else y.size))
        if validation_data is not None:
            val_loss, val_acc = evaluate(model, loss, X_val, y_val)
            history.val_loss.append(val_loss)
            if val_acc is not None:
                history.val_accuracy.append(val_acc)
        if callback is not None and callback(epoch, history):
            history.message = f"Stopped by the callback after epoch {epoch}."
            model.train()
            return history
    model.train()
    history.message = f"Completed {epochs} epochs ({step} steps)."
    return history
