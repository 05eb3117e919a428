"""E74: IAM authentication tokens checked as ElastiCache checks them (POST /_emulator/iam-auth/verify).

Tokens are made the way the README's Python example makes them (botocore's RequestSigner,
generate_presigned_url of `GET http://<cache>/?Action=connect&User=<user>` for elasticache, 900 s).
"""

from __future__ import annotations

import datetime
import json
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import boto3
import botocore.auth
import botocore.session
import pytest
from botocore.credentials import Credentials
from botocore.model import ServiceId
from botocore.signers import RequestSigner

from test_emulator import REGION, client, create_rg, emulator, ec, fast, http, reset  # noqa: F401
from test_users import disabled_default, user, wait_user_group

CACHE = "reports-cache"
APP = "app-reports"      # the IAM user (user id = user name)
OTHER = "app-other"      # another IAM user of the same cache
PASSWORD_USER = "app-pw"
ACCOUNT = "123456789012"


def token(creds: Credentials, cache: str, user_id: str, expires: int = 900, region: str = REGION,
          at: datetime.datetime | None = None, scheme: str = "http://") -> str:
    """The README's signing code, with these credentials (and, for a test, a clock)."""
    session = botocore.session.get_session()
    signer = RequestSigner(ServiceId("elasticache"), region, "elasticache", "v4", creds,
                           session.get_component("event_emitter"))
    url = scheme + cache + "/?" + urlencode({"Action": "connect", "User": user_id})
    request = {"method": "GET", "url": url, "body": {}, "headers": {}, "context": {}}
    if at is None:
        signed = signer.generate_presigned_url(request, operation_name="connect", expires_in=expires, region_name=region)
    else:
        with mock.patch.object(botocore.auth, "get_current_datetime", return_value=at.replace(tzinfo=None)):
            signed = signer.generate_presigned_url(request, operation_name="connect", expires_in=expires, region_name=region)
    return signed.removeprefix(scheme)


def verify(url: str, cache: str, user_name: str, tok: str) -> dict[str, Any]:
    status, body = http(url + "/_emulator/iam-auth/verify", "POST", {"cacheName": cache, "userName": user_name, "token": tok})
    assert status == 200
    return body


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def connect(resources: list[str], effect: str = "Allow", action: str = "elasticache:Connect") -> dict[str, Any]:
    return {"Effect": effect, "Action": action, "Resource": resources}


def iam_identity(url: str, name: str, document: str | None) -> Credentials:
    iam = client(url, "iam")
    iam.create_user(UserName=name)
    if document:
        iam.put_user_policy(UserName=name, PolicyName="cache", PolicyDocument=document)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return Credentials(key["AccessKeyId"], key["SecretAccessKey"])


@pytest.fixture
def cache(emulator: str, ec: Any) -> dict[str, str]:
    """A TLS Valkey cache whose user group has a disabled default user, two IAM users and a password user."""
    fast(emulator, userSeconds=0)
    disabled_default(ec)
    for uid in (APP, OTHER):
        user(ec, uid, uid, "on ~reports:* +@read +@write", AuthenticationMode={"Type": "iam"})
    user(ec, PASSWORD_USER, PASSWORD_USER)
    user(ec, "app-outside", "app-outside", AuthenticationMode={"Type": "iam"})  # in no group
    ec.create_user_group(UserGroupId="reports-users", Engine="valkey", UserIds=["app-default", APP, OTHER, PASSWORD_USER])
    wait_user_group(ec, "reports-users")
    rg = create_rg(ec, CACHE, Engine="valkey", EngineVersion="8.0", TransitEncryptionEnabled=True, UserGroupIds=["reports-users"])
    arn = f"arn:aws:elasticache:{REGION}:{ACCOUNT}"
    return {"arn": rg["ARN"], "user": f"{arn}:user:{APP}", "other": f"{arn}:user:{OTHER}", "users": f"{arn}:user:*"}


def test_a_token_signed_by_an_identity_allowed_to_connect_is_valid(emulator: str, cache: dict[str, str]) -> None:
    creds = iam_identity(emulator, "reports-app", policy(connect([cache["arn"], cache["user"]])))
    tok = token(creds, CACHE, APP)
    assert tok.startswith(CACHE + "/?Action=connect&User=" + APP + "&X-Amz-Algorithm=AWS4-HMAC-SHA256")
    ok = verify(emulator, CACHE, APP, tok)
    assert ok["valid"] is True, ok
    assert ok["identity"] == f"arn:aws:iam::{ACCOUNT}:user/reports-app" and ok["userId"] == APP
    # the https:// form signs the same canonical request (the scheme is not signed)
    assert verify(emulator, CACHE, APP, token(creds, CACHE, APP, scheme="https://"))["valid"] is True


