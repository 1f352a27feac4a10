"""Re-execute notebooks in place, each in a fresh kernel, top to bottom.

This is how the outputs that nbval compares are kept current: run it after changing a notebook or any code
a notebook uses, then review the diff of the outputs and commit it.

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every notebook under notebooks/)
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def execute(path: pathlib.Path) -> None:
    nb = nbformat.read(path, as_version=4)
    # Timing metadata would change on every run and clutter the diff.
    # Widget state is not stored: explorers come alive when the notebook runs, and their frozen state
    # would only add megabytes of PNG to the file and noise to every diff.
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        t0 = time.perf_counter()
        execute(path)
        print(f"executed {path.relative_to(ROOT) if path.is_absolute() else path} "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
