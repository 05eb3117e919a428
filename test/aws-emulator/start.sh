#!/usr/bin/env bash
# Starts the AWS emulator in the background.
#
#   ./start.sh <port> <logfile> [launcher options, e.g. --creating-seconds 1]
#
# Installs the venv first (setup.sh, a no-op when up to date), waits for the
# launcher's READY line (at most EMULATOR_START_TIMEOUT seconds, default 60),
# prints the endpoint URL and records the pid in
# ${EMULATOR_RUN_DIR:-${TMPDIR:-/tmp}/rediscache-operator-emulator}/emulator-<port>.pid
# for stop.sh. Port 0 picks a free port; the URL printed tells which.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -lt 2 ]]; then
  echo "usage: $0 <port> <logfile> [launcher options]" >&2
  exit 2
fi
PORT="$1"; LOG="$2"; shift 2
RUN_DIR="${EMULATOR_RUN_DIR:-${TMPDIR:-/tmp}/rediscache-operator-emulator}"
TIMEOUT="${EMULATOR_START_TIMEOUT:-60}"
mkdir -p "$RUN_DIR" "$(dirname "$LOG")"

VENV="$("$HERE/setup.sh" | tail -n 1)"
: > "$LOG"
nohup "$VENV/bin/python" "$HERE/launcher.py" --port "$PORT" --quiet "$@" >>"$LOG" 2>&1 </dev/null &
PID=$!

URL=""
for _ in $(seq 1 $((TIMEOUT * 10))); do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "emulator exited during start-up; log follows" >&2
    cat "$LOG" >&2
    exit 1
  fi
  URL="$(grep -m1 '^READY ' "$LOG" | cut -d' ' -f2 || true)"
  [[ -n "$URL" ]] && break
  sleep 0.1
done
if [[ -z "$URL" ]]; then
  echo "emulator not ready after ${TIMEOUT}s; log follows" >&2
  cat "$LOG" >&2
  kill "$PID" 2>/dev/null || true
  exit 1
fi
ACTUAL_PORT="${URL##*:}"
echo "$PID" > "$RUN_DIR/emulator-$ACTUAL_PORT.pid"
echo "$URL"
