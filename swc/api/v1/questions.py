"""Questions on a referral: read the thread, ask, pass on (the unit), answer.

The same services and selectors as the pages: a person sees only the
questions between their organisation and another (the unit sees all).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from swc.organisations.models import OrganisationKind
from swc.organisations.policy import user_can
from swc.questions import selectors, services
from swc.questions.models import Question
from swc.questions.services import MAX_LENGTH
from swc.referrals.models import Referral
from swc.referrals.selectors import referral_get_for
from swc.referrals.services import referral_view_record

from ..base import ApiView, OutputModelSerializer, StrictSerializer
from .matching import pk_of


class QuestionSerializer(OutputModelSerializer):
    asked_by_organisation = serializers.CharField(source="asked_by_organisation.name")
    answered_by_organisation = serializers.SerializerMethodField(
        help_text="Who answered; a home is told only that the authority or the unit did"
    )

    def get_answered_by_organisation(self, question: Question) -> str | None:
        organisation = question.answered_by_organisation
        if organisation is None:
            return None
        if self.context.get("sees_identity") or organisation.kind == OrganisationKind.UNIT:
            return organisation.name
        # Homes see what a home needs to decide, not which authority referred the child.
        return "The referring authority"

    class Meta:
        model = Question
        fields = (
            "id",
            "referral",
            "asked_by_organisation",
            "asked_at",
            "text",
            "route",
            "status",
            "passed_on_at",
            "answer",
            "answered_at",
            "answered_by_organisation",
        )
        read_only_fields = fields


class TextInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=MAX_LENGTH)


def _context(request: Request, referral: Referral) -> dict[str, Any]:
    return {"sees_identity": user_can(request.user, "referral.view_identity", referral)}


def _question(request: Request, pk: Any, action: str) -> Question:
    number = pk_of(pk)
    referral = referral_get_for(request.user, selectors.question_referral_id(number), action)
    return selectors.question_get_for(request.user, referral, number)


class QuestionsView(ApiView):
    """``/referrals/{id}/questions/``: the questions you may read; ask one."""

    policy_action = "question.view"
    policy_actions = {"get": "question.view", "post": "question.ask"}

    @extend_schema(responses=QuestionSerializer(many=True), tags=["questions"])
    def get(self, request: Request, pk: str) -> Response:
        referral = referral_get_for(request.user, pk_of(pk), "question.view")
        referral_view_record(
            referral=referral, by=request.user, request=request._request, what="api:questions"
        )
        questions = selectors.questions_for(request.user, referral)
        return Response(
            QuestionSerializer(questions, many=True, context=_context(request, referral)).data
        )

    @extend_schema(
        request=TextInputSerializer, responses={201: QuestionSerializer}, tags=["questions"]
    )
    def post(self, request: Request, pk: str) -> Response:
        referral = referral_get_for(request.user, pk_of(pk), "question.ask")
        data = TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_ask(
            referral=referral, by=request.user, text=data.validated_data["text"]
        )
        return Response(
            QuestionSerializer(question, context=_context(request, referral)).data,
            status=status.HTTP_201_CREATED,
        )


class QuestionAnswerView(ApiView):
    """``/questions/{id}/answer/``: the authority (or the unit for it) answers."""

    policy_action = "question.answer"

    @extend_schema(request=TextInputSerializer, responses=QuestionSerializer, tags=["questions"])
    def post(self, request: Request, pk: str) -> Response:
        question = _question(request, pk, "question.answer")
        data = TextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.question_answer(
            question=question, by=request.user, text=data.validated_data["text"]
        )
        return Response(
            QuestionSerializer(answered, context=_context(request, answered.referral)).data
        )


class QuestionPassOnView(ApiView):
    """``/questions/{id}/pass-on/``: the unit passes a home's question to the authority."""

    policy_action = "question.pass_on"

    @extend_schema(request=None, responses=QuestionSerializer, tags=["questions"])
    def post(self, request: Request, pk: str) -> Response:
        question = _question(request, pk, "question.pass_on")
        passed = services.question_pass_on(question=question, by=request.user)
        return Response(QuestionSerializer(passed, context=_context(request, passed.referral)).data)


urlpatterns = [
    path("referrals/<str:pk>/questions/", QuestionsView.as_view(), name="referral-questions"),
    path("questions/<str:pk>/answer/", QuestionAnswerView.as_view(), name="question-answer"),
    path("questions/<str:pk>/pass-on/", QuestionPassOnView.as_view(), name="question-pass-on"),
]
