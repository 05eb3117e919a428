"""ElastiCache Serverless caches (E32..E36 in EXTENSIONS.md), which moto does not model.

CreateServerlessCache, DescribeServerlessCaches, ModifyServerlessCache, DeleteServerlessCache and
DescribeServerlessCacheSnapshots, written from the ElastiCache API reference pages of the same names
(and ServerlessCache, CacheUsageLimits, Endpoint). Time-based statuses as for replication groups:
creating -> available (creatingSeconds), modifying -> available (modifyingSeconds), deleting -> gone
(deletingSeconds).
"""

from __future__ import annotations

import random
import re
import string
from datetime import datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.elasticache.models import ElastiCacheBackend
from moto.elasticache.responses import ElastiCacheResponse

from . import elasticache_ext as ee
from .state import STATE

# E33: ElastiCache user guide, "Scaling ElastiCache Serverless": the limits a cache may be given.
DATA_STORAGE_GB = (1, 5000)
ECPU_PER_SECOND = (1000, 15_000_000)
# Serverless caches listen on 6379 (reads and writes) and 6380 (reads from replicas, READONLY).
PORT, READER_PORT = 6379, 6380
# MajorEngineVersion a serverless cache takes, by engine (user guide, "Supported engines and versions").
MAJOR_VERSIONS = {"valkey": ("7", "8"), "redis": ("7",)}
FULL_VERSION = {("valkey", "7"): "7.2", ("valkey", "8"): "8.0", ("redis", "7"): "7.1"}
_DAILY_SNAPSHOT_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# E58: what SnapshotArnsToRestore may name: a serverless cache snapshot of this account and region
_SERVERLESS_SNAPSHOT_ARN_RE = re.compile(r"^arn:aws[a-z-]*:elasticache:([a-z0-9-]+):(\d{12}):serverlesscachesnapshot:(.+)$")
# E67: ... or a snapshot of a node-based cluster (DescribeSnapshots' ARN)
_NODE_SNAPSHOT_ARN_RE = re.compile(r"^arn:aws[a-z-]*:elasticache:([a-z0-9-]+):(\d{12}):snapshot:(.+)$")


def not_found(name: str) -> ee.EmuError:
    return ee.EmuError("ServerlessCacheNotFoundFault", f"Serverless cache {name} not found.")


def invalid_state(name: str, status: str, what: str) -> ee.EmuError:
    return ee.EmuError("InvalidServerlessCacheStateFault",
                       f"Serverless cache {name} is in the {status} state, which is not valid for {what}.")


class EmuServerlessCache:
    def __init__(self, backend: ElastiCacheBackend, **kw: Any) -> None:
        self.region = backend.region_name
        self.account_id = backend.account_id
        self.name: str = kw["name"]
        self.description: str = kw["description"]
        self.engine: str = kw["engine"]
        self.major: str = kw["major"]
        self.limits: dict[str, Any] = kw["limits"]
        self.kms_key_id: str | None = kw["kms_key_id"]
        self.security_group_ids: list[str] = kw["security_group_ids"]
        self.subnet_ids: list[str] = kw["subnet_ids"]
        self.snapshot_retention_limit: int = kw["snapshot_retention_limit"]
        self.daily_snapshot_time: str | None = kw["daily_snapshot_time"]
        self.restored_from: list[str] = kw.get("restored_from") or []
        self.user_group_id: str | None = kw.get("user_group_id")  # E66
        self.arn = f"arn:aws:elasticache:{self.region}:{self.account_id}:serverlesscache:{self.name}"
        self.create_time = ee._utcnow()
        rnd = "".join(random.choices(string.ascii_lowercase + string.digits, k=6))
        self.address = f"{self.name}-{rnd}.serverless.{ee.region_short(self.region)}.cache.amazonaws.com"
        self.start("creating", "creatingSeconds")

    def start(self, status: str, seconds_key: str) -> None:
        self.status = status
        self.status_until = ee._now() + float(STATE.get(seconds_key) or 0)

    def refresh(self, t: float) -> str | None:
        if self.status in ("creating", "modifying") and t >= self.status_until:
            self.status = "available"
        elif self.status == "deleting" and t >= self.status_until:
            return "gone"
        return None

    def _endpoint(self, port: int) -> dict[str, Any]:
        # E34: the test bridge (endpointHost/endpointPort) stands in for both endpoints when set.
        host = STATE.get("endpointHost")
        bridge = STATE.get("endpointPort")
        return {"Address": host or self.address, "Port": bridge or port}

    def to_aws(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ServerlessCacheName": self.name, "Description": self.description, "CreateTime": self.create_time,
            "Status": self.status, "Engine": self.engine, "MajorEngineVersion": self.major,
            "FullEngineVersion": FULL_VERSION.get((self.engine, self.major), self.major),
            "SecurityGroupIds": list(self.security_group_ids), "ARN": self.arn, "SubnetIds": list(self.subnet_ids),
            "SnapshotRetentionLimit": self.snapshot_retention_limit,
        }
        if self.limits:
            out["CacheUsageLimits"] = self.limits
        if self.kms_key_id:
            out["KmsKeyId"] = self.kms_key_id
        if self.daily_snapshot_time:
            out["DailySnapshotTime"] = self.daily_snapshot_time
        if self.user_group_id:
            out["UserGroupId"] = self.user_group_id
        if self.status != "creating":
            out["Endpoint"] = self._endpoint(PORT)
            out["ReaderEndpoint"] = self._endpoint(READER_PORT)
        return out


