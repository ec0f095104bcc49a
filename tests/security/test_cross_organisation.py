"""Guessed identifiers: every record page the unit can open is a 404 to outsiders.

The coordinator crawls the service and collects every page about a record
(any URL with a number in it). A referrer of another authority, the manager of
a home the referral was not sent to, and an analyst then request each of those
URLs directly. Unless the page is one their own crawl reaches (the vacancy
board's home rows, say), they must get 404: never the page, never a 403 that
would confirm the record exists.
"""

from __future__ import annotations

import re

import pytest

from .crawler import crawl

pytestmark = pytest.mark.django_db

OUTSIDERS = ["referrer_other_la", "home_other", "analyst", "unit_admin", "admin_same_la"]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_for_every_record_page_they_cannot_reach(world, client_for, who) -> None:
    unit_pages = crawl(client_for(world["coordinator"])).pages
    record_pages = sorted(url for url in unit_pages if re.search(r"/\d+(/|$)", url.split("?")[0]))
    assert record_pages, "the unit's crawl found no record pages"
    client = client_for(world[who])
    own_pages = set(crawl(client).pages)
    leaks = {}
    for url in record_pages:
        if url in own_pages:
            continue
        status = client.get(url).status_code
        if status != 404:
            leaks[url] = status
    assert not leaks, f"{who} got these record pages with a status other than 404: {leaks}"
