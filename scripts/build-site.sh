#!/usr/bin/env bash
# Install what the book needs into .venv and build the static site into _build/html from the stored notebooks
# (scripts/build_book.py; the explorers' frames are rendered, nothing else is executed).
EXTRA=book
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
python scripts/build_book.py "$@"
