"""ElastiCache extensions patched into moto's ElastiCache backend/responses.

Every behaviour here is listed in EXTENSIONS.md with the API reference page
it follows. Responses are plain dicts keyed by the AWS shape member names;
moto's model-driven serializer renders them as the ElastiCache query
protocol (XML), and errors raised as ElastiCacheException subclasses are
rendered as `<ErrorResponse><Error><Type>Sender</Type><Code>..` with the
HTTP status the service model gives the error code.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from moto.core.responses import ActionResult, BaseResponse, EmptyResult
from moto.elasticache.exceptions import ElastiCacheException, SnapshotNotFound
from moto.elasticache.models import CacheSubnetGroup, ElastiCacheBackend, elasticache_backends
from moto.elasticache.responses import ElastiCacheResponse

from . import engine_data as ed
from .state import LOCK, STATE

# ---------------------------------------------------------------------------
# errors


class EmuError(ElastiCacheException):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def invalid_value(msg: str) -> EmuError:
    return EmuError("InvalidParameterValue", msg)


def invalid_combination(msg: str) -> EmuError:
    return EmuError("InvalidParameterCombination", msg)


def rg_not_found(rid: str) -> EmuError:
    return EmuError("ReplicationGroupNotFoundFault", f"ReplicationGroup {rid} not found.")


def pg_not_found(name: str) -> EmuError:
    return EmuError("CacheParameterGroupNotFound", f"CacheParameterGroup {name} not found.")


def subnet_group_not_found(name: str) -> EmuError:
    return EmuError("CacheSubnetGroupNotFoundFault", f"CacheSubnetGroup {name} not found.")


def invalid_rg_state(rid: str, status: str) -> EmuError:
    return EmuError("InvalidReplicationGroupState",
                    f"Replication group {rid} is not in available state (current status: {status}).")


# ---------------------------------------------------------------------------
# small helpers


def _now() -> float:
    return time.monotonic()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_bool(v: Any) -> bool | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s == "true":
        return True
    if s == "false":
        return False
    raise invalid_value(f"Invalid boolean value: {v}")


def as_int(v: Any, name: str) -> int | None:
    if v is None or v == "":
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        raise invalid_value(f"Invalid value for {name}: {v}") from None


def region_short(region: str) -> str:
    parts = region.split("-")
    if len(parts) < 3:
        return region.replace("-", "")
    words = {"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
             "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
    return parts[0] + words.get(parts[1], parts[1][:1]) + parts[2]


_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")


def check_identifier(value: str, what: str, max_len: int) -> None:
    if (not value or len(value) > max_len or not _ID_RE.match(value.lower())
            or "--" in value or value.endswith("-")):
        raise invalid_value(
            f"The parameter {what} is not a valid identifier. Identifiers must begin with a letter; "
            f"must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen "
            f"or contain two consecutive hyphens (1 to {max_len} characters).")


# AuthToken: 16..128 printable ASCII; the only special characters allowed are ! & # $ ^ < > -
_AUTH_TOKEN_RE = re.compile(r"^[A-Za-z0-9!&#$^<>\-]{16,128}$")


def check_auth_token(token: str) -> None:
    if not _AUTH_TOKEN_RE.match(token):
        raise invalid_value("Invalid AuthToken provided.")


_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_MW_RE = re.compile(r"^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-"
                    r"(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$", re.I)
_SW_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def check_maintenance_window(v: str) -> str:
    m = _MW_RE.match(v or "")
    if not m:
        raise invalid_value(f"Invalid maintenance window: {v}. Format: ddd:hh24:mi-ddd:hh24:mi")
    start = _DAYS.index(m.group(1).lower()) * 1440 + int(m.group(2)) * 60 + int(m.group(3))
    end = _DAYS.index(m.group(4).lower()) * 1440 + int(m.group(5)) * 60 + int(m.group(6))
    if (end - start) % (7 * 1440) < 60:
        raise invalid_value("The maintenance window must be at least 60 minutes.")
    return v.lower()


def check_snapshot_window(v: str) -> str:
    m = _SW_RE.match(v or "")
    if not m:
        raise invalid_value(f"Invalid snapshot window: {v}. Format: hh24:mi-hh24:mi")
    start = int(m.group(1)) * 60 + int(m.group(2))
    end = int(m.group(3)) * 60 + int(m.group(4))
    if (end - start) % 1440 < 60:
        raise invalid_value("The snapshot window must be at least 60 minutes.")
    return v


def check_snapshot_retention(v: int) -> int:
    if v < 0 or v > 35:
        raise invalid_value("SnapshotRetentionLimit must be between 0 and 35.")
    return v


# E25: the node types AWS lists (node_types.json, shared with the Java fake). New groups and node type
# changes take current-generation and data-tiering types; previous-generation ones only exist on old clusters.
_NODE_TYPES = json.loads(Path(__file__).with_name("node_types.json").read_text())
_CREATABLE = set(_NODE_TYPES["currentGeneration"]) | set(_NODE_TYPES["dataTiering"])
_PREVIOUS = set(_NODE_TYPES["previousGeneration"])


def check_node_type(v: str) -> str:
    if v in _PREVIOUS:
        raise invalid_value(f"Cache node type {v} is a previous generation type: creation of new clusters is not supported for it.")
    if v not in _CREATABLE:
        raise invalid_value(f"Invalid CacheNodeType: {v}")
    return v


def _b64(s: str) -> str:
    return base64.urlsafe_b64encode(s.encode()).decode()


def paginate(items: list[Any], key: Any, max_records: Any, marker: Any) -> tuple[list[Any], str | None]:
    """AWS-style MaxRecords/Marker paging (MaxRecords 20..100, default 100).

    The marker names the last item returned, so deletions between pages do not
    skip items. `items` must be sorted by `key`.
    """
    mr = as_int(max_records, "MaxRecords")
    if mr is None:
        mr = 100
    if mr < 20 or mr > 100:
        raise invalid_value("The parameter MaxRecords must be between 20 and 100.")
    start = 0
    if marker:
        try:
            last = base64.urlsafe_b64decode(str(marker).encode()).decode()
        except Exception:
            raise invalid_value(f"Invalid marker: {marker}") from None
        if not last.startswith("after:"):
            raise invalid_value(f"Invalid marker: {marker}")
        last = last[len("after:"):]
        start = len(items)
        for i, it in enumerate(items):
            if key(it) > last:
                start = i
                break
    page = items[start:start + mr]
    next_marker = None
    if start + mr < len(items):
        next_marker = _b64("after:" + key(page[-1]))
    return page, next_marker


# ---------------------------------------------------------------------------
# models


class CacheParamGroup:
    def __init__(self, account_id: str, region: str, name: str, family: str,
                 description: str, is_default: bool) -> None:
        self.name = name
        self.family = family
        self.description = description
        self.is_default = is_default
        self.arn = f"arn:aws:elasticache:{region}:{account_id}:parametergroup:{name}"
        self.cluster_on_default = name.endswith(".cluster.on")
        self.user: dict[str, str] = {}

    def catalogue(self) -> dict[str, dict[str, Any]]:
        return ed.catalogue(self.family, self.cluster_on_default)

    def effective(self, param: str) -> str | None:
        if param in self.user:
            return self.user[param]
        meta = self.catalogue().get(param)
        return meta["ParameterValue"] if meta else None

    @property
    def cluster_enabled(self) -> bool:
        return self.effective("cluster-enabled") == "yes"

    def to_aws(self) -> dict[str, Any]:
        return {
            "CacheParameterGroupName": self.name,
            "CacheParameterGroupFamily": self.family,
            "Description": self.description,
            "IsGlobal": False,
            "ARN": self.arn,
        }


class EmuReplicationGroup:
    """A replication group as ElastiCache keeps it, with time-based status."""

    def __init__(self, backend: ElastiCacheBackend, **kw: Any) -> None:
        self.account_id = backend.account_id
        self.region = backend.region_name
        self.replication_group_id: str = kw["replication_group_id"]
        self.description: str = kw["description"]
        self.engine: str = kw["engine"]
        self.engine_version: str = kw["engine_version"]
        self.cache_node_type: str = kw["cache_node_type"]
        self.cluster_mode: bool = kw["cluster_mode"]
        # E53: ClusterMode as reported: disabled, compatible (one shard serving both protocols) or enabled
        self.cluster_mode_setting: str = "enabled" if self.cluster_mode else "disabled"
        self.port: int = kw["port"]
        self.cache_subnet_group_name: str | None = kw["cache_subnet_group_name"]
        self.security_group_ids: list[str] = list(kw["security_group_ids"])
        self.cache_parameter_group_name: str = kw["cache_parameter_group_name"]
        self.transit_encryption_enabled: bool = kw["transit_encryption_enabled"]
        self.transit_encryption_mode: str | None = kw["transit_encryption_mode"]
        self.at_rest_encryption_enabled: bool = kw["at_rest_encryption_enabled"]
        self.kms_key_id: str | None = kw["kms_key_id"]
        self.auth_tokens: list[str] = [kw["auth_token"]] if kw["auth_token"] else []
        self.auth_token_last_modified: datetime | None = _utcnow() if self.auth_tokens else None
        self.snapshot_retention_limit: int = kw["snapshot_retention_limit"]
        self.snapshot_window: str = kw["snapshot_window"]
        self.preferred_maintenance_window: str = kw["preferred_maintenance_window"]
        self.automatic_failover: str = "enabled" if kw["automatic_failover"] else "disabled"
        self.multi_az: str = "enabled" if kw["multi_az"] else "disabled"
        self.auto_minor_version_upgrade: bool = kw["auto_minor_version_upgrade"]
        self.notification_topic_arn: str | None = kw.get("notification_topic_arn")
        self.data_tiering: str = "enabled" if kw.get("data_tiering") else "disabled"
        self.network_type: str = kw.get("network_type") or "ipv4"
        self.ip_discovery: str = kw.get("ip_discovery") or "ipv4"
        # E46: Durability as requested (None when not sent) and whether it turned encryption at rest on
        self.durability: str | None = kw.get("durability")
        self.durability_encrypted: bool = effective_durability(self.durability) != "disabled"
        self.user_group_ids: list[str] = list(kw.get("user_group_ids") or [])
        self.pending_user_groups: tuple[list[str], list[str]] | None = None  # E44
        self.arn = f"arn:aws:elasticache:{self.region}:{self.account_id}:replicationgroup:{self.replication_group_id}"
        self.create_time = _utcnow()
        rnd = "".join(random.choices(string.ascii_lowercase + string.digits, k=6))
        self.domain = f"{self.replication_group_id}.{rnd}.{region_short(self.region)}.cache.amazonaws.com"
        self.azs: list[str] = kw.get("azs") or [f"{self.region}a", f"{self.region}b", f"{self.region}c"]
        self.cluster_create_times: dict[str, datetime] = {}
        # shards: [{"id": "0001", "slots": "0-16383", "members": [ccid, ...]}], members[0] is primary
        self.shards: list[dict[str, Any]] = []
        for i in range(kw["num_shards"]):
            self._add_shard(kw["replicas"][i])
        self._rebalance_slots()
        # status
        self.status = "creating"
        self.status_until = _now() + float(STATE.get("creatingSeconds") or 0)
        self.pending: dict[str, Any] = {}        # ReplicationGroupPendingModifiedValues
        self.pending_nodes: dict[str, Any] = {}  # PendingModifiedValues of member clusters
        self.apply_nodes_at_end = False
        self.param_apply_status = "in-sync"
        # B1..B5: events, create failure, deferred node changes, AUTH changes, snapshots
        self.events: list[dict[str, Any]] = backend.emu_events
        self.fail_message: str | None = kw.get("fail_message")
        self.pending_auth: tuple[str, str | None] | None = None
        self.last_auth_strategy: str | None = None
        # E71: a token brought in by RemoveUserGroups + ROTATE is optional (unauthenticated clients are let in) until SET
        self.auth_token_optional = False
        self.pending_token_optional = False
        self.snapshot: Any = None
        self.modification_note = ""
        self.modified_fields: list[str] = []
        # E24: a TestFailover in progress: {"node_group", "old", "new", "phase", "until"}
        self.failover: dict[str, Any] | None = None
        # E28: UpdateActionStatus by ServiceUpdateName once it left not-applied; the update being applied
        self.update_actions: dict[str, str] = {}
        self.applying_update: str | None = None
        # LogDeliveryConfigurations by LogType (E15); "_state" is the reported Status
        self.log_delivery: dict[str, dict[str, Any]] = {}
        for cfg in kw.get("log_delivery") or []:
            self.log_delivery[cfg["LogType"]] = dict(cfg, _state="enabling")

    # -- compatibility with moto code that reads replication groups -------
    @property
    def node_groups(self) -> list[dict[str, Any]]:
        return self.shards

    @property
    def member_clusters(self) -> list[str]:
        # by name, not by role: a failover (E24) does not reorder MemberClusters
        return [m for s in self.shards for m in sorted(s["members"])]

    @property
    def cache_parameter_group(self) -> str:
        return self.cache_parameter_group_name

    # -- topology ---------------------------------------------------------
    def _member_id(self, shard_id: str, n: int) -> str:
        if self.cluster_mode:
            return f"{self.replication_group_id}-{shard_id}-{n:03d}"
        return f"{self.replication_group_id}-{n:03d}"

    def _add_shard(self, replicas: int) -> None:
        used = {s["id"] for s in self.shards}
        n = 1
        while f"{n:04d}" in used:
            n += 1
        shard = {"id": f"{n:04d}", "slots": "", "members": []}
        self.shards.append(shard)
        self._set_replicas(shard, replicas)

    def _set_replicas(self, shard: dict[str, Any], replicas: int, to_remove: list[str] | None = None) -> None:
        members: list[str] = shard["members"]
        if not members:
            members.append(self._member_id(shard["id"], 1))
        for ccid in (to_remove or []):
            if ccid in members[1:]:
                members.remove(ccid)
        while len(members) - 1 > replicas:
            members.pop()
        n = 1
        while len(members) - 1 < replicas:
            n += 1
            ccid = self._member_id(shard["id"], n)
            if ccid not in members:
                members.append(ccid)
        for ccid in members:
            self.cluster_create_times.setdefault(ccid, _utcnow())
        shard["members"] = sorted(members, key=lambda c: (c != members[0], c))

    def _rebalance_slots(self) -> None:
        k = len(self.shards)
        for i, shard in enumerate(self.shards):
            start = -(-i * 16384 // k)
            end = -(-(i + 1) * 16384 // k) - 1
            shard["slots"] = f"{start}-{end}"

    def replica_counts(self) -> list[int]:
        return [len(s["members"]) - 1 for s in self.shards]

    # -- status -----------------------------------------------------------
    def start(self, status: str, seconds_key: str) -> None:
        self.status = status
        self.status_until = _now() + float(STATE.get(seconds_key) or 0)

    def event(self, message: str, when: datetime | None = None, source: str | None = None,
              source_type: str = "replication-group") -> None:
        seq = len(self.events)
        self.events.append({"SourceIdentifier": source or self.replication_group_id, "SourceType": source_type,
                            "Message": message, "Date": when or _utcnow(), "_seq": seq})

    def _wall(self, t: float) -> datetime:
        """Wall-clock time at which the current timed state ended (states advance lazily)."""
        return _utcnow() - timedelta(seconds=max(0.0, t - self.status_until))

    def start_failover(self, node_group: str) -> None:
        """TestFailover accepted (E24): the first replica of the node group will be promoted."""
        shard = next(s for s in self.shards if s["id"] == node_group)
        self.failover = {"node_group": node_group, "old": shard["members"][0], "new": shard["members"][1],
                         "phase": "failing-over", "at": _utcnow(),
                         "until": _now() + float(STATE.get("failoverSeconds") or 0)}
        self.event(f"Test Failover API called for node group {node_group}", self.failover["at"])

    def _advance_failover(self, t: float) -> None:
        fo = self.failover
        if fo is None:
            return
        old, new = fo["old"], fo["new"]
        if fo["phase"] == "failing-over" and t >= fo["until"]:
            # never before the previous step (wall clock and monotonic clock differ by jitter)
            when = max(fo["at"], _utcnow() - timedelta(seconds=max(0.0, t - fo["until"])))
            fo["at"] = when
            shard = next((s for s in self.shards if s["id"] == fo["node_group"]), None)
            if shard is None or old not in shard["members"] or new not in shard["members"]:
                self.failover = None  # the node group or the nodes went away meanwhile
                return
            # the replica becomes the primary; the old primary comes back as a replica
            shard["members"] = [new] + sorted(m for m in shard["members"] if m != new)
            message = f"Failover from primary node {old} to replica node {new} completed"
            self.event(message, when, source=old, source_type="cache-cluster")
            self.event(message, when)
            self.event("Recovering cache nodes 0001", when, source=old, source_type="cache-cluster")
            fo["phase"] = "recovering"
            fo["until"] = fo["until"] + float(STATE.get("failoverSeconds") or 0)
        if fo["phase"] == "recovering" and t >= fo["until"]:
            when = max(fo["at"], _utcnow() - timedelta(seconds=max(0.0, t - fo["until"])))
            self.event("Finished recovery for cache nodes 0001", when, source=old, source_type="cache-cluster")
            self.failover = None

    def refresh(self, t: float) -> str | None:
        self._advance_failover(t)
        if self.status in ("creating", "modifying", "snapshotting") and t >= self.status_until:
            when = self._wall(t)
            rid = self.replication_group_id
            if self.status == "creating":
                if self.fail_message is not None:
                    self.status = "create-failed"
                    self.event(f"Failed to create replication group {rid}: {self.fail_message}", when)
                    return None
                self._settle_log_delivery()
                self.status = "available"
                self.event(f"Replication group {rid} created", when)
            elif self.status == "modifying":
                if self.applying_update is not None:  # E28: the service update is applied
                    self.update_actions[self.applying_update] = "complete"
                    self.applying_update = None
                applied = self._finish_modification(when)
                self._settle_log_delivery()
                self.status = "available"
                note = self.modification_note or f"Modification of replication group {rid} finished"
                self.event(note + (f" ({', '.join(applied)})" if applied else ""), when)
                self.modification_note = ""
            else:
                if self.snapshot is not None:
                    self.snapshot.snapshot_status = "available"
                    self.event(f"Snapshot succeeded for snapshot with ID '{self.snapshot.snapshot_name}' "
                               f"of replication group with ID '{rid}'", when)
                    self.snapshot = None
                self.status = "available"
        elif self.status == "deleting" and t >= self.status_until:
            self.event(f"Replication group {self.replication_group_id} deleted", self._wall(t))
            return "gone"
        return None

    def start_modifying(self, fields: list[str], note: str = "") -> None:
        self.modified_fields = list(fields)
        self.modification_note = note
        self.start("modifying", "modifyingSeconds")

    def _finish_modification(self, when: datetime | None = None) -> list[str]:
        applied = list(self.modified_fields)
        self.modified_fields = []
        if self.pending_auth is not None:
            strategy, token = self.pending_auth
            if strategy == "ROTATE":
                self.auth_tokens = ([self.auth_tokens[-1]] if self.auth_tokens else []) + [token]  # type: ignore[list-item]
            elif strategy == "SET":
                self.auth_tokens = [token]  # type: ignore[list-item]
            else:
                self.auth_tokens = []
            self.auth_token_last_modified = when or _utcnow()
            self.last_auth_strategy = strategy
            self.pending_auth = None
            # E71: "an optional Auth token will allow unauthenticated access to the replication group until the
            # Auth token is marked as required, using the update strategy SET"
            self.auth_token_optional = self.pending_token_optional
            self.pending_token_optional = False
        af = self.pending.pop("AutomaticFailoverStatus", None)
        if af:
            self.automatic_failover = af
        cm = self.pending.pop("ClusterMode", None)
        if cm is not None:  # E53: the new cluster mode is in effect when the modification ends
            self.cluster_mode_setting = cm
            if cm == "enabled":
                self.cluster_mode = True
                self._rebalance_slots()
        tee = self.pending.pop("TransitEncryptionEnabled", None)
        tem = self.pending.pop("TransitEncryptionMode", None)
        if tee is not None:
            self.transit_encryption_enabled = tee
            self.transit_encryption_mode = (tem or "required") if tee else None
        elif tem is not None and self.transit_encryption_enabled:
            self.transit_encryption_mode = tem
        if self.apply_nodes_at_end:
            if "CacheNodeType" in self.pending_nodes:
                self.cache_node_type = self.pending_nodes.pop("CacheNodeType")
            if "EngineVersion" in self.pending_nodes:
                self.engine_version = self.pending_nodes.pop("EngineVersion")
            if "Engine" in self.pending_nodes:
                self.engine = self.pending_nodes.pop("Engine")
            if self.cache_parameter_group_name.startswith("default.") and \
                    self.cache_parameter_group_name.split(".")[1] != ed.family_for(self.engine, self.engine_version):
                self.cache_parameter_group_name = ed.default_parameter_group(self.engine, self.engine_version,
                                                                             self.cluster_mode)
            self.apply_nodes_at_end = False
        if self.pending_user_groups is not None:
            add, remove = self.pending_user_groups
            self.user_group_ids = [g for g in self.user_group_ids if g not in remove] + \
                [g for g in add if g not in self.user_group_ids]
            self.pending_user_groups = None
        self.pending.clear()
        self.param_apply_status = "in-sync"
        return applied

    def _settle_log_delivery(self) -> None:
        """End of creating/modifying: disabled LogTypes go away, the others are active."""
        for log_type, cfg in list(self.log_delivery.items()):
            if cfg["_state"] == "disabling":
                del self.log_delivery[log_type]
            else:
                cfg["_state"] = "active"

    def log_delivery_to_aws(self) -> list[dict[str, Any]]:
        return [{
            "LogType": cfg["LogType"],
            "DestinationType": cfg["DestinationType"],
            "DestinationDetails": cfg["DestinationDetails"],
            "LogFormat": cfg["LogFormat"],
            "Status": cfg["_state"],
            "Message": "",
        } for _, cfg in sorted(self.log_delivery.items())]

    # -- rendering ----------------------------------------------------------
    def _endpoint(self, address: str) -> dict[str, Any]:
        host = STATE.get("endpointHost")
        port = STATE.get("endpointPort")
        return {"Address": host or address, "Port": port or self.port}

    def _az(self, shard_index: int, member_index: int) -> str:
        return self.azs[(shard_index + member_index) % len(self.azs)]

    def to_aws(self) -> dict[str, Any]:
        show_endpoints = self.status not in ("creating", "create-failed")
        node_groups = []
        for si, shard in enumerate(self.shards):
            members = []
            primary = shard["members"][0]
            for mi, ccid in enumerate(sorted(shard["members"])):
                m: dict[str, Any] = {
                    "CacheClusterId": ccid,
                    "CacheNodeId": "0001",
                    "PreferredAvailabilityZone": self._az(si, mi),
                }
                if not self.cluster_mode:
                    if show_endpoints:
                        m["ReadEndpoint"] = self._endpoint(f"{ccid}.{self.domain}")
                    m["CurrentRole"] = "primary" if ccid == primary else "replica"
                members.append(m)
            ng: dict[str, Any] = {
                "NodeGroupId": shard["id"],
                "Status": self.status,
                "NodeGroupMembers": members,
            }
            if self.cluster_mode:
                ng["Slots"] = shard["slots"]
            elif show_endpoints:
                ng["PrimaryEndpoint"] = self._endpoint(f"master.{self.domain}")
                ng["ReaderEndpoint"] = self._endpoint(f"replica.{self.domain}")
            node_groups.append(ng)

        automatic_failover = self.automatic_failover
        if "AutomaticFailoverStatus" in self.pending and self.status == "modifying":
            automatic_failover = "enabling" if self.pending["AutomaticFailoverStatus"] == "enabled" else "disabling"
        d: dict[str, Any] = {
            "ReplicationGroupId": self.replication_group_id,
            "Description": self.description,
            "Status": self.status,
            "PendingModifiedValues": dict(self.pending),
            "MemberClusters": self.member_clusters,
            "NodeGroups": node_groups,
            "AutomaticFailover": automatic_failover,
            "MultiAZ": self.multi_az,
            "SnapshotRetentionLimit": self.snapshot_retention_limit,
            "SnapshotWindow": self.snapshot_window,
            "ClusterEnabled": self.cluster_mode,
            "CacheNodeType": self.cache_node_type,
            "AuthTokenEnabled": bool(self.auth_tokens),
            "TransitEncryptionEnabled": self.transit_encryption_enabled,
            "AtRestEncryptionEnabled": self.at_rest_encryption_enabled,
            "ARN": self.arn,
            "UserGroupIds": list(self.user_group_ids),
            "LogDeliveryConfigurations": self.log_delivery_to_aws(),
            "ReplicationGroupCreateTime": self.create_time,
            "DataTiering": self.data_tiering,
            "AutoMinorVersionUpgrade": self.auto_minor_version_upgrade,
            "NetworkType": self.network_type,
            "IpDiscovery": self.ip_discovery,
            "ClusterMode": self.cluster_mode_setting,
            "Engine": self.engine,
            "EffectiveDurability": effective_durability(self.durability),
            "StorageEncryptionType": ("sse-kms" if self.kms_key_id else "sse-elasticache")
            if self.at_rest_encryption_enabled or self.durability_encrypted else "none",
        }
        if self.durability is not None:
            d["Durability"] = self.durability
        if self.auth_token_last_modified and self.auth_tokens:
            d["AuthTokenLastModifiedDate"] = self.auth_token_last_modified
        if self.kms_key_id:
            d["KmsKeyId"] = self.kms_key_id
        if self.transit_encryption_enabled and self.transit_encryption_mode:
            d["TransitEncryptionMode"] = self.transit_encryption_mode
        if self.cluster_mode_setting != "disabled" and show_endpoints:
            # E53: in compatible the configuration endpoint is there besides the primary and reader endpoints
            d["ConfigurationEndpoint"] = self._endpoint(f"clustercfg.{self.domain}")
        if self.snapshot_retention_limit > 0 and not self.cluster_mode:
            members = self.shards[0]["members"]
            d["SnapshottingClusterId"] = members[-1]
        return d

    def cache_clusters(self, show_node_info: bool) -> list[dict[str, Any]]:
        out = []
        show_endpoints = self.status not in ("creating", "create-failed")
        log_delivery = self.log_delivery_to_aws()
        for si, shard in enumerate(self.shards):
            for mi, ccid in enumerate(sorted(shard["members"])):
                created = self.cluster_create_times.get(ccid, self.create_time)
                c: dict[str, Any] = {
                    "CacheClusterId": ccid,
                    "ReplicationGroupId": self.replication_group_id,
                    "CacheClusterStatus": self.status,
                    "CacheNodeType": self.cache_node_type,
                    "Engine": self.engine,
                    "EngineVersion": self.engine_version,
                    "NumCacheNodes": 1,
                    "PreferredAvailabilityZone": self._az(si, mi),
                    "CacheClusterCreateTime": created,
                    "PreferredMaintenanceWindow": self.preferred_maintenance_window,
                    "PendingModifiedValues": dict(self.pending_nodes),
                    "CacheSecurityGroups": [],
                    "CacheParameterGroup": {
                        "CacheParameterGroupName": self.cache_parameter_group_name,
                        "ParameterApplyStatus": self.param_apply_status,
                        "CacheNodeIdsToReboot": [],
                    },
                    "AutoMinorVersionUpgrade": self.auto_minor_version_upgrade,
                    "SecurityGroups": [{"SecurityGroupId": sg, "Status": "active"}
                                       for sg in self.security_group_ids],
                    "SnapshotRetentionLimit": self.snapshot_retention_limit,
                    "SnapshotWindow": self.snapshot_window,
                    "AuthTokenEnabled": bool(self.auth_tokens),
                    "TransitEncryptionEnabled": self.transit_encryption_enabled,
                    "AtRestEncryptionEnabled": self.at_rest_encryption_enabled,
                    "ARN": f"arn:aws:elasticache:{self.region}:{self.account_id}:cluster:{ccid}",
                    "ReplicationGroupLogDeliveryEnabled": bool(log_delivery),
                    "LogDeliveryConfigurations": log_delivery,
                    "NetworkType": self.network_type,
                    "IpDiscovery": self.ip_discovery,
                }
                if self.cache_subnet_group_name:
                    c["CacheSubnetGroupName"] = self.cache_subnet_group_name
                if self.auth_tokens and self.auth_token_last_modified:
                    c["AuthTokenLastModifiedDate"] = self.auth_token_last_modified
                if self.transit_encryption_enabled and self.transit_encryption_mode:
                    c["TransitEncryptionMode"] = self.transit_encryption_mode
                if "AuthTokenStatus" in self.pending:
                    c["PendingModifiedValues"]["AuthTokenStatus"] = self.pending["AuthTokenStatus"]
                if show_node_info:
                    node: dict[str, Any] = {
                        "CacheNodeId": "0001",
                        "CacheNodeStatus": self.status,
                        "CacheNodeCreateTime": created,
                        "ParameterGroupStatus": self.param_apply_status,
                        "CustomerAvailabilityZone": self._az(si, mi),
                    }
                    if show_endpoints:
                        node["Endpoint"] = self._endpoint(f"{ccid}.{self.domain}")
                    c["CacheNodes"] = [node]
                out.append(c)
        return out


# ---------------------------------------------------------------------------
# backend state


_orig_backend_init = ElastiCacheBackend.__init__


def _backend_init(self: ElastiCacheBackend, region_name: str, account_id: str) -> None:
    _orig_backend_init(self, region_name, account_id)
    self.arn_regex = re.compile(
        r"^arn:aws:elasticache:.*:[0-9]*:(cluster|snapshot|subnetgroup|replicationgroup|user|usergroup|parametergroup|serverlesscache):.*$")
    self.emu_param_groups = {}
    self.emu_events = []     # B3: events of this account and region
    self.emu_eni_holds = {}  # B7: security group id -> monotonic time its lingering ENIs are released
    self.emu_test_failovers = []  # E24: monotonic times of the TestFailover calls accepted here
    self.emu_service_updates = {}  # E28: ServiceUpdateName -> ServiceUpdate (published by the control call)
    for fam in ed.FAMILIES:
        names = [f"default.{fam}"]
        if fam in ed.CLUSTER_CAPABLE_FAMILIES:
            names.append(f"default.{fam}.cluster.on")
        for name in names:
            self.emu_param_groups[name] = CacheParamGroup(
                account_id, region_name, name, fam, f"Default parameter group for {fam}", True)


def tick(backend: ElastiCacheBackend) -> None:
    """Advance time-based states; drop groups whose deletion has finished."""
    t = _now()
    for rid, rg in list(backend.replication_groups.items()):
        if isinstance(rg, EmuReplicationGroup) and rg.refresh(t) == "gone":
            del backend.replication_groups[rid]
            backend.tagging_service.delete_all_tags_for_resource(rg.arn)
            # "If you delete a replication group, all of the automatic backups from the clusters in
            # that group are also deleted" (user guide, Deleting a backup); manual ones stay.
            for name, snap in list(getattr(backend, "snapshots", {}).items()):
                if (getattr(snap, "replication_group_id", None) == rid
                        and getattr(snap, "snapshot_source", None) == "automated"):
                    del backend.snapshots[name]
            release = rg.status_until + float(STATE.get("eniReleaseSeconds") or 0)
            for sg in rg.security_group_ids:
                backend.emu_eni_holds[sg] = max(backend.emu_eni_holds.get(sg, 0.0), release)


def all_backends() -> list[ElastiCacheBackend]:
    out = []
    for account_id in list(elasticache_backends.keys()):
        acct = elasticache_backends[account_id]
        for region in list(acct.keys()):
            out.append(acct[region])
    return out


def find_replication_group(rid: str, account_id: str | None = None,
                           region: str | None = None) -> EmuReplicationGroup | None:
    with LOCK:
        for b in all_backends():
            if account_id and b.account_id != account_id:
                continue
            if region and b.region_name != region:
                continue
            tick(b)
            rg = b.replication_groups.get(rid.lower())
            if isinstance(rg, EmuReplicationGroup):
                return rg
    return None


def groups_referencing_security_group(account_id: str, region: str, sg_id: str) -> list[str]:
    with LOCK:
        b = elasticache_backends[account_id][region]
        tick(b)
        out = [rid for rid, rg in b.replication_groups.items()
               if sg_id in (getattr(rg, "security_group_ids", None) or [])]
        out += [cid for cid, c in b.cache_clusters.items()
                if sg_id in (getattr(c, "security_group_ids", None) or [])]
        from . import serverless_ext  # E32: a serverless cache's endpoint holds its security groups too
        out += serverless_ext.referencing_security_group(b, sg_id)
        hold = b.emu_eni_holds.get(sg_id)
        if hold is not None:
            if _now() < hold:
                out.append(f"eni-released-at-{hold}")
            else:
                del b.emu_eni_holds[sg_id]
        return out


# ---------------------------------------------------------------------------
# response handlers (methods patched onto ElastiCacheResponse)


def _backend(self: ElastiCacheResponse) -> ElastiCacheBackend:
    b = self.elasticache_backend
    tick(b)
    return b


def _p(self: ElastiCacheResponse, name: str) -> Any:
    v = self._get_param(name)
    return v


def _required(self: ElastiCacheResponse, name: str) -> Any:
    v = self._get_param(name)
    if v is None or v == "":
        raise EmuError("MissingParameter", f"The request must contain the parameter {name}")
    return v


def _get_rg(b: ElastiCacheBackend, rid: str) -> EmuReplicationGroup:
    rg = b.replication_groups.get((rid or "").lower())
    if rg is None:
        raise rg_not_found(rid)
    if not isinstance(rg, EmuReplicationGroup):  # pragma: no cover - only ours are created
        raise invalid_value(f"Replication group {rid} was not created through the emulator")
    return rg


def _get_pg(b: ElastiCacheBackend, name: str) -> CacheParamGroup:
    pg = b.emu_param_groups.get(name)
    if pg is None:
        raise pg_not_found(name)
    return pg


def _subnet_group_vpc(b: ElastiCacheBackend, subnet_group: str | None) -> str | None:
    sg_obj = b.cache_subnet_groups.get(subnet_group) if subnet_group else None
    if sg_obj is None:
        return None
    vpc = getattr(sg_obj, "vpc_id", None)
    if vpc:
        return vpc
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[b.account_id][b.region_name]
    for sid in getattr(sg_obj, "subnet_ids", None) or []:
        try:
            return ec2.get_subnet(sid).vpc_id
        except Exception:
            continue
    return None


def _check_security_groups(b: ElastiCacheBackend, sg_ids: list[str], subnet_group: str | None = None) -> None:
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[b.account_id][b.region_name]
    unknown = [sg for sg in sg_ids if ec2.get_security_group_from_id(sg) is None]
    if unknown:
        raise invalid_value(f"Some security group Id not recognized by EC2: {', '.join(unknown)}")
    vpc = _subnet_group_vpc(b, subnet_group)
    if vpc:
        other = [sg for sg in sg_ids if ec2.get_security_group_from_id(sg).vpc_id != vpc]
        if other:
            raise invalid_combination(f"The security group(s) {', '.join(other)} do not belong to the VPC {vpc} "
                                      f"of cache subnet group {subnet_group}.")


# -- capacity and quotas (B8) ----------------------------------------------------


# -- E31: data tiering, network type and IP discovery -----------------------------

NOT_NITRO_FAMILIES = {"t1", "t2", "m1", "m2", "m3", "m4", "c1", "r3", "r4"}


def check_data_tiering(node_type: str, enabled: bool) -> None:
    """API reference, CreateReplicationGroup DataTieringEnabled: "Data tiering is only supported for
    replication groups using the r6gd node type. This parameter must be set to true when using r6gd nodes."""
    r6gd = node_type.startswith("cache.r6gd.")
    if enabled and not r6gd:
        raise invalid_combination("Data tiering is only supported for r6gd node types.")
    if r6gd and not enabled:
        raise invalid_combination("DataTieringEnabled must be true for r6gd node types.")


def check_network_type(b: ElastiCacheBackend, engine: str, version: str, node_type: str,
                       subnet_group: str | None, network_type: str | None,
                       ip_discovery: str | None) -> tuple[str, str]:
    """User guide "Choosing a network type": IPv6 for Valkey 7.2+ or Redis OSS 6.2+ on Nitro node
    types; dual-stack subnets for dual_stack, IPv6-only subnets for ipv6 (the subnet group's
    SupportedNetworkTypes, which moto derives from the EC2 subnets)."""
    nt = network_type or "ipv4"
    if nt not in ("ipv4", "ipv6", "dual_stack"):
        raise invalid_value(f"Invalid NetworkType: {nt}. Valid values: ipv4, ipv6, dual_stack.")
    ipd = ip_discovery or ("ipv6" if nt == "ipv6" else "ipv4")
    if ipd not in ("ipv4", "ipv6"):
        raise invalid_value(f"Invalid IpDiscovery: {ipd}. Valid values: ipv4, ipv6.")
    if nt == "ipv4" and ipd == "ipv6":
        raise invalid_combination("IpDiscovery ipv6 requires NetworkType ipv6 or dual_stack.")
    if nt == "ipv6" and ipd == "ipv4":
        raise invalid_combination("IpDiscovery ipv4 is not valid with NetworkType ipv6.")
    if nt == "ipv4":
        return nt, ipd
    major, minor = (int(x) for x in version.split(".")[:2])
    if engine == "redis" and (major, minor) < (6, 2):
        raise invalid_combination(f"NetworkType {nt} requires Valkey 7.2 or Redis OSS 6.2 or later.")
    if node_type.split(".")[1] in NOT_NITRO_FAMILIES:
        raise invalid_combination(f"NetworkType {nt} requires a node type built on the Nitro system.")
    sg_obj = b.cache_subnet_groups.get(subnet_group) if subnet_group else None
    supported = sorted(getattr(sg_obj, "supported_network_types", None) or ["ipv4"])
    if nt not in supported:
        raise invalid_combination(f"Cache subnet group {subnet_group} does not support NetworkType {nt} "
                                  f"(it supports {supported}).")
    return nt, ipd


DURABLE_FAMILIES = {"r8g", "r7g", "r6g", "m8g", "m7g", "m6g", "c8gn", "c7gn"}


def effective_durability(durability: str | None) -> str:
    """User guide "Configuring durability": EffectiveDurability is sync or async as asked; disabled
    for disabled, and for default (and no Durability) on Valkey 9.0."""
    return durability if durability in ("sync", "async") else "disabled"


def check_durability_value(durability: str | None) -> None:
    if durability is not None and durability not in ("sync", "async", "disabled", "default"):
        raise invalid_value(f"Invalid Durability: {durability}. Valid values: sync, async, disabled, default.")


def check_durability(engine: str, version: str, node_type: str, cluster_mode: bool, multi_az: bool,
                     replicas: list[int], transit: bool, data_tiering: bool) -> None:
    """E46: user guide "Durability in ElastiCache", Limitations: Valkey 9.0 or later; the R8g, R7g,
    R6g, M8g, M7g, M6g, C8gn and C7gn families; not with data tiering; not for cluster mode disabled;
    Multi-AZ with at least one replica per shard; encryption in transit. "Changing durability on an
    existing cluster" asks the same of a running group."""
    if engine != "valkey" or _minor(version) < (9, 0):
        raise invalid_combination("Durability requires Valkey 9.0 or later.")
    if not cluster_mode:
        raise invalid_combination("Durability is not supported for cluster mode disabled replication groups.")
    if not multi_az or min(replicas) < 1:
        raise invalid_combination("Durability requires Multi-AZ enabled with at least one replica per shard.")
    if not transit:
        raise invalid_combination("Durability requires encryption in transit to be enabled.")
    if data_tiering:
        raise invalid_combination("Durability is not supported with data tiering.")
    if node_type.split(".")[1] not in DURABLE_FAMILIES:
        raise invalid_combination(f"Durability is not supported for node type {node_type}.")


