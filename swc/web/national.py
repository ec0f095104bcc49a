"""A synthetic national data set, to measure the service at national scale (issue 19).

Homes (each its own organisation) with a profile, a price, free beds and a register
declared monthly over the years and daily for the last few weeks; referrals spread over
the years from the real local authorities (weighted by population), each with a story
told in the order the workflow allows (swc/referrals/workflow.py): submitted, sometimes
asked for more information, complete, a list provided, sent to homes (sometimes twice),
the homes' answers, then placed (offer accepted, admitted, later discharged), withdrawn
or closed without a placement. A story is cut at "now", so recent referrals are still
open at whatever step they had reached, and every status agrees with its stamps and its
timeline (ReferralEvent rows, which the reports count from).

Nothing here is a real child: names are common first names and surnames combined at
random, and every identifier starts "NAT-". The same seed and the same "now" give the
same rows. Rows go in through ``bulk_create`` in batches, one transaction per batch, so
3,000 homes and half a million referrals take minutes, not hours.

No match runs are stored: a national set of explanations would only measure the JSON of
whichever format matching keeps, and a match is timed by running one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from swc.core import clock
from swc.core.vocabulary import HomeAccepts, LegalStatus, NeedOrRisk, Sex
from swc.homes.models import (
    AdmissionsStatus,
    HomeCommercialTerms,
    HomeProfile,
    Nation,
    RegisterDeclaration,
    SecureHome,
    Vacancy,
)
from swc.homes.register import RegisterCounts, register_problems, working_day_is
from swc.matching.models import (
    DeclineReason,
    DischargeDestination,
    DischargeReason,
    HomeResponse,
    Offer,
    OfferStatus,
    Placement,
    ResponseKind,
)
from swc.organisations.models import LocalAuthority, Organisation, OrganisationKind
from swc.referrals.deadlines import list_clock_settled
from swc.referrals.demo import (
    AGE_WEIGHTS,
    CLOSURE_WEIGHTS,
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    LEGAL_WEIGHTS,
    NEED_DESCRIPTIONS,
    SURNAMES,
    WITHDRAWAL_WEIGHTS,
    date_of_birth_draw,
    needs_draw,
)
from swc.referrals.models import (
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralListClock,
    ReferralShare,
)
from swc.referrals.workflow import Status

PREFIX = "NAT-"
ACTOR_LABEL = "Synthetic national data"
QUESTION = "Synthetic question: is there a current health assessment?"
BEDS_PER_HOME = 4
DAILY_REGISTER_DAYS = 28
HOME_BATCH = 500
REFERRAL_BATCH = 5000
HOME_SUFFIXES = ("House", "Lodge", "Court", "Grange", "View", "Park", "Hall", "Place")
OPERATORS = (
    ("local authority", "{la} Council"),
    ("local authority", "{la} Council"),
    ("private", "Northfield Care Ltd"),
    ("private", "Keystone Secure Services"),
    ("voluntary", "Oak Tree Children's Trust"),
)

Progress = Callable[[str, int, int], None]


class AlreadyGenerated(Exception):
    """The database holds a national data set already: generate into a fresh one."""


class NoAuthorities(Exception):
    """No local authorities: run import_local_authorities first."""


@dataclass(frozen=True)
class NationalPlan:
    homes: int
    years: int
    referrals_per_year: int
    seed: int


@dataclass
class NationalCounts:
    homes: int = 0
    beds: int = 0
    declarations: int = 0
    referrals: int = 0
    events: int = 0
    shares: int = 0
    responses: int = 0
    offers: int = 0
    placements: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class _Weighted:
    """rng.choices with its cumulative weights worked out once, not on every draw."""

    def __init__(self, weights: dict[Any, int] | Sequence[tuple[Any, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> Any:
        x = rng.random() * self.cumulative[-1]
        return self.values[bisect.bisect_right(self.cumulative, x)]


AGES = _Weighted(AGE_WEIGHTS)
ETHNICITIES = _Weighted(ETHNICITY_WEIGHTS)
LEGAL = _Weighted(LEGAL_WEIGHTS)
WITHDRAWALS = _Weighted(WITHDRAWAL_WEIGHTS)
CLOSURES = _Weighted(CLOSURE_WEIGHTS)
DECLINES = (DeclineReason.NO_BED, DeclineReason.GROUP_MIX, DeclineReason.NEEDS)
DISCHARGE_REASONS = DischargeReason.values[:4]  # not "other": it needs a detail
DISCHARGE_DESTINATIONS = DischargeDestination.values
# How a referral ends (the published figures: about 3 in 5 placed).
FATES = _Weighted({Status.PLACED: 58, Status.WITHDRAWN: 29, Status.CLOSED_NOT_PLACED: 13})


def national_generate(plan: NationalPlan, progress: Progress | None = None) -> NationalCounts:
    """Write the whole data set; raise AlreadyGenerated or NoAuthorities before writing."""
    report = progress or (lambda stage, done, total: None)
    if Referral.objects.filter(la_child_identifier__startswith=PREFIX).exists() or (
        SecureHome.objects.filter(name__startswith=PREFIX).exists()
    ):
        raise AlreadyGenerated
    authorities = list(LocalAuthority.objects.order_by("dfe_la_code"))
    if not authorities:
        raise NoAuthorities
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A fresh database, made in one go: a sync per batch (the service's FULL) buys
            # nothing here, and a cache of 256 MB keeps the indexes in memory while they grow.
            if not connection.in_atomic_block:  # SQLite refuses it inside a transaction
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -262144")
    rng = random.Random(plan.seed)
    now = clock.now()
    counts = NationalCounts()
    homes = _homes_generate(rng, plan, authorities, now, counts, report)
    _referrals_generate(rng, plan, authorities, homes, now, counts, report)
    return counts


# --- homes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Home:
    pk: int
    organisation_id: int
    accepts: str


def _homes_generate(
    rng: random.Random,
    plan: NationalPlan,
    authorities: list[LocalAuthority],
    now: dt.datetime,
    counts: NationalCounts,
    report: Progress,
) -> list[_Home]:
    today = now.astimezone(clock.LONDON).date()
    start = today - dt.timedelta(days=round(plan.years * 365.25))
    made: list[_Home] = []
    report("homes", 0, plan.homes)
    for first in range(0, plan.homes, HOME_BATCH):
        numbers = range(first, min(first + HOME_BATCH, plan.homes))
        with transaction.atomic():
            drafts = [_home_draft(rng, n, authorities) for n in numbers]
            organisations = Organisation.objects.bulk_create(
                [Organisation(kind=OrganisationKind.SECURE_HOME, name=home.name) for home in drafts]
            )
            for home, organisation in zip(drafts, organisations, strict=True):
                home.organisation = organisation
            SecureHome.objects.bulk_create(drafts)
            HomeProfile.objects.bulk_create([_profile_draft(rng, home) for home in drafts])
            HomeCommercialTerms.objects.bulk_create(
                [
                    HomeCommercialTerms(
                        home=home,
                        weekly_price_welfare=Decimal(rng.randrange(6000, 9500, 50)),
                        note="Synthetic national price",
                    )
                    for home in drafts
                ]
            )
            beds: list[Vacancy] = []
            declarations: list[dict[str, Any]] = []
            for home in drafts:
                home_beds, home_days = _register_draft(rng, home, start, today, now)
                beds += home_beds
                declarations += home_days
            Vacancy.objects.bulk_create(beds, batch_size=2000)
            _Table(RegisterDeclaration).rows_insert(declarations)
        counts.homes += len(drafts)
        counts.beds += len(beds)
        counts.declarations += len(declarations)
        made += [_Home(h.pk, h.organisation_id, h.accepts) for h in drafts]
        report("homes", counts.homes, plan.homes)
    return made


def _home_draft(rng: random.Random, n: int, authorities: list[LocalAuthority]) -> SecureHome:
    host = authorities[rng.randrange(len(authorities))]
    operator_type, operator = OPERATORS[rng.randrange(len(OPERATORS))]
    age_min = rng.choice((10, 10, 11, 12))
    return SecureHome(
        name=f"{PREFIX}{host.name} {HOME_SUFFIXES[n % len(HOME_SUFFIXES)]} {n + 1:05d}",
        operator=operator.format(la=host.name),
        operator_type=operator_type,
        host_local_authority=host,
        nation=Nation.ENGLAND,
        town=host.name,
        # Within a few miles of the host authority's centre.
        latitude=round(host.latitude + rng.uniform(-0.08, 0.08), 5),
        longitude=round(host.longitude + rng.uniform(-0.12, 0.12), 5),
        approved_places=rng.choice((8, 10, 12, 12, 16, 24)),
        age_min=age_min,
        age_max=rng.choice((16, 17, 17, 17)),
        accepts=rng.choice(
            (HomeAccepts.BOYS_AND_GIRLS,) * 6 + (HomeAccepts.BOYS, HomeAccepts.GIRLS)
        ),
        public_notes="Synthetic national home",
    )


def _profile_draft(rng: random.Random, home: SecureHome) -> HomeProfile:
    codes = list(NeedOrRisk.values)
    support = rng.sample(codes, rng.randint(2, 5))
    not_managed = rng.sample([c for c in codes if c not in support], rng.choice((0, 0, 1, 2)))
    return HomeProfile(
        home=home,
        specialist_support=[c for c in codes if c in support],
        risks_not_managed=[c for c in codes if c in not_managed],
        admissions=AdmissionsStatus.SUSPENDED if rng.random() < 0.04 else AdmissionsStatus.OPEN,
        current_group_needs=sorted(rng.sample(codes, rng.randint(1, 3))),
        current_group_notes="Synthetic national group description",
        contact_name="Duty manager (synthetic)",
        contact_phone=f"01632 960{rng.randint(0, 999):03d}",
        contact_email="duty@national.example",
    )


def _register_draft(
    rng: random.Random, home: SecureHome, start: dt.date, today: dt.date, now: dt.datetime
) -> tuple[list[Vacancy], list[dict[str, Any]]]:
    """Four free beds, and a register that has room for them today.

    Monthly declarations over the years, then every working day for the last four
    weeks: the register for any day is the latest declaration on or before it.
    """
    approved = home.approved_places
    youth_justice = rng.randint(0, approved - 6)
    staffed = rng.randint(youth_justice + BEDS_PER_HOME + 1, approved)
    free_today = rng.randint(2, BEDS_PER_HOME)
    beds = [
        Vacancy(
            home=home,
            available_from=today if n < free_today else today + dt.timedelta(rng.randint(2, 14)),
            restriction_sex=(
                rng.choice((Sex.FEMALE, Sex.MALE))
                if home.accepts == HomeAccepts.BOYS_AND_GIRLS and rng.random() < 0.15
                else ""
            ),
            status_changed_at=now,
        )
        for n in range(BEDS_PER_HOME)
    ]
    days: list[dt.date] = []
    day = start
    recent = today - dt.timedelta(days=DAILY_REGISTER_DAYS)
    while day < recent:
        days.append(day)
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    days += [
        recent + dt.timedelta(days=d)
        for d in range(DAILY_REGISTER_DAYS + 1)
        if working_day_is(recent + dt.timedelta(days=d))
    ]
    welfare = staffed - youth_justice
    declarations = []
    for n, day in enumerate(days):
        last = n == len(days) - 1
        occupied_welfare = welfare - free_today if last else rng.randint(welfare // 2, welfare)
        counts = RegisterCounts(
            approved, staffed, youth_justice, occupied_welfare, rng.randint(0, youth_justice)
        )
        assert not register_problems(counts), (home.name, counts)
        at = dt.datetime.combine(day, dt.time(8, rng.randint(0, 59)), tzinfo=clock.LONDON)
        if at > now:
            continue
        declarations.append(
            {
                "home_id": home.pk,
                "declared_on": day,
                "declared_at": at,
                "approved": counts.approved,
                "staffed": counts.staffed,
                "youth_justice": counts.youth_justice,
                "occupied_welfare": counts.occupied_welfare,
                "occupied_youth_justice": counts.occupied_youth_justice,
                "note": "Synthetic national figures",
            }
        )
    return beds, declarations


# --- referrals -----------------------------------------------------------------------


@dataclass
class _Story:
    """One referral's life as planned, before it is cut at "now"."""

    created: dt.datetime
    # (at, from status, to status, reason)
    moves: list[tuple[dt.datetime, str, str, str]] = field(default_factory=list)
    # (at, home) for each home the referral is sent to
    shares: list[tuple[dt.datetime, _Home]] = field(default_factory=list)
    # (at, home, kind, decline reason)
    answers: list[tuple[dt.datetime, _Home, str, str]] = field(default_factory=list)
    placed_home: _Home | None = None
    stay_days: int = 0


