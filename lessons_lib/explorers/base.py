"""The explorer pattern, written once.

An explorer has three parts, kept apart so each can be tested alone:

1. **controls** — plain descriptions (:class:`Slider`, :class:`Choice`, :class:`Toggle`), turned into
   ipywidgets only when the explorer is shown live;
2. **compute(values) → view** — a pure function from ``lessons_lib.views`` (numpy only, unit-tested);
3. **build(fig)** once, then **draw(view)** on every change, which only *updates* existing artists
   (``set_data``, ``set_text``, …) instead of rebuilding the figure.

The figure is a plain ``matplotlib.figure.Figure`` rendered to PNG by Agg and shown in an
``ipywidgets.Image``: no pyplot global state, no Output widget, no dependence on a matplotlib backend, so the
same code runs in JupyterLab, Notebook 7, VS Code and Colab. When the book is built
(``LESSONS_LIB_STATIC_SITE=1``), displaying an explorer gives instead precomputed frames of its main control
behind an HTML slider, so no control on the site looks alive without being so.

Size and text: an explorer's figure is at most as wide as the site's text column (6.72 in at 100 px per inch:
672 CSS px), in panels over two rows rather than three in a row, and every text in it is at least 13.5 px
(:func:`lessons_lib.plots.style.legible`). Live, the figure is drawn at 100 dpi and shown at its pixel size;
the site's frames are drawn at twice that (sharp on high-density screens) and shown at the same CSS size,
as 256-colour PNGs, so that a frame weighs about what a frame at the old single density did.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import json
import math
import os
import time
from dataclasses import dataclass, field

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.transforms import Affine2D
from PIL import Image

from ..plots.style import COLUMN_PX, FIGURE_DPI, legible, wrap_to_width

STATIC_SITE_ENV = "LESSONS_LIB_STATIC_SITE"
# Element ids of static explorers: numbered in display order, so a page's HTML is the same on every build.
_STATIC_IDS = itertools.count(1)


def building_static_site() -> bool:
    """True while the book is being built (the build sets ``LESSONS_LIB_STATIC_SITE=1``)."""
    return os.environ.get(STATIC_SITE_ENV, "") == "1"


# ----------------------------------------------------------------------------------------------------------
# Control descriptions
# ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slider:
    """A number between ``low`` and ``high``; ``log=True`` spaces it logarithmically (learning rates)."""

    label: str
    low: float
    high: float
    default: float
    step: float | None = None
    log: bool = False
    integer: bool = False
    #: Sweeps that train a model update when the handle is released, not on every pixel of a drag.
    continuous: bool = True

    def sweep(self, n: int) -> list:
        """``n`` values across the whole range, ends included (the frames of the static site)."""
        if self.log:
            values = np.geomspace(self.low, self.high, n)
        else:
            values = np.linspace(self.low, self.high, n)
        if self.integer:
            return sorted({int(round(v)) for v in values})
        return [float(f"{v:.4g}") for v in values]

    def sample(self, rng: np.random.Generator):
        """A random value in range, for the robustness test; the ends come up often on purpose."""
        r = rng.random()
        if r < 0.2:
            return self.low if not self.integer else int(self.low)
        if r < 0.4:
            return self.high if not self.integer else int(self.high)
        if self.log:
            v = float(np.exp(rng.uniform(np.log(self.low), np.log(self.high))))
        else:
            v = float(rng.uniform(self.low, self.high))
        return int(round(v)) if self.integer else v

    def widget(self, value):
        import ipywidgets as w

        style = {"description_width": "initial"}
        common = dict(description=self.label, continuous_update=self.continuous, style=style)
        if self.log:
            return w.FloatLogSlider(value=value, min=math.log10(self.low), max=math.log10(self.high),
                                    step=self.step or 0.1, readout_format=".1e", **common)
        if self.integer:
            return w.IntSlider(value=value, min=int(self.low), max=int(self.high), step=int(self.step or 1),
                               **common)
        return w.FloatSlider(value=value, min=self.low, max=self.high, step=self.step or (self.high - self.low)
                             / 100, **common)

    def validate(self, name: str, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{name} must be a number in [{self.low}, {self.high}], got {value!r}")
        if not self.low <= value <= self.high:
            raise ValueError(f"{name} must be in [{self.low}, {self.high}], got {value!r}")
        return int(value) if self.integer else float(value)


@dataclass(frozen=True)
class Choice:
    """One option among several (an activation, an initializer, an optimizer)."""

    label: str
    options: tuple
    default: object
    #: Readable names for some options (value -> text shown), e.g. {"pytorch_default": "standard U(±1/√n)"}.
    names: dict = field(default_factory=dict)

    def sweep(self, n: int) -> list:
        return list(self.options)

    def name(self, value) -> str:
        return self.names.get(value, str(value))

    def sample(self, rng: np.random.Generator):
        return self.options[int(rng.integers(len(self.options)))]

    def widget(self, value):
        import ipywidgets as w

        return w.Dropdown(options=[(self.name(o), o) for o in self.options], value=value,
                          description=self.label, style={"description_width": "initial"})

    def validate(self, name: str, value):
        if value not in self.options:
            raise ValueError(f"{name} must be one of {', '.join(map(repr, self.options))}; got {value!r}")
        return value


@dataclass(frozen=True)
class Toggle:
    """On or off (batch normalization, say)."""

    label: str
    default: bool = False

    def sweep(self, n: int) -> list:
        return [False, True]

    def sample(self, rng: np.random.Generator):
        return bool(rng.integers(2))

    def widget(self, value):
        import ipywidgets as w

        return w.Checkbox(value=value, description=self.label, indent=False)

    def validate(self, name: str, value):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {value!r}")
        return bool(value)


# ----------------------------------------------------------------------------------------------------------
# The explorer
# ----------------------------------------------------------------------------------------------------------

@dataclass
class Timing:
    """Latency of the last redraw, split into computing the view and rendering the figure."""

    compute_s: float = 0.0
    render_s: float = 0.0


class Explorer:
    """Base class; subclasses set ``controls`` and implement ``compute``, ``build`` and ``draw``."""

    title: str = "Explorer"
    controls: dict = {}
    #: The control whose values become the static site's frames.
    static_control: str = ""
    static_frames: int = 12
    #: Inches; at most the site's column (6.72 in): the figure is shown at 100 px per inch, live and on the site.
    figsize: tuple[float, float] = (6.72, 4.4)
    #: Pixels per inch of the live figure, which Jupyter shows at its pixel size.
    dpi: int = FIGURE_DPI
    #: Image pixels per CSS pixel of the site's frames: 2 is sharp on high-density screens.
    static_density: int = 2

    def __init__(self, **values):
        self.values = {name: spec.default for name, spec in self.controls.items()}
        self.set(**values)
        self.figure: Figure | None = None
        self._layout_frozen = False
        self._static = False
        self._static_version = 0
        # Live frames favour speed (PNG level 1 encodes ~10x faster); site frames favour size.
        self._compress_level = 1
        self.timing = Timing()
        self.last_error: str | None = None
        self._widgets = None

    # -- to implement ----------------------------------------------------------------------------------
    def compute(self, **values):
        """The view for these control values (a pure function from ``lessons_lib.views``)."""
        raise NotImplementedError

    def build(self, fig: Figure) -> None:
        """Create the axes and every artist once."""
        raise NotImplementedError

    def draw(self, view) -> None:
        """Update the artists made by :meth:`build` to show ``view``."""
        raise NotImplementedError

    # -- provided --------------------------------------------------------------------------------------
    def set(self, **values) -> None:
        """Change control values (checked: a wrong name or value raises ValueError)."""
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"{name!r} is not a control of {type(self).__name__}; "
                                 f"controls are {', '.join(self.controls)}")
            self.values[name] = self.controls[name].validate(name, value)

    def frame_px_per_inch(self) -> float:
        """CSS pixels per inch at which the figure is shown: live (at its pixel size) and on the site (each
        frame's <img> has the CSS size of the live figure). Text sizes on the page follow from it."""
        return float(self.dpi)

    def frame_figure(self) -> Figure:
        """The figure of one site frame, for the current values, drawn as the site draws it (for tests)."""
        live = self.figure, self._layout_frozen
        self.figure, self._layout_frozen, self._static = None, False, True
        try:
            self.render()
            figure = self.figure
            for artist in self._animated:         # drawn by a plain canvas.draw() too
                artist.set_animated(False)
        finally:
            self._static = False
            self.figure, self._layout_frozen = live
        return figure

    def _ensure_figure(self) -> Figure:
        if self.figure is None:
            if self.figsize[0] * self.dpi > COLUMN_PX + 0.5:
                raise ValueError(f"figsize {self.figsize} is wider than the site's column ({COLUMN_PX} px at "
                                 f"{self.dpi} px per inch)")
            # The site's frames: the same figure at twice the pixels, shown at the live figure's CSS size.
            dpi = self.dpi * (self.static_density if self._static else 1)
            self.figure = Figure(figsize=self.figsize, dpi=dpi, layout="constrained")
            FigureCanvasAgg(self.figure)
            self.build(self.figure)
            self._message = self.figure.text(0.5, 0.5, "", ha="center", va="center", fontsize=12,
                                             color="#D55E00", zorder=10,
                                             bbox=dict(facecolor="white", edgecolor="#D55E00", alpha=0.95))
            self._message.set_visible(False)
            legible(self.figure, px_per_inch=self.frame_px_per_inch())
            self._animated = _mark_animated(self.figure)
            self._background, self._background_key, self._keys = None, None, None
        return self.figure

    def show_message(self, text: str | None) -> None:
        """Write a warning across the figure (a diverged run, say), or clear it with ``None``."""
        self._message.set_text(wrap_to_width(text or "", 0.8 * self.figsize[0], self._message.get_fontsize()))
        self._message.set_visible(bool(text))

    def render(self) -> bytes:
        """Compute the view for the current values, update the figure, return it as PNG bytes."""
        fig = self._ensure_figure()
        t0 = time.perf_counter()
        view = self.compute(**self.values)
        t1 = time.perf_counter()
        self.draw(view)
        if fig.get_layout_engine() is not None and not self._layout_frozen:
            # Constrained layout costs more than the rest of a redraw; compute it once, with real data
            # in the axes, and keep those positions afterwards.
            fig.canvas.draw()
            fig.set_layout_engine("none")
            self._layout_frozen = True
        self._blit(fig)
        png = _encode_png(fig, self._compress_level, palette=self._static)
        t2 = time.perf_counter()
        self.timing.compute_s, self.timing.render_s = t1 - t0, t2 - t1
        return png

    def _blit(self, fig: Figure) -> None:
        """Redraw the figure, re-rendering static parts only where they changed (matplotlib's blitting).

        Data artists (lines, images, legends, titles, the message) are *animated*: left out of the
        background and drawn on top of it every time. The background -- frames, ticks, tick labels, axis
        labels: most of the text, so most of the cost -- depends only on each axes' limits and scales, so
        only the panels whose limits changed are re-rendered into it, each within its own cell of the figure.
        """
        keys = [(ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale()) for ax in fig.axes]
        canvas = fig.canvas
        full = self._background is None or self._background_key != self._static_version
        if full:
            canvas.draw()                      # draws everything that is not animated
            self._cells = _cells(fig)
        else:
            canvas.restore_region(self._background)
            renderer = canvas.get_renderer()
            for i, (new, old) in enumerate(zip(keys, self._keys)):
                if new != old:
                    _clear(renderer, fig, self._cells[i])
                    fig.axes[i].draw(renderer)
        if full or keys != self._keys:
            self._background = canvas.copy_from_bbox(fig.bbox)
        self._keys, self._background_key = keys, self._static_version
        for artist in self._animated:
            if artist.get_visible():
                (artist.axes or fig).draw_artist(artist)

    def invalidate_background(self) -> None:
        """Tell the explorer that a static artist changed (a new contour set, say)."""
        self._static_version += 1

    def render_rebuilt(self) -> bytes:
        """The naive way, for the latency benchmark: a brand-new figure for every change."""
        self.figure = None
        self._layout_frozen = False
        return self.render()

    def update(self, **values) -> bytes:
        self.set(**values)
        return self.render()

    # -- live: ipywidgets ------------------------------------------------------------------------------
    def widget(self):
        """Live controls above the figure. Built on first use, then reused."""
        if self._widgets is not None:
            return self._widgets
        import ipywidgets as w

        controls = {name: spec.widget(self.values[name]) for name, spec in self.controls.items()}
        for control in controls.values():
            control.layout.width = "auto"          # fill the grid cell: longer slider tracks
        first = self.render()
        width_px = self.figure.canvas.get_width_height()[0]
        # Shown at its own pixel width (never stretched, so never blurred), narrower on small screens.
        image = w.Image(value=first, format="png", layout=w.Layout(width=f"{width_px}px", max_width="100%"))
        image.add_class("lessons-explorer-image")
        status = w.HTML(value=self._status_text())

        def on_change(change, name):
            # Feedback first: the figure dims and the status says so until the new frame arrives.
            image.add_class("lessons-explorer-busy")
            status.value = "<b>updating…</b>"
            try:
                self.set(**{name: change["new"]})
                image.value = self.render()
                self.last_error = None
            except Exception as exc:  # shown to the student instead of vanishing into a log
                self.last_error = f"{type(exc).__name__}: {exc}"
            image.remove_class("lessons-explorer-busy")
            status.value = self._status_text()

        for name, control in controls.items():
            control.observe(lambda change, name=name: on_change(change, name), names="value")
        self.controls_widgets = controls
        self.image_widget = image
        header = w.HTML(f"<style>{_BUSY_CSS}</style><b>{html.escape(self.title)}</b> "
                        "<small>— drag a slider or click its number to type a value</small>")
        box = w.VBox([header,
                      w.GridBox(list(controls.values()),
                                layout=w.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))",
                                                max_width=f"{width_px}px")),
                      image, status])
        self._widgets = box
        return box

    def _status_text(self) -> str:
        if self.last_error:
            return f"<span style='color:#D55E00'>⚠ {html.escape(self.last_error)}</span>"
        ms = 1000 * (self.timing.compute_s + self.timing.render_s)
        return f"<small>redrawn in {ms:.0f} ms</small>"

    # -- static site -----------------------------------------------------------------------------------
    def static_sweep(self) -> tuple[str, list[tuple[str, dict]]]:
        """The site's frames: a slider label and ``(frame label, control values)`` pairs.

        By default the values of :attr:`static_control` across its range; an explorer whose lesson is a
        comparison of whole settings (Glorot & Bengio's scenarios, say) overrides this.
        """
        spec = self.controls[self.static_control]
        frames = [(_format_value(v), {self.static_control: v}) for v in spec.sweep(self.static_frames)]
        return spec.label.rstrip(":"), frames

    def static_html(self) -> str:
        """Frames of the main control, precomputed, behind an HTML range slider (no kernel needed)."""
        label, sweep = self.static_sweep()
        saved = dict(self.values)
        frames, labels = [], []
        # The frames get their own figure: the live one at twice the pixels (see _ensure_figure).
        live_figure, live_layout = self.figure, self._layout_frozen
        self.figure, self._layout_frozen, self._compress_level = None, False, 9
        try:
            self._static = True
            for frame_label, values in sweep:
                self.values = dict(saved)
                self.set(**values)
                frames.append("data:image/png;base64," + base64.b64encode(self.render()).decode("ascii"))
                labels.append(frame_label)
        finally:
            self._static = False
            self.values = saved
            self.figure, self._layout_frozen, self._compress_level = live_figure, live_layout, 1
        swept = set().union(*(values for _, values in sweep))
        start = next((i for i, (_, values) in enumerate(sweep)
                      if all(saved[k] == v for k, v in values.items())), 0)
        uid = f"lessons-explorer-{type(self).__name__.lower()}-{next(_STATIC_IDS)}"
        others = ", ".join(f"{self.controls[k].label.rstrip(':')} = {_format_value(v)}"
                           for k, v in saved.items() if k not in swept)
        css_width, css_height = (round(inches * self.dpi) for inches in self.figsize)
        return _STATIC_TEMPLATE.format(
            uid=uid, title=html.escape(self.title), label=html.escape(label), src=frames[start],
            width=css_width, height=css_height,
            n=len(frames) - 1, start=start, value=html.escape(labels[start]), others=html.escape(others),
            frames=json.dumps(frames), labels=json.dumps(labels))

    def describe(self) -> str:
        """The plain-text form of the explorer (what nbval compares)."""
        settings = ", ".join(f"{k}={_format_value(v)}" for k, v in self.values.items())
        return f"{self.title} — interactive explorer, live when this cell runs; controls: {settings}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        if building_static_site():
            return {"text/html": self.static_html(), "text/plain": self.describe()}
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = self.describe()
        return bundle


