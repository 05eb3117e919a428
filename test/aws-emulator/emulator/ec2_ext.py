"""EC2 extension: DeleteSecurityGroup answers DependencyViolation while an
ElastiCache replication group (or cache cluster) that is not gone uses it.

AWS API reference: EC2 DeleteSecurityGroup ("If you attempt to delete a
security group that is associated with an instance or network interface, is
referenced by another security group ... the operation fails with
DependencyViolation") and "Error codes for the Amazon EC2 API"
(DependencyViolation, HTTP 400).
"""

from __future__ import annotations

from typing import Any

from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models.security_groups import SecurityGroupBackend

from .elasticache_ext import groups_referencing_security_group

_orig_delete = SecurityGroupBackend.delete_security_group


def _delete_security_group(self: Any, name: str | None = None, group_id: str | None = None) -> None:
    sg_id = group_id
    if not sg_id and name:
        group = self.get_security_group_by_name_or_id(name)
        sg_id = group.id if group else None
    if sg_id and self.get_security_group_from_id(sg_id) is not None:
        if groups_referencing_security_group(self.account_id, self.region_name, sg_id):
            raise DependencyViolationError(f"resource {sg_id} has a dependent object")
    return _orig_delete(self, name=name, group_id=group_id)


def install() -> None:
    SecurityGroupBackend.delete_security_group = _delete_security_group  # type: ignore[method-assign]
