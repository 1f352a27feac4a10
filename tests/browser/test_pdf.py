"""The whole book as one PDF (scripts/build_pdf.py, _build/html/neurons-to-lstm.pdf), opened with PDFium.

Checked: a sane number of A4 pages; a title page and a contents list whose page numbers lead to each section's
heading, in the order of _toc.yml (every chapter and section title, read from the notebooks' first heading); a
PDF bookmark per section; at least as many embedded images as the site shows figures, and every figure
number; every equation number of the site printed as an equation's label; every work of references.bib in
the bibliography, after the last section; no text cut off at the edge of the column (a code line or an
equation too wide for the page), and none of the site's buttons or raw TeX in the text; the landing page's
link to the PDF, on the served site.

The test command builds the PDF in the stage before the browser test; by hand: `bash scripts/build-pdf.sh`.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import importlib.util
import os
import pathlib
import re
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
_spec = importlib.util.spec_from_file_location("build_pdf", ROOT / "scripts" / "build_pdf.py")
build_pdf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_pdf)

PT_PER_MM = 72 / 25.4
A4_PT = (595.0, 842.0)  # what Chromium writes for A4, to a point
PAGES_RANGE = (120, 400)  # about 215 pages in December 2026; far outside this range something went wrong
# Text that must not reach paper: the site's buttons and menus, and TeX that MathJax failed to typeset.
NOT_ON_PAPER = ["Skip to main content", "Click to hide", "Show code cell source", "Ctrl+K", "\\(", "\\[", "$$"]


def _unavailable(reason: str):
    """Fail under CI (where the test command built the PDF just before), skip elsewhere."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def normalize(text: str) -> str:
    """Whitespace (line ends included) as single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def letters(text: str) -> str:
    """Lower-case letters and digits only: for matching a BibTeX title with what the bibliography prints."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


@dataclasses.dataclass
class Book:
    pdf: object  # pypdfium2.PdfDocument
    texts: list[str]  # each page's text, as PDFium extracts it

    @functools.cached_property
    def flat(self) -> list[str]:
        return [normalize(t) for t in self.texts]


@pytest.fixture(scope="module")
def book():
    pdfium = pytest.importorskip("pypdfium2")
    if not build_pdf.PDF.is_file():
        _unavailable(f"no {build_pdf.PDF.relative_to(ROOT)}: run `bash scripts/build-pdf.sh` first")
    pdf = pdfium.PdfDocument(str(build_pdf.PDF))
    try:
        yield Book(pdf, [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))])
    finally:
        pdf.close()


def toc_titles() -> list[str]:
    """The title of every page of _toc.yml but the landing page, in order: a notebook's first markdown
    heading, a Markdown page's first '# ' line."""
    import nbformat
    import yaml

    def files(entries):
        for entry in entries:
            yield entry["file"]
            yield from files(entry.get("sections", []))

    titles = []
    for name in files(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["chapters"]):
        notebook = ROOT / f"{name}.ipynb"
        if notebook.is_file():
            cells = nbformat.read(notebook, as_version=4).cells
            lines = [line for cell in cells if cell.cell_type == "markdown" for line in cell.source.splitlines()]
        else:
            lines = (ROOT / f"{name}.md").read_text(encoding="utf-8").splitlines()
        titles.append(next(line[2:].strip() for line in lines if line.startswith("# ")))
    return titles


def site_pages() -> dict[str, str]:
    """The article of every built page of the book (notebooks and Markdown pages), by path."""
    pages = {}
    for folder in ("notebooks", "book"):
        for path in sorted((SITE / folder).glob("*.html")):
            text = path.read_text(encoding="utf-8")
            start, end = text.find("<article"), text.rfind("</article>")
            pages[str(path.relative_to(SITE))] = text[start:end]
    return pages


def contents_pages(book: Book) -> list[int]:
    """Indices of the pages of the contents list: from the page headed "Contents" to the one before the page
    that the list gives for its first entry (the landing page's text)."""
    first = next((i for i, text in enumerate(book.flat[:6]) if re.search(r"(^| )Contents ", text)), None)
    assert first is not None, "no page of the first six starts a contents list"
    start = listed_page(book, first, build_pdf.INTRO_TITLE)
    assert start is not None, f"the contents list has no page number for {build_pdf.INTRO_TITLE!r}"
    return list(range(first, start - 1))


def listed_page(book: Book, index: int, title: str) -> int | None:
    """The page number printed at the right of ``title`` in the contents list on page ``index``."""
    textpage = book.pdf[index].get_textpage()
    searcher = textpage.search(title, match_case=True)
    found = searcher.get_next()
    if found is None:
        return None
    start, count = found
    left, bottom, right, top = textpage.get_charbox(start + count - 1)
    width = book.pdf[index].get_width()
    number = textpage.get_text_bounded(right + 1, bottom - 2, width, top + 2).strip()
    return int(number) if number.isdigit() else None


