"""An explorer on the static site: precomputed frames over a grid of control values, behind HTML sliders.

When the book is built (``LESSONS_LIB_STATIC_SITE=1``, set by ``scripts/build_book.py``), displaying an
explorer gives this HTML instead of live widgets, so no control on the site looks alive without being so.

* **The grid.** ``Explorer.site_grid`` names the controls the site offers (those the notebook's "things to
  try" and exercises use) and their values; every combination is one frame. A :class:`~.controls.Preset`
  is a site control that sets several controls at once (named scenarios). Controls outside the grid keep
  their values and are listed beside the sliders as "Jupyter only".
* **Light pages.** With ``LESSONS_LIB_SITE_FRAMES_DIR`` set, each frame is written there as a PNG named by
  its content, and the page refers to it as ``LESSONS_LIB_SITE_FRAMES_URL/<name>.png``: the page loads the
  frame it opens with, and the script of the site (``book/_static/lessons-site.js``) loads another only
  when a slider shows it. Without a folder (tests, a quick look) the frames are inlined as data URIs.
* **Accessible.** Every site control is an ``<input type="range">`` with a visible label, and announces its
  value's name (``aria-valuetext``: "sigmoid", not "3"); the frame's alt text names every value shown.
* **Time.** With ``LESSONS_LIB_SITE_FRAMES_LOG`` set, each explorer appends a line (frames, seconds, bytes)
  to that file; the site build prints it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import os
import pathlib
import time
from dataclasses import dataclass

import numpy as np

from .controls import Preset

STATIC_SITE_ENV = "LESSONS_LIB_STATIC_SITE"
FRAMES_DIR_ENV = "LESSONS_LIB_SITE_FRAMES_DIR"
FRAMES_URL_ENV = "LESSONS_LIB_SITE_FRAMES_URL"
FRAMES_LOG_ENV = "LESSONS_LIB_SITE_FRAMES_LOG"
# Element ids of static explorers: numbered in display order, so a page's HTML is the same on every build.
_STATIC_IDS = itertools.count(1)


def building_static_site() -> bool:
    """True while the book is being built (the build sets ``LESSONS_LIB_STATIC_SITE=1``)."""
    return os.environ.get(STATIC_SITE_ENV, "") == "1"


@dataclass(frozen=True)
class SiteAxis:
    """One slider of the static site: its label, the names of its stops and the settings each stop makes."""

    key: str
    label: str
    names: tuple[str, ...]
    settings: tuple[dict, ...]


def site_axes(explorer) -> list[SiteAxis]:
    """The static site's sliders of an explorer (an instance or its class), checked against its controls."""
    controls = explorer.controls
    grid = dict(explorer.site_grid) or {explorer.static_control: explorer.static_frames}
    axes = []
    for key, values in grid.items():
        if isinstance(values, Preset):
            for _, settings in values.options:
                for name, value in settings.items():
                    _check(explorer, key, name, value)
            axes.append(SiteAxis(key, values.label, tuple(n for n, _ in values.options),
                                 tuple(dict(s) for _, s in values.options)))
            continue
        if key not in controls:
            raise ValueError(f"site_grid of {_name(explorer)}: {key!r} is not a control; controls are "
                             f"{', '.join(controls)}")
        spec = controls[key]
        values = spec.sweep(values) if isinstance(values, (int, np.integer)) else list(values)
        if len(values) < 2:
            raise ValueError(f"site_grid of {_name(explorer)}: {key!r} needs at least two values")
        values = [_check(explorer, key, key, v) for v in values]
        axes.append(SiteAxis(key, spec.label.rstrip(":"), tuple(spec.name(v) for v in values),
                             tuple({key: v} for v in values)))
    return axes


def _name(explorer) -> str:
    return explorer.__name__ if isinstance(explorer, type) else type(explorer).__name__


def _check(explorer, axis: str, name: str, value):
    if name not in explorer.controls:
        raise ValueError(f"site_grid of {_name(explorer)}, {axis!r}: {name!r} is not a control")
    return explorer.controls[name].validate(name, value)


def frame_count(explorer) -> int:
    """How many frames the site precomputes for this explorer."""
    return int(np.prod([len(axis.names) for axis in site_axes(explorer)]))


def jupyter_only(explorer, values: dict | None = None) -> list[str]:
    """The controls the site does not offer, each as "label (value shown)"."""
    values = explorer.values if values is None else values
    covered = {name for axis in site_axes(explorer) for settings in axis.settings for name in settings}
    return [f"{spec.label.rstrip(':')} ({spec.name(values[name])})"
            for name, spec in explorer.controls.items() if name not in covered]


def frame_settings(explorer) -> list[tuple[tuple[int, ...], dict]]:
    """Every frame as ``(index along each axis, control values)``, the last axis varying fastest."""
    axes = site_axes(explorer)
    frames = []
    for index in itertools.product(*(range(len(axis.names)) for axis in axes)):
        values = dict(explorer.values)
        for axis, i in zip(axes, index):
            values.update(axis.settings[i])
        frames.append((index, values))
    return frames


