"""``/api/v1/homes/``: the national vacancy board, a home's details, and its register.

A home's own system keeps its register current (declarations and beds on
offer) through ``swc.homes.services``; everyone reads through
``swc.homes.selectors``, which decide who sees prices.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core.vocabulary import NeedOrRisk, Sex
from swc.homes import selectors, services
from swc.homes.models import RegisterDeclaration, SecureHome, Vacancy
from swc.homes.register import RegisterCounts

from ..base import ApiView, OutputModelSerializer, StrictSerializer, UtcDateTimeField
from .matching import pk_of

PRICE_HELP = "Weekly welfare price: only for the unit and the home itself, otherwise null"


class BoardQuerySerializer(StrictSerializer):
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    age = serializers.IntegerField(required=False, min_value=0, max_value=25)
    need = serializers.ChoiceField(choices=NeedOrRisk.choices, required=False)
    free_only = serializers.BooleanField(required=False, default=False)
    open_only = serializers.BooleanField(required=False, default=False)


class BoardRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="home.pk")
    name = serializers.CharField(source="home.name")
    town = serializers.CharField(source="home.town")
    accepts = serializers.CharField(source="home.accepts")
    age_min = serializers.IntegerField(source="home.age_min")
    age_max = serializers.IntegerField(source="home.age_max")
    admissions_open = serializers.BooleanField()
    free_now = serializers.SerializerMethodField()
    free_later = serializers.SerializerMethodField()
    held = serializers.IntegerField()
    soonest = serializers.DateField(allow_null=True)
    restrictions = serializers.ListField(child=serializers.CharField())
    last_confirmed_at = UtcDateTimeField(allow_null=True)
    distance_km = serializers.FloatField(
        allow_null=True,
        help_text=(
            "Straight-line distance from the calling local authority's centre, in km to "
            "a tenth; null for callers who are not a local authority."
        ),
    )
    distance_miles = serializers.IntegerField(
        allow_null=True,
        help_text="The same distance in whole miles, as the board shows it (added in 1.1.0).",
    )
    weekly_price = serializers.DecimalField(
        source="price",
        max_digits=10,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text=PRICE_HELP,
    )

    def get_free_now(self, row: Any) -> int:
        return len(row.free_now)

    def get_free_later(self, row: Any) -> int:
        return len(row.free_later)


class VacancySerializer(OutputModelSerializer):
    class Meta:
        model = Vacancy
        fields = ("id", "available_from", "restriction", "restriction_sex", "status")
        read_only_fields = fields


class DeclarationSerializer(OutputModelSerializer):
    class Meta:
        model = RegisterDeclaration
        fields = (
            "id",
            "declared_on",
            "declared_at",
            "approved",
            "staffed",
            "youth_justice",
            "occupied_welfare",
            "occupied_youth_justice",
            "unchanged",
            "note",
        )
        read_only_fields = fields


class HomeSerializer(OutputModelSerializer):
    weekly_price = serializers.SerializerMethodField(help_text=PRICE_HELP)

    class Meta:
        model = SecureHome
        fields = (
            "id",
            "name",
            "operator",
            "town",
            "nation",
            "approved_places",
            "age_min",
            "age_max",
            "accepts",
            "public_notes",
            "modified_at",
            "weekly_price",
        )
        read_only_fields = fields

    def get_weekly_price(self, home: SecureHome) -> float | None:
        price = selectors.home_price_for(self.context["request"].user, home)
        return float(price) if price is not None else None


class HomesView(ApiView):
    """The national vacancy board: every home, its free welfare beds now and soon."""

    policy_action = "vacancy_board.view"

    @extend_schema(
        parameters=[BoardQuerySerializer], responses=BoardRowSerializer(many=True), tags=["homes"]
    )
    def get(self, request: Request) -> Response:
        query = BoardQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        board = selectors.vacancy_board_for(
            request.user, selectors.BoardFilters(**query.validated_data)
        )
        return Response(BoardRowSerializer(board.rows, many=True).data)


class HomeView(ApiView):
    """One home's details (its price only where the policy allows)."""

    policy_action = "home.view"

    @extend_schema(responses=HomeSerializer, tags=["homes"])
    def get(self, request: Request, pk: str) -> Response:
        home = selectors.home_get_for(request.user, pk_of(pk))
        return Response(HomeSerializer(home, context={"request": request}).data)


class RegisterSerializer(serializers.Serializer):
    declarations = DeclarationSerializer(many=True)
    vacancies = VacancySerializer(many=True)


class DeclarationInputSerializer(StrictSerializer):
    approved = serializers.IntegerField(min_value=0, max_value=100)
    staffed = serializers.IntegerField(min_value=0, max_value=100)
    youth_justice = serializers.IntegerField(min_value=0, max_value=100)
    occupied_welfare = serializers.IntegerField(min_value=0, max_value=100)
    occupied_youth_justice = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class HomeRegisterView(ApiView):
    """``/homes/{id}/register/``: recent declarations and beds on offer; a home declares its own."""

    policy_action = "register.update"
    policy_actions = {"get": "home.view", "post": "register.update"}

    @extend_schema(responses=RegisterSerializer, tags=["homes"])
    def get(self, request: Request, pk: str) -> Response:
        home = selectors.home_get_for(request.user, pk_of(pk))
        return Response(
            RegisterSerializer(
                {
                    "declarations": selectors.home_declarations_for(request.user, home),
                    "vacancies": selectors.home_open_vacancies_for(request.user, home),
                }
            ).data
        )

    @extend_schema(
        request=DeclarationInputSerializer,
        responses={201: DeclarationSerializer},
        tags=["homes"],
        description="Declare today's places. Numbers that cannot all be true are refused (422).",
    )
    def post(self, request: Request, pk: str) -> Response:
        home = selectors.home_get_for(request.user, pk_of(pk))
        data = DeclarationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        note = values.pop("note")
        declaration = services.register_declare(
            home=home, by=request.user, counts=RegisterCounts(**values), note=note
        )
        return Response(DeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)


class VacancyInputSerializer(StrictSerializer):
    available_from = serializers.DateField()
    restriction = serializers.CharField(required=False, allow_blank=True, max_length=200)
    # Not an enum in the schema: the Sex enum is named after the referral's "sex".
    restriction_sex = serializers.RegexField(
        r"^(|female|male)$",
        required=False,
        allow_blank=True,
        default="",
        help_text='"female" or "male" for a bed for girls or boys only; "" for either',
        error_messages={"invalid": 'Must be "female", "male" or "".'},
    )


class HomeVacanciesView(ApiView):
    """``/homes/{id}/vacancies/``: a home offers one more welfare bed on the national board."""

    policy_action = "register.update"

    @extend_schema(
        request=VacancyInputSerializer, responses={201: VacancySerializer}, tags=["homes"]
    )
    def post(self, request: Request, pk: str) -> Response:
        home = selectors.home_get_for(request.user, pk_of(pk))
        data = VacancyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        vacancy = services.vacancy_add(home=home, by=request.user, **data.validated_data)
        return Response(VacancySerializer(vacancy).data, status=status.HTTP_201_CREATED)
