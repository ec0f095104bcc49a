"""Several people answer one question at the same instant: one answer is kept, the others
are told it has been answered, and the asker is told once."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from swc.core.errors import ConflictError
from swc.notifications.messages import Message
from swc.notifications.models import Notification
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role
from swc.questions.models import Question, QuestionStatus
from swc.questions.services import question_answer, question_ask, question_pass_on

from .conftest import AT, world_make

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 6


def _race(attempt) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(THREADS)
    outcome = {"won": 0, "lost": 0}
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            attempt(n)
            with lock:
                outcome["won"] += 1
        except ConflictError:
            with lock:
                outcome["lost"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome["won"], outcome["lost"]


def test_one_of_many_simultaneous_answers_is_kept():
    with time_machine.travel(AT, tick=False):
        world = world_make()
        question = question_ask(
            referral=world["referral"], by=world["home_manager"], text="Who escorts her?"
        )
        question_pass_on(question=question, by=world["coordinator"])
        referrers = [
            user_with_role(Role.REFERRER, world["referral"].local_authority.organisation)
            for _ in range(THREADS)
        ]

    def attempt(n: int) -> None:
        stale = Question.objects.select_related("referral__local_authority").get(pk=question.pk)
        question_answer(question=stale, by=referrers[n], text=f"Answer {n}")

    won, lost = _race(attempt)
    assert (won, lost) == (1, THREADS - 1)
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answer in {f"Answer {n}" for n in range(THREADS)}
    answered = Notification.objects.filter(message=Message.QUESTION_ANSWERED)
    assert {n.recipient for n in answered} == {world["home_manager"]}
    assert answered.count() == 1
