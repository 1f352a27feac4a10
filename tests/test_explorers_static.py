"""The static site's explorers (lessons_lib/explorers/static.py): frames over a grid of controls, as files."""

import base64
import io
import json
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from lessons_lib.explorers import all_explorers, static
from lessons_lib.explorers.activations import ActivationExplorer
from lessons_lib.explorers.base import Choice, Explorer, Preset, Slider, Toggle
from lessons_lib.explorers.gradients import SCENARIOS, GradientExplorer
from lessons_lib.explorers.learning_rate import LearningRateExplorer

EXPLORERS = all_explorers()  # every explorer of the book (lessons_lib/explorers/__init__.py)
# The largest grids (the activation and gradient explorers) have 60 frames, 4 and 8 s of one core in the site
# build (which prints every explorer's time); no grid may be larger.
MAX_FRAMES = 60


class Tiny(Explorer):
    """A cheap explorer for the machinery: a curve whose kind and frequency the site offers."""

    title = "Tiny </explorer>"
    controls = {
        "kind": Choice("kind", ("sin", "cos", "tan"), "cos", {"tan": "tangent"}),
        "freq": Slider("frequency", 1.0, 4.0, 2.5),
        "grid": Toggle("grid lines"),
        "amp": Slider("amplitude", 0.5, 2.0, 1.0),
    }
    site_grid = {"kind": ("sin", "cos", "tan"), "freq": 4}
    figsize = (3.0, 2.0)

    def compute(self, kind, freq, grid, amp):
        x = np.linspace(0, 1, 50)
        return x, amp * getattr(np, kind)(freq * x)

    def build(self, fig):
        self.ax = fig.add_subplot()
        (self.line,) = self.ax.plot([], [])

    def draw(self, view):
        self.line.set_data(*view)
        self.ax.set_xlim(0, 1)
        self.ax.set_ylim(-3, 3)


def _data(html):
    return json.loads(re.search(r'class="lessons-explorer-data">(.*?)</script>', html, re.S).group(1))


def test_site_axes_name_every_stop():
    axes = static.site_axes(Tiny())
    assert [a.label for a in axes] == ["kind", "frequency"]
    assert axes[0].names == ("sin", "cos", "tangent")
    assert axes[1].names == ("1", "2", "3", "4") and axes[1].settings[1] == {"freq": 2.0}
    assert static.frame_count(Tiny) == 12


def test_frames_vary_the_last_axis_fastest_and_keep_the_other_values():
    explorer = Tiny(amp=2.0)
    frames = static.frame_settings(explorer)
    assert [index for index, _ in frames[:5]] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]
    assert frames[5][1] == {"kind": "cos", "freq": 2.0, "grid": False, "amp": 2.0}


def test_start_is_the_current_setting_and_the_rest_is_named_jupyter_only():
    explorer = Tiny(freq=3.0)
    assert static.start_index(explorer, static.site_axes(explorer)) == (1, 2)
    assert static.start_index(Tiny(freq=2.5), static.site_axes(explorer)) == (1, 0)  # not a stop: the first
    assert static.jupyter_only(explorer) == ["grid lines (off)", "amplitude (1)"]


def test_presets_set_several_controls():
    class Scenarios(Tiny):
        site_grid = {"setting": Preset("setting", (("fast sine", {"kind": "sin", "freq": 4.0}),
                                                   ("slow cosine", {"kind": "cos", "freq": 1.0}))),
                     "amp": (0.5, 2.0)}

    explorer = Scenarios()
    axes = static.site_axes(explorer)
    assert axes[0].names == ("fast sine", "slow cosine") and axes[1].names == ("0.5", "2")
    assert static.frame_settings(explorer)[3][1] == {"kind": "cos", "freq": 1.0, "grid": False, "amp": 2.0}
    assert static.jupyter_only(explorer) == ["grid lines (off)"]


@pytest.mark.parametrize("grid, match", [
    ({"speed": (1, 2)}, "'speed' is not a control"),
    ({"freq": (1.0, 9.0)}, "freq must be in"),
    ({"kind": ("sin",)}, "at least two values"),
    ({"p": Preset("p", (("a", {"kind": "sine"}), ("b", {"kind": "cos"})))}, "kind must be one of"),
])
def test_a_bad_grid_is_rejected_naming_the_control(grid, match):
    cls = type("Bad", (Tiny,), {"site_grid": grid})
    with pytest.raises(ValueError, match=match):
        static.site_axes(cls())


