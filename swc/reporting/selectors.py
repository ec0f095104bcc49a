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

import bisect
import dataclasses
import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from swc.core.vocabulary import (
    ClosureDestination,
    Ethnicity,
    LegalStatus,
    NeedOrRisk,
    Sex,
    WithdrawalReason,
)
from swc.organisations.models import LocalAuthority, Region
from swc.organisations.policy import require, user_can
from swc.referrals import deadlines
from swc.referrals.completeness import age_on
from swc.referrals.models import Referral
from swc.referrals.workflow import Status

from . import kpi
from .publication import (
    CHARTED,
    COUNT_TABLES,
    MEASURES,
    AuthorityYear,
    MeasureRow,
    PublishedReturn,
    ReturnTable,
    authority_years_table,
    financial_year,
    referrals_hidden,
    return_published,
    tables_for,
    trend_table,
    two_hours_publication,
)
from .returns import LONDON, ReturnMonth, months_span, return_due_date
from .suppression import (
    SUPPRESSED,
    Publication,
    SuppressedTable,
    count_display,
    publication_suppress,
)

__all__ = [
    "CHARTED",
    "COUNT_TABLES",
    "MEASURES",
    "MeasureRow",
    "PublishedReturn",
    "ReturnTable",
    "return_published",
    "tables_for",
]

NOT_RECORDED = "Not recorded"
AGE_BANDS = ("Under 10", "10 to 12", "13 to 14", "15", "16", "17 and over")


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


UASC_LABELS = ("Unaccompanied asylum-seeking child", "Not an unaccompanied asylum-seeking child")
DISABILITY_LABELS = ("Disability named", "No disability named")
RECEIVED_TABLES = (
    "referrals_by_region",
    "referrals_by_authority",
    "referrals_by_age_band",
    "referrals_by_sex",
    "referrals_by_ethnicity",
    "referrals_by_legal_status",
    "referrals_by_uasc",
    "referrals_by_disability",
    "referrals_by_need",
)


def received_by_month(first: ReturnMonth, last: ReturnMonth) -> dict[str, dict[str, Any]]:
    """Referrals received in each month from ``first`` to ``last``, by every breakdown.

    A fixed number of queries whatever the span: each breakdown is one grouped query with
    a conditional count per month; the child's age at referral (date of birth against the
    day submitted) and the needs (a JSON list) read the span's own rows, once.
    """
    months = months_span(first, last)
    received = Referral.objects.filter(
        submitted_at__gte=first.start(), submitted_at__lt=last.end()
    ).order_by()
    # Each month is a conditional count (the months' bounds are London midnights, compared
    # with the stored instant), so no row is converted to a month by a function.
    per_month = {
        f"m{i}": Count("id", filter=Q(submitted_at__gte=m.start(), submitted_at__lt=m.end()))
        for i, m in enumerate(months)
    }

    def grouped_rows(*fields: str) -> Iterable[tuple[dict[str, Any], str, int]]:
        for row in received.values(*fields).annotate(**per_month):
            for i, m in enumerate(months):
                if row[f"m{i}"]:
                    yield row, str(m), row[f"m{i}"]

    def grouped(field: str, *, blank: Any = "") -> dict[str, dict[Any, int]]:
        out: dict[str, dict[Any, int]] = {str(m): {} for m in months}
        for row, key, n in grouped_rows(field):
            out[key][blank if row[field] in ("", None) else row[field]] = n
        return out

    by_region, by_sex, by_ethnicity, by_legal = (
        grouped(f) for f in ("local_authority__region", "sex", "ethnicity", "legal_status")
    )
    by_authority: dict[str, dict[str, int]] = {str(m): {} for m in months}
    regions_of: dict[str, str] = {}
    for row, key, n in grouped_rows("local_authority__name", "local_authority__region"):
        by_authority[key][row["local_authority__name"]] = n
        regions_of[row["local_authority__name"]] = row["local_authority__region"]
    by_uasc = grouped("unaccompanied_asylum_seeking", blank=None)
    ages: dict[str, dict[str, int]] = {str(m): dict.fromkeys(AGE_BANDS, 0) for m in months}
    needs: dict[str, dict[str, int]] = {str(m): {} for m in months}
    for submitted_at, dob, codes in received.values_list("submitted_at", "date_of_birth", "needs"):
        assert submitted_at is not None  # filtered on it
        local = submitted_at.astimezone(LONDON).date()
        key = f"{local.year:04d}-{local.month:02d}"
        bands = ages[key]
        if dob is None:
            bands[NOT_RECORDED] = bands.get(NOT_RECORDED, 0) + 1
        else:
            bands[_age_band(age_on(dob, local))] += 1
        counted = needs[key]
        for code in set(codes or []):
            counted[code] = counted.get(code, 0) + 1

    out: dict[str, dict[str, Any]] = {}
    for m in months:
        key = str(m)
        total = sum(by_region[key].values())
        uasc = by_uasc[key]
        disabled = needs[key].get(NeedOrRisk.DISABILITY, 0)
        out[key] = {
            "referrals_by_region": {
                label: by_region[key].get(code, 0) for code, label in Region.choices
            },
            "referrals_by_authority": dict(sorted(by_authority[key].items())),
            "referrals_by_age_band": ages[key],
            "referrals_by_sex": _labelled(by_sex[key], Sex.choices),
            "referrals_by_ethnicity": _labelled(
                by_ethnicity[key], [(c, f"{c} {label}") for c, label in Ethnicity.choices]
            ),
            "referrals_by_legal_status": _labelled(by_legal[key], LegalStatus.choices),
            "referrals_by_uasc": {
                UASC_LABELS[0]: uasc.get(True, 0),
                UASC_LABELS[1]: uasc.get(False, 0),
                **({NOT_RECORDED: uasc[None]} if uasc.get(None) else {}),
            },
            "referrals_by_disability": {
                DISABILITY_LABELS[0]: disabled,
                DISABILITY_LABELS[1]: total - disabled,
            },
            "referrals_by_need": {
                label: needs[key].get(code, 0) for code, label in NeedOrRisk.choices
            },
            "authority_regions": {name: regions_of[name] for name in sorted(by_authority[key])},
        }
    return out


