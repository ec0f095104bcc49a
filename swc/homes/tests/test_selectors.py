"""Reads: the register on a past day, who may see a price, unconfirmed homes, the board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine

from swc.core.errors import NotPermitted
from swc.homes.models import HomeProfile
from swc.homes.selectors import (
    BoardFilters,
    declarations_on,
    home_price_for,
    homes_unconfirmed_on,
    register_confirmations_for,
    register_series,
    vacancy_board_for,
)
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 9)


@pytest.fixture(autouse=True)
def _tuesday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-03-10 09:30Z", tick=False):
        yield


def test_the_register_on_a_past_day_is_each_homes_latest_declaration_by_then() -> None:
    a, b, c = (SecureHomeFactory(name=n) for n in ("A Home", "B Home", "C Home"))
    declaration_make(a, on=dt.date(2026, 3, 2), occupied_welfare=1)
    declaration_make(a, on=dt.date(2026, 3, 5), occupied_welfare=5)
    # Two declarations on one day: the later one counts.
    declaration_make(
        a,
        on=dt.date(2026, 3, 5),
        occupied_welfare=6,
        declared_at=dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC),
    )
    declaration_make(a, on=MONDAY, occupied_welfare=9)
    declaration_make(b, on=dt.date(2026, 3, 6), occupied_welfare=2)

    on_the_sixth = declarations_on(dt.date(2026, 3, 6))
    assert on_the_sixth[a.pk].occupied_welfare == 6
    assert on_the_sixth[b.pk].occupied_welfare == 2
    assert c.pk not in on_the_sixth
    assert declarations_on(dt.date(2026, 3, 1)) == {}
    assert declarations_on(MONDAY)[a.pk].occupied_welfare == 9


def test_register_history_takes_constant_queries(django_assert_max_num_queries) -> None:
    for n in range(8):
        home = SecureHomeFactory(name=f"Home {n}")
        for day in range(1, 9):
            declaration_make(home, on=dt.date(2026, 3, day))
    with django_assert_max_num_queries(2):
        assert len(declarations_on(dt.date(2026, 3, 4))) == 8


@dataclass
class FakeOffer:
    """What the matching part's offer will look like to the price selector."""

    home_id: int
    la_organisation_id: int

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        return organisation_id == self.la_organisation_id


def test_a_price_is_seen_by_the_unit_the_home_and_an_la_through_its_own_offer() -> None:
    home = SecureHomeFactory(name="Priced Home")
    other = SecureHomeFactory(name="Other Home")
    price_set(home, "6800.00")
    la = LocalAuthorityFactory()
    referrer = user_with_role(Role.REFERRER, la.organisation)
    offer = FakeOffer(home_id=home.pk, la_organisation_id=la.organisation_id)

    assert home_price_for(user_with_role(Role.COORDINATOR), home) == Decimal("6800.00")
    assert home_price_for(user_with_role(Role.UNIT_MANAGER), home) == Decimal("6800.00")
    assert home_price_for(user_with_role(Role.HOME_MANAGER, home.organisation), home) == Decimal(
        "6800.00"
    )
    assert home_price_for(referrer, home, via=offer) == Decimal("6800.00")

    assert home_price_for(referrer, home) is None
    assert home_price_for(user_with_role(Role.REFERRER), home, via=offer) is None
    assert home_price_for(referrer, home, via=FakeOffer(other.pk, la.organisation_id)) is None
    assert home_price_for(user_with_role(Role.HOME_MANAGER, other.organisation), home) is None
    for role in (Role.ANALYST, Role.ADMIN):
        assert home_price_for(user_with_role(role), home) is None


def test_unconfirmed_homes_today_and_since_when() -> None:
    confirmed = SecureHomeFactory(name="Confirmed Home")
    late = SecureHomeFactory(name="Late Home")
    silent = SecureHomeFactory(name="Silent Home")
    declaration_make(confirmed, on=dt.date(2026, 3, 10))
    declaration_make(late, on=dt.date(2026, 3, 5))  # Thursday: missed Fri, Mon, Tue

    rows = homes_unconfirmed_on(dt.date(2026, 3, 10))
    assert [r.home for r in rows] == [silent, late]
    assert rows[0].last_declared_on is None
    assert (rows[1].last_declared_on, rows[1].working_days_missed) == (dt.date(2026, 3, 5), 3)
    # Nobody owes a confirmation on a Sunday.
    assert homes_unconfirmed_on(dt.date(2026, 3, 8)) == []


