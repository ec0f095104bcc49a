"""The start page after sign-in: what this person's role needs first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from swc.organisations.access import requires
from swc.organisations.selectors import start_page_summary_for


@requires("start.view")
def start(request: HttpRequest) -> HttpResponse:
    summary = start_page_summary_for(request.user)
    return render(request, "start/start.html", {"summary": summary})
