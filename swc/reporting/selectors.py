"""Reads for national data: the monthly return's figures, KPIs and trend series.

Counting is done in the database (``values().annotate(Count)``, conditional
``Count(filter=...)``), so a month costs a fixed number of queries whatever the
size of the tables. Where a figure needs arithmetic the databases do not share
(percentiles, office hours, great-circle distance), only the month's own rows
are read, one column pair each, never a whole table.

The figures are raw counts: disclosure control is applied when they are shown
to anyone outside the unit or exported (see ``tables_for``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from swc.organisations.models import LocalAuthority, Region
from swc.organisations.policy import require, user_can
from swc.referrals.models import Referral
from swc.referrals.vocabulary import (
    ClosureDestination,
    Ethnicity,
    LegalStatus,
    NeedOrRisk,
    Sex,
    WithdrawalReason,
)
from swc.referrals.workflow import Status

from . import kpi
from .returns import LONDON, ReturnMonth, months_span, return_due_date
from .suppression import SUPPRESSED, SuppressedTable, counts_suppress, table_suppress

NOT_RECORDED = "Not recorded"
AGE_BANDS = ("Under 10", "10 to 12", "13 to 14", "15", "16", "17 and over")

# key, title, what a row is, definition (printed on the cover sheet and docs/data.md)
COUNT_TABLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "referrals_by_region",
        "Referrals received by region",
        "Region of the referring authority",
        "Referrals submitted to the unit in the month (submitted_at in the month, London time).",
    ),
    (
        "referrals_by_authority",
        "Referrals received by authority",
        "Referring authority",
        "As above, by the authority that made the referral.",
    ),
    (
        "referrals_by_age_band",
        "Referrals received by age",
        "Age on the last day of the month",
        "As above, by the child's age in whole years on the last day of the month.",
    ),
    ("referrals_by_sex", "Referrals received by sex", "Sex", "As above, by the child's sex."),
    (
        "referrals_by_ethnicity",
        "Referrals received by ethnicity",
        "Ethnicity (SSDA903 code)",
        "As above, by the child's ethnicity as recorded in the DfE's SSDA903 categories.",
    ),
    (
        "referrals_by_legal_status",
        "Referrals received by legal position",
        "Legal position",
        "As above, by the legal position stated on the referral.",
    ),
    (
        "referrals_by_need",
        "Needs and risks on referrals received",
        "Need or risk",
        "Referrals received that name each need or risk; a referral can name several, so the "
        "rows add up to more than the referrals.",
    ),
    (
        "outcomes",
        "Outcomes of referrals closed in the month",
        "Outcome",
        "Referrals that reached an outcome in the month (closed_at in the month): placed, "
        "withdrawn, or closed without a placement.",
    ),
    (
        "withdrawal_reasons",
        "Reasons referrals were withdrawn",
        "Reason",
        "Referrals withdrawn in the month, by reason.",
    ),
    (
        "closure_destinations",
        "Where children went when closed without a placement",
        "Destination",
        "Referrals closed without a secure placement in the month, by the child's destination.",
    ),
    (
        "declines_by_reason",
        "Homes' declines by reason",
        "Reason",
        "Declines recorded from homes in the month (answers after the outcome excluded).",
    ),
    (
        "placements_flow",
        "Admissions and discharges",
        "Movement",
        "Children admitted to, and discharged from, a secure children's home through the unit.",
    ),
)
COUNT_TABLE_KEYS = tuple(t[0] for t in COUNT_TABLES)
# Counts that are also charted on the HTML page.
CHARTED = ("referrals_by_region", "referrals_by_age_band", "outcomes", "declines_by_reason")

MEASURES: tuple[tuple[str, str, str], ...] = (
    (
        "completion_to_list_hours",
        "Hours from completion to list",
        "Referrals whose list of potential placements was provided in the month: elapsed hours "
        "from the referral being complete to the list.",
    ),
    (
        "completion_to_placement_days",
        "Days from completion to placement",
        "Referrals placed in the month: elapsed days from completion to placement.",
    ),
    (
        "length_of_stay_days",
        "Length of stay (days)",
        "Children discharged in the month: days from admission to discharge.",
    ),
    (
        "distance_miles",
        "Distance from home area (miles)",
        "Children admitted in the month: straight-line distance from the referring authority "
        "to the home.",
    ),
)


def _age_band(age: int) -> str:
    if age < 10:
        return AGE_BANDS[0]
    if age <= 12:
        return AGE_BANDS[1]
    if age <= 14:
        return AGE_BANDS[2]
    if age == 15:
        return AGE_BANDS[3]
    if age == 16:
        return AGE_BANDS[4]
    return AGE_BANDS[5]


def _age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _by(queryset: QuerySet[Any], field: str) -> dict[str, int]:
    return {
        (row[field] or ""): row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("id"))
    }


def _labelled(counts: dict[str, int], choices: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Every category in vocabulary order (zeros included), then "Not recorded"."""
    out = {label: counts.get(code, 0) for code, label in choices}
    known = {code for code, _ in choices}
    missing = sum(n for code, n in counts.items() if code not in known)
    if missing:
        out[NOT_RECORDED] = missing
    return out


