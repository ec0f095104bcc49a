"""Matching pages: the coordinator's list, homes' answers, offers, placements, allocation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from swc.core import clock
from swc.core.errors import ServiceError
from swc.core.phones import phone_display
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.homes.selectors import register_currency_for
from swc.matching import runs, selectors, services
from swc.matching.models import MatchRun, Offer, OfferStatus, Placement
from swc.matching.scoring import WEIGHTS, need_label
from swc.organisations.access import requires
from swc.organisations.policy import principal_for, user_can
from swc.referrals.models import Referral
from swc.referrals.services import referral_moves_for, referral_view_record
from swc.referrals.workflow import SEARCHABLE, Status

from .forms import AdmitForm, DischargeForm, OfferReasonForm, ResponseForm, SendForm


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

# The ranked list shows this many homes a page, best first; excluded homes are
# grouped by reason, each group showing this many names until all are asked for.
RANKED_PAGE_SIZE = 25
GROUP_PREVIEW = 10


def _run_shown(request: HttpRequest, run: MatchRun | None) -> dict[str, Any]:
    """The page's share of a run: one page of ranked homes, exclusions grouped by reason."""
    if run is None:
        return {}
    page = Paginator(run.candidate_rows, RANKED_PAGE_SIZE).get_page(request.GET.get("page"))
    start = (page.number - 1) * RANKED_PAGE_SIZE
    groups = runs.exclusions_grouped(run.exclusion_rows)
    opened = request.GET.get("reason")
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "query": query.urlencode(),
        "ranked": runs.ranked_homes_of(
            run.candidate_rows, run.weights, start, start + RANKED_PAGE_SIZE
        ),
        "groups": groups,
        "opened_reason": opened if any(g.code == opened for g in groups) else None,
        "group_preview": GROUP_PREVIEW,
        "group_slice": f":{GROUP_PREVIEW}",
    }


@requires("match.run")
def match(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk, "match.run")
    run = selectors.match_run_latest_for(request.user, referral)
    form: forms.Form | None = None
    send_form = SendForm(candidates=run.candidate_rows if run else [])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                services.match_run(referral=referral, by=request.user)
                messages.success(request, "The homes have been matched against today's register")
                return redirect("matching:match", pk=referral.pk)
            if action in ("send", "send_all"):
                if run is None:
                    raise Http404
                send_form = SendForm(request.POST, candidates=run.candidate_rows)
                form = send_form
                if send_form.is_valid():
                    services.shortlist_send(
                        run=run,
                        by=request.user,
                        home_ids=send_form.home_ids(),
                        every_home_with_bed=action == "send_all",
                        note=send_form.cleaned_data["note"],
                        exclusions_shared=send_form.cleaned_data["exclusions_shared"],
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
    shown = _run_shown(request, run)
    # How current each shown home's register is: the page's homes only, not the whole run.
    ranked = shown.get("ranked", [])
    currency = register_currency_for(request.user, [home.home_id for home in ranked])
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
            "currency": currency,
            "stale_homes": [
                home.name
                for home in ranked
                if home.home_id in currency and currency[home.home_id].out_of_date
            ],
            "shortlist": selectors.shortlist_for(request.user, referral),
            "child": selectors.child_profile_of(referral),
            "need_labels": [need_label(code) for code in sorted(referral.needs or ())],
            **shown,
        },
    )


# --- a home's answer -------------------------------------------------------------------


