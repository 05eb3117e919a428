"""Tests of the AWS emulator (moto server + the project's extensions).

Run with the emulator's venv:  "$(./setup.sh)/bin/python" -m pytest tests -q
The launcher is started once per module on a free port; every test starts
from `POST /moto-api/reset`.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(os.path.dirname(HERE), "launcher.py")
REGION = "us-east-1"
TOKEN = "Abcdefgh12345678-token"


# ---------------------------------------------------------------------------
# fixtures and helpers


@pytest.fixture(scope="module")
def emulator() -> Any:
    env = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    proc = subprocess.Popen(
        [sys.executable, LAUNCHER, "--port", "0", "--quiet", "--creating-seconds", "1",
         "--modifying-seconds", "1", "--deleting-seconds", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = None
    deadline = time.time() + 60
    assert proc.stdout is not None
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("READY "):
            url = line.split()[1]
            break
    if url is None:
        proc.kill()
        pytest.fail("launcher did not print READY")
    # keep draining output so the pipe never fills
    import threading

    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def http(url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        raw = e.read()
        status = e.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode()


def raw_call(url: str, service: str, params: dict[str, str]) -> tuple[int, str]:
    """An unsigned-but-SigV4-shaped query call, to look at the wire format."""
    from urllib.parse import urlencode

    req = urllib.request.Request(url + "/", data=urlencode(params).encode(), method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20250101/{REGION}/{service}/aws4_request, "
                         "SignedHeaders=host, Signature=0",
    })
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture(autouse=True)
def reset(emulator: str) -> None:
    status, _ = http(emulator + "/moto-api/reset", "POST")
    assert status == 200


def client(url: str, service: str) -> Any:
    return boto3.client(service, endpoint_url=url, region_name=REGION, aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


@pytest.fixture
def ec(emulator: str) -> Any:
    return client(emulator, "elasticache")


@pytest.fixture
def ec2(emulator: str) -> Any:
    return client(emulator, "ec2")


def fast(url: str, **kw: float) -> None:
    body = {"creatingSeconds": 0, "modifyingSeconds": 0, "deletingSeconds": 0}
    body.update(kw)
    status, _ = http(url + "/_emulator/config", "POST", body)
    assert status == 200


def error_code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return exc.value.response["Error"]["Code"]


def describe(ec: Any, rid: str) -> dict[str, Any]:
    return ec.describe_replication_groups(ReplicationGroupId=rid)["ReplicationGroups"][0]


def wait_status(ec: Any, rid: str, status: str, timeout: float = 8.0) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        rg = describe(ec, rid)
        if rg["Status"] == status:
            return rg
        if time.time() > deadline:
            raise AssertionError(f"{rid} stayed {rg['Status']}, wanted {status}")
        time.sleep(0.1)


def network(ec: Any, ec2: Any) -> dict[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{az}")
               ["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    sg = ec2.create_security_group(GroupName="cache", Description="cache", VpcId=vpc)["GroupId"]
    ec.create_cache_subnet_group(CacheSubnetGroupName="cache-subnets", CacheSubnetGroupDescription="d",
                                 SubnetIds=subnets)
    return {"vpc": vpc, "sg": sg, "subnet_group": "cache-subnets"}


def create_rg(ec: Any, rid: str, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "ReplicationGroupId": rid,
        "ReplicationGroupDescription": f"{rid} description",
        "Engine": "redis",
        "EngineVersion": "7.1",
        "CacheNodeType": "cache.t4g.small",
        "NumCacheClusters": 2,
        "AutomaticFailoverEnabled": True,
    }
    args.update(kw)
    args = {k: v for k, v in args.items() if v is not None}  # None drops a default
    return ec.create_replication_group(**args)["ReplicationGroup"]


# ---------------------------------------------------------------------------
# state transitions


def test_creating_then_available(ec: Any, ec2: Any) -> None:
    net = network(ec, ec2)
    rg = create_rg(ec, "orders", CacheSubnetGroupName=net["subnet_group"], SecurityGroupIds=[net["sg"]],
                   MultiAZEnabled=True, Port=6380, SnapshotRetentionLimit=3, SnapshotWindow="03:00-04:00",
                   PreferredMaintenanceWindow="sun:05:00-sun:06:00", TransitEncryptionEnabled=True,
                   AtRestEncryptionEnabled=True, KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/abc",
                   AuthToken=TOKEN, Tags=[{"Key": "owner", "Value": "team-a"}])
    assert rg["Status"] == "creating"
    first = describe(ec, "orders")
    assert first["Status"] == "creating"
    assert "PrimaryEndpoint" not in first["NodeGroups"][0]
    clusters = ec.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
    assert {c["CacheClusterStatus"] for c in clusters} == {"creating"}

    rg = wait_status(ec, "orders", "available", timeout=5)
    assert rg["MemberClusters"] == ["orders-001", "orders-002"]
    ng = rg["NodeGroups"][0]
    assert ng["NodeGroupId"] == "0001" and ng["Status"] == "available"
    assert ng["PrimaryEndpoint"]["Address"].startswith("master.orders.")
    assert ng["PrimaryEndpoint"]["Port"] == 6380
    assert ng["ReaderEndpoint"]["Address"].startswith("replica.orders.")
    assert [m["CurrentRole"] for m in ng["NodeGroupMembers"]] == ["primary", "replica"]
    assert "ConfigurationEndpoint" not in rg
    assert rg["AutomaticFailover"] == "enabled" and rg["MultiAZ"] == "enabled"
    assert rg["ClusterEnabled"] is False
    assert rg["CacheNodeType"] == "cache.t4g.small"
    assert rg["AuthTokenEnabled"] is True
    assert rg["TransitEncryptionEnabled"] is True and rg["AtRestEncryptionEnabled"] is True
    assert rg["KmsKeyId"].endswith("key/abc")
    assert rg["SnapshotRetentionLimit"] == 3 and rg["SnapshotWindow"] == "03:00-04:00"
    assert rg["ARN"] == "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:orders"
    assert rg["Engine"] == "redis"
    assert rg["PendingModifiedValues"] == {}
    clusters = ec.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
    assert {c["CacheClusterStatus"] for c in clusters} == {"available"}
    c = clusters[0]
    assert c["SecurityGroups"] == [{"SecurityGroupId": net["sg"], "Status": "active"}]
    assert c["CacheSubnetGroupName"] == "cache-subnets"
    assert c["PreferredMaintenanceWindow"] == "sun:05:00-sun:06:00"
    assert c["CacheParameterGroup"]["CacheParameterGroupName"] == "default.redis7"
    assert c["CacheNodes"][0]["Endpoint"]["Port"] == 6380
    tags = ec.list_tags_for_resource(ResourceName=rg["ARN"])["TagList"]
    assert tags == [{"Key": "owner", "Value": "team-a"}]


def test_deleting_then_gone(emulator: str, ec: Any) -> None:
    create_rg(ec, "gone")
    with pytest.raises(ClientError) as e:
        ec.delete_replication_group(ReplicationGroupId="gone")  # still creating
    assert error_code(e) == "InvalidReplicationGroupState"
    wait_status(ec, "gone", "available")
    rg = ec.delete_replication_group(ReplicationGroupId="gone")["ReplicationGroup"]
    assert rg["Status"] == "deleting"
    assert describe(ec, "gone")["Status"] == "deleting"
    assert {c["CacheClusterStatus"] for c in ec.describe_cache_clusters()["CacheClusters"]} == {"deleting"}
    with pytest.raises(ClientError) as e:
        create_rg(ec, "gone")
    assert error_code(e) == "ReplicationGroupAlreadyExists"
    deadline = time.time() + 5
    while True:
        try:
            describe(ec, "gone")
        except ClientError as err:
            assert err.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"
            assert err.response["ResponseMetadata"]["HTTPStatusCode"] == 404
            break
        assert time.time() < deadline, "group never went away"
        time.sleep(0.1)
    assert ec.describe_cache_clusters()["CacheClusters"] == []


def test_modify_goes_modifying_and_applies(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    net = network(ec, ec2)
    create_rg(ec, "mod", TransitEncryptionEnabled=True, AuthToken=TOKEN)
    wait_status(ec, "mod", "available")
    other_sg = ec2.create_security_group(GroupName="other", Description="d", VpcId=net["vpc"])["GroupId"]
    rg = ec.modify_replication_group(ReplicationGroupId="mod", CacheNodeType="cache.r7g.large",
                                     SecurityGroupIds=[other_sg], SnapshotRetentionLimit=5,
                                     AutomaticFailoverEnabled=False, AuthToken=TOKEN + "-new",
                                     AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)["ReplicationGroup"]
    assert rg["Status"] == "modifying"
    assert rg["AutomaticFailover"] == "disabling"
    assert rg["PendingModifiedValues"]["AutomaticFailoverStatus"] == "disabled"
    assert rg["PendingModifiedValues"]["AuthTokenStatus"] == "ROTATING"
    assert rg["CacheNodeType"] == "cache.t4g.small"
    cc = ec.describe_cache_clusters(CacheClusterId="mod-001")["CacheClusters"][0]
    assert cc["CacheClusterStatus"] == "modifying"
    assert cc["PendingModifiedValues"]["CacheNodeType"] == "cache.r7g.large"
    status, auth = http(emulator + "/_emulator/replication-groups/mod/auth")
    assert status == 200 and auth["tokens"] == [TOKEN]  # ROTATE takes effect when available again (B5)
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="mod", SnapshotRetentionLimit=1, ApplyImmediately=True)
    assert error_code(e) == "InvalidReplicationGroupState"
    rg = wait_status(ec, "mod", "available")
    assert rg["CacheNodeType"] == "cache.r7g.large"
    assert rg["AutomaticFailover"] == "disabled"
    assert rg["PendingModifiedValues"] == {}
    assert rg["SnapshotRetentionLimit"] == 5
    assert http(emulator + "/_emulator/replication-groups/mod/auth")[1]["tokens"] == [TOKEN, TOKEN + "-new"]
    cc = ec.describe_cache_clusters(CacheClusterId="mod-001")["CacheClusters"][0]
    assert cc["SecurityGroups"][0]["SecurityGroupId"] == other_sg
    ec.modify_replication_group(ReplicationGroupId="mod", AuthToken=TOKEN + "-set",
                                AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    assert http(emulator + "/_emulator/replication-groups/mod/auth")[1]["tokens"] == [TOKEN, TOKEN + "-new"]
    wait_status(ec, "mod", "available")
    assert http(emulator + "/_emulator/replication-groups/mod/auth")[1]["tokens"] == [TOKEN + "-set"]
    with pytest.raises(ClientError) as e:  # DELETE: "allowed only when transitioning to RBAC"
        ec.modify_replication_group(ReplicationGroupId="mod", AuthTokenUpdateStrategy="DELETE",
                                    ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"
    # E44: the user group must exist and be active; it is attached when the modification ends
    ec.create_user(UserId="app-default", UserName="default", Engine="redis", AccessString="off -@all",
                   NoPasswordRequired=True)
    ec.create_user_group(UserGroupId="app-users", Engine="redis", UserIds=["app-default"])
    time.sleep(1.2)
    ec.modify_replication_group(ReplicationGroupId="mod", AuthTokenUpdateStrategy="DELETE",
                                UserGroupIdsToAdd=["app-users"], ApplyImmediately=True)
    assert describe(ec, "mod")["AuthTokenEnabled"] is True
    assert describe(ec, "mod")["UserGroupIds"] == []
    wait_status(ec, "mod", "available")
    assert describe(ec, "mod")["UserGroupIds"] == ["app-users"]
    assert describe(ec, "mod")["AuthTokenEnabled"] is False
    assert http(emulator + "/_emulator/replication-groups/mod/auth")[1]["tokens"] == []
    assert http(emulator + "/_emulator/replication-groups/nope/auth")[0] == 404


# ---------------------------------------------------------------------------
# validation rules of CreateReplicationGroup


def test_auth_token_rules(emulator: str, ec: Any) -> None:
    with pytest.raises(ClientError) as e:
        create_rg(ec, "t1", AuthToken=TOKEN)  # no TransitEncryptionEnabled
    assert error_code(e) == "InvalidParameterCombination"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    for bad in ["short-token-1", "x" * 129, "abcdefghijklmnop@", "abcdefghijklmnop%", "abcdefghij klmnop"]:
        with pytest.raises(ClientError) as e:
            create_rg(ec, "t1", TransitEncryptionEnabled=True, AuthToken=bad)
        assert error_code(e) == "InvalidParameterValue", bad
    good = "Aa1!&#$^<>-" + "z" * 5
    assert len(good) == 16
    rg = create_rg(ec, "t1", TransitEncryptionEnabled=True, AuthToken=good)
    assert rg["AuthTokenEnabled"] is True
    assert http(emulator + "/_emulator/replication-groups/t1/auth")[1]["tokens"] == [good]
    # the token never appears in a Describe answer
    for action in ("DescribeReplicationGroups", "DescribeCacheClusters"):
        status, body = raw_call(emulator, "elasticache", {"Action": action, "Version": "2015-02-02",
                                                          "ShowCacheNodeInfo": "true"})
        assert status == 200 and "t1" in body
        assert good.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") not in body
        assert "z" * 5 not in body


def test_multi_az_and_failover_rules(ec: Any) -> None:
    with pytest.raises(ClientError) as e:
        create_rg(ec, "m1", AutomaticFailoverEnabled=False, MultiAZEnabled=True)
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "m1", NumCacheClusters=1, AutomaticFailoverEnabled=True)
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "m1", NumCacheClusters=None, ReplicasPerNodeGroup=6, AutomaticFailoverEnabled=False)
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "m1", CacheSubnetGroupName="missing")
    assert error_code(e) == "CacheSubnetGroupNotFoundFault"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "m1", CacheParameterGroupName="missing")
    assert error_code(e) == "CacheParameterGroupNotFound"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "m1", EngineVersion="9.9")
    assert error_code(e) == "InvalidParameterCombination"
    rg = create_rg(ec, "m1", MultiAZEnabled=True)
    assert rg["MultiAZ"] == "enabled"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "M1")  # ids are stored lower case
    assert error_code(e) == "ReplicationGroupAlreadyExists"


# ---------------------------------------------------------------------------
# parameter groups, subnet groups, security groups


def test_parameter_group_lifecycle_and_in_use(emulator: str, ec: Any) -> None:
    fast(emulator)
    pg = ec.create_cache_parameter_group(CacheParameterGroupName="orders-params", CacheParameterGroupFamily="redis7",
                                         Description="orders", Tags=[{"Key": "owner", "Value": "team-a"}])
    pg = pg["CacheParameterGroup"]
    assert pg["CacheParameterGroupFamily"] == "redis7"
    with pytest.raises(ClientError) as e:
        ec.create_cache_parameter_group(CacheParameterGroupName="orders-params",
                                        CacheParameterGroupFamily="redis7", Description="again")
    assert error_code(e) == "CacheParameterGroupAlreadyExists"
    for fam in ("valkey7", "valkey8", "redis6.x"):
        ec.create_cache_parameter_group(CacheParameterGroupName=f"p-{fam.replace('.', '')}",
                                        CacheParameterGroupFamily=fam, Description=fam)
    with pytest.raises(ClientError) as e:
        ec.create_cache_parameter_group(CacheParameterGroupName="bad", CacheParameterGroupFamily="redis9",
                                        Description="x")
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        ec.describe_cache_parameter_groups(CacheParameterGroupName="missing")
    assert error_code(e) == "CacheParameterGroupNotFound"
    got = ec.describe_cache_parameter_groups(CacheParameterGroupName="orders-params")["CacheParameterGroups"]
    assert got[0]["ARN"] == "arn:aws:elasticache:us-east-1:123456789012:parametergroup:orders-params"
    assert ec.list_tags_for_resource(ResourceName=got[0]["ARN"])["TagList"] == [{"Key": "owner", "Value": "team-a"}]

    ec.modify_cache_parameter_group(CacheParameterGroupName="orders-params", ParameterNameValues=[
        {"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"},
        {"ParameterName": "notify-keyspace-events", "ParameterValue": "Ex"}])
    with pytest.raises(ClientError) as e:
        ec.modify_cache_parameter_group(CacheParameterGroupName="orders-params", ParameterNameValues=[
            {"ParameterName": "maxmemory-policy", "ParameterValue": "sometimes"}])
    assert error_code(e) == "InvalidParameterValue"
    user = ec.describe_cache_parameters(CacheParameterGroupName="orders-params", Source="user")["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in user} == {
        "maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex"}
    assert all(p["Source"] == "user" for p in user)
    everything = ec.describe_cache_parameters(CacheParameterGroupName="orders-params")["Parameters"]
    assert len(everything) > len(user)

    create_rg(ec, "uses-pg", CacheParameterGroupName="orders-params")
    with pytest.raises(ClientError) as e:
        ec.delete_cache_parameter_group(CacheParameterGroupName="orders-params")
    assert error_code(e) == "InvalidCacheParameterGroupState"
    with pytest.raises(ClientError) as e:  # family must match the engine version
        create_rg(ec, "wrong-family", CacheParameterGroupName="p-redis6x")
    assert error_code(e) == "InvalidParameterCombination"
    wait_status(ec, "uses-pg", "available")
    fast(emulator, deletingSeconds=0.5)
    ec.delete_replication_group(ReplicationGroupId="uses-pg")
    with pytest.raises(ClientError) as e:  # still deleting: still in use
        ec.delete_cache_parameter_group(CacheParameterGroupName="orders-params")
    assert error_code(e) == "InvalidCacheParameterGroupState"
    time.sleep(0.6)
    ec.delete_cache_parameter_group(CacheParameterGroupName="orders-params")
    with pytest.raises(ClientError) as e:
        ec.describe_cache_parameter_groups(CacheParameterGroupName="orders-params")
    assert error_code(e) == "CacheParameterGroupNotFound"


PARAMETERS = json.loads((Path(__file__).resolve().parents[1] / "emulator" / "parameters.json").read_text())


def modify_params(ec: Any, group: str, **params: str) -> Any:
    return ec.modify_cache_parameter_group(CacheParameterGroupName=group, ParameterNameValues=[
        {"ParameterName": k, "ParameterValue": v} for k, v in params.items()])


def modify_error(ec: Any, group: str, name: str, value: str) -> tuple[str, str]:
    with pytest.raises(ClientError) as e:
        modify_params(ec, group, **{name: value})
    return error_code(e), e.value.response["Error"]["Message"]


def test_describe_cache_parameters_answers_the_whole_family_catalogue(ec: Any) -> None:
    for fam in ("redis2.6", "redis4.0", "redis6.x", "redis7", "valkey8", "valkey9"):
        group = f"all-{fam.replace('.', '')}"
        ec.create_cache_parameter_group(CacheParameterGroupName=group, CacheParameterGroupFamily=fam, Description=fam)
        got = list(ec.get_paginator("describe_cache_parameters").paginate(CacheParameterGroupName=group))
        names = {p["ParameterName"] for page in got for p in page["Parameters"]}
        nts = {p["ParameterName"] for p in got[0]["CacheNodeTypeSpecificParameters"]}
        expected = PARAMETERS["families"][fam]
        assert names == {n for n, m in expected.items() if not m.get("nodeTypeSpecific")}, fam
        assert nts == {n for n, m in expected.items() if m.get("nodeTypeSpecific")}, fam
        assert all(p["Source"] == "system" for page in got for p in page["Parameters"])
    by_name = {p["ParameterName"]: p for page in ec.get_paginator("describe_cache_parameters").paginate(
        CacheParameterGroupName="all-valkey8") for p in page["Parameters"]}
    assert by_name["maxmemory-samples"]["AllowedValues"] == "1-64"
    assert by_name["repl-backlog-size"]["ParameterValue"] == "10485760"
    assert by_name["activerehashing"]["IsModifiable"] is False
    assert "lazyfree-lazy-eviction" not in by_name  # removed in Valkey 8.0
    assert "cluster-databases" not in by_name  # Valkey 9 only


def test_modify_cache_parameter_group_refuses_what_aws_refuses(ec: Any) -> None:
    ec.create_cache_parameter_group(CacheParameterGroupName="v8", CacheParameterGroupFamily="valkey8", Description="v8")
    ec.create_cache_parameter_group(CacheParameterGroupName="r5", CacheParameterGroupFamily="redis5.0", Description="r5")
    # unknown names, including names of other families
    assert modify_error(ec, "v8", "no-such-parameter", "1") == (
        "InvalidParameterValue", "Parameter no-such-parameter doesn't exist")
    assert modify_error(ec, "v8", "hash-max-ziplist-entries", "512")[0] == "InvalidParameterValue"  # gone in 7
    assert modify_error(ec, "r5", "hash-max-listpack-entries", "512")[0] == "InvalidParameterValue"  # from 7
    assert modify_error(ec, "r5", "min-slaves-to-write", "1")[0] == "InvalidParameterValue"  # renamed in 5.0
    assert modify_error(ec, "v8", "cluster-databases", "4")[0] == "InvalidParameterValue"  # Valkey 9 only
    # not modifiable
    assert modify_error(ec, "v8", "activerehashing", "no") == (
        "InvalidParameterValue", "The parameter activerehashing cannot be modified.")
    assert modify_error(ec, "v8", "maxclients", "100")[0] == "InvalidParameterValue"
    assert modify_error(ec, "v8", "maxmemory", "100")[0] == "InvalidParameterValue"  # node-type specific
    # outside the allowed values or ranges
    for name, value in [("maxmemory-policy", "sometimes"), ("timeout", "10"), ("timeout", "abc"),
                        ("maxmemory-samples", "65"), ("reserved-memory-percent", "101"),
                        ("notify-keyspace-events", "Exq"), ("cluster-preferred-endpoint-type", "hostname"),
                        ("commandlog-large-reply-max-len", "2000"), ("latency-tracking", "maybe")]:
        code, message = modify_error(ec, "v8", name, value)
        assert code == "InvalidParameterValue", (name, value)
        assert name in message
    assert ec.describe_cache_parameters(CacheParameterGroupName="v8", Source="user")["Parameters"] == []
    # accepted: the operator's samples and tests, and range edges
    modify_params(ec, "v8", **{"maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex", "timeout": "300"})
    modify_params(ec, "v8", **{"timeout": "0", "maxmemory-samples": "64", "slowlog-log-slower-than": "-1",
                               "search-default-timeout-ms": "60000"})
    modify_params(ec, "r5", **{"lfu-log-factor": "1", "close-on-replica-write": "no", "rename-commands": ""})
    user = {p["ParameterName"]: p["ParameterValue"]
            for p in ec.describe_cache_parameters(CacheParameterGroupName="v8", Source="user")["Parameters"]}
    assert user == {"maxmemory-policy": "allkeys-lru", "notify-keyspace-events": "Ex", "timeout": "0",
                    "maxmemory-samples": "64", "slowlog-log-slower-than": "-1", "search-default-timeout-ms": "60000"}
    # one refused name refuses the whole request
    with pytest.raises(ClientError):
        modify_params(ec, "v8", **{"maxmemory-policy": "noeviction", "bogus": "1"})
    assert user["maxmemory-policy"] == "allkeys-lru"
    # more than 20 at once: AWS's code and wording
    with pytest.raises(ClientError) as e:
        ec.modify_cache_parameter_group(CacheParameterGroupName="v8", ParameterNameValues=[
            {"ParameterName": "timeout", "ParameterValue": "0"}] * 21)
    assert error_code(e) == "InvalidParameterCombination"
    # reset of an unknown name
    with pytest.raises(ClientError) as e:
        ec.reset_cache_parameter_group(CacheParameterGroupName="v8",
                                       ParameterNameValues=[{"ParameterName": "reserved-memory"}])
    assert error_code(e) == "InvalidParameterValue"
    # memcached families have no catalogue: anything goes, as before
    ec.create_cache_parameter_group(CacheParameterGroupName="mc", CacheParameterGroupFamily="memcached1.6",
                                    Description="mc")
    modify_params(ec, "mc", **{"max_item_size": "2097152"})


def test_conditionally_modifiable_parameters_only_while_unused(emulator: str, ec: Any) -> None:
    fast(emulator)
    ec.create_cache_parameter_group(CacheParameterGroupName="sharded", CacheParameterGroupFamily="redis7",
                                    Description="sharded")
    modify_params(ec, "sharded", **{"cluster-enabled": "yes", "databases": "32"})
    create_rg(ec, "sharded-rg", CacheParameterGroupName="sharded", NumCacheClusters=None, NumNodeGroups=2,
              ReplicasPerNodeGroup=1)
    for name, value in [("cluster-enabled", "no"), ("databases", "16")]:
        assert modify_error(ec, "sharded", name, value) == (
            "InvalidParameterValue", f"The parameter {name} cannot be modified.")
    modify_params(ec, "sharded", **{"maxmemory-policy": "allkeys-lfu"})


def test_subnet_group_delete_in_use(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator, deletingSeconds=0.5)
    net = network(ec, ec2)
    create_rg(ec, "sub-user", CacheSubnetGroupName=net["subnet_group"])
    with pytest.raises(ClientError) as e:
        ec.delete_cache_subnet_group(CacheSubnetGroupName=net["subnet_group"])
    assert error_code(e) == "CacheSubnetGroupInUse"
    wait_status(ec, "sub-user", "available")
    ec.delete_replication_group(ReplicationGroupId="sub-user")
    with pytest.raises(ClientError) as e:
        ec.delete_cache_subnet_group(CacheSubnetGroupName=net["subnet_group"])
    assert error_code(e) == "CacheSubnetGroupInUse"
    time.sleep(0.6)
    ec.delete_cache_subnet_group(CacheSubnetGroupName=net["subnet_group"])
    with pytest.raises(ClientError) as e:
        ec.delete_cache_subnet_group(CacheSubnetGroupName=net["subnet_group"])
    assert error_code(e) == "CacheSubnetGroupNotFoundFault"
    assert ec.describe_cache_subnet_groups()["CacheSubnetGroups"] == []


def test_security_group_dependency_violation(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator, deletingSeconds=0.5)
    net = network(ec, ec2)
    create_rg(ec, "sg-user", SecurityGroupIds=[net["sg"]])
    with pytest.raises(ClientError) as e:
        ec2.delete_security_group(GroupId=net["sg"])
    assert error_code(e) == "DependencyViolation"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    status, body = raw_call(emulator, "ec2", {"Action": "DeleteSecurityGroup", "Version": "2016-11-15",
                                              "GroupId": net["sg"]})
    assert status == 400
    assert "<Response><Errors><Error><Code>DependencyViolation</Code>" in body
    assert f"<Message>resource {net['sg']} has a dependent object</Message>" in body
    assert "<RequestID>" in body
    with pytest.raises(ClientError) as e:  # referenced security groups must exist
        create_rg(ec, "sg-user-2", SecurityGroupIds=["sg-0123456789abcdef0"])
    assert error_code(e) == "InvalidParameterValue"
    wait_status(ec, "sg-user", "available")
    ec.delete_replication_group(ReplicationGroupId="sg-user")
    time.sleep(0.6)
    ec2.delete_security_group(GroupId=net["sg"])


# ---------------------------------------------------------------------------
# faults and call accounting


def test_throttling_and_server_errors(emulator: str, ec: Any, ec2: Any) -> None:
    status, _ = http(emulator + "/_emulator/faults", "POST",
                     {"service": "elasticache", "action": "DescribeReplicationGroups", "throttle": 2,
                      "serverError": 1})
    assert status == 200
    for _ in range(2):
        with pytest.raises(ClientError) as e:
            ec.describe_replication_groups()
        assert error_code(e) == "Throttling"
        assert e.value.response["Error"]["Message"] == "Rate exceeded"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as e:
        ec.describe_replication_groups()
    assert error_code(e) == "InternalFailure"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert ec.describe_replication_groups()["ReplicationGroups"] == []
    ec.describe_cache_clusters()  # other actions never matched

    http(emulator + "/_emulator/faults", "POST", {"service": "elasticache", "action": "*", "throttle": 1})
    status, body = raw_call(emulator, "elasticache", {"Action": "DescribeCacheClusters", "Version": "2015-02-02"})
    assert status == 400
    assert "<ErrorResponse" in body and "<Type>Sender</Type><Code>Throttling</Code>" in body
    assert "<Message>Rate exceeded</Message>" in body and "<RequestId>" in body

    http(emulator + "/_emulator/faults", "POST", {"service": "ec2", "action": "DescribeVpcs", "throttle": 1})
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs()
    assert error_code(e) == "RequestLimitExceeded"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503

    sm = client(emulator, "secretsmanager")
    http(emulator + "/_emulator/faults", "POST", {"service": "secretsmanager", "action": "*", "throttle": 1,
                                                  "serverError": 1})
    with pytest.raises(ClientError) as e:
        sm.list_secrets()
    assert error_code(e) == "ThrottlingException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as e:
        sm.list_secrets()
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    sm.create_secret(Name="s", SecretString="v")

    http(emulator + "/_emulator/faults", "POST", {"service": "*", "action": "ListSecrets", "latencyMs": 300})
    start = time.time()
    sm.list_secrets()
    assert time.time() - start >= 0.3
    assert http(emulator + "/_emulator/faults", "DELETE")[0] == 200
    start = time.time()
    sm.list_secrets()
    assert time.time() - start < 0.3


def test_call_counts(emulator: str, ec: Any, ec2: Any) -> None:
    http(emulator + "/_emulator/faults", "POST", {"service": "elasticache", "action": "DescribeReplicationGroups",
                                                  "throttle": 1})
    with pytest.raises(ClientError):
        ec.describe_replication_groups()
    ec.describe_replication_groups()
    ec.describe_replication_groups()
    ec2.describe_security_groups()
    client(emulator, "secretsmanager").list_secrets()
    status, calls = http(emulator + "/_emulator/calls")
    assert status == 200
    assert calls["elasticache:DescribeReplicationGroups"] == 3  # faulted calls count too
    assert calls["ec2:DescribeSecurityGroups"] == 1
    assert calls["secretsmanager:ListSecrets"] == 1
    assert http(emulator + "/_emulator/calls", "DELETE")[0] == 200
    assert http(emulator + "/_emulator/calls")[1] == {}


def test_call_counts_by_access_key(emulator: str, ec: Any) -> None:
    http(emulator + "/_emulator/calls", "DELETE")
    other = boto3.client("elasticache", endpoint_url=emulator, region_name=REGION, aws_access_key_id="testing-standby",
                         aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
    ec.describe_replication_groups()
    ec.describe_replication_groups()
    other.describe_cache_subnet_groups()
    status, by_key = http(emulator + "/_emulator/calls?by=accessKey")
    assert status == 200
    assert by_key == {"testing": {"elasticache:DescribeReplicationGroups": 2},
                      "testing-standby": {"elasticache:DescribeCacheSubnetGroups": 1}}
    assert http(emulator + "/_emulator/calls")[1] == {"elasticache:DescribeCacheSubnetGroups": 1,
                                                     "elasticache:DescribeReplicationGroups": 2}
    assert http(emulator + "/_emulator/calls", "DELETE")[0] == 200
    assert http(emulator + "/_emulator/calls?by=accessKey")[1] == {}


def test_reset_restores_extension_defaults(emulator: str, ec: Any) -> None:
    http(emulator + "/_emulator/config", "POST", {"creatingSeconds": 42, "endpointHost": "127.0.0.1"})
    http(emulator + "/_emulator/faults", "POST", {"throttle": 5})
    http(emulator + "/moto-api/reset", "POST")
    assert http(emulator + "/_emulator/faults")[1] == {"faults": []}
    assert http(emulator + "/_emulator/calls")[1] == {}
    config = http(emulator + "/_emulator/config")[1]
    assert config["creatingSeconds"] == 1 and config["endpointHost"] is None
    assert http(emulator + "/_emulator/config", "POST", {"nope": 1})[0] == 400
    assert ec.describe_replication_groups()["ReplicationGroups"] == []


# ---------------------------------------------------------------------------
# cache clusters, cluster mode, endpoints, pagination


def test_describe_cache_clusters_versions_and_ids(emulator: str, ec: Any) -> None:
    fast(emulator)
    with pytest.raises(ClientError) as e:  # no Redis OSS 7.2 on ElastiCache (B9)
        create_rg(ec, "r72", EngineVersion="7.2", NumCacheClusters=1, AutomaticFailoverEnabled=False)
    assert error_code(e) == "InvalidParameterCombination"
    create_rg(ec, "r72", Engine="valkey", EngineVersion="7.2", NumCacheClusters=1, AutomaticFailoverEnabled=False)
    create_rg(ec, "r71", EngineVersion="7.1", NumCacheClusters=1, AutomaticFailoverEnabled=False)
    create_rg(ec, "v80", Engine="valkey", EngineVersion="8.0", NumCacheClusters=None, NumNodeGroups=2,
              ReplicasPerNodeGroup=1)
    clusters = ec.describe_cache_clusters(ShowCacheNodeInfo=True)["CacheClusters"]
    by_id = {c["CacheClusterId"]: c for c in clusters}
    assert by_id["r72-001"]["EngineVersion"] == "7.2.4"
    assert by_id["r71-001"]["EngineVersion"] == "7.1.0"
    assert sorted(i for i in by_id if i.startswith("v80")) == [
        "v80-0001-001", "v80-0001-002", "v80-0002-001", "v80-0002-002"]
    v = by_id["v80-0002-002"]
    assert v["EngineVersion"] == "8.0.1" and v["Engine"] == "valkey"
    assert v["ReplicationGroupId"] == "v80"
    assert v["CacheParameterGroup"] == {"CacheParameterGroupName": "default.valkey8.cluster.on",
                                        "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []}
    assert v["CacheNodes"][0]["Endpoint"]["Address"].startswith("v80-0002-002.")
    rg = describe(ec, "v80")
    assert rg["ClusterEnabled"] is True and rg["ClusterMode"] == "enabled"
    assert rg["ConfigurationEndpoint"]["Address"].startswith("clustercfg.v80.")
    assert [n["Slots"] for n in rg["NodeGroups"]] == ["0-8191", "8192-16383"]
    assert all("PrimaryEndpoint" not in n for n in rg["NodeGroups"])
    assert rg["AutomaticFailover"] == "enabled"
    no_nodes = ec.describe_cache_clusters(CacheClusterId="r71-001")["CacheClusters"][0]
    assert "CacheNodes" not in no_nodes
    with pytest.raises(ClientError) as e:
        ec.describe_cache_clusters(CacheClusterId="nope-001")
    assert error_code(e) == "CacheClusterNotFound"


def test_replica_and_shard_changes(emulator: str, ec: Any) -> None:
    fast(emulator)
    create_rg(ec, "plain", NumCacheClusters=2)
    describe(ec, "plain")
    rg = ec.increase_replica_count(ReplicationGroupId="plain", NewReplicaCount=3, ApplyImmediately=True)
    assert rg["ReplicationGroup"]["Status"] == "modifying"
    assert describe(ec, "plain")["MemberClusters"] == ["plain-001", "plain-002", "plain-003", "plain-004"]
    with pytest.raises(ClientError) as e:
        ec.decrease_replica_count(ReplicationGroupId="plain", NewReplicaCount=0, ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"  # automatic failover needs a replica
    ec.decrease_replica_count(ReplicationGroupId="plain", NewReplicaCount=1, ApplyImmediately=True)
    assert describe(ec, "plain")["MemberClusters"] == ["plain-001", "plain-002"]

    create_rg(ec, "sharded", NumCacheClusters=None, NumNodeGroups=2, ReplicasPerNodeGroup=1)
    describe(ec, "sharded")
    ec.modify_replication_group_shard_configuration(ReplicationGroupId="sharded", NodeGroupCount=3,
                                                    ApplyImmediately=True)
    rg = describe(ec, "sharded")
    assert [n["NodeGroupId"] for n in rg["NodeGroups"]] == ["0001", "0002", "0003"]
    assert len(rg["MemberClusters"]) == 6
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group_shard_configuration(ReplicationGroupId="sharded", NodeGroupCount=2,
                                                        ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"
    ec.modify_replication_group_shard_configuration(ReplicationGroupId="sharded", NodeGroupCount=2,
                                                    NodeGroupsToRemove=["0002"], ApplyImmediately=True)
    assert [n["NodeGroupId"] for n in describe(ec, "sharded")["NodeGroups"]] == ["0001", "0003"]
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group_shard_configuration(ReplicationGroupId="plain", NodeGroupCount=2,
                                                        ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"


def test_endpoint_override(emulator: str, ec: Any) -> None:
    fast(emulator, endpointHost="127.0.0.1", endpointPort=6390)
    create_rg(ec, "local")
    create_rg(ec, "local-cluster", NumCacheClusters=None, NumNodeGroups=2, ReplicasPerNodeGroup=1)
    ng = describe(ec, "local")["NodeGroups"][0]
    assert ng["PrimaryEndpoint"] == {"Address": "127.0.0.1", "Port": 6390}
    assert ng["ReaderEndpoint"] == {"Address": "127.0.0.1", "Port": 6390}
    assert describe(ec, "local-cluster")["ConfigurationEndpoint"] == {"Address": "127.0.0.1", "Port": 6390}
    node = ec.describe_cache_clusters(CacheClusterId="local-001", ShowCacheNodeInfo=True)["CacheClusters"][0]
    assert node["CacheNodes"][0]["Endpoint"] == {"Address": "127.0.0.1", "Port": 6390}


def test_pagination(emulator: str, ec: Any) -> None:
    fast(emulator)
    ids = [f"page-{i:02d}" for i in range(25)]
    for rid in ids:
        create_rg(ec, rid, NumCacheClusters=1, AutomaticFailoverEnabled=False)
    first = ec.describe_replication_groups(MaxRecords=20)
    assert len(first["ReplicationGroups"]) == 20 and first["Marker"]
    second = ec.describe_replication_groups(MaxRecords=20, Marker=first["Marker"])
    assert len(second["ReplicationGroups"]) == 5 and "Marker" not in second
    seen = [g["ReplicationGroupId"] for g in first["ReplicationGroups"] + second["ReplicationGroups"]]
    assert seen == ids
    whole = ec.describe_replication_groups()
    assert len(whole["ReplicationGroups"]) == 25 and "Marker" not in whole
    with pytest.raises(ClientError) as e:
        ec.describe_replication_groups(MaxRecords=5)
    assert error_code(e) == "InvalidParameterValue"
    pages = list(ec.get_paginator("describe_cache_clusters").paginate(PaginationConfig={"PageSize": 20}))
    assert [len(p["CacheClusters"]) for p in pages] == [20, 5]


def test_unimplemented_action_fails_fast_and_says_so(emulator: str) -> None:
    ec = boto3.client("elasticache", endpoint_url=emulator, region_name=REGION, aws_access_key_id="testing",
                      aws_secret_access_key="testing")  # default retries: 501 is not retried
    with pytest.raises(ClientError) as e:
        ec.describe_cache_security_groups()
    assert error_code(e) == "NotImplemented"
    assert "elasticache:DescribeCacheSecurityGroups" in e.value.response["Error"]["Message"]
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert e.value.response["ResponseMetadata"]["RetryAttempts"] == 0


def test_engine_versions_and_default_parameter_groups(ec: Any) -> None:
    versions = ec.describe_cache_engine_versions(Engine="valkey")["CacheEngineVersions"]
    assert [(v["EngineVersion"], v["CacheParameterGroupFamily"]) for v in versions] == [
        ("7.2", "valkey7"), ("8.0", "valkey8"), ("8.1", "valkey8"), ("8.2", "valkey8"), ("9.0", "valkey9"),
        ("9.1", "valkey9")]
    redis = ec.describe_cache_engine_versions(Engine="redis")["CacheEngineVersions"]
    assert [(v["EngineVersion"], v["CacheParameterGroupFamily"]) for v in redis] == [
        ("4.0.10", "redis4.0"), ("5.0.6", "redis5.0"), ("6.0", "redis6.x"), ("6.2", "redis6.x"), ("7.0", "redis7"),
        ("7.1", "redis7")]
    default = ec.describe_cache_engine_versions(Engine="valkey", DefaultOnly=True)["CacheEngineVersions"]
    assert [v["EngineVersion"] for v in default] == ["8.1"]
    create_rg(ec, "valkey91", Engine="valkey", EngineVersion="9.1")
    member = ec.describe_cache_clusters(CacheClusterId="valkey91-001")["CacheClusters"][0]
    assert member["EngineVersion"] == "9.1.0"
    for engine, version in [("redis", "7.2"), ("redis", "5.0"), ("valkey", "7.0"), ("valkey", "9.9")]:
        with pytest.raises(ClientError) as e:
            create_rg(ec, "badversion", Engine=engine, EngineVersion=version)
        assert error_code(e) == "InvalidParameterCombination", (engine, version)
    names = [g["CacheParameterGroupName"] for g in ec.describe_cache_parameter_groups()["CacheParameterGroups"]]
    assert {"default.redis7", "default.redis7.cluster.on", "default.valkey8"} <= set(names)
    with pytest.raises(ClientError) as e:
        ec.delete_cache_parameter_group(CacheParameterGroupName="default.redis7")
    assert error_code(e) == "InvalidCacheParameterGroupState"


# ---------------------------------------------------------------------------
# log delivery (E15), CloudWatch and CloudWatch Logs


def slow_log(group: str, **kw: Any) -> dict[str, Any]:
    cfg = {"LogType": "slow-log", "DestinationType": "cloudwatch-logs",
           "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": group}}, "LogFormat": "json"}
    cfg.update(kw)
    return cfg


def test_log_delivery_create_and_describe(emulator: str, ec: Any) -> None:
    logs = client(emulator, "logs")
    logs.create_log_group(logGroupName="/rc/orders/slow")
    rg = create_rg(ec, "logged", LogDeliveryConfigurations=[slow_log("/rc/orders/slow")])
    assert [c["Status"] for c in rg["LogDeliveryConfigurations"]] == ["enabling"]
    rg = wait_status(ec, "logged", "available")
    assert rg["LogDeliveryConfigurations"] == [{
        "LogType": "slow-log", "DestinationType": "cloudwatch-logs",
        "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "/rc/orders/slow"}},
        "LogFormat": "json", "Status": "active", "Message": ""}]
    cc = ec.describe_cache_clusters(CacheClusterId="logged-001")["CacheClusters"][0]
    assert cc["ReplicationGroupLogDeliveryEnabled"] is True
    assert [c["LogType"] for c in cc["LogDeliveryConfigurations"]] == ["slow-log"]
    assert describe(ec, "logged")["PendingModifiedValues"] == {}


def test_log_delivery_rules(emulator: str, ec: Any) -> None:
    with pytest.raises(ClientError) as e:  # the log group must exist
        create_rg(ec, "nolog", LogDeliveryConfigurations=[slow_log("/rc/missing")])
    assert error_code(e) == "InvalidParameterValue"
    assert "/rc/missing" in e.value.response["Error"]["Message"]
    client(emulator, "logs").create_log_group(logGroupName="/rc/x")
    with pytest.raises(ClientError) as e:  # one configuration per LogType
        create_rg(ec, "nolog", LogDeliveryConfigurations=[slow_log("/rc/x"), slow_log("/rc/x", LogFormat="text")])
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "nolog", LogDeliveryConfigurations=[slow_log("/rc/x", LogFormat="xml")])
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:  # destination details must match the destination type
        create_rg(ec, "nolog", LogDeliveryConfigurations=[slow_log("/rc/x", DestinationType="kinesis-firehose")])
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        describe(ec, "nolog")
    assert error_code(e) == "ReplicationGroupNotFoundFault"


def test_log_delivery_modify_adds_and_removes(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=0.5)
    logs = client(emulator, "logs")
    for group in ("/rc/slow", "/rc/engine"):
        logs.create_log_group(logGroupName=group)
    create_rg(ec, "mlog", LogDeliveryConfigurations=[slow_log("/rc/slow")])
    wait_status(ec, "mlog", "available")
    with pytest.raises(ClientError) as e:  # engine-log to a missing group: nothing changes
        ec.modify_replication_group(ReplicationGroupId="mlog", ApplyImmediately=True, LogDeliveryConfigurations=[
            slow_log("/rc/missing", LogType="engine-log", Enabled=True)])
    assert error_code(e) == "InvalidParameterValue"
    assert describe(ec, "mlog")["Status"] == "available"

    rg = ec.modify_replication_group(ReplicationGroupId="mlog", ApplyImmediately=True, LogDeliveryConfigurations=[
        slow_log("/rc/engine", LogType="engine-log", LogFormat="text", Enabled=True)])["ReplicationGroup"]
    assert rg["Status"] == "modifying"  # a log-delivery-only change is a modification
    assert {c["LogType"]: c["Status"] for c in rg["LogDeliveryConfigurations"]} == {
        "engine-log": "enabling", "slow-log": "active"}
    assert [c["LogType"] for c in rg["PendingModifiedValues"]["LogDeliveryConfigurations"]] == ["engine-log"]
    rg = wait_status(ec, "mlog", "available")
    by_type = {c["LogType"]: c for c in rg["LogDeliveryConfigurations"]}
    assert set(by_type) == {"engine-log", "slow-log"}
    assert by_type["engine-log"]["DestinationDetails"] == {"CloudWatchLogsDetails": {"LogGroup": "/rc/engine"}}
    assert by_type["engine-log"]["LogFormat"] == "text" and by_type["engine-log"]["Status"] == "active"
    assert rg["PendingModifiedValues"] == {}

    with pytest.raises(ClientError) as e:  # same configuration again: nothing to modify
        ec.modify_replication_group(ReplicationGroupId="mlog", ApplyImmediately=True,
                                    LogDeliveryConfigurations=[slow_log("/rc/slow", Enabled=True)])
    assert error_code(e) == "InvalidParameterCombination"

    rg = ec.modify_replication_group(ReplicationGroupId="mlog", ApplyImmediately=True, LogDeliveryConfigurations=[
        {"LogType": "slow-log", "Enabled": False}])["ReplicationGroup"]
    assert rg["Status"] == "modifying"
    assert {c["LogType"]: c["Status"] for c in rg["LogDeliveryConfigurations"]}["slow-log"] == "disabling"
    rg = wait_status(ec, "mlog", "available")
    assert [c["LogType"] for c in rg["LogDeliveryConfigurations"]] == ["engine-log"]
    cc = ec.describe_cache_clusters(CacheClusterId="mlog-001")["CacheClusters"][0]
    assert [c["LogType"] for c in cc["LogDeliveryConfigurations"]] == ["engine-log"]


def test_cloudwatch_alarms_and_log_groups(emulator: str) -> None:
    cw = client(emulator, "cloudwatch")  # boto3 speaks AWS JSON 1.0 to CloudWatch
    cw.put_metric_alarm(AlarmName="rc-orders-cpu", Namespace="AWS/ElastiCache", MetricName="EngineCPUUtilization",
                        Statistic="Average", Period=60, EvaluationPeriods=3, Threshold=80.0,
                        ComparisonOperator="GreaterThanThreshold",
                        AlarmActions=["arn:aws:sns:us-east-1:123456789012:alerts"],
                        Dimensions=[{"Name": "CacheClusterId", "Value": "orders-001"}])
    cw.put_metric_alarm(AlarmName="other", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average",
                        Period=60, EvaluationPeriods=1, Threshold=1.0, ComparisonOperator="GreaterThanThreshold")
    alarms = cw.describe_alarms(AlarmNamePrefix="rc-orders")["MetricAlarms"]
    assert [a["AlarmName"] for a in alarms] == ["rc-orders-cpu"]
    assert alarms[0]["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:alerts"]
    assert alarms[0]["Dimensions"] == [{"Name": "CacheClusterId", "Value": "orders-001"}]
    # CloudWatch still answers the query protocol, which SDKs before 2.4x speak
    status, body = raw_call(emulator, "monitoring", {"Action": "DescribeAlarms", "Version": "2010-08-01",
                                                     "AlarmNamePrefix": "rc-orders"})
    assert status == 200 and "<AlarmName>rc-orders-cpu</AlarmName>" in body and "<AlarmName>other<" not in body
    status, body = raw_call(emulator, "monitoring", {"Action": "DeleteAlarms", "Version": "2010-08-01",
                                                     "AlarmNames.member.1": "rc-orders-cpu"})
    assert status == 200
    assert cw.describe_alarms(AlarmNamePrefix="rc-orders")["MetricAlarms"] == []

    logs = client(emulator, "logs")
    logs.create_log_group(logGroupName="/rc/orders/slow", tags={"owner": "team-a"})
    logs.create_log_group(logGroupName="/other")
    groups = logs.describe_log_groups(logGroupNamePrefix="/rc/")["logGroups"]
    assert [g["logGroupName"] for g in groups] == ["/rc/orders/slow"]
    assert logs.list_tags_log_group(logGroupName="/rc/orders/slow")["tags"] == {"owner": "team-a"}
    with pytest.raises(ClientError) as e:
        logs.create_log_group(logGroupName="/rc/orders/slow")
    assert error_code(e) == "ResourceAlreadyExistsException"
    logs.delete_log_group(logGroupName="/rc/orders/slow")
    assert logs.describe_log_groups(logGroupNamePrefix="/rc/")["logGroups"] == []
    with pytest.raises(ClientError) as e:
        logs.delete_log_group(logGroupName="/rc/orders/slow")
    assert error_code(e) == "ResourceNotFoundException"
    calls = http(emulator + "/_emulator/calls")[1]
    assert calls["monitoring:PutMetricAlarm"] == 2 and calls["logs:CreateLogGroup"] == 3


def cbor_client(url: str, service: str, tmp_path: Path, key_id: str = "testing", secret: str = "testing") -> Any:
    """A botocore client that speaks Smithy RPC v2 CBOR, as the AWS SDK for Java 2.4x does to CloudWatch:
    botocore prefers JSON when a model offers both, so the test gives it the service model with CBOR alone."""
    import gzip
    import botocore.session
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    model = loader.load_service_model(service, "service-2")
    version = model["metadata"]["apiVersion"]
    model["metadata"]["protocols"] = ["smithy-rpc-v2-cbor"]
    model["metadata"]["protocol"] = "smithy-rpc-v2-cbor"
    target = tmp_path / service / version
    target.mkdir(parents=True, exist_ok=True)
    (target / "service-2.json").write_text(json.dumps(model))
    fresh = botocore.session.Session()
    fresh.get_component("data_loader").search_paths.insert(0, str(tmp_path))
    return fresh.create_client(service, endpoint_url=url, region_name=REGION, aws_access_key_id=key_id,
                               aws_secret_access_key=secret,
                               config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))


def test_cloudwatch_answers_smithy_rpc_v2_cbor(emulator: str, tmp_path: Path) -> None:
    # E65: the AWS SDK for Java 2.4x speaks Smithy RPC v2 CBOR to CloudWatch
    cw = cbor_client(emulator, "cloudwatch", tmp_path)
    sent: list[Any] = []
    cw.meta.events.register("before-send", lambda request, **kw: sent.append(request))
    cw.put_metric_alarm(AlarmName="rc-cbor-cpu", Namespace="AWS/ElastiCache", MetricName="EngineCPUUtilization",
                        Statistic="Average", Period=60, EvaluationPeriods=3, Threshold=80.5,
                        ComparisonOperator="GreaterThanThreshold", Tags=[{"Key": "owner", "Value": "rc"}],
                        Dimensions=[{"Name": "CacheClusterId", "Value": "cbor-001"}])
    assert sent[0].url.endswith("/service/GraniteServiceVersion20100801/operation/PutMetricAlarm")
    assert sent[0].headers["smithy-protocol"] == b"rpc-v2-cbor" or sent[0].headers["smithy-protocol"] == "rpc-v2-cbor"
    alarms = cw.describe_alarms(AlarmNamePrefix="rc-cbor")["MetricAlarms"]
    assert [a["AlarmName"] for a in alarms] == ["rc-cbor-cpu"]
    assert alarms[0]["Threshold"] == 80.5 and alarms[0]["EvaluationPeriods"] == 3
    assert alarms[0]["Dimensions"] == [{"Name": "CacheClusterId", "Value": "cbor-001"}]
    # timestamps travel as CBOR tag 1 and come back as datetimes
    assert alarms[0]["AlarmConfigurationUpdatedTimestamp"].year >= 2024
    # the same alarm seen through JSON 1.0: one store, two wire protocols
    assert [a["AlarmName"] for a in client(emulator, "cloudwatch").describe_alarms(
        AlarmNamePrefix="rc-cbor")["MetricAlarms"]] == ["rc-cbor-cpu"]
    # an error comes back as a CBOR map with __type, which the client reads as the error code
    with pytest.raises(ClientError) as e:
        cw.put_metric_alarm(AlarmName="rc-cbor-bad", Namespace="AWS/ElastiCache", MetricName="CPU",
                            ExtendedStatistic="x99", Period=60, EvaluationPeriods=1, Threshold=1.0,
                            ComparisonOperator="GreaterThanThreshold")
    assert error_code(e) == "InvalidParameterValue"
    assert "x99" in e.value.response["Error"]["Message"]
    # injected faults take the protocol's shape too
    http(emulator + "/_emulator/faults", "POST", {"service": "monitoring", "action": "DescribeAlarms", "throttle": 1})
    with pytest.raises(ClientError) as e:
        cw.describe_alarms()
    assert error_code(e) == "ThrottlingException"
    cw.delete_alarms(AlarmNames=["rc-cbor-cpu"])
    assert cw.describe_alarms(AlarmNamePrefix="rc-cbor")["MetricAlarms"] == []
    calls = http(emulator + "/_emulator/calls")[1]
    assert calls["monitoring:PutMetricAlarm"] == 2 and calls["monitoring:DeleteAlarms"] == 1


def test_secret_value_follows_awscurrent_after_a_stage_move(emulator):
    sm = client(emulator, "secretsmanager")
    sm.create_secret(Name="rot", SecretString="old")
    sm.put_secret_value(SecretId="rot", SecretString="new", VersionStages=["AWSPENDING"])
    assert sm.get_secret_value(SecretId="rot")["SecretString"] == "old"
    stages = sm.describe_secret(SecretId="rot")["VersionIdsToStages"]
    pending = next(k for k, v in stages.items() if "AWSPENDING" in v)
    current = next(k for k, v in stages.items() if "AWSCURRENT" in v)
    sm.update_secret_version_stage(SecretId="rot", VersionStage="AWSCURRENT", MoveToVersionId=pending, RemoveFromVersionId=current)
    assert sm.get_secret_value(SecretId="rot")["SecretString"] == "new"


# ---------------------------------------------------------------------------
# C6: moto's IAM access control, with CloudWatch's IAM prefix


def test_iam_access_control_names_actions_as_iam_does(emulator: str, tmp_path: Path) -> None:
    iam = client(emulator, "iam")
    iam.create_user(UserName="ops")
    iam.put_user_policy(UserName="ops", PolicyName="p", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Resource": "*",
                       "Action": ["cloudwatch:DescribeAlarms", "elasticache:DescribeReplicationGroups"]}]}))
    key = iam.create_access_key(UserName="ops")["AccessKey"]

    def as_ops(service: str) -> Any:
        return boto3.client(service, endpoint_url=emulator, region_name=REGION,
                            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"],
                            config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))

    status, _ = http(emulator + "/moto-api/reset-auth", "POST", 0)
    assert status == 200
    try:
        as_ops("cloudwatch").describe_alarms()  # signed as "monitoring", granted as cloudwatch:DescribeAlarms
        as_ops("elasticache").describe_replication_groups()
        with pytest.raises(ClientError) as e:
            as_ops("cloudwatch").delete_alarms(AlarmNames=["x"])
        # moto answers IAM's XML error, which botocore cannot parse for CloudWatch's protocol: the status tells
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        with pytest.raises(ClientError) as e:
            as_ops("elasticache").describe_cache_clusters()  # an extension's action, checked all the same
        assert error_code(e) == "AccessDenied"
        with pytest.raises(ClientError) as e:
            client(emulator, "elasticache").describe_replication_groups()  # unknown key
        assert error_code(e) == "InvalidClientTokenId"
        # E65: a CBOR call is checked the same way, and its refusal reads as a CBOR error
        cw = cbor_client(emulator, "cloudwatch", tmp_path, key["AccessKeyId"], key["SecretAccessKey"])
        assert cw.describe_alarms()["MetricAlarms"] == []
        with pytest.raises(ClientError) as e:
            cw.delete_alarms(AlarmNames=["x"])
        assert error_code(e) == "AccessDenied"
        with pytest.raises(ClientError) as e:
            cbor_client(emulator, "cloudwatch", tmp_path, key["AccessKeyId"], "not-the-secret").describe_alarms()
        assert error_code(e) == "SignatureDoesNotMatch"
    finally:
        status, _ = http(emulator + "/moto-api/reset-auth", "POST", float("inf"))
        assert status == 200


# ---------------------------------------------------------------------------
# E31: data tiering, network type and IP discovery; K1: KMS keys


def dual_stack_network(ec: Any, ec2: Any) -> dict[str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]
    v6 = vpc["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]  # a /56
    blocks = list(ipaddress.ip_network(v6).subnets(new_prefix=64))
    subnets = [ec2.create_subnet(VpcId=vpc["VpcId"], CidrBlock=f"10.1.{i}.0/24", Ipv6CidrBlock=str(blocks[i]),
                                 AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    ec.create_cache_subnet_group(CacheSubnetGroupName="dual", CacheSubnetGroupDescription="d", SubnetIds=subnets)
    return {"vpc": vpc["VpcId"], "subnet_group": "dual", "ipv6": v6}


def test_data_tiering_only_and_always_on_r6gd(ec: Any) -> None:
    with pytest.raises(ClientError) as e:
        create_rg(ec, "tiered", CacheNodeType="cache.r7g.large", DataTieringEnabled=True)
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "tiered", CacheNodeType="cache.r6gd.xlarge")
    assert error_code(e) == "InvalidParameterCombination"
    rg = create_rg(ec, "tiered", CacheNodeType="cache.r6gd.xlarge", DataTieringEnabled=True)
    assert rg["DataTiering"] == "enabled"
    assert describe(ec, "tiered")["DataTiering"] == "enabled"
    assert create_rg(ec, "plain")["DataTiering"] == "disabled"


def durable_rg(ec: Any, rid: str, **kw: Any) -> dict[str, Any]:
    """A group that meets durability's preconditions (E46), with the changes in kw."""
    args: dict[str, Any] = {"Engine": "valkey", "EngineVersion": "9.0", "CacheNodeType": "cache.r7g.large",
                            "NumCacheClusters": None, "NumNodeGroups": 2, "ReplicasPerNodeGroup": 1,
                            "ClusterMode": "enabled", "MultiAZEnabled": True, "TransitEncryptionEnabled": True,
                            "Durability": "sync"}
    args.update(kw)
    return create_rg(ec, rid, **args)


