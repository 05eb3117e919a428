"""Engine versions, parameter group families and a parameter catalogue.

Written from the ElastiCache API reference (DescribeCacheEngineVersions,
CreateCacheParameterGroup's CacheParameterGroupFamily values) and the
ElastiCache user guide's "Engine specific parameters" pages. The catalogue
holds the commonly used parameters only; see EXTENSIONS.md.
"""

from __future__ import annotations

from typing import Any

ENGINES = ("redis", "valkey")

# Requested version (as the API accepts it) -> full patch level reported in
# CacheCluster.EngineVersion. Full versions are accepted as they are.
VERSION_ALIASES: dict[str, dict[str, str]] = {
    # Redis OSS on ElastiCache ends at 7.1 (there is no ElastiCache Redis OSS 7.2: Valkey 7.2 follows it).
    "redis": {
        "4.0.10": "4.0.10",
        "5.0.6": "5.0.6",
        "6.0": "6.0.5", "6.0.5": "6.0.5",
        "6.2": "6.2.6", "6.2.6": "6.2.6", "6.x": "6.2.6",
        "7.0": "7.0.7", "7.0.7": "7.0.7",
        "7.1": "7.1.0", "7.1.0": "7.1.0",
    },
    "valkey": {
        "7.2": "7.2.4", "7.2.4": "7.2.4",
        "8.0": "8.0.1", "8.0.1": "8.0.1",
        "8.1": "8.1.0", "8.1.0": "8.1.0",
        "8.2": "8.2.0", "8.2.0": "8.2.0",
        "9.0": "9.0.0", "9.0.0": "9.0.0",
    },
}

DEFAULT_VERSION = {"redis": "7.1.0", "valkey": "8.1.0"}  # unchanged defaults (see EXTENSIONS.md)

# What DescribeCacheEngineVersions lists (major.minor from 6 on, as AWS does).
LISTED_VERSIONS = {
    "redis": ["4.0.10", "5.0.6", "6.0", "6.2", "7.0", "7.1"],
    "valkey": ["7.2", "8.0", "8.1", "8.2", "9.0"],
}

# Every family CreateCacheParameterGroup accepts.
FAMILIES = (
    "memcached1.4", "memcached1.5", "memcached1.6",
    "redis2.6", "redis2.8", "redis3.2", "redis4.0", "redis5.0", "redis6.x", "redis7",
    "valkey7", "valkey8", "valkey9",
)
CLUSTER_CAPABLE_FAMILIES = ("redis3.2", "redis4.0", "redis5.0", "redis6.x", "redis7",
                            "valkey7", "valkey8", "valkey9")


def full_version(engine: str, requested: str | None) -> str | None:
    """Full patch version for a requested version, None when unknown."""
    if requested is None or requested == "":
        return DEFAULT_VERSION[engine]
    return VERSION_ALIASES[engine].get(requested.strip().lower())


def version_tuple(v: str) -> tuple[int, ...]:
    out = []
    for part in v.split("."):
        try:
            out.append(int(part))
        except ValueError:
            out.append(0)
    return tuple(out)


def family_for(engine: str, version: str) -> str:
    major_minor = version_tuple(version)
    major = major_minor[0]
    if engine == "valkey":
        return f"valkey{major}"
    if major >= 7:
        return "redis7"
    if major == 6:
        return "redis6.x"
    return f"redis{major}.{major_minor[1] if len(major_minor) > 1 else 0}"


def engine_of_family(family: str) -> str:
    for e in ("redis", "valkey", "memcached"):
        if family.startswith(e):
            return e
    return "?"


def default_parameter_group(engine: str, version: str, cluster_mode: bool) -> str:
    name = f"default.{family_for(engine, version)}"
    return name + ".cluster.on" if cluster_mode else name


