"""Changes to secure homes: the reference import, profiles, the register and its beds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.calendar import LONDON, is_working_day
from swc.core.csv_import import (
    Column,
    ImportRejected,
    ImportReport,
    RowProblem,
    csv_rows_read,
    fields_apply,
    parse_choice,
    parse_float,
    parse_int,
)
from swc.core.errors import ConflictError, ServiceError
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.core.phones import phone_normalise
from swc.core.transactions import entry_point
from swc.core.vocabulary import HomeAccepts, NeedOrRisk, Sex
from swc.organisations.models import LocalAuthority, Organisation, OrganisationKind
from swc.organisations.policy import require

from .models import (
    AdmissionsStatus,
    HomeCommercialTerms,
    HomeProfile,
    Nation,
    RegisterDeclaration,
    SecureHome,
    Vacancy,
    VacancyStatus,
)
from .register import (
    RegisterCounts,
    register_problems,
    restriction_problem,
    restriction_text_sex,
    vacancy_count_problem,
    vacancy_date_problem,
)

SECURE_HOME_COLUMNS = [
    Column("name"),
    Column("operator"),
    Column("operator_type", parse_choice(["local authority", "voluntary"], "an operator type")),
    Column("host_la_dfe_code", parse_int(100, 999), required=False),
    Column("nation", parse_choice(Nation.values, "a nation")),
    Column("town"),
    # Great Britain's bounds, as homes in Wales are listed too.
    Column("latitude", parse_float(49.8, 60.9)),
    Column("longitude", parse_float(-8.2, 1.8)),
    Column("approved_places", parse_int(0, 500)),
    Column("age_min", parse_int(10, 17)),
    Column("age_max", parse_int(10, 17)),
    Column("accepts", parse_choice(HomeAccepts.values, "who the home accepts")),
    Column("notes", required=False),
]


def secure_homes_import(path: Path | str) -> ImportReport:
    """Create or update secure children's homes, each its own organisation.

    Rows are matched on the home's name. A row naming an unknown host local
    authority, an England home without one, or an age range the wrong way
    round rejects the whole file; nothing is written.
    """
    rows = csv_rows_read(path, SECURE_HOME_COLUMNS, unique=("name",))
    authorities = {la.dfe_la_code: la for la in LocalAuthority.objects.all()}
    problems: list[RowProblem] = []
    prepared: list[dict] = []
    for line, row in rows:
        code = row.pop("host_la_dfe_code")
        host = None
        if code is not None:
            host = authorities.get(f"{code:03d}")
            if host is None:
                problems.append(
                    RowProblem(
                        line,
                        f"host_la_dfe_code {code} is not a known local authority "
                        "(import local authorities first)",
                    )
                )
        elif row["nation"] == Nation.ENGLAND:
            problems.append(RowProblem(line, "a home in England needs a host_la_dfe_code"))
        if (
            row["age_min"] is not None
            and row["age_max"] is not None
            and row["age_min"] > row["age_max"]
        ):
            problems.append(RowProblem(line, "age_min is above age_max"))
        row["public_notes"] = row.pop("notes") or ""
        row["host_local_authority"] = host
        prepared.append(row)
    if problems:
        raise ImportRejected(problems)

    report = ImportReport()
    with transaction.atomic():
        existing = {home.name: home for home in SecureHome.objects.all()}
        for row in prepared:
            home = existing.get(row["name"])
            if home is None:
                organisation, _ = Organisation.objects.get_or_create(
                    kind=OrganisationKind.SECURE_HOME, name=row["name"]
                )
                SecureHome.objects.create(organisation=organisation, **row)
                report.created += 1
            elif fields_apply(home, row):
                home.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report


# --- the home profile and its price -----------------------------------------------


def _codes_check(codes: list[str], field: str) -> list[str]:
    unknown = [code for code in codes if code not in NeedOrRisk.values]
    if unknown:
        raise ServiceError(f"{', '.join(unknown)} is not a known need or risk", field=field)
    # Keep the vocabulary's order, so the same choice always reads the same.
    return [code for code in NeedOrRisk.values if code in codes]


@entry_point
def home_profile_update(
    *,
    home: SecureHome,
    by: Any,
    specialist_support: list[str],
    risks_not_managed: list[str],
    admissions: str,
    admissions_suspended_reason: str = "",
    admissions_suspended_until: dt.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    current_group_needs: list[str] | None = None,
    current_group_notes: str = "",
    weekly_price_welfare: Decimal | None = None,
) -> HomeProfile:
    """Replace a home's profile: what it can support, what it cannot manage, admissions, contacts.

    Only that home's managers (or the unit manager) may; a suspension needs a
    reason and an until-date that is not in the past. A price, when given,
    is set in the same transaction (see ``home_price_set``).
    """
    require(by, "home.edit", home)
    specialist_support = _codes_check(specialist_support, "specialist_support")
    risks_not_managed = _codes_check(risks_not_managed, "risks_not_managed")
    current_group_needs = _codes_check(current_group_needs or [], "current_group_needs")
    both = [code for code in specialist_support if code in risks_not_managed]
    if both:
        raise ServiceError(
            f"{NeedOrRisk(both[0]).label} cannot be both a specialism and a risk the home "
            "cannot manage",
            field="risks_not_managed",
        )
    if admissions not in AdmissionsStatus.values:
        raise ServiceError("Select whether admissions are open or suspended", field="admissions")
    if admissions == AdmissionsStatus.SUSPENDED:
        if not admissions_suspended_reason.strip():
            raise ServiceError(
                "Enter why admissions are suspended", field="admissions_suspended_reason"
            )
        if admissions_suspended_until is not None and admissions_suspended_until < clock.today():
            raise ServiceError(
                "The date admissions are suspended until must be today or in the future",
                field="admissions_suspended_until",
            )
    else:
        admissions_suspended_reason, admissions_suspended_until = "", None
    try:
        contact_phone = phone_normalise(contact_phone)
    except DjangoValidationError as error:
        raise ServiceError(error.messages[0], field="contact_phone") from None
    profile, created = HomeProfile.objects.get_or_create(home=home, defaults={"created_by": by})
    profile.specialist_support = specialist_support
    profile.risks_not_managed = risks_not_managed
    profile.admissions = admissions
    profile.admissions_suspended_reason = admissions_suspended_reason.strip()
    profile.admissions_suspended_until = admissions_suspended_until
    profile.contact_name = contact_name.strip()
    profile.contact_phone = contact_phone
    profile.contact_email = contact_email.strip()
    profile.current_group_needs = current_group_needs
    profile.current_group_notes = current_group_notes.strip()
    profile.modified_by = by if getattr(by, "is_authenticated", False) else None
    profile.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        obj=profile,
        detail={"home_id": home.pk, "admissions": admissions},
    )
    if weekly_price_welfare is not None:
        home_price_set(home=home, by=by, weekly_price_welfare=weekly_price_welfare)
    return profile


@transaction.atomic
def home_price_set(*, home: SecureHome, by: Any, weekly_price_welfare: Decimal) -> None:
    """Set a home's weekly price for a welfare placement (commercially confidential)."""
    require(by, "home.edit", home)
    require(by, "home.view_price", home)
    if weekly_price_welfare < 0:
        raise ServiceError("The weekly price must be £0 or more", field="weekly_price_welfare")
    HomeCommercialTerms.objects.update_or_create(
        home=home, defaults={"weekly_price_welfare": weekly_price_welfare}
    )
    # The price itself never goes into the audit trail: only that it changed.
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        object_type="homes.homecommercialterms",
        object_id=home.pk,
        detail={"field": "weekly_price_welfare"},
    )


