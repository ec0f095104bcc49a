"""Reads about homes, their register and their beds, always scoped by the policy.

Lists are built in a constant number of queries, whatever the number of
homes: the register for a day is "each home's latest declaration on or
before that day", found with one correlated subquery.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Cos, Radians, Sin

from swc.core import clock
from swc.core.errors import NotPermitted
from swc.core.geography import KM_PER_MILE, distance_miles
from swc.core.vocabulary import HomeAccepts, NeedOrRisk, Sex
from swc.organisations.models import LocalAuthority, OrganisationKind
from swc.organisations.policy import ANY, principal_for, require, scopes_for, user_can

from .models import (
    HomeCommercialTerms,
    HomeProfile,
    RegisterDeclaration,
    SecureHome,
    Vacancy,
    VacancyStatus,
)
from .register import (
    ConfirmationAge,
    RegisterCounts,
    register_confirmation_age,
    working_day_is,
    working_days_between,
)

# --- homes ----------------------------------------------------------------------------


def home_for_manager(user: Any) -> SecureHome | None:
    """The home whose register this user keeps (None: they keep none)."""
    principal = principal_for(user)
    if principal.organisation_id is None or not user_can(user, "register.update"):
        return None
    home = (
        SecureHome.objects.select_related("profile")
        .filter(organisation_id=principal.organisation_id)
        .first()
    )
    if home is None or not user_can(user, "register.update", home):
        return None
    return home


def home_get_for(user: Any, pk: int) -> SecureHome:
    """One home, if the user may see it; ``NotPermitted`` (shown as 404) otherwise."""
    home = (
        SecureHome.objects.select_related("profile", "host_local_authority").filter(pk=pk).first()
    )
    if home is None:
        raise NotPermitted()
    require(user, "home.view", home)
    return home


def home_profile_of(home: SecureHome) -> HomeProfile | None:
    """The home's profile, or None when its managers have not written one yet."""
    try:
        return home.profile
    except HomeProfile.DoesNotExist:
        return None


# --- the price ------------------------------------------------------------------------


class PriceSharing(Protocol):
    """Something through which a price may be shared: an offer, later.

    It names the home it concerns, and answers whether an organisation may
    see that home's price through it (an offer to an LA's own referral).
    """

    home_id: int

    def policy_is_shared_with(self, organisation_id: int) -> bool: ...


@dataclass(frozen=True)
class _PriceAccess:
    """What the policy is asked about: a home's price, seen directly or through ``via``."""

    home: SecureHome
    via: PriceSharing | None

    @property
    def policy_owner_id(self) -> int:
        return self.home.organisation_id

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        if self.via is None or self.via.home_id != self.home.pk:
            return False
        return bool(self.via.policy_is_shared_with(organisation_id))


def home_price_for(
    user: Any, home: SecureHome, *, via: PriceSharing | None = None
) -> Decimal | None:
    """The home's weekly welfare price, or None if unknown or not for this user to see.

    The unit sees every price, a home its own, and (through ``via``, an offer
    made to the LA's own referral) a local authority the price of that offer.
    """
    if not user_can(user, "home.view_price", _PriceAccess(home, via)):
        return None
    terms = HomeCommercialTerms.objects.filter(home=home).first()
    return terms.weekly_price_welfare if terms else None


def prices_visible_for_every_home(user: Any) -> bool:
    """Whether lists may show every home's price: only the unit."""
    return ANY in scopes_for(user, "home.view_price")


# --- the register for a day -----------------------------------------------------------


def _latest_declaration_ids(homes: QuerySet[SecureHome], day: dt.date) -> dict[int, int]:
    latest = RegisterDeclaration.objects.filter(home=OuterRef("pk"), declared_on__lte=day).order_by(
        "-declared_on", "-declared_at", "-id"
    )
    rows = homes.annotate(latest_id=Subquery(latest.values("id")[:1])).values_list(
        "pk", "latest_id"
    )
    return {home_id: latest_id for home_id, latest_id in rows if latest_id is not None}


