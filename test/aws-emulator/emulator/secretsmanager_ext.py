"""Secrets Manager extension: GetSecretValue without a version follows the AWSCURRENT staging
label after UpdateSecretVersionStage moves it.

AWS API reference: Secrets Manager GetSecretValue ("If you don't specify either a VersionStage or
VersionId, then Secrets Manager returns the AWSCURRENT version") and UpdateSecretVersionStage
(moving AWSCURRENT to MoveToVersionId). moto 5.2.1 moves the label but keeps answering the version
it last wrote as current (its `default_version_id`).
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import BaseResponse
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
    install_deletion()


# ---------------------------------------------------------------------------
# B6 / S2: asynchronous deletion, as Secrets Manager does it.
#
# DeleteSecret (API reference): "Secrets Manager performs the actual deletion with an asynchronous
# background process, so there might be a short delay before the secret is permanently deleted. If
# you delete a secret and then immediately create a secret with the same name, use appropriate back
# off and retry logic." A secret with a recovery window (7..30 days, default 30) stays until the
# window ends; RestoreSecret cancels the deletion. ForceDeleteWithoutRecovery: "you have no
# opportunity to recover the secret". moto 5.2.1 removes a force-deleted secret at once.

import time  # noqa: E402

from moto.secretsmanager.exceptions import InvalidRequestException  # noqa: E402
from moto.secretsmanager.responses import SecretsManagerResponse  # noqa: E402

from .state import LOCK, STATE  # noqa: E402

_orig_delete = SecretsManagerBackend.delete_secret
_orig_restore = SecretsManagerBackend.restore_secret
_orig_create = SecretsManagerBackend.create_secret
_orig_get_value = SecretsManagerBackend.get_secret_value

MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion."
NAME_SCHEDULED = "You can't create this secret because a secret with this name is already scheduled for deletion."


def purge(backend: Any) -> None:
    """Finish the deletions whose time has come."""
    now = time.monotonic()
    for name, secret in list(backend.secrets.items()):
        at = getattr(secret, "_emu_purge_at", None)
        if at is not None and secret.is_deleted() and now >= at:
            backend.secrets.pop(name)


def _delete_secret(self: Any, secret_id: str, recovery_window_in_days: int | None,
                   force_delete_without_recovery: bool) -> tuple[str, str, float]:
    purge(self)
    exists = self._is_valid_identifier(secret_id)
    if not (force_delete_without_recovery and exists):
        arn, name, date = _orig_delete(self, secret_id, recovery_window_in_days, force_delete_without_recovery)
        if exists and not force_delete_without_recovery:
            secret = self.secrets[secret_id]
            secret._emu_purge_at = time.monotonic() + 86400.0 * (recovery_window_in_days or 30)
            secret._emu_forced = False
        return arn, name, date
    secret = self.secrets[secret_id]
    # validations moto does before popping (replicas, parameter combination)
    if recovery_window_in_days:
        return _orig_delete(self, secret_id, recovery_window_in_days, force_delete_without_recovery)
    from moto.secretsmanager.models import ReplicaSecret

    if isinstance(secret, ReplicaSecret) or len(getattr(secret, "replicas", []) or []) > 0:
        return _orig_delete(self, secret_id, recovery_window_in_days, force_delete_without_recovery)
    now = self._unix_time_secs(__import__("moto.core.utils", fromlist=["utcnow"]).utcnow())
    secret.delete(now)
    secret._emu_purge_at = time.monotonic() + float(STATE.get("secretDeletionSeconds") or 0)
    secret._emu_forced = True
    return secret.arn, secret.name, now


def _restore_secret(self: Any, secret_id: str) -> tuple[str, str]:
    purge(self)
    if self._is_valid_identifier(secret_id):
        secret = self.secrets[secret_id]
        if getattr(secret, "_emu_forced", False) and secret.is_deleted():
            raise InvalidRequestException(
                "You can't restore this secret because it was deleted with ForceDeleteWithoutRecovery.")
        result = _orig_restore(self, secret_id)
        secret._emu_purge_at = None
        return result
    return _orig_restore(self, secret_id)


def _create_secret(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    purge(self)
    if name in self.secrets.keys():
        existing = self.secrets[name]
        if getattr(existing, "is_deleted", lambda: False)():
            raise InvalidRequestException(NAME_SCHEDULED)
    return _orig_create(self, name, *args, **kwargs)


def _get_secret_value(self: Any, secret_id: str, *args: Any, **kwargs: Any) -> Any:
    purge(self)
    if self._is_valid_identifier(secret_id) and self.secrets[secret_id].is_deleted():
        raise InvalidRequestException(MARKED_FOR_DELETION)
    return _orig_get_value(self, secret_id, *args, **kwargs)


def _call_action(self: SecretsManagerResponse) -> Any:
    with LOCK:
        try:
            purge(self.backend)
        except Exception:  # pragma: no cover - the backend property needs a parsed request
            pass
        return BaseResponse.call_action(self)


def install_deletion() -> None:
    SecretsManagerBackend.delete_secret = _delete_secret  # type: ignore[method-assign]
    SecretsManagerBackend.restore_secret = _restore_secret  # type: ignore[method-assign]
    SecretsManagerBackend.create_secret = _create_secret  # type: ignore[method-assign]
    SecretsManagerBackend.get_secret_value = _get_secret_value  # type: ignore[method-assign]
    SecretsManagerResponse.call_action = _call_action  # type: ignore[method-assign]
