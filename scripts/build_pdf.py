"""Build the whole book as one PDF, offline, through the Chromium that the browser tests use (no TeX).

1. The staged, already executed copy of the book that the site build leaves in _build/source/ (see
   build_book.py) is rendered once more, by Sphinx's ``singlehtml`` builder, into _build/pdf/: every page in
   the order of _toc.yml on one HTML page, whose cross-references, figure numbers and citations link within
   it. Execution stays off, and warnings are errors, as for the site.
2. Debian's Chromium, driven by Playwright, opens that page from a local server (a request to any other host
   is refused), waits until MathJax (configured for paper: paper_mathjax) has typeset every formula and every
   image has loaded, and arranges the page for paper (PREPARE below): a title page and a table of contents,
   the landing page as "About this book", every chapter and section on a new page under a heading of its
   depth in _toc.yml, no site chrome, exercise solutions unfolded (hidden cells stay hidden), explorers as
   their first frame, equation numbers as searchable text, equations wider than the page scaled to fit. The
   print rules of book/_static/lessons-site.css do the rest (page numbers, figures kept whole, code that
   wraps).
3. ``page.pdf()`` writes A4 pages, with PDF bookmarks, to _build/html/neurons-to-lstm.pdf, where the site
   serves it and the landing page links it. The table of contents gets its page numbers in a second, short
   pass: the pages of the first print are looked up and the numbers are stamped onto the contents pages.

The PDF takes the site build's outputs as they are: build the site first (``bash scripts/build-pdf.sh`` does,
when _build/html is missing or older than the book's sources and lessons_lib).

Usage: python scripts/build_pdf.py [--build-site-if-stale | --use-existing-site]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
SOURCE = BUILD / "source"  # staged and executed by build_book.py
SITE = BUILD / "html"
WORK = BUILD / "pdf"  # the single-page rendering (jupyter-book adds _build/singlehtml under it)
# The one place that names the PDF. The site serves it from its root; book/intro.md links it, and
# tests/browser/test_pdf.py checks that the link and this name agree.
PDF_NAME = "neurons-to-lstm.pdf"
PDF = SITE / PDF_NAME
# What a stale site is judged against: everything build_book.py reads (the vendored JavaScript aside).
SITE_INPUTS = ["_config.yml", "_toc.yml", "book", "notebooks", "lessons_lib"]

# The page: A4, these margins (also read by the test, which checks that nothing reaches beyond them), and the
# site's CSS pixels at this scale (16 px body text prints at 9.6 pt; the layout is then 820 CSS px wide, the
# width of the site's text column, so code lines of 88 characters fit without wrapping).
PAGE_FORMAT = "A4"
PAGE_WIDTH_MM = 210.0
MARGIN_MM = {"top": 16.0, "bottom": 16.0, "left": 18.0, "right": 18.0}
SCALE = 0.8
CSS_PX_PER_MM = 96 / 25.4
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SUBTITLE = "An interactive textbook, from McCulloch–Pitts neurons to LSTM and GRU cells, built from scratch in numpy"
INTRO_TITLE = "About this book"  # the landing page's heading in the PDF (the title page carries the book's)

# Waits for MathJax's first typesetting pass and for every image of the page.
WAIT_FOR_CONTENT = """async () => {
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) throw new Error('MathJax did not load');
  await MathJax.startup.promise;
  const images = Array.from(document.images);
  await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener('load', done); i.addEventListener('error', done);
  })));
  return images.filter(i => !(i.naturalWidth > 0)).map(i => i.currentSrc || i.src);
}"""

# Turns the single page (every document of _toc.yml nested in the one before, inside its toctree) into a
# book: one flat sequence of documents under headings of their depth, a title page and a contents list.
# Returns the contents' entries ({id, title, level}).
PREPARE = """async (meta) => {
  const html = document.documentElement;
  html.classList.add('lessons-book');
  html.dataset.theme = 'light';
  html.dataset.mode = 'light';
  const article = document.querySelector('article.bd-article');
  const depth = (el) => { let n = 0; for (let p = el.parentElement; p; p = p.parentElement)
    if (p.classList.contains('toctree-wrapper')) n++; return n; };

  // 1. Documents in the order of _toc.yml, one after another. The landing page (the root) comes first.
  const root = article.querySelector('section');
  const docs = [{section: root, level: 1}].concat(
    Array.from(article.querySelectorAll('span[id^="document-"]')).map(span => ({
      span, section: span.nextElementSibling, level: Math.max(1, depth(span))})));
  const wrappers = Array.from(article.querySelectorAll('.toctree-wrapper'));
  const holders = wrappers.map(w => w.parentElement);
  for (const doc of docs.slice(1)) article.append(doc.span, doc.section);
  // What held them: the toctrees, now empty, and the sections that are left with their heading only
  // ("Contents" on the landing page, "Sections of this chapter").
  wrappers.forEach(w => { if (!w.children.length) w.remove(); });
  holders.forEach(s => {
    if (s.tagName === 'SECTION' && Array.from(s.children).every(c => /^H[1-6]$/.test(c.tagName))) s.remove();
  });
  // The landing page's link to this PDF, and the theme's print header, have no place in it.
  article.querySelectorAll('.lessons-pdf-link').forEach(e => (e.closest('li') || e.closest('p') || e).remove());
  document.querySelectorAll('#jb-print-docs-body, #jb-print-toc').forEach(e => e.remove());

  // 2. Headings by depth: a chapter (and the preface, and the bibliography) h1, a section h2, a subsection
  //    h3; the headings inside a document one level per nested <section> below its title.
  const retag = (h, level) => {
    if (h.tagName === 'H' + level) { h.removeAttribute('aria-level'); return h; }
    const n = document.createElement('h' + level);
    for (const a of h.attributes) if (a.name !== 'aria-level') n.setAttribute(a.name, a.value);
    n.append(...h.childNodes);
    h.replaceWith(n);
    return n;
  };
  const entries = [];
  for (const doc of docs) {
    doc.section.classList.add('lessons-doc', 'lessons-doc-level-' + doc.level);
    for (const h of Array.from(doc.section.querySelectorAll('h1, h2, h3, h4, h5, h6'))) {
      let nested = 0;
      for (let p = h.parentElement; p && p !== doc.section; p = p.parentElement)
        if (p.tagName === 'SECTION') nested++;
      retag(h, Math.min(6, doc.level + nested));
    }
    const title = doc.section.querySelector(':scope > h1, :scope > h2, :scope > h3');
    if (doc === docs[0]) title.firstChild.textContent = meta.introTitle;
    const text = Array.from(title.childNodes).filter(n => !(n.classList && n.classList.contains('headerlink')))
      .map(n => n.textContent).join('').trim();
    title.id = 'lessons-book-' + entries.length;  // unique on the page (Sphinx's section ids may repeat)
    entries.push({id: title.id, title: text, level: doc.level});
  }

  // 3. Title page and contents, in front.
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls;
    if (text) e.textContent = text; return e; };
  const cover = el('section', 'lessons-title-page');
  cover.append(el('p', 'lessons-title', meta.title), el('p', 'lessons-subtitle', meta.subtitle),
               el('p', 'lessons-author', meta.author), el('p', 'lessons-version', meta.version),
               el('p', 'lessons-source', meta.source));
  const toc = el('nav', 'lessons-book-toc');
  toc.setAttribute('aria-label', 'Contents');
  toc.append(el('h1', 'lessons-toc-heading', 'Contents'));
  const list = el('ol');
  for (const entry of entries) {
    const li = el('li', 'lessons-toc-level-' + entry.level);
    const a = el('a'); a.href = '#' + entry.id;
    a.append(el('span', 'lessons-toc-title', entry.title), el('span', 'lessons-toc-page', '000'));
    li.append(a); list.append(li);
  }
  toc.append(list);
  article.prepend(cover, toc);

  // 4. Exercise solutions unfolded (what togglebutton does before printing); a cell the site folds
  //    (hide-input) stays hidden: the print rules leave it out.
  document.querySelectorAll('.toggle.toggle-hidden button.toggle-button').forEach(b => b.click());

  // 5. Equation numbers as text: MathJax draws them as glyphs of its own fonts, which a PDF reader cannot
  //    search or copy; the same number in the page's font can be found with the reader's search ("(2.12)").
  for (const label of document.querySelectorAll('mjx-labels mjx-mtd[id^="mjx-eqn"], mjx-mtd[id^="mjx-eqn"]')) {
    const tag = label.querySelector('mjx-mtext') || label;
    const text = label.id.slice('mjx-eqn:'.length);
    if (!text || tag.dataset.lessonsTag) continue;
    tag.dataset.lessonsTag = '1';
    tag.replaceChildren(el('span', 'lessons-equation-number', '(' + decodeURIComponent(text) + ')'));
  }

  // 6. Display equations wider than the column (on the site they scroll) shrink to fit the page. MathJax
  //    gives a numbered equation a minimum width, so both the box and the glyphs in it are measured.
  await new Promise(requestAnimationFrame);
  let scaled = 0;
  for (const box of document.querySelectorAll('mjx-container[display="true"]')) {
    const column = box.parentElement.getBoundingClientRect();
    const outer = box.getBoundingClientRect();
    let left = outer.left, right = outer.right;
    for (const part of box.querySelectorAll('mjx-c, .lessons-equation-number')) {
      const r = part.getBoundingClientRect();
      if (r.width) { left = Math.min(left, r.left); right = Math.max(right, r.right); }
    }
    const need = right - left;
    if (need > column.width + 1) {
      const size = parseFloat(box.style.fontSize) || 100;
      box.style.fontSize = (size * column.width / need * 0.98).toFixed(1) + '%';
      scaled++;
    }
  }
  await new Promise(requestAnimationFrame);
  return {entries, scaled};
}"""

# The second pass: only the title page and the contents, with their page numbers, everything else removed
# and every other mark transparent; the pages it prints are stamped onto the first print's contents pages.
NUMBERS_ONLY = """(pages) => {
  const article = document.querySelector('article.bd-article');
  for (const child of Array.from(article.children))
    if (!child.matches('.lessons-title-page, .lessons-book-toc')) child.remove();
  document.documentElement.classList.add('lessons-book-numbers-only');
  document.querySelectorAll('.lessons-book-toc a').forEach(a => {
    a.querySelector('.lessons-toc-page').textContent = pages[a.getAttribute('href').slice(1)];
  });
}"""


def log(message: str) -> None:
    print(f"== {message}", flush=True)


def newest_input() -> tuple[float, str]:
    """The most recent modification time among the site's inputs, and that file."""
    newest = (0.0, "")
    for name in SITE_INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for file in files:
            parts = file.relative_to(ROOT).parts
            if "__pycache__" in parts or ".ipynb_checkpoints" in parts or parts[:3] == ("book", "_static", "vendor"):
                continue
            newest = max(newest, (file.stat().st_mtime, str(file.relative_to(ROOT))))
    return newest


