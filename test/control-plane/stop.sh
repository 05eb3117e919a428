#!/usr/bin/env bash
# Stops the control plane started by start.sh in <workdir>. Idempotent.
#   test/control-plane/stop.sh <workdir>
set -uo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <workdir>" >&2
  exit 2
fi
WORKDIR="$1"

# Alive = exists and is not a zombie (an orphan may wait a while to be reaped).
alive() {
  local state
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

stop_pid() { # name
  local pidfile="$WORKDIR/$1.pid" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if [[ -n "$pid" ]] && alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 150; i++)); do   # up to 15 s
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "$1 (pid $pid) did not stop on TERM, sending KILL" >&2
      kill -KILL "$pid" 2>/dev/null
      for ((i = 0; i < 50; i++)); do
        alive "$pid" || break
        sleep 0.1
      done
    fi
    echo "stopped $1 (pid $pid)"
  fi
  rm -f "$pidfile"
}

# API server first, so it does not spin on a vanished etcd.
stop_pid kube-apiserver
stop_pid etcd
exit 0
