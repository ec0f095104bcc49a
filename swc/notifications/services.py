"""The outbox: write notifications with the change that causes them, deliver them once.

Writing. ``notifications_write_for_event`` is subscribed to domain events, so
it runs inside the transaction of the service that changed state: the rows
commit or roll back with the change. One row per (event key, recipient,
channel); the unique constraint turns a repeated event into no new row.

Delivering. After commit a task is enqueued per row. ``notification_deliver``
claims the row with a conditional UPDATE (pending → sending, with a lease), so
of two workers only one sends. Success marks it sent with the provider's
reference; a transient failure puts it back to pending with an exponential
back-off; a permanent failure, or too many attempts, marks it failed and tells
the unit managers. A worker that dies leaves a ``sending`` row whose lease
expires; the sweeper hands it to another worker, which first asks the
provider whether the message was accepted under its stable reference.

Residual risk, documented in docs/notifications.md: if the provider accepted
a message but cannot yet report it when asked, a reclaimed row may be sent
twice. GOV.UK Notify lists a notification as soon as it accepts it, so the
window is the lease (5 minutes) plus Notify's own consistency delay.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.calendar import is_on_call_time
from swc.core.errors import ServiceError
from swc.core.events import DomainEvent, EventKind
from swc.core.transactions import entry_point
from swc.organisations.models import Membership, Organisation, OrganisationKind, Role, User
from swc.reporting.selectors import signatory_memberships

from .backends import (
    PermanentDeliveryError,
    TransientDeliveryError,
    backend_get,
    notification_outgoing,
)
from .messages import MESSAGES, Audience, Message
from .models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationStatus,
    OnCallPeriod,
    SchedulerHeartbeat,
)
from .selectors import on_call_officer_at, unit_officers

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# The default lease; a deployment (or a fault test) sets SWC_NOTIFICATION_LEASE_SECONDS.
LEASE = dt.timedelta(minutes=5)
# Urgent messages go by text as well as email to whoever has a phone, whatever they chose.
URGENT_AUDIENCES = {Audience.ON_CALL}


def lease() -> dt.timedelta:
    """How long a worker's claim lasts before another may take the message over."""
    return dt.timedelta(
        seconds=getattr(settings, "SWC_NOTIFICATION_LEASE_SECONDS", LEASE.total_seconds())
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """Back-off after ``attempts`` failed sends: 1, 2, 4 … minutes, at most an hour.

    A minute is ``SWC_NOTIFICATION_RETRY_SECONDS`` (60): fault tests shorten it.
    """
    unit = getattr(settings, "SWC_NOTIFICATION_RETRY_SECONDS", 60)
    return dt.timedelta(seconds=unit * min(2 ** max(attempts - 1, 0), 60))


# --- who receives what ----------------------------------------------------------


def _members(**filters: Any) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation__is_active=True, **filters
        ).distinct()
    )


