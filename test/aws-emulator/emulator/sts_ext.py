"""STS AssumeRole as AWS decides it (rows E61, E62 of EXTENSIONS.md).

moto 5.2.1's AssumeRole hands out credentials for any role ARN, existing or not, whatever the
role's trust policy says and whether or not the ExternalId matches; it checks only that the
session name is at most 64 characters. The credentials it hands out already act in the role's
account (moto maps the temporary access key to that account's IAM backend), so the caller's later
calls land in the role's account and its region's backends, which E63 relies on.

Here, before moto's own handler runs:
- the request's parameters are checked as the API reference constrains them (ValidationError);
- the role must exist in the account its ARN names, and its trust policy must allow the caller:
  an Allow statement whose Action matches sts:AssumeRole and whose Principal names the caller's
  ARN, its account (`123456789012` or `arn:aws:iam::123456789012:root`) or `*`, with every
  condition met. The conditions understood are StringEquals / StringLike on `sts:ExternalId`;
  a statement with any other condition does not apply. A Deny statement that matches refuses.
  Otherwise AccessDenied (HTTP 403), in AWS's wording.
The caller's own permission for sts:AssumeRole is moto's IAM access control (when it is on).
"""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any
from urllib.parse import unquote

from moto.core.exceptions import AccessDeniedError
from moto.iam.models import iam_backends
from moto.sts.exceptions import STSValidationError
from moto.sts.models import sts_backends
from moto.sts.responses import TokenResponse

SESSION_NAME_RE = re.compile(r"^[\w+=,.@-]{2,64}$")
EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
ROLE_ARN_RE = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(.+)$")

_orig_assume_role = TokenResponse.assume_role


def _validation(field: str, value: Any, constraint: str) -> STSValidationError:
    return STSValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}")


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def _principal_matches(principal: Any, caller_arn: str, caller_account: str) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    for p in _as_list(principal.get("AWS")):
        if p in ("*", caller_account, f"arn:aws:iam::{caller_account}:root", caller_arn):
            return True
    return False


def _conditions_met(conditions: dict[str, Any] | None, external_id: str | None) -> bool:
    for operator, tests in (conditions or {}).items():
        if operator not in ("StringEquals", "StringLike") or not isinstance(tests, dict):
            return False
        for key, expected in tests.items():
            if key.lower() != "sts:externalid" or external_id is None:
                return False
            values = [str(x) for x in _as_list(expected)]
            if operator == "StringEquals" and external_id not in values:
                return False
            if operator == "StringLike" and not any(fnmatch.fnmatchcase(external_id, v) for v in values):
                return False
    return True


def trust_allows(document: str, caller_arn: str, caller_account: str, external_id: str | None) -> bool:
    """Does a role's trust policy let this caller assume it? (E61)"""
    try:
        policy = json.loads(unquote(document) if document.lstrip().startswith("%") else document)
    except ValueError:
        return False
    allowed = False
    for st in _as_list(policy.get("Statement")):
        actions = [a.lower() for a in _as_list(st.get("Action"))]
        if not any(fnmatch.fnmatchcase("sts:assumerole", a) for a in actions):
            continue
        if not _principal_matches(st.get("Principal"), caller_arn, caller_account):
            continue
        if not _conditions_met(st.get("Condition"), external_id):
            continue
        if st.get("Effect") == "Deny":
            return False
        if st.get("Effect") == "Allow":
            allowed = True
    return allowed


def _assume_role(self: TokenResponse) -> Any:
    role_arn = self._get_param("RoleArn") or ""
    session_name = self._get_param("RoleSessionName") or ""
    external_id = self._get_param("ExternalId")
    duration = self._get_int_param("DurationSeconds", 3600)
    if not SESSION_NAME_RE.match(session_name):
        raise _validation("roleSessionName", session_name,
                          "Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*")
    if external_id is not None and not EXTERNAL_ID_RE.match(external_id):
        raise _validation("externalId", external_id,
                          "Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:\\/-]*")
    if duration < 900 or duration > 43200:
        raise _validation("durationSeconds", duration, "Member must have value between 900 and 43200")

    access_key = self.get_access_key()
    partition = "aws"
    _, caller_arn, caller_account = sts_backends[self.current_account][partition].get_caller_identity(access_key, self.region)
    m = ROLE_ARN_RE.match(role_arn)
    role = None
    if m:
        role = next((r for r in iam_backends[m.group(2)][partition].roles.values() if r.arn == role_arn), None)
    if role is None or not trust_allows(role.assume_role_policy_document or "", caller_arn, caller_account, external_id):
        raise AccessDeniedError(caller_arn, f"sts:AssumeRole on resource: {role_arn}")
    max_session = int(role.max_session_duration or 3600)
    if duration > max_session:
        raise _validation("durationSeconds", duration,
                          f"The requested DurationSeconds exceeds the MaxSessionDuration set for this role ({max_session})")
    return _orig_assume_role(self)


def install() -> None:
    TokenResponse.assume_role = _assume_role  # type: ignore[method-assign]
