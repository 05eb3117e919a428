"""STS AssumeRole and accounts and regions kept apart (EXTENSIONS.md E61-E64)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from test_emulator import create_rg, emulator, error_code, fast, http, reset  # noqa: F401

OTHER = "222222222222"
ROLE = f"arn:aws:iam::{OTHER}:role/rediscache-operator"
NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def trust(principal: Any = "arn:aws:iam::123456789012:root", condition: dict[str, Any] | None = None) -> str:
    st: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        st["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [st]})


def in_account(url: str, service: str, account: str, region: str = "us-east-1") -> Any:
    """A client acting in `account` through moto's x-moto-account-id header (the test's own set-up)."""
    c = boto3.client(service, endpoint_url=url, region_name=region, aws_access_key_id="testing",
                     aws_secret_access_key="testing", config=NO_RETRY)
    c.meta.events.register("before-sign.*.*", lambda request, **kw: request.headers.__setitem__("x-moto-account-id", account))
    return c


def make_role(url: str, document: str, name: str = "rediscache-operator", max_session: int = 3600) -> None:
    in_account(url, "iam", OTHER).create_role(RoleName=name, AssumeRolePolicyDocument=document, MaxSessionDuration=max_session)


def sts(url: str, validate: bool = True) -> Any:
    """validate=False: botocore's own length checks off, so the emulator's answer is what is seen."""
    return boto3.client("sts", endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=NO_RETRY.merge(Config(parameter_validation=validate)))


def assumed(url: str, service: str, region: str, **kw: Any) -> Any:
    creds = sts(url).assume_role(RoleArn=ROLE, RoleSessionName="rediscache-operator-e2e", **kw)["Credentials"]
    return boto3.client(service, endpoint_url=url, region_name=region, aws_access_key_id=creds["AccessKeyId"],
                        aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], config=NO_RETRY)


def refused(fn: Any, code: str, status: int) -> ClientError:
    with pytest.raises(ClientError) as e:
        fn()
    assert error_code(e) == code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    return e.value


# -- E61: the role must exist and trust the caller ---------------------------------------------

def test_a_role_that_does_not_exist_cannot_be_assumed(emulator: str) -> None:
    err = refused(lambda: sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1"), "AccessDenied", 403)
    assert f"is not authorized to perform: sts:AssumeRole on resource: {ROLE}" in err.response["Error"]["Message"]


def test_the_trust_policy_decides_who_may_assume_the_role(emulator: str) -> None:
    make_role(emulator, trust(principal="arn:aws:iam::333333333333:root"))
    refused(lambda: sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1"), "AccessDenied", 403)
    in_account(emulator, "iam", OTHER).update_assume_role_policy(RoleName="rediscache-operator", PolicyDocument=trust())
    arn = sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1")["AssumedRoleUser"]["Arn"]
    assert arn == f"arn:aws:sts::{OTHER}:assumed-role/rediscache-operator/s1"


def test_an_external_id_the_trust_policy_asks_for_must_be_given(emulator: str) -> None:
    make_role(emulator, trust(condition={"StringEquals": {"sts:ExternalId": "shop-42"}}))
    refused(lambda: sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1"), "AccessDenied", 403)
    refused(lambda: sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1", ExternalId="shop-43"), "AccessDenied", 403)
    sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1", ExternalId="shop-42")


def test_a_matching_deny_statement_refuses(emulator: str) -> None:
    doc = json.loads(trust())
    doc["Statement"].append({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})
    make_role(emulator, json.dumps(doc))
    refused(lambda: sts(emulator).assume_role(RoleArn=ROLE, RoleSessionName="s1"), "AccessDenied", 403)


# -- E62: parameters as the API reference constrains them -------------------------------------

def test_assume_role_parameters_are_checked(emulator: str) -> None:
    make_role(emulator, trust(), max_session=3600)
    c = sts(emulator, validate=False)
    refused(lambda: c.assume_role(RoleArn=ROLE, RoleSessionName="x"), "ValidationError", 400)
    refused(lambda: c.assume_role(RoleArn=ROLE, RoleSessionName="has space"), "ValidationError", 400)
    refused(lambda: c.assume_role(RoleArn=ROLE, RoleSessionName="s1", ExternalId="a"), "ValidationError", 400)
    refused(lambda: c.assume_role(RoleArn=ROLE, RoleSessionName="s1", DurationSeconds=899), "ValidationError", 400)
    # above the role's MaxSessionDuration (1 hour here), though within STS's 12 hours
    refused(lambda: c.assume_role(RoleArn=ROLE, RoleSessionName="s1", DurationSeconds=7200), "ValidationError", 400)
    c.assume_role(RoleArn=ROLE, RoleSessionName="s1", DurationSeconds=900)


# -- E63: the role's credentials act in its account; accounts and regions apart ---------------

def test_assumed_credentials_act_in_the_roles_account_and_accounts_and_regions_stay_apart(emulator: str) -> None:
    fast(emulator)
    make_role(emulator, trust())
    other = assumed(emulator, "elasticache", "eu-west-1")
    rg = create_rg(other, "sessions")
    assert rg["ARN"] == f"arn:aws:elasticache:eu-west-1:{OTHER}:replicationgroup:sessions"
    assert assumed(emulator, "sts", "eu-west-1").get_caller_identity()["Account"] == OTHER
    # Not in the operator's own account, nor in the other account's other regions.
    own = boto3.client("elasticache", endpoint_url=emulator, region_name="eu-west-1", aws_access_key_id="testing",
                       aws_secret_access_key="testing", config=NO_RETRY)
    assert own.describe_replication_groups()["ReplicationGroups"] == []
    assert assumed(emulator, "elasticache", "us-east-1").describe_replication_groups()["ReplicationGroups"] == []
    # The same name may be taken in each account (the operator names caches alike everywhere).
    assert create_rg(own, "sessions")["ARN"] == "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:sessions"
    # The control API finds each by account and region.
    status, body = http(emulator + f"/_emulator/replication-groups/sessions/auth?account={OTHER}&region=eu-west-1")
    assert status == 200 and body["replicationGroupId"] == "sessions"
    # EC2 too: a security group made in the other account is not the operator's.
    ec2_other = assumed(emulator, "ec2", "eu-west-1")
    vpc = ec2_other.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    sg = ec2_other.create_security_group(GroupName="rc-sg", Description="d", VpcId=vpc)["GroupId"]
    ec2_own = boto3.client("ec2", endpoint_url=emulator, region_name="eu-west-1", aws_access_key_id="testing",
                           aws_secret_access_key="testing", config=NO_RETRY)
    with pytest.raises(ClientError) as e:
        ec2_own.describe_security_groups(GroupIds=[sg])
    assert error_code(e) == "InvalidGroup.NotFound"


# -- E64: calls counted by account and region -------------------------------------------------

def test_calls_are_counted_by_account_and_region(emulator: str) -> None:
    fast(emulator)
    make_role(emulator, trust())
    http(emulator + "/_emulator/calls", "DELETE")
    other = assumed(emulator, "elasticache", "eu-west-1")
    other.describe_replication_groups()
    refused(lambda: sts(emulator).assume_role(RoleArn=f"arn:aws:iam::{OTHER}:role/nobody", RoleSessionName="s1"), "AccessDenied", 403)
    status, by_account = http(emulator + "/_emulator/calls?by=account")
    assert status == 200
    assert by_account[f"{OTHER}/eu-west-1"] == {"elasticache:DescribeReplicationGroups": 1}
    # AssumeRole is the caller's call, in the caller's account
    assert by_account["123456789012/us-east-1"] == {"sts:AssumeRole": 2}


def test_a_fault_rule_may_name_the_one_account_whose_calls_it_faults(emulator: str) -> None:
    fast(emulator)
    make_role(emulator, trust())
    status, _ = http(emulator + "/_emulator/faults", "POST", {"service": "elasticache", "throttle": 1, "account": "123456789012"})
    assert status == 200
    other = assumed(emulator, "elasticache", "eu-west-1")
    other.describe_replication_groups()  # another account: not throttled, and the rule is not spent
    own = boto3.client("elasticache", endpoint_url=emulator, region_name="eu-west-1", aws_access_key_id="testing",
                       aws_secret_access_key="testing", config=NO_RETRY)
    refused(lambda: own.describe_replication_groups(), "Throttling", 400)
    own.describe_replication_groups()
    http(emulator + "/_emulator/faults", "DELETE")
