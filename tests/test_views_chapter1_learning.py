"""The numbers behind the figures of sections 1.1.4-1.2.2 (masking, bandit curves, batch vs online)."""


import numpy as np
import pytest

from lessons_lib.bandit import epsilon_greedy_runs
from lessons_lib.online import compare_on_stream, drifting_stream
from lessons_lib.views.chapter1_learning import (
    bandit_curves,
    block_mask,
    fill_hidden,
    online_weight_path,
    phase_means,
    retrained_errors,
    split_by_mask,
)


def test_block_mask_marks_the_block_row_by_row():
    mask = block_mask(1, 2, 2, 2, side=4)
    expected = np.array([[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 0, 0]], bool)
    assert mask.shape == (16,) and mask.dtype == bool
    assert np.array_equal(mask.reshape(4, 4), expected)
    # the digits' central 4x4 block
    assert np.array_equal(np.flatnonzero(block_mask(2, 2, 4, 4))[:4], [18, 19, 20, 21])


def test_block_mask_bad_input():
    with pytest.raises(ValueError, match="top"):
        block_mask(7, 0, 2, 2)
    with pytest.raises(ValueError, match="top"):
        block_mask(-1, 0, 2, 2)
    with pytest.raises(ValueError, match="height"):
        block_mask(0, 0, 0, 2)
    with pytest.raises(ValueError, match="left"):
        block_mask(0, 2, 2, 3, side=4)
    with pytest.raises(ValueError, match="visible"):
        block_mask(0, 0, 8, 8)


def test_split_and_fill_are_inverse():
    rng = np.random.default_rng(0)
    X = rng.random((5, 64))
    mask = block_mask(2, 2, 4, 4)
    visible, hidden = split_by_mask(X, mask)
    assert visible.shape == (5, 48) and hidden.shape == (5, 16)
    assert np.array_equal(fill_hidden(X, mask, hidden), X)
    blanked = fill_hidden(X, mask, np.zeros(16))           # one shared row
    assert np.all(blanked[:, mask] == 0) and np.array_equal(blanked[:, ~mask], X[:, ~mask])
    assert np.array_equal(split_by_mask(blanked, mask)[0], visible)
    assert not np.shares_memory(blanked, X)


def test_split_and_fill_bad_input():
    X = np.zeros((3, 64))
    with pytest.raises(ValueError, match="mask"):
        split_by_mask(X, np.zeros(64))                     # not boolean
    with pytest.raises(ValueError, match="mask"):
        split_by_mask(X, np.zeros(16, bool))
    with pytest.raises(ValueError, match="hidden"):
        fill_hidden(X, block_mask(0, 0, 2, 2), np.zeros((2, 4)))
    with pytest.raises(ValueError, match="hidden"):
        fill_hidden(X, block_mask(0, 0, 2, 2), np.zeros(5))


def test_bandit_curves_average_runs_and_rank_exploration():
    payouts = [0.2, 0.5, 0.8]
    c = bandit_curves(payouts, [0.0, 0.1], steps=300, runs=10, rng=3)
    assert c.average_reward.shape == (2, 300) and c.best_payout == 0.8
    assert np.all((c.average_reward >= 0) & (c.average_reward <= 1))
    again = bandit_curves(payouts, [0.0, 0.1], steps=300, runs=10, rng=3)
    assert np.array_equal(c.average_reward, again.average_reward)
    # one ε is exactly the mean of epsilon_greedy_runs played with the same generator
    played = epsilon_greedy_runs(payouts, 300, 0.0, runs=10, rng=np.random.default_rng(3))
    single = bandit_curves(payouts, [0.0], steps=300, runs=10, rng=3)
    assert np.allclose(single.average_reward[0], played.average_reward.mean(axis=0))
    assert single.best_arm_fraction[0] == played.best_arm_fraction.mean()
    # a little exploration finds the best arm more often than none
    many = bandit_curves([0.2, 0.35, 0.5, 0.55, 0.7], [0.0, 0.1], steps=1000, runs=20, rng=0)
    assert many.best_arm_fraction[1] > many.best_arm_fraction[0] + 0.2


def test_bandit_curves_bad_input():
    with pytest.raises(ValueError, match="epsilons"):
        bandit_curves([0.2, 0.8], [])
    with pytest.raises(ValueError, match="epsilons"):
        bandit_curves([0.2, 0.8], [1.5])
    with pytest.raises(ValueError, match="runs"):
        bandit_curves([0.2, 0.8], [0.1], runs=0)


def test_retrained_errors_matches_the_frozen_model_without_retraining():
    s = drifting_stream(600, rng=0)
    e = compare_on_stream(s, train_size=100, batch_size=20)
    starts, frozen = retrained_errors(s, train_size=100, batch_size=20, retrain_every=10_000, window=100)
    assert np.array_equal(starts, e.batch_starts)
    np.testing.assert_allclose(frozen, e.batch_model, rtol=1e-10)


def test_retraining_on_a_recent_window_recovers_after_the_drift():
    s = drifting_stream(2000, rng=1, noise=0.1)
    e = compare_on_stream(s, train_size=200, batch_size=20)
    starts, windowed = retrained_errors(s, 200, 20, retrain_every=200, window=200)
    _, everything = retrained_errors(s, 200, 20, retrain_every=200, window=None)
    late = starts >= s.drift_at + 400
    assert windowed[late].mean() < 0.03 < e.batch_model[late].mean()
    # training on all data mixes the two rules: better than frozen, worse than the window
    assert windowed[late].mean() < everything[late].mean() < e.batch_model[late].mean()
    # each model uses only data that arrived before the mini-batch it is scored on (no peeking)
    assert np.array_equal(windowed[starts < 400], e.batch_model[starts < 400])


def test_retrained_errors_bad_input():
    s = drifting_stream(100, rng=0)
    with pytest.raises(ValueError, match="train_size"):
        retrained_errors(s, train_size=100)
    with pytest.raises(ValueError, match="window"):
        retrained_errors(s, train_size=20, window=0)


def test_online_weight_path_reproduces_compare_on_stream():
    s = drifting_stream(500, rng=2, noise=0.2)
    e = compare_on_stream(s, train_size=100, batch_size=10, lr=0.1)
    weights, biases = online_weight_path(s, train_size=100, batch_size=10, lr=0.1)
    assert weights.shape == (len(e.batch_starts) + 1, 2) and biases.shape == (len(e.batch_starts) + 1,)
    errors = [np.mean((s.X[k:k + 10] @ w + b - s.y[k:k + 10]) ** 2)
              for k, w, b in zip(e.batch_starts, weights, biases)]
    np.testing.assert_allclose(errors, e.online_model, rtol=1e-10)
    with pytest.raises(ValueError, match="lr"):
        online_weight_path(s, lr=0)


def test_phase_means():
    starts = np.arange(0, 100, 10)
    errors = np.array([1, 1, 1, 1, 1, 9, 5, 2, 2, 2], float)
    assert phase_means(starts, errors, drift_at=50, settle=20) == (1.0, 7.0, 2.0)
    with pytest.raises(ValueError, match="phase"):
        phase_means(starts, errors, drift_at=50, settle=100)
    with pytest.raises(ValueError, match="errors"):
        phase_means(starts, errors[:3], drift_at=50, settle=20)