def _summary(values: list[float]) -> dict[str, Any]:
    median = kpi.median(values)
    p90 = kpi.percentile(values, 90)
    return {
        "n": len(values),
        "median": None if median is None else round(median, 1),
        "p90": None if p90 is None else round(p90, 1),
    }


def monthly_return_figures(month: ReturnMonth) -> dict[str, Any]:
    """Every figure of the return for ``month``, as raw (unsuppressed) numbers.

    The result is plain JSON: it is what a sign-off freezes.
    """
    start, end = month.start(), month.end()
    received = Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    closed = Referral.objects.filter(
        closed_at__gte=start,
        closed_at__lt=end,
        submitted_at__isnull=False,
        status__in=[Status.PLACED, Status.WITHDRAWN, Status.CLOSED_NOT_PLACED],
    )
    counts: dict[str, dict[str, int]] = {}
    by_region = _by(received, "local_authority__region")
    counts["referrals_by_region"] = {
        label: by_region.get(code, 0) for code, label in Region.choices
    }
    counts["referrals_by_authority"] = dict(sorted(_by(received, "local_authority__name").items()))
    ages: dict[str, int] = dict.fromkeys(AGE_BANDS, 0)
    unknown_age = 0
    for row in received.order_by().values("date_of_birth").annotate(n=Count("id")):
        if row["date_of_birth"] is None:
            unknown_age += row["n"]
        else:
            ages[_age_band(_age_on(row["date_of_birth"], month.last_day))] += row["n"]
    if unknown_age:
        ages[NOT_RECORDED] = unknown_age
    counts["referrals_by_age_band"] = ages
    counts["referrals_by_sex"] = _labelled(_by(received, "sex"), Sex.choices)
    counts["referrals_by_ethnicity"] = _labelled(
        _by(received, "ethnicity"), [(c, f"{c} {label}") for c, label in Ethnicity.choices]
    )
    counts["referrals_by_legal_status"] = _labelled(
        _by(received, "legal_status"), LegalStatus.choices
    )
    # needs is a JSON list: one conditional count per need, all in one query.
    need_counts = (
        received.order_by().aggregate(
            **{code: Count("id", filter=Q(needs__contains=code)) for code in NeedOrRisk.values}
        )
        if _json_contains_supported()
        else _needs_counted_in_python(received)
    )
    counts["referrals_by_need"] = {
        label: need_counts.get(code, 0) for code, label in NeedOrRisk.choices
    }
    by_status = _by(closed, "status")
    counts["outcomes"] = {
        "Placed": by_status.get(Status.PLACED, 0),
        "Withdrawn": by_status.get(Status.WITHDRAWN, 0),
        "Closed without placement": by_status.get(Status.CLOSED_NOT_PLACED, 0),
    }
    counts["withdrawal_reasons"] = _labelled(
        _by(closed.filter(status=Status.WITHDRAWN), "outcome_reason"), WithdrawalReason.choices
    )
    counts["closure_destinations"] = _labelled(
        _by(closed.filter(status=Status.CLOSED_NOT_PLACED), "outcome_reason"),
        ClosureDestination.choices,
    )
    from swc.matching.models import DeclineReason, HomeResponse, Placement, ResponseKind

    declines = HomeResponse.objects.filter(
        kind=ResponseKind.DECLINE, counted=True, recorded_at__gte=start, recorded_at__lt=end
    )
    counts["declines_by_reason"] = _labelled(_by(declines, "decline_reason"), DeclineReason.choices)
    flow = Placement.objects.order_by().aggregate(
        admitted=Count(
            "id", filter=Q(admitted_on__gte=month.first_day, admitted_on__lte=month.last_day)
        ),
        discharged=Count(
            "id", filter=Q(discharged_on__gte=month.first_day, discharged_on__lte=month.last_day)
        ),
    )
    counts["placements_flow"] = {"Admissions": flow["admitted"], "Discharges": flow["discharged"]}

    measures: dict[str, dict[str, Any]] = {}
    listed = Referral.objects.filter(
        list_provided_at__gte=start, list_provided_at__lt=end, completed_at__isnull=False
    ).values_list("completed_at", "list_provided_at")
    measures["completion_to_list_hours"] = _summary(
        [(b - a).total_seconds() / 3600 for a, b in listed if a and b]
    )
    placed = closed.filter(status=Status.PLACED, completed_at__isnull=False).values_list(
        "completed_at", "placed_at"
    )
    measures["completion_to_placement_days"] = _summary(
        [(b - a).total_seconds() / 86400 for a, b in placed if a and b]
    )
    stays = Placement.objects.filter(
        discharged_on__gte=month.first_day, discharged_on__lte=month.last_day
    ).values_list("admitted_on", "discharged_on")
    measures["length_of_stay_days"] = _summary([float((b - a).days) for a, b in stays if a and b])
    from swc.core.geography import distance_miles

    admitted = Placement.objects.filter(
        admitted_on__gte=month.first_day, admitted_on__lte=month.last_day
    ).values_list(
        "referral__local_authority__latitude",
        "referral__local_authority__longitude",
        "home__latitude",
        "home__longitude",
    )
    measures["distance_miles"] = _summary([distance_miles(*row) for row in admitted])

    return {
        "month": str(month),
        "due_on": return_due_date(month).isoformat(),
        "counts": counts,
        "measures": measures,
        "waiting": waiting_figures(month),
        "occupancy": occupancy_figures(month),
    }


