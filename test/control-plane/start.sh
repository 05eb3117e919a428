#!/usr/bin/env bash
# Starts a local control plane (etcd + kube-apiserver, RBAC on, no controller
# manager) in the background, with all state under <workdir>.
#
#   test/control-plane/start.sh <workdir>
#
# Env overrides: ETCD_PORT, ETCD_PEER_PORT, APISERVER_PORT (default: free
# loopback ports), KUBE_API_TEST_DIR (where build.sh put the binaries),
# READY_TIMEOUT (seconds, default 120).
# Writes <workdir>/{env,admin.kubeconfig,operator.kubeconfig,tokens.csv,
# etcd.pid,kube-apiserver.pid,etcd.log,kube-apiserver.log}. Stop with stop.sh.
set -euo pipefail

K8S_VERSION=1.34.10
OPERATOR_NAMESPACE=rediscache-system
OPERATOR_SA=rediscache-operator

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <workdir>" >&2
  exit 2
fi
mkdir -p "$1"
WORKDIR="$(cd "$1" && pwd)"
BIN_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
READY_TIMEOUT="${READY_TIMEOUT:-120}"

for b in etcd kube-apiserver kubectl; do
  [[ -x "$BIN_DIR/$b" ]] || { echo "$BIN_DIR/$b missing: run $(dirname "$0")/build.sh first" >&2; exit 1; }
done

# Alive = exists and is not a zombie (a crashed child stays a zombie until reaped).
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

for p in etcd kube-apiserver; do
  if [[ -f "$WORKDIR/$p.pid" ]] && alive "$(cat "$WORKDIR/$p.pid")"; then
    echo "$p already running in $WORKDIR (pid $(cat "$WORKDIR/$p.pid")): run stop.sh first" >&2
    exit 1
  fi
done

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
ETCD_PORT="${ETCD_PORT:-$(free_port)}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-$(free_port)}"
APISERVER_PORT="${APISERVER_PORT:-$(free_port)}"

CERT_DIR="$WORKDIR/certs"
mkdir -p "$WORKDIR/etcd-data" "$CERT_DIR"
chmod 700 "$WORKDIR/etcd-data" "$CERT_DIR"

# One RSA key both signs and verifies ServiceAccount tokens.
if [[ ! -f "$CERT_DIR/sa.key" ]]; then
  openssl genrsa -out "$CERT_DIR/sa.key" 2048 2>/dev/null
  chmod 600 "$CERT_DIR/sa.key"
fi

# Static bearer tokens, new on every start: token,user,uid,"groups".
ADMIN_TOKEN="$(openssl rand -hex 32)"
OPERATOR_TOKEN="$(openssl rand -hex 32)"
OPERATOR_USER="system:serviceaccount:${OPERATOR_NAMESPACE}:${OPERATOR_SA}"
umask 077
cat > "$WORKDIR/tokens.csv" <<TOKENS
${ADMIN_TOKEN},admin,admin-uid,"system:masters"
${OPERATOR_TOKEN},${OPERATOR_USER},${OPERATOR_SA}-uid,"system:serviceaccounts,system:serviceaccounts:${OPERATOR_NAMESPACE},system:authenticated"
TOKENS
umask 022

ETCD_URL="http://127.0.0.1:${ETCD_PORT}"
APISERVER_URL="https://127.0.0.1:${APISERVER_PORT}"

setsid "$BIN_DIR/etcd" \
  --name=default \
  --data-dir="$WORKDIR/etcd-data" \
  --listen-client-urls="$ETCD_URL" \
  --advertise-client-urls="$ETCD_URL" \
  --listen-peer-urls="http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-advertise-peer-urls="http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-cluster="default=http://127.0.0.1:${ETCD_PEER_PORT}" \
  --unsafe-no-fsync \
  >"$WORKDIR/etcd.log" 2>&1 </dev/null &
ETCD_PID=$!
echo "$ETCD_PID" > "$WORKDIR/etcd.pid"

