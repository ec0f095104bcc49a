"""The authority's side of the loop: the list page, deciding offers, a home's stages, admission.

Each page and endpoint is tried by every role, by a second authority and by a
second home; expected answers are typed out here.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from swc.api.tests.factories import api_client, key_for
from swc.homes.models import HomeProfile
from swc.homes.tests.factories import price_set
from swc.matching.models import ListSending, MatchRun, Offer, OfferStatus, Placement
from swc.matching.services import (
    home_response_record,
    match_run,
    offer_accept,
    offer_decline,
    placement_admit,
    shortlist_send,
)
from swc.matching.tests.factories import free_bed, home_make, manager_of
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene():  # type: ignore[no-untyped-def]
    """Near (sent, offers), Middle (sent, declines), Far (sent, silent), Full (excluded)."""
    coordinator = user_with_role(Role.COORDINATOR)
    la = LocalAuthorityFactory(latitude=52.1, longitude=-1.4)
    near = home_make(name="Near Home", latitude=52.2, longitude=-1.4)
    middle = home_make(name="Middle Home", latitude=52.6, longitude=-1.4)
    far = home_make(name="Far Home", latitude=53.5, longitude=-1.4)
    home_make(name="Full Home", beds=0)
    price_set(near, "6800.00")
    referral = complete_referral(local_authority=la)
    run = match_run(referral=referral, by=coordinator)
    shortlist_send(
        run=run,
        by=coordinator,
        home_ids=[near.pk, middle.pk],
        note="Near Home has worked with the child's school before",
    )
    offer = home_response_record(
        referral=referral,
        kind="accept",
        by=manager_of(near),
        vacancy=free_bed(near),
        available_from=TODAY + dt.timedelta(days=1),
        detail="We can collect from the court",
        conditions="After a planning meeting",
    ).offer
    home_response_record(
        referral=referral, kind="decline", by=manager_of(middle), decline_reason="staffing"
    )
    return {
        "coordinator": coordinator,
        "la": la,
        "near": near,
        "middle": middle,
        "far": far,
        "referral": Referral.objects.get(pk=referral.pk),
        "run": MatchRun.objects.get(),
        "offer": offer,
    }


# --- who sees the list ------------------------------------------------------------------

# role, whose: the expected status of /matching/referrals/<id>/list/, typed by hand.
LIST_PAGE = [
    ("referrer", "own", 200),
    ("another referrer", "own", 200),
    ("coordinator", "unit", 200),
    ("unit_manager", "unit", 200),
    ("referrer", "other authority", 404),
    ("home_manager", "sent home", 404),
    ("home_manager", "home not sent", 404),
    ("analyst", "", 404),
    ("admin", "own", 404),
]


def _person(scene, role: str, whose: str):  # type: ignore[no-untyped-def]
    if whose == "own":
        return user_with_role(
            Role.REFERRER if "referrer" in role else Role.ADMIN, scene["la"].organisation
        )
    if whose == "other authority":
        return user_with_role(Role.REFERRER, LocalAuthorityFactory().organisation)
    if whose == "sent home":
        return manager_of(scene["near"])
    if whose == "home not sent":
        return manager_of(scene["far"])
    return user_with_role(role)


@pytest.mark.parametrize(("role", "whose", "expected"), LIST_PAGE)
def test_the_list_page_is_for_the_authority_and_the_unit_only(
    client_for, scene, role, whose, expected
) -> None:
    person = _person(scene, role, whose)
    url = f"/matching/referrals/{scene['referral'].pk}/list/"
    assert client_for(person).get(url).status_code == expected


# The API says 403 to a role that may never see a list, 404 for another authority's.
LIST_ENDPOINT = [
    ("referrer", "own", 200),
    ("coordinator", "unit", 200),
    ("unit_manager", "unit", 200),
    ("referrer", "other authority", 404),
    ("home_manager", "sent home", 403),
    ("home_manager", "home not sent", 403),
    ("analyst", "", 403),
]


@pytest.mark.parametrize(("role", "whose", "expected"), LIST_ENDPOINT)
def test_the_list_endpoint_answers_the_same_people(scene, role, whose, expected) -> None:
    person = _person(scene, role, whose)
    membership = person.memberships.get()
    client = api_client(key_for(membership.role, membership.organisation).secret)
    response = client.get(f"/api/v1/referrals/{scene['referral'].pk}/list/")
    assert response.status_code == expected


def test_the_list_shows_homes_distance_reasons_note_and_live_answers(client_for, scene) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    page = client_for(referrer).get(f"/matching/referrals/{scene['referral'].pk}/list/")
    text = page.content.decode()
    assert "Potential placements" in text
    assert "Near Home has worked with the child&#x27;s school before" in text
    # 0.1 and 0.5 degrees of latitude north: 7 and 35 miles.
    assert "7 miles" in text and "35 miles" in text
    assert "Offered a bed: bed available from 11 March 2026" in text
    assert "Declined: Staffing" in text
    assert "Far Home" not in text.split("Homes that cannot take the child")[0]
    # No internal scores: the reasons are words.
    assert "score" not in text.lower() and " of 30" not in text
    # The unit did not share why the other homes cannot take the child: names only.
    assert "Full Home" in text and "No free welfare bed" not in text


def test_the_list_endpoint_gives_the_same_list(scene) -> None:
    client = api_client(key_for(Role.REFERRER, scene["la"].organisation).secret)
    body = client.get(f"/api/v1/referrals/{scene['referral'].pk}/list/").json()
    answers = {h["name"]: (h["answer"], h["detail"], h["available_from"]) for h in body["homes"]}
    assert answers == {
        "Near Home": ("offered", "", "2026-03-11"),
        "Middle Home": ("declined", "Staffing", None),
    }
    assert [h["note"] for h in body["history"]] == [
        "Near Home has worked with the child's school before"
    ]
    assert {e["name"]: e["reasons"] for e in body["excluded"]}["Full Home"] == []


def test_no_list_yet_is_a_404_in_the_api_and_a_plain_sentence_on_the_page(client_for) -> None:
    la = LocalAuthorityFactory()
    referral = complete_referral(local_authority=la)
    referrer = user_with_role(Role.REFERRER, la.organisation)
    page = client_for(referrer).get(f"/matching/referrals/{referral.pk}/list/")
    assert "has not provided a list of potential placements" in page.content.decode()
    client = api_client(key_for(Role.REFERRER, la.organisation).secret)
    assert client.get(f"/api/v1/referrals/{referral.pk}/list/").status_code == 404
    assert client.get("/api/v1/referrals/not-a-number/list/").status_code == 404


def test_every_sending_keeps_its_note_and_sharing_the_reasons_shows_them(client_for, scene) -> None:
    shortlist_send(
        run=scene["run"],
        by=scene["coordinator"],
        home_ids=[scene["far"].pk],
        note="",
        exclusions_shared=True,
    )
    notes = list(ListSending.objects.order_by("id").values_list("note", flat=True))
    assert notes == ["Near Home has worked with the child's school before", ""]
    # The run keeps the last note given, not a blank one.
    assert MatchRun.objects.get().note == "Near Home has worked with the child's school before"
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    text = client_for(referrer).get(f"/matching/referrals/{scene['referral'].pk}/list/")
    text = text.content.decode()
    assert "Far Home" in text and "Waiting for an answer" in text
    assert "Near Home has worked with the child&#x27;s school before" in text
    assert "Full Home: " in text


# --- deciding offers --------------------------------------------------------------------


def test_the_offers_page_shows_what_an_authority_needs_to_decide(client_for, scene) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    text = client_for(referrer).get(f"/matching/referrals/{scene['referral'].pk}/offers/")
    text = text.content.decode()
    for words in (
        "We can collect from the court",
        "After a planning meeting",
        "£6,800.00",
        "11 March 2026",
        "7 miles",
        "Middle Home: declined (staffing)",
        f"/matching/offers/{scene['offer'].pk}/accept/",
        f"/matching/offers/{scene['offer'].pk}/decline/",
    ):
        assert words in text, words
    # The home sees its own offer, but never its price page for another home or the buttons.
    home_text = client_for(manager_of(scene["near"])).get(
        f"/matching/referrals/{scene['referral'].pk}/offers/"
    )
    assert f"/matching/offers/{scene['offer'].pk}/accept/" not in home_text.content.decode()


def test_declining_an_offer_needs_a_reason_and_tells_the_home(client_for, scene) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    client = client_for(referrer)
    url = f"/matching/offers/{scene['offer'].pk}/decline/"
    empty = client.post(url, {"reason": "  "})
    assert "Enter the reason" in empty.content.decode()
    assert Offer.objects.get().status == OfferStatus.OPEN
    assert client.post(url, {"reason": "Too far from family"}).status_code == 302
    offer = Offer.objects.get()
    assert (offer.status, offer.status_reason) == (OfferStatus.DECLINED, "Too far from family")
    stage = client_for(manager_of(scene["near"])).get(
        f"/matching/referrals/{scene['referral'].pk}/respond/"
    )
    assert "The authority declined your offer" in stage.content.decode()
    assert "Too far from family" in stage.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("other authority", 404), ("home manager", 404), ("coordinator", 200)],
)
def test_only_the_authority_or_unit_may_open_the_decline_and_accept_pages(
    client_for, scene, who, expected
) -> None:
    person = {
        "other authority": lambda: user_with_role(
            Role.REFERRER, LocalAuthorityFactory().organisation
        ),
        "home manager": lambda: manager_of(scene["near"]),
        "coordinator": lambda: scene["coordinator"],
    }[who]()
    client = client_for(person)
    for page in ("decline", "accept"):
        assert client.get(f"/matching/offers/{scene['offer'].pk}/{page}/").status_code == expected


def test_a_home_withdraws_its_own_offer_only_and_with_a_reason(client_for, scene) -> None:
    url = f"/matching/offers/{scene['offer'].pk}/withdraw/"
    assert client_for(manager_of(scene["middle"])).get(url).status_code == 404
    assert (
        client_for(user_with_role(Role.REFERRER, scene["la"].organisation)).get(url).status_code
        == 404
    )
    client = client_for(manager_of(scene["near"]))
    assert "Enter the reason" in client.post(url, {"reason": ""}).content.decode()
    assert client.post(url, {"reason": "The bed is needed for an emergency"}).status_code == 302
    assert Offer.objects.get().status == OfferStatus.WITHDRAWN


def test_decline_and_withdraw_in_the_api(scene) -> None:
    offer = scene["offer"]
    referrer = api_client(key_for(Role.REFERRER, scene["la"].organisation).secret)
    home = api_client(key_for(Role.HOME_MANAGER, scene["near"].organisation).secret)
    other_home = api_client(key_for(Role.HOME_MANAGER, scene["middle"].organisation).secret)
    stranger = api_client(key_for(Role.REFERRER, LocalAuthorityFactory().organisation).secret)

    def post(client, url, body):  # type: ignore[no-untyped-def]
        return client.post(url, json.dumps(body), "application/json")

    decline, withdraw = (
        f"/api/v1/offers/{offer.pk}/decline/",
        f"/api/v1/offers/{offer.pk}/withdraw/",
    )
    assert post(referrer, decline, {}).status_code == 400
    assert post(referrer, decline, {"reason": "x", "extra": 1}).status_code == 400
    assert post(stranger, decline, {"reason": "x"}).status_code == 404
    assert post(other_home, withdraw, {"reason": "x"}).status_code == 404
    assert post(referrer, withdraw, {"reason": "x"}).status_code == 403
    assert Offer.objects.get().status == OfferStatus.OPEN
    withdrawn = post(home, withdraw, {"reason": "Bed needed elsewhere"})
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["status_reason"]) == (
        "withdrawn",
        "Bed needed elsewhere",
    )
    # A decided offer cannot be declined: a conflict, not a 500.
    assert post(referrer, decline, {"reason": "Too far"}).status_code == 409


# --- the chosen home's stages and admission -----------------------------------------------


def test_the_chosen_home_sees_accepted_records_admission_and_the_authority_sees_it(
    client_for, scene
) -> None:
    near_manager = manager_of(scene["near"])
    home = client_for(near_manager)
    respond = f"/matching/referrals/{scene['referral'].pk}/respond/"
    assert "Answer this referral" not in home.get(respond).content.decode()  # already offered
    offer_accept(offer=scene["offer"], by=user_with_role(Role.REFERRER, scene["la"].organisation))
    page = home.get(respond).content.decode()
    assert "Your offer was accepted" in page and "Answer this referral" not in page
    assert "The child is expected from 11 March 2026" in page
    # The home sees the authority's contact; the authority the home's, and what happens next.
    assert "Sam Worker" in page and "sam.worker@example.test" in page
    HomeProfile.objects.filter(home=scene["near"]).update(
        contact_name="Duty Manager Near", contact_phone="01234 000111"
    )
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    offers = client_for(referrer).get(f"/matching/referrals/{scene['referral'].pk}/offers/")
    offers_text = offers.content.decode()
    for words in ("What happens next", "Duty Manager Near", "01234 000111", "travel"):
        assert words in offers_text, words
    assert f"/matching/offers/{scene['offer'].pk}/accept/" not in offers_text
    detail = home.get(f"/referrals/{scene['referral'].pk}/").content.decode()
    assert "Answer this referral" not in detail and "Your offer was accepted" in detail
    # The home that declined is told the referral is closed to it; it cannot admit.
    other = client_for(manager_of(scene["middle"]))
    assert "closed to your home" in other.get(respond).content.decode()
    assert other.get(f"/matching/offers/{scene['offer'].pk}/admit/").status_code == 404
    with time_machine.travel(NOW + dt.timedelta(days=1, hours=10), tick=False):
        # A new day, a new sign-in.
        response = client_for(near_manager).post(
            f"/matching/offers/{scene['offer'].pk}/admit/",
            {"admitted_on": "11 3 2026", "admitted_time": "16:40"},
        )
        assert response.status_code == 302
        referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
        detail = client_for(referrer).get(f"/referrals/{scene['referral'].pk}/").content.decode()
    assert "Admitted to Near Home" in detail and "11 March 2026 16:40" in detail
    assert Referral.objects.get().status == Status.PLACED
    assert Placement.objects.get().admitted_at == dt.datetime(2026, 3, 11, 16, 40, tzinfo=dt.UTC)


# --- actions come from the workflow ----------------------------------------------------------


def test_a_referral_with_homes_never_offers_to_ask_for_more_information(client_for, scene) -> None:
    client = client_for(scene["coordinator"])
    detail = client.get(f"/referrals/{scene['referral'].pk}/").content.decode()
    assert "Ask for more information" not in detail
    assert "Close without a placement" in detail
    # Opened directly, the page says so before anyone types, and changes nothing.
    page = client.get(f"/referrals/{scene['referral'].pk}/request-information/", follow=True)
    assert "cannot be sent back for more information" in page.content.decode()
    assert Referral.objects.get().status == Status.WITH_HOMES
    complete = complete_referral(local_authority=scene["la"])
    detail = client.get(f"/referrals/{complete.pk}/").content.decode()
    assert "Ask for more information" in detail


# --- every role on the new API moves ---------------------------------------------------------

# who: (decline, withdraw, admit) status codes on an open offer of Near Home, typed by hand.
# 403: the role may never do it; 404: it may, but not to this authority's or home's offer;
# admit on an open (not accepted) offer is refused by the service's rules (422) for those who may.
OFFER_MOVES = [
    ("the referring authority", (200, 403, 403)),
    ("another authority", (404, 403, 403)),
    ("the offering home", (403, 200, 422)),
    ("a home that declined", (403, 404, 404)),
    ("a home not sent it", (403, 404, 404)),
    ("coordinator", (200, 200, 422)),
    ("analyst", (403, 403, 403)),
]


def _api_person(scene, who: str):  # type: ignore[no-untyped-def]
    organisation = {
        "the referring authority": scene["la"].organisation,
        "another authority": LocalAuthorityFactory().organisation,
        "the offering home": scene["near"].organisation,
        "a home that declined": scene["middle"].organisation,
        "a home not sent it": scene["far"].organisation,
    }.get(who)
    role = {
        "the referring authority": Role.REFERRER,
        "another authority": Role.REFERRER,
        "coordinator": Role.COORDINATOR,
        "analyst": Role.ANALYST,
    }.get(who, Role.HOME_MANAGER)
    return api_client(key_for(role, organisation).secret)


@pytest.mark.parametrize("move", ["decline", "withdraw", "admit"])
@pytest.mark.parametrize(("who", "expected"), OFFER_MOVES)
def test_each_role_may_decline_withdraw_or_admit_only_as_the_table_says(
    scene, who, expected, move
) -> None:
    client = _api_person(scene, who)
    body = {"reason": "A reason"} if move != "admit" else {"admitted_at": "2026-03-10T09:00:00Z"}
    response = client.post(
        f"/api/v1/offers/{scene['offer'].pk}/{move}/", json.dumps(body), "application/json"
    )
    status = expected[("decline", "withdraw", "admit").index(move)]
    assert response.status_code == status, response.content
    offer = Offer.objects.get()
    if status >= 400:
        assert offer.status == OfferStatus.OPEN and not Placement.objects.exists()


def test_the_api_and_the_page_record_an_answer_by_the_same_rules(scene) -> None:
    """By phone is decided from who records it; a manager answers only for their own home."""
    referral = scene["referral"]
    far_manager = api_client(key_for(Role.HOME_MANAGER, scene["far"].organisation).secret)
    url = f"/api/v1/referrals/{referral.pk}/responses/"
    body = {"kind": "information", "detail": "Is there a health plan?", "by_phone": True}
    # Far Home was not sent the referral: the same 404 as the page.
    assert far_manager.post(url, json.dumps(body), "application/json").status_code == 404
    near = api_client(key_for(Role.HOME_MANAGER, scene["near"].organisation).secret)
    # A manager naming another home is refused, whatever the body says.
    other = {**body, "home_id": scene["middle"].pk}
    assert near.post(url, json.dumps(other), "application/json").status_code == 404
    answered = near.post(url, json.dumps(body), "application/json")
    assert answered.status_code == 201 and answered.json()["by_phone"] is False
    unit = api_client(key_for(Role.COORDINATOR).secret)
    missing_home = unit.post(url, json.dumps({**body, "by_phone": False}), "application/json")
    assert missing_home.status_code == 422
    assert missing_home.json()["errors"][0]["message"] == "Choose the home that answered"
    by_unit = unit.post(
        url,
        json.dumps({**body, "by_phone": False, "home_id": scene["near"].pk}),
        "application/json",
    )
    assert by_unit.status_code == 201 and by_unit.json()["by_phone"] is True


def test_the_home_records_the_discharge_with_a_time_and_the_authority_sees_it(
    client_for, scene
) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    offer_accept(offer=scene["offer"], by=referrer)
    near_manager = manager_of(scene["near"])
    with time_machine.travel(NOW + dt.timedelta(days=20), tick=False):
        placement = placement_admit(
            offer=scene["offer"],
            admitted_at=NOW + dt.timedelta(days=1, hours=6),
            by=near_manager,
        )
        url = f"/matching/placements/{placement.pk}/discharge/"
        assert client_for(manager_of(scene["middle"])).get(url).status_code == 404
        assert client_for(referrer).get(url).status_code == 404
        home = client_for(near_manager)
        page = home.get(f"/matching/referrals/{scene['referral'].pk}/respond/").content.decode()
        assert "The child is placed with you" in page and url in page
        before = home.post(
            url,
            {
                "discharged_on": "11 3 2026",
                "discharged_time": "09:00",
                "reason": "order_ended",
                "destination": "family",
            },
        )
        assert "The child cannot leave before they arrived (11 March 2026 at 15:30)" in (
            before.content.decode()
        )
        done = home.post(
            url,
            {
                "discharged_on": "25 3 2026",
                "discharged_time": "17:05",
                "reason": "order_ended",
                "destination": "family",
            },
        )
        assert done.status_code == 302
        detail = client_for(referrer).get(f"/referrals/{scene['referral'].pk}/").content.decode()
    assert "Left the home" in detail and "25 March 2026 17:05: Home to family" in detail
    placement.refresh_from_db()
    assert placement.discharged_at == dt.datetime(2026, 3, 25, 17, 5, tzinfo=dt.UTC)
    assert placement.length_of_stay_days == 14


# --- words after the decision ------------------------------------------------------------


def test_the_list_offers_a_decision_only_while_one_can_be_made(client_for, scene) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    client = client_for(referrer)
    url = f"/matching/referrals/{scene['referral'].pk}/list/"
    assert "See the offers and decide" in client.get(url).content.decode()
    offer_accept(offer=scene["offer"], by=referrer)
    after = client.get(url).content.decode()
    assert "See the offers and decide" not in after
    assert f'href="/matching/referrals/{scene["referral"].pk}/offers/">See the offers</a>' in after


def test_the_list_says_when_the_unit_kept_its_reasons_for_the_other_homes(client_for, scene):
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    url = f"/matching/referrals/{scene['referral'].pk}/list/"
    kept = "has not shared why these homes cannot take the child"
    assert kept in client_for(referrer).get(url).content.decode()
    shortlist_send(
        run=scene["run"],
        by=scene["coordinator"],
        home_ids=[scene["far"].pk],
        exclusions_shared=True,
    )
    shared = client_for(referrer).get(url).content.decode()
    assert kept not in shared and "Full Home: " in shared


def test_the_accept_page_repeats_the_homes_conditions(client_for, scene) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    page = client_for(referrer).get(f"/matching/offers/{scene['offer'].pk}/accept/")
    text = page.content.decode()
    assert "You are accepting Near Home at £6,800.00 a week from 11 March 2026." in text
    assert "The home's conditions: After a planning meeting" in text


def test_a_home_the_referral_closed_to_still_reads_what_happened_to_its_answer(
    client_for, scene
) -> None:
    """Once closed, each home's page still says what became of its answer, and why."""
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    # Far Home offers and the authority declines it; Other Home offers and is not chosen.
    other = home_make(name="Other Home", latitude=52.3, longitude=-1.4)
    run = match_run(referral=scene["referral"], by=scene["coordinator"])
    shortlist_send(run=run, by=scene["coordinator"], home_ids=[scene["far"].pk, other.pk])
    offers = {
        home.name: home_response_record(
            referral=scene["referral"],
            kind="accept",
            by=manager_of(home),
            vacancy=free_bed(home),
            available_from=TODAY + dt.timedelta(days=2),
        ).offer
        for home in (scene["far"], other)
    }
    offer_decline(offer=offers["Far Home"], by=referrer, reason="Too far from the child's school")
    offer_accept(offer=scene["offer"], by=referrer)
    respond = f"/matching/referrals/{scene['referral'].pk}/respond/"

    def stage(home) -> str:  # type: ignore[no-untyped-def]
        return client_for(manager_of(home)).get(respond).content.decode()

    far, middle, not_chosen = stage(scene["far"]), stage(scene["middle"]), stage(other)
    for page in (far, middle, not_chosen):
        assert "This referral is closed to your home" in page
        assert "No further action is needed." in page
    assert "The authority declined your offer. Reason: Too far from the child&#x27;s school." in far
    assert "Your home declined it. Reason: Staffing." in middle
    assert "The authority chose another home" in not_chosen
    assert "The bed stays free on your register." in not_chosen
    # The answers table says what the home did, in words.
    assert ">Declined<" in middle and "Accept: offer a bed" not in far
    assert ">Offered a bed<" in far


