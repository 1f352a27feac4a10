"""The book's text keeps its promises about itself: links between sections, one label per equation number."""

import pathlib
import re
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
from figure_numbers import SYLLABUS_FIGURES, section_number  # noqa: E402

SECTIONS = {section_number(p.stem): p.name for p in NOTEBOOKS}
NUMBER = r"\d\.\d(?:\.\d)?"
# Code, math, existing links, roles and headings: a section number there is not a mention to link.
SKIP = re.compile(r"```.*?```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$|\[[^\]]*\]\([^)]*\)|^#[^\n]*$", re.S | re.M)
MENTION = re.compile(rf"\b[Ss]ections?\s+({NUMBER})\b")


def _markdown(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def _unlinked(text: str, own: str) -> list[str]:
    # Fenced admonitions hold prose: look inside them, but not inside code fences.
    text = re.sub(r"```\{(?:admonition|note|tip|warning|important)\}[^\n]*\n", "", text)
    text = SKIP.sub(" ", text)
    return [m.group(0) for m in MENTION.finditer(text) if m.group(1) in SECTIONS and m.group(1) != own]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_mention_of_another_section_is_a_link(path):
    own = section_number(path.stem)
    unlinked = [m for source in _markdown(path) for m in _unlinked(source, own)]
    assert not unlinked, f"{path.name}: write these mentions as links, e.g. [section 2.3.1](2_3_1_...ipynb): {unlinked}"


def test_each_syllabus_equation_number_labels_one_equation():
    tags = {}
    for path in NOTEBOOKS:
        for source in _markdown(path):
            for tag in re.findall(r"\\tag\{([0-9.]+)\}", source):
                tags.setdefault(tag, []).append(path.name)
    repeated = {tag: pages for tag, pages in tags.items() if len(pages) > 1}
    assert not repeated, f"label each equation once and link back to it from other pages: {repeated}"


def test_each_syllabus_figure_is_in_exactly_one_notebook():
    names = []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            name = cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
            if name:
                names.append(name)
    assert len(names) == len(set(names)), "figure names must be unique across the book"
    for name in SYLLABUS_FIGURES:
        assert names.count(name) == 1, f"syllabus figure {name} should appear once, found {names.count(name)}"
    assert sorted(SYLLABUS_FIGURES.values()) == [(2, k) for k in range(1, 9)], "Figures 2.1-2.8, each once"


def test_every_figure_has_an_alt_text_of_its_own():
    import difflib

    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("mystnb", {})
            name = meta.get("figure", {}).get("name")
            if not name:
                continue
            caption, alt = meta["figure"].get("caption", ""), meta.get("image", {}).get("alt", "")
            assert len(alt) >= 40, f"{path.name}: figure {name} needs an alt text that describes the picture"
            similarity = difflib.SequenceMatcher(None, caption, alt).ratio()
            assert similarity < 0.6, f"{path.name}: the alt text of {name} repeats its caption; describe the picture"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_lines_fit_the_text_column(path):
    long = [line for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
            for line in cell.source.splitlines() if len(line) > 88]
    assert not long, f"{path.name}: code lines over 88 characters (the site's column, and print): {long}"
