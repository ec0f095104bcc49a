"""The vacancy board filtered, sorted and paged in the database, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from swc.homes.models import AdmissionsStatus, HomeProfile
from swc.homes.selectors import BOARD_PAGE_SIZE, BoardFilters, vacancy_board_for
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _tuesday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COORDINATOR)


def _names(board) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.home.name for row in board.rows]


def test_the_board_comes_50_homes_a_page_with_totals_for_every_home(coordinator) -> None:
    assert BOARD_PAGE_SIZE == 50
    for n in range(55):
        vacancy_make(SecureHomeFactory(name=f"Home {n:02d}"))
    first = vacancy_board_for(coordinator, page=1)
    assert _names(first) == [f"Home {n:02d}" for n in range(50)]
    assert (first.count, first.free_now_total, first.page.paginator.num_pages) == (55, 55, 2)  # type: ignore[union-attr]
    second = vacancy_board_for(coordinator, page=2)
    assert _names(second) == [f"Home {n:02d}" for n in range(50, 55)]
    assert second.free_now_total == 55
    # Not a number, or past the end: the first or the last page, never an error.
    assert _names(vacancy_board_for(coordinator, page="x"))[0] == "Home 00"
    assert _names(vacancy_board_for(coordinator, page=99))[0] == "Home 50"


def test_every_sort_is_done_in_the_database(coordinator) -> None:
    near = SecureHomeFactory(name="C Near", latitude=53.80, longitude=-1.55)
    middle = SecureHomeFactory(name="A Middle", latitude=53.48, longitude=-2.24)
    far = SecureHomeFactory(name="B Far", latitude=51.51, longitude=-0.13)
    # Beds: A has two now, B one now and one later, C one from the 20th.
    vacancy_make(middle)
    vacancy_make(middle)
    vacancy_make(far)
    vacancy_make(far, available_from=dt.date(2026, 3, 12))
    vacancy_make(near, available_from=dt.date(2026, 3, 20))
    # Confirmed: B on Monday, A last Friday, C never.
    declaration_make(far, on=dt.date(2026, 3, 9))
    declaration_make(middle, on=dt.date(2026, 3, 6))
    leeds = LocalAuthorityFactory(latitude=53.80, longitude=-1.55)

    def names(sort: str) -> list[str]:
        filters = BoardFilters(local_authority_id=leeds.pk, sort=sort)
        return _names(vacancy_board_for(coordinator, filters, page=1))

    assert names("name") == ["A Middle", "B Far", "C Near"]
    assert names("distance") == ["C Near", "A Middle", "B Far"]
    assert names("free_now") == ["A Middle", "B Far", "C Near"]
    assert names("soonest") == ["A Middle", "B Far", "C Near"]
    assert names("confirmed") == ["C Near", "A Middle", "B Far"]


def test_filters_for_sex_free_beds_and_open_admissions_are_applied_before_paging(
    coordinator,
) -> None:
    girls_bed = SecureHomeFactory(name="Girls Bed")
    vacancy_make(girls_bed, restriction_sex="female")
    boys_bed = SecureHomeFactory(name="Boys Bed")
    vacancy_make(boys_bed, restriction_sex="male")
    suspended = SecureHomeFactory(name="Suspended")
    HomeProfile.objects.create(home=suspended, admissions=AdmissionsStatus.SUSPENDED)
    vacancy_make(suspended)
    reopened = SecureHomeFactory(name="Reopened")
    HomeProfile.objects.create(
        home=reopened,
        admissions=AdmissionsStatus.SUSPENDED,
        admissions_suspended_until=dt.date(2026, 3, 9),
    )

    def names(**filters: object) -> list[str]:
        return _names(vacancy_board_for(coordinator, BoardFilters(**filters), page=1))  # type: ignore[arg-type]

    assert names(sex="female", free_only=True) == ["Girls Bed", "Suspended"]
    assert names(open_only=True) == ["Boys Bed", "Girls Bed", "Reopened"]
    board = vacancy_board_for(coordinator, BoardFilters(sex="male"), page=1)
    assert (board.count, board.free_now_total) == (4, 2)


@pytest.mark.parametrize(
    ("admissions", "until", "expected"),
    [
        (AdmissionsStatus.OPEN, None, True),
        (AdmissionsStatus.OPEN, dt.date(2026, 3, 20), True),
        (AdmissionsStatus.SUSPENDED, None, False),
        (AdmissionsStatus.SUSPENDED, dt.date(2026, 3, 9), True),
        (AdmissionsStatus.SUSPENDED, dt.date(2026, 3, 10), False),
        (AdmissionsStatus.SUSPENDED, dt.date(2026, 3, 11), False),
    ],
)
def test_the_open_admissions_filter_is_the_profiles_own_rule(admissions, until, expected) -> None:
    home = SecureHomeFactory()
    profile = HomeProfile.objects.create(
        home=home, admissions=admissions, admissions_suspended_until=until
    )
    filtered = home.__class__.objects.filter(
        HomeProfile.admissions_open_filter(TUESDAY), pk=home.pk
    ).exists()
    assert (profile.admissions_open_on(TUESDAY), filtered) == (expected, expected)


def test_a_board_page_costs_the_same_queries_for_5_homes_or_120(coordinator) -> None:
    leeds = LocalAuthorityFactory(latitude=53.80, longitude=-1.55)

    def add(start: int, count: int) -> None:
        for n in range(start, start + count):
            home = SecureHomeFactory(name=f"Home {n:03d}")
            HomeProfile.objects.create(home=home)
            declaration_make(home, on=TUESDAY)
            vacancy_make(home)
            price_set(home, "5000")

    def queries(sort: str) -> int:
        filters = BoardFilters(local_authority_id=leeds.pk, sort=sort, free_only=True)
        with CaptureQueriesContext(connection) as captured:
            vacancy_board_for(coordinator, filters, page=2)
        return len(captured)

    sorts = ("name", "distance", "free_now", "soonest", "confirmed")
    vacancy_board_for(coordinator)  # the principal is cached on the user
    add(0, 5)
    few = [queries(sort) for sort in sorts]
    add(5, 115)
    assert [queries(sort) for sort in sorts] == few


def test_counts_and_totals_take_only_the_beds_the_filters_leave(coordinator) -> None:
    """A: three beds now (two for boys). B: a girls' bed now, one from Thursday. C: none."""
    a = SecureHomeFactory(name="A Home", accepts="boys and girls", age_min=10, age_max=17)
    b = SecureHomeFactory(name="B Home", accepts="boys and girls", age_min=10, age_max=13)
    SecureHomeFactory(name="C Home", accepts="boys and girls", age_min=14, age_max=17)
    vacancy_make(a)
    vacancy_make(a, restriction_sex="male")
    vacancy_make(a, restriction_sex="male")
    vacancy_make(b, restriction_sex="female")
    vacancy_make(b, available_from=dt.date(2026, 3, 12))

    def board(**filters: object):  # type: ignore[no-untyped-def]
        return vacancy_board_for(coordinator, BoardFilters(**filters), page=1)  # type: ignore[arg-type]

    def seen(**filters: object) -> tuple[list[str], int, int, int]:
        shown = board(**filters)
        return _names(shown), shown.count, shown.free_now_total, shown.free_later_total

    assert seen(sort="free_now") == (["A Home", "B Home", "C Home"], 3, 4, 1)
    # For a girl A has one bed now, as B has, and B one more from Thursday: B first.
    assert seen(sort="free_now", sex="female") == (["B Home", "A Home", "C Home"], 3, 2, 1)
    assert seen(sort="soonest", sex="female", free_only=True) == (["A Home", "B Home"], 2, 2, 1)
    # Aged 15: A and C take them; B's beds are not counted.
    assert seen(age=15) == (["A Home", "C Home"], 2, 3, 0)
    assert seen(age=15, free_only=True) == (["A Home"], 1, 3, 0)
    row = board(sex="female").rows[1]
    assert (row.home.name, len(row.free_now), len(row.free_later)) == ("B Home", 1, 1)
