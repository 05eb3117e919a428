"""KMS extension (K1): CreateKey without KeyUsage makes an ENCRYPT_DECRYPT key, as AWS does.

AWS API reference, KMS CreateKey, KeyUsage: "This parameter is optional when you are creating a
symmetric encryption KMS key; otherwise, it is required. ... Default: ENCRYPT_DECRYPT". moto 5.2.1
keeps the missing value, so DescribeKey answers a key without KeyUsage.
"""

from __future__ import annotations

from typing import Any

from moto.kms.models import KmsBackend

_orig_create_key = KmsBackend.create_key


def _create_key(self: Any, policy: Any, key_usage: Any, key_spec: Any, description: Any, tags: Any,
                multi_region: bool = False, origin: str = "AWS_KMS") -> Any:
    return _orig_create_key(self, policy, key_usage or "ENCRYPT_DECRYPT", key_spec, description, tags,
                            multi_region, origin)


def install() -> None:
    KmsBackend.create_key = _create_key  # type: ignore[method-assign]
