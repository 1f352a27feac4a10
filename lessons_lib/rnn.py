"""The simple recurrent layer of syllabus 2.4 and its training by backpropagation through time (2.4.1).

A recurrent layer reads a batch of sequences ``X`` of shape ``(B, T, D)`` (batch first, as
``torch.nn.RNN(batch_first=True)``) one time step at a time. Its state is its own previous output,
so equation (2.12) reads, for the whole mini-batch at step ``t``::

    Y_t = f(X_t W_x + Y_{t-1} W_h + b)          Y_{-1} = h0 (zeros by default)

We keep two bias vectors ``b_x`` and ``b_h`` (their sum is the single ``b`` of the syllabus) so that the
parameters map one to one onto PyTorch's: ``weight_ih_l0 == W_x.T``, ``weight_hh_l0 == W_h.T``,
``bias_ih_l0 == b_x``, ``bias_hh_l0 == b_h``.

Backpropagation through time (BPTT) is ordinary backpropagation on the network unrolled over the ``T``
steps: the same ``W_h`` is used at every step, so its gradient is a sum of ``T`` contributions, and the
gradient reaching the state ``Y_t`` is whatever the loss sends to it directly *plus* what flows back from
step ``t + 1``. The backward pass is therefore a loop over time run in reverse.

The helpers :func:`steps_gradient` and :func:`loss_on_steps` put a loss on only some of the steps
(equation (2.13) with ignored outputs): ignored steps simply get a zero upstream gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import as_float_array, check_choice, check_positive_int, check_rng
from .module import Module
from .parameter import Parameter, check_float_dtype

__all__ = ["RNN", "NONLINEARITIES", "concatenated_forward", "steps_gradient", "loss_on_steps",
           "check_sequence", "check_state", "as_dtype"]

NONLINEARITIES = ("tanh", "relu")


# ---------------------------------------------------------------------------------------------------
# Argument checks shared by the recurrent layers (RNN, LSTM, GRU)
# ---------------------------------------------------------------------------------------------------
def as_dtype(arr: np.ndarray, name: str, dtype=np.float64) -> np.ndarray:
    """Cast a validated float64 array to a layer's dtype (float64 or float32).

    A value beyond float32's range would silently become inf, so it is reported instead.
    """
    if arr.dtype == dtype:
        return arr
    # errstate turns the cast's overflow warning into an exception we can name the argument in.
    with np.errstate(over="raise"):
        try:
            return arr.astype(dtype)
        except FloatingPointError as exc:
            raise ValueError(f"{name} has values beyond the range of {np.dtype(dtype).name}") from exc


def _validation_dtype(x, dtype):
    """float64 for validation, unless ``x`` already is an array of the layer's dtype (no round trip)."""
    return dtype if isinstance(x, np.ndarray) and x.dtype == dtype else np.float64


def check_sequence(X, input_size: int, name: str = "X", dtype=np.float64) -> np.ndarray:
    """A batch-first sequence ``(B, T, D)`` with ``D == input_size`` and at least one step, as ``dtype``."""
    X = as_float_array(X, name, ndim=3, dtype=_validation_dtype(X, dtype))
    if X.shape[2] != input_size:
        raise ValueError(f"{name} must have {input_size} features (input_size) in its last dimension, "
                         f"got shape {X.shape}")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must have at least one sequence and one time step, got shape {X.shape}")
    return as_dtype(X, name, dtype)


def check_state(state, name: str, batch: int, hidden_size: int, dtype=np.float64) -> np.ndarray:
    """An initial (or final-gradient) state of shape ``(B, H)`` as ``dtype``; ``None`` means zeros."""
    if state is None:
        return np.zeros((batch, hidden_size), dtype=dtype)
    state = as_float_array(state, name, ndim=2, dtype=_validation_dtype(state, dtype))
    if state.shape != (batch, hidden_size):
        raise ValueError(f"{name} must have shape (batch, hidden_size) = {(batch, hidden_size)}, "
                         f"got {state.shape}")
    return as_dtype(state, name, dtype)


