"""The geometry of a 2-D TLU and the choice of training snapshots (sections 2.2, 2.2.1)."""


import numpy as np
import pytest

from lessons_lib import perceptron
from lessons_lib.views.perceptron import convergence_bound, snapshot_steps, tlu_region, trace_table

X_BINARY = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


def test_tlu_region_of_the_and_unit():
    # x1 + x2 - 1.5 >= 0 inside [0, 1]^2: the triangle (1, 0.5), (1, 1), (0.5, 1)
    r = tlu_region([1, 1], -1.5, (0, 1), (0, 1))
    np.testing.assert_allclose(r.firing, [[1, 0.5], [1, 1], [0.5, 1]])
    np.testing.assert_allclose(sorted(map(tuple, r.boundary)), [(0.5, 1), (1, 0.5)])
    # every boundary point has z = 0, every firing vertex z >= 0
    np.testing.assert_allclose(r.boundary @ [1, 1] - 1.5, 0, atol=1e-12)
    assert np.all(r.firing @ [1, 1] - 1.5 >= -1e-12)


def test_tlu_region_degenerate_cases():
    everywhere = tlu_region([0, 0], 0.0, (-1, 1), (-1, 1))      # step(0) = 1: fires on the whole box
    assert everywhere.boundary is None and len(everywhere.firing) == 4
    nowhere = tlu_region([0, 0], -1.0, (-1, 1), (-1, 1))
    assert nowhere.boundary is None and len(nowhere.firing) == 0
    outside = tlu_region([1, 1], -10.0, (-1, 1), (-1, 1))       # line misses the box
    assert outside.boundary is None and len(outside.firing) == 0
    vertical = tlu_region([-1, 0], 0.0, (-1, 1), (-1, 1))       # fires for x1 <= 0
    np.testing.assert_allclose(sorted(map(tuple, vertical.boundary)), [(0, -1), (0, 1)])


def test_tlu_region_bad_input():
    with pytest.raises(ValueError, match="w"):
        tlu_region([1, 2, 3], 0.0)
    with pytest.raises(ValueError, match="xlim"):
        tlu_region([1, 1], 0.0, xlim=(1, 0))


def test_snapshot_steps_start_updates_end():
    model = perceptron.Perceptron(2).fit(X_BINARY, [0, 0, 0, 1])
    hist = model.history
    updates = [k + 1 for k, m in enumerate(hist.mistake) if m]
    assert snapshot_steps(hist, 100) == [0, *updates, hist.n_steps]
    steps = snapshot_steps(hist, 6)
    assert len(steps) == 6 and steps[0] == 0 and steps[-1] == hist.n_steps
    assert steps[1] == updates[0] and steps[-2] == updates[-1]
    assert set(steps[1:-1]) <= set(updates)
    assert snapshot_steps(hist, 2) == [0, hist.n_steps]
    with pytest.raises(ValueError, match="n_panels"):
        snapshot_steps(hist, 1)


def test_trace_table_replays_the_rule():
    model = perceptron.Perceptron(2).fit(X_BINARY, [0, 0, 0, 1])
    lines = trace_table(model.history, X_BINARY, np.array([0, 0, 0, 1])).splitlines()
    assert len(lines) == 2 + model.history.n_steps
    # first instance (0, 0): predicted 1 (step(0) = 1), error -1, bias drops to -1
    assert [c.strip() for c in lines[2].split("|")] == ["1", "(0, 0)", "0", "1", "-1", "(0, 0)", "-1"]
    assert [c.strip() for c in lines[-1].split("|")][-2:] == ["(2, 1)", "-3"]
    with pytest.raises(ValueError, match="n_outputs"):
        two = perceptron.Perceptron(2, 2).fit(X_BINARY, np.eye(2)[[0, 0, 0, 1]])
        trace_table(two.history, X_BINARY, np.array([0, 0, 0, 1]))


def test_convergence_bound_known_values():
    # AND with w = (1, 1), b = -1.5: augmented weights (1, 1, -1.5), norm sqrt(4.25); every corner has
    # |z| = 0.5 or more, the closest ones exactly 0.5; the longest augmented input is (1, 1, 1).
    r = convergence_bound(X_BINARY, [0, 0, 0, 1], [1, 1], -1.5)
    assert r.margin == pytest.approx(0.5 / np.sqrt(4.25))
    assert r.radius == pytest.approx(np.sqrt(3))
    assert r.updates == pytest.approx(3 / (0.25 / 4.25))
    # a one-unit perceptron's W (2, 1) and b (1,) are accepted as they are
    same = convergence_bound(X_BINARY, [0, 0, 0, 1], np.array([[1.0], [1.0]]), np.array([-1.5]))
    assert same == r


def test_convergence_bound_holds_for_a_trained_perceptron():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = (X @ [1.0, -2.0] + 0.3 > 0).astype(float)
    model = perceptron.Perceptron(2).fit(X, y, max_epochs=1000)
    assert model.converged
    r = convergence_bound(X, y, model.W, model.b)
    assert r.margin > 0
    assert sum(model.history.mistake) <= r.updates


def test_convergence_bound_of_a_unit_that_does_not_separate():
    r = convergence_bound(X_BINARY, [0, 1, 1, 0], [1, 1], -0.5)     # OR's unit on XOR labels
    assert r.margin < 0 and r.updates == float("inf")


def test_convergence_bound_bad_input():
    with pytest.raises(ValueError, match="w and b"):
        convergence_bound(X_BINARY, [0, 0, 0, 1], [0, 0], 0.0)
    with pytest.raises(ValueError, match="w must"):
        convergence_bound(X_BINARY, [0, 0, 0, 1], [1, 1, 1], 0.0)
    with pytest.raises(ValueError, match="y must"):
        convergence_bound(X_BINARY, [0, 0, 1], [1, 1], 0.0)
    with pytest.raises(ValueError, match="y must"):
        convergence_bound(X_BINARY, [0, 0, 2, 1], [1, 1], 0.0)
    with pytest.raises(ValueError, match="b must"):
        convergence_bound(X_BINARY, [0, 0, 0, 1], [1, 1], [0.0, 1.0])
