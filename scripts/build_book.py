"""Build the static site from the stored notebooks, their explorers precomputed, warnings as errors.

1. vendor_assets.py puts the pinned third-party JavaScript (MathJax, require.js, the ipywidgets manager) into
   book/_static/vendor/, so that the site asks no outside server for anything.
2. The book's sources (_config.yml, _toc.yml, book/, notebooks/) are copied to _build/source/. The site shows
   the outputs stored in the notebooks: ``scripts/execute_notebooks.py`` writes them (figures as 2x PNGs
   with their 1x size in the metadata, sharp on high-density screens), and the README's test command checks
   every one of them, strictly, with nbval before it builds the site, so executing the notebooks a second
   time here would only repeat that work. A notebook with an error or a warning (stderr) in its outputs, or a
   figure not stored that way, stops the build.
3. Each explorer cell (a cell that is one call of an explorer class of ``lessons_lib.explorers.EXPLORERS``
   with literal arguments, as CONTRIBUTING asks) gets its site output: precomputed frames behind HTML
   sliders (``LESSONS_LIB_STATIC_SITE=1``), written as PNG files into _build/source/book/_static/
   explorer-frames/ (FRAMES below), which Sphinx copies into the site's _static/ like the rest of
   book/_static. The explorers are rendered two at a time (one per core); each one's time is printed.
4. Jupyter Book renders that copy with execution switched off into _build/html/, with warnings as errors.

Usage: python scripts/build_book.py [--offline] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import posixpath
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
# Explorer frames (lessons_lib/explorers/static.py): one PNG per frame named by its content, served from
# _static/explorer-frames/ (html_static_path is book/_static). Pages refer to them by a path relative to the
# page; each explorer logs its frames' time to FRAMES_LOG.
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


def explorer_cells(path: pathlib.Path) -> list[tuple[int, str, dict, str]]:
    """The explorer cells of a notebook: (cell index, class name, keyword arguments, stored description).

    An explorer cell is one call of an explorer class with literal arguments (``GradientExplorer()``,
    ``ActivationExplorer(first="tanh")``): that is all the build needs to render its frames without running
    the notebook. Any other use of an explorer class as a cell's result is an error naming the cell.
    """
    import ast

    import nbformat

    from lessons_lib.explorers import EXPLORERS

    names = {entry.split(":")[1] for entry in EXPLORERS}
    nb = nbformat.read(path, as_version=4)
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:
            continue  # a starter cell with a blank to fill in; nbval has run the stored notebook
        last = body[-1] if body else None
        if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
                and isinstance(last.value.func, ast.Name) and last.value.func.id in names):
            continue
        call, where = last.value, f"{path.name}, cell {index}"
        if len(body) != 1 or call.args:
            raise SystemExit(f"{where}: an explorer cell holds only the explorer's call, with keyword arguments")
        try:
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        except ValueError:
            raise SystemExit(f"{where}: the explorer's arguments must be literals (numbers, strings, ...)") from None
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        if len(results) != 1 or "text/plain" not in results[0].data:
            raise SystemExit(f"{where}: no stored output; run scripts/execute_notebooks.py {path.name}")
        found.append((index, call.func.id, kwargs, results[0].data["text/plain"]))
    return found


def render_explorer(task: tuple[str, int, str, dict, str, int]) -> tuple[str, int, str, str]:
    """Render one explorer's site output (in a worker process): (notebook, cell index, HTML, error or '')."""
    notebook, index, name, kwargs, stored, number = task
    os.environ["LESSONS_LIB_STATIC_SITE"] = "1"
    os.environ["LESSONS_LIB_SITE_FRAMES_DIR"] = str(FRAMES)
    os.environ["LESSONS_LIB_SITE_FRAMES_URL"] = posixpath.relpath(FRAMES_SITE_PATH, "notebooks")
    os.environ["LESSONS_LIB_SITE_FRAMES_LOG"] = str(FRAMES_LOG)
    from lessons_lib.explorers import all_explorers
    from lessons_lib.explorers.static import static_html

    cls = next(c for c in all_explorers() if c.__name__ == name)
    explorer = cls(**kwargs)
    if explorer.describe() != stored:
        return notebook, index, "", (f"{notebook}, cell {index}: the stored output is not this explorer's "
                                     f"description; run scripts/execute_notebooks.py notebooks/{notebook}\n"
                                     f"  stored: {stored}\n  now:    {explorer.describe()}")
    return notebook, index, static_html(explorer, number=number), ""


def output_problems(path: pathlib.Path) -> list[str]:
    """What in a stored notebook must not reach the site: errors, warnings, figures without a 2x PNG."""
    import nbformat

    problems = []
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {index} stored an error: {out.ename}: {out.evalue}")
            if out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {index} wrote to stderr: {out.text.strip()[:500]}")
            if "image/png" in out.get("data", {}) and "width" not in out.get("metadata", {}).get("image/png", {}):
                problems.append(f"cell {index}: a figure stored without its 1x size (not a 2x PNG); run "
                                f"scripts/execute_notebooks.py")
    return [f"{path.name}: {p}" for p in problems]


def add_explorers(jobs: int) -> list[str]:
    """Give every explorer cell of the staged notebooks its site output; return the errors."""
    import nbformat

    notebooks = sorted((SOURCE / "notebooks").glob("*.ipynb"))
    errors = [problem for path in notebooks for problem in output_problems(path)]
    tasks = []
    for path in notebooks:
        for number, (index, name, kwargs, stored) in enumerate(explorer_cells(path), start=1):
            tasks.append((path.name, index, name, kwargs, stored, number))
    print(f"== {len(tasks)} explorers in {len({t[0] for t in tasks})} notebooks, {jobs} at a time", flush=True)
    rendered: dict[str, dict[int, str]] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for notebook, index, html, error in pool.map(render_explorer, tasks):
            if error:
                errors.append(error)
            rendered.setdefault(notebook, {})[index] = html
    for notebook, cells in rendered.items():
        path = SOURCE / "notebooks" / notebook
        nb = nbformat.read(path, as_version=4)
        for index, html in cells.items():
            result = next(o for o in nb.cells[index].outputs if o.output_type == "execute_result")
            result.data = nbformat.from_dict({"text/html": html, "text/plain": result.data["text/plain"]})
            result.metadata = nbformat.from_dict({})
        nbformat.write(nb, path)
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offline", action="store_true", help="vendor JavaScript from the npm cache only")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="explorers rendered at once (default: 2, or 1 on a one-core machine)")
    args = parser.parse_args()
    vendor = [sys.executable, str(ROOT / "scripts" / "vendor_assets.py")] + (["--offline"] if args.offline else [])
    code = subprocess.call(vendor, cwd=ROOT)
    if code != 0:
        return code
    if BUILD.exists():
        shutil.rmtree(BUILD)
    stage_sources()

    t0 = time.perf_counter()
    errors = add_explorers(args.jobs)
    print(f"== explorers rendered in {time.perf_counter() - t0:.0f} s", flush=True)
    if FRAMES_LOG.is_file():
        frames = sorted(FRAMES.glob("*.png"))
        print(f"== explorer frames ({len(frames)} files, {sum(f.stat().st_size for f in frames) / 1e6:.1f} MB in "
              f"{FRAMES.relative_to(SOURCE)}/):", flush=True)
        for line in FRAMES_LOG.read_text(encoding="utf-8").splitlines():
            print(f"   {line}", flush=True)
    if errors:
        print("\n".join(errors), file=sys.stderr)
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
