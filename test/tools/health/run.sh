#!/usr/bin/env bash
# Runs the health-check tool, building it first when its sources changed (see build.sh).
set -euo pipefail
bin="$("$(dirname "${BASH_SOURCE[0]}")/build.sh")"
exec "$bin" "$@"
