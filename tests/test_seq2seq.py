"""The four wirings of 2.4.1, their backward passes, the training loop's divergence report, the demos."""

import numpy as np
import pytest

from lessons_lib.gradcheck import numerical_gradient, randomize_parameters, relative_error
from lessons_lib.losses import CrossEntropyLoss
from lessons_lib.seq2seq import (
    CELLS,
    DEMO_SETTINGS,
    DEMO_TARGETS,
    EncoderDecoder,
    SequenceToSequence,
    SequenceToVector,
    VectorToSequence,
    classification_demo,
    echo_task,
    forecasting_demo,
    generation_demo,
    make_recurrent,
    reversal_demo,
    stack_models,
    train_models_together,
    train_sequence_model,
    train_truncated_bptt,
    truncation_demo,
    unstack_models,
)
from lessons_lib.sequences import (
    frequency_classification_task,
    next_step_windows,
    standardize,
    synthetic_series,
)

TOL = 1e-7


def wiring_errors(model, inputs, rng, input_grad=True):
    out, cache = model.forward(*inputs)
    u = rng.normal(size=out.shape)
    model.zero_grad()
    dx = model.backward(u, cache)

    def loss():
        return float(np.sum(u * model.forward(*inputs)[0]))
    errors = {f"{i}:{p.name}": relative_error(p.grad, numerical_gradient(loss, p.value))
              for i, p in enumerate(model.parameters())}
    if input_grad:
        errors["input"] = relative_error(dx, numerical_gradient(loss, inputs[0]))
    return errors


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_sequence_to_sequence_gradient(cell):
    rng = np.random.default_rng(0)
    model = SequenceToSequence(2, 3, 2, rng, cell=cell)
    randomize_parameters(model, rng)
    errors = wiring_errors(model, (rng.normal(size=(2, 4, 2)),), rng)
    assert max(errors.values()) <= TOL, errors


def test_sequence_to_vector_gradient_and_shape():
    rng = np.random.default_rng(1)
    model = SequenceToVector(2, 3, 4, rng, cell="lstm")
    randomize_parameters(model, rng)
    X = rng.normal(size=(3, 5, 2))
    assert model.forward(X)[0].shape == (3, 4)
    errors = wiring_errors(model, (X,), rng)
    assert max(errors.values()) <= TOL, errors


@pytest.mark.parametrize(("cell", "mode"), [("gru", "repeat"), ("lstm", "initial_state"),
                                            ("rnn", "initial_state")])
def test_vector_to_sequence_gradient(cell, mode):
    rng = np.random.default_rng(2)
    model = VectorToSequence(2, 3, 1, 4, rng, cell=cell, mode=mode)
    randomize_parameters(model, rng)
    V = rng.normal(size=(3, 2))
    assert model.forward(V)[0].shape == (3, 4, 1)
    errors = wiring_errors(model, (V,), rng)
    assert max(errors.values()) <= TOL, errors


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_encoder_decoder_gradient_reaches_the_encoder(cell):
    rng = np.random.default_rng(3)
    model = EncoderDecoder(3, 4, rng, cell=cell)
    randomize_parameters(model, rng)
    source, target = rng.integers(0, 3, size=(2, 4)), rng.integers(0, 3, size=(2, 3))
    errors = wiring_errors(model, (source, target), rng, input_grad=False)
    assert max(errors.values()) <= TOL, errors
    assert np.any(model.encoder.W_h.grad != 0)
    assert model.generate(source, 3).shape == (2, 3)


def test_make_recurrent_and_bad_input():
    assert type(make_recurrent("LSTM", 2, 3, 0)).__name__ == "LSTM"
    with pytest.raises(ValueError, match="cell"):
        make_recurrent("transformer", 2, 3, 0)
    with pytest.raises(ValueError, match="mode"):
        VectorToSequence(2, 3, 1, 4, 0, mode="broadcast")
    with pytest.raises(ValueError, match="V"):
        VectorToSequence(2, 3, 1, 4, 0).forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="source"):
        EncoderDecoder(3, 4, 0).forward(np.zeros((2, 4), dtype=int), np.zeros((3, 4), dtype=int))
    model = SequenceToSequence(1, 2, 1, 0)
    with pytest.raises(ValueError, match="inputs"):
        train_sequence_model(model, np.zeros((4, 3, 1)), np.zeros((5, 3, 1)), rng=0)
    with pytest.raises(ValueError, match="clip"):
        train_sequence_model(model, np.zeros((4, 3, 1)), np.zeros((4, 3, 1)), rng=0, clip=0)


