#!/usr/bin/env bash
# Builds kube-apiserver, kubectl (Kubernetes v1.34.10) and etcd (v3.6.4) from
# the Go module proxy into
#   ${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/1.34.10-linux-amd64/{etcd,kube-apiserver,kubectl}
# (the layout io.fabric8:kube-api-test looks for). Idempotent: does nothing
# when all three binaries are already there. Uses the default GOMODCACHE and
# GOCACHE so that a re-build after deleting the binaries is fast.
set -euo pipefail

K8S_VERSION=1.34.10
ETCD_VERSION=3.6.4
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
OUT_DIR="$BASE_DIR/k8s/${K8S_VERSION}-linux-amd64"
BINARIES=(etcd kube-apiserver kubectl)

all_present() {
  local b
  for b in "${BINARIES[@]}"; do
    [[ -f "$OUT_DIR/$b" && -x "$OUT_DIR/$b" ]] || return 1
  done
}

if all_present; then
  echo "control-plane binaries already present in $OUT_DIR (delete them to rebuild)"
  exit 0
fi

command -v go >/dev/null || { echo "go not found on PATH" >&2; exit 1; }

start=$(date +%s)
mkdir -p "$OUT_DIR"
# Temporary directory on the same file system, so that the final mv is an atomic rename.
TMP_DIR="$(mktemp -d "$OUT_DIR/.build.XXXXXX")"
trap 'rm -rf "$TMP_DIR"' EXIT

build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
ldflags+=" -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION}"
ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
ldflags+=" -X k8s.io/component-base/version.gitMinor=34"
ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
ldflags+=" -X k8s.io/component-base/version.buildDate=${build_date}"
ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=v${K8S_VERSION}"
ldflags+=" -X k8s.io/client-go/pkg/version.gitMajor=1"
ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=34"
ldflags+=" -X k8s.io/client-go/pkg/version.gitTreeState=clean"
ldflags+=" -X go.etcd.io/etcd/api/v3/version.GitSHA=v${ETCD_VERSION}"

echo "building kube-apiserver/kubectl v${K8S_VERSION} and etcd v${ETCD_VERSION} into $OUT_DIR ..."
cd "$HERE"
export CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
# One invocation, so the shared dependencies compile once and in parallel.
# Binary names are derived from the package paths: kube-apiserver, kubectl, server (etcd).
go build -trimpath -ldflags "$ldflags" -o "$TMP_DIR/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kubectl \
  go.etcd.io/etcd/server/v3
mv "$TMP_DIR/server" "$TMP_DIR/etcd"

for b in "${BINARIES[@]}"; do
  [[ -x "$TMP_DIR/$b" ]] || { echo "build did not produce $b" >&2; exit 1; }
done
for b in "${BINARIES[@]}"; do
  mv -f "$TMP_DIR/$b" "$OUT_DIR/$b"
done

end=$(date +%s)
echo "built $(printf '%s ' "${BINARIES[@]}")in $OUT_DIR in $((end - start)) s"
