"""The start page after sign-in: what this person's role needs first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from swc.core import clock
from swc.homes.selectors import home_for_manager, homes_unconfirmed_on
from swc.matching.selectors import (
    referrals_awaiting_answer_from,
    referrals_with_open_offers_for,
)
from swc.notifications.selectors import delivery_health
from swc.organisations.access import requires
from swc.organisations.policy import user_can
from swc.organisations.selectors import start_page_summary_for
from swc.questions.selectors import referrals_with_questions_waiting_for
from swc.referrals.selectors import referral_list_for
from swc.referrals.workflow import OPEN, Status


@dataclass(frozen=True)
class Headline:
    """One line at the top of the start page: a count and where to act on it."""

    text: str
    url_name: str
    warning: bool = False
    args: tuple[int, ...] = ()

    @property
    def href(self) -> str:
        try:
            return reverse(self.url_name, args=self.args or None)
        except NoReverseMatch:
            return ""


def _count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 open referral", "2 open referrals": a count in words a person reads at 2 a.m."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _status_counts(user: Any) -> dict[str, int]:
    rows = referral_list_for(user).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def _questions_headline(user: Any, waiting: str) -> list[Headline]:
    """Referrals with a question for this person to act on: one goes to its questions."""
    ids = referrals_with_questions_waiting_for(user)
    if not ids:
        return []
    return [
        Headline(
            f"{_count(len(ids), 'referral')} {waiting}",
            "questions:thread" if len(ids) == 1 else "referrals:list",
            True,
            (ids[0],) if len(ids) == 1 else (),
        )
    ]


def headlines_for(user: Any) -> list[Headline]:
    """Counts a person should see first, read through the same selectors as the pages."""
    lines: list[Headline] = []
    if user_can(user, "referral.triage"):
        counts = _status_counts(user)
        waiting = sum(n for status, n in counts.items() if status in OPEN)
        complete = counts.get(Status.COMPLETE, 0)
        lines.append(
            Headline(
                f"{_count(waiting, 'open referral')}, {complete} waiting for a list",
                "referrals:triage",
                complete > 0,
            )
        )
        lines.extend(_questions_headline(user, "with a home's question to pass on"))
        unconfirmed = len(homes_unconfirmed_on(clock.today()))
        if unconfirmed:
            lines.append(
                Headline(
                    _count(
                        unconfirmed, "home has not confirmed its", "homes have not confirmed their"
                    )
                    + " register today",
                    "register:declarations",
                    True,
                )
            )
        if user_can(user, "outbox.view"):
            health = delivery_health()
            if health.scheduler_late:
                lines.append(
                    Headline(
                        "Reminders are not being sent: the scheduler has not run "
                        + (
                            f"since {timezone.localtime(health.scheduler_last_tick):%-d %b %H:%M}"
                            if health.scheduler_last_tick
                            else "yet"
                        ),
                        "notifications:outbox",
                        True,
                    )
                )
            if health.overdue:
                lines.append(
                    Headline(
                        f"{_count(health.overdue, 'notification')} overdue: no worker is "
                        "delivering them",
                        "notifications:outbox",
                        True,
                    )
                )
    elif user_can(user, "referral.create"):
        counts = _status_counts(user)
        drafts = counts.get(Status.DRAFT, 0)
        open_count = sum(n for status, n in counts.items() if status in OPEN)
        asked = counts.get(Status.INFORMATION_REQUESTED, 0)
        lines.append(
            Headline(f"{_count(open_count, 'open referral')} from your authority", "referrals:list")
        )
        offered = referrals_with_open_offers_for(user)
        if offered:
            # One referral: straight to its offers; several: the list.
            lines.append(
                Headline(
                    f"A home has offered a bed: {_count(len(offered), 'referral')} waiting for "
                    "your decision",
                    "matching:offers" if len(offered) == 1 else "referrals:list",
                    True,
                    (offered[0],) if len(offered) == 1 else (),
                )
            )
        lines.extend(_questions_headline(user, "with a question waiting for your answer"))
        if asked:
            lines.append(
                Headline(
                    f"The unit needs more information for {_count(asked, 'referral')}",
                    "referrals:list",
                    True,
                )
            )
        if drafts:
            lines.append(
                Headline(f"{_count(drafts, 'draft')} not yet submitted", "referrals:list", True)
            )
    elif user_can(user, "register.update"):
        home = home_for_manager(user)
        if home is not None:
            today = clock.today()
            if any(u.home.pk == home.pk for u in homes_unconfirmed_on(today)):
                lines.append(
                    Headline("Your register has not been confirmed today", "register:own", True)
                )
            unanswered = referrals_awaiting_answer_from(user)
            if unanswered:
                lines.append(
                    Headline(
                        f"{_count(len(unanswered), 'referral')} waiting for your home's answer",
                        "matching:respond" if len(unanswered) == 1 else "referrals:list",
                        True,
                        (unanswered[0],) if len(unanswered) == 1 else (),
                    )
                )
            sent = referral_list_for(user, open_only=True).count()
            lines.append(
                Headline(f"{_count(sent, 'open referral')} sent to your home", "referrals:list")
            )
    return lines


@requires("start.view")
def start(request: HttpRequest) -> HttpResponse:
    summary = start_page_summary_for(request.user)
    return render(
        request, "start/start.html", {"summary": summary, "headlines": headlines_for(request.user)}
    )