# name -> (default value, data type, allowed values, modifiable, change type, description)
_REDIS_PARAMS: list[tuple[str, str, str, str, bool, str, str]] = [
    ("activedefrag", "no", "string", "yes,no", True, "immediate", "Enabled active memory defragmentation"),
    ("active-defrag-cycle-max", "75", "integer", "1-75", True, "immediate", "Maximal effort for defrag in CPU percentage"),
    ("active-defrag-cycle-min", "5", "integer", "1-75", True, "immediate", "Minimal effort for defrag in CPU percentage"),
    ("active-defrag-ignore-bytes", "104857600", "integer", "1048576-", True, "immediate", "Minimum amount of fragmentation waste to start active defrag"),
    ("active-defrag-threshold-lower", "10", "integer", "1-100", True, "immediate", "Minimum percentage of fragmentation to start active defrag"),
    ("active-defrag-threshold-upper", "100", "integer", "1-100", True, "immediate", "Maximum percentage of fragmentation at which we use maximum effort"),
    ("activerehashing", "yes", "string", "yes,no", True, "requires-reboot", "Apply rehashing or not"),
    ("appendfsync", "everysec", "string", "always,everysec,no", True, "immediate", "fsync policy for AOF persistence"),
    ("appendonly", "no", "string", "yes,no", True, "immediate", "Enable Redis persistence"),
    ("client-output-buffer-limit-normal-hard-limit", "0", "integer", "0-", True, "immediate", "Normal client output buffer hard limit in bytes"),
    ("client-output-buffer-limit-pubsub-hard-limit", "33554432", "integer", "0-", True, "immediate", "Pubsub client output buffer hard limit in bytes"),
    ("client-output-buffer-limit-replica-hard-limit", "0", "integer", "0-", False, "immediate", "Replica client output buffer hard limit in bytes"),
    ("cluster-allow-pubsubshard-when-down", "yes", "string", "yes,no", True, "immediate", "Allow pubsubshard when the cluster is down"),
    ("cluster-allow-reads-when-down", "no", "string", "yes,no", True, "immediate", "Allow reads when the cluster is down"),
    ("cluster-enabled", "no", "string", "yes,no", True, "requires-reboot", "Enable cluster mode"),
    ("cluster-require-full-coverage", "no", "string", "yes,no", True, "immediate", "Whether cluster becomes unavailable if one or more slots are not covered"),
    ("close-on-replica-write", "yes", "string", "yes,no", True, "immediate", "If enabled, clients who attempt to write to a read-only replica will be disconnected"),
    ("databases", "16", "integer", "1-1200000", True, "requires-reboot", "Set the number of databases"),
    ("hash-max-listpack-entries", "128", "integer", "0-", True, "immediate", "The maximum number of hash entries in order for the dataset to be compressed"),
    ("hash-max-listpack-value", "64", "integer", "0-", True, "immediate", "The threshold of biggest hash entries in order for the dataset to be compressed"),
    ("latency-tracking", "no", "string", "yes,no", True, "immediate", "Enable extended latency monitoring"),
    ("lazyfree-lazy-eviction", "no", "string", "yes,no", True, "immediate", "Perform an asynchronous delete on evictions"),
    ("lazyfree-lazy-expire", "no", "string", "yes,no", True, "immediate", "Perform an asynchronous delete on expired keys"),
    ("lazyfree-lazy-server-del", "no", "string", "yes,no", True, "immediate", "Perform an asynchronous delete for commands which update values"),
    ("lazyfree-lazy-user-del", "no", "string", "yes,no", True, "immediate", "DEL acts like UNLINK"),
    ("lfu-decay-time", "1", "integer", "0-", True, "immediate", "The amount of time in minutes to decrement the key counter for LFU eviction policy"),
    ("lfu-log-factor", "10", "integer", "1-", True, "immediate", "The log factor for incrementing key counter for LFU eviction policy"),
    ("list-compress-depth", "0", "integer", "0-", True, "immediate", "Number of quicklist ziplist nodes from each side of the list to exclude from compression"),
    ("list-max-listpack-size", "-2", "integer", "-5-", True, "immediate", "Max size of list ziplist"),
    ("lua-time-limit", "5000", "integer", "5000", False, "immediate", "Max execution time of a Lua script in milliseconds"),
    ("maxclients", "65000", "integer", "1-65000", False, "requires-reboot", "The maximum number of connected clients"),
    ("maxmemory-policy", "volatile-lru", "string",
     "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,volatile-ttl,noeviction",
     True, "immediate", "Max memory policy"),
    ("maxmemory-samples", "3", "integer", "1-", True, "immediate", "Max memory samples"),
    ("min-replicas-max-lag", "10", "integer", "0-", True, "immediate", "The maximum amount of replica lag in seconds"),
    ("min-replicas-to-write", "0", "integer", "0-", True, "immediate", "The minimum number of replicas that must be present"),
    ("notify-keyspace-events", "", "string", None, True, "immediate", "The keyspace events for Redis to notify Pub/Sub clients about"),
    ("repl-backlog-size", "1048576", "integer", "16384-", True, "immediate", "The replication backlog size in bytes for PSYNC"),
    ("repl-backlog-ttl", "3600", "integer", "0-", True, "immediate", "The amount of time in seconds after the primary has no connected replicas"),
    ("repl-timeout", "60", "integer", "5-", True, "immediate", "Replication timeout in seconds"),
    ("reserved-memory-percent", "25", "integer", "0-100", True, "immediate", "The percent of memory reserved for non-cache memory usage"),
    ("set-max-intset-entries", "512", "integer", "0-", True, "immediate", "The limit in the size of the set in order for the dataset to be compressed"),
    ("slowlog-log-slower-than", "10000", "integer", "-", True, "immediate", "The execution time, in microseconds, to exceed in order for the command to get logged"),
    ("slowlog-max-len", "128", "integer", "0-", True, "immediate", "The length of the slow log"),
    ("stream-node-max-bytes", "4096", "integer", "0-", True, "immediate", "The maximum size of a single node in a stream in bytes"),
    ("stream-node-max-entries", "100", "integer", "0-", True, "immediate", "The maximum number of items a single node in a stream can contain"),
    ("tcp-keepalive", "300", "integer", "0-", True, "immediate", "If non-zero, send ACKs every given number of seconds"),
    ("timeout", "0", "integer", "0,20-", True, "immediate", "Close connection if client is idle for a given number of seconds, or never if 0"),
    ("zset-max-listpack-entries", "128", "integer", "0-", True, "immediate", "The maximum number of sorted set entries in order for the dataset to be compressed"),
    ("zset-max-listpack-value", "64", "integer", "0-", True, "immediate", "The threshold of biggest sorted set entries in order for the dataset to be compressed"),
]


