"""The register pages: the board, a home's own page, the unit's declarations and home pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from swc.homes.models import HomeCommercialTerms, HomeProfile, RegisterDeclaration, Vacancy
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _tuesday_morning():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-03-10 09:30Z", tick=False):
        yield


@pytest.fixture
def home():  # type: ignore[no-untyped-def]
    home = SecureHomeFactory(name="Synthetic Lodge", approved_places=12, accepts="boys")
    price_set(home, "7123.45")
    return home


@pytest.fixture
def manager(home):  # type: ignore[no-untyped-def]
    return user_with_role(Role.HOME_MANAGER, home.organisation)


# --- the board -----------------------------------------------------------------------


def test_the_unit_sees_prices_on_the_board_and_nobody_else_does(client_for, home) -> None:
    declaration_make(home, on=TODAY, occupied_welfare=10)
    vacancy_make(home, restriction="boys only for now")
    url = reverse("register:board")

    page = client_for(user_with_role(Role.COORDINATOR)).get(url).content.decode()
    assert "Synthetic Lodge" in page
    assert "£7,123.45" in page
    assert "boys only for now" in page
    assert "data-swc-sortable" in page and "swc-table-scroll" in page

    for role in (Role.REFERRER, Role.ANALYST, Role.HOME_MANAGER):
        viewer = user_with_role(role, home.organisation if role == Role.HOME_MANAGER else None)
        page = client_for(viewer).get(url).content.decode()
        assert "Synthetic Lodge" in page
        assert "7,123" not in page and "7123" not in page
        assert "Weekly price" not in page


@pytest.mark.parametrize(
    ("role", "linked"),
    [
        (Role.COORDINATOR, True),
        (Role.UNIT_MANAGER, True),
        (Role.REFERRER, False),
        (Role.ANALYST, False),
        (Role.HOME_MANAGER, False),
    ],
)
def test_a_homes_name_links_to_its_page_only_for_those_who_may_open_it(
    client_for, home, role, linked
) -> None:
    declaration_make(home, on=TODAY, occupied_welfare=10)
    page = client_for(user_with_role(role)).get(reverse("register:board")).content.decode()
    assert "Synthetic Lodge" in page
    assert (f'href="/register/homes/{home.pk}/"' in page) is linked


def test_board_distance_filter_and_server_side_sort(client_for) -> None:
    SecureHomeFactory(name="Far Home", latitude=55.0, longitude=-1.6)
    near = SecureHomeFactory(name="Near Home", latitude=50.9, longitude=-1.3)
    vacancy_make(near)
    hampshire = LocalAuthorityFactory(name="Hampshire", latitude=51.0, longitude=-1.3)
    client = client_for(user_with_role(Role.REFERRER, hampshire.organisation))

    page = client.get(reverse("register:board"), {"sort": "distance"}).content.decode()
    assert "from Hampshire" in page  # a referrer's own authority by default
    assert page.index("Near Home") < page.index("Far Home")
    page = client.get(reverse("register:board"), {"free_only": "on"}).content.decode()
    assert "Near Home" in page and "Far Home" not in page


def test_the_board_says_how_current_each_home_is_and_warns_on_a_sunday(client_for) -> None:
    """Sunday 29 November 2026: Friday 27th's figures are current, Thursday 26th's are not."""
    fresh = SecureHomeFactory(name="Friday Home")
    declaration_make(fresh, on=dt.date(2026, 11, 27))
    stale = SecureHomeFactory(name="Thursday Home")
    declaration_make(stale, on=dt.date(2026, 11, 26))
    with time_machine.travel("2026-11-29 10:00Z", tick=False):
        page = client_for(user_with_role(Role.REFERRER)).get(reverse("register:board"))
    html = " ".join(page.content.decode().split())
    assert "Confirmed Friday 27 November" in html
    assert "Not confirmed for 1 working day, since Thursday 26 November" in html
    assert "govuk-warning-text" in html
    assert (
        "The figures of 1 home are older than the last working day: Thursday Home. "
        "Phone the home before relying on its beds." in html
    )
    assert "Updated 29 November" not in html


def test_no_warning_when_every_home_confirmed_on_the_last_working_day(client_for) -> None:
    """Tuesday 1 September 2026, after the summer bank holiday: Friday's figures are current."""
    declaration_make(SecureHomeFactory(name="Friday Home"), on=dt.date(2026, 8, 28))
    declaration_make(SecureHomeFactory(name="Today Home"), on=dt.date(2026, 9, 1))
    with time_machine.travel("2026-09-01 16:00Z", tick=False):
        page = client_for(user_with_role(Role.COORDINATOR)).get(reverse("register:board"))
    html = page.content.decode()
    assert "Confirmed Friday 28 August" in html and "Confirmed today" in html
    assert "govuk-warning-text" not in html


