"""Middleware of the pages: what a refusal raised by a service looks like to a person."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from swc.core.errors import NotPermitted, ServiceError
from swc.organisations.access import access_refused_record


class ServiceErrorMiddleware:
    """Refusals raised by services become the right page, never a 500.

    ``NotPermitted`` is shown as 404, so a person cannot learn that a record
    they may not see exists. Other ``ServiceError``s that a view did not turn
    into a form error are shown as a 400 page with their message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotPermitted):
            if request.user.is_authenticated:
                access_refused_record(request, "object")
            return render(request, "errors/404.html", status=404)
        if isinstance(exception, ServiceError):
            return render(request, "errors/400.html", {"message": exception.message}, status=400)
        return None
