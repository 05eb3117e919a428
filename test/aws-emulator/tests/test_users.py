"""E39..E45: ElastiCache RBAC users and user groups, and a replication group's user group."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from test_emulator import TOKEN, create_rg, describe, emulator, ec, error_code, fast, http, raw_call, reset, wait_status  # noqa: F401

PW1 = "app-password-0001"
PW2 = "app-password-0002"


def user(ec: Any, uid: str, name: str | None = None, access: str = "on ~app:* +@read", engine: str = "valkey",
         **auth: Any) -> dict[str, Any]:
    if not auth:
        auth = {"AuthenticationMode": {"Type": "password", "Passwords": [PW1]}}
    return ec.create_user(UserId=uid, UserName=name or uid, Engine=engine, AccessString=access, **auth)


def disabled_default(ec: Any, uid: str = "app-default") -> dict[str, Any]:
    return user(ec, uid, "default", "off -@all", AuthenticationMode={"Type": "password", "Passwords": [PW2]})


def wait_user_group(ec: Any, gid: str, status: str = "active", timeout: float = 8.0) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        groups = ec.describe_user_groups()["UserGroups"]
        g = next((g for g in groups if g["UserGroupId"] == gid), None)
        if (g is None and status == "gone") or (g is not None and g["Status"] == status):
            return g or {}
        if time.time() > deadline:
            raise AssertionError(f"user group {gid}: {g and g['Status']}, wanted {status}")
        time.sleep(0.1)


def expect(code: str, fn: Any, *args: Any, **kw: Any) -> None:
    with pytest.raises(ClientError) as e:
        fn(*args, **kw)
    assert error_code(e) == code, e.value.response["Error"]


def test_create_user_rules(emulator: str, ec: Any) -> None:
    u = user(ec, "App-1", "app1")
    assert u["UserId"] == "app-1"  # stored lower case
    assert u["Status"] == "active" and u["Authentication"] == {"Type": "password", "PasswordCount": 1}
    assert u["ARN"].endswith(":user:app-1") and u["UserGroupIds"] == []
    expect("UserAlreadyExists", user, ec, "app-1")
    expect("InvalidParameterValue", user, ec, "1app")
    expect("InvalidParameterValue", user, ec, "app--x")
    expect("InvalidParameterValue", user, ec, "app-", )
    expect("InvalidParameterValue", user, ec, "e1", engine="memcached")
    # access strings: no passwords, no reset, only ACL rules
    for bad in ("on >secretpassword ~* +@all", "on nopass ~*", "reset on ~* +@all", "on ~* +@all #abc", "on ~* +@all bogus"):
        expect("InvalidParameterValue", user, ec, "a1", access=bad)
    # authentication modes
    expect("InvalidParameterCombination", user, ec, "a2", AuthenticationMode={"Type": "password"})
    expect("InvalidParameterCombination", user, ec, "a2",
           AuthenticationMode={"Type": "password", "Passwords": [PW1, PW2, PW1 + "x"]})
    expect("InvalidParameterValue", user, ec, "a2", AuthenticationMode={"Type": "password", "Passwords": ["short"]})
    expect("InvalidParameterCombination", user, ec, "a2", AuthenticationMode={"Type": "iam", "Passwords": [PW1]})
    # IAM: user name equals user id
    expect("InvalidParameterCombination", user, ec, "iam-app", "other", AuthenticationMode={"Type": "iam"})
    iam = user(ec, "iam-app", "iam-app", AuthenticationMode={"Type": "iam"})
    assert iam["Authentication"] == {"Type": "iam"}
    two = user(ec, "two", AuthenticationMode={"Type": "password", "Passwords": [PW1, PW2]})
    assert two["Authentication"]["PasswordCount"] == 2
    npw = user(ec, "np", engine="redis", NoPasswordRequired=True)
    assert npw["Authentication"]["Type"] == "no-password"
    # passwords never leave the emulator through the API
    status, body = raw_call(emulator, "elasticache", {"Action": "DescribeUsers", "Version": "2015-02-02"})
    assert status == 200 and "app-1" in body and PW1 not in body and PW2 not in body


def test_builtin_default_user_and_modify_delete(emulator: str, ec: Any) -> None:
    fast(emulator, userSeconds=0.5)
    d = ec.describe_users(UserId="default")["Users"][0]
    assert d["UserName"] == "default" and d["AccessString"] == "on ~* +@all"
    expect("InvalidParameterValue", ec.modify_user, UserId="default", AccessString="off")
    expect("InvalidParameterValue", ec.delete_user, UserId="default")
    user(ec, "app")
    m = ec.modify_user(UserId="app", AppendAccessString="+@write")
    assert m["Status"] == "modifying" and m["AccessString"] == "on ~app:* +@read +@write"
    expect("InvalidUserState", ec.modify_user, UserId="app", AccessString="on ~* +@all")
    time.sleep(0.7)
    ec.modify_user(UserId="app", AuthenticationMode={"Type": "password", "Passwords": [PW1, PW2]})
    time.sleep(0.7)
    assert ec.describe_users(UserId="app")["Users"][0]["Authentication"]["PasswordCount"] == 2
    expect("InvalidParameterCombination", ec.modify_user, UserId="app")
    assert ec.delete_user(UserId="app")["Status"] == "deleting"
    time.sleep(0.7)
    expect("UserNotFound", ec.describe_users, UserId="app")
    expect("UserNotFound", ec.delete_user, UserId="app")


def test_modify_user_switches_between_password_and_iam_in_place(emulator: str, ec: Any) -> None:
    """E78: AuthenticationMode on ModifyUser; to iam only when the user name is the user id."""
    fast(emulator, userSeconds=0.3)
    user(ec, "sw-1", "sw-1", AuthenticationMode={"Type": "iam"})
    expect("InvalidParameterCombination", ec.modify_user, UserId="sw-1", AuthenticationMode={"Type": "password"})
    expect("InvalidParameterCombination", ec.modify_user, UserId="sw-1", AuthenticationMode={"Type": "iam", "Passwords": [PW1]})
    m = ec.modify_user(UserId="sw-1", AuthenticationMode={"Type": "password", "Passwords": [PW1]})
    assert m["Status"] == "modifying" and m["Authentication"] == {"Type": "password", "PasswordCount": 1}
    assert m["UserName"] == "sw-1"  # the name stays: ModifyUser has no UserName
    time.sleep(0.5)
    m = ec.modify_user(UserId="sw-1", AuthenticationMode={"Type": "iam"})
    assert m["Authentication"] == {"Type": "iam"}
    user(ec, "sw-2", "named")
    expect("InvalidParameterCombination", ec.modify_user, UserId="sw-2", AuthenticationMode={"Type": "iam"})
    u = ec.describe_users(UserId="sw-2")["Users"][0]
    assert u["Status"] == "active" and u["Authentication"] == {"Type": "password", "PasswordCount": 1}


def test_user_group_rules(emulator: str, ec: Any) -> None:
    fast(emulator, userSeconds=0.5)
    user(ec, "app")
    user(ec, "app-twin", "app")
    disabled_default(ec)
    expect("DefaultUserRequired", ec.create_user_group, UserGroupId="g1", Engine="valkey", UserIds=["app"])
    expect("UserNotFound", ec.create_user_group, UserGroupId="g1", Engine="valkey", UserIds=["app-default", "nobody"])
    expect("DuplicateUserName", ec.create_user_group, UserGroupId="g1", Engine="valkey",
           UserIds=["app-default", "app", "app-twin"])
    # a valkey user group holds only users that authenticate (the built-in default has no password)
    expect("InvalidParameterCombination", ec.create_user_group, UserGroupId="g1", Engine="valkey", UserIds=["default", "app"])
    g = ec.create_user_group(UserGroupId="G1", Engine="valkey", UserIds=["app-default", "app"])
    assert g["UserGroupId"] == "g1" and g["Status"] == "creating" and g["UserIds"] == ["app-default", "app"]
    expect("UserGroupAlreadyExists", ec.create_user_group, UserGroupId="g1", Engine="valkey", UserIds=["app-default"])
    expect("InvalidUserGroupState", ec.modify_user_group, UserGroupId="g1", UserIdsToRemove=["app"])
    wait_user_group(ec, "g1")
    assert ec.describe_users(UserId="app")["Users"][0]["UserGroupIds"] == ["g1"]
    expect("DefaultUserRequired", ec.modify_user_group, UserGroupId="g1", UserIdsToRemove=["app-default"])
    expect("DefaultUserAssociatedToUserGroup", ec.delete_user, UserId="app-default")
    m = ec.modify_user_group(UserGroupId="g1", UserIdsToRemove=["app"])
    assert m["Status"] == "modifying" and m["PendingChanges"]["UserIdsToRemove"] == ["app"]
    g = wait_user_group(ec, "g1")
    assert g["UserIds"] == ["app-default"] and "PendingChanges" not in g
    assert ec.delete_user_group(UserGroupId="g1")["Status"] == "deleting"
    wait_user_group(ec, "g1", "gone")
    expect("UserGroupNotFound", ec.describe_user_groups, UserGroupId="g1")


def test_replication_group_user_group_and_migration_from_auth(emulator: str, ec: Any) -> None:
    fast(emulator, userSeconds=0.2, modifyingSeconds=0.5)
    user(ec, "app", access="on ~app:* +@read +@write")
    disabled_default(ec)
    ec.create_user_group(UserGroupId="ug", Engine="valkey", UserIds=["app-default", "app"])
    user(ec, "rd-default", "default", "off -@all", engine="redis", NoPasswordRequired=True)
    ec.create_user_group(UserGroupId="ug-redis", Engine="redis", UserIds=["rd-default"])
    ec.create_user_group(UserGroupId="ug2", Engine="valkey", UserIds=["app-default"])
    expect("InvalidUserGroupState", create_rg, ec, "c0", Engine="valkey", EngineVersion="8.0",
           TransitEncryptionEnabled=True, UserGroupIds=["ug"])  # still creating
    wait_user_group(ec, "ug")
    wait_user_group(ec, "ug2")
    expect("InvalidParameterCombination", create_rg, ec, "c0", Engine="valkey", EngineVersion="8.0", UserGroupIds=["ug"])
    expect("InvalidParameterCombination", create_rg, ec, "c0", Engine="redis", EngineVersion="7.1",
           TransitEncryptionEnabled=True, UserGroupIds=["ug"])  # a Redis OSS cluster needs a redis user group
    expect("InvalidParameterCombination", create_rg, ec, "c0", Engine="valkey", EngineVersion="8.0",
           TransitEncryptionEnabled=True, UserGroupIds=["ug", "ug2"])  # one user group per cache
    expect("UserGroupNotFound", create_rg, ec, "c0", Engine="valkey", EngineVersion="8.0",
           TransitEncryptionEnabled=True, UserGroupIds=["nope"])
    create_rg(ec, "c0", Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True, UserGroupIds=["ug"])
    assert describe(ec, "c0")["UserGroupIds"] == ["ug"]
    assert ec.describe_user_groups(UserGroupId="ug")["UserGroups"][0]["ReplicationGroups"] == ["c0"]
    expect("InvalidUserGroupState", ec.delete_user_group, UserGroupId="ug")

    # AUTH token -> user group: only through AuthTokenUpdateStrategy DELETE, applied when the modification ends
    create_rg(ec, "c1", Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True, AuthToken=TOKEN)
    wait_status(ec, "c1", "available")
    expect("InvalidParameterCombination", ec.modify_replication_group, ReplicationGroupId="c1",
           UserGroupIdsToAdd=["ug2"], ApplyImmediately=True)
    ec.modify_replication_group(ReplicationGroupId="c1", AuthTokenUpdateStrategy="DELETE",
                                UserGroupIdsToAdd=["ug2"], ApplyImmediately=True)
    rg = describe(ec, "c1")
    assert rg["Status"] == "modifying" and rg["UserGroupIds"] == []
    assert rg["PendingModifiedValues"]["UserGroups"]["UserGroupIdsToAdd"] == ["ug2"]
    assert http(emulator + "/_emulator/replication-groups/c1/auth")[1]["tokens"] == [TOKEN]  # still accepted
    rg = wait_status(ec, "c1", "available")
    assert rg["UserGroupIds"] == ["ug2"] and rg["AuthTokenEnabled"] is False
    users = http(emulator + "/_emulator/replication-groups/c1/users")[1]
    assert [(u["userName"], u["accessString"], u["passwords"]) for u in users["users"]] == [("default", "off -@all", [PW2])]
    # swap the group: the one-group rule counts what stays
    expect("InvalidParameterCombination", ec.modify_replication_group, ReplicationGroupId="c1",
           UserGroupIdsToAdd=["ug"], ApplyImmediately=True)
    ec.modify_replication_group(ReplicationGroupId="c1", UserGroupIdsToAdd=["ug"], UserGroupIdsToRemove=["ug2"],
                                ApplyImmediately=True)
    rg = wait_status(ec, "c1", "available")
    assert rg["UserGroupIds"] == ["ug"]
    users = http(emulator + "/_emulator/replication-groups/c1/users")[1]["users"]
    assert {u["userName"]: u["enabled"] for u in users} == {"default": False, "app": True}


def test_create_with_a_user_group_takes_no_token_and_users_carry_their_tags(emulator: str, ec: Any) -> None:
    """E47: CreateReplicationGroup with UserGroupIds and an AuthToken is refused; CreateUser Tags are read back by ARN."""
    u = user(ec, "t-app", "app", AuthenticationMode={"Type": "password", "Passwords": [PW1]},
             Tags=[{"Key": "owner", "Value": "c7"}])
    assert ec.list_tags_for_resource(ResourceName=u["ARN"])["TagList"] == [{"Key": "owner", "Value": "c7"}]
    disabled_default(ec, "t-default")
    ec.create_user_group(UserGroupId="tg", Engine="valkey", UserIds=["t-default", "t-app"])
    wait_user_group(ec, "tg")
    expect("InvalidParameterCombination", create_rg, ec, "c7", Engine="valkey", EngineVersion="8.0",
           TransitEncryptionEnabled=True, UserGroupIds=["tg"], AuthToken=TOKEN)
    create_rg(ec, "c7", Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True, UserGroupIds=["tg"])
    rg = describe(ec, "c7")
    assert rg["UserGroupIds"] == ["tg"] and rg["AuthTokenEnabled"] is False


def test_auth_off_through_a_user_group_whose_default_user_takes_the_token(emulator: str, ec: Any) -> None:
    """E70: AWS's "Disabling access control" for a cache with an AUTH token, end to end on E20 and E44."""
    fast(emulator, userSeconds=0.2, modifyingSeconds=0.5)
    user(ec, "tok-default", "default", "on ~* &* +@all", AuthenticationMode={"Type": "password", "Passwords": [TOKEN]})
    ec.create_user_group(UserGroupId="ug-off", Engine="valkey", UserIds=["tok-default"])
    wait_user_group(ec, "ug-off")
    create_rg(ec, "off1", Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True, AuthToken=TOKEN)
    wait_status(ec, "off1", "available")
    ec.modify_replication_group(ReplicationGroupId="off1", AuthTokenUpdateStrategy="DELETE",
                                UserGroupIdsToAdd=["ug-off"], ApplyImmediately=True)
    rg = wait_status(ec, "off1", "available")
    assert rg["UserGroupIds"] == ["ug-off"] and rg["AuthTokenEnabled"] is False
    users = http(emulator + "/_emulator/replication-groups/off1/users")[1]["users"]
    assert [(u["userName"], u["passwords"]) for u in users] == [("default", [TOKEN])]  # the token still lets clients in
    # the group off: no access control
    ec.modify_replication_group(ReplicationGroupId="off1", UserGroupIdsToRemove=["ug-off"], ApplyImmediately=True)
    rg = describe(ec, "off1")
    assert rg["Status"] == "modifying" and rg["UserGroupIds"] == ["ug-off"]
    assert rg["PendingModifiedValues"]["UserGroups"]["UserGroupIdsToRemove"] == ["ug-off"]
    expect("InvalidUserGroupState", ec.delete_user_group, UserGroupId="ug-off")  # still on the cache
    rg = wait_status(ec, "off1", "available")
    assert rg["UserGroupIds"] == [] and rg["AuthTokenEnabled"] is False
    assert http(emulator + "/_emulator/replication-groups/off1/users")[1]["users"] == []
    assert http(emulator + "/_emulator/replication-groups/off1/auth")[1]["tokens"] == []
    ec.delete_user_group(UserGroupId="ug-off")
    wait_user_group(ec, "ug-off", "gone")
    ec.delete_user(UserId="tok-default")