RE_REFERRAL_WITHIN = dt.timedelta(days=365)


def children_figures(month: ReturnMonth) -> dict[str, int]:
    """Distinct children referred in the month, and re-referrals within 12 months.

    A child is the authority's own child identifier (a referral without one is a
    child of its own). A re-referral is a referral whose child had another referral
    submitted in the 365 days before it.
    """
    start, end = month.start(), month.end()
    received = Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end).order_by()
    counts = received.aggregate(
        referrals=Count("id"), identified=Count("id", filter=~Q(la_child_identifier=""))
    )
    # The referrals of the month's identified children from 365 days before it began: the
    # comparisons between them are made here, so the database does no date arithmetic per
    # row (on SQLite that is a Python function). Found by the identifiers alone (an index
    # of their own); the authority is matched here, as a child is an identifier of one
    # authority: an EXISTS on both read every referral of each authority in the window.
    identified = received.exclude(la_child_identifier="")
    rows = Referral.objects.filter(
        la_child_identifier__in=identified.values("la_child_identifier"),
        submitted_at__gte=start - RE_REFERRAL_WITHIN,
        submitted_at__lt=end,
    ).values_list("local_authority_id", "la_child_identifier", "submitted_at")
    every: dict[tuple[int, str], list[dt.datetime]] = {}
    for authority_id, identifier, submitted_at in rows:
        assert submitted_at is not None  # filtered on it
        every.setdefault((authority_id, identifier), []).append(submitted_at)
    # Only the children referred in the month (an identifier another authority used then
    # brings this one's referrals too).
    referred = {
        child: times for child, times in every.items() if any(start <= t < end for t in times)
    }
    re_referred = 0
    for times in referred.values():
        times.sort()
        for submitted_at in times:
            if start <= submitted_at < end:
                before = bisect.bisect_left(times, submitted_at)
                re_referred += before > bisect.bisect_left(times, submitted_at - RE_REFERRAL_WITHIN)
    return {
        "distinct_children": len(referred) + counts["referrals"] - counts["identified"],
        "re_referrals_12_months": re_referred,
    }


