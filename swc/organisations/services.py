"""Changes to organisations, people and memberships, and the local authority import."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
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
from swc.core.errors import ConflictError, ServiceError
from swc.core.phones import phone_normalise
from swc.core.transactions import entry_point

from .models import (
    ApiKey,
    Invitation,
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    TimedOutSubmission,
    User,
)
from .policy import ROLE_ORGANISATION_KINDS, principal_for, require
from .selectors import Account

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
    try:
        phone = phone_normalise(phone)
    except ValidationError as error:
        raise ServiceError(error.messages[0], field="phone") from None
    if password is not None:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise ServiceError(" ".join(exc.messages), field="password") from None
    # The password is hashed (a good part of a second) before the transaction, which on
    # SQLite holds the write lock from its first statement. Durable, as an entry point's is.
    user = User.objects.build_user(email, password, full_name=full_name, phone=phone)
    with transaction.atomic(durable=True):
        user.save()
        for role in roles:
            Membership.objects.create(
                user=user, organisation=organisation, role=role, created_by=created_by
            )
        audit_record(actor=created_by, action=AuditAction.CREATE, obj=user)
    return user


@entry_point
def user_deactivate(*, user: User, by: User) -> None:
    """Deactivate an account; every session it holds ends on its next request."""
    from swc.core import clock

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


# --- accounts run by each organisation (docs/accounts.md) -----------------------

INVITATION_DAYS_DEFAULT = 7


def _token_digest(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


def _other_active_admins(account_user_id: int, organisation_id: int) -> Any:
    """A subquery: some other active administrator of the organisation exists."""
    from django.db.models import Exists

    return Exists(
        Membership.objects.filter(
            organisation_id=organisation_id, role=Role.ADMIN, user__is_active=True
        ).exclude(user_id=account_user_id)
    )


def _manage_check(by: User, action: str, account: Account) -> None:
    """The policy for ``action`` on ``account``, then: nobody acts on a role above their own."""
    from .roles import rank_of

    require(by, action, account)
    if rank_of(account.roles) > rank_of(principal_for(by).roles):
        raise ServiceError("You cannot change the account of someone with a role above your own")


def _invitation_create(*, user: User, by: User, organisation: Organisation, now: Any) -> None:
    import datetime as dt
    import secrets

    from django.conf import settings

    from swc.core.events import DomainEvent, EventKind, event_publish

    days = getattr(settings, "SWC_INVITATION_DAYS", INVITATION_DAYS_DEFAULT)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_digest=_token_digest(token),
        created_at=now,
        created_by=by,
        expires_at=now + dt.timedelta(days=days),
    )
    # The secret travels only in the event, to the outbox row of the one email that carries it.
    event_publish(
        DomainEvent(
            kind=EventKind.ACCOUNT_INVITED,
            key=f"account:{user.pk}:invitation:{invitation.pk}",
            occurred_at=now,
            actor_id=by.pk,
            detail={
                "account_id": user.pk,
                "invitation_token": token,
                "expires": f"{invitation.expires_at.astimezone(clock.LONDON):%-d %B %Y}",
            },
        )
    )


@entry_point
def account_invite(
    *, by: User, organisation: Organisation, email: str, full_name: str, roles: list[str]
) -> User:
    """Create an account in ``organisation`` and email its holder a one-time link.

    The account has no password until the link is used; the roles must fit the
    organisation and be no higher than the inviter's own.
    """
    from django.db import IntegrityError

    from .roles import roles_refused

    require(by, "account.invite", organisation)
    refused = roles_refused(
        giver_roles=principal_for(by).roles, kind=organisation.kind, roles=roles
    )
    if refused:
        raise ServiceError(refused, field="roles")
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError("There is already an account with that email address", field="email")
    now = clock.now()
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            for role in roles:
                Membership.objects.create(
                    user=user, organisation=organisation, role=role, created_by=by
                )
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                obj=user,
                detail={"invited": True, "roles": sorted(roles)},
            )
            _invitation_create(user=user, by=by, organisation=organisation, now=now)
    except IntegrityError:
        # Two invitations for the same address at once: the unique email decided.
        raise ServiceError(
            "There is already an account with that email address", field="email"
        ) from None
    return user


@entry_point
def account_invite_again(*, by: User, account: Account) -> None:
    """A new link for someone who has not yet set a password (the earlier ones stop working)."""
    _manage_check(by, "account.invite", account)
    if account.user.has_usable_password():
        raise ServiceError("This person has already accepted their invitation")
    now = clock.now()
    Invitation.objects.filter(user=account.user, accepted_at__isnull=True).update(expires_at=now)
    audit_record(actor=by, action=AuditAction.CHANGE, obj=account.user, detail={"invited": True})
    _invitation_create(user=account.user, by=by, organisation=account.organisation, now=now)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation this link's secret belongs to, whether or not it can still be used."""
    return (
        Invitation.objects.select_related("user").filter(token_digest=_token_digest(token)).first()
    )