def check_capacity(node_type: str) -> None:
    if node_type in (STATE.get("insufficientCapacityNodeTypes") or []):
        raise EmuError("InsufficientCacheClusterCapacity",
                       f"cache node type {node_type} is not available in the requested Availability Zones "
                       f"(insufficient capacity).")


def _node_count(b: ElastiCacheBackend) -> int:
    return sum(len(rg.member_clusters) for rg in b.replication_groups.values()
               if isinstance(rg, EmuReplicationGroup))


def check_node_quota(b: ElastiCacheBackend, added: int) -> None:
    limit = int(STATE.get("maxNodesPerCustomer") or 0)
    if added > 0 and _node_count(b) + added > limit:
        raise EmuError("NodeQuotaForCustomerExceeded",
                       f"The request would exceed the node quota of {limit} nodes per customer "
                       f"(now {_node_count(b)}, requested {added} more).")


def _tags(self: ElastiCacheResponse) -> list[dict[str, str]]:
    tags = self._get_param("Tags") or []
    out = []
    for t in tags:
        if not isinstance(t, dict) or not t.get("Key"):
            raise invalid_value("Tag keys must not be empty.")
        out.append({"Key": t["Key"], "Value": t.get("Value", "")})
    return out


def _check_family(pg: CacheParamGroup, engine: str, version: str) -> None:
    want = ed.family_for(engine, version)
    if pg.family != want:
        raise invalid_combination(
            f"The parameter group {pg.name} has family {pg.family}, which is not compatible with "
            f"{engine} {version} (family {want}).")