def test_durability_needs_valkey_9_cluster_mode_multi_az_tls_and_a_durable_family(ec: Any) -> None:
    refusals = {
        "version": dict(EngineVersion="8.2"),
        "engine": dict(Engine="redis", EngineVersion="7.1"),
        "cluster mode": dict(NumNodeGroups=None, ClusterMode=None, NumCacheClusters=2, AutomaticFailoverEnabled=True),
        "multi-az": dict(MultiAZEnabled=False),
        "replicas": dict(ReplicasPerNodeGroup=0, MultiAZEnabled=False, AutomaticFailoverEnabled=True),
        "tls": dict(TransitEncryptionEnabled=False),
        "family": dict(CacheNodeType="cache.t4g.small"),
        "data tiering": dict(CacheNodeType="cache.r6gd.xlarge", DataTieringEnabled=True),
    }
    for what, kw in refusals.items():
        with pytest.raises(ClientError) as e:
            durable_rg(ec, "durable", **kw)
        assert error_code(e) == "InvalidParameterCombination", what
    with pytest.raises(ClientError) as e:
        durable_rg(ec, "durable", Durability="eventually")
    assert error_code(e) == "InvalidParameterValue"
    # none of the refused calls left a group behind
    assert ec.describe_replication_groups()["ReplicationGroups"] == []