def site_problem(check_age: bool = True) -> str | None:
    """Why the site build's outputs cannot be used as they are (None when they can)."""
    index = SITE / "index.html"
    if not index.is_file() or not (SOURCE / "_toc.yml").is_file():
        return "there is no site build (_build/html, _build/source)"
    if not check_age:
        return None
    mtime, name = newest_input()
    if mtime > index.stat().st_mtime:
        return f"the site is older than {name}"
    return None


def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def book_metadata() -> dict:
    config = yaml.safe_load((SOURCE / "_config.yml").read_text(encoding="utf-8"))
    commit, date = git("log", "-1", "--format=%h"), git("log", "-1", "--format=%cs")
    if commit:
        changed = " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
        when = datetime.date.fromisoformat(date)
        version = f"Version of {when.day} {when:%B %Y} (commit {commit}{changed})"
    else:
        today = datetime.date.today()
        version = f"Built on {today.day} {today:%B %Y}"
    repository = config.get("repository", {}).get("url", "")
    return {
        "title": config["title"],
        "subtitle": SUBTITLE,
        "author": config.get("author", ""),
        "version": version,
        "source": f"The notebooks, their code and the interactive version: {repository}" if repository else "",
        "introTitle": INTRO_TITLE,
    }


def build_single_page() -> pathlib.Path:
    """Render the staged book with the singlehtml builder; return the page to print (at the output's root)."""
    if WORK.exists():
        shutil.rmtree(WORK)
    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(SOURCE), "--builder", "singlehtml", "--path-output", str(WORK),
           "-W", "-n", "--keep-going", "-q"]
    log("jupyter-book build _build/source --builder singlehtml --path-output _build/pdf -W -n --keep-going")
    code = subprocess.call(cmd, cwd=ROOT)
    out = WORK / "_build" / "singlehtml"
    root_doc = yaml.safe_load((SOURCE / "_toc.yml").read_text(encoding="utf-8"))["root"]
    page = out / f"{root_doc}.html"
    if code != 0 or not page.is_file():
        raise SystemExit(f"the single-page build failed (exit code {code})")
    # Sphinx writes the page where the root document lives (book/intro.html) but makes its links relative to
    # the output's root, as if it were there: it is, from now on. Links to the page itself become anchors.
    text = page.read_text(encoding="utf-8")
    text = re.sub(r'href="' + re.escape(root_doc) + r'\.html(#[^"]*)?"', lambda m: f'href="{m.group(1) or "#"}"',
                  text)
    text = paper_mathjax(text)
    book = out / "book.html"
    book.write_text(text, encoding="utf-8")
    return book