def caches(b: ElastiCacheBackend) -> dict[str, EmuServerlessCache]:
    if not hasattr(b, "emu_serverless"):
        b.emu_serverless = {}
        b.emu_serverless_snapshots = {}
    return b.emu_serverless


def tick(b: ElastiCacheBackend) -> None:
    t = ee._now()
    for name, c in list(caches(b).items()):
        if c.refresh(t) == "gone":
            del b.emu_serverless[name]
            b.tagging_service.delete_all_tags_for_resource(c.arn)
            release = c.status_until + float(STATE.get("eniReleaseSeconds") or 0)
            for sg in c.security_group_ids:
                b.emu_eni_holds[sg] = max(b.emu_eni_holds.get(sg, 0.0), release)


def _backend(self: ElastiCacheResponse) -> ElastiCacheBackend:
    b = ee._backend(self)
    tick(b)
    return b


def _get(b: ElastiCacheBackend, name: str) -> EmuServerlessCache:
    c = caches(b).get((name or "").lower())
    if c is None:
        raise not_found(name)
    return c


def _limits(self: ElastiCacheResponse) -> dict[str, Any] | None:
    """E33: CacheUsageLimits, checked against the documented ranges; None when not given."""
    given = self._get_param("CacheUsageLimits") or {}
    storage = given.get("DataStorage") or {}
    ecpu = given.get("ECPUPerSecond") or {}
    storage_max = ee.as_int(storage.get("Maximum"), "DataStorage.Maximum")
    storage_min = ee.as_int(storage.get("Minimum"), "DataStorage.Minimum")
    unit = storage.get("Unit")
    ecpu_max = ee.as_int(ecpu.get("Maximum"), "ECPUPerSecond.Maximum")
    ecpu_min = ee.as_int(ecpu.get("Minimum"), "ECPUPerSecond.Minimum")
    out: dict[str, Any] = {}
    if storage_max is not None or storage_min is not None or unit is not None:
        if unit != "GB":
            raise ee.invalid_value("CacheUsageLimits.DataStorage.Unit must be GB.")
        for v in (storage_max, storage_min):
            if v is not None and not DATA_STORAGE_GB[0] <= v <= DATA_STORAGE_GB[1]:
                raise ee.invalid_value(f"CacheUsageLimits.DataStorage must be between {DATA_STORAGE_GB[0]} and "
                                       f"{DATA_STORAGE_GB[1]} GB.")
        if storage_max is not None and storage_min is not None and storage_min > storage_max:
            raise ee.invalid_combination("CacheUsageLimits.DataStorage.Minimum cannot be greater than its Maximum.")
        out["DataStorage"] = {k: v for k, v in (("Maximum", storage_max), ("Minimum", storage_min), ("Unit", "GB"))
                              if v is not None}
    if ecpu_max is not None or ecpu_min is not None:
        for v in (ecpu_max, ecpu_min):
            if v is not None and not ECPU_PER_SECOND[0] <= v <= ECPU_PER_SECOND[1]:
                raise ee.invalid_value(f"CacheUsageLimits.ECPUPerSecond must be between {ECPU_PER_SECOND[0]} and "
                                       f"{ECPU_PER_SECOND[1]}.")
        if ecpu_max is not None and ecpu_min is not None and ecpu_min > ecpu_max:
            raise ee.invalid_combination("CacheUsageLimits.ECPUPerSecond.Minimum cannot be greater than its Maximum.")
        out["ECPUPerSecond"] = {k: v for k, v in (("Maximum", ecpu_max), ("Minimum", ecpu_min)) if v is not None}
    return out or None


