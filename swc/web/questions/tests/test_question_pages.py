"""The questions page for every role, a second authority and a second home; asking,
passing on and answering through the pages; bad input on the form."""

from __future__ import annotations

import pytest
import time_machine

from swc.audit.models import AuditAction, AuditEvent
from swc.questions.models import Question, QuestionStatus
from swc.questions.services import question_answer, question_ask, question_routing_set
from swc.questions.tests.conftest import AT, world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    with time_machine.travel(AT, tick=False):
        yield world_make()


# Typed by hand: who may open the questions page of a Hampshire referral sent to two homes.
THREAD_STATUS = {
    "referrer": 200,
    "referrer_other_la": 404,
    "admin_same_la": 404,
    "home_manager": 200,
    "second_home_manager": 200,
    "home_not_sent": 404,
    "coordinator": 200,
    "unit_manager": 200,
    "analyst": 404,
}
# Who is offered the question form (and may post it).
ASKS = {"home_manager", "second_home_manager", "coordinator", "unit_manager"}


def url(world) -> str:
    return f"/questions/referral/{world['referral'].pk}/"


@pytest.mark.parametrize("person, status", sorted(THREAD_STATUS.items()))
def test_who_opens_the_questions_page(client_for, world, person, status):
    response = client_for(world[person]).get(url(world))
    assert response.status_code == status
    if status == 200:
        assert (b"Send the question" in response.content) is (person in ASKS)
        viewed = AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_id=str(world["referral"].pk), actor=world[person]
        )
        assert [e.detail for e in viewed] == [{"page": "questions"}]


@pytest.mark.parametrize("person", sorted(set(THREAD_STATUS) - ASKS))
def test_who_may_not_ask_cannot_post_a_question(client_for, world, person):
    response = client_for(world[person]).post(url(world), {"text": "Sneaky?"})
    assert response.status_code == 404
    assert not Question.objects.exists()


def test_a_home_reads_its_own_question_and_not_the_other_homes(client_for, world):
    question_ask(referral=world["referral"], by=world["home_manager"], text="Swanwick asks this")
    question_ask(
        referral=world["referral"], by=world["second_home_manager"], text="Aldine asks that"
    )
    page = client_for(world["home_manager"]).get(url(world)).content.decode()
    assert "Swanwick asks this" in page and "Aldine asks that" not in page
    # The authority sees neither until the unit passes them on.
    page = client_for(world["referrer"]).get(url(world)).content.decode()
    assert "asks th" not in page


def test_home_asks_unit_passes_on_authority_answers_home_reads_the_answer(client_for, world):
    home = client_for(world["home_manager"])
    response = home.post(url(world), {"text": "Does she have a tablet she must bring?"})
    assert response.status_code == 302
    question = Question.objects.get()

    unit = client_for(world["coordinator"])
    page = unit.get(url(world)).content.decode()
    assert "Pass on to the authority" in page
    assert unit.post(f"/questions/{question.pk}/pass-on/").status_code == 302

    authority = client_for(world["referrer"])
    page = authority.get(url(world)).content.decode()
    assert "Does she have a tablet" in page and "Answer this question" in page
    response = authority.post(f"/questions/{question.pk}/answer/", {"text": "Yes, a school one."})
    assert response.status_code == 302

    page = home.get(url(world)).content.decode()
    assert "Yes, a school one." in page and "Answered" in page
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


