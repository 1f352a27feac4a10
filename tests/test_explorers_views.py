"""What the explorers compute: each optimizer of the race at its own rate, and each explorer's view."""

import numpy as np
import pytest

from lessons_lib.explorers.activations import ActivationExplorer
from lessons_lib.explorers.gradients import GradientExplorer
from lessons_lib.explorers.learning_rate import LearningRateExplorer
from lessons_lib.views.learning_rate import (
    RACE_OPTIMIZERS,
    own_rates,
    race_at_own_rates,
    race_view,
    range_test_view,
)


def test_own_rates_scale_every_suggestion_by_the_same_factor():
    suggested = np.array([range_test_view(name).suggested_lr for name in RACE_OPTIMIZERS])
    rates = np.array(own_rates("Adam", 0.05))
    assert rates[RACE_OPTIMIZERS.index("Adam")] == 0.05          # the chosen optimizer: exactly the slider
    assert np.allclose(rates / suggested, 0.05 / suggested[RACE_OPTIMIZERS.index("Adam")])
    # SGD's suggestion is several times Adam's: the same setting gives SGD a larger rate.
    assert rates[RACE_OPTIMIZERS.index("SGD")] > 2 * rates[RACE_OPTIMIZERS.index("Adam")]


def test_race_at_own_rates_runs_each_path_at_its_rate():
    race = race_at_own_rates("ravine", "Adam", 0.02)
    assert [p.optimizer for p in race.paths] == list(RACE_OPTIMIZERS)
    assert race.rates == own_rates("Adam", 0.02)
    for path, rate in zip(race.paths, race.rates):
        alone = race_view("ravine", rate, optimizers=(path.optimizer,)).paths[0]
        assert np.array_equal(path.points, alone.points) and path.final_loss == alone.final_loss


def test_race_of_sgd_at_its_limit_bounces_and_beyond_diverges():
    """On the ravine SGD's steep direction has curvature 20: at 0.1 it bounces forever, above it diverges."""
    sgd = race_at_own_rates("ravine", "SGD", 0.1).paths[0]
    assert sgd.diverged_at is None and sgd.final_loss == pytest.approx(22.5, rel=1e-6)
    assert race_at_own_rates("ravine", "SGD", 0.3).paths[0].diverged_at is not None
    assert race_at_own_rates("ravine", "SGD", 0.05).paths[0].final_loss < 1e-3


def test_a_chosen_optimizer_outside_the_race_joins_it():
    race = race_at_own_rates("Rosenbrock", "Nesterov", 1e-3)
    assert [p.optimizer for p in race.paths] == list(RACE_OPTIMIZERS) + ["Nesterov"]
    assert race.rates[-1] == 1e-3 and len(race.rates) == 5


@pytest.mark.parametrize("kwargs, match", [
    (dict(surface="moon", chosen="SGD", lr=0.1), "surface"),
    (dict(surface="ravine", chosen="Adagrad", lr=0.1), "chosen"),
    (dict(surface="ravine", chosen="SGD", lr=0.0), "lr"),
])
def test_race_at_own_rates_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        race_at_own_rates(**kwargs)


def test_the_learning_rate_explorer_races_at_own_rates_and_says_so():
    explorer = LearningRateExplorer(optimizer="SGD", lr=0.1)
    rt, training, race = explorer.compute(**explorer.values)
    assert race.rates[0] == 0.1 and rt.suggested_lr == range_test_view("SGD").suggested_lr
    assert training.epochs[-1] == 20
    explorer.render()
    entries = [t.get_text() for t in explorer.c_legend.get_texts()]
    assert entries[0] == "SGD at 0.1: 22.5" and entries[3].startswith("Adam at ")
    assert f"× {0.1 / rt.suggested_lr:.2g}" in explorer.ax_c.title.get_text()


def test_the_activation_explorer_compares_two_curves_and_a_stack():
    explorer = ActivationExplorer()
    act, stack, threshold = explorer.compute(first="tanh", second="tanh", z_max=4.0, threshold=0.05, depth=2)
    assert [c.name for c in act.curves] == ["tanh"] and threshold == 0.05     # the same one twice: one curve
    assert act.z[0] == -4.0 and act.z[-1] == 4.0
    assert np.allclose(stack.linear, stack.slope * stack.x + stack.intercept)  # no activation: a straight line
    act, _, _ = explorer.compute(first="relu", second="sigmoid", z_max=6.0, threshold=0.01, depth=3)
    assert [c.name for c in act.curves] == ["relu", "sigmoid"]


def test_the_gradient_explorer_measures_the_network_it_is_given():
    view = GradientExplorer().compute(activation="relu", init="he_uniform", batch_norm=False, dropout=0.0,
                                      depth=12, width=32)
    assert len(view.gradient_rms) == 12 and view.activation == "relu" and view.init == "he_uniform"
    assert 0.1 < view.gradient_ratio < 10, "He initialisation keeps ReLU gradients level"