# ------------------------------------------------------------------------------------------------
# Exploding gradients are reported, and clipping tames them
# ------------------------------------------------------------------------------------------------
def exploding_setup(scale, seq_len=40):
    rng = np.random.default_rng(0)
    series, _, _ = standardize(synthetic_series(300, rng))
    X, Y = next_step_windows(series, seq_len)
    model = SequenceToSequence(1, 16, 1, 0, cell="rnn", nonlinearity="relu")
    model.recurrent.W_h.value[...] = scale * np.eye(16)     # every step multiplies the state by `scale`
    return model, X, Y


def test_exploding_gradient_is_reported_with_its_step():
    model, X, Y = exploding_setup(1.1)
    history = train_sequence_model(model, X, Y, rng=1, epochs=5, explode_threshold=1e4)
    assert history.diverged and history.diverged_at == 0
    assert "gradient norm" in history.reason and "explode_threshold" in history.reason
    assert history.grad_norms[-1] > 1e4
    assert all(np.all(np.isfinite(p.value)) for p in model.parameters())    # no step was taken


def test_overflow_is_reported_not_warned():
    model, X, Y = exploding_setup(3.0, seq_len=290)          # 3**290 overflows float64
    history = train_sequence_model(model, X, Y, rng=1, epochs=1)
    assert history.diverged_at == 0 and "overflow" in history.reason


def test_clipping_lets_the_same_network_train():
    model, X, Y = exploding_setup(1.1)
    history = train_sequence_model(model, X, Y, rng=1, epochs=5, clip=1.0, explode_threshold=1e4)
    assert not history.diverged
    assert max(history.grad_norms) > 1e4                      # norms are recorded before clipping
    assert history.epoch_losses[-1] < 0.5 < history.epoch_losses[0]


# ------------------------------------------------------------------------------------------------
# Each wiring trains to its stated loss in a few seconds
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_forecasting_demo_reaches_its_target(cell):
    _, history, _ = forecasting_demo(cell=cell)
    assert not history.diverged
    assert history.final_loss < DEMO_TARGETS["forecast"]


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_classification_demo_reaches_its_target(cell):
    model, history, (X, labels) = classification_demo(cell=cell)
    assert X.shape == (DEMO_SETTINGS["classify"][cell]["n"], DEMO_SETTINGS["classify"][cell]["seq_len"], 1)
    assert history.final_loss < DEMO_TARGETS["classify"]
    assert np.mean(np.argmax(model(X), axis=1) == labels) > 0.95


@pytest.mark.parametrize("cell, mode", [("rnn", "repeat"), ("rnn", "initial_state"), ("gru", "repeat"),
                                        ("gru", "initial_state"), ("lstm", "repeat")])
def test_generation_demo_reaches_its_target(cell, mode):
    _, history, _ = generation_demo(cell=cell, mode=mode)
    assert history.final_loss < DEMO_TARGETS["generate"]


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_reversal_demo_reaches_its_target_and_generates_reversed_sequences(cell):
    model, history, (source, target) = reversal_demo(cell=cell)
    assert history.final_loss < DEMO_TARGETS["reverse"]
    rng = np.random.default_rng(99)
    fresh = rng.integers(0, 5, size=(200, 4))
    assert np.mean(model.generate(fresh, 4) == fresh[:, ::-1]) > 0.95


def test_demos_use_simple_rnn_cells_unless_told_otherwise():
    for demo in (forecasting_demo, classification_demo, generation_demo, reversal_demo):
        model = demo(epochs=1)[0]
        layers = [model.encoder, model.decoder] if isinstance(model, EncoderDecoder) else [model.recurrent]
        assert all(type(layer).__name__ == "RNN" for layer in layers)


def test_demo_settings_name_every_cell_and_arguments_override_them():
    assert set(DEMO_SETTINGS) == set(DEMO_TARGETS)
    assert all(set(by_cell) == set(CELLS) for by_cell in DEMO_SETTINGS.values())
    model, history, (X, labels) = classification_demo(rng=1, epochs=2, n=40, seq_len=7, hidden_size=3)
    assert X.shape == (40, 7, 1) and len(history.epoch_losses) == 2 and model.recurrent.hidden_size == 3
    _, history, (V, Y) = generation_demo(rng=1, cell="gru", epochs=1, n=33)
    assert V.shape == (33, 2) and len(history.epoch_losses) == 1