def _mark_animated(fig: Figure) -> list:
    """Mark the artists that change from frame to frame as animated; return them in drawing order."""
    animated = []
    for ax in fig.axes:
        items = sorted([*ax.images, *ax.lines], key=lambda a: a.get_zorder())
        legend = ax.get_legend()
        items += ([legend] if legend is not None else []) + [ax.title]
        animated += items
    animated += sorted(fig.texts, key=lambda a: a.get_zorder())
    if fig._suptitle is not None:
        animated.append(fig._suptitle)
    for artist in animated:
        artist.set_animated(True)
    return animated


def _cells(fig: Figure) -> list[tuple[float, float, float, float]]:
    """For each axes, the rectangle of the figure (display pixels) that its static parts may occupy.

    Each side of an axes' rectangle lies half-way across the free gap between its decorations (tick labels,
    axis labels) and those of the nearest panel on that side -- a panel beside it for the left and right
    sides, above or below it for the top and bottom -- or at the figure's edge, leaving room for labels
    that grow a little when the limits change. Panels may stand in rows and columns, or span several.
    """
    width, height = fig.canvas.get_width_height()
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]

    def overlap(a0, a1, b0, b1):
        return min(a1, b1) - max(a0, b0) > 0

    cells = []
    for i, a in enumerate(boxes):
        left, bottom, right, top = 0.0, 0.0, float(width), float(height)
        for j, b in enumerate(boxes):
            if j == i:
                continue
            if overlap(a.y0, a.y1, b.y0, b.y1):               # beside: they share some height
                if b.x1 <= a.x0:
                    left = max(left, (b.x1 + a.x0) / 2)
                elif b.x0 >= a.x1:
                    right = min(right, (a.x1 + b.x0) / 2)
            if overlap(a.x0, a.x1, b.x0, b.x1):               # above or below: they share some width
                if b.y1 <= a.y0:
                    bottom = max(bottom, (b.y1 + a.y0) / 2)
                elif b.y0 >= a.y1:
                    top = min(top, (a.y1 + b.y0) / 2)
        cells.append((left, bottom, right, top))
    return cells


