"""The scheduled checks, run every minute by ``manage.py run_scheduler``.

Every check publishes a domain event with a key that names the occurrence
(the home and the day, the referral and its completion time, the month): a
second scheduler, or a tick repeated after a crash, finds the outbox rows
already written and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from swc.core import clock
from swc.core.calendar import (
    LONDON,
    is_working_day,
    office_hours_between,
    working_days_add,
)
from swc.core.events import DomainEvent, EventKind, event_publish

from .models import SchedulerHeartbeat
from .services import notifications_sweep

logger = logging.getLogger(__name__)

REGISTER_DEADLINE = dt.time(10, 0)
# The unit hears of a home still unconfirmed an hour after the home was reminded.
REGISTER_ESCALATION = dt.time(11, 0)
LIST_OVERDUE_AFTER = dt.timedelta(minutes=90)
RETURN_REMINDER_WORKING_DAYS = 3


@dataclass
class TickReport:
    published: dict[str, int] = field(default_factory=dict)
    swept: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, n: int = 1) -> None:
        self.published[kind] = self.published.get(kind, 0) + n


def register_check(now: dt.datetime, report: TickReport) -> None:
    """After 10:00 on a working day, remind each home that has not confirmed; at 11:00, the unit."""
    from swc.homes.selectors import homes_unconfirmed_on

    local = now.astimezone(LONDON)
    day = local.date()
    if not is_working_day(day) or local.time() < REGISTER_DEADLINE:
        return
    stages = ["home"] + (["unit"] if local.time() >= REGISTER_ESCALATION else [])
    for unconfirmed in homes_unconfirmed_on(day):
        organisation_id = unconfirmed.home.organisation_id
        for stage in stages:
            with transaction.atomic():
                event_publish(
                    DomainEvent(
                        kind=EventKind.REGISTER_NOT_CONFIRMED,
                        key=f"register:{organisation_id}:{day.isoformat()}:{stage}",
                        occurred_at=now,
                        home_organisation_ids=(organisation_id,),
                        detail={"stage": stage, "day": day.isoformat()},
                    )
                )
            report.add(f"{EventKind.REGISTER_NOT_CONFIRMED}.{stage}")


def list_overdue_check(now: dt.datetime, report: TickReport) -> None:
    """A complete referral with no list after 90 minutes of office time: tell the unit manager.

    Office time, like the KPI it warns about (a list within two office hours),
    so that a referral completed at 16:55 does not wake the manager at 18:25.
    """
    from swc.referrals.models import Referral
    from swc.referrals.workflow import Status

    candidates = Referral.objects.filter(
        status=Status.COMPLETE,
        list_provided_at__isnull=True,
        completed_at__isnull=False,
        completed_at__lte=now - LIST_OVERDUE_AFTER,
    ).values_list("pk", "completed_at", "local_authority__organisation_id")
    for pk, completed_at, organisation_id in candidates:
        if completed_at is None or office_hours_between(completed_at, now) < LIST_OVERDUE_AFTER:
            continue
        with transaction.atomic():
            event_publish(
                DomainEvent(
                    kind=EventKind.REFERRAL_LIST_OVERDUE,
                    key=f"referral:{pk}:list_overdue:{completed_at.isoformat()}",
                    occurred_at=now,
                    referral_id=pk,
                    local_authority_organisation_id=organisation_id,
                )
            )
        report.add(EventKind.REFERRAL_LIST_OVERDUE)


def monthly_return_due(today: dt.date) -> tuple[dt.date, str] | None:
    """If the monthly return falls due in exactly 3 working days: (due date, period "YYYY-MM")."""
    # The due date has one rule, the reporting part's (the 10th working day).
    from swc.reporting.returns import ReturnMonth, return_due_date

    if not is_working_day(today):
        return None
    period = ReturnMonth(today.year, today.month).previous()
    due = return_due_date(period)
    if working_days_add(today, RETURN_REMINDER_WORKING_DAYS) != due:
        return None
    return due, str(period)


def monthly_return_check(now: dt.datetime, report: TickReport) -> None:
    """Three working days before the return's 10th working day, remind the unit managers."""
    found = monthly_return_due(now.astimezone(LONDON).date())
    if found is None:
        return
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
    report.add(EventKind.MONTHLY_RETURN_DUE)


def referral_reminders_check(now: dt.datetime, report: TickReport) -> None:
    """Two-weekly updates and three-monthly reviews: the referrals part publishes the events."""
    from swc.referrals.services import referrals_lapse_and_remind

    lapse = referrals_lapse_and_remind(now)
    report.add(EventKind.REFERRAL_UPDATE_DUE, getattr(lapse, "update_reminders", 0))
    report.add(EventKind.REFERRAL_REVIEW_DUE, getattr(lapse, "review_reminders", 0))


def sign_up_reminder_check(now: dt.datetime, report: TickReport) -> None:
    """From 10:00 on a working day, remind those not signed up, every few weeks.

    The reporting part decides who is due (never one already signed up, nor
    within ``SWC_SIGN_UP_REMINDER_DAYS`` of its last reminder or of joining).
    """
    from swc.reporting.services import sign_up_reminders_send

    days = getattr(settings, "SWC_SIGN_UP_REMINDER_DAYS", 14)
    local = now.astimezone(LONDON)
    if days <= 0 or not is_working_day(local.date()) or local.time() < REGISTER_DEADLINE:
        return
    sent = sign_up_reminders_send(now=now, interval=dt.timedelta(days=days)).sent
    report.add(EventKind.SIGN_UP_REMINDER, len(sent))


def retention_check(now: dt.datetime, report: TickReport) -> None:
    """Remove identifying details of referrals closed longer than the retention period."""
    from swc.privacy.services import referrals_retention_apply

    report.add("privacy.retention", referrals_retention_apply(now=now))


def idempotency_purge_check(now: dt.datetime, report: TickReport) -> None:
    """Forget API idempotency records older than a day (they only guard retries)."""
    from swc.api.idempotency import idempotency_records_purge

    report.add("api.idempotency_purged", idempotency_records_purge(now=now))


def accounts_check(now: dt.datetime, report: TickReport) -> None:
    """Leavers: warn accounts nearly unused for too long, disable those that are (docs/accounts.md)."""
    from swc.organisations.services import accounts_due_publish

    report.add("organisations.accounts_disabled", accounts_due_publish(now).disabled)


CHECKS: list[Callable[[dt.datetime, TickReport], None]] = [
    register_check,
    list_overdue_check,
    monthly_return_check,
    referral_reminders_check,
    sign_up_reminder_check,
    retention_check,
    idempotency_purge_check,
    accounts_check,
]


def scheduler_tick(now: dt.datetime | None = None) -> TickReport:
    """Run every check, then re-enqueue due retries and leases of dead workers.

    One failing check is logged and does not stop the others or the sweep.
    """
    now = now or clock.now()
    report = TickReport()
    for check in CHECKS:
        try:
            check(now, report)
        except Exception as error:
            logger.exception("Scheduled check %s failed", check.__name__)
            report.errors.append(f"{check.__name__}: {type(error).__name__}")
    report.swept = notifications_sweep(now)
    # The heartbeat: its age tells the unit and monitoring whether ticks still happen.
    SchedulerHeartbeat.objects.update_or_create(
        name="scheduler",
        defaults={"last_tick_at": now, "errors": [e.split(":")[0] for e in report.errors]},
    )
    return report