def test_the_signature_is_checked_against_the_secret_moto_holds(emulator: str, cache: dict[str, str]) -> None:
    creds = iam_identity(emulator, "reports-app", policy(connect([cache["arn"], cache["user"]])))
    wrong = Credentials(creds.access_key, creds.secret_key[:-1] + ("A" if creds.secret_key[-1] != "A" else "B"))
    refused = verify(emulator, CACHE, APP, token(wrong, CACHE, APP))
    assert refused == {"valid": False, "reason": "the signature does not match"}
    assert creds.secret_key not in json.dumps(refused)
    # a signed token whose user is changed afterwards no longer matches its signature
    tampered = token(creds, CACHE, OTHER).replace("User=" + OTHER, "User=" + APP)
    assert verify(emulator, CACHE, APP, tampered)["reason"] == "the signature does not match"
    unknown = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert verify(emulator, CACHE, APP, token(unknown, CACHE, APP))["valid"] is False


def test_a_token_for_another_user_or_cache_or_service_is_refused(emulator: str, ec: Any, cache: dict[str, str]) -> None:
    creds = iam_identity(emulator, "reports-app", policy(connect([cache["arn"], cache["users"]])))
    assert verify(emulator, CACHE, OTHER, token(creds, CACHE, OTHER))["valid"] is True
    assert "signed for the user app-other" in verify(emulator, CACHE, APP, token(creds, CACHE, OTHER))["reason"]
    assert "signed for the cache other-cache" in verify(emulator, CACHE, APP, token(creds, "other-cache", APP))["reason"]
    assert "region eu-west-1" in verify(emulator, CACHE, APP, token(creds, CACHE, APP, region="eu-west-1"))["reason"]
    assert "no replication group" in verify(emulator, "nowhere", APP, token(creds, "nowhere", APP))["reason"]
    assert "does not authenticate with IAM" in verify(emulator, CACHE, PASSWORD_USER, token(creds, CACHE, PASSWORD_USER))["reason"]
    assert "not in the cache's user group" in verify(emulator, CACHE, "app-outside", token(creds, CACHE, "app-outside"))["reason"]
    assert "without its scheme" in verify(emulator, CACHE, APP, "http://" + token(creds, CACHE, APP))["reason"]
    s3_signed = token(creds, CACHE, APP).replace("%2Felasticache%2F", "%2Fs3%2F")
    assert "service s3" in verify(emulator, CACHE, APP, s3_signed)["reason"]


def test_a_token_is_valid_for_at_most_15_minutes(emulator: str, cache: dict[str, str]) -> None:
    creds = iam_identity(emulator, "reports-app", policy(connect([cache["arn"], cache["user"]])))
    now = datetime.datetime.now(datetime.timezone.utc)
    assert verify(emulator, CACHE, APP, token(creds, CACHE, APP, at=now - datetime.timedelta(minutes=14)))["valid"] is True
    expired = verify(emulator, CACHE, APP, token(creds, CACHE, APP, at=now - datetime.timedelta(minutes=16)))
    assert expired == {"valid": False, "reason": "the token has expired"}
    assert "1..900" in verify(emulator, CACHE, APP, token(creds, CACHE, APP, expires=3600))["reason"]
    assert "future" in verify(emulator, CACHE, APP, token(creds, CACHE, APP, at=now + datetime.timedelta(minutes=10)))["reason"]


def test_the_identity_needs_elasticache_connect_on_the_cache_and_the_user(emulator: str, cache: dict[str, str]) -> None:
    cases = {
        "no-policy": None,
        "describe-only": policy(connect(["*"], action="elasticache:Describe*")),
        "cache-only": policy(connect([cache["arn"]])),
        "user-only": policy(connect([cache["user"]])),
        "other-user": policy(connect([cache["arn"], cache["other"]])),
        "denied": policy(connect(["*"]), connect([cache["user"]], effect="Deny")),
    }
    for name, document in cases.items():
        creds = iam_identity(emulator, name, document)
        refused = verify(emulator, CACHE, APP, token(creds, CACHE, APP))
        assert refused["valid"] is False and "elasticache:Connect" in refused["reason"], (name, refused)
    creds = iam_identity(emulator, "wildcard", policy(connect(["*"], action="elasticache:*")))
    assert verify(emulator, CACHE, APP, token(creds, CACHE, APP))["valid"] is True


def test_an_assumed_roles_temporary_credentials_sign_with_their_session_token(emulator: str, cache: dict[str, str]) -> None:
    iam = client(emulator, "iam")
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"})
    iam.create_role(RoleName="reports-pod", AssumeRolePolicyDocument=trust)
    iam.put_role_policy(RoleName="reports-pod", PolicyName="cache", PolicyDocument=policy(connect([cache["arn"], cache["user"]])))
    c = client(emulator, "sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/reports-pod", RoleSessionName="pod")["Credentials"]
    creds = Credentials(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    ok = verify(emulator, CACHE, APP, token(creds, CACHE, APP))
    assert ok["valid"] is True and ok["identity"].endswith(":assumed-role/reports-pod/pod"), ok
    without = token(Credentials(c["AccessKeyId"], c["SecretAccessKey"]), CACHE, APP)
    assert verify(emulator, CACHE, APP, without)["valid"] is False