# -- log delivery (E15) --------------------------------------------------------

LOG_TYPES = ("slow-log", "engine-log")
LOG_DESTINATION_TYPES = ("cloudwatch-logs", "kinesis-firehose")
LOG_FORMATS = ("text", "json")


def _check_log_group(b: ElastiCacheBackend, log_group: str) -> None:
    from moto.logs.models import logs_backends

    if log_group not in logs_backends[b.account_id][b.region_name].groups:
        raise invalid_value(f"The CloudWatch Logs log group {log_group} does not exist "
                            f"(account {b.account_id}, region {b.region_name}).")


def _log_delivery_request(self: ElastiCacheResponse, b: ElastiCacheBackend,
                          existing: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any] | None]:
    """LogDeliveryConfigurations of a Create/Modify request, checked.

    Answers {LogType: configuration} with None for `Enabled=false`; a
    configuration is {LogType, DestinationType, DestinationDetails, LogFormat}.
    Members a Modify leaves out are taken from the LogType's current
    configuration (`existing`).
    """
    out: dict[str, dict[str, Any] | None] = {}
    for req in _p(self, "LogDeliveryConfigurations") or []:
        log_type = req.get("LogType")
        if log_type not in LOG_TYPES:
            raise invalid_value(f"Invalid LogType: {log_type}. Valid: {', '.join(LOG_TYPES)}.")
        if log_type in out:
            raise invalid_combination(f"Only one LogDeliveryConfiguration per LogType is allowed; "
                                      f"{log_type} is given more than once.")
        if as_bool(req.get("Enabled")) is False:
            out[log_type] = None
            continue
        cur = existing.get(log_type) or {}
        dest_type = req.get("DestinationType") or cur.get("DestinationType")
        if not dest_type:
            raise invalid_value(f"DestinationType is required for the {log_type} LogDeliveryConfiguration.")
        if dest_type not in LOG_DESTINATION_TYPES:
            raise invalid_value(f"Invalid DestinationType: {dest_type}. Valid: {', '.join(LOG_DESTINATION_TYPES)}.")
        details = req.get("DestinationDetails")
        if details is None and dest_type == cur.get("DestinationType"):
            details = cur.get("DestinationDetails")
        details = details or {}
        if dest_type == "cloudwatch-logs":
            log_group = (details.get("CloudWatchLogsDetails") or {}).get("LogGroup")
            if not log_group:
                raise invalid_combination(f"DestinationType cloudwatch-logs requires "
                                          f"DestinationDetails.CloudWatchLogsDetails.LogGroup ({log_type}).")
            _check_log_group(b, log_group)
            details = {"CloudWatchLogsDetails": {"LogGroup": log_group}}
        else:
            stream = (details.get("KinesisFirehoseDetails") or {}).get("DeliveryStream")
            if not stream:
                raise invalid_combination(f"DestinationType kinesis-firehose requires "
                                          f"DestinationDetails.KinesisFirehoseDetails.DeliveryStream ({log_type}).")
            details = {"KinesisFirehoseDetails": {"DeliveryStream": stream}}
        log_format = req.get("LogFormat") or cur.get("LogFormat") or "text"
        if log_format not in LOG_FORMATS:
            raise invalid_value(f"Invalid LogFormat: {log_format}. Valid: {', '.join(LOG_FORMATS)}.")
        out[log_type] = {"LogType": log_type, "DestinationType": dest_type,
                         "DestinationDetails": details, "LogFormat": log_format}
    return out