def _clear(renderer, fig: Figure, cell) -> None:
    """Paint one cell with the figure's background colour."""
    x0, y0, x1, y1 = cell
    gc = renderer.new_gc()
    gc.set_linewidth(0)
    renderer.draw_path(gc, Path.unit_rectangle(), Affine2D().scale(x1 - x0, y1 - y0).translate(x0, y0),
                       fig.patch.get_facecolor())
    gc.restore()


def _encode_png(fig: Figure, compress_level: int, palette: bool = False) -> bytes:
    """The figure as PNG; ``palette=True`` maps it onto 256 colours first (the site's frames: flat colours and
    anti-aliased edges lose nothing visible, and the file is several times smaller)."""
    width, height = fig.canvas.get_width_height()
    buf = io.BytesIO()
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if palette:
        image = image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def _format_value(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


_BUSY_CSS = ".lessons-explorer-busy { opacity: 0.45; transition: opacity 0.15s; }"

_STATIC_TEMPLATE = """\
<div class="lessons-explorer-static" id="{uid}">
<p class="lessons-explorer-note"><em>{title}: precomputed frames. Move the slider to change
<strong>{label}</strong> (other settings: {others}). Run this notebook in Jupyter for the full, live
explorer with every control.</em></p>
<img class="lessons-explorer-frame" src="{src}" alt="{title}, {label} = {value}" width="{width}" height="{height}"
style="max-width:100%;height:auto"/>
<div><label>{label}: <input class="lessons-explorer-slider" type="range" min="0" max="{n}" step="1"
value="{start}" aria-label="{label}"/> <output class="lessons-explorer-value">{value}</output></label></div>
<script>
(function () {{
  var root = document.getElementById("{uid}");
  var frames = {frames};
  var labels = {labels};
  var img = root.querySelector("img"), slider = root.querySelector("input"), out = root.querySelector("output");
  slider.addEventListener("input", function () {{
    var i = Number(slider.value);
    img.src = frames[i];
    img.alt = "{title}, {label} = " + labels[i];
    out.textContent = labels[i];
  }});
}})();
</script>
</div>
"""