def start_index(explorer, axes: list[SiteAxis]) -> tuple[int, ...]:
    """Along each axis, the stop that matches the explorer's current values (the first one if none does)."""
    return tuple(next((i for i, s in enumerate(axis.settings) if all(explorer.values[k] == v for k, v in s.items())),
                      0) for axis in axes)


def render_frames(explorer) -> list[bytes]:
    """The PNG of every frame of :func:`frame_settings`, in order; the explorer is left as it was."""
    pngs = []
    with explorer.site_rendering():
        for _, values in frame_settings(explorer):
            explorer.values = dict(values)
            pngs.append(explorer.render())
    return pngs


def store_frames(pngs: list[bytes]) -> list[str]:
    """Where the page finds each frame: a file in ``LESSONS_LIB_SITE_FRAMES_DIR`` named by its content
    (written once, atomically: two notebooks may be built at the same time), or a data URI."""
    folder = os.environ.get(FRAMES_DIR_ENV, "")
    if not folder:
        return ["data:image/png;base64," + base64.b64encode(png).decode("ascii") for png in pngs]
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    url = os.environ.get(FRAMES_URL_ENV, "").rstrip("/")
    urls = []
    for png in pngs:
        name = hashlib.sha256(png).hexdigest()[:20] + ".png"
        path = folder / name
        if not path.exists():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(png)
            os.replace(tmp, path)
        urls.append(f"{url}/{name}" if url else name)
    return urls


def static_html(explorer, number: int | None = None) -> str:
    """The explorer's frames behind one HTML slider per site control (no kernel needed).

    ``number`` numbers the explorer's element ids on its page (the site build gives each explorer its place
    on the page); without it explorers are numbered in the order this process displays them.
    """
    axes = site_axes(explorer)
    t0 = time.perf_counter()
    pngs = render_frames(explorer)
    seconds = time.perf_counter() - t0
    urls = store_frames(pngs)
    _log(f"{type(explorer).__name__}: {len(pngs)} frames in {seconds:.1f} s, {sum(map(len, pngs)) / 1e6:.2f} MB")
    start = start_index(explorer, axes)
    strides = [int(np.prod([len(a.names) for a in axes[k + 1:]])) for k in range(len(axes))]
    first = sum(i * s for i, s in zip(start, strides))
    uid = f"lessons-explorer-{type(explorer).__name__.lower()}-{number or next(_STATIC_IDS)}"
    title = html.escape(explorer.title)
    controls = "\n".join(
        _CONTROL.format(id=f"{uid}-{k}", label=html.escape(axis.label), n=len(axis.names) - 1, value=start[k],
                        name=html.escape(axis.names[start[k]]))
        for k, axis in enumerate(axes))
    fixed = jupyter_only(explorer)
    fixed_html = (f'<p class="lessons-explorer-fixed"><strong>Jupyter only:</strong> '
                  f'{html.escape(", ".join(fixed))}.</p>' if fixed else "")
    data = {"title": explorer.title, "labels": [a.label for a in axes], "names": [list(a.names) for a in axes],
            "frames": urls}
    css_width, css_height = (round(inches * explorer.dpi) for inches in explorer.figsize)
    return _STATIC_TEMPLATE.format(
        uid=uid, title=title, n=len(urls), controls=controls, fixed=fixed_html,
        src=urls[first], alt=html.escape(alt_text(explorer.title, axes, start)),
        width=css_width, height=css_height,
        data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))


def alt_text(title: str, axes: list[SiteAxis], index) -> str:
    """What a frame shows, for its alt text: the title and each site control's value."""
    return f"{title}: " + ", ".join(f"{a.label} = {a.names[i]}" for a, i in zip(axes, index))


def _log(line: str) -> None:
    path = os.environ.get(FRAMES_LOG_ENV, "")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(line + "\n")


_CONTROL = """\
<div class="lessons-explorer-control"><label for="{id}">{label}</label>
<input id="{id}" type="range" min="0" max="{n}" step="1" value="{value}" aria-valuetext="{name}"/>
<output for="{id}" aria-hidden="true">{name}</output></div>"""

_STATIC_TEMPLATE = """\
<div class="lessons-explorer-static" id="{uid}">
<p class="lessons-explorer-note"><em>{title}: {n} precomputed frames. Move a slider to change what the figure
shows. Run this notebook in Jupyter for the full, live explorer with every control.</em></p>
<div class="lessons-explorer-controls">
{controls}
</div>
{fixed}
<img class="lessons-explorer-frame" src="{src}" alt="{alt}" width="{width}" height="{height}"
style="max-width:100%;height:auto"/>
<script type="application/json" class="lessons-explorer-data">{data}</script>
</div>
"""
