"""The four wirings of 2.4.1, their backward passes, the training loop's divergence report, the demos."""

import numpy as np
import pytest

from lessons_lib.gradcheck import numerical_gradient, randomize_parameters, relative_error
from lessons_lib.seq2seq import (
    DEMO_TARGETS,
    EncoderDecoder,
    SequenceToSequence,
    SequenceToVector,
    VectorToSequence,
    classification_demo,
    forecasting_demo,
    generation_demo,
    make_recurrent,
    reversal_demo,
    train_sequence_model,
)
from lessons_lib.sequences import next_step_windows, standardize, synthetic_series

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
def test_forecasting_demo_reaches_its_target():
    _, history, _ = forecasting_demo()
    assert not history.diverged
    assert history.final_loss < DEMO_TARGETS["forecast"]


def test_classification_demo_reaches_its_target():
    model, history, (X, labels) = classification_demo()
    assert history.final_loss < DEMO_TARGETS["classify"]
    assert np.mean(np.argmax(model(X), axis=1) == labels) > 0.95


@pytest.mark.parametrize("mode", ["repeat", "initial_state"])
def test_generation_demo_reaches_its_target(mode):
    _, history, _ = generation_demo(mode=mode)
    assert history.final_loss < DEMO_TARGETS["generate"]


def test_reversal_demo_reaches_its_target_and_generates_reversed_sequences():
    model, history, (source, target) = reversal_demo()
    assert history.final_loss < DEMO_TARGETS["reverse"]
    rng = np.random.default_rng(99)
    fresh = rng.integers(0, 5, size=(200, 4))
    assert np.mean(model.generate(fresh, 4) == fresh[:, ::-1]) > 0.95
