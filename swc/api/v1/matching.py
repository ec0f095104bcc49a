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
from swc.organisations.policy import user_can
from swc.referrals import selectors as referral_selectors
from swc.referrals.models import Referral

from ..base import (
    ApiListView,
    ApiView,
    OutputModelSerializer,
    StrictSerializer,
    UtcDateTimeField,
)


def pk_of(value: Any) -> int:
    """A record id from the path; anything else is the same 404 as a record you may not see."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise NotPermitted()
    return int(text)


def _referral(request: Request, pk: Any, action: str) -> Referral:
    return referral_selectors.referral_get_for(request.user, pk_of(pk), action)


# --- matches (the unit only) ---------------------------------------------------------


class MatchScorePartSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the part's label, as before
    points = serializers.FloatField()
    out_of = serializers.FloatField()
    reason = serializers.CharField()


class MatchCandidateSerializer(serializers.Serializer):
    home_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    distance_miles = serializers.FloatField(allow_null=True)
    bed_id = serializers.IntegerField(allow_null=True)
    bed_available_from = serializers.CharField(allow_null=True)
    parts = MatchScorePartSerializer(many=True)


class MatchExclusionSerializer(serializers.Serializer):
    home_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class MatchRunSerializer(OutputModelSerializer):
    # The run keeps codes; the reasons are worded here, as on the page.
    candidates = MatchCandidateSerializer(many=True, source="ranked_homes")
    exclusions = MatchExclusionSerializer(many=True, source="excluded_homes")
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
    conditions = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default="", help_text="An offer's"
    )
    by_phone = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Ignored: an answer recorded by the unit for a home is by phone",
    )


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
        # The service decides which home may answer and whether it was by phone.
        home = None
        if values.get("home_id"):
            home = SecureHome.objects.filter(pk=values["home_id"]).first()
            if home is None:
                raise serializers.ValidationError({"home_id": ["No such home."]})
        vacancy = None
        if values.get("vacancy_id"):
            vacancy = Vacancy.objects.filter(pk=values["vacancy_id"]).first()
            if vacancy is None or (home is not None and vacancy.home_id != home.pk):
                raise serializers.ValidationError(
                    {"vacancy_id": ["No such bed on this home's register."]}
                )
        response = services.home_response_record(
            referral=referral,
            home=home,
            kind=values["kind"],
            by=request.user,
            vacancy=vacancy,
            available_from=values.get("available_from"),
            decline_reason=values["decline_reason"],
            detail=values["detail"],
            conditions=values["conditions"],
        )
        return Response(HomeResponseSerializer(response).data, status=status.HTTP_201_CREATED)


# --- the list of potential placements, for the authority -------------------------------


class ListHomeSerializer(serializers.Serializer):
    home_id = serializers.IntegerField()
    name = serializers.CharField()
    distance_miles = serializers.FloatField(allow_null=True)
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why the home could suit, in words"
    )
    sent_at = UtcDateTimeField()
    answer = serializers.ChoiceField(
        choices=list(selectors.ANSWER_WORDS.items()), help_text="The home's answer so far"
    )
    answer_words = serializers.CharField()
    detail = serializers.CharField(help_text="A decline's reason, or an offer's decision reason")
    available_from = serializers.DateField(allow_null=True, help_text="An offer's bed date")
    offer_id = serializers.IntegerField(allow_null=True)


class ListExcludedSerializer(serializers.Serializer):
    name = serializers.CharField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Empty unless the unit chose to share them"
    )


class ListSendingSerializer(serializers.Serializer):
    sent_at = UtcDateTimeField()
    home_ids = serializers.ListField(child=serializers.IntegerField())
    note = serializers.CharField()


class ShortlistSerializer(serializers.Serializer):
    referral_id = serializers.IntegerField(source="referral.pk")
    provided_at = UtcDateTimeField(allow_null=True)
    homes = ListHomeSerializer(many=True)
    excluded = ListExcludedSerializer(many=True)
    history = ListSendingSerializer(many=True, source="sendings")


class ShortlistView(ApiView):
    """``/referrals/{id}/list/``: the list of potential placements and each home's live answer.

    For the referring authority and the unit; 404 until a list has been provided.
    """

    policy_action = "shortlist.view"

    @extend_schema(responses=ShortlistSerializer, tags=["offers"])
    def get(self, request: Request, pk: str) -> Response:
        referral = _referral(request, pk, "shortlist.view")
        shortlist = selectors.shortlist_for(request.user, referral)
        if shortlist is None:
            raise Http404
        return Response(ShortlistSerializer(shortlist).data)


# --- offers and placements ---------------------------------------------------------------


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="offer.pk")
    referral_id = serializers.IntegerField(source="offer.referral_id")
    home_id = serializers.IntegerField(source="offer.home_id")
    home_name = serializers.CharField(source="offer.home.name")
    available_from = serializers.DateField(source="offer.available_from")
    status = serializers.CharField(source="offer.status")
    status_changed_at = UtcDateTimeField(source="offer.status_changed_at", allow_null=True)
    status_reason = serializers.CharField(
        source="offer.status_reason", help_text="Why it was declined or withdrawn"
    )
    message = serializers.CharField(source="offer.response.detail")
    conditions = serializers.CharField(source="offer.response.conditions")
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


class OfferReasonInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=1000)


class OfferDeclineView(ApiView):
    """``/offers/{id}/decline/``: the authority declines this offer, saying why."""

    policy_action = "offer.decline"

    @extend_schema(request=OfferReasonInputSerializer, responses=OfferSerializer, tags=["offers"])
    def post(self, request: Request, pk: str) -> Response:
        offer = selectors.offer_get_for(request.user, pk_of(pk), "offer.view")
        data = OfferReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        declined = services.offer_decline(
            offer=offer, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(_offer_row(request, declined))


class OfferWithdrawView(ApiView):
    """``/offers/{id}/withdraw/``: the home withdraws its offer before it is accepted."""

    policy_action = "offer.withdraw"

    @extend_schema(request=OfferReasonInputSerializer, responses=OfferSerializer, tags=["offers"])
    def post(self, request: Request, pk: str) -> Response:
        offer = selectors.offer_get_for(request.user, pk_of(pk), "offer.withdraw")
        data = OfferReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        withdrawn = services.offer_withdraw(
            offer=offer, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(_offer_row(request, withdrawn))


class PlacementSerializer(OutputModelSerializer):
    home_id = serializers.IntegerField()
    referral_id = serializers.IntegerField()
    admitted_at = UtcDateTimeField(allow_null=True)
    discharged_at = UtcDateTimeField(allow_null=True)

    class Meta:
        model = Placement
        fields = (
            "id",
            "referral_id",
            "home_id",
            "admitted_on",
            "admitted_at",
            "discharged_on",
            "discharged_at",
            "discharge_reason",
            "discharge_destination",
            "discharge_detail",
            "created_at",
            "modified_at",
        )
        read_only_fields = fields


class AdmitInputSerializer(StrictSerializer):
    admitted_at = serializers.DateTimeField(
        required=False, help_text="When the child arrived (preferred)"
    )
    admitted_on = serializers.DateField(
        required=False, help_text="The day the child arrived, when the time is not known"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("admitted_at") and not attrs.get("admitted_on"):
            raise serializers.ValidationError(
                {"admitted_at": ["Give the time the child arrived (or at least the day)."]}
            )
        return attrs


class OfferAdmitView(ApiView):
    """``/offers/{id}/admit/``: the child arrived; the accepted offer becomes a placement.

    The home the offer is from records it, or the unit for it.
    """

    policy_action = "placement.admit"

    @extend_schema(
        request=AdmitInputSerializer, responses={201: PlacementSerializer}, tags=["placements"]
    )
    def post(self, request: Request, pk: str) -> Response:
        offer = selectors.offer_get_for(request.user, pk_of(pk), "placement.admit")
        data = AdmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_admit(
            offer=offer,
            admitted_at=data.validated_data.get("admitted_at"),
            admitted_on=data.validated_data.get("admitted_on"),
            by=request.user,
        )
        return Response(PlacementSerializer(placement).data, status=status.HTTP_201_CREATED)


class PlacementsView(ApiListView):
    """``/placements/``: every placement, current first, a page at a time (the unit)."""

    policy_action = "placement.record"

    @extend_schema(responses=PlacementSerializer(many=True), tags=["placements"])
    def get(self, request: Request) -> Response:
        return self.page_of(selectors.placement_list_for(request.user), PlacementSerializer)


class DischargeInputSerializer(StrictSerializer):
    discharged_at = serializers.DateTimeField(required=False, help_text="When the child left")
    discharged_on = serializers.DateField(
        required=False, help_text="The day the child left, when the time is not known"
    )
    discharge_reason = serializers.ChoiceField(choices=DischargeReason.choices)
    discharge_destination = serializers.ChoiceField(choices=DischargeDestination.choices)
    discharge_detail = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )


class PlacementDischargeView(ApiView):
    """``/placements/{id}/discharge/``: when, why and where the child went (home or unit)."""

    policy_action = "placement.admit"

    @extend_schema(
        request=DischargeInputSerializer, responses=PlacementSerializer, tags=["placements"]
    )
    def post(self, request: Request, pk: str) -> Response:
        placement = (
            Placement.objects.select_related("referral__local_authority", "home")
            .filter(pk=pk_of(pk))
            .first()
        )
        if placement is None or not user_can(request.user, "placement.admit", placement):
            raise NotPermitted()
        data = DischargeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values.get("discharged_at") and not values.get("discharged_on"):
            raise serializers.ValidationError(
                {"discharged_at": ["Give the time the child left (or at least the day)."]}
            )
        discharged = services.placement_discharge(
            placement=placement,
            discharged_at=values.get("discharged_at"),
            discharged_on=values.get("discharged_on"),
            reason=values["discharge_reason"],
            destination=values["discharge_destination"],
            by=request.user,
            detail=values["discharge_detail"],
        )
        return Response(PlacementSerializer(discharged).data)
