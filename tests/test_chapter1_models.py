"""Chapter 1's small models: k-means, cluster labelling, the ε-greedy bandit, batch vs online learning."""

import numpy as np
import pytest

from lessons_lib.bandit import epsilon_greedy
from lessons_lib.clustering import kmeans, label_clusters, representatives
from lessons_lib.datasets import load_digits
from lessons_lib.online import compare_on_stream, drifting_stream, least_squares


def _three_blobs(rng):
    centers = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    X = np.concatenate([c + rng.normal(scale=0.5, size=(50, 2)) for c in centers])
    return X, np.repeat(np.arange(3), 50), centers


def test_kmeans_finds_well_separated_blobs():
    X, truth, centers = _three_blobs(np.random.default_rng(0))
    r = kmeans(X, 3, rng=1)
    # Each true blob maps onto exactly one cluster.
    assert all(len(set(r.labels[truth == c])) == 1 for c in range(3))
    found = sorted(map(tuple, np.round(r.centers)))
    assert found == sorted(map(tuple, centers))
    assert np.all(np.diff(r.inertia_history) <= 1e-9), "each iteration can only lower the inertia"
    assert r.inertia == pytest.approx(((X - r.centers[r.labels]) ** 2).sum())


def test_kmeans_is_deterministic_given_a_seed_and_checks_input():
    X, _, _ = _three_blobs(np.random.default_rng(0))
    a, b = kmeans(X, 3, rng=5), kmeans(X, 3, rng=5)
    assert np.array_equal(a.labels, b.labels)
    with pytest.raises(ValueError, match="k must be at most"):
        kmeans(X[:2], 3)
    with pytest.raises(ValueError, match="X"):
        kmeans([1, 2, 3], 2)


def test_labelling_one_representative_per_cluster_labels_the_digits():
    X, y = load_digits()
    r = kmeans(X, 50, rng=0, n_init=2)
    reps = representatives(X, r)
    assert reps.shape == (50,) and np.all(r.labels[reps] == np.arange(50))
    guess = label_clusters(r.labels, reps, y[reps], 50)
    # 50 labels (under 3% of the 1797 images) give every image a label, most of them right.
    assert np.all(guess >= 0)
    assert np.mean(guess == y) > 0.85


def test_label_clusters_majority_and_unlabelled_clusters():
    clusters = np.array([0, 0, 0, 1, 1, 2])
    out = label_clusters(clusters, [0, 1, 3], [7, 7, 4], 3)
    assert out.tolist() == [7, 7, 7, 4, 4, -1]
    with pytest.raises(ValueError, match="same length"):
        label_clusters(clusters, [0, 1], [7], 3)


def test_epsilon_greedy_learns_the_best_arm_and_exploration_matters():
    payouts = [0.2, 0.5, 0.8]
    run = epsilon_greedy(payouts, 3000, epsilon=0.1, rng=0)
    assert run.best_arm == 2 and run.best_arm_fraction > 0.8
    np.testing.assert_allclose(run.estimates[-1][2], 0.8, atol=0.05)
    assert run.average_reward[-1] > 0.7
    # Pure exploration: every arm about equally often, average reward near the mean payout.
    explore = epsilon_greedy(payouts, 3000, epsilon=1.0, rng=0)
    assert abs(explore.average_reward[-1] - 0.5) < 0.05


def test_bandit_bad_input():
    with pytest.raises(ValueError, match="payouts"):
        epsilon_greedy([0.5], 10)
    with pytest.raises(ValueError, match="epsilon"):
        epsilon_greedy([0.1, 0.9], 10, epsilon=1.5)


def test_least_squares_recovers_known_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 3.0
    w, b = least_squares(X, y)
    np.testing.assert_allclose(w, [1.0, -2.0, 0.5], atol=1e-10)
    assert b == pytest.approx(3.0)


def test_online_model_follows_drift_and_batch_model_does_not():
    stream = drifting_stream(2000, rng=0)
    e = compare_on_stream(stream, train_size=200, batch_size=20, lr=0.05)
    before = e.batch_starts < stream.drift_at
    late = e.batch_starts > stream.drift_at + 400
    # Before the drift both models do well; long after it only the online model does.
    assert e.batch_model[before].mean() < 0.1 and e.online_model[before].mean() < 0.1
    assert e.batch_model[late].mean() > 10 * e.online_model[late].mean()
    with pytest.raises(ValueError, match="drift_at"):
        drifting_stream(100, drift_at=100)
