"""Makes an action moto does not implement recognisable on the wire.

moto raises NotImplementedError for an action its response class lacks, which
its Flask app turns into an HTML 500 page; SDKs retry that and then fail with
an unparseable body. Here it becomes a marked 501 that the middleware renders
as an AWS-shaped `NotImplemented` error naming the service and action.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import BaseResponse

_orig_call_action = BaseResponse.call_action


def _call_action(self: BaseResponse) -> Any:
    try:
        return _orig_call_action(self)
    except NotImplementedError as e:
        return 501, {"x-emulator-not-implemented": "1", "Content-Type": "text/plain"}, str(e)


def install() -> None:
    BaseResponse.call_action = _call_action  # type: ignore[method-assign]
