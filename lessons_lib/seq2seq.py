"""The four ways of wiring a recurrent layer (syllabus 2.4.1) and a small training loop for them.

* :class:`SequenceToSequence` - a readout at every step (forecast the next value at each step).
* :class:`SequenceToVector` - keep only the last step's output (classify a whole sequence).
* :class:`VectorToSequence` - one vector in, a sequence out: the vector is fed at every step
  (``mode="repeat"``) or becomes the initial state (``mode="initial_state"``).
* :class:`EncoderDecoder` - an encoder reads the source sequence into its final state, a decoder starts
  from that state and writes the target sequence (toy translation: reverse a token sequence).

The readout is a :class:`~lessons_lib.layers.Dense` layer shared by all steps (applied to the states
reshaped to ``(B * T, H)``). :func:`train_sequence_model` trains any of them with Adam, optional
gradient clipping, and reports a divergence (non-finite or exploding loss or gradient norm) with the
step at which it happened instead of carrying on with NaN. Each ``*_demo`` function trains one wiring on
its task in a second or so, with simple RNN cells unless told otherwise, and states the loss it reaches
(:data:`DEMO_TARGETS`, with the settings of :data:`DEMO_SETTINGS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._validation import (
    as_float_array,
    check_choice,
    check_nonnegative,
    check_positive,
    check_positive_int,
    check_rng,
)
from .gru import GRU
from .layers import Dense
from .losses import CrossEntropyLoss, MSELoss, get_loss
from .lstm import LSTM
from .module import Module
from .optimizers import Adam, clip_grad_norm
from .rnn import RNN
from .sequences import (
    frequency_classification_task,
    next_step_windows,
    one_hot,
    reverse_task,
    sine_generation_task,
    standardize,
    synthetic_series,
)

__all__ = ["CELLS", "make_recurrent", "SequenceToSequence", "SequenceToVector", "VectorToSequence",
           "EncoderDecoder", "History", "train_sequence_model", "train_truncated_bptt", "echo_task",
           "truncation_demo", "forecasting_demo", "classification_demo",
           "generation_demo", "reversal_demo", "DEMO_TARGETS", "DEMO_SETTINGS", "stack_models", "unstack_models",
           "train_models_together"]

CELLS = {"rnn": RNN, "lstm": LSTM, "gru": GRU}


def make_recurrent(cell: str, input_size: int, hidden_size: int, rng, **kwargs) -> Module:
    """``RNN``, ``LSTM`` or ``GRU`` by name (``"rnn"``, ``"lstm"``, ``"gru"``)."""
    cell = check_choice(str(cell).lower(), "cell", CELLS)
    return CELLS[cell](input_size, hidden_size, rng, **kwargs)


def _readout(dense: Dense, Y: np.ndarray):
    """Apply one Dense layer to every step: (B, T, H) -> (B, T, K)."""
    B, T, H = Y.shape
    out, cache = dense.forward(Y.reshape(B * T, H))
    return out.reshape(B, T, -1), cache


def _readout_backward(dense: Dense, dout: np.ndarray, cache) -> np.ndarray:
    B, T, K = dout.shape
    return dense.backward(dout.reshape(B * T, K), cache).reshape(B, T, -1)


def _zeros_like_state(state):
    return tuple(np.zeros_like(s) for s in state) if isinstance(state, tuple) else np.zeros_like(state)


# ---------------------------------------------------------------------------------------------------
# The four wirings
# ---------------------------------------------------------------------------------------------------
class SequenceToSequence(Module):
    """``(B, T, D) -> (B, T, K)``: the recurrent layer's state at each step goes through a Dense readout."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int, rng, cell: str = "gru", **cell_kw):
        rng = check_rng(rng)
        self.recurrent = make_recurrent(cell, input_size, hidden_size, rng, **cell_kw)
        self.readout = Dense(hidden_size, output_size, rng)

    def forward(self, X, state0=None):
        Y, rcache = self.recurrent.forward(X, state0)
        out, dcache = _readout(self.readout, Y)
        return out, (rcache, dcache)

    def backward(self, dout, cache):
        rcache, dcache = cache
        dY = _readout_backward(self.readout, as_float_array(dout, "dout", ndim=3, finite=False), dcache)
        dX, _ = self.recurrent.backward(dY, rcache)
        return dX


class SequenceToVector(Module):
    """``(B, T, D) -> (B, K)``: only the last step's state is read out; the other outputs are ignored, so
    BPTT starts from a single step (zeros everywhere else in the upstream gradient)."""

    def __init__(self, input_size: int, hidden_size: int, output_size: int, rng, cell: str = "gru", **cell_kw):
        rng = check_rng(rng)
        self.recurrent = make_recurrent(cell, input_size, hidden_size, rng, **cell_kw)
        self.readout = Dense(hidden_size, output_size, rng)

    def forward(self, X, state0=None):
        Y, rcache = self.recurrent.forward(X, state0)
        out, dcache = self.readout.forward(Y[:, -1])
        return out, (rcache, dcache)

    def backward(self, dout, cache):
        rcache, dcache = cache
        dY = np.zeros(rcache["states"].shape)
        dY[:, -1] = self.readout.backward(as_float_array(dout, "dout", ndim=2, finite=False), dcache)
        dX, _ = self.recurrent.backward(dY, rcache)
        return dX


