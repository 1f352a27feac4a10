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
    BACKPROP_GRAPHS,
    BACKPROP_STEPS,
    backprop_graph,
    backprop_walk,
    decision_grid,
    graph_layout,
    moons_run,
    number_text,
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


# ---- backpropagation one node at a time (the explorer of section 2.3.1) ---------------------------------------

def _index(walk, name):
    return walk.names.index(name)


@pytest.mark.parametrize("graph", sorted(BACKPROP_GRAPHS))
@pytest.mark.parametrize("first_input", [2.0, -2.7, 0.0])
def test_walk_gradients_equal_backward_and_finite_differences(graph, first_input):
    walk = backprop_walk(graph, first_input)
    np.testing.assert_allclose(walk.grad, walk.engine_grad, rtol=1e-12, atol=1e-15)
    leaves = walk.leaf
    assert leaves.sum() == 4 and np.all(np.isnan(walk.numeric_grad[~leaves]))
    np.testing.assert_allclose(walk.grad[leaves], walk.numeric_grad[leaves], rtol=1e-6, atol=1e-8)
    # the values are those of the graph's forward pass
    output = backprop_graph(graph, first_input)
    assert walk.values[-1] == output.data and walk.grad[-1] == 1.0


def test_walk_numbers_worked_out_by_hand():
    walk = backprop_walk("neuron", 2.0)        # x = 2, w = 0.5, b = -0.3, t = 1
    y = np.tanh(0.5 * 2.0 - 0.3)
    assert walk.values[_index(walk, "L")] == pytest.approx((y - 1.0) ** 2)
    dz = 2 * (y - 1.0) * (1 - y ** 2)
    assert walk.grad[_index(walk, "w")] == pytest.approx(dz * 2.0)
    assert walk.grad[_index(walk, "x")] == pytest.approx(dz * 0.5)
    assert walk.grad[_index(walk, "b")] == pytest.approx(dz)
    assert walk.grad[_index(walk, "t")] == pytest.approx(-2 * (y - 1.0))
    shared = backprop_walk("shared", 2.0)      # w = 0.5, x1 = 2, x2 = -1.5, t = 1: e = 0.25 - 1
    e = 0.5 * (2.0 - 1.5) - 1.0
    assert shared.grad[_index(shared, "w")] == pytest.approx(2 * e * (2.0 - 1.5))    # = -0.75, two uses
    assert shared.grad[_index(shared, "x₁")] == pytest.approx(2 * e * 0.5)
    assert shared.grad[_index(shared, "t")] == pytest.approx(-2 * e)


@pytest.mark.parametrize("graph", sorted(BACKPROP_GRAPHS))
def test_walk_steps_forward_in_topological_then_backward_in_reverse_order(graph):
    walk = backprop_walk(graph)
    steps = walk.steps
    n = len(walk.names)
    assert len(steps) == BACKPROP_STEPS == 1 + (n - 4) + n
    assert steps[0].phase == "inputs" and np.array_equal(steps[0].has_value, walk.leaf)
    assert np.all(np.isnan(steps[0].grad))
    forward = [s for s in steps if s.phase == "forward"]
    backward = [s for s in steps if s.phase == "backward"]
    assert [s.node for s in forward] == [k for k in range(n) if not walk.leaf[k]]
    assert [s.node for s in backward] == list(range(n - 1, -1, -1))
    for s in forward:                           # a node is computed from parents that already have values
        parents = [p for p, c in walk.edges if c == s.node]
        assert s.has_value[s.node] and [walk.edges[e] for e in s.edges] == [(p, s.node) for p in parents]
        assert np.all(np.isnan(s.grad))
    assert np.all(forward[-1].has_value)
    for j, s in enumerate(backward):            # one more gradient per step, each final when it appears
        known = ~np.isnan(s.grad)
        assert known.sum() == j + 1 and s.grad[s.node] == walk.grad[s.node]
        assert all(walk.edges[e][0] == s.node for e in s.edges)
        assert all(known[c] for p, c in walk.edges if p == s.node)     # its users came first
    assert "finite differences agree" in steps[-1].lines[-1]


def test_walk_writes_the_local_rules():
    walk = backprop_walk("shared")
    w_step = next(s for s in walk.steps if s.phase == "backward" and s.node == _index(walk, "w"))
    rules = " ".join(w_step.lines)
    assert "∂(w·x₂)/∂w = x₂ = −1.5" in rules and "∂(w·x₁)/∂w = x₁ = 2" in rules
    assert "∂L/∂w = ∂L/∂u₂·∂u₂/∂w + ∂L/∂u₁·∂u₁/∂w" in rules and rules.endswith("= −0.75")
    neuron = backprop_walk("neuron")
    z_step = next(s for s in neuron.steps if s.phase == "backward" and s.node == _index(neuron, "z"))
    assert "∂(tanh z)/∂z = 1 − y² = 0.635" in " ".join(z_step.lines)
    m_step = next(s for s in neuron.steps if s.phase == "forward" and s.node == _index(neuron, "m"))
    assert m_step.lines[1] == "m = w·x = 0.5·2 = 1"


def test_walk_bad_input():
    with pytest.raises(ValueError, match="graph"):
        backprop_walk("xor")
    with pytest.raises(ValueError, match="first_input"):
        backprop_walk("neuron", float("nan"))
    with pytest.raises(ValueError, match="first_input"):
        backprop_graph("neuron", "2")


def test_backprop_explorer_site_grid_and_drawn_gradients():
    from lessons_lib.explorers import static
    from lessons_lib.explorers.backprop import BackpropExplorer

    explorer = BackpropExplorer()
    axes = static.site_axes(explorer)
    assert static.frame_count(explorer) == 2 * BACKPROP_STEPS <= 30
    for axis, i in zip(axes, static.start_index(explorer, axes)):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items())
    assert static.jupyter_only(explorer) == ["input x (x₁) (2)"]
    explorer.update(graph="shared", step=BACKPROP_STEPS - 1)
    walk = backprop_walk("shared", 2.0)
    shown = [t.get_text() for t in explorer.grad_texts if t.get_visible()]
    assert shown == [f"grad {number_text(g)}" for g in walk.engine_grad]
    assert explorer.body.get_text().endswith("to within 1e-6.")