def _story_tell(rng: random.Random, submitted: dt.datetime, homes: list[_Home]) -> _Story:
    """Every move a referral will make, each allowed by the workflow from the one before."""
    minutes = dt.timedelta(minutes=1)
    story = _Story(created=submitted - rng.randint(5, 60) * minutes)
    status: str = Status.DRAFT

    def move(at: dt.datetime, to: str, reason: str = "") -> dt.datetime:
        nonlocal status
        story.moves.append((at, status, to, reason))
        status = to
        return at

    at = move(submitted, Status.SUBMITTED)
    if rng.random() < 0.08:
        # The unit asks for more before it is complete; the authority answers.
        at = move(at + rng.randint(30, 300) * minutes, Status.INFORMATION_REQUESTED)
    at = move(at + rng.randint(5, 240) * minutes, Status.COMPLETE)
    if rng.random() < 0.04:
        at = move(at + rng.randint(20, 600) * minutes, Status.INFORMATION_REQUESTED)
        at = move(at + rng.randint(60, 2880) * minutes, Status.COMPLETE)
    fate = FATES.pick(rng)
    if fate != Status.PLACED and rng.random() < 0.2:
        # Ended before a list: an order refused, a different plan.
        return _story_end(rng, story, move, at + rng.randint(2, 48) * 60 * minutes, fate)
    # 85 % get a list within two hours, as the KPI hopes.
    delay = rng.randint(15, 119) if rng.random() < 0.85 else rng.randint(121, 900)
    at = move(at + delay * minutes, Status.SHORTLISTED)
    at += rng.randint(5, 60) * minutes
    sent = _shares_add(rng, story, homes, at, set())
    at = move(at, Status.WITH_HOMES)
    for home in sent:
        answered = at + rng.randint(20, 600) * minutes
        story.answers.append(_decline_or_question(rng, answered, home))
    if rng.random() < 0.12:
        # Every home declined: the unit finds a new list and sends it.
        at = move(at + rng.randint(6, 48) * 60 * minutes, Status.SHORTLISTED)
        at += rng.randint(10, 60) * minutes
        more = _shares_add(rng, story, homes, at, {h.pk for h in sent})
        at = move(at, Status.WITH_HOMES)
        for home in more:
            story.answers.append(
                _decline_or_question(rng, at + rng.randint(20, 600) * minutes, home)
            )
        sent = more or sent
    if fate != Status.PLACED:
        return _story_end(rng, story, move, at + rng.randint(6, 24 * 7) * 60 * minutes, fate)
    home = sent[0]
    accepted = at + rng.randint(2, 72) * 60 * minutes
    # The home that takes the child said yes before the authority accepted.
    story.answers = [a for a in story.answers if a[1] is not home]
    offered = min(at + rng.randint(20, 600) * minutes, accepted - 10 * minutes)
    story.answers.append((offered, home, ResponseKind.ACCEPT, ""))
    story.answers.sort(key=lambda a: a[0])
    story.placed_home = home
    story.stay_days = rng.randint(14, 180)
    at = move(accepted, Status.OFFER_ACCEPTED)
    move(at + rng.randint(1, 24) * 60 * minutes, Status.PLACED)
    return story


