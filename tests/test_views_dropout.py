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


# ---- the dropout explorer (lessons_lib/explorers/dropout.py) -------------------------------------------------

def test_dropout_task_is_the_section_task():
    from lessons_lib.datasets import make_moons
    from lessons_lib.views.dropout import dropout_task

    (X, y), (Xv, yv) = dropout_task(3)
    Xa, ya = make_moons(540, rng=3, noise=0.4)
    np.testing.assert_array_equal(np.concatenate([X, Xv]), Xa)
    assert X.shape == (40, 2) and Xv.shape == (500, 2) and np.array_equal(np.concatenate([y, yv]), ya)
    with pytest.raises(ValueError, match="seed"):
        dropout_task(-1)


def test_dropout_run_looks_are_evaluations_of_the_stored_weights():
    from lessons_lib.training import evaluate
    from lessons_lib.views.dropout import dropout_run, dropout_task, run_network

    run = dropout_run(0.5, 0, epochs=20, every=10, width=16)
    assert run.epochs.tolist() == [0, 10, 20] and len(run.weights) == 3
    (X, y), (Xv, yv) = dropout_task(0)
    for k in range(3):
        model = run_network(run, k)
        assert not model.training
        loss, acc = evaluate(model, "cross_entropy", X, y)
        assert run.train_loss[k] == pytest.approx(loss, rel=1e-12) and run.train_accuracy[k] == acc
        loss, acc = evaluate(model, "cross_entropy", Xv, yv)
        assert run.val_loss[k] == pytest.approx(loss, rel=1e-12) and run.val_accuracy[k] == acc
    # the rate does not change the initial weights (mlp gives the masks a stream of their own)
    other = dropout_run(0.0, 0, epochs=20, every=10, width=16)
    for a, b in zip(run.weights[0], other.weights[0]):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(run.weights[2][0], other.weights[2][0])
    assert run.at(14) == 1 and run.at(16) == 2
    with pytest.raises(ValueError, match="index"):
        run_network(run, 3)
    with pytest.raises(ValueError, match="p"):
        dropout_run(1.0, 0, epochs=20)


def test_dropout_run_without_dropout_is_fit_of_the_section():
    from lessons_lib.optimizers import Adam
    from lessons_lib.training import fit
    from lessons_lib.views.dropout import dropout_run, dropout_task

    run = dropout_run(0.0, 1, epochs=20, every=20, width=16)
    (X, y), _ = dropout_task(1)
    model = mlp([2, 16, 16, 2], rng=1)
    fit(model, "cross_entropy", Adam(model.parameters(), lr=3e-3), X, y, epochs=20, batch_size=20, rng=1)
    for a, b in zip(run.weights[-1], model.parameters()):
        np.testing.assert_array_equal(a, b.value)


def test_dropout_view_curves_are_the_runs_at_each_rate():
    from lessons_lib.views.dropout import dropout_run, dropout_view

    view = dropout_view(0.25, 47, rates=(0.0, 0.5), width=16, n=11)
    assert view.epochs == 50 and view.p == 0.25 and view.prob.shape == (11, 11)
    for rate, train, val in zip(view.rates, view.rates_train_loss, view.rates_val_loss):
        run = dropout_run(rate, 0, width=16)
        assert (train, val) == (run.train_loss[5], run.val_loss[5])
    run = dropout_run(0.25, 0, width=16)
    assert view.val_accuracy == run.val_accuracy[5] and view.train_loss == run.train_loss[5]
    assert view.loss_top == max(max(r.train_loss.max(), r.val_loss.max())
                                for r in (run, dropout_run(0.0, 0, width=16), dropout_run(0.5, 0, width=16)))
    with pytest.raises(ValueError, match="epochs"):
        dropout_view(0.25, -1, width=16)


def test_dropout_site_grid_contains_the_defaults():
    from lessons_lib.explorers.dropout import DropoutExplorer

    explorer = DropoutExplorer()
    for name, values in DropoutExplorer.site_grid.items():
        assert explorer.values[name] in values, name
    assert len(DropoutExplorer.site_grid["p"]) >= 6