def declarations_on(day: dt.date, homes: QuerySet[SecureHome] | None = None) -> dict[int, Any]:
    """Each home's register on ``day``: {home id: its latest declaration on or before it}.

    Two queries, whatever the number of homes. Reporting uses this for
    occupancy and availability on any past day.
    """
    homes = homes if homes is not None else SecureHome.objects.all()
    ids = _latest_declaration_ids(homes, day)
    by_id = RegisterDeclaration.objects.in_bulk(list(ids.values()))
    return {home_id: by_id[decl_id] for home_id, decl_id in ids.items()}


COUNT_FIELDS = (
    "approved",
    "staffed",
    "youth_justice",
    "occupied_welfare",
    "occupied_youth_justice",
)


@dataclass(frozen=True)
class RegisterChanges:
    """The register over a span of days as what stood at its start and what changed after."""

    # {home id: its counts on the first day (its latest declaration on or before it)}
    first: dict[int, RegisterCounts]
    # (day, home id, counts) for each later declaration, in the order they were made
    later: list[tuple[dt.date, int, RegisterCounts]]


def register_changes(
    first: dt.date, last: dt.date, homes: QuerySet[SecureHome] | None = None
) -> RegisterChanges:
    """Each home's register on ``first`` and every declaration after it up to ``last``: three
    queries, reading only the numbers (no model objects: a month at 3,000 homes declaring
    daily is 50,000 declarations)."""
    homes = homes if homes is not None else SecureHome.objects.all()
    ids = _latest_declaration_ids(homes, first)
    standing = RegisterDeclaration.objects.filter(pk__in=list(ids.values())).values_list(
        "home_id", *COUNT_FIELDS
    )
    later = (
        RegisterDeclaration.objects.filter(
            home__in=homes, declared_on__gt=first, declared_on__lte=last
        )
        .order_by("declared_on", "declared_at", "id")
        .values_list("declared_on", "home_id", *COUNT_FIELDS)
    )
    return RegisterChanges(
        {home_id: RegisterCounts(*counts) for home_id, *counts in standing},
        [(day, home_id, RegisterCounts(*counts)) for day, home_id, *counts in later],
    )


def register_series(
    first: dt.date, last: dt.date, homes: QuerySet[SecureHome] | None = None
) -> dict[dt.date, dict[int, RegisterCounts]]:
    """Each home's register on every day from ``first`` to ``last``: three queries in all.

    For reporting (occupancy of welfare beds, free beds each day): a day
    without a new declaration carries the home's previous one forward.
    """
    changes = register_changes(first, last, homes)
    current = dict(changes.first)
    by_day: dict[dt.date, list[tuple[int, RegisterCounts]]] = defaultdict(list)
    for day, home_id, counts in changes.later:
        by_day[day].append((home_id, counts))
    series: dict[dt.date, dict[int, RegisterCounts]] = {}
    day = first
    while day <= last:
        for home_id, counts in by_day.get(day, []):
            current[home_id] = counts
        series[day] = dict(current)
        day += dt.timedelta(days=1)
    return series


@dataclass(frozen=True)
class RegisterDayRow:
    home: SecureHome
    declaration: RegisterDeclaration | None


def register_on_for(user: Any, day: dt.date) -> list[RegisterDayRow]:
    """Every home's places as declared on ``day`` (latest declaration on or before it)."""
    require(user, "vacancy_board.view")
    homes = SecureHome.objects.all()
    declarations = declarations_on(day, homes)
    return [RegisterDayRow(home, declarations.get(home.pk)) for home in homes]


def home_declarations_for(user: Any, home: SecureHome, *, limit: int = 20) -> list[Any]:
    """A home's most recent declarations, newest first (its own managers and the unit)."""
    if not (user_can(user, "register.update", home) or user_can(user, "home.edit", home)):
        require(user, "register.confirmations.view", home)
    return list(RegisterDeclaration.objects.filter(home=home)[:limit])


