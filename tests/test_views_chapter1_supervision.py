"""The numbers behind sections 1.1.1-1.1.3: the synthetic car table, the split, the classifier, the elbow, and
k-means step by step (the explorer of 1.1.2)."""


import numpy as np
import pytest

from lessons_lib.clustering import kmeans
from lessons_lib.datasets import load_digits, make_blobs
from lessons_lib.online import least_squares
from lessons_lib.views.chapter1_supervision import (
    BRANDS,
    EXPLORER_KS,
    TRUE_PRICE_RULE,
    car_features,
    classify,
    explorer_blobs,
    explorer_elbow,
    format_cars,
    inertia_curve,
    kmeans_step_view,
    lloyd_trace,
    make_cars,
    split_indices,
    train_classifier,
)


def test_noiseless_cars_give_back_the_true_rule():
    cars = make_cars(50, rng=3, noise=0.0)
    X, names = car_features(cars)
    assert X.shape == (50, 4) and names[0].startswith("mileage") and names[-1] == "brand C"
    w, b = least_squares(X, cars.price)
    base = TRUE_PRICE_RULE["base"]
    np.testing.assert_allclose(w, [TRUE_PRICE_RULE["per_1000_km"], TRUE_PRICE_RULE["per_year"],
                                   base["B"] - base["A"], base["C"] - base["A"]], atol=1e-9)
    assert b == pytest.approx(base["A"])


def test_cars_are_seeded_plausible_and_formatted():
    a, b = make_cars(100, rng=1), make_cars(100, rng=1)
    np.testing.assert_array_equal(a.price, b.price)
    assert len(a) == 100 and set(np.unique(a.brand)) <= set(range(len(BRANDS)))
    assert a.age.min() >= 0 and a.age.max() <= 10 and np.all(a.mileage >= 8 * a.age - 1e-12)
    assert np.all(a.price > 0)
    table = format_cars(a, rows=3).splitlines()
    assert len(table) == 4 and "price" in table[0]
    with pytest.raises(ValueError, match="noise"):
        make_cars(10, noise=-1.0)
    with pytest.raises(ValueError, match="n"):
        make_cars(1)


def test_split_indices_partition():
    train, test = split_indices(10, 0.3, rng=0)
    assert len(test) == 3 and len(train) == 7
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(10))
    with pytest.raises(ValueError, match="test_fraction"):
        split_indices(10, 1.0)


def test_classifier_learns_digits_and_blobs():
    X, y = load_digits()
    X = X / 16
    train, test = split_indices(len(X), 0.25, rng=0)
    model = train_classifier(X[train], y[train], rng=0, steps=300)
    assert np.mean(classify(model, X[test]) == y[test]) > 0.85
    Xb, yb = make_blobs(60, rng=0)
    model = train_classifier(Xb, yb, rng=0, n_classes=2, steps=100)
    assert np.mean(classify(model, Xb) == yb) > 0.9
    with pytest.raises(ValueError, match="hidden"):
        train_classifier(Xb, yb, hidden=0)


def test_inertia_decreases_with_k_and_has_an_elbow_on_two_blobs():
    X, _ = make_blobs(200, rng=0, separation=6.0)
    inertia = inertia_curve(X, [1, 2, 3, 4], rng=0)
    assert np.all(np.diff(inertia) < 0)
    drops = -np.diff(inertia)
    assert drops[0] > 5 * drops[1], "the big drop is from one cluster to two"
    with pytest.raises(ValueError, match="ks"):
        inertia_curve(X, [0, 1])


# --- k-means step by step (the explorer of 1.1.2) -----------------------------------------------------------

def test_lloyd_trace_on_the_quiz_cluster():
    # The quiz of 1.1.2: (0, 0), (0, 3), (3, 0) with one centre; after the move the centre is (1, 1) and the
    # squared distances are 2, 5 and 5.
    X = np.array([[0.0, 0.0], [0.0, 3.0], [3.0, 0.0]])
    trace = lloyd_trace(X, 1, rng=0)
    assert trace.n_states == 4 and trace.converged and trace.n_iter == 2   # start, assign, move, assign
    assert np.isnan(trace.inertia[0]) and np.all(trace.labels[0] == -1) and np.all(trace.labels[1:] == 0)
    # the start is one of the points; the first assignment measures from it
    start = trace.centers[0, 0]
    assert any(np.array_equal(start, x) for x in X)
    assert trace.inertia[1] == pytest.approx(((X - start) ** 2).sum())
    np.testing.assert_allclose(trace.centers[2, 0], [1.0, 1.0])
    assert trace.inertia[2] == pytest.approx(12.0) and trace.inertia[3] == pytest.approx(12.0)


def test_lloyd_trace_two_pairs():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])
    trace = lloyd_trace(X, 2, rng=1)
    assert trace.converged
    np.testing.assert_allclose(sorted(map(tuple, trace.centers[-1])), [(0.0, 0.5), (10.0, 0.5)])
    assert trace.inertia[-1] == pytest.approx(4 * 0.25)


