"""Staying signed in, and forms kept after a time-out (docs/accounts.md)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from swc.organisations import selectors, services
from swc.organisations.access import requires


@requires("start.view")
@require_POST
def session_refresh(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any request refreshes the session; this one does nothing else."""
    request.session.modified = True
    return JsonResponse({"idle_seconds": request.session.get_expiry_age()})


@requires("start.view")
def timed_out(request: HttpRequest) -> HttpResponse:
    """The form this person sent after their session ended: send it now, or discard it.

    Sending is the same form, to the same page, as a person's own click: the
    page checks permission and input (and whether the record changed since)
    exactly as it would have.
    """
    kept = selectors.timed_out_submission_for(request.user)
    if request.method == "POST":
        if kept is not None and request.POST.get("discard") == str(kept.pk):
            services.timed_out_submission_discard(user=request.user, pk=kept.pk)  # type: ignore[arg-type]
            messages.success(
                request, "The answers you sent before you were signed out have been discarded."
            )
        return redirect("web:start")
    if kept is None:
        return redirect("web:start")
    path = kept.path if url_has_allowed_host_and_scheme(kept.path, allowed_hosts=None) else "/"
    hidden = [(name, value) for name, values in kept.fields.items() for value in values]
    return render(request, "account/timed_out.html", {"kept": kept, "path": path, "hidden": hidden})
