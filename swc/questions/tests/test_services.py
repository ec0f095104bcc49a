"""Asking, passing on and answering: who sees what, who is told, and that a race has one winner."""

from __future__ import annotations

import pytest

from swc.audit.models import AuditAction, AuditEvent
from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.notifications.messages import Message
from swc.notifications.models import Notification
from swc.questions.models import QuestionRoute, QuestionStatus
from swc.questions.selectors import questions_for
from swc.questions.services import (
    question_answer,
    question_ask,
    question_pass_on,
    question_routing_set,
)
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db


def _told(message: str) -> set[str]:
    return {
        n.recipient.email
        for n in Notification.objects.filter(message=message).select_related("recipient")
    }


def _emails(world, *names: str) -> set[str]:
    return {world[name].email for name in names}


def test_a_homes_question_goes_through_the_unit_by_default(world):
    question = question_ask(
        referral=world["referral"], by=world["home_manager"], text="Does she smoke?"
    )
    assert (question.route, question.status) == (
        QuestionRoute.THROUGH_UNIT,
        QuestionStatus.WITH_UNIT,
    )
    assert _told(Message.QUESTION_FOR_UNIT) == _emails(world, "coordinator", "unit_manager")
    assert _told(Message.QUESTION_ASKED) == set()
    # Not yet the authority's to read.
    assert list(questions_for(world["referrer"], world["referral"])) == []

    question_pass_on(question=question, by=world["coordinator"])
    assert _told(Message.QUESTION_ASKED) == _emails(world, "referrer")
    assert [q.pk for q in questions_for(world["referrer"], world["referral"])] == [question.pk]

    question_answer(question=question, by=world["referrer"], text="No.")
    # Back to the home that asked, and only to it.
    assert _told(Message.QUESTION_ANSWERED) == _emails(world, "home_manager")
    question.refresh_from_db()
    assert (question.status, question.answer) == (QuestionStatus.ANSWERED, "No.")


def test_when_the_unit_allows_it_homes_ask_the_authority_directly(world):
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    question = question_ask(
        referral=world["referral"], by=world["home_manager"], text="Any allergies?"
    )
    assert (question.route, question.status) == (
        QuestionRoute.DIRECT,
        QuestionStatus.WITH_AUTHORITY,
    )
    assert _told(Message.QUESTION_ASKED) == _emails(world, "referrer")
    assert _told(Message.QUESTION_FOR_UNIT) == set()


def test_the_units_own_question_goes_to_the_authority_and_its_answer_back_to_the_unit(world):
    question = question_ask(referral=world["referral"], by=world["coordinator"], text="Court time?")
    assert question.status == QuestionStatus.WITH_AUTHORITY
    assert _told(Message.QUESTION_ASKED) == _emails(world, "referrer")
    question_answer(question=question, by=world["referrer"], text="14:00")
    assert _told(Message.QUESTION_ANSWERED_UNIT) == _emails(world, "coordinator", "unit_manager")
    assert _told(Message.QUESTION_ANSWERED) == set()


def test_messages_carry_neither_the_question_nor_the_answer(world):
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    question = question_ask(
        referral=world["referral"], by=world["home_manager"], text="Xylophonic question words"
    )
    question_answer(question=question, by=world["referrer"], text="Zanzibarian answer words")
    rows = list(Notification.objects.all())
    assert {n.message for n in rows} == {Message.QUESTION_ASKED, Message.QUESTION_ANSWERED}
    for row in rows:
        text = str(row.personalisation)
        assert "Xylophonic" not in text and "Zanzibarian" not in text and "Ottoline" not in text
        assert f"/questions/referral/{world['referral'].pk}/" in row.personalisation["link"]


# Who may read which question: typed out by hand, not derived from the code.
VISIBLE = {
    "coordinator": {"through_unit", "direct", "unit", "second_home"},
    "unit_manager": {"through_unit", "direct", "unit", "second_home"},
    # The authority: everything that has reached it, not what still waits at the unit.
    "referrer": {"direct", "unit", "second_home"},
    "home_manager": {"through_unit", "direct"},
    "second_home_manager": {"second_home"},
}
REFUSED = ["referrer_other_la", "admin_same_la", "home_not_sent", "analyst"]