def test_only_the_unit_reads_the_confirmation_report() -> None:
    assert register_confirmations_for(user_with_role(Role.COORDINATOR)) == []
    for role in (Role.HOME_MANAGER, Role.REFERRER, Role.ANALYST, Role.ADMIN):
        with pytest.raises(NotPermitted):
            register_confirmations_for(user_with_role(role))


def test_board_shows_free_beds_now_and_soon_prices_only_for_the_unit() -> None:
    home = SecureHomeFactory(name="Board Home", latitude=53.8, longitude=-1.55)
    declaration_make(home, on=MONDAY, staffed=12, occupied_welfare=9)
    vacancy_make(home, restriction="girls only for now", restriction_sex="female")
    vacancy_make(home, available_from=dt.date(2026, 3, 20))
    price_set(home, "7000.00")
    leeds = LocalAuthorityFactory(name="Leeds", latitude=53.8, longitude=-1.55)

    unit_board = vacancy_board_for(
        user_with_role(Role.COORDINATOR), BoardFilters(local_authority_id=leeds.pk)
    )
    row = unit_board.rows[0]
    assert (len(row.free_now), len(row.free_later)) == (1, 1)
    assert row.restrictions == ["girls only for now"]
    assert row.distance_miles == 0
    assert row.price == Decimal("7000.00")
    assert unit_board.show_prices

    for role in (Role.REFERRER, Role.ANALYST, Role.HOME_MANAGER):
        viewer = user_with_role(role, home.organisation if role == Role.HOME_MANAGER else None)
        board = vacancy_board_for(viewer)
        assert not board.show_prices
        assert board.rows[0].price is None


def test_board_filters_by_sex_age_need_and_free_beds() -> None:
    boys = SecureHomeFactory(name="Boys Home", accepts="boys")
    girls = SecureHomeFactory(name="Girls Home", accepts="girls", age_min=12)
    empty = SecureHomeFactory(name="Full Home")
    HomeProfile.objects.create(home=girls, risks_not_managed=["fire_setting"])
    for home in (boys, girls):
        vacancy_make(home)
    coordinator = user_with_role(Role.COORDINATOR)

    def names(**filters) -> list[str]:  # type: ignore[no-untyped-def]
        return [r.home.name for r in vacancy_board_for(coordinator, BoardFilters(**filters)).rows]

    assert names() == ["Boys Home", "Full Home", "Girls Home"]
    assert names(sex="female") == ["Full Home", "Girls Home"]
    assert names(age=11) == ["Boys Home", "Full Home"]
    assert names(need="fire_setting") == ["Boys Home", "Full Home"]
    assert names(free_only=True) == ["Boys Home", "Girls Home"]
    assert names(sort="free_now")[-1] == empty.name


def test_board_queries_stay_constant_as_homes_are_added(django_assert_num_queries) -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    vacancy_board_for(coordinator)  # the principal is cached on the user

    def add_homes(start: int) -> None:
        for n in range(start, start + 5):
            home = SecureHomeFactory(name=f"Home {n}")
            HomeProfile.objects.create(home=home)
            declaration_make(home, on=MONDAY)
            vacancy_make(home)
            price_set(home, "5000")

    add_homes(0)
    with django_assert_num_queries(3) as few:
        vacancy_board_for(coordinator)
    add_homes(5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(vacancy_board_for(coordinator).rows) == 10


def test_the_register_series_carries_each_homes_figures_forward(
    django_assert_max_num_queries,
) -> None:
    a, b = SecureHomeFactory(name="A Home"), SecureHomeFactory(name="B Home")
    declaration_make(a, on=dt.date(2026, 2, 27), occupied_welfare=1)
    declaration_make(a, on=dt.date(2026, 3, 3), occupied_welfare=4)
    declaration_make(b, on=dt.date(2026, 3, 2), occupied_welfare=2)
    with django_assert_max_num_queries(3):
        series = register_series(dt.date(2026, 3, 1), dt.date(2026, 3, 4))
    assert list(series) == [dt.date(2026, 3, d) for d in range(1, 5)]
    assert series[dt.date(2026, 3, 1)] == {a.pk: series[dt.date(2026, 3, 2)][a.pk]}
    assert series[dt.date(2026, 3, 2)][a.pk].occupied_welfare == 1
    assert series[dt.date(2026, 3, 2)][b.pk].occupied_welfare == 2
    assert series[dt.date(2026, 3, 4)][a.pk].occupied_welfare == 4
    # The series agrees with the register on any single day.
    for day, homes in series.items():
        assert {k: v.counts for k, v in declarations_on(day).items()} == homes
