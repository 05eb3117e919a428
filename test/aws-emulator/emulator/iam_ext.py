"""IAM access control as AWS names its actions (row C6 of EXTENSIONS.md).

moto checks a request against the caller's IAM policies when IAM access control is on
(INITIAL_NO_AUTH_ACTION_COUNT, or POST /moto-api/reset-auth), naming the action
`<SigV4 service>:<Action>`. For CloudWatch the SigV4 service (endpoint prefix) is `monitoring`,
but IAM's action prefix is `cloudwatch` (IAM Service Authorization Reference, "Actions, resources,
and condition keys for Amazon CloudWatch": service prefix `cloudwatch`), so moto would refuse
`cloudwatch:PutMetricAlarm` granted by a policy. Every other service the operator calls has the
same SigV4 name and IAM prefix (ec2, elasticache, secretsmanager, logs, iam, sts).
"""

from __future__ import annotations

from typing import Any

from moto.iam.access_control import IAMRequestBase

IAM_PREFIX = {"monitoring": "cloudwatch"}

_orig_init = IAMRequestBase.__init__


def _init(self: IAMRequestBase, *args: Any, **kwargs: Any) -> None:
    _orig_init(self, *args, **kwargs)
    service, _, action = self._action.partition(":")
    if service in IAM_PREFIX:
        self._action = f"{IAM_PREFIX[service]}:{action}"


def install() -> None:
    IAMRequestBase.__init__ = _init  # type: ignore[method-assign]
