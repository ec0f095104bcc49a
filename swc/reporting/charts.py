"""Server-rendered SVG charts, written by hand: bars and lines, with their data.

Pure functions, no ORM, no JavaScript. Each chart has a ``<title>`` and
``<desc>`` referenced by ``aria-labelledby``, and is always shown next to a
table holding the same figures (the table is the accessible version; the chart
is for a quick look). Values that disclosure control hid (``c``) are drawn as
gaps, never as a bar, so the picture cannot reveal what the table hides.
Colours are SVG presentation attributes, not ``style`` attributes, so the
content security policy (no inline styles) is respected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 280
MARGIN_LEFT = 48
MARGIN_BOTTOM = 56
MARGIN_TOP = 16
MARGIN_RIGHT = 16
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f")


@dataclass(frozen=True)
class Series:
    """One named run of values; None is a gap (suppressed or missing)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """The SVG and the table that go with it."""

    chart_id: str
    title: str
    svg: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """One row per label, one cell per series, ``c`` where the value is hidden."""
        return [
            (label, [_cell(s.values[k]) for s in self.series])
            for k, label in enumerate(self.labels)
        ]


def _cell(value: float | None) -> str:
    if value is None:
        return "c"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def shown_value(text: str) -> float | None:
    """A published cell back to a number for drawing: ``c`` becomes a gap."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _scale_max(series: Sequence[Series]) -> float:
    top = max((v for s in series for v in s.values if v is not None), default=0.0)
    if top <= 0:
        return 1.0
    # A round axis maximum: 1, 2 or 5 times a power of ten at or above the top value.
    magnitude = 1.0
    while magnitude * 10 < top:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= top:
            return step * magnitude
    return top


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="swc-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _axes(top: float, labels: Sequence[str], slot: float) -> list[str]:
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    base = HEIGHT - MARGIN_BOTTOM
    parts = [
        f'<line x1="{MARGIN_LEFT}" y1="{base}" x2="{WIDTH - MARGIN_RIGHT}" y2="{base}" '
        f'stroke="#0b0c0c"/>',
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{MARGIN_LEFT}" y2="{base}" '
        f'stroke="#0b0c0c"/>',
    ]
    for k in range(5):
        value = top * k / 4
        y = base - plot_h * k / 4
        parts.append(
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{_cell(value)}</text>"
        )
    every = max(1, len(labels) // 12)
    for k, label in enumerate(labels):
        if k % every:
            continue
        x = MARGIN_LEFT + slot * (k + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle" font-size="11">'
            f"{escape(label[:12])}</text>"
        )
    return parts


def bar_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> Chart:
    """Grouped vertical bars, one group per label and one bar per series."""
    _check(labels, series)
    top = _scale_max(series)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(1, len(labels))
    bar = slot * 0.8 / max(1, len(series))
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    base = HEIGHT - MARGIN_BOTTOM
    body = _axes(top, labels, slot)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        for k, value in enumerate(s.values):
            if value is None:
                continue
            h = plot_h * value / top
            x = MARGIN_LEFT + slot * k + slot * 0.1 + bar * s_index
            body.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(labels[k])}, {escape(s.name)}: '
                f"{_cell(value)}</title></rect>"
            )
    body += _legend(series)
    description = _describe(labels, series)
    return Chart(
        chart_id, title, _frame(chart_id, title, description, body), tuple(labels), tuple(series)
    )


def line_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]) -> Chart:
    """One line per series over the labels (months); a gap breaks the line."""
    _check(labels, series)
    top = _scale_max(series)
    slot = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(1, len(labels))
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    base = HEIGHT - MARGIN_BOTTOM
    body = _axes(top, labels, slot)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        runs: list[list[str]] = [[]]
        for k, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            x = MARGIN_LEFT + slot * (k + 0.5)
            y = base - plot_h * value / top
            runs[-1].append(f"{x:.1f},{y:.1f}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        for run in runs:
            if len(run) > 1:
                body.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"/>'
                )
    body += _legend(series)
    description = _describe(labels, series)
    return Chart(
        chart_id, title, _frame(chart_id, title, description, body), tuple(labels), tuple(series)
    )


def _legend(series: Sequence[Series]) -> list[str]:
    if len(series) < 2:
        return []
    parts = []
    for s_index, s in enumerate(series):
        x = MARGIN_LEFT + 110 * s_index
        y = HEIGHT - 14
        colour = PALETTE[s_index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" font-size="11">{escape(s.name[:16])}</text>')
    return parts


def _describe(labels: Sequence[str], series: Sequence[Series]) -> str:
    names = ", ".join(s.name for s in series)
    span = f"{labels[0]} to {labels[-1]}" if labels else "no data"
    return f"{names}: {span}. The table beside the chart gives every value."


def _check(labels: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels"
            )
