"""One small hand-built month (October 2026) whose every figure is worked out by hand.

Two authorities, two homes, six referrals. The expected figures are written
out, with the arithmetic, in test_figures.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from swc.core.vocabulary import Ethnicity, LegalStatus, NeedOrRisk, Sex
from swc.homes.models import SecureHome
from swc.homes.tests.factories import SecureHomeFactory, declaration_make
from swc.matching.models import HomeResponse, Offer, OfferStatus, Placement, ResponseKind
from swc.organisations.models import LocalAuthority, Region
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral, ReferralEvent, ReferralEventKind
from swc.referrals.services import referral_list_clocks_refresh
from swc.referrals.workflow import Status

LONDON = ZoneInfo("Europe/London")


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@dataclass
class October:
    la_a: LocalAuthority
    la_b: LocalAuthority
    h1: SecureHome
    h2: SecureHome
    referrals: dict[str, Referral]


def _referral(
    la: LocalAuthority, history: tuple[tuple[dt.datetime, str], ...] = (), **fields: Any
) -> Referral:
    """A referral with its stamps and the status history the service would have written."""
    fields.setdefault("first_name", "Testchild")
    fields.setdefault("last_name", "Synthetic")
    referral = Referral.objects.create(local_authority=la, **fields)
    history_add(referral, history)
    return referral


def history_add(referral: Referral, history: tuple[tuple[dt.datetime, str], ...]) -> None:
    """The status events, and the two-hour clock kept from them, as ``referral_transition``
    writes them at each move."""
    previous = Status.DRAFT
    for when, status in history:
        ReferralEvent.objects.create(
            referral=referral,
            at=when,
            actor_label="Test",
            kind=ReferralEventKind.STATUS,
            from_status=previous,
            to_status=status,
        )
        referral_list_clocks_refresh([referral.pk])
        previous = status


def _placement(referral: Referral, home: SecureHome, admitted: dt.date, **fields: Any) -> Placement:
    response = HomeResponse.objects.create(
        referral=referral, home=home, kind=ResponseKind.ACCEPT, recorded_at=at(7, 1)
    )
    offer = Offer.objects.create(
        referral=referral,
        home=home,
        response=response,
        available_from=admitted,
        status=OfferStatus.ACCEPTED,
    )
    return Placement.objects.create(
        referral=referral, offer=offer, home=home, admitted_on=admitted, **fields
    )


def october_build() -> October:
    la_a = LocalAuthorityFactory(
        name="Synthshire", region=Region.SOUTH_EAST, latitude=51.0, longitude=-1.3
    )
    la_b = LocalAuthorityFactory(
        name="Testborough", region=Region.LONDON, latitude=51.5, longitude=-0.1
    )
    # H1 is exactly one degree of latitude north of Synthshire.
    h1 = SecureHomeFactory(name="Home One", latitude=52.0, longitude=-1.3, approved_places=4)
    h2 = SecureHomeFactory(name="Home Two", latitude=53.0, longitude=-2.0, approved_places=2)
    r = {}
    r["r0"] = _referral(
        la_b,
        history=(
            (at(7, 1, 10), Status.SUBMITTED),
            (at(7, 1, 10), Status.COMPLETE),
            (at(7, 1, 11), Status.SHORTLISTED),
            (at(7, 1, 12), Status.WITH_HOMES),
            (at(7, 2, 10), Status.OFFER_ACCEPTED),
            (at(8, 1, 10), Status.PLACED),
        ),
        status=Status.PLACED,
        sex=Sex.MALE,
        submitted_at=at(7, 1, 10),
        completed_at=at(7, 1, 10),
        list_provided_at=at(7, 1, 11),
        offer_accepted_at=at(7, 2, 10),
        placed_at=at(8, 1, 10),
        closed_at=at(8, 1, 10),
        placed_home=h2,
    )
    r["r5"] = _referral(
        la_a,
        history=(
            (at(9, 20, 10), Status.SUBMITTED),
            (at(9, 20, 10), Status.COMPLETE),
            (at(9, 20, 11), Status.SHORTLISTED),
            (at(9, 20, 12), Status.WITH_HOMES),
        ),
        status=Status.WITH_HOMES,
        sex=Sex.MALE,
        submitted_at=at(9, 20, 10),
        completed_at=at(9, 20, 10),
        list_provided_at=at(9, 20, 11),
    )
    r["r1"] = _referral(
        la_a,
        history=(
            (at(10, 5, 10), Status.SUBMITTED),
            (at(10, 5, 10), Status.COMPLETE),
            (at(10, 5, 11), Status.SHORTLISTED),
            (at(10, 5, 12), Status.WITH_HOMES),
            (at(10, 8, 12), Status.OFFER_ACCEPTED),
            (at(10, 9, 10), Status.PLACED),
        ),
        status=Status.PLACED,
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2011, 1, 1),
        ethnicity=Ethnicity.WBRI,
        legal_status=LegalStatus.S25_ORDER,
        needs=[NeedOrRisk.GOING_MISSING, NeedOrRisk.SELF_HARM],
        submitted_at=at(10, 5, 10),
        completed_at=at(10, 5, 10),
        list_provided_at=at(10, 5, 11),
        offer_accepted_at=at(10, 8, 12),
        placed_at=at(10, 9, 10),
        closed_at=at(10, 9, 10),
        placed_home=h1,
    )
    r["r2"] = _referral(
        la_a,
        history=(
            (at(10, 6, 9), Status.SUBMITTED),
            (at(10, 6, 9), Status.COMPLETE),
            (at(10, 6, 12), Status.SHORTLISTED),
            (at(10, 6, 13), Status.WITH_HOMES),
            (at(10, 20, 12), Status.WITHDRAWN),
        ),
        status=Status.WITHDRAWN,
        sex=Sex.MALE,
        date_of_birth=dt.date(2010, 6, 1),
        ethnicity=Ethnicity.WBRI,
        legal_status=LegalStatus.S25_APPLICATION,
        needs=[NeedOrRisk.GOING_MISSING],
        submitted_at=at(10, 6, 9),
        completed_at=at(10, 6, 9),
        list_provided_at=at(10, 6, 12),
        closed_at=at(10, 20, 12),
        outcome_reason="alternative_found",
    )
    r["r3"] = _referral(
        la_b,
        history=(
            (at(10, 12, 14), Status.SUBMITTED),
            (at(10, 12, 15), Status.COMPLETE),
            (at(10, 13, 9, 30), Status.SHORTLISTED),
            (at(10, 13, 10), Status.WITH_HOMES),
            (at(10, 25, 10), Status.CLOSED_NOT_PLACED),
        ),
        status=Status.CLOSED_NOT_PLACED,
        sex=Sex.FEMALE,
        date_of_birth=dt.date(2013, 10, 20),
        ethnicity=Ethnicity.BCRB,
        legal_status=LegalStatus.REGULATION_10,
        needs=[],
        submitted_at=at(10, 12, 14),
        completed_at=at(10, 12, 15),
        list_provided_at=at(10, 13, 9, 30),
        closed_at=at(10, 25, 10),
        outcome_reason="custody",
    )
    r["r4"] = _referral(
        la_b,
        history=((at(10, 30, 16), Status.SUBMITTED),),
        status=Status.SUBMITTED,
        sex=Sex.FEMALE,
        submitted_at=at(10, 30, 16),
    )
    # Received in September; the offer accepted on 14 October fell through on the 16th, so
    # the child waits again (the stamp of the acceptance stays on the referral).
    r["r6"] = _referral(
        la_a,
        history=(
            (at(9, 25, 10), Status.SUBMITTED),
            (at(9, 25, 10), Status.COMPLETE),
            (at(9, 25, 11), Status.SHORTLISTED),
            (at(9, 25, 12), Status.WITH_HOMES),
            (at(10, 14, 10), Status.OFFER_ACCEPTED),
            (at(10, 16, 9), Status.WITH_HOMES),
        ),
        status=Status.WITH_HOMES,
        sex=Sex.MALE,
        submitted_at=at(9, 25, 10),
        completed_at=at(9, 25, 10),
        list_provided_at=at(9, 25, 11),
        offer_accepted_at=at(10, 14, 10),
    )
    # A draft never counts, even if created in the month.
    r["draft"] = _referral(la_b, status=Status.DRAFT)

    _placement(r["r0"], h2, dt.date(2026, 8, 1), discharged_on=dt.date(2026, 10, 15))
    _placement(r["r1"], h1, dt.date(2026, 10, 9))
    for referral, reason, when, counted in [
        (r["r1"], "group_mix", at(10, 6, 10), True),
        (r["r2"], "staffing", at(10, 7, 10), True),
        (r["r3"], "needs", at(10, 26, 10), False),  # after the outcome: not counted
        (r["r5"], "needs", at(9, 21, 10), True),  # September
    ]:
        HomeResponse.objects.create(
            referral=referral,
            home=h2,
            kind=ResponseKind.DECLINE,
            decline_reason=reason,
            recorded_at=when,
            counted=counted,
        )

    declaration_make(h1, on=dt.date(2026, 10, 1), staffed=4, occupied_welfare=3)
    declaration_make(h1, on=dt.date(2026, 10, 10), staffed=4, occupied_welfare=4)
    declaration_make(h2, on=dt.date(2026, 9, 30), staffed=2, youth_justice=1, occupied_welfare=1)
    return October(la_a, la_b, h1, h2, r)