@pytest.mark.parametrize(
    "text, message", [("", "Enter your question"), ("x" * 2001, "2000 characters or fewer")]
)
def test_a_bad_question_gets_an_error_on_the_form(client_for, world, text, message):
    response = client_for(world["home_manager"]).post(url(world), {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not Question.objects.exists()


def test_an_empty_answer_gets_an_error_and_the_question_stays_open(client_for, world):
    question = question_ask(referral=world["referral"], by=world["coordinator"], text="When?")
    response = client_for(world["referrer"]).post(
        f"/questions/{question.pk}/answer/", {"text": " "}
    )
    assert response.status_code == 200
    assert "Enter your answer" in response.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.WITH_AUTHORITY


@pytest.mark.parametrize(
    "person", ["home_manager", "second_home_manager", "home_not_sent", "referrer_other_la"]
)
def test_answering_is_for_the_authority_and_the_unit_only(client_for, world, person):
    question = question_ask(referral=world["referral"], by=world["coordinator"], text="When?")
    response = client_for(world[person]).post(f"/questions/{question.pk}/answer/", {"text": "Me"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.WITH_AUTHORITY


def test_a_question_still_with_the_unit_is_404_to_the_authority(client_for, world):
    question = question_ask(referral=world["referral"], by=world["home_manager"], text="Hidden")
    response = client_for(world["referrer"]).get(f"/questions/{question.pk}/answer/")
    assert response.status_code == 404


def test_the_unit_manager_chooses_how_homes_ask(client_for, world):
    client = client_for(world["unit_manager"])
    assert client.post("/questions/how-homes-ask/", {}).status_code == 200
    assert client.post("/questions/how-homes-ask/", {"route": "direct"}).status_code == 302
    question = question_ask(referral=world["referral"], by=world["home_manager"], text="Direct?")
    assert question.status == QuestionStatus.WITH_AUTHORITY
    for person in ("coordinator", "referrer", "home_manager"):
        assert client_for(world[person]).get("/questions/how-homes-ask/").status_code == 404


def test_the_referral_pages_link_to_questions_and_documents_for_whoever_may_see_them(
    client_for, world
):
    referral_url = f"/referrals/{world['referral'].pk}/"
    for person in ("referrer", "home_manager", "coordinator"):
        page = client_for(world[person]).get(referral_url).content.decode()
        assert url(world) in page and f"/documents/referral/{world['referral'].pk}/" in page


def test_routing_is_remembered(world):
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    question_routing_set(by=world["unit_manager"], homes_ask_directly=False)
    question = question_ask(referral=world["referral"], by=world["home_manager"], text="Via?")
    assert question.status == QuestionStatus.WITH_UNIT


def test_a_home_is_told_the_authority_answered_not_which_authority(client_for, world):
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    question = question_ask(referral=world["referral"], by=world["home_manager"], text="Diet?")
    question_answer(question=question, by=world["referrer"], text="Vegetarian")
    page = client_for(world["home_manager"]).get(url(world)).content.decode()
    assert "Answer from the authority" in page and "Hampshire" not in page
    page = client_for(world["coordinator"]).get(url(world)).content.decode()
    assert "Answer from Hampshire" in page


def test_only_the_unit_manager_is_offered_the_choice_of_how_homes_ask(client_for, world):
    for person, offered in (("unit_manager", True), ("coordinator", False), ("referrer", False)):
        page = client_for(world[person]).get(url(world)).content.decode()
        assert ("/questions/how-homes-ask/" in page) is offered, person


@pytest.mark.parametrize("person", ["home_manager", "referrer", "coordinator"])
def test_the_questions_page_makes_as_many_queries_for_six_questions_as_for_one(
    client_for, world, person
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    client = client_for(world[person])
    question_ask(referral=world["referral"], by=world["home_manager"], text="First")
    client.get(url(world))  # the session and the principal are warm
    with CaptureQueriesContext(connection) as one:
        client.get(url(world))
    for n in range(5):
        question_ask(referral=world["referral"], by=world["home_manager"], text=f"More {n}")
    with CaptureQueriesContext(connection) as six:
        page = client.get(url(world)).content.decode()
    assert page.count('<h2 class="govuk-summary-card__title"') == 6
    assert len(six) == len(one)


def test_the_start_page_says_who_has_a_question_to_act_on(client_for, world):
    from swc.questions.services import question_pass_on

    def start(person: str) -> str:
        return client_for(world[person]).get("/").content.decode()

    referral = world["referral"]
    thread = f'href="/questions/referral/{referral.pk}/"'
    to_pass_on = "1 referral with a home&#x27;s question to pass on"
    to_answer = "1 referral with a question waiting for your answer"
    question = question_ask(referral=referral, by=world["home_manager"], text="Any allergies?")
    # With the unit: the unit is asked to pass it on; the authority cannot read it yet.
    assert to_pass_on in start("coordinator") and thread in start("coordinator")
    assert to_pass_on in start("unit_manager")
    assert to_answer not in start("referrer")
    question_pass_on(question=question, by=world["coordinator"])
    assert to_answer in start("referrer") and thread in start("referrer")
    assert to_pass_on not in start("coordinator")
    for person in ("referrer_other_la", "home_manager", "second_home_manager", "analyst"):
        assert "question waiting" not in start(person) and "to pass on" not in start(person)
    question_answer(question=question, by=world["referrer"], text="None known.")
    assert to_answer not in start("referrer")