def _story_end(
    rng: random.Random, story: _Story, move: Callable[..., dt.datetime], at: dt.datetime, fate: str
) -> _Story:
    reason = WITHDRAWALS.pick(rng) if fate == Status.WITHDRAWN else CLOSURES.pick(rng)
    move(at, fate, reason)
    return story


def _shares_add(
    rng: random.Random, story: _Story, homes: list[_Home], at: dt.datetime, already: set[int]
) -> list[_Home]:
    chosen: list[_Home] = []
    for _ in range(rng.randint(1, 4)):
        home = homes[rng.randrange(len(homes))]
        if home.pk not in already:
            already.add(home.pk)
            chosen.append(home)
    story.shares += [(at, home) for home in chosen]
    return chosen


def _decline_or_question(
    rng: random.Random, at: dt.datetime, home: _Home
) -> tuple[dt.datetime, _Home, str, str]:
    if rng.random() < 0.2:
        return (at, home, ResponseKind.INFORMATION, "")
    return (at, home, ResponseKind.DECLINE, DECLINES[rng.randrange(len(DECLINES))])


@dataclass
class _Child:
    first: str
    last: str
    identifier: str
    born: dt.date
    sex: str


class _Table:
    """Rows straight into one table: bulk_create's per-value compiling costs more than the
    database does at half a million referrals. SQLite takes them through executemany;
    PostgreSQL through COPY, as executemany there is one round trip a row (88 s for one
    year of 50,000 referrals, against 20 s on SQLite).

    A row is a dict by attribute name (``referral_id``); a column it leaves out takes the
    field's default, as a model instance would. Dates, times and JSON go through the
    field's own conversion for this database, so the rows read back as the ORM wrote them.
    """

    def __init__(self, model: type[models.Model], *, with_ids: bool = False) -> None:
        self.fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        names = [f.attname for f in self.fields]
        # A row's values in column order, in C: itemgetter of one name gives the value alone.
        pick = operator.itemgetter(*names)
        self.line = pick if len(names) > 1 else (lambda row: (pick(row),))
        converters = [(i, _converter(f)) for i, f in enumerate(self.fields)]
        self.converted = [(i, convert) for i, convert in converters if convert is not None]
        quote = connection.ops.quote_name
        # Table and column names from the model's own metadata, values as parameters.
        table = quote(str(model._meta.db_table))
        columns = ", ".join(quote(str(f.column)) for f in self.fields)
        self.copy = connection.vendor == "postgresql"
        self.sql = (
            f"COPY {table} ({columns}) FROM STDIN"
            if self.copy
            else "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  # nosec B608
                table, columns, ", ".join(["%s"] * len(self.fields))
            )
        )

    def rows_insert(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        defaults, pick = self.defaults, self.line
        values: list[Sequence[Any]] = [pick({**defaults, **row}) for row in rows]
        if self.converted:
            # Column by column: a conversion is one call a value, not a loop over fields a row.
            columns: list[Sequence[Any]] = list(zip(*values, strict=True))
            for i, convert in self.converted:
                columns[i] = [None if v is None else convert(v) for v in columns[i]]
            values = list(zip(*columns, strict=True))
        with connection.cursor() as cursor:
            if self.copy:
                # The driver's own cursor: Django's wrapper has no COPY.
                with cursor.cursor.copy(self.sql) as copy:
                    for value in values:
                        copy.write_row(value)
                return
            for first in range(0, len(values), 2000):
                cursor.executemany(self.sql, values[first : first + 2000])


def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of this field goes to the database, or None when it goes as it is.

    The same as the field's get_db_prep_save, without its per-value checks: SQLite keeps
    a time as naive UTC text, a date as ISO text; PostgreSQL's driver takes both as they are.
    """
    sqlite = connection.vendor == "sqlite"
    if isinstance(f, models.DateTimeField):
        return _utc_text if sqlite else None
    if isinstance(f, models.DateField):
        return str if sqlite else None
    if isinstance(f, models.JSONField):
        return lambda value: f.get_db_prep_save(value, connection)
    if f.choices:
        # A TextChoices member as its value: PostgreSQL's driver would send an Enum's name.
        return str
    return None


def _utc_text(value: dt.datetime) -> str:
    """As Django's SQLite backend keeps a time: naive UTC, "2026-12-06 07:15:03.123456"."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return value.isoformat(" ")[:-6]  # without its "+00:00"


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(last=Max("pk"))["last"] or 0) + 1