@pytest.fixture
def asked(world):
    referral = world["referral"]
    questions = {
        "through_unit": question_ask(referral=referral, by=world["home_manager"], text="a"),
        "unit": question_ask(referral=referral, by=world["coordinator"], text="b"),
    }
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    questions["direct"] = question_ask(referral=referral, by=world["home_manager"], text="c")
    questions["second_home"] = question_ask(
        referral=referral, by=world["second_home_manager"], text="d"
    )
    return questions


@pytest.mark.parametrize("person", sorted(VISIBLE))
def test_each_person_reads_only_the_questions_between_their_organisation_and_another(
    world, asked, person
):
    names = {q.pk: name for name, q in asked.items()}
    seen = {names[q.pk] for q in questions_for(world[person], world["referral"])}
    assert seen == VISIBLE[person]


@pytest.mark.parametrize("person", REFUSED)
def test_everyone_else_reads_no_question_at_all(world, asked, person):
    with pytest.raises(NotPermitted):
        questions_for(world[person], world["referral"])


@pytest.mark.parametrize("person", ["referrer", *REFUSED])
def test_only_a_home_sent_the_referral_or_the_unit_may_ask(world, person):
    with pytest.raises(NotPermitted):
        question_ask(referral=world["referral"], by=world[person], text="May I?")


@pytest.mark.parametrize(
    "person", ["home_manager", "second_home_manager", "referrer_other_la", "analyst"]
)
def test_only_the_authority_or_the_unit_may_answer(world, asked, person):
    with pytest.raises(NotPermitted):
        question_answer(question=asked["direct"], by=world[person], text="An answer")


def test_the_authority_cannot_answer_a_question_still_with_the_unit(world, asked):
    with pytest.raises(NotPermitted):
        question_answer(question=asked["through_unit"], by=world["referrer"], text="Early")


def test_only_the_unit_passes_questions_on(world, asked):
    for person in ("referrer", "home_manager"):
        with pytest.raises(NotPermitted):
            question_pass_on(question=asked["through_unit"], by=world[person])


def test_of_two_answers_to_one_question_exactly_one_is_kept(world, asked):
    first_view = asked["direct"]
    second_view = type(first_view).objects.get(pk=first_view.pk)
    question_answer(question=first_view, by=world["referrer"], text="First")
    with pytest.raises(ConflictError):
        question_answer(question=second_view, by=world["coordinator"], text="Second")
    second_view.refresh_from_db()
    assert second_view.answer == "First"
    assert Notification.objects.filter(message=Message.QUESTION_ANSWERED).count() == 1


def test_passing_on_twice_is_refused_the_second_time(world, asked):
    stale = type(asked["through_unit"]).objects.get(pk=asked["through_unit"].pk)
    question_pass_on(question=asked["through_unit"], by=world["coordinator"])
    with pytest.raises(ConflictError):
        question_pass_on(question=stale, by=world["unit_manager"])


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Enter your question"),
        ("   \n ", "Enter your question"),
        ("x" * 2001, "Question must be 2000 characters or fewer"),
    ],
)
def test_an_empty_or_overlong_question_is_refused_and_nothing_is_kept(world, text, message):
    with pytest.raises(ServiceError) as refused:
        question_ask(referral=world["referral"], by=world["home_manager"], text=text)
    assert refused.value.message == message
    assert not world["referral"].questions.exists()
    assert not Notification.objects.exists()


def test_no_questions_on_a_withdrawn_referral(world):
    referral = world["referral"]
    type(referral).objects.filter(pk=referral.pk).update(status=Status.WITHDRAWN)
    referral.refresh_from_db()
    with pytest.raises(ServiceError, match="only be asked while the referral is open"):
        question_ask(referral=referral, by=world["coordinator"], text="Still there?")


def test_asking_passing_on_and_answering_are_audited_without_the_words(world):
    question = question_ask(referral=world["referral"], by=world["home_manager"], text="Secretword")
    question_pass_on(question=question, by=world["coordinator"])
    question_answer(question=question, by=world["referrer"], text="Otherword")
    events = AuditEvent.objects.filter(object_type="questions.question", object_id=str(question.pk))
    assert sorted(e.action for e in events) == sorted(
        [AuditAction.CREATE, AuditAction.CHANGE, AuditAction.CHANGE]
    )
    assert all("word" not in str(e.detail) for e in events)


def test_only_a_unit_manager_chooses_how_homes_ask(world):
    for person in ("coordinator", "referrer", "home_manager"):
        with pytest.raises(NotPermitted):
            question_routing_set(by=world[person], homes_ask_directly=True)
