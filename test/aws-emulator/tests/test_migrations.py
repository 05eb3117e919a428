"""E37: in-transit encryption switched on (and off) on a running replication group, AWS's two steps."""

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


def test_tls_on_goes_through_preferred_then_required(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    plain(ec, "tls")
    wait_status(ec, "tls", "available")
    assert describe(ec, "tls")["TransitEncryptionEnabled"] is False
    assert "TransitEncryptionMode" not in describe(ec, "tls")
    # enabling on an existing group needs TransitEncryptionMode preferred in the same request
    assert refused(ec, ReplicationGroupId="tls", TransitEncryptionEnabled=True) == "InvalidParameterCombination"
    assert refused(ec, ReplicationGroupId="tls", TransitEncryptionEnabled=True,
                   TransitEncryptionMode="required") == "InvalidParameterCombination"
    # required is the second step: not from a group without TLS
    assert refused(ec, ReplicationGroupId="tls", TransitEncryptionMode="required") == "InvalidParameterCombination"
    assert refused(ec, ReplicationGroupId="tls", TransitEncryptionEnabled=True,
                   TransitEncryptionMode="sometimes") == "InvalidParameterValue"
    rg = ec.modify_replication_group(ReplicationGroupId="tls", TransitEncryptionEnabled=True,
                                     TransitEncryptionMode="preferred", ApplyImmediately=True)["ReplicationGroup"]
    assert rg["Status"] == "modifying" and rg["TransitEncryptionEnabled"] is False  # applied when the modification ends
    rg = wait_status(ec, "tls", "available")
    assert rg["TransitEncryptionEnabled"] is True and rg["TransitEncryptionMode"] == "preferred"
    ec.modify_replication_group(ReplicationGroupId="tls", TransitEncryptionMode="required", ApplyImmediately=True)
    assert describe(ec, "tls")["TransitEncryptionMode"] == "preferred"
    rg = wait_status(ec, "tls", "available")
    assert rg["TransitEncryptionMode"] == "required"
    cc = ec.describe_cache_clusters(CacheClusterId=rg["MemberClusters"][0])["CacheClusters"][0]
    assert cc["TransitEncryptionEnabled"] is True and cc["TransitEncryptionMode"] == "required"
    # and back: required -> preferred -> off
    ec.modify_replication_group(ReplicationGroupId="tls", TransitEncryptionMode="preferred", ApplyImmediately=True)
    assert wait_status(ec, "tls", "available")["TransitEncryptionMode"] == "preferred"
    assert refused(ec, ReplicationGroupId="tls", TransitEncryptionEnabled=False,
                   TransitEncryptionMode="preferred") == "InvalidParameterCombination"
    ec.modify_replication_group(ReplicationGroupId="tls", TransitEncryptionEnabled=False, ApplyImmediately=True)
    rg = wait_status(ec, "tls", "available")
    assert rg["TransitEncryptionEnabled"] is False and "TransitEncryptionMode" not in rg


def test_tls_change_needs_engine_7(emulator: str, ec: Any) -> None:
    fast(emulator, modifyingSeconds=1)
    plain(ec, "old", Engine="redis", EngineVersion="6.2")
    wait_status(ec, "old", "available")
    assert refused(ec, ReplicationGroupId="old", TransitEncryptionEnabled=True,
                   TransitEncryptionMode="preferred") == "InvalidParameterCombination"
    plain(ec, "seven", Engine="redis", EngineVersion="7.1")
    wait_status(ec, "seven", "available")
    ec.modify_replication_group(ReplicationGroupId="seven", TransitEncryptionEnabled=True,
                                TransitEncryptionMode="preferred", ApplyImmediately=True)
    assert wait_status(ec, "seven", "available")["TransitEncryptionMode"] == "preferred"


def test_a_token_is_brought_into_a_tls_group_without_one(emulator: str, ec: Any) -> None:
    from test_emulator import TOKEN, http

    fast(emulator, modifyingSeconds=1)
    plain(ec, "auth", TransitEncryptionEnabled=True)
    wait_status(ec, "auth", "available")
    assert describe(ec, "auth")["AuthTokenEnabled"] is False
    # SET is allowed only after ROTATE (B5)
    assert refused(ec, ReplicationGroupId="auth", AuthToken=TOKEN, AuthTokenUpdateStrategy="SET") == "InvalidParameterCombination"
    ec.modify_replication_group(ReplicationGroupId="auth", AuthToken=TOKEN, AuthTokenUpdateStrategy="ROTATE",
                                ApplyImmediately=True)
    assert describe(ec, "auth")["AuthTokenEnabled"] is False  # takes effect when the modification ends
    assert wait_status(ec, "auth", "available")["AuthTokenEnabled"] is True
    assert http(emulator + "/_emulator/replication-groups/auth/auth")[1]["tokens"] == [TOKEN]
    # with a token, TLS can no longer be switched off (E7)
    assert refused(ec, ReplicationGroupId="auth", TransitEncryptionEnabled=False) == "InvalidParameterCombination"
    ec.modify_replication_group(ReplicationGroupId="auth", AuthToken=TOKEN, AuthTokenUpdateStrategy="SET",
                                ApplyImmediately=True)
    assert wait_status(ec, "auth", "available")["AuthTokenEnabled"] is True
