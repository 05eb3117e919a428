# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn -B
RUN_DIR ?= $(CURDIR)/target/run

.PHONY: all build test unit run stop bench bench-burst soak control-plane emulator crds clean

all: build

## Build the operator (target/quarkus-app) and regenerate the CRD under target/kubernetes.
build:
	$(MVN) package -DskipTests

## kube-apiserver, etcd and kubectl built from the Go module proxy (cached; rebuilt only when missing).
control-plane:
	test/control-plane/build.sh

## moto server, pinned, in its own venv, with the project's extensions.
emulator:
	test/aws-emulator/setup.sh >/dev/null

## Every test: unit, component, wire (moto), end-to-end (real kube-apiserver + emulator + operator
## process + redis-server), the CRD check, and the emulator's own tests.
test: control-plane emulator
	$(MVN) verify
	test/aws-emulator/run-tests.sh

## Fast loop: unit, component and wire tests only.
unit: emulator
	$(MVN) test

## Copy the generated CRD into crds/ (a test fails when they differ).
crds: build
	cp target/kubernetes/rediscaches.elasticache.operators.dev-v1.yml crds/

## Steady-state benchmark (not a test): 200 caches on the emulator; AWS calls per cache per hour and
## time to correct drift. BENCH_CACHES / BENCH_WINDOW_SECONDS change the size and the measuring window.
bench: control-plane emulator
	$(MVN) verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SteadyStateBenchmark \
	  -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.caches=$${BENCH_CACHES:-200} -Dbench.windowSeconds=$${BENCH_WINDOW_SECONDS:-300}
	cat target/benchmark.txt

## Burst benchmark (not a test): BENCH_CACHES (default 200) new caches applied at once, then an operator
## restart. Ready times in arrival order, the floor the AWS call budget sets, AWS calls and status writes
## per cache, and the restart's AWS calls, status writes and Ready flips. BENCH_RATE: calls per second.
bench-burst: control-plane emulator
	$(MVN) verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=BurstBenchmark \
	  -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.caches=$${BENCH_CACHES:-200} -Dbench.rate=$${BENCH_RATE:-10}
	cat target/burst-benchmark.txt

## Fault soak (not a timed test): SOAK_CACHES caches (default 12) through create, a spec change, a token
## rotation and delete, round after round for SOAK_MINUTES (default 10), under throttling, 5xx, latency,
## capacity refusals, create failures, backups, maintenance windows, operator kill -9 and kube-apiserver
## restarts. Prints and writes target/soak.txt; fails when any check (duplicates, orphans, tokens lost or
## leaked, Ready flaps, stuck steps) is not zero. SOAK_SEED replays the same random choices.
soak: control-plane emulator
	$(MVN) verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FaultSoak \
	  -Dfailsafe.failIfNoSpecifiedTests=false -Dsoak.caches=$${SOAK_CACHES:-12} -Dsoak.minutes=$${SOAK_MINUTES:-10} \
	  $${SOAK_SEED:+-Dsoak.seed=$$SOAK_SEED}; rc=$$?; cat target/soak.txt 2>/dev/null; exit $$rc

## Run the operator locally on embedded defaults: a local control plane, the AWS emulator,
## the CRDs and RBAC installed, the operator started, a sample applied and waited for.
run: control-plane emulator build
	hack/run-local.sh "$(RUN_DIR)"

## Stop what `make run` started.
stop:
	hack/stop-local.sh "$(RUN_DIR)"

clean:
	$(MVN) clean
