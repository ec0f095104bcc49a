"""Every address under /api/ answers problem details, even where no view answers at all."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve

from .problems import PROBLEM_BASE, PROBLEM_CONTENT_TYPE, TITLES, TYPES

API_PREFIX = "/api/"


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


class ApiNotFoundMiddleware:
    """An address under /api/ that leads nowhere: a problem-details 404, never an HTML page.

    A write to an address missing only its trailing slash is told the right
    address (reads are redirected to it by ``SlashOnlyForReadsMiddleware``; a
    redirect would lose a write's body). Listed before that middleware, so that
    it sees the final answer.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 404
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)
        ):
            return response
        detail = "There is nothing at this address."
        if not request.path.endswith("/") and _resolves(request.path + "/"):
            detail = f"Addresses in the API end with a slash: send this to {request.path}/"
        problem = JsonResponse(
            {
                "type": PROBLEM_BASE + TYPES[404],
                "title": TITLES[404],
                "status": 404,
                "detail": detail,
                "instance": request.path,
            },
            status=404,
            content_type=PROBLEM_CONTENT_TYPE,
        )
        problem["Cache-Control"] = "no-store"
        return problem