def _check_daily_snapshot_time(v: str | None) -> str | None:
    if v is None:
        return None
    if not _DAILY_SNAPSHOT_RE.match(v):
        raise ee.invalid_value(f"Invalid DailySnapshotTime: {v}. Format: HH:MM (UTC).")
    return v


def _check_subnets(b: ElastiCacheBackend, subnet_ids: list[str]) -> str | None:
    """E32: the subnets exist and lie in one VPC; returns that VPC."""
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[b.account_id][b.region_name]
    vpcs = set()
    for sid in subnet_ids:
        try:
            vpcs.add(ec2.get_subnet(sid).vpc_id)
        except Exception:
            raise ee.invalid_value(f"The subnet ID {sid} does not exist") from None
    if len(vpcs) > 1:
        raise ee.invalid_combination("All the subnets of a serverless cache must belong to the same VPC.")
    return next(iter(vpcs), None)


def _check_security_groups(b: ElastiCacheBackend, sg_ids: list[str], vpc: str | None) -> None:
    from moto.ec2.models import ec2_backends

    ec2 = ec2_backends[b.account_id][b.region_name]
    unknown = [sg for sg in sg_ids if ec2.get_security_group_from_id(sg) is None]
    if unknown:
        raise ee.invalid_value(f"Some security group Id not recognized by EC2: {', '.join(unknown)}")
    if vpc:
        other = [sg for sg in sg_ids if ec2.get_security_group_from_id(sg).vpc_id != vpc]
        if other:
            raise ee.invalid_combination(f"The security group(s) {', '.join(other)} do not belong to the VPC {vpc} "
                                         f"of the serverless cache's subnets.")


def _list(self: ElastiCacheResponse, name: str, member: str) -> list[str] | None:
    v = self._get_param(name)
    return list(v) if v is not None else None


def _restore_sources(b: ElastiCacheBackend, arns: list[str], engine: str, major: str) -> list[str]:
    """E58: CreateServerlessCache SnapshotArnsToRestore, each a serverless cache snapshot of this account and
    region or an RDB file in S3 (E27's rule for SnapshotArns); the data a new cache starts with."""
    from moto.s3.models import s3_backends
    for arn in arns:
        m = _SERVERLESS_SNAPSHOT_ARN_RE.match(arn)
        if m:
            snap = b.emu_serverless_snapshots.get(m.group(3)) if (m.group(1), m.group(2)) == (b.region_name, b.account_id) else None
            if snap is None:
                raise ee.invalid_value(f"Serverless cache snapshot {arn} not found.")
            if snap["Status"] != "available":
                raise ee.invalid_combination(f"Serverless cache snapshot {m.group(3)} is {snap['Status']}, not available.")
            conf = snap["ServerlessCacheConfiguration"]
            if conf["Engine"] != engine and not (conf["Engine"] == "redis" and engine == "valkey"):
                raise ee.invalid_combination(f"Snapshot {m.group(3)} of engine {conf['Engine']} cannot be restored into engine {engine}.")
            if conf["Engine"] == engine and int(major) < int(conf["MajorEngineVersion"]):
                raise ee.invalid_combination(f"Snapshot {m.group(3)} of {engine} {conf['MajorEngineVersion']} cannot be restored "
                                             f"into the older major version {major}.")
            continue
        node = _NODE_SNAPSHOT_ARN_RE.match(arn)
        if node:
            # E67: "Backups from Valkey or Redis OSS node-based clusters can be restored into a serverless configuration."
            snap = b.snapshots.get(node.group(3)) if (node.group(1), node.group(2)) == (b.region_name, b.account_id) else None
            if snap is None:
                raise ee.invalid_value(f"Snapshot {arn} not found.")
            status = getattr(snap, "snapshot_status", "available")
            if status != "available":
                raise ee.invalid_combination(f"Snapshot {node.group(3)} is {status}, not available.")
            if snap.engine and snap.engine != engine and not (snap.engine == "redis" and engine == "valkey"):
                raise ee.invalid_combination(f"Snapshot {node.group(3)} of engine {snap.engine} cannot be restored into engine {engine}.")
            if snap.engine == engine and snap.engine_version and int(major) < ee._minor(snap.engine_version)[0]:
                raise ee.invalid_combination(f"Snapshot {node.group(3)} of {engine} {snap.engine_version} cannot be restored "
                                             f"into the older major version {major}.")
            continue
        s3 = ee._S3_ARN_RE.match(arn)
        if s3 is None:
            raise ee.invalid_value(f"Invalid SnapshotArnsToRestore value: {arn}. Expected the ARN of a serverless cache snapshot "
                                   f"or arn:aws:s3:::bucket/key.")
        bucket, key = s3.group(1), s3.group(2)
        store = s3_backends[b.account_id]["aws"]
        if not (bucket in store.buckets and key in store.buckets[bucket].keys):
            raise ee.invalid_value(f"No object {key} in bucket {bucket} that ElastiCache can read ({arn}).")
    return list(arns)


