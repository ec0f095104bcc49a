"""``/api/v1/referrals/``: an authority's case-management system drafts, updates,
submits and withdraws referrals; everyone reads what the policy lets them see.

Every change calls the same service as the pages (``swc.referrals.services``);
every read goes through ``swc.referrals.selectors``. Reads of a child's details
are audited like page views.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.core.vocabulary import NeedOrRisk, WithdrawalReason
from swc.organisations.models import LocalAuthority
from swc.organisations.policy import principal_for, user_can
from swc.referrals import selectors, services
from swc.referrals.completeness import FIELDS
from swc.referrals.models import Referral, ReferralEvent
from swc.referrals.workflow import Status

from ..base import (
    ApiViewSet,
    OutputModelSerializer,
    StrictFieldsMixin,
    StrictSerializer,
    UtcDateTimeField,
)

STAMPS = (
    "submitted_at",
    "completed_at",
    "information_requested_at",
    "list_provided_at",
    "offer_accepted_at",
    "placed_at",
    "closed_at",
)


class ReferralFilters(StrictSerializer):
    """Query parameters of the list (unknown ones other than paging are refused)."""

    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text="A reference (R000123), the authority's identifier for the child, or the "
        "child's name or initials: each word must appear in the first or last name, ignoring "
        "case (a single letter is an initial). Not for homes.",
    )
    date_of_birth = serializers.DateField(required=False, help_text="Not for homes")
    local_authority = serializers.CharField(
        required=False,
        max_length=10,
        help_text="The authority's three-digit DfE code, like 850 (the unit only: an "
        "authority sees its own referrals whatever it sends; an unknown code is a 422). "
        "Not for homes.",
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    created_from = serializers.DateField(required=False, help_text="Created on or after")
    created_to = serializers.DateField(required=False, help_text="Created on or before")
    updated_since = UtcDateTimeField(
        required=False, help_text="Changed at or after (poll with the last response's time)"
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class HomeReferralSummarySerializer(OutputModelSerializer):
    """A list row for a home the referral was sent to: no child's details, no authority."""

    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Referral
        fields: tuple[str, ...] = (
            "id",
            "reference",
            "status",
            "bed_needed_at",
            "created_at",
            "modified_at",
            *STAMPS,
        )
        read_only_fields: tuple[str, ...] = fields

    # The columns a row reads (``reference`` is worked out from the id): a list page
    # does not read, and convert, the forty other columns of each referral.
    columns: tuple[str, ...] = tuple(name for name in Meta.fields if name != "reference")


class ReferralSummarySerializer(HomeReferralSummarySerializer):
    """A list row for the authority and the unit: also which authority referred the child."""

    local_authority_code = serializers.CharField(source="local_authority.dfe_la_code")
    # One schema for both audiences: a home's rows leave the authority out.
    swc_optional_in_schema = ("local_authority_code",)

    class Meta(HomeReferralSummarySerializer.Meta):
        fields = (*HomeReferralSummarySerializer.Meta.fields, "local_authority_code")
        read_only_fields = fields

    columns = (*HomeReferralSummarySerializer.columns, "local_authority__dfe_la_code")


class AssigneeSerializer(serializers.Serializer):
    """Who in the unit has picked a referral up."""

    name = serializers.CharField()
    email = serializers.CharField()


class ReferralSerializer(OutputModelSerializer):
    """A referral with the child's details: for the authority and the unit only.

    Coded answers are the codes of the input's enums, or "" while unanswered.
    ``assigned_to`` (who in the unit has it, or null) and ``assigned_at`` are the unit's
    only: an authority's answers leave them out.
    """

    assigned_to = serializers.SerializerMethodField()
    assigned_at = UtcDateTimeField(read_only=True, allow_null=True)
    swc_optional_in_schema = ("assigned_to", "assigned_at")

    @extend_schema_field(AssigneeSerializer(allow_null=True))
    def get_assigned_to(self, referral: Referral) -> dict[str, str] | None:
        person = referral.assigned_to
        if person is None:
            return None
        return {"name": services.person_label(person), "email": person.email}

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if not self.context.get("shows_assignee"):
            data.pop("assigned_to", None)
            data.pop("assigned_at", None)
        return data

    social_worker_email = serializers.CharField()
    manager_email = serializers.CharField()
    reference = serializers.CharField(read_only=True)
    local_authority_code = serializers.CharField(source="local_authority.dfe_la_code")
    needs = serializers.ListField(child=serializers.CharField())
    need_descriptions = serializers.DictField(child=serializers.CharField(allow_blank=True))

    class Meta:
        model = Referral
        fields = (
            "id",
            "reference",
            "status",
            "version",
            "local_authority_code",
            *FIELDS,
            *STAMPS,
            "outcome_reason",
            "outcome_detail",
            "created_at",
            "modified_at",
            "assigned_to",
            "assigned_at",
        )
        read_only_fields = fields