def create_replication_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rid = str(_required(self, "ReplicationGroupId")).lower()
    check_identifier(rid, "ReplicationGroupId", 40)
    description = _required(self, "ReplicationGroupDescription")
    if rid in b.replication_groups:
        raise EmuError("ReplicationGroupAlreadyExists", f"Replication group {rid} already exists.")
    if _p(self, "GlobalReplicationGroupId") or _p(self, "PrimaryClusterId"):
        raise invalid_value("GlobalReplicationGroupId and PrimaryClusterId are not supported by the emulator.")

    engine = (_p(self, "Engine") or "redis").lower()
    if engine not in ed.ENGINES:
        raise invalid_value(f"Invalid engine name for a replication group: {engine}. Valid: redis, valkey.")
    requested_version = _p(self, "EngineVersion")
    version = ed.full_version(engine, requested_version)
    if version is None:
        raise invalid_combination(f"Cannot find version {requested_version} for {engine}")

    node_type = check_node_type(_p(self, "CacheNodeType") or "cache.t4g.micro")

    # topology
    cluster_mode_param = (_p(self, "ClusterMode") or "").lower() or None
    if cluster_mode_param not in (None, "enabled", "disabled", "compatible"):
        raise invalid_value(f"Invalid ClusterMode: {cluster_mode_param}")
    num_node_groups = as_int(_p(self, "NumNodeGroups"), "NumNodeGroups")
    replicas_per_node_group = as_int(_p(self, "ReplicasPerNodeGroup"), "ReplicasPerNodeGroup")
    num_cache_clusters = as_int(_p(self, "NumCacheClusters"), "NumCacheClusters")
    ngc = _p(self, "NodeGroupConfiguration") or []
    if num_node_groups is not None and not 1 <= num_node_groups <= 500:
        raise invalid_value("NumNodeGroups must be between 1 and 500.")
    if replicas_per_node_group is not None and not 0 <= replicas_per_node_group <= 5:
        raise invalid_value("ReplicasPerNodeGroup must be between 0 and 5.")
    if num_cache_clusters is not None and not 1 <= num_cache_clusters <= 6:
        raise invalid_value("NumCacheClusters must be between 1 and 6.")

    pg_name = _p(self, "CacheParameterGroupName")
    pg = _get_pg(b, pg_name) if pg_name else None

    shards_requested = num_node_groups or (len(ngc) if ngc else 1)
    cluster_mode = (cluster_mode_param in ("enabled", "compatible") or shards_requested > 1
                    or (pg is not None and pg.cluster_enabled))
    if cluster_mode_param == "disabled" and shards_requested > 1:
        raise invalid_combination("NumNodeGroups greater than 1 requires cluster mode enabled.")
    if pg is not None:
        _check_family(pg, engine, version)
        if cluster_mode and not pg.cluster_enabled:
            raise invalid_combination(
                f"Cluster mode is enabled but parameter group {pg.name} has cluster-enabled=no.")
        if cluster_mode_param == "disabled" and pg.cluster_enabled:
            raise invalid_combination(
                f"ClusterMode is disabled but parameter group {pg.name} has cluster-enabled=yes.")
    else:
        pg = b.emu_param_groups[ed.default_parameter_group(engine, version, cluster_mode)]

    if cluster_mode:
        if num_cache_clusters is not None:
            raise invalid_combination("NumCacheClusters is not valid for a cluster mode enabled replication group; "
                                      "use NumNodeGroups and ReplicasPerNodeGroup.")
        replicas = []
        for i in range(shards_requested):
            r = replicas_per_node_group or 0
            if i < len(ngc) and ngc[i].get("ReplicaCount") is not None:
                r = as_int(ngc[i].get("ReplicaCount"), "ReplicaCount")
            if not 0 <= r <= 5:
                raise invalid_value("ReplicaCount must be between 0 and 5.")
            replicas.append(r)
    else:
        if num_cache_clusters is not None:
            r = num_cache_clusters - 1
            if replicas_per_node_group is not None and replicas_per_node_group != r:
                raise invalid_combination("NumCacheClusters and ReplicasPerNodeGroup disagree.")
        elif replicas_per_node_group is not None:
            r = replicas_per_node_group
        elif ngc and ngc[0].get("ReplicaCount") is not None:
            r = as_int(ngc[0].get("ReplicaCount"), "ReplicaCount")
        else:
            r = 0
        replicas = [r]

    af_param = as_bool(_p(self, "AutomaticFailoverEnabled"))
    multi_az = as_bool(_p(self, "MultiAZEnabled")) or False
    automatic_failover = af_param if af_param is not None else (cluster_mode and min(replicas) >= 1)
    if automatic_failover and min(replicas) < 1:
        raise invalid_combination(
            "Automatic failover requires at least one read replica (ReplicasPerNodeGroup >= 1 or "
            "NumCacheClusters >= 2).")
    if multi_az and not automatic_failover:
        raise invalid_combination("Multi-AZ requires AutomaticFailoverEnabled to be true.")

    subnet_group = _p(self, "CacheSubnetGroupName")
    azs = None
    if subnet_group:
        sg_obj = b.cache_subnet_groups.get(subnet_group)
        if sg_obj is None:
            raise subnet_group_not_found(subnet_group)
        azs = sorted({(s.get("subnet_availability_zone") or s.get("Subnet_availability_zone", {}).get("Name"))
                      for s in sg_obj.subnets if isinstance(s, dict)} - {None}) or None
    security_group_ids = _p(self, "SecurityGroupIds") or []
    if security_group_ids:
        _check_security_groups(b, security_group_ids, subnet_group)
    if _p(self, "CacheSecurityGroupNames") and (subnet_group or security_group_ids):
        raise invalid_combination(
            "Use of cache security groups is not permitted along with cache subnet group and/or security group Ids.")

    transit = as_bool(_p(self, "TransitEncryptionEnabled")) or False
    transit_mode = _p(self, "TransitEncryptionMode")
    if transit_mode is not None and transit_mode not in ("preferred", "required"):
        raise invalid_value(f"Invalid TransitEncryptionMode: {transit_mode}")
    at_rest = as_bool(_p(self, "AtRestEncryptionEnabled")) or False
    auth_token = _p(self, "AuthToken")
    if auth_token is not None:
        if not transit:
            raise invalid_combination("AuthToken can be specified only when TransitEncryptionEnabled is true.")
        check_auth_token(auth_token)
    if _p(self, "UserGroupIds") and auth_token:
        raise invalid_combination("AuthToken and UserGroupIds cannot both be specified.")
    from .users_ext import check_user_groups_for  # E44
    user_group_ids = check_user_groups_for(b, engine, bool(transit), [], [str(g).lower() for g in _p(self, "UserGroupIds") or []], [])

    data_tiering = as_bool(_p(self, "DataTieringEnabled")) or False
    check_data_tiering(node_type, data_tiering)
    durability = _p(self, "Durability")
    check_durability_value(durability)
    if effective_durability(durability) != "disabled":
        check_durability(engine, version, node_type, cluster_mode, multi_az, replicas, transit, data_tiering)
    network_type, ip_discovery = check_network_type(b, engine, version, node_type, subnet_group,
                                                    _p(self, "NetworkType"), _p(self, "IpDiscovery"))

    retention = as_int(_p(self, "SnapshotRetentionLimit"), "SnapshotRetentionLimit")
    retention = check_snapshot_retention(retention) if retention is not None else 0
    snapshot_window = _p(self, "SnapshotWindow")
    snapshot_window = check_snapshot_window(snapshot_window) if snapshot_window else "05:00-06:00"
    mw = _p(self, "PreferredMaintenanceWindow")
    mw = check_maintenance_window(mw) if mw else "sun:23:00-mon:01:30"
    port = as_int(_p(self, "Port"), "Port") or 6379
    if not 1 <= port <= 65535:
        raise invalid_value("Port must be between 1 and 65535.")
    amvu = as_bool(_p(self, "AutoMinorVersionUpgrade"))
    tags = _tags(self)
    log_delivery = [cfg for cfg in _log_delivery_request(self, b, {}).values() if cfg is not None]
    restored_from = _restore_source(self, b, engine, version, cluster_mode, len(replicas), bool(ngc))
    # B8: capacity and quotas, checked synchronously like AWS
    check_capacity(node_type)
    groups = [g for g in b.replication_groups.values() if isinstance(g, EmuReplicationGroup)]
    max_groups = int(STATE.get("maxReplicationGroups") or 0)
    if len(groups) + 1 > max_groups:
        raise EmuError("ClusterQuotaForCustomerExceeded",
                       f"The request would exceed the quota of {max_groups} clusters per customer.")
    check_node_quota(b, sum(r + 1 for r in replicas))
    failure = STATE.take_create_failure()  # B2
    if failure is not None and not failure:
        failure = f"Insufficient capacity for cache node type {node_type} in the requested Availability Zones."

    rg = EmuReplicationGroup(
        b,
        replication_group_id=rid,
        description=description,
        engine=engine,
        engine_version=version,
        cache_node_type=node_type,
        cluster_mode=cluster_mode,
        num_shards=len(replicas),
        replicas=replicas,
        port=port,
        cache_subnet_group_name=subnet_group,
        security_group_ids=security_group_ids,
        cache_parameter_group_name=pg.name,
        transit_encryption_enabled=transit,
        transit_encryption_mode=(transit_mode or "required") if transit else None,
        at_rest_encryption_enabled=at_rest,
        kms_key_id=_p(self, "KmsKeyId"),
        auth_token=auth_token,
        snapshot_retention_limit=retention,
        snapshot_window=snapshot_window,
        preferred_maintenance_window=mw,
        automatic_failover=automatic_failover,
        multi_az=multi_az,
        auto_minor_version_upgrade=True if amvu is None else amvu,
        notification_topic_arn=_p(self, "NotificationTopicArn"),
        data_tiering=data_tiering,
        durability=durability,
        network_type=network_type,
        ip_discovery=ip_discovery,
        azs=azs,
        log_delivery=log_delivery,
        fail_message=failure,
        user_group_ids=user_group_ids,
    )
    rg.restored_from = restored_from
    b.replication_groups[rid] = rg
    if tags:
        b.tagging_service.tag_resource(rg.arn, tags)
    return ActionResult({"ReplicationGroup": rg.to_aws()})


# -- restore from a snapshot or RDB files in S3 (E27) -------------------------------

_S3_ARN_RE = re.compile(r"^arn:aws[a-z-]*:s3:::([^/,]+)/([^,]+)$")


def _minor(version: str) -> tuple[int, int]:
    parts = (version or "0").split(".")
    nums = []
    for p in parts[:2]:
        m = re.match(r"\d+", p)
        nums.append(int(m.group(0)) if m else 0)
    while len(nums) < 2:
        nums.append(0)
    return nums[0], nums[1]


def _restore_source(self: ElastiCacheResponse, b: ElastiCacheBackend, engine: str, version: str,
                    cluster_mode: bool, shards: int, node_group_configuration: bool) -> dict[str, Any] | None:
    """CreateReplicationGroup SnapshotName / SnapshotArns: what the new group is seeded from."""
    name = _p(self, "SnapshotName")
    arns = _p(self, "SnapshotArns") or []
    if name and arns:
        raise invalid_combination("Only one of SnapshotName or SnapshotArns can be specified.")
    if name:
        snap = b.snapshots.get(name)
        if snap is None:
            raise SnapshotNotFound(name)
        if getattr(snap, "snapshot_status", "available") != "available":
            raise EmuError("InvalidSnapshotState",
                           f"Snapshot {name} is not in available state (current status: {snap.snapshot_status}).")
        if snap.engine and snap.engine != engine and not (snap.engine == "redis" and engine == "valkey"):
            raise invalid_combination(f"Snapshot {name} of engine {snap.engine} cannot be restored into engine {engine}.")
        if snap.engine == engine and snap.engine_version and _minor(version) < _minor(snap.engine_version):
            raise invalid_combination(f"Snapshot {name} of {snap.engine} {snap.engine_version} cannot be restored "
                                      f"into the older version {version}.")
        snap_shards = snap.num_node_groups or 1
        snap_cluster = snap_shards > 1 or (snap.cache_parameter_group_name or "").endswith(".cluster.on")
        if snap_cluster and not node_group_configuration and shards != snap_shards:
            raise invalid_combination(f"Snapshot {name} has {snap_shards} node groups; NumNodeGroups must be "
                                      f"{snap_shards} unless NodeGroupConfiguration is given.")
        return {"snapshotName": name, "sourceReplicationGroupId": snap.replication_group_id, "snapshotArns": []}
    if arns:
        from moto.s3.models import s3_backends
        s3 = s3_backends[b.account_id]["aws"]
        for arn in arns:
            m = _S3_ARN_RE.match(arn)
            if m is None:
                raise invalid_value(f"Invalid SnapshotArns value: {arn}. Expected arn:aws:s3:::bucket/key.")
            bucket, key = m.group(1), m.group(2)
            found = bucket in s3.buckets and key in s3.buckets[bucket].keys
            if not found:
                raise invalid_value(f"No object {key} in bucket {bucket} that ElastiCache can read ({arn}).")
        return {"snapshotName": None, "sourceReplicationGroupId": None, "snapshotArns": list(arns)}
    return None