def test_a_preset_needs_named_settings():
    with pytest.raises(ValueError, match="options"):
        Preset("p", (("a", "sin"),))


def test_inline_frames_without_a_folder(monkeypatch):
    monkeypatch.delenv(static.FRAMES_DIR_ENV, raising=False)
    explorer = Tiny()
    html = explorer.static_html()
    data = _data(html)
    assert len(data["frames"]) == 12 and data["names"][0] == ["sin", "cos", "tangent"]
    pngs = [base64.b64decode(f.split(",", 1)[1]) for f in data["frames"]]
    assert all(p.startswith(b"\x89PNG") for p in pngs) and len(set(pngs)) == 12, "every frame differs"
    assert html.count('type="range"') == 2 and 'max="2"' in html and 'max="3"' in html
    # Each slider announces its value's name; the frame it opens with is the current setting.
    assert 'aria-valuetext="cos"' in html and 'aria-valuetext="1"' in html
    assert f'src="{data["frames"][4]}"' in html
    assert 'alt="Tiny &lt;/explorer&gt;: kind = cos, frequency = 1"' in html
    assert "Jupyter only:</strong> grid lines (off), amplitude (1)." in html
    assert "Run this notebook" in html
    assert "</explorer>" not in html.split('class="lessons-explorer-data">')[1].split("</script>")[0]
    assert explorer.values == Tiny().values and explorer.figure is None  # left as it was


def test_frames_are_files_named_by_their_content(monkeypatch, tmp_path):
    monkeypatch.setenv(static.FRAMES_DIR_ENV, str(tmp_path / "frames"))
    monkeypatch.setenv(static.FRAMES_URL_ENV, "../_static/explorer-frames/")
    monkeypatch.setenv(static.FRAMES_LOG_ENV, str(tmp_path / "frames.log"))
    html = Tiny().static_html()
    assert "data:image" not in html and len(html) < 10_000
    urls = _data(html)["frames"]
    files = sorted((tmp_path / "frames").iterdir())
    assert len(files) == 12 and not list((tmp_path / "frames").glob("*.tmp"))
    assert sorted(u.rsplit("/", 1)[1] for u in urls) == [f.name for f in files]
    assert all(u.startswith("../_static/explorer-frames/") and u.endswith(".png") for u in urls)
    again = Tiny().static_html()
    assert _data(again)["frames"] == urls and len(list((tmp_path / "frames").iterdir())) == 12
    log = (tmp_path / "frames.log").read_text().splitlines()
    assert len(log) == 2 and re.fullmatch(r"Tiny: 12 frames in \d+\.\d s, \d+\.\d\d MB", log[0])


def test_site_frames_are_sharp_and_fit_the_column():
    """The site shows each frame at the live figure's CSS size, at most the text column (672 px), from a PNG
    with twice the pixels (sharp on high-density screens) and 256 colours (light files)."""
    explorer = ActivationExplorer()
    with explorer.site_rendering():
        frame = Image.open(io.BytesIO(explorer.render()))
    width, height = (round(v * explorer.dpi) for v in explorer.figsize)
    assert width <= 672
    assert frame.size == (2 * width, 2 * height) and frame.mode == "P"
    live = Image.open(io.BytesIO(explorer.render()))
    assert live.size == (width, height)          # live: one image pixel per CSS pixel, as Jupyter shows it


def test_mimebundle_on_the_site(monkeypatch):
    monkeypatch.setenv(static.STATIC_SITE_ENV, "1")
    monkeypatch.delenv(static.FRAMES_DIR_ENV, raising=False)
    bundle = Tiny()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle and "<img" in bundle["text/html"]
    assert bundle["text/plain"] == Tiny().describe()


@pytest.mark.parametrize("cls", EXPLORERS)
def test_every_explorer_has_a_site_grid_within_the_budget(cls):
    explorer = cls()
    axes = static.site_axes(explorer)
    assert 2 <= len(axes) <= 3, "two or three site controls"
    assert static.frame_count(explorer) <= MAX_FRAMES
    # The site opens on the notebook's default settings.
    start = static.start_index(explorer, axes)
    for axis, i in zip(axes, start):
        assert all(explorer.values[k] == v for k, v in axis.settings[i].items()), axis.label


