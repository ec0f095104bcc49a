"""Finding referrals: one hand-built set of children, the expected answers typed by hand.

Two children called Sam Patel in two authorities, told apart by date of birth; initials,
partial and mixed-case names, references, identifiers, authority, status and London days.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.core.errors import NotPermitted, ServiceError
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import Referral, ReferralShare
from swc.referrals.selectors import ReferralSearch, referral_search_for
from swc.referrals.tests.factories import ReferralFactory, complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


def _started(referral: Referral, at: dt.datetime) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(created_at=at)
    return referral


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    la_a = LocalAuthorityFactory(name="Synthshire")
    la_b = LocalAuthorityFactory(name="Otherton")
    utc = dt.UTC

    def child(la, first, last, dob, identifier, started, status=Status.COMPLETE):  # type: ignore[no-untyped-def]
        if status == Status.DRAFT:
            referral = ReferralFactory(
                local_authority=la,
                first_name=first,
                last_name=last,
                date_of_birth=dob,
                la_child_identifier=identifier,
            )
        else:
            referral = complete_referral(
                local_authority=la,
                status=status,
                first_name=first,
                last_name=last,
                date_of_birth=dob,
                la_child_identifier=identifier,
            )
        return _started(referral, started)

    refs = {
        "r1": child(
            la_a,
            "Sam",
            "Patel",
            dt.date(2011, 3, 27),
            "A-1",
            dt.datetime(2026, 3, 1, 10, tzinfo=utc),
        ),
        "r2": child(
            la_b,
            "Sam",
            "Patel",
            dt.date(2012, 5, 4),
            "B-2",
            dt.datetime(2026, 3, 5, 10, tzinfo=utc),
        ),
        "r3": child(
            la_a,
            "Jo",
            "Smith-Jones",
            dt.date(2010, 1, 15),
            "SYN-0003",
            dt.datetime(2026, 2, 20, 10, tzinfo=utc),
            Status.DRAFT,
        ),
        "r4": child(
            la_a,
            "Alex",
            "O'Neil",
            dt.date(2011, 3, 27),
            "A-4",
            dt.datetime(2026, 3, 9, 23, 30, tzinfo=utc),
            Status.WITHDRAWN,
        ),
        "r5": child(
            la_b,
            "Jamie",
            "Samson",
            dt.date(2013, 7, 7),
            "B-5",
            dt.datetime(2026, 3, 10, 8, tzinfo=utc),
        ),
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
        "r6": child(
            la_a,
            "Kit",
            "Lowe",
            None,
            "",
            dt.datetime(2026, 6, 30, 23, 30, tzinfo=utc),
            Status.DRAFT,
        ),
    }
    home = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    ReferralShare.objects.create(referral=refs["r1"], home_organisation=home, shared_at=NOW)
    return {
        **refs,
        "la_a": la_a,
        "la_b": la_b,
        "coordinator": user_with_role(Role.COORDINATOR),
        "referrer_a": user_with_role(Role.REFERRER, la_a.organisation),
        "home": user_with_role(Role.HOME_MANAGER, home),
        "analyst": user_with_role(Role.ANALYST),
    }


def found(world, user_key: str, **criteria) -> list[str]:  # type: ignore[no-untyped-def]
    names = {world[k].pk: k for k in ("r1", "r2", "r3", "r4", "r5", "r6")}
    if "local_authority" in criteria:
        criteria["local_authority_id"] = world[criteria.pop("local_authority")].pk
    rows = referral_search_for(world[user_key], ReferralSearch(**criteria))
    return [names[r.pk] for r in rows]


# Newest first in every answer. Typed from the set above, not from the code.
COORDINATOR_FINDS = [
    ({"text": "sam patel"}, ["r2", "r1"]),
    ({"text": "PATEL"}, ["r2", "r1"]),
    ({"text": "pAtE"}, ["r2", "r1"]),
    ({"text": "sam"}, ["r5", "r2", "r1"]),
    ({"text": "S P"}, ["r2", "r1"]),
    ({"text": "S.P."}, ["r2", "r1"]),
    ({"text": "j s"}, ["r5", "r3"]),
    ({"text": "o'neil"}, ["r4"]),
    ({"text": "smith-jones"}, ["r3"]),
    ({"text": "  smith   jo  "}, ["r3"]),
    ({"text": "syn-0003"}, ["r3"]),
    ({"text": "nobody"}, []),
    ({"text": "S. P.", "date_of_birth": dt.date(2011, 3, 27)}, ["r1"]),
    ({"text": "S. P.", "date_of_birth": dt.date(2012, 5, 4)}, ["r2"]),
    ({"date_of_birth": dt.date(2011, 3, 27)}, ["r4", "r1"]),
    ({"local_authority": "la_b"}, ["r5", "r2"]),
    ({"text": "patel", "local_authority": "la_a"}, ["r1"]),
    ({"status": Status.COMPLETE}, ["r5", "r2", "r1"]),
    ({"status": Status.DRAFT, "text": "lowe"}, ["r6"]),
    ({"started_from": dt.date(2026, 3, 5), "started_to": dt.date(2026, 3, 9)}, ["r4", "r2"]),
    ({"started_from": dt.date(2026, 3, 9), "started_to": dt.date(2026, 3, 9)}, ["r4"]),
    ({"started_from": dt.date(2026, 7, 1)}, ["r6"]),
    ({"started_to": dt.date(2026, 6, 30), "text": "lowe"}, []),
]


@pytest.mark.parametrize(("criteria", "expected"), COORDINATOR_FINDS)
def test_the_unit_finds_children_in_every_authority(world, criteria, expected) -> None:
    assert found(world, "coordinator", **criteria) == expected


def test_a_reference_finds_its_referral_however_it_is_typed(world) -> None:
    pk = world["r3"].pk
    for typed in (f"R{pk:06d}", f"r{pk}", str(pk), f" R{pk} "):
        assert found(world, "coordinator", text=typed) == ["r3"], typed


REFERRER_FINDS = [
    ({"text": "sam patel"}, ["r1"]),
    ({"text": "sam"}, ["r1"]),
    # the other authority's children are not there, whatever is asked
    ({"date_of_birth": dt.date(2012, 5, 4)}, []),
    ({"local_authority": "la_b"}, []),
    ({"text": "samson"}, []),
    ({"status": Status.DRAFT}, ["r6", "r3"]),
]


@pytest.mark.parametrize(("criteria", "expected"), REFERRER_FINDS)
def test_a_referrer_finds_only_their_own_authoritys_children(world, criteria, expected) -> None:
    assert found(world, "referrer_a", **criteria) == expected


def test_a_referrer_cannot_find_another_authoritys_child_by_reference(world) -> None:
    assert found(world, "referrer_a", text=world["r2"].reference) == []


@pytest.mark.parametrize(
    "criteria",
    [
        {"text": "patel"},
        {"date_of_birth": dt.date(2011, 3, 27)},
        {"local_authority": "la_a"},
    ],
)
@pytest.mark.parametrize("user_key", ["home", "analyst"])
def test_homes_and_analysts_may_not_search_for_a_child(world, user_key, criteria) -> None:
    with pytest.raises(NotPermitted):
        found(world, user_key, **criteria)


def test_a_home_may_still_filter_what_was_sent_to_it_by_status(world) -> None:
    assert found(world, "home", status=Status.COMPLETE) == ["r1"]
    assert found(world, "home", started_from=dt.date(2026, 3, 2)) == []


@pytest.mark.parametrize(
    ("criteria", "field", "message"),
    [
        ({"status": "lost"}, "status", "Choose a status from the list"),
        (
            {"started_from": dt.date(2026, 3, 9), "started_to": dt.date(2026, 3, 8)},
            "started_to",
            "The first date must be the same as or before the second date",
        ),
        ({"text": "x" * 201}, "text", "Enter 200 characters or fewer"),
    ],
)
def test_criteria_that_cannot_mean_anything_are_refused_clearly(
    world, criteria, field, message
) -> None:
    with pytest.raises(ServiceError) as refused:
        found(world, "coordinator", **criteria)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_the_audit_keeps_the_criteria_but_never_the_name_or_date_of_birth() -> None:
    search = ReferralSearch(
        text="Sam Patel",
        date_of_birth=dt.date(2011, 3, 27),
        local_authority_id=7,
        status=Status.COMPLETE,
        started_from=dt.date(2026, 3, 1),
        started_to=dt.date(2026, 3, 9),
    )
    assert search.audit_detail() == {
        "name_words": 2,
        "date_of_birth": "given",
        "local_authority_id": 7,
        "status": "complete",
        "started_from": "2026-03-01",
        "started_to": "2026-03-09",
    }
    assert ReferralSearch(text="r12").audit_detail() == {"reference": "R000012"}
