#!/usr/bin/env bash
# Stops emulators started by start.sh: the one on <port>, or all of them.
#
#   ./stop.sh [port]
set -euo pipefail

RUN_DIR="${EMULATOR_RUN_DIR:-${TMPDIR:-/tmp}/rediscache-operator-emulator}"
if [[ $# -ge 1 ]]; then
  FILES=("$RUN_DIR/emulator-$1.pid")
else
  shopt -s nullglob
  FILES=("$RUN_DIR"/emulator-*.pid)
fi

for f in "${FILES[@]}"; do
  [[ -f "$f" ]] || { echo "no emulator recorded in $f" >&2; continue; }
  PID="$(cat "$f")"
  if kill -0 "$PID" 2>/dev/null; then
    kill "$PID"
    for _ in $(seq 1 50); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$PID" 2>/dev/null && kill -9 "$PID" 2>/dev/null || true
    echo "stopped emulator pid $PID ($(basename "$f" .pid))"
  fi
  rm -f "$f"
done
