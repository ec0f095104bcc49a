"""The synthetic national data set (manage.py generate_national): consistent, counted, repeatable.

Each referral's timeline is replayed against the workflow's table of allowed moves, and
each stamp checked against the move that sets it (docs/workflow.md), so a story that
skips a step or a stamp that disagrees with its timeline fails here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from swc.homes.models import HomeProfile, RegisterDeclaration, SecureHome, Vacancy
from swc.matching.models import HomeResponse, Offer, OfferStatus, Placement, ResponseKind
from swc.referrals.models import Referral, ReferralEvent, ReferralListClock, ReferralShare
from swc.referrals.workflow import OPEN, TERMINAL, TRANSITIONS, Status

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
NOW = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _authorities():  # type: ignore[no-untyped-def]
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    with time_machine.travel(NOW, tick=False):
        yield


def _generate(seed: int = 7, homes: int = 5, referrals: int = 200) -> str:
    out = StringIO()
    call_command(
        "generate_national",
        "--homes", str(homes), "--years", "1", "--referrals-per-year", str(referrals),
        "--seed", str(seed),
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue()


def test_counts_match_the_arguments() -> None:
    _generate(homes=5, referrals=200)
    assert SecureHome.objects.count() == 5
    assert HomeProfile.objects.count() == 5
    assert Vacancy.objects.count() == 20  # four free beds each
    assert Referral.objects.count() == 200
    assert all(
        r.startswith("NAT-") for r in Referral.objects.values_list("la_child_identifier", flat=True)
    )
    # A year back from now, nothing in the future.
    first, last = NOW - dt.timedelta(days=366), NOW
    assert all(
        first <= at <= last for at in Referral.objects.values_list("submitted_at", flat=True)
    )
    assert all(at <= NOW for at in ReferralEvent.objects.values_list("at", flat=True))
    statuses = Counter(Referral.objects.values_list("status", flat=True))
    # Most have an outcome; every outcome happens.
    assert sum(statuses[s] for s in TERMINAL) > 180
    assert statuses[Status.PLACED] > 60 and statuses[Status.WITHDRAWN] > 20
    assert statuses[Status.CLOSED_NOT_PLACED] > 5
    # Ids were given by the generator: the database's own next id comes after them.
    la = Referral.objects.first().local_authority  # type: ignore[union-attr]
    highest = max(Referral.objects.values_list("pk", flat=True))
    assert Referral.objects.create(local_authority=la).pk > highest


def _moves(referral: Referral) -> list[tuple[dt.datetime, str, str, str]]:
    events = list(referral.events.order_by("at", "id"))
    assert events[0].kind == "created" and events[0].to_status == Status.DRAFT
    return [(e.at, e.from_status, e.to_status, e.reason) for e in events[1:]]


def _last(moves: list[tuple[dt.datetime, str, str, str]], to: str) -> dt.datetime | None:
    times = [at for at, _, status, _ in moves if status == to]
    return times[-1] if times else None


def _first(moves: list[tuple[dt.datetime, str, str, str]], to: str) -> dt.datetime | None:
    times = [at for at, _, status, _ in moves if status == to]
    return times[0] if times else None


def test_every_status_agrees_with_its_timeline_and_stamps() -> None:
    _generate(homes=5, referrals=200)
    placements = {p.referral_id: p for p in Placement.objects.select_related("offer")}
    for referral in Referral.objects.prefetch_related("events"):
        moves = _moves(referral)
        status = Status.DRAFT
        for _at, frm, to, _reason in moves:
            assert frm == status, (referral.pk, moves)
            assert (frm, to) in TRANSITIONS, (referral.pk, frm, to)
            status = to
        assert referral.status == status
        assert referral.submitted_at == _first(moves, Status.SUBMITTED)
        assert referral.completed_at == _last(moves, Status.COMPLETE)
        assert referral.list_provided_at == _first(moves, Status.SHORTLISTED)
        assert referral.offer_accepted_at == _last(moves, Status.OFFER_ACCEPTED)
        assert referral.placed_at == _last(moves, Status.PLACED)
        asked, completed = _last(moves, Status.INFORMATION_REQUESTED), referral.completed_at
        expected_asked = asked if asked and (completed is None or asked > completed) else None
        assert referral.information_requested_at == expected_asked
        if referral.status in TERMINAL:
            assert referral.closed_at == moves[-1][0]
            assert bool(referral.outcome_reason) == (referral.status != Status.PLACED)
        else:
            assert referral.status in OPEN and referral.closed_at is None
        placement = placements.get(referral.pk)
        if referral.status == Status.PLACED:
            assert placement is not None and placement.admitted_at == referral.placed_at
            assert placement.offer.status == OfferStatus.ACCEPTED
            assert (
                placement.discharged_on is None or placement.discharged_on > placement.admitted_on
            )
        else:
            assert placement is None


def test_the_two_hour_clocks_are_those_the_timeline_gives() -> None:
    _generate(homes=5, referrals=200)
    written = sorted(ReferralListClock.objects.values_list())
    # Every referral ever complete has one; most lists came in time, some late.
    assert len(written) == Referral.objects.exclude(completed_at=None).count()
    outcomes = Counter(ReferralListClock.objects.values_list("last_elapsed", flat=True))
    assert outcomes[True] > outcomes[False] > 0
    ReferralListClock.objects.all().delete()
    call_command("list_clocks_rebuild", stdout=StringIO())
    assert sorted(ReferralListClock.objects.values_list()) == written


def test_homes_answer_only_what_was_sent_them_and_before_the_end() -> None:
    _generate(homes=5, referrals=200)
    sent = {
        (share.referral_id, share.home_organisation_id): share.shared_at
        for share in ReferralShare.objects.all()
    }
    assert sent
    referrals = {r.pk: r for r in Referral.objects.all()}
    organisation = dict(SecureHome.objects.values_list("pk", "organisation_id"))
    for answer in HomeResponse.objects.all():
        shared_at = sent[(answer.referral_id, organisation[answer.home_id])]
        assert shared_at < answer.recorded_at <= NOW
        closed = referrals[answer.referral_id].closed_at
        assert closed is None or answer.recorded_at <= closed
    # Each offer stands on a home's yes; an accepted one only once the authority accepted.
    for offer in Offer.objects.select_related("response", "referral"):
        assert offer.response.kind == ResponseKind.ACCEPT
        accepted = offer.referral.offer_accepted_at is not None
        assert (offer.status == OfferStatus.ACCEPTED) == accepted


def test_each_homes_register_has_room_for_its_free_beds_today() -> None:
    _generate(homes=5, referrals=10)
    today = NOW.date()
    for home in SecureHome.objects.all():
        latest = RegisterDeclaration.objects.filter(home=home, declared_on__lte=today).first()
        assert latest is not None
        free_today = Vacancy.objects.filter(home=home, available_from__lte=today).count()
        assert latest.counts.welfare_free >= free_today >= 2


def _snapshot() -> dict[str, Any]:
    return {
        "homes": list(SecureHome.objects.order_by("pk").values_list("name", "latitude", "accepts")),
        "beds": list(Vacancy.objects.order_by("pk").values_list("available_from", "restriction_sex")),
        "referrals": list(
            Referral.objects.order_by("pk").values_list(
                "first_name", "last_name", "date_of_birth", "status", "needs", "submitted_at",
                "closed_at", "local_authority__dfe_la_code",
            )
        ),
        "events": list(
            ReferralEvent.objects.order_by("at", "id").values_list("at", "to_status", "reason")
        ),
        "answers": list(HomeResponse.objects.order_by("pk").values_list("recorded_at", "kind")),
    }  # fmt: skip


class _Undo(Exception):
    pass


def _snapshot_of_run(seed: int) -> dict[str, Any]:
    """Generate, read everything back, and roll it all away again."""
    snapshot: dict[str, Any] = {}
    try:
        with transaction.atomic():
            _generate(seed=seed, referrals=60)
            snapshot = _snapshot()
            raise _Undo
    except _Undo:
        pass
    return snapshot


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    first = _snapshot_of_run(seed=3)
    assert len(first["referrals"]) == 60
    assert _snapshot_of_run(seed=3) == first
    other = _snapshot_of_run(seed=4)
    assert other["referrals"] != first["referrals"] and other["homes"] != first["homes"]


def test_a_database_that_holds_a_national_set_is_refused() -> None:
    _generate(homes=2, referrals=5)
    with pytest.raises(CommandError, match="already holds a national data set"):
        _generate(homes=2, referrals=5)


def test_without_authorities_it_says_what_to_run_first() -> None:
    from swc.organisations.models import LocalAuthority

    LocalAuthority.objects.all().delete()
    with pytest.raises(CommandError, match="run import_local_authorities first"):
        _generate()
    assert not SecureHome.objects.exists()


def test_rows_written_straight_to_a_table_read_back_as_the_orm_writes_them() -> None:
    """The generator bypasses the ORM (executemany on SQLite, COPY on PostgreSQL): each kind
    of value it writes must read back exactly as the same value saved through the ORM."""
    from zoneinfo import ZoneInfo

    from swc.core.vocabulary import Sex
    from swc.organisations.models import LocalAuthority
    from swc.web.national import _Table

    la = LocalAuthority.objects.order_by("pk").first()
    assert la is not None
    values = {
        "local_authority_id": la.pk,
        "status": Status.SUBMITTED,
        "first_name": "Zoë",
        "last_name": "O'Neill",
        "sex": Sex.FEMALE,
        "date_of_birth": dt.date(2012, 2, 29),
        "needs": ["self_harm", "going_missing"],
        "need_descriptions": {"self_harm": 'Said "not again" — twice.'},
        "unaccompanied_asylum_seeking": True,
        # Summer time in London, with microseconds; and midnight UTC without any.
        "submitted_at": dt.datetime(2025, 7, 1, 0, 30, 5, 250000, tzinfo=ZoneInfo("Europe/London")),
        "bed_needed_at": dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC),
        "hearing_date": None,
    }
    through_orm = Referral.objects.create(**values)
    _Table(Referral).rows_insert([{**values, "created_at": NOW, "modified_at": NOW}])
    written = Referral.objects.exclude(pk=through_orm.pk).get()
    ignored = {"id", "created_at", "modified_at"}  # the ORM stamps these itself

    def read(pk: int) -> dict[str, Any]:
        row = Referral.objects.filter(pk=pk).values().get()
        return {name: value for name, value in row.items() if name not in ignored}

    assert read(written.pk) == read(through_orm.pk)
    assert written.submitted_at == dt.datetime(2025, 6, 30, 23, 30, 5, 250000, tzinfo=dt.UTC)
    assert written.need_descriptions == {"self_harm": 'Said "not again" — twice.'}
