"""The numbers behind 2.3.4 (and 2.3.6): data split, parameter counts, training, decision grids, sawtooth."""

import numpy as np
import pytest

from lessons_lib.datasets import make_xor
from lessons_lib.views.hidden_layers import (
    architecture_label,
    count_linear_pieces,
    decision_grid,
    digits_split,
    parameter_count,
    sawtooth_network,
    train_classifier,
    train_classifiers,
)


def test_digits_split_sizes_range_and_determinism():
    (X, y), (Xv, yv) = digits_split(1000, seed=0)
    assert X.shape == (1000, 64) and Xv.shape == (797, 64) and y.shape == (1000,) and yv.shape == (797,)
    assert X.min() == 0.0 and X.max() == 1.0
    (X2, _), _ = digits_split(1000, seed=0)
    np.testing.assert_array_equal(X, X2)
    with pytest.raises(ValueError, match="n_train"):
        digits_split(1797)


def test_parameter_count_of_an_mlp():
    from lessons_lib.network import mlp
    assert parameter_count(mlp([64, 32, 10], rng=0)) == 64 * 32 + 32 + 32 * 10 + 10
    # batch norm adds gamma and beta per hidden unit
    assert parameter_count(mlp([64, 32, 10], rng=0, batch_norm=True)) == 2410 + 64


def test_train_classifier_learns_xor_and_is_deterministic():
    X, y = make_xor(300, rng=0)
    a = train_classifier((16,), (X[:200], y[:200]), (X[200:], y[200:]), lr=1e-2, epochs=40, seed=1)
    b = train_classifier((16,), (X[:200], y[:200]), (X[200:], y[200:]), lr=1e-2, epochs=40, seed=1)
    assert a.val_accuracy > 0.9 and a.train_accuracy > 0.9
    assert a.val_accuracy == b.val_accuracy and a.history.train_loss == b.history.train_loss
    assert a.n_params == 2 * 16 + 16 + 16 * 2 + 2
    c = train_classifier((8,), (X[:200], y[:200]), (X[200:], y[200:]), epochs=1, input_batch_norm=True,
                         optimizer="sgd", lr=0.1)
    assert type(c.model[0]).__name__ == "BatchNorm1d"
    with pytest.raises(ValueError, match="hidden"):
        train_classifier((0,), (X, y), (X, y))


def test_decision_grid_shape_and_classes():
    X, y = make_xor(200, rng=0)
    r = train_classifier((16,), (X, y), (X, y), lr=1e-2, epochs=30, seed=0)
    xs, ys, classes = decision_grid(r.model, X, resolution=21)
    assert xs.shape == (21,) and ys.shape == (21,) and classes.shape == (21, 21)
    assert set(np.unique(classes)) <= {0, 1}
    # XOR: opposite corners share a class, neighbouring corners do not
    assert classes[0, 0] == classes[-1, -1] != classes[0, -1] == classes[-1, 0]
    with pytest.raises(ValueError, match="X"):
        decision_grid(r.model, np.zeros((5, 3)))


@pytest.mark.parametrize("depth", [1, 2, 3, 5, 8])
def test_sawtooth_has_2_to_the_depth_pieces(depth):
    x = np.linspace(0.0, 1.0, 2**11 + 1)
    net = sawtooth_network(depth)
    f = net(x[:, None])[:, 0]
    assert count_linear_pieces(x, f) == 2**depth
    assert f.min() == 0.0 and f.max() == 1.0
    assert parameter_count(net) == 7 + 6 * (depth - 1)


def test_count_linear_pieces_known_values_and_bad_input():
    x = np.linspace(-1, 1, 201)
    assert count_linear_pieces(x, 3 * x + 1) == 1
    assert count_linear_pieces(x, np.abs(x)) == 2
    with pytest.raises(ValueError, match="x and f"):
        count_linear_pieces(x, x[:-1])
    with pytest.raises(ValueError, match="depth"):
        sawtooth_network(0)


def test_architecture_label():
    assert architecture_label(()) == "no hidden layer"
    assert architecture_label((32,)) == "1 x 32"
    assert architecture_label([16, 16, 16]) == "3 x 16"
    assert architecture_label((64, 32)) == "64-32"


def test_train_classifiers_matches_separate_runs():
    X, y = make_xor(300, rng=0)
    train, val = (X[:200], y[:200]), (X[200:], y[200:])
    batched = train_classifiers((8, 4), train, val, seeds=[3, 1, 4], lr=1e-2, epochs=4, batch_size=32)
    assert len(batched) == 3
    for seed, r in zip([3, 1, 4], batched):
        alone = train_classifier((8, 4), train, val, lr=1e-2, epochs=4, batch_size=32, seed=seed)
        assert r.n_params == alone.n_params == 2 * 8 + 8 + 8 * 4 + 4 + 4 * 2 + 2
        for p, q in zip(r.model.parameters(), alone.model.parameters()):
            np.testing.assert_allclose(p.value, q.value, rtol=0, atol=1e-12)
        np.testing.assert_allclose(r.history.train_loss, alone.history.train_loss, rtol=1e-12)
        np.testing.assert_allclose(r.history.val_loss, alone.history.val_loss, rtol=1e-12)
        assert r.history.val_accuracy == alone.history.val_accuracy
        assert r.history.train_accuracy == alone.history.train_accuracy
        assert r.train_accuracy == alone.train_accuracy and r.val_accuracy == alone.val_accuracy
    # the seeds differ, so the networks do
    assert not np.allclose(batched[0].model[0].W.value, batched[1].model[0].W.value)


