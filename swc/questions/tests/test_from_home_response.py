"""A home that answers a referral by asking for more information has asked the authority a
question: its words reach the thread, and the answer comes back to the home."""

from __future__ import annotations

from collections import Counter

import pytest

from swc.matching.models import ResponseKind
from swc.matching.services import home_response_record
from swc.notifications.messages import Message, message_render
from swc.notifications.models import Notification
from swc.questions.models import Question, QuestionRoute, QuestionStatus
from swc.questions.selectors import questions_for
from swc.questions.services import question_answer, question_pass_on, question_routing_set

pytestmark = pytest.mark.django_db


def _told(world) -> dict[str, Counter[str]]:  # type: ignore[no-untyped-def]
    """Each person's messages by kind (email only: nobody here has a phone)."""
    return {
        person: Counter(
            Notification.objects.filter(recipient=world[person]).values_list("message", flat=True)
        )
        for person in ("referrer", "coordinator", "unit_manager", "home_manager")
    }


def _added(before, after):  # type: ignore[no-untyped-def]
    return {person: after[person] - before[person] for person in after}


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
    # Expected messages typed by hand. The unit is told once, to pass it on; the authority
    # is not told of a question it cannot read yet (it is 404 to it while with the unit).
    asked = _told(world)
    assert asked == {
        "referrer": Counter(),
        "coordinator": Counter({Message.QUESTION_FOR_UNIT: 1}),
        "unit_manager": Counter({Message.QUESTION_FOR_UNIT: 1}),
        "home_manager": Counter(),
    }
    assert [q.pk for q in questions_for(world["home_manager"], world["referral"])] == [question.pk]
    assert list(questions_for(world["second_home_manager"], world["referral"])) == []

    question_pass_on(question=question, by=world["coordinator"])
    passed = _told(world)
    assert _added(asked, passed) == {
        "referrer": Counter({Message.QUESTION_ASKED: 1}),
        "coordinator": Counter(),
        "unit_manager": Counter(),
        "home_manager": Counter(),
    }
    question_answer(question=question, by=world["referrer"], text="Yes, in March.")
    assert _added(passed, _told(world)) == {
        "referrer": Counter(),
        "coordinator": Counter(),
        "unit_manager": Counter(),
        "home_manager": Counter({Message.QUESTION_ANSWERED: 1}),
    }


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
    # Once, to the authority, with a link to the questions it can now read.
    assert _told(world) == {
        "referrer": Counter({Message.QUESTION_ASKED: 1}),
        "coordinator": Counter(),
        "unit_manager": Counter(),
        "home_manager": Counter(),
    }
    told = Notification.objects.get(recipient=world["referrer"])
    body = message_render(told.message, told.personalisation)[1]
    assert body.startswith("Swanwick Lodge has asked a question about referral R")
    assert f"/questions/referral/{world['referral'].pk}/" in body
    assert "court" not in body


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
