"""Re-execute notebooks, each in a fresh kernel, top to bottom: in place, or to compare with what is stored.

This is how the outputs that nbval compares are kept current: run it after changing a notebook or any code
a notebook uses, then review the diff of the outputs and commit it.

With ``--compare`` nothing is written: each notebook runs in a temporary copy and every output that nbval
compares (text, HTML, errors; not images) is checked against the stored one, after the same sanitizing as
the tests. Run it under another BLAS kernel to see, on your own machine, which printed numbers another
machine would change (a local experiment, never part of the tests):

    OPENBLAS_CORETYPE=Sandybridge .venv/bin/python scripts/execute_notebooks.py --compare

Usage: python scripts/execute_notebooks.py [--compare] [--jobs N] [NOTEBOOK ...]
       (default: every notebook under notebooks/)
"""

from __future__ import annotations

import argparse
import configparser
import difflib
import os
import pathlib
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The book's matrices are small: BLAS threads only fight each other and the other notebook running beside
# (the README's commands set the same; this covers running the script directly).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
# What nbval compares (nbval.plugin skips images and widget views; we do the same).
# Figures are stored in matplotlib_inline's "retina" format: a PNG at twice the figure's dpi whose output
# metadata holds its 1x size, so JupyterLab and the site show it at its size and sharp on high-density screens
# (the site shows the stored outputs, scripts/build_book.py). myst-nb writes that size into the <img>, and
# Sphinx links each such image to its file (html_scaled_image_link): a click, or Enter on the focused figure,
# opens it alone at full size. A reader's own kernel draws 1x PNGs; nbval does not compare images.
KERNEL_ARGUMENTS = ["--InlineBackend.figure_formats=retina"]
COMPARED = ("text/plain", "text/html", "text/latex", "text/markdown", "application/json", "image/svg+xml")


def execute(path: pathlib.Path) -> nbformat.NotebookNode:
    # A claim of the text that the runs contradict must stop us, not be stored as a printed note.
    os.environ["LESSONS_LIB_STRICT_CLAIMS"] = "1"
    nb = nbformat.read(path, as_version=4)
    # Timing metadata would change on every run and clutter the diff.
    # Widget state is not stored: explorers come alive when the notebook runs, and their frozen state
    # would only add megabytes of PNG to the file and noise to every diff.
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}},
                            extra_arguments=KERNEL_ARGUMENTS)
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    parser = configparser.ConfigParser()
    parser.read(SANITIZE)
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def compared_text(cell, sanitizers) -> str:
    """The outputs of a code cell as nbval compares them, as one string."""
    parts = []
    last_stream = None
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            # A kernel may send one print in several chunks (it depends on timing); nbval joins consecutive
            # chunks of the same stream, and so do we.
            if last_stream == out.name:
                parts[-1] += out.text
            else:
                parts.append(f"[{out.name}] {out.text}")
            last_stream = out.name
            continue
        last_stream = None
        if out.output_type == "error":
            parts.append(f"[error] {out.ename}: {out.evalue}")
        else:
            data = out.get("data", {})
            parts.extend(f"[{key}] {data[key]}" for key in COMPARED if key in data)
    text = "\n".join(parts)
    for regex, replace in sanitizers:
        text = regex.sub(replace, text)
    return text


def compare(path: pathlib.Path) -> list[str]:
    """Execute a copy of ``path``; return a report line per cell whose compared output changed."""
    stored = nbformat.read(path, as_version=4)
    fresh = execute(path)
    sanitizers = _sanitizers()
    report = []
    for index, (old, new) in enumerate(zip(stored.cells, fresh.cells)):
        if old.cell_type != "code" or "nbval-ignore-output" in old.metadata.get("tags", []):
            continue
        a, b = compared_text(old, sanitizers), compared_text(new, sanitizers)
        if a != b:
            diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "stored", "now", lineterm="", n=0)
            report.append(f"  cell {index}:\n" + "\n".join(f"    {line}" for line in diff))
    return report


def run_one(path: pathlib.Path, check: bool) -> tuple[pathlib.Path, float, list[str]]:
    t0 = time.perf_counter()
    if check:
        report = compare(path)
    else:
        nbformat.write(execute(path), path)
        report = []
    return path, time.perf_counter() - t0, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--compare", action="store_true",
                        help="execute copies and report outputs that differ from the stored ones; write nothing")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks executed at once (default: 2, or 1 on a one-core machine)")
    args = parser.parse_args()
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    changed = 0
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_one, p, args.compare) for p in paths]
        for future in futures:
            path, seconds, report = future.result()
            name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            verdict = "" if not args.compare else (" identical" if not report else " CHANGED")
            print(f"{'compared' if args.compare else 'executed'} {name} in {seconds:.1f} s{verdict}", flush=True)
            for line in report:
                print(line)
            changed += bool(report)
    if args.compare:
        blas = os.environ.get("OPENBLAS_CORETYPE", "the default kernel")
        print(f"{changed} of {len(paths)} notebooks print something different from what is stored "
              f"(OpenBLAS: {blas})")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
