"""The referral list: open referrals first, closed or all on request, 50 a page, only shown rows audited."""

from __future__ import annotations

import re

import pytest

from swc.audit.models import AuditEvent
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral, ReferralShare
from swc.referrals.tests.factories import ReferralFactory
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
REFERENCE = re.compile(r">(R\d{6})</a>")


def shown(client, **query) -> list[str]:
    response = client.get("/referrals/", query)
    assert response.status_code == 200
    return REFERENCE.findall(response.content.decode())


def make(authority, statuses) -> list[Referral]:
    return [ReferralFactory(local_authority=authority, status=s) for s in statuses]


@pytest.fixture
def authority():
    return LocalAuthorityFactory(name="Synthetic Shire")


def test_open_referrals_by_default_closed_or_all_on_request(client_for, authority) -> None:
    open_ = make(authority, [Status.DRAFT, Status.COMPLETE, Status.WITH_HOMES])
    closed = make(authority, [Status.PLACED, Status.WITHDRAWN])
    client = client_for(user_with_role(Role.REFERRER, authority.organisation))

    assert set(shown(client)) == {r.reference for r in open_}
    assert set(shown(client, show="closed")) == {r.reference for r in closed}
    assert set(shown(client, show="all")) == {r.reference for r in open_ + closed}
    # A status chosen replaces "show"; nonsense falls back to open referrals.
    assert shown(client, show="open", status=Status.PLACED) == [closed[0].reference]
    assert set(shown(client, show="everything", status="nonsense")) == {r.reference for r in open_}


def test_fifty_a_page_and_only_the_rows_shown_are_audited(client_for, authority) -> None:
    referrals = make(authority, [Status.COMPLETE] * 55)
    referrer = user_with_role(Role.REFERRER, authority.organisation)
    client = client_for(referrer)

    first = client.get("/referrals/").content.decode()
    assert len(REFERENCE.findall(first)) == 50
    assert "55 referrals, showing 1 to 50." in first
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = shown(client, page=2)
    assert len(second) == 5
    assert set(REFERENCE.findall(first)) | set(second) == {r.reference for r in referrals}
    for page in ("abc", "999"):  # a bad page number shows a real page, never an error
        assert len(shown(client, page=page)) in (50, 5)

    views = AuditEvent.objects.filter(actor=referrer, object_id="list").order_by("pk")
    assert [len(e.detail["referral_ids"]) for e in views[:2]] == [50, 5]


def test_a_home_chooses_open_or_closed_but_not_by_status(client_for, authority) -> None:
    home = SecureHomeFactory()
    sent = make(authority, [Status.WITH_HOMES, Status.PLACED])
    make(authority, [Status.WITH_HOMES])  # not sent to this home
    for referral in sent:
        ReferralShare.objects.create(
            referral=referral, home_organisation=home.organisation, shared_at=referral.created_at
        )
    client = client_for(user_with_role(Role.HOME_MANAGER, home.organisation))

    assert shown(client) == [sent[0].reference]
    assert shown(client, show="closed") == [sent[1].reference]
    assert shown(client, show="open", status=Status.PLACED) == [sent[0].reference]
    assert 'name="status"' not in client.get("/referrals/").content.decode()


@pytest.mark.parametrize(
    ("role", "told_whose"),
    [(Role.COORDINATOR, True), (Role.UNIT_MANAGER, True), (Role.REFERRER, False)],
)
def test_only_those_who_see_every_authoritys_referrals_are_told_whose_each_is(
    client_for, authority, role, told_whose
) -> None:
    make(authority, [Status.COMPLETE])
    viewer = user_with_role(role, authority.organisation if role == Role.REFERRER else None)
    page = client_for(viewer).get("/referrals/").content.decode()
    assert len(REFERENCE.findall(page)) == 1
    assert ('scope="col" class="govuk-table__header">Authority<' in page) is told_whose
    assert ("Synthetic Shire" in page) is told_whose
