"""National data pages: who sees what, downloads match the page, sign-off freezes versions."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from swc.audit.models import AuditAction, AuditEvent
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import OrganisationFactory, user_with_role
from swc.reporting.exports import SHEET_NAMES
from swc.reporting.models import MonthlyReturnVersion
from swc.reporting.returns import ReturnMonth
from swc.reporting.services import monthly_return_sign_off

from .dataset import at, october_build

pytestmark = pytest.mark.django_db
NOW = "2026-11-05 10:00:00+00:00"
KEY_OF_SHEET = {name: key for key, name in SHEET_NAMES.items()}
FIGURE = re.compile(r'data-figure="([^"]+)">([^<]*)<')


def _figures_in(html: str) -> dict[str, str]:
    return {unescape(k): unescape(v) for k, v in FIGURE.findall(html)}


@pytest.fixture
def october():
    return october_build()


@time_machine.travel(NOW, tick=False)
def test_analyst_sees_suppressed_aggregates_and_no_personal_data(client_for, october) -> None:
    analyst = user_with_role(Role.ANALYST)
    response = client_for(analyst).get(reverse("reporting:return", args=["2026-10"]))
    assert response.status_code == 200
    html = response.content.decode()
    figures = _figures_in(html)
    assert figures["referrals_by_region|London"] == "[c]"
    assert figures["referrals_by_region|North East"] == "0"
    assert "Testchild" not in html and "Synthetic" not in html
    assert "Friday 13 November 2026" in html
    assert "<svg" in html and "<table" in html
    # The analyst cannot open a child's record or sign off.
    referral = october.referrals["r1"]
    assert (
        client_for(analyst).get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    )
    assert (
        client_for(analyst).post(reverse("reporting:return", args=["2026-10"])).status_code == 404
    )
    assert not MonthlyReturnVersion.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_unit_sees_the_counts(client_for, october) -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    html = client_for(coordinator).get(reverse("reporting:return", args=["2026-10"])).content
    figures = _figures_in(html.decode())
    assert figures["referrals_by_region|London"] == "2"
    assert figures["completion_to_list_hours|p90"] == "15.4"


@pytest.mark.parametrize("role", [Role.REFERRER, Role.HOME_MANAGER, Role.ADMIN])
def test_other_roles_cannot_see_national_data(client_for, role) -> None:
    user = user_with_role(role)
    assert client_for(user).get(reverse("reporting:index")).status_code == 404
    assert client_for(user).get(reverse("reporting:kpis")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_xlsx_opens_and_matches_the_analysts_page(client_for, october) -> None:
    analyst = user_with_role(Role.ANALYST)
    client = client_for(analyst)
    page = _figures_in(client.get(reverse("reporting:return", args=["2026-10"])).content.decode())
    response = client.get(reverse("reporting:return-download", args=["2026-10", "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Cover", "Notes"]
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True) if row}
    assert book["Cover"]["A1"].value == (
        "Secure welfare placements: monthly return to the Department for Education, October 2026"
    )
    assert cover["Period"] == "October 2026 (1 to 31 October 2026)"
    # Friday 13 November 2026 is the 10th working day of November (test_returns.py).
    assert cover["Due to the Department for Education on"] == "Friday 13 November 2026"
    for heading in ("Period", "Source", "Coverage", "Contact", "Revisions policy"):
        assert cover[heading], heading
    assert cover["Date published"] == "Not published"  # live figures, not signed off
    notes = {row[0]: row[1] for row in book["Notes"].iter_rows(values_only=True) if row}
    assert {"[c]", "[z]", "[x]", "[r]"} <= set(notes)
    compared = numbers = 0
    for sheet in book.worksheets[2:]:
        # One table a sheet: its title in A1, the column headings in row 3.
        assert isinstance(sheet["A1"].value, str) and sheet["A2"].value.startswith("This worksheet")
        for row in sheet.iter_rows(min_row=4, values_only=True):
            label, *values = row
            for value in values:
                # Numbers are numbers; only the symbols are text.
                assert isinstance(value, int | float) or value in {"[c]", "[z]", "[x]"}, (
                    sheet.title,
                    label,
                    value,
                )
                numbers += isinstance(value, int | float)
            key = f"{KEY_OF_SHEET.get(sheet.title)}|{label}"
            if key in page:
                assert page[key] == str(values[0])
                compared += 1
    for title, n, median, p90 in book["Times and distances"].iter_rows(min_row=4, values_only=True):
        assert n == median == p90 == "[c]", title
    assert compared > 40 and numbers > 40
    assert AuditEvent.objects.filter(actor=analyst, action=AuditAction.EXPORT).count() == 1


@time_machine.travel(NOW, tick=False)
def test_tidy_csv_has_one_observation_a_row(client_for, october) -> None:
    client = client_for(user_with_role(Role.ANALYST))
    response = client.get(reverse("reporting:return-download", args=["2026-10", "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == [
        "month",
        "table",
        "dimension",
        "category",
        "measure",
        "value",
        "revised",
    ]
    found = {(r["table"], r["category"], r["measure"]): r["value"] for r in rows}
    assert found[("Referrals by region", "London", "Count")] == "[c]"
    assert found[("Referrals by region", "North East", "Count")] == "0"
    assert found[("Outcomes", "Total", "Count")] == "[c]"
    assert all(r["month"] == "2026-10" for r in rows)
    for r in rows:
        assert (
            r["value"] in {"[c]", "[z]", "[x]"}
            or not 1 <= float(r["value"]) <= 5
            or r["table"] == "Children waiting and beds"
        )


@time_machine.travel(NOW, tick=False)
def test_sign_off_freezes_and_a_correction_makes_a_new_version(client_for, october) -> None:
    manager = user_with_role(Role.UNIT_MANAGER)
    client = client_for(manager)
    url = reverse("reporting:return", args=["2026-10"])
    assert client.post(url, {"note": ""}).status_code == 302
    v1 = MonthlyReturnVersion.objects.get(month="2026-10")
    assert v1.version == 1 and v1.figures["counts"]["outcomes"]["Placed"] == 1
    # Signing off again with nothing changed is refused, with a message, and adds nothing.
    response = client.post(url, {"note": ""})
    assert "Nothing has changed since version 1" in response.content.decode()
    assert MonthlyReturnVersion.objects.count() == 1
    # A correction: r4 turns out to have been submitted on 1 November.
    r4 = october.referrals["r4"]
    r4.submitted_at = at(11, 1, 9)
    r4.save(update_fields=["submitted_at"])
    client.post(url, {"note": "r4 was received in November"})
    v2 = MonthlyReturnVersion.objects.get(month="2026-10", version=2)
    v1.refresh_from_db()
    assert v1.figures["counts"]["referrals_by_region"]["London"] == 2  # frozen
    assert v2.figures["counts"]["referrals_by_region"]["London"] == 1
    changed = {d["figure"]: (d["was"], d["now"]) for d in v2.differences}
    assert changed["counts/referrals_by_region/London"] == (2, 1)
    assert changed["counts/referrals_by_sex/Female"] == (3, 2)
    page = client.get(url).content.decode()
    # In words on the page, never the figure's key.
    assert "Referrals received by region: London" in page
    assert "counts/referrals_by_region/London" not in page
    # The frozen version downloads as it was.
    response = client.get(
        reverse("reporting:return-download", args=["2026-10", "csv"]) + "?version=1"
    )
    csv_text = response.content.decode()
    assert "2026-10,Referrals by region,Region of the referring authority,London,Count,[c]," in (
        csv_text
    )
    # Version 1 froze the month's authorities too (the yearly table adds them up); a
    # monthly file never prints them.
    assert v1.figures["counts"]["referrals_by_authority"] == {"Synthshire": 2, "Testborough": 2}
    assert "Testborough" not in csv_text and "Referrals by authority" not in csv_text


@time_machine.travel("2026-10-20 10:00:00+00:00", tick=False)
def test_a_month_cannot_be_signed_off_before_it_ends(october) -> None:
    from swc.core.errors import ServiceError

    manager = user_with_role(Role.UNIT_MANAGER)
    with pytest.raises(ServiceError):
        monthly_return_sign_off(user=manager, month=ReturnMonth(2026, 10))
    assert not MonthlyReturnVersion.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_command_writes_every_format_and_prints_the_due_date(tmp_path: Path, october) -> None:
    for fmt in ("xlsx", "csv", "html"):
        out = io.StringIO()
        path = tmp_path / f"return.{fmt}"
        call_command("monthly_return", month="2026-10", format=fmt, out=str(path), stdout=out)
        assert "Friday 13 November 2026" in out.getvalue()
        assert path.stat().st_size > 0
    assert load_workbook(tmp_path / "return.xlsx").sheetnames[0] == "Cover"
    html = (tmp_path / "return.html").read_text()
    assert _figures_in(html)["referrals_by_region|London"] == "[c]"
    assert "Testchild" not in html


def test_command_refuses_a_bad_month() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("monthly_return", month="October", format="csv", out="/dev/null")


@time_machine.travel(NOW, tick=False)
def test_index_kpis_and_trend_pages(client_for, october, django_assert_max_num_queries) -> None:
    client = client_for(user_with_role(Role.UNIT_MANAGER))
    index = client.get(reverse("reporting:index")).content.decode()
    assert "October 2026" in index and "Friday 13 November 2026" in index
    assert client.get(reverse("reporting:index"), {"month": "2026-13"}).status_code == 200
    # A fixed number whatever the data: the period's dashboard and one for each of the last
    # twelve months (the charts).
    with django_assert_max_num_queries(150):
        kpis = client.get(reverse("reporting:kpis"), {"start": "2026-10-01", "end": "2026-10-31"})
    html = kpis.content.decode()
    assert html.count('data-kpi="') == 7
    assert 'id="kpi-hidden"' not in html  # the unit sees every count: nothing to explain
    # A chart per KPI over the last 12 months, each with its table; the volume KPI is the trend.
    assert html.count('aria-labelledby="chart-kpi-') == 6 and html.count('id="table-kpi-') == 6
    # Each over the 12 complete months to 5 November 2026 (November 2025 to October 2026),
    # against its target where it has one: engaged 100, signed up 85, satisfied 85, two
    # hours 85, returns on time 100 (the referrals have none).
    for code in ("referrals", "engaged", "signed_up", "satisfaction", "list_two_hours"):
        table = html[html.index(f'id="table-kpi-{code}"') :]
        table = table[: table.index("</table>")]
        months = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', table)
        assert months[0] == "Nov 2025" and months[-1] == "Oct 2026" and len(months) == 12
    assert re.findall(r"\(target (\d+)\)</caption>", html) == ["100", "85", "85", "85", "100"]
    # No one has signed up: both authorities are listed to remind.
    assert "Not yet signed up" in html and "Synthshire" in html
    assert "0.0% (0 of 2)" in html
    # Completed in October: r1 (1 h), r2 (3 h), r3 (18.5 h elapsed; Monday 15:00 to Tuesday
    # 09:30 is 2 + 0.5 = 2.5 office hours): 1 of 3 within two hours on both clocks, from the
    # first completion as from the last (no one was asked for more information).
    assert (
        "From the last completion: 33.3% (1 of 3) in elapsed time, 33.3% (1 of 3) in office "
        "hours. From the first completion: 33.3% (1 of 3) in elapsed time, 33.3% (1 of 3) in "
        "office hours"
    ) in html
    bad = client.get(reverse("reporting:kpis"), {"start": "2026-10-31", "end": "2026-10-01"})
    assert "End date must be the same as or after start date" in bad.content.decode()
    # The GOV.UK date input: day, month and year boxes, kept in the address (bookmarkable).
    typed = client.get(
        reverse("reporting:kpis"),
        {"start_day": "1", "start_month": "10", "start_year": "2026", "end_day": "31"},
    ).content.decode()
    assert "End date must include a month and year" in typed
    assert 'name="start_month" type="text" inputmode="numeric" value="10"' in typed
    with django_assert_max_num_queries(20):
        trend = client.get(
            reverse("reporting:trend"), {"start": "2026-07", "end": "2026-10", "by": "region"}
        )
    html = trend.content.decode()
    assert "<svg" in html and 'id="table-trend"' in html
    assert "South East" in html
    # Each chart under its heading; months in words, as on the KPI charts.
    assert '<h2 class="govuk-heading-m">Referrals received each month by region</h2>' in html
    assert ">Jul 2026</th>" in html and ">2026-07<" not in html
    months = client.get(
        reverse("reporting:trend"),
        {"start_month": "10", "start_year": "2026", "end_month": "7", "end_year": "2026"},
    ).content.decode()
    assert "Last month must be the same as or after first month" in months
    assert 'name="end_year"' in months and 'name="end_day"' not in months


def test_terms_acceptance_signs_an_authority_up_once(client_for) -> None:
    from swc.organisations.tests.factories import LocalAuthorityFactory
    from swc.reporting.models import TermsAcceptance, TermsKind

    la = LocalAuthorityFactory()
    admin = user_with_role(Role.ADMIN, la.organisation)
    client = client_for(admin)
    url = reverse("reporting:terms")
    response = client.post(url, {})
    assert "Confirm that you accept the terms" in response.content.decode()
    assert not TermsAcceptance.objects.exists()
    assert client.post(url, {"accept": "on"}).status_code == 302
    acceptance = TermsAcceptance.objects.get()
    assert acceptance.kind == TermsKind.LA_TERMS and acceptance.organisation == la.organisation
    assert "Signed up" in client.get(url).content.decode()
    client.post(url, {"accept": "on"})
    assert TermsAcceptance.objects.count() == 1


def test_home_manager_accepts_the_memorandum(client_for) -> None:
    from swc.reporting.models import TermsAcceptance, TermsKind

    home_org = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    manager = user_with_role(Role.HOME_MANAGER, home_org)
    assert client_for(manager).post(reverse("reporting:terms"), {"accept": "on"}).status_code == 302
    assert TermsAcceptance.objects.get().kind == TermsKind.HOME_MOU


def test_survey_after_a_closed_referral(client_for, october) -> None:
    from swc.reporting.models import SurveyResponse

    referral = october.referrals["r2"]  # withdrawn
    referrer = user_with_role(Role.REFERRER, october.la_a.organisation)
    client = client_for(referrer)
    url = reverse("reporting:survey", args=[referral.pk])
    response = client.post(url, {})
    assert "Select how satisfied you were with the service" in response.content.decode()
    assert client.post(url, {"overall": "satisfied"}).status_code == 302
    assert SurveyResponse.objects.get().overall == "satisfied"
    # Another authority cannot see the survey; an open referral has no survey yet.
    other = user_with_role(Role.REFERRER, october.la_b.organisation)
    assert client_for(other).get(url).status_code == 404
    open_url = reverse("reporting:survey", args=[october.referrals["r5"].pk])
    response = client.post(open_url, {"overall": "satisfied"})
    assert "The survey opens when the referral has closed." in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_a_referrer_sees_whether_their_authority_signed_up_but_cannot_accept(client_for) -> None:
    from swc.organisations.tests.factories import LocalAuthorityFactory
    from swc.reporting.models import TermsAcceptance

    la = LocalAuthorityFactory()
    referrer = user_with_role(Role.REFERRER, la.organisation)
    client = client_for(referrer)
    page = client.get(reverse("reporting:terms")).content.decode()
    assert "An authority&#x27;s admin accepts the terms" in page or "admin accepts" in page
    client.post(reverse("reporting:terms"), {"accept": "on"})
    assert not TermsAcceptance.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_trend_by_region_counted_by_hand_and_suppressed_for_analysts(client_for, october) -> None:
    from swc.reporting.selectors import referral_trend, trend_published

    labels, series = referral_trend(ReturnMonth(2026, 7), ReturnMonth(2026, 10))
    assert labels == ["2026-07", "2026-08", "2026-09", "2026-10"]
    # r0 London in July; r5, r6 South East in September; r1, r2 South East and r3, r4 London
    # in October.
    assert series == {"London": [1, 0, 0, 2], "South East": [0, 0, 2, 2]}
    table = trend_published(ReturnMonth(2026, 7), ReturnMonth(2026, 10), suppress=True)
    # Every count is small and hidden, as in each month's return; zeros are printed.
    assert table.cells == (("[c]", "0", "0", "[c]"), ("0", "0", "[c]", "[c]"))
    assert table.column_totals == ("[c]", "0", "[c]", "[c]")
    # Totals over the months are printed only when every month they add up is.
    assert table.row_totals == ("[c]", "[c]") and table.grand_total == "[c]"
    page = client_for(user_with_role(Role.ANALYST)).get(
        reverse("reporting:trend"), {"start": "2026-07", "end": "2026-10", "by": "region"}
    )
    html = page.content.decode()
    body = html[html.index('id="table-trend"') :]
    assert re.search(r"numeric\">[1-5]<", body) is None


@time_machine.travel(NOW, tick=False)
def test_analysts_kpis_hide_small_counts_of_referrals(client_for, october) -> None:
    client = client_for(user_with_role(Role.ANALYST))
    html = client.get(reverse("reporting:kpis"), {"start": "2026-10-01", "end": "2026-10-31"})
    text = html.content.decode()
    assert (
        "From the last completion: [c] ([c] of [c]) in elapsed time, [c] ([c] of [c]) in office "
        "hours" in text
    )
    assert "[c] referrals" in text  # four received in October
    assert 'id="kpi-hidden"' in text  # and the page says what [c] means
    assert "Not yet signed up" not in text  # the reminder list is the unit's


@time_machine.travel(NOW, tick=False)
def test_no_monthly_view_carries_an_authority_breakdown(client_for, october) -> None:
    # Even the unit, who see every count: a month is published by region and for England.
    client = client_for(user_with_role(Role.UNIT_MANAGER))
    names = ("Synthshire", "Testborough")
    pages = [
        client.get(reverse("reporting:return", args=["2026-10"])).content.decode(),
        client.get(reverse("reporting:return-download", args=["2026-10", "csv"])).content.decode(),
        client.get(
            reverse("reporting:trend"), {"start": "2026-07", "end": "2026-10", "by": "region"}
        ).content.decode(),
    ]
    for text in pages:
        assert not any(name in text for name in names)
    assert (
        "Figures for each authority are published only for complete financial years" in (pages[0])
    )
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("reporting:return-download", args=["2026-10", "xlsx"])).content
        )
    )
    assert "Referrals by authority" not in book.sheetnames
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v in names for v in row), sheet.title
    # The months of a financial year that has not ended: no authority table yet.
    html = client.get(
        reverse("reporting:trend"), {"start": "2026-07", "end": "2026-10", "by": "authority"}
    ).content.decode()
    assert 'id="no-complete-year"' in html and "Testborough" not in html


@time_machine.travel("2027-04-15 10:00:00+00:00", tick=False)
def test_authorities_are_published_for_each_complete_financial_year(client_for, october) -> None:
    # By hand, the financial year April 2026 to March 2027: Testborough (London) r0 in July,
    # r3 and r4 in October: 3; Synthshire (South East) r5 and r6 in September, r1 and r2 in
    # October: 4; England 7 (the draft is not a referral).
    params = {"start": "2026-07", "end": "2027-03", "by": "authority"}
    html = client_for(user_with_role(Role.UNIT_MANAGER)).get(reverse("reporting:trend"), params)
    table = html.content.decode()
    table = table[table.index('id="table-authority-2026"') : table.index("</table>")]
    rows = re.findall(r'<th scope="row"[^>]*>([^<]+)</th><td[^>]*>([^<]+)</td>', table)
    assert dict(rows) == {
        "North East": "0",
        "North West": "0",
        "Yorkshire and The Humber": "0",
        "East Midlands": "0",
        "West Midlands": "0",
        "East of England": "0",
        "London": "3",
        "Testborough": "3",
        "South East": "4",
        "Synthshire": "4",
        "South West": "0",
        "England": "7",
    }
    assert "April 2026 to March 2027" in table
    # For an analyst every count of 1 to 5 is hidden; the page never prints one.
    analyst = client_for(user_with_role(Role.ANALYST)).get(reverse("reporting:trend"), params)
    text = analyst.content.decode()
    body = text[text.index('id="table-authority-2026"') : text.index("</table>")]
    assert re.search(r"numeric[^\"]*\">[1-5]<", body) is None
    assert "Testborough" in body or "Its authorities are not listed" in body