class VectorToSequence(Module):
    """``(B, D) -> (B, seq_len, K)``: generate a sequence from one vector.

    ``mode="repeat"``: the vector is the input at every step. ``mode="initial_state"``: a Dense layer maps
    the vector to the initial state ``h0`` (for an LSTM, ``h0`` and ``c0`` from one Dense of width 2H) and
    the layer then runs on a constant zero input of one feature.
    """

    MODES = ("repeat", "initial_state")

    def __init__(self, input_size: int, hidden_size: int, output_size: int, seq_len: int, rng,
                 cell: str = "gru", mode: str = "repeat", **cell_kw):
        rng = check_rng(rng)
        self.mode = check_choice(mode, "mode", self.MODES)
        self.seq_len = check_positive_int(seq_len, "seq_len")
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        rec_in = input_size if mode == "repeat" else 1
        self.recurrent = make_recurrent(cell, rec_in, hidden_size, rng, **cell_kw)
        self.readout = Dense(hidden_size, output_size, rng)
        if mode == "initial_state":
            width = 2 * hidden_size if isinstance(self.recurrent, LSTM) else hidden_size
            self.to_state = Dense(input_size, width, rng)

    def forward(self, V):
        V = as_float_array(V, "V", ndim=2)
        if V.shape[1] != self.input_size:
            raise ValueError(f"V must have shape (batch, {self.input_size}), got {V.shape}")
        B = V.shape[0]
        scache = None
        if self.mode == "repeat":
            X = np.repeat(V[:, None, :], self.seq_len, axis=1)
            state0 = None
        else:
            X = np.zeros((B, self.seq_len, 1))
            s, scache = self.to_state.forward(V)
            H = self.hidden_size
            state0 = (s[:, :H], s[:, H:]) if isinstance(self.recurrent, LSTM) else s
        Y, rcache = self.recurrent.forward(X, state0)
        out, dcache = _readout(self.readout, Y)
        return out, (rcache, dcache, scache)

    def backward(self, dout, cache):
        rcache, dcache, scache = cache
        dY = _readout_backward(self.readout, as_float_array(dout, "dout", ndim=3, finite=False), dcache)
        dX, dstate0 = self.recurrent.backward(dY, rcache)
        if self.mode == "repeat":
            return dX.sum(axis=1)               # the same vector was used at every step
        ds = np.concatenate(dstate0, axis=1) if isinstance(dstate0, tuple) else dstate0
        return self.to_state.backward(ds, scache)


class EncoderDecoder(Module):
    """Token sequence in, token sequence out, through the encoder's final state.

    Tokens are integers in ``[0, vocab_size)``, fed as one-hot vectors. The decoder is trained with
    *teacher forcing*: its input at step t is the correct token of step t - 1 (a start symbol, index
    ``vocab_size``, at step 0); :meth:`generate` instead feeds back its own greedy predictions.
    """

    def __init__(self, vocab_size: int, hidden_size: int, rng, cell: str = "gru", **cell_kw):
        rng = check_rng(rng)
        self.vocab_size = V = check_positive_int(vocab_size, "vocab_size", minimum=2)
        self.encoder = make_recurrent(cell, V, hidden_size, rng, **cell_kw)
        self.decoder = make_recurrent(cell, V + 1, hidden_size, rng, **cell_kw)
        self.readout = Dense(hidden_size, V, rng)

    def _decoder_inputs(self, target: np.ndarray) -> np.ndarray:
        start = np.full((target.shape[0], 1), self.vocab_size)
        return one_hot(np.concatenate([start, target[:, :-1]], axis=1), self.vocab_size + 1)

    def forward(self, source, target):
        """Teacher-forced logits ``(B, T_target, vocab_size)``."""
        source, target = np.asarray(source), np.asarray(target)
        if source.ndim != 2 or target.ndim != 2 or source.shape[0] != target.shape[0]:
            raise ValueError(f"source and target must be 2-D token arrays with the same batch size, got "
                             f"shapes {source.shape} and {target.shape}")
        _, ecache = self.encoder.forward(one_hot(source, self.vocab_size))
        Y, dec_cache = self.decoder.forward(self._decoder_inputs(target), ecache["final_state"])
        logits, rcache = _readout(self.readout, Y)
        return logits, (ecache, dec_cache, rcache)

    def backward(self, dlogits, cache):
        ecache, dec_cache, rcache = cache
        dY = _readout_backward(self.readout, as_float_array(dlogits, "dlogits", ndim=3, finite=False), rcache)
        _, dstate = self.decoder.backward(dY, dec_cache)
        # The encoder's outputs are unused: its only gradient arrives at its final state.
        self.encoder.backward(np.zeros(ecache["states"].shape), ecache, dstate)
        return None                              # tokens have no gradient

    def generate(self, source, length: int) -> np.ndarray:
        """Greedy decoding: ``(B, length)`` tokens, each step fed the previous prediction."""
        length = check_positive_int(length, "length")
        source = np.asarray(source)
        _, ecache = self.encoder.forward(one_hot(source, self.vocab_size))
        state = ecache["final_state"]
        token = np.full(source.shape[0], self.vocab_size)
        out = np.empty((source.shape[0], length), dtype=np.int64)
        for t in range(length):
            Y, c = self.decoder.forward(one_hot(token, self.vocab_size + 1)[:, None, :], state)
            state = c["final_state"]
            token = out[:, t] = np.argmax(self.readout.forward(Y[:, 0])[0], axis=1)
        return out