def check_upstream(dY, cache: dict, name: str = "dY") -> np.ndarray:
    """The upstream gradient of the outputs must have the outputs' shape ``(B, T, H)``; it is cast to
    the outputs' dtype so that backpropagation stays in the layer's precision."""
    states = cache["states"]
    dY = as_float_array(dY, name, ndim=3, dtype=_validation_dtype(dY, states.dtype))
    if dY.shape != states.shape:
        raise ValueError(f"{name} must have the shape of the layer's output {states.shape}, "
                         f"got {dY.shape}")
    return as_dtype(dY, name, states.dtype)


def uniform_init(rng: np.random.Generator, hidden_size: int, shape) -> np.ndarray:
    """PyTorch's default for every recurrent weight and bias: U(-1/sqrt(H), 1/sqrt(H))."""
    bound = 1.0 / np.sqrt(hidden_size)
    return rng.uniform(-bound, bound, size=shape)


# ---------------------------------------------------------------------------------------------------
# The layer
# ---------------------------------------------------------------------------------------------------
class RNN(Module):
    """A layer of ``hidden_size`` recurrent neurons, equations (2.11)-(2.12).

    Parameters
    ----------
    input_size, hidden_size : int
        ``D`` features in, ``H`` neurons (and state size) out.
    rng : numpy Generator or int
        Source of the initial weights, U(-1/sqrt(H), 1/sqrt(H)) as in PyTorch.
    nonlinearity : {"tanh", "relu"}
        The activation ``f`` of (2.12) (PyTorch offers the same two).
    dtype : np.float64 (default) or np.float32
        Precision of the parameters and of every computation; inputs are cast to it. The weights are
        drawn in float64 from the same random stream either way, then rounded.

    Attributes
    ----------
    W_x : Parameter (D, H)     input weights, ``torch weight_ih_l0.T``
    W_h : Parameter (H, H)     recurrent weights (the syllabus's ``W_ŷ``), ``torch weight_hh_l0.T``
    b_x, b_h : Parameter (H,)  the two biases of PyTorch; only their sum matters
    """

    def __init__(self, input_size: int, hidden_size: int, rng, nonlinearity: str = "tanh",
                 dtype=np.float64):
        rng = check_rng(rng)
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = H = check_positive_int(hidden_size, "hidden_size")
        self.nonlinearity = check_choice(nonlinearity, "nonlinearity", NONLINEARITIES)
        self.dtype = dt = check_float_dtype(dtype)
        self.W_x = Parameter(uniform_init(rng, H, (self.input_size, H)), "W_x", dt)
        self.W_h = Parameter(uniform_init(rng, H, (H, H)), "W_h", dt)
        self.b_x = Parameter(uniform_init(rng, H, (H,)), "b_x", dt)
        self.b_h = Parameter(uniform_init(rng, H, (H,)), "b_h", dt)

    def _f(self, a: np.ndarray, out: np.ndarray) -> np.ndarray:
        if self.nonlinearity == "tanh":
            return np.tanh(a, out=out)
        return np.maximum(a, 0.0, out=out)

    def _f_prime_from_output(self, Y: np.ndarray) -> np.ndarray:
        """f'(a) written with the output y = f(a): tanh' = 1 - y², relu' = [y > 0]."""
        if self.nonlinearity == "tanh":
            return 1.0 - Y * Y
        return (Y > 0).astype(Y.dtype)

    def forward(self, X, h0=None):
        """Run the layer over the whole sequence.

        Returns
        -------
        Y : ndarray (B, T, H)
            The output (= state) at every step.
        cache : dict
            ``states`` (B, T, H) (every step's state, for plots), ``final_state`` (B, H), ``h0`` and
            what :meth:`backward` needs.
        """
        X = check_sequence(X, self.input_size, dtype=self.dtype)
        B, T, _ = X.shape
        h = check_state(h0, "h0", B, self.hidden_size, self.dtype)
        h0 = h
        # Time-major inside the loop so that each step reads a contiguous (B, H) block.
        Xt = X.transpose(1, 0, 2)
        # The input part X_t W_x + b of (2.12) does not depend on the state: one matmul for all steps.
        A = Xt @ self.W_x.value + (self.b_x.value + self.b_h.value)
        states = np.empty((T, B, self.hidden_size), dtype=self.dtype)
        W_h = self.W_h.value
        for t in range(T):
            A[t] += h @ W_h
            h = self._f(A[t], out=states[t])
        Y = states.transpose(1, 0, 2)
        cache = {"X": X, "h0": h0, "states": Y, "final_state": states[-1]}
        return Y, cache

    def _bptt(self, dY, cache: dict, dh_last=None, record: bool = False):
        """The reversed loop over time. Returns ``dA`` (T, B, H), ``dh0`` and, if ``record``, the total
        gradient reaching every state ``dL/dh_t`` (T, B, H)."""
        dY = check_upstream(dY, cache)
        states = cache["states"].transpose(1, 0, 2)          # (T, B, H)
        T, B, H = states.shape
        dh = check_state(dh_last, "dh_last", B, H, self.dtype)
        # f'(a_t) for all steps at once: only the state-to-state product is left inside the loop.
        f_prime = self._f_prime_from_output(states)
        dYt = dY.transpose(1, 0, 2)
        W_hT = np.ascontiguousarray(self.W_h.value.T)   # a contiguous copy multiplies faster
        dA = np.empty((T, B, H), dtype=self.dtype)
        dH = np.empty((T, B, H), dtype=self.dtype) if record else None
        for t in range(T - 1, -1, -1):
            dh = dh + dYt[t]                    # direct loss gradient + what step t+1 sends back
            if record:
                dH[t] = dh
            np.multiply(dh, f_prime[t], out=dA[t])   # through y_t = f(a_t)
            dh = dA[t] @ W_hT                   # a_t = ... + h_{t-1} W_h  ->  dL/dh_{t-1}
        return dA, dh, dH

    def backward(self, dY, cache: dict, dh_last=None):
        """BPTT: returns ``(dX, dh0)`` and adds the gradients of all four parameters into ``.grad``.

        ``dY`` (B, T, H) is the loss gradient of every step's output (zeros for steps the loss ignores,
        see :func:`steps_gradient`); ``dh_last`` (B, H) is an extra gradient on the final state (from a
        decoder that starts from it, for example).
        """
        dA, dh0, _ = self._bptt(dY, cache, dh_last)
        T, B, H = dA.shape
        X = cache["X"]
        states = cache["states"].transpose(1, 0, 2)
        prev = np.concatenate([cache["h0"][None], states[:-1]], axis=0)   # h_{t-1} for every t
        dA2 = dA.reshape(T * B, H)
        # W_x, W_h and b are shared by all steps: their gradients sum the T contributions (one matmul).
        self.W_h.grad += prev.reshape(T * B, H).T @ dA2
        self.W_x.grad += X.transpose(1, 0, 2).reshape(T * B, -1).T @ dA2
        db = dA2.sum(axis=0)
        self.b_x.grad += db
        self.b_h.grad += db
        dX = (dA @ self.W_x.value.T).transpose(1, 0, 2)
        return dX, dh0

    def state_gradients(self, dY, cache: dict, dh_last=None) -> np.ndarray:
        """``dL/dh_t`` (B, T, H) for every step: the gradient flowing back through time (no parameter
        gradients are touched)."""
        _, _, dH = self._bptt(dY, cache, dh_last, record=True)
        return dH.transpose(1, 0, 2)


