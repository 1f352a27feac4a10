"""The drawing core of an explorer: control values -> view -> figure, with artists updated in place.

A subclass sets ``controls`` and implements ``compute`` (calls a pure view of ``lessons_lib.views``),
``build`` (creates axes and artists once) and ``draw`` (only updates them). :meth:`Explorer.render` draws
with Agg and encodes a PNG; static parts of the figure (frames, ticks, labels) are re-rendered only where an
axes' limits changed (:meth:`Explorer._blit`). Where the explorer is shown is decided elsewhere: live
controls in :mod:`.live`, precomputed frames for the static site in :mod:`.static`.

Size and text: an explorer's figure is at most as wide as the site's text column (6.72 in at 100 px per inch:
672 CSS px), in panels over two rows rather than three in a row, and every text in it is at least 13.5 px
(:func:`lessons_lib.plots.style.legible`). Live, the figure is drawn at 100 dpi and shown at its pixel size;
the site's frames are drawn at twice that (sharp on high-density screens) and shown at the same CSS size.
"""

from __future__ import annotations

import contextlib
import io
import time
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.path import Path
from matplotlib.transforms import Affine2D
from PIL import Image

from ..plots.style import COLUMN_PX, FIGURE_DPI, legible, wrap_to_width
from .controls import format_value


@dataclass
class Timing:
    """Latency of the last redraw, split into computing the view and rendering the figure."""

    compute_s: float = 0.0
    render_s: float = 0.0


class Explorer:
    """Base class; subclasses set ``controls`` and implement ``compute``, ``build`` and ``draw``.

    For the static site, ``site_grid`` names the controls whose frames are precomputed, in order, each with
    its values: a tuple of values, an ``int`` (that many values of a slider's :meth:`~.Slider.sweep`; a
    choice or toggle takes all its options), or a :class:`~.controls.Preset` under a name of its own. Every
    combination becomes a frame; the other controls keep their defaults and are named "Jupyter only".
    """

    title: str = "Explorer"
    controls: dict = {}
    #: The site's controls and their values (see the class docstring); empty: ``static_control`` alone.
    site_grid: dict = {}
    #: Used when ``site_grid`` is empty: one control, ``static_frames`` values.
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

    # -- values ----------------------------------------------------------------------------------------
    def set(self, **values) -> None:
        """Change control values (checked: a wrong name or value raises ValueError)."""
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"{name!r} is not a control of {type(self).__name__}; "
                                 f"controls are {', '.join(self.controls)}")
            self.values[name] = self.controls[name].validate(name, value)

    def update(self, **values) -> bytes:
        """Change control values and return the new frame as PNG bytes."""
        self.set(**values)
        return self.render()

    def describe(self) -> str:
        """The plain-text form of the explorer (what nbval compares)."""
        settings = ", ".join(f"{k}={format_value(v)}" for k, v in self.values.items())
        return f"{self.title} — interactive explorer, live when this cell runs; controls: {settings}"

    # -- drawing ---------------------------------------------------------------------------------------
    def frame_px_per_inch(self) -> float:
        """CSS pixels per inch at which the figure is shown: live (at its pixel size) and on the site (each
        frame's <img> has the CSS size of the live figure). Text sizes on the page follow from it."""
        return float(self.dpi)

    @contextlib.contextmanager
    def site_rendering(self):
        """Within this block :meth:`render` draws site frames: a figure of their own at ``static_density``
        times the pixels, 256-colour PNGs compressed for size. The live figure and values are kept."""
        live = self.figure, self._layout_frozen, self._compress_level, dict(self.values)
        self.figure, self._layout_frozen, self._compress_level, self._static = None, False, 6, True
        try:
            yield self
        finally:
            self._static = False
            self.figure, self._layout_frozen, self._compress_level, self.values = live

    def frame_figure(self) -> Figure:
        """The figure of one site frame, for the current values, drawn as the site draws it (for tests)."""
        values = dict(self.values)
        with self.site_rendering():
            self.values = values
            self.render()
            figure = self.figure
            for artist in self._animated:         # drawn by a plain canvas.draw() too
                artist.set_animated(False)
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
        png = encode_png(fig, self._compress_level, palette=self._static)
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

    # -- where it is shown -----------------------------------------------------------------------------
    def widget(self):
        """Live controls above the figure (:mod:`.live`). Built on first use, then reused."""
        from .live import build_widget

        if self._widgets is None:
            self._widgets = build_widget(self)
        return self._widgets

    def static_html(self) -> str:
        """Precomputed frames behind HTML sliders, for the static site (:mod:`.static`)."""
        from .static import static_html

        return static_html(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .static import building_static_site

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


def encode_png(fig: Figure, compress_level: int, palette: bool = False) -> bytes:
    """The figure as PNG; ``palette=True`` maps it onto 256 colours first (the site's frames: flat colours and
    anti-aliased edges lose nothing visible, and the file is several times smaller). The fast octree
    quantizer takes a sixth of the time of median cut on these figures, for files of the same size."""
    width, height = fig.canvas.get_width_height()
    buf = io.BytesIO()
    image = Image.frombuffer("RGBA", (width, height), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    if palette:
        image = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def static_legend(ax, handles, **kwargs):
    """A legend drawn with the panel's static parts (the cached background) instead of on every frame, as a
    legend made by ``ax.legend`` is: for a legend whose entries never change."""
    legend = Legend(ax, handles, [h.get_label() for h in handles], **kwargs)
    ax.add_artist(legend)
    legend.set_clip_on(False)          # add_artist clips to the panel; a legend may lie under it
    return legend
