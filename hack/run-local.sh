#!/usr/bin/env bash
# `make run`: the operator's main job on this machine, on embedded defaults.
# Starts a local control plane (kube-apiserver + etcd, RBAC on) and the AWS emulator, installs the
# CRD and RBAC, starts the operator as the deploy/ ServiceAccount, applies a sample, waits until
# it is Ready and prints how to look. `make stop` stops it all.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="${1:-$ROOT/target/run}"
SAMPLE="${SAMPLE:-samples/dev-matchmaking.yaml}"
mkdir -p "$RUN"
cd "$ROOT"

if [[ -f "$RUN/operator.pid" ]] && kill -0 "$(cat "$RUN/operator.pid")" 2>/dev/null; then
  echo "already running (make stop first)"; exit 1
fi

echo "==> control plane"
test/control-plane/start.sh "$RUN/cp" >/dev/null
# shellcheck disable=SC1091
. "$RUN/cp/env"
K() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }

echo "==> AWS emulator"
AWS_URL="$(test/aws-emulator/start.sh 0 "$RUN/aws-emulator.log" --creating-seconds "${CREATING_SECONDS:-20}" | tail -n 1)"
echo "$AWS_URL" > "$RUN/aws.url"
VENV="$(test/aws-emulator/setup.sh | tail -n 1)"
# A VPC, two subnets and an app security group in the emulator, standing in for yours.
IDS="$(AWS_URL="$AWS_URL" "$VENV/bin/python" - <<'PY'
import os, boto3
ec2 = boto3.client("ec2", endpoint_url=os.environ["AWS_URL"], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(VpcId=vpc, GroupName="app", Description="the app")["GroupId"]
print(f"s/vpc-0123456789abcdef0/{vpc}/g;s/subnet-0a1b2c3d4e5f60718/{a}/g;s/subnet-0f1e2d3c4b5a69788/{b}/g;s/sg-0123456789abcdef0/{sg}/g")
PY
)"

echo "==> CRD and RBAC"
K apply -f crds/ >/dev/null
K wait --for=condition=Established crd/rediscaches.elasticache.operators.dev crd/elasticacheaccounts.elasticache.operators.dev --timeout=60s >/dev/null
K apply -f deploy/namespace.yaml -f deploy/serviceaccount.yaml -f deploy/rbac.yaml >/dev/null

echo "==> operator (as ServiceAccount rediscache-system/rediscache-operator), log $RUN/operator.log"
KUBECONFIG="$KUBECONFIG_OPERATOR" REDISCACHE_AWS_ENDPOINT_OVERRIDE="$AWS_URL" REDISCACHE_CLUSTER_ID=local \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 QUARKUS_HTTP_PORT="${HTTP_PORT:-8080}" \
  nohup java -jar target/quarkus-app/quarkus-run.jar >"$RUN/operator.log" 2>&1 </dev/null &
echo $! > "$RUN/operator.pid"
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:${HTTP_PORT:-8080}/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$(cat "$RUN/operator.pid")" 2>/dev/null || { echo "operator exited:"; tail -40 "$RUN/operator.log"; exit 1; }
  sleep 0.5
done

echo "==> $SAMPLE"
sed "$IDS" "$SAMPLE" | K apply -f -
NS="$(sed -n 's/^  namespace: *//p;T;q' "$SAMPLE")"  # first match only, no pipe to head (SIGPIPE under pipefail)
NAME="$(awk '/^kind: RedisCache/{f=1} f && /^  name:/{print $2; exit}' "$SAMPLE")"
K wait --for=condition=Ready "rediscache/$NAME" -n "$NS" --timeout=180s
K get rediscaches -A
cat <<MSG

Running. Look around with:
  export KUBECONFIG=$KUBECONFIG_ADMIN
  alias kubectl=$KUBECTL
  kubectl get rediscaches -A
  kubectl describe rediscache $NAME -n $NS
  kubectl get secret $NAME-redis -n $NS -o jsonpath='{.data.url}' | base64 -d; echo
  kubectl get events -n $NS
Operator log: $RUN/operator.log   Metrics: http://127.0.0.1:${HTTP_PORT:-8080}/q/metrics
Stop everything with: make stop
MSG