def test_gated_cells_keep_the_settings_every_cell_had_before():
    # classification_demo(cell="gru") is, bit for bit, the demo as it was before the simple RNN got its own
    # settings: 512 sequences of 30 steps, 16 units, 10 epochs, Adam with lr 0.01.
    _, history, (X, labels) = classification_demo(rng=5, cell="gru", epochs=2)
    rng = np.random.default_rng(5)
    X_old, labels_old = frequency_classification_task(512, 30, rng)
    model = SequenceToVector(1, 16, 2, rng, cell="gru")
    old = train_sequence_model(model, X_old, labels_old, CrossEntropyLoss(), rng=rng, epochs=2, batch_size=32,
                               lr=0.01)
    np.testing.assert_array_equal(X, X_old)
    assert history.epoch_losses == old.epoch_losses


def test_demos_check_their_arguments():
    with pytest.raises(ValueError, match="cell"):
        forecasting_demo(cell="transformer")
    with pytest.raises(ValueError, match="lr"):
        classification_demo(lr=-1.0)
    with pytest.raises(ValueError, match="epochs"):
        generation_demo(epochs=0)
    with pytest.raises(ValueError, match="seq_len"):
        classification_demo(seq_len=0)
    with pytest.raises(ValueError, match="noise"):
        classification_demo(noise=-0.1)
    with pytest.raises(ValueError, match="n"):
        reversal_demo(n=0)


# ---------------------------------------------------------------------------------------------------
# Several seeds in one batched run
# ---------------------------------------------------------------------------------------------------
def _members(kind, cell, k, rng_seed=0):
    """``k`` small models of one wiring with their own data and rngs (as a demo would draw them)."""
    models, inputs, targets, rngs = [], [], [], []
    for seed in range(rng_seed, rng_seed + k):
        rng = np.random.default_rng(seed)
        if kind == "s2v":
            X, Y = rng.normal(size=(24, 5, 2)), rng.normal(size=(24, 3))
            model = SequenceToVector(2, 4, 3, rng, cell=cell)
        elif kind == "s2s":
            X, Y = rng.normal(size=(24, 5, 2)), rng.normal(size=(24, 5, 1))
            model = SequenceToSequence(2, 4, 1, rng, cell=cell)
        else:
            X, Y = rng.normal(size=(24, 2)), rng.normal(size=(24, 6, 1))
            model = VectorToSequence(2, 4, 1, 6, rng, cell=cell)
        models.append(model)
        inputs.append(X)
        targets.append(Y)
        rngs.append(rng)
    return models, inputs, targets, rngs


@pytest.mark.parametrize("kind", ["s2v", "s2s", "v2s"])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_training_together_equals_training_one_at_a_time(kind, cell):
    alone, x1, y1, r1 = _members(kind, cell, 3)
    together, x2, y2, r2 = _members(kind, cell, 3)
    expected = [train_sequence_model(m, x, y, "mse", rng=r, epochs=3, batch_size=8, lr=0.01)
                for m, x, y, r in zip(alone, x1, y1, r1)]
    got = train_models_together(together, x2, y2, "mse", rngs=r2, epochs=3, batch_size=8, lr=0.01)
    for e, g, ma, mt in zip(expected, got, alone, together):
        np.testing.assert_allclose(g.epoch_losses, e.epoch_losses, rtol=1e-10)
        np.testing.assert_allclose(g.losses, e.losses, rtol=1e-10)
        for pa, pt in zip(ma.parameters(), mt.parameters()):
            np.testing.assert_allclose(pt.value, pa.value, rtol=1e-9, atol=1e-12)


def test_training_together_with_cross_entropy_matches_too():

    def build():
        out = []
        for seed in (3, 4):
            rng = np.random.default_rng(seed)
            X, labels = rng.normal(size=(16, 4, 1)), rng.integers(0, 2, size=16)
            out.append((SequenceToVector(1, 3, 2, rng, cell="gru"), X, labels, rng))
        return out
    expected = [train_sequence_model(m, x, y, "cross_entropy", rng=r, epochs=2, batch_size=4).epoch_losses
                for m, x, y, r in build()]
    members = build()
    models, inputs, targets, rngs = (list(col) for col in zip(*members))
    got = train_models_together(models, inputs, targets, "cross_entropy", rngs=rngs, epochs=2, batch_size=4)
    np.testing.assert_allclose([h.epoch_losses for h in got], expected, rtol=1e-10)