def paper_mathjax(text: str) -> str:
    """The page's MathJax configuration, for paper: no context menu, and no hidden copy of every formula in
    MathML for screen readers (it would go into the tagged PDF's structure, and it doubles the time Chromium
    takes to print; the PDF keeps its bookmarks, headings and figure descriptions)."""
    pattern = re.compile(r"<script>window\.MathJax = (\{.*?\})</script>")
    match = pattern.search(text)
    if not match:
        log("note: no MathJax configuration found in the page; printing with MathJax's defaults")
        return text
    config = json.loads(match.group(1))
    config.setdefault("options", {}).update({"enableMenu": False, "renderActions": {"assistiveMml": []}})
    return text[: match.start(1)] + json.dumps(config) + text[match.end(1) :]


@contextlib.contextmanager
def serve(folder: pathlib.Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def pdf_options() -> dict:
    return {
        "format": PAGE_FORMAT,
        "margin": {side: f"{mm}mm" for side, mm in MARGIN_MM.items()},
        "scale": SCALE,
        "print_background": False,
        # Page numbers come from the print rules (@page margin boxes), which can leave the title page bare.
        "display_header_footer": False,
        "prefer_css_page_size": False,
    }


def destination_pages(pdf_bytes: bytes, names: list[str]) -> dict[str, int]:
    """The page number (from 1) of each named destination (an element id) in the PDF Chromium wrote."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(pdf_bytes)
    pages = {}
    for name in names:
        dest = raw.FPDF_GetNamedDestByName(pdf.raw, name.encode("utf-8"))
        if not dest:
            raise SystemExit(f"the PDF has no destination {name!r} for its contents list")
        pages[name] = raw.FPDFDest_GetDestPageIndex(pdf.raw, dest) + 1
    pdf.close()
    return pages


def stamp(book_bytes: bytes, numbers_bytes: bytes, out: pathlib.Path) -> int:
    """Lay each page of ``numbers_bytes`` over the same page of ``book_bytes``; write the result to ``out``."""
    import pypdfium2 as pdfium

    book, numbers = pdfium.PdfDocument(book_bytes), pdfium.PdfDocument(numbers_bytes)
    for index in range(len(numbers)):
        xobject = numbers.page_as_xobject(index, book)
        page = book[index]
        page.insert_obj(xobject.as_pageobject())
        page.gen_content()
    tmp = out.with_suffix(".tmp")
    book.save(str(tmp))
    count = len(book)
    book.close()
    numbers.close()
    os.replace(tmp, out)
    return count


def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        raise SystemExit("Chromium is not installed; install it with `sudo apt-get install chromium`")
    return path


def render(book_page: pathlib.Path, out: pathlib.Path) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    printable_mm = PAGE_WIDTH_MM - MARGIN_MM["left"] - MARGIN_MM["right"]
    width = round(printable_mm * CSS_PX_PER_MM / SCALE)
    outside = []

    def only_local(route):
        host = urllib.parse.urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    stats = {}
    with serve(book_page.parent) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": 1200}, color_scheme="light")
            context.route("**/*", only_local)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            t0 = time.perf_counter()
            page.goto(base + book_page.name, wait_until="load", timeout=120_000)
            broken = page.evaluate(WAIT_FOR_CONTENT)
            if broken:
                raise SystemExit(f"images that did not load: {broken[:5]}")
            page.emulate_media(media="print")
            prepared = page.evaluate(PREPARE, book_metadata())
            if outside or errors:
                raise SystemExit(f"requests to other hosts: {outside[:5]}; errors in the page: {errors[:5]}")
            stats["load"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            book_bytes = page.pdf(outline=True, tagged=True, **pdf_options())
            stats["print"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            ids = [entry["id"] for entry in prepared["entries"]]
            pages = destination_pages(book_bytes, ids)
            page.evaluate(NUMBERS_ONLY, pages)
            numbers_bytes = page.pdf(**pdf_options())
            stats["pages"] = stamp(book_bytes, numbers_bytes, out)
            stats["contents"] = time.perf_counter() - t0
            stats["scaled equations"] = prepared["scaled"]
        finally:
            browser.close()
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--build-site-if-stale", action="store_true",
                      help="run scripts/build_book.py first when the site is missing or older than its sources")
    when.add_argument("--use-existing-site", action="store_true",
                      help="use the site build as it is, however old (the test command, right after building it)")
    args = parser.parse_args()
    start = time.perf_counter()
    chromium_path()  # before anything else: without Chromium there will be no PDF
    problem = site_problem(check_age=not args.use_existing_site)
    if problem and args.build_site_if_stale:
        log(f"building the site first: {problem}")
        code = subprocess.call([sys.executable, str(ROOT / "scripts" / "build_book.py")], cwd=ROOT)
        if code != 0:
            return code
        start = time.perf_counter()
    elif problem:
        print(f"{problem}: build the site first (bash scripts/build-site.sh), or run bash scripts/build-pdf.sh",
              file=sys.stderr)
        return 1
    PDF.unlink(missing_ok=True)  # no PDF rather than an old one, should this build fail
    t0 = time.perf_counter()
    book_page = build_single_page()
    single = time.perf_counter() - t0
    stats = render(book_page, PDF)
    size = PDF.stat().st_size / 1e6
    log(f"{PDF.relative_to(ROOT)}: {stats['pages']} pages, {size:.1f} MB, in {time.perf_counter() - start:.0f} s "
        f"(single page {single:.0f} s, load and typeset {stats['load']:.0f} s, print {stats['print']:.0f} s, "
        f"contents page numbers {stats['contents']:.0f} s; {stats['scaled equations']} wide equations scaled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
