#!/usr/bin/env bash
# Install everything the tests need into .venv, then run every check; exit non-zero if any check fails.
# Stages: lint, unit tests, site build (from the stored notebooks, warnings as errors), notebook regression
# (nbval, strict) with the book's PDF printed beside it, and browser (the built site and PDF in Chromium; PDF
# and browser are skipped with a message when Chromium is missing, except under CI=true).
EXTRA=test
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

failed=()
total_start=$SECONDS
timings=()
stage() {
  local name=$1; shift
  local start=$SECONDS code=0
  echo; echo "===== $name: $*"
  "$@" || code=$?
  record "$name" "$code" $((SECONDS - start))
}
record() {  # name, exit code, seconds
  local status
  # 77 means "skipped" (the automake convention): reported, but not a failure.
  case $2 in 0) status=ok ;; 77) status=SKIPPED ;; *) status=FAILED; failed+=("$1") ;; esac
  timings+=("$(printf '%-28s %-7s %4d s' "$1" "$status" "$3")")
}

# A claim of the text that fails raises, in the notebooks too (lessons_lib/claims.py).
export LESSONS_LIB_STRICT_CLAIMS=1
# Tests run on several cores at once (pytest-xdist; up to 4). The time budget is set for a 2-core machine.
JOBS=$(python -c "import os; print(min(4, os.cpu_count() or 1))")
stage "lint (ruff)" ruff check lessons_lib tests benchmarks scripts book/_ext conftest.py
# One test file per worker at a time (--dist loadfile): a module's expensive fixture (eight character-level
# LSTMs in test_claims_2_4_2_text.py) is then computed once, not once on each worker that runs one of its
# tests (--dist load did that: 23 s twice). The slowest tests are listed after the results.
stage "unit tests (pytest)" python -m pytest tests -q -p no:cacheprovider --ignore=tests/browser -n "$JOBS" \
  --dist loadfile --durations=10
# The site shows the stored notebooks (scripts/build_book.py executes none of them; nbval below checks them).
stage "site build (jupyter-book)" python scripts/build_book.py

# The whole book as one PDF (scripts/build_pdf.py) through the same Chromium as the browser test, which then
# checks it (tests/browser/test_pdf.py); skipped, like that test, where Chromium is missing.
book_pdf() {
  if [[ " ${failed[*]} " == *" site build (jupyter-book) "* ]]; then
    echo "SKIPPED: the site build failed, so there is no book to print"; return 77
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "chromium not found, and CI=true: the book's PDF must be built in CI"; return 1
    fi
    echo "SKIPPED book PDF: Chromium is not installed. Install it with: sudo apt-get install chromium"
    return 77
  fi
  python scripts/build_pdf.py --use-existing-site
}
# Printing the book is mostly one core's work (Sphinx's single-page build, then Chromium typesetting and
# printing one long page): it runs in the background beside the nbval stage, and its output follows that
# stage's. nbval's per-notebook times are reports, never limits, so sharing the cores changes no verdict.
pdf_log=$(mktemp)
pdf_start=$SECONDS
( code=0; book_pdf > "$pdf_log" 2>&1 || code=$?; echo "$code" > "$pdf_log.code"; echo $((SECONDS - pdf_start)) \
    > "$pdf_log.seconds" ) &
pdf_job=$!
# Two notebooks at a time (--dist loadfile keeps each notebook's cells together, in order, in one kernel).
# conftest.py prints each notebook's execution time after the results.
stage "notebooks (nbval, strict)" python -m pytest --nbval notebooks -q -p no:cacheprovider \
  --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -n "$JOBS" --dist loadfile
wait "$pdf_job" || true
echo; echo "===== book PDF (chromium), beside the nbval stage: book_pdf"
cat "$pdf_log"
record "book PDF (chromium)" "$(cat "$pdf_log.code")" "$(cat "$pdf_log.seconds")"
rm -f "$pdf_log" "$pdf_log.code" "$pdf_log.seconds"

# The built site in a real browser: Debian's Chromium driven by Playwright (tests/browser).
browser_test() {
  if [[ " ${failed[*]} " == *" site build (jupyter-book) "* ]]; then
    echo "SKIPPED: the site build failed, so there is no site to open"; return 77
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "chromium not found, and CI=true: the browser test must run in CI"; return 1
    fi
    echo "SKIPPED browser test: Chromium is not installed. Install it with: sudo apt-get install chromium"
    return 77
  fi
  # Twice as many workers as cores: a browser test spends much of its time waiting for Chromium to load,
  # typeset and lay out a page (measured on 2 cores: 206 s with 4 workers against 248 s with 2).
  python -m pytest tests/browser -q -p no:cacheprovider -n "$((2 * JOBS))"
}
stage "browser (chromium)" browser_test

echo; echo "===== summary"
printf '%s\n' "${timings[@]}"
echo "total: $((SECONDS - total_start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