def _referrals_generate(
    rng: random.Random,
    plan: NationalPlan,
    authorities: list[LocalAuthority],
    homes: list[_Home],
    now: dt.datetime,
    counts: NationalCounts,
    report: Progress,
) -> None:
    total = plan.years * plan.referrals_per_year
    span = dt.timedelta(days=round(plan.years * 365.25)).total_seconds()
    # In time order, so that ids follow submission and a re-referral follows the first.
    offsets = sorted(rng.random() * span for _ in range(total))
    start = now - dt.timedelta(seconds=span)
    picker = _Weighted([(la, max(la.population, 1)) for la in authorities])
    children: dict[int, list[_Child]] = {}
    writer = _BatchWriter(now)
    report("referrals", 0, total)
    for first in range(0, total, REFERRAL_BATCH):
        drafts = []
        for n, offset in enumerate(offsets[first : first + REFERRAL_BATCH], start=first):
            submitted = start + dt.timedelta(seconds=offset)
            la = picker.pick(rng)
            child = _child_pick(rng, la, n, submitted.date(), children)
            story = _story_tell(rng, submitted, homes)
            drafts.append((_referral_draft(rng, la, child, story, now), story))
        with transaction.atomic():
            writer.batch_write(rng, drafts, counts)
        report("referrals", counts.referrals, total)
    writer.sequences_reset()