def _json_contains_supported() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


def _needs_counted_in_python(received: QuerySet[Referral]) -> dict[str, int]:
    # SQLite has no JSON containment: read the month's needs lists (one column).
    out: dict[str, int] = {}
    for needs in received.values_list("needs", flat=True):
        for code in set(needs or []):
            out[code] = out.get(code, 0) + 1
    return out


def _status_histories(referrals: QuerySet[Referral], until: dt.datetime) -> list[list[Any]]:
    """Each referral's status arrivals ``(at, to_status)`` up to ``until``, in order (one query)."""
    from swc.referrals.models import ReferralEvent, ReferralEventKind

    rows = (
        ReferralEvent.objects.filter(
            kind=ReferralEventKind.STATUS, at__lt=until, referral__in=referrals.values("pk")
        )
        .order_by("referral_id", "at", "id")
        .values_list("referral_id", "at", "to_status")
    )
    histories: dict[int, list[Any]] = {}
    for referral_id, at, status in rows:
        histories.setdefault(referral_id, []).append((at, status))
    return list(histories.values())


def waiting_figures(month: ReturnMonth) -> dict[str, Any]:
    """Children waiting for a bed at the end of each day, from the referrals' status history.

    A child is waiting while the referral is submitted and not yet with an
    accepted offer, placed or closed. The status history, not the stamps, decides:
    an accepted offer that falls through puts the child back to waiting, although
    the referral keeps the time the offer was accepted. One query reads the status
    arrivals of the referrals that could be waiting in the month.
    """
    start, end = month.start(), month.end()
    candidates = Referral.objects.filter(submitted_at__lt=end).exclude(closed_at__lt=start)
    day_ends = [
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
        for day in month.days()
    ]
    values = kpi.waiting_per_day(_status_histories(candidates, end), day_ends)
    occupancy = occupancy_daily(month)
    # Only days on which some home had declared its register count.
    no_free = sum(1 for counts in occupancy.values() if counts[2] == 0)
    return {
        "average": round(sum(values) / len(values), 1),
        "maximum": max(values),
        "days_no_free_welfare_bed": no_free,
        "per_day": dict(zip([d.isoformat() for d in month.days()], values, strict=True)),
    }