# ---------------------------------------------------------------------------------------------------
# Training with divergence reporting
# ---------------------------------------------------------------------------------------------------
@dataclass
class History:
    """What happened during :func:`train_sequence_model`, one entry per optimisation step.

    ``grad_norms`` are the global gradient norms *before* clipping. If training stopped early,
    ``diverged_at`` is the (0-based) step index and ``reason`` says why.
    """

    losses: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    epoch_losses: list[float] = field(default_factory=list)
    diverged_at: int | None = None
    reason: str | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final_loss(self) -> float:
        return self.epoch_losses[-1] if self.epoch_losses else float("nan")


def _loss_and_gradient(loss, out: np.ndarray, target: np.ndarray):
    """Mean loss over every (sequence, step) and its gradient shaped like ``out``."""
    if isinstance(loss, CrossEntropyLoss):
        value, cache = loss.forward(out.reshape(-1, out.shape[-1]), np.asarray(target).reshape(-1))
    else:
        value, cache = loss.forward(out, target)
    return value, np.asarray(loss.backward(cache)).reshape(out.shape)


def _global_norm(params) -> float:
    return math.sqrt(sum(float(np.sum(p.grad * p.grad)) for p in params))


def _guarded_step(model, args: tuple, loss, target, params, opt, clip, explode_threshold, history: History,
                  step: int):
    """One update of ``model`` on one mini-batch (or window), stopping a diverging run with its reason.

    ``model.forward(*args)`` returns ``(out, cache)``. The loss, gradient norm and any divergence are recorded in
    ``history``; returns ``(loss value, cache)``, or ``None`` when the run diverged (``history`` says why).
    """
    model.zero_grad()
    # Overflow is turned into an exception here (not a warning) so a diverging run is reported
    # with its step number instead of spreading NaN through the parameters.
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            out, cache = model.forward(*args)
            value, dout = _loss_and_gradient(loss, out, target)
            if math.isfinite(value):
                model.backward(dout, cache)
                norm = _global_norm(params)
    except FloatingPointError as exc:
        history.diverged_at, history.reason = step, f"numerical overflow ({exc})"
        return None
    history.losses.append(value)
    if not math.isfinite(value):
        history.diverged_at, history.reason = step, f"loss became {value}"
        return None
    history.grad_norms.append(norm)
    # With clipping, a large gradient is expected and tamed below; only a non-finite one stops.
    if not math.isfinite(norm) or (clip is None and norm > explode_threshold):
        history.diverged_at = step
        history.reason = f"gradient norm {norm:.3g} exceeded explode_threshold={explode_threshold:g}"
        return None
    if clip is not None:
        clip_grad_norm(params, clip)
    opt.step()
    return value, cache


