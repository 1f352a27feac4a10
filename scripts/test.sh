#!/usr/bin/env bash
# Install everything the tests need into .venv, then run every check; exit non-zero if any check fails.
# Stages: lint, unit tests, notebook regression (nbval, strict), site build (warnings as errors), browser.
EXTRA=test
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"

failed=()
total_start=$SECONDS
timings=()
stage() {
  local name=$1; shift
  local start=$SECONDS
  echo; echo "===== $name: $*"
  if "$@"; then status=ok; else status=FAILED; failed+=("$name"); fi
  timings+=("$(printf '%-28s %-7s %4d s' "$name" "$status" $((SECONDS - start)))")
}

stage "lint (ruff)" ruff check lessons_lib tests benchmarks scripts
stage "unit tests (pytest)" python -m pytest tests -q -p no:cacheprovider
stage "notebooks (nbval, strict)" python -m pytest --nbval notebooks -q -p no:cacheprovider \
  --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
stage "site build (jupyter-book)" python scripts/build_book.py

echo; echo "===== summary"
printf '%s\n' "${timings[@]}"
echo "total: $((SECONDS - total_start)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