def occupancy_daily(month: ReturnMonth) -> dict[dt.date, tuple[int, int, int]]:
    """(occupied welfare, staffed welfare, free welfare) summed over homes, each day."""
    from swc.homes.selectors import register_series

    series = register_series(month.first_day, month.last_day)
    out: dict[dt.date, tuple[int, int, int]] = {}
    for day, homes in series.items():
        if not homes:
            continue
        out[day] = (
            sum(c.occupied_welfare for c in homes.values()),
            sum(c.welfare_staffed for c in homes.values()),
            sum(c.welfare_free for c in homes.values()),
        )
    return out


def occupancy_figures(month: ReturnMonth) -> dict[str, Any]:
    """Average welfare beds occupied and staffed per day, and occupancy as a percentage."""
    daily = occupancy_daily(month)
    days = len(daily) or 1
    occupied = sum(v[0] for v in daily.values())
    staffed = sum(v[1] for v in daily.values())
    pct = kpi.percent(occupied, staffed)
    return {
        "days_with_register": len(daily),
        "average_occupied_welfare": round(occupied / days, 1),
        "average_staffed_welfare": round(staffed / days, 1),
        "occupancy_percent": None if pct is None else round(pct, 1),
    }


# --- published tables -----------------------------------------------------------


@dataclass(frozen=True)
class ReturnTable:
    key: str
    title: str
    dimension: str
    definition: str
    rows: tuple[tuple[str, str], ...]
    total: str


@dataclass(frozen=True)
class MeasureRow:
    key: str
    title: str
    definition: str
    n: str
    median: str
    p90: str


def _measure_shown(summary: dict[str, Any], suppress: bool) -> tuple[str, str, str]:
    n = summary["n"]
    if suppress and 1 <= n <= 5:
        # A median of one to five values could describe one child.
        return SUPPRESSED, SUPPRESSED, SUPPRESSED
    none = "no data"
    median = none if summary["median"] is None else f"{summary['median']:g}"
    p90 = none if summary["p90"] is None else f"{summary['p90']:g}"
    return str(n), median, p90


def tables_for(
    figures: dict[str, Any], *, suppress: bool
) -> tuple[list[ReturnTable], list[MeasureRow]]:
    """The return's tables, suppressed for anyone outside the unit and for every export."""
    tables = []
    for key, title, dimension, definition in COUNT_TABLES:
        counts = figures["counts"][key]
        if suppress:
            shown, total = counts_suppress(counts)
        else:
            shown, total = {k: str(v) for k, v in counts.items()}, str(sum(counts.values()))
        if key == "referrals_by_need":
            # Rows overlap (several needs per referral): there is no meaningful total.
            total = ""
        tables.append(ReturnTable(key, title, dimension, definition, tuple(shown.items()), total))
    measures = [
        MeasureRow(key, title, definition, *_measure_shown(figures["measures"][key], suppress))
        for key, title, definition in MEASURES
    ]
    return tables, measures


def return_figures_for(user: Any, month: ReturnMonth) -> dict[str, Any]:
    """The live figures of a month for someone allowed to see aggregates."""
    require(user, "report.view_aggregates")
    return monthly_return_figures(month)


def return_is_suppressed_for(user: Any) -> bool:
    """Only the unit sees unsuppressed counts on screen."""
    from swc.organisations.policy import principal_for

    return not principal_for(user).is_unit


def return_versions(month: ReturnMonth) -> list[Any]:
    """Signed-off versions of a month's return, newest first."""
    from .models import MonthlyReturnVersion

    return list(MonthlyReturnVersion.objects.filter(month=str(month)).order_by("-version"))


