#!/usr/bin/env bash
# `make stop`: stops what `make run` started.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="${1:-$ROOT/target/run}"
if [[ -f "$RUN/operator.pid" ]]; then kill "$(cat "$RUN/operator.pid")" 2>/dev/null; rm -f "$RUN/operator.pid"; fi
if [[ -f "$RUN/aws.url" ]]; then "$ROOT/test/aws-emulator/stop.sh" "$(sed 's#.*:##' "$RUN/aws.url")"; rm -f "$RUN/aws.url"; fi
[[ -d "$RUN/cp" ]] && "$ROOT/test/control-plane/stop.sh" "$RUN/cp"
echo stopped
