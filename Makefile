# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn -B
RUN_DIR ?= $(CURDIR)/target/run
ARGOCD_HEALTH := deploy/argocd/resource_customizations/elasticache.operators.dev/RedisCache

.PHONY: all build test unit run stop bench soak control-plane emulator app-clients health-check argocd-cm tools crds monitoring clean

all: build

## Build the operator (target/quarkus-app) and regenerate the CRD under target/kubernetes.
build:
	$(MVN) package -DskipTests

## kube-apiserver, etcd and kubectl built from the Go module proxy (cached; rebuilt only when missing).
control-plane:
	test/control-plane/build.sh

## The Argo CD health check's test tool (gopher-lua + kstatus), built from the Go module proxy (cached;
## rebuilt only when its sources change).
health-check:
	test/tools/health/build.sh >/dev/null

## Write deploy/argocd/argocd-cm.yaml from the health check's health.lua (a test fails when they differ).
argocd-cm: health-check
	test/tools/health/run.sh argocd-cm $(ARGOCD_HEALTH)/health.lua > deploy/argocd/argocd-cm.yaml

## moto server, pinned, in its own venv, with the project's extensions.
emulator:
	test/aws-emulator/setup.sh >/dev/null

## helm v3.22.0 built from the Go module proxy, and the Prometheus Operator's CRDs generated from its
## API types (cached under ~/.cache/rediscache-operator/tools; rebuilt only when missing).
tools:
	test/tools/helm/build.sh >/dev/null
	test/tools/monitoring-crds/build.sh >/dev/null

## The apps' real clients (redis-py, Celery, django-redis, ioredis, Lettuce) and parliament, pinned and cached.
app-clients:
	test/app-clients/setup.sh >/dev/null

## Every test: unit, component, wire (moto), end-to-end (real kube-apiserver + emulator + operator
## process + redis-server + the apps' real clients), the CRD check, the Helm chart (helm lint, server
## dry-run, an install), the emulator's own tests and the alert rules (promtool). hack/test.sh builds
## the prerequisites (control-plane, tools, emulator, app-clients, health-check) and overlaps what does
## not depend on each other: the Go builds beside the unit tests, the emulator's tests beside the ITs.
test:
	MVN="$(MVN)" hack/test.sh

## Fast loop: unit, component and wire tests only.
unit: emulator app-clients health-check
	$(MVN) test

## Copy the generated CRDs (RedisCache, ElastiCacheAccount) into crds/ and the Helm chart (tests fail when they differ).
crds: build
	cp target/kubernetes/rediscaches.elasticache.operators.dev-v1.yml crds/
	cp target/kubernetes/rediscaches.elasticache.operators.dev-v1.yml charts/rediscache-operator/files/
	cp target/kubernetes/elasticacheaccounts.elasticache.operators.dev-v1.yml crds/
	cp target/kubernetes/elasticacheaccounts.elasticache.operators.dev-v1.yml charts/rediscache-operator/files/

## Write deploy/monitoring/'s PrometheusRule and dashboard ConfigMap from the chart's files/ (a test fails when they differ).
monitoring:
	hack/monitoring-manifests.sh

## Fleet benchmark (not a test; see README "Figures"): BENCH_CACHES (default 1000) new caches applied at
## once, drift, memory and metrics, then an operator restart and the steady state after it.
## BENCH_RATE: the operator's AWS calls per second (10); BENCH_STEADY_SECONDS: the steady window from the
## restart (1800, one full sweep); BENCH_RESTART_SECONDS: the restart watch (300). About 55 min at 1,000.
bench: control-plane emulator
	$(MVN) verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=FleetBenchmark \
	  -Dfailsafe.failIfNoSpecifiedTests=false -Dbench.caches=$${BENCH_CACHES:-1000} -Dbench.rate=$${BENCH_RATE:-10} \
	  -Dbench.steadySeconds=$${BENCH_STEADY_SECONDS:-1800} -Dbench.restartWatchSeconds=$${BENCH_RESTART_SECONDS:-300}
	cat target/fleet-benchmark.txt

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
