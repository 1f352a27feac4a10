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


# ---------------------------------------------------------------------------------------------------------
# The explorers: a hand-set unit (2.2) and the rule replayed update by update (2.2.1)
# ---------------------------------------------------------------------------------------------------------
from lessons_lib.datasets import make_blobs  # noqa: E402
from lessons_lib.explorers import static  # noqa: E402
from lessons_lib.explorers.perceptron import PerceptronTrainingExplorer, TLUExplorer  # noqa: E402
from lessons_lib.views.perceptron import (  # noqa: E402
    DATASETS,
    explorer_data,
    firing_grid,
    normal_arrow,
    tlu_view,
    training_run,
    update_view,
)


def test_explorer_data_sets():
    X, y, xlim, ylim = explorer_data("xor")
    np.testing.assert_array_equal(X, X_BINARY)
    np.testing.assert_array_equal(y, [0, 1, 1, 0])
    assert xlim == ylim == (-0.5, 1.5) and not X.flags.writeable
    # the clouds are section 2.2.1's: the first draw of its generator, shifted by (2, 1)
    Xb, yb, xlim, ylim = explorer_data("blobs")
    X_ref, y_ref = make_blobs(n_samples=40, rng=np.random.default_rng(2_2_1), separation=2.5, margin=0.2)
    np.testing.assert_array_equal(Xb, X_ref + [2.0, 1.0])
    np.testing.assert_array_equal(yb, y_ref)
    assert xlim[1] - xlim[0] == pytest.approx(ylim[1] - ylim[0])          # a square box
    assert np.all((Xb > [xlim[0], ylim[0]]) & (Xb < [xlim[1], ylim[1]]))
    with pytest.raises(ValueError, match="data"):
        explorer_data("nand")


def test_tlu_view_counts_the_mistakes():
    v = tlu_view("and", 1.0, 1.0, -0.5)                # OR's unit on the AND targets
    np.testing.assert_array_equal(v.z, [-0.5, 0.5, 0.5, 1.5])
    np.testing.assert_array_equal(v.wrong, [False, True, True, False])
    assert v.errors == 2 and v.distance == pytest.approx(0.5 / np.sqrt(2))
    assert tlu_view("and", 1.0, 1.0, -1.5).errors == 0
    assert tlu_view("and", -1.0, -1.0, 1.5).errors == 4       # NAND: every answer flipped
    assert tlu_view("or", 1.0, 1.0, -0.5).errors == 0
    rng = np.random.default_rng(0)
    for data in DATASETS:
        X, y, _, _ = explorer_data(data)
        for w1, w2, b in rng.uniform(-3, 3, size=(10, 3)):
            v = tlu_view(data, w1, w2, b)
            direct = sum(int(w1 * x1 + w2 * x2 + b >= 0) != t for (x1, x2), t in zip(X, y))
            assert v.errors == direct == v.wrong.sum()
    # no single line gets XOR right: the best of a fine sweep still makes one mistake
    grid = np.linspace(-3, 3, 7)
    sweep = [tlu_view("xor", w1, w2, b).errors for w1 in grid for w2 in grid for b in grid]
    assert min(sweep) == 1


def test_tlu_view_without_weights_has_no_boundary():
    v = tlu_view("or", 0.0, 0.0, -1.0)
    assert v.region.boundary is None and v.arrow is None and v.distance is None
    assert v.errors == 3 and not v.firing.any()
    with pytest.raises(ValueError, match="w1"):
        tlu_view("or", float("nan"), 0.0, 0.0)
    with pytest.raises(ValueError, match="b"):
        tlu_view("or", 1.0, 0.0, "1")


def test_firing_grid_matches_the_unit_and_its_region():
    w, b, box = np.array([1.0, -2.0]), 0.3, ((-1.0, 1.0), (-1.0, 1.0))
    grid = firing_grid(w, b, *box, n=50)
    centres = -1 + (np.arange(50) + 0.5) * 2 / 50
    assert grid[10, 40] == (centres[40] - 2 * centres[10] + 0.3 >= 0)          # row = x2, column = x1
    # the share of firing pixels is the area of tlu_region's polygon, to within a pixel row
    poly = tlu_region(w, b, *box).firing
    area = 0.5 * abs(np.dot(poly[:, 0], np.roll(poly[:, 1], 1)) - np.dot(poly[:, 1], np.roll(poly[:, 0], 1)))
    assert grid.mean() == pytest.approx(area / 4, abs=2 / 50)
    with pytest.raises(ValueError, match="w"):
        firing_grid([1.0], 0.0, *box)


def test_normal_arrow_is_perpendicular_and_inside():
    box = ((-0.5, 1.5), (-0.5, 1.5))
    for w, b in (([1.0, 1.0], -1.5), ([-1.0, 2.0], 0.2), ([0.0, 3.0], -1.4)):
        region = tlu_region(w, b, *box)
        start, end = normal_arrow(region, w, *box)
        np.testing.assert_allclose(start, region.boundary.mean(axis=0))
        along = region.boundary[1] - region.boundary[0]
        assert np.dot(end - start, along) == pytest.approx(0, abs=1e-12)
        assert np.dot(end - start, w) > 0                        # toward the firing side
        assert np.all(end >= -0.5) and np.all(end <= 1.5)
    assert normal_arrow(tlu_region([1, 1], -10, *box), [1, 1], *box) is None


