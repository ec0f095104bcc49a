"""A home that answers a referral by asking for more information has asked the authority a
question: its words reach the thread, and the answer comes back to the home."""

from __future__ import annotations

import pytest

from swc.matching.models import ResponseKind
from swc.matching.services import home_response_record
from swc.notifications.messages import Message
from swc.notifications.models import Notification
from swc.questions.models import Question, QuestionRoute, QuestionStatus
from swc.questions.selectors import questions_for
from swc.questions.services import question_answer, question_pass_on, question_routing_set

pytestmark = pytest.mark.django_db


def _messages() -> set[str]:
    return set(Notification.objects.values_list("message", flat=True))


def test_the_homes_question_goes_to_the_unit_then_the_authority_and_the_answer_back(world):
    home_response_record(
        referral=world["referral"],
        kind=ResponseKind.INFORMATION,
        by=world["home_manager"],
        detail="  Has she been assessed for ADHD?  ",
    )
    question = Question.objects.get()
    assert (question.text, question.route, question.status) == (
        "Has she been assessed for ADHD?",
        QuestionRoute.THROUGH_UNIT,
        QuestionStatus.WITH_UNIT,
    )
    assert question.asked_by_organisation == world["home"].organisation
    # The home's answer already told the unit and the authority: no second message.
    assert _messages() == {Message.HOME_RESPONDED}
    assert [q.pk for q in questions_for(world["home_manager"], world["referral"])] == [question.pk]
    assert list(questions_for(world["second_home_manager"], world["referral"])) == []

    question_pass_on(question=question, by=world["coordinator"])
    question_answer(question=question, by=world["referrer"], text="Yes, in March.")
    told = Notification.objects.filter(message=Message.QUESTION_ANSWERED)
    assert {n.recipient for n in told} == {world["home_manager"]}


def test_with_direct_questions_it_reaches_the_authority_at_once(world):
    question_routing_set(by=world["unit_manager"], homes_ask_directly=True)
    home_response_record(
        referral=world["referral"],
        kind=ResponseKind.INFORMATION,
        by=world["home_manager"],
        detail="Any court date yet?",
    )
    [question] = questions_for(world["referrer"], world["referral"])
    assert question.status == QuestionStatus.WITH_AUTHORITY


def test_a_question_taken_by_phone_by_the_unit_goes_straight_to_the_authority(world):
    home_response_record(
        referral=world["referral"],
        kind=ResponseKind.INFORMATION,
        by=world["coordinator"],
        home=world["second_home"],
        detail="Phoned: does she have a phone with her?",
    )
    question = Question.objects.get()
    assert question.asked_by_organisation == world["second_home"].organisation
    assert question.status == QuestionStatus.WITH_AUTHORITY


def test_other_answers_make_no_question(world):
    home_response_record(
        referral=world["referral"],
        kind=ResponseKind.DECLINE,
        by=world["home_manager"],
        decline_reason="staffing",
    )
    assert not Question.objects.exists()