# --- daily declarations ---------------------------------------------------------------


@dataclass(frozen=True)
class UnconfirmedHome:
    home: SecureHome
    last_declared_on: dt.date | None
    last_declared_at: dt.datetime | None
    working_days_missed: int


def homes_unconfirmed_on(day: dt.date) -> list[UnconfirmedHome]:
    """Homes that have not confirmed their register on ``day``, and since when.

    Not scoped to a user: the notifications part calls it to publish
    ``REGISTER_NOT_CONFIRMED``. On a day that is not a working day nobody
    owes a confirmation, so the list is empty.
    """
    if not working_day_is(day):
        return []
    homes = SecureHome.objects.order_by("name")
    declarations = declarations_on(day, homes)
    unconfirmed = []
    for home in homes:
        latest = declarations.get(home.pk)
        if latest is not None and latest.declared_on == day:
            continue
        missed = (
            working_days_between(latest.declared_on + dt.timedelta(days=1), day)
            if latest is not None
            else None
        )
        unconfirmed.append(
            UnconfirmedHome(
                home=home,
                last_declared_on=latest.declared_on if latest else None,
                last_declared_at=latest.declared_at if latest else None,
                working_days_missed=missed if missed is not None else 0,
            )
        )
    # Longest silence first: a home that never declared, then the oldest declaration.
    unconfirmed.sort(key=lambda u: (u.last_declared_on is not None, u.last_declared_on))
    return unconfirmed


def register_confirmations_for(user: Any, day: dt.date | None = None) -> list[UnconfirmedHome]:
    """For the unit: homes not confirmed on ``day`` (today by default)."""
    require(user, "register.confirmations.view")
    return homes_unconfirmed_on(day or clock.today())


# --- the national vacancy board -------------------------------------------------------


BOARD_SORTS = {
    "name": "Home name",
    "distance": "Distance",
    "free_now": "Free welfare beds now",
    "soonest": "Soonest free bed",
    "confirmed": "Last confirmed",
}


@dataclass(frozen=True)
class BoardFilters:
    local_authority_id: int | None = None
    sex: str = ""
    age: int | None = None
    need: str = ""
    free_only: bool = False
    open_only: bool = False
    sort: str = "name"


class BoardBed(NamedTuple):
    """A free bed as the board shows it (read as numbers and text, not a model object)."""

    available_from: dt.date
    restriction: str
    restriction_sex: str


@dataclass
class BoardRow:
    home: SecureHome
    profile: HomeProfile | None
    last_confirmed_at: dt.datetime | None = None
    free_now: list[BoardBed] = field(default_factory=list)
    free_later: list[BoardBed] = field(default_factory=list)
    held: int = 0
    distance_miles: float | None = None  # whole miles, as the board shows it
    distance_km: float | None = None  # to a tenth, for the API's v1 field
    price: Decimal | None = None
    confirmation: ConfirmationAge | None = None

    @property
    def admissions_open(self) -> bool:
        return self.profile is None or self.profile.admissions_open

    @property
    def soonest(self) -> dt.date | None:
        beds = self.free_now or self.free_later
        return beds[0].available_from if beds else None

    @property
    def restrictions(self) -> list[str]:
        seen: list[str] = []
        for bed in [*self.free_now, *self.free_later]:
            text = bed.restriction or (
                f"{Sex(bed.restriction_sex).label.lower()} only" if bed.restriction_sex else ""
            )
            if text and text not in seen:
                seen.append(text)
        return seen


