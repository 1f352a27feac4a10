"""One colour-blind-safe palette for every figure of the book (Okabe & Ito, 2008), and text that can be read.

**Text size.** The site shows a notebook figure at its 1x size, 100 px per inch (as Jupyter does), shrunk to
the text column (672 CSS px in a 1280 px window) when it is wider; Jupyter saves figures cropped to what
they draw plus 0.1 in of padding on each side. So text of ``s`` points in a figure ``W`` inches wide appears
``s / 72 * 100 * min(1, 6.72 / (W + 0.2))`` px tall. The page's code text is 14 px: no text of a figure
may be smaller than :data:`MIN_TEXT_PX`. A figure at most :data:`COLUMN_INCHES` wide is never shrunk, and
matplotlib's 10 pt text is then 13.9 px; a wider figure needs larger text (:func:`min_fontsize`), so the
plotting functions keep their figures about that wide (panels in two rows rather than four in a row) and
call :func:`legible` on what they drew, which raises any smaller text to the minimum.
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: The order in which curves take colours when several share one axis: the first four are the most
#: distinct from each other (orange and vermillion, close for many readers, are far apart in the list).
CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "purple", "sky", "vermillion", "black")]
#: Line styles to pair with CYCLE, so curves stay apart in greyscale too.
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3))]

#: A notebook figure's 1x size: pixels per inch (matplotlib's default figure.dpi).
FIGURE_DPI = 100
#: Width of the site's text column in a 1280 px window, in CSS px.
COLUMN_PX = 672
#: Padding Jupyter adds around a figure it saves cropped (matplotlib's savefig.pad_inches), in inches.
SAVE_PAD_INCHES = 0.1
#: The widest figure (inches) that the site shows at its 1x size, without shrinking it.
COLUMN_INCHES = COLUMN_PX / FIGURE_DPI - 2 * SAVE_PAD_INCHES
#: The smallest text a figure may show on the page, in CSS px (the page's code text is 14 px).
MIN_TEXT_PX = 13.5


def shown_px_per_inch(width_inches: float) -> float:
    """CSS pixels per inch of a notebook figure ``width_inches`` wide, as the site shows it at 1280 px."""
    if not width_inches > 0:
        raise ValueError(f"width_inches must be > 0, got {width_inches!r}")
    return FIGURE_DPI * min(1.0, COLUMN_PX / (FIGURE_DPI * (width_inches + 2 * SAVE_PAD_INCHES)))


def min_fontsize(width_inches: float | None = None, *, px_per_inch: float | None = None,
                 min_px: float = MIN_TEXT_PX) -> float:
    """The smallest font size (points, rounded up to 0.1) that shows text at least ``min_px`` tall.

    Give the figure's ``width_inches`` (a notebook figure, shown as :func:`shown_px_per_inch` says), or
    ``px_per_inch``, the CSS pixels per inch at which the figure is shown (an explorer's frames).
    """
    if (width_inches is None) == (px_per_inch is None):
        raise ValueError("give exactly one of width_inches and px_per_inch")
    if px_per_inch is None:
        px_per_inch = shown_px_per_inch(width_inches)
    elif not px_per_inch > 0:
        raise ValueError(f"px_per_inch must be > 0, got {px_per_inch!r}")
    if not min_px > 0:
        raise ValueError(f"min_px must be > 0, got {min_px!r}")
    return math.ceil(round(min_px * 72 / px_per_inch, 6) * 10) / 10


def legible(fig: Figure, *, px_per_inch: float | None = None, min_px: float = MIN_TEXT_PX) -> Figure:
    """Raise every text of ``fig`` smaller than :func:`min_fontsize` to that size; returns ``fig``.

    Titles, labels, tick labels (also of ticks made later, when the limits change), legends, annotations
    and figure texts: larger text keeps its size. The size follows from the figure's width (a notebook
    figure) or from ``px_per_inch`` (a figure shown at a known scale, such as an explorer's frames). Call it
    once everything is drawn and before ``tight_layout`` (constrained layout adapts by itself).
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if px_per_inch is None:
        floor = min_fontsize(fig.get_figwidth(), min_px=min_px)
    else:
        floor = min_fontsize(px_per_inch=px_per_inch, min_px=min_px)
    for ax in fig.axes:
        for axis, which in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            for minor in (False, True):
                ticks = axis.get_minor_ticks(1) if minor else axis.get_major_ticks(1)
                if ticks and ticks[0].label1.get_fontsize() < floor:
                    ax.tick_params(axis=which, which="minor" if minor else "major", labelsize=floor)
    for text in fig.findobj(Text):
        if text.get_fontsize() < floor:
            text.set_fontsize(floor)
    return fig


def grid_shape(n: int, max_cols: int = 3) -> tuple[int, int]:
    """Rows and columns for ``n`` panels: at most ``max_cols`` to a row, the rows as even as they can be
    (4 panels: 2 x 2, 5: 2 rows of 3 and 2)."""
    if n < 1 or max_cols < 1:
        raise ValueError(f"n and max_cols must be >= 1, got n={n}, max_cols={max_cols}")
    rows = -(-n // max_cols)
    return rows, -(-n // rows)


def wrap_to_width(text: str, width_inches: float, fontsize: float = 10.0) -> str:
    """Break ``text`` into lines no wider than ``width_inches`` at ``fontsize`` points (as far as its words
    allow), measured with matplotlib's own font: for titles that a caller chooses. A line breaks where a
    phrase ends past its first quarter -- after a comma or colon, or before a bracket, outside brackets
    ("AND: w = (1, 1),\nb = −1.5", "2 x 128\n(17283 parameters)") -- else at the last space that fits."""
    if not width_inches > 0:
        raise ValueError(f"width_inches must be > 0, got {width_inches!r}")
    limit = 72 * width_inches
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words, depth = [], 0
        for word in paragraph.split(" "):
            opens = depth == 0 and word[:1] in "(["        # a phrase may end before this word
            depth += word.count("(") + word.count("[") - word.count(")") - word.count("]")
            words.append((word, opens, depth == 0 and word.endswith((",", ":", ";"))))
        line: list[tuple[str, bool, bool]] = []
        for word in words:
            if line and _points_wide(" ".join(w for w, _, _ in [*line, word]), fontsize) > limit:
                ends = [k + 1 for k in range(len(line)) if line[k][2] or (k + 1 < len(line) and line[k + 1][1])]
                ends += [len(line)] if word[1] else []
                early = [k for k in ends if 4 * _points_wide(" ".join(w for w, _, _ in line[:k]), fontsize) >= limit]
                cut = max(early, default=len(line))
                lines.append(" ".join(w for w, _, _ in line[:cut]))
                line = line[cut:]
            line.append(word)
        lines.append(" ".join(w for w, _, _ in line))
    return "\n".join(lines)


def _points_wide(text: str, fontsize: float) -> float:
    """Width of ``text`` at ``fontsize`` points, from the font's metrics (mathtext between ``$`` signs)."""
    ismath = text.count("$") >= 2 and text.count("$") % 2 == 0
    if not ismath:
        text = text.replace("$", "")
    return text_to_path.get_text_width_height_descent(text, FontProperties(size=fontsize), ismath=ismath)[0]