def test_the_chosen_home_reads_the_authoritys_phone_as_people_write_it(client_for, scene) -> None:
    Referral.objects.filter(pk=scene["referral"].pk).update(social_worker_phone="+441234567890")
    offer_accept(offer=scene["offer"], by=user_with_role(Role.REFERRER, scene["la"].organisation))
    page = client_for(manager_of(scene["near"])).get(
        f"/matching/referrals/{scene['referral'].pk}/respond/"
    )
    text = page.content.decode()
    assert "01234 567890" in text and "+441234567890" not in text
    assert f"/documents/referral/{scene['referral'].pk}/" in text
    assert "Offered a bed" in text


def test_an_empty_admission_or_discharge_says_what_to_enter_for_each_question(
    client_for, scene
) -> None:
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    offer_accept(offer=scene["offer"], by=referrer)
    home = client_for(manager_of(scene["near"]))
    # A browser posts every field of the form, empty or not.
    admit = home.post(
        f"/matching/offers/{scene['offer'].pk}/admit/", {"admitted_on": "", "admitted_time": ""}
    ).content.decode()
    for message in ("Enter the date the child arrived", "Enter the time the child arrived"):
        assert message in admit, message
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        placement = placement_admit(
            offer=scene["offer"],
            admitted_at=NOW + dt.timedelta(days=1),
            by=manager_of(scene["near"]),
        )
        page = client_for(manager_of(scene["near"])).post(
            f"/matching/placements/{placement.pk}/discharge/",
            {"discharged_on": "", "discharged_time": "", "detail": ""},
        )
    text = page.content.decode()
    summary = text.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    for message in (
        "Enter the date the child left",
        "Enter the time the child left",
        "Select why the placement ended",
        "Select where the child went",
    ):
        assert message in summary, message
    assert "This field is required" not in text
    assert Placement.objects.get().discharged_on is None


