"""Every explorer, driven the way a student drives it: every control across its range, extremes included."""

import base64
import re

import numpy as np
import pytest

from lessons_lib.explorers.activations import ActivationExplorer
from lessons_lib.explorers.base import STATIC_SITE_ENV, Choice, Slider, Toggle
from lessons_lib.explorers.gradients import SCENARIOS, GradientExplorer
from lessons_lib.explorers.learning_rate import LearningRateExplorer

EXPLORERS = [ActivationExplorer, GradientExplorer, LearningRateExplorer]


def _all_values(spec):
    """The values a robustness run must visit: both ends of every slider, every option."""
    if isinstance(spec, Slider):
        return [spec.sweep(2)[0], spec.sweep(2)[-1]]
    if isinstance(spec, Choice):
        return list(spec.options)
    if isinstance(spec, Toggle):
        return [True, False]
    raise AssertionError(spec)


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


@pytest.mark.parametrize("cls", [ActivationExplorer, GradientExplorer])
def test_static_html_has_one_frame_per_value_and_a_working_slider(cls):
    explorer = cls()
    html = explorer.static_html()
    label, sweep = explorer.static_sweep()
    frames = re.findall(r'"data:image/png;base64,([A-Za-z0-9+/=]+)"', html.split("var frames = ")[1])
    assert len(frames) == len(sweep) >= 6
    assert all(base64.b64decode(f).startswith(b"\x89PNG") for f in frames)
    assert len(set(frames)) == len(frames), "every frame differs"
    assert f'max="{len(sweep) - 1}"' in html and 'type="range"' in html
    assert "Run this notebook" in html
    assert len(html) < 2_000_000
    # The explorer is left as it was.
    assert explorer.values == cls().values


def test_static_frames_are_sharp_and_fit_the_column():
    """The site shows each frame at the live figure's CSS size, at most the text column (672 px), from a PNG
    with twice the pixels (sharp on high-density screens) and 256 colours (light pages)."""
    import io

    from PIL import Image

    explorer = ActivationExplorer()
    html = explorer.static_html()
    img = re.search(r'<img class="lessons-explorer-frame"[^>]*>', html).group(0)
    width, height = (int(re.search(rf'{k}="(\d+)"', img).group(1)) for k in ("width", "height"))
    assert width <= 672 and (width, height) == tuple(round(v * explorer.dpi) for v in explorer.figsize)
    frame = Image.open(io.BytesIO(base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', img).group(1))))
    assert frame.size == (2 * width, 2 * height) and frame.mode == "P"
    live = Image.open(io.BytesIO(explorer.render()))
    assert live.size == (width, height)          # live: one image pixel per CSS pixel, as Jupyter shows it


def test_gradient_scenarios_are_valid_settings():
    explorer = GradientExplorer()
    for _, values in SCENARIOS:
        explorer.set(**values)


def test_mimebundle_is_a_widget_live_and_frames_on_the_site(monkeypatch):
    explorer = ActivationExplorer()
    monkeypatch.delenv(STATIC_SITE_ENV, raising=False)
    live = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in live and "text/html" not in live
    assert live["text/plain"] == explorer.describe()
    monkeypatch.setenv(STATIC_SITE_ENV, "1")
    site = ActivationExplorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in site and "<img" in site["text/html"]


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
