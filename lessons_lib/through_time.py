"""How much gradient reaches the past: ``||dL/dh_t||`` for a loss on the last step only (syllabus 2.4.1).

In a simple RNN the gradient sent from ``h_t`` to ``h_{t-1}`` is multiplied by ``diag(f'(a_t)) W_h^T``
at every step, so over ``k`` steps it shrinks (or grows) roughly like the k-th power of that matrix's
size: with small recurrent weights it vanishes geometrically, with large ones it explodes. The LSTM's
cell state is updated by addition, scaled only by the forget gate, and the GRU keeps ``z * h_{t-1}``:
both give the gradient a path that is not squashed at every step.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_positive, check_positive_int, check_rng
from .gru import GRU
from .lstm import LSTM
from .rnn import RNN

__all__ = ["gradient_norms_through_time", "compare_gradient_flow", "CELL_NAMES"]


def gradient_norms_through_time(layer, X, state0=None) -> np.ndarray:
    """Norm of ``dL/dh_t`` for every step ``t`` when ``L = sum(h_T)`` (a loss on the last step only).

    Parameters
    ----------
    layer : RNN, LSTM or GRU
    X : ndarray (B, T, D)
    state0 : optional initial state (``h0``, or ``(h0, c0)`` for an LSTM)

    Returns
    -------
    ndarray (T,)
        ``mean over the batch of ||dL/dh_t||_2``; entry ``T - 1`` is ``sqrt(H)`` (the loss's own
        gradient), earlier entries show how much of it survives ``T - 1 - t`` steps back.
    """
    Y, cache = layer.forward(X, state0)
    dY = np.zeros_like(Y)
    dY[:, -1] = 1.0
    dH = layer.state_gradients(dY, cache)
    return np.sqrt(np.sum(dH * dH, axis=2)).mean(axis=0)


CELL_NAMES = ("RNN", "LSTM", "GRU")


def compare_gradient_flow(seq_len: int = 50, input_size: int = 4, hidden_size: int = 32, batch: int = 16,
                          rng=0, rnn_weight_scale: float = 1.0,
                          keep_gate_bias: float | None = None, cells=CELL_NAMES) -> dict[str, np.ndarray]:
    """``{"RNN": norms, "LSTM": norms, "GRU": norms}`` at PyTorch's default initialisation, same inputs.

    ``rnn_weight_scale`` multiplies the simple RNN's recurrent weights (< 1 to watch the gradient vanish
    faster, > 1 to watch it explode). Each array has ``seq_len`` entries, step 0 first. ``cells`` names the
    curves to return, in that order (a subset of ``"RNN"``, ``"LSTM"``, ``"GRU"``); the inputs and all three
    layers are drawn from ``rng`` whatever it names, so a curve does not depend on which others are asked for.

    At the default initialisation the gates sit near 0.5, so an untrained LSTM or GRU forgets about as
    fast as a simple RNN. ``keep_gate_bias`` (e.g. 3.0) sets the bias of the gate that *keeps* the old
    state - the LSTM's forget gate f, the GRU's update gate z - so that it starts near sigmoid(3) = 0.95:
    the common "forget-gate bias" trick (Jozefowicz et al. 2015), which shows the gated path at work.
    """
    if isinstance(cells, str) or not cells or any(c not in CELL_NAMES for c in cells):
        raise ValueError(f"cells must be a non-empty sequence of names from {CELL_NAMES}, got {cells!r}")
    rng = check_rng(rng)
    seq_len = check_positive_int(seq_len, "seq_len")
    scale = check_positive(rnn_weight_scale, "rnn_weight_scale")
    X = rng.normal(size=(check_positive_int(batch, "batch"), seq_len, check_positive_int(input_size,
                                                                                         "input_size")))
    rnn = RNN(input_size, hidden_size, rng)
    rnn.W_h.value *= scale
    lstm, gru = LSTM(input_size, hidden_size, rng), GRU(input_size, hidden_size, rng)
    if keep_gate_bias is not None:
        H = hidden_size
        for layer in (lstm, gru):                  # f is block 1 of (i, f, g, o); z is block 1 of (r, z, n)
            layer.b_x.value[H:2 * H] = float(keep_gate_bias)
            layer.b_h.value[H:2 * H] = 0.0
    layers = {"RNN": rnn, "LSTM": lstm, "GRU": gru}
    return {name: gradient_norms_through_time(layers[name], X) for name in cells}