def _child_pick(
    rng: random.Random, la: LocalAuthority, n: int, on: dt.date, children: dict[int, list[_Child]]
) -> _Child:
    earlier = children.setdefault(la.pk, [])
    if earlier and rng.random() < 0.15:
        # A re-referral: the same child, referred again by the same authority.
        child = earlier[rng.randrange(len(earlier))]
        if (on - child.born).days < 17 * 365:
            return child
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    child = _Child(
        first=rng.choice(FIRST_NAMES[sex]),
        last=rng.choice(SURNAMES),
        identifier=f"{PREFIX}{la.dfe_la_code}-{n:07d}",
        born=date_of_birth_draw(rng, AGES.pick(rng), on),
        sex=sex,
    )
    earlier.append(child)
    del earlier[:-20]  # the last few are enough to draw re-referrals from
    return child


def _referral_draft(
    rng: random.Random, la: LocalAuthority, child: _Child, story: _Story, now: dt.datetime
) -> dict[str, Any]:
    submitted = story.moves[0][0]
    legal = LEGAL.pick(rng)
    needs = needs_draw(rng, child.sex)
    referral: dict[str, Any] = {
        "local_authority_id": la.pk,
        "status": Status.DRAFT,
        "first_name": child.first,
        "last_name": child.last,
        "date_of_birth": child.born,
        "sex": child.sex,
        "ethnicity": ETHNICITIES.pick(rng),
        "first_language": "English" if rng.random() < 0.93 else "Arabic",
        "la_child_identifier": child.identifier,
        "unaccompanied_asylum_seeking": rng.random() < 0.03,
        "legal_status": legal,
        "hearing_date": (submitted + dt.timedelta(days=rng.randint(1, 6))).date()
        if legal == LegalStatus.S25_APPLICATION
        else None,
        "order_expires_on": (submitted + dt.timedelta(days=rng.randint(28, 90))).date()
        if legal == LegalStatus.S25_ORDER
        else None,
        "regulation_10_started_at": submitted - dt.timedelta(hours=rng.randint(1, 30))
        if legal == LegalStatus.REGULATION_10
        else None,
        "needs": needs,
        "need_descriptions": {need: rng.choice(NEED_DESCRIPTIONS[need]) for need in needs},
        "current_placement": rng.choice(
            ("Residential children's home", "Foster placement", "Family home", "Hospital")
        ),
        "home_area_region": la.region,
        "home_area": la.name,
        "bed_needed_at": submitted + dt.timedelta(hours=rng.randint(4, 96)),
        "social_worker_name": "Synthetic Social Worker",
        "social_worker_phone": "01632 960000",
        "social_worker_email": "social.worker@national.example",
        "manager_name": "Synthetic Team Manager",
        "created_at": story.created,
        "modified_at": story.created,
    }
    for at, _from, to, reason in story.moves:
        if at > now:
            break
        referral_stamp(referral, at, to, reason)
    return referral


