"""Secrets Manager extension: GetSecretValue without a version follows the AWSCURRENT staging
label after UpdateSecretVersionStage moves it.

AWS API reference: Secrets Manager GetSecretValue ("If you don't specify either a VersionStage or
VersionId, then Secrets Manager returns the AWSCURRENT version") and UpdateSecretVersionStage
(moving AWSCURRENT to MoveToVersionId). moto 5.2.1 moves the label but keeps answering the version
it last wrote as current (its `default_version_id`).
"""

from __future__ import annotations

from typing import Any

from moto.secretsmanager.models import SecretsManagerBackend

_orig_update_stage = SecretsManagerBackend.update_secret_version_stage


def _update_secret_version_stage(self: Any, secret_id: str, version_stage: str, remove_from_version_id: str,
                                 move_to_version_id: str) -> tuple[str, str]:
    result = _orig_update_stage(self, secret_id, version_stage, remove_from_version_id, move_to_version_id)
    if version_stage == "AWSCURRENT" and move_to_version_id:
        secret = self.secrets[secret_id]
        secret.default_version_id = move_to_version_id
        version = secret.versions[move_to_version_id]
        if "secret_string" in version:
            secret.secret_string = version["secret_string"]
    return result


def install() -> None:
    SecretsManagerBackend.update_secret_version_stage = _update_secret_version_stage  # type: ignore[method-assign]
