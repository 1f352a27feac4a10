"""LSTM (2.4.2): gates i, f, g, o in PyTorch's order, BPTT through h and c, PyTorch cross-check."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.activations import sigmoid
from lessons_lib.gradcheck import randomize_parameters, recurrent_gradient_errors
from lessons_lib.lstm import LSTM
from lessons_lib.rnn import steps_gradient, torch_state_dict

TOL = 1e-7


def test_bptt_matches_finite_differences_on_a_subset_of_steps_with_nonzero_state():
    rng = np.random.default_rng(0)
    layer = LSTM(3, 4, rng)
    randomize_parameters(layer, rng)
    X = rng.normal(size=(2, 5, 3))
    state0 = (rng.normal(size=(2, 4)), rng.normal(size=(2, 4)))
    dY = steps_gradient(rng.normal(size=(2, 2, 4)), [3, 4], 5)
    errors = recurrent_gradient_errors(layer, X, state0, dY, (rng.normal(size=(2, 4)), rng.normal(size=(2, 4))))
    assert max(errors.values()) <= TOL, errors


def test_single_step_cell_gradient():
    rng = np.random.default_rng(1)
    layer = LSTM(2, 3, rng)
    randomize_parameters(layer, rng, scale=1.0)
    state0 = (rng.normal(size=(3, 3)), rng.normal(size=(3, 3)))
    errors = recurrent_gradient_errors(layer, rng.normal(size=(3, 1, 2)), state0, rng.normal(size=(3, 1, 3)),
                         (np.zeros((3, 3)), rng.normal(size=(3, 3))))
    assert max(errors.values()) <= TOL, errors


def test_gates_and_states_follow_the_lstm_equations():
    rng = np.random.default_rng(2)
    H = 4
    layer = LSTM(3, H, rng)
    randomize_parameters(layer, rng)
    X = rng.normal(size=(2, 3, 3))
    h, c = rng.normal(size=(2, H)), rng.normal(size=(2, H))
    Y, cache = layer.forward(X, (h, c))
    for t in range(3):
        a = X[:, t] @ layer.W_x.value + layer.b_x.value + h @ layer.W_h.value + layer.b_h.value
        i, f, g, o = (sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]),
                      sigmoid(a[:, 3 * H:]))
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip("ifgo", (i, f, g, o)):
            np.testing.assert_allclose(cache["gates"][name][:, t], value, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(cache["cells"][:, t], c, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(Y[:, t], h, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(cache["final_state"][0], h, rtol=1e-13)
    np.testing.assert_allclose(cache["final_state"][1], c, rtol=1e-13)


def test_sigmoid_gates_never_overflow_or_warn_for_huge_preactivations():
    layer = LSTM(1, 2, 0)
    Y, cache = layer.forward(np.array([[[1e6], [-1e6]]]))
    assert np.all(np.isfinite(Y))
    assert set(np.unique(np.round(cache["gates"]["i"], 12))) <= {0.0, 1.0}


def test_matches_torch_lstm():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    ours = LSTM(3, 5, rng)
    theirs = torch.nn.LSTM(3, 5, batch_first=True).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in torch_state_dict(ours).items()})
    X, h0, c0 = rng.normal(size=(4, 7, 3)), rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    dY = rng.normal(size=(4, 7, 5))
    Xt = torch.tensor(X, requires_grad=True)
    ht, ct = torch.tensor(h0[None], requires_grad=True), torch.tensor(c0[None], requires_grad=True)
    out, (h_last, c_last) = theirs(Xt, (ht, ct))
    out.backward(torch.from_numpy(dY))
    Y, cache = ours.forward(X, (h0, c0))
    dX, (dh0, dc0) = ours.backward(dY, cache)
    np.testing.assert_allclose(Y, out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(cache["final_state"][1], c_last.detach().numpy()[0], atol=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(dh0, ht.grad.numpy()[0], atol=1e-12)
    np.testing.assert_allclose(dc0, ct.grad.numpy()[0], atol=1e-12)
    np.testing.assert_allclose(ours.W_h.grad, theirs.weight_hh_l0.grad.numpy().T, atol=1e-11)
    np.testing.assert_allclose(ours.W_x.grad, theirs.weight_ih_l0.grad.numpy().T, atol=1e-11)
    np.testing.assert_allclose(ours.b_x.grad, theirs.bias_ih_l0.grad.numpy(), atol=1e-11)


def test_parameter_layout():
    layer = LSTM(8, 16, 0)
    assert [p.shape for p in layer.parameters()] == [(8, 64), (16, 64), (64,), (64,)]
    assert all(np.all(np.abs(p.value) <= 0.25) for p in layer.parameters())


@settings(max_examples=15, deadline=None)
@given(B=st.integers(1, 4), T=st.integers(1, 6), D=st.integers(1, 4), H=st.integers(1, 5))
def test_shapes(B, T, D, H):
    rng = np.random.default_rng(B * 1000 + T * 100 + D * 10 + H)
    layer = LSTM(D, H, rng)
    Y, cache = layer.forward(rng.normal(size=(B, T, D)))
    assert Y.shape == cache["cells"].shape == (B, T, H)
    assert all(cache["gates"][k].shape == (B, T, H) for k in "ifgo")
    dX, (dh0, dc0) = layer.backward(np.ones((B, T, H)), cache)
    assert dX.shape == (B, T, D) and dh0.shape == dc0.shape == (B, H)


def test_bad_input_names_the_argument():
    layer = LSTM(3, 4, 0)
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match="state0"):
        layer.forward(np.zeros((2, 5, 3)), np.zeros((2, 4)))          # not a pair (h0, c0)
    with pytest.raises(ValueError, match="state0"):
        layer.forward(np.zeros((2, 5, 3)), (np.zeros((2, 4)), np.zeros((2, 3))))
    _, cache = layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="dY"):
        layer.backward(np.zeros((2, 5, 3)), cache)