def recipients_for(event: DomainEvent, audience: str) -> list[tuple[User, int | None]]:
    """The people in ``audience`` for ``event``, each with the organisation they are there for."""
    if audience == Audience.UNIT:
        return [(u, None) for u in unit_officers()]
    if audience == Audience.UNIT_MANAGERS:
        return [
            (u, None)
            for u in _members(
                memberships__role=Role.UNIT_MANAGER,
                memberships__organisation__kind=OrganisationKind.UNIT,
            )
        ]
    if audience == Audience.ON_CALL:
        if not is_on_call_time(event.occurred_at):
            return []
        officer = on_call_officer_at(event.occurred_at)
        if officer is not None:
            return [(officer, None)]
        # A gap in the rota must not mean nobody hears: the unit managers stand in.
        logger.warning("Nobody on the on-call rota at %s", event.occurred_at.isoformat())
        return recipients_for(event, Audience.UNIT_MANAGERS)
    if audience == Audience.HOMES:
        # One query for every home involved, however many there are.
        memberships = (
            Membership.objects.filter(
                role=Role.HOME_MANAGER,
                organisation_id__in=event.home_organisation_ids,
                organisation__is_active=True,
                user__is_active=True,
            )
            .select_related("user")
            .order_by("organisation_id", "user_id")
        )
        return [(m.user, m.organisation_id) for m in memberships]
    if audience == Audience.AUTHORITY:
        if event.local_authority_organisation_id is None:
            return []
        return [
            (u, event.local_authority_organisation_id)
            for u in _members(
                memberships__role=Role.REFERRER,
                memberships__organisation_id=event.local_authority_organisation_id,
            )
        ]
    if audience == Audience.SIGNATORIES:
        return [
            (m.user, m.organisation_id)
            for m in signatory_memberships(
                [
                    i
                    for i in (event.local_authority_organisation_id, *event.home_organisation_ids)
                    if i is not None
                ]
            )
        ]
    if audience == Audience.ACCOUNT_HOLDER:
        return [
            (u, None)
            for u in User.objects.filter(
                pk=int(event.detail.get("account_id") or 0), is_active=True
            )
        ]
    raise ValueError(f"unknown audience {audience!r}")


def channels_for(
    user: User, preference: NotificationPreference | None, message: str, *, urgent: bool
) -> list[str]:
    """The channels to reach ``user`` for ``message``, from their preferences."""
    preference = preference or NotificationPreference(user=user)
    spec = MESSAGES[message]
    if spec.optional and message in (preference.muted_messages or []) and not urgent:
        return []
    channels: list[str] = []
    if preference.email_enabled and user.email:
        channels.append(Channel.EMAIL)
    if user.phone and (preference.sms_enabled or urgent):
        channels.append(Channel.SMS)
    if not channels:
        # Nobody may switch off the service's messages altogether: fall back to email.
        channels.append(Channel.EMAIL)
    return channels


# --- what the message says ------------------------------------------------------


def _absolute(path: str) -> str:
    return getattr(settings, "SWC_BASE_URL", "http://localhost:8000").rstrip("/") + path


def _link(name: str, *args: Any) -> str:
    try:
        return _absolute(reverse(name, args=args))
    except NoReverseMatch:
        return _absolute("/")


def referral_reference(referral_id: int) -> str:
    # The same format as Referral.reference, without loading the referral (and its child).
    return f"R{referral_id:06d}"


def _personalisation(
    event: DomainEvent, message: str, names: dict[int, str], organisation_id: int | None
) -> dict[str, str]:
    values: dict[str, str] = {}
    if event.referral_id is not None:
        values["reference"] = referral_reference(event.referral_id)
        values["link"] = _link("referrals:detail", event.referral_id)
    else:
        values["link"] = _absolute("/")
    if event.local_authority_organisation_id:
        values["authority"] = names.get(event.local_authority_organisation_id, "")
    home_ids = list(event.home_organisation_ids)
    if organisation_id in home_ids:
        values["home"] = names.get(organisation_id, "")
    elif home_ids:
        values["home"] = ", ".join(names.get(i, "") for i in home_ids)
    if message in (Message.REGISTER_NOT_CONFIRMED, Message.REGISTER_NOT_CONFIRMED_UNIT):
        values["link"] = _link("register:own" if organisation_id else "register:declarations")
    if message == Message.SURVEY_INVITED and event.referral_id is not None:
        values["link"] = _link("reporting:survey", event.referral_id)
    if message == Message.SIGN_UP_REMINDER:
        values["organisation"] = names.get(organisation_id or 0, "")
        values["link"] = _link("reporting:terms")
    if message in QUESTION_MESSAGES and event.referral_id is not None:
        values["link"] = _link("questions:thread", event.referral_id)
        values["asker"] = values.get("home") or "The Secure Welfare Coordination Unit"
    if message == Message.ACCOUNT_INVITED:
        values["link"] = _link("account:invitation", event.detail.get("invitation_token", ""))
    if message == Message.HOME_RESPONDED:
        values["response"] = RESPONSE_WORDS.get(str(event.detail.get("kind", "")), "responded")
    if message in MESSAGE_LINKS and event.referral_id is not None:
        values["link"] = _link(MESSAGE_LINKS[message], event.referral_id)
    # Only whitelisted, non-identifying details travel from an event into a message.
    for key in (
        "due",
        "period",
        "notification",
        "failed_message",
        "error",
        "available",
        "expected",
        "admitted",
        "discharged",
        "expires",
        "disable_on",
    ):
        if key in event.detail:
            values[key] = str(event.detail[key])
    return values


