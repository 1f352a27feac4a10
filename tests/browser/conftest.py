"""Fixtures for driving the built site (_build/html) in Debian's Chromium with Playwright.

The site is served by a local http.server thread on 127.0.0.1; every request a page makes is recorded,
and requests to any other host are refused (and reported), so a page that still depends on a remote
server fails fast instead of waiting for the network. Playwright's own browser download is never used:
the tests drive /usr/bin/chromium.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import pathlib
import shutil
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
# axe-core, the accessibility checker injected into pages: fetched from npm by scripts/vendor_assets.py (every
# site build runs it) into a cache folder that is never published with the site.
AXE = ROOT / ".cache" / "test-assets" / "axe-core" / "axe.min.js"
# The windows pages are opened in: a laptop, and a phone (390 x 844 CSS pixels, touch, mobile viewport).
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
# The flags Chromium is started with: the same as for printing the book (scripts/build_pdf.py), one list.
_spec = importlib.util.spec_from_file_location("build_pdf", ROOT / "scripts" / "build_pdf.py")
build_pdf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_pdf)
CHROMIUM_ARGS = build_pdf.CHROMIUM_ARGS
HOST = "127.0.0.1"


def _chromium_path() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


def _unavailable(reason: str):
    """Fail under CI (where a missing browser or site is a broken setup), skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_url():
    """Base URL (ending in "/") of _build/html served on 127.0.0.1 at an ephemeral port."""
    if not (SITE / "index.html").is_file():
        _unavailable(f"no built site in {SITE}: run `bash scripts/build-site.sh` first")

    with build_pdf.serve(SITE) as url:  # the server that prints the book: 127.0.0.1, an ephemeral port
        yield url


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (never a browser that Playwright downloads)."""
    path = _chromium_path()
    if path is None:
        _unavailable("Chromium is not installed; install it with `sudo apt-get install chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclasses.dataclass
class Visit:
    """An open page and everything it did: requests, failures, console errors, uncaught exceptions."""

    page: object
    requests: list = dataclasses.field(default_factory=list)
    outside: list = dataclasses.field(default_factory=list)
    failed: list = dataclasses.field(default_factory=list)
    console_errors: list = dataclasses.field(default_factory=list)
    page_errors: list = dataclasses.field(default_factory=list)


def _is_local(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True  # inline content, no request leaves the page
    return parts.scheme in ("http", "https") and parts.hostname == HOST


@pytest.fixture
def visit(chromium, site_url):
    """Open a page of the site (path relative to its root) and return a :class:`Visit` recording it.

    ``visit(path)`` opens it in a 1280 x 900 window, ``visit(path, device="phone")`` on a 390 x 844 touch
    screen (see DEVICES). Requests to any host but 127.0.0.1 are aborted and listed in ``Visit.outside``.
    The page is loaded (``load`` event) but nothing more is awaited: tests wait for MathJax or widgets
    themselves.
    """
    contexts = {}
    pages = []

    def _block_outside(route):
        if _is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    def open_page(path: str, device: str = "desktop") -> Visit:
        if device not in contexts:
            contexts[device] = chromium.new_context(**DEVICES[device])
            contexts[device].route("**/*", _block_outside)
        page = contexts[device].new_page()
        record = Visit(page)
        pages.append(record)

        def on_request(request):
            record.requests.append(request.url)
            if not _is_local(request.url):
                record.outside.append(request.url)

        def on_response(response):
            if response.status >= 400:
                record.failed.append(f"{response.status} {response.url}")

        def on_request_failed(request):
            # A slider moved on before the frame it asked for had arrived: the browser drops that request for
            # the newer frame. Not a failure (a missing frame is a 404, reported by on_response).
            superseded = request.failure == "net::ERR_ABORTED" and "/_static/explorer-frames/" in request.url
            if _is_local(request.url) and not superseded:
                record.failed.append(f"{request.failure} {request.url}")

        def on_console(message):
            if message.type == "error":
                record.console_errors.append(f"{message.text} ({message.location.get('url')})")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)
        page.on("console", on_console)
        page.on("pageerror", lambda error: record.page_errors.append(str(error)))
        page.goto(site_url + path, wait_until="load")
        return record

    try:
        yield open_page
    finally:
        for context in contexts.values():
            context.close()


@pytest.fixture(scope="session")
def axe_source():
    """The text of axe.min.js, to inject into a page with ``page.add_script_tag(content=...)``."""
    if not AXE.is_file():
        pytest.fail(
            f"{AXE.relative_to(ROOT)} is missing: run `python scripts/vendor_assets.py` (every site build does)",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def move_range_and_compare_image():
    """Return ``move(page, range_selector, image_selector, presses=1, key="ArrowRight", timeout=5000)``.

    ``move`` reads the ``src`` of the image matched by ``image_selector``, focuses the
    ``<input type="range">`` matched by ``range_selector`` and presses ``key`` ``presses`` times on it
    (a reader's keyboard, so the page gets real ``input``/``change`` events), then waits up to ``timeout``
    ms for the image's ``src`` to change. It returns ``(before, after)``: the two ``src`` values, equal if
    nothing changed in time. An explorer's test asserts that the figure follows the control::

        before, after = move_range_and_compare_image(page, "input[type=range]", ".explorer img")
        assert after != before, "moving the slider did not redraw the figure"

    For a matplotlib ``to_jshtml`` animation the image is the animation's frame (``img`` inside its
    container) and the slider its ``input[type=range]``. Selectors must each match exactly one element.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    def move(
        page, range_selector: str, image_selector: str, presses: int = 1, key: str = "ArrowRight", timeout: float = 5000
    ) -> tuple[str | None, str | None]:
        slider, image = page.locator(range_selector), page.locator(image_selector)
        assert slider.get_attribute("type") == "range", f"{range_selector!r} is not an <input type='range'>"
        before = image.get_attribute("src")
        slider.focus()
        for _ in range(presses):
            slider.press(key)
        try:
            page.wait_for_function(
                "([sel, old]) => document.querySelector(sel).getAttribute('src') !== old",
                arg=[image_selector, before],
                timeout=timeout,
            )
        except PlaywrightTimeout:
            pass  # unchanged: the caller's assertion says so
        return before, image.get_attribute("src")

    return move


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# The figure text-size report of test_figures.py: each page's test records its measurements as user
# properties (which reach the controller under pytest-xdist too); the table is printed after the results and
# written next to the screenshots. A report, not a test.
_figure_summaries: list[dict] = []
_figure_details: list[str] = []
WORST_PAGES = 10


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "figure_text_summary":
            _figure_summaries.extend(value)
        elif name == "figure_text_details":
            _figure_details.extend(value)


def pytest_terminal_summary(terminalreporter):
    pages = [s for s in _figure_summaries if s["figures"]]
    if not pages:
        return
    pages.sort(key=lambda s: s["min_text"])
    figures = sum(s["figures"] for s in pages)
    below = sum(s["below"] for s in pages)
    lines = [
        f"{below} of {figures} figures on {len(pages)} pages have text (matplotlib's 10 pt) smaller than the",
        "page's code text at 1280 px; worst pages first:",
        f"{'page':48s} {'figures':>7s} {'below':>5s} {'min scale':>9s} {'min text':>8s} {'code':>5s}",
    ]
    rows = [
        f"{s['page']:48s} {s['figures']:7d} {s['below']:5d} {s['min_scale']:9.2f} {s['min_text']:6.1f}px"
        f" {s['code']:3.0f}px"
        for s in pages
    ]
    terminalreporter.section("figure text size at 1280 px (estimate)")
    for line in lines + rows[:WORST_PAGES]:
        terminalreporter.write_line(line)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / "figure-text-sizes.txt"
    out.write_text("\n".join(lines + rows + [""] + sorted(_figure_details)) + "\n", encoding="utf-8")
    terminalreporter.write_line(f"every page and figure: {out.relative_to(ROOT)}")
