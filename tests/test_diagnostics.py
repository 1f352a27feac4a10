"""layer_statistics: values by hand on a tiny net, purity, overflow without warnings, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons_lib.diagnostics import _histogram, layer_statistics, summarize
from lessons_lib.layers import ActivationLayer, Dense
from lessons_lib.network import Sequential, mlp


def test_tiny_network_by_hand():
    net = Sequential(Dense(1, 2, rng=0), ActivationLayer("relu"), Dense(2, 1, rng=0))
    net[0].W.value[...] = [[1.0, -1.0]]
    net[0].b.value[...] = [0.0, 0.0]
    net[2].W.value[...] = [[2.0], [3.0]]
    x = np.array([[1.0], [2.0]])           # hidden z = [[1, -1], [2, -2]] -> relu [[1, 0], [2, 0]]
    up = np.array([[1.0], [1.0]])
    s = layer_statistics(net, x, upstream=up, activation_bins=[-1.0, 0.5, 3.0], gradient_bins=[-4.0, 0.0, 4.0])
    np.testing.assert_array_equal(s.layer_index, [1])
    assert s.activation_mean[0] == pytest.approx(0.75)
    assert s.activation_std[0] == pytest.approx(np.std([1, 0, 2, 0]))
    assert s.saturated_fraction[0] == pytest.approx(0.5)          # the two negative pre-activations
    np.testing.assert_array_equal(s.activation_hist, [[2, 2]])
    # dL/da = up @ W2^T = [[2, 3], [2, 3]]
    assert s.gradient_mean[0] == pytest.approx(2.5)
    assert s.gradient_norm[0] == pytest.approx(np.sqrt(2 * 4 + 2 * 9))
    np.testing.assert_array_equal(s.gradient_hist, [[0, 4]])
    # dL/dW1 = x^T (dL/da * relu') = [[1*2 + 2*2, 0]] = [[6, 0]]; dL/dW2 = h^T up = [[3], [0]]
    np.testing.assert_allclose(s.weight_grad_norm, [6.0, 3.0])
    assert s.activation_nonfinite[0] == 0 and s.gradient_nonfinite[0] == 0


def test_pure_no_state_changes():
    net = mlp([4, 8, 8, 3], rng=0, batch_norm=True, dropout=0.5)
    x = np.random.default_rng(0).normal(size=(6, 4))
    for p in net.parameters():
        p.grad[...] = 1.5
    before = net.state_dict()
    drop_rng_state = net[3].rng.bit_generator.state
    a = layer_statistics(net, x, loss="cross_entropy", y=np.array([0, 1, 2, 0, 1, 2]))
    b = layer_statistics(net, x, loss="cross_entropy", y=np.array([0, 1, 2, 0, 1, 2]))
    np.testing.assert_array_equal(a.gradient_norm, b.gradient_norm)    # same masks, same statistics
    after = net.state_dict()
    for k in before:
        np.testing.assert_array_equal(before[k], after[k])
    assert all(np.all(p.grad == 1.5) for p in net.parameters())
    assert net[3].rng.bit_generator.state == drop_rng_state


def test_deep_standard_normal_init_explodes_without_warnings():
    # pytest turns RuntimeWarnings into errors, so this also checks that nothing warns.
    x0 = np.random.default_rng(0).normal(size=(16, 64))
    x = x0 * 1e280  # each layer multiplies the scale by ~sqrt(64) = 8: inf after ~15 layers
    net = mlp([64] * 51 + [10], activation="identity", rng=0, init="normal")
    s = layer_statistics(net, x)
    assert s.activation_nonfinite[-1] > 0.9                     # overflowed to inf: counted, not warned
    assert np.isfinite(s.activation_std[0]) and s.activation_std[0] > 1e280
    assert s.activation_hist.shape == (50, 40)
    sig = layer_statistics(mlp([64] * 21 + [10], activation="sigmoid", rng=0, init="normal"), x0)
    assert sig.saturated_fraction.mean() > 0.3                  # large weights push the sigmoid into its tails
    assert sig.gradient_norm[0] < sig.gradient_norm[-1]         # and the gradient vanishes towards the input


def test_summarize_is_overflow_safe():
    mean, std, norm, bad = summarize(np.array([1e300, -1e300, 1e300, np.inf]))
    assert mean == pytest.approx(1e300 / 3) and norm == pytest.approx(np.sqrt(3) * 1e300)
    assert std == pytest.approx(np.std([1.0, -1.0, 1.0]) * 1e300)
    assert bad == 0.25
    assert all(np.isnan(v) for v in summarize(np.array([np.nan, np.inf]))[:3])
    assert summarize(np.zeros(3)) == (0.0, 0.0, 0.0, 0.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=50), st.booleans())
def test_histogram_matches_numpy_on_clipped_data(values, uniform):
    bins = np.linspace(-2, 2, 9) if uniform else np.array([-2.0, -0.3, 0.0, 0.2, 1.0, 2.0])
    a = np.array(values)
    np.testing.assert_array_equal(_histogram(a, bins), np.histogram(np.clip(a, bins[0], bins[-1]), bins)[0])


def test_bad_input():
    net = mlp([3, 4, 2], rng=0)
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match="model"):
        layer_statistics(net[0], x)
    with pytest.raises(ValueError, match="activation_bins"):
        layer_statistics(net, x, activation_bins=[1.0, 0.0])
    with pytest.raises(ValueError, match="gradient_bins"):
        layer_statistics(net, x, gradient_bins=[0.0])
    with pytest.raises(ValueError, match="upstream"):
        layer_statistics(net, x, upstream=np.ones((2, 3)))
    with pytest.raises(ValueError, match="loss and y"):
        layer_statistics(net, x, loss="mse")
    with pytest.raises(ValueError, match="saturation_threshold"):
        layer_statistics(net, x, saturation_threshold=0.0)
    with pytest.raises(ValueError, match="x must"):
        layer_statistics(net, np.ones(3))
