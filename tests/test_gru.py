"""GRU (2.4.3): both reset variants, PyTorch's gate order r, z, n and update h = (1 - z) n + z h."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.activations import sigmoid
from lessons_lib.gradcheck import randomize_parameters, recurrent_gradient_errors
from lessons_lib.gru import GRU
from lessons_lib.rnn import steps_gradient, torch_state_dict

TOL = 1e-7
VARIANTS = ["reset_after", "reset_before"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_bptt_matches_finite_differences_on_a_subset_of_steps(variant):
    rng = np.random.default_rng(0)
    layer = GRU(3, 4, rng, variant=variant)
    randomize_parameters(layer, rng)
    X, h0 = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 4))
    dY = steps_gradient(rng.normal(size=(2, 2, 4)), [3, 4], 5)
    errors = recurrent_gradient_errors(layer, X, h0, dY, rng.normal(size=(2, 4)))
    assert max(errors.values()) <= TOL, errors


@pytest.mark.parametrize("variant", VARIANTS)
def test_single_step_cell_gradient(variant):
    rng = np.random.default_rng(1)
    layer = GRU(2, 3, rng, variant=variant)
    randomize_parameters(layer, rng, scale=1.0)
    errors = recurrent_gradient_errors(layer, rng.normal(size=(3, 1, 2)), rng.normal(size=(3, 3)),
                         rng.normal(size=(3, 1, 3)), np.zeros((3, 3)))
    assert max(errors.values()) <= TOL, errors


@pytest.mark.parametrize("variant", VARIANTS)
def test_gates_follow_the_documented_equations(variant):
    rng = np.random.default_rng(2)
    H = 3
    layer = GRU(2, H, rng, variant=variant)
    randomize_parameters(layer, rng)
    X, h = rng.normal(size=(4, 3, 2)), rng.normal(size=(4, H))
    Y, cache = layer.forward(X, h)
    Wx, Wh, bx, bh = (p.value for p in layer.parameters())
    for t in range(3):
        ax = X[:, t] @ Wx + bx
        ah = h @ Wh + bh
        r = sigmoid(ax[:, :H] + ah[:, :H])
        z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
        if variant == "reset_after":
            n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
        else:
            n = np.tanh(ax[:, 2 * H:] + (r * h) @ Wh[:, 2 * H:] + bh[2 * H:])
        h = (1 - z) * n + z * h
        for name, value in zip("rzn", (r, z, n)):
            np.testing.assert_allclose(cache["gates"][name][:, t], value, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(Y[:, t], h, rtol=1e-13, atol=1e-15)


def test_the_two_variants_differ_with_the_same_weights():
    rng = np.random.default_rng(3)
    a, b = GRU(2, 3, 7), GRU(2, 3, 7, variant="reset_before")
    X, h0 = rng.normal(size=(2, 4, 2)), rng.normal(size=(2, 3))
    np.testing.assert_array_equal(a.W_h.value, b.W_h.value)
    assert not np.allclose(a.forward(X, h0)[0], b.forward(X, h0)[0])


def test_update_gate_one_copies_the_state():
    layer = GRU(1, 2, 0)
    layer.b_x.value[2:4] = 50.0                 # z = sigmoid(50) = 1 up to rounding
    h0 = np.array([[0.3, -0.7]])
    Y, _ = layer.forward(np.ones((1, 4, 1)), h0)
    np.testing.assert_allclose(Y[0], np.repeat(h0, 4, axis=0), atol=1e-12)


def test_matches_torch_gru():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    ours = GRU(3, 5, rng)
    theirs = torch.nn.GRU(3, 5, batch_first=True).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in torch_state_dict(ours).items()})
    X, h0, dY = rng.normal(size=(4, 7, 3)), rng.normal(size=(4, 5)), rng.normal(size=(4, 7, 5))
    Xt, ht = torch.tensor(X, requires_grad=True), torch.tensor(h0[None], requires_grad=True)
    out, _ = theirs(Xt, ht)
    out.backward(torch.from_numpy(dY))
    Y, cache = ours.forward(X, h0)
    dX, dh0 = ours.backward(dY, cache)
    np.testing.assert_allclose(Y, out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dX, Xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(dh0, ht.grad.numpy()[0], atol=1e-12)
    np.testing.assert_allclose(ours.W_h.grad, theirs.weight_hh_l0.grad.numpy().T, atol=1e-11)
    np.testing.assert_allclose(ours.W_x.grad, theirs.weight_ih_l0.grad.numpy().T, atol=1e-11)
    np.testing.assert_allclose(ours.b_h.grad, theirs.bias_hh_l0.grad.numpy(), atol=1e-11)
    np.testing.assert_allclose(ours.b_x.grad, theirs.bias_ih_l0.grad.numpy(), atol=1e-11)


@settings(max_examples=15, deadline=None)
@given(B=st.integers(1, 4), T=st.integers(1, 6), H=st.integers(1, 5), variant=st.sampled_from(VARIANTS))
def test_shapes(B, T, H, variant):
    rng = np.random.default_rng(B * 100 + T * 10 + H)
    layer = GRU(2, H, rng, variant=variant)
    Y, cache = layer.forward(rng.normal(size=(B, T, 2)))
    assert Y.shape == (B, T, H) and all(cache["gates"][k].shape == (B, T, H) for k in "rzn")
    dX, dh0 = layer.backward(np.ones((B, T, H)), cache)
    assert dX.shape == (B, T, 2) and dh0.shape == (B, H)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="variant"):
        GRU(2, 3, 0, variant="keras")
    layer = GRU(2, 3, 0)
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.zeros((2, 2, 2, 2)))
    with pytest.raises(ValueError, match="X"):
        layer.forward(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match="h0"):
        layer.forward(np.zeros((2, 2, 2)), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="rng"):
        GRU(2, 3, rng="seed")
