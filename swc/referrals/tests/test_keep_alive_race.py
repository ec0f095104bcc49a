"""Keeping a referral alive (update, review, extension) holds only for the referral as read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.core.errors import ConflictError
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role
from swc.referrals import services
from swc.referrals.models import Referral, ReferralEvent, ReferralEventKind
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY = dt.datetime(2026, 11, 10, 11, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _a_tuesday():  # type: ignore[no-untyped-def]
    with time_machine.travel(TUESDAY, tick=False):
        yield


def _read_before(monkeypatch, referral: Referral) -> None:
    """The service reads the referral, then someone else changes it before the write."""
    stale = Referral.objects.get(pk=referral.pk)
    monkeypatch.setattr(services, "_open_check", lambda _referral: stale)


def test_an_update_to_a_referral_withdrawn_meanwhile_is_refused(monkeypatch) -> None:
    referral = complete_referral()
    referrer = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    _read_before(monkeypatch, referral)
    Referral.objects.filter(pk=referral.pk).update(status=Status.WITHDRAWN)
    with pytest.raises(ConflictError):
        services.referral_update_record(referral=referral, by=referrer, note="Still needed")
    after = Referral.objects.get(pk=referral.pk)
    assert after.status == Status.WITHDRAWN
    assert after.last_update_at == referral.last_update_at
    assert not ReferralEvent.objects.filter(referral=referral, kind=ReferralEventKind.UPDATE)


def test_a_revival_already_made_by_someone_else_is_not_recorded_twice(monkeypatch) -> None:
    referral = complete_referral(lapsed_at=TUESDAY - dt.timedelta(days=1))
    referrer = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    _read_before(monkeypatch, referral)
    Referral.objects.filter(pk=referral.pk).update(lapsed_at=None)  # revived meanwhile
    with pytest.raises(ConflictError):
        services.referral_review_record(referral=referral, by=referrer, note="Still stands")
    assert not ReferralEvent.objects.filter(referral=referral, kind=ReferralEventKind.REVIVED)


def test_an_update_to_an_unchanged_referral_is_kept(monkeypatch) -> None:
    referral = complete_referral(lapsed_at=TUESDAY - dt.timedelta(days=1))
    referrer = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    _read_before(monkeypatch, referral)
    services.referral_update_record(referral=referral, by=referrer, note="Still needed")
    after = Referral.objects.get(pk=referral.pk)
    assert after.lapsed_at is None
    assert after.last_update_at == TUESDAY
    assert (
        ReferralEvent.objects.filter(referral=referral, kind=ReferralEventKind.REVIVED).count() == 1
    )
