"""The opt-in float32 path of RNN, LSTM and GRU (and of Parameter).

float64 stays the default (the finite-difference checks in test_rnn/test_lstm/test_gru need it); a layer
built with ``dtype=np.float32`` must compute the same thing to float32 accuracy and never silently fall
back to float64 anywhere in its outputs, caches or gradients.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.gru import GRU
from lessons_lib.lstm import LSTM
from lessons_lib.parameter import Parameter
from lessons_lib.rnn import RNN, concatenated_forward, steps_gradient, torch_state_dict

D, H = 5, 8

# name -> factory(dtype): every recurrent layer and every variant that changes the cell's code path
LAYERS = {
    "rnn_tanh": lambda dtype: RNN(D, H, 7, dtype=dtype),
    "rnn_relu": lambda dtype: RNN(D, H, 7, nonlinearity="relu", dtype=dtype),
    "lstm": lambda dtype: LSTM(D, H, 7, dtype=dtype),
    "gru_reset_after": lambda dtype: GRU(D, H, 7, dtype=dtype),
    "gru_reset_before": lambda dtype: GRU(D, H, 7, variant="reset_before", dtype=dtype),
}


def initial_state(layer, rng, B):
    if isinstance(layer, LSTM):
        return rng.normal(size=(B, H)), rng.normal(size=(B, H))
    return rng.normal(size=(B, H))


def run(layer, X, state0, dY, dlast):
    """Forward + backward; every array the caller can see, flattened into one dict."""
    layer.zero_grad()
    Y, cache = layer.forward(X, state0)
    dX, dstate0 = layer.backward(dY, cache, dlast)
    arrays = {"Y": Y, "dX": dX, "states": cache["states"]}
    final = cache["final_state"] if isinstance(layer, LSTM) else (cache["final_state"],)
    d0 = dstate0 if isinstance(layer, LSTM) else (dstate0,)
    arrays.update({f"final_state{k}": a for k, a in enumerate(final)})
    arrays.update({f"dstate0_{k}": a for k, a in enumerate(d0)})
    arrays.update({f"gate_{g}": a for g, a in cache.get("gates", {}).items()})
    arrays.update({f"grad_{p.name}": p.grad for p in layer.parameters()})
    arrays["state_gradients"] = layer.state_gradients(dY, cache, dlast)
    return arrays


@pytest.mark.parametrize("name", LAYERS)
def test_float32_agrees_with_float64_and_stays_float32(name):
    rng = np.random.default_rng(0)
    B, T = 4, 30
    X = rng.normal(size=(B, T, D))
    dY = steps_gradient(rng.normal(size=(B, 3, H)), [5, 17, -1], T)      # float64, loss on 3 steps
    state0 = initial_state(LAYERS[name](np.float64), rng, B)
    dlast = initial_state(LAYERS[name](np.float64), rng, B)
    ref = run(LAYERS[name](np.float64), X, state0, dY, dlast)
    got = run(LAYERS[name](np.float32), X, state0, dY, dlast)
    assert got.keys() == ref.keys()
    for key, value in got.items():
        assert value.dtype == np.float32, key
        assert ref[key].dtype == np.float64, key
        # float32 rounds weights and inputs to ~6e-8 relative; 30 steps of BPTT amplify that a little.
        err = np.max(np.abs(value - ref[key])) / np.max(np.abs(ref[key]))
        assert err < 1e-5, (key, err)


@pytest.mark.parametrize("name", LAYERS)
def test_float32_weights_are_the_float64_draws_rounded(name):
    for p32, p64 in zip(LAYERS[name](np.float32).parameters(), LAYERS[name](np.float64).parameters()):
        assert p32.value.dtype == p32.grad.dtype == np.float32
        assert p64.value.dtype == p64.grad.dtype == np.float64
        np.testing.assert_array_equal(p32.value, p64.value.astype(np.float32))


def test_float64_is_the_default():
    assert Parameter(np.arange(3)).value.dtype == np.float64
    for layer in (RNN(2, 3, 0), LSTM(2, 3, 0), GRU(2, 3, 0)):
        assert layer.dtype == np.float64
        assert all(p.value.dtype == np.float64 for p in layer.parameters())
        Y, _ = layer.forward(np.ones((1, 2, 2), dtype=np.float32))        # float32 input is upcast
        assert Y.dtype == np.float64


def test_parameter_float32():
    p = Parameter([1, 2, 3], "w", dtype=np.float32)
    assert p.value.dtype == p.grad.dtype == np.float32
    p.grad += np.ones(3)                                                 # float64 added in place
    assert p.grad.dtype == np.float32
    p.zero_grad()
    assert p.grad.dtype == np.float32 and not p.grad.any()


def test_concatenated_form_in_float32():
    X = np.random.default_rng(1).normal(size=(2, 6, D))
    rnn = RNN(D, H, 0, dtype=np.float32)
    Y = concatenated_forward(rnn, X)
    assert Y.dtype == np.float32
    np.testing.assert_allclose(Y, rnn(X), rtol=1e-5, atol=1e-6)


@settings(max_examples=10, deadline=None)
@given(name=st.sampled_from(sorted(LAYERS)), B=st.integers(1, 3), T=st.integers(1, 5),
       in_dtype=st.sampled_from([np.float16, np.float32, np.float64, np.int64]))
def test_any_input_dtype_is_cast_to_the_layer_dtype(name, B, T, in_dtype):
    layer = LAYERS[name](np.float32)
    X = np.random.default_rng(B * 10 + T).normal(size=(B, T, D)).astype(in_dtype)
    Y, cache = layer.forward(X)
    dX, _ = layer.backward(np.ones((B, T, H), dtype=in_dtype), cache)
    assert Y.dtype == dX.dtype == np.float32


@pytest.mark.parametrize("bad", [int, np.int32, np.float16, np.complex128, "float", "nonsense", bool])
def test_bad_dtype_names_the_argument(bad):
    if bad == "float":                   # np.dtype("float") is float64: a legitimate spelling
        assert Parameter([1.0], dtype=bad).value.dtype == np.float64
        return
    with pytest.raises(ValueError, match="dtype"):
        Parameter([1.0], dtype=bad)
    for make in (RNN, LSTM, GRU):
        with pytest.raises(ValueError, match="dtype"):
            make(2, 3, 0, dtype=bad)


def test_values_beyond_float32_range_are_reported_not_turned_into_inf():
    layer = LSTM(D, H, 0, dtype=np.float32)
    X = np.zeros((1, 2, D))
    X[0, 1, 2] = 1e300
    with pytest.raises(ValueError, match="X"):
        layer.forward(X)
    with pytest.raises(ValueError, match="state0"):
        layer.forward(np.zeros((1, 2, D)), (np.full((1, H), -1e40), None))
    _, cache = layer.forward(np.zeros((1, 2, D)))
    with pytest.raises(ValueError, match="dY"):
        layer.backward(np.full((1, 2, H), 1e39), cache)
    rnn = RNN(D, H, 0, dtype=np.float32)
    with pytest.raises(ValueError, match="h0"):
        rnn.forward(np.zeros((1, 2, D)), np.full((1, H), 1e39))


def test_matches_torch_float32_lstm():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    ours = LSTM(D, H, rng, dtype=np.float32)
    theirs = torch.nn.LSTM(D, H, batch_first=True)                       # float32, PyTorch's default
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in torch_state_dict(ours).items()})
    X = rng.normal(size=(3, 12, D)).astype(np.float32)
    dY = rng.normal(size=(3, 12, H)).astype(np.float32)
    Xt = torch.tensor(X, requires_grad=True)
    out, _ = theirs(Xt)
    out.backward(torch.from_numpy(dY))
    Y, cache = ours.forward(X)
    dX, _ = ours.backward(dY, cache)
    np.testing.assert_allclose(Y, out.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.W_h.grad, theirs.weight_hh_l0.grad.numpy().T, rtol=1e-5, atol=1e-5)