QUESTION_MESSAGES = {
    Message.QUESTION_ASKED,
    Message.QUESTION_FOR_UNIT,
    Message.QUESTION_ANSWERED,
    Message.QUESTION_ANSWERED_UNIT,
}

# The matching part's response kinds, in the words of a message.
RESPONSE_WORDS = {
    "accept": "offered a bed",
    "decline": "declined",
    "information": "asked for more information",
}


# The page each matching message opens, when it is not the referral itself.
MESSAGE_LINKS = {
    Message.REFERRAL_LIST_PROVIDED: "matching:list",
    Message.HOME_OFFERED: "matching:offers",
    Message.OFFER_WITHDRAWN: "matching:offers",
    Message.OFFER_ACCEPTED: "matching:respond",
    Message.OFFER_DECLINED: "matching:offers",
}


def _message_for(event: DomainEvent) -> str:
    if event.kind == EventKind.REGISTER_NOT_CONFIRMED and event.detail.get("stage") == "unit":
        return Message.REGISTER_NOT_CONFIRMED_UNIT
    if (
        event.kind == EventKind.HOME_RESPONDED
        and event.detail.get("kind") == "information"
        and event.detail.get("counted")
    ):
        # A counted "ask for more information" answer is a question in the thread, and the
        # questions part tells whoever holds it (the unit to pass it on, or the authority):
        # told here as well, the authority heard of a question it could not yet read.
        return ""
    if (
        event.kind == EventKind.HOME_RESPONDED
        and event.detail.get("kind") == "accept"
        and event.detail.get("counted")
    ):
        return Message.HOME_OFFERED
    return event.kind


# --- writing --------------------------------------------------------------------


def notifications_write_for_event(event: DomainEvent) -> list[int]:
    """Write the outbox rows ``event`` calls for, in the caller's transaction.

    Subscribed to every domain event in ``NotificationsConfig.ready``. Returns
    the ids of rows still pending for this event; they are enqueued for
    delivery once the transaction commits.
    """
    message = _message_for(event)
    spec = MESSAGES.get(message)
    if spec is None:
        return []
    now = clock.now()
    people: list[tuple[User, int | None, bool]] = []
    for audience in spec.audiences:
        urgent = audience in URGENT_AUDIENCES
        people.extend((user, org, urgent) for user, org in recipients_for(event, audience))
    if not people:
        logger.warning("No recipients for %s (event %s)", message, event.key)
        return []
    organisation_ids = {
        i
        for i in (event.local_authority_organisation_id, *event.home_organisation_ids)
        if i is not None
    }
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    preferences = {
        p.user_id: p
        for p in NotificationPreference.objects.filter(user__in=[u for u, _, _ in people])
    }
    rows: dict[tuple[int, str], Notification] = {}
    for user, organisation_id, urgent in people:
        for channel in channels_for(user, preferences.get(user.pk), message, urgent=urgent):
            key = (user.pk, channel)
            if key in rows:
                continue
            rows[key] = Notification(
                event_key=event.key[:200],
                event_kind=event.kind,
                message=message,
                recipient=user,
                channel=channel,
                address=user.email if channel == Channel.EMAIL else user.phone,
                personalisation=_personalisation(event, message, names, organisation_id),
                referral_id=event.referral_id,
                next_attempt_at=now,
                created_at=now,
            )
    # A repeated event (a second scheduler, a retried task) finds its rows already there.
    Notification.objects.bulk_create(rows.values(), ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            event_key=event.key[:200], status=NotificationStatus.PENDING
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: notifications_enqueue(ids))
    return ids