class NeedDescriptionsSerializer(StrictSerializer):
    """A short description of each need or risk selected, keyed by its code."""

    def get_fields(self) -> Any:
        return super().get_fields() | {
            code: serializers.CharField(required=False, allow_blank=True, max_length=2000)
            for code in NeedOrRisk.values
        }

    def to_internal_value(self, data: Any) -> Any:
        return dict(super().to_internal_value(data))


class ReferralInputSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """The details an authority sends; every field optional until submission."""

    needs = serializers.ListField(
        child=serializers.ChoiceField(choices=NeedOrRisk.choices), required=False, max_length=20
    )
    need_descriptions = NeedDescriptionsSerializer(required=False)

    class Meta:
        model = Referral
        fields = FIELDS
        extra_kwargs = {name: {"required": False} for name in FIELDS}

    # Phone numbers: the service applies the pages' rule (swc.core.phones), so a number
    # that is well-formed text but not a UK number is a 422 naming the field, as every
    # other rule of the service is (a 400 is kept for a request the schema refuses).


class ReferralUpdateSerializer(ReferralInputSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you read: a stale version is refused with 409"
    )

    class Meta(ReferralInputSerializer.Meta):
        fields = ("version", *FIELDS)


class ReferralSubmitSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1)


class ReferralWithdrawSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=WithdrawalReason.choices)
    detail = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ReferralHandOverSerializer(StrictSerializer):
    to = serializers.EmailField(help_text="The email address of the person in the unit")
    expected = serializers.EmailField(
        required=False,
        allow_null=True,
        help_text="Who had the referral as you last read it (null: nobody); if it has "
        "changed hands since, 409",
    )


class ReferralEventSerializer(OutputModelSerializer):
    class Meta:
        model = ReferralEvent
        fields = ("at", "actor_label", "kind", "from_status", "to_status", "reason", "detail")
        read_only_fields = fields


class HomeViewSerializer(serializers.Serializer):
    """What a home sees of a referral sent to it: no surname, no authority identifier."""

    pk = serializers.IntegerField()
    reference = serializers.CharField()
    initials = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    sex = serializers.CharField()
    needs = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    legal_status = serializers.CharField()
    hearing_date = serializers.DateField(allow_null=True)
    order_expires_on = serializers.DateField(allow_null=True)
    bed_needed_at = UtcDateTimeField(allow_null=True)
    home_area_region = serializers.CharField()
    status = serializers.CharField()


