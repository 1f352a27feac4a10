"""Views of section 2.3.7: thinned networks, mask averages, decision grids."""


import numpy as np
import pytest

from lessons_lib.network import mlp
from lessons_lib.views.dropout import decision_grid, mask_means, thinned_networks


def test_thinned_networks_never_drop_outputs_and_respect_p():
    nets = thinned_networks([3, 5, 4, 2], p=0.5, n_networks=200, rng=0)
    assert len(nets) == 200 and [len(layer) for layer in nets[0]] == [3, 5, 4, 2]
    assert all(net[-1].all() for net in nets)                 # outputs never dropped
    assert all(net[0].all() for net in nets)                  # p_input = 0 keeps every input
    hidden = np.concatenate([np.concatenate(net[1:-1]) for net in nets])
    assert abs(hidden.mean() - 0.5) < 0.05
    assert thinned_networks([3, 5, 2], p=0.0, n_networks=3, rng=1)[2][1].all()
    inputs = np.concatenate([net[0] for net in thinned_networks([50, 5, 2], 0.0, 40, rng=2, p_input=0.2)])
    assert abs(inputs.mean() - 0.8) < 0.03


def test_thinned_networks_bad_input():
    with pytest.raises(ValueError, match="sizes"):
        thinned_networks([3], 0.5, 1, rng=0)
    with pytest.raises(ValueError, match="p"):
        thinned_networks([3, 2], 1.0, 1, rng=0)
    with pytest.raises(ValueError, match="n_networks"):
        thinned_networks([3, 2], 0.5, 0, rng=0)


def test_mask_means_inverted_keeps_the_mean():
    inverted, plain = mask_means(0.3, n_units=4, n_masks=40_000, rng=0)
    np.testing.assert_allclose(inverted, 1.0, atol=0.02)
    np.testing.assert_allclose(plain, 0.7, atol=0.01)
    np.testing.assert_allclose(inverted, plain / 0.7)          # same masks, scaled by 1/(1-p)
    with pytest.raises(ValueError, match="p"):
        mask_means(-0.1, 4, 10, rng=0)


def test_decision_grid_shapes_probabilities_and_eval_mode():
    X = np.array([[0.0, 0.0], [1.0, 2.0]])
    model = mlp([2, 8, 2], rng=0, dropout=0.5)
    xx, yy, prob = decision_grid(model, X, n=7)
    assert xx.shape == yy.shape == prob.shape == (7, 7)
    assert np.all((prob > 0) & (prob < 1))
    np.testing.assert_allclose(xx[0, [0, -1]], [-0.5, 1.5])
    np.testing.assert_allclose(yy[[0, -1], 0], [-0.5, 2.5])
    assert np.array_equal(prob, decision_grid(model, X, n=7)[2])   # no dropout noise: eval mode
    assert model.training                                           # mode restored
    with pytest.raises(ValueError, match="X"):
        decision_grid(model, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="model"):
        decision_grid(mlp([2, 3], rng=0), X)
