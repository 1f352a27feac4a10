"""Long short-term memory (syllabus 2.4.2, Hochreiter & Schmidhuber 1997, with the forget gate).

The state is split in two: a short-term state ``h`` (also the output) and a long-term cell state ``c``.
Four fully connected layers read ``[x_t, h_{t-1}]``; PyTorch's gate order is kept (i, f, g, o)::

    i = σ(x W_xi + h W_hi + b_i)     input gate: how much of g is written
    f = σ(x W_xf + h W_hf + b_f)     forget gate: how much of c is kept
    g = tanh(x W_xg + h W_hg + b_g)  the candidate content (the "main layer")
    o = σ(x W_xo + h W_ho + b_o)     output gate: how much of tanh(c) is shown
    c_t = f * c_{t-1} + i * g
    h_t = o * tanh(c_t)

The four layers are stored side by side: ``W_x`` (D, 4H), ``W_h`` (H, 4H), ``b_x``, ``b_h`` (4H,), so one
matmul per step serves all gates, and PyTorch's ``weight_ih_l0 == W_x.T``, ``weight_hh_l0 == W_h.T``,
``bias_ih_l0 == b_x``, ``bias_hh_l0 == b_h``.

Why it helps: the cell state is updated *additively*, so ``dL/dc_{t-1} = dL/dc_t * f`` - the gradient is
scaled by the forget gate, not pushed through a squashing function and a weight matrix at every step.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_positive_int, check_rng
from .module import Module
from .parameter import Parameter, check_float_dtype
from .rnn import check_sequence, check_state, check_upstream, uniform_init

__all__ = ["LSTM", "GATES"]

GATES = ("i", "f", "g", "o")


def _state_pair(state, name: str, batch: int, hidden: int, dtype) -> tuple[np.ndarray, np.ndarray]:
    """``None`` or a pair ``(h, c)``; either member may be ``None`` (zeros)."""
    if state is None:
        return np.zeros((batch, hidden), dtype=dtype), np.zeros((batch, hidden), dtype=dtype)
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        raise ValueError(f"{name} must be None or a pair (h, c) of arrays of shape {(batch, hidden)}, "
                         f"got {type(state).__name__}")
    return (check_state(state[0], f"{name}[0] (h)", batch, hidden, dtype),
            check_state(state[1], f"{name}[1] (c)", batch, hidden, dtype))


class LSTM(Module):
    """An LSTM layer over batch-first sequences ``(B, T, D)``.

    Parameters
    ----------
    input_size, hidden_size : int
    rng : numpy Generator or int
        Initial weights and biases U(-1/sqrt(H), 1/sqrt(H)), PyTorch's default.
    dtype : np.float64 (default) or np.float32
        Precision of the parameters and of every computation (see :class:`lessons_lib.rnn.RNN`).
    """

    def __init__(self, input_size: int, hidden_size: int, rng, dtype=np.float64):
        rng = check_rng(rng)
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = H = check_positive_int(hidden_size, "hidden_size")
        self.dtype = dt = check_float_dtype(dtype)
        self.W_x = Parameter(uniform_init(rng, H, (self.input_size, 4 * H)), "W_x", dt)
        self.W_h = Parameter(uniform_init(rng, H, (H, 4 * H)), "W_h", dt)
        self.b_x = Parameter(uniform_init(rng, H, (4 * H,)), "b_x", dt)
        self.b_h = Parameter(uniform_init(rng, H, (4 * H,)), "b_h", dt)
        # sigmoid(a) = (1 + tanh(a / 2)) / 2: with the i, f, o pre-activations halved, one tanh call
        # evaluates all four gates at once, and it never overflows (np.exp(-a) would for a < -709).
        half = np.full(4 * H, 0.5, dtype=dt)
        half[2 * H:3 * H] = 1.0                          # g is a plain tanh
        self._scale = half
        self._shift = np.where(half == 0.5, 0.5, 0.0).astype(dt)

    def forward(self, X, state0=None):
        """Run the layer; ``state0 = (h0, c0)`` (zeros by default).

        Returns
        -------
        Y : ndarray (B, T, H)
            ``h_t`` at every step.
        cache : dict
            ``states`` (B, T, H) the h_t, ``cells`` (B, T, H) the c_t, ``gates`` a dict ``{"i", "f", "g",
            "o"}`` of (B, T, H) activations per step (for visualisations), ``final_state = (h_T, c_T)``.
        """
        X = check_sequence(X, self.input_size, dtype=self.dtype)
        B, T, _ = X.shape
        H = self.hidden_size
        h, c = _state_pair(state0, "state0", B, H, self.dtype)
        h0, c0 = h, c
        s = self._scale
        A = X.transpose(1, 0, 2) @ (self.W_x.value * s)
        A += (self.b_x.value + self.b_h.value) * s
        W_h = self.W_h.value * s
        # Each step's pre-activations are overwritten by its gate activations (i, f, g, o side by side):
        # fewer megabytes to allocate, which at these sizes costs as much as the arithmetic.
        G = A
        C = np.empty((T, B, H), dtype=self.dtype)        # cell states c_t
        TC = np.empty((T, B, H), dtype=self.dtype)       # tanh(c_t)
        Hs = np.empty((T, B, H), dtype=self.dtype)       # outputs h_t
        for t in range(T):
            A[t] += h @ W_h
            gates = np.tanh(A[t], out=G[t])     # G is A: a_t is not needed once the gates are known
            gates *= s                          # tanh(a/2) -> sigmoid(a) on the i, f, o blocks
            gates += self._shift
            i, f, g, o = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:3 * H], gates[:, 3 * H:]
            c = np.add(f * c, i * g, out=C[t])
            h = np.multiply(o, np.tanh(c, out=TC[t]), out=Hs[t])
        Y = Hs.transpose(1, 0, 2)
        G_bt = G.transpose(1, 0, 2)
        cache = {
            "X": X, "h0": h0, "c0": c0, "states": Y, "cells": C.transpose(1, 0, 2),
            "gates": {name: G_bt[:, :, k * H:(k + 1) * H] for k, name in enumerate(GATES)},
            "final_state": (Hs[-1], C[-1]), "_G": G, "_C": C, "_TC": TC, "_H": Hs,
        }
        return Y, cache

    def _bptt(self, dY, cache: dict, dstate_last=None, record: bool = False):
        dY = check_upstream(dY, cache)
        G, C, TC = cache["_G"], cache["_C"], cache["_TC"]
        T, B, _ = G.shape
        H = self.hidden_size
        dh, dc = _state_pair(dstate_last, "dstate_last", B, H, self.dtype)
        G4 = G.reshape(T, B, 4, H)
        c0 = cache["c0"]
        dYt = dY.transpose(1, 0, 2)
        W_hT = np.ascontiguousarray(self.W_h.value.T)   # a contiguous copy multiplies faster
        dA = np.empty((T, B, 4 * H), dtype=self.dtype)
        dA4 = dA.reshape(T, B, 4, H)
        dH = np.empty((T, B, H), dtype=self.dtype) if record else None
        # The local derivatives are formed step by step on (B, H) blocks rather than for all T steps at
        # once: the all-steps version allocates tens of megabytes of temporaries, which costs more than
        # the few extra numpy calls per step.
        for t in range(T - 1, -1, -1):
            i, f, g, o = G4[t, :, 0], G4[t, :, 1], G4[t, :, 2], G4[t, :, 3]
            tc = TC[t]
            c_prev = C[t - 1] if t > 0 else c0
            dh = dh + dYt[t]
            if record:
                dH[t] = dh
            # h_t = o tanh(c_t): c_t reaches the loss through h_t as well as through c_{t+1}
            dc = dc + dh * o * (1 - tc * tc)
            np.multiply(dh * tc, o * (1 - o), out=dA4[t, :, 3])            # o = σ(a_o)
            # c_t = f c_{t-1} + i g
            np.multiply(dc * g, i * (1 - i), out=dA4[t, :, 0])             # i = σ(a_i)
            np.multiply(dc * c_prev, f * (1 - f), out=dA4[t, :, 1])        # f = σ(a_f)
            np.multiply(dc * i, 1 - g * g, out=dA4[t, :, 2])               # g = tanh(a_g)
            dc = dc * f                                       # the additive path: scaled by f only
            dh = dA[t] @ W_hT
        return dA, (dh, dc), dH

    def backward(self, dY, cache: dict, dstate_last=None):
        """BPTT: returns ``(dX, (dh0, dc0))`` and adds parameter gradients into ``.grad``.

        ``dstate_last = (dh_T, dc_T)`` is an optional gradient on the final state (e.g. from a decoder).
        """
        dA, dstate0, _ = self._bptt(dY, cache, dstate_last)
        T, B, H4 = dA.shape
        H = self.hidden_size
        prev = np.concatenate([cache["h0"][None], cache["_H"][:-1]], axis=0)
        dA2 = dA.reshape(T * B, H4)
        self.W_h.grad += prev.reshape(T * B, H).T @ dA2
        self.W_x.grad += cache["X"].transpose(1, 0, 2).reshape(T * B, -1).T @ dA2
        db = dA2.sum(axis=0)
        self.b_x.grad += db
        self.b_h.grad += db
        dX = (dA @ self.W_x.value.T).transpose(1, 0, 2)
        return dX, dstate0

    def state_gradients(self, dY, cache: dict, dstate_last=None) -> np.ndarray:
        """``dL/dh_t`` (B, T, H) at every step (parameter gradients untouched)."""
        _, _, dH = self._bptt(dY, cache, dstate_last, record=True)
        return dH.transpose(1, 0, 2)