# --- volume and trend -----------------------------------------------------------


def referral_trend(
    first: ReturnMonth, last: ReturnMonth, *, by: str = "region"
) -> tuple[list[str], dict[str, list[int]]]:
    """Referrals received per month from ``first`` to ``last`` by region or authority.

    One query: a conditional count per month, grouped by the region or authority.
    """
    months = months_span(first, last)
    field = "local_authority__region" if by == "region" else "local_authority__name"
    aggregates = {
        f"m{m.year}{m.month:02d}": Count(
            "id", filter=Q(submitted_at__gte=m.start(), submitted_at__lt=m.end())
        )
        for m in months
    }
    rows = (
        Referral.objects.filter(submitted_at__gte=first.start(), submitted_at__lt=last.end())
        .order_by()
        .values(field)
        .annotate(**aggregates)
    )
    series = {
        (row[field] or NOT_RECORDED): [row[f"m{m.year}{m.month:02d}"] for m in months]
        for row in rows
    }
    return [str(m) for m in months], dict(sorted(series.items()))


def trend_table(
    labels: list[str], series: dict[str, list[int]], *, suppress: bool
) -> SuppressedTable:
    """The trend as a published table (rows: region or authority; columns: months; with
    totals), with primary and secondary suppression for anyone outside the unit."""
    names = list(series)
    cells = [series[name] for name in names]
    if suppress:
        return table_suppress(names, labels, cells)
    column_totals = [sum(row[k] for row in cells) for k in range(len(labels))]
    return SuppressedTable(
        row_labels=tuple(names),
        column_labels=tuple(labels),
        cells=tuple(tuple(str(v) for v in row) for row in cells),
        row_totals=tuple(str(sum(row)) for row in cells),
        column_totals=tuple(str(v) for v in column_totals),
        grand_total=str(sum(column_totals)),
    )


def referral_trend_for(user: Any, first: ReturnMonth, last: ReturnMonth, by: str) -> Any:
    """The trend series for someone allowed to see aggregates."""
    require(user, "report.view_aggregates")
    return referral_trend(first, last, by=by)


def can_sign_off(user: Any) -> bool:
    return user_can(user, "report.sign_off")


def list_within_two_hours(start: dt.datetime, end: dt.datetime) -> kpi.TwoHourCounts:
    """The list-within-two-hours KPI for referrals whose clock started in ``[start, end)``,
    from their status history (``kpi.list_clock``), as it stands now."""
    from swc.referrals.models import ReferralEvent, ReferralEventKind

    as_of = _now()
    started = ReferralEvent.objects.filter(
        kind=ReferralEventKind.STATUS, to_status=Status.COMPLETE, at__gte=start, at__lt=end
    ).values("referral_id")
    histories = _status_histories(Referral.objects.filter(pk__in=started), as_of)
    return kpi.list_two_hour_counts(
        (kpi.list_clock(history, as_of) for history in histories), start, end
    )


def _now() -> dt.datetime:
    from swc.core import clock

    return clock.now()


def authority_count() -> int:
    return LocalAuthority.objects.count()


# --- KPI dashboard --------------------------------------------------------------

SERVICE_START = dt.date(2016, 5, 16)