def _input(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(parameters=[ReferralFilters], responses=ReferralSummarySerializer),
    retrieve=extend_schema(responses=ReferralSerializer),
)
class ReferralViewSet(ApiViewSet):
    policy_action = "referral.view"
    policy_actions = {
        "list": "referral.view",
        "retrieve": "referral.view_identity",
        "create": "referral.create",
        "partial_update": "referral.edit",
        "submit": "referral.submit",
        "withdraw": "referral.withdraw",
        "timeline": "referral.view_identity",
        "home_view": "referral.view",
        # No "take": a key's account is not a person in the unit; a system names the
        # person it hands the referral to.
        "hand_over": "referral.hand_over",
    }
    serializer_class = ReferralSerializer
    queryset = Referral.objects.none()  # the selectors decide; this is for the schema only
    # Any segment reaches the view, so a malformed id is a problem-details 404 too.
    lookup_value_regex = "[^/]+"

    def _referral(self, action_name: str) -> Referral:
        pk = str(self.kwargs["pk"])
        if not pk.isascii() or not pk.isdigit() or len(pk) > 18:
            raise NotPermitted()
        return selectors.referral_get_for(self.request.user, int(pk), action_name)

    def _viewed(self, referral: Referral, what: str) -> None:
        services.referral_view_record(
            referral=referral, by=self.request.user, request=self.request._request, what=what
        )

    def idempotent_replay_record(self, response: Response) -> None:
        """A replayed answer shows the child's details again: audited as a view of them."""
        body = response.data if isinstance(response.data, dict) else {}
        if response.status_code < 300 and "id" in body:
            referral = selectors.referral_get_for(
                self.request.user, int(body["id"]), "referral.view_identity"
            )
            self._viewed(referral, "api:replay")

    def _full(self, referral: Referral, *, code: int = 200, what: str) -> Response:
        self._viewed(referral, what)
        shows_assignee = user_can(self.request.user, "referral.take", referral)
        return Response(
            ReferralSerializer(referral, context={"shows_assignee": shows_assignee}).data,
            status=code,
        )

    def list(self, request: Request) -> Response:
        filters = ReferralFilters(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        if {"q", "date_of_birth", "local_authority"} & set(params) and not user_can(
            request.user, "referral.search"
        ):
            raise exceptions.PermissionDenied(
                "Your role may not search referrals by child, reference or authority"
            )
        # A code that names no authority is refused (422), not silently an empty list.
        local_authority_id = (
            services.local_authority_for_code(params["local_authority"]).pk
            if "local_authority" in params
            else None
        )
        search = selectors.ReferralSearch(
            text=params.get("q", ""),
            date_of_birth=params.get("date_of_birth"),
            local_authority_id=local_authority_id,
            status=params.get("status", ""),
            started_from=params.get("created_from"),
            started_to=params.get("created_to"),
            changed_since=params.get("updated_since"),
        )
        try:
            referrals = selectors.referral_search_for(request.user, search)
        except ServiceError as error:
            # Well-formed but meaningless (a range that ends before it starts): 422, naming
            # the parameter as the API calls it.
            field = {"text": "q", "started_to": "created_to"}.get(error.field or "", error.field)
            raise ServiceError(error.message, field=field, code=error.code) from None
        # The pages' rule: who sees the child's identity sees the authority; a home does not.
        row = (
            ReferralSummarySerializer
            if user_can(request.user, "referral.view_identity")
            else HomeReferralSummarySerializer
        )
        if row is HomeReferralSummarySerializer:
            referrals = referrals.select_related(None)
        page = self.paginate_queryset(referrals.only(*row.columns))
        if search.names_the_child:
            services.referral_search_record(
                search=search,
                referrals=list(page or []),
                by=request.user,
                request=request._request,
                what="api:search",
            )
        return self.get_paginated_response(row(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._full(self._referral("referral.view_identity"), what="api:detail")

    @extend_schema(
        request=ReferralInputSerializer,
        responses={201: ReferralSerializer},
        description="Start a draft referral for your authority, with any details you have.",
    )
    def create(self, request: Request) -> Response:
        values = _input(ReferralInputSerializer, request)
        organisation_id = principal_for(request.user).organisation_id
        local_authority = (
            LocalAuthority.objects.filter(organisation_id=organisation_id).first()
            if organisation_id is not None
            else None
        )
        if local_authority is None:
            raise NotPermitted()
        referral = services.referral_create(
            local_authority=local_authority, by=request.user, values=values
        )
        response = self._full(referral, code=status.HTTP_201_CREATED, what="api:create")
        response["Location"] = f"/api/v1/referrals/{referral.pk}/"
        return response

    @extend_schema(
        request=ReferralUpdateSerializer,
        responses=ReferralSerializer,
        description="Change details. Send the version you read; after submission the "
        "referral must stay complete.",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        referral = self._referral("referral.edit")
        values = _input(ReferralUpdateSerializer, request)
        version = values.pop("version")
        saved = services.referral_section_save(
            referral=referral, by=request.user, version=version, values=values
        )
        return self._full(saved, what="api:update")

    @extend_schema(request=ReferralSubmitSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit a complete draft (or answer a request for information)."""
        referral = self._referral("referral.submit")
        values = _input(ReferralSubmitSerializer, request)
        submitted = services.referral_submit(
            referral=referral, by=request.user, version=values["version"]
        )
        return self._full(submitted, what="api:submit")

    @extend_schema(request=ReferralWithdrawSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw the referral, with a reason."""
        referral = self._referral("referral.withdraw")
        values = _input(ReferralWithdrawSerializer, request)
        withdrawn = services.referral_move(
            referral=referral,
            to=Status.WITHDRAWN,
            by=request.user,
            reason=values["reason"],
            detail=values.get("detail", ""),
        )
        return self._full(withdrawn, what="api:withdraw")

    @extend_schema(request=ReferralHandOverSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: str) -> Response:
        """Hand the referral to someone in the unit, naming who had it as you last read it."""
        referral = self._referral("referral.hand_over")
        values = _input(ReferralHandOverSerializer, request)
        people = {p.email.lower(): p for p in selectors.referral_assignees_for(request.user)}
        to = people.get(values["to"].lower())
        if to is None:
            raise ServiceError("There is nobody in the unit with this email address", field="to")
        expected = values.get("expected")
        expected_id = None
        if expected:
            holder = people.get(expected.lower())
            if holder is None or holder.pk != referral.assigned_to_id:
                current = referral.assigned_to
                raise ConflictError(
                    f"{services.person_label(current)} has this referral now"
                    if current is not None
                    else "Nobody has this referral now",
                    field="expected",
                )
            expected_id = holder.pk
        handed = services.referral_hand_over(
            referral=referral, by=request.user, to=to, expected_id=expected_id
        )
        return self._full(handed, what="api:hand_over")

    @extend_schema(responses=ReferralEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request: Request, pk: str) -> Response:
        """Every change to the referral: who, what, when, oldest first."""
        referral = self._referral("referral.view_identity")
        events = selectors.referral_timeline_for(request.user, referral)
        self._viewed(referral, "api:timeline")
        return Response(ReferralEventSerializer(events, many=True).data)

    @extend_schema(
        responses={200: OpenApiResponse(HomeViewSerializer, "What a home needs to decide")}
    )
    @action(detail=True, methods=["get"], url_path="home-view")
    def home_view(self, request: Request, pk: str) -> Response:
        """A referral as a home it was sent to sees it (also for the unit, to check)."""
        referral = self._referral("referral.view")
        self._viewed(referral, "api:home_view")
        return Response(HomeViewSerializer(selectors.referral_home_view(referral)).data)
