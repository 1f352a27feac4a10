"""The batched training sweep of section 2.3.5 agrees with separate runs, and runs never interact."""

import numpy as np
import pytest

from lessons_lib.views.learning_rate import range_test_view, training_sweep, training_view


def test_sweep_agrees_with_separate_runs():
    runs = ((0, 0.01), (1, 0.003), (0, 0.1))
    sweep = training_sweep("Adam", runs, epochs=4)
    assert sweep.val_accuracy.shape == sweep.val_loss.shape == (3, 4)
    assert sweep.seeds == (0, 1, 0)
    np.testing.assert_allclose(sweep.lrs, [0.01, 0.003, 0.1])
    for k, (seed, lr) in enumerate(runs):
        alone = training_view("Adam", lr, epochs=4, seed=seed)
        np.testing.assert_allclose(sweep.val_loss[k], alone.val_loss, rtol=1e-9)
        np.testing.assert_array_equal(sweep.val_accuracy[k], alone.val_accuracy)
        assert sweep.initial_loss[k] == pytest.approx(alone.initial_loss, rel=1e-12)
    np.testing.assert_array_equal(sweep.final_accuracy, sweep.val_accuracy[:, -1])


def test_a_diverging_run_fails_alone():
    # SGD at lr 1e100 overflows (fit stops it); the run beside it must train exactly as it would alone
    sweep = training_sweep("SGD", ((0, 1e100), (0, 0.1)), epochs=3)
    assert np.all(np.isnan(sweep.val_accuracy[0])) and sweep.final_accuracy[0] == 0.0
    assert len(training_view("SGD", 1e100, epochs=3, seed=0).val_accuracy) == 0
    alone = training_view("SGD", 0.1, epochs=3, seed=0)
    np.testing.assert_array_equal(sweep.val_accuracy[1], alone.val_accuracy)
    assert sweep.final_accuracy[1] > 0.8


def test_range_test_view_uses_a_long_lightly_smoothed_sweep():
    rt = range_test_view("SGD")
    assert len(rt.lrs) <= 300 and rt.lrs[0] == pytest.approx(1e-5)
    assert rt.lrs[1] / rt.lrs[0] == pytest.approx(1e6 ** (1 / 299))


def test_sweep_bad_input():
    with pytest.raises(ValueError, match="optimizer"):
        training_sweep("Adagrad", ((0, 0.1),))
    with pytest.raises(ValueError, match="runs"):
        training_sweep("Adam", ())
    with pytest.raises(ValueError, match="runs"):
        training_sweep("Adam", (0.1,))
    with pytest.raises(ValueError, match="lr"):
        training_sweep("Adam", ((0, 0.0),))
    with pytest.raises(ValueError, match="epochs"):
        training_sweep("Adam", ((0, 0.1),), epochs=0)