def torch_state_dict(layer) -> dict[str, np.ndarray]:
    """The parameters of an :class:`RNN`, ``LSTM`` or ``GRU`` under PyTorch's names and in its layout.

    Our weights multiply from the right (``X @ W_x``), PyTorch's from the left, so the weight matrices are
    transposed; the gate blocks are already in PyTorch's order (i, f, g, o and r, z, n). The result loads
    into the matching ``torch.nn`` layer (batch_first=True) after converting each array with
    ``torch.from_numpy``.
    """
    return {"weight_ih_l0": layer.W_x.value.T.copy(), "weight_hh_l0": layer.W_h.value.T.copy(),
            "bias_ih_l0": layer.b_x.value.copy(), "bias_hh_l0": layer.b_h.value.copy()}


def concatenated_forward(rnn: RNN, X, h0=None) -> np.ndarray:
    """The right-hand form of (2.12): ``Y_t = f([X_t, Y_{t-1}] W + b)`` with ``W = [[W_x], [W_h]]``.

    A didactic twin of :meth:`RNN.forward` (one matmul per step with the stacked weight matrix) that
    gives identical outputs; it returns ``Y`` (B, T, H) only.
    """
    X = check_sequence(X, rnn.input_size, dtype=rnn.dtype)
    B, T, _ = X.shape
    h = check_state(h0, "h0", B, rnn.hidden_size, rnn.dtype)
    W = np.vstack([rnn.W_x.value, rnn.W_h.value])          # (D + H, H)
    b = rnn.b_x.value + rnn.b_h.value
    Y = np.empty((B, T, rnn.hidden_size), dtype=rnn.dtype)
    for t in range(T):
        h = rnn._f(np.concatenate([X[:, t], h], axis=1) @ W + b, out=Y[:, t])
    return Y


