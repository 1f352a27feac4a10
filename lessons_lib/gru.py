"""Gated recurrent unit (syllabus 2.4.3, Cho et al. 2014): an LSTM simplified to one state vector.

PyTorch's gate order (r, z, n) and update rule are kept::

    r = σ(x W_xr + b_xr + h W_hr + b_hr)        reset gate: which parts of h the candidate may see
    z = σ(x W_xz + b_xz + h W_hz + b_hz)        update gate
    n = tanh(...)                               the candidate state (the syllabus's g_t), see variants
    h_t = (1 - z) * n + z * h_{t-1}

``z`` plays both LSTM roles at once: ``z`` is the forget gate's "keep" and ``1 - z`` the input gate's
"write", so a slot is emptied exactly when something new is written into it. With ``z = 1`` the old state
is copied unchanged (the syllabus: the input gate is closed, the forget gate open). Some texts
(e.g. Chung et al. 2014) write the mirror image ``h_t = z * n + (1 - z) * h_{t-1}``; it is the same
model with ``z`` renamed ``1 - z``. We follow PyTorch, Keras and Cho et al.

Two variants of the candidate differ in *where the reset gate acts*:

``variant="reset_after"`` (PyTorch's ``nn.GRU``, Keras's default ``reset_after=True``, cuDNN)::

    n = tanh(x W_xn + b_xn + r * (h W_hn + b_hn))       reset applied after the matmul

``variant="reset_before"`` (Cho et al.'s original, Keras ``reset_after=False``)::

    n = tanh(x W_xn + b_xn + (r * h) W_hn + b_hn)       reset applied to h before the matmul

"reset_after" lets one matmul ``h @ W_h`` serve all three gates (a speed win); "reset_before" needs
``r`` before it can multiply, so each step does two matmuls. The parameters have the same shapes in both
(``W_x`` (D, 3H), ``W_h`` (H, 3H), ``b_x``, ``b_h`` (3H,)); in "reset_before" ``b_xn + b_hn`` act as the
single candidate bias. PyTorch's ``weight_ih_l0 == W_x.T``, ``weight_hh_l0 == W_h.T``.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_positive_int, check_rng
from .module import Module
from .parameter import Parameter, check_float_dtype
from .rnn import check_sequence, check_state, check_upstream, uniform_init

__all__ = ["GRU", "GRU_VARIANTS", "GATES"]

GRU_VARIANTS = ("reset_after", "reset_before")
GATES = ("r", "z", "n")


class GRU(Module):
    """A GRU layer over batch-first sequences ``(B, T, D)``.

    Parameters
    ----------
    input_size, hidden_size : int
    rng : numpy Generator or int
        Initial weights and biases U(-1/sqrt(H), 1/sqrt(H)), PyTorch's default.
    variant : {"reset_after", "reset_before"}
        Where the reset gate acts (see the module docstring).
    dtype : np.float64 (default) or np.float32
        Precision of the parameters and of every computation (see :class:`lessons_lib.rnn.RNN`).
    """

    def __init__(self, input_size: int, hidden_size: int, rng, variant: str = "reset_after",
                 dtype=np.float64):
        self.variant = check_choice(variant, "variant", GRU_VARIANTS)
        rng = check_rng(rng)
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = H = check_positive_int(hidden_size, "hidden_size")
        self.dtype = dt = check_float_dtype(dtype)
        self.W_x = Parameter(uniform_init(rng, H, (self.input_size, 3 * H)), "W_x", dt)
        self.W_h = Parameter(uniform_init(rng, H, (H, 3 * H)), "W_h", dt)
        self.b_x = Parameter(uniform_init(rng, H, (3 * H,)), "b_x", dt)
        self.b_h = Parameter(uniform_init(rng, H, (3 * H,)), "b_h", dt)

    def forward(self, X, h0=None):
        """Run the layer; returns ``Y`` (B, T, H) and a cache with ``states``, ``gates`` (dict of r, z, n
        per step, each (B, T, H)) and ``final_state``."""
        X = check_sequence(X, self.input_size, dtype=self.dtype)
        B, T, _ = X.shape
        H = self.hidden_size
        h = check_state(h0, "h0", B, H, self.dtype)
        h0 = h
        # The r, z columns are halved so that sigmoid(a) = (1 + tanh(a/2)) / 2 is a single tanh call
        # (which, unlike np.exp(-a), cannot overflow); the candidate's columns are left as they are.
        scale = np.ones(3 * H, dtype=self.dtype)
        scale[:2 * H] = 0.5
        W_h, b_h = self.W_h.value * scale, self.b_h.value * scale
        # Input contributions of all steps at once: one matmul instead of T.
        Ax = X.transpose(1, 0, 2) @ (self.W_x.value * scale) + self.b_x.value * scale
        reset_after = self.variant == "reset_after"
        if not reset_after:
            Ax[:, :, 2 * H:] += b_h[2 * H:]                         # b_hn sits outside the reset
            W_hrz, W_hn = np.ascontiguousarray(W_h[:, :2 * H]), np.ascontiguousarray(W_h[:, 2 * H:])
        RZ = np.empty((T, B, 2 * H), dtype=self.dtype)   # r and z side by side
        N = np.empty((T, B, H), dtype=self.dtype)        # candidates n_t
        K = np.empty((T, B, H), dtype=self.dtype)        # h W_hn + b_hn (reset_after) or r * h (reset_before)
        Hs = np.empty((T, B, H), dtype=self.dtype)
        for t in range(T):
            if reset_after:
                gh = h @ W_h + b_h                                  # all three gates, one matmul
                np.tanh(Ax[t, :, :2 * H] + gh[:, :2 * H], out=RZ[t])
                K[t] = gh[:, 2 * H:]
            else:
                np.tanh(Ax[t, :, :2 * H] + (h @ W_hrz + b_h[:2 * H]), out=RZ[t])
            rz = RZ[t]
            rz *= 0.5
            rz += 0.5
            r, z = rz[:, :H], rz[:, H:]
            if reset_after:
                n = np.tanh(Ax[t, :, 2 * H:] + r * K[t], out=N[t])
            else:
                rh = np.multiply(r, h, out=K[t])
                n = np.tanh(Ax[t, :, 2 * H:] + rh @ W_hn, out=N[t])
            h = np.add(n, z * (h - n), out=Hs[t])                # (1 - z) n + z h
        Y = Hs.transpose(1, 0, 2)
        RZ_bt, N_bt = RZ.transpose(1, 0, 2), N.transpose(1, 0, 2)
        cache = {
            "X": X, "h0": h0, "states": Y, "final_state": Hs[-1],
            "gates": {"r": RZ_bt[:, :, :H], "z": RZ_bt[:, :, H:], "n": N_bt},
            "_RZ": RZ, "_N": N, "_K": K, "_H": Hs,
        }
        return Y, cache

    def _bptt(self, dY, cache: dict, dh_last=None, record: bool = False):
        dY = check_upstream(dY, cache)
        RZ, N, K, Hs = cache["_RZ"], cache["_N"], cache["_K"], cache["_H"]
        T, B, H = N.shape
        dh = check_state(dh_last, "dh_last", B, H, self.dtype)
        r, z = RZ[:, :, :H], RZ[:, :, H:]
        h_prev = np.concatenate([cache["h0"][None], Hs[:-1]], axis=0)
        reset_after = self.variant == "reset_after"
        # Local derivatives for all steps at once:
        #   h_t = (1-z) n + z h_{t-1}  ->  dh/da_n = (1-z)(1-n²),  dh/da_z = (h_{t-1} - n) z(1-z)
        #   reset_after:  a_n = ... + r * k, k = h W_hn + b_hn  ->  da_n/da_r = k r(1-r)
        #   reset_before: a_n = ... + (r * h) W_hn  ->  the r path goes through W_hn first (in the loop)
        dh_dan = (1 - z) * (1 - N * N)
        dh_daz = (h_prev - N) * z * (1 - z)
        dr_dar = r * (1 - r)
        if reset_after:
            dr_dar = dr_dar * K
        else:
            dr_dar = dr_dar * h_prev
        dYt = dY.transpose(1, 0, 2)
        W_h = self.W_h.value
        # Contiguous copies of the transposes: a matmul with a transposed view is markedly slower.
        W_hT = np.ascontiguousarray(W_h.T)
        W_hn_T = np.ascontiguousarray(W_h[:, 2 * H:].T)
        W_hrz_T = np.ascontiguousarray(W_h[:, :2 * H].T)
        dAx = np.empty((T, B, 3 * H), dtype=self.dtype)  # gradients of the input pre-activations
        dAh = np.empty((T, B, 3 * H), dtype=self.dtype)  # gradients of the recurrent pre-activations
        dH = np.empty((T, B, H), dtype=self.dtype) if record else None
        for t in range(T - 1, -1, -1):
            dh = dh + dYt[t]
            if record:
                dH[t] = dh
            dan = np.multiply(dh, dh_dan[t], out=dAx[t, :, 2 * H:])
            np.multiply(dh, dh_daz[t], out=dAx[t, :, H:2 * H])
            if reset_after:
                np.multiply(dan, dr_dar[t], out=dAx[t, :, :H])
                dAh[t, :, :2 * H] = dAx[t, :, :2 * H]
                np.multiply(dan, r[t], out=dAh[t, :, 2 * H:])     # k is multiplied by r
                dh = dh * z[t] + dAh[t] @ W_hT
            else:
                d_rh = dan @ W_hn_T                                # gradient of r * h_{t-1}
                np.multiply(d_rh, dr_dar[t], out=dAx[t, :, :H])
                dAh[t] = dAx[t]
                dh = dh * z[t] + d_rh * r[t] + dAx[t, :, :2 * H] @ W_hrz_T
        return dAx, dAh, dh, dH

    def backward(self, dY, cache: dict, dh_last=None):
        """BPTT: returns ``(dX, dh0)`` and adds parameter gradients into ``.grad``."""
        dAx, dAh, dh0, _ = self._bptt(dY, cache, dh_last)
        T, B, H3 = dAx.shape
        H = self.hidden_size
        h_prev = np.concatenate([cache["h0"][None], cache["_H"][:-1]], axis=0).reshape(T * B, H)
        dAx2, dAh2 = dAx.reshape(T * B, H3), dAh.reshape(T * B, H3)
        if self.variant == "reset_after":
            self.W_h.grad += h_prev.T @ dAh2
        else:
            # r, z columns multiply h_{t-1}; the candidate's columns multiply r * h_{t-1}.
            self.W_h.grad[:, :2 * H] += h_prev.T @ dAh2[:, :2 * H]
            self.W_h.grad[:, 2 * H:] += cache["_K"].reshape(T * B, H).T @ dAh2[:, 2 * H:]
        self.W_x.grad += cache["X"].transpose(1, 0, 2).reshape(T * B, -1).T @ dAx2
        self.b_x.grad += dAx2.sum(axis=0)
        self.b_h.grad += dAh2.sum(axis=0)
        dX = (dAx @ self.W_x.value.T).transpose(1, 0, 2)
        return dX, dh0

    def state_gradients(self, dY, cache: dict, dh_last=None) -> np.ndarray:
        """``dL/dh_t`` (B, T, H) at every step (parameter gradients untouched)."""
        *_, dH = self._bptt(dY, cache, dh_last, record=True)
        return dH.transpose(1, 0, 2)
