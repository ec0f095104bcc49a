"""Writes for national data: signing off a return, signing up, answering the survey."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.calendar import LONDON, is_working_day, working_days_add
from swc.core.errors import ConflictError, ServiceError
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.core.transactions import entry_point
from swc.organisations.models import OrganisationKind
from swc.organisations.policy import principal_for, require, user_can

from .kpi import SATISFACTION_CHOICES
from .models import (
    SIGNATORIES,
    MonthlyReturnVersion,
    SignUpReminder,
    SurveyResponse,
    TermsAcceptance,
)
from .returns import ReturnMonth, return_due_date
from .selectors import monthly_return_figures, not_signed_up


def figures_differences(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure that changed between two frozen versions: where, was, now (pure)."""
    changes: list[dict[str, Any]] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                walk(a.get(key), b.get(key), f"{path}/{key}" if path else str(key))
        elif a != b:
            changes.append({"figure": path, "was": a, "now": b})

    walk(old, new, "")
    return changes


@entry_point
def monthly_return_sign_off(
    *, user: Any, month: ReturnMonth, note: str = ""
) -> MonthlyReturnVersion:
    """The unit manager signs off the month's return: its figures are frozen as a new version.

    The first sign-off is version 1; a later one (after corrections) is the
    next version and lists what changed since the previous one. The unique
    (month, version) constraint makes two simultaneous sign-offs safe: the
    second is refused rather than both becoming the same version.
    """
    require(user, "report.sign_off")
    if month.end() > clock.now():
        raise ServiceError("A month's return can be signed off only after the month has ended.")
    figures = monthly_return_figures(month)
    try:
        with transaction.atomic():
            previous = (
                MonthlyReturnVersion.objects.filter(month=str(month)).order_by("-version").first()
            )
            differences: list[dict[str, Any]] = []
            if previous is not None:
                differences = figures_differences(previous.figures, figures)
                if not differences:
                    raise ServiceError(
                        "Nothing has changed since version "
                        f"{previous.version}: there is nothing new to sign off."
                    )
            version = MonthlyReturnVersion.objects.create(
                month=str(month),
                version=(previous.version + 1) if previous else 1,
                due_on=return_due_date(month),
                figures=figures,
                differences=differences,
                signed_off_by=user,
                signed_off_at=clock.now(),
                note=note[:500],
            )
            audit_record(
                actor=user,
                action=AuditAction.CHANGE,
                obj=version,
                detail={"month": str(month), "version": version.version, "signed_off": True},
            )
    except IntegrityError:
        raise ConflictError(
            "Someone signed off this return at the same moment. Reload the page."
        ) from None
    return version


def terms_kind_for(user: Any) -> str | None:
    """Which terms this person accepts for their organisation, if any.

    An authority's admin accepts the terms of use; a home's manager accepts the
    memorandum of understanding and confidentiality statement (seed 001, 2.8).
    """
    principal = principal_for(user)
    signatory = SIGNATORIES.get(principal.organisation_kind or "")
    if signatory is None or not principal.has_role(signatory[0]):
        return None
    return signatory[1]


@entry_point
def terms_accept(*, user: Any) -> TermsAcceptance:
    """Sign the user's organisation up to the service (once; a second acceptance is refused)."""
    require(user, "terms.accept")
    kind = terms_kind_for(user)
    if kind is None:
        raise ServiceError(
            "Only an authority's admin or a home's manager can accept the terms for their organisation."
        )
    organisation_id = principal_for(user).organisation_id
    if organisation_id is None:
        raise ServiceError("You are not a member of an organisation.")
    try:
        with transaction.atomic():
            acceptance = TermsAcceptance.objects.create(
                organisation_id=organisation_id,
                kind=kind,
                accepted_by=user,
                accepted_at=clock.now(),
            )
            audit_record(
                actor=user, action=AuditAction.CREATE, obj=acceptance, detail={"kind": kind}
            )
    except IntegrityError:
        raise ConflictError("Your organisation has already accepted these terms.") from None
    return acceptance


@dataclass
class SignUpReminders:
    """What a round of sign-up reminders did, organisation by organisation."""

    sent: list[Any] = field(default_factory=list)
    # Reminded too recently (today, for a person; within the interval, for the scheduler).
    recently_reminded: list[Any] = field(default_factory=list)
    # Nobody there can sign up (no active admin or home manager account): contact them directly.
    nobody_to_remind: list[Any] = field(default_factory=list)