def test_training_run_is_the_library_run():
    for data, updates, converged in (("and", 11, True), ("or", 5, True), ("blobs", 12, True), ("xor", 38, False)):
        run = training_run(data, 1.0)
        assert run.n_updates == updates and run.model.converged == converged, data
        hist = run.model.history
        assert list(run.updates) == [k for k, m in enumerate(hist.mistake) if m]
        for u in range(run.n_updates + 1):
            w, b = run.weights[u], run.biases[u]
            assert run.errors[u] == int(np.sum((run.X @ w + b >= 0) != run.y))
    assert training_run("and", 1.0).errors[-1] == 0 and training_run("xor", 1.0).errors.min() >= 1
    # the same run as a Perceptron trained directly (the AND run of section 2.2.1)
    direct = perceptron.Perceptron(2).fit(X_BINARY, [0, 0, 0, 1], max_epochs=10)
    np.testing.assert_array_equal(training_run("and", 1.0).weights[-1], direct.W[:, 0])
    # from zero weights, eta only rescales the weights (0.5 is exact in binary)
    np.testing.assert_array_equal(training_run("and", 0.5).weights, 0.5 * training_run("and", 1.0).weights)
    with pytest.raises(ValueError, match="eta"):
        training_run("and", 0.0)


def test_update_view_shows_the_rule_of_the_library():
    """Every step the explorer shows is w_after = w_before + eta (y - y_hat) x, as Perceptron.fit made it."""
    for data in DATASETS:
        for eta in (1.0, 0.3):
            run = training_run(data, eta)
            for u in range(1, run.n_updates + 1):
                v = update_view(data, eta, u)
                y_hat = float(v.x @ v.w_before + v.b_before >= 0)
                assert v.prediction == y_hat != v.target               # an update follows a mistake
                np.testing.assert_array_equal(v.w_after, v.w_before + eta * (v.target - y_hat) * v.x)
                assert v.b_after == v.b_before + eta * (v.target - y_hat)
                np.testing.assert_array_equal(v.delta_w, v.w_after - v.w_before)
                k = run.updates[u - 1]
                np.testing.assert_array_equal(v.w_after, run.model.history.weights[k + 1][:, 0])
    # the AND run's first updates, as the trace table of section 2.2.1 prints them
    first, second = update_view("and", 1.0, 1), update_view("and", 1.0, 2)
    assert first.sample == 0 and first.target == 0 and first.b_after == -1 and not first.w_after.any()
    np.testing.assert_array_equal(second.x, [1, 1])
    np.testing.assert_array_equal(second.w_after, [1, 1])
    start, past = update_view("and", 1.0, 0), update_view("and", 1.0, 40)
    assert start.sample is None and start.wrong.sum() == 3
    assert past.update == 11 and past.wrong.sum() == 0
    with pytest.raises(ValueError, match="update"):
        update_view("and", 1.0, -1)
    with pytest.raises(ValueError, match="data"):
        update_view("nand", 1.0, 1)


@pytest.mark.parametrize("cls", [TLUExplorer, PerceptronTrainingExplorer])
def test_explorer_site_grid_holds_the_defaults(cls):
    explorer = cls()
    axes = static.site_axes(explorer)
    assert static.frame_count(explorer) == 24
    start = static.start_index(explorer, axes)
    for axis, i in zip(axes, start):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items()), axis.label


def test_the_site_offers_what_the_texts_ask_for():
    assert static.jupyter_only(TLUExplorer()) == []
    assert [a.names for a in static.site_axes(TLUExplorer())] == [
        ("AND", "OR", "XOR"), ("(1, 1)", "(−1, −1)"), ("-1.5", "-0.5", "0.5", "1.5")]
    assert static.jupyter_only(PerceptronTrainingExplorer()) == ["learning rate η (1)"]
    assert static.site_axes(PerceptronTrainingExplorer())[1].names == ("0", "1", "2", "4", "7", "12")


@pytest.mark.parametrize("cls, values, move, title", [
    (TLUExplorer, dict(data="xor", w1=-1.0, w2=-1.0, b=1.5), ("data", "blobs"),
     "two clouds: 27 errors of 40\nw = (−1, −1), b = 1.5"),
    (PerceptronTrainingExplorer, dict(update=4), ("data", "or"), "Update 4 of 5 (epoch 2):\nx = (1, 0), y = 1, ŷ = 0"),
])
def test_titles_and_incremental_redraw(cls, values, move, title):
    """The title reports the view; a redraw of only what changed equals a full redraw."""
    import io

    from PIL import Image

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)

    explorer = cls(**values)
    explorer.render()
    incremental = pixels(explorer.update(**dict([move])))
    assert explorer.ax.title.get_text() == title
    explorer._background = None
    assert np.abs(incremental - pixels(explorer.render())).max() <= 2