def invitation_accept(*, token: str, password: str) -> User:
    """Use a one-time link: set the account's password. Works once, before it expires."""
    invitation = invitation_for_token(token)
    now = clock.now()
    if invitation is None:
        raise ServiceError(INVITATION_UNKNOWN)
    if invitation.accepted_at is not None:
        raise ServiceError(INVITATION_USED)
    if invitation.expires_at <= now or not invitation.user.is_active:
        raise ServiceError(INVITATION_EXPIRED)
    try:
        validate_password(password, invitation.user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="password") from None
    user = invitation.user
    # Hashing takes a good part of a second: done before the transaction, which on SQLite
    # holds the write lock from its first statement. Durable, as an entry point's is.
    user.set_password(password)
    with transaction.atomic(durable=True):
        # Exactly once, even if the link is opened twice at the same moment.
        taken = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if taken != 1:
            raise ServiceError(INVITATION_USED)
        user.save(update_fields=["password"])
        audit_record(
            actor=user, action=AuditAction.CHANGE, obj=user, detail={"invitation": "accepted"}
        )
    return user


INVITATION_UNKNOWN = (
    "This invitation link is not recognised. Check you copied the whole link from the email"
)
INVITATION_USED = (
    "This invitation link has already been used. Sign in with your email address and password"
)
INVITATION_EXPIRED = (
    "This invitation link has expired. Ask your organisation's administrator to send a new one"
)


@entry_point
def account_roles_set(*, by: User, account: Account, roles: list[str]) -> None:
    """Give ``account`` exactly ``roles`` in its organisation; its last administrator stays one."""
    from .roles import roles_refused

    _manage_check(by, "account.change_role", account)
    refused = roles_refused(
        giver_roles=principal_for(by).roles, kind=account.organisation.kind, roles=roles
    )
    if refused:
        raise ServiceError(refused, field="roles")
    organisation = account.organisation
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Role.ADMIN in account.roles and Role.ADMIN not in roles:
        removed, _ = (
            Membership.objects.filter(user=account.user, organisation=organisation, role=Role.ADMIN)
            .filter(_other_active_admins(account.user.pk, organisation.pk))
            .delete()
        )
        if not removed:
            raise ServiceError(LAST_ADMIN, field="roles")
    Membership.objects.filter(user=account.user, organisation=organisation).exclude(
        role__in=roles
    ).delete()
    for role in roles:
        Membership.objects.get_or_create(
            user=account.user, organisation=organisation, role=role, defaults={"created_by": by}
        )
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=account.user,
        detail={"roles": sorted(roles), "previous_roles": sorted(account.roles)},
    )


LAST_ADMIN = (
    "This is the organisation's only administrator. Make someone else an administrator first"
)


@entry_point
def account_disable(*, by: User, account: Account) -> None:
    """Disable an account: its sessions and API keys stop on their next request.

    Sessions stop because the authentication backend refuses an inactive
    account when it loads the session; API keys because they are accepted only
    for an active account (swc.api.services.api_key_authenticate).
    """
    _manage_check(by, "account.disable", account)
    if account.user.pk == by.pk:
        raise ServiceError("You cannot disable your own account")
    organisation = account.organisation
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    accounts = User.objects.filter(pk=account.user.pk, is_active=True)
    if Role.ADMIN in account.roles:
        accounts = accounts.filter(_other_active_admins(account.user.pk, organisation.pk))
    if accounts.update(is_active=False, deactivated_at=clock.now()) != 1:
        if Role.ADMIN in account.roles and account.user.is_active:
            raise ServiceError(LAST_ADMIN)
        raise ServiceError("This account is already disabled")
    audit_record(actor=by, action=AuditAction.CHANGE, obj=account.user, detail={"disabled": True})


@entry_point
def account_enable(*, by: User, account: Account) -> None:
    """Let a disabled person sign in again (their roles are as they were)."""
    _manage_check(by, "account.enable", account)
    if (
        User.objects.filter(pk=account.user.pk, is_active=False).update(
            is_active=True, deactivated_at=None, enabled_at=clock.now()
        )
        != 1
    ):
        raise ServiceError("This account is already enabled")
    audit_record(actor=by, action=AuditAction.CHANGE, obj=account.user, detail={"enabled": True})