def test_page_count_and_format(book):
    pages = len(book.pdf)
    assert PAGES_RANGE[0] <= pages <= PAGES_RANGE[1], f"{pages} pages"
    for index in (0, pages // 2, pages - 1):
        width, height = book.pdf[index].get_size()
        assert abs(width - A4_PT[0]) < 2 and abs(height - A4_PT[1]) < 2, f"page {index + 1} is {width} x {height} pt"
    size = build_pdf.PDF.stat().st_size
    assert size < 60e6, f"the PDF weighs {size / 1e6:.0f} MB"


def test_title_page(book):
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert book.flat[0].startswith(config["title"]), book.flat[0][:200]
    assert config["author"] in book.flat[0]


@pytest.fixture(scope="module")
def listed(book) -> dict[str, int]:
    """The page number that the contents list gives each title of _toc.yml (those it lists with one)."""
    contents = contents_pages(book)
    numbers = {}
    for title in toc_titles():
        found = [n for n in (listed_page(book, i, title) for i in contents) if n is not None]
        if found:
            numbers[title] = found[0]
    return numbers


def test_contents_lead_to_every_section_in_order(book, listed):
    """Each title of _toc.yml is in the contents list with a page number; that page holds the title (the
    section's heading), and the numbers grow in the order of _toc.yml."""
    first_text_page = contents_pages(book)[-1] + 2
    problems, previous = [], 0
    for title in toc_titles():
        if title not in listed:
            problems.append(f"{title!r} is not in the contents list with a page number")
            continue
        number = listed[title]
        if not first_text_page <= number <= len(book.pdf):
            problems.append(f"{title!r}: page {number} is not a page of the book's text")
        elif title not in book.flat[number - 1]:
            problems.append(f"{title!r} is not on page {number}, where the contents list sends the reader")
        if number < previous:
            problems.append(f"{title!r} (page {number}) comes before the section listed above it (page {previous})")
        previous = max(previous, number)
    assert not problems, "\n".join(problems)


def test_every_section_title_is_in_the_text_and_in_the_bookmarks(book):
    text = " ".join(book.flat[contents_pages(book)[-1] + 1 :])
    bookmarks = [normalize(item.get_title() or "") for item in book.pdf.get_toc()]
    missing = [title for title in toc_titles() if title not in text]
    assert not missing, f"section titles missing from the text: {missing}"
    unmarked = [title for title in toc_titles() if title not in bookmarks]
    assert not unmarked, f"no PDF bookmark for: {unmarked}"
    doubled = [b for b in bookmarks if len(b) % 2 == 0 and b and b[: len(b) // 2] == b[len(b) // 2 :]]
    assert not doubled, f"bookmarks whose title is written twice: {doubled}"


def test_figures_are_all_there(book):
    """At least one embedded image per figure on the site (notebook figures and explorer frames), and every
    figure number of the site in the text."""
    import pypdfium2.raw as pdfium_c

    pages = site_pages()
    figures = sum(len(re.findall(r"<img\b", article)) for article in pages.values())
    images = sum(
        1
        for i in range(len(book.pdf))
        for _ in book.pdf[i].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)
    )
    assert figures > 40, f"only {figures} figures found on the site: is _build/html complete?"
    assert images >= figures, f"{images} images in the PDF, {figures} figures on the site"
    numbers = sorted(
        {normalize(html.unescape(n)) for a in pages.values() for n in re.findall(r'caption-number">([^<]+)<', a)}
    )
    text = " ".join(book.flat)
    missing = [n for n in numbers if n not in text]
    assert numbers and not missing, f"figure numbers missing from the PDF: {missing}"


def test_numbered_equations_carry_their_numbers(book):
    """Every \\tag of the site's equations is printed as "(2.12)" where an equation's label stands: the last
    text on its line, near the column's right edge (not only in the prose that cites it), as text a reader
    can search for."""
    tags = sorted({t for a in site_pages().values() for t in re.findall(r"\\tag\{([^}]+)\}", a)})
    assert len(tags) >= 10, f"only {len(tags)} numbered equations found on the site: {tags}"
    column_right = A4_PT[0] - build_pdf.MARGIN_MM["right"] * PT_PER_MM
    unlabelled = [f"({tag})" for tag in tags if not any(label_on_page(book, i, f"({tag})", column_right)
                                                        for i, text in enumerate(book.texts) if f"({tag})" in text)]
    assert not unlabelled, f"equation numbers not printed as labels: {unlabelled}"


def label_on_page(book: Book, index: int, label: str, column_right: float, near_pt: float = 30) -> bool:
    textpage = book.pdf[index].get_textpage()
    searcher = textpage.search(label, match_case=True)
    while (hit := searcher.get_next()) is not None:
        x0, y0, x1, y1 = textpage.get_charbox(hit[0] + hit[1] - 1)
        middle = (y0 + y1) / 2
        after = textpage.get_text_bounded(x1 + 0.5, middle - 1, book.pdf[index].get_width(), middle + 1)
        if column_right - near_pt < x1 <= column_right + 1 and not after.strip():
            return True
    return False


def bib_titles() -> list[str]:
    titles = []
    text = (ROOT / "book" / "references.bib").read_text(encoding="utf-8")
    for match in re.finditer(r"(?<![a-z])title\s*=\s*\{", text):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        titles.append(text[match.end() : i - 1])
    return titles


def test_bibliography_comes_last_and_holds_every_work(book, listed):
    *sections, bibliography = toc_titles()
    assert bibliography == "Bibliography" and bibliography in listed, "no bibliography in the contents list"
    start = listed[bibliography]
    assert all(listed.get(title, 0) < start for title in sections), "the bibliography is not after every section"
    printed = letters(" ".join(book.flat[start - 1 :]))
    titles = bib_titles()
    assert len(titles) >= 20, f"only {len(titles)} titles read from references.bib"
    missing = [title for title in titles if letters(title) not in printed]
    assert not missing, f"works of references.bib missing from the bibliography: {missing}"


def text_cut_off(pdf, margin_mm: float, tolerance_pt: float = 0.75) -> list[str]:
    """Characters that cross the left or right edge of the text column, with their line.

    Chromium clips a printed page's content to the column: whatever is wider than it (a code line that does
    not wrap, an equation) is cut off there, and the PDF keeps only the glyphs that are at least partly
    visible. The last of them (often a space) crosses the column's edge; a line that fits stops before it.
    (MathJax's stretched brace pieces, private-use glyphs drawn through a clip of their own, are left out.)
    """
    import pypdfium2.raw as pdfium_c

    problems = []
    for i in range(len(pdf)):
        textpage = pdf[i].get_textpage()
        left, right = margin_mm * PT_PER_MM, pdf[i].get_width() - margin_mm * PT_PER_MM
        for k in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, k)
            if code in (10, 13) or 0xE000 <= code <= 0xF8FF:
                continue
            x0, y0, x1, y1 = textpage.get_charbox(k)
            if x1 - x0 > 0.1 and (x0 < left - tolerance_pt or x1 > right + tolerance_pt):
                line = textpage.get_text_bounded(0, y0, pdf[i].get_width(), y1).strip()
                problems.append(f"page {i + 1}: {line[:100]!r}")
                break
    return problems


def test_nothing_is_cut_off_at_the_margins(book):
    problems = text_cut_off(book.pdf, build_pdf.MARGIN_MM["left"])
    assert build_pdf.MARGIN_MM["left"] == build_pdf.MARGIN_MM["right"], "text_cut_off assumes equal side margins"
    assert not problems, "text cut off at the edge of the column:\n" + "\n".join(problems)


def test_the_cut_off_check_sees_a_line_too_long(chromium):
    """text_cut_off finds a code line that does not wrap, and a paragraph pushed out on the left (printed
    with the book's page options); wrapped, the same line passes."""
    import pypdfium2 as pdfium

    page = chromium.new_page()
    try:
        page.set_content(
            "<pre style='white-space: pre'>short line\n" + "x = 1  # " + "too long " * 30 + "</pre>"
            "<p style='margin-left: -80px'>a paragraph cut on the left</p>"
        )
        cut = pdfium.PdfDocument(page.pdf(**build_pdf.pdf_options()))
        page.set_content("<pre style='white-space: pre-wrap'>" + "x = 1  # " + "too long " * 30 + "</pre>")
        wrapped = pdfium.PdfDocument(page.pdf(**build_pdf.pdf_options()))
    finally:
        page.close()
    found = text_cut_off(cut, build_pdf.MARGIN_MM["left"])
    assert len(found) == 1 and "too long" in found[0], found
    assert text_cut_off(wrapped, build_pdf.MARGIN_MM["left"]) == []


def test_no_site_controls_or_raw_tex_on_paper(book):
    text = " ".join(book.flat)
    found = [s for s in NOT_ON_PAPER if s in text]
    assert not found, f"on paper: {found}"


def test_the_landing_page_links_the_pdf(visit):
    """The landing page's link leads, on the served site, to this PDF."""
    if not build_pdf.PDF.is_file():
        _unavailable(f"no {build_pdf.PDF.relative_to(ROOT)}: run `bash scripts/build-pdf.sh` first")
    page = visit("book/intro.html").page
    link = page.get_by_role("link", name="download the whole book as a PDF")
    url = link.evaluate("a => a.href")
    assert urllib.parse.urlsplit(url).path == "/" + build_pdf.PDF_NAME, url
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf", (response.status, url)
    assert response.body() == build_pdf.PDF.read_bytes()
