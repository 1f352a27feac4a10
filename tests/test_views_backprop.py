"""The numbers behind the backpropagation figures (sections 2.3, 2.3.1)."""


import numpy as np
import pytest

from lessons_lib.autodiff import Value, mse_loss
from lessons_lib.datasets import make_xor
from lessons_lib.gradcheck import network_gradient_errors
from lessons_lib.layers import Dense
from lessons_lib.losses import MSELoss
from lessons_lib.network import Sequential, mlp
from lessons_lib.views.backprop import (
    decision_grid,
    graph_layout,
    moons_run,
    operation_counts,
    symmetry_run,
    to_value_mlp,
)


def _neuron():
    x, w, b = Value(2.0, label="x"), Value(-0.5, label="w"), Value(0.3, label="b")
    y = (x * w + b).tanh()
    return x, w, b, y


def test_graph_layout_points_every_edge_right():
    x, w, b, y = _neuron()
    layout = graph_layout(y)
    assert layout.nodes[-1] is y and len(layout.nodes) == 6
    for parent, child in layout.edges:
        assert layout.position[parent, 0] < layout.position[child, 0]
    # the bias is a leaf placed just left of the "+" that uses it
    k_b = layout.nodes.index(b)
    plus = next(k for k, n in enumerate(layout.nodes) if n.op == "+")
    assert layout.position[k_b, 0] == layout.position[plus, 0] - 1


def test_operation_counts():
    *_, y = _neuron()
    assert operation_counts(y) == {"operations": 3, "edges": 5, "leaves": 3}
    with pytest.raises(ValueError, match="output"):
        operation_counts(1.0)
    with pytest.raises(ValueError, match="output"):
        graph_layout("y")


def test_to_value_mlp_matches_the_vectorised_network():
    rng = np.random.default_rng(0)
    model = mlp([3, 4, 2], activation="tanh", rng=rng)
    X, T = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    vm = to_value_mlp(model)
    outs = vm.forward_batch(X)
    np.testing.assert_allclose([[o.data for o in row] for row in outs], model(X), atol=1e-12)
    mse_loss(outs, T).backward()
    model.zero_grad()
    out, caches = model.forward(X)
    loss = MSELoss()
    _, cache = loss.forward(out, T)
    model.backward(loss.backward(cache), caches)
    dW, db = vm.gradients()
    np.testing.assert_allclose(dW[0], model[0].W.grad, atol=1e-12)
    np.testing.assert_allclose(db[1], model[2].b.grad, atol=1e-12)


def test_to_value_mlp_bad_input():
    with pytest.raises(ValueError, match="model"):
        to_value_mlp([1, 2])
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="model"):
        to_value_mlp(Sequential(Dense(2, 2, rng, bias=False)))


def test_network_gradient_errors_are_tiny():
    rng = np.random.default_rng(1)
    model = mlp([2, 3, 1], activation="tanh", rng=rng)
    X, y = make_xor(6, rng=2)
    errors = network_gradient_errors(model, "bce_with_logits", X, y)
    assert set(errors) == {"layer 0 W", "layer 0 b", "layer 2 W", "layer 2 b"}
    assert max(errors.values()) < 1e-7


def test_symmetry_run_zero_start_keeps_units_identical():
    X, y = make_xor(40, rng=0)
    zero = symmetry_run("zeros", X, y, epochs=5)
    rand = symmetry_run("glorot_uniform", X, y, epochs=5)
    assert zero.hidden_weights.shape == (6, 2, 4)
    assert np.all(zero.unit_spread < 1e-12)          # identical up to rounding (exactly 0 in practice)
    assert np.any(zero.hidden_weights[-1] != 0.0)   # the units do move (sigmoid), but together
    assert rand.unit_spread[-1] > 0.1
    with pytest.raises(ValueError, match="epochs"):
        symmetry_run("zeros", X, y, epochs=0)


def test_decision_grid():
    rng = np.random.default_rng(0)
    model = mlp([2, 1], rng=rng)
    model[0].W.value[...] = [[1.0], [0.0]]
    model[0].b.value[...] = 0.0
    g = decision_grid(model, (-1, 1), (-2, 2), n=5)
    assert g.probability.shape == (5, 5)
    np.testing.assert_allclose(g.probability[:, 2], 0.5)        # x = 0 is on the boundary
    assert np.all(np.diff(g.probability, axis=1) > 0)
    with pytest.raises(ValueError, match="xlim"):
        decision_grid(model, (1, 0), (0, 1))
    with pytest.raises(ValueError, match="n"):
        decision_grid(model, (0, 1), (0, 1), n=1)


def test_moons_run_records_every_epoch_and_learns():
    run = moons_run(0, hidden=(8,), epochs=30)
    for series in (run.train_loss, run.train_loss_at_end, run.val_loss, run.val_accuracy):
        assert series.shape == (30,)
    assert np.all(np.isfinite(run.train_loss_at_end))
    # the network learns: its loss falls well below chance level (log 2) and its accuracy rises
    assert run.train_loss[-1] < 0.5 * np.log(2) < run.train_loss[0] + 0.2
    assert run.val_accuracy[-1] > 0.8
    # a straight line cannot follow the moons, but it beats knowing nothing
    assert 0.15 < run.line_loss < np.log(2)
    # the same seed gives the same run, another seed another run
    again = moons_run(0, hidden=(8,), epochs=30)
    np.testing.assert_array_equal(again.val_loss, run.val_loss)
    assert not np.array_equal(moons_run(1, hidden=(8,), epochs=30).val_loss, run.val_loss)


def test_moons_run_bad_input():
    with pytest.raises(ValueError, match="seed"):
        moons_run(0.5)
    with pytest.raises(ValueError, match="hidden"):
        moons_run(0, hidden=(0,))
    with pytest.raises(ValueError, match="epochs"):
        moons_run(0, epochs=0)
    with pytest.raises(ValueError, match="lr"):
        moons_run(0, lr=-1.0)
