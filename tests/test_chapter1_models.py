"""Chapter 1's small models: k-means, cluster labelling, the ε-greedy bandit, batch vs online learning."""

import numpy as np
import pytest

from lessons_lib.bandit import epsilon_greedy, epsilon_greedy_runs
from lessons_lib.clustering import KMeansResult, kmeans, label_clusters, representatives
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


def test_representatives_are_members_of_their_own_cluster():
    # Centre 0 sits between its members at -2 and 2, but the point at 1.6 is nearer to it than either;
    # that point belongs to cluster 1 (centre 3). Cluster 2 has no member.
    X = np.array([[-2.0, 0.0], [2.0, 0.0], [1.6, 0.0], [3.0, 0.1], [4.4, 0.0]])
    labels = np.array([0, 0, 1, 1, 1])
    centers = np.array([[0.0, 0.0], [3.0, 0.0], [10.0, 0.0]])
    result = KMeansResult(centers, labels, 0.0, np.zeros(1), 1)
    reps = representatives(X, result)
    assert reps[0] in (0, 1) and reps[1] == 3 and reps[2] == 4
    assert np.all(label_clusters(labels, reps[:2], [5, 6], 3) >= 0)
    with pytest.raises(ValueError, match="X"):
        representatives(X[:3], result)


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


def test_epsilon_greedy_runs_shapes_and_policy():
    payouts = [0.2, 0.5, 0.8]
    runs = epsilon_greedy_runs(payouts, 400, epsilon=0.0, runs=200, rng=1)
    assert runs.actions.shape == runs.rewards.shape == (200, 400) and runs.best_arm == 2
    assert set(np.unique(runs.rewards)) <= {0.0, 1.0}
    assert runs.average_reward.shape == (200, 400) and runs.best_arm_fraction.shape == (200,)
    # greedy, estimates starting at 0: an agent sticks to the first arm that paid out, for good
    for actions, rewards in zip(runs.actions, runs.rewards):
        first = np.flatnonzero(rewards)[0]
        assert np.all(actions[first:] == actions[first])
    # ties at the start are broken at random: every arm is pulled first by some agents
    assert np.all(np.bincount(runs.actions[:, 0], minlength=3) > 40)
    # the same generator gives the same runs
    again = epsilon_greedy_runs(payouts, 400, epsilon=0.0, runs=200, rng=1)
    assert np.array_equal(runs.actions, again.actions)


def test_epsilon_greedy_runs_agree_with_single_runs():
    payouts = [0.2, 0.35, 0.5, 0.55, 0.7]
    uniform = epsilon_greedy_runs(payouts, 200, epsilon=1.0, runs=200, rng=2)
    assert np.allclose(np.bincount(uniform.actions.ravel(), minlength=5) / uniform.actions.size, 0.2, atol=0.01)
    assert abs(uniform.rewards.mean() - np.mean(payouts)) < 0.01
    many = epsilon_greedy_runs(payouts, 1000, epsilon=0.1, runs=300, rng=3).best_arm_fraction.mean()
    single = np.mean([epsilon_greedy(payouts, 1000, 0.1, rng=seed).best_arm_fraction for seed in range(100)])
    assert abs(many - single) < 0.06


def test_epsilon_greedy_runs_bad_input():
    with pytest.raises(ValueError, match="payouts"):
        epsilon_greedy_runs([0.5], 10)
    with pytest.raises(ValueError, match="epsilon"):
        epsilon_greedy_runs([0.1, 0.9], 10, epsilon=1.5)
    with pytest.raises(ValueError, match="runs"):
        epsilon_greedy_runs([0.1, 0.9], 10, runs=0)
