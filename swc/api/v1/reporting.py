"""``/api/v1/reports/``: the monthly return and the KPIs, for the unit and analysts.

Aggregates only, through ``swc.reporting.selectors``: counts of 1 to 5 are
shown as ``c`` (with secondary suppression) for anyone outside the unit,
exactly as on the pages.
"""

from __future__ import annotations

import dataclasses

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core import clock
from swc.core.errors import NotPermitted, ServiceError
from swc.reporting import selectors
from swc.reporting.kpi import (
    PERIOD_FIRST_YEAR,
    PERIOD_LAST_YEAR,
    kpi_period_default,
    kpi_period_problem,
)
from swc.reporting.returns import ReturnMonth

from ..base import ApiView, StrictSerializer

# Reporting starts with the service; far-off years are typing errors, not questions.
FIRST_YEAR, LAST_YEAR = PERIOD_FIRST_YEAR, PERIOD_LAST_YEAR


class ReturnTableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    dimension = serializers.CharField()
    definition = serializers.CharField()
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text='[label, count] pairs; a count is "[c]" where suppressed (GSS symbols: '
        '"[z]" not applicable, "[x]" not available)',
    )
    total = serializers.CharField(allow_blank=True)


class MeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    n = serializers.CharField()
    median = serializers.CharField()
    p90 = serializers.CharField()


class MonthlyReturnSerializer(serializers.Serializer):
    month = serializers.CharField()
    suppressed = serializers.BooleanField()
    tables = ReturnTableSerializer(many=True)
    measures = MeasureSerializer(many=True)
    list_two_hours = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="[measure, within two hours, referrals counted, percentage] rows",
    )
    children = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="[figure, count] rows: distinct children, re-referrals within 12 months",
    )
    daily = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="[figure, value] rows: children waiting, welfare beds (England; England and Wales)",
    )


class MonthlyReturnView(ApiView):
    """``/reports/returns/{YYYY-MM}/``: the month's return as the pages show it to you."""

    policy_action = "report.view_aggregates"

    @extend_schema(responses=MonthlyReturnSerializer, tags=["reports"])
    def get(self, request: Request, month: str) -> Response:
        try:
            return_month = ReturnMonth.parse(month)
        except ValueError:
            raise NotPermitted() from None
        if not FIRST_YEAR <= return_month.year <= LAST_YEAR:
            raise NotPermitted()
        figures = selectors.return_figures_for(request.user, return_month)
        suppress = selectors.return_is_suppressed_for(request.user)
        published = selectors.return_published(figures, suppress=suppress)
        tables, measures = published.tables, published.measures
        return Response(
            MonthlyReturnSerializer(
                {
                    "month": str(return_month),
                    "suppressed": suppress,
                    "tables": [
                        {**dataclasses.asdict(t), "rows": [list(r) for r in t.rows]} for t in tables
                    ],
                    "measures": [dataclasses.asdict(m) for m in measures],
                    "list_two_hours": [list(row) for row in published.two_hours],
                    "children": [list(row) for row in published.children],
                    "daily": [list(row) for row in published.daily],
                }
            ).data
        )


class KpiQuerySerializer(StrictSerializer):
    start = serializers.DateField(
        required=False,
        help_text="Default: 1 April of the financial year of the last complete month",
    )
    end = serializers.DateField(
        required=False, help_text="Default: the last day of the last complete month"
    )


class KpiSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    target = serializers.CharField()
    value = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)


class KpiReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    indicators = KpiSerializer(many=True)


class KpisView(ApiView):
    """``/reports/kpis/``: the seven KPIs over a period (default: the financial year so far,
    in complete months)."""

    policy_action = "report.view_aggregates"

    @extend_schema(parameters=[KpiQuerySerializer], responses=KpiReportSerializer, tags=["reports"])
    def get(self, request: Request) -> Response:
        query = KpiQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        default_start, default_end = kpi_period_default(clock.today())
        start = query.validated_data.get("start") or default_start
        end = query.validated_data.get("end") or default_end
        problem = kpi_period_problem(start, end)
        if problem:
            raise ServiceError(problem[1], field=problem[0])
        # Disclosure control is the selector's: a hidden count comes back as null.
        rows = [
            dataclasses.asdict(k) for k in selectors.kpi_dashboard_for(request.user, start, end)
        ]
        return Response(KpiReportSerializer({"start": start, "end": end, "indicators": rows}).data)