# The API server's command line, one argument a line, so restart-apiserver.sh can start it again
# on the same port with the same certificates, tokens and etcd (whose data stays).
APISERVER_ARGS=(
  --etcd-servers="$ETCD_URL"
  --bind-address=127.0.0.1
  --advertise-address=127.0.0.1
  --secure-port="$APISERVER_PORT"
  --cert-dir="$CERT_DIR"
  --service-cluster-ip-range=10.0.0.0/24
  --service-account-issuer=https://kubernetes.default.svc.cluster.local
  --service-account-key-file="$CERT_DIR/sa.key"
  --service-account-signing-key-file="$CERT_DIR/sa.key"
  --token-auth-file="$WORKDIR/tokens.csv"
  --authorization-mode=RBAC
  --disable-admission-plugins=ServiceAccount
  --allow-privileged=true
  --profiling=false
)
printf '%s\n' "${APISERVER_ARGS[@]}" > "$WORKDIR/kube-apiserver.args"
setsid "$BIN_DIR/kube-apiserver" "${APISERVER_ARGS[@]}" \
  >"$WORKDIR/kube-apiserver.log" 2>&1 </dev/null &
APISERVER_PID=$!
echo "$APISERVER_PID" > "$WORKDIR/kube-apiserver.pid"

# kube-apiserver writes a self-signed serving certificate followed by its CA
# into <cert-dir>/apiserver.crt; that file serves as the kubeconfig CA bundle.
write_kubeconfig() { # file user token
  cat > "$1" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: ${APISERVER_URL}
    certificate-authority: ${CERT_DIR}/apiserver.crt
users:
- name: $2
  user:
    token: $3
contexts:
- name: $2@local
  context:
    cluster: local
    user: $2
    namespace: default
current-context: $2@local
KUBECONFIG
  chmod 600 "$1"
}
write_kubeconfig "$WORKDIR/admin.kubeconfig" admin "$ADMIN_TOKEN"
write_kubeconfig "$WORKDIR/operator.kubeconfig" "$OPERATOR_SA" "$OPERATOR_TOKEN"

cat > "$WORKDIR/env" <<ENV
APISERVER_URL=${APISERVER_URL}
ETCD_URL=${ETCD_URL}
ADMIN_TOKEN=${ADMIN_TOKEN}
OPERATOR_TOKEN=${OPERATOR_TOKEN}
KUBECONFIG_ADMIN=${WORKDIR}/admin.kubeconfig
KUBECONFIG_OPERATOR=${WORKDIR}/operator.kubeconfig
APISERVER_CA=${CERT_DIR}/apiserver.crt
KUBECTL=${BIN_DIR}/kubectl
ETCD_PID=${ETCD_PID}
APISERVER_PID=${APISERVER_PID}
ENV
chmod 600 "$WORKDIR/env"

fail() {
  echo "$1" >&2
  echo "--- tail $WORKDIR/etcd.log" >&2; tail -n 30 "$WORKDIR/etcd.log" >&2 || true
  echo "--- tail $WORKDIR/kube-apiserver.log" >&2; tail -n 40 "$WORKDIR/kube-apiserver.log" >&2 || true
  "$(dirname "${BASH_SOURCE[0]}")/stop.sh" "$WORKDIR" >&2 || true
  exit 1
}

start=$(date +%s)
while :; do
  alive "$ETCD_PID" || fail "etcd exited"
  alive "$APISERVER_PID" || fail "kube-apiserver exited"
  if [[ -f "$CERT_DIR/apiserver.crt" ]] &&
     [[ "$("$BIN_DIR/kubectl" --kubeconfig "$WORKDIR/admin.kubeconfig" --request-timeout=5s get --raw /readyz 2>/dev/null)" == ok ]]; then
    break
  fi
  (( $(date +%s) - start < READY_TIMEOUT )) || fail "kube-apiserver not ready after ${READY_TIMEOUT} s"
  sleep 1
done
echo "control plane ready in $(( $(date +%s) - start )) s; env in $WORKDIR/env:" >&2
cat "$WORKDIR/env"
