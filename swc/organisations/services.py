"""Changes to organisations, people and memberships, and the local authority import."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core.csv_import import (
    Column,
    ImportRejected,
    ImportReport,
    RowProblem,
    csv_rows_read,
    fields_apply,
    parse_choice,
    parse_float,
    parse_int,
    parse_pattern,
)
from swc.core.errors import ServiceError

from .models import LocalAuthority, Membership, Organisation, OrganisationKind, Region, User
from .policy import ROLE_ORGANISATION_KINDS

LOCAL_AUTHORITY_COLUMNS = [
    Column("dfe_la_code", parse_pattern(r"\d{3}", "a three-digit DfE LA code")),
    Column("gss_code", parse_pattern(r"E0[6-9]\d{6}|E10\d{6}", "an English GSS code")),
    Column("name"),
    Column("official_name"),
    Column("region", parse_choice(Region.values, "an English region")),
    Column("la_type"),
    # England lies within these bounds (shared/data/README.md).
    Column("latitude", parse_float(49.8, 55.9)),
    Column("longitude", parse_float(-6.5, 1.8)),
    Column("population", parse_int(0)),
]


def local_authorities_import(path: Path | str) -> ImportReport:
    """Create or update local authorities (and their organisations) from the reference CSV.

    Idempotent: a second run reports every row unchanged. A file with any
    problem is rejected whole, with line numbers, and nothing is written.
    """
    rows = csv_rows_read(path, LOCAL_AUTHORITY_COLUMNS, unique=("dfe_la_code", "gss_code", "name"))
    report = ImportReport()
    with transaction.atomic():
        existing = {
            la.dfe_la_code: la for la in LocalAuthority.objects.select_related("organisation")
        }
        for _line, row in rows:
            la = existing.get(row["dfe_la_code"])
            if la is None:
                organisation, _ = Organisation.objects.get_or_create(
                    kind=OrganisationKind.LOCAL_AUTHORITY, name=row["name"]
                )
                LocalAuthority.objects.create(organisation=organisation, **row)
                report.created += 1
                continue
            if fields_apply(la, row):
                la.save()
                if la.organisation.name != row["name"]:
                    la.organisation.name = row["name"]
                    la.organisation.save(update_fields=["name", "modified_at"])
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def organisation_create(*, kind: str, name: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(kind=kind, name=name)
    return organisation


def user_create(
    *,
    email: str,
    full_name: str,
    organisation: Organisation,
    roles: list[str],
    password: str | None,
    created_by: User | None = None,
    phone: str = "",
) -> User:
    """Create a person with roles in one organisation.

    Roles must fit the organisation's kind (a referrer belongs to a local
    authority, a home manager to a secure home…); the password must pass the
    NCSC-style validators.
    """
    problems = [
        role for role in roles if organisation.kind not in ROLE_ORGANISATION_KINDS.get(role, set())
    ]
    if problems:
        raise ServiceError(
            f"{', '.join(problems)} cannot belong to a {organisation.get_kind_display()}",
            field="roles",
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError("An account with that email address already exists", field="email")
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password") from None
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, phone=phone
        )
        for role in roles:
            Membership.objects.create(
                user=user, organisation=organisation, role=role, created_by=created_by
            )
        audit_record(actor=created_by, action=AuditAction.CREATE, obj=user)
    return user


def user_deactivate(*, user: User, by: User) -> None:
    """Deactivate an account; every session it holds ends on its next request."""
    from swc.core import clock

    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False, deactivated_at=clock.now())
        audit_record(actor=by, action=AuditAction.CHANGE, obj=user, detail={"deactivated": True})


__all__ = [
    "ImportRejected",
    "RowProblem",
    "local_authorities_import",
    "organisation_create",
    "user_create",
    "user_deactivate",
]


SIGN_IN_ATTEMPTS_PER_MINUTE = 6


def _account_digest(email: str) -> str:
    import hashlib
    import hmac

    from django.conf import settings

    return hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()


def sign_in_attempt_allow(email: str) -> bool:
    """Record an attempt to sign in to ``email``; False when it is over 6 in the last minute.

    Counted in the database, so the limit holds across every web worker.
    Successful and failed attempts both count (ASVS V2.2.1).
    """
    import datetime as dt

    from swc.core import clock

    from .models import SignInAttempt

    now = clock.now()
    digest = _account_digest(email)
    with transaction.atomic():
        SignInAttempt.objects.filter(at__lt=now - dt.timedelta(hours=1)).delete()
        recent = SignInAttempt.objects.filter(
            account_digest=digest, at__gte=now - dt.timedelta(minutes=1)
        ).count()
        if recent >= SIGN_IN_ATTEMPTS_PER_MINUTE:
            return False
        SignInAttempt.objects.create(account_digest=digest, at=now)
    return True
