#!/usr/bin/env bash
# Generates the Prometheus Operator's CRDs for ServiceMonitor, PodMonitor and PrometheusRule
# (monitoring.coreos.com/v1, from github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring
# v0.95.2, as the Prometheus Operator generates its own: controller-gen from the API types) into
#   ${MONITORING_CRDS_DIR:-$HOME/.cache/rediscache-operator/tools/monitoring-crds-0.95.2}/
# and prints that directory. Idempotent: does nothing (but print it) when the files are there.
# Used by HelmChartIT to check the chart's monitoring objects against a real API server.
set -euo pipefail

VERSION=0.95.2
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${MONITORING_CRDS_DIR:-$HOME/.cache/rediscache-operator/tools/monitoring-crds-${VERSION}}"
FILES=(monitoring.coreos.com_servicemonitors.yaml monitoring.coreos.com_podmonitors.yaml monitoring.coreos.com_prometheusrules.yaml)

present() { local f; for f in "${FILES[@]}"; do [[ -s "$OUT_DIR/$f" ]] || return 1; done; }
if present; then
  echo "$OUT_DIR"
  exit 0
fi
command -v go >/dev/null || { echo "go not found on PATH" >&2; exit 1; }
start=$(date +%s)
mkdir -p "$OUT_DIR"
TMP_DIR="$(mktemp -d "$OUT_DIR/.build.XXXXXX")"
trap 'rm -rf "$TMP_DIR"' EXIT
cd "$HERE"
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
echo "generating the monitoring.coreos.com CRDs v${VERSION} into $OUT_DIR ..." >&2
# maxDescLen=0 as upstream does for its own bundle (the descriptions alone would pass the
# annotation size limit of a client-side apply).
go tool controller-gen crd:crdVersions=v1,maxDescLen=0 \
  paths=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1 \
  output:crd:dir="$TMP_DIR"
for f in "${FILES[@]}"; do
  [[ -s "$TMP_DIR/$f" ]] || { echo "controller-gen did not write $f" >&2; ls "$TMP_DIR" >&2; exit 1; }
  mv -f "$TMP_DIR/$f" "$OUT_DIR/$f"
done
echo "generated in $(( $(date +%s) - start )) s" >&2
echo "$OUT_DIR"