# --- the register ------------------------------------------------------------------


def _home_lock(home: SecureHome) -> None:
    # PostgreSQL: serialise register changes per home. SQLite: IMMEDIATE
    # transactions already serialise every writer.
    SecureHome.objects.select_for_update().filter(pk=home.pk).first()


def _open_vacancy_counts(home: SecureHome, today: dt.date) -> tuple[int, int]:
    open_beds = Vacancy.objects.filter(
        home=home, status__in=[VacancyStatus.FREE, VacancyStatus.HELD]
    )
    now = open_beds.filter(available_from__lte=today).count()
    later = open_beds.filter(available_from__gt=today).count()
    return now, later


def _latest_declaration(home: SecureHome, day: dt.date) -> RegisterDeclaration | None:
    return RegisterDeclaration.objects.filter(home=home, declared_on__lte=day).first()


@entry_point
def register_declare(
    *, home: SecureHome, by: Any, counts: RegisterCounts, note: str = ""
) -> RegisterDeclaration:
    """Record a home's places for today: a new dated row, the earlier ones kept.

    Refused, with nothing written, when the numbers cannot all be true (more
    occupied than staffed, more staffed than approved...), when the beds the
    home offers no longer fit, or when ``by`` is not that home's manager.
    """
    require(by, "register.update", home)
    problems = register_problems(counts)
    if problems:
        raise ServiceError(problems[0].message, field=problems[0].field)
    _home_lock(home)
    today = clock.today()
    open_now, open_later = _open_vacancy_counts(home, today)
    if vacancy_count_problem(counts, open_now=open_now, open_later=open_later):
        raise ServiceError(
            f"You are offering {open_now + open_later} "
            f"{'bed' if open_now + open_later == 1 else 'beds'} on the national board "
            f"({open_now} from today), more than these figures leave free "
            f"({counts.welfare_free} today, {counts.welfare_staffed} staffed welfare places): "
            "withdraw beds first",
            field="staffed",
        )
    declaration = RegisterDeclaration.objects.create(
        home=home,
        declared_on=today,
        declared_at=clock.now(),
        declared_by=by,
        approved=counts.approved,
        staffed=counts.staffed,
        youth_justice=counts.youth_justice,
        occupied_welfare=counts.occupied_welfare,
        occupied_youth_justice=counts.occupied_youth_justice,
        note=note.strip()[:500],
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=declaration, detail={"home_id": home.pk})
    return declaration