def restore_info(rid: str, account_id: str | None = None, region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call: what a group was seeded from (E27), for the tests' data-plane bridge."""
    with LOCK:
        rg = find_replication_group(rid, account_id, region)
        if rg is None:
            return 404, {"error": f"replication group {rid} not found"}
        src = getattr(rg, "restored_from", None) or {"snapshotName": None, "sourceReplicationGroupId": None, "snapshotArns": []}
        return 200, {"replicationGroupId": rg.replication_group_id, **src}


def put_s3_object(bucket: str, key: str, body: bytes, account_id: str | None = None,
                  region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call: an object in moto's S3 (bucket made when missing), for the Java contract's S3 restores."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends
    with LOCK:
        s3 = s3_backends[account_id or DEFAULT_ACCOUNT_ID]["aws"]
        if bucket not in s3.buckets:
            s3.create_bucket(bucket, region or "us-east-1")
        s3.put_object(bucket, key, body)
        return 200, {"bucket": bucket, "key": key, "size": len(body)}


def describe_replication_groups(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rid = _p(self, "ReplicationGroupId")
    if rid:
        groups = [_get_rg(b, rid)]
    else:
        groups = sorted((g for g in b.replication_groups.values() if isinstance(g, EmuReplicationGroup)),
                        key=lambda g: g.replication_group_id)
    page, marker = paginate(groups, lambda g: g.replication_group_id, _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"ReplicationGroups": [g.to_aws() for g in page], "Marker": marker})


def delete_replication_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rg = _get_rg(b, _required(self, "ReplicationGroupId"))
    if rg.status not in ("available", "create-failed"):
        raise EmuError("InvalidReplicationGroupState",
                       f"Replication group {rg.replication_group_id} has status {rg.status} "
                       f"which is not valid for deletion.")
    final_snapshot = _p(self, "FinalSnapshotIdentifier")
    if final_snapshot and rg.status == "available":
        b.create_snapshot(snapshot_name=final_snapshot, replication_group_id=rg.replication_group_id,
                          cache_cluster_id=None, kms_key_id=rg.kms_key_id, tags=None)
    rg.start("deleting", "deletingSeconds")
    rg.pending.clear()
    return ActionResult({"ReplicationGroup": rg.to_aws()})


def _require_available(rg: EmuReplicationGroup) -> None:
    if rg.status != "available":
        raise invalid_rg_state(rg.replication_group_id, rg.status)


def _check_transit_change(rg: "EmuReplicationGroup", tee: bool | None, tem: str | None) -> None:
    """E37: in-transit encryption on a running group, AWS's two steps (ModifyReplicationGroup
    TransitEncryptionEnabled / TransitEncryptionMode; "Enabling in-transit encryption")."""
    if tem is not None and tem not in ("preferred", "required"):
        raise invalid_value(f"Invalid TransitEncryptionMode: {tem}. Valid values: preferred, required.")
    turning_on = tee is True and not rg.transit_encryption_enabled
    if tee is None and tem is None:
        return
    if (turning_on or tem is not None) and rg.engine == "redis" and ed.version_tuple(rg.engine_version) < (7,):
        # ModifyReplicationGroup: "This is limited to Valkey and Redis OSS 7 and above."
        raise invalid_combination("In-transit encryption can be modified only on Valkey or Redis OSS 7 and above; "
                                  f"replication group {rg.replication_group_id} runs {rg.engine} {rg.engine_version}.")
    if turning_on and tem != "preferred":
        # TransitEncryptionEnabled: "If you are enabling in-transit encryption for an existing cluster,
        # you must also set TransitEncryptionMode to preferred."
        raise invalid_combination("To enable in-transit encryption on an existing replication group, "
                                  "TransitEncryptionMode must be preferred in the same request.")
    if tem == "required" and not (rg.transit_encryption_enabled and tee is not False):
        # TransitEncryptionMode: "Setting TransitEncryptionMode to required is a two-step process that
        # requires you to first set the TransitEncryptionMode to preferred".
        raise invalid_combination("TransitEncryptionMode required needs in-transit encryption enabled in mode preferred first.")
    if tem is not None and tee is False:
        raise invalid_combination("TransitEncryptionMode cannot be set when TransitEncryptionEnabled is false.")


# ModifyReplicationGroup parameters that are no modification of their own
_MODIFY_NEUTRAL = {"Action", "Version", "ReplicationGroupId", "ApplyImmediately", "ClusterMode", "CacheParameterGroupName"}


def _refuse_in_compatible(rg: EmuReplicationGroup) -> None:
    """E53: "In compatible mode, other modification operations on the cluster such as scaling and engine
    version are not allowed" (user guide, "Modifying cluster mode")."""
    if rg.cluster_mode_setting == "compatible":
        raise invalid_combination(f"Replication group {rg.replication_group_id} is in cluster mode compatible: no other "
                                  "modification is allowed until its cluster mode is set to enabled or disabled.")


def _modify_cluster_mode(self: ElastiCacheResponse, b: Any, rg: EmuReplicationGroup, to: str) -> ActionResult:
    """E53..E55: ModifyReplicationGroup ClusterMode on a running group."""
    to = str(to).lower()
    if to not in ("enabled", "disabled", "compatible"):
        raise invalid_value(f"Invalid ClusterMode: {to}. Valid values: enabled, disabled, compatible.")
    others = sorted(k.split(".")[0] for k in self.querystring if k.split(".")[0] not in _MODIFY_NEUTRAL)
    if others:
        # "when defining the cluster mode parameter in a ModifyReplicationGroup request, you cannot
        # modify the parameters (excluding cacheParameterGroupName)"
        raise invalid_combination(f"No other modification can be requested together with ClusterMode "
                                  f"(except CacheParameterGroupName): {', '.join(dict.fromkeys(others))}.")
    current = rg.cluster_mode_setting
    if to == current:
        raise invalid_combination(f"Replication group {rg.replication_group_id} is already in cluster mode {current}.")
    if current == "enabled":
        raise invalid_combination("Cluster mode configuration cannot be reverted once enabled.")
    if current == "disabled" and to == "enabled":
        raise invalid_combination("To modify cluster mode from Disabled to Enabled, you must first set the cluster mode "
                                  "to Compatible.")
    if current == "disabled":
        minimum = (7, 0) if rg.engine == "redis" else (7, 2)
        if ed.version_tuple(rg.engine_version)[:2] < minimum:
            raise invalid_combination("The minimum engine version required for cluster mode migration is Valkey 7.2 "
                                      f"or Redis OSS 7.0; replication group {rg.replication_group_id} runs "
                                      f"{rg.engine} {rg.engine_version}.")
        if rg.automatic_failover != "enabled" or min(rg.replica_counts()) < 1:
            raise invalid_combination("Auto-failover must be enabled on the cluster with a minimum of 1 replica to "
                                      "modify its cluster mode.")
    # E54: the parameter group follows: a default group is swapped for its cluster-enabled (or plain)
    # default; a custom group must be replaced by one with the right cluster-enabled value.
    want_cluster = to != "disabled"
    pg_name = _p(self, "CacheParameterGroupName")
    pg = _get_pg(b, pg_name) if pg_name else b.emu_param_groups[rg.cache_parameter_group_name]
    if not pg_name and pg.is_default and pg.cluster_enabled != want_cluster:
        pg = b.emu_param_groups[ed.default_parameter_group(rg.engine, rg.engine_version, want_cluster)]
    _check_family(pg, rg.engine, rg.engine_version)
    if pg.cluster_enabled != want_cluster:
        raise invalid_combination(f"Parameter group {pg.name} has cluster-enabled={'yes' if pg.cluster_enabled else 'no'}; "
                                  f"cluster mode {to} needs a parameter group with cluster-enabled="
                                  f"{'yes' if want_cluster else 'no'}.")
    fields = ["ClusterMode"]
    if pg.name != rg.cache_parameter_group_name:
        rg.cache_parameter_group_name = pg.name
        rg.param_apply_status = "applying"
        fields.append("CacheParameterGroupName")
    rg.pending["ClusterMode"] = to
    rg.start_modifying(fields)
    return ActionResult({"ReplicationGroup": rg.to_aws()})


def modify_replication_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rg = _get_rg(b, _required(self, "ReplicationGroupId"))
    _require_available(rg)
    cluster_mode = _p(self, "ClusterMode")
    if cluster_mode is not None:
        return _modify_cluster_mode(self, b, rg, cluster_mode)
    _refuse_in_compatible(rg)
    apply_immediately = bool(as_bool(_p(self, "ApplyImmediately")))
    # -- validate everything before changing anything ---------------------
    description = _p(self, "ReplicationGroupDescription")
    node_type = _p(self, "CacheNodeType")
    if node_type is not None:
        check_node_type(node_type)
        if node_type != rg.cache_node_type:
            check_capacity(node_type)
    engine = (_p(self, "Engine") or rg.engine).lower()
    if engine not in ed.ENGINES:
        raise invalid_value(f"Invalid engine name: {engine}")
    if engine != rg.engine and not (rg.engine == "redis" and engine == "valkey"):
        raise invalid_combination(f"Cannot change engine from {rg.engine} to {engine}.")
    requested_version = _p(self, "EngineVersion")
    if engine != rg.engine and not requested_version:
        raise invalid_combination("EngineVersion is required when changing the engine.")
    target_version = rg.pending_nodes.get("EngineVersion", rg.engine_version)
    if requested_version:
        v = ed.full_version(engine, requested_version)
        if v is None:
            raise invalid_combination(f"Cannot find version {requested_version} for {engine}")
        if engine == rg.engine and ed.version_tuple(v) < ed.version_tuple(rg.engine_version):
            raise invalid_combination(
                f"Cannot downgrade {engine} from {rg.engine_version} to {v}.")
        target_version = v
    pg_name = _p(self, "CacheParameterGroupName")
    target_pg = _get_pg(b, pg_name) if pg_name else b.emu_param_groups[rg.cache_parameter_group_name]
    current_pg = target_pg
    if not pg_name and target_pg.is_default and target_pg.family != ed.family_for(engine, target_version):
        # a default group follows the engine to its new family
        target_pg = b.emu_param_groups[ed.default_parameter_group(engine, target_version, rg.cluster_mode)]
    _check_family(target_pg, engine, target_version)
    if target_pg.cluster_enabled != rg.cluster_mode:
        raise invalid_combination(
            f"Parameter group {target_pg.name} has cluster-enabled="
            f"{'yes' if target_pg.cluster_enabled else 'no'}, which does not match the replication group.")
    sg_ids = _p(self, "SecurityGroupIds")
    if sg_ids is not None:
        _check_security_groups(b, sg_ids, rg.cache_subnet_group_name)
    retention = as_int(_p(self, "SnapshotRetentionLimit"), "SnapshotRetentionLimit")
    if retention is not None:
        check_snapshot_retention(retention)
    sw = _p(self, "SnapshotWindow")
    if sw is not None:
        sw = check_snapshot_window(sw)
    mw = _p(self, "PreferredMaintenanceWindow")
    if mw is not None:
        mw = check_maintenance_window(mw)
    af = as_bool(_p(self, "AutomaticFailoverEnabled"))
    maz = as_bool(_p(self, "MultiAZEnabled"))
    af_after = (af if af is not None else rg.automatic_failover == "enabled")
    maz_after = (maz if maz is not None else rg.multi_az == "enabled")
    if af_after and min(rg.replica_counts()) < 1:
        raise invalid_combination("Automatic failover requires at least one read replica in every node group.")
    if maz_after and not af_after:
        raise invalid_combination("Multi-AZ requires AutomaticFailoverEnabled to be true.")
    tee = as_bool(_p(self, "TransitEncryptionEnabled"))
    if tee is not None and rg.auth_tokens:
        raise invalid_combination(
            "Modification of transit encryption is not supported for access control enabled clusters.")
    tem = _p(self, "TransitEncryptionMode")
    _check_transit_change(rg, tee, tem)
    token = _p(self, "AuthToken")
    strategy = _p(self, "AuthTokenUpdateStrategy")
    if strategy is not None:
        strategy = str(strategy).upper()
        if strategy not in ("ROTATE", "SET", "DELETE"):
            raise invalid_value(f"Invalid AuthTokenUpdateStrategy: {strategy}. Valid: ROTATE, SET, DELETE.")
    if token is not None or strategy is not None:
        strategy = strategy or "ROTATE"
        if strategy in ("ROTATE", "SET") and token is None:
            raise invalid_combination(f"AuthTokenUpdateStrategy {strategy} requires AuthToken.")
        if strategy == "DELETE" and token is not None:
            raise invalid_combination("AuthToken must not be specified with AuthTokenUpdateStrategy DELETE.")
        if not (rg.transit_encryption_enabled or tee):
            raise invalid_combination("AuthToken can be specified only when TransitEncryptionEnabled is true.")
        if token is not None:
            check_auth_token(token)
        if strategy == "SET" and rg.last_auth_strategy != "ROTATE":
            # API reference, ModifyReplicationGroup AuthTokenUpdateStrategy: "SET - allowed only after ROTATE"
            raise invalid_combination("AuthTokenUpdateStrategy SET is allowed only after ROTATE.")
        if strategy == "DELETE" and not rg.auth_tokens:
            raise invalid_combination("The replication group has no AUTH token to delete.")
        if strategy == "DELETE" and not (_p(self, "UserGroupIdsToAdd") or rg.user_group_ids):
            # "DELETE - allowed only when transitioning to RBAC"
            raise invalid_combination("AuthTokenUpdateStrategy DELETE is allowed only when transitioning to RBAC "
                                      "(specify UserGroupIdsToAdd).")
    from .users_ext import check_user_groups_for  # E44
    ug_add = [str(g).lower() for g in _p(self, "UserGroupIdsToAdd") or []]
    ug_remove = [str(g).lower() for g in _p(self, "UserGroupIdsToRemove") or []]
    remove_all = False
    if as_bool(_p(self, "RemoveUserGroups")):
        # E71: "Removes the user group associated with this replication group" (API reference); the user
        # guide's "Migrating from RBAC to AUTH" sends it with AuthToken and ROTATE. The refusals are the
        # emulator's choice (the reference names no error for them): nothing to remove, or a contradiction.
        if not rg.user_group_ids:
            raise invalid_combination("The replication group has no user group to remove.")
        if ug_add or ug_remove:
            raise invalid_combination("RemoveUserGroups cannot be given with UserGroupIdsToAdd or UserGroupIdsToRemove.")
        if strategy == "DELETE":
            raise invalid_combination("RemoveUserGroups cannot be given with AuthTokenUpdateStrategy DELETE.")
        ug_remove = list(rg.user_group_ids)
        remove_all = True
    if ug_add or ug_remove:
        check_user_groups_for(b, rg.engine, rg.transit_encryption_enabled or bool(tee), rg.user_group_ids, ug_add, ug_remove)
        if rg.auth_tokens and ug_add and strategy != "DELETE":
            # the way from AUTH to RBAC is AuthTokenUpdateStrategy DELETE with UserGroupIdsToAdd
            raise invalid_combination("A replication group with an AUTH token gets a user group only with "
                                      "AuthTokenUpdateStrategy DELETE.")
    ip_discovery = _p(self, "IpDiscovery")
    if ip_discovery is not None:  # E31: IpDiscovery can change; the network type cannot
        if ip_discovery not in ("ipv4", "ipv6"):
            raise invalid_value(f"Invalid IpDiscovery: {ip_discovery}. Valid values: ipv4, ipv6.")
        if rg.network_type == "ipv4" and ip_discovery == "ipv6":
            raise invalid_combination("IpDiscovery ipv6 requires NetworkType ipv6 or dual_stack.")
        if rg.network_type == "ipv6" and ip_discovery == "ipv4":
            raise invalid_combination("IpDiscovery ipv4 is not valid with NetworkType ipv6.")
    durability = _p(self, "Durability")
    if durability is not None:  # E46: "Changing durability on an existing cluster"
        check_durability_value(durability)
        check_durability(rg.engine, rg.engine_version, rg.cache_node_type, rg.cluster_mode,
                         rg.multi_az == "enabled", rg.replica_counts(), rg.transit_encryption_enabled,
                         rg.data_tiering == "enabled")
    amvu = as_bool(_p(self, "AutoMinorVersionUpgrade"))
    log_delivery = _log_delivery_request(self, b, rg.log_delivery)

    # -- apply -------------------------------------------------------------
    # ApplyImmediately (API reference): "If false, changes to the nodes in the replication group are
    # applied on the next maintenance reboot"; default false. Node changes: CacheNodeType, Engine,
    # EngineVersion. Everything else is applied now (the group goes modifying).
    fields: list[str] = []
    if description is not None and description != rg.description:
        rg.description = description
        fields.append("ReplicationGroupDescription")
    node_updates: dict[str, Any] = {}
    if node_type is not None and node_type != rg.pending_nodes.get("CacheNodeType", rg.cache_node_type):
        node_updates["CacheNodeType"] = node_type
    if engine != rg.pending_nodes.get("Engine", rg.engine):
        node_updates["Engine"] = engine
    if requested_version and target_version != rg.pending_nodes.get("EngineVersion", rg.engine_version):
        node_updates["EngineVersion"] = target_version
    new_pg = target_pg if (pg_name or apply_immediately) else current_pg
    if new_pg.name != rg.cache_parameter_group_name:
        rg.cache_parameter_group_name = new_pg.name
        rg.param_apply_status = "applying"
        fields.append("CacheParameterGroupName")
    if sg_ids is not None:
        rg.security_group_ids = list(sg_ids)
        fields.append("SecurityGroupIds")
    if retention is not None:
        rg.snapshot_retention_limit = retention
        fields.append("SnapshotRetentionLimit")
    if sw is not None:
        rg.snapshot_window = sw
        fields.append("SnapshotWindow")
    if mw is not None:
        rg.preferred_maintenance_window = mw
        fields.append("PreferredMaintenanceWindow")
    if ip_discovery is not None and ip_discovery != rg.ip_discovery:
        rg.ip_discovery = ip_discovery
        fields.append("IpDiscovery")
    if af is not None and ("enabled" if af else "disabled") != rg.automatic_failover:
        rg.pending["AutomaticFailoverStatus"] = "enabled" if af else "disabled"
        fields.append("AutomaticFailoverEnabled")
    if maz is not None:
        rg.multi_az = "enabled" if maz else "disabled"
        fields.append("MultiAZEnabled")
    if tee is not None and tee != rg.transit_encryption_enabled:
        rg.pending["TransitEncryptionEnabled"] = tee
        fields.append("TransitEncryptionEnabled")
    if tem is not None and (tee is not None and tee != rg.transit_encryption_enabled or tem != rg.transit_encryption_mode):
        rg.pending["TransitEncryptionMode"] = tem  # E37: applied when the modification ends
        fields.append("TransitEncryptionMode")
    if durability is not None and effective_durability(durability) != effective_durability(rg.durability):
        # the new mode is in effect at once (EffectiveDurability); the group is modifying meanwhile
        rg.durability = durability
        rg.durability_encrypted = rg.durability_encrypted or effective_durability(durability) != "disabled"
        fields.append("Durability")
    if amvu is not None:
        rg.auto_minor_version_upgrade = amvu
        fields.append("AutoMinorVersionUpgrade")
    if ug_add or ug_remove:
        # E44: the user groups change when the modification ends, like the AUTH token (B5)
        rg.pending_user_groups = (ug_add, ug_remove)
        rg.pending["UserGroups"] = {"UserGroupIdsToAdd": ug_add, "UserGroupIdsToRemove": ug_remove}
        fields.append("UserGroupIdsToAdd" if ug_add else "UserGroupIdsToRemove")
    if strategy is not None:
        # takes effect when the modification ends (B5); until then the current tokens stay valid
        rg.pending_auth = (strategy, token)
        rg.pending_token_optional = remove_all and strategy == "ROTATE"  # E71
        if strategy == "ROTATE":
            rg.pending["AuthTokenStatus"] = "ROTATING"
        elif strategy == "SET":
            rg.pending["AuthTokenStatus"] = "SETTING"
        fields.append("AuthToken")
    pending_logs = []
    for log_type, cfg in log_delivery.items():
        cur = rg.log_delivery.get(log_type)
        if cfg is None:
            if cur is not None:
                cur["_state"] = "disabling"
                fields.append("LogDeliveryConfigurations")
            continue
        if cur is not None and all(cur[k] == cfg[k] for k in cfg):
            continue
        rg.log_delivery[log_type] = dict(cfg, _state="enabling" if cur is None else "modifying")
        pending_logs.append(dict(cfg))
        fields.append("LogDeliveryConfigurations")
    if pending_logs:
        rg.pending["LogDeliveryConfigurations"] = pending_logs
    fields = list(dict.fromkeys(fields))
    rg.pending_nodes.update(node_updates)
    if apply_immediately:
        if not fields and not rg.pending_nodes:
            raise invalid_combination("No modifications were requested.")
        if rg.pending_nodes:
            rg.apply_nodes_at_end = True
        rg.start_modifying(fields + [k for k in ("CacheNodeType", "Engine", "EngineVersion") if k in rg.pending_nodes])
    else:
        if not fields and not node_updates:
            raise invalid_combination("No modifications were requested.")
        if fields:
            rg.start_modifying(fields)
        # node changes alone: the group stays available, they wait for the maintenance window
    return ActionResult({"ReplicationGroup": rg.to_aws()})


def _replica_change(self: ElastiCacheResponse, increase: bool) -> ActionResult:
    b = _backend(self)
    rg = _get_rg(b, _required(self, "ReplicationGroupId"))
    apply_immediately = as_bool(_p(self, "ApplyImmediately"))
    if apply_immediately is None:
        raise EmuError("MissingParameter", "The request must contain the parameter ApplyImmediately")
    if not apply_immediately:
        raise invalid_value("ApplyImmediately=false is not supported; the value must be true.")
    _require_available(rg)
    _refuse_in_compatible(rg)
    new_count = as_int(_p(self, "NewReplicaCount"), "NewReplicaCount")
    replica_config = _p(self, "ReplicaConfiguration") or []
    to_remove = _p(self, "ReplicasToRemove") or []
    current = rg.replica_counts()
    targets: dict[str, int] = {}
    if replica_config:
        for cfg in replica_config:
            ngid = cfg.get("NodeGroupId")
            shard = next((s for s in rg.shards if s["id"] == ngid), None)
            if shard is None:
                raise EmuError("NodeGroupNotFoundFault", f"Node group {ngid} not found.")
            targets[ngid] = as_int(cfg.get("NewReplicaCount"), "NewReplicaCount")
    elif new_count is not None:
        targets = {s["id"]: new_count for s in rg.shards}
    elif not increase and to_remove:
        for s in rg.shards:
            removing = [c for c in to_remove if c in s["members"][1:]]
            targets[s["id"]] = len(s["members"]) - 1 - len(removing)
        unknown = [c for c in to_remove if c not in rg.member_clusters]
        if unknown:
            raise EmuError("CacheClusterNotFound", f"Cache cluster {unknown[0]} not found.")
    else:
        raise EmuError("MissingParameter", "The request must contain the parameter NewReplicaCount")
    for shard, cur in zip(rg.shards, current):
        if shard["id"] not in targets:
            continue
        n = targets[shard["id"]]
        if n is None or not 0 <= n <= 5:
            raise invalid_value("NewReplicaCount must be between 0 and 5.")
        if increase and n <= cur:
            raise invalid_value(f"NewReplicaCount {n} must be greater than the current replica count {cur}.")
        if not increase and n >= cur:
            raise invalid_value(f"NewReplicaCount {n} must be less than the current replica count {cur}.")
        if not increase and n < 1 and rg.automatic_failover == "enabled":
            raise invalid_combination(
                "Cannot decrease the replica count below 1 while automatic failover is enabled.")
        if not increase and n < 1 and rg.multi_az == "enabled":
            raise invalid_combination("Cannot decrease the replica count below 1 while Multi-AZ is enabled.")
    if increase:
        check_capacity(rg.cache_node_type)
        check_node_quota(b, sum(targets[s["id"]] - c for s, c in zip(rg.shards, current) if s["id"] in targets))
    for shard in rg.shards:
        if shard["id"] in targets:
            rg._set_replicas(shard, targets[shard["id"]], to_remove=list(to_remove))
    rg.start_modifying(["ReplicaCount"])
    return ActionResult({"ReplicationGroup": rg.to_aws()})


def increase_replica_count(self: ElastiCacheResponse) -> ActionResult:
    return _replica_change(self, True)


def decrease_replica_count(self: ElastiCacheResponse) -> ActionResult:
    return _replica_change(self, False)


def modify_replication_group_shard_configuration(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rg = _get_rg(b, _required(self, "ReplicationGroupId"))
    count = as_int(_required(self, "NodeGroupCount"), "NodeGroupCount")
    apply_immediately = as_bool(_required(self, "ApplyImmediately"))
    if not apply_immediately:
        raise invalid_value("ApplyImmediately must be true.")
    _require_available(rg)
    if not rg.cluster_mode:
        raise invalid_combination(
            f"Replication group {rg.replication_group_id} is not cluster mode enabled; "
            f"shard configuration cannot be modified.")
    if not 1 <= count <= 500:
        raise invalid_value("NodeGroupCount must be between 1 and 500.")
    current = len(rg.shards)
    if count == current:
        raise invalid_value(f"NodeGroupCount {count} is the current number of node groups.")
    to_remove = _p(self, "NodeGroupsToRemove") or []
    to_retain = _p(self, "NodeGroupsToRetain") or []
    ids = [s["id"] for s in rg.shards]
    if count < current:
        if not to_remove and not to_retain:
            raise invalid_combination(
                "NodeGroupsToRemove or NodeGroupsToRetain is required when decreasing NodeGroupCount.")
        if to_remove and to_retain:
            raise invalid_combination("Specify only one of NodeGroupsToRemove and NodeGroupsToRetain.")
        for ngid in to_remove + to_retain:
            if ngid not in ids:
                raise EmuError("NodeGroupNotFoundFault", f"Node group {ngid} not found.")
        keep = [i for i in ids if i not in to_remove] if to_remove else list(to_retain)
        if len(keep) != count:
            raise invalid_combination(
                f"NodeGroupCount {count} does not match the node groups that would remain ({len(keep)}).")
        rg.shards = [s for s in rg.shards if s["id"] in keep]
    else:
        replicas = rg.replica_counts()[0] if rg.shards else 0
        check_capacity(rg.cache_node_type)
        check_node_quota(b, (count - current) * (replicas + 1))
        for _ in range(count - current):
            rg._add_shard(replicas)
    rg._rebalance_slots()
    rg.pending["Resharding"] = {"SlotMigration": {"ProgressPercentage": 0.0}}
    rg.start_modifying(["NodeGroupCount"])
    return ActionResult({"ReplicationGroup": rg.to_aws()})


# -- snapshots (B1) ----------------------------------------------------------------

_orig_create_snapshot = ElastiCacheResponse.create_snapshot


def _start_snapshot(b: ElastiCacheBackend, rg: EmuReplicationGroup, name: str, source: str,
                    kms_key_id: str | None, tags: list[dict[str, str]] | None) -> Any:
    snap = b.create_snapshot(snapshot_name=name, replication_group_id=rg.replication_group_id,
                             cache_cluster_id=None, kms_key_id=kms_key_id, tags=tags)
    snap.snapshot_status = "creating"
    snap.snapshot_source = source
    rg.snapshot = snap
    rg.start("snapshotting", "snapshottingSeconds")
    rg.event(f"Backup started for snapshot with ID '{name}' of replication group with ID "
             f"'{rg.replication_group_id}'" + (" (automatic backup)" if source == "automated" else ""))
    return snap


def create_snapshot(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rid = _p(self, "ReplicationGroupId")
    if not rid:
        return _orig_create_snapshot(self)  # stand-alone cache clusters: moto's own
    if _p(self, "CacheClusterId"):
        raise invalid_combination("Only one of CacheClusterId or ReplicationGroupId can be provided.")
    name = _required(self, "SnapshotName")
    rg = _get_rg(b, rid)
    if name in b.snapshots:
        raise EmuError("SnapshotAlreadyExistsFault", f"Snapshot {name} already exists.")
    _require_available(rg)
    snap = _start_snapshot(b, rg, name, "manual", _p(self, "KmsKeyId"), _tags(self))
    return ActionResult({"Snapshot": snap})


def start_backup(rid: str, account_id: str | None = None, region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call: the group's backup window comes now (B1)."""
    with LOCK:
        rg = find_replication_group(rid, account_id, region)
        if rg is None:
            return 404, {"error": f"replication group {rid} not found"}
        if rg.status != "available":
            return 409, {"error": f"replication group {rid} is {rg.status}, not available", "status": rg.status}
        if rg.snapshot_retention_limit <= 0:
            # CreateReplicationGroup SnapshotRetentionLimit: "If you do not specify this parameter,
            # automatic backups are disabled (0)"
            return 409, {"error": f"replication group {rid} has SnapshotRetentionLimit 0: automatic backups "
                                  f"are disabled", "status": rg.status}
        b = elasticache_backends[rg.account_id][rg.region]
        name = f"automatic.{rg.replication_group_id}-{_utcnow().strftime('%Y-%m-%d-%H-%M')}"
        n = 1
        base = name
        while name in b.snapshots:
            n += 1
            name = f"{base}-{n}"
        _start_snapshot(b, rg, name, "automated", rg.kms_key_id, None)
        return 200, {"replicationGroupId": rg.replication_group_id, "status": rg.status, "snapshotName": name}


def reach_maintenance_window(rid: str, account_id: str | None = None,
                             region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call: the group's maintenance window comes now (B4)."""
    with LOCK:
        rg = find_replication_group(rid, account_id, region)
        if rg is None:
            return 404, {"error": f"replication group {rid} not found"}
        fields = [k for k in ("CacheNodeType", "Engine", "EngineVersion") if k in rg.pending_nodes]
        if not fields:
            return 200, {"replicationGroupId": rg.replication_group_id, "applied": [], "status": rg.status}
        if rg.status != "available":
            return 409, {"error": f"replication group {rid} is {rg.status}, not available", "status": rg.status}
        rg.apply_nodes_at_end = True
        rg.start_modifying(fields, f"Deferred modifications applied in the maintenance window "
                                   f"to replication group {rg.replication_group_id}")
        return 200, {"replicationGroupId": rg.replication_group_id, "applied": fields, "status": rg.status}


# -- TestFailover (E24) ------------------------------------------------------------------

_NODE_GROUP_ID_RE = re.compile(r"^\d{1,4}$")  # AllowedNodeGroupId: pattern \d+, length 1..4


def test_failover(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    rid = _required(self, "ReplicationGroupId")
    ngid = str(_required(self, "NodeGroupId"))
    if not _NODE_GROUP_ID_RE.match(ngid):
        raise invalid_value(f"Invalid NodeGroupId: {ngid}. It must be 1 to 4 digits.")
    rg = _get_rg(b, rid)
    rid = rg.replication_group_id
    _require_available(rg)
    shard = next((s for s in rg.shards if s["id"] == ngid), None)
    if shard is None:
        raise EmuError("NodeGroupNotFoundFault", f"Node group {ngid} not found in replication group {rid}.")
    if rg.automatic_failover != "enabled":
        raise invalid_combination(f"Automatic failover is disabled for replication group {rid}; "
                                  f"TestFailover needs AutomaticFailoverEnabled.")
    if len(shard["members"]) < 2:
        raise invalid_combination(f"Node group {ngid} of replication group {rid} has no replica to fail over to.")
    if rg.failover is not None:
        raise EmuError("TestFailoverNotAvailableFault",
                       f"A test failover of node group {rg.failover['node_group']} of replication group {rid} "
                       f"is in progress; it must complete before another one can be started.")
    t = _now()
    limit = int(STATE.get("maxTestFailoversPerDay") or 0)
    recent = 0
    for other in all_backends():
        if other.account_id == b.account_id:
            other.emu_test_failovers[:] = [x for x in other.emu_test_failovers if t - x < 86400]
            recent += len(other.emu_test_failovers)
    if recent + 1 > limit:
        raise EmuError("APICallRateForCustomerExceeded",
                       f"Test failover is allowed on at most {limit} node groups in any rolling 24-hour period.")
    b.emu_test_failovers.append(t)
    rg.start_failover(ngid)
    return ActionResult({"ReplicationGroup": rg.to_aws()})


# -- service updates (E28) ---------------------------------------------------------

_SEVERITIES = ("critical", "important", "medium", "low")
_UPDATE_ACTION_STATUSES = ("not-applied", "waiting-to-start", "in-progress", "stopping", "stopped", "complete",
                           "scheduling", "scheduled", "not-applicable")
_SERVICE_UPDATE_STATUSES = ("available", "cancelled", "expired")


def publish_service_update(body: dict[str, Any], account_id: str | None = None,
                           region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call: AWS publishes a service update (status available) for one engine (E28)."""
    name = body.get("name")
    engine = body.get("engine")
    severity = body.get("severity", "important")
    if not name or engine not in ("redis", "valkey") or severity not in _SEVERITIES:
        return 400, {"error": "need name, engine (redis|valkey), severity (critical|important|medium|low)"}
    with LOCK:
        b = elasticache_backends[account_id or "123456789012"][region or "us-east-1"]
        now = _utcnow().replace(microsecond=0)
        apply_by = _as_time(body.get("recommendedApplyBy"), "recommendedApplyBy") or now + timedelta(days=30)
        b.emu_service_updates[name] = {
            "ServiceUpdateName": name,
            "ServiceUpdateReleaseDate": now,
            "ServiceUpdateEndDate": apply_by + timedelta(days=90),
            "ServiceUpdateSeverity": severity,
            "ServiceUpdateRecommendedApplyByDate": apply_by,
            "ServiceUpdateStatus": "available",
            "ServiceUpdateDescription": body.get("description") or f"Security update for {engine}",
            "ServiceUpdateType": body.get("type") or "security-update",
            "Engine": engine,
            "EngineVersion": body.get("engineVersion") or "",
            "AutoUpdateAfterRecommendedApplyByDate": False,
            "EstimatedUpdateTime": "15 minutes per node",
        }
        return 200, {k: str(v) if isinstance(v, datetime) else v for k, v in b.emu_service_updates[name].items()}


def _action_status(rg: EmuReplicationGroup, update: dict[str, Any]) -> str | None:
    """The group's action of the update; None when it does not concern the group (another engine, not created yet)."""
    if update["Engine"] != rg.engine or rg.status in ("creating", "create-failed", "deleting"):
        return None
    return rg.update_actions.get(update["ServiceUpdateName"], "not-applied")


def _list_param(self: ElastiCacheResponse, name: str, allowed: tuple[str, ...] | None = None,
                max_items: int | None = None) -> list[str]:
    values = _p(self, name) or []
    if isinstance(values, str):
        values = [values]
    if max_items is not None and len(values) > max_items:
        raise invalid_value(f"{name} takes at most {max_items} items.")
    for v in values:
        if allowed is not None and v not in allowed:
            raise invalid_value(f"Invalid value for {name}: {v}. Valid: {', '.join(allowed)}.")
    return list(values)


def describe_service_updates(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _p(self, "ServiceUpdateName")
    statuses = _list_param(self, "ServiceUpdateStatus", _SERVICE_UPDATE_STATUSES, 3)
    items = sorted((u for u in b.emu_service_updates.values()
                    if (not name or u["ServiceUpdateName"] == name)
                    and (not statuses or u["ServiceUpdateStatus"] in statuses)),
                   key=lambda u: u["ServiceUpdateName"])
    page, marker = paginate(items, lambda u: u["ServiceUpdateName"], _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"ServiceUpdates": [dict(u) for u in page], "Marker": marker})


def describe_update_actions(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _p(self, "ServiceUpdateName")
    group_ids = [g.lower() for g in _list_param(self, "ReplicationGroupIds", None, 20)]
    engine = _p(self, "Engine")
    su_statuses = _list_param(self, "ServiceUpdateStatus", _SERVICE_UPDATE_STATUSES, 3)
    ua_statuses = _list_param(self, "UpdateActionStatus", _UPDATE_ACTION_STATUSES, 9)
    items = []
    for u in b.emu_service_updates.values():
        if (name and u["ServiceUpdateName"] != name) or (engine and u["Engine"] != engine) \
                or (su_statuses and u["ServiceUpdateStatus"] not in su_statuses):
            continue
        for rid, rg in b.replication_groups.items():
            if not isinstance(rg, EmuReplicationGroup) or (group_ids and rid not in group_ids):
                continue
            status = _action_status(rg, u)
            if status is None or (ua_statuses and status not in ua_statuses):
                continue
            items.append({
                "ReplicationGroupId": rid,
                "ServiceUpdateName": u["ServiceUpdateName"],
                "ServiceUpdateReleaseDate": u["ServiceUpdateReleaseDate"],
                "ServiceUpdateSeverity": u["ServiceUpdateSeverity"],
                "ServiceUpdateStatus": u["ServiceUpdateStatus"],
                "ServiceUpdateRecommendedApplyByDate": u["ServiceUpdateRecommendedApplyByDate"],
                "ServiceUpdateType": u["ServiceUpdateType"],
                "UpdateActionAvailableDate": u["ServiceUpdateReleaseDate"],
                "UpdateActionStatus": status,
                "NodesUpdated": f"{len(rg.member_clusters) if status == 'complete' else 0}/{len(rg.member_clusters)}",
                "SlaMet": "yes" if status == "complete" else "n/a",
                "EstimatedUpdateTime": u["EstimatedUpdateTime"],
                "Engine": u["Engine"],
            })
    items.sort(key=lambda a: (a["ServiceUpdateName"], a["ReplicationGroupId"]))
    page, marker = paginate(items, lambda a: a["ServiceUpdateName"] + "|" + a["ReplicationGroupId"],
                            _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"UpdateActions": page, "Marker": marker})


def _batch_update_action(self: ElastiCacheResponse, apply: bool) -> ActionResult:
    b = _backend(self)
    name = _required(self, "ServiceUpdateName")
    group_ids = _list_param(self, "ReplicationGroupIds", None, 20)
    if _p(self, "CacheClusterIds"):
        raise invalid_combination("The emulator takes ReplicationGroupIds only (no stand-alone cache clusters).")
    update = b.emu_service_updates.get(name)
    if update is None:
        raise EmuError("ServiceUpdateNotFoundFault", f"The service update {name} doesn't exist")
    processed, unprocessed = [], []
    for rid in group_ids:
        rg = b.replication_groups.get(rid.lower())

        def refuse(error_type: str, message: str) -> None:
            unprocessed.append({"ReplicationGroupId": rid, "ServiceUpdateName": name,
                                "ErrorType": error_type, "ErrorMessage": message})
        if not isinstance(rg, EmuReplicationGroup):
            refuse("ReplicationGroupNotFoundFault", f"Replication group {rid} not found.")
            continue
        status = _action_status(rg, update)
        if status is None:
            refuse("InvalidParameterValue", f"Service update {name} does not apply to replication group {rid}.")
        elif apply and status not in ("not-applied", "stopped"):
            refuse("InvalidParameterValue", f"Service update {name} is {status} on replication group {rid}.")
        elif apply and rg.status != "available":
            refuse("InvalidReplicationGroupState", f"Replication group {rid} is {rg.status}, not available.")
        elif not apply and status not in ("waiting-to-start", "in-progress"):
            refuse("InvalidParameterValue", f"Service update {name} is {status} on replication group {rid}: nothing to stop.")
        elif apply:
            rg.update_actions[name] = "in-progress"
            rg.applying_update = name
            rg.event(f"Service update {name} is being applied to replication group {rg.replication_group_id}")
            rg.start_modifying([], f"Service update {name} has been applied to replication group {rg.replication_group_id}")
            processed.append({"ReplicationGroupId": rg.replication_group_id, "ServiceUpdateName": name,
                              "UpdateActionStatus": "in-progress"})
        else:
            rg.update_actions[name] = "stopped"
            rg.applying_update = None
            rg.modification_note = ""
            processed.append({"ReplicationGroupId": rg.replication_group_id, "ServiceUpdateName": name,
                              "UpdateActionStatus": "stopped"})
    return ActionResult({"ProcessedUpdateActions": processed, "UnprocessedUpdateActions": unprocessed})


def batch_apply_update_action(self: ElastiCacheResponse) -> ActionResult:
    return _batch_update_action(self, True)


def batch_stop_update_action(self: ElastiCacheResponse) -> ActionResult:
    return _batch_update_action(self, False)


# -- events (B3) ---------------------------------------------------------------------

_SOURCE_TYPES = ("cache-cluster", "cache-parameter-group", "cache-security-group", "cache-subnet-group",
                 "replication-group", "serverless-cache", "serverless-cache-snapshot", "user", "user-group")


def _as_time(v: Any, name: str) -> datetime | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v if v.tzinfo else v.replace(tzinfo=timezone.utc)
    try:
        d = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        raise invalid_value(f"Invalid value for {name}: {v}") from None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def describe_events(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    source_type = _p(self, "SourceType")
    if source_type is not None and source_type not in _SOURCE_TYPES:
        raise invalid_value(f"Invalid SourceType: {source_type}. Valid: {', '.join(_SOURCE_TYPES)}.")
    source_id = _p(self, "SourceIdentifier")
    start = _as_time(_p(self, "StartTime"), "StartTime")
    end = _as_time(_p(self, "EndTime"), "EndTime")
    duration = as_int(_p(self, "Duration"), "Duration")
    if duration is not None and duration < 0:
        raise invalid_value("Duration must not be negative.")
    now = _utcnow()
    if start is None and end is None:
        end = now
        start = now - timedelta(minutes=duration if duration is not None else 60)
    elif start is None:
        start = end - timedelta(minutes=duration if duration is not None else 60)  # type: ignore[operator]
    elif end is None:
        end = now if duration is None else start + timedelta(minutes=duration)
    start = max(start, now - timedelta(days=14))  # "up to 14 days' worth of events"
    mr = as_int(_p(self, "MaxRecords"), "MaxRecords")
    mr = 100 if mr is None else mr
    if mr < 20 or mr > 100:
        raise invalid_value("The parameter MaxRecords must be between 20 and 100.")
    items = [e for e in b.emu_events
             if start <= e["Date"] <= end  # type: ignore[operator]
             and (source_type is None or e["SourceType"] == source_type)
             and (not source_id or e["SourceIdentifier"] == source_id.lower() or e["SourceIdentifier"] == source_id)]
    items.sort(key=lambda e: (e["Date"], e["_seq"]), reverse=True)  # newest first
    marker = _p(self, "Marker")
    if marker:
        try:
            ts_s, seq_s = base64.urlsafe_b64decode(str(marker).encode()).decode().split("|")
            last = (datetime.fromisoformat(ts_s), int(seq_s))
        except Exception:
            raise invalid_value(f"Invalid marker: {marker}") from None
        items = [e for e in items if (e["Date"], e["_seq"]) < last]
    page = items[:mr]
    next_marker = None
    if len(items) > mr:
        last_e = page[-1]
        next_marker = _b64(f"{last_e['Date'].isoformat()}|{last_e['_seq']}")
    return ActionResult({"Events": [{k: v for k, v in e.items() if not k.startswith("_")} for e in page],
                         "Marker": next_marker})


def describe_cache_clusters(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    show_nodes = bool(as_bool(_p(self, "ShowCacheNodeInfo")))
    only_standalone = bool(as_bool(_p(self, "ShowCacheClustersNotInReplicationGroups")))
    items: list[Any] = []
    if not only_standalone:
        for rg in b.replication_groups.values():
            if isinstance(rg, EmuReplicationGroup):
                items.extend(rg.cache_clusters(show_nodes))
    for c in b.cache_clusters.values():  # created with moto's CreateCacheCluster
        items.append(c)

    def key(c: Any) -> str:
        return c["CacheClusterId"] if isinstance(c, dict) else c.cache_cluster_id

    ccid = _p(self, "CacheClusterId")
    if ccid:
        items = [c for c in items if key(c) == ccid.lower() or key(c) == ccid]
        if not items:
            raise EmuError("CacheClusterNotFound", f"CacheCluster {ccid} not found.")
    items.sort(key=key)
    page, marker = paginate(items, key, _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"CacheClusters": page, "Marker": marker})


def describe_cache_engine_versions(self: ElastiCacheResponse) -> ActionResult:
    _backend(self)
    engine = (_p(self, "Engine") or "").lower() or None
    version = _p(self, "EngineVersion")
    family = _p(self, "CacheParameterGroupFamily")
    default_only = bool(as_bool(_p(self, "DefaultOnly")))
    items = []
    for eng, versions in ed.LISTED_VERSIONS.items():
        if engine and engine != eng:
            continue
        # DefaultOnly: the version a create without EngineVersion gets (DEFAULT_VERSION).
        listed = [v for v in versions if ed.full_version(eng, v) == ed.DEFAULT_VERSION[eng]] if default_only else versions
        for v in listed:
            fam = ed.family_for(eng, v)
            if version and ed.full_version(eng, version) != ed.full_version(eng, v):
                continue
            if family and family != fam:
                continue
            items.append({
                "Engine": eng,
                "EngineVersion": v,
                "CacheParameterGroupFamily": fam,
                "CacheEngineDescription": "Valkey" if eng == "valkey" else "Redis",
                "CacheEngineVersionDescription": f"{'Valkey' if eng == 'valkey' else 'Redis'} {v}",
                "_key": f"{len(items):06d}",  # not an AWS member: the serializer ignores it
            })
    page, marker = paginate(items, lambda i: i["_key"],
                            _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"CacheEngineVersions": page, "Marker": marker})


# -- cache subnet groups -------------------------------------------------------


def delete_cache_subnet_group(self: ElastiCacheResponse) -> EmptyResult:
    b = _backend(self)
    name = _required(self, "CacheSubnetGroupName")
    sg = b.cache_subnet_groups.get(name)
    if sg is None:
        raise subnet_group_not_found(name)
    users = [rid for rid, rg in b.replication_groups.items()
             if getattr(rg, "cache_subnet_group_name", None) == name]
    users += [cid for cid, c in b.cache_clusters.items() if getattr(c, "cache_subnet_group_name", None) == name]
    if users:
        raise EmuError("CacheSubnetGroupInUse", f"Cache subnet group {name} is currently in use by a cache cluster.")
    del b.cache_subnet_groups[name]
    b.tagging_service.delete_all_tags_for_resource(sg.arn)
    return EmptyResult()


def modify_cache_subnet_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _required(self, "CacheSubnetGroupName")
    sg = b.cache_subnet_groups.get(name)
    if sg is None:
        raise subnet_group_not_found(name)
    description = _p(self, "CacheSubnetGroupDescription")
    subnet_ids = _p(self, "SubnetIds")
    new = CacheSubnetGroup(
        account_id=b.account_id, region_name=b.region_name, cache_subnet_group_name=name,
        cache_subnet_group_description=description if description is not None else sg.cache_subnet_group_description,
        subnet_ids=subnet_ids if subnet_ids else sg.subnet_ids, tags=sg.tags)
    b.cache_subnet_groups[name] = new
    return ActionResult({"CacheSubnetGroup": new})


# -- cache parameter groups ------------------------------------------------------


_PG_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,254}$")


def create_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _required(self, "CacheParameterGroupName")
    family = _required(self, "CacheParameterGroupFamily")
    description = _required(self, "Description")
    if not _PG_NAME_RE.match(name) or "--" in name or name.endswith("-"):
        raise invalid_value(
            f"Invalid parameter group name: {name}. It must begin with a letter, contain only ASCII letters, "
            f"digits and hyphens, not end with a hyphen nor contain two consecutive hyphens.")
    if name.lower().startswith("default"):
        raise invalid_value(f"Parameter group name {name} is reserved.")
    if family not in ed.FAMILIES:
        raise invalid_value(f"The parameter CacheParameterGroupFamily is not a valid family: {family}. "
                            f"Valid: {', '.join(ed.FAMILIES)}.")
    if name in b.emu_param_groups:
        raise EmuError("CacheParameterGroupAlreadyExists", f"Parameter group {name} already exists.")
    pg = CacheParamGroup(b.account_id, b.region_name, name, family, description, False)
    b.emu_param_groups[name] = pg
    tags = _tags(self)
    if tags:
        b.tagging_service.tag_resource(pg.arn, tags)
    return ActionResult({"CacheParameterGroup": pg.to_aws()})


def describe_cache_parameter_groups(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _p(self, "CacheParameterGroupName")
    if name:
        groups = [_get_pg(b, name)]
    else:
        groups = sorted(b.emu_param_groups.values(), key=lambda g: g.name)
    page, marker = paginate(groups, lambda g: g.name, _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"CacheParameterGroups": [g.to_aws() for g in page], "Marker": marker})


def _parameter_values(self: ElastiCacheResponse, required: bool) -> list[tuple[str, str | None]]:
    values = _p(self, "ParameterNameValues") or []
    if required and not values:
        raise EmuError("MissingParameter", "The request must contain the parameter ParameterNameValues")
    if len(values) > 20:
        # AWS's code and wording (quoted in hashicorp/terraform-provider-aws#1221)
        raise invalid_combination("Cannot modify more than 20 parameters in a single request")
    out = []
    for nv in values:
        pname = nv.get("ParameterName")
        if not pname:
            raise invalid_value("ParameterName must not be empty.")
        out.append((pname, nv.get("ParameterValue")))
    return out


def _pg_users(b: ElastiCacheBackend, name: str) -> list[str]:
    """Replication groups (not yet gone) and moto cache clusters that use parameter group `name`."""
    users = [rid for rid, rg in b.replication_groups.items()
             if getattr(rg, "cache_parameter_group_name", None) == name]
    users += [cid for cid, c in b.cache_clusters.items() if getattr(c, "cache_parameter_group_name", None) == name]
    return users


def modify_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _required(self, "CacheParameterGroupName")
    pg = _get_pg(b, name)
    if pg.is_default:
        raise EmuError("InvalidCacheParameterGroupState", f"Default parameter group {name} cannot be modified.")
    values = _parameter_values(self, True)
    in_use = bool(_pg_users(b, name))
    for pname, pvalue in values:
        if pvalue is None:
            raise invalid_value(f"ParameterValue must be provided for parameter {pname}.")
        refused = ed.refusal(pg.family, pname, str(pvalue), in_use)
        if refused is not None:
            raise EmuError(*refused)
    for pname, pvalue in values:
        pg.user[pname] = str(pvalue)
    return ActionResult({"CacheParameterGroupName": name})


def reset_cache_parameter_group(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = _required(self, "CacheParameterGroupName")
    pg = _get_pg(b, name)
    if pg.is_default:
        raise EmuError("InvalidCacheParameterGroupState", f"Default parameter group {name} cannot be modified.")
    reset_all = bool(as_bool(_p(self, "ResetAllParameters")))
    values = _parameter_values(self, False)
    if reset_all and values:
        raise invalid_combination("Specify either ResetAllParameters or ParameterNameValues, not both.")
    if not reset_all and not values:
        raise invalid_combination("Specify ResetAllParameters or ParameterNameValues.")
    if reset_all:
        pg.user.clear()
    else:
        for pname, _ in values:
            if pg.family in ed.known_families() and ed.parameter_meta(pg.family, pname) is None:
                # AWS's wording (hashicorp/terraform-provider-aws#17004: ResetCacheParameterGroup of reserved-memory)
                raise invalid_value(f"Parameter {pname} doesn't exist")
        for pname, _ in values:
            pg.user.pop(pname, None)
    return ActionResult({"CacheParameterGroupName": name})


def describe_cache_parameters(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    pg = _get_pg(b, _required(self, "CacheParameterGroupName"))
    source = _p(self, "Source")
    if source is not None and source not in ("user", "system", "engine-default"):
        raise invalid_value(f"Invalid Source: {source}. Valid: user, system, engine-default.")
    params: dict[str, dict[str, Any]] = pg.catalogue()
    for pname, pvalue in pg.user.items():
        meta = dict(params.get(pname) or {  # only memcached groups keep names outside the catalogue
            "ParameterName": pname, "Description": "", "DataType": "string",
            "IsModifiable": True, "ChangeType": "immediate",
        })
        meta["ParameterValue"] = pvalue
        meta["Source"] = "user"
        params[pname] = meta
    items = sorted(params.values(), key=lambda p: p["ParameterName"])
    if source == "user":
        items = [p for p in items if p["Source"] == "user"]
    elif source in ("system", "engine-default"):
        items = [p for p in items if p["Source"] != "user"]
    page, marker = paginate(items, lambda p: p["ParameterName"], _p(self, "MaxRecords"), _p(self, "Marker"))
    return ActionResult({"Parameters": page, "CacheNodeTypeSpecificParameters": ed.node_type_specific(pg.family),
                         "Marker": marker})


def delete_cache_parameter_group(self: ElastiCacheResponse) -> EmptyResult:
    b = _backend(self)
    name = _required(self, "CacheParameterGroupName")
    pg = _get_pg(b, name)
    if pg.is_default:
        raise EmuError("InvalidCacheParameterGroupState", f"Default parameter group {name} cannot be deleted.")
    users = _pg_users(b, name)
    if users:
        raise EmuError("InvalidCacheParameterGroupState",
                       f"One or more cache clusters are still members of parameter group {name}, "
                       f"so the group cannot be deleted.")
    del b.emu_param_groups[name]
    b.tagging_service.delete_all_tags_for_resource(pg.arn)
    return EmptyResult()


# -- tags ------------------------------------------------------------------------

_orig_list_tags = ElastiCacheResponse.list_tags_for_resource
_orig_add_tags = ElastiCacheResponse.add_tags_to_resource
_orig_remove_tags = ElastiCacheResponse.remove_tags_from_resource


def _check_tag_target(self: ElastiCacheResponse) -> None:
    b = _backend(self)
    arn = _required(self, "ResourceName")
    if not b.arn_regex.match(arn):
        raise EmuError("InvalidARN", f"{arn} is not a valid ARN.")
    parts = arn.split(":")
    if len(parts) < 7:
        raise EmuError("InvalidARN", f"{arn} is not a valid ARN.")
    kind, name = parts[5], ":".join(parts[6:])
    if kind == "replicationgroup" and name.lower() not in b.replication_groups:
        raise rg_not_found(name)
    if kind == "parametergroup" and name not in b.emu_param_groups:
        raise pg_not_found(name)
    if kind == "subnetgroup" and name not in b.cache_subnet_groups:
        raise subnet_group_not_found(name)


def list_tags_for_resource(self: ElastiCacheResponse) -> ActionResult:
    _check_tag_target(self)
    return _orig_list_tags(self)


def add_tags_to_resource(self: ElastiCacheResponse) -> ActionResult:
    _check_tag_target(self)
    _orig_add_tags(self)
    return list_tags_for_resource(self)


def remove_tags_from_resource(self: ElastiCacheResponse) -> ActionResult:
    _check_tag_target(self)
    _orig_remove_tags(self)
    return list_tags_for_resource(self)


# ---------------------------------------------------------------------------
# installation


def _call_action(self: ElastiCacheResponse) -> Any:
    with LOCK:
        # looked up at call time, so core_ext's wrapper (if installed) applies
        return BaseResponse.call_action(self)


HANDLERS = {
    "create_replication_group": create_replication_group,
    "describe_replication_groups": describe_replication_groups,
    "delete_replication_group": delete_replication_group,
    "modify_replication_group": modify_replication_group,
    "increase_replica_count": increase_replica_count,
    "decrease_replica_count": decrease_replica_count,
    "modify_replication_group_shard_configuration": modify_replication_group_shard_configuration,
    "describe_cache_clusters": describe_cache_clusters,
    "create_snapshot": create_snapshot,
    "describe_events": describe_events,
    "test_failover": test_failover,
    "describe_service_updates": describe_service_updates,
    "describe_update_actions": describe_update_actions,
    "batch_apply_update_action": batch_apply_update_action,
    "batch_stop_update_action": batch_stop_update_action,
    "describe_cache_engine_versions": describe_cache_engine_versions,
    "delete_cache_subnet_group": delete_cache_subnet_group,
    "modify_cache_subnet_group": modify_cache_subnet_group,
    "create_cache_parameter_group": create_cache_parameter_group,
    "describe_cache_parameter_groups": describe_cache_parameter_groups,
    "modify_cache_parameter_group": modify_cache_parameter_group,
    "reset_cache_parameter_group": reset_cache_parameter_group,
    "describe_cache_parameters": describe_cache_parameters,
    "delete_cache_parameter_group": delete_cache_parameter_group,
    "list_tags_for_resource": list_tags_for_resource,
    "add_tags_to_resource": add_tags_to_resource,
    "remove_tags_from_resource": remove_tags_from_resource,
}


def install() -> None:
    ElastiCacheBackend.__init__ = _backend_init  # type: ignore[method-assign]
    ElastiCacheResponse.call_action = _call_action  # type: ignore[method-assign]
    for name, fn in HANDLERS.items():
        setattr(ElastiCacheResponse, name, fn)
    # backends created before install() (none in the launcher) get the new state on reset
    for b in all_backends():
        b.reset()