def sign_up_reminders_send(
    *,
    by: Any = None,
    organisation_ids: list[int] | None = None,
    now: dt.datetime | None = None,
    interval: dt.timedelta | None = None,
) -> SignUpReminders:
    """Remind authorities and homes that have not signed up, by message to their signatories.

    ``by`` is the unit officer pressing the button (None for the scheduler).
    Without ``organisation_ids`` every organisation not signed up is
    considered; organisations already signed up are never reminded. An
    organisation is reminded at most once a day (a unique row per day, so two
    officers pressing at once send one reminder), and, with ``interval``, not
    until that long after its last reminder or, never reminded, after it
    joined the service.
    """
    if by is not None:
        require(by, "sign_up.remind")
    now = now or clock.now()
    day = now.astimezone(LONDON).date()
    outcome = SignUpReminders()
    for organisation in not_signed_up(organisation_ids):
        last = organisation.last_reminded_at
        if organisation.signatories == 0:
            outcome.nobody_to_remind.append(organisation)
            continue
        reminded_today = last is not None and last.astimezone(LONDON).date() == day
        waiting_since = last or organisation.created_at
        if reminded_today or (interval is not None and now - waiting_since < interval):
            outcome.recently_reminded.append(organisation)
            continue
        try:
            with transaction.atomic():
                reminder = SignUpReminder.objects.create(
                    organisation=organisation,
                    day=day,
                    sent_at=now,
                    sent_by=by,
                    recipients=organisation.signatories,
                )
                is_authority = organisation.kind == OrganisationKind.LOCAL_AUTHORITY
                event_publish(
                    DomainEvent(
                        kind=EventKind.SIGN_UP_REMINDER,
                        key=f"sign_up_reminder:{organisation.pk}:{day.isoformat()}",
                        occurred_at=now,
                        actor_id=getattr(by, "pk", None),
                        local_authority_organisation_id=organisation.pk if is_authority else None,
                        home_organisation_ids=() if is_authority else (organisation.pk,),
                    )
                )
                audit_record(
                    actor=by or "scheduler",
                    action=AuditAction.CREATE,
                    obj=reminder,
                    detail={"organisation": organisation.pk},
                )
        except IntegrityError:
            # Someone else reminded it a moment ago: one reminder is enough.
            outcome.recently_reminded.append(organisation)
            continue
        outcome.sent.append(organisation)
    return outcome


@entry_point
def survey_submit(*, user: Any, referral: Any, overall: str, comment: str = "") -> SurveyResponse:
    """Record the user's organisation's answer to the survey about a closed referral.

    Open to the referring authority and to the homes the referral was sent to,
    once per organisation, and only after the referral has closed.
    """
    from swc.referrals.workflow import TERMINAL

    require(user, "survey.answer")
    # The policy decides who was involved: the referring authority, or a home it was sent to.
    org_id = principal_for(user).organisation_id
    if org_id is None or not user_can(user, "survey.answer", referral):
        raise ServiceError("Only the authority and the homes involved can answer this survey.")
    if referral.status not in TERMINAL:
        raise ServiceError("The survey opens when the referral has closed.")
    if overall not in dict(SATISFACTION_CHOICES):
        raise ServiceError("Select how satisfied you were with the service")
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                referral=referral,
                organisation_id=org_id,
                respondent=user,
                overall=overall,
                comment=comment[:2000],
                submitted_at=clock.now(),
            )
            audit_record(actor=user, action=AuditAction.CREATE, obj=response)
    except IntegrityError:
        raise ConflictError("Your organisation has already answered this survey.") from None
    return response


def latest_version_number(month: ReturnMonth) -> int:
    """The highest signed-off version of the month (0 if none)."""
    return (
        MonthlyReturnVersion.objects.filter(month=str(month)).aggregate(v=Max("version"))["v"] or 0
    )


# --- scheduled work (called every minute by swc.scheduling) ------------------------------

RETURN_REMINDER_WORKING_DAYS = 3
SIGN_UP_REMINDERS_FROM = dt.time(10, 0)


def monthly_return_due(today: dt.date) -> tuple[dt.date, str] | None:
    """If the monthly return falls due in exactly 3 working days: (due date, period "YYYY-MM")."""
    if not is_working_day(today):
        return None
    period = ReturnMonth(today.year, today.month).previous()
    due = return_due_date(period)
    if working_days_add(today, RETURN_REMINDER_WORKING_DAYS) != due:
        return None
    return due, str(period)


def reporting_due_publish(now: dt.datetime) -> dict[str, int]:
    """The reporting part's scheduled work: the monthly return's reminder and sign-up reminders.

    Three working days before the return's 10th working day the unit managers are
    reminded (once: the key names the period). From 10:00 on a working day, those not
    signed up are reminded every ``SWC_SIGN_UP_REMINDER_DAYS`` (never one already signed
    up, nor within that many days of its last reminder or of joining).
    """
    published: dict[str, int] = {}
    local = now.astimezone(LONDON)
    found = monthly_return_due(local.date())
    if found is not None:
        due, period = found
        with transaction.atomic():
            event_publish(
                DomainEvent(
                    kind=EventKind.MONTHLY_RETURN_DUE,
                    key=f"return:{period}:due_in_{RETURN_REMINDER_WORKING_DAYS}",
                    occurred_at=now,
                    detail={"due": due.strftime("%-d %B %Y"), "period": period},
                )
            )
        published[EventKind.MONTHLY_RETURN_DUE] = 1
    days = getattr(settings, "SWC_SIGN_UP_REMINDER_DAYS", 14)
    if days > 0 and is_working_day(local.date()) and local.time() >= SIGN_UP_REMINDERS_FROM:
        sent = sign_up_reminders_send(now=now, interval=dt.timedelta(days=days)).sent
        published[EventKind.SIGN_UP_REMINDER] = len(sent)
    return published