def test_durability_turns_encryption_at_rest_on_and_is_reported(ec: Any) -> None:
    rg = durable_rg(ec, "durable", AtRestEncryptionEnabled=False)
    assert (rg["Durability"], rg["EffectiveDurability"], rg["StorageEncryptionType"]) == ("sync", "sync", "sse-elasticache")
    assert describe(ec, "durable")["EffectiveDurability"] == "sync"
    assert durable_rg(ec, "fast", Durability="async")["EffectiveDurability"] == "async"
    # default and disabled mean no durability (user guide, Configuring durability); so does leaving it out
    plain = durable_rg(ec, "plain", Durability="default")
    assert (plain["EffectiveDurability"], plain["StorageEncryptionType"]) == ("disabled", "none")
    assert "Durability" not in create_rg(ec, "old")
    assert create_rg(ec, "old2")["EffectiveDurability"] == "disabled"


def test_durability_switches_on_a_running_group_that_meets_the_requirements(ec: Any, emulator: str) -> None:
    fast(emulator)
    durable_rg(ec, "durable", Durability="async")
    wait_status(ec, "durable", "available")
    rg = ec.modify_replication_group(ReplicationGroupId="durable", Durability="sync", ApplyImmediately=True)["ReplicationGroup"]
    assert rg["EffectiveDurability"] == "sync"
    assert wait_status(ec, "durable", "available")["EffectiveDurability"] == "sync"
    ec.modify_replication_group(ReplicationGroupId="durable", Durability="disabled", ApplyImmediately=True)
    rg = wait_status(ec, "durable", "available")
    assert (rg["EffectiveDurability"], rg["StorageEncryptionType"]) == ("disabled", "sse-elasticache")
    # a group without durability can get it, and one that does not meet the requirements cannot
    durable_rg(ec, "later", Durability=None)
    wait_status(ec, "later", "available")
    ec.modify_replication_group(ReplicationGroupId="later", Durability="async", ApplyImmediately=True)
    assert wait_status(ec, "later", "available")["EffectiveDurability"] == "async"
    create_rg(ec, "old", Engine="valkey", EngineVersion="8.2", TransitEncryptionEnabled=True)
    wait_status(ec, "old", "available")
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="old", Durability="sync", ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"
    assert describe(ec, "old")["EffectiveDurability"] == "disabled"


