"""What is published for a month, and for a financial year: the tables, and how their
cells add up.

Pure functions, no ORM. ``publication_for`` turns a month's raw figures (what
``selectors.monthly_return_figures`` computes and a sign-off freezes) into a
``suppression.Publication``: every count with a key, and every sum a reader of
the tables could form. ``tables_for`` prints the tables from it, with the cells
that ``suppression.publication_suppress`` chose hidden as ``[c]``. The trend
builds each month's received referrals with ``received_publication``, the same
cells and sums, so it hides exactly what the month's return hides.

Monthly figures go down to regions and England, never to authorities: with a few
dozen referrals a month over some 150 authorities, most authorities' months are 1,
and an authority table hid nearly every region and at times England. Authority
figures are published for complete financial years only (``authority_years_table``,
April to March, never a year to date or a rolling year, whose differences would give
the months back), decided together with the year's monthly regions, which are out
already and stay as they were printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .suppression import (
    NOT_APPLICABLE,
    SUPPRESSED,
    UNAVAILABLE,
    Key,
    Publication,
    SuppressedTable,
    count_display,
    count_is_disclosive,
    publication_exposed,
    publication_suppress,
)

RECEIVED: Key = ("received",)
CLOSED: Key = ("closed",)
DECLINES: Key = ("declines",)
NATIONAL, REGIONAL, INNER = 2, 1, 0


@dataclass(frozen=True)
class CountTable:
    key: str
    title: str
    dimension: str
    definition: str
    # The cell that is the table's total (shared between linked tables), or None
    # where a total would mean nothing (rows overlap, or add unlike things).
    total: Key | None


COUNT_TABLES: tuple[CountTable, ...] = (
    CountTable(
        "referrals_by_region",
        "Referrals received by region",
        "Region of the referring authority",
        "Referrals submitted to the unit in the month (the time submitted, London time), by "
        "the region of the referring authority. All nine regions are listed, zeros included.",
        RECEIVED,
    ),
    CountTable(
        "referrals_by_age_band",
        "Referrals received by age at referral",
        "Age at referral",
        "As above, by the child's age in whole years on the day the referral was submitted.",
        RECEIVED,
    ),
    CountTable(
        "referrals_by_sex", "Referrals received by sex", "Sex", "As above, by sex.", RECEIVED
    ),
    CountTable(
        "referrals_by_ethnicity",
        "Referrals received by ethnicity",
        "Ethnicity (SSDA903 code)",
        "As above, by the child's ethnicity in the DfE's SSDA903 categories.",
        RECEIVED,
    ),
    CountTable(
        "referrals_by_legal_status",
        "Referrals received by legal position",
        "Legal position",
        "As above, by the legal position stated on the referral.",
        RECEIVED,
    ),
    CountTable(
        "referrals_by_uasc",
        "Referrals received by asylum status",
        "Unaccompanied asylum-seeking child",
        "As above, by whether the child is an unaccompanied asylum-seeking child.",
        RECEIVED,
    ),
    CountTable(
        "referrals_by_disability",
        "Referrals received by disability",
        "Disability",
        "As above, by whether the referral names disability among the child's needs.",
        RECEIVED,
    ),
    CountTable(
        "referrals_by_need",
        "Needs and risks on referrals received",
        "Need or risk",
        "Referrals received that name each need or risk. A referral can name several, so "
        "there is no total.",
        None,
    ),
    CountTable(
        "outcomes",
        "Outcomes of referrals closed in the month",
        "Outcome",
        "Referrals that reached an outcome in the month (the time closed): placed, withdrawn, "
        "or closed without a placement. Drafts withdrawn before submission are not referrals.",
        CLOSED,
    ),
    CountTable(
        "withdrawal_reasons",
        "Reasons referrals were withdrawn",
        "Reason",
        "Referrals withdrawn in the month, by reason. The total is the outcomes table's "
        "'Withdrawn'.",
        ("outcomes", "Withdrawn"),
    ),
    CountTable(
        "closure_destinations",
        "Where children went when closed without a placement",
        "Destination",
        "Referrals closed without a secure placement in the month, by the child's "
        "destination. The total is the outcomes table's 'Closed without placement'.",
        ("outcomes", "Closed without placement"),
    ),
    CountTable(
        "declines_by_reason",
        "Homes' declines by reason",
        "Reason",
        "Declines recorded from homes in the month; answers recorded after the referral's "
        "outcome are left out.",
        DECLINES,
    ),
    CountTable(
        "placements_flow",
        "Admissions and discharges",
        "Movement",
        "Children admitted to a secure children's home through the unit (by admission "
        "date), and discharged (by discharge date). Admissions and discharges are not added "
        "up: their sum means nothing.",
        None,
    ),
)
COUNT_TABLE_KEYS = tuple(t.key for t in COUNT_TABLES)
RECEIVED_TABLE_KEYS = (
    *tuple(t.key for t in COUNT_TABLES if t.total == RECEIVED),
    "referrals_by_need",
)
# Counts that are also charted on the HTML page.
CHARTED = ("referrals_by_region", "referrals_by_age_band", "outcomes", "declines_by_reason")

# key, title, definition, the cell that counts its values (None: its own count)
MEASURES: tuple[tuple[str, str, str, Key | None], ...] = (
    (
        "completion_to_list_hours",
        "Hours from completion to list",
        "Referrals whose list of potential placements was provided in the month: elapsed "
        "hours from the referral's last completion to the list.",
        None,
    ),
    (
        "completion_to_placement_days",
        "Days from completion to placement",
        "Referrals placed in the month: elapsed days from completion to placement.",
        None,
    ),
    (
        "length_of_stay_days",
        "Length of stay (days)",
        "Children discharged in the month: days from admission to discharge.",
        ("placements_flow", "Discharges"),
    ),
    (
        "distance_miles",
        "Distance from home area (miles)",
        "Children admitted in the month: straight-line distance from the referring "
        "authority to the home, in miles.",
        ("placements_flow", "Admissions"),
    ),
)

TWO_HOUR_MEASURES: tuple[tuple[str, str], ...] = (
    ("last_elapsed", "From the last completion, elapsed time (the KPI)"),
    ("last_office", "From the last completion, office hours"),
    ("first_elapsed", "From the first completion, elapsed time"),
    ("first_office", "From the first completion, office hours"),
)
CHILDREN: tuple[tuple[str, str], ...] = (
    ("distinct_children", "Children referred (distinct children)"),
    ("re_referrals_12_months", "Referrals of a child referred in the previous 12 months"),
)


# The same count printed in two tables is one cell, so it is hidden in both or neither.
ALIASES: dict[Key, Key] = {
    ("referrals_by_disability", "Disability named"): ("referrals_by_need", "Disability"),
}


def _cell(table: str, label: str) -> Key:
    return ALIASES.get((table, label), (table, label))


def received_publication(publication: Publication, counts: dict[str, dict[str, int]]) -> None:
    """Add a month's referrals received to ``publication``: every breakdown, and the
    national total they share (the month's authority counts are not published)."""
    total = sum(counts["referrals_by_region"].values())
    publication.add(RECEIVED, total, level=NATIONAL)
    for table in COUNT_TABLES:
        if table.key not in RECEIVED_TABLE_KEYS or table.key not in counts:
            continue
        level = REGIONAL if table.key == "referrals_by_region" else INNER
        keys = [
            publication.add(_cell(table.key, label), value, level=level)
            for label, value in counts[table.key].items()
        ]
        if table.total is not None:
            publication.add_sum(table.total, keys)


def received_hidden(counts: dict[str, Any]) -> frozenset[Key]:
    """The cells of a month's referrals received (``received_by_month``'s month) that the
    month's return hides: the same cells and sums, decided together, so the trend and the
    KPIs hide what the return hides."""
    publication = Publication()
    received_publication(publication, counts)
    return publication_suppress(publication)


def referrals_hidden(received: dict[str, dict[str, Any]]) -> bool:
    """Is a count of referrals received over a period hidden? ``received`` holds each month
    the period overlaps. It is, when any of those months' return hides its national total:
    printed, the period's count (or its difference from a period that leaves the month out)
    would give that total away. A count of 1 to 5 is hidden as any other."""
    return any(RECEIVED in received_hidden(counts) for counts in received.values())


def _measure_count(figures: dict[str, Any], key: str) -> Key:
    """The cell that counts a measure's values: a table's cell when it counts the same
    children (placements' admissions and discharges, the referrals placed), else its own."""
    counted_by = next(m[3] for m in MEASURES if m[0] == key)
    if counted_by is not None:
        return counted_by
    placed = figures["counts"].get("outcomes", {}).get("Placed")
    if key == "completion_to_placement_days" and placed == figures["measures"][key]["n"]:
        return ("outcomes", "Placed")
    return ("measure", key)


def two_hours_publication(publication: Publication, counts: dict[str, Any]) -> None:
    """Add the list-within-two-hours KPI: for each measure, the referrals within two hours
    and the referrals counted. The misses (the difference) are not protected: they say how
    fast the unit was, nothing about a child; a KPI of 1 to 5 referrals is hidden whole."""
    for key, _label in TWO_HOUR_MEASURES:
        if key not in counts:
            continue
        within, of = counts[key]
        publication.add(("two_hours", key, "within"), within)
        publication.add(("two_hours", key, "of"), of, level=REGIONAL)
        if count_is_disclosive(of):
            # A share of 1 to 5 children: the hits would tell, whatever they are.
            publication.add(("two_hours", key, "missed"), of - within, implied=True)
            publication.add_sum(
                ("two_hours", key, "of"),
                [("two_hours", key, "within"), ("two_hours", key, "missed")],
            )


def publication_for(figures: dict[str, Any]) -> Publication:
    """Every count the month's return publishes, and the sums that link them."""
    publication = Publication()
    counts = figures["counts"]
    received_publication(publication, counts)
    for key, total, level in (
        ("outcomes", CLOSED, NATIONAL),
        ("declines_by_reason", DECLINES, NATIONAL),
    ):
        publication.add(total, sum(counts[key].values()), level=level)
    for table in COUNT_TABLES:
        if table.key in RECEIVED_TABLE_KEYS or table.key not in counts:
            continue
        level = REGIONAL if table.key == "outcomes" else INNER
        keys = [
            publication.add(_cell(table.key, label), value, level=level)
            for label, value in counts[table.key].items()
        ]
        if table.total is not None:
            publication.add_sum(table.total, keys)
    for key, _title, _definition, _counted_by in MEASURES:
        n = figures["measures"][key]["n"]
        publication.add(_measure_count(figures, key), n)
    for key, _label in CHILDREN:
        if key in figures.get("children", {}):
            publication.add(("children", key), figures["children"][key])
    if ("children", "distinct_children") in publication.cells:
        # Referrals lie between the distinct children and the children plus re-referrals:
        # beside a hidden national total, the children would give it away.
        publication.add_follower(("children", "distinct_children"), RECEIVED)
    two_hours_publication(publication, figures.get("list_two_hours", {}))
    waiting = figures["waiting"]
    days = [publication.add(("waiting", day), n) for day, n in waiting["per_day"].items()]
    # The average is printed, so the month's child-days are known.
    publication.add(("waiting", "child_days"), sum(waiting["per_day"].values()), level=REGIONAL)
    publication.add_sum(("waiting", "child_days"), days)
    publication.add(("waiting", "maximum"), waiting["maximum"])
    return publication


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


@dataclass(frozen=True)
class PublishedReturn:
    """The month's return as printed: every value a number as text or a symbol."""

    tables: list[ReturnTable]
    measures: list[MeasureRow]
    daily: list[tuple[str, str]]
    two_hours: list[tuple[str, str, str, str]]  # label, within, of, percentage
    children: list[tuple[str, str]]
    waiting_per_day: list[tuple[str, str]]


def return_published(figures: dict[str, Any], *, suppress: bool) -> PublishedReturn:
    """The return's tables, with disclosure control for anyone outside the unit and every
    export: the one place that decides what each printed cell says."""
    publication = publication_for(figures)
    hidden = publication_suppress(publication) if suppress else frozenset()

    def shown(key: Key) -> str:
        return count_display(publication.cells[key], key in hidden)

    counts = figures["counts"]
    tables = []
    for table in COUNT_TABLES:
        if table.key not in counts:
            tables.append(
                ReturnTable(
                    table.key, table.title, table.dimension, table.definition, (), UNAVAILABLE
                )
            )
            continue
        rows = tuple((label, shown(_cell(table.key, label))) for label in counts[table.key])
        total = "" if table.total is None else shown(table.total)
        tables.append(
            ReturnTable(table.key, table.title, table.dimension, table.definition, rows, total)
        )
    measures = []
    for key, title, definition, _counted_by in MEASURES:
        summary = figures["measures"][key]
        n_key = _measure_count(figures, key)
        if n_key in hidden:
            # A median of one to five values could describe one child.
            values = (SUPPRESSED, SUPPRESSED, SUPPRESSED)
        else:
            values = (
                str(summary["n"]),
                NOT_APPLICABLE if summary["median"] is None else f"{summary['median']:g}",
                NOT_APPLICABLE if summary["p90"] is None else f"{summary['p90']:g}",
            )
        measures.append(MeasureRow(key, title, definition, *values))
    waiting, occupancy = figures["waiting"], figures["occupancy"]

    def bed_figure(key: str) -> str:
        # Versions signed off before a figure existed show it as not available.
        if key not in occupancy:
            return UNAVAILABLE
        value = occupancy[key]
        return NOT_APPLICABLE if value is None else f"{value:g}"

    daily = [
        (
            "Children waiting at the end of a day: average",
            SUPPRESSED if ("waiting", "child_days") in hidden else f"{waiting['average']:g}",
        ),
        ("Children waiting at the end of a day: maximum", shown(("waiting", "maximum"))),
    ]
    for area, prefix in (("England", "england_"), ("England and Wales", "")):
        daily += [
            (f"Homes that declared their register, {area}", bed_figure(f"{prefix}homes_declared")),
            (f"Homes, {area}", bed_figure(f"{prefix}homes")),
            (
                f"Days with no free welfare bed in the homes that declared, {area}",
                str(waiting["days_no_free_welfare_bed"])
                if not prefix
                else bed_figure("england_days_no_free_welfare_bed"),
            ),
            (
                f"Welfare beds occupied: average a day, {area}",
                bed_figure(f"{prefix}average_occupied_welfare"),
            ),
            (
                f"Welfare beds staffed: average a day, {area}",
                bed_figure(f"{prefix}average_staffed_welfare"),
            ),
            (f"Occupancy of welfare beds (%), {area}", bed_figure(f"{prefix}occupancy_percent")),
        ]
    two_hours = []
    for key, label in TWO_HOUR_MEASURES:
        if key not in figures.get("list_two_hours", {}):
            two_hours.append((label, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE))
            continue
        within, of = figures["list_two_hours"][key]
        within_shown = shown(("two_hours", key, "within"))
        of_shown = shown(("two_hours", key, "of"))
        if SUPPRESSED in (within_shown, of_shown):
            pct_shown = SUPPRESSED
        elif of == 0:
            pct_shown = NOT_APPLICABLE
        else:
            pct_shown = f"{100 * within / of:.1f}"
        two_hours.append((label, within_shown, of_shown, pct_shown))
    children = [
        (
            label,
            shown(("children", key)) if key in figures.get("children", {}) else UNAVAILABLE,
        )
        for key, label in CHILDREN
    ]
    per_day = [(day, shown(("waiting", day))) for day in waiting["per_day"]]
    return PublishedReturn(tables, measures, daily, two_hours, children, per_day)


def tables_for(
    figures: dict[str, Any], *, suppress: bool
) -> tuple[list[ReturnTable], list[MeasureRow]]:
    """The return's count tables and measures (see ``return_published``)."""
    published = return_published(figures, suppress=suppress)
    return published.tables, published.measures


def trend_table(received: dict[str, dict[str, Any]], *, suppress: bool) -> SuppressedTable:
    """The trend as a published table: rows are regions, columns months.

    ``received`` is each month's referrals received by every breakdown. Each month's
    cells are suppressed as the month's return suppresses them (the same cells and sums,
    decided together), so the trend and the return never print a cell the other hides.
    A row's total over the months, and the grand total, are printed only when every cell
    they add up is printed, so they tell a reader nothing the months do not. There is no
    trend by authority month by month: authorities are published by financial year
    (``authority_years_table``).
    """
    months = list(received)
    table = "referrals_by_region"
    hidden: dict[str, frozenset[Key]] = {}
    totals: dict[str, int] = {}
    for month in months:
        counts = received[month]
        hidden[month] = received_hidden(counts) if suppress else frozenset()
        totals[month] = sum(counts["referrals_by_region"].values())
    names = sorted({n for m in months for n, v in received[m][table].items() if v})
    cells: list[tuple[str, ...]] = []
    row_totals: list[str] = []
    for name in names:
        row = tuple(
            count_display(received[m][table].get(name, 0), _cell(table, name) in hidden[m])
            for m in months
        )
        cells.append(row)
        total = sum(received[m][table].get(name, 0) for m in months)
        row_totals.append(SUPPRESSED if SUPPRESSED in row else str(total))
    column_totals = tuple(count_display(totals[m], RECEIVED in hidden[m]) for m in months)
    return SuppressedTable(
        row_labels=tuple(names),
        column_labels=tuple(months),
        cells=tuple(cells),
        row_totals=tuple(row_totals),
        column_totals=column_totals,
        grand_total=SUPPRESSED if SUPPRESSED in column_totals else str(sum(totals.values())),
    )


# --- authorities: complete financial years only ---------------------------------------

AUTHORITY_YEARS_TITLE = "Referrals received by authority, each financial year"
AUTHORITY_YEARS_DEFINITION = (
    "Referrals submitted to the unit in the financial year (1 April to 31 March, London "
    "time), by the referring authority, under the region of the authority. Only complete "
    "financial years are published: a month has too few referrals for an authority's count "
    "to be shown without hiding its region and, at times, England. Each region is the sum "
    "of its authorities and of the region's 12 monthly figures in the monthly returns; "
    "authorities with no referral in the years shown are omitted."
)


def financial_year(month: str) -> int:
    """The financial year a month (``YYYY-MM``) falls in, by the year it starts: April 2025
    to March 2026 is 2025."""
    year, number = int(month[:4]), int(month[5:7])
    return year if number >= 4 else year - 1


def financial_year_months(year: int) -> list[str]:
    """The twelve months (``YYYY-MM``) of a financial year, April to March."""
    return [f"{year + (m < 4):04d}-{m:02d}" for m in (*range(4, 13), 1, 2, 3)]


def financial_year_label(year: int) -> str:
    return f"April {year} to March {year + 1}"


@dataclass(frozen=True)
class AuthorityYearRow:
    """A row of a year's table: a region (its total), an authority in it, or England."""

    kind: str  # "region", "authority" or "england"
    name: str
    value: str


@dataclass(frozen=True)
class AuthorityYear:
    """A complete financial year's referrals by authority, as published. ``withheld`` are
    the regions whose authorities are not listed: a region with too few referrals for as
    many authorities (say 9 referrals from 9 authorities) would give each away, whatever
    is hidden, as its total is known from the months."""

    year: int
    rows: tuple[AuthorityYearRow, ...]
    withheld: tuple[str, ...]

    @property
    def label(self) -> str:
        return financial_year_label(self.year)


def year_publication(
    received: dict[str, dict[str, Any]],
    year: int,
    *,
    suppress: bool,
    withheld: frozenset[str] = frozenset(),
) -> tuple[Publication, frozenset[Key]]:
    """A financial year's authority table with the year's 12 monthly returns it is linked to.

    The monthly returns are out before the year ends: their cells keep the fate their
    month gave them (``Publication.include``). The year's cells are then decided: each
    authority's year, each region's year (the sum of its authorities, and of the region's
    12 monthly figures), England's year (the sum of the regions, and of the 12 monthly
    totals). The regions of ``withheld`` get no authority cells. Returns the publication
    and the cells hidden (none without ``suppress``).
    """
    publication = Publication()
    months = financial_year_months(year)
    for month in months:
        month_publication = Publication()
        received_publication(month_publication, received[month])
        hidden = publication_suppress(month_publication) if suppress else frozenset()
        publication.include(month_publication, (month,), hidden)
    england = publication.add(
        ("year", "England"),
        sum(sum(received[m]["referrals_by_region"].values()) for m in months),
        level=NATIONAL,
    )
    publication.add_sum(england, [(m, *RECEIVED) for m in months])
    authorities: dict[str, int] = {}
    regions_of: dict[str, str] = {}
    for month in months:
        for name, value in received[month]["referrals_by_authority"].items():
            authorities[name] = authorities.get(name, 0) + value
        regions_of.update(received[month]["authority_regions"])
    region_keys = []
    for region in received[months[0]]["referrals_by_region"]:
        value = sum(received[m]["referrals_by_region"][region] for m in months)
        key = publication.add(("year", "region", region), value, level=REGIONAL)
        region_keys.append(key)
        publication.add_sum(key, [(m, "referrals_by_region", region) for m in months])
        if region in withheld:
            continue
        parts = [
            publication.add(("year", "authority", name), n)
            for name, n in sorted(authorities.items())
            if regions_of[name] == region and n
        ]
        if parts:
            publication.add_sum(key, parts)
    publication.add_sum(england, region_keys)
    return publication, publication_suppress(publication) if suppress else frozenset()


def authority_year_decide(
    received: dict[str, dict[str, Any]], year: int, *, suppress: bool
) -> tuple[Publication, frozenset[Key], frozenset[str]]:
    """Decide a year's authority table: ``year_publication``, then, while the audit finds
    an authority a reader could still pin between 1 and 5 (its region's total is known
    from the months, so hiding cannot always help), the region's authorities withheld."""
    withheld: frozenset[str] = frozenset()
    while True:
        publication, hidden = year_publication(received, year, suppress=suppress, withheld=withheld)
        if not suppress:
            return publication, hidden, withheld
        exposed = [
            k for k in publication_exposed(publication, hidden) if k[:2] == ("year", "authority")
        ]
        if not exposed:
            return publication, hidden, withheld
        regions_of: dict[str, str] = {}
        for month in financial_year_months(year):
            regions_of.update(received[month]["authority_regions"])
        withheld = withheld | {regions_of[k[2]] for k in exposed}


def authority_years_table(
    received: dict[str, dict[str, Any]], years: list[int], *, suppress: bool
) -> list[AuthorityYear]:
    """Referrals received by authority in each of ``years`` (complete financial years),
    under their regions, with England: a table a year. ``received`` holds every month of
    those years (``received_by_month``). Each year is decided with its monthly returns
    (``authority_year_decide``); years do not overlap."""
    out = []
    for year in years:
        publication, hidden, withheld = authority_year_decide(received, year, suppress=suppress)

        def shown(
            key: Key, publication: Publication = publication, hidden: frozenset = hidden
        ) -> str:
            return count_display(publication.cells[key], key in hidden)

        months = financial_year_months(year)
        regions_of: dict[str, str] = {}
        for month in months:
            regions_of.update(received[month]["authority_regions"])
        rows = []
        for region in received[months[0]]["referrals_by_region"]:
            rows.append(AuthorityYearRow("region", region, shown(("year", "region", region))))
            for name in sorted(n for n, r in regions_of.items() if r == region):
                if ("year", "authority", name) in publication.cells:
                    rows.append(
                        AuthorityYearRow("authority", name, shown(("year", "authority", name)))
                    )
        rows.append(AuthorityYearRow("england", "England", shown(("year", "England"))))
        out.append(AuthorityYear(year, tuple(rows), tuple(sorted(withheld))))
    return out


# Words for the parts of a frozen figure's path (``counts/referrals_by_region/London``)
# that are the code's names, so a person reading what changed between versions sees
# "Referrals received by region: London", never the key.
FIGURE_PARTS: dict[str, str] = {
    **{t.key: t.title for t in COUNT_TABLES},
    # Frozen in versions signed off when the return still had it.
    "referrals_by_authority": "Referrals received by authority",
    **{key: title for key, title, _definition, _counted in MEASURES},
    **dict(TWO_HOUR_MEASURES),
    **dict(CHILDREN),
    "list_two_hours": "Lists within two hours",
    "waiting": "Children waiting",
    "occupancy": "Welfare beds",
    "authority_regions": "Region of each referring authority",
    "per_day": "on each day",
    "child_days": "child-days waiting",
    "n": "number of values",
    "median": "median",
    "p90": "90th percentile",
    "within": "within two hours",
    "of": "referrals counted",
}
FIGURE_SECTIONS = {"counts", "measures", "children"}


def figure_describe(path: str) -> str:
    """A frozen figure's path in words: known parts by their titles, others spelled out."""
    parts = [p for p in path.split("/") if p not in FIGURE_SECTIONS] or path.split("/")
    words = [FIGURE_PARTS.get(p, p.replace("_", " ")) for p in parts]
    return ": ".join([words[0][:1].upper() + words[0][1:], *words[1:]])
