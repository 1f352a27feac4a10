"""Figures on the built site: sharp on high-density screens, and a reader can open one at full size.

The notebooks store their figures in matplotlib_inline's "retina" format (scripts/execute_notebooks.py), and
the site shows the stored outputs: each figure is a PNG at twice its size on the page, and Sphinx links it
to its file. Asserted (by figure_problems, which test_site.py's test of each page calls on the page it has
open): at 1280 px,
every notebook figure on every page has at least two image pixels per CSS pixel it is shown at and is a
link to its own file; one figure opens alone at full size from the keyboard (desktop) and by a tap (phone).

Reported, not asserted: how large the text inside each figure is on the page. The estimate: matplotlib's
default text (10 pt: tick labels, legends, axis labels) at the figure's dpi (100 for notebook figures at their
1x size, so about 13.9 px), times the displayed scale (shown width / 1x width). It is a lower bound: the few
diagrams drawn wider than the column raise their text above 10 pt (lessons_lib.plots.style.legible). The
assertion of text size is tests/test_plots_text_size.py, which measures what matplotlib draws for every
plotting function and explorer frame. Explorer frames (precomputed slider frames: 2x PNGs inside an <img>
that carries the live figure's 1x size, see lessons_lib/explorers/core.py) must be sharp too; a slider swaps
them, so they link nowhere. The table of the worst pages is printed after the test results
(tests/browser/conftest.py) and written, with every figure, to _build/screenshots/figure-text-sizes.txt.
"""

from __future__ import annotations

import pathlib

import pytest

from lessons_lib.plots.style import COLUMN_PX  # the text column at 1280 px, as the text-size test assumes

SITE = pathlib.Path(__file__).resolve().parents[2] / "_build" / "html"
# Every built page of the book (found when the tests are collected, after the site build).
PAGES = sorted(str(p.relative_to(SITE)) for folder in ("notebooks", "book") for p in (SITE / folder).glob("*.html"))

POINTS = 10.0  # matplotlib's default font.size: tick labels, legends, axis labels
NOTEBOOK_FIGURE_DPI = 100.0  # matplotlib's default figure.dpi: the figure's 1x size on the page
EXPLORER_FRAME_INCHES = 6.72  # width of an explorer's figure (lessons_lib/explorers/core.py)

# Waits for every image, then measures each figure of the article (notebook outputs and explorer frames).
MEASURE = """async ({points, dpi, frameInches}) => {
  await Promise.all(Array.from(document.images).map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done);
  })));
  const code = document.querySelector('.bd-article div.highlight pre') || document.querySelector('.bd-article code');
  const codePx = code ? parseFloat(getComputedStyle(code).fontSize) : 16 * 0.875;
  const figures = Array.from(document.querySelectorAll('.bd-article img'))
    .filter(i => i.closest('.cell_output, .lessons-explorer-static'))
    .map(i => {
      const explorer = !!i.closest('.lessons-explorer-static');
      const shown = i.getBoundingClientRect().width;
      // The 1x size: what docutils wrote from the retina PNG's metadata (an inline style), else the PNG's width.
      const css = parseFloat(i.style.width) || parseFloat(i.getAttribute('width')) || i.naturalWidth;
      // A frame's <img> carries the live figure's CSS size (its 2x PNG is drawn at twice the dpi).
      const figDpi = explorer ? css / frameInches : dpi;
      const scale = shown / css;
      const number = i.closest('figure')?.querySelector('.caption-number')?.textContent.trim();
      const link = i.closest('a[href]');
      return {
        name: number || (explorer ? 'explorer frame' : (i.alt || '').slice(0, 40)),
        src: i.src.startsWith('data:') ? 'data:' : i.src,
        link: link ? link.href : null,
        explorer, natural: i.naturalWidth, css, shown, scale,
        textPx: points / 72 * figDpi * scale,
      };
    });
  return {codePx, figures};
}"""


# Text counts as smaller than the code when it is at least this much smaller (10 pt at 100 dpi is 13.9 px,
# as large as the theme's 14 px code).
TOLERANCE_PX = 0.5


def _rows(path: str, measured: dict) -> tuple[dict, list[str]]:
    code = measured["codePx"]
    figures = measured["figures"]
    for f in figures:
        f["small"] = f["textPx"] < code - TOLERANCE_PX
    small = [f for f in figures if f["small"]]
    summary = {
        "page": path,
        "figures": len(figures),
        "below": len(small),
        "min_scale": min((f["scale"] for f in figures), default=None),
        "min_text": min((f["textPx"] for f in figures), default=None),
        "code": code,
    }
    details = [
        f"{path}  {f['name'][:28]:28s}  {'frame' if f['explorer'] else 'fig':5s}  png {f['natural']:5d}  "
        f"1x {f['css']:5.0f}  shown {f['shown']:5.0f}  scale {f['scale']:4.2f}  text ~{f['textPx']:4.1f} px"
        f"{'  < code ' + format(code, '.0f') + ' px' if f['small'] else ''}"
        for f in figures
    ]
    return summary, details


