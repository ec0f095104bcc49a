"""A person's own account pages: notification preferences."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from swc.core.errors import ServiceError
from swc.notifications import selectors, services
from swc.notifications.models import Channel
from swc.organisations.access import requires

from .forms import NotificationPreferenceForm


@requires("notification_preferences.edit")
def notifications(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_for(request.user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None,
        initial=NotificationPreferenceForm.initial_from(preference),
    )
    if request.method == "POST" and form.is_valid():
        channels = form.cleaned_data["channels"]
        try:
            services.preference_set(
                user=request.user,  # type: ignore[arg-type]
                by=request.user,
                email_enabled=Channel.EMAIL in channels,
                sms_enabled=Channel.SMS in channels,
                muted_messages=form.muted(),
            )
        except ServiceError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, "Your notification preferences have been saved.")
            return redirect("account:notifications")
    return render(
        request,
        "account/notifications.html",
        {"form": form, "phone": request.user.phone},  # type: ignore[union-attr]
        status=400 if form.errors else 200,
    )
