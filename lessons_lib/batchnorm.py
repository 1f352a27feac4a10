"""Batch normalization over a mini-batch of feature vectors (syllabus 2.3.6, equations (2.7)-(2.10)).

Training mode normalises with the statistics of the current mini-batch and updates running averages;
evaluation mode normalises with those running averages, so a single example gives the same answer
whatever batch it arrives in. Conventions are PyTorch's ``nn.BatchNorm1d``: the batch variance used to
normalise is the *biased* one (divide by N, equation (2.8)), while the running variance is updated with
the *unbiased* one (divide by N - 1), and ``running = (1 - momentum) * running + momentum * batch``.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_in_range, check_positive, check_positive_int
from .module import Module
from .parameter import Parameter

__all__ = ["BatchNorm1d"]


class BatchNorm1d(Module):
    """``y = gamma * (x - mean) / sqrt(var + eps) + beta`` per feature, for ``x`` of shape (N, num_features).

    Parameters
    ----------
    num_features : int
        Number of features (columns of ``x``).
    eps : float
        Added to the variance before the square root (2.9), for numerical stability.
    momentum : float
        Weight of the current batch in the running averages (PyTorch's convention, in (0, 1]).
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        self.num_features = check_positive_int(num_features, "num_features")
        self.eps = check_positive(eps, "eps")
        self.momentum = check_in_range(momentum, "momentum", 0.0, 1.0, low_closed=False, high_closed=True)
        self.gamma = Parameter(np.ones(self.num_features), "gamma")     # learnable scale (2.10)
        self.beta = Parameter(np.zeros(self.num_features), "beta")      # learnable shift (2.10)
        self.running_mean = np.zeros(self.num_features)
        self.running_var = np.ones(self.num_features)
        self.training = True

    def buffers(self) -> dict[str, np.ndarray]:
        # Updated in place, so that load_state_dict (which writes into these arrays) restores them.
        return {"running_mean": self.running_mean, "running_var": self.running_var}

    def _check_input(self, x) -> np.ndarray:
        if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
            x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"x must have shape (batch, {self.num_features}), got {x.shape}")
        return x

    def forward(self, x):
        x = self._check_input(x)
        if not self.training:
            inv_std = 1.0 / np.sqrt(self.running_var + self.eps)
            x_hat = (x - self.running_mean) * inv_std                   # (2.9) with running statistics
            return self.gamma.value * x_hat + self.beta.value, (False, x_hat, inv_std)
        n = x.shape[0]
        if n < 2:
            raise ValueError(f"x must hold at least 2 examples in training mode (the batch variance of "
                             f"one example is 0); got batch size {n}. Call .eval() to use running statistics.")
        mean = x.mean(axis=0)                                           # (2.7)
        xc = x - mean
        var = np.einsum("ij,ij->j", xc, xc) / n                         # (2.8), biased
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = xc * inv_std                                            # (2.9)
        out = self.gamma.value * x_hat + self.beta.value                # (2.10)
        m = self.momentum
        self.running_mean *= 1 - m
        self.running_mean += m * mean
        self.running_var *= 1 - m
        self.running_var += (m * n / (n - 1)) * var                     # unbiased, as PyTorch
        return out, (True, x_hat, inv_std)

    def backward(self, dout, cache):
        batch_mode, x_hat, inv_std = cache
        self.beta.grad += dout.sum(axis=0)                              # d/dbeta of gamma*x_hat + beta
        self.gamma.grad += np.einsum("ij,ij->j", dout, x_hat)           # d/dgamma
        dx_hat = dout * self.gamma.value
        if not batch_mode:
            return dx_hat * inv_std                                     # the statistics are constants
        # The mean and variance depend on every row, so each x_i also moves every x_hat_j. Collapsing
        # that chain rule gives dx = inv_std * (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat)).
        n = dout.shape[0]
        mean_dx_hat = dx_hat.sum(axis=0) / n
        mean_dx_hat_x_hat = np.einsum("ij,ij->j", dx_hat, x_hat) / n
        return (dx_hat - mean_dx_hat - x_hat * mean_dx_hat_x_hat) * inv_std

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum})"