def kpi_dashboard(first: dt.date, last: dt.date, *, suppress: bool = False) -> list[kpi.Kpi]:
    """The seven KPIs of seed 001 for the days ``first`` to ``last`` (a fixed number of queries).

    With ``suppress`` (anyone outside the unit), counts of referrals (children) from 1
    to 5 are shown as ``c``, and so is a percentage of 1 to 5 referrals.
    """

    def n(value: int) -> str:
        return SUPPRESSED if suppress and 1 <= value <= 5 else str(value)

    def pct(value: float | None, denominator: int) -> str:
        if suppress and 1 <= denominator <= 5:
            return SUPPRESSED
        return kpi.percent_display(value)

    from swc.homes.models import SecureHome
    from swc.matching.models import HomeResponse

    from .models import MonthlyReturnVersion, SurveyResponse, TermsAcceptance, TermsKind

    start = dt.datetime.combine(first, dt.time(0), tzinfo=LONDON)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    referrals = Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end).count()
    authorities = LocalAuthority.objects.count()
    homes = SecureHome.objects.count()
    engaged_las = (
        Referral.objects.filter(submitted_at__lt=end).values("local_authority").distinct().count()
    )
    signed = TermsAcceptance.objects.filter(accepted_at__lt=end).order_by()
    signed_las = signed.filter(kind=TermsKind.LA_TERMS).count()
    signed_homes = signed.filter(kind=TermsKind.HOME_MOU).count()
    # Engaged: signed up OR answered a referral; a home that did both counts once.
    engaged_homes = SecureHome.objects.filter(
        Q(organisation_id__in=signed.filter(kind=TermsKind.HOME_MOU).values("organisation_id"))
        | Q(pk__in=HomeResponse.objects.filter(recorded_at__lt=end).values("home_id"))
    ).count()
    survey = SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        n=Count("id"), satisfied=Count("id", filter=Q(overall__in=kpi.SATISFIED_ANSWERS))
    )
    two_hours = list_within_two_hours(start, end)
    elapsed, denominator = two_hours.last_elapsed
    # Returns due in the period: the first sign-off of each month counts.
    months = [
        m
        for m in months_span(
            ReturnMonth(first.year, first.month).previous(), ReturnMonth(last.year, last.month)
        )
        if first <= return_due_date(m) <= min(last, _now().date())
    ]
    first_sign_off = {
        row["month"]: row["first"]
        for row in MonthlyReturnVersion.objects.filter(month__in=[str(m) for m in months])
        .order_by()
        .values("month")
        .annotate(first=Min("signed_off_at"))
    }
    on_time = sum(
        1
        for m in months
        if first_sign_off.get(str(m)) is not None
        and first_sign_off[str(m)].astimezone(LONDON).date() <= return_due_date(m)
    )
    la_pct = kpi.percent(signed_las, authorities)
    sat_pct = kpi.percent(survey["satisfied"], survey["n"])
    elapsed_pct = kpi.percent(elapsed, denominator)

    def share(counts: tuple[int, int]) -> str:
        hits, of = counts
        return f"{pct(kpi.percent(hits, of), of)} ({n(hits)} of {n(of)})"

    return [
        kpi.Kpi(
            "referrals",
            "Taking referrals and helping authorities place children",
            f"Referrals submitted in the period. The service has taken referrals since "
            f"{SERVICE_START:%-d %B %Y}.",
            f"From {SERVICE_START:%-d %B %Y}",
            f"{n(referrals)} referrals",
            met=referrals > 0 if last >= SERVICE_START else None,
            numerator=referrals,
        ),
        kpi.Kpi(
            "engaged",
            "Homes and authorities engaged",
            "Authorities that have made at least one referral; homes that have accepted the "
            "memorandum of understanding or answered a referral (either, each home counted once), "
            "by the period's end.",
            "All homes and authorities",
            f"{engaged_las} of {authorities} authorities; {engaged_homes} of {homes} homes",
            met=(engaged_las >= authorities and engaged_homes >= homes) if authorities else None,
        ),
        kpi.Kpi(
            "signed_up",
            "Authorities signed up",
            "Authorities whose admin has accepted the service's terms of use by the period's end, "
            "of all authorities. Homes signed up (memorandum of understanding) shown alongside.",
            f"{kpi.SIGN_UP_TARGET:g}%",
            f"{kpi.percent_display(la_pct)} ({signed_las} of {authorities}); homes: "
            f"{signed_homes} of {homes}",
            met=kpi.target_met(la_pct, kpi.SIGN_UP_TARGET),
            numerator=signed_las,
            denominator=authorities,
        ),
        kpi.Kpi(
            "satisfaction",
            "Satisfaction of authorities and homes",
            "Survey answers received in the period (one per organisation per closed referral) "
            "that were 'satisfied' or 'very satisfied'.",
            f"{kpi.SATISFACTION_TARGET:g}% satisfied or very satisfied",
            f"{kpi.percent_display(sat_pct)} ({survey['satisfied']} of {survey['n']})",
            met=kpi.target_met(sat_pct, kpi.SATISFACTION_TARGET),
            numerator=survey["satisfied"],
            denominator=survey["n"],
        ),
        kpi.Kpi(
            "list_two_hours",
            "Complete referrals with a list within two hours",
            f"{kpi.DEFINITION_LIST_ELAPSED} {kpi.DEFINITION_LIST_OFFICE}",
            f"{kpi.LIST_TARGET:g}%",
            f"From the last completion: {share(two_hours.last_elapsed)} in elapsed time, "
            f"{share(two_hours.last_office)} in office hours. From the first completion: "
            f"{share(two_hours.first_elapsed)} in elapsed time, "
            f"{share(two_hours.first_office)} in office hours",
            met=kpi.target_met(elapsed_pct, kpi.LIST_TARGET),
            numerator=elapsed,
            denominator=denominator,
        ),
        kpi.Kpi(
            "returns_on_time",
            "Monthly returns issued by the 10th working day",
            "Returns whose due date falls in the period (and has passed) that were first "
            "signed off on or before the due date.",
            "Every return",
            f"{on_time} of {len(months)}",
            met=(on_time == len(months)) if months else None,
            numerator=on_time,
            denominator=len(months),
        ),
        kpi.Kpi(
            "volume_trend",
            "Volume and trend data in place",
            "Monthly series of referrals by region and authority, with charts and tables, "
            "for any span of months (the trend page).",
            "In place by June 2016",
            "Available",
            met=True,
        ),
    ]