@dataclass
class VacancyBoard:
    """The board's rows (one page of them, or every row for the API) and its totals.

    The totals and ``count`` cover every home the filters leave, not only the page's.
    """

    rows: list[BoardRow]
    local_authority: LocalAuthority | None
    show_prices: bool
    today: dt.date
    filters: BoardFilters
    free_now_total: int = 0
    free_later_total: int = 0
    count: int = 0
    page: Page[Any] | None = None

    @property
    def out_of_date(self) -> list[BoardRow]:
        """Homes shown whose figures are older than the last working day: to be phoned, not trusted."""
        return [row for row in self.rows if row.confirmation and row.confirmation.out_of_date]


# The board shows this many homes a page (about 1 KB of page each).
BOARD_PAGE_SIZE = 50

# What the board reads of each home and its profile: not the notes, the need lists (JSON to
# decode) or the timestamps (a conversion each), which no row shows.
_BOARD_HOME_FIELDS = (
    "name",
    "town",
    "nation",
    "latitude",
    "longitude",
    "accepts",
    "age_min",
    "age_max",
    "profile__admissions",
    "profile__admissions_suspended_until",
)


def _beds_suiting(sex: str, prefix: str = "") -> Q:
    """Beds a child of ``sex`` could have (every bed when no sex is given): no restriction, or theirs."""
    if not sex:
        return Q()
    return Q(**{f"{prefix}restriction_sex": ""}) | Q(**{f"{prefix}restriction_sex": sex})


def _proximity(latitude: float, longitude: float) -> Any:
    """An expression that orders homes by great-circle distance from a point.

    The haversine term (sin² of half the latitude difference plus the cosine
    product), which grows with the distance itself: sorting by it in SQL sorts
    by miles without computing them for every home.
    """
    lat, lon = Radians(Value(latitude)), Radians(Value(longitude))
    half_lat = Sin((Radians("latitude") - lat) / 2)
    half_lon = Sin((Radians("longitude") - lon) / 2)
    return half_lat * half_lat + Cos(lat) * Cos(Radians("latitude")) * half_lon * half_lon


def _count_of(beds: QuerySet[Vacancy]) -> Any:
    """How many of a home's ``beds`` (a queryset tied to the outer home) there are, 0 for none."""
    counted = beds.order_by().values("home").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _board_order(sort: str, local_authority: LocalAuthority | None) -> list[Any]:
    if sort == "distance" and local_authority is not None:
        return ["proximity", "name", "pk"]
    if sort == "free_now":
        return ["-free_now_count", "-free_later_count", "name", "pk"]
    if sort == "soonest":
        return [F("soonest_free").asc(nulls_last=True), "name", "pk"]
    if sort == "confirmed":
        # Least recently confirmed first (never first of all): those are the figures to doubt.
        return [F("last_confirmed_at").asc(nulls_first=True), "name", "pk"]
    return ["name", "pk"]


