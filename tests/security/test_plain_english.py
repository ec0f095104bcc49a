"""No page or download shows a person an internal name.

Each demo account (one per role, on the demo data `make run` loads) crawls every
page and download it can reach; the visible text of each (HTML without tags,
scripts and attributes; CSV and workbook cells) must hold no snake_case word,
like ``submitted_at``, and no model label, like ``referrals.referral``.
"""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from swc.core.calendar import LONDON
from swc.organisations.demo import DEMO_ACCOUNTS
from swc.organisations.models import User

from .crawler import crawl
from .plain_english import internal_names, model_labels, visible_internal_names

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
LABELS = {"referrals.referral", "homes.registerdeclaration"}


def test_the_scan_finds_snake_case_and_model_labels_in_visible_text_only() -> None:
    html = (
        "<html><head><title>Return</title><style>.a_b{}</style>"
        "<script>var submitted_at = 1;</script></head>"
        '<body><p class="govuk-body" data-x="closed_at">Changed: <b>submitted_at</b></p>'
        "<td>homes.registerdeclaration</td><!-- la_child_identifier -->"
        "<p>Write to unit.manager@swcu.example or https://x.example/a_b</p></body></html>"
    )
    found = visible_internal_names("text/html; charset=utf-8", html.encode(), LABELS)
    assert found == {"submitted_at", "homes.registerdeclaration"}
    assert internal_names("Referral, referrals.referral, closed_at", LABELS) == {
        "referrals.referral",
        "closed_at",
    }
    assert internal_names("Date of birth; 27 3 2011; Children's home", LABELS) == set()
    csv_body = b"month,submitted_at\n2026-10,Pending\n"
    assert visible_internal_names("text/csv; charset=utf-8", csv_body, LABELS) == {"submitted_at"}


def test_the_scan_reads_workbook_cells() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Referrals"
    sheet.append(["Month", "closed_at"])
    sheet.append(["October 2026", 4])
    body = io.BytesIO()
    workbook.save(body)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert visible_internal_names(content_type, body.getvalue(), LABELS) == {"closed_at"}


@pytest.fixture
def demo_data(db):  # type: ignore[no-untyped-def]
    # A weekday afternoon: the demo data is laid out around "now", so returns,
    # dashboards and timelines all have figures.
    with time_machine.travel(dt.datetime(2026, 11, 18, 14, 0, tzinfo=LONDON), tick=False):
        _demo_load()
        yield


def _demo_load() -> None:
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    call_command("import_secure_homes", str(DATA / "secure_homes.csv"), stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())


@pytest.mark.parametrize("email", [account.email for account in DEMO_ACCOUNTS])
def test_no_page_or_download_shows_an_internal_name(demo_data, client_for, email) -> None:
    result = crawl(client_for(User.objects.get(email=email)), limit=120)
    assert len(result.bodies) > 5, f"the crawl reached {sorted(result.bodies)} only"
    labels = model_labels()
    found = {
        url: sorted(names)
        for url, (content_type, body) in result.bodies.items()
        if (names := visible_internal_names(content_type, body, labels))
    }
    where = {name: url for url, names in found.items() for name in names}
    assert not where, f"internal names shown to {email} (one page each): {where}"
