"""The unit's notification pages: the outbox, the local backend's messages, the rota."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from swc.core import clock
from swc.core.errors import ServiceError
from swc.notifications import selectors, services
from swc.notifications.messages import MESSAGES
from swc.notifications.models import NotificationStatus, OnCallPeriod
from swc.organisations.access import requires
from swc.organisations.policy import user_can

from .forms import OnCallPeriodForm, OutboxFilterForm


def _error_show(form: forms.Form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@requires("outbox.view")
def outbox(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    rows = selectors.outbox_list_for(
        request.user,
        status=filters.get("status", ""),
        channel=filters.get("channel", ""),
        message=filters.get("message", ""),
    )
    return render(
        request,
        "notifications/outbox.html",
        {
            "filter_form": form,
            "rows": rows,
            "counts": selectors.outbox_counts_for(request.user),
            "health": selectors.delivery_health(),
            "statuses": NotificationStatus,
            "titles": {k: s.title for k, s in MESSAGES.items()},
        },
    )


@requires("outbox.view")
def local_messages(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/local.html",
        {"local_messages": selectors.local_messages_for(request.user)},
    )


@requires("rota.view")
def rota(request: HttpRequest) -> HttpResponse:
    can_manage = user_can(request.user, "rota.manage")
    form = OnCallPeriodForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            raise Http404()
        if form.is_valid():
            starts_at, ends_at = form.span()
            try:
                services.on_call_period_add(
                    by=request.user,
                    officer=form.cleaned_data["officer"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    note=form.cleaned_data["note"],
                )
            except ServiceError as error:
                _error_show(form, error)
            else:
                messages.success(request, "The on-call period has been added to the rota.")
                return redirect("notifications:rota")
    now = clock.now()
    return render(
        request,
        "notifications/rota.html",
        {
            "form": form,
            "can_manage": can_manage,
            "periods": selectors.on_call_periods_for(
                request.user, since=now - dt.timedelta(days=1)
            ),
            "on_call_now": selectors.on_call_officer_at(now),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@requires("rota.manage")
def rota_remove(request: HttpRequest, pk: int) -> HttpResponse:
    period = OnCallPeriod.objects.filter(pk=pk).first()
    if period is None:
        raise Http404()
    services.on_call_period_remove(by=request.user, period=period)
    messages.success(request, "The on-call period has been removed from the rota.")
    return redirect("notifications:rota")
