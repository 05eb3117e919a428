"""IAM authentication tokens checked as ElastiCache checks them (row E74 of EXTENSIONS.md).

A test aid, not an AWS API: `POST /_emulator/iam-auth/verify` with
`{"cacheName", "userName", "token"}` answers `{"valid": true|false, "reason": ...}` for the
password an app sent in `AUTH <userName> <token>` (or `HELLO … AUTH`) to the data plane of the
replication group `cacheName`. The test bridge's proxy asks it before it lets an IAM user log in.

From the user guide, "Authenticating with IAM"
(https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html): the token is a
Signature Version 4 presigned `GET http://<cache name>/?Action=connect&User=<user id>` for the
service `elasticache` in the cache's region, without its scheme, valid for 15 minutes; the user
is an ElastiCache user whose authentication mode is `iam` (user id = user name) in the cache's
user group; the signer's IAM identity needs `elasticache:Connect` on the cache's ARN and on the
user's ARN. The signature is recomputed with botocore's own SigV4 code (its canonical request,
string to sign and signing key) at the token's own X-Amz-Date, with the secret moto holds for the
access key (an IAM user's key, or the temporary key of an assumed role with its session token).
The policies are moto's (`moto.iam.access_control`: the identity's inline and attached policies,
its groups' for an IAM user; Resource patterns matched, an explicit Deny wins; conditions are
evaluated by moto without any request context).

Reasons never carry the token or any secret.
"""

from __future__ import annotations

import datetime
import hmac
from typing import Any
from urllib.parse import parse_qsl

from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto.iam.access_control import CreateAccessKeyFailure, IAMPolicy, PermissionResult, create_access_key
from moto.iam.models import get_account_id_from

from .state import LOCK

ACTION = "elasticache:Connect"
MAX_EXPIRES = 900  # "The IAM authentication token is valid for 15 minutes"
CLOCK_SKEW = 300   # SigV4: a request dated more than 5 minutes ahead is refused (the emulator's choice for tokens)
_REQUIRED = ("Action", "User", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
             "X-Amz-SignedHeaders", "X-Amz-Signature")


def _refused(reason: str) -> dict[str, Any]:
    return {"valid": False, "reason": reason}


def signature_of(host: str, query_without_signature: str, access_key: str, secret: str, token: str | None,
                 region: str, timestamp: str) -> str:
    """The SigV4 signature botocore computes for this presigned GET at this time (query auth, host signed)."""
    auth = SigV4QueryAuth(Credentials(access_key, secret, token), "elasticache", region)
    request = AWSRequest(method="GET", url=f"http://{host}/?{query_without_signature}")
    request.context["timestamp"] = timestamp
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request)


def verify(cache_name: str | None, user_name: str | None, token: str | None, account: str | None = None,
           region: str | None = None, now: datetime.datetime | None = None) -> dict[str, Any]:
    from .elasticache_ext import all_backends, find_replication_group
    from .users_ext import _users, acl_of

    if not cache_name or not user_name or not token:
        return _refused("cacheName, userName and token are required")
    if "://" in token:
        return _refused("the token is the presigned URL without its scheme")
    host, sep, query = token.partition("/?")
    if not sep:
        return _refused("the token is not a presigned URL (<cache name>/?Action=connect&...)")
    pairs = parse_qsl(query, keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs):
        return _refused("a query parameter is given twice")
    missing = [k for k in _REQUIRED if k not in params]
    if missing:
        return _refused(f"the token lacks {', '.join(missing)}")
    if params["Action"] != "connect":
        return _refused("Action must be connect")
    if params.get("ResourceType") == "ServerlessCache":
        return _refused("tokens for serverless caches are not emulated")
    if host != cache_name:
        return _refused(f"the token is signed for the cache {host}, not {cache_name}")
    if params["User"] != user_name:
        return _refused(f"the token is signed for the user {params['User']}, not {user_name}")
    if params["X-Amz-Algorithm"] != "AWS4-HMAC-SHA256" or params["X-Amz-SignedHeaders"] != "host":
        return _refused("the token must be signed with AWS4-HMAC-SHA256 over the host header only")
    scope = params["X-Amz-Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        return _refused("malformed X-Amz-Credential")
    access_key, date, scope_region, service = scope[0], scope[1], scope[2], scope[3]
    if service != "elasticache":
        return _refused(f"the token is signed for the service {service}, not elasticache")
    stamp = params["X-Amz-Date"]
    try:
        signed_at = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)
        expires = int(params["X-Amz-Expires"])
    except ValueError:
        return _refused("malformed X-Amz-Date or X-Amz-Expires")
    if date != stamp[:8]:
        return _refused("the credential scope's date is not the X-Amz-Date's")
    if not 1 <= expires <= MAX_EXPIRES:
        return _refused(f"X-Amz-Expires must be 1..{MAX_EXPIRES} seconds")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if now > signed_at + datetime.timedelta(seconds=expires):
        return _refused("the token has expired")
    if signed_at > now + datetime.timedelta(seconds=CLOCK_SKEW):
        return _refused("the token is dated in the future")

    with LOCK:
        rg = find_replication_group(cache_name, account, region)
        if rg is None:
            return _refused(f"no replication group {cache_name}")
        b = next(b for b in all_backends() if b.replication_groups.get(rg.replication_group_id) is rg)
        if scope_region != b.region_name:
            return _refused(f"the token is signed for the region {scope_region}, the cache is in {b.region_name}")
        # the identity: moto's own lookup of the key (an IAM user's, or an assumed role's with its session token)
        key_account = get_account_id_from(access_key)
        if key_account != b.account_id:
            return _refused("the access key is not an identity of the cache's account")
        headers = {"X-Amz-Security-Token": params["X-Amz-Security-Token"]} if "X-Amz-Security-Token" in params else {}
        try:
            identity = create_access_key(key_account, "aws", access_key, headers)
        except CreateAccessKeyFailure as e:
            return _refused(f"the access key is not valid ({e.reason})")
        creds = identity.create_credentials()
        unsigned = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-Signature="))
        expected = signature_of(host, unsigned, access_key, creds.secret_key, creds.token, scope_region, stamp)
        if not hmac.compare_digest(expected, params["X-Amz-Signature"]):
            return _refused("the signature does not match")

        user = _users(b).get(user_name)
        if user is None or user.status == "deleting":
            return _refused(f"no ElastiCache user {user_name}")
        if user.auth_type != "iam":
            return _refused(f"the user {user_name} does not authenticate with IAM")
        if not any(u["userId"] == user.user_id for u in acl_of(b, list(rg.user_group_ids))):
            return _refused(f"the user {user_name} is not in the cache's user group")

        policies = identity.collect_policies()
        for resource in (rg.arn, user.arn):
            results = [IAMPolicy(p).is_action_permitted(ACTION, resource) for p in policies]
            if PermissionResult.DENIED in results:
                return _refused(f"{identity.arn} is explicitly denied {ACTION} on {resource}")
            if PermissionResult.PERMITTED not in results:
                return _refused(f"{identity.arn} is not allowed {ACTION} on {resource}")
        return {"valid": True, "reason": "", "identity": identity.arn, "userId": user.user_id,
                "expiresAt": (signed_at + datetime.timedelta(seconds=expires)).isoformat()}