def notifications_on_event(event: DomainEvent) -> None:
    """The subscriber registered in ``NotificationsConfig.ready``."""
    notifications_write_for_event(event)


def notifications_enqueue(ids: Iterable[int]) -> None:
    """Hand each notification to a task worker. Losing this is safe: the sweeper retries."""
    from .tasks import notification_deliver_task

    for pk in ids:
        try:
            notification_deliver_task.enqueue(notification_id=pk)
        except Exception:
            logger.exception("Could not enqueue notification %s; the sweeper will", pk)


# --- delivering -----------------------------------------------------------------


def _claim(pk: int, now: dt.datetime, token: str) -> tuple[bool, bool]:
    """Take the row for this worker: (claimed, reclaimed from a dead worker)."""
    claim = {
        "status": NotificationStatus.SENDING,
        "claimed_at": now,
        "claim_token": token,
        "attempts": F("attempts") + 1,
    }
    fresh = Notification.objects.filter(
        pk=pk, status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).update(**claim)
    if fresh:
        return True, False
    stale = Notification.objects.filter(
        pk=pk, status=NotificationStatus.SENDING, claimed_at__lt=now - lease()
    ).update(**claim)
    return bool(stale), bool(stale)


def notification_deliver(notification_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one notification if it is due and no other worker holds it.

    Returns what happened: "sent", "retry", "failed" or "not_claimed". Runs
    outside any transaction: the claim must be committed before the provider
    is called, so that a second worker sees it.
    """
    now = now or clock.now()
    token = uuid.uuid4().hex
    claimed, reclaimed = _claim(notification_id, now, token)
    if not claimed:
        return "not_claimed"
    notification = Notification.objects.get(pk=notification_id)
    mine = Notification.objects.filter(pk=notification_id, claim_token=token)
    try:
        backend = backend_get()
        provider_reference = backend.find_sent(notification.reference) if reclaimed else None
        if provider_reference is None:
            if not notification.address:
                raise PermanentDeliveryError(
                    "The person has no phone number"
                    if notification.channel == Channel.SMS
                    else "The person has no email address"
                )
            provider_reference = backend.send(notification_outgoing(notification))
    except PermanentDeliveryError as error:
        _fail(notification, mine, str(error))
        return "failed"
    except Exception as error:
        # Transient, or unexpected: both are worth another try, never a lost message.
        text = str(error) if isinstance(error, TransientDeliveryError) else "Unexpected error"
        if not isinstance(error, TransientDeliveryError):
            logger.exception("Notification %s: unexpected error while sending", notification_id)
        if notification.attempts >= MAX_ATTEMPTS:
            _fail(notification, mine, f"{text} (gave up after {notification.attempts} attempts)")
            return "failed"
        mine.update(
            status=NotificationStatus.PENDING,
            next_attempt_at=clock.now() + retry_delay(notification.attempts),
            claimed_at=None,
            claim_token="",
            last_error=text[:500],
        )
        return "retry"
    mine.update(
        status=NotificationStatus.SENT,
        provider_reference=provider_reference[:100],
        sent_at=clock.now(),
        claimed_at=None,
        claim_token="",
        last_error="",
    )
    return "sent"


def _fail(notification: Notification, mine: Any, error: str) -> None:
    with transaction.atomic():
        rows = mine.update(
            status=NotificationStatus.FAILED,
            failed_at=clock.now(),
            claimed_at=None,
            claim_token="",
            last_error=error[:500],
        )
        if rows != 1 or notification.message == Message.DELIVERY_FAILED:
            # An alert that cannot be delivered stays visible on the outbox page only.
            return
        notifications_write_for_event(
            DomainEvent(
                kind=Message.DELIVERY_FAILED,
                key=f"notification:{notification.pk}:failed",
                occurred_at=clock.now(),
                detail={
                    "notification": notification.pk,
                    "failed_message": MESSAGES[notification.message].title,
                    "error": error[:200],
                },
            )
        )


def notifications_due(now: dt.datetime | None = None) -> list[int]:
    """Rows a worker should try now: due retries and leases of workers that died."""
    now = now or clock.now()
    return list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=now - lease())
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )


def notifications_sweep(now: dt.datetime | None = None) -> int:
    """Enqueue every due row again (idempotent: a claim lets only one worker send)."""
    ids = notifications_due(now)
    notifications_enqueue(ids)
    return len(ids)


# --- preferences and the rota ---------------------------------------------------


@entry_point
def preference_set(
    *,
    user: User,
    by: Any,
    email_enabled: bool,
    sms_enabled: bool,
    muted_messages: Iterable[str] = (),
) -> NotificationPreference:
    """Save a person's own choice of channels and muted optional messages."""
    from swc.organisations.policy import require

    require(by, "notification_preferences.edit")
    if by.pk != user.pk:
        raise ServiceError("You can only change your own notification preferences.")
    muted = sorted(set(muted_messages))
    for message in muted:
        if message not in MESSAGES or not MESSAGES[message].optional:
            raise ServiceError("You cannot turn off that notification.", field="muted_messages")
    if not email_enabled and not sms_enabled:
        raise ServiceError(
            "Choose at least one way to be told: email or text message.", field="channels"
        )
    if sms_enabled and not user.phone:
        raise ServiceError(
            "Add a mobile phone number to your account before choosing text messages.",
            field="channels",
        )
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email_enabled": email_enabled,
            "sms_enabled": sms_enabled,
            "muted_messages": muted,
            "modified_by": by,
        },
    )
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=preference,
        detail={"email": email_enabled, "sms": sms_enabled, "muted": muted},
    )
    return preference


