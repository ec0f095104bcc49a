"""Register, profile, price and bed services: the rules, the refusals, and nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from swc.audit.models import AuditEvent
from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.homes.models import (
    HomeCommercialTerms,
    HomeProfile,
    RegisterDeclaration,
    Vacancy,
    VacancyStatus,
)
from swc.homes.register import RegisterCounts
from swc.homes.services import (
    home_price_set,
    home_profile_update,
    register_confirm,
    register_declare,
    vacancy_add,
    vacancy_fill,
    vacancy_hold,
    vacancy_hold_for_offer,
    vacancy_release,
    vacancy_withdraw,
)
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tuesday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-03-10 09:30Z", tick=False):
        yield


TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def home():  # type: ignore[no-untyped-def]
    return SecureHomeFactory(name="Synthetic Lodge", approved_places=12, accepts="boys")


@pytest.fixture
def manager(home):  # type: ignore[no-untyped-def]
    return user_with_role(Role.HOME_MANAGER, home.organisation)


def test_a_declaration_is_a_new_dated_row_and_earlier_ones_are_kept(home, manager) -> None:
    declaration_make(home, on=dt.date(2026, 3, 9), staffed=10, occupied_welfare=4)
    declared = register_declare(
        home=home,
        by=manager,
        counts=RegisterCounts(12, 11, 4, 5, 3),
        note="one room being redecorated",
    )
    assert declared.declared_on == TODAY
    assert (declared.staffed, declared.youth_justice, declared.occupied_welfare) == (11, 4, 5)
    assert declared.counts.welfare_free == 2
    assert RegisterDeclaration.objects.filter(home=home).count() == 2
    assert AuditEvent.objects.filter(object_type="homes.registerdeclaration").count() == 1


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (RegisterCounts(12, 8, 0, 9, 0), "Occupied places (9) cannot be more than staffed places"),
        (RegisterCounts(12, 13, 0, 0, 0), "Staffed places (13) cannot be more than approved"),
        (RegisterCounts(12, 6, 7, 0, 0), "Places contracted to youth justice (7) cannot be"),
    ],
)
def test_impossible_numbers_are_refused_and_nothing_is_written(
    home, manager, counts: RegisterCounts, message: str
) -> None:
    with pytest.raises(ServiceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        register_declare(home=home, by=manager, counts=counts)
    assert not RegisterDeclaration.objects.exists()
    assert not AuditEvent.objects.filter(object_type="homes.registerdeclaration").exists()


@pytest.mark.parametrize("role", [Role.HOME_MANAGER, Role.COORDINATOR, Role.REFERRER])
def test_only_that_homes_manager_may_declare(home, role: Role) -> None:
    other = (
        user_with_role(role)
        if role != Role.HOME_MANAGER
        else user_with_role(role, SecureHomeFactory(name="Another Home").organisation)
    )
    with pytest.raises(NotPermitted):
        register_declare(home=home, by=other, counts=RegisterCounts(12, 12, 0, 0, 0))
    assert not RegisterDeclaration.objects.exists()


def test_fewer_free_places_than_beds_on_offer_is_refused(home, manager) -> None:
    declaration_make(home, on=TODAY, staffed=12, occupied_welfare=9)
    vacancy_make(home)
    vacancy_make(home)
    with pytest.raises(ServiceError) as refused:
        register_declare(home=home, by=manager, counts=RegisterCounts(12, 12, 0, 11, 0))
    assert refused.value.message == (
        "You are offering 2 beds on the national board (2 from today), more than these "
        "figures leave free (1 today, 12 staffed welfare places): withdraw beds first"
    )
    assert RegisterDeclaration.objects.count() == 1


def test_confirming_copies_the_latest_figures_once_a_day(home, manager) -> None:
    declaration_make(home, on=dt.date(2026, 3, 6), staffed=10, youth_justice=2)
    confirmed = register_confirm(home=home, by=manager)
    assert (confirmed.declared_on, confirmed.staffed, confirmed.youth_justice) == (TODAY, 10, 2)
    assert confirmed.unchanged
    assert register_confirm(home=home, by=manager) == confirmed
    assert RegisterDeclaration.objects.count() == 2


def test_confirming_with_nothing_declared_is_refused(home, manager) -> None:
    with pytest.raises(ServiceError, match="Enter your home's places before confirming"):
        register_confirm(home=home, by=manager)


def test_a_bed_is_offered_with_its_restriction(home, manager) -> None:
    declaration_make(home, on=TODAY, staffed=12, occupied_welfare=10)
    bed = vacancy_add(
        home=home,
        by=manager,
        available_from=TODAY,
        restriction="boys only for now, because of the current group",
        restriction_sex="male",
    )
    assert bed.status == VacancyStatus.FREE
    assert bed.restriction_sex == "male"


@pytest.mark.parametrize(
    ("available_from", "sex", "message"),
    [
        (dt.date(2026, 3, 9), "", "must be today or in the future"),
        (TODAY, "female", "registered for boys only, so a bed cannot be for girls only"),
        (TODAY, "other", "Select who the bed is for"),
    ],
    ids=["past", "contradicts-registration", "unknown-sex"],
)
def test_bad_vacancies_are_refused_and_nothing_is_written(
    home, manager, available_from: dt.date, sex: str, message: str
) -> None:
    declaration_make(home, on=TODAY, staffed=12)
    with pytest.raises(ServiceError, match=message):
        vacancy_add(home=home, by=manager, available_from=available_from, restriction_sex=sex)
    assert not Vacancy.objects.exists()


def test_no_more_beds_today_than_free_welfare_places(home, manager) -> None:
    declaration_make(home, on=TODAY, staffed=12, youth_justice=4, occupied_welfare=7)
    vacancy_add(home=home, by=manager, available_from=TODAY)
    with pytest.raises(ServiceError, match="1 free welfare place today"):
        vacancy_add(home=home, by=manager, available_from=TODAY)
    # A bed free next week may be one occupied today.
    vacancy_add(home=home, by=manager, available_from=dt.date(2026, 3, 17))
    assert Vacancy.objects.count() == 2


def test_another_homes_manager_cannot_offer_or_withdraw_a_bed(home) -> None:
    declaration_make(home, on=TODAY)
    bed = vacancy_make(home)
    stranger = user_with_role(Role.HOME_MANAGER, SecureHomeFactory(name="Elsewhere").organisation)
    with pytest.raises(NotPermitted):
        vacancy_add(home=home, by=stranger, available_from=TODAY)
    with pytest.raises(NotPermitted):
        vacancy_withdraw(vacancy=bed, by=stranger)
    bed.refresh_from_db()
    assert bed.status == VacancyStatus.FREE
    assert Vacancy.objects.count() == 1


def test_hold_fill_release_and_withdraw_follow_the_bed_lifecycle(home, manager) -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    bed = vacancy_make(home)
    vacancy_hold(vacancy=bed, referral_id=41, by=coordinator)
    assert (bed.status, bed.referral_id) == (VacancyStatus.HELD, 41)
    with pytest.raises(ConflictError, match="no longer free"):
        vacancy_hold(vacancy=bed, referral_id=42, by=coordinator)
    with pytest.raises(ConflictError, match="held for another referral"):
        vacancy_fill(vacancy=bed, referral_id=42, by=coordinator)
    with pytest.raises(ConflictError, match="phone the unit"):
        vacancy_withdraw(vacancy=bed, by=manager)
    vacancy_release(vacancy=bed, by=coordinator)
    assert (bed.status, bed.referral_id) == (VacancyStatus.FREE, None)
    vacancy_hold(vacancy=bed, referral_id=42, by=coordinator)
    vacancy_fill(vacancy=bed, referral_id=42, by=coordinator)
    assert (bed.status, bed.referral_id) == (VacancyStatus.FILLED, 42)
    with pytest.raises(ConflictError):
        vacancy_release(vacancy=bed, by=coordinator)
    with pytest.raises(ConflictError):
        vacancy_fill(vacancy=bed, referral_id=43, by=coordinator)


def test_a_referral_holds_at_most_one_bed(home) -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    first, second = vacancy_make(home), vacancy_make(home)
    vacancy_hold(vacancy=first, referral_id=7, by=coordinator)
    with pytest.raises(ConflictError, match="already has a bed held"):
        vacancy_hold(vacancy=second, referral_id=7, by=coordinator)
    second.refresh_from_db()
    assert second.status == VacancyStatus.FREE


def test_only_the_unit_holds_beds_and_an_offer_step_records_who_accepted(home, manager) -> None:
    bed = vacancy_make(home)
    with pytest.raises(NotPermitted):
        vacancy_hold(vacancy=bed, referral_id=1, by=manager)
    with pytest.raises(NotPermitted):
        vacancy_hold(vacancy=bed, referral_id=1, by=user_with_role(Role.REFERRER))
    bed.refresh_from_db()
    assert bed.status == VacancyStatus.FREE
    # Nobody skips the check by passing no one.
    with pytest.raises(NotPermitted):
        vacancy_hold(vacancy=bed, referral_id=1, by=None)
    bed.refresh_from_db()
    assert bed.status == VacancyStatus.FREE
    # Accepting an offer holds the bed as a step, and the audit names the person.
    referrer = user_with_role(Role.REFERRER)
    vacancy_hold_for_offer(vacancy=bed, referral_id=1, by=referrer)
    assert bed.status == VacancyStatus.HELD
    assert AuditEvent.objects.filter(
        object_type="homes.vacancy", object_id=str(bed.pk), actor=referrer
    ).exists()


def test_profile_is_kept_by_the_homes_manager_with_a_reasoned_suspension(home, manager) -> None:
    profile = home_profile_update(
        home=home,
        by=manager,
        specialist_support=["self_harm", "mental_health"],
        risks_not_managed=["fire_setting"],
        admissions="suspended",
        admissions_suspended_reason="Staffing after an inspection",
        admissions_suspended_until=dt.date(2026, 3, 31),
        contact_name="Duty manager",
        contact_phone="01632 960 001",
        contact_email="duty@home.example",
        current_group_needs=["going_missing"],
    )
    assert profile.specialist_support == ["self_harm", "mental_health"]
    assert not profile.admissions_open
    assert HomeProfile.objects.get(home=home).admissions_suspended_reason
    # Stored in the one international form, however it was typed.
    assert HomeProfile.objects.get(home=home).contact_phone == "+441632960001"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"admissions": "suspended"}, "Enter why admissions are suspended"),
        (
            {
                "admissions": "suspended",
                "admissions_suspended_reason": "x",
                "admissions_suspended_until": dt.date(2026, 3, 1),
            },
            "must be today or in the future",
        ),
        ({"specialist_support": ["flying"]}, "flying is not a known need or risk"),
        ({"contact_phone": "+33 1 23 45 67 89"}, "Enter a UK phone number"),
        ({"contact_phone": "0800 12"}, "Enter a UK phone number"),
        (
            {"specialist_support": ["self_harm"], "risks_not_managed": ["self_harm"]},
            "Self-harm cannot be both",
        ),
    ],
)
def test_bad_profiles_are_refused_and_nothing_is_written(home, manager, changes, message) -> None:
    fields = {"specialist_support": [], "risks_not_managed": [], "admissions": "open"} | changes
    with pytest.raises(ServiceError, match=message):
        home_profile_update(home=home, by=manager, **fields)
    assert not HomeProfile.objects.exists()


def test_another_homes_manager_cannot_edit_the_profile_or_price(home) -> None:
    stranger = user_with_role(Role.HOME_MANAGER, SecureHomeFactory(name="Elsewhere").organisation)
    with pytest.raises(NotPermitted):
        home_profile_update(
            home=home, by=stranger, specialist_support=[], risks_not_managed=[], admissions="open"
        )
    with pytest.raises(NotPermitted):
        home_price_set(home=home, by=stranger, weekly_price_welfare=Decimal("1"))
    assert not HomeProfile.objects.exists()
    assert not HomeCommercialTerms.objects.exists()


def test_the_price_is_audited_without_its_value(home, manager) -> None:
    home_price_set(home=home, by=manager, weekly_price_welfare=Decimal("7350.00"))
    assert HomeCommercialTerms.objects.get(home=home).weekly_price_welfare == Decimal("7350.00")
    event = AuditEvent.objects.get(object_type="homes.homecommercialterms")
    assert "7350" not in str(event.detail)


def test_a_restriction_in_words_alone_is_checked_and_made_readable(home, manager) -> None:
    declaration_make(home, on=TODAY, staffed=12)
    with pytest.raises(ServiceError, match="registered for boys only"):
        vacancy_add(home=home, by=manager, available_from=TODAY, restriction="girls only")
    assert not Vacancy.objects.exists()
    bed = vacancy_add(home=home, by=manager, available_from=TODAY, restriction="boys only")
    assert bed.restriction_sex == "male"


def test_a_suspension_ends_after_its_until_date(home, manager) -> None:
    profile = home_profile_update(
        home=home,
        by=manager,
        specialist_support=[],
        risks_not_managed=[],
        admissions="suspended",
        admissions_suspended_reason="Refurbishment",
        admissions_suspended_until=dt.date(2026, 3, 20),
    )
    assert not profile.admissions_open
    assert not profile.admissions_open_on(dt.date(2026, 3, 20))
    assert profile.admissions_open_on(dt.date(2026, 3, 21))


def test_declarations_are_append_only(home) -> None:
    declaration = declaration_make(home, on=TODAY)
    declaration.staffed = 1
    with pytest.raises(PermissionError):
        declaration.save()
    with pytest.raises(PermissionError):
        RegisterDeclaration.objects.filter(home=home).update(staffed=1)
    with pytest.raises(PermissionError):
        RegisterDeclaration.objects.filter(home=home).delete()
    assert RegisterDeclaration.objects.get().staffed == 12