def test_back_from_rbac_to_auth_by_remove_user_groups_rotate_then_set(emulator: str, ec: Any) -> None:
    """E71: AWS's "Migrating from RBAC to AUTH": RemoveUserGroups + AuthToken + ROTATE (an optional token), then SET."""
    fast(emulator, userSeconds=0.2, modifyingSeconds=0.5)
    disabled_default(ec, "bk-default")
    user(ec, "bk-app", "app", "on ~app:* +@all")
    ec.create_user_group(UserGroupId="ug-back", Engine="valkey", UserIds=["bk-default", "bk-app"])
    wait_user_group(ec, "ug-back")
    create_rg(ec, "back1", Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True, UserGroupIds=["ug-back"])
    wait_status(ec, "back1", "available")
    create_rg(ec, "back2", Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True)
    wait_status(ec, "back2", "available")
    # the emulator's refusals (E71): nothing to remove, or RemoveUserGroups with a contradicting parameter
    expect("InvalidParameterCombination", ec.modify_replication_group, ReplicationGroupId="back2", RemoveUserGroups=True,
           AuthToken=TOKEN, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)
    expect("InvalidParameterCombination", ec.modify_replication_group, ReplicationGroupId="back1", RemoveUserGroups=True,
           UserGroupIdsToRemove=["ug-back"], AuthToken=TOKEN, ApplyImmediately=True)
    expect("InvalidParameterCombination", ec.modify_replication_group, ReplicationGroupId="back1", RemoveUserGroups=True,
           AuthTokenUpdateStrategy="DELETE", ApplyImmediately=True)
    ec.modify_replication_group(ReplicationGroupId="back1", RemoveUserGroups=True, AuthToken=TOKEN,
                                AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)
    rg = describe(ec, "back1")
    # while AWS applies it, the group's users are still the ones let in
    assert rg["Status"] == "modifying" and rg["UserGroupIds"] == ["ug-back"] and rg["AuthTokenEnabled"] is False
    assert rg["PendingModifiedValues"]["AuthTokenStatus"] == "ROTATING"
    assert rg["PendingModifiedValues"]["UserGroups"]["UserGroupIdsToRemove"] == ["ug-back"]
    assert [u["userName"] for u in http(emulator + "/_emulator/replication-groups/back1/users")[1]["users"]] == ["default", "app"]
    expect("InvalidUserGroupState", ec.delete_user_group, UserGroupId="ug-back")
    rg = wait_status(ec, "back1", "available")
    assert rg["UserGroupIds"] == [] and rg["AuthTokenEnabled"] is True
    assert http(emulator + "/_emulator/replication-groups/back1/users")[1]["users"] == []
    auth = http(emulator + "/_emulator/replication-groups/back1/auth")[1]
    assert auth["tokens"] == [TOKEN] and auth["optional"] is True  # unauthenticated clients let in until SET
    ec.modify_replication_group(ReplicationGroupId="back1", AuthToken=TOKEN, AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    wait_status(ec, "back1", "available")
    auth = http(emulator + "/_emulator/replication-groups/back1/auth")[1]
    assert auth["tokens"] == [TOKEN] and auth["optional"] is False
    ec.delete_user_group(UserGroupId="ug-back")
    wait_user_group(ec, "ug-back", "gone")
