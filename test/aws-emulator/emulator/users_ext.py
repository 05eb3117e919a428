"""ElastiCache RBAC users and user groups (EXTENSIONS.md rows E39 .. E45).

moto 5.2.1 has CreateUser, DescribeUsers and DeleteUser with few rules and no
ModifyUser or user-group calls at all. These handlers replace moto's and add
the rest, written from the ElastiCache API reference (CreateUser, ModifyUser,
DeleteUser, DescribeUsers, CreateUserGroup, ModifyUserGroup, DeleteUserGroup,
DescribeUserGroups; data types User, UserGroup, Authentication,
AuthenticationMode) and the user guide "Role-Based Access Control (RBAC)".

Users and user groups live on the ElastiCache backend (so moto's reset clears
them); their timed states advance lazily, like replication groups' (E1).
"""

from __future__ import annotations

import re
import time
from typing import Any

from moto.core.responses import ActionResult
from moto.elasticache.models import ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse

from .elasticache_ext import EmuError, _backend, _p, _required, _tags, invalid_combination, invalid_value, paginate
from .state import STATE

ENGINES = ("valkey", "redis")
AUTH_TYPES = ("password", "iam", "no-password-required")
# CreateUser UserId / CreateUserGroup UserGroupId: "Pattern: [a-zA-Z][a-zA-Z0-9\-]*", stored lower case.
_ID_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]*$")
# The RBAC guide: passwords 16..128 printable characters (the same rule as the AUTH token's length);
# the emulator allows any printable ASCII except space, which Valkey's ACL would split on.
_PASSWORD_RE = re.compile(r"^[!-~]{16,128}$")


def user_not_found(uid: str) -> EmuError:
    return EmuError("UserNotFound", f"User {uid} not found.")


def group_not_found(gid: str) -> EmuError:
    return EmuError("UserGroupNotFound", f"User group {gid} not found.")


def _now() -> float:
    return time.monotonic()


def _seconds() -> float:
    return float(STATE.get("userSeconds") or 0)


# ---------------------------------------------------------------------------
# access strings (user guide, RBAC, "Specifying Permissions Using an Access String")

_RULE_RE = re.compile(
    r"^(on|off|allkeys|resetkeys|allchannels|resetchannels|allcommands|nocommands"
    r"|~\S+|%(R|W|RW)~\S+|&\S+|[+-]@[A-Za-z0-9_-]+|[+-][A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)?)$")


def access_string_problem(access: str | None) -> str | None:
    """Why AWS refuses this access string, or None. Mirrors decide/AccessStrings.java."""
    if access is None or not access.strip():
        return "AccessString must contain a non-blank rule."
    for rule in access.split():
        low = rule.lower()
        # "You can't specify passwords in an access string": >pw, <pw, #hash, !hash, nopass, resetpass
        if rule[0] in "><#!" or low in ("nopass", "resetpass"):
            return "Passwords cannot be specified in an access string; use Passwords or AuthenticationMode."
        if low == "reset":  # "You can't use the reset command as part of an access string"
            return "The reset rule cannot be used in an access string."
        if not _RULE_RE.match(rule):
            return f"Invalid access string rule: {rule}"
    return None


def enabled(access: str) -> bool:
    """'If neither [on nor off] is specified in the access string, the user is assigned off.'"""
    state = "off"
    for rule in access.split():
        if rule.lower() in ("on", "off"):
            state = rule.lower()
    return state == "on"


# ---------------------------------------------------------------------------
# model


class EmuUser:
    def __init__(self, backend: ElastiCacheBackend, user_id: str, user_name: str, engine: str,
                 access: str, auth_type: str, passwords: list[str], tags: list[dict[str, str]]) -> None:
        self.user_id = user_id
        self.user_name = user_name
        self.engine = engine
        self.access_string = access
        self.auth_type = auth_type
        self.passwords = list(passwords)
        self.status = "active"
        self.status_until = 0.0
        self.arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:user:{user_id}"
        self.tags = tags

    def start(self, status: str) -> None:
        self.status = status
        self.status_until = _now() + _seconds()

    def to_aws(self, b: ElastiCacheBackend) -> dict[str, Any]:
        groups = sorted(gid for gid, g in _groups(b).items() if self.user_id in g.user_ids)
        auth: dict[str, Any] = {"Type": "no-password" if self.auth_type == "no-password-required" else self.auth_type}
        if self.auth_type == "password":
            auth["PasswordCount"] = len(self.passwords)
        return {"UserId": self.user_id, "UserName": self.user_name, "Status": self.status, "Engine": self.engine,
                "MinimumEngineVersion": "7.2" if self.engine == "valkey" else "6.0",
                "AccessString": self.access_string, "UserGroupIds": groups, "Authentication": auth, "ARN": self.arn}


