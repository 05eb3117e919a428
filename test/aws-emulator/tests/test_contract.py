"""Tests of the behaviours in the models' contract (B1..B9 and the control calls).

Every test starts from `POST /moto-api/reset` (the autouse fixture of test_emulator).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError

from test_emulator import (TOKEN, client, create_rg, describe, ec, ec2, emulator, error_code, fast,  # noqa: F401
                           http, network, reset, wait_status)


def gone(ec: Any, rid: str, timeout: float = 8.0) -> None:
    deadline = time.time() + timeout
    while True:
        try:
            describe(ec, rid)
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"
            return
        assert time.time() < deadline, f"{rid} never went away"
        time.sleep(0.05)


def events(ec: Any, rid: str | None = None, **kw: Any) -> list[dict[str, Any]]:
    args: dict[str, Any] = {"SourceType": "replication-group"}
    if rid:
        args["SourceIdentifier"] = rid
    args.update(kw)
    return ec.describe_events(**args)["Events"]


# ---------------------------------------------------------------------------
# B1 snapshotting


def test_create_snapshot_makes_the_group_snapshotting_and_refuses_changes(emulator: str, ec: Any) -> None:
    fast(emulator, snapshottingSeconds=5)  # long enough for the refusals below on a loaded machine
    create_rg(ec, "snap", SnapshotRetentionLimit=1)
    wait_status(ec, "snap", "available")
    snap = ec.create_snapshot(ReplicationGroupId="snap", SnapshotName="snap-manual-1")["Snapshot"]
    assert snap["SnapshotName"] == "snap-manual-1" and snap["SnapshotStatus"] == "creating"
    rg = describe(ec, "snap")
    assert rg["Status"] == "snapshotting"
    assert rg["NodeGroups"][0]["PrimaryEndpoint"]["Address"].startswith("master.snap.")  # endpoints stay
    assert {c["CacheClusterStatus"] for c in ec.describe_cache_clusters()["CacheClusters"]} == {"snapshotting"}
    refusals = [
        lambda: ec.modify_replication_group(ReplicationGroupId="snap", SnapshotRetentionLimit=2,
                                            ApplyImmediately=True),
        lambda: ec.increase_replica_count(ReplicationGroupId="snap", NewReplicaCount=2, ApplyImmediately=True),
        lambda: ec.decrease_replica_count(ReplicationGroupId="snap", NewReplicaCount=0, ApplyImmediately=True),
        lambda: ec.modify_replication_group_shard_configuration(ReplicationGroupId="snap", NodeGroupCount=2,
                                                                ApplyImmediately=True),
        lambda: ec.delete_replication_group(ReplicationGroupId="snap"),
        lambda: ec.create_snapshot(ReplicationGroupId="snap", SnapshotName="snap-manual-2"),
    ]
    for call in refusals:
        with pytest.raises(ClientError) as e:
            call()
        assert error_code(e) == "InvalidReplicationGroupState"
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    wait_status(ec, "snap", "available", timeout=30)
    snaps = ec.describe_snapshots(ReplicationGroupId="snap")["Snapshots"]
    assert [(s["SnapshotName"], s["SnapshotStatus"], s["SnapshotSource"]) for s in snaps] == \
        [("snap-manual-1", "available", "manual")]
    with pytest.raises(ClientError) as e:
        ec.create_snapshot(ReplicationGroupId="snap", SnapshotName="snap-manual-1")
    assert error_code(e) == "SnapshotAlreadyExistsFault"
    messages = [ev["Message"] for ev in events(ec, "snap")]
    assert any("Snapshot succeeded" in m and "snap-manual-1" in m for m in messages)
    assert any("Backup started" in m and "snap-manual-1" in m for m in messages)


def test_backup_window_control(emulator: str, ec: Any) -> None:
    fast(emulator, snapshottingSeconds=0.5, creatingSeconds=0.5)
    assert http(emulator + "/_emulator/replication-groups/nope/backup", "POST")[0] == 404
    create_rg(ec, "nobackup")
    create_rg(ec, "backup", SnapshotRetentionLimit=7)
    status, body = http(emulator + "/_emulator/replication-groups/backup/backup", "POST")
    assert status == 409 and body["status"] == "creating"
    wait_status(ec, "backup", "available")
    wait_status(ec, "nobackup", "available")
    # SnapshotRetentionLimit 0: automatic backups are disabled
    assert http(emulator + "/_emulator/replication-groups/nobackup/backup", "POST")[0] == 409
    status, body = http(emulator + "/_emulator/replication-groups/backup/backup", "POST")
    assert status == 200 and body["status"] == "snapshotting"
    assert body["snapshotName"].startswith("automatic.backup-")
    assert describe(ec, "backup")["Status"] == "snapshotting"
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="backup", SnapshotRetentionLimit=2, ApplyImmediately=True)
    assert error_code(e) == "InvalidReplicationGroupState"
    wait_status(ec, "backup", "available")
    snaps = ec.describe_snapshots(SnapshotSource="automated")["Snapshots"]
    assert [s["SnapshotName"] for s in snaps] == [body["snapshotName"]]
    # Deleting the group deletes its automatic backups, not the manual ones (user guide, Deleting a backup).
    fast(emulator, deletingSeconds=0.3)
    ec.create_snapshot(ReplicationGroupId="backup", SnapshotName="manual-keep")
    wait_status(ec, "backup", "available")
    ec.delete_replication_group(ReplicationGroupId="backup")
    gone(ec, "backup")
    assert ec.describe_snapshots(SnapshotSource="automated")["Snapshots"] == []
    assert [s["SnapshotName"] for s in ec.describe_snapshots(SnapshotSource="user")["Snapshots"]] == ["manual-keep"]


# ---------------------------------------------------------------------------
# B2 create failure


def test_create_failure_ends_in_create_failed_and_can_only_be_deleted(emulator: str, ec: Any) -> None:
    fast(emulator, creatingSeconds=0.5, deletingSeconds=0.5)
    status, body = http(emulator + "/_emulator/create-failures", "POST",
                        {"count": 1, "message": "Insufficient capacity for cache.r7g.large in us-east-1a"})
    assert status == 200 and len(body["pending"]) == 1
    rg = create_rg(ec, "doomed")
    assert rg["Status"] == "creating"
    rg = wait_status(ec, "doomed", "create-failed")
    assert "PrimaryEndpoint" not in rg["NodeGroups"][0]
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="doomed", SnapshotRetentionLimit=2, ApplyImmediately=True)
    assert error_code(e) == "InvalidReplicationGroupState"
    with pytest.raises(ClientError) as e:
        ec.create_snapshot(ReplicationGroupId="doomed", SnapshotName="x")
    assert error_code(e) == "InvalidReplicationGroupState"
    failed = [ev for ev in events(ec, "doomed") if "Failed to create" in ev["Message"]]
    assert len(failed) == 1 and "Insufficient capacity for cache.r7g.large" in failed[0]["Message"]
    # the next create is not affected
    create_rg(ec, "fine")
    wait_status(ec, "fine", "available")
    assert ec.delete_replication_group(ReplicationGroupId="doomed")["ReplicationGroup"]["Status"] == "deleting"
    gone(ec, "doomed")
    assert any("deleted" in ev["Message"] for ev in events(ec, "doomed"))
    assert http(emulator + "/_emulator/create-failures", "POST", {"count": -1})[0] == 400


# ---------------------------------------------------------------------------
# B3 DescribeEvents


def test_describe_events_window_filters_and_paging(emulator: str, ec: Any) -> None:
    fast(emulator, snapshottingSeconds=0)
    create_rg(ec, "ev-a", SnapshotRetentionLimit=1)
    create_rg(ec, "ev-b")
    wait_status(ec, "ev-a", "available")
    for _ in range(12):  # each backup: started + succeeded
        assert http(emulator + "/_emulator/replication-groups/ev-a/backup", "POST")[0] == 200
        describe(ec, "ev-a")
    all_a = events(ec, "ev-a")
    assert len(all_a) == 25 and all_a[-1]["Message"] == "Replication group ev-a created"
    dates = [e["Date"] for e in all_a]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert {e["SourceType"] for e in all_a} == {"replication-group"}
    pages, marker = [], None
    while True:
        kw: dict[str, Any] = {"SourceType": "replication-group", "MaxRecords": 20}
        if marker:
            kw["Marker"] = marker
        out = ec.describe_events(**kw)
        pages.append(out["Events"])
        marker = out.get("Marker")
        if not marker:
            break
    assert [len(p) for p in pages] == [20, 6]  # 25 of ev-a + 1 of ev-b
    assert [e["Message"] for p in pages for e in p] == [e["Message"] for e in events(ec)]
    assert [e["SourceIdentifier"] for e in events(ec, "ev-b")] == ["ev-b"]
    assert events(ec, SourceType="cache-cluster") == []
    future = datetime.now(timezone.utc) + timedelta(minutes=5)
    assert ec.describe_events(StartTime=future)["Events"] == []
    past = datetime.now(timezone.utc) - timedelta(minutes=30)
    assert ec.describe_events(EndTime=past)["Events"] == []
    assert len(ec.describe_events(Duration=5)["Events"]) == 26
    for bad in [{"MaxRecords": 19}, {"MaxRecords": 101}, {"SourceType": "nonsense"}]:
        with pytest.raises(ClientError) as e:
            ec.describe_events(**bad)
        assert error_code(e) == "InvalidParameterValue", bad


# ---------------------------------------------------------------------------
# B4 deferred changes


def test_apply_immediately_false_defers_node_changes_to_the_maintenance_window(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=0.5)
    create_rg(ec, "later", Engine="valkey", EngineVersion="8.0")
    wait_status(ec, "later", "available")
    rg = ec.modify_replication_group(ReplicationGroupId="later", CacheNodeType="cache.r7g.large",
                                     ApplyImmediately=False)["ReplicationGroup"]
    assert rg["Status"] == "available" and rg["CacheNodeType"] == "cache.t4g.small"
    assert "CacheNodeType" not in rg["PendingModifiedValues"]  # not a ReplicationGroupPendingModifiedValues member
    cc = ec.describe_cache_clusters(CacheClusterId="later-001")["CacheClusters"][0]
    assert cc["PendingModifiedValues"] == {"CacheNodeType": "cache.r7g.large"}
    # ApplyImmediately defaults to false
    ec.modify_replication_group(ReplicationGroupId="later", EngineVersion="8.1")
    # fields that are not node changes are applied at once
    rg = ec.modify_replication_group(ReplicationGroupId="later", SnapshotRetentionLimit=4,
                                     ApplyImmediately=False)["ReplicationGroup"]
    assert rg["Status"] == "modifying" and rg["SnapshotRetentionLimit"] == 4
    rg = wait_status(ec, "later", "available")
    cc = ec.describe_cache_clusters(CacheClusterId="later-001")["CacheClusters"][0]
    assert cc["PendingModifiedValues"] == {"CacheNodeType": "cache.r7g.large", "EngineVersion": "8.1.0"}
    assert cc["EngineVersion"] == "8.0.1"
    status, body = http(emulator + "/_emulator/replication-groups/later/maintenance", "POST")
    assert status == 200 and body["applied"] == ["CacheNodeType", "EngineVersion"]
    assert describe(ec, "later")["Status"] == "modifying"
    rg = wait_status(ec, "later", "available")
    assert rg["CacheNodeType"] == "cache.r7g.large"
    cc = ec.describe_cache_clusters(CacheClusterId="later-001")["CacheClusters"][0]
    assert cc["PendingModifiedValues"] == {} and cc["EngineVersion"] == "8.1.0"
    assert any("maintenance window" in e["Message"] for e in events(ec, "later"))
    status, body = http(emulator + "/_emulator/replication-groups/later/maintenance", "POST")
    assert status == 200 and body["applied"] == []
    assert http(emulator + "/_emulator/replication-groups/nope/maintenance", "POST")[0] == 404


def test_apply_immediately_true_applies_pending_changes_too(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=0.3)
    create_rg(ec, "now")
    wait_status(ec, "now", "available")
    ec.modify_replication_group(ReplicationGroupId="now", CacheNodeType="cache.r7g.large", ApplyImmediately=False)
    rg = ec.modify_replication_group(ReplicationGroupId="now", CacheNodeType="cache.m7g.large",
                                     ApplyImmediately=True)["ReplicationGroup"]
    assert rg["Status"] == "modifying"
    rg = wait_status(ec, "now", "available")
    assert rg["CacheNodeType"] == "cache.m7g.large"
    ec.modify_replication_group(ReplicationGroupId="now", CacheNodeType="cache.r7g.large", ApplyImmediately=False)
    # "any pending modifications" are applied by a later ApplyImmediately=true request
    ec.modify_replication_group(ReplicationGroupId="now", SnapshotRetentionLimit=3, ApplyImmediately=True)
    rg = wait_status(ec, "now", "available")
    assert rg["CacheNodeType"] == "cache.r7g.large"
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="now", CacheNodeType="cache.r7g.large", ApplyImmediately=False)
    assert error_code(e) == "InvalidParameterCombination"  # nothing to change


# ---------------------------------------------------------------------------
# B5 AUTH token


def test_auth_token_changes_take_effect_when_available_again(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=0.5)
    create_rg(ec, "auth", TransitEncryptionEnabled=True, AuthToken=TOKEN)
    rg = wait_status(ec, "auth", "available")
    created_date = rg["AuthTokenLastModifiedDate"]
    with pytest.raises(ClientError) as e:  # "SET - allowed only after ROTATE"
        ec.modify_replication_group(ReplicationGroupId="auth", AuthToken=TOKEN + "-set",
                                    AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"
    time.sleep(0.05)
    rg = ec.modify_replication_group(ReplicationGroupId="auth", AuthToken=TOKEN + "-2",
                                     AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)["ReplicationGroup"]
    assert rg["Status"] == "modifying" and rg["PendingModifiedValues"]["AuthTokenStatus"] == "ROTATING"
    assert rg["AuthTokenLastModifiedDate"] == created_date
    status, auth = http(emulator + "/_emulator/replication-groups/auth/auth")
    assert auth["tokens"] == [TOKEN] and auth["pendingAuthTokenStatus"] == "ROTATING"
    rg = wait_status(ec, "auth", "available")
    assert rg["AuthTokenLastModifiedDate"] > created_date
    assert http(emulator + "/_emulator/replication-groups/auth/auth")[1]["tokens"] == [TOKEN, TOKEN + "-2"]
    rg = ec.modify_replication_group(ReplicationGroupId="auth", AuthToken=TOKEN + "-2",
                                     AuthTokenUpdateStrategy="SET", ApplyImmediately=True)["ReplicationGroup"]
    assert rg["PendingModifiedValues"]["AuthTokenStatus"] == "SETTING"
    assert http(emulator + "/_emulator/replication-groups/auth/auth")[1]["tokens"] == [TOKEN, TOKEN + "-2"]
    wait_status(ec, "auth", "available")
    assert http(emulator + "/_emulator/replication-groups/auth/auth")[1]["tokens"] == [TOKEN + "-2"]
    with pytest.raises(ClientError) as e:  # SET again: the last change was a SET, not a ROTATE
        ec.modify_replication_group(ReplicationGroupId="auth", AuthToken=TOKEN + "-3",
                                    AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"


# ---------------------------------------------------------------------------
# B6 Secrets Manager deletion


def test_secret_deletion_is_asynchronous_and_restorable(emulator: str) -> None:
    fast(emulator, secretDeletionSeconds=1)
    sm = client(emulator, "secretsmanager")
    sm.create_secret(Name="app/token", SecretString="v1", Tags=[{"Key": "owner", "Value": "a"}])
    sm.delete_secret(SecretId="app/token", RecoveryWindowInDays=7)
    assert "DeletedDate" in sm.describe_secret(SecretId="app/token")
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="app/token")
    assert error_code(e) == "InvalidRequestException"
    assert e.value.response["Error"]["Message"] == \
        "You can't perform this operation on the secret because it was marked for deletion."
    with pytest.raises(ClientError) as e:
        sm.create_secret(Name="app/token", SecretString="v2")
    assert error_code(e) == "InvalidRequestException"
    assert e.value.response["Error"]["Message"] == \
        "You can't create this secret because a secret with this name is already scheduled for deletion."
    sm.restore_secret(SecretId="app/token")
    d = sm.describe_secret(SecretId="app/token")
    assert "DeletedDate" not in d and d["Tags"] == [{"Key": "owner", "Value": "a"}]
    assert sm.get_secret_value(SecretId="app/token")["SecretString"] == "v1"

    sm.delete_secret(SecretId="app/token", ForceDeleteWithoutRecovery=True)
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="app/token")
    assert error_code(e) == "InvalidRequestException"
    with pytest.raises(ClientError) as e:
        sm.create_secret(Name="app/token", SecretString="v2")
    assert error_code(e) == "InvalidRequestException"
    with pytest.raises(ClientError) as e:  # "you have no opportunity to recover the secret"
        sm.restore_secret(SecretId="app/token")
    assert error_code(e) == "InvalidRequestException"
    time.sleep(1.1)
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="app/token")
    assert error_code(e) == "ResourceNotFoundException"
    sm.create_secret(Name="app/token", SecretString="v2")
    assert sm.get_secret_value(SecretId="app/token")["SecretString"] == "v2"


def test_secret_force_deletion_with_zero_delay_completes_at_the_next_call(emulator: str) -> None:
    fast(emulator, secretDeletionSeconds=0)
    sm = client(emulator, "secretsmanager")
    sm.create_secret(Name="zero", SecretString="v1")
    sm.delete_secret(SecretId="zero", ForceDeleteWithoutRecovery=True)
    with pytest.raises(ClientError) as e:
        sm.get_secret_value(SecretId="zero")
    assert error_code(e) == "ResourceNotFoundException"
    sm.create_secret(Name="zero", SecretString="v2")


def test_secret_force_deletion_default_delay(emulator: str) -> None:
    status, cfg = http(emulator + "/_emulator/config")
    assert cfg["secretDeletionSeconds"] == 2.0 and cfg["snapshottingSeconds"] == 3.0
    assert cfg["eniReleaseSeconds"] == 0.0 and cfg["maxNodesPerCustomer"] == 300
    assert cfg["insufficientCapacityNodeTypes"] == []


# ---------------------------------------------------------------------------
# B7 lingering network interfaces


def test_security_group_stays_in_use_until_the_enis_are_released(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator, eniReleaseSeconds=1)
    net = network(ec, ec2)
    create_rg(ec, "eni", CacheSubnetGroupName=net["subnet_group"], SecurityGroupIds=[net["sg"]])
    wait_status(ec, "eni", "available")
    ec.delete_replication_group(ReplicationGroupId="eni")
    gone(ec, "eni")
    with pytest.raises(ClientError) as e:
        ec2.delete_security_group(GroupId=net["sg"])
    assert error_code(e) == "DependencyViolation"
    time.sleep(1.1)
    ec2.delete_security_group(GroupId=net["sg"])


# ---------------------------------------------------------------------------
# B8 capacity and quotas


def test_capacity_and_quota_refusals(emulator: str, ec: Any) -> None:
    fast(emulator, insufficientCapacityNodeTypes=["cache.r7g.xlarge"], maxNodesPerCustomer=5,
         maxReplicationGroups=2)
    with pytest.raises(ClientError) as e:
        create_rg(ec, "cap", CacheNodeType="cache.r7g.xlarge")
    assert error_code(e) == "InsufficientCacheClusterCapacity"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    create_rg(ec, "q1")  # 2 nodes
    wait_status(ec, "q1", "available")
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="q1", CacheNodeType="cache.r7g.xlarge", ApplyImmediately=True)
    assert error_code(e) == "InsufficientCacheClusterCapacity"
    with pytest.raises(ClientError) as e:
        create_rg(ec, "q2", NumCacheClusters=4)  # 2 + 4 > 5
    assert error_code(e) == "NodeQuotaForCustomerExceeded"
    ec.increase_replica_count(ReplicationGroupId="q1", NewReplicaCount=2, ApplyImmediately=True)  # 3 nodes
    wait_status(ec, "q1", "available")
    create_rg(ec, "q2", NumCacheClusters=2, AutomaticFailoverEnabled=True)  # 5 nodes
    with pytest.raises(ClientError) as e:
        ec.increase_replica_count(ReplicationGroupId="q1", NewReplicaCount=3, ApplyImmediately=True)
    assert error_code(e) == "NodeQuotaForCustomerExceeded"
    fast(emulator, maxNodesPerCustomer=300, maxReplicationGroups=2)
    with pytest.raises(ClientError) as e:
        create_rg(ec, "q3")
    assert error_code(e) == "ClusterQuotaForCustomerExceeded"
    fast(emulator, maxReplicationGroups=300, insufficientCapacityNodeTypes=["cache.t4g.small"])
    create_rg(ec, "shards", ClusterMode="enabled", NumNodeGroups=1, ReplicasPerNodeGroup=0,
              NumCacheClusters=None, AutomaticFailoverEnabled=False, CacheNodeType="cache.t4g.medium")
    wait_status(ec, "shards", "available")
    fast(emulator, insufficientCapacityNodeTypes=["cache.t4g.medium"])
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group_shard_configuration(ReplicationGroupId="shards", NodeGroupCount=2,
                                                        ApplyImmediately=True)
    assert error_code(e) == "InsufficientCacheClusterCapacity"
    assert http(emulator + "/_emulator/config", "POST", {"maxNodesPerCustomer": -1})[0] == 400
    assert http(emulator + "/_emulator/config", "POST", {"insufficientCapacityNodeTypes": "x"})[0] == 400


# ---------------------------------------------------------------------------
# B9 security groups in the subnet group's VPC


def test_security_groups_must_be_in_the_subnet_groups_vpc(emulator: str, ec: Any, ec2: Any) -> None:
    net = network(ec, ec2)
    other_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_security_group(GroupName="foreign", Description="d", VpcId=other_vpc)["GroupId"]
    with pytest.raises(ClientError) as e:
        create_rg(ec, "vpc", CacheSubnetGroupName=net["subnet_group"], SecurityGroupIds=[foreign])
    assert error_code(e) == "InvalidParameterCombination"
    create_rg(ec, "vpc", CacheSubnetGroupName=net["subnet_group"], SecurityGroupIds=[net["sg"]])
    wait_status(ec, "vpc", "available")
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="vpc", SecurityGroupIds=[foreign], ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"


# ---------------------------------------------------------------------------
# E24 TestFailover


def roles(rg: dict[str, Any], shard: int = 0) -> dict[str, str]:
    return {m["CacheClusterId"]: m["CurrentRole"] for m in rg["NodeGroups"][shard]["NodeGroupMembers"]}


def all_events(ec: Any, **kw: Any) -> list[tuple[str, str, str]]:
    return [(e["SourceType"], e["SourceIdentifier"], e["Message"]) for e in ec.describe_events(**kw)["Events"]]


def test_failover_promotes_the_replica_and_records_the_documented_events(emulator: str, ec: Any) -> None:
    fast(emulator, failoverSeconds=2)  # 2 s a phase: wide windows for a loaded machine
    create_rg(ec, "fo", NumCacheClusters=3)
    before = wait_status(ec, "fo", "available")
    assert roles(before) == {"fo-001": "primary", "fo-002": "replica", "fo-003": "replica"}
    called = time.time()
    answered = ec.test_failover(ReplicationGroupId="fo", NodeGroupId="0001")["ReplicationGroup"]
    # the user guide's example answer: the group is still available, roles not yet changed
    assert answered["Status"] == "available" and roles(answered) == roles(before)
    assert all_events(ec, SourceIdentifier="fo") == [
        ("replication-group", "fo", "Test Failover API called for node group 0001"),
        ("replication-group", "fo", "Replication group fo created")]
    # while it runs, the group and its nodes stay available, and a second test is refused
    rg = describe(ec, "fo")
    assert rg["Status"] == "available" and rg["NodeGroups"][0]["Status"] == "available"
    with pytest.raises(ClientError) as e:
        ec.test_failover(ReplicationGroupId="fo", NodeGroupId="0001")
    assert error_code(e) == "TestFailoverNotAvailableFault"
    time.sleep(max(0.0, called + 2.3 - time.time()))  # failed over (2 s), still recovering (until 4 s)
    after = describe(ec, "fo")
    assert roles(after) == {"fo-001": "replica", "fo-002": "primary", "fo-003": "replica"}
    assert after["MemberClusters"] == ["fo-001", "fo-002", "fo-003"]  # by name, not by role
    assert after["NodeGroups"][0]["PrimaryEndpoint"] == before["NodeGroups"][0]["PrimaryEndpoint"]
    failed_over = "Failover from primary node fo-001 to replica node fo-002 completed"
    assert all_events(ec)[:4] == [  # newest first; same instant: the later recorded first
        ("cache-cluster", "fo-001", "Recovering cache nodes 0001"),
        ("replication-group", "fo", failed_over),
        ("cache-cluster", "fo-001", failed_over),
        ("replication-group", "fo", "Test Failover API called for node group 0001"),
    ]
    time.sleep(max(0.0, called + 4.3 - time.time()))  # recovered
    assert all_events(ec, SourceType="cache-cluster", SourceIdentifier="fo-001")[0] == \
        ("cache-cluster", "fo-001", "Finished recovery for cache nodes 0001")
    assert [m for _, _, m in all_events(ec, SourceType="replication-group")] == [
        failed_over, "Test Failover API called for node group 0001", "Replication group fo created"]
    # done: another test fails back over to the first replica of the new order
    ec.test_failover(ReplicationGroupId="fo", NodeGroupId="0001")
    time.sleep(2.3)
    assert roles(describe(ec, "fo")) == {"fo-001": "primary", "fo-002": "replica", "fo-003": "replica"}


def test_failover_refusals(emulator: str, ec: Any) -> None:
    fast(emulator, failoverSeconds=0.2, creatingSeconds=2, modifyingSeconds=5)
    # creating 2 s: the "still creating" refusal below must not race a loaded machine (0.3 s did, under load)
    with pytest.raises(ClientError) as e:
        ec.test_failover(ReplicationGroupId="nope", NodeGroupId="0001")
    assert error_code(e) == "ReplicationGroupNotFoundFault"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    create_rg(ec, "nofo", AutomaticFailoverEnabled=False)
    create_rg(ec, "fo2")
    with pytest.raises(ClientError) as e:
        ec.test_failover(ReplicationGroupId="fo2", NodeGroupId="0001")
    assert error_code(e) == "InvalidReplicationGroupState"  # still creating
    wait_status(ec, "fo2", "available")
    wait_status(ec, "nofo", "available")
    with pytest.raises(ClientError) as e:
        ec.test_failover(ReplicationGroupId="nofo", NodeGroupId="0001")
    assert error_code(e) == "InvalidParameterCombination"
    for bad, code, status in (("0002", "NodeGroupNotFoundFault", 404), ("x1", "InvalidParameterValue", 400),
                              ("00001", "InvalidParameterValue", 400)):
        with pytest.raises(ClientError) as e:
            ec.test_failover(ReplicationGroupId="fo2", NodeGroupId=bad)
        assert (error_code(e), e.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    ec.modify_replication_group(ReplicationGroupId="fo2", SnapshotRetentionLimit=3, ApplyImmediately=True)
    with pytest.raises(ClientError) as e:
        ec.test_failover(ReplicationGroupId="fo2", NodeGroupId="0001")
    assert error_code(e) == "InvalidReplicationGroupState"  # modifying
    assert not [e for e in all_events(ec) if "Test Failover" in e[2]]


def test_failover_daily_limit_and_cluster_mode(emulator: str, ec: Any) -> None:
    fast(emulator, failoverSeconds=0, maxTestFailoversPerDay=2)
    create_rg(ec, "cm", ClusterMode="enabled", NumNodeGroups=2, ReplicasPerNodeGroup=1, NumCacheClusters=None)
    wait_status(ec, "cm", "available")
    ec.test_failover(ReplicationGroupId="cm", NodeGroupId="0002")
    describe(ec, "cm")  # failoverSeconds 0: done at the next call
    msgs = [m for _, _, m in all_events(ec, SourceType="replication-group", SourceIdentifier="cm")]
    assert msgs[:2] == ["Failover from primary node cm-0002-001 to replica node cm-0002-002 completed",
                        "Test Failover API called for node group 0002"]
    ec.test_failover(ReplicationGroupId="cm", NodeGroupId="0001")
    describe(ec, "cm")
    with pytest.raises(ClientError) as e:
        ec.test_failover(ReplicationGroupId="cm", NodeGroupId="0001")
    assert error_code(e) == "APICallRateForCustomerExceeded"
    # a reset forgets the calls
    fast(emulator, failoverSeconds=0)
    http(emulator + "/moto-api/reset", "POST")
    assert http(emulator + "/_emulator/config")[1]["maxTestFailoversPerDay"] == 15
    assert http(emulator + "/_emulator/config", "POST", {"maxTestFailoversPerDay": -1})[0] == 400


# ---------------------------------------------------------------------------
# E25 node types (API reference, data type CacheNode)


def test_only_node_types_aws_offers_for_new_clusters(emulator: str, ec: Any) -> None:
    fast(emulator)
    for node_type in ("cache.m3.medium", "cache.t1.micro", "cache.t4g.large", "cache.x9.large"):
        with pytest.raises(ClientError) as e:  # previous generation: "creation of new clusters is not supported"
            create_rg(ec, "nt", CacheNodeType=node_type)
        assert error_code(e) == "InvalidParameterValue"
    create_rg(ec, "nt", CacheNodeType="cache.r6gd.xlarge", DataTieringEnabled=True)  # r6gd needs data tiering (E31)
    create_rg(ec, "nt2", CacheNodeType="cache.m7g.16xlarge")
    wait_status(ec, "nt2", "available")
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ReplicationGroupId="nt2", CacheNodeType="cache.r3.large", ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterValue"
