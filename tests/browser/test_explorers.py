"""Static explorers on the built site (lessons_lib/explorers/static.py, book/_static/lessons-site.js).

On every page with explorers (``explorers=`` in test_site.PAGES): every site slider moves and the frame
changes to another file, which the browser loads then and not before; each slider announces its value's name
(``aria-valuetext``) and the frame's alt text follows; the controls the site lacks are named "Jupyter only";
the page's own HTML stays under 1.5 MB, with no frame inlined. Screenshots of each explorer at 1280 px and
on a 390 px phone land in _build/screenshots/explorer__*.png.

The checks are functions that test_site.py's test of each page calls on the page it has open (opening a page
is most of a browser test's time), first explorer_problems, then phone_explorer_problems at 390 px.
"""

from __future__ import annotations

import pathlib

SITE = pathlib.Path(__file__).resolve().parents[2] / "_build" / "html"
FRAMES = "_static/explorer-frames/"
# What a page itself weighs on first load (its HTML; frames are separate files loaded when shown).
MAX_OWN_BYTES = 1_500_000

STATE = """(uid) => {
  const root = document.getElementById(uid);
  const img = root.querySelector('img.lessons-explorer-frame');
  return {
    src: img.getAttribute('src'), alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
    sliders: Array.from(root.querySelectorAll('.lessons-explorer-controls input[type=range]')).map(s => ({
      id: s.id, value: Number(s.value), max: Number(s.max), text: s.getAttribute('aria-valuetext'),
      label: root.querySelector(`label[for="${s.id}"]`)?.textContent.trim(),
      shown: root.querySelector(`output[for="${s.id}"]`)?.textContent.trim()})),
    data: JSON.parse(root.querySelector('script.lessons-explorer-data').textContent),
    fixed: root.querySelector('.lessons-explorer-fixed')?.textContent || '',
  };
}"""


def _frame_requests(seen) -> list[str]:
    return [url for url in seen.requests if FRAMES in url]


def explorer_problems(spec, seen, move_range_and_compare_image, screenshot_dir) -> list[str]:
    """Every site slider of every explorer on the page just opened moves the frame (test_site.py's test of
    each page calls this first, before anything else touches the page)."""
    page = seen.page
    html = (SITE / spec.path).read_text(encoding="utf-8")
    assert len(html.encode()) <= MAX_OWN_BYTES, f"{spec.path}: the page's HTML weighs {len(html) / 1e6:.2f} MB"
    assert "data:image/png" not in html.split("lessons-explorer-static", 1)[-1], "a frame is inlined"
    ids = page.evaluate("() => Array.from(document.querySelectorAll('.lessons-explorer-static')).map(e => e.id)")
    assert len(ids) == spec.explorers, f"expected {spec.explorers} static explorer(s), found {ids}"
    page.wait_for_load_state("networkidle")
    # Lazy: on first load, each explorer fetched the one frame it shows.
    first = _frame_requests(seen)
    assert len(first) == len(ids), f"frames loaded before any interaction: {first}"
    problems = []
    for uid in ids:
        root = page.locator(f"#{uid}")
        assert "Run this notebook" in root.locator(".lessons-explorer-note").inner_text()
        state = page.evaluate(STATE, uid)
        data = state["data"]
        assert state["loaded"] and state["src"].startswith("../" + FRAMES), state["src"]
        assert 2 <= len(state["sliders"]) == len(data["names"])
        root.screenshot(path=str(screenshot_dir / f"explorer__{uid}__desktop.png"))
        for k, slider in enumerate(state["sliders"]):
            name = data["names"][k][slider["value"]]
            if not (slider["text"] == slider["shown"] == name and slider["label"] == data["labels"][k]):
                problems.append(f"{uid}: slider {k} announces {slider['text']!r}, shows {slider['shown']!r}, "
                                f"label {slider['label']!r}; expected {name!r}")
            key = "ArrowLeft" if slider["value"] == slider["max"] else "ArrowRight"
            before, after = move_range_and_compare_image(page, f"#{slider['id']}", f"#{uid} img", key=key)
            if after == before:
                problems.append(f"{uid}: moving {slider['label']!r} did not change the frame")
                continue
            page.wait_for_function("(uid) => { const i = document.querySelector(`#${uid} img`);"
                                   " return i.complete && i.naturalWidth > 0; }", arg=uid, timeout=5000)
            moved = page.evaluate(STATE, uid)
            new = moved["sliders"][k]
            new_name = data["names"][k][new["value"]]
            if new["text"] != new_name or new["shown"] != new_name:
                problems.append(f"{uid}: after a move, {new['label']!r} announces {new['text']!r}, not {new_name!r}")
            if f"{data['labels'][k]} = {new_name}" not in moved["alt"]:
                problems.append(f"{uid}: the alt text {moved['alt']!r} does not follow {data['labels'][k]!r}")
            if not any(url.endswith(after.split("/")[-1]) for url in _frame_requests(seen)):
                problems.append(f"{uid}: {after} was shown without being requested as a file")
        # Every control the live explorer has is either a slider here or named as Jupyter only.
        assert "Jupyter only" in state["fixed"] or not state["fixed"]
    if len(_frame_requests(seen)) <= len(first):
        problems.append("moving the sliders loaded no new frame")
    # No live widget (a control that looks alive without a kernel) is rendered on the static site.
    if page.locator(".widget-slider, .jupyter-widgets").count():
        problems.append("a live widget is rendered on the static site")
    return problems


def phone_explorer_problems(page, screenshot_dir) -> list[str]:
    """At 390 px the controls fit the screen (label above, slider and value below) and the frame shrinks to
    the column; a screenshot of each explorer is kept. Called by test_site.py's test of each page once its
    window is 390 px wide."""
    for uid in page.evaluate("() => Array.from(document.querySelectorAll('.lessons-explorer-static')).map(e => e.id)"):
        root = page.locator(f"#{uid}")
        root.scroll_into_view_if_needed()
        box, width = root.bounding_box(), page.evaluate("window.innerWidth")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{uid} is wider than the screen: {box}"
        for slider in root.locator("input[type=range]").all():
            for key in ("End", "Home"):  # the longest names stand at an end of the scenario lists
                slider.press(key)
                b = slider.bounding_box()
                assert b["width"] >= 0.8 * box["width"], f"{uid}: at {key}, a slider is {b}"
            b = slider.bounding_box()
            assert b["width"] >= 0.8 * box["width"] and b["x"] + b["width"] <= width + 1, f"{uid}: a slider is {b}"
        img = root.locator("img").bounding_box()
        assert img["x"] + img["width"] <= width + 1
        root.screenshot(path=str(screenshot_dir / f"explorer__{uid}__phone.png"))
    return []
