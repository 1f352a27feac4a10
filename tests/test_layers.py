"""Dense and ActivationLayer: gradient checks, known values, PyTorch's Linear, shapes and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.gradcheck import check_vjp
from lessons_lib.layers import ActivationLayer, Dense


def test_dense_known_values():
    d = Dense(2, 3, rng=0)
    d.W.value[...] = [[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]]
    d.b.value[...] = [0.5, -0.5, 0.0]
    out = d(np.array([[1.0, 1.0], [0.0, 2.0]]))
    np.testing.assert_allclose(out, [[3.5, 0.5, -0.5], [4.5, 1.5, 1.0]])


def test_dense_gradcheck_with_nonzero_bias():
    rng = np.random.default_rng(0)
    d = Dense(4, 3, rng=rng)
    assert np.all(d.b.value != 0)
    x = rng.normal(size=(5, 4))
    up = rng.normal(size=(5, 3))
    out, cache = d.forward(x)
    dx = d.backward(up, cache)
    errs = check_vjp(lambda: d.forward(x)[0], {"x": dx, "W": d.W.grad, "b": d.b.grad},
                     {"x": x, "W": d.W.value, "b": d.b.value}, up)
    assert max(errs.values()) < 1e-7, errs


def test_gradients_accumulate():
    rng = np.random.default_rng(1)
    d = Dense(3, 2, rng=rng)
    x, up = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    _, cache = d.forward(x)
    d.backward(up, cache)
    once = d.W.grad.copy()
    d.backward(up, cache)
    np.testing.assert_allclose(d.W.grad, 2 * once)


def test_bias_initialisation_rules():
    d = Dense(16, 200, rng=0)  # PyTorch's Linear: bias ~ U(-1/4, 1/4)
    assert np.all(np.abs(d.b.value) <= 0.25) and d.b.value.std() > 0.1
    assert np.all(np.abs(d.W.value) <= 0.25)
    for init in ("glorot_uniform", "he_normal", "normal"):
        assert np.all(Dense(16, 8, rng=0, init=init).b.value == 0)
    assert Dense(3, 2, rng=0, bias=False).b is None
    assert len(Dense(3, 2, rng=0, bias=False).parameters()) == 1
    np.testing.assert_array_equal(Dense(3, 2, rng=5).W.value, Dense(3, 2, rng=5).W.value)


def test_dense_matches_torch_linear():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    d = Dense(4, 3, rng=rng)
    lin = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(d.W.value.T))  # PyTorch stores W transposed
        lin.bias.copy_(torch.from_numpy(d.b.value))
    x = rng.normal(size=(6, 4))
    np.testing.assert_allclose(d(x), lin(torch.from_numpy(x)).detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("name,kw", [("sigmoid", {}), ("tanh", {}), ("relu", {}),
                                     ("leaky_relu", {"negative_slope": 0.2}), ("elu", {}), ("softplus", {}),
                                     ("gelu", {}), ("identity", {})])
def test_activation_layer_gradcheck(name, kw):
    rng = np.random.default_rng(3)
    layer = ActivationLayer(name, **kw)
    x = rng.normal(size=(4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep away from the kink of relu-like functions
    up = rng.normal(size=(4, 5))
    out, cache = layer.forward(x)
    dx = layer.backward(up, cache)
    errs = check_vjp(lambda: layer.forward(x)[0], {"x": dx}, {"x": x}, up)
    assert errs["x"] < 1e-7


def test_relu_layer_known_values():
    layer = ActivationLayer("relu")
    out, cache = layer.forward(np.array([[-2.0, 0.0, 3.0]]))
    np.testing.assert_array_equal(out, [[0.0, 0.0, 3.0]])
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 5.0, 5.0]]), cache), [[0.0, 0.0, 5.0]])


def test_bad_input():
    d = Dense(3, 2, rng=0)
    with pytest.raises(ValueError, match="x must have shape"):
        d.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="x must have shape"):
        d.forward(np.zeros(3))
    with pytest.raises(ValueError, match="x must be an array"):
        d.forward([["a", "b", "c"]])
    with pytest.raises(ValueError, match="in_features"):
        Dense(0, 2, rng=0)
    with pytest.raises(ValueError, match="out_features"):
        Dense(2, 1.5, rng=0)
    with pytest.raises(ValueError, match="rng"):
        Dense(2, 2, rng="seed")
    with pytest.raises(ValueError, match="name"):
        Dense(2, 2, rng=0, init="orthogonal")
    with pytest.raises(ValueError, match="name"):
        ActivationLayer("swish")


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 6), fin=st.integers(1, 5), fout=st.integers(1, 5),
       dtype=st.sampled_from([np.float32, np.float64]))
def test_dense_shapes(n, fin, fout, dtype):
    d = Dense(fin, fout, rng=0)
    x = np.ones((n, fin), dtype=dtype)
    out, cache = d.forward(x)
    assert out.shape == (n, fout)
    assert d.backward(np.ones((n, fout)), cache).shape == (n, fin)
    assert d.W.grad.shape == (fin, fout)
