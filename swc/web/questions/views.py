"""Questions on a referral: the thread, asking, answering, passing on, and how homes ask.

Views parse, ask the policy (through the selectors) and call one service.
Reading a thread is a reading of the referral: it is audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from swc.core.errors import NotPermitted, ServiceError
from swc.organisations.access import requires
from swc.organisations.models import OrganisationKind
from swc.organisations.policy import user_can
from swc.questions import selectors, services
from swc.questions.models import Question
from swc.referrals.models import Referral
from swc.referrals.selectors import referral_get_for
from swc.referrals.services import referral_view_record

from .forms import AnswerForm, AskForm, RoutingForm


def _error_show(form: forms.Form, error: ServiceError) -> None:
    form.add_error("text" if error.field in ("question", "answer", "text") else None, error.message)


def _question_of(request: HttpRequest, pk: int, action: str) -> Question:
    referral = referral_get_for(request.user, selectors.question_referral_id(pk), action)
    return selectors.question_get_for(request.user, referral, pk)


def _rows(
    request: HttpRequest, referral: Referral, questions: list[Question]
) -> list[dict[str, Any]]:
    for question in questions:
        # The one referral already read (its shares cached): no query per question.
        question.referral = referral
    return [
        {
            "question": q,
            "may_answer": selectors.question_may_answer(request.user, q),
            "may_pass_on": selectors.question_may_pass_on(request.user, q),
        }
        for q in questions
    ]


@requires("question.view")
def question_thread(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_get_for(request.user, pk, "question.view")
    may_ask = user_can(request.user, "question.ask", referral) and (
        referral.status in services.ASKABLE
    )
    if request.method == "POST" and not may_ask:
        raise NotPermitted()
    form = AskForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(
                referral=referral, by=request.user, text=form.cleaned_data["text"]
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "Your question has been sent")
            return redirect("questions:thread", pk=referral.pk)
    referral_view_record(referral=referral, by=request.user, request=request, what="questions")
    questions = list(selectors.questions_for(request.user, referral))
    return render(
        request,
        "questions/thread.html",
        {
            "referral": referral,
            "rows": _rows(request, referral, questions),
            "form": form if may_ask else None,
            "through_unit": not selectors.homes_ask_directly(),
            "asks_as_unit": user_can(request.user, "question.pass_on", referral),
            "sees_identity": user_can(request.user, "referral.view_identity", referral),
            "may_route": user_can(request.user, "question_routing.manage"),
        },
    )


@requires("question.answer")
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_of(request, pk, "question.answer")
    referral: Referral = question.referral
    if not selectors.question_may_answer(request.user, question):
        messages.info(request, "This question has already been answered")
        return redirect("questions:thread", pk=referral.pk)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(
                question=question, by=request.user, text=form.cleaned_data["text"]
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "Your answer has been sent")
            return redirect("questions:thread", pk=referral.pk)
    referral_view_record(referral=referral, by=request.user, request=request, what="questions")
    return render(
        request,
        "questions/answer.html",
        {
            "referral": referral,
            "question": question,
            "form": form,
            "to_home": question.asked_by_organisation.kind == OrganisationKind.SECURE_HOME,
        },
    )


@require_POST
@requires("question.pass_on")
def question_pass_on(request: HttpRequest, pk: int) -> HttpResponse:
    question = _question_of(request, pk, "question.pass_on")
    try:
        services.question_pass_on(question=question, by=request.user)
    except ServiceError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, "The question has been passed on to the authority")
    return redirect("questions:thread", pk=question.referral_id)


@requires("question_routing.manage")
def question_routing(request: HttpRequest) -> HttpResponse:
    current = "direct" if selectors.homes_ask_directly() else "through_unit"
    form = RoutingForm(
        request.POST if request.method == "POST" else None, initial={"route": current}
    )
    if request.method == "POST" and form.is_valid():
        services.question_routing_set(
            by=request.user, homes_ask_directly=form.cleaned_data["route"] == "direct"
        )
        messages.success(request, "How homes ask their questions has been saved")
        return redirect("questions:routing")
    return render(request, "questions/routing.html", {"form": form})
