"""The vacancy register pages: the national board, a home's own page, the unit's views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from swc.core import clock
from swc.core.errors import ServiceError
from swc.core.phones import phone_display
from swc.homes import selectors, services
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.homes.register import working_day_is
from swc.organisations.access import requires
from swc.organisations.policy import user_can
from swc.web.addresses import address_of_each

from .board_rows import board_rows
from .forms import BoardFilterForm, DayForm, ProfileForm, RegisterForm, VacancyForm


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


# --- the national vacancy board ------------------------------------------------------


@requires("vacancy_board.view")
def board(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    board = selectors.vacancy_board_for(
        request.user, form.filters(), page=request.GET.get("page") or 1
    )
    # A new sort starts again at the first page; the pages keep the filters and sort.
    params = {k: str(v) for k, v in request.GET.items() if k not in ("sort", "page") and v}
    sort_links = {key: "?" + urlencode({**params, "sort": key}) for key in selectors.BOARD_SORTS}
    query = request.GET.copy()
    query.pop("page", None)
    # A home's name links to its register page only for those who may open it.
    home_url = (
        address_of_each("register:home")
        if user_can(request.user, "register.confirmations.view")
        else None
    )
    return render(
        request,
        "register/board.html",
        {
            "filter_form": form,
            "board": board,
            "sort_links": sort_links,
            "current_sort": board.filters.sort,
            "page": board.page,
            "query": query.urlencode(),
            "rows": board_rows(
                board.rows,
                home_url=home_url,
                show_distance=board.local_authority is not None,
                show_prices=board.show_prices,
            ),
        },
    )


# --- a home's own register -------------------------------------------------------------


def _initial_register(latest: Any, home: SecureHome) -> dict[str, Any]:
    if latest is None:
        return {"approved": home.approved_places}
    return {
        "approved": latest.approved,
        "staffed": latest.staffed,
        "youth_justice": latest.youth_justice,
        "occupied_welfare": latest.occupied_welfare,
        "occupied_youth_justice": latest.occupied_youth_justice,
    }


def _initial_profile(request: HttpRequest, home: SecureHome) -> dict[str, Any]:
    profile = selectors.home_profile_of(home)
    initial: dict[str, Any] = {
        "admissions": "open",
        "weekly_price_welfare": selectors.home_price_for(request.user, home),
    }
    if profile is not None:
        for name in ProfileForm.base_fields:
            if hasattr(profile, name):
                initial[name] = getattr(profile, name)
        initial["contact_phone"] = phone_display(profile.contact_phone)
    return initial


@requires("register.update")
def own(request: HttpRequest) -> HttpResponse:
    home = selectors.home_for_manager(request.user)
    if home is None:
        # A manager whose organisation has no home record yet: say so, not 404.
        return render(request, "register/no_home.html")
    today = clock.today()
    history = selectors.home_declarations_for(request.user, home, limit=10)
    latest = history[0] if history else None
    register_form = RegisterForm(initial=_initial_register(latest, home))
    vacancy_form = VacancyForm(initial={"available_from": today})
    profile_form = ProfileForm(initial=_initial_profile(request, home))
    failed: forms.Form | None = None
    action = request.POST.get("action") if request.method == "POST" else None

    try:
        if action == "confirm":
            services.register_confirm(home=home, by=request.user)
            messages.success(request, "You have confirmed today's register")
            return redirect("register:own")
        if action == "register":
            register_form = failed = RegisterForm(request.POST)
            if register_form.is_valid():
                services.register_declare(
                    home=home,
                    by=request.user,
                    counts=register_form.counts(),
                    note=register_form.cleaned_data["note"],
                )
                messages.success(request, "Your places have been updated")
                return redirect("register:own")
        elif action == "vacancy":
            vacancy_form = failed = VacancyForm(request.POST)
            if vacancy_form.is_valid():
                services.vacancy_add(home=home, by=request.user, **vacancy_form.cleaned_data)
                messages.success(request, "The bed has been added to the national board")
                return redirect("register:own")
        elif action == "withdraw":
            vacancy_id = _int_or_none(request.POST.get("vacancy"))
            vacancy = (
                Vacancy.objects.filter(home=home, pk=vacancy_id).first() if vacancy_id else None
            )
            if vacancy is None:
                raise Http404()
            services.vacancy_withdraw(vacancy=vacancy, by=request.user)
            messages.success(request, "The bed has been taken off the national board")
            return redirect("register:own")
        elif action == "profile":
            profile_form = failed = ProfileForm(request.POST)
            if profile_form.is_valid():
                services.home_profile_update(
                    home=home, by=request.user, **profile_form.cleaned_data
                )
                messages.success(request, "Your home's profile has been updated")
                return redirect("register:own")
        elif action is not None:
            raise Http404()
    except ServiceError as error:
        if failed is None:
            # Confirm and withdraw have no fields: the refusal is a page-level error.
            failed = RefusalForm()
        _error_show(failed, error)

    return render(
        request,
        "register/own.html",
        {
            "home": home,
            "today": today,
            "working_day": working_day_is(today),
            "latest": latest,
            "confirmed_today": latest is not None and latest.declared_on == today,
            "history": history,
            "vacancies": selectors.home_open_vacancies_for(request.user, home),
            "register_form": register_form,
            "vacancy_form": vacancy_form,
            "profile_form": profile_form,
            "form": failed,
            "held": VacancyStatus.HELD,
        },
        status=200,
    )


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


# --- the unit's views ------------------------------------------------------------------


@requires("register.confirmations.view")
def declarations(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form = DayForm(request.GET or None)
    day = form.day_or(today)
    if not form.is_bound:
        form = DayForm(initial={"day": day})
    unconfirmed = selectors.register_confirmations_for(request.user, day)
    return render(
        request,
        "register/declarations.html",
        {
            "day": day,
            "form": form,
            "is_today": day == today,
            "working_day": working_day_is(day),
            "unconfirmed": unconfirmed,
            "homes_total": SecureHome.objects.count(),
        },
    )


@requires("register.confirmations.view")
def home_detail(request: HttpRequest, pk: int) -> HttpResponse:
    home = selectors.home_get_for(request.user, pk)
    history = selectors.home_declarations_for(request.user, home, limit=30)
    profile = selectors.home_profile_of(home)

    def labels(name: str) -> list[str]:
        return [selectors.need_label(code) for code in getattr(profile, name, [])]

    return render(
        request,
        "register/home_detail.html",
        {
            "home": home,
            "profile": profile,
            "specialist_support": labels("specialist_support"),
            "risks_not_managed": labels("risks_not_managed"),
            "current_group_needs": labels("current_group_needs"),
            "price": selectors.home_price_for(request.user, home),
            "latest": history[0] if history else None,
            "history": history,
            "vacancies": selectors.home_open_vacancies_for(request.user, home),
            "board_url": reverse("register:board"),
        },
    )
