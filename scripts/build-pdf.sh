#!/usr/bin/env bash
# Install what the book's PDF needs into .venv and build _build/html/neurons-to-lstm.pdf (the whole book: title
# page, contents, every section in order, bibliography) through Debian's Chromium, offline. The site is built
# first (scripts/build_book.py) when _build/html is missing or older than the book's sources.
EXTRA=test  # Playwright drives Chromium; pypdfium2 numbers the contents pages
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
python scripts/build_pdf.py --build-site-if-stale "$@"
