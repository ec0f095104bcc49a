"""Reading questions: each person sees only the questions between their organisation and
another (the unit sees them all)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from swc.core.errors import NotPermitted
from swc.organisations.policy import ANY, OWN, principal_for, require, scopes_for, user_can
from swc.referrals.models import Referral

from .models import Question, QuestionRouting, QuestionStatus


def questions_for(user: Any, referral: Referral) -> QuerySet[Question]:
    """The questions on ``referral`` that ``user`` may read, oldest first.

    The unit: every question. The authority: the unit's questions and homes'
    questions once they reach it (not those still with the unit). A home: only
    its own questions and their answers.
    """
    require(user, "question.view", referral)
    scopes = scopes_for(user, "question.view")
    principal = principal_for(user)
    questions = Question.objects.filter(referral=referral).select_related(
        "asked_by_organisation", "answered_by_organisation"
    )
    if ANY in scopes:
        return questions.order_by("asked_at", "id")
    if OWN in scopes and referral.policy_owner_id == principal.organisation_id:
        return questions.exclude(status=QuestionStatus.WITH_UNIT).order_by("asked_at", "id")
    return questions.filter(asked_by_organisation_id=principal.organisation_id).order_by(
        "asked_at", "id"
    )


def question_get_for(user: Any, referral: Referral, pk: int) -> Question:
    """One question ``user`` may read; NotPermitted (a 404) for any other."""
    question = questions_for(user, referral).filter(pk=pk).first()
    if question is None:
        raise NotPermitted()
    return question


def question_referral_id(pk: int) -> int:
    """The referral a question belongs to (0 when there is no such question)."""
    return Question.objects.filter(pk=pk).values_list("referral_id", flat=True).first() or 0


def homes_ask_directly() -> bool:
    """The unit's choice: True when homes' questions go straight to the authority."""
    routing = QuestionRouting.objects.filter(pk=1).first()
    return bool(routing and routing.homes_ask_directly)


def question_may_answer(user: Any, question: Question) -> bool:
    """Is this question waiting for an answer ``user`` may give?"""
    if question.status == QuestionStatus.ANSWERED:
        return False
    if not user_can(user, "question.answer", question.referral):
        return False
    # The authority answers what has reached it; the unit (scope ANY) may answer for it at
    # any point, after a phone call.
    return question.status == QuestionStatus.WITH_AUTHORITY or ANY in scopes_for(
        user, "question.answer"
    )


def question_may_pass_on(user: Any, question: Question) -> bool:
    return question.status == QuestionStatus.WITH_UNIT and user_can(
        user, "question.pass_on", question.referral
    )


def referrals_with_questions_waiting_for(user: Any) -> list[int]:
    """Ids of the referrals ``user`` may see with a question waiting for them to act (one query).

    The authority: questions that have reached it and are not answered. The unit: homes'
    questions still with it, to pass on or answer. Anyone else: none.
    """
    from swc.referrals.selectors import referral_list_for

    if user_can(user, "question.pass_on"):
        waiting = QuestionStatus.WITH_UNIT
    elif user_can(user, "question.answer"):
        waiting = QuestionStatus.WITH_AUTHORITY
    else:
        return []
    visible = referral_list_for(user).values("pk")
    return list(
        Question.objects.filter(status=waiting, referral_id__in=visible)
        .order_by("referral_id")
        .values_list("referral_id", flat=True)
        .distinct()
    )