def test_the_site_offers_what_the_texts_ask_for():
    # 2.3.3: every activation, compared with tanh or ReLU, at z up to ±20.
    names = static.site_axes(ActivationExplorer())
    assert len(names[0].names) == 10 and names[1].names == ("none", "tanh", "relu")
    assert names[2].names == ("6", "20")
    assert static.jupyter_only(ActivationExplorer()) == ["saturation threshold on |φ′| (0.01)", "stacked layers (3)"]
    # 2.3.2: the scenarios of the table, depths 10, 20, 50 (exercise 1, batch norm at depth 50), dropout 0.9
    # (exercise 2, which needs tanh with the standard init and ReLU with He init).
    axes = static.site_axes(GradientExplorer())
    assert axes[0].names == tuple(label for label, _ in SCENARIOS)
    assert {"activation": "relu", "init": "he_uniform", "batch_norm": False} in axes[0].settings
    assert axes[1].names == ("10", "20", "50") and axes[2].names == ("0", "0.9")
    assert static.jupyter_only(GradientExplorer()) == ["units per layer (128)"]
    # 2.3.5: SGD as well as Adam, at rates that include 0.1 (where SGD bounces on the ravine).
    axes = static.site_axes(LearningRateExplorer())
    assert axes[0].names == ("SGD", "Adam") and "0.1" in axes[1].names and len(axes[1].names) == 13
    assert static.jupyter_only(LearningRateExplorer()) == ["epochs (20)", "race surface (ravine)"]


def panel_problems(fig, slack_px: float = 2.0) -> list[str]:
    """Text of one panel that runs into another panel's plotting area: its title, tick and axis labels,
    legend or annotations (as drawn: an axis switched off draws no labels). Panels that draw no axes
    (diagrams, text) are not plotting areas; the text checks of test_plots_text_size.py cover them."""
    renderer = fig.canvas.get_renderer()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    found = []
    for i, a in enumerate(axes):
        items = [(t.get_text(), t.get_window_extent(renderer))
                 for t in (a.title, a._left_title, a._right_title, *a.texts) if t.get_visible() and t.get_text()]
        if a.axison:
            for axis in (a.xaxis, a.yaxis):
                box = axis.get_tightbbox(renderer)
                if box is not None:
                    items.append((f"the {axis.axis_name} axis labels", box))
        legend = a.get_legend()
        if legend is not None and legend.get_visible():
            items.append(("the legend", legend.get_window_extent(renderer)))
        for name, box in items:
            for j, b in enumerate(axes):
                if j == i or not b.axison or box.width <= 0 or box.height <= 0:
                    continue
                area = b.bbox
                if (min(box.x1, area.x1) - max(box.x0, area.x0) > slack_px
                        and min(box.y1, area.y1) - max(box.y0, area.y0) > slack_px):
                    found.append(f"{name!r} of panel {i} runs into panel {j}")
    return found


def test_the_panel_check_sees_text_run_into_the_next_panel():
    fig = plt.figure(figsize=(6, 3))
    left, right = fig.subplots(1, 2)
    left.set_ylabel("fine")
    assert panel_problems(fig) == []
    left.legend(handles=left.plot([0, 1], label="a label far too long for its panel, into the next one"),
                loc="upper left")
    right.text(-0.9, 0.5, "a note placed over the left panel", transform=right.transAxes)
    assert len(panel_problems(fig)) == 2
    plt.close(fig)


@pytest.mark.parametrize("cls", EXPLORERS)
def test_site_frames_keep_their_text_legible_and_inside(cls):
    """A sample of each explorer's site frames (the one the page and Jupyter open on, and the last one, where
    every slider is at its far end; all of them were checked when the grids were chosen) passes the text
    checks of test_plots_text_size.py: large enough on the page (at the CSS size the site shows a frame),
    inside the figure, no overlaps; and no panel's text runs into another panel (panel_problems)."""
    from test_plots_text_size import problems

    explorer = cls()
    frames = static.frame_settings(explorer)
    axes = static.site_axes(explorer)
    strides = [int(np.prod([len(a.names) for a in axes[k + 1:]])) for k in range(len(axes))]
    opening = sum(i * s for i, s in zip(static.start_index(explorer, axes), strides))
    picks = sorted({opening, len(frames) - 1})
    for k in picks:
        explorer = cls(**frames[k][1])
        figure = explorer.frame_figure()
        found = problems(figure, explorer.frame_px_per_inch()) + panel_problems(figure)
        assert not found, (frames[k][0], found)
