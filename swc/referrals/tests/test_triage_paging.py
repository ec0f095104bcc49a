"""The triage queue a page at a time: most urgent first across pages, in two queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from swc.audit.models import AuditAction, AuditEvent
from swc.core.vocabulary import LegalStatus
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals import selectors
from swc.referrals.selectors import referral_triage_page_for, referral_triage_queue_for
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COORDINATOR)


def test_the_most_urgent_come_first_across_pages(coordinator, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "TRIAGE_PAGE_SIZE", 2)
    la = LocalAuthorityFactory()
    # Deadlines: the bed in 2 days; the 72 hours end in 2 hours; the hearing tomorrow at 00:00.
    bed = complete_referral(local_authority=la, hearing_date=None)
    reg10 = complete_referral(
        local_authority=la,
        legal_status=LegalStatus.REGULATION_10,
        hearing_date=None,
        regulation_10_started_at=NOW - dt.timedelta(hours=70),
    )
    court = complete_referral(local_authority=la, hearing_date=dt.date(2026, 3, 11))
    first = referral_triage_page_for(coordinator, 1, NOW)
    assert [row.referral.pk for row in first.rows] == [reg10.pk, court.pk]
    assert (first.rows[0].remaining, first.page.paginator.num_pages) == ("2 hours", 2)
    second = referral_triage_page_for(coordinator, "2", NOW)
    assert [row.referral.pk for row in second.rows] == [bed.pk]
    # The same rows, in the same order, as the whole queue read at once.
    assert [r.referral.pk for r in [*first.rows, *second.rows]] == [
        r.referral.pk for r in referral_triage_queue_for(coordinator, NOW)
    ]


def test_a_page_of_the_queue_costs_two_queries_for_3_referrals_or_70(coordinator) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            referral_triage_page_for(coordinator, 2, NOW)
        return len(captured)

    referral_triage_page_for(coordinator, 1, NOW)  # the principal is cached on the user
    for _ in range(3):
        complete_referral(local_authority=LocalAuthorityFactory())
    assert queries() == 2
    for _ in range(67):
        complete_referral(local_authority=LocalAuthorityFactory())
    assert queries() == 2


def test_the_triage_page_pages_and_audits_only_what_it_shows(client_for, coordinator) -> None:
    la = LocalAuthorityFactory()
    for _ in range(53):
        complete_referral(local_authority=la)
    client = client_for(coordinator)
    first = client.get(reverse("referrals:triage")).content.decode()
    assert first.count('data-label="Referral"><a') == 50
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get(reverse("referrals:triage"), {"page": "2"}).content.decode()
    assert second.count('data-label="Referral"><a') == 3
    audit = (
        AuditEvent.objects.filter(action=AuditAction.VIEW, object_id="list").order_by("-id").first()
    )
    assert audit is not None and len(audit.detail["referral_ids"]) == 3
