"""Matches (the unit), home responses, offers and placements of a referral.

Each endpoint calls the service or selector the pages call
(``swc.matching.services`` / ``swc.matching.selectors``); none repeats a rule.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core.errors import NotPermitted
from swc.homes.models import SecureHome, Vacancy
from swc.matching import selectors, services
from swc.matching.models import (
    DeclineReason,
    DischargeDestination,
    DischargeReason,
    HomeResponse,
    MatchRun,
    Offer,
    Placement,
    ResponseKind,
)
from swc.organisations.policy import principal_for
from swc.referrals import selectors as referral_selectors
from swc.referrals.models import Referral

from ..base import ApiView, OutputModelSerializer, StrictSerializer, UtcDateTimeField


def pk_of(value: Any) -> int:
    """A record id from the path; anything else is the same 404 as a record you may not see."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise NotPermitted()
    return int(text)


def _referral(request: Request, pk: Any, action: str) -> Referral:
    return referral_selectors.referral_get_for(request.user, pk_of(pk), action)


# --- matches (the unit only) ---------------------------------------------------------


class MatchCandidateSerializer(serializers.Serializer):
    home_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField()
    distance_miles = serializers.FloatField(allow_null=True)
    bed_id = serializers.IntegerField(allow_null=True)
    bed_available_from = serializers.CharField(allow_null=True)
    parts = serializers.ListField(child=serializers.DictField())


class MatchExclusionSerializer(serializers.Serializer):
    home_id = serializers.IntegerField()
    name = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class MatchRunSerializer(OutputModelSerializer):
    candidates = MatchCandidateSerializer(many=True)
    exclusions = MatchExclusionSerializer(many=True)
    weights = serializers.DictField()
    selected_home_ids = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        model = MatchRun
        fields = (
            "id",
            "referral",
            "run_at",
            "weights",
            "candidates",
            "exclusions",
            "selected_home_ids",
            "sent_at",
        )
        read_only_fields = fields


class MatchesView(ApiView):
    """``/referrals/{id}/matches/``: the latest ranking of every home, or run a new one."""

    policy_action = "match.run"

    @extend_schema(responses=MatchRunSerializer, tags=["matches"])
    def get(self, request: Request, pk: str) -> Response:
        referral = _referral(request, pk, "match.run")
        run = selectors.match_run_latest_for(request.user, referral)
        if run is None:
            raise Http404
        return Response(MatchRunSerializer(run).data)

    @extend_schema(request=None, responses={201: MatchRunSerializer}, tags=["matches"])
    def post(self, request: Request, pk: str) -> Response:
        referral = _referral(request, pk, "match.run")
        run = services.match_run(referral=referral, by=request.user)
        return Response(MatchRunSerializer(run).data, status=status.HTTP_201_CREATED)


# --- home responses ---------------------------------------------------------------------


class HomeResponseSerializer(OutputModelSerializer):
    home_id = serializers.IntegerField()

    class Meta:
        model = HomeResponse
        fields = (
            "id",
            "home_id",
            "kind",
            "decline_reason",
            "detail",
            "available_from",
            "by_phone",
            "counted",
            "recorded_at",
        )
        read_only_fields = fields


class HomeResponseInputSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=ResponseKind.choices)
    home_id = serializers.IntegerField(
        required=False, min_value=1, help_text="The unit only: the home that answered"
    )
    vacancy_id = serializers.IntegerField(
        required=False, min_value=1, help_text="To accept: the bed on the register offered"
    )
    available_from = serializers.DateField(required=False)
    decline_reason = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, allow_blank=True, default=""
    )
    detail = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    by_phone = serializers.BooleanField(required=False, default=False)


class HomeResponsesView(ApiView):
    """``/referrals/{id}/responses/``: homes' answers (a home sees and gives its own)."""

    policy_action = "offer.view"
    policy_actions = {"get": "offer.view", "post": "home_response.record"}

    @extend_schema(responses=HomeResponseSerializer(many=True), tags=["responses"])
    def get(self, request: Request, pk: str) -> Response:
        referral = _referral(request, pk, "referral.view")
        responses = selectors.responses_for(request.user, referral)
        return Response(HomeResponseSerializer(responses, many=True).data)

    @extend_schema(
        request=HomeResponseInputSerializer,
        responses={201: HomeResponseSerializer},
        tags=["responses"],
    )
    def post(self, request: Request, pk: str) -> Response:
        referral = _referral(request, pk, "home_response.record")
        data = HomeResponseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if principal_for(request.user).is_unit:
            home = SecureHome.objects.filter(pk=values.get("home_id") or 0).first()
        else:
            home = selectors.home_of_manager(request.user)
        if home is None:
            raise serializers.ValidationError({"home_id": ["Name the home that answered."]})
        vacancy = None
        if values.get("vacancy_id"):
            vacancy = Vacancy.objects.filter(pk=values["vacancy_id"], home=home).first()
            if vacancy is None:
                raise serializers.ValidationError(
                    {"vacancy_id": ["No such bed on this home's register."]}
                )
        response = services.home_response_record(
            referral=referral,
            home=home,
            kind=values["kind"],
            by=request.user,
            by_phone=values["by_phone"],
            vacancy=vacancy,
            available_from=values.get("available_from"),
            decline_reason=values["decline_reason"],
            detail=values["detail"],
        )
        return Response(HomeResponseSerializer(response).data, status=status.HTTP_201_CREATED)


