"""Build the static site: execute every notebook and render it with Jupyter Book, warnings as errors.

1. vendor_assets.py puts the pinned third-party JavaScript (MathJax, require.js, the ipywidgets manager) into
   book/_static/vendor/, so that the site asks no outside server for anything.
2. The book's sources (_config.yml, _toc.yml, book/, notebooks/) are copied to _build/source/, and every
   notebook there is executed from a fresh kernel, top to bottom, two at a time (one per core), with
   ``LESSONS_LIB_STATIC_SITE=1`` so that explorers render precomputed frames instead of live widgets. A cell
   that raises, or writes to stderr (a RuntimeWarning, say), fails the build, and so does a claim of the
   text that the runs contradict (``LESSONS_LIB_STRICT_CLAIMS=1``, see lessons_lib/claims.py). Their
   figures are 2x PNGs shown at their 1x size (SITE_KERNEL_ARGUMENTS below). An explorer's frames are PNG
   files written into _build/source/book/_static/explorer-frames/ (FRAMES below), which Sphinx copies into
   the site's _static/ like the rest of book/_static; the time each explorer's frames took is printed.
3. Jupyter Book renders that copy with execution switched off (the outputs are already fresh) into
   _build/html/, with warnings as errors.

Jupyter Book's own execution runs the notebooks one after another; step 2 does the same work on both cores.

Usage: python scripts/build_book.py [--offline] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import posixpath
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The book's matrices are small: BLAS threads only fight each other and the other notebook running beside
# (the README's commands set the same; this covers running the script directly).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
BUILD = ROOT / "_build"
SOURCE = BUILD / "source"
STAGED = ["_config.yml", "_toc.yml", "book", "notebooks"]
# Figures on the site are sharp on high-density screens: the kernels of the site build (and only they; the
# stored notebooks, nbval and a reader's kernel keep 100 dpi PNGs) use matplotlib_inline's "retina" format,
# a PNG at twice the figure's dpi whose output metadata holds its 1x size. myst-nb writes that size into the
# <img> (an inline width and height), so the figure keeps its place on the page, and Sphinx links each such image to
# its file (html_scaled_image_link): a click, or Enter on the focused figure, opens it alone at full size.
# This is configuration of the kernel, so it covers every figure, whatever a notebook imports first.
SITE_KERNEL_ARGUMENTS = ["--InlineBackend.figure_formats=retina"]
# Explorer frames (lessons_lib/explorers/static.py): written here during execution, one PNG per frame named by
# its content, and served from _static/explorer-frames/ (html_static_path is book/_static). Pages refer to
# them by a path relative to the page; each explorer logs its frames' time to FRAMES_LOG.
FRAMES = SOURCE / "book" / "_static" / "explorer-frames"
FRAMES_SITE_PATH = "_static/explorer-frames"
FRAMES_LOG = BUILD / "explorer-frames.log"


def stage_sources() -> None:
    if SOURCE.exists():
        shutil.rmtree(SOURCE)
    SOURCE.mkdir(parents=True)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
    for name in STAGED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, SOURCE / name, ignore=ignore)
        else:
            shutil.copy2(src, SOURCE / name)
    config = SOURCE / "_config.yml"
    text, n = re.subn(r"(?m)^(\s*execute_notebooks:\s*)\S+", r'\1"off"', config.read_text())
    if n != 1:
        raise SystemExit("_config.yml: expected one 'execute_notebooks:' line to switch off in the staged copy")
    config.write_text(text)


def execute(path: pathlib.Path) -> tuple[str, float, str]:
    """Execute one staged notebook in place; return its name, seconds, and an error message ('' if none)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.environ["LESSONS_LIB_STATIC_SITE"] = "1"
    os.environ["LESSONS_LIB_STRICT_CLAIMS"] = "1"  # a claim of the text that fails stops the build
    os.environ["LESSONS_LIB_SITE_FRAMES_DIR"] = str(FRAMES)
    page_folder = path.parent.relative_to(SOURCE).as_posix()
    os.environ["LESSONS_LIB_SITE_FRAMES_URL"] = posixpath.relpath(FRAMES_SITE_PATH, page_folder)
    os.environ["LESSONS_LIB_SITE_FRAMES_LOG"] = str(FRAMES_LOG)
    t0 = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            extra_arguments=SITE_KERNEL_ARGUMENTS)
    try:
        client.execute()
    except CellExecutionError as exc:
        return path.name, time.perf_counter() - t0, str(exc)
    problems = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {index} wrote to stderr: {out.text.strip()[:500]}")
    nbformat.write(nb, path)
    return path.name, time.perf_counter() - t0, "\n".join(problems)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline", action="store_true", help="vendor JavaScript from the npm cache only")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks executed at once (default: 2, or 1 on a one-core machine)")
    args = parser.parse_args()
    vendor = [sys.executable, str(ROOT / "scripts" / "vendor_assets.py")] + (["--offline"] if args.offline else [])
    code = subprocess.call(vendor, cwd=ROOT)
    if code != 0:
        return code
    if BUILD.exists():
        shutil.rmtree(BUILD)
    stage_sources()

    t0 = time.perf_counter()
    notebooks = sorted((SOURCE / "notebooks").glob("*.ipynb"))
    print(f"== executing {len(notebooks)} notebooks, {args.jobs} at a time", flush=True)
    errors = []
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for name, seconds, error in pool.map(execute, notebooks):
            print(f"   {seconds:5.1f} s  {name}{'  FAILED' if error else ''}", flush=True)
            if error:
                errors.append(f"{name}:\n{error}")
    print(f"== executed in {time.perf_counter() - t0:.0f} s", flush=True)
    if FRAMES_LOG.is_file():
        frames = sorted(FRAMES.glob("*.png"))
        print(f"== explorer frames ({len(frames)} files, {sum(f.stat().st_size for f in frames) / 1e6:.1f} MB in "
              f"{FRAMES.relative_to(SOURCE)}/):", flush=True)
        for line in FRAMES_LOG.read_text(encoding="utf-8").splitlines():
            print(f"   {line}", flush=True)
    if errors:
        print("\n\n".join(errors), file=sys.stderr)
        return 1

    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", str(SOURCE), "--path-output", str(ROOT), "-W", "-n", "--keep-going"]
    print("== jupyter-book build _build/source --path-output . -W -n --keep-going", flush=True)
    code = subprocess.call(cmd, cwd=ROOT)
    index = BUILD / "html" / "index.html"
    if code == 0 and index.exists():
        print(f"== the site is in {index.parent.relative_to(ROOT)}/ (open {index.relative_to(ROOT)})")
    return code


if __name__ == "__main__":
    sys.exit(main())