class EmuUserGroup:
    def __init__(self, backend: ElastiCacheBackend, gid: str, engine: str, user_ids: list[str]) -> None:
        self.user_group_id = gid
        self.engine = engine
        self.user_ids = list(user_ids)
        self.pending_add: list[str] = []
        self.pending_remove: list[str] = []
        self.arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:usergroup:{gid}"
        self.status = "creating"
        self.status_until = _now() + _seconds()

    def start(self, status: str) -> None:
        self.status = status
        self.status_until = _now() + _seconds()

    def to_aws(self, b: ElastiCacheBackend) -> dict[str, Any]:
        rgs = sorted(rid for rid, rg in b.replication_groups.items()
                     if self.user_group_id in (getattr(rg, "user_group_ids", None) or []))
        out: dict[str, Any] = {"UserGroupId": self.user_group_id, "Status": self.status, "Engine": self.engine,
                               "UserIds": list(self.user_ids), "MinimumEngineVersion": "7.2" if self.engine == "valkey" else "6.0",
                               "ReplicationGroups": rgs, "ServerlessCaches": _serverless_using(b, self.user_group_id),
                               "ARN": self.arn}
        if self.pending_add or self.pending_remove:
            out["PendingChanges"] = {"UserIdsToAdd": list(self.pending_add), "UserIdsToRemove": list(self.pending_remove)}
        return out


def _serverless_using(b: ElastiCacheBackend, gid: str) -> list[str]:
    from .serverless_ext import using_user_group
    return using_user_group(b, gid)


def _users(b: ElastiCacheBackend) -> dict[str, EmuUser]:
    users = getattr(b, "emu_users", None)
    if users is None:
        # "ElastiCache automatically configures a default user with user ID and user name 'default' …
        # You can't modify or delete this user." Its access string permits every command and key.
        users = {"default": EmuUser(b, "default", "default", "redis", "on ~* +@all", "no-password-required", [], [])}
        b.emu_users = users
        b.emu_user_groups = {}
    return users


def _groups(b: ElastiCacheBackend) -> dict[str, EmuUserGroup]:
    _users(b)
    return b.emu_user_groups


def tick_users(b: ElastiCacheBackend) -> None:
    t = _now()
    users = _users(b)
    groups = _groups(b)
    for gid, g in list(groups.items()):
        if g.status != "active" and t >= g.status_until:
            if g.status == "deleting":
                del groups[gid]
                b.tagging_service.delete_all_tags_for_resource(g.arn)
                continue
            if g.status == "modifying":
                g.user_ids = [u for u in g.user_ids if u not in g.pending_remove] + \
                    [u for u in g.pending_add if u not in g.user_ids]
                g.pending_add, g.pending_remove = [], []
            g.status = "active"
    for uid, u in list(users.items()):
        if u.status != "active" and t >= u.status_until:
            if u.status == "deleting":
                del users[uid]
                b.tagging_service.delete_all_tags_for_resource(u.arn)
                for g in groups.values():
                    if uid in g.user_ids:
                        g.user_ids.remove(uid)
                continue
            u.status = "active"


def _b(self: ElastiCacheResponse) -> ElastiCacheBackend:
    b = _backend(self)
    tick_users(b)
    return b


def _get_user(b: ElastiCacheBackend, uid: str) -> EmuUser:
    u = _users(b).get((uid or "").lower())
    if u is None:
        raise user_not_found(uid)
    return u


def get_user_group(b: ElastiCacheBackend, gid: str) -> EmuUserGroup:
    tick_users(b)
    g = _groups(b).get((gid or "").lower())
    if g is None:
        raise group_not_found(gid)
    return g


