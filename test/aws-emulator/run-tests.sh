#!/usr/bin/env bash
# Installs the emulator's venv (if needed) and runs its own test suite.
#   ./run-tests.sh [pytest options]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$("$HERE/setup.sh" | tail -n 1)"
cd "$HERE"
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests "$@"
