"""Process-wide state of the emulator's extensions (not AWS resources).

AWS resources live in moto's backends, so moto's reset clears them. What
lives here (runtime configuration, fault rules, call counters) is reset by
`EmulatorState.reset()`, which the middleware calls after every
`POST /moto-api/reset`.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

# One lock for everything the extensions touch: moto's backends are plain
# dicts and the server is threaded.
LOCK = threading.RLock()

CONFIG_KEYS = {
    "creatingSeconds": float,
    "modifyingSeconds": float,
    "deletingSeconds": float,
    "endpointHost": str,
    "endpointPort": int,
    "snapshottingSeconds": float,
    "eniReleaseSeconds": float,
    "secretDeletionSeconds": float,
    "maxNodesPerCustomer": int,
    "maxReplicationGroups": int,
    "insufficientCapacityNodeTypes": list,
    "failoverSeconds": float,
    "maxTestFailoversPerDay": int,
    "maxServerlessCaches": int,
    "userSeconds": float,
}

# Defaults of the keys launcher.py has no flag for... and of those it has
# (AWS's documented default quota: 300 nodes per Region; see EXTENSIONS.md B8).
EXTRA_DEFAULTS: dict[str, Any] = {
    "snapshottingSeconds": 3.0,
    "eniReleaseSeconds": 0.0,
    "secretDeletionSeconds": 2.0,
    "maxNodesPerCustomer": 300,
    "maxReplicationGroups": 300,
    "insufficientCapacityNodeTypes": [],
    "failoverSeconds": 3.0,
    "maxTestFailoversPerDay": 15,
    "maxServerlessCaches": 40,
    "userSeconds": 1.0,  # E39..E43: how long a user or user group stays creating/modifying/deleting
}


class ConfigError(ValueError):
    pass


class FaultRule:
    def __init__(self, service: str, action: str, throttle: int, server_error: int,
                 latency_ms: int, server_error_status: int, account: str = "*") -> None:
        self.service = service
        self.account = account  # E64: "*" or the one account whose calls it faults
        self.action = action
        self.throttle = throttle
        self.server_error = server_error
        self.latency_ms = latency_ms
        self.server_error_status = server_error_status

    def matches(self, service: str, action: str, account: str = "*") -> bool:
        return (self.service in ("*", service)) and (self.action in ("*", action)) and (self.account in ("*", account))

    def to_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "action": self.action,
            "throttle": self.throttle,
            "serverError": self.server_error,
            "latencyMs": self.latency_ms,
            "serverErrorStatus": self.server_error_status,
            "account": self.account,
        }


class EmulatorState:
    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.config: dict[str, Any] = {}
        self.faults: list[FaultRule] = []
        self.calls: Counter[str] = Counter()
        self.calls_by_key: dict[str, Counter[str]] = {}
        self.calls_by_account: dict[str, Counter[str]] = {}
        self.create_failures: list[str] = []
        self.reset()

    # -- lifecycle -------------------------------------------------------
    def reset(self) -> None:
        with LOCK:
            self.config = dict(EXTRA_DEFAULTS)
            self.config.update(self.defaults)
            self.faults = []
            self.calls = Counter()
            self.calls_by_key = {}
            self.calls_by_account = {}
            self.create_failures = []

    def restore_config(self) -> dict[str, Any]:
        with LOCK:
            self.config = dict(EXTRA_DEFAULTS)
            self.config.update(self.defaults)
            return dict(self.config)

    # -- create failures (B2) --------------------------------------------
    def add_create_failures(self, body: Any) -> list[str]:
        if not isinstance(body, dict):
            raise ConfigError("body must be a JSON object")
        unknown = set(body) - {"count", "message"}
        if unknown:
            raise ConfigError(f"unknown keys {sorted(unknown)}; known: ['count', 'message']")
        count = body.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ConfigError("count must be an integer >= 0")
        message = body.get("message")
        if message is not None and (not isinstance(message, str) or not message):
            raise ConfigError("message must be a non-empty string")
        with LOCK:
            self.create_failures.extend([message or ""] * count)
            return list(self.create_failures)

    def take_create_failure(self) -> str | None:
        """'' or a reason when the next CreateReplicationGroup is to fail; None otherwise."""
        with LOCK:
            return self.create_failures.pop(0) if self.create_failures else None

    # -- runtime configuration -------------------------------------------
    def update_config(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ConfigError("body must be a JSON object")
        new = dict(self.config)
        for key, value in body.items():
            if key not in CONFIG_KEYS:
                raise ConfigError(f"unknown key {key!r}; known: {sorted(CONFIG_KEYS)}")
            if value is None:
                if key in ("endpointHost", "endpointPort"):
                    new[key] = None
                    continue
                raise ConfigError(f"{key} cannot be null")
            if key.endswith("Seconds"):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ConfigError(f"{key} must be a number >= 0")
                new[key] = float(value)
            elif key in ("maxNodesPerCustomer", "maxReplicationGroups", "maxTestFailoversPerDay", "maxServerlessCaches"):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ConfigError(f"{key} must be an integer >= 0")
                new[key] = value
            elif key == "insufficientCapacityNodeTypes":
                if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                    raise ConfigError("insufficientCapacityNodeTypes must be a list of node type names")
                new[key] = list(value)
            elif key == "endpointPort":
                if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
                    raise ConfigError("endpointPort must be an integer 1..65535")
                new[key] = value
            elif key == "endpointHost":
                if not isinstance(value, str) or not value:
                    raise ConfigError("endpointHost must be a non-empty string")
                new[key] = value
        with LOCK:
            self.config = new
        return dict(new)

    def get(self, key: str) -> Any:
        return self.config.get(key)

    # -- faults ----------------------------------------------------------
    def add_fault(self, body: Any) -> FaultRule:
        if not isinstance(body, dict):
            raise ConfigError("body must be a JSON object")
        known = {"service", "action", "throttle", "serverError", "latencyMs", "serverErrorStatus", "account"}
        unknown = set(body) - known
        if unknown:
            raise ConfigError(f"unknown keys {sorted(unknown)}; known: {sorted(known)}")
        service = body.get("service", "*")
        action = body.get("action", "*")
        if not isinstance(service, str) or not isinstance(action, str) or not service or not action:
            raise ConfigError("service and action must be non-empty strings ('*' matches all)")

        def count(name: str) -> int:
            v = body.get(name, 0)
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ConfigError(f"{name} must be an integer >= 0")
            return v

        status = body.get("serverErrorStatus", 500)
        if status not in (500, 503):
            raise ConfigError("serverErrorStatus must be 500 or 503")
        account = body.get("account", "*")
        if not isinstance(account, str) or not account:
            raise ConfigError("account must be a non-empty string ('*' matches all)")
        rule = FaultRule(service.lower(), action, count("throttle"), count("serverError"),
                         count("latencyMs"), status, account)
        with LOCK:
            self.faults.append(rule)
        return rule

    def clear_faults(self) -> None:
        with LOCK:
            self.faults = []

    def take_fault(self, service: str, action: str, account: str = "*") -> tuple[int, str | None, int]:
        """For one incoming call: (latency ms, 'throttle'|'server'|None, server status)."""
        with LOCK:
            latency = 0
            kind = None
            status = 500
            matching = [r for r in self.faults if r.matches(service, action, account)]
            for r in matching:
                latency = max(latency, r.latency_ms)
            for r in matching:
                if r.throttle > 0:
                    r.throttle -= 1
                    kind = "throttle"
                    break
                if r.server_error > 0:
                    r.server_error -= 1
                    kind = "server"
                    status = r.server_error_status
                    break
            return latency, kind, status

    # -- call accounting -------------------------------------------------
    def count_call(self, service: str, action: str, access_key: str | None = None,
                   account_region: str | None = None) -> None:
        with LOCK:
            self.calls[f"{service}:{action}"] += 1
            self.calls_by_key.setdefault(access_key or "unsigned", Counter())[f"{service}:{action}"] += 1
            # E64: the account the credentials act in (E63) and the region they signed for
            self.calls_by_account.setdefault(account_region or "unknown", Counter())[f"{service}:{action}"] += 1

    def calls_json(self) -> dict[str, int]:
        with LOCK:
            return dict(sorted(self.calls.items()))

    def calls_by_key_json(self) -> dict[str, dict[str, int]]:
        with LOCK:
            return {k: dict(sorted(c.items())) for k, c in sorted(self.calls_by_key.items())}

    def calls_by_account_json(self) -> dict[str, dict[str, int]]:
        with LOCK:
            return {k: dict(sorted(c.items())) for k, c in sorted(self.calls_by_account.items())}

    def clear_calls(self) -> None:
        with LOCK:
            self.calls = Counter()
            self.calls_by_key = {}
            self.calls_by_account = {}


# Set by launcher.py before the server starts.
STATE = EmulatorState({
    "creatingSeconds": 5.0,
    "modifyingSeconds": 3.0,
    "deletingSeconds": 3.0,
    "endpointHost": None,
    "endpointPort": None,
})


def init_state(defaults: dict[str, Any]) -> EmulatorState:
    STATE.defaults = dict(defaults)
    STATE.reset()
    return STATE