@requires("home_response.record")
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """A home's page for a referral: the answer form while an answer is due, else what is next.

    The unit uses the same page to record an answer taken by phone, for any
    home the referral was sent to.
    """
    referral = Referral.objects.select_related("local_authority").filter(pk=pk).first()
    if referral is None or not user_can(request.user, "home_response.record", referral):
        raise Http404
    shared = SecureHome.objects.filter(
        organisation_id__in=referral.shares.values_list("home_organisation_id", flat=True)
    )
    homes = [h for h in shared if user_can(request.user, "home_response.answer_for", h)]
    if not homes:
        raise Http404
    # A home manager answers for their own home; the unit chooses the home on the form.
    own = [h for h in homes if h.organisation_id == principal_for(request.user).organisation_id]
    fixed_home = own[0] if own else None
    stage = selectors.home_stage_for(request.user, referral, fixed_home) if fixed_home else None
    vacancies = (
        Vacancy.objects.filter(home__in=homes, status=VacancyStatus.FREE)
        .select_related("home")
        .order_by("home__name", "available_from", "id")
    )
    home_choices = SecureHome.objects.filter(pk__in=[h.pk for h in homes])
    form = ResponseForm(
        request.POST or None, homes=home_choices, vacancies=vacancies, fixed_home=fixed_home
    )
    may_answer = stage is None or stage.may_answer
    if request.method == "POST":
        if not may_answer:
            raise Http404
        if form.is_valid():
            try:
                services.home_response_record(
                    referral=referral, home=form.responding_home(), by=request.user, **form.answer()
                )
            except ServiceError as error:
                error.field = form.service_field(error.field)
                _error_show(form, error)
            else:
                messages.success(request, "The answer has been recorded")
                if fixed_home is None:
                    return redirect("matching:match", pk=referral.pk)
                return redirect("matching:respond", pk=referral.pk)
    referral_view_record(referral=referral, by=request.user, request=request, what="respond")
    return render(
        request,
        "matching/respond.html",
        {
            "referral": referral,
            "form": form,
            "fixed_home": fixed_home,
            "stage": stage,
            "may_answer": may_answer,
            "may_withdraw": stage is not None
            and stage.stage == "offered"
            and stage.offer is not None
            and user_can(request.user, "offer.withdraw", stage.offer),
            "may_admit": stage is not None
            and stage.stage == "accepted"
            and stage.offer is not None
            and Status.PLACED in referral_moves_for(request.user, referral)
            and user_can(request.user, "placement.admit", stage.offer),
            "may_discharge": stage is not None
            and stage.stage == "placed"
            and stage.placement is not None
            and user_can(request.user, "placement.admit", stage.placement),
            "responses": selectors.responses_for(request.user, referral),
        },
    )


# --- the list and the offers, for the authority ----------------------------------------


@requires("shortlist.view")
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of potential placements: homes, distance, why each fits, each home's answer."""
    referral = _referral_for(request, pk, "shortlist.view")
    referral_view_record(referral=referral, by=request.user, request=request, what="list")
    return render(
        request,
        "matching/list.html",
        {
            "referral": referral,
            "shortlist": selectors.shortlist_for(request.user, referral),
            "checked_at": clock.now(),
            "has_offers": Offer.objects.filter(referral=referral).exists(),
            # "and decide" only while the workflow lets this person accept an offer.
            "may_decide": Status.OFFER_ACCEPTED in referral_moves_for(request.user, referral)
            and Offer.objects.filter(referral=referral, status=OfferStatus.OPEN).exists(),
        },
    )


def _referral_for(request: HttpRequest, pk: int, action: str) -> Referral:
    referral = (
        Referral.objects.select_related("local_authority", "placed_home").filter(pk=pk).first()
    )
    if referral is None or not user_can(request.user, action, referral):
        raise Http404
    return referral


@requires("offer.view")
def offers(request: HttpRequest, pk: int) -> HttpResponse:
    """Each offer with the home's message, bed date, distance, price (where allowed), conditions.

    Accepting and declining each go through a page of their own: never one click.
    """
    referral = _referral_for(request, pk, "referral.view")
    rows = selectors.offers_for(request.user, referral)
    shortlist = (
        selectors.shortlist_for(request.user, referral)
        if user_can(request.user, "shortlist.view", referral)
        else None
    )
    # An offer may be decided while the workflow lets this person accept one.
    deciding = Status.OFFER_ACCEPTED in referral_moves_for(request.user, referral)
    accepted = next((r.offer for r in rows if r.offer.status == OfferStatus.ACCEPTED), None)
    referral_view_record(referral=referral, by=request.user, request=request, what="offers")
    return render(
        request,
        "matching/offers.html",
        {
            "referral": referral,
            "rows": [
                (row, shortlist.home(row.offer.home_id) if shortlist else None) for row in rows
            ],
            "shortlist": shortlist,
            "may_accept": deciding,
            "may_decline": deciding and user_can(request.user, "offer.decline", referral),
            "open": OfferStatus.OPEN,
            "accepted": accepted,
            "accepted_contact": _home_contact(accepted.home) if accepted else None,
            "placement": Placement.objects.filter(referral=referral).first(),
        },
    )


def _home_contact(home: SecureHome) -> dict[str, str]:
    profile = getattr(home, "profile", None)
    return {
        "name": getattr(profile, "contact_name", "") or "",
        "phone": phone_display(getattr(profile, "contact_phone", "") or ""),
        "email": getattr(profile, "contact_email", "") or "",
    }


def _offer_for_decision(request: HttpRequest, pk: int, action: str) -> Offer:
    offer = selectors.offer_get_for(request.user, pk, "offer.view")
    if not user_can(request.user, action, offer.referral):
        raise Http404
    return offer


