"""E32..E36: ElastiCache Serverless caches (CreateServerlessCache and friends)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from test_emulator import client, emulator, error_code, fast, http, reset  # noqa: F401  (reset: autouse)


@pytest.fixture
def ec(emulator: str) -> Any:  # noqa: F811
    return client(emulator, "elasticache")


@pytest.fixture
def net(emulator: str) -> dict[str, Any]:  # noqa: F811
    ec2 = client(emulator, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"us-east-1{az}")
               ["Subnet"]["SubnetId"] for i, az in enumerate("ab")]
    sg = ec2.create_security_group(GroupName="cache", Description="cache", VpcId=vpc)["GroupId"]
    other_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    other_sg = ec2.create_security_group(GroupName="other", Description="o", VpcId=other_vpc)["GroupId"]
    return {"subnets": subnets, "sg": sg, "other_sg": other_sg, "ec2": ec2}


def create(ec: Any, net: dict[str, Any], name: str, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = dict(ServerlessCacheName=name, Engine="valkey", MajorEngineVersion="8",
                                SubnetIds=net["subnets"], SecurityGroupIds=[net["sg"]])
    args.update(kw)
    return ec.create_serverless_cache(**args)["ServerlessCache"]


def wait(ec: Any, name: str, status: str, timeout: float = 8.0) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        c = ec.describe_serverless_caches(ServerlessCacheName=name)["ServerlessCaches"][0]
        if c["Status"] == status:
            return c
        if time.time() > deadline:
            raise AssertionError(f"{name} stayed {c['Status']}, wanted {status}")
        time.sleep(0.1)


def test_create_then_available_with_both_endpoints(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    fast(emulator, creatingSeconds=0.5)
    c = create(ec, net, "Web-Sessions", Description="bursty", SnapshotRetentionLimit=3, DailySnapshotTime="04:30",
               KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/abc",
               CacheUsageLimits={"DataStorage": {"Maximum": 10, "Unit": "GB"}, "ECPUPerSecond": {"Maximum": 5000}},
               Tags=[{"Key": "team", "Value": "web"}])
    assert c["ServerlessCacheName"] == "web-sessions"  # stored lowercase
    assert c["Status"] == "creating" and "Endpoint" not in c
    c = wait(ec, "web-sessions", "available")
    assert c["Endpoint"]["Port"] == 6379 and c["ReaderEndpoint"]["Port"] == 6380
    assert c["Endpoint"]["Address"].endswith(".serverless.use1.cache.amazonaws.com")
    assert c["CacheUsageLimits"] == {"DataStorage": {"Maximum": 10, "Unit": "GB"}, "ECPUPerSecond": {"Maximum": 5000}}
    assert c["SubnetIds"] == net["subnets"] and c["SecurityGroupIds"] == [net["sg"]]
    assert c["SnapshotRetentionLimit"] == 3 and c["DailySnapshotTime"] == "04:30" and c["FullEngineVersion"] == "8.0"
    assert ec.list_tags_for_resource(ResourceName=c["ARN"])["TagList"] == [{"Key": "team", "Value": "web"}]
    with pytest.raises(ClientError) as e:
        create(ec, net, "web-sessions")
    assert error_code(e) == "ServerlessCacheAlreadyExistsFault"


@pytest.mark.parametrize("limits", [
    {"DataStorage": {"Maximum": 0, "Unit": "GB"}},
    {"DataStorage": {"Maximum": 5001, "Unit": "GB"}},
    {"ECPUPerSecond": {"Maximum": 999}},
    {"ECPUPerSecond": {"Maximum": 15_000_001}},
    {"DataStorage": {"Maximum": 5, "Minimum": 6, "Unit": "GB"}},
])
def test_usage_limits_out_of_range_are_refused(ec: Any, net: dict[str, Any], limits: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as e:
        create(ec, net, "limits", CacheUsageLimits=limits)
    assert error_code(e) in ("InvalidParameterValue", "InvalidParameterCombination")
    assert ec.describe_serverless_caches()["ServerlessCaches"] == []


def test_validation_of_network_engine_and_snapshots(ec: Any, net: dict[str, Any]) -> None:
    cases = [
        (dict(SubnetIds=["subnet-00000000"]), "InvalidParameterValue"),
        (dict(SecurityGroupIds=["sg-00000000"]), "InvalidParameterValue"),
        (dict(SecurityGroupIds=[net["other_sg"]]), "InvalidParameterCombination"),
        (dict(Engine="redis", MajorEngineVersion="8"), "InvalidParameterValue"),
        (dict(SnapshotRetentionLimit=36), "InvalidParameterValue"),
        (dict(DailySnapshotTime="4:30am"), "InvalidParameterValue"),
        (dict(ServerlessCacheName="bad--name"), "InvalidParameterValue"),
        (dict(UserGroupId="nobody"), "UserGroupNotFound"),
    ]
    for kw, code in cases:
        with pytest.raises(ClientError) as e:
            create(ec, net, "checked", **kw)
        assert error_code(e) == code, kw
    with pytest.raises(ClientError) as e:
        ec.describe_serverless_caches(ServerlessCacheName="nope")
    assert error_code(e) == "ServerlessCacheNotFoundFault"


def test_describe_pages_all_caches(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    fast(emulator)
    for i in range(7):
        create(ec, net, f"c{i}")
    seen, token, pages = [], None, 0
    while True:
        kw = {"MaxResults": 3}
        if token:
            kw["NextToken"] = token
        page = ec.describe_serverless_caches(**kw)
        seen += [c["ServerlessCacheName"] for c in page["ServerlessCaches"]]
        pages += 1
        token = page.get("NextToken")
        if not token:
            break
    assert seen == [f"c{i}" for i in range(7)] and pages == 3


def test_quota(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    http(emulator + "/_emulator/config", "POST", {"maxServerlessCaches": 1})
    try:
        create(ec, net, "first")
        with pytest.raises(ClientError) as e:
            create(ec, net, "second")
        assert error_code(e) == "ServerlessCacheQuotaForCustomerExceededFault"
    finally:
        http(emulator + "/_emulator/config", "POST", {"maxServerlessCaches": 40})


def test_modify_then_delete_with_final_snapshot(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    fast(emulator, creatingSeconds=0.3, modifyingSeconds=0.5, deletingSeconds=0.5)
    create(ec, net, "app")
    with pytest.raises(ClientError) as e:  # still creating
        ec.modify_serverless_cache(ServerlessCacheName="app", Description="x")
    assert error_code(e) == "InvalidServerlessCacheStateFault"
    wait(ec, "app", "available")
    c = ec.modify_serverless_cache(ServerlessCacheName="app", CacheUsageLimits={"ECPUPerSecond": {"Maximum": 2000}},
                                   SnapshotRetentionLimit=1, DailySnapshotTime="02:00")["ServerlessCache"]
    assert c["Status"] == "modifying" and c["CacheUsageLimits"]["ECPUPerSecond"]["Maximum"] == 2000
    with pytest.raises(ClientError) as e:  # a security group in use cannot be deleted
        net["ec2"].delete_security_group(GroupId=net["sg"])
    assert error_code(e) == "DependencyViolation"
    with pytest.raises(ClientError) as e:
        ec.delete_serverless_cache(ServerlessCacheName="app")
    assert error_code(e) == "InvalidServerlessCacheStateFault"
    wait(ec, "app", "available")
    with pytest.raises(ClientError) as e:
        ec.modify_serverless_cache(ServerlessCacheName="app", Engine="valkey", MajorEngineVersion="7")
    assert error_code(e) == "InvalidParameterCombination"
    c = ec.delete_serverless_cache(ServerlessCacheName="app", FinalSnapshotName="app-final")["ServerlessCache"]
    assert c["Status"] == "deleting"
    snap = ec.describe_serverless_cache_snapshots(ServerlessCacheSnapshotName="app-final")["ServerlessCacheSnapshots"][0]
    assert snap["ServerlessCacheConfiguration"]["ServerlessCacheName"] == "app"
    deadline = time.time() + 5
    while ec.describe_serverless_caches()["ServerlessCaches"] and time.time() < deadline:
        time.sleep(0.1)
    with pytest.raises(ClientError) as e:
        ec.describe_serverless_caches(ServerlessCacheName="app")
    assert error_code(e) == "ServerlessCacheNotFoundFault"
    with pytest.raises(ClientError) as e:
        ec.delete_serverless_cache(ServerlessCacheName="app")
    assert error_code(e) == "ServerlessCacheNotFoundFault"


def test_the_bridge_address_stands_in_for_both_endpoints(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    fast(emulator)
    http(emulator + "/_emulator/config", "POST", {"endpointHost": "127.0.0.1", "endpointPort": 16379})
    try:
        create(ec, net, "bridged")
        c = ec.describe_serverless_caches(ServerlessCacheName="bridged")["ServerlessCaches"][0]
        assert c["Endpoint"] == {"Address": "127.0.0.1", "Port": 16379}
        assert c["ReaderEndpoint"] == {"Address": "127.0.0.1", "Port": 16379}
    finally:
        http(emulator + "/_emulator/config", "POST", {"endpointHost": None, "endpointPort": None})


def test_restore_from_a_serverless_snapshot_or_s3_files_and_refusals(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    """E58: CreateServerlessCache SnapshotArnsToRestore."""
    fast(emulator)
    create(ec, net, "source")
    wait(ec, "source", "available")
    ec.delete_serverless_cache(ServerlessCacheName="source", FinalSnapshotName="source-final")
    snap = ec.describe_serverless_cache_snapshots(ServerlessCacheSnapshotName="source-final")["ServerlessCacheSnapshots"][0]
    arn = snap["ARN"]
    assert arn.endswith(":serverlesscachesnapshot:source-final") and snap["Status"] == "available"

    c = create(ec, net, "restored", SnapshotArnsToRestore=[arn])
    assert c["Status"] == "creating"
    status, info = http(emulator + "/_emulator/serverless-caches/restored/restore")
    assert status == 200 and info == {"serverlessCacheName": "restored", "snapshotArnsToRestore": [arn]}
    assert http(emulator + "/_emulator/serverless-caches/source/restore")[0] == 404  # deleted with its final snapshot

    refusals = {
        "InvalidParameterValue": [arn.replace("source-final", "no-such-snapshot"), "arn:aws:s3:::seed/missing.rdb",
                                  "arn:aws:elasticache:us-east-1:123456789012:snapshot:node-based", "s3://seed/a.rdb"],
    }
    for code, arns in refusals.items():
        for bad in arns:
            with pytest.raises(ClientError) as e:
                create(ec, net, "refused", SnapshotArnsToRestore=[bad])
            assert error_code(e) == code, bad
    # a Valkey snapshot cannot become a Redis OSS cache; Valkey 8 data cannot go back to Valkey 7
    for kw in (dict(Engine="redis", MajorEngineVersion="7"), dict(MajorEngineVersion="7")):
        with pytest.raises(ClientError) as e:
            create(ec, net, "refused", SnapshotArnsToRestore=[arn], **kw)
        assert error_code(e) == "InvalidParameterCombination", kw

    status, _ = http(emulator + "/_emulator/s3-objects", "POST", {"bucket": "seed", "key": "a.rdb", "base64": "UkVESVMwMDEx"})
    assert status == 200
    create(ec, net, "from-s3", SnapshotArnsToRestore=["arn:aws:s3:::seed/a.rdb"])
    assert http(emulator + "/_emulator/serverless-caches/from-s3/restore")[1]["snapshotArnsToRestore"] == ["arn:aws:s3:::seed/a.rdb"]


def test_restore_from_a_node_based_snapshot(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    """E67: a node-based cluster's snapshot, by its DescribeSnapshots ARN, seeds a new serverless cache."""
    from test_emulator import create_rg, wait_status
    fast(emulator, snapshottingSeconds=0.5)
    create_rg(ec, "nodes", Engine="valkey", EngineVersion="8.0", NumCacheClusters=None, AutomaticFailoverEnabled=None,
              ReplicasPerNodeGroup=0)
    wait_status(ec, "nodes", "available")
    ec.create_snapshot(ReplicationGroupId="nodes", SnapshotName="nodes-manual")
    snap = ec.describe_snapshots(SnapshotName="nodes-manual")["Snapshots"][0]
    arn = snap["ARN"]
    assert arn == "arn:aws:elasticache:us-east-1:123456789012:snapshot:nodes-manual"
    with pytest.raises(ClientError) as e:  # still being taken
        create(ec, net, "early", SnapshotArnsToRestore=[arn])
    assert error_code(e) == "InvalidParameterCombination"
    wait_status(ec, "nodes", "available")
    c = create(ec, net, "from-nodes", SnapshotArnsToRestore=[arn])
    assert c["Status"] == "creating"
    assert http(emulator + "/_emulator/serverless-caches/from-nodes/restore")[1]["snapshotArnsToRestore"] == [arn]
    # what AWS still refuses: a missing snapshot, Valkey data into Redis OSS, Valkey 8 data into Valkey 7
    with pytest.raises(ClientError) as e:
        create(ec, net, "refused", SnapshotArnsToRestore=[arn.replace("nodes-manual", "nodes-gone")])
    assert error_code(e) == "InvalidParameterValue"
    for kw in (dict(Engine="redis", MajorEngineVersion="7"), dict(MajorEngineVersion="7")):
        with pytest.raises(ClientError) as e:
            create(ec, net, "refused", SnapshotArnsToRestore=[arn], **kw)
        assert error_code(e) == "InvalidParameterCombination", kw