def restore_info(name: str, account_id: str | None = None, region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call (C8): what a serverless cache was created from (E58)."""
    with ee.LOCK:
        for b in ee.all_backends():
            if (account_id and b.account_id != account_id) or (region and b.region_name != region):
                continue
            tick(b)
            c = caches(b).get(name.lower())
            if c is not None:
                return 200, {"serverlessCacheName": c.name, "snapshotArnsToRestore": list(c.restored_from)}
    return 404, {"error": f"serverless cache {name} not found"}


def _check_user_group(b: ElastiCacheBackend, gid: str, engine: str) -> None:
    """E66: the user group a serverless cache is created with or given exists, is active, and fits the engine (as E44)."""
    from .users_ext import get_user_group, tick_users
    tick_users(b)
    g = get_user_group(b, gid)  # UserGroupNotFound
    if g.status != "active":
        raise ee.EmuError("InvalidUserGroupState", f"User group {gid} is not active (current status: {g.status}).")
    if engine == "redis" and g.engine != "redis":
        raise ee.invalid_combination(f"User group {gid} has engine {g.engine}; a Redis OSS cache needs a redis user group.")


def using_user_group(b: ElastiCacheBackend, gid: str) -> list[str]:
    """E66: the serverless caches that use this user group (UserGroup ServerlessCaches)."""
    tick(b)
    return sorted(name for name, c in caches(b).items() if c.user_group_id == gid)


def users_info(name: str, account_id: str | None = None, region: str | None = None) -> tuple[int, dict[str, Any]]:
    """Control call: the users a serverless cache's data plane accepts now (E66; the test bridge's view, as E45)."""
    from .users_ext import acl_of
    with ee.LOCK:
        for b in ee.all_backends():
            if (account_id and b.account_id != account_id) or (region and b.region_name != region):
                continue
            tick(b)
            c = caches(b).get(name.lower())
            if c is not None:
                groups = [c.user_group_id] if c.user_group_id else []
                return 200, {"serverlessCacheName": c.name, "userGroupIds": groups, "users": acl_of(b, groups)}
    return 404, {"error": f"serverless cache {name} not found"}


def create_serverless_cache(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = ee._required(self, "ServerlessCacheName")
    ee.check_identifier(name, "ServerlessCacheName", 40)
    name = name.lower()  # "stored as a lowercase string"
    if name in caches(b):
        raise ee.EmuError("ServerlessCacheAlreadyExistsFault", f"Serverless cache {name} already exists.")
    engine = ee._required(self, "Engine").lower()
    if engine not in MAJOR_VERSIONS:
        raise ee.invalid_value(f"Invalid engine for a serverless cache: {engine}")
    major = self._get_param("MajorEngineVersion") or MAJOR_VERSIONS[engine][-1]
    if major not in MAJOR_VERSIONS[engine]:
        raise ee.invalid_value(f"Invalid MajorEngineVersion {major} for engine {engine}; "
                               f"valid: {', '.join(MAJOR_VERSIONS[engine])}")
    description = self._get_param("Description") or ""
    if len(description) > 255:
        raise ee.invalid_value("Description must be at most 255 characters.")
    limits = _limits(self)
    subnet_ids = _list(self, "SubnetIds", "SubnetId") or []
    vpc = _check_subnets(b, subnet_ids)
    sg_ids = _list(self, "SecurityGroupIds", "SecurityGroupId") or []
    _check_security_groups(b, sg_ids, vpc)
    user_group_id = self._get_param("UserGroupId")
    if user_group_id:
        _check_user_group(b, user_group_id, engine)
    retention = ee.as_int(self._get_param("SnapshotRetentionLimit"), "SnapshotRetentionLimit") or 0
    ee.check_snapshot_retention(retention)
    daily = _check_daily_snapshot_time(self._get_param("DailySnapshotTime"))
    restored_from = _restore_sources(b, _list(self, "SnapshotArnsToRestore", "SnapshotArn") or [], engine, major)
    quota = int(STATE.get("maxServerlessCaches") or 0)
    if len(caches(b)) >= quota:
        raise ee.EmuError("ServerlessCacheQuotaForCustomerExceededFault",
                          f"You have reached the maximum number of serverless caches ({quota}) for this Region.")
    c = EmuServerlessCache(b, name=name, description=description, engine=engine, major=major, limits=limits,
                           kms_key_id=self._get_param("KmsKeyId"), security_group_ids=sg_ids, subnet_ids=subnet_ids,
                           snapshot_retention_limit=retention, daily_snapshot_time=daily, restored_from=restored_from,
                           user_group_id=user_group_id)
    tags = ee._tags(self)
    if tags:
        b.tagging_service.tag_resource(c.arn, tags)
    b.emu_serverless[name] = c
    return ActionResult({"ServerlessCache": c.to_aws()})


def describe_serverless_caches(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    name = self._get_param("ServerlessCacheName")
    if name:
        found = [_get(b, name)]
    else:
        found = sorted(caches(b).values(), key=lambda c: c.name)
    # E35: MaxResults default 50; NextToken names the last cache returned.
    max_results = ee.as_int(self._get_param("MaxResults"), "MaxResults")
    if max_results is None:
        max_results = 50
    if max_results < 1 or max_results > 100:
        raise ee.invalid_value("The parameter MaxResults must be between 1 and 100.")
    token = self._get_param("NextToken")
    start = 0
    if token:
        try:
            last = ee.base64.urlsafe_b64decode(str(token).encode()).decode()
        except Exception:
            raise ee.invalid_value(f"Invalid NextToken: {token}") from None
        if not last.startswith("after:"):
            raise ee.invalid_value(f"Invalid NextToken: {token}")
        start = len([c for c in found if c.name <= last[len("after:"):]])
    page = found[start:start + max_results]
    more = start + max_results < len(found)
    return ActionResult({"ServerlessCaches": [c.to_aws() for c in page],
                         "NextToken": ee._b64("after:" + page[-1].name) if more and page else None})


def modify_serverless_cache(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    c = _get(b, ee._required(self, "ServerlessCacheName"))
    if c.status != "available":
        raise invalid_state(c.name, c.status, "modification")
    changed = False
    limits = _limits(self)
    if limits is not None:
        merged = dict(c.limits or {})
        merged.update(limits)
        c.limits, changed = merged, True
    description = self._get_param("Description")
    if description is not None:
        if len(description) > 255:
            raise ee.invalid_value("Description must be at most 255 characters.")
        c.description = description
    sg_ids = _list(self, "SecurityGroupIds", "SecurityGroupId")
    if sg_ids is not None:
        _check_security_groups(b, sg_ids, _check_subnets(b, c.subnet_ids))
        c.security_group_ids, changed = sg_ids, True
    retention = ee.as_int(self._get_param("SnapshotRetentionLimit"), "SnapshotRetentionLimit")
    if retention is not None:
        c.snapshot_retention_limit = ee.check_snapshot_retention(retention)
    daily = _check_daily_snapshot_time(self._get_param("DailySnapshotTime"))
    if daily is not None:
        c.daily_snapshot_time = daily
    major = self._get_param("MajorEngineVersion")
    engine = (self._get_param("Engine") or c.engine).lower()
    if major is not None or engine != c.engine:
        major = major or c.major
        if engine not in MAJOR_VERSIONS or major not in MAJOR_VERSIONS[engine] or (engine == c.engine and major < c.major) \
                or (c.engine == "valkey" and engine == "redis"):
            raise ee.invalid_combination(f"Cannot change serverless cache {c.name} from {c.engine} {c.major} to {engine} {major}: "
                                         f"only upgrades are allowed.")
        c.engine, c.major, changed = engine, major, True
    user_group_id = self._get_param("UserGroupId")
    remove = str(self._get_param("RemoveUserGroup") or "").lower() == "true"
    if user_group_id and remove:
        raise ee.invalid_combination("UserGroupId and RemoveUserGroup cannot be given together.")
    if user_group_id:
        _check_user_group(b, user_group_id, c.engine)
        c.user_group_id, changed = user_group_id, True
    if remove:
        if not c.user_group_id:
            raise ee.invalid_combination(f"Serverless cache {c.name} has no user group to remove.")
        c.user_group_id, changed = None, True
    if changed:  # E34/E66: limits, security groups, engine and user group take a moment; settings and text do not
        c.start("modifying", "modifyingSeconds")
    return ActionResult({"ServerlessCache": c.to_aws()})


def delete_serverless_cache(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    c = _get(b, ee._required(self, "ServerlessCacheName"))
    if c.status not in ("available", "create-failed"):
        raise invalid_state(c.name, c.status, "deletion")
    final = self._get_param("FinalSnapshotName")
    if final:
        snaps = b.emu_serverless_snapshots
        if final in snaps:
            raise ee.EmuError("ServerlessCacheSnapshotAlreadyExistsFault", f"Serverless cache snapshot {final} already exists.")
        snaps[final] = {
            "ServerlessCacheSnapshotName": final,
            "ARN": f"arn:aws:elasticache:{b.region_name}:{b.account_id}:serverlesscachesnapshot:{final}",
            "KmsKeyId": c.kms_key_id, "SnapshotType": "manual", "Status": "available", "CreateTime": ee._utcnow(),
            "ServerlessCacheConfiguration": {"ServerlessCacheName": c.name, "Engine": c.engine,
                                             "MajorEngineVersion": c.major},
        }
    c.start("deleting", "deletingSeconds")
    return ActionResult({"ServerlessCache": c.to_aws()})


def describe_serverless_cache_snapshots(self: ElastiCacheResponse) -> ActionResult:
    b = _backend(self)
    caches(b)
    name = self._get_param("ServerlessCacheSnapshotName")
    cache = self._get_param("ServerlessCacheName")
    snaps = sorted(b.emu_serverless_snapshots.values(), key=lambda s: s["ServerlessCacheSnapshotName"])
    if name:
        snaps = [s for s in snaps if s["ServerlessCacheSnapshotName"] == name]
        if not snaps:
            raise ee.EmuError("ServerlessCacheSnapshotNotFoundFault", f"Serverless cache snapshot {name} not found.")
    if cache:
        snaps = [s for s in snaps if s["ServerlessCacheConfiguration"]["ServerlessCacheName"] == cache.lower()]
    return ActionResult({"ServerlessCacheSnapshots": [{k: v for k, v in s.items() if v is not None} for s in snaps]})


def referencing_security_group(b: ElastiCacheBackend, sg_id: str) -> list[str]:
    tick(b)
    return [name for name, c in caches(b).items() if sg_id in c.security_group_ids]


HANDLERS = {
    "create_serverless_cache": create_serverless_cache,
    "describe_serverless_caches": describe_serverless_caches,
    "modify_serverless_cache": modify_serverless_cache,
    "delete_serverless_cache": delete_serverless_cache,
    "describe_serverless_cache_snapshots": describe_serverless_cache_snapshots,
}


def install() -> None:
    for name, fn in HANDLERS.items():
        setattr(ElastiCacheResponse, name, fn)
