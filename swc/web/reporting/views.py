"""National data pages: returns, KPI dashboard, volume and trend, sign-up, survey.

Nothing here shows a child's record: every page is built from aggregates, and
anyone outside the unit (analysts) sees them after disclosure control.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.errors import ServiceError
from swc.organisations.access import requires
from swc.organisations.policy import principal_for, user_can
from swc.reporting import selectors, services
from swc.reporting.charts import (
    Chart,
    Series,
    bar_chart,
    line_chart,
    series_measured,
    shown_value,
)
from swc.reporting.exports import Release, return_csv, return_xlsx
from swc.reporting.kpi import SATISFACTION_CHOICES, kpi_period_default, kpi_period_problem
from swc.reporting.models import MonthlyReturnVersion, SurveyResponse, TermsAcceptance
from swc.reporting.returns import LONDON, ReturnMonth, months_span, return_due_date
from swc.reporting.suppression import SUPPRESSED, SYMBOLS
from swc.web.forms import GovukDateField, GovukFormMixin, GovukMonthField, date_order_check


def _month_or_404(text: str) -> ReturnMonth:
    try:
        return ReturnMonth.parse(text)
    except ValueError:
        raise Http404() from None


def _last_complete_month() -> ReturnMonth:
    today = clock.today()
    return ReturnMonth(today.year, today.month).previous()


class MonthForm(GovukFormMixin, forms.Form):
    month = GovukMonthField(label="Month", what="the month", required=True)

    def clean_month(self) -> ReturnMonth:
        first_day: dt.date = self.cleaned_data["month"]
        return ReturnMonth(first_day.year, first_day.month)


@requires("report.view_aggregates")
def index(request: HttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("reporting:return", month=str(form.cleaned_data["month"]))
    last = _last_complete_month()
    months = list(reversed(months_span(ReturnMonth(last.year - 1, last.month).next(), last)))
    signed = {
        row["month"]: row["version"]
        for row in MonthlyReturnVersion.objects.filter(month__in=[str(m) for m in months])
        .order_by("month", "version")
        .values("month", "version")
    }
    rows = [(m, return_due_date(m), signed.get(str(m))) for m in months]
    return render(request, "reporting/index.html", {"form": form, "rows": rows})


def _charts(tables: list[selectors.ReturnTable]) -> dict[str, Chart]:
    charts = {}
    for table in tables:
        if table.key in selectors.CHARTED:
            labels = [label for label, _ in table.rows]
            values = tuple(shown_value(v) for _, v in table.rows)
            charts[table.key] = bar_chart(
                f"chart-{table.key}", table.title, labels, [Series("Count", values)]
            )
    return charts


def _return_context(figures: dict[str, Any], *, suppress: bool) -> dict[str, Any]:
    published = selectors.return_published(figures, suppress=suppress)
    charts = _charts(published.tables)
    month = ReturnMonth.parse(figures["month"])
    waiting_chart = line_chart(
        "chart-waiting",
        "Children waiting at the end of each day",
        [day[-2:] for day, _ in published.waiting_per_day],
        [Series("Waiting", tuple(shown_value(v) for _, v in published.waiting_per_day))],
    )
    return {
        "figures": figures,
        "month": month,
        "due_on": dt.date.fromisoformat(figures["due_on"]),
        "tables": [(t, charts.get(t.key)) for t in published.tables],
        "measures": published.measures,
        "daily": published.daily,
        "two_hours": published.two_hours,
        "children": published.children,
        "waiting_chart": waiting_chart,
        "suppressed": suppress,
        "symbols": SYMBOLS,
    }


def return_html_standalone(figures: dict[str, Any]) -> str:
    """The return as a self-contained HTML file (for the command line): always suppressed."""
    return render_to_string(
        "reporting/return_standalone.html", _return_context(figures, suppress=True)
    )


class SignOffForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        help_text="For a correction, say what was corrected and why.",
    )


@requires("report.view_aggregates")
def monthly_return(request: HttpRequest, month: str) -> HttpResponse:
    return_month = _month_or_404(month)
    can_sign_off = selectors.can_sign_off(request.user)
    form = SignOffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_sign_off:
            raise Http404()
        if form.is_valid():
            try:
                version = services.monthly_return_sign_off(
                    user=request.user, month=return_month, note=form.cleaned_data["note"]
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Version {version.version} signed off and frozen.")
                return redirect("reporting:return", month=str(return_month))
    figures = selectors.return_figures_for(request.user, return_month)
    suppress = selectors.return_is_suppressed_for(request.user)
    context = _return_context(figures, suppress=suppress)
    context.update(
        {
            "form": form,
            "can_sign_off": can_sign_off,
            "month_ended": return_month.end() <= clock.now(),
            "versions": selectors.return_versions(return_month),
            "can_export": user_can(request.user, "report.export"),
        }
    )
    return render(request, "reporting/return.html", context)


@requires("report.export")
def return_download(request: HttpRequest, month: str, fmt: str) -> HttpResponse:
    return_month = _month_or_404(month)
    version_number = request.GET.get("version")
    version = None
    if version_number:
        version = MonthlyReturnVersion.objects.filter(
            month=str(return_month), version=version_number if version_number.isdigit() else -1
        ).first()
        if version is None:
            raise Http404()
        figures = version.figures
    else:
        figures = selectors.return_figures_for(request.user, return_month)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="reporting.monthlyreturn",
        object_id=str(return_month),
        request=request,
        detail={"format": fmt, "version": version.version if version else None},
    )
    name = f"monthly-return-{return_month}" + (f"-v{version.version}" if version else "")
    # A revised version marks what changed since the version before it.
    previous = selectors.return_version_before(return_month, version.version if version else None)
    if fmt == "xlsx":
        release = Release(
            version=version.version if version else None,
            published_on=version.signed_off_at.astimezone(LONDON).date() if version else None,
            note=version.note if version else "",
            previous=previous.figures if previous else None,
        )
        response = HttpResponse(
            return_xlsx(figures, release),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt == "csv":
        response = HttpResponse(
            return_csv(figures, previous.figures if previous else None),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    raise Http404()


class PeriodForm(GovukFormMixin, forms.Form):
    start = GovukDateField(label="Start date", what="the start date", required=True)
    end = GovukDateField(label="End date", what="the end date", required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_order_check(self, "start", "end", "End date must be the same as or after start date")
        if data.get("start") and data.get("end") and not self.errors:
            problem = kpi_period_problem(data["start"], data["end"])
            if problem:
                self.add_error(problem[0], problem[1])
        return data


@requires("report.view_aggregates")
def kpis(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    start, end = kpi_period_default(clock.today())
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not request.GET:
        form = PeriodForm(initial={"start": start, "end": end})
    indicators = selectors.kpi_dashboard_for(request.user, start, end) if not form.errors else []
    charts = _kpi_charts(selectors.kpi_months_for(request.user, _last_complete_month()))
    sign_up_lists = selectors.sign_ups_for(request.user)
    return render(
        request,
        "reporting/kpis.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "kpis": [(k, charts.get(k.code)) for k in indicators],
            "hidden_any": any(SUPPRESSED in k.value for k in indicators),
            "sign_ups": sign_up_lists[0] if sign_up_lists else None,
            "not_signed_up": sign_up_lists[1] if sign_up_lists else None,
            "can_remind": user_can(request.user, "sign_up.remind"),
            "reminder_days": settings.SWC_SIGN_UP_REMINDER_DAYS,
        },
    )


def _kpi_charts(months: list[tuple[ReturnMonth, list[Any]]]) -> dict[str, Chart]:
    """A chart per KPI over the months, against its target, with its table."""
    labels = [m.first_day.strftime("%b %Y") for m, _ in months]
    charts: dict[str, Chart] = {}
    for position, first in enumerate(months[0][1] if months else []):
        if not first.chart_values:
            continue
        names = [name for name, _ in first.chart_values]
        series = [
            series_measured(name, [dict(ks[position].chart_values)[name] for _, ks in months])
            for name in names
        ]
        make = line_chart if len(series) > 1 or first.chart_target is not None else bar_chart
        charts[first.code] = make(
            f"chart-kpi-{first.code}",
            f"{first.title}, month by month",
            labels,
            series,
            target=first.chart_target,
        )
    return charts


def _names(organisations: list[Any]) -> str:
    return ", ".join(o.name for o in organisations)


@requires("sign_up.remind")
@require_POST
def sign_up_remind(request: HttpRequest) -> HttpResponse:
    """The unit reminds one organisation, or every one not signed up, by message to its signatories."""
    choice = request.POST.get("organisation", "")
    if choice != "all" and not choice.isdigit():
        messages.error(request, "Choose an organisation to remind, or remind them all")
        return redirect(reverse("reporting:kpis") + "#sign-up")
    ids = None if choice == "all" else [int(choice)]
    outcome = services.sign_up_reminders_send(by=request.user, organisation_ids=ids)
    if outcome.sent:
        messages.success(
            request,
            f"Reminder sent to {len(outcome.sent)} organisation"
            f"{'' if len(outcome.sent) == 1 else 's'}: {_names(outcome.sent)}",
        )
    if outcome.recently_reminded:
        messages.info(
            request,
            f"Already reminded today, not reminded again: {_names(outcome.recently_reminded)}",
        )
    if outcome.nobody_to_remind:
        messages.warning(
            request,
            "Nobody there can sign up yet (no active admin or home manager account); "
            f"contact them directly: {_names(outcome.nobody_to_remind)}",
        )
    if not (outcome.sent or outcome.recently_reminded or outcome.nobody_to_remind):
        messages.info(
            request,
            "Nobody to remind: that organisation has already signed up, or is not an active authority or home",
        )
    return redirect(reverse("reporting:kpis") + "#sign-up")


class TrendForm(GovukFormMixin, forms.Form):
    start = GovukMonthField(label="First month", what="the first month", required=True)
    end = GovukMonthField(label="Last month", what="the last month", required=True)
    by = forms.ChoiceField(
        label="By",
        choices=[
            ("region", "Region, each month"),
            ("authority", "Authority, each complete financial year"),
        ],
        initial="region",
    )

    def _month(self, name: str) -> ReturnMonth:
        first_day: dt.date = self.cleaned_data[name]
        return ReturnMonth(first_day.year, first_day.month)

    def clean_start(self) -> ReturnMonth:
        return self._month("start")

    def clean_end(self) -> ReturnMonth:
        return self._month("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("start"), data.get("end")
        if first and last:
            if last < first:
                self.add_error("end", "Last month must be the same as or after first month")
            elif len(months_span(first, last)) > 120:
                self.add_error("end", "Choose a span of at most ten years (120 months)")
        return data


@requires("report.view_aggregates")
def trend(request: HttpRequest) -> HttpResponse:
    last = _last_complete_month()
    first = ReturnMonth(last.year - 1, last.month).next()
    by = "region"
    form = TrendForm(request.GET or None)
    if request.GET and form.is_valid():
        first, last, by = (
            form.cleaned_data["start"],
            form.cleaned_data["end"],
            form.cleaned_data["by"],
        )
    elif not request.GET:
        form = TrendForm(initial={"start": first.first_day, "end": last.first_day, "by": by})
    if form.errors:
        return render(request, "reporting/trend.html", {"form": form})
    if by == "authority":
        # Authorities are published for complete financial years only (docs/data.md).
        years = selectors.authority_years_for(request.user, first, last)
        return render(
            request,
            "reporting/trend.html",
            {"form": form, "by_authority": True, "years": years, "first": first, "last": last},
        )
    table = selectors.trend_for(request.user, first, last)
    # Months as the KPI charts write them ("Oct 2026"), never the code's "2026-10".
    labels = [ReturnMonth.parse(m).first_day.strftime("%b %Y") for m in table.column_labels]
    rows = list(
        zip(table.row_labels, (list(r) for r in table.cells), table.row_totals, strict=True)
    )
    chart = line_chart(
        "chart-trend",
        "Referrals received each month by region",
        labels,
        [Series(name, tuple(shown_value(v) for v in shown)) for name, shown, _ in rows],
    )
    total_chart = bar_chart(
        "chart-total",
        "Referrals received each month",
        labels,
        [Series("England", tuple(shown_value(v) for v in table.column_totals))],
    )
    return render(
        request,
        "reporting/trend.html",
        {
            "form": form,
            "labels": labels,
            "rows": rows,
            "table": table,
            "chart": chart,
            "total_chart": total_chart,
        },
    )


class AcceptForm(GovukFormMixin, forms.Form):
    accept = forms.BooleanField(
        label="I accept these terms on behalf of my organisation",
        error_messages={"required": "Confirm that you accept the terms"},
    )


@requires("terms.accept")
def terms(request: HttpRequest) -> HttpResponse:
    kind = services.terms_kind_for(request.user)
    organisation_id = principal_for(request.user).organisation_id
    if organisation_id is None:
        raise Http404()
    # Anyone else with the action (a referrer) sees whether their organisation has signed
    # up, and who may accept: the authority's admin.
    accepted = TermsAcceptance.objects.filter(organisation_id=organisation_id).first()
    form = AcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and kind is not None and accepted is None and form.is_valid():
        try:
            services.terms_accept(user=request.user)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you: your organisation is signed up.")
            return redirect("reporting:terms")
    return render(
        request, "reporting/terms.html", {"form": form, "kind": kind, "accepted": accepted}
    )


class SurveyForm(GovukFormMixin, forms.Form):
    overall = forms.ChoiceField(
        label="Overall, how satisfied were you with the unit's service for this referral?",
        choices=SATISFACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you were with the service"},
    )
    comment = forms.CharField(
        label="What could the unit do better? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@requires("survey.answer")
def survey(request: HttpRequest, referral_id: int) -> HttpResponse:
    from swc.referrals.models import Referral

    referral = Referral.objects.select_related("local_authority").filter(pk=referral_id).first()
    # The policy decides who was involved: the referring authority, or a home it was sent to.
    org_id = principal_for(request.user).organisation_id
    if referral is None or org_id is None or not user_can(request.user, "survey.answer", referral):
        raise Http404()
    answered = SurveyResponse.objects.filter(referral=referral, organisation_id=org_id).exists()
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.survey_submit(
                user=request.user,
                referral=referral,
                overall=form.cleaned_data["overall"],
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Thank you for your answer.")
            return redirect(reverse("reporting:survey", args=[referral.pk]))
    return render(
        request,
        "reporting/survey.html",
        {"form": form, "referral": referral, "answered": answered},
    )