@entry_point
def register_confirm(*, home: SecureHome, by: Any) -> RegisterDeclaration:
    """Confirm today that the home's register is unchanged (the daily declaration).

    Adds a copy of the latest declaration dated today; confirming twice in a
    day adds nothing.
    """
    require(by, "register.update", home)
    _home_lock(home)
    today = clock.today()
    latest = _latest_declaration(home, today)
    if latest is None:
        raise ServiceError("Enter your home's places before confirming them", field="approved")
    if latest.declared_on == today:
        return latest
    declaration = RegisterDeclaration.objects.create(
        home=home,
        declared_on=today,
        declared_at=clock.now(),
        declared_by=by,
        approved=latest.approved,
        staffed=latest.staffed,
        youth_justice=latest.youth_justice,
        occupied_welfare=latest.occupied_welfare,
        occupied_youth_justice=latest.occupied_youth_justice,
        unchanged=True,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=declaration,
        detail={"home_id": home.pk, "unchanged": True},
    )
    return declaration


# --- vacancies -----------------------------------------------------------------------


@entry_point
def vacancy_add(
    *,
    home: SecureHome,
    by: Any,
    available_from: dt.date,
    restriction: str = "",
    restriction_sex: str = "",
) -> Vacancy:
    """Offer one welfare bed, free from ``available_from``, with any restriction.

    Refused when the date is past, the restriction contradicts the home's
    registration, or the home's declared places leave no room for another bed.
    """
    require(by, "register.update", home)
    today = clock.today()
    problem = vacancy_date_problem(available_from, today)
    if problem:
        raise ServiceError(problem, field="available_from")
    if restriction_sex not in ("", *Sex.values):
        raise ServiceError("Select who the bed is for", field="restriction_sex")
    problem = restriction_problem(home.accepts, restriction_sex, restriction)
    if problem:
        raise ServiceError(problem, field="restriction_sex")
    # "Girls only for now" is a sex restriction matching can read, even unticked.
    restriction_sex = restriction_sex or restriction_text_sex(restriction)
    _home_lock(home)
    latest = _latest_declaration(home, today)
    if latest is None:
        raise ServiceError("Enter your home's places before offering a bed", field="available_from")
    open_now, open_later = _open_vacancy_counts(home, today)
    if available_from <= today:
        open_now += 1
    else:
        open_later += 1
    problem = vacancy_count_problem(latest.counts, open_now=open_now, open_later=open_later)
    if problem:
        raise ServiceError(problem, field="available_from")
    vacancy = Vacancy.objects.create(
        home=home,
        available_from=available_from,
        restriction=restriction.strip(),
        restriction_sex=restriction_sex,
        created_by=by,
        modified_by=by,
    )
    audit_record(actor=by, action=AuditAction.CREATE, obj=vacancy, detail={"home_id": home.pk})
    return vacancy


def _vacancy_transition(
    vacancy: Vacancy,
    by: Any,
    allowed: models.Q,
    *,
    refused: str,
    **changes: Any,
) -> Vacancy:
    # The guard: one conditional UPDATE. Two requests for the same bed at the
    # same instant both run it; the database lets exactly one match the row.
    changes["status_changed_at"] = clock.now()
    changes["modified_at"] = changes["status_changed_at"]
    if getattr(by, "is_authenticated", False):
        changes["modified_by"] = by
    try:
        with transaction.atomic():
            changed = Vacancy.objects.filter(allowed, pk=vacancy.pk).update(**changes)
    except IntegrityError:
        raise ConflictError(
            "This referral already has a bed held for it: release that bed first"
        ) from None
    if changed != 1:
        raise ConflictError(refused)
    vacancy.refresh_from_db()
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=vacancy,
        detail={
            "home_id": vacancy.home_id,
            "status": vacancy.status,
            "referral_id": vacancy.referral_id,
        },
    )
    return vacancy


