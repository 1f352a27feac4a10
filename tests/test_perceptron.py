import numpy as np
import pytest

from lessons_lib.perceptron import Perceptron, step

TRUTH = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_step_convention():
    assert np.array_equal(step(np.array([-0.5, 0.0, 0.5])), [0.0, 1.0, 1.0])


@pytest.mark.parametrize("targets", [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 0]],
                         ids=["AND", "OR", "NAND", "NOT-x1"])
def test_learns_linearly_separable_gates(targets):
    p = Perceptron(2).fit(TRUTH, targets, max_epochs=50)
    assert p.converged
    assert "converged" in p.message
    assert np.array_equal(p.predict(TRUTH), targets)


def test_and_by_hand_first_updates():
    # zero start, eta = 1: (0,0) -> z = 0 -> predicts 1, target 0 -> b = -1; (0,1): z = -1 -> 0, ok;
    # (1,0): ok; (1,1): z = -1 -> 0, target 1 -> w = (1, 1), b = 0.
    p = Perceptron(2).fit(TRUTH, [0, 0, 0, 1])
    h = p.history
    assert h.mistake[:4] == [True, False, False, True]
    assert np.array_equal(h.biases[1], [-1.0])
    assert np.array_equal(h.weights[4][:, 0], [1.0, 1.0]) and np.array_equal(h.biases[4], [0.0])


def test_history_records_every_instance():
    p = Perceptron(2, rng=0).fit(TRUTH, [0, 1, 1, 1], shuffle=True)
    h = p.history
    n_epochs = len(h.errors_per_epoch)
    assert h.n_steps == 4 * n_epochs
    assert len(h.weights) == len(h.biases) == h.n_steps + 1
    assert h.errors_per_epoch[-1] == 0
    assert sum(h.mistake) == sum(h.errors_per_epoch)
    for e in range(n_epochs):                      # each epoch presents every instance once
        assert sorted(s for s, ep in zip(h.sample, h.epoch, strict=True) if ep == e) == [0, 1, 2, 3]
    # weights change exactly at the mistakes, and the change is eta (y - y_hat) x
    for k in range(h.n_steps):
        changed = not np.array_equal(h.weights[k], h.weights[k + 1]) or \
            not np.array_equal(h.biases[k], h.biases[k + 1])
        assert changed == h.mistake[k]
    assert np.array_equal(h.weights[-1], p.W) and np.array_equal(h.biases[-1], p.b)


def test_xor_does_not_converge():
    p = Perceptron(2).fit(TRUTH, [0, 1, 1, 0], max_epochs=30)
    assert not p.converged
    assert "did not converge in 30 epochs" in p.message and "linearly separable" in p.message
    assert len(p.history.errors_per_epoch) == 30
    assert all(e > 0 for e in p.history.errors_per_epoch)


def test_converges_on_separable_blobs_with_shuffling():
    rng = np.random.default_rng(0)
    direction = np.array([0.6, 0.8])
    X = rng.normal(size=(200, 2))
    margin = X @ direction
    X = X[np.abs(margin) > 0.3]
    y = (X @ direction > 0).astype(int)
    p = Perceptron(2, eta=0.5, rng=1, init="normal").fit(X, y, max_epochs=200, shuffle=True)
    assert p.converged
    assert np.array_equal(p.predict(X), y)


def test_several_outputs():
    Y = np.array([[0, 0], [0, 1], [0, 1], [1, 1]])          # AND and OR at once
    p = Perceptron(2, n_outputs=2).fit(TRUTH, Y)
    assert p.converged
    assert np.array_equal(p.predict(TRUTH), Y)
    assert p.W.shape == (2, 2) and p.b.shape == (2,)


def test_deterministic_given_seed():
    X = np.random.default_rng(3).normal(size=(30, 3))
    y = (X[:, 0] - X[:, 2] > 0).astype(int)
    a = Perceptron(3, rng=5, init="normal").fit(X, y, shuffle=True)
    b = Perceptron(3, rng=np.random.default_rng(5), init="normal").fit(X, y, shuffle=True)
    assert a.history.sample == b.history.sample
    assert np.array_equal(a.W, b.W)


def test_bad_arguments():
    with pytest.raises(ValueError, match="eta"):
        Perceptron(2, eta=0)
    with pytest.raises(ValueError, match="eta"):
        Perceptron(2, eta=-1.0)
    with pytest.raises(ValueError, match="n_inputs"):
        Perceptron(0)
    with pytest.raises(ValueError, match="init"):
        Perceptron(2, init="glorot")
    with pytest.raises(ValueError, match="rng"):
        Perceptron(2, init="normal")
    with pytest.raises(ValueError, match="rng"):
        Perceptron(2).fit(TRUTH, [0, 0, 0, 1], shuffle=True)
    with pytest.raises(ValueError, match="y must contain only"):
        Perceptron(2).fit(TRUTH, [0, 2, 0, 1])
    with pytest.raises(ValueError, match="y must contain only"):
        Perceptron(2).fit(TRUTH, [-1, 1, -1, 1])
    with pytest.raises(ValueError, match="X must have 2 columns"):
        Perceptron(2).fit(TRUTH[:, :1], [0, 0, 0, 1])
    with pytest.raises(ValueError, match="same number of instances"):
        Perceptron(2).fit(TRUTH, [0, 0, 1])
    with pytest.raises(ValueError, match="n_outputs"):
        Perceptron(2, n_outputs=2).fit(TRUTH, [0, 0, 0, 1])
    with pytest.raises(ValueError, match="max_epochs"):
        Perceptron(2).fit(TRUTH, [0, 0, 0, 1], max_epochs=0)
    with pytest.raises(ValueError, match="X"):
        Perceptron(2).predict(np.array([[np.nan, 1.0]]))
