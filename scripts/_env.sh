# Sourced by the README's commands: makes (or reuses) the local virtual environment .venv and installs
# lessons_lib with the extra named in $EXTRA into it. Needs only Python >= 3.10 with venv, and pip.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating the virtual environment $VENV"
  "${PYTHON:-python3}" -m venv "$VENV"
fi
echo "== installing lessons_lib[$EXTRA] into .venv, at the versions of requirements/constraints.txt"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# Exact versions (refreshed on purpose by scripts/lock.sh), so every machine tests the same packages;
# pyproject.toml keeps the ranges that users install from.
"$VENV/bin/python" -m pip install --quiet -c requirements/constraints.txt -e ".[$EXTRA]"
export PATH="$VENV/bin:$PATH"
# The book's matrices are small: BLAS threads only fight each other (and anything else on the machine).
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1} OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