def monthly_return_figures(month: ReturnMonth) -> dict[str, Any]:
    """Every figure of the return for ``month``, as raw (unsuppressed) numbers.

    The result is plain JSON: it is what a sign-off freezes.
    """
    start, end = month.start(), month.end()
    # Closed in the month, by the index of the time closed. Only the final moves stamp
    # closed_at, so the status is checked here, not in the query: asked for it, SQLite
    # chose the status index and read every placement since the service began.
    outcomes = (Status.PLACED, Status.WITHDRAWN, Status.CLOSED_NOT_PLACED)
    closed = Referral.objects.filter(
        closed_at__gte=start, closed_at__lt=end, submitted_at__isnull=False
    )
    received = received_by_month(month, month)[str(month)]
    authority_regions = received.pop("authority_regions")
    counts: dict[str, dict[str, int]] = dict(received)
    # The outcomes, the reasons for withdrawal and the destinations: one grouped count.
    by_status: dict[str, int] = {}
    reasons: dict[str, dict[str, int]] = {Status.WITHDRAWN: {}, Status.CLOSED_NOT_PLACED: {}}
    for row in closed.order_by().values("status", "outcome_reason").annotate(n=Count("id")):
        if row["status"] not in outcomes:
            continue
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        if row["status"] in reasons:
            reasons[row["status"]][row["outcome_reason"] or ""] = row["n"]
    counts["outcomes"] = {
        "Placed": by_status.get(Status.PLACED, 0),
        "Withdrawn": by_status.get(Status.WITHDRAWN, 0),
        "Closed without placement": by_status.get(Status.CLOSED_NOT_PLACED, 0),
    }
    counts["withdrawal_reasons"] = _labelled(reasons[Status.WITHDRAWN], WithdrawalReason.choices)
    counts["closure_destinations"] = _labelled(
        reasons[Status.CLOSED_NOT_PLACED], ClosureDestination.choices
    )
    from swc.matching.models import DeclineReason, HomeResponse, Placement, ResponseKind

    declines = HomeResponse.objects.filter(
        kind=ResponseKind.DECLINE, counted=True, recorded_at__gte=start, recorded_at__lt=end
    )
    counts["declines_by_reason"] = _labelled(_by(declines, "decline_reason"), DeclineReason.choices)
    admitted_in_month = Q(admitted_on__gte=month.first_day, admitted_on__lte=month.last_day)
    discharged_in_month = Q(discharged_on__gte=month.first_day, discharged_on__lte=month.last_day)
    # Bounded by the month (each side by its index), then counted both ways at once.
    flow = (
        Placement.objects.filter(admitted_in_month | discharged_in_month)
        .order_by()
        .aggregate(
            admitted=Count("id", filter=admitted_in_month),
            discharged=Count("id", filter=discharged_in_month),
        )
    )
    counts["placements_flow"] = {"Admissions": flow["admitted"], "Discharges": flow["discharged"]}

    measures: dict[str, dict[str, Any]] = {}
    listed = Referral.objects.filter(
        list_provided_at__gte=start, list_provided_at__lt=end, completed_at__isnull=False
    ).values_list("completed_at", "list_provided_at")
    measures["completion_to_list_hours"] = _summary(
        [(b - a).total_seconds() / 3600 for a, b in listed if a and b]
    )
    placed = closed.values_list("status", "completed_at", "placed_at")
    measures["completion_to_placement_days"] = _summary(
        [
            (b - a).total_seconds() / 86400
            for status, a, b in placed
            if status == Status.PLACED and a and b
        ]
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

    from swc.homes.selectors import register_changes

    two_hours = list_within_two_hours(start, end)
    # Every home's register each day: read once for the waiting and the occupancy figures.
    register = register_changes(month.first_day, month.last_day)
    occupancy = occupancy_daily(month, register=register)
    return {
        "month": str(month),
        "due_on": return_due_date(month).isoformat(),
        "counts": counts,
        "authority_regions": authority_regions,
        "children": children_figures(month),
        "list_two_hours": {k: list(v) for k, v in dataclasses.asdict(two_hours).items()},
        "measures": measures,
        "waiting": waiting_figures(month, occupancy=occupancy),
        "occupancy": occupancy_figures(month, occupancy=occupancy, register=register),
    }


def _status_histories(*referrals: QuerySet[Referral], until: dt.datetime) -> list[list[Any]]:
    """Each referral's status arrivals ``(at, to_status)`` up to ``until``, in order (one query).

    The referrals are those of any of the querysets (each kept apart, so that each is
    found by its own index). Their events are found by the (referral, time) index and
    only the status changes kept here: asked for the kind, the databases chose the
    (kind, status, time) index and read every status change in history.
    """
    from swc.referrals.models import ReferralEvent, ReferralEventKind

    among = Q()
    for queryset in referrals:
        among |= Q(referral__in=queryset.values("pk"))
    rows = (
        ReferralEvent.objects.filter(among, at__lt=until)
        .order_by("referral_id", "at", "id")
        .values_list("referral_id", "at", "to_status", "kind")
    )
    histories: dict[int, list[Any]] = {}
    for referral_id, at, status, kind in rows:
        if kind == ReferralEventKind.STATUS:
            histories.setdefault(referral_id, []).append((at, status))
    return list(histories.values())


def waiting_figures(
    month: ReturnMonth, *, occupancy: dict[dt.date, tuple[int, int, int]] | None = None
) -> dict[str, Any]:
    """Children waiting for a bed at the end of each day, from the referrals' status history.

    A child is waiting while the referral is submitted and not yet with an
    accepted offer, placed or closed. The status history, not the stamps, decides:
    an accepted offer that falls through puts the child back to waiting, although
    the referral keeps the time the offer was accepted. One query reads the status
    arrivals of the referrals that could be waiting in the month: submitted before its end
    and not closed before its start (the month's closures, by their index, and the open
    referrals), not the whole of history. ``occupancy`` is ``occupancy_daily(month)`` if
    the caller has it already.
    """
    start, end = month.start(), month.end()
    submitted = Referral.objects.filter(submitted_at__lt=end)
    still_open, closed_since = (
        submitted.filter(closed_at__isnull=True),
        submitted.filter(closed_at__gte=start),
    )
    day_ends = [
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
        for day in month.days()
    ]
    values = kpi.waiting_per_day(_status_histories(still_open, closed_since, until=end), day_ends)
    if occupancy is None:
        occupancy = occupancy_daily(month)
    # Only days on which some home had declared its register count.
    no_free = sum(1 for counts in occupancy.values() if counts[2] == 0)
    return {
        "average": round(sum(values) / len(values), 1),
        "maximum": max(values),
        "days_no_free_welfare_bed": no_free,
        "per_day": dict(zip([d.isoformat() for d in month.days()], values, strict=True)),
    }


def occupancy_daily(
    month: ReturnMonth, *, england_only: bool = False, register: Any = None
) -> dict[dt.date, tuple[int, int, int]]:
    """(occupied welfare, staffed welfare, free welfare) summed over homes, each day on which
    some home had declared its register; ``england_only`` leaves out homes in Wales.
    ``register`` is every home's ``register_changes`` over the month if the caller has it.

    The sums are carried from day to day and moved by each declaration's difference from
    the home's previous one: the work grows with the declarations, not homes times days.
    """
    from swc.homes.models import Nation, SecureHome
    from swc.homes.selectors import register_changes

    def figures(counts: Any) -> tuple[int, int, int]:
        return counts.occupied_welfare, counts.welfare_staffed, counts.welfare_free

    if register is None:
        register = register_changes(month.first_day, month.last_day)
    left_out = (
        set(SecureHome.objects.filter(nation=Nation.WALES).values_list("pk", flat=True))
        if england_only
        else set()
    )
    current = {
        home_id: figures(counts)
        for home_id, counts in register.first.items()
        if home_id not in left_out
    }
    totals = [sum(values) for values in zip(*current.values(), strict=True)] or [0, 0, 0]
    later = (change for change in register.later if change[1] not in left_out)
    pending = next(later, None)
    out: dict[dt.date, tuple[int, int, int]] = {}
    for day in month.days():
        while pending is not None and pending[0] <= day:
            _, home_id, counts = pending
            now, before = figures(counts), current.get(home_id, (0, 0, 0))
            totals = [t + n - b for t, n, b in zip(totals, now, before, strict=True)]
            current[home_id] = now
            pending = next(later, None)
        if current:
            out[day] = (totals[0], totals[1], totals[2])
    return out


def _homes_declared(month: ReturnMonth, *, england_only: bool) -> tuple[int, int]:
    """(homes with a register declaration in force during the month, all homes), one query.

    Each home is one probe of its declarations' index, not a read of every register
    since the service began.
    """
    from swc.homes.models import Nation, RegisterDeclaration, SecureHome

    homes = SecureHome.objects.all()
    if england_only:
        homes = homes.exclude(nation=Nation.WALES)
    declared = RegisterDeclaration.objects.filter(
        home=OuterRef("pk"), declared_on__lte=month.last_day
    )
    counts = homes.order_by().aggregate(
        declared=Count("id", filter=Q(Exists(declared))), homes=Count("id")
    )
    return counts["declared"], counts["homes"]


def occupancy_figures(
    month: ReturnMonth,
    *,
    occupancy: dict[dt.date, tuple[int, int, int]] | None = None,
    register: Any = None,
) -> dict[str, Any]:
    """Welfare beds occupied and staffed per day, and occupancy, for the homes that declared
    their register: in England and Wales, and in England alone (DfE's denominators).
    ``occupancy`` is ``occupancy_daily(month)`` and ``register`` the month's
    ``register_changes`` if the caller has them already."""
    out: dict[str, Any] = {}
    for prefix, england_only in (("", False), ("england_", True)):
        if england_only or occupancy is None:
            daily = occupancy_daily(month, england_only=england_only, register=register)
        else:
            daily = occupancy
        days = len(daily) or 1
        occupied = sum(v[0] for v in daily.values())
        staffed = sum(v[1] for v in daily.values())
        pct = kpi.percent(occupied, staffed)
        declared, homes = _homes_declared(month, england_only=england_only)
        out.update(
            {
                f"{prefix}days_with_register": len(daily),
                f"{prefix}average_occupied_welfare": round(occupied / days, 1),
                f"{prefix}average_staffed_welfare": round(staffed / days, 1),
                f"{prefix}occupancy_percent": None if pct is None else round(pct, 1),
                f"{prefix}days_no_free_welfare_bed": sum(
                    1 for counts in daily.values() if counts[2] == 0
                ),
                f"{prefix}homes_declared": declared,
                f"{prefix}homes": homes,
            }
        )
    return out


# --- published tables -----------------------------------------------------------


def return_figures_for(user: Any, month: ReturnMonth) -> dict[str, Any]:
    """The live figures of a month for someone allowed to see aggregates."""
    require(user, "report.view_aggregates")
    return monthly_return_figures(month)


def return_is_suppressed_for(user: Any) -> bool:
    """Only the unit sees unsuppressed counts on screen (the policy's ``report.view_unsuppressed``)."""
    return not user_can(user, "report.view_unsuppressed")


def return_versions(month: ReturnMonth) -> list[Any]:
    """Signed-off versions of a month's return, newest first."""
    from .models import MonthlyReturnVersion

    return list(MonthlyReturnVersion.objects.filter(month=str(month)).order_by("-version"))


def return_version_before(month: ReturnMonth, version: int | None) -> Any:
    """The signed-off version a download is compared with to mark revisions: the one before
    ``version``, or for the live figures the latest signed off (None if there is none)."""
    from .models import MonthlyReturnVersion

    versions = MonthlyReturnVersion.objects.filter(month=str(month))
    if version is not None:
        versions = versions.filter(version__lt=version)
    return versions.order_by("-version").first()


# --- volume and trend -----------------------------------------------------------


def referral_trend(first: ReturnMonth, last: ReturnMonth) -> tuple[list[str], dict[str, list[int]]]:
    """Referrals received per month from ``first`` to ``last`` by region (raw).

    Rows with no referral in the span are left out.
    """
    months = months_span(first, last)
    received = received_by_month(first, last)
    table = "referrals_by_region"
    names = sorted({n for m in months for n, v in received[str(m)][table].items() if v})
    series = {n: [received[str(m)][table].get(n, 0) for m in months] for n in names}
    return [str(m) for m in months], series


def trend_published(first: ReturnMonth, last: ReturnMonth, *, suppress: bool) -> SuppressedTable:
    """The trend as a published table (``publication.trend_table``): rows are regions,
    columns months, each month suppressed as its return is."""
    return trend_table(received_by_month(first, last), suppress=suppress)


def trend_for(user: Any, first: ReturnMonth, last: ReturnMonth) -> SuppressedTable:
    """The trend for someone allowed to see aggregates, suppressed unless they may see counts."""
    require(user, "report.view_aggregates")
    return trend_published(first, last, suppress=return_is_suppressed_for(user))


def complete_financial_years(first: ReturnMonth, last: ReturnMonth) -> list[int]:
    """The financial years (by the year they start) that the months ``first`` to ``last``
    reach into and that have ended: a year is published whole or not at all."""
    now = _now()
    years = range(financial_year(str(first)), financial_year(str(last)) + 1)
    return [y for y in years if ReturnMonth(y + 1, 3).end() <= now]


def authority_years_published(years: list[int], *, suppress: bool) -> list[AuthorityYear]:
    """Referrals received by authority each complete financial year of ``years``
    (``publication.authority_years_table``), in a fixed number of queries."""
    if not years:
        return []
    received = received_by_month(ReturnMonth(years[0], 4), ReturnMonth(years[-1] + 1, 3))
    return authority_years_table(received, years, suppress=suppress)


def authority_years_for(user: Any, first: ReturnMonth, last: ReturnMonth) -> list[AuthorityYear]:
    """The authority table for the complete financial years the months ``first`` to
    ``last`` reach into, for someone allowed to see aggregates."""
    require(user, "report.view_aggregates")
    return authority_years_published(
        complete_financial_years(first, last), suppress=return_is_suppressed_for(user)
    )


def can_sign_off(user: Any) -> bool:
    return user_can(user, "report.sign_off")


def list_within_two_hours(start: dt.datetime, end: dt.datetime) -> kpi.TwoHourCounts:
    """The list-within-two-hours KPI for referrals whose clock started in ``[start, end)``, as
    it stands now, in two queries whatever the history.

    Settled clocks are counted in the database from their stored outcomes
    (``ReferralListClock``, kept by the referral services): the measures from the last
    completion over the clocks last started in the period, those from the first over the
    clocks first started in it, each found by its own index. The few clocks still running
    are worked out as of now from what they keep (``deadlines.list_clock_running``).
    """
    from swc.referrals.models import ReferralListClock

    began = {
        which: Q(**{f"{which}_completed_at__gte": start, f"{which}_completed_at__lt": end})
        for which in ("last", "first")
    }
    in_period = ReferralListClock.objects.filter(began["last"] | began["first"]).order_by()
    totals = in_period.filter(running=False).aggregate(
        **{
            f"{m}_{side}": Count("pk", filter=began[m.split("_")[0]] & Q(**{m: value}))
            for m in deadlines.LIST_MEASURES
            for side, value in (("within", True), ("missed", False))
        }
    )
    settled = kpi.TwoHourCounts(
        **{
            m: (totals[f"{m}_within"], totals[f"{m}_within"] + totals[f"{m}_missed"])
            for m in deadlines.LIST_MEASURES
        }
    )
    as_of = _now()
    # Every clock still running (those complete and waiting for a list now: a handful,
    # by their own index), the period chosen among them by list_two_hour_counts.
    running = ReferralListClock.objects.filter(running=True).values_list(
        "first_completed_at", "last_completed_at", "earlier_stretches"
    )
    return kpi.two_hour_counts_add(
        settled,
        kpi.list_two_hour_counts(
            (
                deadlines.list_clock_running(first, last, stretches, as_of)
                for first, last, stretches in running
                if first is not None and last is not None  # always, for a clock that ran
            ),
            start,
            end,
        ),
    )


def _now() -> dt.datetime:
    from swc.core import clock

    return clock.now()


def authority_count() -> int:
    return LocalAuthority.objects.count()


# --- KPI dashboard --------------------------------------------------------------

SERVICE_START = dt.date(2016, 5, 16)


def kpi_dashboard(
    first: dt.date,
    last: dt.date,
    *,
    suppress: bool = False,
    received: dict[str, dict[str, Any]] | None = None,
) -> list[kpi.Kpi]:
    """The seven KPIs of seed 001 for the days ``first`` to ``last`` (a fixed number of queries).

    With ``suppress`` (anyone outside the unit), counts of referrals (children) from 1
    to 5 are shown as ``[c]``, and so is a percentage of 1 to 5 referrals; the referrals
    are hidden too when the return of a month the period overlaps hides its national
    total (``publication.referrals_hidden``). ``received`` may hold those months'
    referrals received (``received_by_month``), read once for many dashboards.
    """

    from swc.homes.models import SecureHome
    from swc.matching.models import HomeResponse

    from .models import MonthlyReturnVersion, SurveyResponse, TermsAcceptance, TermsKind

    start = dt.datetime.combine(first, dt.time(0), tzinfo=LONDON)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON)
    referrals = Referral.objects.filter(submitted_at__gte=start, submitted_at__lt=end).count()
    authorities = LocalAuthority.objects.count()
    homes = SecureHome.objects.count()
    # One probe per authority (and per home below) of a (who, when) index, not a read of
    # every referral or answer since the service began.
    engaged_las = LocalAuthority.objects.filter(
        Exists(Referral.objects.filter(local_authority=OuterRef("pk"), submitted_at__lt=end))
    ).count()
    signed = TermsAcceptance.objects.filter(accepted_at__lt=end).order_by()
    signed_las = signed.filter(kind=TermsKind.LA_TERMS).count()
    signed_homes = signed.filter(kind=TermsKind.HOME_MOU).count()
    # Engaged: signed up OR answered a referral; a home that did both counts once.
    engaged_homes = SecureHome.objects.filter(
        Q(organisation_id__in=signed.filter(kind=TermsKind.HOME_MOU).values("organisation_id"))
        | Q(Exists(HomeResponse.objects.filter(home=OuterRef("pk"), recorded_at__lt=end)))
    ).count()
    survey = SurveyResponse.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        n=Count("id"), satisfied=Count("id", filter=Q(overall__in=kpi.SATISFIED_ANSWERS))
    )
    two_hours = list_within_two_hours(start, end)
    elapsed, denominator = two_hours.last_elapsed
    # Disclosure control for the dashboard: the referrals and the two-hour counts are
    # counts of children, decided together by the one suppression module.
    publication = Publication()
    publication.add(("kpi", "referrals"), referrals)
    two_hours_publication(publication, dataclasses.asdict(two_hours))
    # Survey answers are about a child's referral: counts of 1 to 5 are hidden like the
    # children's. Counts of organisations (sign-ups) and of months (returns) are about no one.
    satisfied_key, answers_key = ("kpi", "satisfied"), ("kpi", "answers")
    publication.add(satisfied_key, survey["satisfied"])
    publication.add(answers_key, survey["n"], level=1)
    hidden = publication_suppress(publication) if suppress else frozenset()
    if suppress:
        overlapped = months_span(
            ReturnMonth(first.year, first.month), ReturnMonth(last.year, last.month)
        )
        if received is None:
            received = received_by_month(overlapped[0], overlapped[-1])
        if referrals_hidden({str(m): received[str(m)] for m in overlapped}):
            hidden |= {("kpi", "referrals")}

    def shown(key: tuple[str, ...]) -> str:
        return count_display(publication.cells[key], key in hidden)

    def share(measure: str) -> str:
        within, of = shown(("two_hours", measure, "within")), shown(("two_hours", measure, "of"))
        hits, total = getattr(two_hours, measure)
        value = (
            SUPPRESSED
            if SUPPRESSED in (within, of)
            else kpi.percent_display(kpi.percent(hits, total))
        )
        return f"{value} ({within} of {of})"

    def two_hour_percent(measure: str) -> float | None:
        keys = {("two_hours", measure, "within"), ("two_hours", measure, "of")}
        if hidden & keys:
            return None
        return _measured(kpi.percent(*getattr(two_hours, measure)))

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
    within_key, of_key = (
        ("two_hours", "last_elapsed", "within"),
        ("two_hours", "last_elapsed", "of"),
    )
    return [
        kpi.Kpi(
            "referrals",
            "Taking referrals and helping authorities place children",
            f"Referrals submitted in the period. The service has taken referrals since "
            f"{SERVICE_START:%-d %B %Y}.",
            f"From {SERVICE_START:%-d %B %Y}",
            f"{shown(('kpi', 'referrals'))} referrals",
            met=referrals > 0 if last >= SERVICE_START else None,
            numerator=None if ("kpi", "referrals") in hidden else referrals,
            chart_values=(
                ("Referrals", None if ("kpi", "referrals") in hidden else float(referrals)),
            ),
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
            numerator=engaged_las,
            denominator=authorities,
            chart_values=(
                ("Authorities engaged (%)", _measured(kpi.percent(engaged_las, authorities))),
                ("Homes engaged (%)", _measured(kpi.percent(engaged_homes, homes))),
            ),
            chart_target=100.0,
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
            chart_values=(("Authorities signed up (%)", _measured(la_pct)),),
            chart_target=kpi.SIGN_UP_TARGET,
        ),
        kpi.Kpi(
            "satisfaction",
            "Satisfaction of authorities and homes",
            "Survey answers received in the period (one per organisation per closed referral) "
            "that were 'satisfied' or 'very satisfied'.",
            f"{kpi.SATISFACTION_TARGET:g}% satisfied or very satisfied",
            f"{SUPPRESSED if hidden & {satisfied_key, answers_key} else kpi.percent_display(sat_pct)}"
            f" ({shown(satisfied_key)} of {shown(answers_key)})",
            met=None
            if hidden & {satisfied_key, answers_key}
            else kpi.target_met(sat_pct, kpi.SATISFACTION_TARGET),
            numerator=None if satisfied_key in hidden else survey["satisfied"],
            denominator=None if answers_key in hidden else survey["n"],
            chart_values=(
                (
                    "Satisfied or very satisfied (%)",
                    None if hidden & {satisfied_key, answers_key} else _measured(sat_pct),
                ),
            ),
            chart_target=kpi.SATISFACTION_TARGET,
        ),
        kpi.Kpi(
            "list_two_hours",
            "Complete referrals with a list within two hours",
            f"{kpi.DEFINITION_LIST_ELAPSED} {kpi.DEFINITION_LIST_OFFICE}",
            f"{kpi.LIST_TARGET:g}%",
            f"From the last completion: {share('last_elapsed')} in elapsed time, "
            f"{share('last_office')} in office hours. From the first completion: "
            f"{share('first_elapsed')} in elapsed time, "
            f"{share('first_office')} in office hours",
            met=None
            if hidden & {within_key, of_key}
            else kpi.target_met(elapsed_pct, kpi.LIST_TARGET),
            numerator=None if within_key in hidden else elapsed,
            denominator=None if of_key in hidden else denominator,
            chart_values=tuple(
                (name, two_hour_percent(measure)) for name, measure in TWO_HOUR_CHARTED
            ),
            chart_target=kpi.LIST_TARGET,
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
            chart_values=(("Returns on time (%)", _measured(kpi.percent(on_time, len(months)))),),
            chart_target=100.0,
        ),
        kpi.Kpi(
            "volume_trend",
            "Volume and trend data in place",
            "Monthly series of referrals by region, with charts and tables, for any span of "
            "months, and referrals by authority for each complete financial year (the trend "
            "page).",
            "In place by June 2016",
            "Available",
            met=True,
        ),
    ]