@entry_point
def account_two_factor_reset(
    *, by: User, account: Account, reason: str, identity_checked: bool
) -> None:
    """Remove the account's authenticator app: at their next sign-in they set up a new one.

    Only after checking who is asking (recorded, with the reason); their
    sessions need the second step again at once.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _manage_check(by, "account.reset_two_factor", account)
    if not identity_checked:
        raise ServiceError(
            "Confirm that you have checked the person's identity", field="identity_checked"
        )
    reason = reason.strip()
    if not reason:
        raise ServiceError("Enter why the authenticator app is being reset", field="reason")
    TOTPDevice.objects.filter(user=account.user).delete()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=account.user,
        detail={"two_factor_reset": True, "identity_checked": True, "reason": reason[:500]},
    )


@dataclass
class AccountsDueReport:
    warned: int = 0
    disabled: int = 0
    timed_out_forms_removed: int = 0


def accounts_due_publish(now: Any) -> AccountsDueReport:
    """Leavers: warn an account unused for (limit - 7) days, disable it at the limit.

    "Unused" counts from the last sign-in, or from joining for someone who has
    never signed in. The warning is sent once per period of disuse (its key
    names the last sign-in); disabling is a conditional UPDATE, audited.
    Also forgets timed-out forms older than the session limit.
    """
    import datetime as dt

    from django.conf import settings
    from django.db.models.functions import Coalesce, Greatest

    from swc.core.events import DomainEvent, EventKind, event_publish

    days = int(getattr(settings, "SWC_ACCOUNT_UNUSED_DAYS", 90))
    report = AccountsDueReport()
    if days <= 0:
        return report
    limit = dt.timedelta(days=days)
    warn_before = dt.timedelta(days=7)
    # Used last: signed in, joined, or enabled again by an administrator (whichever is latest).
    active = User.objects.filter(is_active=True).annotate(
        last_used=Greatest(
            Coalesce("last_login", "date_joined"),
            Coalesce("enabled_at", "last_login", "date_joined"),
        )
    )
    for pk in active.filter(last_used__lte=now - limit).values_list("pk", flat=True):
        with transaction.atomic():
            # Still unused at the moment of the UPDATE: a sign-in in between keeps the account.
            changed = active.filter(pk=pk, last_used__lte=now - limit).update(
                is_active=False, deactivated_at=now
            )
            if changed:
                audit_record(
                    actor=None,
                    action=AuditAction.CHANGE,
                    object_type="organisations.user",
                    object_id=pk,
                    detail={"disabled": True, "unused_days": days},
                )
                report.disabled += 1
    due = active.filter(last_used__lte=now - limit + warn_before, last_used__gt=now - limit)
    for pk, last_used in due.values_list("pk", "last_used"):
        with transaction.atomic():
            event_publish(
                DomainEvent(
                    kind=EventKind.ACCOUNT_INACTIVE_WARNING,
                    key=f"account:{pk}:unused:{last_used.isoformat()}",
                    occurred_at=now,
                    detail={
                        "account_id": pk,
                        "disable_on": f"{(last_used + limit).astimezone(clock.LONDON):%-d %B %Y}",
                    },
                )
            )
        report.warned += 1
    seconds = getattr(settings, "SWC_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
    report.timed_out_forms_removed, _ = TimedOutSubmission.objects.filter(
        created_at__lt=now - dt.timedelta(seconds=seconds)
    ).delete()
    return report


# --- forms sent after a time-out (docs/accounts.md, "Nothing lost to a time-out") -----

TIMED_OUT_FIELDS_IGNORED = {"csrfmiddlewaretoken", "swc_timed_out", "swc_kept"}


@entry_point
def timed_out_submission_keep(*, user_id: int, path: str, fields: dict[str, list[str]]) -> None:
    """Keep a form that arrived after its session ended, for that session's own account.

    One per account and address: a second time-out on the same page replaces it.
    """
    kept = {k: v for k, v in fields.items() if k not in TIMED_OUT_FIELDS_IGNORED}
    TimedOutSubmission.objects.filter(user_id=user_id, path=path).delete()
    TimedOutSubmission.objects.create(
        user_id=user_id, path=path[:500], fields=kept, created_at=clock.now()
    )


@entry_point
def timed_out_submission_discard(*, user: User, pk: int) -> None:
    TimedOutSubmission.objects.filter(user=user, pk=pk).delete()


# --- API keys: an organisation's systems, acting in one role ------------------------------

KEY_PREFIX = "swc_"
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


@entry_point
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


@entry_point
def api_key_revoke(*, api_key: ApiKey, by: Any) -> ApiKey:
    """Stop ``api_key`` working at once. Revoking is final: make a new key instead."""
    require(by, "api_key.manage", api_key)
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
