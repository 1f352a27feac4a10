"""Every explorer, driven the way a student drives it: every control across its range, extremes included."""

import numpy as np
import pytest

from lessons_lib.explorers import all_explorers
from lessons_lib.explorers.activations import ActivationExplorer
from lessons_lib.explorers.base import STATIC_SITE_ENV, Choice, Slider, Toggle
from lessons_lib.explorers.gradients import SCENARIOS, GradientExplorer
from lessons_lib.explorers.learning_rate import LearningRateExplorer

EXPLORERS = all_explorers()  # every explorer of the book (lessons_lib/explorers/__init__.py)


def _all_values(spec):
    """The values a robustness run must visit: both ends of every slider, every option."""
    assert isinstance(spec, (Slider, Choice, Toggle)), spec
    return spec.extremes()


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("cls", EXPLORERS)
def test_every_control_across_its_range_in_random_order(cls):
    rng = np.random.default_rng(7)
    explorer = cls()
    box = explorer.widget()
    assert box.children, "the explorer shows controls"
    moves = [(name, value) for name, spec in cls.controls.items() for value in _all_values(spec)]
    moves += [(name, spec.sample(rng)) for name, spec in cls.controls.items() for _ in range(3)]
    rng.shuffle(moves)
    previous = explorer.image_widget.value
    changed = 0
    for name, value in moves:
        control = explorer.controls_widgets[name]
        control.value = value  # what a student's click does: the observer redraws
        assert explorer.last_error is None, (name, value, explorer.last_error)
        assert explorer.values[name] == pytest.approx(value) if not isinstance(value, str) else value
        changed += bytes(explorer.image_widget.value) != bytes(previous)
        previous = explorer.image_widget.value
        assert bytes(explorer.image_widget.value[:4]) == b"\x89PNG"
    assert changed > len(moves) // 2


def test_the_required_extremes_are_in_range():
    assert LearningRateExplorer.controls["lr"].high == 10.0
    assert GradientExplorer.controls["depth"].high == 50
    assert GradientExplorer.controls["dropout"].high == 0.9


def test_divergence_is_a_message_on_the_figure():
    explorer = LearningRateExplorer(optimizer="SGD", lr=10.0, epochs=5)
    explorer.render()
    assert explorer._message.get_visible()
    assert "learning rate is too large" in explorer._message.get_text().replace("\n", " ")
    explorer.update(lr=0.1)
    assert not explorer._message.get_visible()


def test_bad_values_are_rejected_with_the_control_name():
    with pytest.raises(ValueError, match="lr"):
        LearningRateExplorer(lr=100.0)
    with pytest.raises(ValueError, match="activation"):
        GradientExplorer(activation="swish")
    with pytest.raises(ValueError, match="'speed' is not a control"):
        ActivationExplorer(speed=1)


def test_gradient_scenarios_are_valid_settings():
    explorer = GradientExplorer()
    for _, values in SCENARIOS:
        explorer.set(**values)


def test_mimebundle_is_a_widget_live(monkeypatch):
    """Live in Jupyter; on the site, frames (tests/test_explorers_static.py)."""
    explorer = ActivationExplorer()
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    live = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in live and "text/html" not in live
    assert live["text/plain"] == explorer.describe()


def test_update_changes_only_artists_not_the_figure():
    explorer = ActivationExplorer()
    explorer.render()
    fig, axes, lines = explorer.figure, list(explorer.figure.axes), list(explorer.figure.axes[0].lines)
    explorer.update(first="tanh", z_max=12.0)
    assert explorer.figure is fig and list(fig.axes) == axes and list(fig.axes[0].lines) == lines


@pytest.mark.parametrize("cls, moves", [
    (GradientExplorer, [("depth", 7), ("init", "normal"), ("activation", "relu"), ("depth", 23), ("width", 32)]),
    (ActivationExplorer, [("z_max", 3.0), ("first", "relu"), ("threshold", 0.1), ("depth", 8), ("z_max", 15.0)]),
    (LearningRateExplorer, [("lr", 0.1), ("surface", "Rosenbrock"), ("optimizer", "SGD")]),
])
def test_incremental_redraw_matches_a_full_redraw(cls, moves):
    """The cached background never goes stale: every frame equals the same figure drawn from scratch."""
    import io

    from PIL import Image

    def pixels(png):
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)

    explorer = cls()
    explorer.render()
    for name, value in moves:
        incremental = pixels(explorer.update(**{name: value}))
        explorer._background = None  # force a full redraw of the same figure
        full = pixels(explorer.render())
        assert np.abs(incremental - full).max() <= 2, (name, value)


def test_every_explorer_is_registered():
    """Each Explorer subclass of lessons_lib.explorers is in EXPLORERS, so that the robustness test, the site
    grid tests and the latency benchmark cover it."""
    import importlib
    import pkgutil

    import lessons_lib.explorers as package
    from lessons_lib.explorers.core import Explorer

    found = set()
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found |= {obj for obj in vars(module).values() if isinstance(obj, type) and issubclass(obj, Explorer)
                  and obj is not Explorer and obj.__module__ == module.__name__}
    assert found == set(EXPLORERS)