def train_sequence_model(model: Module, inputs, targets, loss="mse", *, rng, epochs: int = 10,
                         batch_size: int = 32, lr: float = 1e-2, clip: float | None = None,
                         explode_threshold: float = 1e6, optimizer=None) -> History:
    """Mini-batch training of a wiring with Adam (or ``optimizer``), shuffling with ``rng``.

    Parameters
    ----------
    model : a wiring whose ``forward(*inputs)`` returns ``(out, cache)``
    inputs : array or tuple of arrays
        Passed positionally to ``forward`` after slicing the batch (a tuple for ``EncoderDecoder``,
        whose inputs are ``(source, target)``).
    targets : array
        Targets of the same leading size; class indices for ``"cross_entropy"``.
    clip : float, optional
        Clip the global gradient norm to this value (:func:`~lessons_lib.optimizers.clip_grad_norm`).
    explode_threshold : float
        Training stops, and :class:`History` says at which step, as soon as the loss or the gradient norm
        is not finite or - without ``clip`` - the gradient norm exceeds this value (an exploding
        gradient). Arithmetic overflow anywhere in the step is caught and reported the same way.
    """
    rng = check_rng(rng)
    loss = get_loss(loss)
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    targets = np.asarray(targets)
    n = targets.shape[0]
    for i, arr in enumerate(inputs):
        if np.asarray(arr).shape[0] != n:
            raise ValueError(f"inputs[{i}] must have {n} examples like targets, got {np.asarray(arr).shape[0]}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    explode_threshold = check_positive(explode_threshold, "explode_threshold")
    if clip is not None:
        clip = check_positive(clip, "clip")
    params = model.parameters()
    opt = optimizer if optimizer is not None else Adam(params, lr=lr)
    history = History()
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        total, count = 0.0, 0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            batch = tuple(np.asarray(a)[idx] for a in inputs)
            done = _guarded_step(model, batch, loss, targets[idx], params, opt, clip,
                                 explode_threshold, history, step)
            if done is None:
                return history
            value, _ = done
            total += value * len(idx)
            count += len(idx)
            step += 1
        history.epoch_losses.append(total / count)
    return history


def _check_window(window) -> int:
    if isinstance(window, (bool, np.bool_)) or not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer number of time steps, got {window!r}")
    return int(window)


def train_truncated_bptt(model: SequenceToSequence, inputs, targets, loss="mse", *, window: int, rng,
                         epochs: int = 10, batch_size: int = 32, lr: float = 1e-2, clip: float | None = None,
                         explode_threshold: float = 1e6, optimizer=None) -> History:
    """Truncated backpropagation through time: train on long sequences ``window`` steps at a time.

    Each mini-batch of sequences is cut into consecutive chunks of ``window`` steps (the last one may be
    shorter). The forward pass of a chunk starts from the state in which the previous chunk ended, so the
    network still reads every sequence from its first step; but the backward pass of a chunk stops at the
    chunk's first step - no gradient crosses a chunk boundary - and the parameters are updated after every
    chunk. This is the simplest form of truncated BPTT (Williams and Peng 1990 also let the gradient reach
    further back than one update moves forward). One backward pass keeps ``window`` states in memory instead
    of ``T``, and the updates come ``ceil(T / window)`` times as often; but no gradient connects an output to
    an input ``window`` or more steps before it, so the network cannot learn to *store* what it will need
    that far ahead (it can only learn to use whatever its state happens to carry across the boundary).
    With ``window >= T`` this is ordinary BPTT and gives exactly what :func:`train_sequence_model` gives.

    Parameters
    ----------
    model : SequenceToSequence
        Its recurrent layer's final state is carried from chunk to chunk (for an LSTM, ``(h, c)``).
    inputs : ndarray (N, T, D)
    targets : ndarray (N, T, K), or (N, T) class indices for ``"cross_entropy"``
    window : int
        The number of steps the gradient may travel back (and the length of a chunk).
    rng, epochs, batch_size, lr, clip, explode_threshold, optimizer
        As in :func:`train_sequence_model`; a chunk is one optimisation step.

    Returns
    -------
    History
        One entry of ``losses`` and ``grad_norms`` per chunk; ``epoch_losses`` is the mean loss over every
        (sequence, step) pair of the epoch, each chunk's loss weighted by its length.
    """
    if not isinstance(model, SequenceToSequence):
        raise ValueError(f"model must be a SequenceToSequence (a target at every step), got "
                         f"{type(model).__name__}")
    window = _check_window(window)
    rng = check_rng(rng)
    loss = get_loss(loss)
    inputs = as_float_array(inputs, "inputs", ndim=3)
    targets = np.asarray(targets)
    n, T = inputs.shape[:2]
    if targets.shape[:2] != (n, T):
        raise ValueError(f"targets must start with the (N, T) = {(n, T)} of inputs, got shape {targets.shape}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    explode_threshold = check_positive(explode_threshold, "explode_threshold")
    if clip is not None:
        clip = check_positive(clip, "clip")
    params = model.parameters()
    opt = optimizer if optimizer is not None else Adam(params, lr=lr)
    history = History()
    step = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            x_batch, y_batch = inputs[idx], targets[idx]
            state = None                                  # every sequence starts from the zero state
            for first in range(0, T, window):
                last = min(first + window, T)
                # The backward pass ends at step `first`: the gradient of the incoming state is dropped,
                # so nothing flows into the previous window.
                done = _guarded_step(model, (x_batch[:, first:last], state), loss,
                                     y_batch[:, first:last], params, opt, clip, explode_threshold, history,
                                     step)
                if done is None:
                    return history
                value, cache = done
                state = cache[0]["final_state"]          # carried forward, computed before this update
                total += value * len(idx) * ((last - first) / T)
                step += 1
        history.epoch_losses.append(total / n)
    return history


def echo_task(n: int, seq_len: int, delay: int, rng):
    """The delayed echo: at every step, output the input of ``delay`` steps earlier.

    Inputs are random signs, ``X`` (n, seq_len, 1) with values -1 and +1; the target of step ``t`` is
    ``X[:, t - delay]``, and 0 for the first ``delay`` steps (nothing to echo yet). Predicting 0 everywhere
    gives an MSE of about ``1 - delay / seq_len``; a network that has learned the echo gets close to 0. A
    network can learn it only if the gradient can travel ``delay`` steps back.
    """
    rng = check_rng(rng)
    n = check_positive_int(n, "n")
    seq_len = check_positive_int(seq_len, "seq_len")
    delay = check_positive_int(delay, "delay")
    if delay >= seq_len:
        raise ValueError(f"delay must be shorter than seq_len = {seq_len}, got {delay}")
    X = rng.choice([-1.0, 1.0], size=(n, seq_len, 1))
    Y = np.zeros_like(X)
    Y[:, delay:] = X[:, :-delay]
    return X, Y


def truncation_demo(windows=(4, 8, 32), delay: int = 6, seeds=range(5), *, n: int = 64, seq_len: int = 32,
                    hidden_size: int = 16, epochs: int = 30, lr: float = 0.02) -> dict[int, list[float]]:
    """The trade-off of truncated BPTT on :func:`echo_task`: the final training MSE for every window and seed.

    For each seed, one data set and one initial simple tanh RNN (``SequenceToSequence`` with ``cell="rnn"``,
    ``hidden_size`` neurons) are trained with :func:`train_truncated_bptt` once per window, from the same
    initial weights and with the same shuffling, so the window is the only difference. Returns
    ``{window: [final epoch MSE of each seed]}``. Windows longer than ``delay`` should learn the echo
    (MSE near 0); windows of ``delay`` steps or fewer cannot (MSE near ``1 - delay / seq_len``).
    """
    windows = [_check_window(w) for w in windows]
    seeds = list(seeds)
    if not windows or not seeds:
        raise ValueError("windows and seeds must each hold at least one entry")
    finals: dict[int, list[float]] = {w: [] for w in windows}
    for seed in seeds:
        X, Y = echo_task(n, seq_len, delay, rng=seed)
        for w in windows:
            model = SequenceToSequence(1, hidden_size, 1, rng=seed, cell="rnn")
            history = train_truncated_bptt(model, X, Y, MSELoss(), window=w, rng=seed, epochs=epochs,
                                           batch_size=32, lr=lr)
            finals[w].append(history.final_loss)
    return finals


# ---------------------------------------------------------------------------------------------------
# One small task per wiring; each trains in a few seconds to the loss stated in DEMO_TARGETS
# ---------------------------------------------------------------------------------------------------
DEMO_TARGETS = {
    "forecast": 0.06,        # MSE of the next-step forecast on a standardised series (variance 1)
    "classify": 0.15,        # cross-entropy of slow-vs-fast sine classification (chance: 0.69)
    "generate": 0.02,        # MSE of generated sines (the targets' variance is about 0.3)
    "reverse": 0.15,         # per-token cross-entropy of sequence reversal (chance: log 5 = 1.61)
}

_FORECAST = {"hidden_size": 16, "epochs": 20, "lr": 0.01}
_CLASSIFY_SHORT = {"n": 1024, "seq_len": 20, "noise": 0.2, "hidden_size": 16, "epochs": 30, "lr": 0.002}
_CLASSIFY_GRU = {"n": 512, "seq_len": 30, "noise": 0.2, "hidden_size": 16, "epochs": 10, "lr": 0.01}
_GENERATE_GATED = {"n": 512, "hidden_size": 24, "epochs": 20, "lr": 0.01}
_REVERSE = {"n": 1024, "hidden_size": 32, "epochs": 15, "lr": 0.01}

#: The settings each demo uses for each cell unless told otherwise: ``DEMO_SETTINGS[demo][cell]``.
#: The simple RNN (the demos' default cell) reaches every target in :data:`DEMO_TARGETS` on every seed we
#: tried (``tests/test_claims_2_4_1.py`` checks ten), but on two tasks only with more updates and a smaller
#: learning rate than the GRU needs. The slow-or-fast classifier gets twice the examples, three times the
#: epochs, a fifth of the learning rate and sequences of 20 steps instead of 30: with the GRU's settings it
#: misses the target for most seeds, and with these settings but 30 steps a seed now and then still stays at
#: chance (0.69). The LSTM's classifier also stays at chance for some seeds with the GRU's settings (2.4.3's
#: race shows it), so it shares the simple RNN's. The sine generator of the simple RNN gets twice the examples
#: and the epochs and half the learning rate. The GRU keeps the settings that were every cell's before, and
#: ``lessons_lib.views.gru.training_race`` uses them for all three cells.
DEMO_SETTINGS = {
    "forecast": {cell: dict(_FORECAST) for cell in CELLS},
    "classify": {"rnn": dict(_CLASSIFY_SHORT), "lstm": dict(_CLASSIFY_SHORT), "gru": dict(_CLASSIFY_GRU)},
    "generate": {"rnn": {"n": 1024, "hidden_size": 24, "epochs": 40, "lr": 0.005},
                 "lstm": dict(_GENERATE_GATED), "gru": dict(_GENERATE_GATED)},
    "reverse": {cell: dict(_REVERSE) for cell in CELLS},
}


def _demo_settings(demo: str, cell: str, **given) -> tuple[str, dict]:
    """The checked cell name and ``DEMO_SETTINGS[demo][cell]`` with every argument that is not None put in."""
    cell = check_choice(str(cell).lower(), "cell", CELLS)
    settings = dict(DEMO_SETTINGS[demo][cell])
    settings.update({k: v for k, v in given.items() if v is not None})
    for key in ("n", "seq_len", "hidden_size", "epochs"):
        if key in settings:
            settings[key] = check_positive_int(settings[key], key)
    settings["lr"] = check_positive(settings["lr"], "lr")
    if "noise" in settings:
        settings["noise"] = check_nonnegative(settings["noise"], "noise")
    return cell, settings


def forecasting_demo(rng=0, cell: str = "rnn", epochs: int | None = None, *, hidden_size: int | None = None,
                     lr: float | None = None):
    """Sequence-to-sequence: predict the next value of a noisy seasonal series at every step.

    Arguments left at None take the cell's value in :data:`DEMO_SETTINGS` (the same for every cell here).
    Returns ``(model, history, (X, Y))``; the final epoch's MSE is below ``DEMO_TARGETS["forecast"]``.
    """
    rng = check_rng(rng)
    cell, s = _demo_settings("forecast", cell, epochs=epochs, hidden_size=hidden_size, lr=lr)
    series, _, _ = standardize(synthetic_series(600, rng, trend=0.002, period=16, noise=0.1))
    X, Y = next_step_windows(series, 24)
    model = SequenceToSequence(1, s["hidden_size"], 1, rng, cell=cell)
    history = train_sequence_model(model, X, Y, MSELoss(), rng=rng, epochs=s["epochs"], batch_size=32,
                                   lr=s["lr"])
    return model, history, (X, Y)


def classification_demo(rng=0, cell: str = "rnn", epochs: int | None = None, *, n: int | None = None,
                        seq_len: int | None = None, noise: float | None = None, hidden_size: int | None = None,
                        lr: float | None = None):
    """Sequence-to-vector: classify noisy sine waves as slow or fast from the last state only.

    ``n`` sequences of ``seq_len`` steps of :func:`~lessons_lib.sequences.frequency_classification_task`, with
    Gaussian ``noise``;
    arguments left at None take the cell's value in :data:`DEMO_SETTINGS`. Returns
    ``(model, history, (X, labels))``; the final epoch's cross-entropy is below ``DEMO_TARGETS["classify"]``.
    """
    rng = check_rng(rng)
    cell, s = _demo_settings("classify", cell, epochs=epochs, n=n, seq_len=seq_len, noise=noise,
                             hidden_size=hidden_size, lr=lr)
    X, labels = frequency_classification_task(s["n"], s["seq_len"], rng, noise=s["noise"])
    model = SequenceToVector(1, s["hidden_size"], 2, rng, cell=cell)
    history = train_sequence_model(model, X, labels, CrossEntropyLoss(), rng=rng, epochs=s["epochs"],
                                   batch_size=32, lr=s["lr"])
    return model, history, (X, labels)


def generation_demo(rng=0, cell: str = "rnn", epochs: int | None = None, mode: str = "repeat", *,
                    n: int | None = None, hidden_size: int | None = None, lr: float | None = None):
    """Vector-to-sequence: turn ``(amplitude, frequency)`` into the 20-step sine wave it describes.

    ``n`` examples of :func:`~lessons_lib.sequences.sine_generation_task`; arguments left at None take the
    cell's value in :data:`DEMO_SETTINGS`. Returns ``(model, history, (V, Y))``; the final epoch's MSE is
    below ``DEMO_TARGETS["generate"]``.
    """
    rng = check_rng(rng)
    cell, s = _demo_settings("generate", cell, epochs=epochs, n=n, hidden_size=hidden_size, lr=lr)
    V, Y = sine_generation_task(s["n"], 20, rng)
    model = VectorToSequence(2, s["hidden_size"], 1, 20, rng, cell=cell, mode=mode)
    history = train_sequence_model(model, V, Y, MSELoss(), rng=rng, epochs=s["epochs"], batch_size=32,
                                   lr=s["lr"])
    return model, history, (V, Y)


def reversal_demo(rng=0, cell: str = "rnn", epochs: int | None = None, length: int = 4, vocab_size: int = 5, *,
                  n: int | None = None, hidden_size: int | None = None, lr: float | None = None):
    """Encoder-decoder: read tokens, write them back in reverse order (teacher forcing).

    ``n`` sequences of :func:`~lessons_lib.sequences.reverse_task`; arguments left at None take the cell's
    value in :data:`DEMO_SETTINGS` (the same for every cell here). Returns ``(model, history, (source,
    target))``; the final epoch's per-token cross-entropy is below ``DEMO_TARGETS["reverse"]``.
    """
    rng = check_rng(rng)
    cell, s = _demo_settings("reverse", cell, epochs=epochs, n=n, hidden_size=hidden_size, lr=lr)
    source, target = reverse_task(s["n"], length, vocab_size, rng)
    model = EncoderDecoder(vocab_size, s["hidden_size"], rng, cell=cell)
    history = train_sequence_model(model, (source, target), target, CrossEntropyLoss(), rng=rng,
                                   epochs=s["epochs"], batch_size=32, lr=s["lr"])
    return model, history, (source, target)


# ---------------------------------------------------------------------------------------------------
# Several seeds in one run: independent copies of a wiring trained side by side
# ---------------------------------------------------------------------------------------------------
_STACKABLE = (SequenceToSequence, SequenceToVector, VectorToSequence)


def _cell_name(layer) -> str:
    return next(name for name, cls in CELLS.items() if type(layer) is cls)


def _cell_kwargs(layer) -> dict:
    kw = {"dtype": layer.dtype}
    if isinstance(layer, RNN):
        kw["nonlinearity"] = layer.nonlinearity
    if isinstance(layer, GRU):
        kw["variant"] = layer.variant
    return kw


def _blocks(model) -> list[tuple[str, int]]:
    """``(attribute, number of column blocks)`` of each layer of a wiring: a recurrent layer's columns are
    its gate blocks (1 for the RNN, 3 for the GRU, 4 for the LSTM), the readout's are one block."""
    rec = model.recurrent
    return [("recurrent", rec.W_h.value.shape[1] // rec.hidden_size), ("readout", 1)]


def _block_slices(k: int, n_members: int, rows: int, width: int, n_blocks: int):
    """Where member ``k``'s block ``j`` sits in the stacked array: member rows ``k*rows...``, and in block
    ``j`` of the columns the member's ``width`` columns ``j*K*width + k*width...``."""
    row = slice(k * rows, (k + 1) * rows)
    cols = [slice(j * n_members * width + k * width, j * n_members * width + (k + 1) * width)
            for j in range(n_blocks)]
    return row, cols


def _copy_blocks(members, stacked, n_blocks: int, to_stacked: bool, masks=None) -> None:
    """Copy every parameter of the layers ``members`` into (or out of) the block-diagonal ``stacked`` layer."""
    K = len(members)
    for p_big, *p_small in zip(stacked.parameters(), *(m.parameters() for m in members)):
        mask = None if masks is None else masks.setdefault(id(p_big), np.zeros(p_big.value.shape, bool))
        for k, p in enumerate(p_small):
            width = p.value.shape[-1] // n_blocks
            rows = p.value.shape[0] if p.value.ndim == 2 else 0
            row, cols = _block_slices(k, K, rows, width, n_blocks)
            for j, col in enumerate(cols):
                src = slice(j * width, (j + 1) * width)
                index = (row, col) if p.value.ndim == 2 else (col,)
                small = (slice(None), src) if p.value.ndim == 2 else (src,)
                if to_stacked:
                    p_big.value[index] = p.value[small]
                    if mask is not None:
                        mask[index] = True
                else:
                    p.value[small] = p_big.value[index]


def stack_models(models):
    """One wiring that computes the independent ``models`` side by side, and its parameter masks.

    Every member must be of the same wiring class (``SequenceToSequence``, ``SequenceToVector`` or
    ``VectorToSequence`` with ``mode="repeat"``) with the same cell, sizes and options. The stacked model
    has ``K`` times the inputs, units and outputs of one member (``K = len(models)``); its weights are
    block-diagonal, so member ``k``'s inputs (features ``k*D...``) reach only its own units and outputs
    (``k*O...``). A gated layer keeps its gate blocks side by side: the columns of gate ``j`` hold every
    member's units of that gate in turn. The zeros between the blocks must stay zero during training: ``masks`` maps
    ``id(parameter)`` of the stacked model to a boolean array of the entries that belong to a member.

    Parameters
    ----------
    models : list of wirings

    Returns
    -------
    stacked : Module
    masks : dict[int, ndarray of bool]
    """
    models = list(models)
    if not models:
        raise ValueError("models must hold at least one model")
    first = models[0]
    if not isinstance(first, _STACKABLE) or getattr(first, "mode", "repeat") != "repeat":
        raise ValueError(f"models must be SequenceToSequence, SequenceToVector or VectorToSequence (with "
                         f"mode='repeat'), got {type(first).__name__}")
    sig = _signature(first)
    for i, m in enumerate(models[1:], start=1):
        if _signature(m) != sig:
            raise ValueError(f"models must all have the same wiring, cell and sizes; models[{i}] differs from "
                             f"models[0]")
    K = len(models)
    rec = first.recurrent
    cell, kw = _cell_name(rec), _cell_kwargs(rec)
    D, H, O = rec.input_size, rec.hidden_size, first.readout.out_features
    if isinstance(first, VectorToSequence):
        D = first.input_size
        stacked = VectorToSequence(K * D, K * H, K * O, first.seq_len, 0, cell=cell, mode="repeat", **kw)
    else:
        stacked = type(first)(K * D, K * H, K * O, 0, cell=cell, **kw)
    masks: dict[int, np.ndarray] = {}
    for p in stacked.parameters():
        p.value[...] = 0.0
    for attr, n_blocks in _blocks(first):
        _copy_blocks([getattr(m, attr) for m in models], getattr(stacked, attr), n_blocks, True, masks)
    return stacked, masks


def _signature(model) -> tuple:
    rec = model.recurrent
    sig = (type(model), _cell_name(rec), tuple(sorted(_cell_kwargs(rec).items(), key=str)), rec.input_size,
           rec.hidden_size, model.readout.out_features)
    if isinstance(model, VectorToSequence):
        sig += (model.mode, model.seq_len, model.input_size)
    return sig


def unstack_models(stacked, models) -> None:
    """Copy the trained weights of ``stacked`` (from :func:`stack_models`) back into the ``models``."""
    models = list(models)
    for attr, n_blocks in _blocks(models[0]):
        _copy_blocks([getattr(m, attr) for m in models], getattr(stacked, attr), n_blocks, False)


def train_models_together(models, inputs, targets, loss="mse", *, rngs, epochs: int = 10,
                          batch_size: int = 32, lr: float = 1e-2) -> list[History]:
    """Train several independent models as one batched run; the same as training each in turn.

    ``train_models_together(models, inputs, targets, rngs=rngs)`` gives, up to rounding, what
    ``[train_sequence_model(m, x, y, rng=r) for m, x, y, r in zip(models, inputs, targets, rngs)]`` gives
    (Adam, no clipping), in less time than separate runs for small models (about half, for ten 8-unit
    LSTMs; for wider layers the block-diagonal products cost more than they save): the members are
    stacked into one block-diagonal model (:func:`stack_models`), each member's mini-batch is drawn from
    its own data in the order its own ``rng`` shuffles it, and each member's loss is differentiated on its
    own outputs only, so Adam, which works element by element, updates each member exactly as if it were
    alone. Use it to run one experiment over many seeds.

    Parameters
    ----------
    models : list of wirings (see :func:`stack_models`)
        Trained in place: their parameters hold the trained weights afterwards.
    inputs, targets : lists of arrays, one per model
        Each member's training data; all members must have the same number of examples.
    loss : str or loss object
    rngs : list of numpy Generators or int seeds, one per model
        Each shuffles its member's data, exactly as ``train_sequence_model(..., rng=...)`` does.

    Returns
    -------
    list of History
        One per model, with ``losses`` and ``epoch_losses`` (``grad_norms`` is left empty).

    Raises
    ------
    FloatingPointError
        If a member's loss stops being finite: the members share arithmetic, so a diverging member would
        spoil the others; train such runs one at a time with :func:`train_sequence_model`.
    """
    models = list(models)
    inputs, targets, rngs = list(inputs), list(targets), list(rngs)
    K = len(models)
    for name, seq in (("inputs", inputs), ("targets", targets), ("rngs", rngs)):
        if len(seq) != K:
            raise ValueError(f"{name} must hold one entry per model ({K}), got {len(seq)}")
    rngs = [check_rng(r) for r in rngs]
    loss = get_loss(loss)
    inputs = [as_float_array(x, f"inputs[{k}]") for k, x in enumerate(inputs)]
    targets = [np.asarray(y) for y in targets]
    n = targets[0].shape[0]
    for k in range(K):
        if inputs[k].shape[0] != n or targets[k].shape[0] != n:
            raise ValueError(f"inputs[{k}] and targets[{k}] must have {n} examples like targets[0], got "
                             f"{inputs[k].shape[0]} and {targets[k].shape[0]}")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    stacked, masks = stack_models(models)
    params = stacked.parameters()
    param_masks = [masks[id(p)] for p in params]
    opt = Adam(params, lr=check_positive(lr, "lr"))
    O = models[0].readout.out_features
    histories = [History() for _ in range(K)]
    for _ in range(epochs):
        orders = [r.permutation(n) for r in rngs]
        totals = np.zeros(K)
        for start in range(0, n, batch_size):
            idx = [order[start:start + batch_size] for order in orders]
            batch = np.concatenate([x[i] for x, i in zip(inputs, idx)], axis=-1)
            stacked.zero_grad()
            out, cache = stacked.forward(batch)
            dout = np.empty_like(out)
            for k in range(K):
                part = (..., slice(k * O, (k + 1) * O))
                value, dout[part] = _loss_and_gradient(loss, out[part], targets[k][idx[k]])
                if not math.isfinite(value):
                    raise FloatingPointError(f"member {k} diverged (loss {value}) at step "
                                             f"{len(histories[k].losses)}")
                histories[k].losses.append(value)
                totals[k] += value * len(idx[k])
            stacked.backward(dout, cache)
            for p, mask in zip(params, param_masks):
                p.grad *= mask
            opt.step()
        for k in range(K):
            histories[k].epoch_losses.append(totals[k] / n)
    unstack_models(stacked, models)
    return histories
