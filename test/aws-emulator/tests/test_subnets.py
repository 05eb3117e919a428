"""E57: DescribeSubnets filtered by VPC and tags (moto's own filters, pinned: spec.network.subnetSelector)."""

from __future__ import annotations

from typing import Any

import pytest

from test_emulator import client, emulator, reset  # noqa: F401


@pytest.fixture
def ec2(emulator: str) -> Any:  # noqa: F811
    return client(emulator, "ec2")


def subnet(ec2: Any, vpc: str, cidr: str, az: str, tags: dict[str, str]) -> str:
    spec = [{"ResourceType": "subnet", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
    return ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az, TagSpecifications=spec)["Subnet"]["SubnetId"]


def selected(ec2: Any, vpc: str, **tags: str) -> list[tuple[str, str]]:
    filters = [{"Name": "vpc-id", "Values": [vpc]}] + [{"Name": f"tag:{k}", "Values": [v]} for k, v in tags.items()]
    answer = ec2.describe_subnets(Filters=filters, MaxResults=1000)
    return sorted((s["SubnetId"], s["AvailabilityZone"]) for s in answer["Subnets"])


def test_subnets_are_selected_by_vpc_and_every_tag(emulator: str, ec2: Any) -> None:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    other = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    a = subnet(ec2, vpc, "10.0.1.0/24", "us-east-1a", {"tier": "internal", "team": "shop"})
    b = subnet(ec2, vpc, "10.0.2.0/24", "us-east-1b", {"tier": "internal"})
    subnet(ec2, vpc, "10.0.3.0/24", "us-east-1a", {"tier": "public"})
    subnet(ec2, vpc, "10.0.4.0/24", "us-east-1a", {"Tier": "internal"})
    o = subnet(ec2, other, "10.1.1.0/24", "us-east-1a", {"tier": "internal"})
    assert selected(ec2, vpc, tier="internal") == sorted([(a, "us-east-1a"), (b, "us-east-1b")])
    assert selected(ec2, vpc, tier="internal", team="shop") == [(a, "us-east-1a")]
    assert selected(ec2, vpc, tier="Internal") == []
    assert selected(ec2, other, tier="internal") == [(o, "us-east-1a")]