@pytest.mark.parametrize("k, seed", [(1, 0), (3, 0), (3, 8), (4, 3), (6, 2)])
def test_lloyd_trace_is_the_library_run_step_by_step(k, seed):
    X = explorer_blobs()
    trace = lloyd_trace(X, k, rng=seed)
    result = kmeans(X, k, rng=seed, n_init=1)
    # the last state is the library's result, bit for bit; the assignments' inertias are its history
    assert np.array_equal(trace.centers[-1], result.centers) and np.array_equal(trace.labels[-1], result.labels)
    assert np.array_equal(trace.inertia[1::2], result.inertia_history) and trace.n_iter == result.n_iter
    # neither half-step ever raises the inertia
    assert np.all(np.diff(trace.inertia[1:]) <= 1e-9 * trace.inertia[1])
    for s in range(1, trace.n_states):
        centers, labels = trace.centers[s], trace.labels[s]
        # each inertia is the sum of squared distances to the assigned centres, computed directly
        assert trace.inertia[s] == pytest.approx(((X - centers[labels]) ** 2).sum(), rel=1e-9)
        if s % 2:   # an assignment: every point to its nearest centre, the centres unmoved
            d = ((X[:, None, :] - centers[None]) ** 2).sum(-1)
            assert np.array_equal(labels, d.argmin(1)) and np.array_equal(centers, trace.centers[s - 1])
        else:       # a move: every centre with members to their mean, the labels unchanged
            assert np.array_equal(labels, trace.labels[s - 1])
            for j in np.unique(labels):
                np.testing.assert_allclose(centers[j], X[labels == j].mean(0))


def test_lloyd_trace_stops_at_max_iter():
    trace = lloyd_trace(explorer_blobs(), 3, rng=8, max_iter=4)   # this run needs 23 assignments
    assert not trace.converged and trace.n_states == 9 and trace.n_iter == 4


def test_kmeans_step_view_phases_changes_and_trails():
    phases = [kmeans_step_view(3, s).phase for s in range(14)]
    assert phases[:5] == ["start", "assign", "move", "assign", "move"]
    end = kmeans_step_view(3, 50)
    assert end.phase == "converged" and end.step == end.n_states - 1 and end.iteration == end.step // 2 + 1
    assert phases[end.step] == "converged" and phases[end.step + 1:] == ["converged"] * (13 - end.step)
    assert end.inertia == end.final_inertia == kmeans(explorer_blobs(), 3, rng=0, n_init=1).inertia
    first, second = kmeans_step_view(3, 1), kmeans_step_view(3, 3)
    assert not first.changed.any() and np.all(first.labels >= 0)      # the first assignment is no change
    assert second.changed.sum() == np.sum(second.labels != first.labels) > 0
    # the trail holds the start and every move so far; the last position is the current centre
    view = kmeans_step_view(4, 7)
    assert view.trails.shape == (4, 4, 2) and np.array_equal(view.trails[-1], view.centers)
    start = kmeans_step_view(4, 0)
    assert np.isnan(start.inertia) and np.all(start.labels == -1) and start.trails.shape == (1, 4, 2)


def test_explorer_data_and_elbow():
    X, _ = make_blobs(300, np.random.default_rng(1_1_2), separation=6.0)   # the notebook's first draw
    assert np.array_equal(explorer_blobs(), X)
    elbow = explorer_elbow()
    assert np.array_equal(elbow, inertia_curve(X, EXPLORER_KS, rng=0))
    assert np.all(np.diff(elbow) < 0) and elbow[1] < 0.25 * elbow[0]     # the elbow at k = 2
    assert kmeans_step_view(2, 0).elbow is elbow                          # computed once


def test_kmeans_step_view_bad_input():
    with pytest.raises(ValueError, match="k"):
        kmeans_step_view(7, 0)
    with pytest.raises(ValueError, match="step"):
        kmeans_step_view(2, -1)
    with pytest.raises(ValueError, match="seed"):
        kmeans_step_view(2, 0, seed=-1)
    with pytest.raises(ValueError, match="k"):
        lloyd_trace(np.zeros((3, 2)), 4)


def test_kmeans_explorer_site_grid_holds_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.kmeans import KMeansExplorer

    explorer = KMeansExplorer()
    axes = static.site_axes(explorer)
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[key] == value for key, value in axis.settings[i].items()), axis.label
    assert static.frame_count(explorer) <= 24 and static.jupyter_only(explorer) == ["seed of the starting centres (0)"]
    # the grid's last step shows the end of every run it offers
    for k in KMeansExplorer.site_grid["k"]:
        assert kmeans_step_view(k, KMeansExplorer.site_grid["step"][-1]).phase == "converged"
