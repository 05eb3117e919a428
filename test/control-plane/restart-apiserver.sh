#!/usr/bin/env bash
# Restarts only the kube-apiserver of a control plane started by start.sh in <workdir>: TERM (KILL
# after 15 s), [down-seconds] of downtime, then the same command line (same port, certificates,
# static tokens and etcd, whose data is kept), and waits until /readyz answers ok.
#
#   test/control-plane/restart-apiserver.sh <workdir> [down-seconds]
#
# The kubeconfigs written by start.sh stay valid: kube-apiserver reuses the self-signed serving
# certificate it finds in <workdir>/certs. Prints the seconds the API was unreachable.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <workdir> [down-seconds]" >&2
  exit 2
fi
WORKDIR="$(cd "$1" && pwd)"
DOWN="${2:-0}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
[[ -f "$WORKDIR/kube-apiserver.args" ]] || { echo "$WORKDIR/kube-apiserver.args missing: started by an older start.sh?" >&2; exit 1; }
# shellcheck disable=SC1091
KUBECTL="$(sed -n 's/^KUBECTL=//p' "$WORKDIR/env")"
BIN_DIR="$(dirname "$KUBECTL")"

alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

start=$(date +%s.%N)
if [[ -f "$WORKDIR/kube-apiserver.pid" ]]; then
  pid="$(cat "$WORKDIR/kube-apiserver.pid")"
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do alive "$pid" || break; sleep 0.1; done
    fi
  fi
fi
sleep "$DOWN"

mapfile -t ARGS < "$WORKDIR/kube-apiserver.args"
setsid "$BIN_DIR/kube-apiserver" "${ARGS[@]}" >>"$WORKDIR/kube-apiserver.log" 2>&1 </dev/null &
APISERVER_PID=$!
echo "$APISERVER_PID" > "$WORKDIR/kube-apiserver.pid"
sed -i "s/^APISERVER_PID=.*/APISERVER_PID=${APISERVER_PID}/" "$WORKDIR/env"

t0=$(date +%s)
while :; do
  alive "$APISERVER_PID" || { echo "kube-apiserver exited on restart; tail:" >&2; tail -n 40 "$WORKDIR/kube-apiserver.log" >&2; exit 1; }
  if [[ "$("$KUBECTL" --kubeconfig "$WORKDIR/admin.kubeconfig" --request-timeout=5s get --raw /readyz 2>/dev/null)" == ok ]]; then
    break
  fi
  (( $(date +%s) - t0 < READY_TIMEOUT )) || { echo "kube-apiserver not ready ${READY_TIMEOUT} s after restart" >&2; exit 1; }
  sleep 0.5
done
python3 -c "import sys,time; print(f'{time.time()-float(sys.argv[1]):.1f}')" "$start"
