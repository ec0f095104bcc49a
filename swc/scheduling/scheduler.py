"""The scheduler: every minute, each part of the service publishes what has fallen due.

It sits at the top, beside the pages and the API, because it calls into every part;
no part calls it (docs/decisions/0004-scheduled-work.md). Each part owns its rules as
one ``<part>_due_publish(now)`` service, which publishes domain events whose keys name
the occurrence (the home and the day, the referral and its completion time, the month):
a second scheduler, or a tick repeated after a crash, finds the outbox rows already
written and sends nothing twice. ``manage.py run_scheduler`` runs it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from swc.api.services import api_due_publish
from swc.core import clock
from swc.homes.services import homes_due_publish
from swc.notifications.services import notifications_sweep, scheduler_heartbeat_record
from swc.organisations.services import accounts_due_publish
from swc.privacy.services import privacy_due_publish
from swc.referrals.services import referrals_due_publish
from swc.reporting.services import reporting_due_publish

logger = logging.getLogger(__name__)


def organisations_due_publish(now: dt.datetime) -> dict[str, int]:
    """Leavers: accounts nearly unused for too long are warned, those that are, disabled."""
    return {"organisations.accounts_disabled": accounts_due_publish(now).disabled}


SCHEDULED: list[Callable[[dt.datetime], dict[str, int]]] = [
    homes_due_publish,
    referrals_due_publish,
    reporting_due_publish,
    privacy_due_publish,
    api_due_publish,
    organisations_due_publish,
]


@dataclass
class TickReport:
    published: dict[str, int] = field(default_factory=dict)
    swept: int = 0
    errors: list[str] = field(default_factory=list)


def scheduler_tick(now: dt.datetime | None = None) -> TickReport:
    """Run each part's scheduled work, then re-enqueue due retries and leases of dead workers.

    One failing part is logged and does not stop the others or the sweep.
    """
    now = now or clock.now()
    report = TickReport()
    for publish in SCHEDULED:
        try:
            for kind, count in publish(now).items():
                report.published[kind] = report.published.get(kind, 0) + count
        except Exception as error:
            logger.exception("Scheduled work %s failed", publish.__name__)
            report.errors.append(f"{publish.__name__}: {type(error).__name__}")
    report.swept = notifications_sweep(now)
    scheduler_heartbeat_record(now, [e.split(":")[0] for e in report.errors])
    return report