@requires("offer.accept")
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page: "You are accepting <home> at £… a week from …"."""
    offer = _offer_for_decision(request, pk, "offer.accept")
    form: forms.Form | None = None
    if offer.status != OfferStatus.OPEN or offer.referral.status != Status.WITH_HOMES:
        messages.error(request, "This offer can no longer be accepted")
        return redirect("matching:offers", pk=offer.referral_id)
    if request.method == "POST":
        try:
            services.offer_accept(offer=offer, by=request.user)
        except ServiceError as error:
            form = RefusalForm()
            _error_show(form, error)
        else:
            messages.success(request, f"You have accepted the offer from {offer.home.name}")
            return redirect("matching:offers", pk=offer.referral_id)
    row = next(
        r for r in selectors.offers_for(request.user, offer.referral) if r.offer.pk == offer.pk
    )
    others = [
        r.offer.home.name
        for r in selectors.offers_for(request.user, offer.referral)
        if r.offer.status == OfferStatus.OPEN and r.offer.pk != offer.pk
    ]
    return render(
        request,
        "matching/offer_accept.html",
        {"offer": offer, "price": row.price, "others": others, "form": form},
    )


@requires("offer.decline")
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer_for_decision(request, pk, "offer.decline")
    if offer.status != OfferStatus.OPEN:
        messages.error(request, "This offer is no longer open")
        return redirect("matching:offers", pk=offer.referral_id)
    form = OfferReasonForm(
        request.POST or None, label=f"Why are you declining the offer from {offer.home.name}?"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_decline(offer=offer, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, f"You have declined the offer from {offer.home.name}")
            return redirect("matching:offers", pk=offer.referral_id)
    return render(
        request,
        "matching/offer_reason.html",
        {
            "offer": offer,
            "form": form,
            "title": f"Decline the offer from {offer.home.name}",
            "button": "Decline the offer",
            "explain": "The home and the unit will be told. The other offers stay open.",
            "cancel_href": reverse("matching:offers", args=[offer.referral_id]),
        },
    )


@requires("offer.withdraw")
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for(request.user, pk, "offer.withdraw")
    if offer.status != OfferStatus.OPEN:
        messages.error(request, "This offer is no longer open")
        return redirect("matching:respond", pk=offer.referral_id)
    form = OfferReasonForm(request.POST or None, label="Why is the home withdrawing its offer?")
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_withdraw(
                offer=offer, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "The offer has been withdrawn")
            return redirect("matching:respond", pk=offer.referral_id)
    return render(
        request,
        "matching/offer_reason.html",
        {
            "offer": offer,
            "form": form,
            "title": "Withdraw the offer",
            "button": "Withdraw the offer",
            "explain": "The authority and the unit will be told, and the bed stays free on "
            "your register.",
            "cancel_href": reverse("matching:respond", args=[offer.referral_id]),
        },
    )


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


def _after_placement(request: HttpRequest, referral_id: int) -> HttpResponse:
    if user_can(request.user, "placement.record"):
        return redirect("matching:placements")
    return redirect("matching:respond", pk=referral_id)


@requires("placement.admit")
def admit(request: HttpRequest, pk: int) -> HttpResponse:
    """The home (or the unit) records the child's arrival, day and time."""
    offer = selectors.offer_get_for(request.user, pk, "placement.admit")
    form = AdmitForm(request.POST or None, initial={"admitted_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_admit(offer=offer, admitted_at=form.moment(), by=request.user)
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, f"The admission to {offer.home.name} has been recorded")
            return _after_placement(request, offer.referral_id)
    return render(request, "matching/admit.html", {"offer": offer, "form": form})


@requires("placement.admit")
def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    """The home (or the unit) records when the child left, why, and where to."""
    placement = (
        Placement.objects.select_related("home", "referral__local_authority").filter(pk=pk).first()
    )
    if placement is None or not user_can(request.user, "placement.admit", placement):
        raise Http404
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            services.placement_discharge(
                placement=placement,
                discharged_at=form.moment(),
                reason=data["reason"],
                destination=data["destination"],
                detail=data["detail"],
                by=request.user,
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, "The discharge has been recorded")
            return _after_placement(request, placement.referral_id)
    return render(request, "matching/discharge.html", {"placement": placement, "form": form})


# --- allocation across waiting children ------------------------------------------------


@requires("allocation.propose")
def allocation(request: HttpRequest) -> HttpResponse:
    result = selectors.allocation_for(request.user)
    rows = list(zip(result.greedy, result.optimal, strict=True))
    return render(request, "matching/allocation.html", {"result": result, "rows": rows})
