"""E28: service updates (DescribeServiceUpdates, DescribeUpdateActions, BatchApplyUpdateAction,
BatchStopUpdateAction) and the control call that publishes one."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from test_emulator import create_rg, describe, emulator, ec, error_code, fast, http, reset, wait_status  # noqa: F401

PENDING = ["not-applied", "waiting-to-start", "in-progress", "stopping", "stopped", "scheduling", "scheduled"]


def publish(url: str, name: str, engine: str = "valkey", severity: str = "important") -> dict[str, Any]:
    status, body = http(url + "/_emulator/service-updates", "POST",
                        {"name": name, "engine": engine, "severity": severity,
                         "recommendedApplyBy": "2027-01-31T00:00:00Z"})
    assert status == 200, body
    return body


def pending(ec: Any, **kw: Any) -> list[dict[str, Any]]:
    return ec.describe_update_actions(ServiceUpdateStatus=["available"], UpdateActionStatus=PENDING, **kw)["UpdateActions"]


def test_published_update_has_actions_for_groups_of_its_engine(emulator: str, ec: Any) -> None:
    fast(emulator)
    create_rg(ec, "vk-a", Engine="valkey", EngineVersion="8.0")
    create_rg(ec, "rd-a", Engine="redis", EngineVersion="7.1")
    wait_status(ec, "vk-a", "available")
    publish(emulator, "elasticache-valkey-update-1", severity="critical")
    su = ec.describe_service_updates(ServiceUpdateStatus=["available"])["ServiceUpdates"]
    assert [u["ServiceUpdateName"] for u in su] == ["elasticache-valkey-update-1"]
    assert su[0]["ServiceUpdateSeverity"] == "critical" and su[0]["ServiceUpdateType"] == "security-update"
    actions = pending(ec)
    assert [(a["ReplicationGroupId"], a["UpdateActionStatus"]) for a in actions] == [("vk-a", "not-applied")]
    a = actions[0]
    assert a["ServiceUpdateSeverity"] == "critical" and a["ServiceUpdateStatus"] == "available"
    assert a["ServiceUpdateRecommendedApplyByDate"].year == 2027
    assert ec.describe_update_actions(ServiceUpdateStatus=["expired"])["UpdateActions"] == []
    with pytest.raises(ClientError) as e:
        ec.describe_update_actions(UpdateActionStatus=["nope"])
    assert error_code(e) == "InvalidParameterValue"


def test_apply_makes_the_group_modifying_then_the_action_complete(emulator: str, ec: Any) -> None:
    fast(emulator)
    create_rg(ec, "vk-b", Engine="valkey", EngineVersion="8.0")
    create_rg(ec, "vk-c", Engine="valkey", EngineVersion="8.0")
    wait_status(ec, "vk-b", "available")
    wait_status(ec, "vk-c", "available")
    publish(emulator, "vk-update-2")
    http(emulator + "/_emulator/config", "POST", {"modifyingSeconds": 1})
    out = ec.batch_apply_update_action(ServiceUpdateName="vk-update-2", ReplicationGroupIds=["vk-b", "vk-c", "missing"])
    assert [(p["ReplicationGroupId"], p["UpdateActionStatus"]) for p in out["ProcessedUpdateActions"]] == [
        ("vk-b", "in-progress"), ("vk-c", "in-progress")]
    assert [u["ReplicationGroupId"] for u in out["UnprocessedUpdateActions"]] == ["missing"]
    assert describe(ec, "vk-b")["Status"] == "modifying"
    assert {a["UpdateActionStatus"] for a in pending(ec)} == {"in-progress"}
    again = ec.batch_apply_update_action(ServiceUpdateName="vk-update-2", ReplicationGroupIds=["vk-b"])
    assert again["ProcessedUpdateActions"] == [] and len(again["UnprocessedUpdateActions"]) == 1
    wait_status(ec, "vk-b", "available")
    wait_status(ec, "vk-c", "available")
    assert pending(ec) == []
    done = ec.describe_update_actions(ServiceUpdateName="vk-update-2", ReplicationGroupIds=["vk-b"])["UpdateActions"]
    assert [(a["ReplicationGroupId"], a["UpdateActionStatus"]) for a in done] == [("vk-b", "complete")]
    events = ec.describe_events(SourceType="replication-group", SourceIdentifier="vk-b")["Events"]
    assert any("vk-update-2" in e["Message"] and "applied" in e["Message"] for e in events)


def test_stop_leaves_the_action_stopped_and_it_can_be_applied_again(emulator: str, ec: Any) -> None:
    fast(emulator)
    create_rg(ec, "vk-d", Engine="valkey", EngineVersion="8.0")
    wait_status(ec, "vk-d", "available")
    publish(emulator, "vk-update-3")
    http(emulator + "/_emulator/config", "POST", {"modifyingSeconds": 1})
    ec.batch_apply_update_action(ServiceUpdateName="vk-update-3", ReplicationGroupIds=["vk-d"])
    out = ec.batch_stop_update_action(ServiceUpdateName="vk-update-3", ReplicationGroupIds=["vk-d"])
    assert [p["UpdateActionStatus"] for p in out["ProcessedUpdateActions"]] == ["stopped"]
    wait_status(ec, "vk-d", "available")
    assert [a["UpdateActionStatus"] for a in pending(ec)] == ["stopped"]
    out = ec.batch_apply_update_action(ServiceUpdateName="vk-update-3", ReplicationGroupIds=["vk-d"])
    assert [p["UpdateActionStatus"] for p in out["ProcessedUpdateActions"]] == ["in-progress"]


def test_unknown_update_and_limits(emulator: str, ec: Any) -> None:
    with pytest.raises(ClientError) as e:
        ec.batch_apply_update_action(ServiceUpdateName="nope", ReplicationGroupIds=["x"])
    assert error_code(e) == "ServiceUpdateNotFoundFault"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    publish(emulator, "vk-update-4")
    with pytest.raises(ClientError) as e:
        ec.batch_apply_update_action(ServiceUpdateName="vk-update-4", ReplicationGroupIds=[f"g{i}" for i in range(21)])
    assert error_code(e) == "InvalidParameterValue"
    status, _ = http(emulator + "/_emulator/service-updates", "POST", {"name": "x", "engine": "memcached"})
    assert status == 400


def test_pagination_of_update_actions(emulator: str, ec: Any) -> None:
    fast(emulator)
    for i in range(25):
        create_rg(ec, f"vk-p{i:02d}", Engine="valkey", EngineVersion="8.0", NumCacheClusters=1, AutomaticFailoverEnabled=False)
    wait_status(ec, "vk-p24", "available")
    publish(emulator, "vk-update-5")
    first = ec.describe_update_actions(UpdateActionStatus=PENDING, MaxRecords=20)
    assert len(first["UpdateActions"]) == 20 and first.get("Marker")
    second = ec.describe_update_actions(UpdateActionStatus=PENDING, MaxRecords=20, Marker=first["Marker"])
    assert len(second["UpdateActions"]) == 5 and not second.get("Marker")