def test_bad_board_filters_get_a_message_not_a_500(client_for) -> None:
    response = client_for(user_with_role(Role.REFERRER)).get(
        reverse("register:board"), {"age": "30"}
    )
    assert response.status_code == 200
    assert "Secure children&#x27;s homes take children aged 10 to 17" in response.content.decode()


def test_board_page_queries_stay_constant_as_homes_are_added(
    client_for, django_assert_max_num_queries
) -> None:
    client = client_for(user_with_role(Role.COORDINATOR))

    def add(start: int) -> None:
        for n in range(start, start + 4):
            home = SecureHomeFactory(name=f"Home {n}")
            HomeProfile.objects.create(home=home)
            declaration_make(home, on=TODAY)
            vacancy_make(home)
            price_set(home, "5000")

    add(0)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("register:board"))
    add(4)
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(reverse("register:board")).content.decode()
    assert "Home 7" in page


# --- a home's own page ------------------------------------------------------------------


def test_manager_updates_places_in_one_short_page(client_for, home, manager) -> None:
    client = client_for(manager)
    page = client.get(reverse("register:own")).content.decode()
    assert "You have not declared your places yet" in page
    response = client.post(
        reverse("register:own"),
        {
            "action": "register",
            "approved": "12",
            "staffed": "10",
            "youth_justice": "4",
            "occupied_welfare": "5",
            "occupied_youth_justice": "3",
        },
    )
    assert response.status_code == 302
    declared = RegisterDeclaration.objects.get(home=home)
    assert (declared.staffed, declared.counts.welfare_free) == (10, 1)
    page = client.get(reverse("register:own")).content.decode()
    assert "Confirmed today" in page


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ({"staffed": "8", "occupied_welfare": "9"}, "Occupied places (9) cannot be more than"),
        ({"staffed": "13"}, "Staffed places (13) cannot be more than approved places (12)"),
        ({"staffed": "x"}, "Staffed places must be a whole number, like 4"),
    ],
)
def test_impossible_places_get_a_govuk_error_and_change_nothing(
    client_for, home, manager, numbers, message
) -> None:
    data = {
        "action": "register",
        "approved": "12",
        "staffed": "12",
        "youth_justice": "0",
        "occupied_welfare": "0",
        "occupied_youth_justice": "0",
    } | numbers
    response = client_for(manager).post(reverse("register:own"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert "<title>Error:" in page
    assert not RegisterDeclaration.objects.exists()


def test_a_past_or_contradicting_bed_is_refused_with_a_message(client_for, home, manager) -> None:
    declaration_make(home, on=TODAY)
    client = client_for(manager)
    for data, message in (
        ({"available_from": "9 3 2026"}, "must be today or in the future"),
        (
            {"available_from": "10 3 2026", "restriction_sex": "female"},
            "registered for boys only, so a bed cannot be for girls only",
        ),
        ({"available_from": "31 2 2026"}, "must be a real date"),
    ):
        page = client.post(reverse("register:own"), {"action": "vacancy", **data}).content.decode()
        assert message in page, message
        assert "govuk-error-summary" in page
    assert not Vacancy.objects.exists()


def test_manager_offers_confirms_and_withdraws_a_bed(client_for, home, manager) -> None:
    declaration_make(home, on=dt.date(2026, 3, 9), occupied_welfare=10)
    client = client_for(manager)
    client.post(
        reverse("register:own"),
        {"action": "vacancy", "available_from": "10 3 2026", "restriction": "boys only"},
    )
    bed = Vacancy.objects.get(home=home)
    assert client.post(reverse("register:own"), {"action": "confirm"}).status_code == 302
    assert RegisterDeclaration.objects.filter(home=home, declared_on=TODAY, unchanged=True).exists()
    client.post(reverse("register:own"), {"action": "withdraw", "vacancy": bed.pk})
    bed.refresh_from_db()
    assert bed.status == "withdrawn"


def test_a_manager_cannot_withdraw_another_homes_bed(client_for, home) -> None:
    other = SecureHomeFactory(name="Other Lodge")
    bed = vacancy_make(other)
    response = client_for(user_with_role(Role.HOME_MANAGER, home.organisation)).post(
        reverse("register:own"), {"action": "withdraw", "vacancy": bed.pk}
    )
    assert response.status_code == 404
    bed.refresh_from_db()
    assert bed.status == "free"


def test_profile_and_price_are_saved_and_bad_ones_refused(client_for, home, manager) -> None:
    client = client_for(manager)
    response = client.post(
        reverse("register:own"),
        {
            "action": "profile",
            "admissions": "suspended",
            "specialist_support": ["self_harm"],
            "weekly_price_welfare": "6850.00",
        },
    )
    assert "Enter why admissions are suspended" in response.content.decode()
    assert not HomeProfile.objects.exists()
    assert str(HomeCommercialTerms.objects.get(home=home).weekly_price_welfare) == "7123.45"

    response = client.post(
        reverse("register:own"),
        {
            "action": "profile",
            "admissions": "open",
            "specialist_support": ["self_harm", "mental_health"],
            "risks_not_managed": ["fire_setting"],
            "weekly_price_welfare": "6850.00",
        },
    )
    assert response.status_code == 302
    assert HomeProfile.objects.get(home=home).risks_not_managed == ["fire_setting"]
    assert str(HomeCommercialTerms.objects.get(home=home).weekly_price_welfare) == "6850.00"


def test_the_homes_contact_phone_is_a_uk_number_kept_in_one_form(client_for, home, manager) -> None:
    client = client_for(manager)
    profile = {"action": "profile", "admissions": "open", "weekly_price_welfare": "6850.00"}
    response = client.post(reverse("register:own"), {**profile, "contact_phone": "12345"})
    assert "Enter a UK phone number, like 01632 960 001 or 07700 900 982" in (
        response.content.decode()
    )
    assert not HomeProfile.objects.exists()
    response = client.post(reverse("register:own"), {**profile, "contact_phone": "07700900982"})
    assert response.status_code == 302
    assert HomeProfile.objects.get(home=home).contact_phone == "+447700900982"
    # Read back nationally, on the form and on the home's page for the unit.
    assert 'value="07700 900982"' in client.get(reverse("register:own")).content.decode()


def test_a_manager_without_a_home_record_is_told_so(client_for) -> None:
    page = client_for(user_with_role(Role.HOME_MANAGER)).get(reverse("register:own"))
    assert page.status_code == 200
    assert "not yet linked to a secure children" in page.content.decode()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.REFERRER, Role.ANALYST, Role.ADMIN])
