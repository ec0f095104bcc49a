"""Matching services: run, send, responses, offers, placements; each refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine

from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.core.events import DomainEvent, EventKind, _subscribers
from swc.homes.models import Vacancy, VacancyStatus
from swc.homes.selectors import home_price_for
from swc.homes.services import vacancy_hold
from swc.homes.tests.factories import price_set
from swc.matching import runs
from swc.matching.models import (
    HomeExclusion,
    HomeResponse,
    MatchRun,
    Offer,
    OfferStatus,
    Placement,
)
from swc.matching.runs import candidate_json, exclusion_json
from swc.matching.scoring import match_referral
from swc.matching.selectors import child_profile_of, home_profiles_for_matching
from swc.matching.services import (
    NOT_COMPLETE_MESSAGE,
    home_response_record,
    match_run,
    offer_accept,
    offer_fall_through,
    placement_admit,
    placement_discharge,
    shortlist_send,
)
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import ReferralFactory, complete_referral
from swc.referrals.workflow import Status

from .factories import free_bed, home_make, manager_of

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def published():  # type: ignore[no-untyped-def]
    events: list[DomainEvent] = []
    _subscribers.append(events.append)
    yield events
    _subscribers.remove(events.append)


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COORDINATOR)


@pytest.fixture
def la():  # type: ignore[no-untyped-def]
    # Near the factory homes (52.0, -1.5).
    return LocalAuthorityFactory(latitude=52.1, longitude=-1.4)


@pytest.fixture
def referrer(la):  # type: ignore[no-untyped-def]
    return user_with_role(Role.REFERRER, la.organisation)


def _sent(referral: Referral, coordinator, *homes) -> Referral:  # type: ignore[no-untyped-def]
    run = match_run(referral=referral, by=coordinator)
    shortlist_send(run=run, by=coordinator, home_ids=[h.pk for h in homes])
    return Referral.objects.get(pk=referral.pk)


def _offer(referral, home, *, by=None) -> Offer:  # type: ignore[no-untyped-def]
    by = by or manager_of(home)
    response = home_response_record(
        referral=referral,
        home=home,
        kind="accept",
        by=by,
        vacancy=free_bed(home),
        available_from=TODAY,
    )
    return response.offer


# --- match -----------------------------------------------------------------------------


def test_a_run_read_back_from_the_database_gives_the_rows_a_fresh_match_makes(coordinator, la):
    home_make(name="Good Home", profile={"specialist_support": ["self_harm"]})
    home_make(name="Group Home", profile={"current_group_needs": ["going_missing"]})
    home_make(name="Full Home", beds=0)
    home_make(name="Boys Home", accepts="boys")
    referral = complete_referral(local_authority=la)
    run = match_run(referral=referral, by=coordinator)
    fresh = match_referral(
        child_profile_of(Referral.objects.get(pk=referral.pk), TODAY),
        home_profiles_for_matching(),
        TODAY,
    )

    stored = MatchRun.objects.get(pk=run.pk)
    assert stored.candidates["v"] == stored.exclusions["v"] == runs.COMPACT  # not a dict a home
    # Through JSON, as the rows a run kept before it was stored column by column.
    assert stored.candidate_rows == json.loads(
        json.dumps(list(map(candidate_json, fresh.candidates)))
    )
    assert stored.exclusion_rows == json.loads(
        json.dumps(list(map(exclusion_json, fresh.exclusions)))
    )
    assert [(h.name, h.score) for h in stored.ranked_homes()] == [
        (c.name, c.score) for c in fresh.candidates
    ]
    assert [h.name for h in stored.ranked_homes()] == ["Good Home", "Group Home"]


def test_a_run_stored_one_dict_a_home_reads_as_it_did(coordinator, la):
    referral = complete_referral(local_authority=la)
    old = MatchRun.objects.create(
        referral=referral,
        run_at=NOW,
        weights={"distance": 30.0},
        candidates=[{"home_id": 7, "name": "Old House", "score": 55.0, "parts": []}],
        exclusions=[{"home_id": 8, "name": "Old Full House", "why": [["no_bed"]]}],
    )
    stored = MatchRun.objects.get(pk=old.pk)
    assert [(h.name, h.score, h.parts) for h in stored.ranked_homes()] == [("Old House", 55.0, ())]
    assert [(e.name, e.reasons) for e in stored.excluded_homes()] == [
        ("Old Full House", ("No free welfare bed on the register",))
    ]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.INFORMATION_REQUESTED])
def test_a_referral_that_is_not_complete_cannot_be_matched(coordinator, la, status) -> None:
    referral = ReferralFactory(local_authority=la, status=status)
    with pytest.raises(ServiceError) as refused:
        match_run(referral=referral, by=coordinator)
    assert refused.value.message == NOT_COMPLETE_MESSAGE
    assert not MatchRun.objects.exists()


def test_match_run_ranks_candidates_and_explains_exclusions(coordinator, la) -> None:
    good = home_make(name="Good Home", profile={"specialist_support": ["self_harm"]})
    no_bed = home_make(name="Full Home", beds=0)
    boys = home_make(name="Boys Home", accepts="boys")
    excluded = home_make(name="Excluded Home")
    HomeExclusion.objects.create(local_authority=la, home=excluded)
    referral = complete_referral(local_authority=la)

    run = match_run(referral=referral, by=coordinator)

    assert [c["name"] for c in run.candidate_rows] == ["Good Home"]
    (candidate,) = run.ranked_homes()
    assert candidate.score == round(sum(p.points for p in candidate.parts), 1)
    assert [p.name for p in candidate.parts] == [
        "distance",
        "specialist_support",
        "group_fit",
        "earlier_placement",
        "bed_soon",
    ]
    reasons = {e.name: e.reasons for e in run.excluded_homes()}
    assert reasons == {
        "Boys Home": ("Registered for boys only",),
        "Excluded Home": ("Excluded by the child's local authority",),
        "Full Home": ("No free welfare bed on the register",),
    }
    assert (good.pk, no_bed.pk, boys.pk) and run.weights["distance"] == 30.0


def test_an_earlier_placement_of_the_same_child_scores(coordinator, la) -> None:
    home = home_make()
    complete_referral(local_authority=la, status=Status.PLACED, placed_home=home)
    referral = complete_referral(local_authority=la)
    (candidate,) = match_run(referral=referral, by=coordinator).ranked_homes()
    earlier = next(p for p in candidate.parts if p.name == "earlier_placement")
    assert (earlier.points, earlier.reason) == (10.0, "The child has been placed here before")


def test_a_referrer_cannot_run_matching(referrer, la) -> None:
    with pytest.raises(NotPermitted):
        match_run(referral=complete_referral(local_authority=la), by=referrer)


# --- send ------------------------------------------------------------------------------


def test_sending_provides_the_list_stamps_the_kpi_time_and_shares(
    coordinator, la, published
) -> None:
    chosen, other = home_make(), home_make()
    referral = complete_referral(local_authority=la)
    run = match_run(referral=referral, by=coordinator)

    shortlist_send(run=run, by=coordinator, home_ids=[chosen.pk], note="Closest first")

    referral.refresh_from_db()
    assert referral.status == Status.WITH_HOMES
    assert referral.list_provided_at == NOW
    assert referral.policy_is_shared_with(chosen.organisation_id)
    assert not referral.policy_is_shared_with(other.organisation_id)
    run.refresh_from_db()
    assert run.selected_home_ids == [chosen.pk] and run.sent_by == coordinator
    kinds = [e.kind for e in published]
    assert EventKind.REFERRAL_LIST_PROVIDED in kinds
    sent = next(e for e in published if e.kind == EventKind.REFERRAL_SENT_TO_HOME)
    assert sent.home_organisation_ids == (chosen.organisation_id,)


def test_send_to_every_home_with_a_bed(coordinator, la) -> None:
    homes = [home_make(), home_make()]
    full = home_make(beds=0)
    referral = complete_referral(local_authority=la)
    run = match_run(referral=referral, by=coordinator)
    shortlist_send(run=run, by=coordinator, every_home_with_bed=True)
    referral = Referral.objects.get(pk=referral.pk)
    assert all(referral.policy_is_shared_with(h.organisation_id) for h in homes)
    assert not referral.policy_is_shared_with(full.organisation_id)


@pytest.mark.parametrize(
    ("choose", "message"),
    [
        ("excluded", "Only homes on the list can be chosen"),
        ("nothing", "Choose at least one home to send the referral to"),
    ],
)
def test_bad_choices_change_nothing(coordinator, la, choose, message) -> None:
    home_make()
    full = home_make(beds=0)
    referral = complete_referral(local_authority=la)
    run = match_run(referral=referral, by=coordinator)
    with pytest.raises(ServiceError) as refused:
        shortlist_send(run=run, by=coordinator, home_ids=[full.pk] if choose == "excluded" else [])
    assert refused.value.message.startswith(message)
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETE and referral.list_provided_at is None
    assert not referral.shares.exists()


# --- responses -------------------------------------------------------------------------


def test_a_home_accepts_with_an_offer(coordinator, la, published) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    assert offer.status == OfferStatus.OPEN and offer.available_from == TODAY
    event = next(e for e in published if e.kind == EventKind.HOME_RESPONDED)
    assert event.home_organisation_ids == (home.organisation_id,)
    assert event.local_authority_organisation_id == la.organisation_id


def test_a_home_with_no_free_bed_cannot_accept(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    vacancy_hold(vacancy=free_bed(home), referral_id=999, by=coordinator)
    with pytest.raises(ServiceError) as refused:
        home_response_record(
            referral=referral, home=home, kind="accept", by=manager_of(home), available_from=TODAY
        )
    assert refused.value.message.startswith("The home has no free bed on the register")
    assert not HomeResponse.objects.exists() and not Offer.objects.exists()


def test_an_offer_date_before_the_bed_is_free_is_refused(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    with pytest.raises(ServiceError) as refused:
        home_response_record(
            referral=referral,
            home=home,
            kind="accept",
            by=manager_of(home),
            vacancy=free_bed(home),
            available_from=TODAY - dt.timedelta(days=1),
        )
    assert refused.value.field == "available_from"
    assert not HomeResponse.objects.exists()


@pytest.mark.parametrize(
    ("kind", "reason", "detail", "field"),
    [
        ("decline", "", "", "decline_reason"),
        ("decline", "not_a_reason", "", "decline_reason"),
        ("decline", "other", "", "detail"),
        ("information", "", "  ", "detail"),
        ("maybe", "", "", "kind"),
    ],
)
def test_bad_responses_get_a_specific_message(coordinator, la, kind, reason, detail, field) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    with pytest.raises(ServiceError) as refused:
        home_response_record(
            referral=referral,
            home=home,
            kind=kind,
            by=manager_of(home),
            decline_reason=reason,
            detail=detail,
        )
    assert refused.value.field == field
    assert not HomeResponse.objects.exists()


def test_decline_withdraws_an_open_offer_and_other_needs_text(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    home_response_record(
        referral=referral,
        home=home,
        kind="decline",
        by=manager_of(home),
        decline_reason="other",
        detail="Building work",
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


def test_the_unit_records_a_phone_response(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    response = home_response_record(
        referral=referral,
        home=home,
        kind="information",
        by=coordinator,
        detail="What is the current education provision?",
    )
    assert response.by_phone and response.counted and response.recorded_by == coordinator


def test_a_home_not_sent_the_referral_or_another_homes_manager_is_refused(coordinator, la) -> None:
    home, stranger = home_make(), home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    with pytest.raises(NotPermitted):
        home_response_record(
            referral=referral, home=home, kind="information", by=manager_of(stranger), detail="?"
        )
    with pytest.raises(ServiceError):
        home_response_record(
            referral=referral, home=stranger, kind="information", by=coordinator, detail="?"
        )
    assert not HomeResponse.objects.exists()


# --- offers and placements -----------------------------------------------------------------


def test_accepting_an_offer_holds_the_bed_and_closes_the_referral_to_other_homes(
    coordinator, la, referrer, published
) -> None:
    first, second = home_make(), home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, first, second)
    offer, other = _offer(referral, first), _offer(referral, second)

    offer_accept(offer=offer, by=referrer)

    offer.refresh_from_db()
    other.refresh_from_db()
    assert (offer.status, other.status) == (OfferStatus.ACCEPTED, OfferStatus.NOT_TAKEN)
    bed = Vacancy.objects.get(pk=offer.vacancy_id)
    assert (bed.status, bed.referral_id) == (VacancyStatus.HELD, referral.pk)
    assert Referral.objects.get(pk=referral.pk).status == Status.OFFER_ACCEPTED
    closed = next(e for e in published if e.kind == EventKind.REFERRAL_CLOSED)
    assert closed.home_organisation_ids == (second.organisation_id,)
    assert any(e.kind == EventKind.OFFER_ACCEPTED for e in published)


def test_a_late_response_after_acceptance_is_recorded_and_ignored(coordinator, la) -> None:
    first, second = home_make(), home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, first, second)
    offer_accept(offer=_offer(referral, first), by=coordinator)
    late = home_response_record(
        referral=referral,
        home=second,
        kind="accept",
        by=manager_of(second),
        vacancy=free_bed(second),
        available_from=TODAY,
    )
    assert late.counted is False
    assert not Offer.objects.filter(home=second).exists()


def test_a_home_declining_after_its_offer_was_accepted_is_refused(coordinator, la) -> None:
    home, other = home_make(), home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home, other)
    offer = _offer(referral, home)
    offer_accept(offer=offer, by=coordinator)
    with pytest.raises(ConflictError) as refused:
        home_response_record(
            referral=referral,
            home=home,
            kind="decline",
            by=manager_of(home),
            decline_reason="staffing",
        )
    assert refused.value.message.startswith("The authority has already accepted this home's offer")
    assert not HomeResponse.objects.filter(kind="decline").exists()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert Vacancy.objects.get(pk=offer.vacancy_id).status == VacancyStatus.HELD


def test_an_offer_for_a_bed_that_has_gone_is_refused_and_changes_nothing(
    coordinator, la, referrer
) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    vacancy_hold(vacancy=offer.vacancy, referral_id=424242, by=coordinator)
    with pytest.raises(ConflictError) as refused:
        offer_accept(offer=offer, by=referrer)
    assert "no longer free" in refused.value.message
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN
    assert Referral.objects.get(pk=referral.pk).status == Status.WITH_HOMES


def test_another_authority_cannot_accept(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    stranger = user_with_role(Role.REFERRER, LocalAuthorityFactory().organisation)
    with pytest.raises(NotPermitted):
        offer_accept(offer=offer, by=stranger)


def test_the_price_is_visible_to_the_authority_through_its_own_offer_only(
    coordinator, la, referrer
) -> None:
    home = home_make()
    price_set(home, "7500.00")
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    stranger = user_with_role(Role.REFERRER, LocalAuthorityFactory().organisation)
    assert home_price_for(referrer, home, via=offer) == Decimal("7500.00")
    assert home_price_for(referrer, home) is None
    assert home_price_for(stranger, home, via=offer) is None
    other_home = home_make()
    price_set(other_home, "9000.00")
    assert home_price_for(referrer, other_home, via=offer) is None


def test_admission_and_discharge_give_the_length_of_stay(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    offer_accept(offer=offer, by=coordinator)
    placement = placement_admit(
        offer=offer, admitted_on=TODAY - dt.timedelta(days=1), by=coordinator
    )
    referral.refresh_from_db()
    assert referral.status == Status.PLACED and referral.placed_home == home
    assert Vacancy.objects.get(pk=offer.vacancy_id).status == VacancyStatus.FILLED
    assert placement.length_of_stay_days is None
    with pytest.raises(ServiceError) as refused:
        placement_discharge(
            placement=placement,
            discharged_on=TODAY - dt.timedelta(days=5),
            reason="order_ended",
            destination="family",
            by=coordinator,
        )
    assert refused.value.field == "discharged_on"
    with time_machine.travel(NOW + dt.timedelta(days=90), tick=False):
        placement_discharge(
            placement=placement,
            discharged_on=TODAY + dt.timedelta(days=89),
            reason="order_ended",
            destination="family",
            by=coordinator,
        )
    placement.refresh_from_db()
    assert placement.length_of_stay_days == 90


def test_a_placement_for_a_closed_referral_is_refused(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    offer_accept(offer=offer, by=coordinator)
    Referral.objects.filter(pk=referral.pk).update(status=Status.CLOSED_NOT_PLACED)
    with pytest.raises(ConflictError) as refused:
        placement_admit(offer=offer, admitted_on=TODAY, by=coordinator)
    assert "closed" in refused.value.message
    assert not Placement.objects.exists()
    assert Vacancy.objects.get(pk=offer.vacancy_id).status == VacancyStatus.HELD


def test_an_open_offer_cannot_become_a_placement(coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    with pytest.raises(ServiceError):
        placement_admit(offer=offer, admitted_on=TODAY, by=coordinator)
    assert not Placement.objects.exists()


def test_an_accepted_offer_that_falls_through_frees_the_bed_and_resumes_the_search(
    coordinator, la
) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = _offer(referral, home)
    offer_accept(offer=offer, by=coordinator)
    offer_fall_through(offer=offer, by=coordinator, detail="Home's staffing changed")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert Vacancy.objects.get(pk=offer.vacancy_id).status == VacancyStatus.FREE
    assert Referral.objects.get(pk=referral.pk).status == Status.WITH_HOMES
    with pytest.raises(ConflictError):
        offer_fall_through(offer=offer, by=coordinator)


def test_the_authority_sees_first_that_an_offer_waits_for_its_decision(
    coordinator, la, referrer, client_for
) -> None:
    from swc.matching.selectors import referrals_with_open_offers_for

    first, second = home_make(), home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, first, second)
    other_la_referral = _sent(complete_referral(), coordinator, first)
    offer = _offer(referral, first)
    _offer(referral, second)
    _offer(other_la_referral, first)

    assert referrals_with_open_offers_for(referrer) == [referral.pk]
    page = client_for(referrer).get("/").content.decode()
    assert "A home has offered a bed: 1 referral waiting for your decision" in page
    assert f'href="/matching/referrals/{referral.pk}/offers/"' in page

    offer_accept(offer=offer, by=referrer)
    assert referrals_with_open_offers_for(referrer) == []
    assert "waiting for your decision" not in client_for(referrer).get("/").content.decode()


def test_a_home_manager_sees_first_the_referrals_waiting_for_the_homes_answer(
    coordinator, la, client_for
) -> None:
    from swc.matching.selectors import referrals_awaiting_answer_from

    home, other = home_make(), home_make()
    manager = manager_of(home)
    first = _sent(complete_referral(local_authority=la), coordinator, home, other)
    second = _sent(complete_referral(local_authority=la), coordinator, home)
    _sent(complete_referral(local_authority=la), coordinator, other)  # not sent to this home

    assert referrals_awaiting_answer_from(manager) == [first.pk, second.pk]
    page = client_for(manager).get("/").content.decode()
    assert "2 referrals waiting for your home&#x27;s answer" in page

    _offer(first, home)  # answered (another home's silence does not count)
    assert referrals_awaiting_answer_from(manager) == [second.pk]
    page = client_for(manager).get("/").content.decode()
    assert "1 referral waiting for your home&#x27;s answer" in page
    assert f'href="/matching/referrals/{second.pk}/respond/"' in page
    assert referrals_awaiting_answer_from(coordinator) == []