# ---------------------------------------------------------------------------------------------------
# A loss on only some of the steps (equation (2.13))
# ---------------------------------------------------------------------------------------------------
def _check_steps(steps, seq_len: int) -> np.ndarray:
    seq_len = check_positive_int(seq_len, "seq_len")
    idx = np.asarray(steps)
    if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"steps must be a non-empty 1-D list of integer time steps, got {steps!r}")
    idx = np.where(idx < 0, idx + seq_len, idx)            # allow -2, -1 for "the last two"
    if idx.min() < 0 or idx.max() >= seq_len or len(np.unique(idx)) != idx.size:
        raise ValueError(f"steps must be distinct time steps in [0, {seq_len}), got {steps!r}")
    return idx


def steps_gradient(d_selected, steps: Sequence[int], seq_len: int) -> np.ndarray:
    """Scatter the gradient of the chosen steps into a full ``(B, T, K)`` upstream gradient.

    The steps the loss ignores receive exactly zero, so BPTT sends nothing from them (the syllabus's
    example: five steps, loss on ``steps=[3, 4]`` only). ``d_selected`` has shape ``(B, len(steps), K)``.
    """
    idx = _check_steps(steps, seq_len)
    d_selected = as_float_array(d_selected, "d_selected", ndim=3)
    if d_selected.shape[1] != idx.size:
        raise ValueError(f"d_selected must have len(steps) = {idx.size} steps in its second dimension, "
                         f"got shape {d_selected.shape}")
    B, _, K = d_selected.shape
    dY = np.zeros((B, seq_len, K))
    dY[:, idx] = d_selected
    return dY


def loss_on_steps(loss, outputs, targets, steps: Sequence[int]):
    """Evaluate ``loss`` on the chosen steps only; return ``(value, d_outputs)``.

    Parameters
    ----------
    loss : a loss object of ``losses.py`` (``forward(pred, target) -> (value, cache)``, ``backward``)
    outputs : ndarray (B, T, K)
        Per-step predictions (e.g. a readout of the RNN's states).
    targets : ndarray (B, len(steps), ...)
        Targets of the chosen steps: values for ``MSELoss``, class indices for ``CrossEntropyLoss``.
    steps : list of int
        The time steps that enter the loss; negative indices count from the end.

    The chosen predictions are flattened to ``(B * len(steps), K)`` so the loss is the mean over every
    (sequence, step) pair, as PyTorch computes it on the same flattened tensors.
    """
    outputs = as_float_array(outputs, "outputs", ndim=3)
    B, T, K = outputs.shape
    idx = _check_steps(steps, T)
    targets = np.asarray(targets)
    if targets.shape[:2] != (B, idx.size):
        raise ValueError(f"targets must start with (batch, len(steps)) = {(B, idx.size)}, "
                         f"got shape {targets.shape}")
    pred = outputs[:, idx].reshape(B * idx.size, K)
    value, cache = loss.forward(pred, targets.reshape((B * idx.size,) + targets.shape[2:]))
    d_pred = np.asarray(loss.backward(cache)).reshape(B, idx.size, K)
    return value, steps_gradient(d_pred, idx, T)
