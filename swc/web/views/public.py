"""Pages anyone may read, and the health check."""

from __future__ import annotations

import sys

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from swc.core.errors import (
    OUTAGE_RETRY_AFTER,
    WRITES_REFUSED_DETAIL,
    database_refuses_writes,
    database_unavailable,
)
from swc.core.problems import PROBLEM_BASE, PROBLEM_CONTENT_TYPE
from swc.notifications.selectors import delivery_health
from swc.organisations.access import public


@public
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise; says whether reminders and deliveries flow."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        health = delivery_health()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    # Pages still work without the scheduler or the workers: 200, with what is late named
    # for monitoring (never counts or content: this address is public).
    return JsonResponse(
        {
            "status": "ok" if health.ok else "degraded",
            "database": "ok",
            "scheduler": "late" if health.scheduler_late else "ok",
            "delivery": "late" if health.overdue else "ok",
        }
    )


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "start/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "start/privacy.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The last resort. Rendered without the request: its context may need the database.

    When the database is stopped or unreachable the answer is 503 with
    ``Retry-After``, in words for a page and as problem details for the API.
    """
    error = sys.exc_info()[1]
    unavailable = database_unavailable(error)
    if request.path.startswith("/api/"):
        status = 503 if unavailable else 500
        body = {
            "type": PROBLEM_BASE + ("unavailable" if unavailable else "error"),
            "title": (
                "The service is unavailable for a moment"
                if unavailable
                else "Sorry, there is a problem with the service"
            ),
            "status": status,
            "detail": (
                WRITES_REFUSED_DETAIL
                if database_refuses_writes(error)
                else "The service cannot reach its database. Nothing was changed: try again shortly."
                if unavailable
                else "An unexpected error. Nothing was changed. It has been logged."
            ),
            "instance": request.path,
        }
        response: HttpResponse = JsonResponse(
            body, status=status, content_type=PROBLEM_CONTENT_TYPE
        )
    elif unavailable:
        page = render_to_string(
            "errors/503.html", {"writes_refused": database_refuses_writes(error)}
        )
        response = HttpResponse(page, status=503)
    else:
        response = HttpResponse(render_to_string("errors/500.html"), status=500)
    if unavailable:
        response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Existence of records is private: a refusal looks like "not found".
    return render(request, "errors/404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
