"""E53..E55: cluster mode changed on a running replication group: disabled -> compatible -> enabled, and
compatible -> disabled (ModifyReplicationGroup ClusterMode; user guide "Modifying cluster mode")."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from test_emulator import describe, emulator, error_code, fast, wait_status  # noqa: F401
from test_restore import ec, valkey as plain  # noqa: F401


def refused(ec: Any, **kw: Any) -> str:
    with pytest.raises(ClientError) as e:
        ec.modify_replication_group(ApplyImmediately=True, **kw)
    return error_code(e)


def ha(ec: Any, rid: str, **kw: Any) -> dict[str, Any]:
    """A cluster-mode-disabled group with one replica and automatic failover, as the migration needs."""
    return plain(ec, rid, ReplicasPerNodeGroup=1, AutomaticFailoverEnabled=True, **kw)


def test_disabled_goes_through_compatible_to_enabled(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    ha(ec, "cm")
    rg = wait_status(ec, "cm", "available")
    assert rg["ClusterMode"] == "disabled" and rg["ClusterEnabled"] is False and "ConfigurationEndpoint" not in rg
    # E53: compatible first; nothing else in the same request; an unknown value
    assert refused(ec, ReplicationGroupId="cm", ClusterMode="enabled") == "InvalidParameterCombination"
    assert refused(ec, ReplicationGroupId="cm", ClusterMode="compatible",
                   SnapshotRetentionLimit=3) == "InvalidParameterCombination"
    assert refused(ec, ReplicationGroupId="cm", ClusterMode="sharded") == "InvalidParameterValue"
    rg = ec.modify_replication_group(ReplicationGroupId="cm", ClusterMode="compatible", ApplyImmediately=True)["ReplicationGroup"]
    assert rg["Status"] == "modifying" and rg["ClusterMode"] == "disabled"
    assert rg["PendingModifiedValues"]["ClusterMode"] == "compatible"
    rg = wait_status(ec, "cm", "available")
    # E55: compatible serves both: the primary and reader endpoints and the configuration endpoint
    assert rg["ClusterMode"] == "compatible" and rg["ClusterEnabled"] is False
    assert rg["ConfigurationEndpoint"]["Address"].startswith("clustercfg.")
    assert rg["NodeGroups"][0]["PrimaryEndpoint"]["Address"].startswith("master.")
    # E54: the default parameter group was swapped for its cluster-enabled default
    cc = ec.describe_cache_clusters(CacheClusterId=rg["MemberClusters"][0])["CacheClusters"][0]
    assert cc["CacheParameterGroup"]["CacheParameterGroupName"] == "default.valkey8.cluster.on"
    # E53: in compatible no other modification, no scaling
    assert refused(ec, ReplicationGroupId="cm", SnapshotRetentionLimit=3) == "InvalidParameterCombination"
    with pytest.raises(ClientError) as e:
        ec.increase_replica_count(ReplicationGroupId="cm", NewReplicaCount=2, ApplyImmediately=True)
    assert error_code(e) == "InvalidParameterCombination"
    ec.modify_replication_group(ReplicationGroupId="cm", ClusterMode="enabled", ApplyImmediately=True)
    rg = wait_status(ec, "cm", "available")
    assert rg["ClusterMode"] == "enabled" and rg["ClusterEnabled"] is True
    assert rg["ConfigurationEndpoint"]["Address"].startswith("clustercfg.")
    assert "PrimaryEndpoint" not in rg["NodeGroups"][0] and rg["NodeGroups"][0]["Slots"] == "0-16383"
    # enabled is final
    assert refused(ec, ReplicationGroupId="cm", ClusterMode="compatible") == "InvalidParameterCombination"
    assert refused(ec, ReplicationGroupId="cm", ClusterMode="disabled") == "InvalidParameterCombination"
    # and the group now scales out like any cluster-mode group
    ec.modify_replication_group_shard_configuration(ReplicationGroupId="cm", NodeGroupCount=2, ApplyImmediately=True)
    assert len(wait_status(ec, "cm", "available")["NodeGroups"]) == 2


def test_compatible_goes_back_to_disabled(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    ha(ec, "back")
    wait_status(ec, "back", "available")
    ec.modify_replication_group(ReplicationGroupId="back", ClusterMode="compatible", ApplyImmediately=True)
    wait_status(ec, "back", "available")
    ec.modify_replication_group(ReplicationGroupId="back", ClusterMode="disabled", ApplyImmediately=True)
    rg = wait_status(ec, "back", "available")
    assert rg["ClusterMode"] == "disabled" and "ConfigurationEndpoint" not in rg
    cc = ec.describe_cache_clusters(CacheClusterId=rg["MemberClusters"][0])["CacheClusters"][0]
    assert cc["CacheParameterGroup"]["CacheParameterGroupName"] == "default.valkey8"
    # other modifications are accepted again
    ec.modify_replication_group(ReplicationGroupId="back", SnapshotRetentionLimit=3, ApplyImmediately=True)


def test_the_migration_needs_a_recent_engine_failover_and_a_replica(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    ha(ec, "old", Engine="redis", EngineVersion="6.2")
    plain(ec, "lonely")
    ha(ec, "redis7", Engine="redis", EngineVersion="7.0")
    ha(ec, "valkey72", EngineVersion="7.2")
    for rid in ("old", "lonely", "redis7", "valkey72"):
        wait_status(ec, rid, "available")
    assert refused(ec, ReplicationGroupId="old", ClusterMode="compatible") == "InvalidParameterCombination"
    assert refused(ec, ReplicationGroupId="lonely", ClusterMode="compatible") == "InvalidParameterCombination"
    for rid in ("redis7", "valkey72"):
        ec.modify_replication_group(ReplicationGroupId=rid, ClusterMode="compatible", ApplyImmediately=True)
        assert wait_status(ec, rid, "available")["ClusterMode"] == "compatible"


def test_a_custom_parameter_group_must_be_cluster_enabled(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    ec.create_cache_parameter_group(CacheParameterGroupName="plain8", CacheParameterGroupFamily="valkey8", Description="x")
    ec.create_cache_parameter_group(CacheParameterGroupName="cluster8", CacheParameterGroupFamily="valkey8", Description="x")
    ec.modify_cache_parameter_group(CacheParameterGroupName="cluster8",
                                    ParameterNameValues=[{"ParameterName": "cluster-enabled", "ParameterValue": "yes"}])
    ha(ec, "custom", CacheParameterGroupName="plain8")
    wait_status(ec, "custom", "available")
    assert refused(ec, ReplicationGroupId="custom", ClusterMode="compatible") == "InvalidParameterCombination"
    ec.modify_replication_group(ReplicationGroupId="custom", ClusterMode="compatible", CacheParameterGroupName="cluster8",
                                ApplyImmediately=True)
    assert wait_status(ec, "custom", "available")["ClusterMode"] == "compatible"
