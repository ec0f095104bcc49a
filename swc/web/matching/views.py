"""Matching pages: the coordinator's list, homes' answers, offers, placements, allocation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from swc.core import clock
from swc.core.errors import ServiceError
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.matching import selectors, services
from swc.matching.models import Offer, OfferStatus, Placement
from swc.matching.scoring import WEIGHTS, need_label
from swc.organisations.access import requires
from swc.organisations.policy import principal_for, user_can
from swc.referrals.models import Referral
from swc.referrals.services import referral_view_record
from swc.referrals.workflow import SEARCHABLE, Status

from .forms import AdmitForm, DischargeForm, ResponseForm, SendForm


class RefusalForm(forms.Form):
    """Carries a refusal of a button with no fields of its own to the error summary."""

    def __init__(self) -> None:
        super().__init__(data={})
        self.full_clean()


def _error_show(form: forms.Form, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    if field is None:
        form.error_anchor = "main-content"  # type: ignore[attr-defined]


def _referral(request: HttpRequest, pk: int, action: str) -> Referral:
    referral = selectors.referral_for_unit(request.user, pk, action)
    return referral


# --- the coordinator's match page ------------------------------------------------------


@requires("match.run")
def match(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, "match.run")
    run = selectors.match_run_latest_for(request.user, referral)
    form: forms.Form | None = None
    send_form = SendForm(candidates=run.candidates if run else [])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                services.match_run(referral=referral, by=request.user)
                return redirect("matching:match", pk=referral.pk)
            if action in ("send", "send_all"):
                if run is None:
                    raise Http404
                send_form = SendForm(request.POST, candidates=run.candidates)
                form = send_form
                if send_form.is_valid():
                    services.shortlist_send(
                        run=run,
                        by=request.user,
                        home_ids=send_form.home_ids(),
                        every_home_with_bed=action == "send_all",
                        note=send_form.cleaned_data["note"],
                    )
                    messages.success(
                        request,
                        "The list has been provided and the referral sent to the chosen homes",
                    )
                    return redirect("matching:match", pk=referral.pk)
            else:
                raise Http404
        except ServiceError as error:
            if form is None:
                form = RefusalForm()
            _error_show(form, error)
    referral_view_record(referral=referral, by=request.user, request=request, what="matching")
    referral.refresh_from_db()
    return render(
        request,
        "matching/match.html",
        {
            "referral": referral,
            "run": run,
            "send_form": send_form,
            "form": form,
            "searchable": referral.status in SEARCHABLE,
            "weights": WEIGHTS,
            "responses": selectors.responses_for(request.user, referral),
            "offers": selectors.offers_for(request.user, referral),
            "sent_ids": set(run.selected_home_ids) if run else set(),
            "child": selectors.child_profile_of(referral),
            "need_labels": [need_label(code) for code in sorted(referral.needs or ())],
        },
    )


# --- a home's answer -------------------------------------------------------------------


@requires("home_response.record")
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    referral = Referral.objects.select_related("local_authority").filter(pk=pk).first()
    if referral is None or not user_can(request.user, "home_response.record", referral):
        raise Http404
    principal = principal_for(request.user)
    shared = SecureHome.objects.filter(
        organisation_id__in=referral.shares.values_list("home_organisation_id", flat=True)
    )
    fixed_home: SecureHome | None = None
    if not principal.is_unit:
        fixed_home = selectors.home_of_manager(request.user)
        if fixed_home is None or not shared.filter(pk=fixed_home.pk).exists():
            raise Http404
        homes = shared.filter(pk=fixed_home.pk)
    else:
        homes = shared
    vacancies = (
        Vacancy.objects.filter(home__in=homes, status=VacancyStatus.FREE)
        .select_related("home")
        .order_by("home__name", "available_from", "id")
    )
    form = ResponseForm(
        request.POST or None, homes=homes, vacancies=vacancies, fixed_home=fixed_home
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.home_response_record(
                referral=referral,
                home=form.responding_home(),
                kind=data["kind"],
                by=request.user,
                by_phone=principal.is_unit,
                vacancy=data.get("vacancy"),
                available_from=data.get("available_from"),
                decline_reason=data.get("decline_reason") or "",
                detail=data.get("detail") or "",
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "The answer has been recorded")
            if principal.is_unit:
                return redirect("matching:match", pk=referral.pk)
            return redirect("matching:respond", pk=referral.pk)
    responses = selectors.responses_for(request.user, referral)
    return render(
        request,
        "matching/respond.html",
        {
            "referral": referral,
            "form": form,
            "fixed_home": fixed_home,
            "is_unit": principal.is_unit,
            "responses": responses,
        },
    )


# --- offers, for the authority ---------------------------------------------------------


@requires("offer.view")
def offers(request: HttpRequest, pk: int) -> HttpResponse:
    referral = Referral.objects.select_related("local_authority").filter(pk=pk).first()
    if referral is None or not user_can(request.user, "referral.view", referral):
        raise Http404
    rows = selectors.offers_for(request.user, referral)
    form: forms.Form | None = None
    if request.method == "POST":
        offer = selectors.offer_get_for(request.user, _int(request.POST.get("offer")), "offer.view")
        if offer.referral_id != referral.pk or not user_can(request.user, "offer.accept", referral):
            raise Http404
        try:
            services.offer_accept(offer=offer, by=request.user)
        except ServiceError as error:
            form = RefusalForm()
            _error_show(form, error)
        else:
            messages.success(request, f"You have accepted the offer from {offer.home.name}")
            return redirect("matching:offers", pk=referral.pk)
    referral_view_record(referral=referral, by=request.user, request=request, what="offers")
    return render(
        request,
        "matching/offers.html",
        {
            "referral": referral,
            "rows": rows,
            "form": form,
            "can_accept": user_can(request.user, "offer.accept", referral)
            and referral.status == Status.WITH_HOMES,
            "open": OfferStatus.OPEN,
        },
    )


def _int(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise Http404 from None


# --- placements, for the unit ----------------------------------------------------------


@requires("placement.record")
def placements(request: HttpRequest) -> HttpResponse:
    awaiting = list(
        Offer.objects.filter(status=OfferStatus.ACCEPTED, placement__isnull=True)
        .filter(referral__status=Status.OFFER_ACCEPTED)
        .select_related("home", "referral")
        .order_by("available_from", "id")
    )
    return render(
        request,
        "matching/placements.html",
        {"awaiting": awaiting, "placements": selectors.placements_for(request.user)},
    )


@requires("placement.record")
def admit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for(request.user, pk, "placement.record")
    form = AdmitForm(request.POST or None, initial={"admitted_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_admit(
                offer=offer, admitted_on=form.cleaned_data["admitted_on"], by=request.user
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, f"The admission to {offer.home.name} has been recorded")
            return redirect("matching:placements")
    return render(request, "matching/admit.html", {"offer": offer, "form": form})


@requires("placement.record")
def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    placement = (
        Placement.objects.select_related("home", "referral__local_authority").filter(pk=pk).first()
    )
    if placement is None or not user_can(request.user, "placement.record", placement):
        raise Http404
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            services.placement_discharge(
                placement=placement,
                discharged_on=data["discharged_on"],
                reason=data["reason"],
                destination=data["destination"],
                detail=data["detail"],
                by=request.user,
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "The discharge has been recorded")
            return redirect("matching:placements")
    return render(request, "matching/discharge.html", {"placement": placement, "form": form})


# --- allocation across waiting children ------------------------------------------------


@requires("allocation.propose")
def allocation(request: HttpRequest) -> HttpResponse:
    result = selectors.allocation_for(request.user)
    rows = list(zip(result.greedy, result.optimal, strict=True))
    return render(request, "matching/allocation.html", {"result": result, "rows": rows})
