#!/usr/bin/env bash
# `make test`: every test, in two phases that overlap work that does not depend on each other. On a
# 2-core machine the tests mostly wait (on the emulator's AWS states, the operator, the API server)
# while the Go builds mostly compute, so running them side by side saves wall time, not checks.
#
#   1. The Go tools the integration tests need (kube-apiserver/etcd/kubectl, helm, the monitoring
#      CRDs; built once and cached, so a no-op on a warm machine) build in the background, while the
#      emulator's and the app clients' venvs are set up and Maven compiles and runs the unit,
#      component, contract and wire tests (`mvn test`: they need none of the Go tools).
#   2. When both are done: the operator is packaged and the integration tests run (`mvn verify`
#      without the unit tests again; failsafe runs two IT classes at a time, see pom.xml), with the
#      emulator's own pytest suite beside them; then promtool's rule checks and tests.
#
# Each phase's time is printed ("== ... took N s"). MVN overrides the Maven command (default mvn -B).
set -euo pipefail
cd "$(dirname "$0")/.."
MVN="${MVN:-mvn -B}"
mkdir -p target
took() { echo "== $1 took $(( $(date +%s) - $2 )) s"; }

background=()
stop_background() {
  local pid
  for pid in "${background[@]}"; do
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  done
}
trap stop_background EXIT

# ---- phase 1
t1=$(date +%s)
# setsid: its own process group, so that a failing run stops the build with all its children.
setsid make --no-print-directory -j2 control-plane tools > target/go-tools.log 2>&1 &
tools=$!
background+=("$tools")
t=$(date +%s)
make --no-print-directory emulator app-clients health-check
took "emulator and app-client venvs, health tool" "$t"
t=$(date +%s)
$MVN test
took "unit, component, contract and wire tests (mvn test)" "$t"
t=$(date +%s)
tools_rc=0
wait "$tools" || tools_rc=$?
background=()
cat target/go-tools.log
if (( tools_rc != 0 )); then
  echo "building the Go tools failed (exit $tools_rc): target/go-tools.log above" >&2
  exit "$tools_rc"
fi
took "then waiting for the Go tools (control-plane, tools)" "$t"
took "phase 1" "$t1"

# ---- phase 2
t2=$(date +%s)
setsid test/aws-emulator/run-tests.sh > target/emulator-tests.log 2>&1 &
emulator_tests=$!
background+=("$emulator_tests")
t=$(date +%s)
mvn_rc=0
$MVN verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false || mvn_rc=$?
took "integration tests (mvn verify)" "$t"
emulator_rc=0
wait "$emulator_tests" || emulator_rc=$?
background=()
echo "test/aws-emulator/run-tests.sh"
cat target/emulator-tests.log
took "phase 2 (integration tests beside the emulator's tests)" "$t2"
(( mvn_rc == 0 )) || exit "$mvn_rc"
(( emulator_rc == 0 )) || exit "$emulator_rc"
test/monitoring/run-tests.sh
