"""Engine versions, parameter group families and a parameter catalogue.

Written from the ElastiCache API reference (DescribeCacheEngineVersions,
CreateCacheParameterGroup's CacheParameterGroupFamily values) and the
ElastiCache user guide's "Engine specific parameters" pages. The parameter
catalogue (every name per family) is parameters.json; see EXTENSIONS.md E11.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
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
        "9.1": "9.1.0", "9.1.0": "9.1.0",
    },
}

DEFAULT_VERSION = {"redis": "7.1.0", "valkey": "8.1.0"}  # unchanged defaults (see EXTENSIONS.md)

# What DescribeCacheEngineVersions lists (major.minor from 6 on, as AWS does).
LISTED_VERSIONS = {
    "redis": ["4.0.10", "5.0.6", "6.0", "6.2", "7.0", "7.1"],
    "valkey": ["7.2", "8.0", "8.1", "8.2", "9.0", "9.1"],
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


# The parameter catalogue is parameters.json (next to this file), shared with the Java fake
# (src/test/java/.../fake/ParameterCatalogue.java) so both refuse the same names and values.
PARAMETERS_FILE = Path(__file__).with_name("parameters.json")
_CATALOGUE: dict[str, dict[str, dict[str, Any]]] = json.loads(PARAMETERS_FILE.read_text())["families"]

CONDITIONAL = "conditional"  # modifiable only while no cluster uses the group


def known_families() -> tuple[str, ...]:
    """Families with a parameter catalogue (Valkey and Redis OSS; memcached has none)."""
    return tuple(_CATALOGUE)


def parameter_meta(family: str, name: str) -> dict[str, Any] | None:
    return _CATALOGUE.get(family, {}).get(name)


def _describe(name: str, meta: dict[str, Any], family: str, cluster_on: bool) -> dict[str, Any]:
    value = meta["default"]
    if name == "cluster-enabled" and cluster_on:
        value = "yes"
    p: dict[str, Any] = {
        "ParameterName": name,
        "Description": meta.get("description", ""),
        "Source": "system",
        "DataType": meta["type"],
        "IsModifiable": meta["modifiable"] is not False,
        "MinimumEngineVersion": meta.get("minimumEngineVersion", ""),
        "ChangeType": meta["changeType"],
    }
    if value is not None:
        p["ParameterValue"] = value
    if meta.get("allowed") is not None:
        p["AllowedValues"] = meta["allowed"]
    return p


def catalogue(family: str, cluster_on: bool = False) -> dict[str, dict[str, Any]]:
    """Engine-default parameters of a family (empty for memcached), node-type specific ones left out."""
    return {name: _describe(name, meta, family, cluster_on)
            for name, meta in _CATALOGUE.get(family, {}).items() if not meta.get("nodeTypeSpecific")}


def node_type_specific(family: str) -> list[dict[str, Any]]:
    """CacheNodeTypeSpecificParameters of a family (values per node type are not emulated)."""
    out = []
    for name, meta in _CATALOGUE.get(family, {}).items():
        if meta.get("nodeTypeSpecific"):
            p = _describe(name, meta, family, False)
            p.pop("ParameterValue", None)
            p["CacheNodeTypeSpecificValues"] = []
            out.append(p)
    return out


def _in_ranges(allowed: str, n: int) -> bool:
    """AWS's AllowedValues syntax: "a,b", "lo-hi", "lo-" (open), "-" (any integer), negatives as "-5"."""
    for rng in allowed.split(","):
        rng = rng.strip()
        if rng == "-":
            return True
        if re.fullmatch(r"-?\d+", rng):
            if int(rng) == n:
                return True
            continue
        m = re.fullmatch(r"(-?\d+)-(-?\d*)", rng)
        if m:
            lo, hi = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
            if n >= lo and (hi is None or n <= hi):
                return True
    return False


def validate_value(meta: dict[str, Any], value: str) -> bool:
    """True when value fits the parameter's type/allowed values (catalogue or Describe shape)."""
    dtype = meta.get("type", meta.get("DataType"))
    allowed = meta.get("allowed", meta.get("AllowedValues"))
    if dtype == "integer":
        if not re.fullmatch(r"-?\d+", value.strip()):
            return False
        return allowed is None or _in_ranges(allowed, int(value))
    chars = meta.get("allowedCharacters")
    if chars is not None:
        return all(c in chars for c in value)
    if allowed is not None:
        return value in [a.strip() for a in allowed.split(",")]
    return True


def refusal(family: str, name: str, value: str, in_use: bool = False) -> tuple[str, str] | None:
    """(error code, message) AWS answers ModifyCacheParameterGroup for this name/value, None when accepted.

    Families without a catalogue (memcached) accept anything. Messages: "Parameter X doesn't exist"
    and "The parameter X cannot be modified." are AWS's wording (see EXTENSIONS.md E11); the
    out-of-range message is the emulator's own.
    """
    params = _CATALOGUE.get(family)
    if params is None:
        return None
    meta = params.get(name)
    if meta is None:
        return "InvalidParameterValue", f"Parameter {name} doesn't exist"
    if meta["modifiable"] is False or (meta["modifiable"] == CONDITIONAL and in_use):
        return "InvalidParameterValue", f"The parameter {name} cannot be modified."
    if not validate_value(meta, value):
        allowed = meta.get("allowed")
        if meta.get("allowedCharacters"):
            allowed = "any of the characters " + meta["allowedCharacters"]
        return "InvalidParameterValue", (f"Invalid value {value} for parameter {name}: allowed values are "
                                         f"{allowed if allowed is not None else 'of type ' + meta['type']}.")
    return None