def _check_id(value: str, what: str) -> str:
    if not _ID_RE.match(value) or "--" in value or value.endswith("-"):
        raise invalid_value(f"Invalid {what}: {value}. It must begin with a letter and contain only letters, "
                            "digits and hyphens, without two consecutive hyphens or a trailing hyphen.")
    return value.lower()


def _list(self: ElastiCacheResponse, name: str) -> list[str] | None:
    v = self._get_param(name)
    return list(v) if v else None


def _authentication(self: ElastiCacheResponse, user_id: str, user_name: str | None,
                    current: EmuUser | None) -> tuple[str, list[str]] | None:
    """(type, passwords) requested by AuthenticationMode / Passwords / NoPasswordRequired, or None."""
    mode = self._get_params().get("AuthenticationMode") or {}
    mode_type = mode.get("Type")
    mode_passwords = list(mode.get("Passwords") or [])
    passwords = _list(self, "Passwords") or []
    npr = self._get_param("NoPasswordRequired")
    npr = None if npr is None else str(npr).lower() == "true"
    if mode_type is None and not mode_passwords and not passwords and npr is None:
        return None
    if mode_passwords and passwords:
        raise invalid_combination("Passwords given both in Passwords and in AuthenticationMode.")
    passwords = passwords or mode_passwords
    if mode_type is not None and mode_type not in AUTH_TYPES:
        raise invalid_value(f"Invalid AuthenticationMode Type: {mode_type}. Valid: {', '.join(AUTH_TYPES)}.")
    auth_type = mode_type or ("no-password-required" if npr else "password")
    if npr and auth_type != "no-password-required":
        raise invalid_combination(f"NoPasswordRequired cannot be true with authentication type {auth_type}.")
    if auth_type == "password":
        if not 1 <= len(passwords) <= 2:
            # "You can create up to two passwords for each user" (CreateUser, ModifyUser Passwords)
            raise invalid_combination("A user with authentication type password must have one or two passwords.")
        for pw in passwords:
            if not _PASSWORD_RE.match(pw):
                raise invalid_value("Invalid password: passwords must be 16 to 128 printable characters.")
    elif passwords:
        raise invalid_combination(f"Passwords cannot be given with authentication type {auth_type}.")
    if auth_type == "iam":
        name = user_name if user_name is not None else (current.user_name if current else None)
        if name != user_id:
            # user guide, "Authenticating with IAM": the user ID and user name must be identical (E39; on ModifyUser, E78:
            # the name the user holds, which ModifyUser cannot change)
            raise invalid_combination("For IAM authentication the UserId and UserName must be identical.")
    return auth_type, passwords



# ---------------------------------------------------------------------------
# users


