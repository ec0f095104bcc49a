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


def test_suppressed_values_are_gaps_with_a_marker_and_a_note_never_bars() -> None:
    values = tuple(shown_value(v) for v in ["[c]", "12", "0"])
    chart = bar_chart("x", "Outcomes", ["a", "b", "zero"], [Series("n", values)])
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    bars = [r for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    # 12 is a bar; zero has no height (and no marker); the hidden one is a marked gap.
    assert [b.find(f"{SVG}title").text for b in bars] == ["b, n: 12", "zero, n: 0"]
    assert float(bars[1].get("height")) == 0
    markers = root.findall(f"{SVG}path[@class='swc-chart__hidden']")
    assert len(markers) == 1 and "a, n: [c]" in markers[0].find(f"{SVG}title").text
    note = root.find(f"{SVG}text[@class='swc-chart__note']")
    assert note is not None and "not zero" in note.text
    assert chart.table_rows()[0] == ("a", ["[c]"])
    # Without a hidden value there is no note.
    plain = bar_chart("y", "t", ["a"], [Series("n", (3,))])
    assert "swc-chart__note" not in plain.svg


def test_labels_are_never_cut_off() -> None:
    regions = [
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
    ]
    chart = bar_chart("r", "By region", regions, [Series("n", tuple(range(9)))])
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    text = "".join(root.itertext())
    for region in regions:
        assert region in text  # whole, never "Yorkshire an"
    # The view box holds every label: turned labels fit below the axis, inside the height.
    height = float(root.get("viewBox").split()[3])
    assert height >= 16 + 208 + len("Yorkshire and The Humber") * 7.2


def test_legend_names_every_series_in_full_and_the_target() -> None:
    chart = line_chart(
        "k",
        "List within two hours",
        ["2026-01", "2026-02"],
        [
            Series("From the last completion", (90.0, 80.0)),
            Series("From the first completion", (85.0, None)),
        ],
        target=85.0,
    )
    text = "".join(ET.fromstring(chart.svg).itertext())  # noqa: S314 - our own output
    assert "From the last completion" in text and "From the first completion" in text
    assert "Target: 85" in text
    assert 'class="swc-chart__target"' in chart.svg


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


@pytest.mark.parametrize(
    ("values", "ticks"),
    [
        # Every value hidden: nothing to scale to, so the axis is 0 to 1, by one.
        (["[c]", "[c]", "0"], ["0", "1"]),
        (["2", "[c]", "1"], ["0", "1", "2"]),
        # 3 rounds up to an axis of 5 (1, 2 or 5 times a power of ten).
        (["3"], ["0", "1", "2", "3", "4", "5"]),
        (["17"], ["0", "5", "10", "15", "20"]),
    ],
)
def test_a_low_axis_counts_in_whole_numbers(values: list[str], ticks: list[str]) -> None:
    labels = [f"r{k}" for k in range(len(values))]
    chart = bar_chart("low", "Counts", labels, [Series("n", tuple(shown_value(v) for v in values))])
    root = ET.fromstring(chart.svg)  # noqa: S314 - our own output
    axis = [
        t.text for t in root.findall(f"{SVG}text[@text-anchor='end']") if t.get("transform") is None
    ]
    assert axis == ticks
