"""Response headers that every signed-in page needs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.common import CommonMiddleware


class NoStoreForSignedInMiddleware:
    """Signed-in pages may hold children's personal data: never cache them (ASVS V8)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class SlashOnlyForReadsMiddleware(CommonMiddleware):
    """Django's CommonMiddleware, adding a missing trailing slash only to GET and HEAD.

    A redirect cannot carry a POST's body (the browser follows it with a GET, and
    under DEBUG Django raises instead, a 500): a write to an address without its
    slash is a plain 404, which under /api/ names the right address.
    """

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        return request.method in ("GET", "HEAD") and super().should_redirect_with_slash(request)