TWO_HOUR_CHARTED = (
    ("From the last completion (%)", "last_elapsed"),
    ("From the first completion (%)", "first_elapsed"),
)


def _measured(value: float | None) -> float:
    """A chart value: NaN when there is nothing to measure (no referrals, no returns due)."""
    return math.nan if value is None else round(value, 1)


def kpi_months_for(
    user: Any, last: ReturnMonth, count: int = 12
) -> list[tuple[ReturnMonth, list[kpi.Kpi]]]:
    """The KPIs month by month over the ``count`` months to ``last``, for the charts: one
    dashboard a month (a fixed number of queries), suppressed as the dashboard is."""
    require(user, "report.view_aggregates")
    suppress = return_is_suppressed_for(user)
    first = last
    for _ in range(count - 1):
        first = first.previous()
    received = received_by_month(first, last) if suppress else None
    return [
        (m, kpi_dashboard(m.first_day, m.last_day, suppress=suppress, received=received))
        for m in months_span(first, last)
    ]


def kpi_dashboard_for(user: Any, first: dt.date, last: dt.date) -> list[kpi.Kpi]:
    """The KPI dashboard for someone allowed to see aggregates."""
    require(user, "report.view_aggregates")
    return kpi_dashboard(first, last, suppress=return_is_suppressed_for(user))


def sign_ups_for(user: Any) -> tuple[list[Any], list[Any]] | None:
    """Who has signed up and who has not, for those who keep the list (the unit); else None."""
    if not user_can(user, "sign_up.view"):
        return None
    return sign_ups(), not_signed_up()


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
