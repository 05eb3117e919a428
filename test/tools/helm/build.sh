#!/usr/bin/env bash
# Builds helm v3.22.0 from the Go module proxy (this directory's go.mod pins it) into
#   ${HELM_BIN_DIR:-$HOME/.cache/rediscache-operator/tools}/helm-3.22.0/helm
# and prints the binary's path. Idempotent: does nothing (but print the path) when the binary is
# there. Uses the default GOMODCACHE and GOCACHE, as test/control-plane/build.sh does.
set -euo pipefail

HELM_VERSION=3.22.0
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT_DIR="${HELM_BIN_DIR:-$HOME/.cache/rediscache-operator/tools}/helm-${HELM_VERSION}"
BIN="$OUT_DIR/helm"

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
command -v go >/dev/null || { echo "go not found on PATH" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$OUT_DIR"
TMP_DIR="$(mktemp -d "$OUT_DIR/.build.XXXXXX")"
trap 'rm -rf "$TMP_DIR"' EXIT
cd "$HERE"
export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
# The same version stamps as helm's own Makefile: `helm version` and the Kubernetes version
# that `helm lint` and `helm template` assume (client-go's minor, major 1).
k8s_minor="$(go list -f '{{.Version}}' -m k8s.io/client-go | cut -d. -f2)"
ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION} -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  ldflags+=" -X helm.sh/helm/v3/${pkg}.k8sVersionMajor=1 -X helm.sh/helm/v3/${pkg}.k8sVersionMinor=${k8s_minor}"
done
echo "building helm v${HELM_VERSION} into $OUT_DIR ..." >&2
go build -trimpath -ldflags "$ldflags" -o "$TMP_DIR/helm" helm.sh/helm/v3/cmd/helm
mv -f "$TMP_DIR/helm" "$BIN"
echo "built helm in $(( $(date +%s) - start )) s" >&2
echo "$BIN"