def test_stacked_model_computes_the_members_side_by_side_and_keeps_its_zeros():
    models, inputs, targets, rngs = _members("s2s", "lstm", 3)
    stacked, masks = stack_models(models)
    out, _ = stacked.forward(np.concatenate(inputs, axis=-1))
    for k, (m, x) in enumerate(zip(models, inputs)):
        np.testing.assert_allclose(out[..., k:k + 1], m(x), rtol=1e-12, atol=1e-14)
    # four gate blocks of 3 members x 4 units: member 1's forget-gate block sits at columns 16-19
    assert stacked.recurrent.W_h.value.shape == (12, 48)
    np.testing.assert_array_equal(stacked.recurrent.W_h.value[4:8, 16:20], models[1].recurrent.W_h.value[:, 4:8])
    assert not masks[id(stacked.recurrent.W_h)][0:4, 16:20].any()
    # unstacking changed copies gives them back to the members
    for p in stacked.parameters():
        p.value += 1.0
    unstack_models(stacked, models)
    np.testing.assert_allclose(models[2].readout.b.value, stacked.readout.b.value[2:3])
    # after training the entries outside the blocks are still exactly zero
    models, inputs, targets, rngs = _members("s2v", "gru", 2)
    train_models_together(models, inputs, targets, rngs=rngs, epochs=1, batch_size=8)
    stacked, masks = stack_models(models)
    for p in stacked.parameters():
        assert np.all(p.value[~masks[id(p)]] == 0)


def test_stack_and_train_together_reject_bad_input():
    with pytest.raises(ValueError, match="models"):
        stack_models([])
    with pytest.raises(ValueError, match="models"):
        stack_models([EncoderDecoder(3, 4, 0)])
    with pytest.raises(ValueError, match="models"):
        stack_models([VectorToSequence(2, 4, 1, 5, 0, mode="initial_state")])
    with pytest.raises(ValueError, match=r"models\[1\]"):
        stack_models([SequenceToVector(2, 4, 1, 0), SequenceToVector(2, 5, 1, 0)])
    with pytest.raises(ValueError, match=r"models\[1\]"):
        stack_models([SequenceToVector(2, 4, 1, 0, cell="gru"), SequenceToVector(2, 4, 1, 0, cell="lstm")])
    models, inputs, targets, rngs = _members("s2v", "rnn", 2)
    with pytest.raises(ValueError, match="rngs"):
        train_models_together(models, inputs, targets, rngs=rngs[:1])
    with pytest.raises(ValueError, match=r"inputs\[1\]"):
        train_models_together(models, [inputs[0], inputs[1][:10]], targets, rngs=rngs)
    with pytest.raises(ValueError, match="epochs"):
        train_models_together(models, inputs, targets, rngs=rngs, epochs=0)


