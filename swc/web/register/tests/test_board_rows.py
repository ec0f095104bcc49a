"""What each row of the board page says, and the filter form's lists, written out in full."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from swc.homes.models import AdmissionsStatus, HomeProfile, VacancyStatus
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> str:
    """The table row of the home called ``name``, its whitespace squeezed."""
    rows = re.findall(r'<tr class="govuk-table__row">.*?</tr>', page, flags=re.S)
    (row,) = [r for r in rows if f'data-sort-value="{name}"' in r]
    return " ".join(row.split())


@pytest.fixture
def hillside():  # type: ignore[no-untyped-def]
    """Tuesday 2 June 2026 (British Summer Time): a girls' home, suspended, with beds."""
    with time_machine.travel("2026-06-02 09:30Z", tick=False):
        home = SecureHomeFactory(
            name="Hillside", town="Hebden Bridge", accepts="girls", age_min=12, age_max=16
        )
        HomeProfile.objects.create(home=home, admissions=AdmissionsStatus.SUSPENDED)
        price_set(home, "12345.6")
        declaration_make(
            home,
            on=dt.date(2026, 6, 1),
            declared_at=dt.datetime(2026, 6, 1, 8, 30, tzinfo=dt.UTC),
        )
        vacancy_make(home, available_from=dt.date(2026, 6, 1), restriction_sex="female")
        vacancy_make(home, available_from=dt.date(2026, 6, 19), restriction="no arson risk")
        vacancy_make(home, available_from=dt.date(2026, 6, 5))
        vacancy_make(home, status=VacancyStatus.HELD, referral_id=41)
        yield home


def test_a_row_says_everything_about_the_home_in_local_time(client_for, hillside) -> None:
    with time_machine.travel("2026-06-02 09:30Z", tick=False):
        page = client_for(user_with_role(Role.COORDINATOR)).get(reverse("register:board"))
    row = _row(page.content.decode(), "Hillside")
    assert f'<a class="govuk-link" href="/register/homes/{hillside.pk}/">Hillside</a>' in row
    assert "Hebden Bridge" in row and "Admissions suspended" in row
    assert 'data-label="Free now">1</td>' in row
    # Beds free later, soonest first, and the soonest as the value the browser sorts by.
    assert (
        'data-label="Free soon" data-sort-value="2026-06-05">'
        '<span class="govuk-!-display-block swc-nowrap">from 5 Jun</span>'
        '<span class="govuk-!-display-block swc-nowrap">from 19 Jun</span></td>'
    ) in row
    assert ">female only</span>" in row and ">no arson risk</span>" in row
    assert 'data-label="Takes">Girls only, 12–16</td>' in row
    # 08:30 UTC on 1 June is 09:30 in London.
    assert 'data-sort-value="2026-06-01T09:30:00+01:00">Confirmed yesterday' in row
    assert ">1 Jun 2026 09:30</span>" in row
    assert "Out of date" not in row
    assert 'data-label="Held">1</td>' in row
    assert 'data-label="Weekly price">£12,345.60</td>' in row


def test_a_row_for_a_home_never_confirmed_with_no_beds(client_for) -> None:
    SecureHomeFactory(name="Quiet House", accepts="boys and girls", age_min=10, age_max=17)
    with time_machine.travel("2026-06-02 09:30Z", tick=False):
        page = client_for(user_with_role(Role.REFERRER)).get(reverse("register:board"))
    row = _row(page.content.decode(), "Quiet House")
    assert "<a " not in row  # a referrer may not open the home's register page
    assert "Admissions suspended" not in row
    assert 'data-label="Free soon" data-sort-value="">None</td>' in row
    assert 'data-label="Restrictions">None</td>' in row
    assert 'data-label="Takes">Boys and girls, 10–17</td>' in row
    assert (
        'data-sort-value="">Never confirmed <strong class="govuk-tag govuk-tag--orange">'
        "Out of date</strong></td>"
    ) in row
    assert "Weekly price" not in row


def test_the_filter_lists_keep_the_choice_and_escape_every_name(client_for) -> None:
    brighton = LocalAuthorityFactory(name="Brighton & Hove")
    LocalAuthorityFactory(name="Camden")
    client = client_for(user_with_role(Role.COORDINATOR))

    page = client.get(
        reverse("register:board"), {"local_authority": brighton.pk, "sort": "free_now"}
    ).content.decode()
    assert (
        f'<option value="{brighton.pk}" selected>Brighton &amp; Hove ({brighton.dfe_la_code})</option>'
    ) in page
    assert '<option value="">Your authority (or none)</option>' in page
    assert '<option value="free_now" selected>Free welfare beds now</option>' in page
    assert '<option value="name">Home name</option>' in page
    assert 'name="local_authority" class="govuk-select" id="id_local_authority"' in page

    # A choice not on the list: the list is marked in error and points at its message.
    page = client.get(reverse("register:board"), {"need": "not_a_need"}).content.decode()
    select = re.search(r'<select name="need"[^>]*>', page)
    assert select is not None
    assert "govuk-select--error" in select.group(0)
    assert 'aria-describedby="id_need-error"' in select.group(0)
    assert 'id="id_need-error"' in page


def test_every_text_of_a_row_is_escaped(client_for) -> None:
    home = SecureHomeFactory(name='Oak & Ash <"Lodge">', town="Bishop's <Stortford>")
    vacancy_make(home, restriction='<b>no</b> arson & "fire" risk')
    page = client_for(user_with_role(Role.COORDINATOR)).get(reverse("register:board"))
    html = page.content.decode()
    assert "<b>" not in html and '<"Lodge">' not in html and "<Stortford>" not in html
    row = _row(html, "Oak &amp; Ash &lt;&quot;Lodge&quot;&gt;")
    assert f'href="/register/homes/{home.pk}/">Oak &amp; Ash &lt;&quot;Lodge&quot;&gt;</a>' in row
    assert ">Bishop&#x27;s &lt;Stortford&gt;</span>" in row
    assert ">&lt;b&gt;no&lt;/b&gt; arson &amp; &quot;fire&quot; risk</span>" in row
