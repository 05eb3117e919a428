#!/usr/bin/env bash
# Creates (or reuses) the AWS emulator's virtualenv and installs requirements.txt.
#
#   EMULATOR_VENV    where the venv lives (default ~/.cache/rediscache-operator/emulator-venv)
#   EMULATOR_PYTHON  interpreter used to create it (default python3)
#
# Idempotent: the sha256 of requirements.txt is stored in the venv; when it
# matches and the venv's python works, nothing is installed. Prints the venv
# path as the last line of standard output.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${EMULATOR_VENV:-$HOME/.cache/rediscache-operator/emulator-venv}"
PYTHON="${EMULATOR_PYTHON:-python3}"
REQ="$HERE/requirements.txt"
STAMP="$VENV/.requirements.sha256"

hash_of() { sha256sum "$1" | cut -d' ' -f1; }
WANT="$(hash_of "$REQ")"

if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]] \
   && "$VENV/bin/python" -c 'import moto, boto3, werkzeug' >/dev/null 2>&1; then
  echo "emulator venv up to date ($WANT)" >&2
  echo "$VENV"
  exit 0
fi

echo "creating emulator venv at $VENV with $("$PYTHON" --version 2>&1)" >&2
mkdir -p "$(dirname "$VENV")"
if [[ ! -x "$VENV/bin/python" ]] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi
rm -f "$STAMP"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ" >&2
"$VENV/bin/python" -c 'import moto; assert moto.__version__ == "5.2.1", moto.__version__' >&2
echo "$WANT" > "$STAMP"
echo "$VENV"
