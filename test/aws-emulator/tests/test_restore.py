"""E27: CreateReplicationGroup seeded from a snapshot (SnapshotName) or RDB files in S3 (SnapshotArns)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from test_emulator import client, create_rg, emulator, error_code, fast, http, network, reset, wait_status  # noqa: F401


@pytest.fixture
def ec(emulator: str) -> Any:  # noqa: F811
    return client(emulator, "elasticache")


@pytest.fixture
def ec2(emulator: str) -> Any:  # noqa: F811
    return client(emulator, "ec2")


def valkey(ec: Any, rid: str, **kw: Any) -> dict[str, Any]:
    args = dict(Engine="valkey", EngineVersion="8.0", NumCacheClusters=None, AutomaticFailoverEnabled=None,
                ReplicasPerNodeGroup=0)
    args.update(kw)
    return create_rg(ec, rid, **args)


def test_restore_from_a_snapshot_of_another_group(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator, snapshottingSeconds=1)
    valkey(ec, "source")
    wait_status(ec, "source", "available")
    ec.create_snapshot(ReplicationGroupId="source", SnapshotName="source-manual")
    # not yet available: AWS refuses to restore a snapshot that is still being taken
    with pytest.raises(ClientError) as e:
        valkey(ec, "early", SnapshotName="source-manual")
    assert error_code(e) == "InvalidSnapshotState"
    wait_status(ec, "source", "available")
    snap = ec.describe_snapshots(SnapshotName="source-manual")["Snapshots"][0]
    assert snap["SnapshotStatus"] == "available" and snap["Engine"] == "valkey"

    rg = valkey(ec, "restored", SnapshotName="source-manual")
    assert rg["Status"] == "creating"
    status, info = http(emulator + "/_emulator/replication-groups/restored/restore")
    assert status == 200
    assert info["snapshotName"] == "source-manual" and info["sourceReplicationGroupId"] == "source"
    status, plain = http(emulator + "/_emulator/replication-groups/source/restore")
    assert status == 200 and plain["snapshotName"] is None
    assert http(emulator + "/_emulator/replication-groups/nope/restore")[0] == 404


def test_restore_refusals(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator)
    with pytest.raises(ClientError) as e:
        valkey(ec, "ghost", SnapshotName="no-such-snapshot")
    assert error_code(e) == "SnapshotNotFoundFault"

    valkey(ec, "v8")
    wait_status(ec, "v8", "available")
    ec.delete_replication_group(ReplicationGroupId="v8", FinalSnapshotIdentifier="v8-final")
    # a Valkey snapshot cannot become a Redis OSS group; Redis OSS into Valkey would be allowed
    with pytest.raises(ClientError) as e:
        create_rg(ec, "back-to-redis", SnapshotName="v8-final", NumCacheClusters=1, AutomaticFailoverEnabled=False)
    assert error_code(e) == "InvalidParameterCombination"
    # never into an older version
    with pytest.raises(ClientError) as e:
        valkey(ec, "older", EngineVersion="7.2", SnapshotName="v8-final")
    assert error_code(e) == "InvalidParameterCombination"
    # both sources at once
    with pytest.raises(ClientError) as e:
        valkey(ec, "both", SnapshotName="v8-final", SnapshotArns=["arn:aws:s3:::b/k.rdb"])
    assert error_code(e) == "InvalidParameterCombination"
    assert valkey(ec, "newer", EngineVersion="8.1", SnapshotName="v8-final")["Status"] == "creating"


def test_cluster_mode_snapshot_keeps_its_shard_count(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator, snapshottingSeconds=0)
    valkey(ec, "sharded", NumNodeGroups=3, ClusterMode="enabled")
    wait_status(ec, "sharded", "available")
    ec.create_snapshot(ReplicationGroupId="sharded", SnapshotName="sharded-1")
    wait_status(ec, "sharded", "available")
    with pytest.raises(ClientError) as e:
        valkey(ec, "two", NumNodeGroups=2, ClusterMode="enabled", SnapshotName="sharded-1")
    assert error_code(e) == "InvalidParameterCombination"
    # NodeGroupConfiguration redistributes the slots: then another shard count is allowed
    valkey(ec, "two-configured", ClusterMode="enabled", SnapshotName="sharded-1", ReplicasPerNodeGroup=None,
           NodeGroupConfiguration=[{"ReplicaCount": 0}, {"ReplicaCount": 0}])
    valkey(ec, "three", NumNodeGroups=3, ClusterMode="enabled", SnapshotName="sharded-1")


def test_restore_from_rdb_files_in_s3(emulator: str, ec: Any, ec2: Any) -> None:
    fast(emulator)
    s3 = client(emulator, "s3")
    s3.create_bucket(Bucket="seed-bucket")
    s3.put_object(Bucket="seed-bucket", Key="dumps/one.rdb", Body=b"REDIS0011")
    with pytest.raises(ClientError) as e:
        valkey(ec, "bad-arn", SnapshotArns=["s3://seed-bucket/dumps/one.rdb"])
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        valkey(ec, "missing", SnapshotArns=["arn:aws:s3:::seed-bucket/dumps/two.rdb"])
    assert error_code(e) == "InvalidParameterValue"
    rg = valkey(ec, "seeded", SnapshotArns=["arn:aws:s3:::seed-bucket/dumps/one.rdb"])
    assert rg["Status"] == "creating"
    status, info = http(emulator + "/_emulator/replication-groups/seeded/restore")
    assert info["snapshotArns"] == ["arn:aws:s3:::seed-bucket/dumps/one.rdb"]
    # the control call the Java contract uses puts an object the same way
    status, out = http(emulator + "/_emulator/s3-objects", "POST", {"bucket": "other", "key": "x.rdb", "base64": "UkVESVM="})
    assert status == 200 and out["size"] == 5
    assert valkey(ec, "seeded-2", SnapshotArns=["arn:aws:s3:::other/x.rdb"])["Status"] == "creating"