@entry_point
def vacancy_hold(*, vacancy: Vacancy, referral_id: int, by: Any) -> Vacancy:
    """Hold a free bed for a referral. Exactly one of any number of racing holds succeeds.

    Raises ``ConflictError`` when the bed is no longer free (held, filled or
    withdrawn by someone else first) or the referral already holds a bed.
    """
    require(by, "bed.hold", vacancy)
    return vacancy_hold_for_offer(vacancy=vacancy, referral_id=referral_id, by=by)


def vacancy_hold_for_offer(*, vacancy: Vacancy, referral_id: int, by: Any) -> Vacancy:
    """The hold as a step of accepting an offer, whose own rule the caller has checked.

    An authority may hold the bed it was offered although it may not hold beds
    at large; ``by`` is the person accepting, so the bed's audit names them.
    Only matching's services call this, inside their transaction.
    """
    return _vacancy_transition(
        vacancy,
        by,
        models.Q(status=VacancyStatus.FREE),
        refused="This bed is no longer free: someone else has just held or filled it",
        status=VacancyStatus.HELD,
        referral_id=referral_id,
    )


@entry_point
def vacancy_fill(*, vacancy: Vacancy, referral_id: int, by: Any) -> Vacancy:
    """Fill a bed with a placement: a free bed, or one held for this same referral."""
    require(by, "bed.hold", vacancy)
    return vacancy_fill_for_admission(vacancy=vacancy, referral_id=referral_id, by=by)


def vacancy_fill_for_admission(*, vacancy: Vacancy, referral_id: int, by: Any) -> Vacancy:
    """The fill as a step of recording an admission (the caller checked ``placement.admit``)."""
    return _vacancy_transition(
        vacancy,
        by,
        models.Q(status=VacancyStatus.FREE)
        | models.Q(status=VacancyStatus.HELD, referral_id=referral_id),
        refused="This bed cannot be filled: it is held for another referral, filled or withdrawn",
        status=VacancyStatus.FILLED,
        referral_id=referral_id,
    )


@entry_point
def vacancy_release(*, vacancy: Vacancy, by: Any) -> Vacancy:
    """Release a held bed so it is free again (the offer was declined or withdrawn)."""
    require(by, "bed.hold", vacancy)
    return vacancy_release_for_offer(vacancy=vacancy, by=by)


def vacancy_release_for_offer(*, vacancy: Vacancy, by: Any) -> Vacancy:
    """The release as a step of an accepted offer falling through (the caller checked its rule)."""
    return _vacancy_transition(
        vacancy,
        by,
        models.Q(status=VacancyStatus.HELD),
        refused="This bed is not held, so it cannot be released",
        status=VacancyStatus.FREE,
        referral_id=None,
    )


@entry_point
def vacancy_withdraw(*, vacancy: Vacancy, by: Any) -> Vacancy:
    """The home takes a free bed off the register. A held bed must be released by the unit."""
    require(by, "register.update", vacancy)
    return _vacancy_transition(
        vacancy,
        by,
        models.Q(status=VacancyStatus.FREE),
        refused="This bed is held for a referral or already filled: phone the unit to release it",
        status=VacancyStatus.WITHDRAWN,
    )


# --- scheduled work (called every minute by swc.scheduling) ------------------------------

REGISTER_DEADLINE = dt.time(10, 0)
# The unit hears of a home still unconfirmed an hour after the home was reminded.
REGISTER_ESCALATION = dt.time(11, 0)


def homes_due_publish(now: dt.datetime) -> dict[str, int]:
    """After 10:00 on a working day, remind each home that has not confirmed; at 11:00, the unit.

    Each reminder's key names the home, the day and the stage, so a repeated tick
    publishes nothing twice. Returns how many of each were published.
    """
    from .selectors import homes_unconfirmed_on

    published: dict[str, int] = {}
    local = now.astimezone(LONDON)
    day = local.date()
    if not is_working_day(day) or local.time() < REGISTER_DEADLINE:
        return published
    stages = ["home"] + (["unit"] if local.time() >= REGISTER_ESCALATION else [])
    for unconfirmed in homes_unconfirmed_on(day):
        organisation_id = unconfirmed.home.organisation_id
        for stage in stages:
            with transaction.atomic():
                event_publish(
                    DomainEvent(
                        kind=EventKind.REGISTER_NOT_CONFIRMED,
                        key=f"register:{organisation_id}:{day.isoformat()}:{stage}",
                        occurred_at=now,
                        home_organisation_ids=(organisation_id,),
                        detail={"stage": stage, "day": day.isoformat()},
                    )
                )
            kind = f"{EventKind.REGISTER_NOT_CONFIRMED}.{stage}"
            published[kind] = published.get(kind, 0) + 1
    return published
