"""SVG charts: accessible titles, gaps for suppressed values, the table beside."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from swc.reporting.charts import Series, bar_chart, line_chart, shown_value

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_title_and_description() -> None:
    chart = bar_chart("refs", "Referrals <by> region", ["London", "North"], [Series("n", (12, 0))])
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "refs-title refs-desc"
    assert root.find(f"{SVG}title").text == "Referrals <by> region"
    assert "table beside the chart" in root.find(f"{SVG}desc").text
    assert len(root.findall(f"{SVG}rect")) == 2
    assert "style=" not in chart.svg
    assert chart.table_rows() == [("London", ["12"]), ("North", ["0"])]


def test_suppressed_values_are_gaps_not_bars() -> None:
    values = tuple(shown_value(v) for v in ["c", "12", "c"])
    chart = bar_chart("x", "Outcomes", ["a", "b", "c"], [Series("n", values)])
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    bars = [r for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(bars) == 1
    assert chart.table_rows()[0] == ("a", ["c"])


def test_line_chart_breaks_at_gaps() -> None:
    chart = line_chart(
        "trend",
        "Referrals by month",
        ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"],
        [Series("England", (10, 12, None, 14, 16)), Series("Wales", (0, 0, 0, 0, 0))],
    )
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    assert len(root.findall(f"{SVG}polyline")) == 3  # England in two runs, Wales in one
    assert len(root.findall(f"{SVG}circle")) == 9


def test_series_length_must_match_labels() -> None:
    with pytest.raises(ValueError):
        line_chart("x", "t", ["a"], [Series("s", (1, 2))])
