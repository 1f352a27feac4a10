"""The pure functions behind the explorers: known values and the lessons they must show."""

import subprocess
import sys

import numpy as np
import pytest

from lessons_lib.views.activations import activation_view, saturated_intervals, stacked_layers
from lessons_lib.views.gradients import gradient_flow_view
from lessons_lib.views.learning_rate import race_view, range_test_view, training_view


def test_views_and_models_do_not_import_matplotlib_or_widgets():
    """Every view and every model module is numpy-only: what a figure shows is tested without drawing it."""
    code = """
import importlib, pkgutil, sys
import lessons_lib, lessons_lib.views
skip = {"plots", "explorers", "views"}
names = [f"lessons_lib.views.{m.name}" for m in pkgutil.iter_modules(lessons_lib.views.__path__)]
names += [f"lessons_lib.{m.name}" for m in pkgutil.iter_modules(lessons_lib.__path__) if m.name not in skip]
for name in names:
    importlib.import_module(name)
print(len(names), sorted(m for m in ("matplotlib", "ipywidgets") if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, loaded = out.stdout.strip().split(" ", 1)
    assert int(count) > 30 and loaded == "[]"


def test_saturated_intervals():
    z = np.arange(6.0)
    assert saturated_intervals(z, np.array([1, 1, 0, 0, 1, 0], bool)) == ((0.0, 1.0), (4.0, 4.0))
    assert saturated_intervals(z, np.zeros(6, bool)) == ()


def test_activation_view_marks_the_right_regions():
    v = activation_view(["relu", "sigmoid"], z_max=6.0, n_points=13, threshold=0.01)
    relu, sig = v.curves
    assert relu.saturated == ((-6.0, 0.0),)  # derivative 0 on the negative side (and at 0, as PyTorch)
    # sigmoid'(z) = s(1 - s) < 0.01 exactly when |z| > 4.595...
    assert sig.saturated == ((-6.0, -5.0), (5.0, 6.0))
    np.testing.assert_allclose(sig.derivative[6], 0.25)


def test_activation_view_bad_input():
    with pytest.raises(ValueError, match="names"):
        activation_view([])
    with pytest.raises(ValueError, match="z_max"):
        activation_view(["tanh"], z_max=0)
    with pytest.raises(ValueError, match="name"):
        activation_view(["swish"])


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("depth", [1, 3, 10])
def test_linear_stack_collapses_into_one_linear_map(activation, depth):
    s = stacked_layers(activation, depth, rng=1)
    np.testing.assert_allclose(s.linear, s.slope * s.x + s.intercept, atol=1e-9 * np.max(np.abs(s.linear)))
    # With the nonlinearity the output is not a straight line: its second differences are not all zero.
    bent = s.nonlinear / np.max(np.abs(s.nonlinear))
    assert np.max(np.abs(np.diff(bent, 2))) > 1e-4


def _ratio(activation, init, batch_norm=False):
    return gradient_flow_view(activation, init, 10, 128, batch_norm).gradient_ratio


def test_glorot_and_bengio_findings():
    # "Standard" initialisation U(±1/sqrt(n)) with sigmoid or tanh: gradients shrink layer after layer.
    assert _ratio("sigmoid", "pytorch_default") < 1e-4
    assert _ratio("tanh", "pytorch_default") < 2e-2
    # Glorot initialisation keeps tanh's gradients roughly level ...
    assert 0.2 < _ratio("tanh", "glorot_uniform") < 5
    # ... but not the sigmoid's, whose derivative is at most 1/4 (the book says so).
    assert _ratio("sigmoid", "glorot_uniform") < 1e-3
    # With ReLU, He initialisation does what Glorot's does for tanh.
    assert 0.2 < _ratio("relu", "he_uniform") < 5
    assert _ratio("relu", "pytorch_default") < 1e-2
    # Batch normalization rescues the standard initialisation.
    assert 0.2 < _ratio("sigmoid", "pytorch_default", batch_norm=True) < 10


def test_gradient_flow_overflow_is_reported_not_warned():
    v = gradient_flow_view("relu", "normal", 50, 256, False)
    assert v.message.startswith(("overflow", "exploding"))
    assert np.isfinite(v.gradient_rms).any()


def test_range_test_view_suggests_a_sane_rate_and_is_cached():
    a = range_test_view("Adam")
    assert 1e-4 < a.suggested_lr < 1.0
    assert range_test_view("Adam") is a


def test_training_view_learns_with_a_good_rate():
    t = training_view("Adam", 1e-2, epochs=10)
    assert t.val_accuracy[-1] > 0.9 and not t.diverged
    assert t.epochs.tolist() == list(range(1, 11))


def test_race_detects_divergence_and_convergence():
    r = race_view("ravine", 0.15, steps=150)
    paths = {p.optimizer: p for p in r.paths}
    # On the ravine f = (x² + 20 y²)/2 plain SGD is stable only for lr < 2/20 = 0.1.
    assert paths["SGD"].diverged_at is not None
    assert paths["Adam"].diverged_at is None and paths["Adam"].final_loss < 0.1
    r = race_view("ravine", 0.05, steps=150)
    assert all(p.diverged_at is None for p in r.paths)
    assert r.grid_z.shape == r.grid_x.shape


def test_race_bad_input():
    with pytest.raises(ValueError, match="surface"):
        race_view("moon", 0.1)
    with pytest.raises(ValueError, match="lr"):
        race_view("ravine", 0.0)