def referral_stamp(referral: dict[str, Any], at: dt.datetime, to: str, reason: str = "") -> None:
    """Apply one move's stamps as referral_transition does (swc/referrals/services.py)."""
    referral["status"] = to
    referral["modified_at"] = at
    if to == Status.SUBMITTED:
        referral["submitted_at"] = at
    elif to == Status.COMPLETE:
        referral["completed_at"] = at
        referral["information_requested_at"] = None
        referral["last_update_at"] = at
        referral.setdefault("last_reviewed_at", at)
    elif to == Status.INFORMATION_REQUESTED:
        referral["information_requested_at"] = at
    elif to == Status.SHORTLISTED:
        referral.setdefault("list_provided_at", at)  # the KPI counts the first list only
    elif to == Status.OFFER_ACCEPTED:
        referral["offer_accepted_at"] = at
    elif to == Status.PLACED:
        referral["placed_at"] = referral["closed_at"] = at
    elif to in (Status.WITHDRAWN, Status.CLOSED_NOT_PLACED):
        referral["closed_at"] = at
        referral["outcome_reason"] = reason


class _BatchWriter:
    """Writes each batch of referrals with everything that hangs off them.

    Referrals, answers and offers get their ids here (after the highest already in the
    table), so later rows can point at them without reading them back.
    """

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.today = now.astimezone(clock.LONDON).date()
        self.models = (Referral, HomeResponse, Offer)
        self.ids: dict[type[models.Model], int] = {model: _next_id(model) for model in self.models}
        self.referrals = _Table(Referral, with_ids=True)
        self.responses = _Table(HomeResponse, with_ids=True)
        self.offers = _Table(Offer, with_ids=True)
        self.events = _Table(ReferralEvent)
        self.clocks = _Table(ReferralListClock, with_ids=True)
        self.shares = _Table(ReferralShare)
        self.placements = _Table(Placement)

    def _id(self, model: type[models.Model]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def batch_write(
        self,
        rng: random.Random,
        drafts: list[tuple[dict[str, Any], _Story]],
        counts: NationalCounts,
    ) -> None:
        now = self.now
        events: list[dict[str, Any]] = []
        clocks: list[dict[str, Any]] = []
        shares: list[dict[str, Any]] = []
        responses: list[dict[str, Any]] = []
        offers: list[dict[str, Any]] = []
        placements: list[dict[str, Any]] = []
        for referral, story in drafts:
            pk = referral["id"] = self._id(Referral)
            events.append(
                {
                    "referral_id": pk,
                    "at": story.created,
                    "actor_label": ACTOR_LABEL,
                    "kind": ReferralEventKind.CREATED,
                    "to_status": Status.DRAFT,
                }
            )
            for at, frm, to, reason in story.moves:
                if at > now:
                    break
                events.append(
                    {
                        "referral_id": pk,
                        "at": at,
                        "actor_label": ACTOR_LABEL,
                        "kind": ReferralEventKind.STATUS,
                        "from_status": frm,
                        "to_status": to,
                        "reason": reason,
                    }
                )
            # The two-hour clock the services keep beside the timeline (referral_transition).
            clock_fields = list_clock_settled(
                [(at, to) for at, _, to, _ in story.moves if at <= now]
            )
            if clock_fields is not None:
                clocks.append({"referral_id": pk, **clock_fields})
            shares += [
                {"referral_id": pk, "home_organisation_id": home.organisation_id, "shared_at": at}
                for at, home in story.shares
                if at <= now
            ]
            closed_at = referral.get("closed_at")
            for at, home, kind, reason in story.answers:
                if at > now or (closed_at is not None and at > closed_at):
                    continue
                response = {
                    "id": self._id(HomeResponse),
                    "referral_id": pk,
                    "home_id": home.pk,
                    "kind": kind,
                    "decline_reason": reason,
                    "detail": QUESTION if kind == ResponseKind.INFORMATION else "",
                    "by_phone": rng.random() < 0.3,
                    "recorded_at": at,
                }
                if kind == ResponseKind.ACCEPT:
                    response["available_from"] = at.astimezone(clock.LONDON).date()
                    self._offer_draft(rng, referral, story, response, offers, placements)
                responses.append(response)
            status = referral["status"]
            counts.by_status[status] = counts.by_status.get(status, 0) + 1
        self.referrals.rows_insert([r for r, _ in drafts])
        self.events.rows_insert(events)
        self.clocks.rows_insert(clocks)
        self.shares.rows_insert(shares)
        self.responses.rows_insert(responses)
        self.offers.rows_insert(offers)
        self.placements.rows_insert(placements)
        counts.referrals += len(drafts)
        counts.events += len(events)
        counts.shares += len(shares)
        counts.responses += len(responses)
        counts.offers += len(offers)
        counts.placements += len(placements)

    def _offer_draft(
        self,
        rng: random.Random,
        referral: dict[str, Any],
        story: _Story,
        response: dict[str, Any],
        offers: list[dict[str, Any]],
        placements: list[dict[str, Any]],
    ) -> None:
        """The offer behind a home's yes; accepted and placed as far as the story has got."""
        accepted_at = referral.get("offer_accepted_at")
        offer_id = self._id(Offer)
        offers.append(
            {
                "id": offer_id,
                "referral_id": referral["id"],
                "home_id": response["home_id"],
                "response_id": response["id"],
                "available_from": response["available_from"],
                "status": OfferStatus.ACCEPTED if accepted_at else OfferStatus.OPEN,
                "status_changed_at": accepted_at,
                "created_at": response["recorded_at"],
                "modified_at": accepted_at or response["recorded_at"],
            }
        )
        placed_at = referral.get("placed_at")
        if placed_at is None:
            return
        admitted = placed_at.astimezone(clock.LONDON).date()
        left = admitted + dt.timedelta(days=story.stay_days)
        ended = left < self.today
        placements.append(
            {
                "referral_id": referral["id"],
                "offer_id": offer_id,
                "home_id": response["home_id"],
                "admitted_on": admitted,
                "admitted_at": placed_at,
                "discharged_on": left if ended else None,
                "discharged_at": dt.datetime.combine(left, dt.time(11), tzinfo=clock.LONDON)
                if ended
                else None,
                "discharge_reason": rng.choice(DISCHARGE_REASONS) if ended else "",
                "discharge_destination": rng.choice(DISCHARGE_DESTINATIONS) if ended else "",
                "created_at": placed_at,
                "modified_at": placed_at,
            }
        )

    def sequences_reset(self) -> None:
        """Ids were given here, not by the database: move PostgreSQL's sequences past them."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
