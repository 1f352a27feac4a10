"""The built site works offline in a real browser: figures load, math is typeset, widgets render, the
console stays clean and no request leaves 127.0.0.1; axe-core finds no serious accessibility fault; on a
390 px phone no page scrolls sideways and the chapter list and contents drawers open and lead somewhere.

Run after the site build (`bash scripts/test.sh` does): `.venv/bin/python -m pytest tests/browser`.
Screenshots of the first screen at 1280 px (the whole page with LESSONS_FULL_SCREENSHOTS=1) and at 390 px,
and of the two drawers, land in _build/screenshots/.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re

import pytest


@dataclasses.dataclass(frozen=True)
class Page:
    path: str  # relative to the site's root
    math: bool = False  # the page has formulas that MathJax must typeset
    figures: int = 0  # at least this many numbered figure captions
    lands_on: str | None = None  # where a redirect page ends up
    explorers: int = 0  # static explorers (precomputed frames behind a slider) on the page


# One line per page; explorer notebooks add theirs here (their sliders are tested by test_explorers.py).
PAGES = [
    Page("index.html", lands_on="book/intro.html"),
    Page("notebooks/1_1_1_supervised_learning.html", math=True, figures=2),
    Page("notebooks/1_1_2_unsupervised_learning.html", math=True, figures=3, explorers=1),
    Page("notebooks/1_1_3_semi_supervised_learning.html", math=True, figures=1),
    Page("notebooks/1_1_4_self_supervised_learning.html", math=True, figures=1),
    Page("notebooks/1_1_5_reinforcement_learning.html", math=True, figures=1, explorers=1),
    Page("notebooks/1_2_1_batch_learning.html", math=True, figures=1),
    Page("notebooks/1_2_2_online_learning.html", math=True, figures=1, explorers=1),
    Page("notebooks/2_1_logical_computations.html", math=True, figures=2, explorers=1),
    Page("notebooks/2_2_1_how_to_train_a_perceptron.html", math=True, figures=3, explorers=1),
    Page("notebooks/2_2_the_perceptron.html", math=True, figures=1, explorers=1),
    Page("notebooks/2_3_1_how_backpropagation_works.html", math=True, figures=3, explorers=1),
    Page("notebooks/2_3_2_vanishing_exploding_gradients.html", math=True, figures=1, explorers=1),
    Page("notebooks/2_3_3_activation_functions.html", math=True, figures=1, explorers=1),
    Page("notebooks/2_3_4_hidden_layers.html", math=True, figures=5, explorers=1),
    Page("notebooks/2_3_5_learning_rate_and_optimizer.html", math=True, figures=1, explorers=1),
    Page("notebooks/2_3_6_batch_normalization.html", math=True, figures=1, explorers=1),
    Page("notebooks/2_3_7_dropout.html", math=True, figures=3, explorers=1),
    Page("notebooks/2_3_deep_neural_networks.html", math=True, figures=3, explorers=1),
    Page("notebooks/2_4_1_how_to_train_rnns.html", math=True, figures=5, explorers=1),
    Page("notebooks/2_4_2_lstm.html", math=True, figures=4, explorers=1),
    Page("notebooks/2_4_3_gru.html", math=True, figures=2, explorers=1),
    Page("notebooks/2_4_recurrent_neural_networks.html", math=True, figures=4, explorers=1),
    # Its citation list is markup of its own (axe-core checks it); the search page is checked by
    # test_search_results_show_the_matching_sentence.
    Page("book/bibliography.html"),
]
EXPLORER_PAGES = [p for p in PAGES if p.explorers]
# A reader may be on a slow or metered connection: every page, frames included, stays under this size.
MAX_PAGE_BYTES = 3_000_000

# TeX that MathJax should have replaced: display dollars, \( \) \[ \] delimiters, \commands.
RAW_TEX = re.compile(r"\$\$|\\[()\[\]]|\\[A-Za-z]+")

WAIT_FOR_MATHJAX = """async () => {
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
  await MathJax.startup.promise;
  return true;
}"""

WIDGETS_RENDERED = """() => Array.from(
  document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')
).every(s => s.previousElementSibling && s.previousElementSibling.classList.contains('widget-subarea')
             && s.previousElementSibling.childElementCount > 0)"""

BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done);
  })));
  return images.filter(i => !(i.naturalWidth > 0)).map(i => i.currentSrc || i.src);
}"""

# Text a reader sees, leaving out code (where $ and backslashes are legitimate) and typeset math.
VISIBLE_PROSE = """() => {
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && !el.closest(skip) && el.checkVisibility()) parts.push(n.nodeValue);
  }
  return parts.join(' ');
}"""

