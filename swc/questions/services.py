"""Asking, passing on and answering questions about a referral.

Each function is one transaction: the change, its audit event (identifiers
only, never the words of a question) and its notification (through a domain
event, into the outbox) commit together. Status moves by conditional UPDATE,
so of two people answering at once exactly one succeeds.
"""

from __future__ import annotations

from typing import Any

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.core.transactions import entry_point
from swc.matching.models import HomeResponse, ResponseKind
from swc.organisations.models import Organisation, OrganisationKind
from swc.organisations.policy import ANY, principal_for, require, scopes_for
from swc.referrals.models import Referral
from swc.referrals.workflow import OPEN, Status

from .models import Question, QuestionRoute, QuestionRouting, QuestionStatus
from .selectors import homes_ask_directly, question_may_answer, question_may_pass_on

MAX_LENGTH = 2000
# Questions are about finding and preparing a placement: open referrals, and a placed child.
ASKABLE = OPEN | {Status.PLACED}


def _text_clean(text: str, field: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ServiceError(missing, field=field)
    if len(text) > MAX_LENGTH:
        raise ServiceError(
            f"{field.capitalize()} must be {MAX_LENGTH} characters or fewer", field=field
        )
    return text


def _event(kind: str, question: Question, *, key: str, by: Any, to_home: bool) -> DomainEvent:
    referral = question.referral
    return DomainEvent(
        kind=kind,
        key=key,
        occurred_at=clock.now(),
        actor_id=getattr(by, "pk", None),
        referral_id=referral.pk,
        local_authority_organisation_id=referral.local_authority.organisation_id,
        home_organisation_ids=(question.asked_by_organisation_id,) if to_home else (),
        detail={"question": question.pk},
    )


@entry_point
def question_ask(*, referral: Referral, by: Any, text: str) -> Question:
    """A home the referral was sent to, or the unit, asks the authority a question.

    A home's question goes to the unit to pass on, unless the unit lets homes
    ask directly; the unit's own questions go straight to the authority.
    """
    require(by, "question.ask", referral)
    if referral.status not in ASKABLE:
        raise ServiceError(
            "Questions can only be asked while the referral is open", field="text", code="closed"
        )
    text = _text_clean(text, "question", "Enter your question")
    principal = principal_for(by)
    if principal.organisation_id is None:
        raise NotPermitted()
    from_unit = ANY in scopes_for(by, "question.ask")
    direct = from_unit or homes_ask_directly()
    now = clock.now()
    question = Question.objects.create(
        referral=referral,
        asked_by_organisation_id=principal.organisation_id,
        asked_by=by,
        asked_at=now,
        text=text,
        route=QuestionRoute.DIRECT if direct else QuestionRoute.THROUGH_UNIT,
        status=QuestionStatus.WITH_AUTHORITY if direct else QuestionStatus.WITH_UNIT,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=question,
        detail={"referral_id": referral.pk, "route": question.route},
    )
    event_publish(
        _event(
            EventKind.QUESTION_ASKED if direct else EventKind.QUESTION_FOR_UNIT,
            question,
            key=f"question:{question.pk}:asked",
            by=by,
            to_home=not from_unit,
        )
    )
    return question


def question_from_home_response(event: DomainEvent) -> Question | None:
    """A home that answers a referral by asking for more information has asked a question.

    Subscribed to domain events (``QuestionsConfig.ready``), so it runs in the
    transaction that records the home's answer. The words go into the thread,
    through the unit or directly as the unit has chosen (directly when the unit
    took the question by phone), so that the authority can read and answer
    them and the answer comes back to the home. It is notified as a question
    asked on the questions page is: the unit to pass it on, or the authority when
    it goes directly (the home's answer itself is not notified again).
    """
    if event.kind != EventKind.HOME_RESPONDED or event.detail.get("kind") != "information":
        return None
    if not event.detail.get("counted", True) or len(event.home_organisation_ids) != 1:
        return None
    if event.referral_id is None:
        return None
    response = (
        HomeResponse.objects.filter(
            referral_id=event.referral_id,
            home__organisation_id=event.home_organisation_ids[0],
            kind=ResponseKind.INFORMATION,
            question__isnull=True,
        )
        .select_related("referral")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    if response is None or not response.detail.strip():
        return None
    direct = bool(event.detail.get("by_phone")) or homes_ask_directly()
    question = Question.objects.create(
        referral=response.referral,
        asked_by_organisation_id=event.home_organisation_ids[0],
        asked_by=response.recorded_by,
        asked_at=response.recorded_at,
        text=response.detail.strip()[:MAX_LENGTH],
        route=QuestionRoute.DIRECT if direct else QuestionRoute.THROUGH_UNIT,
        status=QuestionStatus.WITH_AUTHORITY if direct else QuestionStatus.WITH_UNIT,
        home_response=response,
    )
    audit_record(
        actor=response.recorded_by,
        action=AuditAction.CREATE,
        obj=question,
        detail={
            "referral_id": response.referral_id,
            "route": question.route,
            "home_response_id": response.pk,
        },
    )
    event_publish(
        _event(
            EventKind.QUESTION_ASKED if direct else EventKind.QUESTION_FOR_UNIT,
            question,
            key=f"question:{question.pk}:asked",
            by=response.recorded_by,
            to_home=True,
        )
    )
    return question


def questions_on_event(event: DomainEvent) -> None:
    """The subscriber registered in ``QuestionsConfig.ready``."""
    question_from_home_response(event)


@entry_point
def question_pass_on(*, question: Question, by: Any) -> Question:
    """The unit passes a home's question on to the authority, as the home wrote it."""
    if not question_may_pass_on(by, question):
        if question.status != QuestionStatus.WITH_UNIT:
            raise ConflictError("This question has already been passed on or answered")
        raise NotPermitted()
    rows = Question.objects.filter(pk=question.pk, status=QuestionStatus.WITH_UNIT).update(
        status=QuestionStatus.WITH_AUTHORITY, passed_on_at=clock.now(), passed_on_by=by
    )
    if rows != 1:
        raise ConflictError("This question has already been passed on or answered")
    question.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=question,
        detail={"referral_id": question.referral_id, "passed_on": True},
    )
    event_publish(
        _event(
            EventKind.QUESTION_ASKED,
            question,
            key=f"question:{question.pk}:passed_on",
            by=by,
            to_home=True,
        )
    )
    return question


@entry_point
def question_answer(*, question: Question, by: Any, text: str) -> Question:
    """The authority (or the unit for it) answers; the answer goes back to whoever asked."""
    if not question_may_answer(by, question):
        if question.status == QuestionStatus.ANSWERED:
            raise ConflictError("This question has already been answered")
        raise NotPermitted()
    text = _text_clean(text, "answer", "Enter your answer")
    waiting = [QuestionStatus.WITH_AUTHORITY]
    if ANY in scopes_for(by, "question.answer"):
        waiting.append(QuestionStatus.WITH_UNIT)
    principal = principal_for(by)
    rows = Question.objects.filter(pk=question.pk, status__in=waiting).update(
        status=QuestionStatus.ANSWERED,
        answer=text,
        answered_at=clock.now(),
        answered_by=by,
        answered_by_organisation_id=principal.organisation_id,
    )
    if rows != 1:
        raise ConflictError("This question has already been answered")
    question.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=question,
        detail={"referral_id": question.referral_id, "answered": True},
    )
    asker_is_home = not _is_unit_organisation(question.asked_by_organisation_id)
    event_publish(
        _event(
            EventKind.QUESTION_ANSWERED if asker_is_home else EventKind.QUESTION_ANSWERED_UNIT,
            question,
            key=f"question:{question.pk}:answered",
            by=by,
            to_home=asker_is_home,
        )
    )
    return question


def _is_unit_organisation(organisation_id: int) -> bool:
    return Organisation.objects.filter(pk=organisation_id, kind=OrganisationKind.UNIT).exists()


@entry_point
def question_routing_set(*, by: Any, homes_ask_directly: bool) -> QuestionRouting:
    """The unit chooses whether homes ask authorities directly or through the unit.

    Questions already asked keep their route; the choice applies to new ones.
    """
    require(by, "question_routing.manage")
    routing, _ = QuestionRouting.objects.update_or_create(
        pk=1,
        defaults={
            "homes_ask_directly": homes_ask_directly,
            "changed_at": clock.now(),
            "changed_by": by,
        },
    )
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=routing,
        detail={"homes_ask_directly": homes_ask_directly},
    )
    return routing
