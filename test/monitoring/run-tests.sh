#!/usr/bin/env bash
# Checks the operator's Prometheus alerts with promtool (Debian's prometheus package; .ci/run
# installs it): the rules file is valid, and its unit tests pass.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v promtool >/dev/null || { echo "promtool missing: apt-get install prometheus (Debian)" >&2; exit 1; }
promtool --version 2>&1 | sed -n 1p
promtool check rules charts/rediscache-operator/files/prometheus-rules.yaml
promtool test rules test/monitoring/prometheus-rules.test.yaml