# axe-core (injected by the test, never part of the site): the violations a reader would meet, the serious
# and critical ones only (moderate and minor ones are reported by axe's own tools, not failed here).
AXE_SERIOUS = """async (within) => {
  const result = await axe.run(document.querySelector(within), {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'critical' || v.impact === 'serious').map(v =>
    `${v.id} (${v.impact}, ${v.nodes.length}x): ${v.help}; e.g. ${v.nodes[0].target.join(' ')}`);
}"""

# Search fields and search buttons a reader can see: one is enough.
VISIBLE_SEARCH = """() => Array.from(document.querySelectorAll('input[type=search], .search-button__button'))
  .filter(e => e.checkVisibility()).map(e => e.outerHTML.slice(0, 90))"""

PHONE = {"width": 390, "height": 844}
AFTER_TRANSITIONS = """async () => {
  await new Promise(requestAnimationFrame);
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
}"""
# Elements of the text that reach past the right edge (not those inside a box that scrolls on its own).
WIDER_THAN_SCREEN = """(inner) => Array.from(document.querySelectorAll('.bd-article *'))
  .filter(e => e.getBoundingClientRect().right > inner + 1 && e.checkVisibility()
               && !e.parentElement.closest('pre, .highlight, mjx-container, .math, table, .output'))
  .slice(0, 3)
  .map(e => `<${e.tagName.toLowerCase()} class="${e.className}">` + (e.textContent || '').trim().slice(0, 60))"""

CAPTION_NUMBERS = """() => Array.from(document.querySelectorAll('figure')).map(f => {
  const n = f.querySelector('figcaption .caption-number');
  return n ? n.textContent.trim() : null;
})"""


def _screenshot_name(path: str, prefix: str = "") -> str:
    return prefix + path.removesuffix(".html").replace("/", "__") + ".png"