def test_train_classifiers_linear_model_other_activation_and_bad_input():
    X, y = make_xor(120, rng=1)
    train, val = (X[:80], y[:80]), (X[80:], y[80:])
    (lin,) = train_classifiers((), train, val, seeds=[0], epochs=2)
    assert lin.n_params == 2 * 2 + 2 and len(lin.history.val_accuracy) == 2
    a, b = train_classifiers((6,), train, val, seeds=range(2), activation="tanh", epochs=3, lr=0.02)
    alone = train_classifier((6,), train, val, activation="tanh", epochs=3, lr=0.02, seed=1)
    np.testing.assert_allclose(b.model[0].W.value, alone.model[0].W.value, atol=1e-12)
    with pytest.raises(ValueError, match="seeds"):
        train_classifiers((4,), train, val, seeds=[])
    with pytest.raises(ValueError, match="hidden"):
        train_classifiers((0,), train, val, seeds=[0])
    with pytest.raises(ValueError, match="train and val"):
        train_classifiers((4,), (X[:80], y[:79]), val, seeds=[0])
    with pytest.raises(ValueError, match="lr"):
        train_classifiers((4,), train, val, seeds=[0], lr=0.0)


def test_train_classifiers_curves_limits_the_per_epoch_validation():
    X, y = make_xor(150, rng=2)
    train, val = (X[:100], y[:100]), (X[100:], y[100:])
    full = train_classifiers((5,), train, val, seeds=range(3), epochs=4, lr=0.02)
    part = train_classifiers((5,), train, val, seeds=range(3), epochs=4, lr=0.02, curves=1)
    assert len(part[0].history.val_accuracy) == 4 and len(part[0].history.val_loss) == 4
    assert [len(r.history.val_accuracy) for r in part[1:]] == [1, 1]
    for f, p in zip(full, part):
        assert f.val_accuracy == p.val_accuracy and f.history.train_loss == p.history.train_loss
        assert f.history.val_loss[-1] == pytest.approx(p.history.val_loss[-1], rel=1e-12)
    assert part[0].history.val_accuracy == full[0].history.val_accuracy
    with pytest.raises(ValueError, match="curves"):
        train_classifiers((5,), train, val, seeds=range(2), curves=-1)


# ---- the architecture explorer (lessons_lib/explorers/architecture.py) --------------------------------------

def test_playground_data_is_fixed_and_split_200_100():
    from lessons_lib.views.hidden_layers import playground_data

    for name in ("moons", "spirals"):
        (X, y), (Xv, yv) = playground_data(name)
        assert X.shape == (200, 2) and Xv.shape == (100, 2) and set(np.unique(y)) == {0, 1}
        assert 80 <= y.sum() <= 120                         # both classes in the training set
    with pytest.raises(ValueError, match="dataset"):
        playground_data("circles")


def test_playground_runs_are_train_classifier_runs_of_each_seed():
    from lessons_lib.views.hidden_layers import PLAYGROUND_TRAINING, playground_data, playground_runs

    runs = playground_runs("moons", 4, 1)
    assert len(runs) == 5 and [r.hidden for r in runs] == [(4,)] * 5
    assert runs[0].n_params == 2 * 4 + 4 + 4 * 2 + 2
    assert playground_runs("spirals", 8, 2)[0].n_params == (2 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2)
    train, val = playground_data("moons")
    alone = train_classifier((4,), train, val, seed=1, **PLAYGROUND_TRAINING)
    for p, q in zip(runs[1].model.parameters(), alone.model.parameters()):
        np.testing.assert_allclose(p.value, q.value, atol=1e-9)
    with pytest.raises(ValueError, match="width"):
        playground_runs("moons", 0, 1)
    with pytest.raises(ValueError, match="depth"):
        playground_runs("moons", 4, 0)


def test_playground_view_scores_are_direct_counts_and_the_sweep_is_a_median():
    from lessons_lib.training import predict
    from lessons_lib.views.hidden_layers import playground_runs, playground_view

    view = playground_view("spirals", 8, 1, seed=2, sweep_widths=(4, 8), sweep_depths=(1, 2))
    run = playground_runs("spirals", 8, 1)[2]
    for (X, y), accuracy in ((view.train, view.train_accuracy), (view.val, view.val_accuracy)):
        assert accuracy == np.mean(predict(run.model, X).argmax(axis=1) == y)
    assert view.n_params == run.n_params == 42 and view.classes.shape == (90, 90)
    assert view.sweep_params.shape == view.sweep_val.shape == (2, 2)
    assert view.sweep_val[0, 1] == np.median([r.val_accuracy for r in playground_runs("spirals", 8, 1)])
    assert view.sweep_params.tolist() == [[22, 42], [42, 114]] and view.message == ""
    # the grid covers every point, with a margin
    points = np.concatenate([view.train[0], view.val[0]])
    assert view.xs[0] < points[:, 0].min() and view.ys[-1] > points[:, 1].max()
    with pytest.raises(ValueError, match="seed"):
        playground_view("spirals", 8, 1, seed=5)


def test_architecture_site_grid_contains_the_defaults():
    from lessons_lib.explorers.architecture import ArchitectureExplorer

    explorer = ArchitectureExplorer()
    for name, values in ArchitectureExplorer.site_grid.items():
        assert explorer.values[name] in values, name
    assert len(ArchitectureExplorer.site_grid["width"]) == len(ArchitectureExplorer.site_grid["depth"]) == 3
