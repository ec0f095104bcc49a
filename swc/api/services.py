"""API keys: made, found by their secret, revoked."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.errors import ConflictError, ServiceError
from swc.organisations.models import Organisation, Role, User
from swc.organisations.policy import ROLE_ORGANISATION_KINDS, require

from .idempotency import idempotency_records_purge
from .models import ApiKey

KEY_PREFIX = "swc_"
# Writing last_used_at on every call would make every read a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# An administrator manages people, not data: no system needs to act as one.
ROLES_WITHOUT_KEYS = {Role.ADMIN}


@dataclass(frozen=True)
class IssuedKey:
    """A new key and its secret, which exists only here: show it once, then forget it."""

    api_key: ApiKey
    secret: str


def api_key_digest(secret: str) -> str:
    """SHA-256 of the whole key: keys are 256-bit random, so a slow hash adds nothing."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_key_roles_for(organisation: Organisation) -> list[str]:
    """The roles a key of ``organisation`` may act in (those its kind may hold)."""
    return [
        role
        for role in Role.values
        if role not in ROLES_WITHOUT_KEYS
        and organisation.kind in ROLE_ORGANISATION_KINDS.get(role, set())
    ]


def api_key_create(
    *, organisation: Organisation, role: str, name: str, by: Any | None
) -> IssuedKey:
    """Make a key for ``organisation`` acting as ``role``; return its secret once.

    ``by`` is the person making it (their admin or the unit manager); ``None``
    means the command line, which is trusted as the operator of the service.
    """
    name = (name or "").strip()
    if by is not None:
        require(by, "api_key.manage", ApiKey(organisation=organisation))
    if not name:
        raise ServiceError(
            "Enter a name for the key, such as the system that will use it", field="name"
        )
    if len(name) > 100:
        raise ServiceError("The name must be 100 characters or fewer", field="name")
    if role not in api_key_roles_for(organisation):
        raise ServiceError(
            f"A key of {organisation.name} cannot act as {Role(role).label.lower()}"
            if role in Role.values
            else "Choose a role the key acts in",
            field="role",
        )
    if not organisation.is_active:
        raise ServiceError("The organisation is not active", field="organisation")
    prefix = KEY_PREFIX + secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        account = User.objects.create_user(
            email=f"{prefix}@api-keys.invalid",
            password=None,
            full_name=f"API key {name} ({organisation.name})"[:200],
        )
        api_key = ApiKey.objects.create(
            user=account,
            organisation=organisation,
            role=role,
            name=name,
            prefix=prefix,
            secret_digest=api_key_digest(secret),
            created_at=clock.now(),
            created_by=by,
        )
        audit_record(
            actor=by if by is not None else "command line",
            action=AuditAction.CREATE,
            obj=api_key,
            detail={"role": role, "organisation_id": organisation.pk},
        )
    return IssuedKey(api_key=api_key, secret=secret)


def api_key_revoke(*, api_key: ApiKey, by: Any) -> ApiKey:
    """Stop ``api_key`` working at once. Revoking is final: make a new key instead."""
    require(by, "api_key.manage", api_key)
    with transaction.atomic():
        now = clock.now()
        changed = ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if not changed:
            raise ConflictError("This key has already been revoked")
        User.objects.filter(pk=api_key.user_id).update(is_active=False, deactivated_at=now)
        audit_record(actor=by, action=AuditAction.CHANGE, obj=api_key, detail={"revoked": True})
    api_key.refresh_from_db()
    return api_key


def api_key_authenticate(secret: str) -> ApiKey | None:
    """The active key whose secret this is, or None; notes when it was last used."""
    prefix, dot, _ = secret.partition(".")
    if not dot or not prefix.startswith(KEY_PREFIX):
        return None
    api_key = (
        ApiKey.objects.select_related("organisation", "user")
        .filter(
            prefix=prefix,
            revoked_at__isnull=True,
            organisation__is_active=True,
            user__is_active=True,
        )
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.secret_digest, api_key_digest(secret)):
        return None
    now = clock.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def api_due_publish(now: dt.datetime) -> dict[str, int]:
    """Scheduled: forget idempotency records older than a day (they only guard retries)."""
    return {"api.idempotency_purged": idempotency_records_purge(now=now)}
