"""Section 2.3's XOR explorer: one seeded run of an MLP on XOR, step by step (lessons_lib/views/xor.py)."""

import numpy as np
import pytest

from lessons_lib.explorers.xor import XORExplorer
from lessons_lib.network import mlp
from lessons_lib.optimizers import SGD
from lessons_lib.training import evaluate, fit, predict
from lessons_lib.views.xor import PLANE, XOR_X, XOR_Y, line_in_box, solved_count, xor_network, xor_run, xor_view


def test_line_in_box_known_lines():
    # x + y - 1 = 0 crosses the square [-0.5, 1.5]² from corner to corner
    ends = line_in_box([1.0, 1.0], -1.0)
    assert sorted(map(tuple, np.round(ends, 12))) == [(-0.5, 1.5), (1.5, -0.5)]
    # x = 0.5: a vertical line, from the bottom edge to the top edge
    ends = line_in_box([2.0, 0.0], -1.0)
    assert sorted(map(tuple, ends)) == [(0.5, -0.5), (0.5, 1.5)]
    # y = 2 lies above the square, and w = 0 is no line at all
    assert np.isnan(line_in_box([0.0, 1.0], -2.0)).all()
    assert np.isnan(line_in_box([0.0, 0.0], 1.0)).all()


def test_line_in_box_ends_lie_on_the_line_and_on_the_border():
    rng = np.random.default_rng(0)
    for _ in range(50):
        w, b = rng.normal(size=2), rng.normal()
        ends = line_in_box(w, b)
        if np.isnan(ends).any():
            continue
        np.testing.assert_allclose(ends @ w + b, 0.0, atol=1e-12)
        assert np.all((ends >= PLANE[0] - 1e-12) & (ends <= PLANE[1] + 1e-12))
        on_border = np.isclose(ends, PLANE[0]) | np.isclose(ends, PLANE[1])
        assert on_border.any(axis=1).all()                 # each end on an edge of the square


def test_line_in_box_bad_input():
    with pytest.raises(ValueError, match="w"):
        line_in_box([1.0, 2.0, 3.0], 0.0)
    with pytest.raises(ValueError, match="high"):
        line_in_box([1.0, 1.0], 0.0, low=1.0, high=1.0)


def test_run_starts_from_the_section_network_and_records_the_loss_of_every_step():
    run = xor_run(2, 0)
    assert run.steps == 500 and run.W1.shape == (501, 2, 2) and run.b2.shape == (501,)
    # the same generator draws the weights as in the section's exercise 3
    net = mlp([2, 2, 1], activation="tanh", rng=np.random.default_rng(0), init="glorot_uniform")
    np.testing.assert_array_equal(run.W1[0], net[0].W.value)
    np.testing.assert_array_equal(run.W2[0], net[2].W.value[:, 0])
    for step in (0, 1, 37, 500):
        loss, _ = evaluate(xor_network(run, step), "bce_with_logits", XOR_X, XOR_Y)
        assert run.loss[step] == pytest.approx(loss, rel=1e-9)


def test_one_recorded_step_is_one_step_of_the_library():
    run = xor_run(2, 0)
    net = xor_network(run, 10)
    fit(net, "bce_with_logits", SGD(net.parameters(), lr=0.5), XOR_X, XOR_Y, epochs=1, batch_size=4, rng=0)
    np.testing.assert_allclose(net[0].W.value, run.W1[11], atol=1e-12)
    np.testing.assert_allclose(net[0].b.value, run.b1[11], atol=1e-12)
    np.testing.assert_allclose(net[2].W.value[:, 0], run.W2[11], atol=1e-12)
    assert net[2].b.value[0] == pytest.approx(run.b2[11], abs=1e-12)


def test_view_counts_the_right_answers_and_draws_each_hidden_unit():
    view = xor_view(2, 500, 0)
    net = xor_network(xor_run(2, 0), 500)
    answers = (predict(net, XOR_X)[:, 0] > 0).astype(int)
    assert np.array_equal(view.answers, answers) and view.correct == int(np.sum(answers == XOR_Y)) == 4
    assert view.lines.shape == (2, 2, 2) and view.loss_now == view.loss[500]
    # the probability image agrees with the answers at the four corners of the unit square
    grid = view.grid
    for (a, b), answer in zip(XOR_X, answers):
        i, j = np.argmin(np.abs(grid - b)), np.argmin(np.abs(grid - a))
        assert (view.probability[i, j] > 0.5) == bool(answer)
    # hidden unit k's line is where its net input is zero
    w, bias = xor_run(2, 0).W1[500][:, 1], xor_run(2, 0).b1[500][1]
    np.testing.assert_allclose(view.lines[1] @ w + bias, 0.0, atol=1e-9)
    # seed 1 gets stuck with two hidden units: two answers stay wrong
    assert xor_view(2, 500, 1).correct == 2


def test_one_hidden_unit_never_solves_xor_and_four_do():
    assert solved_count(1, range(3)) == 0
    assert solved_count(4, [0, 1]) == 2


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="hidden"):
        xor_run(0)
    with pytest.raises(ValueError, match="step"):
        xor_network(xor_run(2, 0), 501)
    with pytest.raises(ValueError, match="step"):
        xor_view(2, -1)
    with pytest.raises(ValueError, match="seeds"):
        solved_count(2, [])


def test_site_grid_contains_the_defaults():
    explorer = XORExplorer()
    for name, values in XORExplorer.site_grid.items():
        assert explorer.values[name] in values, name
    assert set(XORExplorer.site_grid) == {"hidden", "step", "seed"}
