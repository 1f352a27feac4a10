"""The explorer pattern, one import away: everything an explorer module needs, from the modules that hold it.

An explorer has three parts, kept apart so each can be tested alone:

1. **controls** — plain descriptions (:class:`Slider`, :class:`Choice`, :class:`Toggle`; :mod:`.controls`),
   turned into ipywidgets only when the explorer is shown live;
2. **compute(values) → view** — a pure function from ``lessons_lib.views`` (numpy only, unit-tested);
3. **build(fig)** once, then **draw(view)** on every change, which only *updates* existing artists
   (``set_data``, ``set_text``, …) instead of rebuilding the figure (:class:`Explorer`; :mod:`.core`).

Where it is shown: live in Jupyter (:mod:`.live`, ipywidgets), or, while the book is built
(``LESSONS_LIB_STATIC_SITE=1``), as precomputed frames over the controls of ``Explorer.site_grid`` behind
HTML sliders (:mod:`.static`).
"""

from .controls import Choice, Preset, Slider, Toggle, format_value
from .core import Explorer, Timing, static_legend
from .static import STATIC_SITE_ENV, building_static_site

__all__ = ["Choice", "Explorer", "Preset", "Slider", "STATIC_SITE_ENV", "Timing", "Toggle", "building_static_site",
           "format_value", "static_legend"]