# --- offers and placements ---------------------------------------------------------------


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="offer.pk")
    referral_id = serializers.IntegerField(source="offer.referral_id")
    home_id = serializers.IntegerField(source="offer.home_id")
    home_name = serializers.CharField(source="offer.home.name")
    available_from = serializers.DateField(source="offer.available_from")
    status = serializers.CharField(source="offer.status")
    status_changed_at = UtcDateTimeField(source="offer.status_changed_at", allow_null=True)
    weekly_price = serializers.DecimalField(
        source="price",
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text="Only for the unit, the home itself and the referring authority",
    )


class OffersView(ApiView):
    """``/referrals/{id}/offers/``: offers on a referral, each priced only where allowed."""

    policy_action = "offer.view"

    @extend_schema(responses=OfferSerializer(many=True), tags=["offers"])
    def get(self, request: Request, pk: str) -> Response:
        referral = _referral(request, pk, "referral.view")
        return Response(
            OfferSerializer(selectors.offers_for(request.user, referral), many=True).data
        )


def _offer_row(request: Request, offer: Offer) -> dict[str, Any]:
    rows = selectors.offers_for(request.user, offer.referral)
    row = next(r for r in rows if r.offer.pk == offer.pk)
    return dict(OfferSerializer(row).data)


class OfferAcceptView(ApiView):
    """``/offers/{id}/accept/``: the authority takes this bed; it is held for the child."""

    policy_action = "offer.accept"

    @extend_schema(request=None, responses=OfferSerializer, tags=["offers"])
    def post(self, request: Request, pk: str) -> Response:
        offer = selectors.offer_get_for(request.user, pk_of(pk), "offer.accept")
        accepted = services.offer_accept(offer=offer, by=request.user)
        return Response(_offer_row(request, accepted))


class PlacementSerializer(OutputModelSerializer):
    home_id = serializers.IntegerField()
    referral_id = serializers.IntegerField()

    class Meta:
        model = Placement
        fields = (
            "id",
            "referral_id",
            "home_id",
            "admitted_on",
            "discharged_on",
            "discharge_reason",
            "discharge_destination",
            "discharge_detail",
            "created_at",
            "modified_at",
        )
        read_only_fields = fields


class AdmitInputSerializer(StrictSerializer):
    admitted_on = serializers.DateField()


class OfferAdmitView(ApiView):
    """``/offers/{id}/admit/``: the child arrived; the accepted offer becomes a placement."""

    policy_action = "placement.record"

    @extend_schema(
        request=AdmitInputSerializer, responses={201: PlacementSerializer}, tags=["placements"]
    )
    def post(self, request: Request, pk: str) -> Response:
        offer = selectors.offer_get_for(request.user, pk_of(pk), "offer.view")
        data = AdmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_admit(
            offer=offer, admitted_on=data.validated_data["admitted_on"], by=request.user
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)


class PlacementsView(ApiView):
    """``/placements/``: current placements first (the unit)."""

    policy_action = "placement.record"

    @extend_schema(responses=PlacementSerializer(many=True), tags=["placements"])
    def get(self, request: Request) -> Response:
        return Response(PlacementSerializer(selectors.placements_for(request.user), many=True).data)


class DischargeInputSerializer(StrictSerializer):
    discharged_on = serializers.DateField()
    discharge_reason = serializers.ChoiceField(choices=DischargeReason.choices)
    discharge_destination = serializers.ChoiceField(choices=DischargeDestination.choices)
    discharge_detail = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )


class PlacementDischargeView(ApiView):
    """``/placements/{id}/discharge/``: date, reason and destination of the child's discharge."""

    policy_action = "placement.record"

    @extend_schema(
        request=DischargeInputSerializer, responses=PlacementSerializer, tags=["placements"]
    )
    def post(self, request: Request, pk: str) -> Response:
        placement = (
            Placement.objects.select_related("referral__local_authority", "home")
            .filter(pk=pk_of(pk))
            .first()
        )
        if placement is None:
            raise NotPermitted()
        data = DischargeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        discharged = services.placement_discharge(
            placement=placement,
            discharged_on=values["discharged_on"],
            reason=values["discharge_reason"],
            destination=values["discharge_destination"],
            by=request.user,
            detail=values["discharge_detail"],
        )
        return Response(PlacementSerializer(discharged).data)