# The vendored scripts (MathJax, require.js, the widget manager) take much of a page's load time and do not
# change how wide a figure is shown: the measuring pass does without them.
VENDOR = "**/_static/vendor/**"


def _has_figures(path: str) -> bool:
    html = (SITE / path).read_text(encoding="utf-8")
    return "cell_output" in html or "lessons-explorer-static" in html


def figure_problems(page, path: str, record_property) -> list[str]:
    """At 1280 px every notebook figure and explorer frame of the open page has >= 2 image pixels per
    displayed CSS pixel and is shown at its 1x size or the column's width (so its text is as large as
    tests/test_plots_text_size.py measured it), and every notebook figure links to its own file (opened
    alone, at full size). Records the estimated text size of every figure for the report. Called by
    test_site.py's test of each page, on the page it has open (one visit per page)."""
    measured = page.evaluate(
        MEASURE, {"points": POINTS, "dpi": NOTEBOOK_FIGURE_DPI, "frameInches": EXPLORER_FRAME_INCHES}
    )
    summary, details = _rows(path, measured)
    record_property("figure_text_summary", [summary])
    record_property("figure_text_details", details)
    problems = []
    for f in measured["figures"]:
        if f["natural"] < 2 * f["shown"] - 1:
            problems.append(f"{f['name']}: a {f['natural']} px PNG shown {f['shown']:.0f} px wide (not 2x)")
        # tests/test_plots_text_size.py asserts text size assuming a figure is shown at its 1x size, or at
        # the column's width if it is wider: the page must not shrink it further.
        if f["shown"] < min(f["css"], COLUMN_PX) - 2:
            problems.append(f"{f['name']}: shown {f['shown']:.0f} px wide, narrower than its 1x size "
                            f"({f['css']:.0f} px) and the {COLUMN_PX} px column")
        if not f["explorer"] and f["link"] != f["src"]:
            problems.append(f"{f['name']}: links to {f['link']}, not to its own file {f['src']}")
    return problems


def test_every_page_with_figures_is_checked():
    """The per-page test (test_site.py) measures the figures of every built page that has any."""
    from test_site import PAGES as CHECKED

    with_figures = [path for path in PAGES if _has_figures(path)]
    assert with_figures, f"no built pages with notebook outputs in {SITE}"
    missing = sorted(set(with_figures) - {p.path for p in CHECKED})
    assert not missing, f"pages with figures that test_site.PAGES does not list: {missing}"


FULL_SIZE_PAGE = "notebooks/2_4_2_lstm.html"
IMAGE_ALONE = """() => ({images: document.images.length, natural: document.images[0]?.naturalWidth,
                        type: document.contentType})"""


# A laptop window and a phone (as in conftest.DEVICES).
WINDOWS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def test_a_figure_opens_alone_at_full_size(chromium, site_url):
    """Enter on a focused figure (desktop) and a tap on it (phone) open its PNG alone, at its full 2x size."""
    if not (SITE / FULL_SIZE_PAGE).is_file():
        pytest.skip(f"{FULL_SIZE_PAGE} is not built")
    for device, options in WINDOWS.items():
        context = chromium.new_context(**options)
        context.route(VENDOR, lambda route: route.abort())
        try:
            page = context.new_page()
            page.goto(site_url + FULL_SIZE_PAGE, wait_until="load")
            link = page.locator(".bd-article .cell_output figure a.image-reference").first
            image = link.locator("img")
            natural = image.evaluate("i => i.naturalWidth")
            shown = image.bounding_box()["width"]
            assert natural >= 2 * shown - 1, f"{device}: not 2x ({natural} px PNG shown {shown:.0f} px wide)"
            with page.expect_navigation():
                if device == "desktop":
                    link.focus()
                    assert page.evaluate("() => document.activeElement.matches('a.image-reference')")
                    page.keyboard.press("Enter")
                else:
                    link.scroll_into_view_if_needed()
                    link.tap()
            assert page.url.endswith(".png"), f"{device}: opened {page.url}, not the figure's file"
            alone = page.evaluate(IMAGE_ALONE)
            assert alone == {"images": 1, "natural": natural, "type": "image/png"}, f"{device}: {alone}"
        finally:
            context.close()
