"""What every API endpoint shares: who may call, how errors look, limits, replays.

Resources subclass ``ApiViewSet`` (or ``ApiView``) and declare
``policy_actions``: the policy action each of their operations needs. The
permission is then exactly the pages' rule, from ``swc.organisations.policy``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cached_property
from typing import Any, ClassVar

from django.db import models
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance, is_patched_serializer
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, pagination, permissions, serializers, views, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core import clock
from swc.core.errors import NotPermitted
from swc.organisations.access import access_refused_record
from swc.organisations.policy import user_can

from . import idempotency
from .authentication import ApiKeyAuthentication, VerifiedSessionAuthentication
from .parsers import LimitedJSONParser, max_body_bytes
from .problems import (
    PROBLEM_CONTENT_TYPE,
    LengthRequired,
    RequestBodyTooLarge,
    VersionRetired,
    problem_exception_handler,
)
from .throttling import ApiKeyRateThrottle
from .versions import retirement_for

# Fields whose JSON value is a string (the schema says "type": "string"). A list of
# choices is a list, not a string.
TEXT_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
    serializers.DurationField,
    serializers.UUIDField,
)
NOT_TEXT_FIELDS = (serializers.MultipleChoiceField,)


def json_type_of(value: Any) -> str:
    """The JSON type of a parsed value, in words (never the value: it may be personal)."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value that is not a string"


def text_only(field: serializers.Field) -> None:
    """Refuse any JSON value but a string in a field whose value is text.

    DRF turns a number into its text (1e999 became a child's first name "inf") and
    answers a number for a date or a choice with "wrong format". Applied by
    ``StrictFieldsMixin`` to every text field of every input serializer, and to the
    items of a list or dictionary of text.
    """
    convert = field.to_internal_value

    def to_internal_value(data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(
                f"Expected a string but got {json_type_of(data)}.", code="not_a_string"
            )
        return convert(data)

    field.to_internal_value = to_internal_value  # type: ignore[method-assign]


class StrictFieldsMixin:
    """Input that names a field the API does not know is refused, not silently ignored;
    a text field takes only a string."""

    @cached_property
    def fields(self) -> Any:
        # Every field the serializer has, including any a subclass's get_fields adds.
        fields = super().fields  # type: ignore[misc]
        for field in fields.values():
            inner = field
            while inner is not None:
                if isinstance(inner, serializers.ChoiceField):
                    # DRF's message quotes the value sent, which may be a child's details.
                    inner.error_messages["invalid_choice"] = (
                        "This is not one of the allowed values."
                    )
                if isinstance(inner, TEXT_FIELDS) and not isinstance(inner, NOT_TEXT_FIELDS):
                    text_only(inner)
                inner = getattr(inner, "child", None)
        return fields

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not part of the API."] for name in unknown},
                    code="unknown_field",
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    pass


class CodeField(serializers.CharField):
    """A coded value in a response, as its code ("" while unanswered).

    Responses give codes as plain strings: the input's enums document them, and one
    enum per choice set keeps the schema's component names stable.
    """

    def __init__(self, *, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)


class UtcDateTimeField(serializers.DateTimeField):
    """Times in responses are UTC ("...Z"): local time of a far-off year has an offset
    with seconds (London's LMT), which is not RFC 3339."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(**kwargs)


class OutputModelSerializer(serializers.ModelSerializer):
    serializer_choice_field = CodeField
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (schema only)."""

    class FieldError(serializers.Serializer):
        field = serializers.CharField(allow_null=True)
        message = serializers.CharField()
        code = serializers.CharField()

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    errors = FieldError(many=True, required=False)  # type: ignore[assignment]


PROBLEM_STATUSES_READ = {
    "401": "Missing, invalid or revoked API key",
    "403": "Your role may not do this",
    "404": "No such record, or not one you may see",
    "406": "Only application/json is offered",
    "429": "Rate limit reached: wait Retry-After seconds",
    "422": "A rule of the service refuses the request",
}
PROBLEM_STATUSES_WRITE = {
    **PROBLEM_STATUSES_READ,
    "400": "Malformed JSON, wrong types, unknown fields or a bad Idempotency-Key",
    "409": "Someone changed the record first, or the same Idempotency-Key is in progress",
    "413": "The request body is too large",
    "415": "Send application/json",
    "422": "A rule of the service refuses the change (or the Idempotency-Key was used "
    "for a different request)",
}


class ProblemAutoSchema(AutoSchema):
    """Documents every error response as problem details, and unknown fields as refused."""

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        serializer = force_instance(serializer)
        if isinstance(serializer, StrictFieldsMixin):
            schema["additionalProperties"] = False
        optional = set(getattr(serializer, "swc_optional_in_schema", ()))
        required = [name for name in schema.get("required", []) if name not in optional]
        if is_patched_serializer(serializer, direction):
            # The views validate a PATCH with the serializer as declared, never with
            # partial=True: a field declared required (the version) is required.
            required = [
                field.field_name
                for field in serializer.fields.values()
                if field.required and not field.read_only
            ]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        return schema

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and isinstance(schema, dict)
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "format" not in schema
        ):
            # DRF refuses NUL characters in text (PostgreSQL cannot store them): say so.
            schema["pattern"] = "^[^\\x00]*$"
        return schema

    def _get_request_body(self, direction: Any = "request") -> Any:
        body = super()._get_request_body(direction)
        action = getattr(self.view, "action", None)
        if body and action in getattr(self.view, "body_required_actions", ()):
            # An empty body is refused (400) even where every field is optional.
            body["required"] = True
        return body

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        problem = self.resolve_serializer(ProblemSerializer(), "response").ref
        statuses = (
            PROBLEM_STATUSES_READ if self.method in ("GET", "HEAD") else PROBLEM_STATUSES_WRITE
        )
        if self.method in ("GET", "HEAD"):
            statuses = {**statuses, "400": "A query parameter is not valid"}
        for code, description in statuses.items():
            if code in responses:
                continue
            response: dict[str, Any] = {
                "description": description,
                "content": {PROBLEM_CONTENT_TYPE: {"schema": problem}},
            }
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before trying again",
                    }
                }
            responses[code] = response
        return responses

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(
                OpenApiParameter(
                    idempotency.HEADER,
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    pattern=idempotency.KEY_PATTERN,
                    description=(
                        "Any unique string (a UUID is ideal). Sending the same key again "
                        "returns the first response and creates nothing new."
                    ),
                )
            )
        return parameters


class ApiPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "A page number, from 1 (a page past the end is 404)",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Rows a page (at most {self.max_page_size})",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class PageQuery(StrictSerializer):
    """The query of a list that has no filters: paging only, anything else refused."""

    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=ApiPagination.max_page_size
    )


class PolicyPermission(permissions.BasePermission):
    """The operation's policy action, asked of ``swc.organisations.policy``."""

    message = "Your role may not do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        action = view.policy_action_for_request()
        return action is None or user_can(request.user, action)


class ApiMixin(views.APIView):
    """Authentication, permission, limits, errors, idempotency and ETags for every endpoint."""

    authentication_classes = [ApiKeyAuthentication, VerifiedSessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, PolicyPermission]
    throttle_classes = [ApiKeyRateThrottle]
    parser_classes = [LimitedJSONParser]
    renderer_classes = [JSONRenderer]
    schema = ProblemAutoSchema()

    # The rule for the permission matrix test and for operations not listed below.
    policy_action: ClassVar[str] = ""
    # Per viewset action (list, retrieve, create, submit...) when they differ.
    policy_actions: ClassVar[dict[str, str]] = {}
    # Viewset actions that need a body: an empty one is a 400, never an empty record.
    body_required_actions: ClassVar[tuple[str, ...]] = ("create", "update", "partial_update")

    def policy_action_for_request(self) -> str | None:
        name = getattr(self, "action", None) or str(self.request.method).lower()
        return self.policy_actions.get(name, self.policy_action) or None

    def body_limit(self) -> int:
        """The largest request body accepted (an endpoint taking files raises it)."""
        return max_body_bytes()

    def get_exception_handler(self) -> Any:
        return problem_exception_handler

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        retirement = retirement_for(request.path)
        if retirement is not None and retirement.is_retired(clock.today()):
            raise VersionRetired(
                f"{retirement.version} of the API was retired on "
                f"{retirement.sunset.strftime('%-d %B %Y')}: use {retirement.successor}"
            )
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.META.get("HTTP_TRANSFER_ENCODING"):
            # Never act on a body that was not read: without a Content-Length the
            # WSGI server gives Django an empty body, whatever was sent.
            raise LengthRequired()
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > self.body_limit():
            raise RequestBodyTooLarge()
        if (
            getattr(self, "action", None) in self.body_required_actions
            and not request._request.body.strip()
        ):
            raise serializers.ValidationError(
                {"non_field_errors": ["The request has no body: send a JSON object."]},
                code="empty_body",
            )
        if request.method == "POST":
            self._idempotency_prepare(request)

    def idempotent_replay_record(self, response: Response) -> None:
        """Called when a stored response is sent again: audit what it shows, if anything."""

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)  # type: ignore[misc]
        if isinstance(exc, NotPermitted | exceptions.PermissionDenied):
            # Refused access is audited, as on the pages (docs/security.md). A record
            # that simply does not exist (a plain 404) is not a refusal.
            user = self.request.user
            if user is not None and user.is_authenticated:
                action = None
                if isinstance(exc, exceptions.PermissionDenied):
                    action = self.policy_action_for_request()
                access_refused_record(self.request._request, action or "object", object_type="api")
        return response

    def _idempotency_prepare(self, request: Request) -> None:
        key = idempotency.header_of(request)
        if key is None:
            return
        outcome = idempotency.idempotency_claim(
            caller=idempotency.caller_of(request),
            key=key,
            fingerprint=idempotency.request_fingerprint(request),
        )
        if isinstance(outcome, Response):

            def replay(*args: Any, **kwargs: Any) -> Response:
                self.idempotent_replay_record(outcome)
                return outcome

            self.post = replay  # type: ignore[method-assign]
            return
        handler = self.post  # type: ignore[attr-defined]

        def post(*args: Any, **kwargs: Any) -> Response:
            return idempotency.idempotency_run(outcome, lambda: handler(*args, **kwargs))

        self.post = post  # type: ignore[method-assign]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        # Responses may hold a child's details: never kept by shared caches.
        response["Cache-Control"] = "no-store"
        retirement = retirement_for(request.path)
        if retirement is not None:
            for name, value in retirement.headers().items():
                response[name] = value
        if (
            request.method == "GET"
            and response.status_code == 200
            and isinstance(response, Response)
        ):
            response.render()
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            conditional = get_conditional_response(
                request._request, etag=response["ETag"], response=response
            )
            if conditional is not None and conditional is not response:
                conditional["Cache-Control"] = "no-store"
                return conditional
        return response


class ApiView(ApiMixin):
    pass


class ApiListView(ApiMixin):
    """A list endpoint: paged like every other list (``page``, ``page_size``, ``next``)."""

    pagination_class = ApiPagination

    def page_of(self, rows: Any, serializer_class: type[serializers.BaseSerializer]) -> Response:
        PageQuery(data=self.request.query_params.dict()).is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page: Any = paginator.paginate_queryset(rows, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)


class ApiViewSet(ApiMixin, viewsets.GenericViewSet):
    pagination_class = ApiPagination