def kpi_dashboard_for(user: Any, first: dt.date, last: dt.date) -> list[kpi.Kpi]:
    """The KPI dashboard for someone allowed to see aggregates."""
    require(user, "report.view_aggregates")
    return kpi_dashboard(first, last, suppress=return_is_suppressed_for(user))


def sign_ups() -> list[Any]:
    """Every acceptance of the terms, newest first, with the organisation (one query)."""
    from .models import TermsAcceptance

    return list(TermsAcceptance.objects.select_related("organisation").order_by("-accepted_at"))


def _signatory_filter(prefix: str = "") -> Q:
    """Memberships of people who can sign their organisation up (see ``SIGNATORIES``)."""
    from .models import SIGNATORIES

    q = Q()
    for kind, (role, _terms) in SIGNATORIES.items():
        q |= Q(**{f"{prefix}organisation__kind": kind, f"{prefix}role": role})
    return q & Q(**{f"{prefix}organisation__is_active": True, f"{prefix}user__is_active": True})


def signatory_memberships(organisation_ids: Iterable[int]) -> list[Any]:
    """The memberships of those who can sign up the given organisations, in one query."""
    from swc.organisations.models import Membership

    return list(
        Membership.objects.filter(_signatory_filter(), organisation_id__in=list(organisation_ids))
        .select_related("user")
        .order_by("organisation_id", "user_id")
    )


def not_signed_up(organisation_ids: Iterable[int] | None = None) -> list[Any]:
    """Active authorities and homes that have not accepted the terms yet, to remind, in one query.

    Each carries ``signatories`` (how many people could sign it up, and so
    would receive a reminder) and ``last_reminded_at`` (or None).
    """
    from swc.organisations.models import Membership, Organisation, OrganisationKind

    from .models import SignUpReminder, TermsAcceptance

    accepted = TermsAcceptance.objects.values("organisation_id")
    signatories = (
        Membership.objects.filter(_signatory_filter(), organisation_id=OuterRef("pk"))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_reminded = (
        SignUpReminder.objects.filter(organisation_id=OuterRef("pk"))
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    organisations = Organisation.objects.filter(
        is_active=True,
        kind__in=[OrganisationKind.LOCAL_AUTHORITY, OrganisationKind.SECURE_HOME],
    )
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    return list(
        organisations.exclude(id__in=accepted)
        .annotate(
            signatories=Coalesce(Subquery(signatories, output_field=IntegerField()), 0),
            last_reminded_at=Subquery(last_reminded),
        )
        .order_by("kind", "name")
    )
