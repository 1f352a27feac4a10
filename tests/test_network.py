"""Sequential and mlp: a whole-network gradient check with batch norm and dropout, known values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.batchnorm import BatchNorm1d
from lessons_lib.dropout import Dropout
from lessons_lib.gradcheck import check_vjp
from lessons_lib.layers import ActivationLayer, Dense
from lessons_lib.network import Sequential, mlp


def test_known_values_by_hand():
    net = Sequential(Dense(2, 2, rng=0), ActivationLayer("relu"), Dense(2, 1, rng=0))
    net[0].W.value[...] = [[1.0, -1.0], [1.0, 1.0]]
    net[0].b.value[...] = [0.0, -1.0]
    net[2].W.value[...] = [[2.0], [3.0]]
    net[2].b.value[...] = [1.0]
    # x = (1, 2): hidden z = (3, 0), relu -> (3, 0), out = 2*3 + 3*0 + 1 = 7
    out, caches = net.forward(np.array([[1.0, 2.0]]))
    np.testing.assert_allclose(out, [[7.0]])
    net.zero_grad()
    dx = net.backward(np.array([[1.0]]), caches)
    # dout/dh = (2, 3); relu passes only unit 0 (z=3>0), unit 1 has z=0 -> 0; dx = 2 * W0[:, 0] = (2, 2)
    np.testing.assert_allclose(dx, [[2.0, 2.0]])
    np.testing.assert_allclose(net[2].W.grad, [[3.0], [0.0]])


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "gelu"])
def test_whole_mlp_gradcheck_with_batchnorm_and_fixed_dropout(activation):
    rng = np.random.default_rng(0)
    net = mlp([4, 6, 5, 3], activation=activation, rng=rng, batch_norm=True, dropout=0.3)
    kinds = [type(layer).__name__ for layer in net]
    assert kinds == ["Dense", "BatchNorm1d", "ActivationLayer", "Dropout"] * 2 + ["Dense"]
    for layer in net:
        if isinstance(layer, BatchNorm1d):
            layer.gamma.value[...] = rng.uniform(0.5, 1.5, size=layer.num_features)
            layer.beta.value[...] = rng.normal(size=layer.num_features)
    x = rng.normal(size=(7, 4))
    up = rng.normal(size=(7, 3))
    dropouts = [layer for layer in net if isinstance(layer, Dropout)]
    buffers = {k: v.copy() for k, v in net.buffers().items()}

    def forward():
        for i, d in enumerate(dropouts):
            d.rng = np.random.default_rng(100 + i)        # the same masks at every evaluation
        for k, v in net.buffers().items():
            v[...] = buffers[k]
        return net.forward(x)[0]

    for i, d in enumerate(dropouts):
        d.rng = np.random.default_rng(100 + i)
    out, caches = net.forward(x)
    assert any(np.any(c == 0) for c in caches if isinstance(c, np.ndarray) and c.shape == (7, 6))
    net.zero_grad()
    dx = net.backward(up, caches)
    # A bias right before batch norm has no effect (the batch mean absorbs it): its gradient is exactly 0,
    # and a relative error of two zeros is meaningless, so check those directly and the rest by differences.
    before_bn = [net[i].b for i in range(len(net) - 1) if isinstance(net[i + 1], BatchNorm1d)]
    for b in before_bn:
        np.testing.assert_allclose(b.grad, 0.0, atol=1e-12)
    params = [p for p in net.parameters() if not any(p is b for b in before_bn)]
    analytic = {"x": dx} | {f"p{i}": p.grad for i, p in enumerate(params)}
    wrt = {"x": x} | {f"p{i}": p.value for i, p in enumerate(params)}
    errs = check_vjp(forward, analytic, wrt, up)
    assert max(errs.values()) < 1e-7, errs


def test_mlp_structure_and_modes():
    net = mlp([3, 8, 2], rng=0, output_activation="sigmoid")
    assert [type(layer).__name__ for layer in net] == ["Dense", "ActivationLayer", "Dense", "ActivationLayer"]
    assert len(net.parameters()) == 4
    net.eval()
    assert all(not layer.training for layer in net)
    net.train()
    assert all(layer.training for layer in net)
    bn = mlp([3, 4, 4, 2], rng=0, batch_norm=True)
    assert set(bn.state_dict()) >= {"buffer.layers.1.running_mean", "buffer.layers.4.running_var"}
    np.testing.assert_array_equal(mlp([3, 4, 2], rng=1)[0].W.value, mlp([3, 4, 2], rng=1)[0].W.value)
    # the dropout stream is separate: adding dropout does not change the weights drawn
    np.testing.assert_array_equal(mlp([3, 4, 2], rng=1)[2].W.value, mlp([3, 4, 2], rng=1, dropout=0.5)[3].W.value)


def test_eval_mode_is_deterministic_with_dropout():
    net = mlp([3, 16, 2], rng=0, dropout=0.5)
    x = np.ones((4, 3))
    net.eval()
    np.testing.assert_array_equal(net(x), net(x))
    net.train()
    assert not np.array_equal(net(x), net(x))


def test_bad_input():
    with pytest.raises(ValueError, match="sizes"):
        mlp([3], rng=0)
    with pytest.raises(ValueError, match=r"sizes\[1\]"):
        mlp([3, 0, 2], rng=0)
    with pytest.raises(ValueError, match="dropout"):
        mlp([3, 2], rng=0, dropout=1.0)
    with pytest.raises(ValueError, match="rng"):
        mlp([3, 2])
    with pytest.raises(ValueError, match="name"):
        mlp([3, 4, 2], rng=0, activation="swish")
    with pytest.raises(ValueError, match=r"layers\[1\]"):
        Sequential(Dense(2, 2, rng=0), np.tanh)
    with pytest.raises(ValueError, match="x must have shape"):
        mlp([3, 4, 2], rng=0).forward(np.zeros((2, 4)))


@settings(max_examples=15, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4), n=st.integers(2, 5),
       bn=st.booleans(), p=st.sampled_from([0.0, 0.5]))
def test_mlp_shapes(sizes, n, bn, p):
    net = mlp(sizes, rng=0, batch_norm=bn, dropout=p)
    out, caches = net.forward(np.ones((n, sizes[0])))
    assert out.shape == (n, sizes[-1])
    assert net.backward(np.ones_like(out), caches).shape == (n, sizes[0])
