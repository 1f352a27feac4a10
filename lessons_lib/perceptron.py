"""Rosenblatt's perceptron: one layer of threshold logic units and its learning rule (sections 2.2, 2.2.1).

A threshold logic unit (TLU) computes ``z = w^T x + b`` and fires when ``z`` reaches the threshold:
``y_hat = step(z)``. A perceptron is a single fully connected layer of TLUs; for a batch,
``Y_hat = step(X W + b)`` with ``W`` of shape ``(n_inputs, n_outputs)``.

Training (Rosenblatt, 1958) goes through the instances one at a time and nudges the weights of every unit
that got the instance wrong:

    w_ij <- w_ij + eta (y_j - y_hat_j) x_i,      b_j <- b_j + eta (y_j - y_hat_j)

where ``i`` indexes inputs and ``j`` output units. ``y - y_hat`` is 0 for a correct answer (nothing
changes), +1 when the unit should have fired (the input is added to the weights, moving ``z`` up) and -1
when it should not have (the input is subtracted). It is Hebb's idea -- strengthen connections that
should be active together -- corrected by the error.

A note on names: the syllabus calls this algorithm the "perceptron convergence theorem". The algorithm is
the *perceptron learning rule*; the convergence theorem (Rosenblatt 1962; Novikoff 1962) is the guarantee
*about* it: if the classes are linearly separable, the rule stops making mistakes after a finite number
of updates (at most ``(R / gamma)^2`` for data of radius ``R`` separable with margin ``gamma``). If they are
not separable -- XOR is the classic case (Minsky & Papert, 1969) -- it never settles, which is why
:meth:`Perceptron.fit` has ``max_epochs`` and reports ``converged = False``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, check_choice, check_positive, check_positive_int, check_rng
from .activations import step

__all__ = ["step", "Perceptron", "PerceptronHistory"]


@dataclass
class PerceptronHistory:
    """Everything needed to replay training one instance at a time.

    ``weights[k]`` and ``biases[k]`` are the parameters after ``k`` instances have been presented
    (``k = 0`` is the starting point), so there is one more entry than there are steps.
    For step ``k`` (0-based) the presented instance is ``X[sample[k]]`` in epoch ``epoch[k]`` and
    ``mistake[k]`` tells whether any unit got it wrong (and hence whether the weights changed).
    ``errors_per_epoch[e]`` counts the instances that were misclassified during epoch ``e``.
    """

    weights: list[np.ndarray] = field(default_factory=list)
    biases: list[np.ndarray] = field(default_factory=list)
    sample: list[int] = field(default_factory=list)
    epoch: list[int] = field(default_factory=list)
    mistake: list[bool] = field(default_factory=list)
    errors_per_epoch: list[int] = field(default_factory=list)

    @property
    def n_steps(self) -> int:
        return len(self.sample)


class Perceptron:
    """A layer of ``n_outputs`` threshold logic units trained with Rosenblatt's rule.

    Parameters
    ----------
    n_inputs, n_outputs : int
        Number of input features and of TLUs (one per binary output).
    eta : float
        Learning rate, > 0. (Starting from zero weights, eta only rescales all weights, so in exact
        arithmetic the sequence of predictions does not depend on it; in floating point, rounding can break
        the ties at z = 0 differently for some eta. From random weights it always matters.)
    rng : numpy Generator or int, optional
        Needed for ``init="normal"`` and for shuffling in :meth:`fit`.
    init : {"zeros", "normal"}
        Starting weights and biases: all zero, or standard normal draws from ``rng``.

    Attributes
    ----------
    W : ndarray, shape (n_inputs, n_outputs)
    b : ndarray, shape (n_outputs,)
    history : PerceptronHistory or None
        Filled by :meth:`fit`.
    converged : bool
        Whether the last :meth:`fit` ended with an epoch without mistakes.
    message : str
        A sentence saying how the last fit ended.
    """

    def __init__(self, n_inputs: int, n_outputs: int = 1, eta: float = 1.0, rng=None, init: str = "zeros"):
        self.n_inputs = check_positive_int(n_inputs, "n_inputs")
        self.n_outputs = check_positive_int(n_outputs, "n_outputs")
        self.eta = check_positive(eta, "eta")
        check_choice(init, "init", ("zeros", "normal"))
        self.rng = None if rng is None else check_rng(rng)
        if init == "zeros":
            self.W = np.zeros((self.n_inputs, self.n_outputs))
            self.b = np.zeros(self.n_outputs)
        else:
            if self.rng is None:
                raise ValueError("rng must be given (a Generator or an integer seed) when init='normal'")
            self.W = self.rng.standard_normal((self.n_inputs, self.n_outputs))
            self.b = self.rng.standard_normal(self.n_outputs)
        self.history: PerceptronHistory | None = None
        self.converged = False
        self.message = "not trained yet"

    # ---- prediction ----------------------------------------------------------------------------------

    def decision_function(self, X) -> np.ndarray:
        """The weighted sums ``z = X W + b``, shape (N, n_outputs)."""
        X = self._check_X(X)
        return X @ self.W + self.b

    def predict(self, X) -> np.ndarray:
        """``step(X W + b)``: 0/1 predictions, shape (N,) for one output unit, else (N, n_outputs)."""
        y_hat = step(self.decision_function(X))
        return y_hat[:, 0] if self.n_outputs == 1 else y_hat

    # ---- training ------------------------------------------------------------------------------------

    def fit(self, X, y, max_epochs: int = 100, shuffle: bool = False) -> Perceptron:
        """Apply the perceptron learning rule, one instance at a time, until an epoch has no mistakes.

        Training continues from the current weights. Every presented instance is recorded in
        :attr:`history`, so a plot can replay the run step by step.

        Parameters
        ----------
        X : array, shape (N, n_inputs)
        y : array of 0/1, shape (N,) for one output unit or (N, n_outputs)
        max_epochs : int
            Upper bound on the passes over the data (the rule never stops by itself on data that is not
            linearly separable).
        shuffle : bool
            Present the instances in a new random order each epoch (needs ``rng``).
        """
        X = self._check_X(X)
        Y = self._check_y(y, X.shape[0])
        max_epochs = check_positive_int(max_epochs, "max_epochs")
        if shuffle and self.rng is None:
            raise ValueError("rng must be given to the Perceptron (a Generator or an integer seed) "
                             "to use shuffle=True")

        hist = PerceptronHistory(weights=[self.W.copy()], biases=[self.b.copy()])
        self.converged = False
        for epoch in range(max_epochs):
            order = self.rng.permutation(len(X)) if shuffle else np.arange(len(X))
            mistakes = 0
            for i in order:
                x = X[i]
                y_hat = step(x @ self.W + self.b)
                error = Y[i] - y_hat                        # +1, 0 or -1 for each output unit
                wrong = bool(np.any(error != 0))
                if wrong:
                    self.W += self.eta * np.outer(x, error)  # w_ij += eta (y_j - y_hat_j) x_i
                    self.b += self.eta * error
                    mistakes += 1
                hist.weights.append(self.W.copy())
                hist.biases.append(self.b.copy())
                hist.sample.append(int(i))
                hist.epoch.append(epoch)
                hist.mistake.append(wrong)
            hist.errors_per_epoch.append(mistakes)
            if mistakes == 0:
                self.converged = True
                break
        self.history = hist
        n_epochs = len(hist.errors_per_epoch)
        if self.converged:
            self.message = (f"converged: epoch {n_epochs} classified every instance correctly "
                            f"after {_count(sum(hist.mistake), 'weight update')}")
        else:
            self.message = (f"did not converge in {max_epochs} epochs ({hist.errors_per_epoch[-1]} "
                            f"instances still misclassified in the last epoch); the classes may not be "
                            f"linearly separable (like XOR), in which case no number of epochs is enough")
        return self

    # ---- checks --------------------------------------------------------------------------------------

    def _check_X(self, X) -> np.ndarray:
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.n_inputs:
            raise ValueError(f"X must have {self.n_inputs} columns (n_inputs), got shape {X.shape}")
        return X

    def _check_y(self, y, n: int) -> np.ndarray:
        y = as_float_array(y, "y", ndim=(1, 2))
        if y.shape[0] != n:
            raise ValueError(f"X and y must have the same number of instances; got {n} and {y.shape[0]}")
        if y.ndim == 1:
            y = y[:, None]
        if y.shape[1] != self.n_outputs:
            raise ValueError(f"y must have {self.n_outputs} column(s) (n_outputs), got shape {y.shape}")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError("y must contain only the binary targets 0 and 1")
        return y

    def __repr__(self) -> str:
        return f"Perceptron(n_inputs={self.n_inputs}, n_outputs={self.n_outputs}, eta={self.eta})"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