def vacancy_board_for(
    user: Any, filters: BoardFilters | None = None, *, page: int | str | None = None
) -> VacancyBoard:
    """The national vacancy board: every home, its free welfare beds now and soon.

    Filtered, counted and sorted in the database; with ``page`` (the web
    page) only that page's homes are read in full, 50 a page; without it
    (the API) every home is. Prices only for the unit. A constant number of
    queries, whatever the number of homes. Distances are from
    ``filters.local_authority_id``, or from a referrer's own authority when
    none is chosen.
    """
    require(user, "vacancy_board.view")
    filters = filters or BoardFilters()
    today = clock.today()
    show_prices = prices_visible_for_every_home(user)

    principal = principal_for(user)
    local_authority: LocalAuthority | None = None
    if filters.local_authority_id is not None:
        local_authority = LocalAuthority.objects.filter(pk=filters.local_authority_id).first()
    elif (
        principal.organisation_kind == OrganisationKind.LOCAL_AUTHORITY
        and principal.organisation_id is not None
    ):
        # Only a local authority's own people have an authority to measure from.
        local_authority = (
            LocalAuthority.objects.filter(organisation_id=principal.organisation_id)
            .order_by("name")
            .first()
        )

    homes = SecureHome.objects.all()
    if filters.age is not None:
        homes = homes.filter(age_min__lte=filters.age, age_max__gte=filters.age)
    if filters.sex:
        homes = homes.filter(
            accepts__in=[
                value for value in HomeAccepts.values if HomeAccepts.allows(value, filters.sex)
            ]
        )
    if filters.need:
        # Profiles keep risks as a JSON list of codes; a code with its quotes matches
        # one whole element, on SQLite and PostgreSQL alike (codes have no quotes).
        homes = homes.exclude(profile__risks_not_managed__icontains=f'"{filters.need}"')
    if filters.open_only:
        homes = homes.filter(HomeProfile.admissions_open_filter(today))
    # The beds the board counts: free, and (with a sex given) open to that child. Each home's
    # are read through the index on (status, home, available_from, restriction_sex), never by
    # grouping every home with every bed: a page sorted by name touches only its own beds.
    free = Vacancy.objects.filter(status=VacancyStatus.FREE).filter(_beds_suiting(filters.sex))
    free_of_home = free.filter(home=OuterRef("pk"))
    # The totals count the free beds of the homes the filters leave; "only homes with a free
    # bed" leaves out none that has one, so they need not ask it again for every bed.
    counted = homes
    if filters.free_only:
        homes = homes.filter(Exists(free_of_home))

    ordered = homes
    if filters.sort == "free_now":
        ordered = ordered.annotate(
            free_now_count=_count_of(free_of_home.filter(available_from__lte=today)),
            free_later_count=_count_of(free_of_home.filter(available_from__gt=today)),
        )
    if filters.sort == "soonest":
        ordered = ordered.annotate(
            soonest_free=Subquery(
                free_of_home.order_by("available_from").values("available_from")[:1]
            )
        )
    if filters.sort == "confirmed":
        ordered = ordered.annotate(
            last_confirmed_at=Subquery(
                RegisterDeclaration.objects.filter(home=OuterRef("pk"), declared_on__lte=today)
                .order_by("-declared_on", "-declared_at", "-id")
                .values("declared_at")[:1]
            )
        )
    if filters.sort == "distance" and local_authority is not None:
        ordered = ordered.annotate(
            proximity=_proximity(local_authority.latitude, local_authority.longitude)
        )
    ordered = (
        ordered.select_related("profile")
        .only(*_BOARD_HOME_FIELDS)
        .order_by(*_board_order(filters.sort, local_authority))
    )
    shown_page: Page[Any] | None = None
    totals: dict[str, Any] = {}
    if page is not None:
        # The totals cover every home the filters leave: their free beds, counted once.
        # Every free bed belongs to some home: unless the homes are narrowed, no need to ask
        # which (the IN looks each home up: 2.5 ms against 0.7 ms at 12,000 beds).
        narrowed = filters.age is not None or filters.sex or filters.need or filters.open_only
        totals = (free.filter(home__in=counted) if narrowed else free).aggregate(
            now=Count("pk", filter=Q(available_from__lte=today)),
            later=Count("pk", filter=Q(available_from__gt=today)),
        )
        paginator = Paginator(ordered, BOARD_PAGE_SIZE)
        paginator.count = totals["n"] = homes.count()
        shown_page = paginator.get_page(page)
        home_list = list(shown_page.object_list)
    else:
        home_list = list(ordered)

    ids = [home.pk for home in home_list]
    confirmed = _confirmations_and_prices(ids, today, with_prices=show_prices)
    beds: dict[int, list[BoardBed]] = defaultdict(list)
    held: dict[int, int] = defaultdict(int)
    for home_id, status, available_from, restriction, restriction_sex in (
        Vacancy.objects.filter(home_id__in=ids)
        .filter(
            Q(status=VacancyStatus.HELD)
            | (Q(status=VacancyStatus.FREE) & _beds_suiting(filters.sex))
        )
        .order_by("available_from", "pk")
        .values_list("home_id", "status", "available_from", "restriction", "restriction_sex")
    ):
        if status == VacancyStatus.HELD:
            held[home_id] += 1
        else:
            beds[home_id].append(BoardBed(available_from, restriction, restriction_sex))
    rows = [
        BoardRow(
            home=home,
            profile=home_profile_of(home),
            last_confirmed_at=confirmed[home.pk][1],
            free_now=[b for b in beds[home.pk] if b.available_from <= today],
            free_later=[b for b in beds[home.pk] if b.available_from > today],
            held=held[home.pk] if show_prices else 0,
            price=confirmed[home.pk][2],
            confirmation=register_confirmation_age(confirmed[home.pk][0], today, home.nation),
        )
        for home in home_list
    ]
    if local_authority is not None:
        for row in rows:
            miles = distance_miles(
                local_authority.latitude,
                local_authority.longitude,
                row.home.latitude,
                row.home.longitude,
            )
            row.distance_miles, row.distance_km = round(miles), round(miles * KM_PER_MILE, 1)
    return VacancyBoard(
        rows,
        local_authority,
        show_prices,
        today,
        filters,
        # Every row is here without a page; with one, the totals were counted in SQL.
        free_now_total=totals.get("now") or sum(len(r.free_now) for r in rows),
        free_later_total=totals.get("later") or sum(len(r.free_later) for r in rows),
        count=totals.get("n", len(rows)),
        page=shown_page,
    )


