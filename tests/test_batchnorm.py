"""BatchNorm1d: gradient checks in both modes, running statistics by hand, torch cross-check."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.batchnorm import BatchNorm1d
from lessons_lib.gradcheck import check_vjp


def _bn(rng, d=4):
    bn = BatchNorm1d(d)
    bn.gamma.value[...] = rng.uniform(0.5, 2.0, size=d)
    bn.beta.value[...] = rng.normal(size=d)
    return bn


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck(training):
    rng = np.random.default_rng(0)
    bn = _bn(rng)
    bn.running_mean[...] = rng.normal(size=4)
    bn.running_var[...] = rng.uniform(0.5, 2.0, size=4)
    bn.train(training)
    x = rng.normal(size=(5, 4)) * 3 + 1
    up = rng.normal(size=(5, 4))
    saved = {k: v.copy() for k, v in bn.buffers().items()}

    def forward():
        for k, v in bn.buffers().items():  # forward in training mode moves the running statistics
            v[...] = saved[k]
        return bn.forward(x)[0]

    out, cache = bn.forward(x)
    dx = bn.backward(up, cache)
    errs = check_vjp(forward, {"x": dx, "gamma": bn.gamma.grad, "beta": bn.beta.grad},
                     {"x": x, "gamma": bn.gamma.value, "beta": bn.beta.value}, up)
    assert max(errs.values()) < 1e-7, errs


def test_training_output_is_normalised_then_scaled():
    rng = np.random.default_rng(1)
    bn = _bn(rng, 3)
    x = rng.normal(size=(50, 3)) * 5 - 2
    out = bn(x)
    z = (out - bn.beta.value) / bn.gamma.value
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z.var(axis=0), 1, rtol=1e-3)  # var/(var+eps)


def test_running_statistics_by_hand():
    bn = BatchNorm1d(2, momentum=0.1)
    batches = [np.array([[1.0, 2.0], [3.0, 6.0]]), np.array([[0.0, 1.0], [4.0, 1.0], [2.0, 4.0]])]
    rm, rv = np.zeros(2), np.ones(2)
    for b in batches:
        bn.forward(b)
        # running = 0.9*running + 0.1*batch statistic; variance with N - 1 (unbiased)
        rm = 0.9 * rm + 0.1 * b.mean(axis=0)
        rv = 0.9 * rv + 0.1 * b.var(axis=0, ddof=1)
    np.testing.assert_allclose(bn.running_mean, rm)
    np.testing.assert_allclose(bn.running_var, rv)
    # first batch by hand: mean (2, 4), unbiased var (2, 8): rm = (0.2, 0.4), rv = (1.1, 1.7) after step 1
    bn2 = BatchNorm1d(2)
    bn2.forward(batches[0])
    np.testing.assert_allclose(bn2.running_mean, [0.2, 0.4])
    np.testing.assert_allclose(bn2.running_var, [0.9 + 0.2, 0.9 + 0.8])


def test_eval_uses_running_statistics_and_buffers_are_saved():
    bn = BatchNorm1d(2)
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 0.25]
    bn.eval()
    out = bn(np.array([[3.0, -1.5]]))  # batch of one is fine in eval mode
    np.testing.assert_allclose(out, [[2 / np.sqrt(4 + 1e-5), -0.5 / np.sqrt(0.25 + 1e-5)]])
    state = bn.state_dict()
    assert set(state) == {"param.0", "param.1", "buffer.running_mean", "buffer.running_var"}
    bn.running_mean[...] = 0
    bn.load_state_dict(state)
    np.testing.assert_array_equal(bn.running_mean, [1.0, -1.0])


def test_bad_input():
    with pytest.raises(ValueError, match="num_features"):
        BatchNorm1d(0)
    with pytest.raises(ValueError, match="eps"):
        BatchNorm1d(3, eps=0.0)
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm1d(3, momentum=1.5)
    bn = BatchNorm1d(3)
    with pytest.raises(ValueError, match="x"):
        bn.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="x"):
        bn.forward(np.zeros(3))
    with pytest.raises(ValueError, match="x must hold at least 2"):
        bn.forward(np.zeros((1, 3)))


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 9), d=st.integers(1, 6), training=st.booleans())
def test_shapes(n, d, training):
    rng = np.random.default_rng(n * 10 + d)
    bn = BatchNorm1d(d).train(training)
    x = rng.normal(size=(n, d))
    out, cache = bn.forward(x)
    assert out.shape == (n, d)
    assert bn.backward(np.ones_like(out), cache).shape == (n, d)


@pytest.mark.parametrize("training", [True, False])
def test_matches_torch(training):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    bn = _bn(rng, 5)
    tbn = torch.nn.BatchNorm1d(5, eps=1e-5, momentum=0.1).double()
    with torch.no_grad():
        tbn.weight.copy_(torch.from_numpy(bn.gamma.value))
        tbn.bias.copy_(torch.from_numpy(bn.beta.value))
    for _ in range(3):  # a few training batches to move the running statistics
        x = rng.normal(size=(8, 5)) * 2 + 1
        bn.forward(x)
        tbn(torch.from_numpy(x))
    np.testing.assert_allclose(bn.running_mean, tbn.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, tbn.running_var.numpy(), rtol=1e-12)
    bn.train(training)
    tbn.train(training)
    x = rng.normal(size=(6, 5))
    up = rng.normal(size=(6, 5))
    tx = torch.tensor(x, requires_grad=True)
    tout = tbn(tx)
    tout.backward(torch.from_numpy(up))
    out, cache = bn.forward(x)
    bn.zero_grad()
    dx = bn.backward(up, cache)
    np.testing.assert_allclose(out, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(bn.gamma.grad, tbn.weight.grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(bn.beta.grad, tbn.bias.grad.numpy(), rtol=1e-9, atol=1e-12)
