"""Build the static site: execute every notebook and render it with Jupyter Book, warnings as errors.

First vendor_assets.py puts the pinned third-party JavaScript (MathJax, require.js, the ipywidgets manager)
into book/_static/vendor/, so that the site asks no outside server for anything.

Usage: python scripts/build_book.py [--keep] [--offline]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="reuse _build instead of starting clean")
    parser.add_argument("--offline", action="store_true", help="vendor JavaScript from the npm cache only")
    args = parser.parse_args()
    vendor = [sys.executable, str(ROOT / "scripts" / "vendor_assets.py")] + (["--offline"] if args.offline else [])
    code = subprocess.call(vendor, cwd=ROOT)
    if code != 0:
        return code
    build = ROOT / "_build"
    if not args.keep and build.exists():
        shutil.rmtree(build)
    jupyter_book = pathlib.Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jupyter_book), "build", ".", "-W", "-n", "--keep-going"]
    print("== jupyter-book build . -W -n --keep-going", flush=True)
    # Explorers display precomputed frames instead of live widgets on the static site (no kernel there).
    env = dict(os.environ, LESSONS_LIB_STATIC_SITE="1")
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    index = build / "html" / "index.html"
    if code == 0 and index.exists():
        print(f"== the site is in {index.parent.relative_to(ROOT)}/ (open {index.relative_to(ROOT)})")
    return code


if __name__ == "__main__":
    sys.exit(main())
