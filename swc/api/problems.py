"""Every API error as an RFC 9457 problem-details body, with field-level messages.

A caller always gets ``application/problem+json`` with ``type``, ``title``,
``status`` and ``detail``; input errors add ``errors``, one entry per field
(``field`` is a dotted path into the JSON body, or null for the whole body).
Messages never quote the value that was sent: it may be a child's details.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from swc.core.errors import (
    OUTAGE_RETRY_AFTER,
    WRITES_REFUSED_DETAIL,
    ConflictError,
    NotPermitted,
    ServiceError,
    database_refuses_writes,
    database_unavailable,
)
from swc.core.problems import PROBLEM_BASE, PROBLEM_CONTENT_TYPE

logger = logging.getLogger(__name__)


TITLES = {
    400: "Your request is not valid",
    401: "Authentication is required",
    403: "You may not do this",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    410: "This version of the API has been retired",
    411: "Send the body with a Content-Length",
    413: "The request body is too large",
    415: "Unsupported media type",
    422: "The service's rules refuse this request",
    429: "Too many requests",
    503: "The service is unavailable for a moment",
}
TYPES = {
    400: "invalid-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    410: "version-retired",
    411: "length-required",
    413: "body-too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    429: "rate-limited",
    503: "unavailable",
}


class RequestBodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the API accepts."
    default_code = "too_large"


class LengthRequired(exceptions.APIException):
    """A chunked body: refused whole rather than acted on unread (the WSGI server
    hands Django an empty body when there is no Content-Length)."""

    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = (
        "The API does not accept chunked request bodies: send the body with a Content-Length."
    )
    default_code = "length_required"


class NestedTooDeep(exceptions.ParseError):
    """Arrays and objects nested deeper than the API ever needs (Python's parser
    would recurse once per level, and crash a few thousand levels down)."""

    default_code = "too_deep"


class VersionRetired(exceptions.APIException):
    """The API version was retired on its sunset date (docs/api.md)."""

    status_code = status.HTTP_410_GONE
    default_code = "version_retired"


class IdempotencyConflict(exceptions.APIException):
    """The same Idempotency-Key is still being worked on, or was used for another request."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_conflict"

    def __init__(self, detail: str, *, status_code: int = 409, retry_after: int | None = None):
        super().__init__(detail)
        self.status_code = status_code  # type: ignore[assignment]
        self.wait = retry_after


def _flatten(detail: Any, path: str = "") -> list[dict[str, Any]]:
    """DRF's nested error detail as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        items: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            items += _flatten(value, f"{path}.{name}" if path and name else (name or path))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            # A list of messages for one field, or a list of objects (one per item).
            child = f"{path}.{index}" if isinstance(value, dict | list) else path
            items += _flatten(value, child)
        return items
    return [
        {
            "field": path or None,
            "message": str(detail),
            "code": getattr(detail, "code", None) or "invalid",
        }
    ]


def problem_response(
    status_code: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + TYPES.get(status_code, "error"),
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The API's exception handler: refusals and bad input become problem details."""
    request = context.get("request")
    instance = request.path if request is not None else None

    if isinstance(exc, NotPermitted | Http404 | exceptions.NotFound):
        # Another organisation's record looks exactly like one that does not exist.
        return problem_response(
            404, "There is nothing at this address that you can see.", instance=instance
        )
    if isinstance(exc, ConflictError):
        return problem_response(
            409,
            exc.message,
            errors=[{"field": exc.field, "message": exc.message, "code": exc.code}],
            code=exc.code,
            instance=instance,
        )
    if isinstance(exc, ServiceError):
        # Well-formed, but a rule of the service refuses it (an incomplete referral,
        # a move the workflow forbids): 422, so that 400 always means "fix the request".
        return problem_response(
            422,
            exc.message,
            errors=[{"field": exc.field, "message": exc.message, "code": exc.code}],
            code=exc.code,
            instance=instance,
        )
    if database_unavailable(exc):
        # The database is stopped, unreachable, full or read-only: nothing was written;
        # the caller retries.
        return problem_response(
            503,
            WRITES_REFUSED_DETAIL
            if database_refuses_writes(exc)
            else "The service cannot reach its database. Nothing was changed: try again shortly.",
            code="unavailable",
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER)},
            instance=instance,
        )
    if isinstance(exc, RequestDataTooBig):
        exc = RequestBodyTooLarge()
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem_response(
            400,
            "Some of the values sent are not valid: see errors.",
            errors=errors,
            code="invalid",
            instance=instance,
        )
    if isinstance(exc, exceptions.APIException):
        headers: dict[str, str] = {}
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(max(1, int(wait + 0.999)))
        detail = exc.detail if isinstance(exc.detail, str) else "The request is not valid."
        if isinstance(exc, exceptions.ParseError) and not isinstance(exc, NestedTooDeep):
            multipart = "multipart/" in str(getattr(request, "content_type", "") or "")
            detail = (
                "The request body is not valid multipart/form-data."
                if multipart
                else "The request body is not valid JSON."
            )
        return problem_response(
            exc.status_code,
            str(detail),
            code=exc.get_codes() if isinstance(exc.get_codes(), str) else None,  # type: ignore[arg-type]
            headers=headers,
            instance=instance,
        )
    return None