def test_network_type_needs_fitting_subnets_engine_and_nitro(ec: Any, ec2: Any) -> None:
    ipv4_only = network(ec, ec2)
    dual = dual_stack_network(ec, ec2)
    groups = {g["CacheSubnetGroupName"]: g for g in ec.describe_cache_subnet_groups()["CacheSubnetGroups"]}
    assert sorted(groups["dual"]["SupportedNetworkTypes"]) == ["dual_stack", "ipv4"]
    assert groups[ipv4_only["subnet_group"]]["SupportedNetworkTypes"] == ["ipv4"]
    with pytest.raises(ClientError) as e:
        create_rg(ec, "v6", CacheSubnetGroupName=ipv4_only["subnet_group"], NetworkType="dual_stack")
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "v6", CacheSubnetGroupName="dual", NetworkType="ipv6")  # dual-stack subnets are not IPv6-only
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "v6", CacheSubnetGroupName="dual", NetworkType="dual_stack", EngineVersion="6.0")
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "v6", CacheSubnetGroupName="dual", NetworkType="dual_stack", CacheNodeType="cache.m4.large")
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "v6", CacheSubnetGroupName="dual", IpDiscovery="ipv6")  # ipv4 network
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "v6", CacheSubnetGroupName="dual", NetworkType="ipv5")
    assert error_code(e) == "InvalidParameterValue"
    rg = create_rg(ec, "v6", CacheSubnetGroupName="dual", NetworkType="dual_stack", IpDiscovery="ipv6")
    assert (rg["NetworkType"], rg["IpDiscovery"]) == ("dual_stack", "ipv6")
    assert create_rg(ec, "v4")["NetworkType"] == "ipv4"