@entry_point
def on_call_period_add(
    *, by: Any, officer: User, starts_at: dt.datetime, ends_at: dt.datetime, note: str = ""
) -> OnCallPeriod:
    """Put a unit officer on call from ``starts_at`` until ``ends_at``."""
    from swc.organisations.policy import require

    require(by, "rota.manage")
    if ends_at <= starts_at:
        raise ServiceError("The end must be after the start.", field="ends_at")
    if ends_at - starts_at > dt.timedelta(days=14):
        raise ServiceError("An on-call period can be at most 14 days long.", field="ends_at")
    if not unit_officers().filter(pk=officer.pk).exists():
        raise ServiceError("Choose an officer of the unit.", field="officer")
    overlapping = OnCallPeriod.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.exists():
        raise ServiceError(
            "Someone is already on call for part of that time. "
            "Remove or shorten that period first.",
            field="starts_at",
        )
    period = OnCallPeriod.objects.create(
        officer=officer,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        created_by=by,
        modified_by=by,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=period,
        detail={"officer_id": officer.pk},
    )
    return period


@entry_point
def on_call_period_remove(*, by: Any, period: OnCallPeriod) -> None:
    """Take a period off the rota."""
    from swc.organisations.policy import require

    require(by, "rota.manage")
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        obj=period,
        detail={"officer_id": period.officer_id},
    )
    OnCallPeriod.objects.filter(pk=period.pk).delete()


def scheduler_heartbeat_record(now: dt.datetime, errors: list[str]) -> None:
    """The scheduler's heartbeat: its age tells the unit and monitoring whether ticks happen."""
    SchedulerHeartbeat.objects.update_or_create(
        name="scheduler", defaults={"last_tick_at": now, "errors": errors}
    )
