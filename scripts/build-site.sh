#!/usr/bin/env bash
# Install what the book needs into .venv, execute every notebook and build the static site into _build/html.
EXTRA=book
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
python scripts/build_book.py "$@"