def catalogue(family: str, cluster_on: bool = False) -> dict[str, dict[str, Any]]:
    """Engine-default parameters of a family (empty for memcached)."""
    if not family.startswith(("redis", "valkey")):
        return {}
    min_version = {
        "redis2.6": "2.6.13", "redis2.8": "2.8.6", "redis3.2": "3.2.4", "redis4.0": "4.0.10",
        "redis5.0": "5.0.0", "redis6.x": "6.0.5", "redis7": "7.0.4", "valkey7": "7.2.4",
        "valkey8": "8.0.0", "valkey9": "9.0.0",
    }.get(family, "2.6.13")
    out: dict[str, dict[str, Any]] = {}
    for name, default, dtype, allowed, modifiable, change, desc in _REDIS_PARAMS:
        value = default
        if name == "cluster-enabled" and cluster_on:
            value = "yes"
        p = {
            "ParameterName": name,
            "ParameterValue": value,
            "Description": desc,
            "Source": "system",
            "DataType": dtype,
            "IsModifiable": modifiable,
            "MinimumEngineVersion": min_version,
            "ChangeType": change,
        }
        if allowed is not None:
            p["AllowedValues"] = allowed
        out[name] = p
    return out


def validate_value(meta: dict[str, Any], value: str) -> bool:
    """True when value fits the parameter's DataType/AllowedValues."""
    allowed = meta.get("AllowedValues")
    if meta.get("DataType") == "integer":
        try:
            n = int(value)
        except (TypeError, ValueError):
            return False
        if not allowed:
            return True
        for rng in allowed.split(","):
            rng = rng.strip()
            if rng == "-":
                return True
            if rng.startswith("-") and rng.count("-") == 2:
                lo_s, hi_s = "-" + rng[1:].split("-")[0], rng[1:].split("-")[1]
            elif rng.count("-") == 1 and not rng.startswith("-"):
                lo_s, hi_s = rng.split("-")
            else:
                lo_s = hi_s = rng
            lo = int(lo_s) if lo_s not in ("", "-") else None
            hi = int(hi_s) if hi_s != "" else None
            if (lo is None or n >= lo) and (hi is None or n <= hi):
                return True
        return False
    if allowed and meta.get("DataType") == "string":
        return value in [a.strip() for a in allowed.split(",")]
    return True
