"""Matching pages: the coordinator's list, a home's answer, the authority's offers, placements."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.audit.models import AuditAction, AuditEvent
from swc.homes.models import VacancyStatus
from swc.homes.tests.factories import declaration_make, price_set
from swc.matching.models import HomeResponse, MatchRun, Offer, OfferStatus, Placement
from swc.matching.services import home_response_record, match_run, offer_accept, shortlist_send
from swc.matching.tests.factories import free_bed, home_make, manager_of
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import ReferralFactory, complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COORDINATOR)


@pytest.fixture
def la():  # type: ignore[no-untyped-def]
    return LocalAuthorityFactory(latitude=52.1, longitude=-1.4)


def _sent(referral, coordinator, *homes):  # type: ignore[no-untyped-def]
    run = match_run(referral=referral, by=coordinator)
    shortlist_send(run=run, by=coordinator, home_ids=[h.pk for h in homes])
    return Referral.objects.get(pk=referral.pk)


def test_coordinator_runs_matching_and_sends_the_list(client_for, coordinator, la) -> None:
    chosen = home_make(name="Chosen Home")
    home_make(name="Full Home", beds=0)
    referral = complete_referral(local_authority=la)
    client = client_for(coordinator)
    url = f"/matching/referrals/{referral.pk}/"

    page = client.get(url)
    assert page.status_code == 200 and b"Find potential placements" in page.content

    response = client.post(url, {"action": "run"})
    assert response.status_code == 302
    page = client.get(url)
    text = page.content.decode()
    assert "The homes have been matched against today&#x27;s register" in text
    assert "Chosen Home" in text and "No free welfare bed on the register" in text
    assert "Distance from home area" in text

    response = client.post(url, {"action": "send", "homes": [str(chosen.pk)]})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.WITH_HOMES and referral.list_provided_at == NOW
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(referral.pk)).exists()


def test_the_ranked_list_says_how_current_each_homes_register_is(
    client_for, coordinator, la
) -> None:
    """Tuesday 10 March 2026 (the autouse clock): Monday's figures are current, Friday's not."""
    current = home_make(name="Current Home")
    declaration_make(current, on=dt.date(2026, 3, 9))
    old = home_make(name="Old Home")
    declaration_make(old, on=dt.date(2026, 3, 6))
    referral = complete_referral(local_authority=la)
    match_run(referral=referral, by=coordinator)
    page = client_for(coordinator).get(f"/matching/referrals/{referral.pk}/")
    html = " ".join(page.content.decode().split())
    assert "Register: Confirmed yesterday" in html
    assert "Register: Not confirmed for 1 working day, since Friday 6 March" in html
    assert "The register of Old Home is older than the last working day." in html


def test_sending_with_no_home_chosen_shows_an_error_and_changes_nothing(
    client_for, coordinator, la
) -> None:
    home_make()
    referral = complete_referral(local_authority=la)
    match_run(referral=referral, by=coordinator)
    page = client_for(coordinator).post(f"/matching/referrals/{referral.pk}/", {"action": "send"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "Choose at least one home" in page.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETE and referral.list_provided_at is None


def test_an_incomplete_referral_cannot_be_matched_on_the_page(client_for, coordinator, la) -> None:
    referral = ReferralFactory(local_authority=la, status=Status.SUBMITTED)
    page = client_for(coordinator).post(f"/matching/referrals/{referral.pk}/", {"action": "run"})
    assert page.status_code == 200
    assert "not complete, so it cannot be matched" in page.content.decode()
    assert not MatchRun.objects.exists()


def test_others_get_404_on_the_match_page(client_for, la) -> None:
    referral = complete_referral(local_authority=la)
    referrer = user_with_role(Role.REFERRER, la.organisation)
    assert client_for(referrer).get(f"/matching/referrals/{referral.pk}/").status_code == 404


def test_a_home_manager_accepts_with_an_offer(client_for, coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    client = client_for(manager_of(home))
    url = f"/matching/referrals/{referral.pk}/respond/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"kind": "accept", "vacancy": str(free_bed(home).pk), "available_from": "10 3 2026"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.home == home and offer.available_from == TODAY
    assert HomeResponse.objects.get().by_phone is False


def test_a_decline_without_a_reason_is_shown_as_an_error(client_for, coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    page = client_for(manager_of(home)).post(
        f"/matching/referrals/{referral.pk}/respond/", {"kind": "decline"}
    )
    assert page.status_code == 200
    assert "Select why the home is declining" in page.content.decode()
    assert not HomeResponse.objects.exists()


def test_each_answer_reveals_only_its_own_fields(client_for, coordinator, la) -> None:
    """GOV.UK conditional reveal: each radio controls the block holding its fields."""
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    page = client_for(manager_of(home)).get(f"/matching/referrals/{referral.pk}/respond/")
    html = page.content.decode()
    blocks = {
        "accept": ('name="vacancy"', 'name="available_from_day"', 'name="conditions"'),
        "information": ('name="question"',),
        "decline": ('name="decline_reason"', 'name="decline_detail"'),
    }
    for kind, names in blocks.items():
        assert f'value="{kind}" data-aria-controls="answer-{kind}"' in html
        start = html.index(f'id="answer-{kind}"')
        ends = [html.find(mark, start) for mark in ('name="kind"', "Send answer")]
        block = html[start : min(end for end in ends if end > 0)]
        for name in names:
            assert name in block, (kind, name)
        # Nothing is chosen yet, so each block starts hidden (when JavaScript runs).
        assert (
            f'govuk-radios__conditional govuk-radios__conditional--hidden" id="answer-{kind}"'
            in html
        )
    for words in ("Offer a bed", "Ask the authority a question", "Decline the referral"):
        assert words in html


def test_a_decline_ignores_a_bad_date_typed_under_offer_a_bed(client_for, coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    response = client_for(manager_of(home)).post(
        f"/matching/referrals/{referral.pk}/respond/",
        {"kind": "decline", "decline_reason": "staffing", "available_from": "31 2 2026"},
    )
    assert response.status_code == 302
    answer = HomeResponse.objects.get()
    assert (answer.kind, answer.decline_reason, answer.available_from) == (
        "decline",
        "staffing",
        None,
    )


def test_an_offer_missing_its_date_keeps_the_offer_open_and_says_so(
    client_for, coordinator, la
) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    page = client_for(manager_of(home)).post(
        f"/matching/referrals/{referral.pk}/respond/",
        {"kind": "accept", "vacancy": str(free_bed(home).pk), "decline_reason": "nonsense"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter the date the bed is available" in html
    assert "Select a valid choice" not in html  # the decline's reason was not chosen
    # The chosen answer's fields stay revealed with the error.
    assert 'govuk-radios__conditional" id="answer-accept"' in html
    assert not HomeResponse.objects.exists()


def test_a_question_and_a_decline_reason_each_have_their_own_box(
    client_for, coordinator, la
) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    url = f"/matching/referrals/{referral.pk}/respond/"
    client = client_for(manager_of(home))
    page = client.post(url, {"kind": "information", "decline_detail": "Not this one"})
    assert "Enter the question for the authority" in page.content.decode()
    assert 'id="id_question-error"' in page.content.decode()
    page = client.post(url, {"kind": "decline", "decline_reason": "other"})
    assert 'id="id_decline_detail-error"' in page.content.decode()
    assert "Say why the home is declining" in page.content.decode()
    client.post(
        url, {"kind": "information", "question": "Is there a health plan?", "offer_message": "x"}
    )
    assert HomeResponse.objects.get().detail == "Is there a health plan?"


def test_a_home_not_sent_the_referral_gets_404(client_for, coordinator, la) -> None:
    home, other = home_make(), home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    url = f"/matching/referrals/{referral.pk}/respond/"
    assert client_for(manager_of(other)).get(url).status_code == 404


def test_the_unit_records_a_phone_answer(client_for, coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    response = client_for(coordinator).post(
        f"/matching/referrals/{referral.pk}/respond/",
        {"home": str(home.pk), "kind": "decline", "decline_reason": "staffing"},
    )
    assert response.status_code == 302
    assert HomeResponse.objects.get().by_phone is True


def test_the_authority_sees_the_price_and_accepts_an_offer(client_for, coordinator, la) -> None:
    home = home_make(name="Offering Home")
    price_set(home, "7321.00")
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    home_response_record(
        referral=referral,
        home=home,
        kind="accept",
        by=manager_of(home),
        vacancy=free_bed(home),
        available_from=TODAY,
    )
    referrer = user_with_role(Role.REFERRER, la.organisation)
    client = client_for(referrer)
    url = f"/matching/referrals/{referral.pk}/offers/"
    page = client.get(url)
    assert "£7,321.00" in page.content.decode()
    offer = Offer.objects.get()
    # Accepting is never one click: the offers page links to a confirmation page.
    confirm = f"/matching/offers/{offer.pk}/accept/"
    assert confirm in page.content.decode()
    assert Offer.objects.get().status == OfferStatus.OPEN
    question = client.get(confirm).content.decode()
    assert "You are accepting Offering Home at £7,321.00 a week from 10 March 2026." in question
    assert client.post(confirm).status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.vacancy.status == VacancyStatus.HELD

    stranger = user_with_role(Role.REFERRER, LocalAuthorityFactory().organisation)
    assert client_for(stranger).get(url).status_code == 404


def test_the_unit_records_admission_and_discharge(client_for, coordinator, la) -> None:
    home = home_make()
    referral = _sent(complete_referral(local_authority=la), coordinator, home)
    offer = home_response_record(
        referral=referral,
        home=home,
        kind="accept",
        by=manager_of(home),
        vacancy=free_bed(home),
        available_from=TODAY,
    ).offer
    offer_accept(offer=offer, by=coordinator)
    client = client_for(coordinator)
    assert referral.reference in client.get("/matching/placements/").content.decode()
    admit = f"/matching/offers/{offer.pk}/admit/"
    bad = client.post(admit, {"admitted_on": "1 4 2026", "admitted_time": "10:00"})
    assert "cannot be in the future" in bad.content.decode()
    no_time = client.post(admit, {"admitted_on": "9 3 2026"})
    assert "Enter the time the child arrived" in no_time.content.decode()
    bad_time = client.post(admit, {"admitted_on": "9 3 2026", "admitted_time": "25:10"})
    assert "Enter the time in hours and minutes, like 14:30" in bad_time.content.decode()
    assert not Placement.objects.exists()
    assert (
        client.post(admit, {"admitted_on": "9 3 2026", "admitted_time": "21:15"}).status_code == 302
    )
    placement = Placement.objects.get()
    # 21:15 in London on 9 March (GMT) is 21:15 UTC.
    assert placement.admitted_at == dt.datetime(2026, 3, 9, 21, 15, tzinfo=dt.UTC)
    response = client.post(
        f"/matching/placements/{placement.pk}/discharge/",
        {
            "discharged_on": "10 3 2026",
            "discharged_time": "08:00",
            "reason": "order_ended",
            "destination": "family",
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.length_of_stay_days == 1


def test_allocation_page_is_a_proposal(
    client_for, coordinator, la, django_assert_max_num_queries
) -> None:
    home_make()
    complete_referral(local_authority=la)
    for n in range(2, 8):
        complete_referral(local_authority=la, la_child_identifier=f"SYN-000{n}")
    client = client_for(coordinator)
    # A constant number of queries, whatever the number of waiting children.
    with django_assert_max_num_queries(20):
        page = client.get("/matching/allocation/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "This is a proposal for the coordinator, not a decision" in text
    assert "Children placed: 1 in the proposal, 1 one at a time." in text


def test_allocation_page_is_for_the_unit_only(client_for, la) -> None:
    referrer = user_with_role(Role.REFERRER, la.organisation)
    assert client_for(referrer).get("/matching/allocation/").status_code == 404


def test_match_and_placement_pages_stay_within_a_query_budget(
    client_for, coordinator, la, django_assert_max_num_queries
) -> None:
    homes = [home_make() for _ in range(8)]
    referral = _sent(complete_referral(local_authority=la), coordinator, *homes)
    for home in homes[:4]:
        home_response_record(
            referral=referral,
            home=home,
            kind="accept",
            by=manager_of(home),
            vacancy=free_bed(home),
            available_from=TODAY,
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(30):
        assert client.get(f"/matching/referrals/{referral.pk}/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/matching/placements/").status_code == 200