def test_a_home_reads_only_its_own_offer_and_price_on_the_offers_page(client_for, scene) -> None:
    price_set(scene["far"], "7100.00")
    shortlist_send(run=scene["run"], by=scene["coordinator"], home_ids=[scene["far"].pk])
    home_response_record(
        referral=scene["referral"],
        kind="accept",
        by=manager_of(scene["far"]),
        vacancy=free_bed(scene["far"]),
        available_from=TODAY,
    )
    url = f"/matching/referrals/{scene['referral'].pk}/offers/"
    referrer = client_for(user_with_role(Role.REFERRER, scene["la"].organisation)).get(url)
    assert "£6,800.00" in referrer.content.decode() and "£7,100.00" in referrer.content.decode()
    near = client_for(manager_of(scene["near"])).get(url).content.decode()
    assert "£6,800.00" in near
    assert "£7,100.00" not in near and "Far Home" not in near


def test_once_the_list_is_provided_the_unit_is_offered_to_send_to_more_homes(
    client_for, scene
) -> None:
    page = client_for(scene["coordinator"]).get(f"/matching/referrals/{scene['referral'].pk}/")
    text = page.content.decode()
    assert "Send to the chosen homes too" in text and "Send to every home with a bed" in text
    assert "Provide the list" not in text
    fresh = complete_referral(local_authority=scene["la"])
    match_run(referral=fresh, by=scene["coordinator"])
    first = client_for(scene["coordinator"]).get(f"/matching/referrals/{fresh.pk}/")
    assert "Provide the list and send to the chosen homes" in first.content.decode()


def test_why_a_home_could_suit_never_gives_a_caution_as_a_reason(client_for, scene) -> None:
    # The child has two needs (going missing, self-harm); this home's group has one of them.
    home_make(
        name="Group Home",
        latitude=52.3,
        longitude=-1.4,
        profile={"current_group_needs": ["going_missing"]},
    )
    run = match_run(referral=scene["referral"], by=scene["coordinator"])
    group_home = next(c for c in run.candidate_rows if c["name"] == "Group Home")
    shortlist_send(run=run, by=scene["coordinator"], home_ids=[group_home["home_id"]])
    referrer = user_with_role(Role.REFERRER, scene["la"].organisation)
    text = client_for(referrer).get(f"/matching/referrals/{scene['referral'].pk}/list/")
    card = (
        text.content.decode()
        .split("Group Home</h3>", 1)[1]
        .split("govuk-summary-card__title", 1)[0]
    )
    assert "A bed is free now" in card
    assert "already includes" not in card
    # The unit still reads the whole reckoning.
    unit = client_for(scene["coordinator"]).get(f"/matching/referrals/{scene['referral'].pk}/")
    assert "The current group already includes going missing" in unit.content.decode()
