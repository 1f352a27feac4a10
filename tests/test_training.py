"""fit / evaluate / predict: learning, divergence reporting without warnings, reproducibility, bad input."""

import numpy as np
import pytest

from lessons_lib.losses import CrossEntropyLoss, MSELoss
from lessons_lib.network import mlp
from lessons_lib.optimizers import SGD, Adam
from lessons_lib.training import History, accuracy, evaluate, fit, predict


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    centres = np.array([[0.0, 3.0], [3.0, -2.0], [-3.0, -2.0]])
    return centres[y] + rng.normal(size=(n, 2)), y


def test_learns_three_blobs_with_validation():
    X, y = _blobs()
    Xv, yv = _blobs(60, seed=1)
    net = mlp([2, 16, 3], rng=0, batch_norm=True, dropout=0.1)
    hist = fit(net, "cross_entropy", Adam(net.parameters(), lr=0.02), X, y, epochs=15, batch_size=32, rng=0,
               validation_data=(Xv, yv))
    assert isinstance(hist, History)
    assert hist.diverged_at_step is None and hist.message.startswith("Completed 15 epochs (105 steps)")
    assert len(hist.train_loss) == len(hist.val_loss) == len(hist.val_accuracy) == 15
    assert len(hist.step_losses) == 15 * 7
    assert hist.train_loss[-1] < hist.train_loss[0]
    assert hist.val_accuracy[-1] > 0.9 and hist.train_accuracy[-1] > 0.9
    loss, acc = evaluate(net, CrossEntropyLoss(), Xv, yv)
    assert loss == pytest.approx(hist.val_loss[-1]) and acc == hist.val_accuracy[-1]
    assert net.training  # left in training mode


def test_divergence_stops_with_message_and_no_warnings():
    # pytest turns warnings into errors here, so any RuntimeWarning from numpy would fail this test.
    X, y = _blobs()
    net = mlp([2, 32, 32, 3], rng=0, init="normal")
    hist = fit(net, "cross_entropy", SGD(net.parameters(), lr=1e6), X, y, epochs=50, batch_size=16, rng=0)
    assert hist.diverged_at_step is not None
    assert not np.isfinite(hist.step_losses[-1])
    assert len(hist.step_losses) == hist.diverged_at_step
    assert f"step {hist.diverged_at_step}" in hist.message and "epoch" in hist.message
    assert hist.epochs_completed < 50
    loss, _ = evaluate(net, "cross_entropy", X, y)
    assert not np.isfinite(loss)


def test_regression_has_no_accuracy_and_clip_norm_works():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3
    net = mlp([3, 1], rng=0)
    hist = fit(net, MSELoss(), SGD(net.parameters(), lr=0.1), X, y, epochs=30, batch_size=16, rng=0,
               clip_norm=1.0)
    assert hist.train_accuracy == [] and hist.val_accuracy == []
    assert hist.train_loss[-1] < 1e-3
    np.testing.assert_allclose(net[0].W.value.ravel(), [1.0, -2.0, 0.5], atol=0.05)
    assert accuracy("mse", predict(net, X), y) is None


def test_same_seed_same_history():
    X, y = _blobs(80)

    def run():
        net = mlp([2, 8, 3], rng=3, dropout=0.2)
        return fit(net, "cross_entropy", Adam(net.parameters()), X, y, epochs=3, batch_size=10, rng=4)

    assert run().step_losses == run().step_losses


def test_callback_can_stop():
    X, y = _blobs(40)
    net = mlp([2, 4, 3], rng=0)
    seen = []

    def cb(epoch, history):
        seen.append(epoch)
        return epoch == 2

    hist = fit(net, "cross_entropy", Adam(net.parameters()), X, y, epochs=10, batch_size=8, rng=0, callback=cb)
    assert seen == [1, 2] and hist.epochs_completed == 2 and "callback" in hist.message


def test_predict_uses_eval_mode_and_restores_it():
    net = mlp([2, 8, 3], rng=0, dropout=0.5, batch_norm=True)
    X = np.random.default_rng(0).normal(size=(5, 2))
    a = predict(net, X)
    np.testing.assert_allclose(a, predict(net, X, batch_size=2), rtol=1e-13)  # eval: no batch dependence
    assert net.training


def test_bad_input():
    X, y = _blobs(20)
    net = mlp([2, 3], rng=0)
    opt = SGD(net.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="epochs"):
        fit(net, "cross_entropy", opt, X, y, epochs=0, batch_size=4, rng=0)
    with pytest.raises(ValueError, match="batch_size"):
        fit(net, "cross_entropy", opt, X, y, epochs=1, batch_size=0, rng=0)
    with pytest.raises(ValueError, match="X and y"):
        fit(net, "cross_entropy", opt, X, y[:5], epochs=1, batch_size=4, rng=0)
    with pytest.raises(ValueError, match="X must"):
        fit(net, "cross_entropy", opt, X.ravel(), y, epochs=1, batch_size=4, rng=0)
    with pytest.raises(ValueError, match="X must contain only finite"):
        fit(net, "cross_entropy", opt, np.full_like(X, np.nan), y, epochs=1, batch_size=4, rng=0)
    with pytest.raises(ValueError, match="rng"):
        fit(net, "cross_entropy", opt, X, y, epochs=1, batch_size=4, rng=None)
    with pytest.raises(ValueError, match="optimizer"):
        fit(net, "cross_entropy", "adam", X, y, epochs=1, batch_size=4, rng=0)
    with pytest.raises(ValueError, match="clip_norm"):
        fit(net, "cross_entropy", opt, X, y, epochs=1, batch_size=4, rng=0, clip_norm=-1.0)
    with pytest.raises(ValueError, match="validation_data"):
        fit(net, "cross_entropy", opt, X, y, epochs=1, batch_size=4, rng=0, validation_data=X)
    with pytest.raises(ValueError, match="callback"):
        fit(net, "cross_entropy", opt, X, y, epochs=1, batch_size=4, rng=0, callback=3)
    with pytest.raises(ValueError, match="name"):
        fit(net, "hinge", opt, X, y, epochs=1, batch_size=4, rng=0)
