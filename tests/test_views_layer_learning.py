import numpy as np
import pytest

from lessons_lib.layers import Dense
from lessons_lib.losses import CrossEntropyLoss
from lessons_lib.network import mlp
from lessons_lib.optimizers import SGD
from lessons_lib.views.layer_learning import layer_learning, train_layers


def _data(seed=0, n=40, n_test=15, features=5, classes=3):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, features)), rng.integers(0, classes, n),
            rng.standard_normal((n_test, features)), rng.integers(0, classes, n_test))


def _train_one_by_one(X, y, X_test, y_test, seed, hidden, width, activation, init, lr, epochs, batch):
    """The reference: the library's Sequential, CrossEntropyLoss and SGD, one network at a time."""
    classes = int(max(y.max(), y_test.max())) + 1
    model = mlp([X.shape[1]] + [width] * hidden + [classes], activation, rng=seed, init=init)
    loss = CrossEntropyLoss()
    opt = SGD(model.parameters(), lr=lr)
    dense = [layer for layer in model if isinstance(layer, Dense)]
    W0 = [layer.W.value.copy() for layer in dense]
    shuffle = np.random.default_rng((seed, 1))
    changes, means, losses, accs = [], [], [], []

    def record():
        changes.append([np.linalg.norm(d.W.value - w0) / np.linalg.norm(w0) for d, w0 in zip(dense, W0)])
        h, hidden_means = X, []
        for layer in model:
            h, _ = layer.forward(h)
            if not isinstance(layer, Dense):
                hidden_means.append(h.mean())
        means.append(hidden_means)
        losses.append(loss(h, y))
        accs.append(np.mean(model(X_test).argmax(axis=1) == y_test))

    record()
    for _ in range(epochs):
        order = shuffle.permutation(len(X))
        for step in range(len(X) // batch):
            idx = order[step * batch:(step + 1) * batch]
            opt.zero_grad()
            out, caches = model.forward(X[idx])
            _, cache = loss.forward(out, y[idx])
            model.backward(loss.backward(cache), caches)
            opt.step()
        record()
    return np.array(changes), np.array(means), np.array(losses), np.array(accs)


@pytest.mark.parametrize("activation, init", [("sigmoid", "pytorch_default"), ("relu", "he_uniform"),
                                              ("tanh", "glorot_uniform")])
def test_batched_training_matches_the_library_network_by_network(activation, init):
    X, y, Xt, yt = _data()
    run = train_layers(X, y, Xt, yt, seeds=[3, 7], hidden_layers=2, width=6, activation=activation,
                       init=init, lr=0.5, epochs=3, batch_size=8)
    assert run.weight_change.shape == (2, 4, 3) and run.activation_mean.shape == (2, 4, 2)
    assert list(run.epochs) == [0, 1, 2, 3] and list(run.seeds) == [3, 7]
    for i, seed in enumerate((3, 7)):
        change, means, losses, accs = _train_one_by_one(X, y, Xt, yt, seed, 2, 6, activation, init, 0.5, 3, 8)
        np.testing.assert_allclose(run.weight_change[i], change, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(run.activation_mean[i], means, rtol=1e-9)
        np.testing.assert_allclose(run.train_loss[i], losses, rtol=1e-9)
        np.testing.assert_array_equal(run.test_accuracy[i], accs)
    assert np.all(run.weight_change[:, 0] == 0) and np.all(run.weight_change[:, 1:] > 0)


def test_a_seed_trains_the_same_alone_or_with_others():
    X, y, Xt, yt = _data(1)
    alone = train_layers(X, y, Xt, yt, seeds=[5], hidden_layers=3, width=4, epochs=2, batch_size=10)
    together = train_layers(X, y, Xt, yt, seeds=[2, 5], hidden_layers=3, width=4, epochs=2, batch_size=10)
    np.testing.assert_allclose(together.weight_change[1], alone.weight_change[0], rtol=1e-12)
    assert not np.allclose(together.weight_change[0], together.weight_change[1])


def test_layer_learning_matches_a_hand_computed_backward_pass():
    X, y, _, _ = _data(2, n=12)
    model = mlp([5, 4, 3, 3], "sigmoid", rng=4)
    before = [p.value.copy() for p in model.parameters()]
    view = layer_learning(model, X, y, lr=0.3)
    loss = CrossEntropyLoss()
    out, caches = model.forward(X)
    _, cache = loss.forward(out, y)
    grads, d = {}, loss.backward(cache)
    for i in range(len(model) - 1, -1, -1):
        grads[i] = d
        d = model[i].backward(d, caches[i])
    dense = [layer for layer in model if isinstance(layer, Dense)]
    expected_w = [np.sqrt(np.mean(layer.W.grad ** 2)) for layer in dense]
    np.testing.assert_allclose(view.weight_grad_rms, expected_w, rtol=1e-10)
    np.testing.assert_allclose(view.activation_grad_rms[:2],
                               [np.sqrt(np.mean(grads[1] ** 2)), np.sqrt(np.mean(grads[3] ** 2))], rtol=1e-10)
    assert np.isnan(view.activation_grad_rms[-1])
    np.testing.assert_allclose(view.update_ratio, 0.3 * view.weight_grad_rms / view.weight_rms)
    np.testing.assert_allclose(view.weight_rms, [np.sqrt(np.mean(d.W.value ** 2)) for d in dense])
    for p, v in zip(model.parameters(), before):   # the model is left as it was
        np.testing.assert_array_equal(p.value, v)


def test_bad_input():
    X, y, Xt, yt = _data()
    with pytest.raises(ValueError, match="seeds"):
        train_layers(X, y, Xt, yt, seeds=[])
    with pytest.raises(ValueError, match="seeds"):
        train_layers(X, y, Xt, yt, seeds=[0.5])
    with pytest.raises(ValueError, match="batch_size"):
        train_layers(X, y, Xt, yt, seeds=[0], batch_size=41)
    with pytest.raises(ValueError, match="lr"):
        train_layers(X, y, Xt, yt, seeds=[0], lr=0)
    with pytest.raises(ValueError, match="y_test"):
        train_layers(X, y, Xt, yt[:-1], seeds=[0])
    with pytest.raises(ValueError, match="X_test"):
        train_layers(X, y, Xt[:, :3], yt, seeds=[0])
    with pytest.raises(ValueError, match="hidden_layers"):
        train_layers(X, y, Xt, yt, seeds=[0], hidden_layers=0)
    with pytest.raises(ValueError, match="model"):
        layer_learning("not a model", X, y, lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        layer_learning(mlp([5, 3, 3], rng=0), X, y, lr=-1)
