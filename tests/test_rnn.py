"""Simple recurrent layer (2.4, (2.11)-(2.12)), BPTT (2.4.1), losses on a subset of steps, gradient
flow through time."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.gradcheck import numerical_gradient, randomize_parameters, recurrent_gradient_errors, relative_error
from lessons_lib.losses import MSELoss
from lessons_lib.rnn import RNN, concatenated_forward, loss_on_steps, steps_gradient, torch_state_dict
from lessons_lib.through_time import compare_gradient_flow, gradient_norms_through_time

TOL = 1e-7


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_bptt_matches_finite_differences_with_loss_on_last_two_of_five_steps(nonlinearity):
    rng = np.random.default_rng(0)
    layer = RNN(3, 4, rng, nonlinearity=nonlinearity)
    randomize_parameters(layer, rng)
    X, h0 = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4))
    dY = steps_gradient(rng.normal(size=(2, 2, 4)), [3, 4], 5)     # the syllabus's example
    errors = recurrent_gradient_errors(layer, X, h0, dY, rng.normal(size=(2, 4)))
    assert max(errors.values()) <= TOL, errors


def test_single_step_cell_gradient():
    rng = np.random.default_rng(1)
    layer = RNN(2, 3, rng)
    randomize_parameters(layer, rng)
    errors = recurrent_gradient_errors(layer, rng.normal(size=(4, 1, 2)), rng.normal(size=(4, 3)),
                         rng.normal(size=(4, 1, 3)), np.zeros((4, 3)))
    assert max(errors.values()) <= TOL, errors


def test_known_values_by_hand():
    layer = RNN(1, 1, 0)
    layer.W_x.value[...] = 0.5
    layer.W_h.value[...] = -1.0
    layer.b_x.value[...] = 0.1
    layer.b_h.value[...] = 0.2
    Y, cache = layer.forward(np.array([[[1.0], [2.0]]]))
    y0 = np.tanh(0.5 * 1.0 + 0.3)               # the previous output is 0 at the first step
    y1 = np.tanh(0.5 * 2.0 - y0 + 0.3)
    np.testing.assert_allclose(Y[0, :, 0], [y0, y1], rtol=1e-15)
    np.testing.assert_allclose(cache["states"], Y)
    np.testing.assert_allclose(cache["final_state"], Y[:, -1])


def test_parameters_shapes_and_pytorch_default_init_range():
    layer = RNN(8, 64, np.random.default_rng(3))
    assert [p.name for p in layer.parameters()] == ["W_x", "W_h", "b_x", "b_h"]
    assert layer.W_x.shape == (8, 64) and layer.W_h.shape == (64, 64) and layer.b_x.shape == (64,)
    for p in layer.parameters():
        assert np.all(np.abs(p.value) <= 1 / 8)
    assert np.std(layer.W_h.value) == pytest.approx((1 / 8) / np.sqrt(3), rel=0.05)


def test_concatenated_form_of_equation_2_12_gives_identical_outputs():
    rng = np.random.default_rng(4)
    for nl in ("tanh", "relu"):
        layer = RNN(3, 5, rng, nonlinearity=nl)
        X, h0 = rng.normal(size=(4, 6, 3)), rng.normal(size=(4, 5))
        np.testing.assert_allclose(concatenated_forward(layer, X, h0), layer.forward(X, h0)[0],
                                   rtol=1e-13, atol=1e-14)


def test_gradients_accumulate_over_backward_calls():
    rng = np.random.default_rng(5)
    layer = RNN(2, 3, rng)
    X, dY = rng.normal(size=(2, 4, 2)), rng.normal(size=(2, 4, 3))
    _, cache = layer.forward(X)
    layer.backward(dY, cache)
    once = layer.W_h.grad.copy()
    layer.backward(dY, cache)
    np.testing.assert_allclose(layer.W_h.grad, 2 * once)


def test_ignored_steps_send_no_gradient():
    rng = np.random.default_rng(6)
    layer = RNN(2, 3, rng)
    X = rng.normal(size=(2, 5, 2))
    Y, cache = layer.forward(X)
    targets = rng.normal(size=(2, 2, 3))
    value, dY = loss_on_steps(MSELoss(), Y, targets, [-2, -1])
    assert value == pytest.approx(np.mean((Y[:, 3:] - targets) ** 2))
    assert np.all(dY[:, :3] == 0) and np.any(dY[:, 3:] != 0)
    # Changing the input at the last step cannot affect outputs 0-2, and the loss ignores them anyway:
    # the gradient w.r.t. X at step 4 comes from step 4 only, w.r.t. steps 0-2 only through time.
    dX, _ = layer.backward(dY, cache)

    def loss():
        return loss_on_steps(MSELoss(), layer.forward(X)[0], targets, [3, 4])[0]
    assert relative_error(dX, numerical_gradient(loss, X)) <= TOL


def test_steps_gradient_bad_input():
    with pytest.raises(ValueError, match="steps"):
        steps_gradient(np.zeros((1, 1, 2)), [5], 5)
    with pytest.raises(ValueError, match="steps"):
        steps_gradient(np.zeros((1, 2, 2)), [1, 1], 5)
    with pytest.raises(ValueError, match="d_selected"):
        steps_gradient(np.zeros((1, 3, 2)), [0, 1], 5)


def test_matches_torch_rnn_forward_and_backward():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    for nl in ("tanh", "relu"):
        ours = RNN(3, 5, rng, nonlinearity=nl)
        theirs = torch.nn.RNN(3, 5, nonlinearity=nl, batch_first=True).double()
        theirs.load_state_dict({k: torch.from_numpy(v) for k, v in torch_state_dict(ours).items()})
        X, h0, dY = rng.normal(size=(4, 7, 3)), rng.normal(size=(4, 5)), rng.normal(size=(4, 7, 5))
        Xt = torch.tensor(X, requires_grad=True)
        ht = torch.tensor(h0[None], requires_grad=True)
        out, h_last = theirs(Xt, ht)
        out.backward(torch.from_numpy(dY))
        Y, cache = ours.forward(X, h0)
        dX, dh0 = ours.backward(dY, cache)
        np.testing.assert_allclose(Y, out.detach().numpy(), atol=1e-12)
        np.testing.assert_allclose(cache["final_state"], h_last.detach().numpy()[0], atol=1e-12)
        np.testing.assert_allclose(dX, Xt.grad.numpy(), atol=1e-12)
        np.testing.assert_allclose(dh0, ht.grad.numpy()[0], atol=1e-12)
        np.testing.assert_allclose(ours.W_h.grad, theirs.weight_hh_l0.grad.numpy().T, atol=1e-11)
        np.testing.assert_allclose(ours.W_x.grad, theirs.weight_ih_l0.grad.numpy().T, atol=1e-11)
        np.testing.assert_allclose(ours.b_h.grad, theirs.bias_hh_l0.grad.numpy(), atol=1e-11)


@settings(max_examples=15, deadline=None)
@given(B=st.integers(1, 4), T=st.integers(1, 6), D=st.integers(1, 4), H=st.integers(1, 5))
def test_shapes(B, T, D, H):
    rng = np.random.default_rng(B * 1000 + T * 100 + D * 10 + H)
    layer = RNN(D, H, rng)
    Y, cache = layer.forward(rng.normal(size=(B, T, D)))
    assert Y.shape == cache["states"].shape == (B, T, H)
    dX, dh0 = layer.backward(np.ones((B, T, H)), cache)
    assert dX.shape == (B, T, D) and dh0.shape == (B, H)
    assert np.all(np.isfinite(dX))


def test_bad_input_names_the_argument():
    layer = RNN(3, 4, 0)
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.zeros((2, 3)))                    # missing the time axis
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.zeros((2, 5, 2)))                 # 2 features, input_size is 3
    with pytest.raises(ValueError, match="h0"):
        layer.forward(np.zeros((2, 5, 3)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="nonlinearity"):
        RNN(3, 4, 0, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="hidden_size"):
        RNN(3, 0, 0)
    _, cache = layer.forward(np.zeros((2, 5, 3)))
    with pytest.raises(ValueError, match="dY"):
        layer.backward(np.zeros((2, 4, 4)), cache)
    with pytest.raises(ValueError, match="dh_last"):
        layer.backward(np.zeros((2, 5, 4)), cache, np.zeros((2, 5)))


# ------------------------------------------------------------------------------------------------
# Gradient through time
# ------------------------------------------------------------------------------------------------
def test_state_gradients_match_finite_differences_of_the_states():
    rng = np.random.default_rng(8)
    layer = RNN(2, 3, rng)
    randomize_parameters(layer, rng)
    X = rng.normal(size=(1, 4, 2))
    Y, cache = layer.forward(X)
    dY = np.zeros_like(Y)
    dY[:, -1] = 1.0
    dH = layer.state_gradients(dY, cache)
    # dL/dh_0 is the gradient w.r.t. the initial state of the run that starts one step later.
    h0 = Y[:, 0].copy()

    def loss():
        return float(np.sum(layer.forward(X[:, 1:], h0)[0][:, -1]))
    np.testing.assert_allclose(dH[:, 0], numerical_gradient(loss, h0), rtol=1e-7, atol=1e-10)


def test_simple_rnn_gradient_vanishes_with_distance_for_small_weights():
    rng = np.random.default_rng(9)
    layer = RNN(2, 8, rng)
    layer.W_h.value *= 0.3
    norms = gradient_norms_through_time(layer, rng.normal(size=(4, 20, 2)))
    assert norms.shape == (20,)
    assert norms[-1] == pytest.approx(np.sqrt(8))
    assert np.all(np.diff(norms) > 0)                     # smaller and smaller going back in time
    assert norms[0] < 1e-6 * norms[-1]


def test_compare_gradient_flow_returns_one_curve_per_layer():
    flows = compare_gradient_flow(seq_len=30, hidden_size=16, batch=4, rng=0, keep_gate_bias=3.0)
    assert set(flows) == {"RNN", "LSTM", "GRU"}
    assert all(v.shape == (30,) and np.all(np.isfinite(v)) for v in flows.values())
    # With a large keep-gate bias the gated layers carry far more gradient 30 steps back.
    assert flows["LSTM"][0] > 1e3 * flows["RNN"][0]
    assert flows["GRU"][0] > 1e3 * flows["RNN"][0]
    exploding = compare_gradient_flow(seq_len=30, hidden_size=16, batch=4, rng=0, rnn_weight_scale=4.0)
    assert exploding["RNN"][0] > exploding["RNN"][-1]
