"""Inverted dropout (syllabus 2.3.7).

In training mode each unit is zeroed with probability ``p`` and the survivors are multiplied by
``1 / (1 - p)``, so the expected activation is unchanged and evaluation mode is simply the identity
(no rescaling at test time, as in PyTorch's ``nn.Dropout``).
"""

from __future__ import annotations

import numpy as np

from ._validation import check_in_range, check_rng
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each entry with probability ``p`` during training; identity in evaluation mode.

    Parameters
    ----------
    p : float
        Drop probability in [0, 1). (p = 1 would drop everything and divide by zero.)
    rng : numpy Generator or int seed
        The source of the masks; a fixed seed gives a reproducible sequence of masks.
    """

    def __init__(self, p: float = 0.5, rng=None):
        self.p = check_in_range(p, "p", 0.0, 1.0)
        self.rng = check_rng(rng)
        self.training = True

    def forward(self, x):
        if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
            x = np.asarray(x, dtype=np.float64)
        if not self.training or self.p == 0.0:
            return x, None
        # mask holds 0 or 1/(1-p): the scaling is folded in so backward is a single multiply.
        mask = (self.rng.random(x.shape) >= self.p).astype(x.dtype)
        mask *= 1.0 / (1.0 - self.p)
        return x * mask, mask

    def backward(self, dout, cache):
        mask = cache
        return dout if mask is None else dout * mask                # d(x*mask)/dx = mask

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