def _confirmations_and_prices(
    home_ids: list[int], today: dt.date, *, with_prices: bool
) -> dict[int, tuple[dt.date | None, dt.datetime | None, Decimal | None]]:
    """{home id: (day, time, weekly price)}: each home's latest declaration up to today (None,
    None if it never declared) and, ``with_prices`` (only for those who may see every home's
    price), its price (None if it gave none).

    One query of three values a home (``declarations_on`` reads whole declarations in two).
    """
    latest = RegisterDeclaration.objects.filter(
        home=OuterRef("pk"), declared_on__lte=today
    ).order_by("-declared_on", "-declared_at", "-id")
    homes = SecureHome.objects.filter(pk__in=home_ids).annotate(
        on=Subquery(latest.values("declared_on")[:1]),
        at=Subquery(latest.values("declared_at")[:1]),
    )
    if with_prices:
        rows = homes.values_list("pk", "on", "at", "commercial_terms__weekly_price_welfare")
        return {pk: (on, at, price) for pk, on, at, price in rows}
    return {pk: (on, at, None) for pk, on, at in homes.values_list("pk", "on", "at")}


def _confirmation(
    home: SecureHome, declaration: RegisterDeclaration | None, today: dt.date
) -> ConfirmationAge:
    return register_confirmation_age(
        declaration.declared_on if declaration else None, today, home.nation
    )


def register_currency_for(user: Any, home_ids: list[int]) -> dict[int, ConfirmationAge]:
    """How current each home's register is today ({home id: age}), as the board says it.

    For the matching page, beside each ranked home. Three queries whatever the
    number of homes.
    """
    require(user, "vacancy_board.view")
    today = clock.today()
    homes = SecureHome.objects.filter(pk__in=home_ids)
    declarations = declarations_on(today, homes)
    return {home.pk: _confirmation(home, declarations.get(home.pk), today) for home in homes}


def need_label(code: str) -> str:
    """The words for a need or risk code (codes stored in profiles)."""
    try:
        return str(NeedOrRisk(code).label)
    except ValueError:
        return code


def home_open_vacancies_for(user: Any, home: SecureHome) -> list[Vacancy]:
    """A home's beds on offer or held, soonest first (its managers and the unit)."""
    if not user_can(user, "register.update", home):
        require(user, "register.confirmations.view", home)
    return list(
        Vacancy.objects.filter(
            home=home, status__in=[VacancyStatus.FREE, VacancyStatus.HELD]
        ).order_by("available_from", "pk")
    )
