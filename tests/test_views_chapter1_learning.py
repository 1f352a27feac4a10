"""The numbers behind the figures of sections 1.1.4-1.2.2 (masking, bandit curves, batch vs online), and behind
the bandit and drift explorers of 1.1.5 and 1.2.1/1.2.2."""


import numpy as np
import pytest

from lessons_lib.bandit import epsilon_greedy_runs
from lessons_lib.online import compare_on_stream, drifting_stream
from lessons_lib.views.chapter1_learning import (
    BANDIT_HORIZON,
    BANDIT_MAX_RUNS,
    EXPLORER_EPSILONS,
    EXPLORER_PAYOUTS,
    bandit_bands,
    bandit_curves,
    bandit_view,
    block_mask,
    drift_view,
    explorer_stream,
    fill_hidden,
    online_weight_path,
    phase_means,
    retrained_errors,
    split_by_mask,
    trailing_mean,
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


# --- the bandit explorer (1.1.5) ----------------------------------------------------------------------------

def test_bandit_bands_on_arms_that_always_pay():
    b = bandit_bands([1.0, 1.0, 1.0], 0.3, steps=40, runs=5, rng=0)
    assert np.all(b.average_reward == 1) and np.all(b.reward_band == 1)
    assert np.all(b.regret == 0) and np.all(b.regret_band == 0) and b.runs == 5 and b.epsilon == 0.3


def test_bandit_bands_are_direct_counts_over_the_runs():
    payouts = np.array([0.2, 0.5, 0.8])
    b = bandit_bands(payouts, 0.1, steps=200, runs=30, rng=4)
    played = epsilon_greedy_runs(payouts, 200, 0.1, runs=30, rng=np.random.default_rng(4))
    regret = np.cumsum(0.8 - payouts[played.actions], axis=1)     # what each pull gave up, added up
    np.testing.assert_allclose(b.regret, regret.mean(0))
    np.testing.assert_allclose(b.regret_band, np.percentile(regret, [25, 75], axis=0))
    np.testing.assert_allclose(b.average_reward, played.average_reward.mean(0))
    np.testing.assert_allclose(b.reward_band, np.percentile(played.average_reward, [25, 75], axis=0))
    # each pull gives up between 0 and the largest gap, 0.6
    assert np.all(np.diff(regret, axis=1) >= 0) and np.all(regret <= 0.6 * np.arange(1, 201) + 1e-9)


def test_bandit_bands_expected_regret():
    # Greedy on arms paying 0 and 1: it pulls at random until arm 1 pays, then keeps it. The pulls of arm 0
    # before that are geometric with mean 1 (each pull is a fair coin): the regret ends at 1 on average.
    greedy = bandit_bands([0.0, 1.0], 0.0, steps=30, runs=4000, rng=1)
    assert greedy.regret[-1] == pytest.approx(1.0, abs=0.1) and greedy.regret_band[0, -1] == 0
    # Always random (ε = 1) on arms paying 0 and 1: every pull gives up 0.5 on average.
    random = bandit_bands([0.0, 1.0], 1.0, steps=200, runs=500, rng=2)
    assert random.regret[-1] == pytest.approx(100.0, abs=2.0)
    assert random.average_reward[-1] == pytest.approx(0.5, abs=0.01)


def test_bandit_view_slices_one_cached_game():
    full = bandit_view(0.1, BANDIT_HORIZON, BANDIT_MAX_RUNS)
    short = bandit_view(0.1, 300, BANDIT_MAX_RUNS)
    assert np.array_equal(short.chosen.regret, full.chosen.regret[:300])
    assert np.array_equal(short.chosen.reward_band, full.chosen.reward_band[:, :300])
    assert np.array_equal(short.pulls, np.arange(1, 301)) and short.best_payout == 0.7 == max(EXPLORER_PAYOUTS)
    # the greedy reference is the view of ε = 0
    assert np.array_equal(short.greedy.regret, bandit_view(0.0, 300, BANDIT_MAX_RUNS).chosen.regret)
    # fewer runs: the first ones of the same game, so the means over all runs average them
    halves = [bandit_view(0.1, 300, 100).chosen.regret, full.chosen.regret[:300]]
    assert not np.array_equal(*halves)
    assert np.all(halves[1] >= 0) and np.all(np.diff(halves[1]) >= 0)


def test_bandit_view_exploring_beats_greedy_over_the_notebooks_game():
    view = bandit_view(0.1, 1000, BANDIT_MAX_RUNS)
    assert view.chosen.regret[-1] < 0.5 * view.greedy.regret[-1]
    assert view.chosen.average_reward[-1] > view.greedy.average_reward[-1] + 0.05
    # the greedy runs are a gamble: the middle half of them spreads far wider than the ε = 0.1 runs
    spread = [np.diff(b.regret_band[:, -1])[0] for b in (view.greedy, view.chosen)]
    assert spread[0] > 3 * spread[1]


def test_bandit_bad_input():
    with pytest.raises(ValueError, match="epsilon"):
        bandit_view(0.15)
    with pytest.raises(ValueError, match="steps"):
        bandit_view(0.1, steps=BANDIT_HORIZON + 1)
    with pytest.raises(ValueError, match="steps"):
        bandit_view(0.1, steps=0)
    with pytest.raises(ValueError, match="runs"):
        bandit_view(0.1, runs=BANDIT_MAX_RUNS + 1)
    with pytest.raises(ValueError, match="epsilon"):
        bandit_bands([0.2, 0.8], 1.5)
    with pytest.raises(ValueError, match="payouts"):
        bandit_bands([0.2], 0.1)


# --- the drift explorer (1.2.1, 1.2.2) ----------------------------------------------------------------------

def test_trailing_mean():
    np.testing.assert_allclose(trailing_mean([1.0, 2.0, 3.0, 4.0], 2), [1.0, 1.5, 2.5, 3.5])
    np.testing.assert_allclose(trailing_mean([4.0, 2.0], 5), [4.0, 3.0])
    with pytest.raises(ValueError, match="k"):
        trailing_mean([1.0], 0)


def test_drift_view_plays_the_notebooks_stream():
    stream = explorer_stream()
    again = drifting_stream(3000, rng=1, noise=0.3)
    assert np.array_equal(stream.X, again.X) and stream.drift_at == 1500
    view = drift_view(0.05, 300, 300)
    kw = dict(train_size=200, batch_size=10)
    starts, batch = retrained_errors(again, **kw, retrain_every=300, window=300)
    online = compare_on_stream(again, **kw, lr=0.05).online_model
    assert np.array_equal(view.batch_starts, starts)
    np.testing.assert_allclose(view.batch_errors, batch, rtol=1e-12)
    np.testing.assert_allclose(view.online_errors, online, rtol=1e-12)
    after = starts >= 1500
    assert view.batch_after == pytest.approx(batch[after].mean()) and view.online_after == pytest.approx(
        online[after].mean())
    # the numbers of the notebooks' tables: the window model "later" (1.2.1) and η = 0.05 (1.2.2)
    assert f"{phase_means(starts, view.batch_errors, 1500, 300)[2]:.3f}" == "0.158"
    assert [f"{m:.3f}" for m in phase_means(starts, view.online_errors, 1500, 300)] == ["0.090", "0.928", "0.091"]
    # refits every 300 examples after the first fit at 200, and none when the interval exceeds the stream
    assert view.refits.tolist() == [500, 800, 1100, 1400, 1700, 2000, 2300, 2600, 2900]
    assert drift_view(0.05, 3000, 300).refits.size == 0
    assert view.message == "" and not view.diverged and view.noise_floor == pytest.approx(0.09)
    np.testing.assert_allclose(view.online_smoothed[4], online[:5].mean())


@pytest.mark.filterwarnings("error")
def test_drift_view_reports_a_diverging_online_learner():
    bursts = drift_view(0.8, 300, 300)                  # noisy bursts, but it still follows (1.2.2, exercise 2)
    assert not bursts.diverged
    view = drift_view(1.2, 300, 300)
    assert view.diverged and "diverged" in view.message and "1.2" in view.message
    assert np.all(np.isfinite(view.online_errors)) and view.online_errors.max() == 1e3
    assert np.all(np.isfinite(view.online_smoothed))


def test_drift_view_bad_input():
    with pytest.raises(ValueError, match="lr"):
        drift_view(0.0, 300, 300)
    with pytest.raises(ValueError, match="retrain_every"):
        drift_view(0.05, 0, 300)
    with pytest.raises(ValueError, match="window"):
        drift_view(0.05, 300, 0)


def test_bandit_and_drift_explorers_site_grids_hold_the_defaults():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.bandit import BanditExplorer
    from lessons_lib.explorers.drift import DriftExplorer

    for cls in (BanditExplorer, DriftExplorer):
        explorer = cls()
        axes = static.site_axes(explorer)
        for axis, i in zip(axes, static.start_index(explorer, axes)):
            assert all(explorer.values[key] == value for key, value in axis.settings[i].items()), axis.label
        assert static.frame_count(explorer) <= 24
    assert static.jupyter_only(BanditExplorer()) == ["runs averaged (100)"]
    assert static.jupyter_only(DriftExplorer()) == []
    assert set(BanditExplorer.site_grid["epsilon"]) <= set(EXPLORER_EPSILONS)
    # the largest window is all the data
    explorer = DriftExplorer()
    assert explorer.compute(0.05, 300, 3000) is drift_view(0.05, 300, None)