def test_user_group_on_a_serverless_cache(emulator: str, ec: Any, net: dict[str, Any]) -> None:
    """E66: CreateServerlessCache / ModifyServerlessCache UserGroupId and RemoveUserGroup."""
    from test_users import PW1, disabled_default, user, wait_user_group
    fast(emulator, userSeconds=0.5)
    disabled_default(ec, "sl-default")
    user(ec, "sl-orders", "orders", "on ~orders:* +@all")
    ec.create_user_group(UserGroupId="sl-group", Engine="valkey", UserIds=["sl-default", "sl-orders"])
    with pytest.raises(ClientError) as e:  # not active yet
        create(ec, net, "early", UserGroupId="sl-group")
    assert error_code(e) == "InvalidUserGroupState"
    wait_user_group(ec, "sl-group")
    c = create(ec, net, "with-users", UserGroupId="sl-group")
    assert c["UserGroupId"] == "sl-group"
    g = ec.describe_user_groups(UserGroupId="sl-group")["UserGroups"][0]
    assert g["ServerlessCaches"] == ["with-users"] and g["ReplicationGroups"] == []
    status, acl = http(emulator + "/_emulator/serverless-caches/with-users/users")
    assert status == 200 and {u["userName"]: u["passwords"] for u in acl["users"] if u["enabled"]} == {"orders": [PW1]}
    wait(ec, "with-users", "available")
    with pytest.raises(ClientError) as e:  # in use
        ec.delete_user_group(UserGroupId="sl-group")
    assert error_code(e) == "InvalidUserGroupState"
    with pytest.raises(ClientError) as e:
        ec.modify_serverless_cache(ServerlessCacheName="with-users", UserGroupId="sl-group", RemoveUserGroup=True)
    assert error_code(e) == "InvalidParameterCombination"
    fast(emulator, modifyingSeconds=0.5)
    c = ec.modify_serverless_cache(ServerlessCacheName="with-users", RemoveUserGroup=True)["ServerlessCache"]
    assert c["Status"] == "modifying" and "UserGroupId" not in c
    assert http(emulator + "/_emulator/serverless-caches/with-users/users")[1]["users"] == []
    wait(ec, "with-users", "available")
    with pytest.raises(ClientError) as e:  # none to remove
        ec.modify_serverless_cache(ServerlessCacheName="with-users", RemoveUserGroup=True)
    assert error_code(e) == "InvalidParameterCombination"
    # a running cache takes a group; a Redis OSS cache only a redis group
    c = ec.modify_serverless_cache(ServerlessCacheName="with-users", UserGroupId="sl-group")["ServerlessCache"]
    assert c["UserGroupId"] == "sl-group" and c["Status"] == "modifying"
    with pytest.raises(ClientError) as e:
        create(ec, net, "oss", Engine="redis", MajorEngineVersion="7", UserGroupId="sl-group")
    assert error_code(e) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        create(ec, net, "ghost", UserGroupId="nobody")
    assert error_code(e) == "UserGroupNotFound"
    wait(ec, "with-users", "available")
    ec.delete_serverless_cache(ServerlessCacheName="with-users")
    wait_gone = time.time() + 8
    while ec.describe_user_groups(UserGroupId="sl-group")["UserGroups"][0]["ServerlessCaches"] and time.time() < wait_gone:
        time.sleep(0.1)
    ec.delete_user_group(UserGroupId="sl-group")  # free once the cache is gone
