"""The board page a page at a time, with the GOV.UK pagination, at any number of homes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from swc.homes.tests.factories import SecureHomeFactory, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_board_page_shows_50_homes_and_links_to_the_next_keeping_the_sort(
    client_for,
) -> None:
    for n in range(53):
        vacancy_make(SecureHomeFactory(name=f"Home {n:02d}"))
    client = client_for(user_with_role(Role.REFERRER))
    url = reverse("register:board")

    first = client.get(url, {"sort": "name"}).content.decode()
    assert "Homes (53)" in first and "Showing 1 to 50" in first
    assert "Home 49" in first and "Home 50" not in first
    assert 'class="govuk-pagination"' in first and "?sort=name&amp;page=2" in first
    assert "53 welfare beds free now" in first
    # Sorting in the browser would reorder only this page: the headers stay server links.
    assert "data-swc-sortable" not in first

    second = client.get(url, {"sort": "name", "page": "2"}).content.decode()
    assert "Home 50" in second and "Home 52" in second and "Home 49" not in second
    assert "Page 2 of 2" in second