def _axe_problems(page, axe_source, within: str = "html") -> list[str]:
    """axe-core's serious and critical violations in the page (or in the element that ``within`` selects).
    While a modal <dialog> is open axe leaves the rest of the page out: check the page before opening one."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)  # inline: no request, nothing of axe's is served by the site
    return [f"axe-core: {v}" for v in page.evaluate(AXE_SERIOUS, within)]


def _search_problems(page) -> list[str]:
    problems = []
    searches = page.evaluate(VISIBLE_SEARCH)
    if len(searches) != 1:
        problems.append(f"expected one visible search field or button, found {len(searches)}: {searches}")
    return problems


def _log_problems(seen) -> list[str]:
    problems = []
    if seen.outside:
        problems.append("requests to hosts other than 127.0.0.1:\n    " + "\n    ".join(seen.outside))
    if seen.failed:
        problems.append("failed requests:\n    " + "\n    ".join(seen.failed))
    if seen.console_errors:
        problems.append("console errors:\n    " + "\n    ".join(seen.console_errors))
    if seen.page_errors:
        problems.append("uncaught page errors:\n    " + "\n    ".join(seen.page_errors))
    return problems


# Full-page screenshots of long pages take seconds each: only when asked for (LESSONS_FULL_SCREENSHOTS=1);
# otherwise the first screen.
FULL_SCREENSHOTS = os.environ.get("LESSONS_FULL_SCREENSHOTS") == "1"


@pytest.mark.parametrize("spec", PAGES, ids=[p.path for p in PAGES])
def test_page(spec, visit, screenshot_dir, axe_source, move_range_and_compare_image, record_property):
    """Everything a page must do, in one visit (opening a page is most of a browser test's time): its
    explorers' sliders (test_explorers.py), math, images and alt texts, numbered figures, its figures' sharpness
    (test_figures.py), its questions answered (test_quizzes.py), axe-core, one search field, the phone layout,
    and no request outside 127.0.0.1, failed request or console error."""
    from test_explorers import explorer_problems, phone_explorer_problems
    from test_figures import figure_problems
    from test_quizzes import quiz_problems

    seen = visit(spec.path)
    page = seen.page
    if spec.lands_on:
        page.wait_for_url(f"**/{spec.lands_on}")
        page.wait_for_load_state("load")
    problems = []

    mathjax = page.evaluate(WAIT_FOR_MATHJAX)
    has_widgets = page.locator('script[type="application/vnd.jupyter.widget-state+json"]').count() > 0
    if has_widgets:
        try:
            page.wait_for_function(WIDGETS_RENDERED, timeout=15_000)
        except Exception:  # noqa: BLE001 - reported below with the page's errors
            problems.append("the widget views did not render")
    explorers = page.locator(".lessons-explorer-static").count()
    if explorers != spec.explorers:
        problems.append(f"expected {spec.explorers} static explorer(s), found {explorers}")
    if explorers:  # first, while only the frames shown on load have been requested
        problems += explorer_problems(spec, seen, move_range_and_compare_image, screenshot_dir)
    page.screenshot(path=str(screenshot_dir / _screenshot_name(spec.path)), full_page=FULL_SCREENSHOTS)

    if spec.math:
        if not mathjax:
            problems.append("MathJax did not load")
        if page.locator("mjx-container").count() == 0:
            problems.append("no typeset math (mjx-container) on the page")
    for error in page.locator("mjx-merror").all():
        problems.append(f"MathJax error: {error.get_attribute('data-mjx-error') or error.inner_text()}")
    raw = sorted(set(RAW_TEX.findall(page.evaluate(VISIBLE_PROSE))))
    if raw:
        problems.append(f"raw TeX in the visible text: {raw}")

    broken = page.evaluate(BROKEN_IMAGES)
    if broken:
        problems.append(f"images that did not load: {broken}")
    # Screen readers read the alt text: a figure needs a description, not its file name.
    unnamed = page.evaluate("""() => Array.from(document.images)
        .filter(i => !i.alt || /\\.(png|svg|jpe?g)$/i.test(i.alt)).map(i => i.currentSrc || i.src)""")
    if unnamed:
        problems.append(f"images without a real alt text: {unnamed}")

    if spec.figures:
        numbers = page.evaluate(CAPTION_NUMBERS)
        numbered = [n for n in numbers if n and re.search(r"\d", n)]
        if len(numbered) < spec.figures:
            problems.append(f"expected at least {spec.figures} numbered figure captions, found {numbers}")
    problems += figure_problems(page, spec.path, record_property)
    problems += quiz_problems(page, spec.path, screenshot_dir)

    # axe-core over the whole page, its questions answered and its sliders moved
    problems += _axe_problems(page, axe_source) + _search_problems(page)
    problems += [f"at 390 px: {problem}" for problem in _phone_problems(page, spec.path, screenshot_dir)]
    if explorers:
        problems += phone_explorer_problems(page, screenshot_dir)
    problems += _log_problems(seen)
    assert not problems, f"{spec.path}:\n  " + "\n  ".join(problems)


def test_every_page_with_an_explorer_is_listed():
    """Every built page with static explorers is in PAGES with their number (so test_page moves them)."""
    site = pathlib.Path(__file__).resolve().parents[2] / "_build" / "html"
    if not site.is_dir():
        pytest.skip("the site is not built")
    listed = {p.path: p.explorers for p in PAGES}
    found = {str(f.relative_to(site)): f.read_text(encoding="utf-8").count('class="lessons-explorer-static"')
             for f in site.glob("notebooks/*.html")}
    wrong = {path: (n, listed.get(path)) for path, n in found.items() if n and listed.get(path) != n}
    assert not wrong, f"pages whose explorers PAGES does not count right (found, listed): {wrong}"


def _phone_problems(page, path: str, screenshot_dir) -> list[str]:
    """The same page in a 390 px window: nothing makes it wider than the screen (long code names wrap, wide
    code blocks and equations scroll inside their own box) and there is one search control. The phone's
    header buttons and drawers are checked, on a touch screen, by test_phone_drawers_open_and_their_links_work."""
    page.set_viewport_size(PHONE)
    # The new layout, once the theme's transitions (the chapter list sliding out of view) have run.
    page.evaluate(AFTER_TRANSITIONS)
    problems = []
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width > inner:
        wide = page.evaluate(WIDER_THAN_SCREEN, inner)
        problems.append(f"the page is {width} px wide on a {inner} px screen (scrolls sideways); widest: {wide}")
    page.screenshot(path=str(screenshot_dir / _screenshot_name(path, "phone__")))
    return problems + _search_problems(page)


def test_phone_drawers_open_and_their_links_work(visit, screenshot_dir, axe_source):
    """On a phone the hamburger opens the chapter list and the list icon the page's contents, each as a
    drawer over the page; a chapter link opens that page, a contents link closes the drawer at its heading.
    axe-core checks the phone layout, and the open drawer."""
    # Two short pages (the drawers are the same on every page; long pages only cost time).
    seen = visit("notebooks/1_2_1_batch_learning.html", device="phone")
    page = seen.page
    assert not (problems := _axe_problems(page, axe_source)), "at 390 px:\n  " + "\n  ".join(problems)
    chapters = page.locator("#pst-primary-sidebar-modal")
    page.get_by_role("button", name="Chapter list").tap()
    link = chapters.get_by_role("link", name="1.2.2 Online learning")
    link.wait_for(state="visible", timeout=3000)  # fails here if the drawer did not open
    assert chapters.evaluate("d => d.open"), "the chapter list is visible but not as the drawer"
    page.screenshot(path=str(screenshot_dir / "phone__drawer_chapters.png"))
    problems = _axe_problems(page, axe_source, within="#pst-primary-sidebar-modal")
    assert not problems, "the chapter drawer:\n  " + "\n  ".join(problems)
    with page.expect_navigation():
        link.tap()
    assert page.url.endswith("notebooks/1_2_2_online_learning.html"), page.url

    contents = page.locator("#pst-secondary-sidebar-modal")
    page.get_by_role("button", name="Contents of this page").tap()
    entry = contents.get_by_role("link", name="Exercises")
    entry.wait_for(state="visible", timeout=3000)
    assert contents.evaluate("d => d.open")
    page.screenshot(path=str(screenshot_dir / "phone__drawer_contents.png"))
    target = entry.get_attribute("href")
    entry.tap()
    page.wait_for_function("() => !document.getElementById('pst-secondary-sidebar-modal').open", timeout=3000)
    assert page.url.endswith("1_2_2_online_learning.html" + target), page.url
    top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", target[1:])
    assert 0 <= top < 200, f"the heading {target} is at {top} px, not at the top of the screen"
    assert not seen.console_errors and not seen.page_errors, seen.console_errors + seen.page_errors


def test_wide_hamburger_hides_and_shows_the_chapter_list(visit):
    """At 1280 px the chapter list sits beside the text; the hamburger hides it (the text takes the width)
    and shows it again."""
    page = visit("notebooks/1_2_1_batch_learning.html").page
    sidebar, article = page.locator("#pst-primary-sidebar"), page.locator("article.bd-article")
    toggle = page.get_by_role("button", name="Chapter list")
    assert sidebar.is_visible()
    width = article.bounding_box()["width"]
    toggle.click()
    assert not sidebar.is_visible(), "the hamburger did not hide the chapter list"
    assert article.bounding_box()["width"] > width, "the text did not take the freed width"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#pst-primary-sidebar-modal").evaluate("d => d.open"), "a drawer opened instead"
    toggle.click()
    assert sidebar.is_visible() and toggle.get_attribute("aria-expanded") == "true"


def test_search_results_show_the_matching_sentence(visit, axe_source):
    """Each result's summary is prose around the match: not the page's contents list, not TeX source. The
    page has one search field and satisfies axe-core with its results shown."""
    seen = visit("search.html?q=sigmoid")
    page = seen.page
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li').length >= 3 &&"
        " Array.from(document.querySelectorAll('#search-results li')).slice(0, 3)"
        ".every(li => li.querySelector('p.context'))",
        timeout=15_000,
    )
    summaries = page.evaluate("""() => Array.from(document.querySelectorAll('#search-results li p.context'))
        .map(p => p.textContent)""")
    problems = []
    for text in summaries:
        if "sigmoid" not in text.lower():
            problems.append(f"no match in: {text!r}")
        if RAW_TEX.search(text):
            problems.append(f"TeX source in: {text!r}")
        if "Contents" in text:
            problems.append(f"the contents list in: {text!r}")
    assert summaries and not problems, "\n".join(problems)
    assert not (problems := _search_problems(page) + _axe_problems(page, axe_source) + _log_problems(seen)), "\n".join(
        problems
    )


def test_move_range_helper_reports_whether_the_image_followed(chromium, move_range_and_compare_image):
    page = chromium.new_page()
    try:
        page.set_content(
            """<input id="live" type="range" min="0" max="3" value="0"
                      oninput="document.getElementById('frame').src = 'data:image/svg+xml,' + this.value">
               <input id="dead" type="range" min="0" max="3" value="0">
               <img id="frame" src="data:image/svg+xml,0">"""
        )
        before, after = move_range_and_compare_image(page, "#live", "#frame", presses=2)
        assert (before, after) == ("data:image/svg+xml,0", "data:image/svg+xml,2")
        before, after = move_range_and_compare_image(page, "#dead", "#frame", timeout=300)
        assert before == after == "data:image/svg+xml,2"
    finally:
        page.close()


@pytest.mark.parametrize("spec", PAGES, ids=[p.path for p in PAGES])
def test_page_size(spec):
    """The page's HTML (inline explorer frames included) plus the images it links."""
    site = pathlib.Path(__file__).resolve().parents[2] / "_build" / "html"
    html_file = site / spec.path
    if not html_file.is_file():
        pytest.skip(f"{spec.path} is not built")
    html = html_file.read_text(encoding="utf-8")
    images = {html_file.parent / src for src in re.findall(r'<img[^>]+src="(?!data:)([^"]+)"', html)}
    size = html_file.stat().st_size + sum(p.stat().st_size for p in images if p.is_file())
    assert size < MAX_PAGE_BYTES, f"{spec.path} weighs {size / 1e6:.1f} MB with its images"