def test_only_home_managers_have_an_own_page(client_for, role) -> None:
    assert client_for(user_with_role(role)).get(reverse("register:own")).status_code == 404


# --- the unit's pages ---------------------------------------------------------------


def test_unit_sees_homes_not_confirmed_today_and_since_when(client_for) -> None:
    late = SecureHomeFactory(name="Late Lodge")
    done = SecureHomeFactory(name="Done Lodge")
    declaration_make(late, on=dt.date(2026, 3, 5))
    declaration_make(done, on=TODAY)
    client = client_for(user_with_role(Role.COORDINATOR))
    page = client.get(reverse("register:declarations")).content.decode()
    assert "Late Lodge" in page and "Done Lodge" not in page
    assert "5 March 2026" in page
    page = client.get(reverse("register:declarations"), {"day": "8 3 2026"}).content.decode()
    assert "not a working day" in page
    for role in (Role.HOME_MANAGER, Role.REFERRER, Role.ANALYST):
        response = client_for(user_with_role(role)).get(reverse("register:declarations"))
        assert response.status_code == 404


def test_unit_home_page_shows_price_and_history_others_get_404(client_for, home) -> None:
    declaration_make(home, on=TODAY, note="synthetic note")
    url = reverse("register:home", args=[home.pk])
    page = client_for(user_with_role(Role.COORDINATOR)).get(url).content.decode()
    assert "£7,123.45" in page and "synthetic note" in page
    for role in (Role.REFERRER, Role.ANALYST):
        assert client_for(user_with_role(role)).get(url).status_code == 404
    assert (
        client_for(user_with_role(Role.HOME_MANAGER, home.organisation)).get(url).status_code == 404
    )