def test_ip_discovery_changes_on_a_running_group(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator)
    dual_stack_network(ec, ec2)
    create_rg(ec, "v6", CacheSubnetGroupName="dual", NetworkType="dual_stack", IpDiscovery="ipv4")
    create_rg(ec, "v4")
    wait_status(ec, "v6", "available")
    wait_status(ec, "v4", "available")
    ec.modify_replication_group(ReplicationGroupId="v6", IpDiscovery="ipv6", ApplyImmediately=True)
    assert wait_status(ec, "v6", "available")["IpDiscovery"] == "ipv6"
    assert describe(ec, "v6")["NetworkType"] == "dual_stack"
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="v4", IpDiscovery="ipv6", ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"


def test_ipv6_ingress_rules_round_trip(ec2: Any) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    sg = ec2.create_security_group(GroupName="v6", Description="v6", VpcId=vpc)["GroupId"]
    perm = {"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "Ipv6Ranges": [{"CidrIpv6": "2001:db8:1234::/56"}]}
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[perm])
    got = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
    assert [r["CidrIpv6"] for p in got for r in p.get("Ipv6Ranges", [])] == ["2001:db8:1234::/56"]
    assert [r for p in got for r in p.get("IpRanges", [])] == []
    ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[perm])
    got = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"]
    assert [r for p in got for r in p.get("Ipv6Ranges", [])] == []


def test_kms_describe_key_reports_state_usage_and_spec(emulator: str) -> None:
    kms = client(emulator, "kms")
    key = kms.create_key(Description="cache key")["KeyMetadata"]
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    assert (meta["KeyState"], meta["KeyUsage"], meta["KeySpec"]) == ("Enabled", "ENCRYPT_DECRYPT", "SYMMETRIC_DEFAULT")
    kms.disable_key(KeyId=key["KeyId"])
    assert kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]["KeyState"] == "Disabled"
    signing = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="RSA_2048")["KeyMetadata"]
    assert (signing["KeyUsage"], signing["KeySpec"]) == ("SIGN_VERIFY", "RSA_2048")
    with pytest.raises(ClientError) as e:
        kms.describe_key(KeyId="11111111-2222-3333-4444-555555555555")
    assert error_code(e) == "NotFoundException"
