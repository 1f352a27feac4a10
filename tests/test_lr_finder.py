"""Learning-rate range test: the sweep, smoothing, early stop without warnings, and full restoration."""

import numpy as np
import pytest

from lessons_lib.lr_finder import lag_factor, lr_range_test, suggest_lr
from lessons_lib.network import mlp
from lessons_lib.optimizers import SGD, Adam


def _data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    return np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])[y] + rng.normal(size=(n, 2)), y


def test_sweep_smoothing_and_early_stop_without_warnings():
    X, y = _data()
    net = mlp([2, 32, 3], rng=0)
    res = lr_range_test(net, "cross_entropy", Adam(net.parameters()), X, y, rng=0, num_steps=200,
                        smoothing=0.98)
    n = len(res.losses)
    assert len(res.lrs) == len(res.smoothed) == n
    full = 1e-5 * (10 / 1e-5) ** (np.arange(200) / 199)
    np.testing.assert_allclose(res.lrs, full[:n])
    assert res.lrs[0] == pytest.approx(1e-5)
    # the loss explodes at large rates: the sweep stops before lr = 10
    assert res.stopped_early and n < 200
    # bias-corrected smoothing recomputed by hand on the finite prefix
    avg, want = 0.0, []
    for k, v in enumerate(res.losses[np.isfinite(res.losses)]):
        avg = 0.98 * avg + 0.02 * v
        want.append(avg / (1 - 0.98 ** (k + 1)))
    np.testing.assert_allclose(res.smoothed[np.isfinite(res.smoothed)], want)
    assert res.smoothed[0] == pytest.approx(res.losses[0])
    assert 1e-4 < res.suggested_lr < 1.0
    i = int(np.nanargmin(res.smoothed))
    assert res.suggested_lr == pytest.approx(res.lrs[i] / 10)


def test_model_and_optimizer_are_restored():
    X, y = _data(64)
    net = mlp([2, 8, 3], rng=0, batch_norm=True, dropout=0.2)
    opt = Adam(net.parameters(), lr=3e-3)
    # give the optimizer some state and the model some non-default buffers first
    for _ in range(2):
        out, caches = net.forward(X[:16])
        net.zero_grad()
        net.backward(np.ones_like(out), caches)
        opt.step()
    net.eval()
    before_model, before_opt = net.state_dict(), opt.state_dict()
    grads = [p.grad.copy() for p in net.parameters()]
    lr_range_test(net, "cross_entropy", opt, X, y, rng=1, num_steps=50, batch_size=16)
    after_model, after_opt = net.state_dict(), opt.state_dict()
    assert before_model.keys() == after_model.keys()
    for k in before_model:
        np.testing.assert_array_equal(before_model[k], after_model[k])
    assert before_opt["hyperparameters"] == after_opt["hyperparameters"] and opt.lr == 3e-3
    for s0, s1 in zip(before_opt["state"], after_opt["state"]):
        assert s0["step"] == s1["step"] == 2
        for key in ("exp_avg", "exp_avg_sq"):
            np.testing.assert_array_equal(s0[key], s1[key])
    for g, p in zip(grads, net.parameters()):
        np.testing.assert_array_equal(g, p.grad)
    assert not net.training


def test_explosion_to_non_finite_is_reported_not_warned():
    # Linear regression with plain SGD: past lr ~ 1 every step multiplies the error, up to overflow.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    y = X @ np.array([[1.0], [2.0]])
    net = mlp([2, 1], rng=0)
    res = lr_range_test(net, "mse", SGD(net.parameters(), lr=1.0), X, y, rng=0, start_lr=1.0,
                        end_lr=1e12, num_steps=60, diverge_factor=1e300)
    assert res.stopped_early
    assert not np.isfinite(res.losses[-1]) and np.isnan(res.smoothed[-1])


def test_suggest_lr_on_a_made_up_curve():
    lrs = np.logspace(-5, 1, 7)
    assert suggest_lr(lrs, [5, 4, 3, 1, 2, 8, 20]) == pytest.approx(1e-3)
    assert np.isnan(suggest_lr(lrs[:1], [np.nan]))


def test_bad_input():
    X, y = _data(16)
    net = mlp([2, 3], rng=0)
    opt = SGD(net.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="end_lr"):
        lr_range_test(net, "cross_entropy", opt, X, y, rng=0, start_lr=1.0, end_lr=0.5)
    with pytest.raises(ValueError, match="start_lr"):
        lr_range_test(net, "cross_entropy", opt, X, y, rng=0, start_lr=0.0)
    with pytest.raises(ValueError, match="num_steps"):
        lr_range_test(net, "cross_entropy", opt, X, y, rng=0, num_steps=1)
    with pytest.raises(ValueError, match="smoothing"):
        lr_range_test(net, "cross_entropy", opt, X, y, rng=0, smoothing=1.0)
    with pytest.raises(ValueError, match="diverge_factor"):
        lr_range_test(net, "cross_entropy", opt, X, y, rng=0, diverge_factor=1.0)
    with pytest.raises(ValueError, match="optimizer"):
        lr_range_test(net, "cross_entropy", None, X, y, rng=0)


def test_default_sweep_is_long_and_lightly_smoothed():
    X, y = _data()
    net = mlp([2, 32, 3], rng=0)
    res = lr_range_test(net, "cross_entropy", Adam(net.parameters()), X, y, rng=0)
    full = 1e-5 * (10 / 1e-5) ** (np.arange(300) / 299)
    np.testing.assert_allclose(res.lrs, full[:len(res.lrs)])
    avg, want = 0.0, []
    for k, v in enumerate(res.losses[:5]):
        avg = 0.9 * avg + 0.1 * v
        want.append(avg / (1 - 0.9 ** (k + 1)))
    np.testing.assert_allclose(res.smoothed[:5], want)


def test_lag_factor_known_values_and_bad_input():
    # mean age of an exponential average: smoothing / (1 - smoothing) steps; rate grows 10**(6/299) per step
    assert lag_factor(1e-5, 10.0, 300, 0.9) == pytest.approx(10 ** (6 * 9 / 299))
    assert lag_factor(1e-5, 10.0, 300, 0.9) == pytest.approx(1.5157, abs=1e-4)
    assert lag_factor(1e-5, 10.0, 100, 0.98) == pytest.approx(10 ** (6 * 49 / 99))
    assert lag_factor(1e-3, 1.0, 10, 0.0) == 1.0          # no smoothing, no lag
    assert lag_factor(num_steps=120, smoothing=0.98) > 100 * lag_factor()  # the old setting: far more
    with pytest.raises(ValueError, match="end_lr"):
        lag_factor(1.0, 0.5)
    with pytest.raises(ValueError, match="num_steps"):
        lag_factor(num_steps=1)
    with pytest.raises(ValueError, match="smoothing"):
        lag_factor(smoothing=1.0)


def test_smoothing_lag_matches_the_rule_of_thumb_on_a_known_curve():
    # a noise-free "loss" that turns up at step 150: the smoothed curve's minimum comes about 9 steps later
    lrs = 1e-5 * (1e6) ** (np.arange(300) / 299)
    raw = np.abs(np.arange(300) - 150.0) / 10 + 1.0
    avg, smooth = 0.0, []
    for k, v in enumerate(raw):
        avg = 0.9 * avg + 0.1 * v
        smooth.append(avg / (1 - 0.9 ** (k + 1)))
    shift = lrs[int(np.argmin(smooth))] / lrs[150]
    assert 1.0 < shift <= lag_factor()