def create_user(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    uid = _check_id(_required(self, "UserId"), "UserId")
    name = _required(self, "UserName")
    engine = str(_required(self, "Engine")).lower()
    if engine not in ENGINES:
        raise invalid_value(f"Invalid engine: {engine}. Valid: valkey, redis.")
    access = _required(self, "AccessString")
    problem = access_string_problem(access)
    if problem:
        raise invalid_value(problem)
    auth = _authentication(self, uid, name, None)
    if auth is None:
        raise invalid_combination("A password, NoPasswordRequired or AuthenticationMode is required.")
    if uid in _users(b):
        raise EmuError("UserAlreadyExists", f"User {uid} already exists.")
    tags = _tags(self)
    u = EmuUser(b, uid, name, engine, access, auth[0], auth[1], tags)
    _users(b)[uid] = u
    if tags:
        b.tagging_service.tag_resource(u.arn, tags)
    return ActionResult(u.to_aws(b))


def modify_user(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    u = _get_user(b, _required(self, "UserId"))
    if u.user_id == "default":
        raise invalid_value("The default user cannot be modified.")
    if u.status != "active":
        raise EmuError("InvalidUserState", f"User {u.user_id} is not active (current status: {u.status}).")
    access = _p(self, "AccessString")
    append = _p(self, "AppendAccessString")
    for a in (access, append):
        if a is not None:
            problem = access_string_problem(a)
            if problem:
                raise invalid_value(problem)
    auth = _authentication(self, u.user_id, None, u)
    if access is None and append is None and auth is None:
        raise invalid_combination("No modifications were requested.")
    if access is not None:
        u.access_string = access
    if append is not None:
        u.access_string = f"{u.access_string} {append}"
    if auth is not None:
        u.auth_type, u.passwords = auth
    u.start("modifying")
    return ActionResult(u.to_aws(b))


def delete_user(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    u = _get_user(b, _required(self, "UserId"))
    if u.user_id == "default":
        raise invalid_value("The default user cannot be deleted.")
    if u.status != "active":
        raise EmuError("InvalidUserState", f"User {u.user_id} is not active (current status: {u.status}).")
    if u.user_name == "default" and any(u.user_id in g.user_ids for g in _groups(b).values()):
        raise EmuError("DefaultUserAssociatedToUserGroup",
                       f"User {u.user_id} is the default user of a user group; replace it there first.")
    u.start("deleting")
    return ActionResult(u.to_aws(b))


def describe_users(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    uid = _p(self, "UserId")
    engine = _p(self, "Engine")
    users = list(_users(b).values())
    if uid:
        users = [_get_user(b, uid)]
    if engine:
        users = [u for u in users if u.engine == str(engine).lower()]
    page, marker = paginate(sorted(users, key=lambda u: u.user_id), lambda u: u.user_id,
                            _p(self, "MaxRecords"), _p(self, "Marker"))
    out: dict[str, Any] = {"Users": [u.to_aws(b) for u in page]}
    if marker:
        out["Marker"] = marker
    return ActionResult(out)


# ---------------------------------------------------------------------------
# user groups


def _check_members(b: ElastiCacheBackend, engine: str, user_ids: list[str]) -> list[str]:
    users = [_get_user(b, uid) for uid in user_ids]
    names = [u.user_name for u in users]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise EmuError("DuplicateUserName", f"A user group cannot have two users named {dup[0]}.")
    if "default" not in names:
        # "A user named default must be included" (CreateUserGroup UserIds; error DefaultUserRequired)
        raise EmuError("DefaultUserRequired", "A user group must contain a user with the user name default.")
    if engine == "valkey":
        for u in users:
            # RBAC guide: "A user group configured for the VALKEY engine can contain only users with an
            # authentication mechanism (password or IAM)".
            if u.auth_type == "no-password-required":
                raise invalid_combination(f"User {u.user_id} has no password and cannot join a valkey user group.")
    return [u.user_id for u in users]


def create_user_group(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    gid = _check_id(_required(self, "UserGroupId"), "UserGroupId")
    engine = str(_required(self, "Engine")).lower()
    if engine not in ENGINES:
        raise invalid_value(f"Invalid engine: {engine}. Valid: valkey, redis.")
    user_ids = [x.lower() for x in (_list(self, "UserIds") or [])]
    if gid in _groups(b):
        raise EmuError("UserGroupAlreadyExists", f"User group {gid} already exists.")
    members = _check_members(b, engine, user_ids)
    g = EmuUserGroup(b, gid, engine, members)
    _groups(b)[gid] = g
    tags = _tags(self)
    if tags:
        b.tagging_service.tag_resource(g.arn, tags)
    return ActionResult(g.to_aws(b))


def modify_user_group(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    g = get_user_group(b, _required(self, "UserGroupId"))
    if g.status != "active":
        raise EmuError("InvalidUserGroupState", f"User group {g.user_group_id} is not active (current status: {g.status}).")
    add = [x.lower() for x in (_list(self, "UserIdsToAdd") or [])]
    remove = [x.lower() for x in (_list(self, "UserIdsToRemove") or [])]
    if not add and not remove:
        raise invalid_combination("No modifications were requested.")
    for uid in remove:
        if uid not in g.user_ids:
            raise invalid_value(f"User {uid} is not in user group {g.user_group_id}.")
    for uid in add:
        if uid in g.user_ids:
            raise invalid_value(f"User {uid} is already in user group {g.user_group_id}.")
    after = [u for u in g.user_ids if u not in remove] + add
    _check_members(b, g.engine, after)
    g.pending_add, g.pending_remove = add, remove
    g.start("modifying")
    return ActionResult(g.to_aws(b))


def delete_user_group(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    g = get_user_group(b, _required(self, "UserGroupId"))
    if g.status != "active":
        raise EmuError("InvalidUserGroupState", f"User group {g.user_group_id} is not active (current status: {g.status}).")
    users_of = [rid for rid, rg in b.replication_groups.items()
                if g.user_group_id in (getattr(rg, "user_group_ids", None) or [])
                or g.user_group_id in (getattr(rg, "pending_user_groups", None) or ([], []))[0]]
    if users_of:
        # DeleteUserGroup: "The user group must first be disassociated from the cluster before it can be deleted."
        raise EmuError("InvalidUserGroupState",
                       f"User group {g.user_group_id} is associated with replication group {users_of[0]}.")
    serverless = _serverless_using(b, g.user_group_id)
    if serverless:
        # E66: the same for a serverless cache
        raise EmuError("InvalidUserGroupState",
                       f"User group {g.user_group_id} is associated with serverless cache {serverless[0]}.")
    g.start("deleting")
    return ActionResult(g.to_aws(b))


def describe_user_groups(self: ElastiCacheResponse) -> ActionResult:
    b = _b(self)
    gid = _p(self, "UserGroupId")
    groups = [get_user_group(b, gid)] if gid else list(_groups(b).values())
    page, marker = paginate(sorted(groups, key=lambda g: g.user_group_id), lambda g: g.user_group_id,
                            _p(self, "MaxRecords"), _p(self, "Marker"))
    out: dict[str, Any] = {"UserGroups": [g.to_aws(b) for g in page]}
    if marker:
        out["Marker"] = marker
    return ActionResult(out)


# ---------------------------------------------------------------------------
# replication groups (E44): called by elasticache_ext's Create/ModifyReplicationGroup


def check_user_groups_for(b: ElastiCacheBackend, engine: str, transit: bool, current: list[str],
                          add: list[str], remove: list[str]) -> list[str]:
    """The user groups a replication group has after adding/removing these; raises AWS's errors."""
    for gid in add + remove:
        g = get_user_group(b, gid)
        if gid in add and g.status != "active":
            raise EmuError("InvalidUserGroupState", f"User group {gid} is not active (current status: {g.status}).")
        if gid in add and engine == "redis" and g.engine != "redis":
            # RBAC guide: "When using RBAC with Redis OSS clusters, only user groups with engine REDIS can be used."
            raise invalid_combination(f"User group {gid} has engine {g.engine}; a Redis OSS cluster needs a redis user group.")
    for gid in remove:
        if gid not in current:
            raise invalid_value(f"User group {gid} is not associated with the replication group.")
    after = [g for g in current if g not in remove] + [g for g in add if g not in current]
    if add and not transit:
        raise invalid_combination("User groups can be used only when TransitEncryptionEnabled is true.")
    if len(after) > 1:
        # CreateReplicationGroup / ModifyReplicationGroup: one user group per replication group
        raise invalid_combination("A replication group can have at most one user group.")
    return after


def acl_of(b: ElastiCacheBackend, group_ids: list[str]) -> list[dict[str, Any]]:
    """The data plane's users for a cache with these user groups (the bridge's view, test only)."""
    tick_users(b)
    out = []
    for gid in group_ids:
        g = _groups(b).get(gid)
        if g is None:
            continue
        for uid in g.user_ids:
            u = _users(b).get(uid)
            if u is None or u.status == "deleting":
                continue
            out.append({"userId": u.user_id, "userName": u.user_name, "accessString": u.access_string,
                        "authentication": u.auth_type, "passwords": list(u.passwords), "enabled": enabled(u.access_string)})
    return out


HANDLERS = {
    "create_user": create_user,
    "modify_user": modify_user,
    "delete_user": delete_user,
    "describe_users": describe_users,
    "create_user_group": create_user_group,
    "modify_user_group": modify_user_group,
    "delete_user_group": delete_user_group,
    "describe_user_groups": describe_user_groups,
}


def install() -> None:
    for name, fn in HANDLERS.items():
        setattr(ElastiCacheResponse, name, fn)