# ------------------------------------------------------------------------------------------------
# Truncated BPTT
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_truncated_bptt_with_a_full_window_is_ordinary_bptt(cell):
    X, Y = echo_task(40, 12, 3, rng=0)
    histories, weights = [], []
    for window in (None, 12, 50):
        model = SequenceToSequence(1, 5, 1, rng=1, cell=cell)
        if window is None:
            h = train_sequence_model(model, X, Y, rng=2, epochs=3, batch_size=16, clip=1.0)
        else:
            h = train_truncated_bptt(model, X, Y, window=window, rng=2, epochs=3, batch_size=16, clip=1.0)
        histories.append(h)
        weights.append([p.value.copy() for p in model.parameters()])
    for h, w in zip(histories[1:], weights[1:]):
        assert h.losses == histories[0].losses and h.epoch_losses == histories[0].epoch_losses
        assert h.grad_norms == histories[0].grad_norms
        assert all(np.array_equal(a, b) for a, b in zip(w, weights[0]))


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_truncated_bptt_carries_the_state_and_stops_the_gradient_at_the_chunk(cell):
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(4, 10, 2)), rng.normal(size=(4, 10, 1))
    model = SequenceToSequence(2, 3, 1, rng=4, cell=cell)
    randomize_parameters(model, rng)
    before = [p.value.copy() for p in model.parameters()]
    recorded = []

    class Recorder:                      # an optimizer that records the gradients and changes nothing
        def step(self):
            recorded.append([p.grad.copy() for p in model.parameters()])

    history = train_truncated_bptt(model, X, Y, window=4, rng=5, epochs=1, batch_size=4, optimizer=Recorder())
    assert len(recorded) == len(history.losses) == 3                     # chunks of 4, 4 and 2 steps
    # The loss of each chunk is that of the full forward pass on its steps: the state was carried.
    order = np.random.default_rng(5).permutation(4)
    out, _ = model.forward(X[order])
    for k, (first, last) in enumerate([(0, 4), (4, 8), (8, 10)]):
        assert np.isclose(history.losses[k], np.mean((out[:, first:last] - Y[order][:, first:last]) ** 2))
    # The gradient of the second chunk is that of its loss with the incoming state held fixed.
    _, cache = model.recurrent.forward(X[order][:, :4])
    state = cache["final_state"]
    x2, y2 = X[order][:, 4:8], Y[order][:, 4:8]

    def chunk_loss():
        return float(np.mean((model.forward(x2, state)[0] - y2) ** 2))
    for p, g in zip(model.parameters(), recorded[1]):
        assert relative_error(g, numerical_gradient(chunk_loss, p.value)) <= TOL
    assert all(np.array_equal(a, p.value) for a, p in zip(before, model.parameters()))
    assert history.epoch_losses[0] == pytest.approx(np.mean((out - Y[order]) ** 2))


def test_truncated_bptt_reports_divergence_like_the_ordinary_loop():
    model, X, Y = exploding_setup(1.1)
    history = train_truncated_bptt(model, X, Y, window=X.shape[1], rng=1, epochs=5, explode_threshold=1e4)
    assert history.diverged_at == 0 and "explode_threshold" in history.reason
    # A short window keeps the first gradients small, but the forward pass still carries the growing state
    # from chunk to chunk, so the run is stopped later, and with its step number.
    model, X, Y = exploding_setup(1.1)
    history = train_truncated_bptt(model, X, Y, window=4, rng=1, epochs=1, explode_threshold=1e4)
    assert history.grad_norms[0] < 1e3 and history.diverged_at > 0
    assert len(history.losses) == history.diverged_at + 1


def test_echo_task():
    X, Y = echo_task(50, 9, 4, rng=0)
    assert X.shape == Y.shape == (50, 9, 1)
    assert set(np.unique(X)) == {-1.0, 1.0}
    assert np.all(Y[:, :4] == 0) and np.array_equal(Y[:, 4:], X[:, :5])
    with pytest.raises(ValueError, match="delay"):
        echo_task(5, 4, 4, rng=0)
    with pytest.raises(ValueError, match="seq_len"):
        echo_task(5, 0, 1, rng=0)


def test_truncation_demo_learns_the_echo_only_through_windows_longer_than_the_delay():
    finals = truncation_demo(windows=(3, 8), delay=5, seeds=(0, 1), n=64, seq_len=24, epochs=30)
    assert set(finals) == {3, 8} and all(len(v) == 2 for v in finals.values())
    chance = 1 - 5 / 24
    assert all(v > 0.7 * chance for v in finals[3])          # nothing connects an output to its source
    assert all(v < 0.1 for v in finals[8])


def test_truncated_bptt_rejects_bad_input():
    X, Y = echo_task(8, 6, 2, rng=0)
    model = SequenceToSequence(1, 3, 1, rng=0, cell="rnn")
    for bad in (0, -2, 2.5, True, None):
        with pytest.raises(ValueError, match="window"):
            train_truncated_bptt(model, X, Y, window=bad, rng=0)
    with pytest.raises(ValueError, match="model"):
        train_truncated_bptt(SequenceToVector(1, 3, 1, rng=0), X, Y, window=2, rng=0)
    with pytest.raises(ValueError, match="targets"):
        train_truncated_bptt(model, X, Y[:, :4], window=2, rng=0)
    with pytest.raises(ValueError, match="inputs"):
        train_truncated_bptt(model, X[0], Y, window=2, rng=0)
    with pytest.raises(ValueError, match="windows"):
        truncation_demo(windows=())
